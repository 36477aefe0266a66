/*
 * Synchronous IPC: call, receive, reply. A call blocks the caller until a server
 * replies through the call's token; a receiver waiting on the endpoint gets the
 * message at once and the CPU switches straight to it (the fastpath).
 *
 * The token of a call is (generation << 16 | caller thread id): every thread has
 * at most one outstanding call, so the token needs no allocation, and bumping the
 * generation at each call (and when a thread dies) invalidates stale tokens.
 */
#include "object.h"
#include "kernel.h"

struct endpoint endpoints[MAX_ENDPOINTS];

static void q_push(struct thread **head, struct thread **tail, struct thread *t)
{
	t->next = NULL;
	if (*tail)
		(*tail)->next = t;
	else
		*head = t;
	*tail = t;
}

static struct thread *q_pop(struct thread **head, struct thread **tail)
{
	struct thread *t = *head;
	if (t) {
		*head = t->next;
		if (!*head)
			*tail = NULL;
		t->next = NULL;
	}
	return t;
}

static word_t token_of(const struct thread *t)
{
	return ((word_t)t->gen << 16) | t->id;
}

/* Copy caller's message into receiver's registers; the receiver's task now holds the token. */
static void deliver(struct thread *rcv, struct thread *caller)
{
	struct arch_regs *r = &rcv->regs;
	arch_regs_set_mr(r, 0, token_of(caller));
	arch_regs_set_mr(r, 1, caller->label | ((word_t)caller->badge << 32));
	const struct arch_regs *c = &caller->regs;
	if (caller->kind == CALL_LINUX) {	/* unrolled: constant indices fold to fields */
		arch_regs_set_mr(r, 2, arch_regs_linux_arg(c, 0));
		arch_regs_set_mr(r, 3, arch_regs_linux_arg(c, 1));
		arch_regs_set_mr(r, 4, arch_regs_linux_arg(c, 2));
		arch_regs_set_mr(r, 5, arch_regs_linux_arg(c, 3));
		arch_regs_set_mr(r, 6, arch_regs_linux_arg(c, 4));
		arch_regs_set_mr(r, 7, arch_regs_linux_arg(c, 5));
	} else if (caller->kind == CALL_UPCALL) {
		arch_regs_set_mr(r, 2, caller->msg[0]);
		arch_regs_set_mr(r, 3, caller->msg[1]);
		arch_regs_set_mr(r, 4, caller->msg[2]);
		arch_regs_set_mr(r, 5, caller->msg[3]);
		arch_regs_set_mr(r, 6, 0);
		arch_regs_set_mr(r, 7, 0);
	} else if (caller->kind == CALL_FAULT) {
		arch_regs_set_mr(r, 2, caller->fault_addr);
		arch_regs_set_mr(r, 3, caller->fault_flags);
		arch_regs_set_mr(r, 4, arch_regs_get(c, ARCH_REG_PC));
		arch_regs_set_mr(r, 5, 0);
		arch_regs_set_mr(r, 6, 0);
		arch_regs_set_mr(r, 7, 0);
	} else {
		arch_regs_set_mr(r, 2, arch_regs_mr(c, 2));
		arch_regs_set_mr(r, 3, arch_regs_mr(c, 3));
		arch_regs_set_mr(r, 4, arch_regs_mr(c, 4));
		arch_regs_set_mr(r, 5, arch_regs_mr(c, 5));
		arch_regs_set_mr(r, 6, arch_regs_mr(c, 6));
		arch_regs_set_mr(r, 7, arch_regs_mr(c, 7));
	}
	caller->state = T_REPLY;
	caller->holder = rcv->task;
	caller->ep = -1;
	if (unlikely(caller->upcall_pending) && rcv->task->ep >= 0)
		ipc_notify(rcv->task->ep, NOTIFY_CANCEL);	/* interrupted while queued */
}

/* Put caller's call on endpoint ep: hand it to a waiting receiver (returned, not
 * queued anywhere) or queue it (returns NULL). */
static struct thread *ipc_post(struct thread *caller, int ep)
{
	struct endpoint *e = &endpoints[ep];
	struct thread *r = q_pop(&e->recv_head, &e->recv_tail);
	if (!r) {
		caller->state = T_SEND;
		caller->ep = ep;
		q_push(&e->send_head, &e->send_tail, caller);
		return NULL;
	}
	r->ep = -1;
	deliver(r, caller);
	return r;
}

/* The current thread calls endpoint ep (a forwarded Linux call or a native call):
 * it blocks until replied; a waiting receiver runs next. */
void ipc_send_call(struct thread *caller, int ep, uint32_t label, enum call_kind kind)
{
	caller->gen++;
	caller->label = label;
	caller->kind = kind;
	struct thread *r = ipc_post(caller, ep);
	if (r)
		sched_switch(r);
	else
		sched_block_current();
}

/* Hand an already received call (its token held by the current task) to endpoint ep.
 * A receiver that gets it becomes ready; the current thread continues. */
void ipc_pass(struct thread *caller, int ep)
{
	struct thread *r = ipc_post(caller, ep);
	if (r)
		sched_ready(r);
}

