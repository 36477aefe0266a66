/* Dispositions, the mask, the pending set and the alternate stack: rt_sigaction,
 * rt_sigprocmask, rt_sigpending, sigaltstack. */
#include <relay/libsys.h>
#include <relay/errno.h>
#include <relay/sigframe.h>
#include "sig.h"

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

/* rt_sigaction(sig, act, oact, sigsetsize) */
long sig_do_rt_sigaction(struct call *c)
{
	struct sproc *p = sproc_caller(c);
	int sig = (int)c->arg[0];
	struct k_sigaction act;
	if (!p)
		return -ENOMEM;
	if (c->arg[3] != sizeof(uint64_t) || sig < 1 || sig > NSIG ||
	    (c->arg[1] && (sig == SIGKILL || sig == SIGSTOP)))
		return -EINVAL;
	if (c->arg[1] && sys_tok_copyin(c->token, c->arg[1], sizeof(act), &act))
		return -EFAULT;
	if (c->arg[2] && sys_tok_copyout(c->token, c->arg[2], sizeof(act), &p->act[sig]))
		return -EFAULT;
	if (c->arg[1]) {
		act.mask &= ~UNBLOCKABLE;
		p->act[sig] = act;
		if (sig_ignored(p, sig) && sig < SIG_RT_MIN)
			p->pending &= ~SIG_BIT(sig);	/* POSIX: a pending ignored signal goes */
	}
	return 0;
}

/* rt_sigprocmask(how, set, oset, sigsetsize) */
long sig_do_rt_sigprocmask(struct call *c)
{
	struct sproc *p = sproc_caller(c);
	uint64_t set, old;
	if (!p)
		return -ENOMEM;
	if (c->arg[3] != sizeof(set))
		return -EINVAL;
	old = p->blocked;
	if (c->arg[1]) {
		if (c->arg[0] > SIG_SETMASK)
			return -EINVAL;
		if (sys_tok_copyin(c->token, c->arg[1], sizeof(set), &set))
			return -EFAULT;
	}
	if (c->arg[2] && sys_tok_copyout(c->token, c->arg[2], sizeof(old), &old))
		return -EFAULT;
	if (c->arg[1]) {
		if (c->arg[0] == SIG_BLOCK)
			p->blocked |= set;
		else if (c->arg[0] == SIG_UNBLOCK)
			p->blocked &= ~set;
		else
			p->blocked = set;
		p->blocked &= ~UNBLOCKABLE;
		sig_wake_if_deliverable(p);	/* unblocked pending ones go before it returns */
	}
	return 0;
}

/* rt_sigpending(set, sigsetsize) */
long sig_do_rt_sigpending(struct call *c)
{
	struct sproc *p = sproc_caller(c);
	uint64_t set;
	if (!p)
		return -ENOMEM;
	if (c->arg[1] != sizeof(set))
		return -EINVAL;
	set = p->pending & p->blocked;
	return sys_tok_copyout(c->token, c->arg[0], sizeof(set), &set);
}

/* stack_t: ss_sp, ss_flags, ss_size */
struct k_stack { word_t sp; int32_t flags, pad; word_t size; };

/* sigaltstack(ss, old_ss) */
long sig_do_sigaltstack(struct call *c)
{
	struct sproc *p = sproc_caller(c);
	struct k_stack ss, old;
	struct relay_uregs u;
	if (!p)
		return -ENOMEM;
	if (sys_tok_get_regs(c->token, &u))
		return -EINVAL;
	word_t sp = UREGS_SP(&u);
	bool on = !(p->ss_flags & SS_DISABLE) && sp > p->ss_sp && sp - p->ss_sp <= p->ss_size;
	old.sp = p->ss_sp;
	old.size = p->ss_size;
	old.flags = (p->ss_flags & SS_DISABLE) ? SS_DISABLE : on ? SS_ONSTACK : 0;
	old.pad = 0;
	if (c->arg[0]) {
		if (sys_tok_copyin(c->token, c->arg[0], sizeof(ss), &ss))
			return -EFAULT;
		if (on)
			return -EPERM;
		if (ss.flags & ~(SS_DISABLE | SS_ONSTACK | (int32_t)0x80000000))
			return -EINVAL;
		if (ss.flags & SS_DISABLE) {
			p->ss_sp = p->ss_size = 0;
			p->ss_flags = SS_DISABLE;
		} else {
			if (ss.size < sigframe_min_stack)
				return -ENOMEM;
			p->ss_sp = ss.sp;
			p->ss_size = ss.size;
			p->ss_flags = 0;
		}
	}
	if (c->arg[1] && sys_tok_copyout(c->token, c->arg[1], sizeof(old), &old))
		return -EFAULT;
	return 0;
}
