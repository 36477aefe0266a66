/* Tasks (an address space and its rights), loading boot programs, and copies between spaces. */
#include "object.h"
#include <relay/arch/uregs.h>
#include "kernel.h"
#include "frame.h"
#include "kstring.h"
#include "elf_load.h"
#include <relay/errno.h>

struct task tasks[MAX_TASKS];


/* A new task with an empty address space, or NULL. */
struct task *task_create(const char *name)
{
	for (int i = 0; i < MAX_TASKS; i++) {
		struct task *tk = &tasks[i];
		if (tk->used)
			continue;
		uint32_t gen = tk->gen;
		memset(tk, 0, sizeof(*tk));
		tk->gen = gen + 1;
		if (arch_vs_init(&tk->vs))
			return NULL;
		tk->used = true;
		tk->ep = -1;
		tk->pager_ep = -1;
		tk->irq = -1;
		size_t n = strlen(name);
		memcpy(tk->name, name, n < TASK_NAME_MAX - 1 ? n : TASK_NAME_MAX - 1);
		return tk;
	}
	return NULL;
}

/* Release the task's page tables. The frames it maps are not tracked yet (see docs). */
void task_destroy(struct task *tk)
{
	arch_vs_destroy(&tk->vs);
	tk->used = false;
	tk->gen++;
}

/* A task's handle for servers: its slot and generation (never 0). */
word_t task_handle(const struct task *tk)
{
	return ((word_t)tk->gen << 12) | (word_t)(tk - tasks);
}

/* The live task a handle names, or NULL. */
struct task *task_from_handle(word_t h)
{
	word_t i = h & 0xfff;
	if (i >= MAX_TASKS || !tasks[i].used || tasks[i].gen != (h >> 12))
		return NULL;
	return &tasks[i];
}

/* Copy len bytes between kernel memory and user address va of vs (to_user: kbuf -> va).
 * 0, or -EFAULT if a page is unmapped, not user, or (to_user) not writable. */
int vs_copy(struct arch_vspace *vs, vaddr_t va, void *kbuf, size_t len, bool to_user)
{
	char *k = kbuf;
	while (len) {
		paddr_t pa;
		unsigned prot;
		if (va >= USER_TOP || arch_vs_lookup(vs, va, &pa, &prot) ||
		    !(prot & VM_USER) || (to_user && !(prot & VM_WRITE)))
			return -EFAULT;
		size_t n = PAGE_SIZE - (va & (PAGE_SIZE - 1));
		if (n > len)
			n = len;
		if (to_user)
			memcpy(P2V(pa), k, n);
		else
			memcpy(k, P2V(pa), n);
		va += n, k += n, len -= n;
	}
	return 0;
}

static int user_page(struct arch_vspace *vs, vaddr_t va, bool write, paddr_t *pa)
{
	unsigned prot;
	if (va >= USER_TOP || arch_vs_lookup(vs, va, pa, &prot) || !(prot & VM_USER) ||
	    (write && !(prot & VM_WRITE)))
		return -EFAULT;
	return 0;
}

/* Copy len bytes from (svs, sva) to (dvs, dva), page by page through the physical map.
 * 0, or -EFAULT with *src_bad telling which side was at fault. */
int copy_between(struct arch_vspace *dvs, vaddr_t dva, struct arch_vspace *svs, vaddr_t sva,
		 size_t len, bool *src_bad)
{
	while (len) {
		paddr_t spa, dpa;
		*src_bad = true;
		if (user_page(svs, sva, false, &spa))
			return -EFAULT;
		*src_bad = false;
		if (user_page(dvs, dva, true, &dpa))
			return -EFAULT;
		size_t n = len;
		if (n > PAGE_SIZE - (sva & (PAGE_SIZE - 1)))
			n = PAGE_SIZE - (sva & (PAGE_SIZE - 1));
		if (n > PAGE_SIZE - (dva & (PAGE_SIZE - 1)))
			n = PAGE_SIZE - (dva & (PAGE_SIZE - 1));
		memmove(P2V(dpa), P2V(spa), n);
		sva += n, dva += n, len -= n;
	}
	return 0;
}

/* Map [va, va+len) with fresh zeroed frames (pages already mapped keep their frame
 * and gain prot). 0 or -ENOMEM. */
