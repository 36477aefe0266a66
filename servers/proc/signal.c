/*
 * proc's half of signals: who may signal whom (kill, tkill, tgkill, rt_sigqueueinfo,
 * process groups), SIGCHLD to parents, and job control — a process stopped by a signal
 * has its call held here until SIGCONT. The sig server holds dispositions and delivers;
 * proc calls it (SIG_*), it never calls proc: it forwards the target's own call instead
 * (PROC_SIG_EXIT, PROC_SIG_STOP, LABEL_KILL).
 */
#include <relay/libsys.h>
#include <relay/errno.h>
#include <relay/proto/sig.h>
#include "proc.h"

#define NSIG 64
#define SIGKILL 9
#define SIGCHLD 17
#define SIGCONT 18

/* Send sig a message (SIG_*) if one serves; its r0, and r1 in *r1 if r1. */
static long tell_sig(unsigned label, const word_t msg[6], word_t *r1)
{
	word_t r[REPLY_WORDS] = { 0 };
	if (proc_sig_ep < 0)
		return 0;
	long err = sys_call(proc_sig_ep, label, msg, r);
	if (r1)
		*r1 = r[1];
	return err ? err : (long)r[0];
}

long proc_tell_sig(unsigned label, word_t a0, word_t a1, word_t a2)
{
	word_t msg[6] = { a0, a1, a2, 0, 0, 0 };
	return tell_sig(label, msg, NULL);
}

/* Answer a stopped process's held call: it runs again. */
static void proc_continue(struct proc *q)
{
	word_t r[REPLY_WORDS] = { 0 };
	if (!q->stopped)
		return;
	q->stopped = false;
	q->report_stop = false;
	q->report_cont = true;
	sys_reply(q->stop_token, r);
	q->stop_token = 0;
	proc_notify_parent(q, CLD_CONTINUED, SIGCONT);
	proc_wait_changed(q);
}

/* Post sig (0: only check) to q as sent by pid sender; SIGKILL and SIGCONT continue a
 * stopped process first. Returns sig's SIGPOST_* facts about q's dispositions. */
word_t proc_signal(struct proc *q, int sig, int code, int sender, word_t value)
{
	word_t r1 = 0;
	if (!sig || q->state != P_ALIVE)
		return 0;
	if (sig == SIGKILL || sig == SIGCONT)
		proc_continue(q);
	word_t msg[6] = { (word_t)q->pid, q->task, (word_t)sig | (word_t)(uint16_t)code << 8,
			  (word_t)(uint32_t)sender, value, 0 };
	tell_sig(SIG_POST, msg, &r1);
	return r1;
}

/* SIGCHLD (or the clone exit signal) to child's parent about a change (CLD_*). Returns the
 * parent's SIGPOST_* facts. */
word_t proc_notify_parent(struct proc *child, int code, int status)
{
	struct proc *parent = proc_find(child->ppid);
	int sig = code == CLD_EXITED || code == CLD_KILLED || code == CLD_DUMPED ?
		  child->exit_signal : SIGCHLD;
	if (!parent || !sig)
		return 0;
	return proc_signal(parent, sig, code, child->pid, (word_t)(uint32_t)status);
}

/* Signal the processes kill(pid, ...) names; how many there were. */
static int for_targets(struct proc *self, int pid, int sig, int code, word_t value)
{
	int n = 0;
	for (int i = 0; i < PROC_MAX; i++) {
		struct proc *q = proc_slot(i);
		if (!q)
			continue;
		bool match = pid > 0 ? q->pid == pid : pid == 0 ? q->pgid == self->pgid :
			     pid == -1 ? q->pid != 1 && q != self : q->pgid == -pid;
		if (!match)
			continue;
		proc_signal(q, sig, code, self->pid, value);
		n++;
		if (pid > 0)
			break;
	}
	return n;
}

long proc_do_kill(struct call *c)
{
	struct proc *self = proc_caller(c);
	int pid = (int)c->arg[0], sig = (int)c->arg[1];
	if (!self)
		return -ESRCH;
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH;
	return for_targets(self, pid, sig, SI_USER, 0) ? 0 : -ESRCH;
}

/* One thread per process: a thread id is its pid. */
static long thread_kill(struct call *c, int tgid, int tid, int sig)
{
	struct proc *self = proc_caller(c), *q;
	if (!self)
		return -ESRCH;
	if (tid <= 0 || (tgid != -1 && tgid <= 0) || sig < 0 || sig > NSIG)
		return -EINVAL;
	q = proc_find(tid);
	if (!q || (tgid != -1 && tgid != tid))
		return -ESRCH;
	proc_signal(q, sig, SI_TKILL, self->pid, 0);
	return 0;
}

long proc_do_tkill(struct call *c) { return thread_kill(c, -1, (int)c->arg[0], (int)c->arg[1]); }
long proc_do_tgkill(struct call *c)
{
	return thread_kill(c, (int)c->arg[0], (int)c->arg[1], (int)c->arg[2]);
}

