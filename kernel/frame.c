/* Physical frame allocator: a free list threaded through the free frames themselves. */
#include "arch.h"
#include "frame.h"
#include "kernel.h"
#include "kstring.h"

static paddr_t free_head;	/* physical address of the first free frame, 0 = none */
static size_t nfree, ntotal;
static paddr_t frame_lo = ~0ull, frame_hi;

static bool frame_reserved(const struct boot_info *bi, paddr_t pa)
{
	if (pa < 0x100000)	/* low memory: BIOS, boot structures */
		return true;
	for (int i = 0; i < bi->nreserved; i++)
		if (pa + PAGE_SIZE > bi->reserved[i].base && pa < bi->reserved[i].base + bi->reserved[i].size)
			return true;
	return false;
}

void frame_init(const struct boot_info *bi)
{
	for (int i = 0; i < bi->nmem; i++) {
		paddr_t pa = ALIGN_UP(bi->mem[i].base, PAGE_SIZE);
		paddr_t end = ALIGN_DOWN(bi->mem[i].base + bi->mem[i].size, PAGE_SIZE);
		if (end > PHYS_MAP_SIZE)
			end = PHYS_MAP_SIZE;
		/* Push in descending order so allocation hands out ascending addresses. */
		for (paddr_t p = end; p > pa; p -= PAGE_SIZE) {
			if (frame_reserved(bi, p - PAGE_SIZE))
				continue;
			frame_free(p - PAGE_SIZE);
			ntotal++;
			if (p - PAGE_SIZE < frame_lo)
				frame_lo = p - PAGE_SIZE;
			if (p > frame_hi)
				frame_hi = p;
		}
	}
}

paddr_t frame_alloc(void)
{
	paddr_t pa = free_head;
	if (!pa)
		return 0;
	free_head = *(paddr_t *)P2V(pa);
	nfree--;
	memset(P2V(pa), 0, PAGE_SIZE);
	return pa;
}

void frame_free(paddr_t pa)
{
	if (pa & (PAGE_SIZE - 1))
		panic("frame_free: unaligned frame %lx", pa);
	*(paddr_t *)P2V(pa) = free_head;
	free_head = pa;
	nfree++;
}

size_t frame_free_count(void) { return nfree; }
size_t frame_total_count(void) { return ntotal; }

void frame_range(paddr_t *lo, paddr_t *hi)
{
	*lo = frame_lo;
	*hi = frame_hi;
}
