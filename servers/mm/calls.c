/* mm's system calls: brk, mmap, munmap, mprotect, madvise, mremap, msync. mmap of a file
 * is passed on to the vfs, which checks the descriptor and comes back with MM_FILE_MAP. */
#include <relay/libsys.h>
#include <relay/errno.h>
#include <relay/gen/sysnr.h>
#include "mm.h"

#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_SHARED_VALIDATE 0x03
#define MAP_TYPE 0x0f
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_FIXED_NOREPLACE 0x100000
#define MADV_DONTNEED 4
#define MS_ASYNC 1
#define MS_INVALIDATE 2
#define MS_SYNC 4
#define MREMAP_MAYMOVE 1
#define MMAP_GAP (16ul << 20)	/* between the mmap area and the stack region */

/* The vfs's endpoint (mmap of a file is passed to it), -1 if there is none. */
static int mm_vfs_ep(void)
{
	static int ep = -2;
	struct relay_boot_info bi;
	if (ep == -2)
		ep = sys_boot_info(&bi) == 0 ? bi.route_ep[ROUTE_vfs] : -1;
	return ep;
}

static word_t page_up(word_t x) { return (x + mm_page - 1) & ~(mm_page - 1); }
static bool aligned(word_t x) { return !(x & (mm_page - 1)); }

/* Whether len more pages can be backed by free frames right now. */
static bool memory_available(word_t len)
{
	struct relay_boot_info bi;
	return sys_boot_info(&bi) == 0 && len / mm_page < bi.frames_free;
}

long mm_do_brk(struct call *c)
{
	struct mm_proc *p = mm_proc_of(c);
	word_t want = c->arg[0];
	if (!p)
		return -ENOMEM;
	if (want < p->brk_start || want >= mm_user_top)
		return (long)p->brk_cur;
	word_t old_end = page_up(p->brk_cur), new_end = page_up(want);
	if (new_end > old_end) {
		if (!vma_range_free(p, old_end, new_end) || !memory_available(new_end - old_end) ||
		    vma_insert(p, old_end, new_end, 3, VMA_ANON))
			return (long)p->brk_cur;
	} else if (new_end < old_end) {
		if (vma_remove(p, new_end, old_end))
			return (long)p->brk_cur;
		pages_unmap(p, new_end, old_end);
	}
	p->brk_cur = want;
	return (long)want;
}

/* Where a new mapping of len bytes goes: the hint if free, else the highest free gap. */
static word_t mmap_place(struct mm_proc *p, word_t hint, word_t len)
{
	word_t top = (mm_stack_top - (8ul << 20) - MMAP_GAP) & ~(mm_page - 1);
	hint &= ~(mm_page - 1);
	if (hint && hint + len > hint && hint + len <= top && vma_range_free(p, hint, hint + len))
		return hint;
	return vma_find_gap(p, len, top);
}

/* Map len bytes (page multiple, non-zero) for p: anonymous memory (file 0) or file object
 * `file` from page pgoff (nowrite: a shared mapping mprotect may not make writable).
 * The address or a negative errno. */
long mm_map(struct mm_proc *p, word_t addr, word_t len, unsigned prot, word_t flags,
	    unsigned file, word_t pgoff, bool nowrite)
{
	bool shared = (flags & MAP_TYPE) != MAP_PRIVATE;
	unsigned vflags = (file ? VMA_FILE : VMA_ANON) | (shared && nowrite ? VMA_NOWRITE : 0);
	if (!file && !memory_available(len))
		return -ENOMEM;
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (!aligned(addr) || addr + len < addr || addr + len > mm_user_top || addr < mm_page)
			return -EINVAL;
		if (!vma_range_free(p, addr, addr + len)) {
			if (flags & MAP_FIXED_NOREPLACE)
				return -EEXIST;
			if (vma_remove(p, addr, addr + len))
				return -ENOMEM;
		}
		pages_unmap(p, addr, addr + len);
		files_collect();
	} else if (!(addr = mmap_place(p, addr, len))) {
		return -ENOMEM;
	}
	if (vma_insert_file(p, addr, addr + len, prot, vflags | (shared ? VMA_SHARED : 0), file,
			    pgoff))
		return -ENOMEM;
	/* Shared anonymous memory is populated now so that a fork shares every page of it
	 * (a shared file page is found in the file object by whoever touches it). */
	for (word_t va = addr; shared && !file && va < addr + len; va += mm_page)
		if (pages_fault_in(p, va, prot ? prot : 1)) {
			vma_remove(p, addr, addr + len);
			pages_unmap(p, addr, addr + len);
			return -ENOMEM;
		}
	return (long)addr;
}

long mm_do_mmap(struct call *c)
{
	struct mm_proc *p = mm_proc_of(c);
	word_t addr = c->arg[0], len = page_up(c->arg[1]), flags = c->arg[3];
	unsigned prot = (unsigned)c->arg[2];
	if (!p)
		return -ENOMEM;
	if (!c->arg[1] || !len || (prot & ~PROT_MASK))
		return len || !c->arg[1] ? -EINVAL : -ENOMEM;
	if (!(flags & MAP_ANONYMOUS)) {
		/* A file: the vfs checks the descriptor and finishes with MM_FILE_MAP. */
		if (!aligned(c->arg[5]))
			return -EINVAL;
		if ((int)c->arg[4] < 0)
			return -EBADF;
		if ((flags & MAP_TYPE) < MAP_SHARED || (flags & MAP_TYPE) > MAP_SHARED_VALIDATE)
			return -EINVAL;
		int vfs = mm_vfs_ep();
		if (vfs < 0 || sys_tok_pass(c->token, vfs))
			return -ENODEV;
		return CALL_DEFERRED;
	}
	if ((flags & MAP_TYPE) < MAP_SHARED || (flags & MAP_TYPE) > MAP_SHARED_VALIDATE)
		return -EINVAL;
	return mm_map(p, addr, len, prot, flags, 0, 0, false);
}

