/*
 * Delivery: an interrupted thread's upcall (LABEL_UPCALL), a fatal fault (LABEL_KILL from
 * the kernel), and rt_sigreturn. Linux's do_signal / handle_signal / setup_rt_frame, with
 * the thread's registers read and written through its held call.
 */
#include <relay/libsys.h>
#include <relay/errno.h>
#include <relay/proto/sig.h>
#include <relay/sigframe.h>
#include "sig.h"

/* Default actions of signals 1..31 other than ignore: 'c' core dump, 's' stop, 't' end. */
static const char default_action[33] = "-ttccccccttcttttt--ssss-cctt-ttc";

/* Lay si out as the program's siginfo_t (128 bytes). */
void sig_info_layout(const struct ksiginfo *si, uint8_t out[128])
{
	int32_t head[4] = { si->signo, 0, si->code, 0 };
	memset(out, 0, 128);
	memcpy(out, head, sizeof(head));
	if (si->code > 0 && si->code < SI_KERNEL && si->signo != SIGCHLD) {
		memcpy(out + 16, &si->addr, 8);	/* a fault: si_addr */
		return;
	}
	memcpy(out + 16, &si->pid, 4);
	memcpy(out + 20, &si->uid, 4);
	if (si->signo == SIGCHLD) {
		int32_t status = (int32_t)si->value;
		memcpy(out + 24, &status, 4);
	} else {
		memcpy(out + 24, &si->value, 8);
	}
}

/* End (or stop) the thread whose call is token through proc: its default action. */
static long sig_default(word_t token, int sig)
{
	char a = sig < 32 ? default_action[sig] : 't';
	if (sig_proc_ep < 0)
		return -ENOSYS;
	if (a == 's')
		sys_tok_forward(token, sig_proc_ep, PROC_SIG_STOP, (word_t)sig, 0);
	else
		sys_tok_forward(token, sig_proc_ep, PROC_SIG_EXIT, (word_t)sig | (a == 'c' ? 0x80 : 0), 0);
	return CALL_DEFERRED;
}

static bool on_altstack(const struct sproc *p, word_t sp)
{
	return !(p->ss_flags & SS_DISABLE) && sp > p->ss_sp && sp - p->ss_sp <= p->ss_size;
}

/* A call that returned a restart code: restart it or make it -EINTR, as Linux does with
 * (handler: whether a handler is about to run, and its SA_RESTART). */
static void fix_restart(struct relay_uregs *u, bool handler, bool sa_restart)
{
	long res = (long)UREGS_RET(u);
	if (u->orig_nr == ~0ul)
		return;
	if (res == -ERESTARTNOINTR || (res == -ERESTARTSYS && (!handler || sa_restart)) ||
	    (res == -ERESTARTNOHAND && !handler))
		sigframe_restart_syscall(u);
	else if (res == -ERESTART_RESTARTBLOCK && !handler)
		sigframe_restart_block(u);
	else if (res == -ERESTARTSYS || res == -ERESTARTNOHAND || res == -ERESTART_RESTARTBLOCK)
		UREGS_RET(u) = (word_t)-EINTR;
}

/* Run sig's handler in the thread of token: frame on its stack (or the alternate stack),
 * registers to the handler, mask updated. 0, or -EFAULT if the frame could not be written. */
static long run_handler(struct sproc *p, word_t token, struct relay_uregs *u,
			const struct ksiginfo *si)
{
	struct k_sigaction *act = &p->act[si->signo];
	uint8_t info[128];
	struct sigframe_args a = {
		.sig = si->signo, .handler = act->handler,
		.restorer = act->flags & SA_RESTORER ? act->restorer : 0, .info = info,
		.mask = p->has_saved_mask ? p->saved_mask : p->blocked,
		.ss_sp = p->ss_sp, .ss_size = p->ss_size,
		.ss_flags = p->ss_flags & SS_DISABLE ? SS_DISABLE :
			    on_altstack(p, UREGS_SP(u)) ? SS_ONSTACK : 0,
	};
	sig_info_layout(si, info);
	if ((act->flags & SA_ONSTACK) && !(p->ss_flags & SS_DISABLE) && !on_altstack(p, UREGS_SP(u)))
		a.sp = p->ss_sp + p->ss_size;
	else
		a.sp = UREGS_SP(u) - sigframe_red_zone;
	if (sigframe_push(token, u, &a) || sys_tok_set_regs(token, u))
		return -EFAULT;
	p->has_saved_mask = false;
	p->blocked |= (act->mask | (act->flags & SA_NODEFER ? 0 : SIG_BIT(si->signo))) & ~UNBLOCKABLE;
	if (act->flags & SA_RESETHAND)
		memset(act, 0, sizeof(*act));
	return 0;
}

