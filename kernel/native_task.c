/*
 * The process manager's native calls (only the task serving the "proc" route class, and
 * tok_task for any server holding a token): new tasks for fork, starting threads.
 */
#include "native.h"
#include "kstring.h"
#include <relay/errno.h>

/* tok_task(token) -> w1 = the handle of the caller's task, w2 = its badge, w3 = the end of
 * its loaded program (for the pager and proc). */
void nat_tok_task(struct thread *t)
{
	struct thread *c = token_thread(t);
	if (!c)
		return set_result(t, -EINVAL);
	arch_regs_set_mr(&t->regs, 1, task_handle(c->task));
	arch_regs_set_mr(&t->regs, 2, c->badge);
	arch_regs_set_mr(&t->regs, 3, c->task->brk_base);
	set_result(t, 0);
}

/* tok_fork(token, sp) -> w1 = child task handle, w2 = child thread id: a new task with an
 * empty address space (same pager) and a suspended thread with the caller's registers,
 * returning 0 from the system call, on stack sp if sp is not 0. -EAGAIN if out of slots. */
void nat_tok_fork(struct thread *t)
{
	struct thread *c = t->task->is_procmgr ? token_thread(t) : NULL;
	word_t sp = W(t, 1);
	if (!c || sp >= USER_TOP)
		return set_result(t, -EINVAL);
	struct task *child = task_create(c->task->name);
	if (!child)
		return set_result(t, -EAGAIN);
	struct thread *th = thread_alloc(child);
	if (!th) {
		task_destroy(child);
		return set_result(t, -EAGAIN);
	}
	child->pager_ep = c->task->pager_ep;
	child->brk_base = c->task->brk_base;
	if (task_map_sigtramp(child)) {
		thread_free(th);
		task_destroy(child);
		return set_result(t, -EAGAIN);
	}
	arch_regs_sync(&c->regs);	/* FP state the CPU may still hold for the parent */
	arch_regs_reset(&th->regs);	/* the slot may have been a dead thread's */
	th->regs = c->regs;
	arch_regs_set_linux_ret(&th->regs, 0);
	if (sp)
		arch_regs_set(&th->regs, ARCH_REG_SP, sp);
	th->state = T_SUSPENDED;
	arch_regs_set_mr(&t->regs, 1, task_handle(child));
	arch_regs_set_mr(&t->regs, 2, th->id);
	set_result(t, 0);
}

/* thread_start(tid, badge, discard): label a suspended thread (its pid) and let it run;
 * or, with discard, destroy it (and its task with its last thread): a fork that failed. */
void nat_thread_start(struct thread *t)
{
	word_t id = W(t, 0);
	struct thread *th = &threads[id < MAX_THREADS ? id : 0];
	if (!t->task->is_procmgr || id >= MAX_THREADS || !th->task || th->state != T_SUSPENDED)
		return set_result(t, -EINVAL);
	set_result(t, 0);
	if (W(t, 2)) {
		struct task *tk = th->task;
		thread_free(th);
		if (tk->nthreads == 0)
			task_destroy(tk);
		return;
	}
	th->badge = (uint32_t)W(t, 1);
	if (!upcall_check(th, false))
		sched_ready(th);
}
