/*
 * Thread interruption and upcalls: the mechanism under signal delivery, with no signal
 * semantics in the kernel. The server that serves the `sig` route class may interrupt a
 * task's thread. The thread then makes a call (LABEL_UPCALL) to that server's endpoint at
 * the first point where it would otherwise resume user code:
 *   - ready (preempted, or its last call answered but not yet run): at once;
 *   - in a call that a server holds (a deferred pipe read, wait4, ...): the holder gets
 *     NOTIFY_CANCEL and may answer early (-EINTR, or a restart code); the upcall follows
 *     the answer (a kernel timed reply too: its holder answers it early);
 *   - in a call still queued: when a server receives it, the server gets NOTIFY_CANCEL.
 * In the upcall the server reads and rewrites the thread's registers (tok_get_regs,
 * tok_set_regs) and replies, which resumes it. tok_forward hands such a call on with new
 * words (to proc: end or stop the process).
 */
#include "native.h"
#include "kernel.h"
#include "kstring.h"
#include <relay/errno.h>
#include <relay/arch/uregs.h>

/* Make t (on no queue) call endpoint ep with label and the words w0, w1 and its pc. */
static void kernel_made_call(struct thread *t, int ep, uint32_t label, word_t w0, word_t w1)
{
	t->msg[0] = w0;
	t->msg[1] = w1;
	t->msg[2] = arch_regs_get(&t->regs, ARCH_REG_PC);
	t->msg[3] = 0;
	t->label = label;
	t->kind = CALL_UPCALL;
	ipc_pass(t, ep);
}

/* Turn t (ready or just answered, on no queue) into its upcall: a new call, a new token. */
void upcall_post(struct thread *t, bool from_syscall)
{
	t->upcall_pending = false;
	t->gen++;
	kernel_made_call(t, t->upcall_ep, LABEL_UPCALL, from_syscall ? UPCALL_FROM_SYSCALL : 0,
			 t->sys_nr);
}

/* task_interrupt(task handle): see the top of this file. */
void nat_task_interrupt(struct thread *t)
{
	struct task *tk = task_from_handle(W(t, 0));
	if (!t->task->is_sigmgr || t->task->ep < 0 || !tk || tk->is_server)
		return set_result(t, -EINVAL);
	struct thread *th = tk->first;
	if (!th)
		return set_result(t, -ESRCH);
	set_result(t, 0);
	th->upcall_ep = (int8_t)t->task->ep;
	if (th->upcall_pending)
		return;
	th->upcall_pending = true;
	if (th->state == T_READY) {
		/* Even with a call's answer not yet seen, there is nothing to restart: servers
		 * answer restart codes only to interrupted calls, whose upcall follows the
		 * answer (ipc_reply). */
		sched_unready(th);
		upcall_post(th, false);
	} else if (th->state == T_REPLY && th->holder && th->holder->ep >= 0) {
		ipc_notify(th->holder->ep, NOTIFY_CANCEL);
	}
	/* T_SEND: the server that receives the call is notified then (ipc.c deliver). */
}

/* tok_interrupted(token): 1 if token's caller was interrupted and waits for its answer to
 * make its upcall, else 0. */
void nat_tok_interrupted(struct thread *t)
{
	struct thread *c = token_thread(t);
	if (!c)
		return set_result(t, -EINVAL);
	set_result(t, c->upcall_pending);
}

/* tok_get_regs(token, buf, len) / tok_set_regs(token, buf, len): the caller's user
 * context as struct relay_uregs; set checks it is a valid user context (-EINVAL). */
void nat_tok_get_regs(struct thread *t)
{
	struct thread *c = token_thread(t);
	struct relay_uregs u;
	if (!c || W(t, 2) != sizeof(u))
		return set_result(t, -EINVAL);
	arch_regs_sync(&c->regs);
	memset(&u, 0, sizeof(u));
	arch_regs_to_uregs(&c->regs, &u, c->fault_addr);
	u.orig_nr = c->sys_nr;
	u.orig_arg0 = c->sys_arg0;
	set_result(t, vs_copy(&t->task->vs, W(t, 1), &u, sizeof(u), true) ? -EFAULT : 0);
}

void nat_tok_set_regs(struct thread *t)
{
	struct thread *c = token_thread(t);
	struct relay_uregs u;
	if (!c || W(t, 2) != sizeof(u))
		return set_result(t, -EINVAL);
	if (vs_copy(&t->task->vs, W(t, 1), &u, sizeof(u), false))
		return set_result(t, -EFAULT);
	arch_regs_reset(&c->regs);	/* the CPU's lazily held FP state is no longer c's */
	set_result(t, arch_regs_from_uregs(&c->regs, &u));
	c->sys_nr = u.orig_nr;
	c->sys_arg0 = u.orig_arg0;
}

/* tok_forward(token, ep, label, w0, w1): hand the call on to endpoint ep as a call with
 * this label (< LABEL_LINUX) and words; the caller's registers are untouched. */
void nat_tok_forward(struct thread *t)
{
	struct thread *c = token_thread(t);
	word_t ep = W(t, 1), label = W(t, 2);
	if (!c || ep >= MAX_ENDPOINTS || !endpoints[ep].owner || label >= LABEL_LINUX)
		return set_result(t, -EINVAL);
	set_result(t, 0);
	kernel_made_call(c, (int)ep, (uint32_t)label, W(t, 3), W(t, 4));
}

/* notify_at(deadline_ns): NOTIFY_TIMER on one's own endpoint when the monotonic clock
 * reaches deadline_ns (0: cancel). One deadline per endpoint; a new one replaces it. */
void nat_notify_at(struct thread *t)
{
	if (t->task->ep < 0)
		return set_result(t, -EINVAL);
	endpoints[t->task->ep].notify_at = W(t, 0);
	set_result(t, 0);
}
