/* Per-process memory state, created at a process's first memory call or fault. */
#include <relay/libsys.h>
#include <relay/errno.h>
#include "mm.h"

#define STACK_MAX (8ul << 20)	/* RLIMIT_STACK's default */
#define IMAGE_FLOOR (16ul << 12)	/* nothing is mapped below 64 KiB */

static struct mm_proc procs[MM_MAX_PROCS];

/* A new process record: the program image (loaded by the kernel) and the stack region. */
static struct mm_proc *mm_proc_new(struct call *c)
{
	word_t brk;
	for (int i = 0; i < MM_MAX_PROCS; i++) {
		struct mm_proc *p = &procs[i];
		if (p->pid)
			continue;
		if (sys_tok_get_reg(c->token, REG_BRK_BASE, &brk))
			return NULL;
		memset(p, 0, sizeof(*p));
		p->pid = (int)c->badge;
		p->brk_start = p->brk_cur = brk;
		/* The image: faults in it are never demand-zero (see mm_fault). */
		vma_insert(p, IMAGE_FLOOR, brk, PROT_MASK, VMA_IMAGE);
		vma_insert(p, mm_stack_top - STACK_MAX, mm_stack_top, 3, VMA_STACK);
		return p;
	}
	return NULL;
}

/* The memory record of the caller (by its badge, the pid), made on first use. */
struct mm_proc *mm_proc_of(struct call *c)
{
	for (int i = 0; i < MM_MAX_PROCS; i++)
		if (procs[i].pid && procs[i].pid == (int)c->badge)
			return &procs[i];
	return mm_proc_new(c);
}
