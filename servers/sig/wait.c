/*
 * Waiting for signals here — pause, rt_sigsuspend, rt_sigtimedwait — and ITIMER_REAL
 * (alarm, setitimer). A waiting call is deferred; a signal that arrives for the process
 * interrupts it (the kernel then notifies us, NOTIFY_CANCEL) and the call is answered
 * with a restart code that the upcall that follows turns into -EINTR.
 */
#include <relay/libsys.h>
#include <relay/errno.h>
#include <relay/proto/sig.h>
#include "sig.h"

#define NS 1000000000ull

static void wait_reply(struct sproc *p, long value)
{
	word_t r[REPLY_WORDS] = { (word_t)value };
	word_t token = p->wait_token;
	p->wait = SW_NONE;
	p->wait_token = 0;
	sys_reply(token, r);
}

/* A rt_sigtimedwait of p that waits for si's signal takes it: 1 if it did. */
long sig_wait_post(struct sproc *p, const struct ksiginfo *si)
{
	uint8_t info[128];
	if (p->wait != SW_TIMEDWAIT || !(p->wait_set & SIG_BIT(si->signo)))
		return 0;
	sig_info_layout(si, info);
	if (p->wait_info_ptr && sys_tok_copyout(p->wait_token, p->wait_info_ptr, sizeof(info), info)) {
		wait_reply(p, -EFAULT);
		return 1;
	}
	wait_reply(p, si->signo);
	return 1;
}

/* Arm the kernel timer for the earliest alarm or rt_sigtimedwait deadline. */
void sig_timer_arm(void)
{
	uint64_t next = 0;
	int cur = 0;
	for (struct sproc *p; (p = sproc_next(&cur));) {
		if (p->alarm_at && (!next || p->alarm_at < next))
			next = p->alarm_at;
		if (p->wait == SW_TIMEDWAIT && p->wait_deadline && (!next || p->wait_deadline < next))
			next = p->wait_deadline;
	}
	sys_notify_at(next);
}

/* After a notification: answer the waits of interrupted threads (cancel) and expired
 * deadlines, send due SIGALRMs (timer). */
void sig_waiters_check(bool cancel, bool timer)
{
	uint64_t now = sys_clock_ns();
	int cur = 0;
	for (struct sproc *p; (p = sproc_next(&cur));) {
		if (timer && p->alarm_at && p->alarm_at <= now) {
			struct ksiginfo si = { .signo = SIGALRM, .code = SI_KERNEL };
			p->alarm_at = p->alarm_interval ? now + p->alarm_interval : 0;
			sig_post(p, &si);
		}
		if (p->wait == SW_NONE)
			continue;
		if (timer && p->wait == SW_TIMEDWAIT && p->wait_deadline && p->wait_deadline <= now)
			wait_reply(p, -EAGAIN);
		else if (cancel && sys_tok_interrupted(p->wait_token) == 1)
			wait_reply(p, p->wait == SW_TIMEDWAIT ? -EINTR : -ERESTARTNOHAND);
	}
	sig_timer_arm();
}

static long wait_here(struct call *c, struct sproc *p, enum sig_wait how)
{
	p->wait = how;
	p->wait_token = c->token;
	return CALL_DEFERRED;
}

long sig_do_pause(struct call *c)
{
	struct sproc *p = sproc_caller(c);
	if (!p)
		return -ENOMEM;
	if (sig_next(p, ~p->blocked)) {
		sys_task_interrupt(p->task);
		return -ERESTARTNOHAND;
	}
	return wait_here(c, p, SW_PAUSE);
}

long sig_do_rt_sigsuspend(struct call *c)
{
	struct sproc *p = sproc_caller(c);
	uint64_t mask;
	if (!p)
		return -ENOMEM;
	if (c->arg[1] != sizeof(mask))
		return -EINVAL;
	if (sys_tok_copyin(c->token, c->arg[0], sizeof(mask), &mask))
		return -EFAULT;
	p->saved_mask = p->blocked;
	p->has_saved_mask = true;
	p->blocked = mask & ~UNBLOCKABLE;
	if (sig_next(p, ~p->blocked)) {
		sys_task_interrupt(p->task);
		return -ERESTARTNOHAND;
	}
	return wait_here(c, p, SW_SUSPEND);
}

