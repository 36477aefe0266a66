/*
 * User address spaces: 4-level page tables. Every PML4 shares the kernel half
 * (entries 256..511) with boot_pml4; the user half (0..255) is private.
 */
#include "arch.h"
#include "frame.h"
#include "kernel.h"
#include <arch/x86.h>
#include <relay/errno.h>

#define PTE_P   (1ull << 0)
#define PTE_W   (1ull << 1)
#define PTE_U   (1ull << 2)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define PTE_NX  (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull

uint64_t x86_nx_bit;

/* Enable NX if present, then global pages (the identity map is gone, so no stale
 * global entries can shadow user addresses). */
void x86_mmu_init(void)
{
	uint32_t r[4];
	cpuid(0x80000000, r);
	if (r[0] >= 0x80000001) {
		cpuid(0x80000001, r);
		if (r[3] & (1u << 20)) {
			wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
			x86_nx_bit = PTE_NX;
		}
	}
	boot_pml4[0] = 0;
	WRITE_CR(4, READ_CR(4) | 0x80);	/* PGE; toggling it flushes the TLB */
	WRITE_CR(3, READ_CR(3));
}

/* Make an empty user address space (kernel half present). 0 or -ENOMEM. */
int arch_vs_init(struct arch_vspace *vs)
{
	paddr_t pa = frame_alloc();
	if (!pa)
		return -ENOMEM;
	uint64_t *pml4 = P2V(pa);
	for (int i = 256; i < 512; i++)
		pml4[i] = boot_pml4[i];
	vs->root = pa;
	return 0;
}

/* The level-1 entry for va, allocating missing tables if alloc; NULL if absent or no memory. */
static uint64_t *walk(struct arch_vspace *vs, vaddr_t va, bool alloc)
{
	uint64_t *table = P2V(vs->root);
	for (int shift = 39; shift > 12; shift -= 9) {
		uint64_t *e = &table[(va >> shift) & 511];
		if (!(*e & PTE_P)) {
			if (!alloc)
				return NULL;
			paddr_t pa = frame_alloc();
			if (!pa)
				return NULL;
			*e = pa | PTE_P | PTE_W | PTE_U;
		}
		table = P2V(*e & PTE_ADDR);
	}
	return &table[(va >> 12) & 511];
}

static bool is_active(struct arch_vspace *vs)
{
	return (READ_CR(3) & PTE_ADDR) == vs->root;
}

/* Map one 4 KiB user page va -> pa with VM_* prot; replaces an existing entry. 0 or -ENOMEM. */
int arch_vs_map(struct arch_vspace *vs, vaddr_t va, paddr_t pa, unsigned prot)
{
	if (va >= USER_TOP)
		return -EFAULT;
	uint64_t *pte = walk(vs, va, true);
	if (!pte)
		return -ENOMEM;
	uint64_t old = *pte;
	*pte = (pa & PTE_ADDR) | PTE_P | PTE_U | (prot & VM_WRITE ? PTE_W : 0) |
	       (prot & VM_EXEC ? 0 : x86_nx_bit);
	if ((old & PTE_P) && is_active(vs))
		invlpg(va);
	return 0;
}

/* Map the device page pa at user va: writable, not executable, uncached (PCD|PWT). */
int arch_vs_map_device(struct arch_vspace *vs, vaddr_t va, paddr_t pa)
{
	int err = arch_vs_map(vs, va, pa, VM_READ | VM_WRITE);
	uint64_t *pte = err ? NULL : walk(vs, va, false);
	if (pte) {
		*pte |= PTE_PCD | PTE_PWT;
		if (is_active(vs))
			invlpg(va);
	}
	return err;
}

/* Remove the mapping of va if any; returns the old pa or 0. Flushes the TLB entry. */
paddr_t arch_vs_unmap(struct arch_vspace *vs, vaddr_t va)
{
	if (va >= USER_TOP)
		return 0;
	uint64_t *pte = walk(vs, va, false);
	if (!pte || !(*pte & PTE_P))
		return 0;
	paddr_t pa = *pte & PTE_ADDR;
	*pte = 0;
	if (is_active(vs))
		invlpg(va);
	return pa;
}

/* A present user PTE's frame and VM_* prot; false for anything else. */
static bool pte_decode(uint64_t pte, paddr_t *pa, unsigned *prot)
{
	if ((pte & (PTE_P | PTE_U | PTE_PCD)) != (PTE_P | PTE_U))
		return false;	/* absent, kernel or a device page (not a frame) */
	*pa = pte & PTE_ADDR;
	*prot = VM_READ | VM_USER | (pte & PTE_W ? VM_WRITE : 0) | (pte & x86_nx_bit ? 0 : VM_EXEC);
	return true;
}

#define PT_PRESENT PTE_P
#include "genarch/pt_scan.inc"


static void free_table(paddr_t pa, int level)
{
	uint64_t *t = P2V(pa);
	if (level > 1)
		for (int i = 0; i < 512; i++)
			if (t[i] & PTE_P)
				free_table(t[i] & PTE_ADDR, level - 1);
	frame_free(pa);
}

/* Free every page-table frame of the user half and the PML4 (not the mapped frames).
 * If vs is active, switch to the kernel template first. */
void arch_vs_destroy(struct arch_vspace *vs)
{
	if (!vs->root)
		return;
	if (is_active(vs))
		WRITE_CR(3, V2P(boot_pml4));
	uint64_t *pml4 = P2V(vs->root);
	for (int i = 0; i < 256; i++)
		if (pml4[i] & PTE_P)
			free_table(pml4[i] & PTE_ADDR, 3);
	frame_free(vs->root);
	vs->root = 0;
}
