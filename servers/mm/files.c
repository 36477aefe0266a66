/*
 * File objects: the pages of files that processes map. mm owns their frames and maps them
 * into the vfs at a fixed window per file (MM_FILE_WINDOW(id), <relay/proto/mm.h>), so the
 * vfs's read, write and truncate work on the same memory as every MAP_SHARED mapping, and
 * the vfs's page table is the file's page list: a fault looks the frame up there.
 *
 * Reference counts (frames.c): a window page is the frame's implicit owner; each process
 * page mapping the same frame adds one. A private mapping maps file pages read-only and
 * copies them on the first write (pages_cow). An object the vfs has put (file deleted and
 * closed) lives until no VMA names it any more (files_collect), so a file unlinked while
 * mapped stays valid. Only the vfs calls in here: mm never calls the vfs, so the two
 * servers cannot wait on each other.
 */
#include <relay/libsys.h>
#include <relay/errno.h>
#include <relay/proto/mm.h>
#include <relay/gen/sysnr.h>
#include "mm.h"

#define SIGBUS 7
#define BUS_ADRERR_V (SIGBUS | 2 << 8)	/* a fatal fault's verdict: past the end of the file */

struct mfile {
	bool used;
	bool put;		/* the vfs is done with it: freed with its last mapping */
	word_t npages;		/* backed pages of the window: [0, npages) */
};

static struct mfile files[MM_FILE_MAX];
static word_t vfs_task;		/* the vfs's task, where the windows are */
static int nput;		/* objects put but still mapped */
static word_t range_frames[256];

static word_t window_va(unsigned id, word_t pg)
{
	return MM_FILE_WINDOW(id) + pg * mm_page;
}

/* Whether the caller is the vfs: the thread serving the vfs route's endpoint (a token is
 * generation << 16 | thread id), whose task is remembered from its first message. */
static bool from_vfs(struct call *c)
{
	static struct relay_boot_info bi;
	struct tok_info ti;
	if (sys_tok_task(c->token, &ti))
		return false;
	if (vfs_task)
		return ti.task == vfs_task;
	if (sys_boot_info(&bi) || bi.route_ep[ROUTE_vfs] < 0)
		return false;
	for (unsigned i = 0; i < bi.ntasks && i < BOOT_MAX_TASKS; i++)
		if (bi.task[i].ep == bi.route_ep[ROUTE_vfs] && bi.task[i].tid == (c->token & 0xffff)) {
			vfs_task = ti.task;
			return true;
		}
	return false;
}

/* The object id names for the calling vfs, or NULL. */
static struct mfile *file_of(struct call *c, word_t id)
{
	if (!id || id > MM_FILE_MAX || !files[id - 1].used || files[id - 1].put || !from_vfs(c))
		return NULL;
	return &files[id - 1];
}

/* Unmap file pages [from, end) of object id from every process mapping them. */
static void unmap_mappers(unsigned id, word_t from)
{
	for (int i = 0; i < MM_MAX_PROCS; i++) {
		struct mm_proc *p = mm_proc_at(i);
		for (int k = 0; p && k < p->nvma; k++) {
			const struct vma *v = &p->vma[k];
			word_t n = (v->end - v->start) / mm_page;
			if (v->file != id || v->pgoff + n <= from)
				continue;
			word_t skip = from > v->pgoff ? from - v->pgoff : 0;
			pages_unmap(p, v->start + skip * mm_page, v->end);
		}
	}
}

/* Back exactly npages pages of object id's window (new ones zeroed; dropped ones also
 * leave every process). 0, or -ENOMEM with the object unchanged. */
static long window_set(unsigned id, word_t npages)
{
	struct mfile *f = &files[id - 1];
	word_t pg, va, end;
	for (pg = f->npages; pg < npages; pg++) {
		long pa = sys_frame_alloc();
		if (pa < 0)
			break;
		if (sys_vs_map(vfs_task, window_va(id, pg), (word_t)pa, 3)) {
			sys_frame_free((word_t)pa);
			break;
		}
	}
	if (pg < npages) {	/* out of memory: give back what was added */
		word_t old = f->npages;
		f->npages = pg;
		window_set(id, old);
		return -ENOMEM;
	}
	if (npages < f->npages) {
		unmap_mappers(id, npages);
		va = window_va(id, npages);
		end = window_va(id, f->npages);
		while (va < end) {
			long n = sys_vs_unmap_range(vfs_task, &va, end, range_frames);
			if (n < 0)
				break;
			for (long i = 0; i < n; i++)
				frame_release(range_frames[i]);
		}
	}
	f->npages = npages;
	return 0;
}

static word_t pages_of(word_t size)
{
	return (size + mm_page - 1) / mm_page;
}