/* rt_sigtimedwait(set, info, timeout, sigsetsize) */
long sig_do_rt_sigtimedwait(struct call *c)
{
	struct sproc *p = sproc_caller(c);
	uint64_t set;
	int64_t ts[2];
	struct ksiginfo si;
	uint8_t info[128];
	if (!p)
		return -ENOMEM;
	if (c->arg[3] != sizeof(set))
		return -EINVAL;
	if (sys_tok_copyin(c->token, c->arg[0], sizeof(set), &set))
		return -EFAULT;
	set &= ~UNBLOCKABLE;
	if (c->arg[2]) {
		if (sys_tok_copyin(c->token, c->arg[2], sizeof(ts), ts))
			return -EFAULT;
		if (ts[0] < 0 || ts[1] < 0 || ts[1] >= (int64_t)NS)
			return -EINVAL;
	}
	int sig = sig_next(p, set);
	if (sig) {
		sig_dequeue(p, sig, &si);
		sig_info_layout(&si, info);
		if (c->arg[1] && sys_tok_copyout(c->token, c->arg[1], sizeof(info), info))
			return -EFAULT;
		return sig;
	}
	if (c->arg[2] && !ts[0] && !ts[1])
		return -EAGAIN;
	p->wait_set = set;
	p->wait_info_ptr = c->arg[1];
	p->wait_deadline = c->arg[2] ? sys_clock_ns() + (uint64_t)ts[0] * NS + (uint64_t)ts[1] : 0;
	wait_here(c, p, SW_TIMEDWAIT);
	sig_timer_arm();
	return CALL_DEFERRED;
}

/* ITIMER_REAL as struct itimerval {interval, value} of {tv_sec, tv_usec}. */
static void itimer_get(const struct sproc *p, int64_t v[4])
{
	uint64_t now = sys_clock_ns(), left = p->alarm_at > now ? p->alarm_at - now : 0;
	if (p->alarm_at && !left)
		left = 1000;	/* due: report a microsecond, not "off" */
	v[0] = (int64_t)(p->alarm_interval / NS);
	v[1] = (int64_t)(p->alarm_interval % NS / 1000);
	v[2] = (int64_t)(left / NS);
	v[3] = (int64_t)((left % NS + 999) / 1000);
}

static void itimer_set(struct sproc *p, const int64_t v[4])
{
	uint64_t value = (uint64_t)v[2] * NS + (uint64_t)v[3] * 1000;
	p->alarm_interval = (uint64_t)v[0] * NS + (uint64_t)v[1] * 1000;
	p->alarm_at = value ? sys_clock_ns() + value : 0;
	sig_timer_arm();
}

long sig_do_getitimer(struct call *c)
{
	struct sproc *p = sproc_caller(c);
	int64_t v[4];
	if (!p)
		return -ENOMEM;
	if (c->arg[0] != 0)
		return -EINVAL;	/* ITIMER_VIRTUAL and ITIMER_PROF: no CPU-time accounting */
	itimer_get(p, v);
	return sys_tok_copyout(c->token, c->arg[1], sizeof(v), v);
}

long sig_do_setitimer(struct call *c)
{
	struct sproc *p = sproc_caller(c);
	int64_t v[4], old[4];
	if (!p)
		return -ENOMEM;
	if (c->arg[0] != 0)
		return -EINVAL;
	if (c->arg[1] && sys_tok_copyin(c->token, c->arg[1], sizeof(v), v))
		return -EFAULT;
	if (c->arg[1] && (v[1] < 0 || v[1] >= 1000000 || v[3] < 0 || v[3] >= 1000000 ||
			  v[0] < 0 || v[2] < 0))
		return -EINVAL;
	itimer_get(p, old);
	if (c->arg[2] && sys_tok_copyout(c->token, c->arg[2], sizeof(old), old))
		return -EFAULT;
	if (c->arg[1])
		itimer_set(p, v);
	return 0;
}

/* alarm(seconds): the seconds left of the previous alarm (rounded up) */
long sig_do_alarm(struct call *c)
{
	struct sproc *p = sproc_caller(c);
	int64_t old[4], v[4] = { 0, 0, (int64_t)(unsigned)c->arg[0], 0 };
	if (!p)
		return -ENOMEM;
	itimer_get(p, old);
	itimer_set(p, v);
	return old[2] + (old[3] ? 1 : 0);
}
