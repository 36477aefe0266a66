/*
 * Frame reference counts, in a table mapped into mm's own address space at start-up
 * (two bytes per frame of RAM). 0 means one implicit owner: a frame mm allocated, or one
 * the kernel's loader mapped; fork raises the count of every frame it shares.
 */
#include <relay/libsys.h>
#include <relay/errno.h>
#include "mm.h"

#define REF_TABLE_VA 0x100000000ul	/* 4 GiB: far from mm's own image */

static uint16_t *refs;
static word_t ram_base, ram_end;

/* Map the table for [bi->ram_base, bi->ram_end). 0 or -ENOMEM. */
int frames_init(const struct relay_boot_info *bi)
{
	ram_base = bi->ram_base;
	ram_end = bi->ram_end;
	word_t size = (ram_end - ram_base) / mm_page * sizeof(uint16_t);
	for (word_t off = 0; off < size; off += mm_page) {
		long pa = sys_frame_alloc();
		if (pa < 0 || sys_vs_map(bi->self_task, REF_TABLE_VA + off, (word_t)pa, 3))
			return -ENOMEM;
	}
	refs = (uint16_t *)REF_TABLE_VA;
	return 0;
}

static uint16_t *ref_slot(word_t pa)
{
	return pa >= ram_base && pa < ram_end ? &refs[(pa - ram_base) / mm_page] : NULL;
}

/* How many mappings use frame pa (at least 1). */
unsigned frame_refs(word_t pa)
{
	uint16_t *r = ref_slot(pa);
	return r && *r > 1 ? *r : 1;
}

/* One more mapping uses pa. */
void frame_share(word_t pa)
{
	uint16_t *r = ref_slot(pa);
	if (r)
		*r = (uint16_t)(frame_refs(pa) + 1);
}

/* One mapping of pa is gone: the frame is freed with its last mapping. */
void frame_release(word_t pa)
{
	uint16_t *r = ref_slot(pa);
	if (r && *r > 1) {
		(*r)--;
		return;
	}
	if (r)
		*r = 0;
	sys_frame_free(pa);
}
