/*
 * Frames in a process's address space. PROT_NONE pages keep their frame "parked" here
 * (no page-table entry can say no access) and get it back when mprotect allows access.
 */
#include <relay/libsys.h>
#include <relay/errno.h>
#include "mm.h"

struct parked { int pid; word_t va, pa; };
static struct parked parked[MM_MAX_PARKED];

/* Map a fresh zeroed frame at va with prot. 0, -ENOMEM or the kernel's error. */
long pages_fault_in(struct mm_proc *p, word_t va, unsigned prot)
{
	long pa = sys_frame_alloc();
	if (pa < 0)
		return pa;
	long err = sys_vs_map(p->task, va, (word_t)pa, prot);
	if (err)
		sys_frame_free((word_t)pa);
	return err;
}

/* A write to the shared, read-only frame pa at va: copy it (or take it back if no one
 * else maps it any more) and map it writable with prot. 0 or -ENOMEM. */
long pages_cow(struct mm_proc *p, word_t va, word_t pa, unsigned prot)
{
	if (frame_refs(pa) == 1)
		return sys_vs_map(p->task, va, pa, prot);
	long copy = sys_frame_alloc();
	if (copy < 0)
		return copy;
	sys_frame_copy((word_t)copy, pa);
	if (sys_vs_map(p->task, va, (word_t)copy, prot)) {
		sys_frame_free((word_t)copy);
		return -ENOMEM;
	}
	frame_release(pa);
	return 0;
}

static struct parked *parked_find(int pid, word_t va)
{
	for (int i = 0; i < MM_MAX_PARKED; i++)
		if (parked[i].pa && parked[i].pid == pid && parked[i].va == va)
			return &parked[i];
	return NULL;
}

static struct parked *parked_slot(void)
{
	for (int i = 0; i < MM_MAX_PARKED; i++)
		if (!parked[i].pa)
			return &parked[i];
	return NULL;
}

static word_t range_frames[256];

/* Unmap and release every page of [start, end), parked ones included. */
void pages_unmap(struct mm_proc *p, word_t start, word_t end)
{
	word_t va = start;
	struct parked *pk;
	while (va < end) {
		long n = sys_vs_unmap_range(p->task, &va, end, range_frames);
		if (n < 0)
			break;
		for (long i = 0; i < n; i++)
			frame_release(range_frames[i]);
	}
	for (int i = 0; i < MM_MAX_PARKED; i++) {
		pk = &parked[i];
		if (pk->pa && pk->pid == p->pid && pk->va >= start && pk->va < end) {
			frame_release(pk->pa);
			pk->pa = 0;
		}
	}
}

/* Apply prot to the pages present in [start, end); a frame still shared copy-on-write
 * stays read-only in a private mapping. 0, or -ENOMEM if a frame cannot be parked. */
long pages_protect(struct mm_proc *p, word_t start, word_t end, unsigned prot, bool shared)
{
	for (word_t va = start; va < end; va += mm_page) {
		word_t pa, old;
		unsigned cur;
		struct parked *pk;
		if (sys_vs_query(p->task, va, &pa, &cur) == 0) {
			if (prot) {
				unsigned eff = !shared && frame_refs(pa) > 1 ? prot & ~PROT_W : prot;
				sys_vs_map(p->task, va, pa, eff);
				continue;
			}
			if (!(pk = parked_slot()))
				return -ENOMEM;
			sys_vs_unmap(p->task, va, &old);
			*pk = (struct parked){ p->pid, va, pa };
		} else if (prot && (pk = parked_find(p->pid, va))) {
			sys_vs_map(p->task, va, pk->pa, prot);
			pk->pa = 0;
		}
	}
	return 0;
}

/* Give child every present page of parent's mappings: shared mappings share the frame
 * writable, private ones share it read-only in both (copy-on-write). 0 or -ENOMEM. */
long pages_fork(struct mm_proc *parent, struct mm_proc *child)
{
	for (int i = 0; i < parent->nvma; i++) {
		const struct vma *v = &parent->vma[i];
		word_t va = v->start;
		while (va < v->end) {
			long n = sys_vs_cow_range(parent->task, child->task, &va, v->end, range_frames,
						  (v->flags & VMA_SHARED) != 0);
			if (n < 0)
				return -ENOMEM;
			for (long k = 0; k < n; k++)
				frame_share(range_frames[k]);
		}
	}
	return 0;
}
