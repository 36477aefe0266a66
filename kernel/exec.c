/*
 * Starting programs: the Linux initial stack (argc, argv, envp, auxv), and tok_exec, the
 * kernel half of execve. proc validates and copies the caller's path, argv and envp into
 * one blob; mm empties the address space; the kernel loads the ELF from the boot archive
 * into it and points the thread at the new entry.
 */
#include "native.h"
#include "kernel.h"
#include "kstring.h"
#include "cpio.h"
#include "elf_load.h"
#include <relay/errno.h>

#define USER_STACK_PAGES 32	/* 128 KiB mapped at once; mm grows it on demand */
#define EXEC_MAX_STRINGS 4096

#define AT_NULL 0
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_ENTRY 9
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_HWCAP 16
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_RANDOM 25
#define AT_EXECFN 31

static word_t stack_vec[2 * EXEC_MAX_STRINGS + 48];
static vaddr_t string_at[2 * EXEC_MAX_STRINGS + 1];

/* Copy a string onto the user stack below *sp; returns its user address. */
static vaddr_t push_string(struct task *tk, vaddr_t *sp, const char *s)
{
	size_t len = strlen(s) + 1;
	*sp -= len;
	poke(&tk->vs, *sp, s, len);
	return *sp;
}

/* Build the Linux initial stack at the top of a fresh user stack. 0 with *sp_out, or
 * -ENOMEM / -E2BIG. */
int task_setup_stack(struct task *tk, const struct exec_args *a, vaddr_t entry, vaddr_t phdr,
		     unsigned phnum, vaddr_t *sp_out)
{
	vaddr_t sp = USER_STACK_TOP, execfn, random;
	int n = 0, nstr = a->argc + a->envc;
	if (a->argc < 0 || a->envc < 0 || nstr > 2 * EXEC_MAX_STRINGS)
		return -E2BIG;
	int err = map_anon(&tk->vs, USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE,
			   USER_STACK_PAGES * PAGE_SIZE, VM_READ | VM_WRITE);
	if (err)
		return err;
	execfn = push_string(tk, &sp, a->path);
	for (int i = nstr - 1; i >= 0; i--)
		string_at[i] = push_string(tk, &sp, i < a->argc ? a->argv[i] : a->envp[i - a->argc]);
	if (USER_STACK_TOP - sp > USER_STACK_PAGES * PAGE_SIZE / 2)
		return -E2BIG;
	uint64_t rnd[2] = { arch_now_ns() * 0x9e3779b97f4a7c15ull, (uint64_t)tk ^ 0x5bd1e995 };
	sp = ALIGN_DOWN(sp - 16, 16);
	random = sp;
	poke(&tk->vs, sp, rnd, 16);

	stack_vec[n++] = (word_t)a->argc;
	for (int i = 0; i < a->argc; i++)
		stack_vec[n++] = string_at[i];
	stack_vec[n++] = 0;
	for (int i = 0; i < a->envc; i++)
		stack_vec[n++] = string_at[a->argc + i];
	stack_vec[n++] = 0;
	word_t aux[] = { AT_PAGESZ, PAGE_SIZE, AT_ENTRY, entry, AT_PHNUM, phnum, AT_PHENT, 56,
			 AT_UID, 0, AT_EUID, 0, AT_GID, 0, AT_EGID, 0, AT_HWCAP, 0, AT_CLKTCK, 100,
			 AT_SECURE, 0, AT_RANDOM, random, AT_EXECFN, execfn };
	for (size_t i = 0; i < ARRAY_SIZE(aux); i++)
		stack_vec[n++] = aux[i];
	if (phdr)
		stack_vec[n++] = AT_PHDR, stack_vec[n++] = phdr;
	stack_vec[n++] = AT_NULL, stack_vec[n++] = 0;
	sp = ALIGN_DOWN(sp - n * sizeof(word_t), 16);
	poke(&tk->vs, sp, stack_vec, n * sizeof(word_t));
	*sp_out = sp;
	return 0;
}

