/*
 * User address spaces: 4-level (L0..L3) tables with a 4 KiB granule in TTBR0.
 * The kernel half (the physmap) is TTBR1's boot_l0 and shared by all. Switching
 * TTBR0 flushes the whole (non-ASID) TLB, so only the active space can have TLB
 * entries: map/unmap of an inactive space needs no TLB maintenance.
 */
#include "arch.h"
#include "frame.h"
#include "kernel.h"
#include <arch/aarch64.h>
#include <relay/errno.h>

#define PTE_VALID   (1ull << 0)
#define PTE_TABLE   (1ull << 1)	/* L0-L2: table; L3: page */
#define PTE_ATTR_WB (1ull << 2)	/* MAIR attr1 */
#define PTE_AP_EL0  (1ull << 6)	/* AP[1]: EL0 access */
#define PTE_AP_RO   (1ull << 7)	/* AP[2]: read-only */
#define PTE_SH_IS   (3ull << 8)
#define PTE_AF      (1ull << 10)
#define PTE_NG      (1ull << 11)
#define PTE_PXN     (1ull << 53)
#define PTE_UXN     (1ull << 54)
#define PTE_ADDR    0x0000fffffffff000ull

static uint64_t empty_l0[512] __attribute__((aligned(4096)));
static paddr_t active_root;	/* in TTBR0 now */

/* Load root into TTBR0 (ASID 0) and drop every stale translation. */
static void set_ttbr0(paddr_t root)
{
	dsb(ishst);
	write_sysreg(ttbr0_el1, root);
	isb();
	__asm__ volatile("tlbi vmalle1\n dsb nsh\n isb" ::: "memory");
	active_root = root;
}

/* Replace the boot identity map in TTBR0 with an empty table. */
void a64_mmu_init(void)
{
	set_ttbr0(V2P(empty_l0));
}

/* Make vs active in TTBR0 if it is not already (arch_switch_to). */
void a64_vs_activate(struct arch_vspace *vs)
{
	if (vs->root != active_root)
		set_ttbr0(vs->root);
}

/* Make an empty user address space (kernel half present: TTBR1). 0 or -ENOMEM. */
int arch_vs_init(struct arch_vspace *vs)
{
	vs->root = frame_alloc();
	return vs->root ? 0 : -ENOMEM;
}

/* The level-3 entry for va, creating tables on the way if alloc; NULL if absent. */
static uint64_t *walk(struct arch_vspace *vs, vaddr_t va, bool alloc)
{
	uint64_t *t = P2V(vs->root);
	for (int shift = 39; shift > 12; shift -= 9) {
		uint64_t *e = &t[(va >> shift) & 511];
		if (!(*e & PTE_VALID)) {
			paddr_t f;
			if (!alloc || !(f = frame_alloc()))
				return NULL;
			*e = f | PTE_VALID | PTE_TABLE;
		}
		t = P2V(*e & PTE_ADDR);
	}
	return &t[(va >> 12) & 511];
}

/* Drop the TLB entry of user page va if its space is active. */
static void flush_page(struct arch_vspace *vs, vaddr_t va)
{
	dsb(ishst);
	if (vs->root == active_root)
		__asm__ volatile("tlbi vale1is, %0" :: "r"((va >> 12) & 0xfffffffffffull));
	dsb(ish);
	isb();
}

/* Make instructions written through the physmap to frame pa visible to fetches. */
static void sync_icache(paddr_t pa)
{
	uint64_t line = 4u << (read_sysreg(ctr_el0) >> 16 & 15);
	for (uint64_t a = (uint64_t)P2V(pa); a < (uint64_t)P2V(pa) + PAGE_SIZE; a += line)
		__asm__ volatile("dc cvau, %0" :: "r"(a) : "memory");
	dsb(ish);
	__asm__ volatile("ic ialluis" ::: "memory");
	dsb(ish);
	isb();
}

