/*
 * The pager's native calls (only the task serving the "mm" route class): map, unmap and
 * query pages of any task named by a task handle, and take, give back and copy frames.
 * A task handle comes from tok_task() on a call or fault of that task, or from tok_fork().
 */
#include "native.h"
#include "frame.h"
#include "kstring.h"
#include <relay/errno.h>

/* The task a pager names by the handle in w0, or NULL (not the pager, stale handle). */
static struct task *pager_target(struct thread *t)
{
	return t->task->is_pager ? task_from_handle(W(t, 0)) : NULL;
}

static bool frame_ok(word_t pa)
{
	return pa && !(pa & (PAGE_SIZE - 1)) && pa < PHYS_MAP_SIZE;
}

/* vs_map(task, va, pa, prot): map frame pa at page va with VM_READ/WRITE/EXEC prot. */
void nat_vs_map(struct thread *t)
{
	struct task *tk = pager_target(t);
	word_t va = W(t, 1), pa = W(t, 2), prot = W(t, 3);
	if (!tk || va & (PAGE_SIZE - 1) || va >= USER_TOP || !frame_ok(pa) ||
	    prot & ~(word_t)(VM_READ | VM_WRITE | VM_EXEC))
		return set_result(t, -EINVAL);
	set_result(t, arch_vs_map(&tk->vs, va, pa, (unsigned)prot | VM_USER));
}

/* vs_unmap(task, va) -> w1 = the frame that was mapped there, or 0. */
void nat_vs_unmap(struct thread *t)
{
	struct task *tk = pager_target(t);
	word_t va = W(t, 1);
	if (!tk || va & (PAGE_SIZE - 1) || va >= USER_TOP)
		return set_result(t, -EINVAL);
	arch_regs_set_mr(&t->regs, 1, arch_vs_unmap(&tk->vs, va));
	set_result(t, 0);
}

/* vs_query(task, va) -> w1 = frame, w2 = VM_* prot; -EFAULT if nothing is mapped. */
void nat_vs_query(struct thread *t)
{
	struct task *tk = pager_target(t);
	paddr_t pa;
	unsigned prot;
	if (!tk || W(t, 1) >= USER_TOP)
		return set_result(t, -EINVAL);
	if (arch_vs_lookup(&tk->vs, W(t, 1), &pa, &prot))
		return set_result(t, -EFAULT);
	arch_regs_set_mr(&t->regs, 1, ALIGN_DOWN(pa, PAGE_SIZE));
	arch_regs_set_mr(&t->regs, 2, prot);
	set_result(t, 0);
}

#define VS_NEXT_MAX_PAGES 4096	/* bound the kernel time of one call */

/* vs_next(task, va, end) -> the first mapped page in [va, end): w1 = its va, w2 = frame,
 * w3 = prot; -ENOENT if none; -EAGAIN with w1 = where to go on if the scan was cut short. */
void nat_vs_next(struct thread *t)
{
	struct task *tk = pager_target(t);
	word_t va = ALIGN_DOWN(W(t, 1), PAGE_SIZE), end = W(t, 2);
	if (!tk)
		return set_result(t, -EINVAL);
	if (end > USER_TOP)
		end = USER_TOP;
	for (int n = 0; va < end; va += PAGE_SIZE, n++) {
		paddr_t pa;
		unsigned prot;
		if (n == VS_NEXT_MAX_PAGES) {
			arch_regs_set_mr(&t->regs, 1, va);
			return set_result(t, -EAGAIN);
		}
		vaddr_t next = arch_vs_skip_hole(&tk->vs, va);
		if (next != va) {	/* no table here: jump past it */
			va = next - PAGE_SIZE;
			continue;
		}
		if (arch_vs_lookup(&tk->vs, va, &pa, &prot))
			continue;
		arch_regs_set_mr(&t->regs, 1, va);
		arch_regs_set_mr(&t->regs, 2, ALIGN_DOWN(pa, PAGE_SIZE));
		arch_regs_set_mr(&t->regs, 3, prot);
		return set_result(t, 0);
	}
	set_result(t, -ENOENT);
}

/* frame_alloc() -> a zeroed frame, or -ENOMEM. */
void nat_frame_alloc(struct thread *t)
{
	paddr_t pa;
	if (!t->task->is_pager)
		return set_result(t, -EPERM);
	pa = frame_alloc();
	set_result(t, pa ? pa : (word_t)-ENOMEM);
}

/* frame_free(pa): a frame mapped nowhere any more goes back to the kernel. */
void nat_frame_free(struct thread *t)
{
	if (!t->task->is_pager)
		return set_result(t, -EPERM);
	if (!frame_ok(W(t, 0)))
		return set_result(t, -EINVAL);
	frame_free(W(t, 0));
	set_result(t, 0);
}

/* frame_copy(dst, src): copy one page (copy-on-write). */
void nat_frame_copy(struct thread *t)
{
	if (!t->task->is_pager)
		return set_result(t, -EPERM);
	if (!frame_ok(W(t, 0)) || !frame_ok(W(t, 1)))
		return set_result(t, -EINVAL);
	memcpy(P2V(W(t, 0)), P2V(W(t, 1)), PAGE_SIZE);
	set_result(t, 0);
}