long mm_do_munmap(struct call *c)
{
	struct mm_proc *p = mm_proc_of(c);
	word_t addr = c->arg[0], len = page_up(c->arg[1]);
	if (!p)
		return -ENOMEM;
	if (!aligned(addr) || !len || addr + len < addr || addr + len > mm_user_top)
		return -EINVAL;
	if (vma_remove(p, addr, addr + len))
		return -ENOMEM;
	pages_unmap(p, addr, addr + len);
	files_collect();
	return 0;
}

/* Whether every page of [start, end) is in some mapping. */
static bool range_mapped(struct mm_proc *p, word_t start, word_t end)
{
	for (word_t a = start; a < end;) {
		int i = vma_find(p, a);
		if (i < 0)
			return false;
		a = p->vma[i].end;
	}
	return true;
}

long mm_do_mprotect(struct call *c)
{
	struct mm_proc *p = mm_proc_of(c);
	word_t addr = c->arg[0], len = page_up(c->arg[1]);
	unsigned prot = (unsigned)c->arg[2] & ~0x03000000u;	/* PROT_GROWSDOWN/UP */
	if (!p)
		return -ENOMEM;
	if (!aligned(addr) || (prot & ~PROT_MASK) || addr + len < addr)
		return -EINVAL;
	if (!len)
		return 0;
	if (!range_mapped(p, addr, addr + len))
		return -ENOMEM;
	for (int k = 0; k < p->nvma; k++)	/* a read-only descriptor's shared pages */
		if (p->vma[k].start < addr + len && addr < p->vma[k].end &&
		    (p->vma[k].flags & VMA_NOWRITE) && (prot & PROT_W))
			return -EACCES;
	if (vma_protect(p, addr, addr + len, prot))
		return -ENOMEM;
	/* Each mapping on its own: a private one keeps shared frames read-only. */
	for (word_t a = addr; a < addr + len;) {
		int i = vma_find(p, a);
		word_t end = p->vma[i].end < addr + len ? p->vma[i].end : addr + len;
		long err = pages_protect(p, a, end, prot, (p->vma[i].flags & VMA_SHARED) != 0);
		if (err)
			return err;
		a = end;
	}
	return 0;
}

long mm_do_madvise(struct call *c)
{
	struct mm_proc *p = mm_proc_of(c);
	word_t addr = c->arg[0], len = page_up(c->arg[1]);
	if (!p)
		return -ENOMEM;
	if (!aligned(addr) || addr + len < addr)
		return -EINVAL;
	if (c->arg[2] == MADV_DONTNEED) {
		if (!range_mapped(p, addr, addr + len))
			return -ENOMEM;
		pages_unmap(p, addr, addr + len);	/* zero on next touch */
	}
	return 0;
}

/* mremap where it is cheap: shrinking, or growing in place into free space. */
long mm_do_mremap(struct call *c)
{
	struct mm_proc *p = mm_proc_of(c);
	word_t addr = c->arg[0], old = page_up(c->arg[1]), new = page_up(c->arg[2]);
	if (!p)
		return -ENOMEM;
	if (!aligned(addr) || !new || c->arg[3] & ~(word_t)MREMAP_MAYMOVE)
		return -EINVAL;
	int i = vma_find(p, addr);
	if (i < 0 || p->vma[i].end < addr + old || !(p->vma[i].flags & (VMA_ANON | VMA_FILE)))
		return -EFAULT;
	struct vma v = p->vma[i];
	if (new <= old) {
		vma_remove(p, addr + new, addr + old);
		pages_unmap(p, addr + new, addr + old);
		return (long)addr;
	}
	if (addr + new < addr || !vma_range_free(p, addr + old, addr + new) ||
	    (!v.file && !memory_available(new - old)))
		return -ENOMEM;	/* moving is not done (callers fall back to copying) */
	/* A file mapping grows over the next pages of the file. */
	if (vma_insert_file(p, addr + old, addr + new, v.prot, v.file ? v.flags : VMA_ANON, v.file,
			    v.file ? v.pgoff + (addr + old - v.start) / mm_page : 0))
		return -ENOMEM;
	return (long)addr;
}

/* msync: file pages are the file's own frames, so there is nothing to write back; only the
 * arguments are checked (EINVAL for bad flags or an unaligned address, ENOMEM for a range
 * that is not entirely mapped). */
long mm_do_msync(struct call *c)
{
	struct mm_proc *p = mm_proc_of(c);
	word_t addr = c->arg[0], len = page_up(c->arg[1]), flags = c->arg[2];
	if (!p)
		return -ENOMEM;
	if (flags & ~(word_t)(MS_ASYNC | MS_INVALIDATE | MS_SYNC) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)) || !aligned(addr))
		return -EINVAL;
	if (addr + len < addr || (c->arg[1] && !len))
		return -ENOMEM;
	return range_mapped(p, addr, addr + len) ? 0 : -ENOMEM;
}
