/* mm server: every user process's pager — mappings (VMAs), demand-zero and copy-on-write
 * faults, brk, mmap, and the memory half of fork and exit. */
#pragma once
#include <stdbool.h>
#include <relay/server.h>

#define MM_MAX_PROCS 512
#define MM_MAX_VMAS  48
#define MM_MAX_PARKED 256

/* Linux PROT_* equal the kernel's VM_READ/VM_WRITE/VM_EXEC bits. */
#define PROT_MASK 7u
#define PROT_W 2u
#define VMA_STACK  1u		/* the stack region (demand-zero, 8 MiB) */
#define VMA_IMAGE  2u		/* the program the kernel loaded (already present) */
#define VMA_ANON   4u		/* mmap or brk memory */
#define VMA_SHARED 8u		/* MAP_SHARED: fork shares the frames instead of COW */
#define VMA_FILE   16u		/* a file mapping: pages come from file object `file` */
#define VMA_NOWRITE 32u		/* shared file mapping of a read-only descriptor */

struct vma {
	word_t start, end;	/* page aligned, end exclusive */
	unsigned prot, flags;
	unsigned file;		/* VMA_FILE: the file object's id (files.c) */
	word_t pgoff;		/* VMA_FILE: the file page mapped at start */
};

struct mm_proc {
	int pid;		/* 0: free */
	word_t task;		/* the kernel's handle of its address space */
	word_t brk_start, brk_cur;
	int nvma;
	struct vma vma[MM_MAX_VMAS];	/* sorted by start, disjoint */
};

extern word_t mm_page, mm_user_top, mm_stack_top;

/* vma.c: the sorted mapping list of one process. */
int vma_find(const struct mm_proc *p, word_t addr);
bool vma_range_free(const struct mm_proc *p, word_t start, word_t end);
int vma_insert(struct mm_proc *p, word_t start, word_t end, unsigned prot, unsigned flags);
int vma_insert_file(struct mm_proc *p, word_t start, word_t end, unsigned prot, unsigned flags,
		    unsigned file, word_t pgoff);
int vma_remove(struct mm_proc *p, word_t start, word_t end);
int vma_protect(struct mm_proc *p, word_t start, word_t end, unsigned prot);
word_t vma_find_gap(const struct mm_proc *p, word_t len, word_t below);

/* frames.c: reference counts of frames shared by copy-on-write or MAP_SHARED. */
int frames_init(const struct relay_boot_info *bi);
unsigned frame_refs(word_t pa);
void frame_share(word_t pa);
void frame_release(word_t pa);

/* pages.c: frames mapped into a process's address space. */
long pages_fault_in(struct mm_proc *p, word_t va, unsigned prot);
long pages_cow(struct mm_proc *p, word_t va, word_t pa, unsigned prot);
void pages_unmap(struct mm_proc *p, word_t start, word_t end);
long pages_protect(struct mm_proc *p, word_t start, word_t end, unsigned prot, bool shared);
long pages_fork(struct mm_proc *parent, struct mm_proc *child);

/* files.c: file objects (pages of mapped files, shared with the vfs's window). */
long files_native(struct call *c, word_t r[REPLY_WORDS]);
long files_fault(struct mm_proc *p, const struct vma *v, word_t va, bool write);
void files_collect(void);

/* calls.c: a mapping of anonymous memory (file 0) or of a file object. */
long mm_map(struct mm_proc *p, word_t addr, word_t len, unsigned prot, word_t flags,
	    unsigned file, word_t pgoff, bool nowrite);

/* space.c */
struct mm_proc *mm_proc_at(int i);
struct mm_proc *mm_proc_of(struct call *c);
struct mm_proc *mm_proc_find(int pid);
struct mm_proc *mm_proc_alloc(int pid, word_t task);
struct mm_proc *mm_proc_from_image(int pid, word_t task, word_t brk);
void mm_proc_release(struct mm_proc *p);