/* The delivery loop for the thread of token (its registers valid: a syscall result in
 * them if from_syscall). Returns 0 (reply: it resumes) or CALL_DEFERRED (forwarded). */
static long deliver(struct sproc *p, word_t token, bool from_syscall)
{
	struct relay_uregs u;
	struct ksiginfo si;
	if (sys_tok_get_regs(token, &u))
		return 0;
	if (!from_syscall)
		u.orig_nr = ~0ul;
	for (;;) {
		int sig = sig_next(p, ~p->blocked);
		if (!sig)
			break;
		sig_dequeue(p, sig, &si);
		if (p->act[sig].handler == SIG_IGN)
			continue;
		if (p->act[sig].handler == SIG_DFL) {
			char a = sig < 32 ? default_action[sig] : 't';
			if (a == '-')
				continue;
			if (a == 's') {	/* stopped: the call restarts once continued */
				fix_restart(&u, false, false);
				sys_tok_set_regs(token, &u);
			}
			return sig_default(token, sig);
		}
		fix_restart(&u, true, p->act[sig].flags & SA_RESTART);
		if (run_handler(p, token, &u, &si))
			return sig_default(token, SIGSEGV);	/* no room for the frame */
		sig_wake_if_deliverable(p);	/* another one: the next upcall takes it */
		return 0;
	}
	fix_restart(&u, false, false);
	if (p->has_saved_mask) {
		p->blocked = p->saved_mask;
		p->has_saved_mask = false;
	}
	sys_tok_set_regs(token, &u);
	return 0;
}

/* LABEL_UPCALL(flags, last call nr, pc): the interrupted thread asks for its signals. */
long sig_upcall(struct call *c)
{
	struct sproc *p = sproc_caller(c);
	if (!p)
		return 0;
	return deliver(p, c->token, c->arg[0] & UPCALL_FROM_SYSCALL);
}

/* LABEL_KILL(addr, signal | si_code << 8, pc): a fault nobody resolved. Caught if the
 * program has a handler and the signal is not blocked; else proc ends the process. */
long sig_fault(struct call *c)
{
	struct sproc *p = sproc_caller(c);
	int sig = (int)(c->arg[1] & 0x7f);
	if (!p || sig < 1 || sig > NSIG || (p->blocked & SIG_BIT(sig)) ||
	    p->act[sig].handler <= SIG_IGN) {
		if (sig_proc_ep < 0)
			return -ENOSYS;
		sys_tok_pass(c->token, sig_proc_ep);	/* proc: LABEL_KILL, core dumped */
		return CALL_DEFERRED;
	}
	struct ksiginfo si = { .signo = sig, .code = (int)((c->arg[1] >> 8) & 0xff),
			       .addr = c->arg[0] };
	p->std_info[sig] = si;
	p->pending |= SIG_BIT(sig);
	return deliver(p, c->token, false);
}

/* rt_sigreturn: restore what the handler's frame saved; the mask it saved comes back. */
long sig_do_rt_sigreturn(struct call *c)
{
	struct sproc *p = sproc_caller(c);
	struct relay_uregs u;
	uint64_t mask;
	if (!p || sys_tok_get_regs(c->token, &u))
		return -EINVAL;
	if (sigframe_pop(c->token, &u, &mask) || sys_tok_set_regs(c->token, &u))
		return sig_default(c->token, SIGSEGV);
	p->blocked = mask & ~UNBLOCKABLE;
	sig_wake_if_deliverable(p);
	return (long)UREGS_RET(&u);	/* the reply writes the return register: keep it */
}
