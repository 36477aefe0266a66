/*
 * Timed replies: a server answers a call later than now (nanosleep) by handing the kernel
 * the token, a deadline and the value; the timer tick replies when the deadline passes.
 * A token the server used up meanwhile (an early reply) is skipped.
 */
#include "native.h"
#include "kernel.h"
#include <relay/errno.h>

static struct thread *sleep_head;	/* sorted by wake_at */

/* Whether some thread waits for a timed reply. */
bool timer_pending(void)
{
	if (sleep_head)
		return true;
	for (int i = 0; i < MAX_ENDPOINTS; i++)
		if (endpoints[i].notify_at)
			return true;
	return false;
}

/* Reply to every timed call whose deadline is <= now. */
void timer_expire(uint64_t now)
{
	while (sleep_head && sleep_head->wake_at <= now) {
		struct thread *t = sleep_head;
		sleep_head = t->sleep_next;
		t->sleep_next = NULL;
		if (t->state != T_REPLY || t->gen != t->wake_gen)
			continue;	/* replied to, or dead, meanwhile */
		t->holder = NULL;
		t->gen++;
		arch_regs_set_linux_ret(&t->regs, t->wake_value);
		t->state = T_READY;
		if (!upcall_check(t, true))
			sched_ready(t);
	}
	for (int i = 0; i < MAX_ENDPOINTS; i++)
		if (endpoints[i].notify_at && endpoints[i].notify_at <= now) {
			endpoints[i].notify_at = 0;
			ipc_notify(i, NOTIFY_TIMER);
		}
}

/* Take t off the list (it is being freed). */
void timer_cancel(struct thread *t)
{
	for (struct thread **pp = &sleep_head; *pp; pp = &(*pp)->sleep_next)
		if (*pp == t) {
			*pp = t->sleep_next;
			t->sleep_next = NULL;
			return;
		}
}

/* tok_reply_at(token, deadline_ns, value): reply value to token's Linux call when the
 * monotonic clock reaches deadline_ns. The server may still reply earlier itself. */
void nat_tok_reply_at(struct thread *t)
{
	struct thread *c = token_thread(t), **pp = &sleep_head;
	if (!c || c->kind != CALL_LINUX)
		return set_result(t, -EINVAL);
	for (struct thread *q = sleep_head; q; q = q->sleep_next)
		if (q == c && c->wake_gen == c->gen)
			return set_result(t, -EBUSY);
	timer_cancel(c);	/* an earlier call's entry, answered early by its server */
	c->wake_at = W(t, 1);
	c->wake_value = W(t, 2);
	c->wake_gen = c->gen;
	while (*pp && (*pp)->wake_at <= c->wake_at)
		pp = &(*pp)->sleep_next;
	c->sleep_next = *pp;
	*pp = c;
	set_result(t, 0);
}
