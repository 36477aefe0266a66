/* mm server: start-up, the receive loop, and page faults (the pager's half). */
#include <relay/libsys.h>
#include <relay/server.h>
#include <relay/errno.h>
#include <relay/gen/sysnr.h>
#include "mm.h"

#define SIGBUS 7
#define SIGSEGV 11

extern const call_handler_t *const dispatch_table;
word_t mm_page, mm_user_top, mm_stack_top;

/* A fault of the caller at addr: demand-zero in an anonymous or stack mapping that allows
 * the access; -SIGSEGV outside mappings, on a protection violation or in the loaded
 * image; -SIGBUS when memory is exhausted. The kernel resumes the thread on 0. */
static long mm_fault(struct call *c)
{
	struct mm_proc *p = mm_proc_of(c);
	word_t addr = c->arg[0], va = addr & ~(mm_page - 1), pa;
	unsigned need = c->arg[1] & FAULT_FLAG_WRITE ? 2 : 1, cur;
	if (!p)
		return -SIGBUS;
	int i = vma_find(p, addr);
	if (i < 0 || (p->vma[i].flags & VMA_IMAGE) || !(p->vma[i].prot & need))
		return -SIGSEGV;
	if (sys_tok_vs_query(c->token, va, &pa, &cur) == 0)
		return -SIGSEGV;	/* present, yet the access faulted: not allowed */
	return pages_fault_in(c->token, va, p->vma[i].prot) ? -SIGBUS : 0;
}

static long mm_native(struct call *c, word_t r[REPLY_WORDS])
{
	if (c->label != LABEL_FAULT)
		return -ENOSYS;
	r[0] = (word_t)mm_fault(c);
	return 0;
}

int main(int argc, char **argv)
{
	struct relay_boot_info bi;
	(void)argc, (void)argv;
	if (sys_boot_info(&bi) < 0 || bi.self_ep < 0)
		return 1;
	mm_page = bi.page_size;
	mm_user_top = bi.user_top;
	mm_stack_top = bi.user_stack_top;
	server_run(bi.self_ep, dispatch_table, SYS_COUNT, mm_native);
}