/* rt_sigqueueinfo(pid, sig, info) / rt_tgsigqueueinfo(tgid, tid, sig, info): a program
 * may only forge a negative si_code (as Linux: not SI_USER, SI_KERNEL or SI_TKILL) for
 * another process. */
static long queue_info(struct call *c, int pid, int sig, word_t uinfo)
{
	struct proc *self = proc_caller(c), *q;
	int32_t head[4];
	word_t value;
	if (!self)
		return -ESRCH;
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (sys_tok_copyin(c->token, uinfo, sizeof(head), head) ||
	    sys_tok_copyin(c->token, uinfo + 24, sizeof(value), &value))
		return -EFAULT;
	if ((head[2] >= 0 || head[2] == SI_TKILL) && pid != self->pid)
		return -EPERM;
	if (!(q = proc_find(pid)))
		return -ESRCH;
	proc_signal(q, sig, head[2], self->pid, value);
	return 0;
}

long proc_do_rt_sigqueueinfo(struct call *c)
{
	return queue_info(c, (int)c->arg[0], (int)c->arg[1], c->arg[2]);
}

long proc_do_rt_tgsigqueueinfo(struct call *c)
{
	if (c->arg[0] != c->arg[1])
		return -ESRCH;
	return queue_info(c, (int)c->arg[1], (int)c->arg[2], c->arg[3]);
}

/* Send sig to every live process of group pgid (from the kernel's side: si_code
 * SI_KERNEL). How many, or -EINVAL / -ESRCH. */
long proc_kill_pgrp(int pgid, int sig)
{
	int n = 0;
	if (pgid <= 0 || sig < 1 || sig > NSIG)
		return -EINVAL;
	for (int i = 0; i < PROC_MAX; i++) {
		struct proc *q = proc_slot(i);
		if (q && q->state == P_ALIVE && q->pgid == pgid) {
			proc_signal(q, sig, SI_KERNEL, 0, 0);
			n++;
		}
	}
	return n ? n : -ESRCH;
}

/* PROC_SIG_EXIT(signal | core) and PROC_SIG_STOP(signal), forwarded by sig with the
 * target's own call. */
long proc_sig_native(struct call *c)
{
	struct proc *p = proc_caller(c);
	int sig = (int)(c->arg[0] & 0x7f);
	if (!p || sig < 1)
		return -ESRCH;
	if (c->label == PROC_SIG_EXIT) {
		proc_exit(p, c->token, (int)(c->arg[0] & 0xff));
		return CALL_DEFERRED;
	}
	p->stopped = true;
	p->stop_token = c->token;
	p->stop_sig = sig;
	p->report_stop = true;
	p->report_cont = false;
	proc_notify_parent(p, CLD_STOPPED, sig);
	proc_wait_changed(p);
	return CALL_DEFERRED;
}

/* An interrupted sleep: the time left in rem (nanosleep's second argument) and
 * -ERESTART_RESTARTBLOCK: EINTR if a handler runs, else (a stop and continue, an ignored
 * signal) restart_syscall sleeps on to the same deadline, as Linux. A sleep the kernel
 * already answered is just forgotten. */
static void sleep_cancel(struct proc *q)
{
	long st = sys_tok_interrupted(q->sleep_token);
	if (st == 0)
		return;		/* still sleeping, not interrupted */
	word_t token = q->sleep_token;
	q->sleep_token = 0;
	proc_nwaits--;
	if (st < 0)
		return;		/* the deadline passed: the kernel answered */
	uint64_t now = sys_clock_ns(), left = q->sleep_deadline > now ? q->sleep_deadline - now : 0;
	int64_t ts[2] = { (int64_t)(left / 1000000000u), (int64_t)(left % 1000000000u) };
	word_t r[REPLY_WORDS] = { (word_t)-ERESTART_RESTARTBLOCK };	/* EINTR after a handler */
	q->restart_deadline = q->sleep_deadline;	/* for restart_syscall after a stop */
	q->restart_rem = q->sleep_rem;
	if (q->sleep_rem && sys_tok_copyout(token, q->sleep_rem, sizeof(ts), ts))
		r[0] = (word_t)-EFAULT;
	sys_reply(token, r);
}

/* NOTIFY_CANCEL: answer the waits (wait4, waitid) and sleeps of interrupted processes. */
int proc_nwaits;

void proc_cancel_waits(void)
{
	for (int i = 0; i < PROC_MAX && proc_nwaits; i++) {
		struct proc *q = proc_slot(i);
		if (q && q->sleep_token)
			sleep_cancel(q);
		if (!q || !q->wait_token || sys_tok_interrupted(q->wait_token) != 1)
			continue;
		word_t r[REPLY_WORDS] = { (word_t)-ERESTARTSYS };
		word_t token = q->wait_token;
		q->wait_token = 0;
		proc_nwaits--;
		sys_reply(token, r);
	}
}
