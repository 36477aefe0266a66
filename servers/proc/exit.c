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
#include <relay/proto/sig.h>
#include "proc.h"

#define WNOHANG 1
#define WUNTRACED 2
#define WEXITED 4
#define WCONTINUED 8
#define WNOWAIT 0x1000000
#define P_ALL 0
#define P_PID 1
#define P_PGID 2
#define SIGCHLD 17
#define SIGCONT 18

int proc_reparent(int pid, struct proc **zombie);

struct rusage_linux { word_t w[18]; };

/* Whether q is one of the children of `me` that wait selector sel names. */
static bool wait_selects(const struct proc *me, const struct proc *q, int sel)
{
	if (q->ppid != me->pid)
		return false;
	return sel > 0 ? q->pid == sel : sel == 0 ? q->pgid == me->pgid :
	       sel < -1 ? q->pgid == -sel : true;
}

/* What child q has for a wait with these options: 'z' it ended, 's' it stopped,
 * 'c' it continued, 0 nothing. */
static int wait_event(const struct proc *q, int options, bool is_waitid)
{
	if (q->state == P_ZOMBIE)
		return !is_waitid || (options & WEXITED) ? 'z' : 0;
	if ((options & WUNTRACED) && q->report_stop)
		return 's';
	if ((options & WCONTINUED) && q->report_cont)
		return 'c';
	return 0;
}

/* A child of me that sel names with something to report (its event in *ev), or NULL;
 * *any tells whether sel names any child at all. */
static struct proc *wait_find(const struct proc *me, int sel, int options, bool is_waitid,
			      int *ev, bool *any)
{
	*any = false;
	for (int i = 0; i < PROC_MAX; i++) {
		struct proc *q = proc_slot(i);
		if (!q || !wait_selects(me, q, sel))
			continue;
		*any = true;
		if ((*ev = wait_event(q, options, is_waitid)))
			return q;
	}
	return NULL;
}

/* Hand child q's event to the waiter: copy it out as wait4 or waitid asks, and consume
 * it unless WNOWAIT. Returns wait4's / waitid's result. */
static long wait_report(word_t token, struct proc *q, int ev, int options, bool is_waitid,
			word_t status_ptr, word_t rusage_ptr)
{
	long err = 0;
	int sig = q->status & 0x7f, pid = q->pid;
	if (is_waitid) {
		int32_t si[32] = { 0 };	/* siginfo_t: signo, errno, code, pid, uid, status */
		si[0] = SIGCHLD;
		si[2] = ev == 's' ? CLD_STOPPED : ev == 'c' ? CLD_CONTINUED :
			!sig ? CLD_EXITED : (q->status & 0x80) ? CLD_DUMPED : CLD_KILLED;
		si[4] = q->pid;
		si[6] = ev == 's' ? q->stop_sig : ev == 'c' ? SIGCONT : sig ? sig : (q->status >> 8) & 0xff;
		if (status_ptr)
			err = sys_tok_copyout(token, status_ptr, sizeof(si), si);
	} else if (status_ptr) {
		int32_t st = ev == 's' ? (q->stop_sig << 8) | 0x7f : ev == 'c' ? 0xffff : q->status;
		err = sys_tok_copyout(token, status_ptr, sizeof(st), &st);
	}
	if (!err && rusage_ptr) {
		struct rusage_linux ru = { { 0 } };
		err = sys_tok_copyout(token, rusage_ptr, sizeof(ru), &ru);
	}
	if (err)
		return err;
	if (!(options & WNOWAIT)) {
		if (ev == 'z')
			proc_free(q);
		else if (ev == 's')
			q->report_stop = false;
		else
			q->report_cont = false;
	}
	return is_waitid ? 0 : pid;
}

/* Complete p's deferred wait if one of its children has something for it now, or with
 * ECHILD if it has no child left that it could wait for. */
static void wait_wake(struct proc *p)
{
	int ev;
	bool any;
	if (!p || !p->wait_token)
		return;
	struct proc *q = wait_find(p, p->wait_pid, p->wait_options, p->wait_is_waitid, &ev, &any);
	if (!q && any)
		return;
	word_t token = p->wait_token, r[REPLY_WORDS] = { 0 };
	p->wait_token = 0;
	proc_nwaits--;
	r[0] = q ? (word_t)wait_report(token, q, ev, p->wait_options, p->wait_is_waitid,
				       p->wait_status_ptr, p->wait_rusage_ptr) : (word_t)-ECHILD;
	sys_reply(token, r);
}

/* child stopped, continued or ended: its parent's wait may complete. */
void proc_wait_changed(struct proc *child)
{
	wait_wake(proc_find(child->ppid));
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
	proc_tell_sig(SIG_EXIT, (word_t)p->pid, 0, 0);
	if (p->sleep_token) {	/* a finished sleep's record */
		p->sleep_token = 0;
		proc_nwaits--;
	}
	p->state = P_ZOMBIE;
	p->status = wait_status;
	p->stopped = p->report_stop = p->report_cont = false;
	if (proc_reparent(p->pid, &orphan_zombie) && orphan_zombie)
		wait_wake(proc_find(BOOT_INIT_BADGE));
	int code = !killed ? CLD_EXITED : (wait_status & 0x80) ? CLD_DUMPED : CLD_KILLED;
	word_t facts = proc_notify_parent(p, code, killed ? wait_status & 0x7f : (wait_status >> 8) & 0xff);
	struct proc *parent = proc_find(p->ppid);
	if ((facts & SIGPOST_NOCLDWAIT) && parent)
		proc_free(p);	/* the parent ignores SIGCHLD: no zombie */
	wait_wake(parent);
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

/* A fatal fault (LABEL_KILL from the kernel, or passed on by sig when the program does not
 * catch it): args addr, signal | si_code << 8, pc. The default action dumps core. */
long proc_killed(struct call *c)
{
	struct proc *p = proc_caller(c);
	int sig = (int)(c->arg[1] & 0x7f);
	if (!p)
		return -ESRCH;
	proc_exit(p, c->token, sig ? sig | 0x80 : 9);
	return CALL_DEFERRED;
}

/* The shared body of wait4 and waitid once the pid selector is known. */
static long do_wait(struct call *c, int sel, int options, word_t status_ptr, word_t rusage_ptr,
		    bool is_waitid)
{
	struct proc *p = proc_caller(c);
	int ev;
	bool any;
	if (!p)
		return -ESRCH;
	struct proc *q = wait_find(p, sel, options, is_waitid, &ev, &any);
	if (!any)
		return -ECHILD;
	if (q)
		return wait_report(c->token, q, ev, options, is_waitid, status_ptr, rusage_ptr);
	if (options & WNOHANG) {
		if (is_waitid && status_ptr) {
			int32_t si[32] = { 0 };
			sys_tok_copyout(c->token, status_ptr, sizeof(si), si);
		}
		return 0;
	}
	p->wait_token = c->token;
	proc_nwaits++;
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
