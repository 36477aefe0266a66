/*
 * exit, exit_group, fatal signals (LABEL_KILL from the kernel), wait4 and waitid.
 * A process that ends becomes a zombie holding its wait status until its parent reaps
 * it; its children go to init. A waiting parent's call is deferred and answered when a
 * matching child ends.
 */
#include <relay/libsys.h>
#include <relay/errno.h>
#include <relay/proto/mm.h>
#include <relay/proto/vfs.h>
#include "proc.h"

#define WNOHANG 1
#define WUNTRACED 2
#define WEXITED 4
#define WCONTINUED 8
#define WNOWAIT 0x1000000
#define P_ALL 0
#define P_PID 1
#define P_PGID 2
#define CLD_EXITED 1
#define CLD_KILLED 2
#define SIGCHLD 17

int proc_reparent(int pid, struct proc **zombie);
struct proc *proc_wait_match(int parent, int sel, bool zombie_only);

struct rusage_linux { word_t w[18]; };

/* Hand a zombie's status to the waiter: copy it out as wait4 or waitid asks. 0 or -EFAULT. */
static long wait_report(word_t token, struct proc *z, bool is_waitid, word_t status_ptr,
			word_t rusage_ptr)
{
	long err = 0;
	if (is_waitid) {
		int32_t si[32] = { 0 };	/* siginfo_t: signo, errno, code, pid, uid, status */
		si[0] = SIGCHLD;
		si[2] = (z->status & 0x7f) ? CLD_KILLED : CLD_EXITED;
		si[4] = z->pid;
		si[6] = (z->status & 0x7f) ? (z->status & 0x7f) : (z->status >> 8) & 0xff;
		if (status_ptr)
			err = sys_tok_copyout(token, status_ptr, sizeof(si), si);
	} else if (status_ptr) {
		int32_t st = z->status;
		err = sys_tok_copyout(token, status_ptr, sizeof(st), &st);
	}
	if (!err && rusage_ptr) {
		struct rusage_linux ru = { { 0 } };
		err = sys_tok_copyout(token, rusage_ptr, sizeof(ru), &ru);
	}
	return err;
}

/* Complete p's deferred wait if zombie z matches it. Returns whether it did. */
static bool wait_wake(struct proc *p, struct proc *z)
{
	if (!p || !p->wait_token || proc_wait_match(p->pid, p->wait_pid, true) != z)
		return false;
	word_t token = p->wait_token, r[REPLY_WORDS] = { 0 };
	p->wait_token = 0;
	long err = wait_report(token, z, p->wait_is_waitid, p->wait_status_ptr, p->wait_rusage_ptr);
	r[0] = err ? (word_t)err : p->wait_is_waitid ? 0 : (word_t)z->pid;
	if (!err && !(p->wait_options & WNOWAIT))
		proc_free(z);
	sys_reply(token, r);
	return true;
}

/* Have mm release every page of p (token: p's current call). */
void proc_release_memory(struct proc *p, word_t token)
{
	struct tok_info ti;
	word_t r[REPLY_WORDS];
	if (proc_mm_ep < 0 || sys_tok_task(token, &ti))
		return;
	word_t msg[6] = { (word_t)p->pid, ti.task, ti.brk_base, 0, 0, 0 };
	sys_call(proc_mm_ep, MM_EXIT, msg, r);
}

/* Answer a vfork parent still waiting for this child. */
void proc_release_vfork(struct proc *child)
{
	if (!child->vfork_token)
		return;
	word_t r[REPLY_WORDS] = { (word_t)child->vfork_result };
	sys_reply(child->vfork_token, r);
	child->vfork_token = 0;
}

/* p ends with wait_status: memory to mm, children to init, a zombie for the parent;
 * token (the exiting call) ends the thread. */
void proc_exit(struct proc *p, word_t token, int wait_status)
{
	struct proc *orphan_zombie;
	int killed = (wait_status & 0x7f) != 0;
	if (p->clear_child_tid) {
		int32_t zero = 0;
		sys_tok_copyout(token, p->clear_child_tid, sizeof(zero), &zero);
	}
	proc_release_memory(p, token);
	proc_tell_vfs(VFS_EXIT, (word_t)p->pid, 0);
	proc_release_vfork(p);
	p->state = P_ZOMBIE;
	p->status = wait_status;
	if (proc_reparent(p->pid, &orphan_zombie) && orphan_zombie)
		wait_wake(proc_find(BOOT_INIT_BADGE), orphan_zombie);
	wait_wake(proc_find(p->ppid), p);
	sys_tok_exit(token, killed ? 128 + (wait_status & 0x7f) : (wait_status >> 8) & 0xff, killed);
}

static long do_exit(struct call *c)
{
	struct proc *p = proc_caller(c);
	if (!p)
		return -ESRCH;
	proc_exit(p, c->token, (int)((c->arg[0] & 0xff) << 8));
	return CALL_DEFERRED;	/* the caller is gone: no reply */
}
long proc_do_exit(struct call *c) { return do_exit(c); }
long proc_do_exit_group(struct call *c) { return do_exit(c); }

/* A fatal fault reported by the kernel (LABEL_KILL): args addr, signal, pc. */
long proc_killed(struct call *c)
{
	struct proc *p = proc_caller(c);
	int sig = (int)(c->arg[1] & 0x7f);
	if (!p)
		return -ESRCH;
	proc_exit(p, c->token, sig ? sig : 9);
	return CALL_DEFERRED;
}

/* The shared body of wait4 and waitid once the pid selector is known. */
static long do_wait(struct call *c, int sel, int options, word_t status_ptr, word_t rusage_ptr,
		    bool is_waitid)
{
	struct proc *p = proc_caller(c);
	if (!p)
		return -ESRCH;
	struct proc *q = proc_wait_match(p->pid, sel, false);
	if (!q)
		return -ECHILD;
	if (q->state == P_ZOMBIE) {
		long err = wait_report(c->token, q, is_waitid, status_ptr, rusage_ptr);
		if (err)
			return err;
		int pid = q->pid;
		if (!(options & WNOWAIT))
			proc_free(q);
		return is_waitid ? 0 : pid;
	}
	if (options & WNOHANG) {
		if (is_waitid && status_ptr) {
			int32_t si[32] = { 0 };
			sys_tok_copyout(c->token, status_ptr, sizeof(si), si);
		}
		return 0;
	}
	p->wait_token = c->token;
	p->wait_pid = sel;
	p->wait_options = options;
	p->wait_status_ptr = status_ptr;
	p->wait_rusage_ptr = rusage_ptr;
	p->wait_is_waitid = is_waitid;
	return CALL_DEFERRED;
}

long proc_do_wait4(struct call *c)
{
	int options = (int)c->arg[2];
	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | 0xe0000000))
		return -EINVAL;
	return do_wait(c, (int)c->arg[0], options, c->arg[1], c->arg[3], false);
}

long proc_do_waitid(struct call *c)
{
	int type = (int)c->arg[0], id = (int)c->arg[1], options = (int)c->arg[3];
	if (!(options & (WEXITED | WUNTRACED | WCONTINUED)) ||
	    (options & ~(WNOHANG | WEXITED | WUNTRACED | WCONTINUED | WNOWAIT)))
		return -EINVAL;
	int sel = type == P_ALL ? -1 : type == P_PID ? id : type == P_PGID ? -id : 0;
	if (type > P_PGID || (type != P_ALL && id <= 0))
		return -EINVAL;
	return do_wait(c, sel, options, c->arg[2], c->arg[4], true);
}
