/* mm server: every user process's pager — mappings (VMAs), demand-zero faults, brk, mmap. */
#pragma once
#include <stdbool.h>
#include <relay/server.h>

#define MM_MAX_PROCS 64
#define MM_MAX_VMAS  64
#define MM_MAX_PARKED 256

/* Linux PROT_* equal the kernel's VM_READ/VM_WRITE/VM_EXEC bits. */
#define PROT_MASK 7u
#define VMA_STACK 1u		/* the stack region (demand-zero, 8 MiB) */
#define VMA_IMAGE 2u		/* the program loaded by the kernel: no demand-zero */
#define VMA_ANON  4u		/* mmap or brk memory */

struct vma {
	word_t start, end;	/* page aligned, end exclusive */
	unsigned prot, flags;
};

struct mm_proc {
	int pid;		/* 0: free */
	word_t brk_start, brk_cur;
	int nvma;
	struct vma vma[MM_MAX_VMAS];	/* sorted by start, disjoint */
};

extern word_t mm_page, mm_user_top, mm_stack_top;

/* vma.c: the sorted mapping list of one process. */
int vma_find(const struct mm_proc *p, word_t addr);
bool vma_range_free(const struct mm_proc *p, word_t start, word_t end);
int vma_insert(struct mm_proc *p, word_t start, word_t end, unsigned prot, unsigned flags);
int vma_remove(struct mm_proc *p, word_t start, word_t end);
int vma_protect(struct mm_proc *p, word_t start, word_t end, unsigned prot);
word_t vma_find_gap(const struct mm_proc *p, word_t len, word_t below);

/* pages.c: frames mapped into a process through its call's token. */
long pages_fault_in(word_t token, word_t va, unsigned prot);
void pages_unmap(word_t token, int pid, word_t start, word_t end);
long pages_protect(word_t token, int pid, word_t start, word_t end, unsigned prot);

/* space.c */
struct mm_proc *mm_proc_of(struct call *c);