int map_anon(struct arch_vspace *vs, vaddr_t va, size_t len, unsigned prot)
{
	for (vaddr_t p = ALIGN_DOWN(va, PAGE_SIZE); p < va + len; p += PAGE_SIZE) {
		paddr_t pa;
		unsigned old;
		if (arch_vs_lookup(vs, p, &pa, &old) == 0) {
			if (arch_vs_map(vs, p, ALIGN_DOWN(pa, PAGE_SIZE), old | prot))
				return -ENOMEM;
			continue;
		}
		pa = frame_alloc();
		if (!pa || arch_vs_map(vs, p, pa, prot | VM_USER)) {
			if (pa)
				frame_free(pa);
			return -ENOMEM;
		}
	}
	return 0;
}

/* Write bytes into a user space regardless of its page protection (loader only). */
int poke(struct arch_vspace *vs, vaddr_t va, const void *src, size_t len)
{
	const char *s = src;
	while (len) {
		paddr_t pa;
		unsigned prot;
		if (arch_vs_lookup(vs, va, &pa, &prot))
			return -EFAULT;
		size_t n = PAGE_SIZE - (va & (PAGE_SIZE - 1));
		if (n > len)
			n = len;
		memcpy(P2V(pa), s, n);
		va += n, s += n, len -= n;
	}
	return 0;
}

_Static_assert(SIGTRAMP_VA == USER_STACK_TOP && SIGTRAMP_VA + PAGE_SIZE == USER_TOP,
	       "the trampoline page is the one above the stack");

/* Map the page every user address space has at SIGTRAMP_VA: the architecture's
 * rt_sigreturn trampoline for handlers without SA_RESTORER (AArch64 glibc relies on
 * Linux's vDSO for it). One frame, filled once, shared read-only and executable; mm never
 * maps or unmaps at that address. 0 or -ENOMEM. */
int task_map_sigtramp(struct task *tk)
{
	static paddr_t pa;
	if (!pa) {
		size_t len;
		const uint8_t *code = arch_sigtramp_code(&len);
		if (!(pa = frame_alloc()))
			return -ENOMEM;
		memset(P2V(pa), 0, PAGE_SIZE);
		memcpy(P2V(pa), code, len);
	}
	return arch_vs_map(&tk->vs, SIGTRAMP_VA, pa, VM_READ | VM_EXEC);
}

/* Load a static ELF image into tk's address space (eagerly; static-PIE at 0x400000's
 * neighbour 0x10000000). Returns 0 with the entry, AT_PHDR address and count; -ENOEXEC or -ENOMEM. */
int task_load_elf(struct task *tk, const void *image, size_t size, vaddr_t *entry, vaddr_t *phdr,
		  unsigned *phnum)
{
	struct elf_info ei;
	int err = elf_parse(image, size, ARCH_ELF_MACHINE, &ei);
	if (err)
		return err;
	uint64_t bias = ei.is_dyn ? 0x10000000ul : 0;
	for (int i = 0; i < ei.nseg; i++) {
		const struct elf_segment *s = &ei.seg[i];
		err = map_anon(&tk->vs, s->vaddr + bias, s->memsz, s->prot);
		if (!err)
			err = poke(&tk->vs, s->vaddr + bias, (const char *)image + s->offset, s->filesz);
		if (err)
			return err;
		if (s->vaddr + bias + s->memsz > tk->brk_base)
			tk->brk_base = ALIGN_UP(s->vaddr + bias + s->memsz, PAGE_SIZE);
	}
	*entry = ei.entry + bias;
	*phdr = ei.phdr_vaddr ? ei.phdr_vaddr + bias : 0;
	*phnum = ei.phnum;
	return task_map_sigtramp(tk);
}

/* Destroy thread t (the current one, or one whose call a server holds) with an exit
 * status. The init program's end powers the machine off with that status. */
void thread_exit(struct thread *t, int status, bool by_fault)
{
	struct task *tk = t->task;
	bool was_current = t == kernel_current();
	if (tk->is_init) {
		if (by_fault)
			kprintf("relay: init killed by signal %d\n", status - 128);
		kprintf("relay: init exited with status %d\n", status & 0xff);
		arch_poweroff(status & 0xff);
	}
	if (tk->is_server)
		kprintf("relay: server '%s' exited (status %d)\n", tk->name, status);
	ipc_cancel_thread(t);
	thread_free(t);
	if (tk->nthreads == 0)
		task_destroy(tk);
	if (was_current)
		sched_block_current();
}