/* Hand rcv the endpoint's pending notification bits (token 0, LABEL_NOTIFY) and clear them. */
static void deliver_notify(struct thread *rcv, struct endpoint *e)
{
	struct arch_regs *r = &rcv->regs;
	arch_regs_set_mr(r, 0, 0);
	arch_regs_set_mr(r, 1, LABEL_NOTIFY);
	arch_regs_set_mr(r, 2, e->notify_bits);
	for (int i = 3; i < MSG_WORDS; i++)
		arch_regs_set_mr(r, i, 0);
	e->notify_bits = 0;
}

/* Set bits in ep's notification word: a receiver waiting there gets them at once (it
 * becomes ready), else the next receive does, before any queued call. Never blocks. */
void ipc_notify(int ep, word_t bits)
{
	struct endpoint *e = &endpoints[ep];
	e->notify_bits |= bits;
	struct thread *r = q_pop(&e->recv_head, &e->recv_tail);
	if (!r)
		return;
	r->ep = -1;
	deliver_notify(r, e);
	sched_ready(r);
}

/* self (current) receives on ep: pending notifications first, then a queued call, or it
 * blocks. */
void ipc_recv(struct thread *self, int ep)
{
	struct endpoint *e = &endpoints[ep];
	if (unlikely(e->notify_bits)) {
		deliver_notify(self, e);
		return;
	}
	struct thread *caller = q_pop(&e->send_head, &e->send_tail);
	if (caller) {
		deliver(self, caller);
		return;
	}
	self->state = T_RECV;
	self->ep = ep;
	q_push(&e->recv_head, &e->recv_tail, self);
	sched_block_current();
}

/* The thread whose outstanding call `token` names, if `holder` holds it; else NULL. */
struct thread *ipc_token_thread(struct task *holder, word_t token)
{
	word_t id = token & 0xffff;
	if (id >= MAX_THREADS)
		return NULL;
	struct thread *t = &threads[id];
	if (!t->task || t->state != T_REPLY || t->holder != holder || (token >> 16) != t->gen)
		return NULL;
	return t;
}

/* Reply once to token with the replier's words w2..w7: the caller gets w2 as its Linux
 * return value, or w2..w7 in its w0..w5 for a native call; a faulting thread resumes
 * when w2 is 0 and is reported killed by signal -w2 (with its code << 8) otherwise; an
 * upcall's registers are left as the server set them. On success *out is the caller,
 * no longer T_REPLY and on no queue, which the caller of this function makes run (NULL
 * if it died or went on to an upcall, kernel/upcall.c). 0 or -EINVAL. */
int ipc_reply(struct thread *replier, word_t token, struct thread **out)
{
	struct thread *t = ipc_token_thread(replier->task, token);
	if (unlikely(!t))
		return -22;	/* EINVAL: not a live token of this task */
	if (likely(t->kind == CALL_LINUX)) {
		word_t res = arch_regs_mr(&replier->regs, 2);
		if (unlikely(kernel_trace))
			trace_linux_call(t, res);
		arch_regs_set_linux_ret(&t->regs, res);
	} else if (t->kind == CALL_FAULT) {
		long verdict = (long)arch_regs_mr(&replier->regs, 2);
		if (verdict) {
			t->gen++;
			t->holder = NULL;
			*out = NULL;
			fault_kill(t, (word_t)-verdict & 0xffff);
			return 0;
		}
	} else if (t->kind == CALL_UPCALL) {
		/* registers already set through tok_set_regs */
	} else {
		const struct arch_regs *w = &replier->regs;
		arch_regs_set_mr(&t->regs, 0, arch_regs_mr(w, 2));
		arch_regs_set_mr(&t->regs, 1, arch_regs_mr(w, 3));
		arch_regs_set_mr(&t->regs, 2, arch_regs_mr(w, 4));
		arch_regs_set_mr(&t->regs, 3, arch_regs_mr(w, 5));
		arch_regs_set_mr(&t->regs, 4, arch_regs_mr(w, 6));
		arch_regs_set_mr(&t->regs, 5, arch_regs_mr(w, 7));
	}
	t->holder = NULL;
	t->state = T_READY;
	t->gen++;		/* the token is used up */
	*out = upcall_check(t, t->kind == CALL_LINUX) ? NULL : t;
	return 0;
}

/* Take thread t off whatever endpoint queue it waits in (it is about to die). */
void ipc_cancel_thread(struct thread *t)
{
	if (t->state != T_SEND && t->state != T_RECV)
		return;
	struct endpoint *e = &endpoints[t->ep];
	struct thread **head = t->state == T_SEND ? &e->send_head : &e->recv_head;
	struct thread **tail = t->state == T_SEND ? &e->send_tail : &e->recv_tail;
	struct thread *prev = NULL;
	for (struct thread *q = *head; q; prev = q, q = q->next) {
		if (q != t)
			continue;
		if (prev)
			prev->next = q->next;
		else
			*head = q->next;
		if (*tail == q)
			*tail = prev;
		break;
	}
	t->ep = -1;
}
