/* The sorted, disjoint list of a process's mappings: find, insert, split, remove. */
#include <relay/libsys.h>
#include <relay/errno.h>
#include "mm.h"

/* Index of the VMA containing addr, or -1. */
int vma_find(const struct mm_proc *p, word_t addr)
{
	for (int i = 0; i < p->nvma; i++)
		if (addr >= p->vma[i].start && addr < p->vma[i].end)
			return i;
	return -1;
}

/* Whether no VMA overlaps [start, end). */
bool vma_range_free(const struct mm_proc *p, word_t start, word_t end)
{
	for (int i = 0; i < p->nvma; i++)
		if (p->vma[i].start < end && start < p->vma[i].end)
			return false;
	return true;
}

static bool vma_mergeable(const struct vma *a, const struct vma *b)
{
	return a->end == b->start && a->prot == b->prot && a->flags == b->flags &&
	       a->file == b->file && (!a->file || b->pgoff == a->pgoff + (a->end - a->start) / mm_page);
}

/* Merge neighbours that touch and agree. */
static void vma_coalesce(struct mm_proc *p)
{
	for (int i = 0; i + 1 < p->nvma;) {
		if (!vma_mergeable(&p->vma[i], &p->vma[i + 1])) {
			i++;
			continue;
		}
		p->vma[i].end = p->vma[i + 1].end;
		memmove(&p->vma[i + 1], &p->vma[i + 2], (size_t)(p->nvma - i - 2) * sizeof(struct vma));
		p->nvma--;
	}
}

/* Add [start, end) (which must be free). 0, or -ENOMEM when the list is full. */
int vma_insert(struct mm_proc *p, word_t start, word_t end, unsigned prot, unsigned flags)
{
	return vma_insert_file(p, start, end, prot, flags, 0, 0);
}

/* Add [start, end) (which must be free) mapping file object `file` from page pgoff
 * (file 0: no file). 0, or -ENOMEM when the list is full. */
int vma_insert_file(struct mm_proc *p, word_t start, word_t end, unsigned prot, unsigned flags,
		    unsigned file, word_t pgoff)
{
	int i = 0;
	if (p->nvma == MM_MAX_VMAS)
		return -ENOMEM;
	while (i < p->nvma && p->vma[i].start < start)
		i++;
	memmove(&p->vma[i + 1], &p->vma[i], (size_t)(p->nvma - i) * sizeof(struct vma));
	p->vma[i] = (struct vma){ start, end, prot, flags, file, pgoff };
	p->nvma++;
	vma_coalesce(p);
	return 0;
}

/* Split the VMA that straddles addr so that addr is a boundary. 0 or -ENOMEM. */
static int vma_split_at(struct mm_proc *p, word_t addr)
{
	int i = vma_find(p, addr);
	if (i < 0 || p->vma[i].start == addr)
		return 0;
	if (p->nvma == MM_MAX_VMAS)
		return -ENOMEM;
	memmove(&p->vma[i + 1], &p->vma[i], (size_t)(p->nvma - i) * sizeof(struct vma));
	p->nvma++;
	p->vma[i].end = addr;
	p->vma[i + 1].start = addr;
	if (p->vma[i].file)
		p->vma[i + 1].pgoff += (addr - p->vma[i].start) / mm_page;
	return 0;
}

/* Remove [start, end) from the list, splitting VMAs at its edges. 0 or -ENOMEM. */
int vma_remove(struct mm_proc *p, word_t start, word_t end)
{
	int err = vma_split_at(p, start);
	if (!err)
		err = vma_split_at(p, end);
	if (err)
		return err;
	int k = 0;
	for (int i = 0; i < p->nvma; i++)
		if (!(p->vma[i].start >= start && p->vma[i].end <= end))
			p->vma[k++] = p->vma[i];
	p->nvma = k;
	return 0;
}

/* Set prot on every VMA part inside [start, end). 0 or -ENOMEM. */
int vma_protect(struct mm_proc *p, word_t start, word_t end, unsigned prot)
{
	int err = vma_split_at(p, start);
	if (!err)
		err = vma_split_at(p, end);
	if (err)
		return err;
	for (int i = 0; i < p->nvma; i++)
		if (p->vma[i].start >= start && p->vma[i].end <= end)
			p->vma[i].prot = prot;
	vma_coalesce(p);
	return 0;
}

/* The highest free gap of len bytes ending at or below `below`, or 0. */
word_t vma_find_gap(const struct mm_proc *p, word_t len, word_t below)
{
	word_t top = below;
	for (int i = p->nvma - 1; i >= -1; i--) {
		word_t floor = i >= 0 ? p->vma[i].end : mm_page * 16;
		if (i >= 0 && p->vma[i].start >= top)
			continue;
		if (floor < top && top - floor >= len)
			return top - len;
		if (i >= 0)
			top = p->vma[i].start < top ? p->vma[i].start : top;
	}
	return 0;
}
