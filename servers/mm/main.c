/* mm server: start-up, the receive loop, and page faults (the pager's half). */
#include <relay/libsys.h>
#include <relay/server.h>
#include <relay/errno.h>
#include <relay/gen/sysnr.h>
#include <relay/proto/mm.h>
#include "mm.h"

#define SIGBUS 7
#define SIGSEGV 11
/* A fatal fault's verdict: -(signal | si_code << 8). */
#define SEGV_MAPERR_V (SIGSEGV | 1 << 8)	/* no mapping there */
#define SEGV_ACCERR_V (SIGSEGV | 2 << 8)	/* the mapping forbids the access */

extern const call_handler_t *const dispatch_table;
word_t mm_page, mm_user_top, mm_stack_top;

/* An access by p at addr: demand-zero in a mapping that allows it, the file's page in a
 * file mapping, a copy when writing a copy-on-write page. 0; -SIGSEGV (with SEGV_MAPERR or
 * SEGV_ACCERR << 8) outside mappings or on a protection violation; -SIGBUS when memory is
 * exhausted or past the end of a file. */
static long mm_touch(struct mm_proc *p, word_t addr, bool write)
{
	word_t va = addr & ~(mm_page - 1), pa;
	unsigned cur;
	int i = vma_find(p, addr);
	if (i < 0)
		return -SEGV_MAPERR_V;
	if (!(p->vma[i].prot & (write ? PROT_W : 1)))
		return -SEGV_ACCERR_V;
	if (sys_vs_query(p->task, va, &pa, &cur) == 0) {
		if (!write || (cur & PROT_W))
			return 0;	/* already there (another thread of the call got it) */
		if (p->vma[i].flags & VMA_SHARED)
			return -SEGV_ACCERR_V;
		return pages_cow(p, va, pa, p->vma[i].prot) ? -SIGBUS : 0;
	}
	if (p->vma[i].flags & VMA_FILE)
		return files_fault(p, &p->vma[i], va, write);
	return pages_fault_in(p, va, p->vma[i].prot) ? -SIGBUS : 0;
}

/* A page fault of the caller (LABEL_FAULT): the kernel resumes the thread on 0. A fault
 * on a page that is present with the access allowed cannot happen, so it is fatal. */
static long mm_fault(struct call *c)
{
	struct mm_proc *p = mm_proc_of(c);
	word_t pa;
	unsigned cur;
	bool write = c->arg[1] & FAULT_FLAG_WRITE;
	if (!p)
		return -SIGBUS;
	if (sys_vs_query(p->task, c->arg[0] & ~(mm_page - 1), &pa, &cur) == 0 &&
	    (!write || (cur & PROT_W)))
		return -SEGV_ACCERR_V;
	return mm_touch(p, c->arg[0], write);
}

/* MM_FAULT_IN(pid, task, addr, len, write, brk_base) from a server's token copy. */
static long mm_fault_in(struct call *c)
{
	struct mm_proc *p = mm_proc_find((int)c->arg[0]);
	word_t addr = c->arg[2], len = c->arg[3];
	if (!p)
		p = mm_proc_from_image((int)c->arg[0], c->arg[1], c->arg[5]);
	if (!p || p->task != c->arg[1] || addr + len < addr)
		return -EFAULT;
	for (word_t a = addr & ~(mm_page - 1); a < addr + len; a += mm_page)
		if (mm_touch(p, a, c->arg[4] != 0))
			return -EFAULT;
	return 0;
}

/* MM_FORK from proc: the child gets a copy-on-write image of the parent. */
static long mm_fork(struct call *c)
{
	int ppid = (int)c->arg[0], cpid = (int)c->arg[2];
	struct mm_proc *parent = mm_proc_find(ppid);
	if (!parent)	/* a process that never called mm: describe it from its page tables */
		parent = mm_proc_from_image(ppid, c->arg[1], c->arg[4]);
	if (!parent)
		return -ENOMEM;
	struct mm_proc *child = mm_proc_alloc(cpid, c->arg[3]);
	if (!child)
		return -ENOMEM;
	child->brk_start = parent->brk_start;
	child->brk_cur = parent->brk_cur;
	child->nvma = parent->nvma;
	memcpy(child->vma, parent->vma, sizeof(parent->vma));
	long err = pages_fork(parent, child);
	if (err)
		mm_proc_release(child);
	return err;
}

/* MM_SERVER_MAP(va, len) from a server: fresh memory for its heap (never taken back). */
static long mm_server_map(struct call *c)
{
	struct tok_info ti;
	word_t va = c->arg[0], len = c->arg[1];
	if ((va | len) & (mm_page - 1) || va + len < va || va + len > mm_user_top ||
	    sys_tok_task(c->token, &ti))
		return -EINVAL;
	for (word_t a = va; a < va + len; a += mm_page) {
		word_t pa;
		unsigned cur;
		if (sys_vs_query(ti.task, a, &pa, &cur) == 0)
			continue;
		long f = sys_frame_alloc();
		if (f < 0)
			return -ENOMEM;
		if (sys_vs_map(ti.task, a, (word_t)f, 3)) {
			sys_frame_free((word_t)f);
			return -ENOMEM;
		}
	}
	return 0;
}

static long mm_native(struct call *c, word_t r[REPLY_WORDS])
{
	struct mm_proc *p;
	switch (c->label) {
	case LABEL_FAULT:
		r[0] = (word_t)mm_fault(c);
		return 0;
	case MM_FORK:	/* native messages come from servers only */
		r[0] = (word_t)mm_fork(c);
		return 0;
	case MM_FAULT_IN:
		r[0] = (word_t)mm_fault_in(c);
		return 0;
	case MM_SERVER_MAP:
		r[0] = (word_t)mm_server_map(c);
		return 0;
	case MM_EXIT:	/* a process mm never saw still has the loader's pages */
		if ((p = mm_proc_find((int)c->arg[0])) ||
		    (p = mm_proc_from_image((int)c->arg[0], c->arg[1], c->arg[2])))
			mm_proc_release(p);
		r[0] = 0;
		return 0;
	default:
		return files_native(c, r);
	}
}

int main(int argc, char **argv)
{
	struct relay_boot_info bi;
	(void)argc, (void)argv;
	if (sys_boot_info(&bi) < 0 || bi.self_ep < 0)
		return 1;
	mm_page = bi.page_size;
	mm_user_top = bi.user_stack_top;	/* the page above is the kernel's (SIGTRAMP_VA) */
	mm_stack_top = bi.user_stack_top;
	if (frames_init(&bi))
		return 2;
	server_run(bi.self_ep, dispatch_table, SYS_COUNT, mm_native);
}