static char exec_blob[EXEC_BLOB_MAX];
static const char *exec_strings[2 * EXEC_MAX_STRINGS];

/* Split a blob (struct exec_blob, then path, argv and envp strings, NUL-terminated) into
 * *a. 0 or -E2BIG / -EINVAL. */
static int blob_parse(size_t len, struct exec_args *a)
{
	const struct exec_blob *h = (const void *)exec_blob;
	if (len < sizeof(*h) || exec_blob[len - 1] != 0)
		return -EINVAL;
	if (h->argc > EXEC_MAX_STRINGS || h->envc > EXEC_MAX_STRINGS)
		return -E2BIG;
	const char *p = exec_blob + sizeof(*h), *end = exec_blob + len;
	a->path = p;
	a->argc = (int)h->argc;
	a->envc = (int)h->envc;
	a->argv = exec_strings;
	a->envp = exec_strings + h->argc;
	for (uint32_t i = 0; i < h->argc + h->envc + 1; i++) {
		if (p >= end)
			return -EINVAL;
		if (i)
			exec_strings[i - 1] = p;
		p += strlen(p) + 1;
	}
	return 0;
}

/* Whether [va, va+len) is mapped user-readable in the active address space vs, so that
 * the kernel may read it in place. */
static bool user_readable(struct arch_vspace *vs, vaddr_t va, size_t len)
{
	if (va + len < va || va + len > USER_TOP)
		return false;
	for (vaddr_t p = ALIGN_DOWN(va, PAGE_SIZE); p < va + len; p += PAGE_SIZE) {
		paddr_t pa;
		unsigned prot;
		if (arch_vs_lookup(vs, p, &pa, &prot) || !(prot & VM_USER))
			return false;
	}
	return true;
}

/* The program image: image_len bytes at image in the caller's (proc's, the active) address
 * space, read there by proc from the vfs; or, with image_len 0, the blob's path in the boot
 * archive. 0 with *data and *size, or -ENOENT / -EFAULT. */
static int exec_image(struct thread *t, const struct exec_args *a, const void **data, size_t *size)
{
	word_t image = W(t, 4), image_len = W(t, 5);
	struct cpio_file f;
	if (!image_len) {
		int err = boot_find(a->path, &f);
		*data = f.data;
		*size = f.size;
		return err;
	}
	if (!user_readable(&t->task->vs, image, image_len))
		return -EFAULT;
	*data = (const void *)image;
	*size = image_len;
	return 0;
}

/* tok_exec(token, blob, len, load, image, image_len): check that the program (see
 * exec_image) is a loadable static ELF of this architecture (-ENOENT, -ENOEXEC); with
 * load, replace the caller's program: its address space must have been emptied by the
 * pager. 0 or a negative errno. */
void nat_tok_exec(struct thread *t)
{
	struct thread *c = t->task->is_procmgr ? token_thread(t) : NULL;
	struct exec_args a;
	struct elf_info ei;
	const void *data;
	size_t size;
	word_t len = W(t, 2);
	vaddr_t entry, phdr, sp;
	unsigned phnum;
	int err;
	if (!c)
		return set_result(t, -EINVAL);
	if (len > EXEC_BLOB_MAX)
		return set_result(t, -E2BIG);
	if (vs_copy(&t->task->vs, W(t, 1), exec_blob, len, false) || (err = blob_parse(len, &a)))
		return set_result(t, -EINVAL);
	err = exec_image(t, &a, &data, &size);
	if (!err)
		err = elf_parse(data, size, ARCH_ELF_MACHINE, &ei);
	if (err || !W(t, 3))
		return set_result(t, err);
	c->task->brk_base = 0;
	err = task_load_elf(c->task, data, size, &entry, &phdr, &phnum);
	if (!err)
		err = task_setup_stack(c->task, &a, entry, phdr, phnum, &sp);
	if (!err)
		arch_regs_init_user(&c->regs, entry, sp, 0);
	set_result(t, err);
}
