/*
 * A minimal flattened device tree walker: just enough to read /memory, /chosen
 * (initrd, bootargs) and the memory reservation block that QEMU passes in x0.
 */
#include "arch.h"
#include "kernel.h"
#include "kstring.h"
#include <arch/aarch64.h>

#define FDT_MAGIC      0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP        4
#define FDT_END        9
#define RAM_MIN        0x40000000ul   /* nothing below 1 GiB is RAM for us */

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* A big-endian number of `cells` 32-bit cells (1 or 2). */
static uint64_t be_cells(const void *p, int cells)
{
	return cells == 2 ? (uint64_t)be32(p) << 32 | be32((const uint8_t *)p + 4) : be32(p);
}

static void add_range(struct boot_range *r, int *n, paddr_t base, paddr_t size)
{
	if (size && *n < BOOT_MAX_RANGES) {
		r[*n].base = base;
		r[*n].size = size;
		(*n)++;
	}
}

/* Add RAM [base, base+size) clipped to [RAM_MIN, PHYS_MAP_SIZE). */
static void add_memory(struct boot_info *bi, uint64_t base, uint64_t size)
{
	uint64_t end = base + size;
	if (base < RAM_MIN)
		base = RAM_MIN;
	if (end > PHYS_MAP_SIZE)
		end = PHYS_MAP_SIZE;
	if (end > base)
		add_range(bi->mem, &bi->nmem, base, end - base);
}

/* Whether node name n is `want` or `want@unit`. */
static bool node_is(const char *n, const char *want)
{
	size_t l = strlen(want);
	return strncmp(n, want, l) == 0 && (n[l] == 0 || n[l] == '@');
}

/* Parse the DTB at physical address dtb (mapped by the physmap) into *bi. */
void fdt_parse(paddr_t dtb, struct boot_info *bi)
{
	const uint8_t *h = P2V(dtb);
	if (!dtb || be32(h) != FDT_MAGIC)
		panic("aarch64: no device tree at 0x%lx", (unsigned long)dtb);
	uint32_t total = be32(h + 4);
	const uint8_t *st = h + be32(h + 8), *strs = h + be32(h + 12);
	paddr_t d = ALIGN_DOWN(dtb, PAGE_SIZE);
	add_range(bi->reserved, &bi->nreserved, d, ALIGN_UP(dtb + total, PAGE_SIZE) - d);

	/* Memory reservation block: (address, size) pairs up to a zero size. */
	for (const uint8_t *r = h + be32(h + 16); be_cells(r + 8, 2); r += 16)
		add_range(bi->reserved, &bi->nreserved, be_cells(r, 2), be_cells(r + 8, 2));

	int depth = 0, acells = 2, scells = 2;
	bool in_mem = false, in_chosen = false;
	uint64_t initrd_start = 0, initrd_end = 0;
	const uint8_t *p = st;
	for (;;) {
		uint32_t tok = be32(p);
		p += 4;
		if (tok == FDT_BEGIN_NODE) {
			const char *name = (const char *)p;
			depth++;
			in_mem = depth == 2 && node_is(name, "memory");
			in_chosen = depth == 2 && node_is(name, "chosen");
			p += ALIGN_UP(strlen(name) + 1, 4);
		} else if (tok == FDT_END_NODE) {
			depth--;
			in_mem = in_chosen = false;
		} else if (tok == FDT_PROP) {
			uint32_t len = be32(p), nameoff = be32(p + 4);
			const char *name = (const char *)strs + nameoff;
			const uint8_t *v = p + 8;
			p += 8 + ALIGN_UP(len, 4);
			if (depth == 1 && !strcmp(name, "#address-cells"))
				acells = (int)be32(v);
			else if (depth == 1 && !strcmp(name, "#size-cells"))
				scells = (int)be32(v);
			else if (in_mem && !strcmp(name, "reg")) {
				uint32_t step = 4 * (uint32_t)(acells + scells);
				for (uint32_t o = 0; o + step <= len; o += step)
					add_memory(bi, be_cells(v + o, acells),
						   be_cells(v + o + 4 * acells, scells));
			} else if (in_chosen && !strcmp(name, "linux,initrd-start"))
				initrd_start = be_cells(v, len == 8 ? 2 : 1);
			else if (in_chosen && !strcmp(name, "linux,initrd-end"))
				initrd_end = be_cells(v, len == 8 ? 2 : 1);
			else if (in_chosen && !strcmp(name, "bootargs")) {
				size_t n = len < sizeof(bi->cmdline) ? len : sizeof(bi->cmdline) - 1;
				memcpy(bi->cmdline, v, n);
				bi->cmdline[n] = 0;
			}
		} else if (tok == FDT_END || tok != FDT_NOP) {
			break;
		}
		if (p >= h + total)
			break;
	}
	if (initrd_end > initrd_start) {
		bi->initrd_base = initrd_start;
		bi->initrd_size = initrd_end - initrd_start;
		paddr_t b = ALIGN_DOWN(initrd_start, PAGE_SIZE);
		add_range(bi->reserved, &bi->nreserved, b, ALIGN_UP(initrd_end, PAGE_SIZE) - b);
	}
}
