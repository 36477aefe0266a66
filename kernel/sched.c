/*
 * Threads and the scheduler: a FIFO ready queue, round-robin on the timer tick,
 * and direct switches for IPC (the fastpath hands the CPU to the thread it wakes
 * without a trip through the queue).
 */
#include "object.h"
#include "kernel.h"
#include "kstring.h"

struct thread threads[MAX_THREADS];
static struct thread *current;
static struct thread *ready_head, *ready_tail;
static bool in_idle;
static uint64_t ticks;

/* &current->regs, kept in a variable so that entry code can load it in one instruction. */
struct arch_regs *kernel_cur_regs;

struct thread *kernel_current(void) { return current; }
struct arch_regs *kernel_current_regs(void) { return kernel_cur_regs; }

/* A free thread slot bound to task t, state T_FREE until made ready; NULL if none. */
struct thread *thread_alloc(struct task *t)
{
	for (int i = 0; i < MAX_THREADS; i++) {
		struct thread *th = &threads[i];
		if (th->task)
			continue;
		uint32_t gen = th->gen;
		memset(th, 0, sizeof(*th));
		th->id = (uint16_t)i;
		th->gen = gen + 1;
		th->task = t;
		th->ep = -1;
		if (!t->nthreads++)
			t->first = th;
		return th;
	}
	return NULL;
}

/* Take t off the ready queue if it is there. */
void sched_unready(struct thread *t)
{
	struct thread *prev = NULL;
	for (struct thread *q = ready_head; q; prev = q, q = q->next) {
		if (q != t)
			continue;
		if (prev)
			prev->next = q->next;
		else
			ready_head = q->next;
		if (ready_tail == q)
			ready_tail = prev;
		q->next = NULL;
		return;
	}
}

/* Release a thread (off every queue: ready, endpoint, timer). */
void thread_free(struct thread *th)
{
	timer_cancel(th);
	arch_regs_reset(&th->regs);
	if (th->state == T_READY)
		sched_unready(th);
	th->task->nthreads--;
	if (th->task->first == th)
		th->task->first = NULL;	/* one thread per task today: none is left */
	th->task = NULL;
	th->state = T_FREE;
	th->gen++;		/* outstanding tokens to it die */
}

/* Append t to the ready queue. */
void sched_ready(struct thread *t)
{
	t->state = T_READY;
	t->next = NULL;
	if (ready_tail)
		ready_tail->next = t;
	else
		ready_head = t;
	ready_tail = t;
}

static struct thread *ready_pop(void)
{
	struct thread *t = ready_head;
	if (t) {
		ready_head = t->next;
		if (!ready_head)
			ready_tail = NULL;
		t->next = NULL;
	}
	return t;
}

/* Make next the running thread (the caller has already put current where it belongs). */
void sched_switch(struct thread *next)
{
	struct thread *prev = current;
	next->state = T_RUNNING;
	current = next;
	kernel_cur_regs = &next->regs;
	if (prev != next)
		arch_switch_to(prev && prev->task ? &prev->regs : NULL, &next->regs, &next->task->vs);
}

/* The current thread stopped running (blocked or died): run the next ready one. */
void sched_block_current(void)
{
	struct thread *next;
	while (!(next = ready_pop())) {
		if (timer_pending() || irq_waiting()) {	/* a timed reply or a device will wake someone */
			in_idle = true;
			arch_idle();
			in_idle = false;
			continue;
		}
		/* Nothing to run and nothing that could wake anyone: every thread waits
		 * for another. */
		kprintf("relay: deadlock: no thread can run\n");
		for (int i = 0; i < MAX_THREADS; i++)
			if (threads[i].task)
				kprintf("  thread %d (%s) state %d ep %d\n", i, threads[i].task->name,
					threads[i].state, threads[i].ep);
		panic("all threads are blocked");
	}
	sched_switch(next);
}

/* Run the first ready thread (boot). */
void sched_start(void)
{
	struct thread *next = ready_pop();
	if (!next)
		panic("no thread to start");
	sched_switch(next);
}

void kernel_timer_tick(void)
{
	ticks++;
	timer_expire(arch_now_ns());
	if (in_idle || !current || current->state != T_RUNNING || !ready_head)
		return;
	sched_ready(current);
	sched_switch(ready_pop());
}
