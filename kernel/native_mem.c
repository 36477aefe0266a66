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

struct first_page { vaddr_t va; paddr_t pa; unsigned prot; };

static int take_first(vaddr_t va, paddr_t pa, unsigned prot, void *p)
{
	struct first_page *f = p;
	*f = (struct first_page){ va, pa, prot };
	return 1;
}

/* vs_next(task, va, end) -> the first mapped page in [va, end): w1 = its va, w2 = frame,
 * w3 = prot; -ENOENT if none. */
void nat_vs_next(struct thread *t)
{
	struct task *tk = pager_target(t);
	struct first_page f = { 0, 0, 0 };
	vaddr_t va = ALIGN_DOWN(W(t, 1), PAGE_SIZE);
	if (!tk)
		return set_result(t, -EINVAL);
	arch_vs_scan(&tk->vs, &va, W(t, 2), take_first, &f);
	if (!f.pa)
		return set_result(t, -ENOENT);
	arch_regs_set_mr(&t->regs, 1, f.va);
	arch_regs_set_mr(&t->regs, 2, f.pa);
	arch_regs_set_mr(&t->regs, 3, f.prot);
	set_result(t, 0);
}

#define RANGE_MAX_FRAMES 256	/* frames reported by one range call */

struct range_ctx {
	struct task *tk, *child;
	bool shared;
	paddr_t frames[RANGE_MAX_FRAMES];
	long n;
};

/* Share one page with the child: writable in both if shared, else read-only in both. */
static int cow_page(vaddr_t va, paddr_t pa, unsigned prot, void *p)
{
	struct range_ctx *c = p;
	prot &= VM_READ | VM_WRITE | VM_EXEC;
	if (!c->shared && (prot & VM_WRITE)) {
		prot &= ~VM_WRITE;
		arch_vs_map(&c->tk->vs, va, pa, prot | VM_USER);
	}
	if (arch_vs_map(&c->child->vs, va, pa, prot | VM_USER))
		return -ENOMEM;
	c->frames[c->n++] = pa;
	return c->n == RANGE_MAX_FRAMES;
}

static int unmap_page(vaddr_t va, paddr_t pa, unsigned prot, void *p)
{
	struct range_ctx *c = p;
	(void)prot;
	arch_vs_unmap(&c->tk->vs, va);
	c->frames[c->n++] = pa;
	return c->n == RANGE_MAX_FRAMES;
}

/* Copy the frames a range call touched to the pager's buffer. */
static void range_result(struct thread *t, struct range_ctx *c, long n, vaddr_t va)
{
	if (n >= 0 && c->n && vs_copy(&t->task->vs, W(t, 4), c->frames, c->n * sizeof(paddr_t), true))
		n = -EFAULT;
	arch_regs_set_mr(&t->regs, 1, va);
	set_result(t, (word_t)n);
}

/* vs_cow_range(parent, child, start, end, buf, shared): give child the present pages of
 * [start, end) (copy-on-write unless shared), at most 256; their frames go to buf.
 * Returns the count, w1 = where to go on (end when done). */
void nat_vs_cow_range(struct thread *t)
{
	static struct range_ctx c;
	struct task *parent = pager_target(t), *child = task_from_handle(W(t, 1));
	vaddr_t va = ALIGN_DOWN(W(t, 2), PAGE_SIZE);
	if (!parent || !child)
		return set_result(t, -EINVAL);
	c.tk = parent;
	c.child = child;
	c.shared = W(t, 5) != 0;
	c.n = 0;
	int err = arch_vs_scan(&parent->vs, &va, W(t, 3), cow_page, &c);
	range_result(t, &c, err ? err : c.n, va);
}

/* vs_unmap_range(task, -, start, end, buf): unmap the present pages of [start, end), at
 * most 256; their frames go to buf. Returns the count, w1 = where to go on. */
void nat_vs_unmap_range(struct thread *t)
{
	static struct range_ctx c;
	struct task *tk = pager_target(t);
	vaddr_t va = ALIGN_DOWN(W(t, 2), PAGE_SIZE);
	if (!tk)
		return set_result(t, -EINVAL);
	c.tk = tk;
	c.n = 0;
	int err = arch_vs_scan(&tk->vs, &va, W(t, 3), unmap_page, &c);
	range_result(t, &c, err ? err : c.n, va);
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