/* Map one 4 KiB user page va -> pa with VM_* prot (EL0 accessible, PXN); replaces an
 * existing entry. Allocates table frames with frame_alloc(). 0, -ENOMEM or -EFAULT. */
int arch_vs_map(struct arch_vspace *vs, vaddr_t va, paddr_t pa, unsigned prot)
{
	if (va >= USER_TOP)
		return -EFAULT;
	uint64_t *pte = walk(vs, va, true);
	if (!pte)
		return -ENOMEM;
	uint64_t e = (pa & PTE_ADDR) | PTE_VALID | PTE_TABLE | PTE_ATTR_WB | PTE_AP_EL0 |
		     PTE_SH_IS | PTE_AF | PTE_NG | PTE_PXN;
	if (!(prot & VM_WRITE))
		e |= PTE_AP_RO;
	if (!(prot & VM_EXEC))
		e |= PTE_UXN;
	else
		sync_icache(pa & PTE_ADDR);
	uint64_t old = *pte;
	*pte = e;
	if (old & PTE_VALID)
		flush_page(vs, va);
	else
		dsb(ishst);
	return 0;
}

/* Map the device page pa at user va: MAIR attr0 (Device-nGnRE), read/write at EL0,
 * never executable. */
int arch_vs_map_device(struct arch_vspace *vs, vaddr_t va, paddr_t pa)
{
	if (va >= USER_TOP)
		return -EFAULT;
	uint64_t *pte = walk(vs, va, true);
	if (!pte)
		return -ENOMEM;
	uint64_t old = *pte;
	*pte = (pa & PTE_ADDR) | PTE_VALID | PTE_TABLE | PTE_AP_EL0 | PTE_AF | PTE_NG | PTE_PXN |
	       PTE_UXN;
	if (old & PTE_VALID)
		flush_page(vs, va);
	else
		dsb(ishst);
	return 0;
}

/* AArch64 has no I/O port space. */
int arch_io_grant(struct arch_vspace *vs, uint32_t base, uint32_t len)
{
	(void)vs, (void)base, (void)len;
	return -ENOSYS;
}

/* Remove the mapping of va if any; returns the old pa or 0. Flushes the TLB entry. */
paddr_t arch_vs_unmap(struct arch_vspace *vs, vaddr_t va)
{
	uint64_t *pte = va < USER_TOP ? walk(vs, va, false) : NULL;
	if (!pte || !(*pte & PTE_VALID))
		return 0;
	paddr_t pa = *pte & PTE_ADDR;
	*pte = 0;
	flush_page(vs, va);
	return pa;
}

/* A present user PTE's frame and VM_* prot; false for anything else. */
static bool pte_decode(uint64_t pte, paddr_t *pa, unsigned *prot)
{
	if (!(pte & PTE_VALID) || !(pte & PTE_AP_EL0) || !(pte & PTE_ATTR_WB))
		return false;	/* absent, kernel or a device page (not a frame) */
	*pa = pte & PTE_ADDR;
	*prot = VM_USER | VM_READ | (pte & PTE_AP_RO ? 0 : VM_WRITE) | (pte & PTE_UXN ? 0 : VM_EXEC);
	return true;
}

#define PT_PRESENT PTE_VALID
#include "genarch/pt_scan.inc"


static void free_table(paddr_t t, int level)
{
	uint64_t *e = P2V(t);
	if (level < 3)
		for (int i = 0; i < 512; i++)
			if (e[i] & PTE_VALID)
				free_table(e[i] & PTE_ADDR, level + 1);
	frame_free(t);
}

/* Free every page-table frame of the user half (not the mapped frames), root included. */
void arch_vs_destroy(struct arch_vspace *vs)
{
	if (!vs->root)
		return;
	if (vs->root == active_root)
		set_ttbr0(V2P(empty_l0));
	free_table(vs->root, 0);
	vs->root = 0;
}