/* MM_FILE_NEW(size): r0 the id, r1 the backed bytes. */
static long file_new(struct call *c, word_t r[REPLY_WORDS])
{
	word_t size = c->arg[0];
	if (size > MM_FILE_WINDOW_SIZE)
		return -EFBIG;
	if (!from_vfs(c))
		return -EINVAL;
	for (unsigned i = 0; i < MM_FILE_MAX; i++) {
		if (files[i].used)
			continue;
		files[i] = (struct mfile){ .used = true };
		if (window_set(i + 1, pages_of(size))) {
			files[i].used = false;
			return -ENOMEM;
		}
		r[1] = files[i].npages * mm_page;
		return i + 1;
	}
	return -ENOMEM;
}

/* MM_FILE_RESIZE(id, size): r0 0 or -errno, r1 the backed bytes. */
static long file_resize(struct call *c, word_t r[REPLY_WORDS])
{
	struct mfile *f = file_of(c, c->arg[0]);
	if (!f)
		return -EINVAL;
	if (c->arg[1] > MM_FILE_WINDOW_SIZE)
		return -EFBIG;
	long err = window_set((unsigned)c->arg[0], pages_of(c->arg[1]));
	r[1] = f->npages * mm_page;
	return err;
}

/* Whether some process still maps object id. */
static bool file_mapped(unsigned id)
{
	for (int i = 0; i < MM_MAX_PROCS; i++) {
		struct mm_proc *p = mm_proc_at(i);
		for (int k = 0; p && k < p->nvma; k++)
			if (p->vma[k].file == id)
				return true;
	}
	return false;
}

/* Free every object the vfs has put that no process maps any more (after munmap, exit,
 * MAP_FIXED replacement). Cheap when there is none. */
void files_collect(void)
{
	for (unsigned i = 0; nput && i < MM_FILE_MAX; i++) {
		if (!files[i].used || !files[i].put || file_mapped(i + 1))
			continue;
		window_set(i + 1, 0);
		files[i].used = files[i].put = false;
		nput--;
	}
}

/* MM_FILE_MAP(pid, id, addr, len, prot | flags << 32 | MM_FILE_MAYWRITE, offset). */
static long file_map(struct call *c)
{
	struct mm_proc *p = mm_proc_find((int)c->arg[0]);
	word_t id = c->arg[1], len = c->arg[3], off = c->arg[5];
	unsigned prot = (unsigned)c->arg[4] & PROT_MASK;
	word_t flags = c->arg[4] >> 32;
	if (!p || !from_vfs(c))
		return -EINVAL;
	len = (len + mm_page - 1) & ~(mm_page - 1);
	if (!len || (off & (mm_page - 1)))
		return -EINVAL;
	if (!id)	/* /dev/zero */
		return mm_map(p, c->arg[2], len, prot, flags, 0, 0, false);
	if (!file_of(c, id))
		return -EINVAL;
	if (off / mm_page + len / mm_page < off / mm_page)
		return -EOVERFLOW;
	return mm_map(p, c->arg[2], len, prot, flags, (unsigned)id, off / mm_page,
		      !(c->arg[4] & MM_FILE_MAYWRITE));
}

/* A fault at va (absent page) in file VMA v of p: map the file's frame (shared; or
 * read-only in a private mapping), or a copy of it for a write to a private mapping.
 * 0, or -SIGBUS past the end of the file or when memory is exhausted. */
long files_fault(struct mm_proc *p, const struct vma *v, word_t va, bool write)
{
	word_t pg = v->pgoff + (va - v->start) / mm_page, pa;
	unsigned cur;
	struct mfile *f = &files[v->file - 1];
	if (pg >= f->npages || sys_vs_query(vfs_task, window_va(v->file, pg), &pa, &cur))
		return -BUS_ADRERR_V;
	if (!(v->flags & VMA_SHARED) && write) {
		long copy = sys_frame_alloc();
		if (copy < 0)
			return -SIGBUS;
		sys_frame_copy((word_t)copy, pa);
		if (sys_vs_map(p->task, va, (word_t)copy, v->prot)) {
			sys_frame_free((word_t)copy);
			return -SIGBUS;
		}
		return 0;
	}
	unsigned prot = v->flags & VMA_SHARED ? v->prot : v->prot & ~PROT_W;
	if (sys_vs_map(p->task, va, pa, prot))
		return -SIGBUS;
	frame_share(pa);
	return 0;
}

/* The file messages of <relay/proto/mm.h>: fill r, return 0. */
long files_native(struct call *c, word_t r[REPLY_WORDS])
{
	struct mfile *f;
	switch (c->label) {
	case MM_FILE_NEW:
		r[0] = (word_t)file_new(c, r);
		break;
	case MM_FILE_RESIZE:
		r[0] = (word_t)file_resize(c, r);
		break;
	case MM_FILE_PUT:
		r[0] = (word_t)-EINVAL;
		if ((f = file_of(c, c->arg[0]))) {
			f->put = true;
			nput++;
			files_collect();
			r[0] = 0;
		}
		break;
	case MM_FILE_MAP:
		r[0] = (word_t)file_map(c);
		break;
	default:
		return -ENOSYS;
	}
	return 0;
}
