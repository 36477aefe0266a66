/* Per-process memory records: made at a process's first memory call or fault (for
 * programs the kernel loaded), by fork (a copy), and released at exit or exec. */
#include <relay/libsys.h>
#include <relay/errno.h>
#include "mm.h"

#define STACK_MAX (8ul << 20)	/* RLIMIT_STACK's default */
#define IMAGE_FLOOR (16ul << 12)	/* nothing is mapped below 64 KiB */

static struct mm_proc procs[MM_MAX_PROCS];

struct mm_proc *mm_proc_find(int pid)
{
	for (int i = 0; i < MM_MAX_PROCS; i++)
		if (procs[i].pid && procs[i].pid == pid)
			return &procs[i];
	return NULL;
}

/* The record in slot i (0..MM_MAX_PROCS-1), NULL if free: for walks over every process. */
struct mm_proc *mm_proc_at(int i)
{
	return procs[i].pid ? &procs[i] : NULL;
}

/* An empty record for pid in task, or NULL when the table is full. */
struct mm_proc *mm_proc_alloc(int pid, word_t task)
{
	for (int i = 0; i < MM_MAX_PROCS; i++) {
		struct mm_proc *p = &procs[i];
		if (p->pid)
			continue;
		memset(p, 0, sizeof(*p));
		p->pid = pid;
		p->task = task;
		return p;
	}
	return NULL;
}

/* Describe what the kernel's loader mapped below brk as VMAs of equal protection. */
static void mm_proc_scan_image(struct mm_proc *p)
{
	word_t va = IMAGE_FLOOR, pa, run_start = 0, run_end = 0;
	unsigned prot, run_prot = 0;
	for (;;) {
		long r = sys_vs_next(p->task, &va, p->brk_start, &pa, &prot);
		if (r == -EAGAIN)
			continue;
		prot &= PROT_MASK;
		if (run_end && (r || va != run_end || prot != run_prot)) {
			vma_insert(p, run_start, run_end, run_prot, VMA_IMAGE);
			run_end = 0;
		}
		if (r)
			break;
		if (!run_end)
			run_start = va, run_prot = prot;
		run_end = va += mm_page;
	}
}

/* The record of a program the kernel loaded (image up to brk), seen for the first time. */
struct mm_proc *mm_proc_from_image(int pid, word_t task, word_t brk)
{
	struct mm_proc *p = mm_proc_alloc(pid, task);
	if (!p)
		return NULL;
	p->brk_start = p->brk_cur = brk;
	mm_proc_scan_image(p);
	vma_insert(p, mm_stack_top - STACK_MAX, mm_stack_top, 3, VMA_STACK);
	return p;
}

static struct mm_proc *mm_proc_new(struct call *c)
{
	struct tok_info ti;
	if (sys_tok_task(c->token, &ti))
		return NULL;
	return mm_proc_from_image((int)c->badge, ti.task, ti.brk_base);
}

/* The memory record of the caller (by its badge, the pid), made on first use. */
struct mm_proc *mm_proc_of(struct call *c)
{
	struct mm_proc *p = mm_proc_find((int)c->badge);
	return p ? p : mm_proc_new(c);
}

/* Give back every page of p and forget it. */
void mm_proc_release(struct mm_proc *p)
{
	for (int i = 0; i < p->nvma; i++)
		pages_unmap(p, p->vma[i].start, p->vma[i].end);
	p->pid = 0;
	files_collect();
}
