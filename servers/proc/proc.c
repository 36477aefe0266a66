/* proc server: the process table and the identity calls. */
#include <relay/libsys.h>
#include <relay/errno.h>
#include <relay/gen/sysnr.h>
#include "proc.h"

struct proc procs[PROC_MAX];
static int last_pid = BOOT_INIT_BADGE;

void proc_init(void)
{
	procs[0].state = P_ALIVE;
	procs[0].pid = procs[0].pgid = procs[0].sid = BOOT_INIT_BADGE;	/* init */
	procs[0].ppid = 0;
	procs[0].nofile[0] = 1024;
	procs[0].nofile[1] = 1024;
}

/* The live or zombie process pid, or NULL. */
struct proc *proc_find(int pid)
{
	for (int i = 0; i < PROC_MAX; i++)
		if (procs[i].state != P_FREE && procs[i].pid == pid)
			return &procs[i];
	return NULL;
}

/* The calling process (by its badge). */
struct proc *proc_caller(struct call *c)
{
	return proc_find((int)c->badge);
}

/* A new live process with a fresh pid, child of ppid (group and session inherited by the
 * caller), or NULL when the table is full. */
struct proc *proc_alloc(int ppid)
{
	struct proc *slot = NULL;
	for (int i = 0; i < PROC_MAX && !slot; i++)
		if (procs[i].state == P_FREE)
			slot = &procs[i];
	if (!slot)
		return NULL;
	do
		last_pid = last_pid >= PID_MAX ? 2 : last_pid + 1;
	while (proc_find(last_pid));
	memset(slot, 0, sizeof(*slot));
	slot->state = P_ALIVE;
	slot->pid = last_pid;
	slot->ppid = ppid;
	return slot;
}

void proc_free(struct proc *p)
{
	p->state = P_FREE;
	p->pid = 0;
}

int proc_count_all(void)
{
	int n = 0;
	for (int i = 0; i < PROC_MAX; i++)
		n += procs[i].state != P_FREE;
	return n;
}

int proc_count_children(int pid)
{
	int n = 0;
	for (int i = 0; i < PROC_MAX; i++)
		n += procs[i].state != P_FREE && procs[i].ppid == pid;
	return n;
}

/* Every process whose parent is pid gets init as its parent; returns how many. */
int proc_reparent(int pid, struct proc **zombie)
{
	int n = 0;
	*zombie = NULL;
	for (int i = 0; i < PROC_MAX; i++) {
		if (procs[i].state == P_FREE || procs[i].ppid != pid)
			continue;
		procs[i].ppid = BOOT_INIT_BADGE;
		if (procs[i].state == P_ZOMBIE)
			*zombie = &procs[i];
		n++;
	}
	return n;
}

long proc_do_getpid(struct call *c) { return c->badge; }
long proc_do_gettid(struct call *c) { return c->badge; }	/* one thread per process */

long proc_do_getppid(struct call *c)
{
	struct proc *p = proc_caller(c);
	return p ? p->ppid : -ESRCH;
}

long proc_do_set_tid_address(struct call *c)
{
	struct proc *p = proc_caller(c);
	if (p)
		p->clear_child_tid = c->arg[0];
	return c->badge;
}

long proc_do_getpgid(struct call *c)
{
	struct proc *p = c->arg[0] ? proc_find((int)c->arg[0]) : proc_caller(c);
	return p ? p->pgid : -ESRCH;
}

long proc_do_getpgrp(struct call *c)
{
	struct proc *p = proc_caller(c);
	return p ? p->pgid : -ESRCH;
}

long proc_do_getsid(struct call *c)
{
	struct proc *p = c->arg[0] ? proc_find((int)c->arg[0]) : proc_caller(c);
	return p ? p->sid : -ESRCH;
}

/* setpgid(pid, pgid): the caller or one of its children, within the caller's session. */
long proc_do_setpgid(struct call *c)
{
	struct proc *me = proc_caller(c);
	int pid = (int)c->arg[0], pgid = (int)c->arg[1];
	if (!me || pgid < 0)
		return -EINVAL;
	struct proc *p = pid ? proc_find(pid) : me;
	if (!p || (p != me && p->ppid != me->pid))
		return -ESRCH;
	if (p->sid != me->sid || p->pid == p->sid)
		return -EPERM;
	p->pgid = pgid ? pgid : p->pid;
	return 0;
}

long proc_do_setsid(struct call *c)
{
	struct proc *p = proc_caller(c);
	if (!p)
		return -ESRCH;
	if (p->pgid == p->pid)
		return -EPERM;	/* a group leader cannot start a session */
	p->sid = p->pgid = p->pid;
	return p->sid;
}
