/*
 * x86-64 boot: a Multiboot 1 header with the a.out kludge (QEMU -kernel loads the
 * flat image at 1 MiB), 32-bit entry, boot page tables, long mode, higher half.
 *
 * Boot page tables (in .bss, zeroed by the loader):
 *   boot_pd:     64 page directories of 2 MiB pages covering PA 0..64 GiB
 *   boot_pdpt:   -> the 64 PDs; used by PML4[256] (PHYS_MAP_BASE) and, during the
 *                switch only, PML4[0] (identity)
 *   boot_pdpt_k: entry 510 -> the first PD (KERNEL_VBASE = -2 GiB maps PA 0..1 GiB)
 */
#include <arch/regs_asm.h>
#define PA(x) ((x) - KERNEL_VBASE_ASM)
#define MB_MAGIC 0x1badb002
#define MB_FLAGS 0x00010003	/* page-align modules, memory info, a.out kludge */

	.section .text.boot, "ax"
	.code32
	.align 8
mb_header:
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)
	.long PA(mb_header)	/* header_addr */
	.long PA(_kernel_start)	/* load_addr */
	.long PA(_edata)	/* load_end_addr */
	.long PA(_kernel_end)	/* bss_end_addr */
	.long PA(_start32)	/* entry_addr */

	.globl _start32
_start32:
	cli
	cld
	cmpl $0x2badb002, %eax
	jne 9f
	movl %ebx, PA(x86_mbi_pa)

	/* 32768 PD entries: PA i<<21, present|write|2 MiB page|global */
	movl $PA(boot_pd), %edi
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $21, %eax
	orl $0x183, %eax
	movl %eax, (%edi,%ecx,8)
	movl %ecx, %eax
	shrl $11, %eax
	movl %eax, 4(%edi,%ecx,8)
	incl %ecx
	cmpl $32768, %ecx
	jb 1b
	/* PDPT entries 0..63 -> the PDs */
	movl $PA(boot_pdpt), %edi
	movl $PA(boot_pd) + 3, %eax
	xorl %ecx, %ecx
2:	movl %eax, (%edi,%ecx,8)
	addl $4096, %eax
	incl %ecx
	cmpl $64, %ecx
	jb 2b
	movl $PA(boot_pd) + 3, PA(boot_pdpt_k) + 510 * 8
	movl $PA(boot_pdpt) + 3, PA(boot_pml4)
	movl $PA(boot_pdpt) + 3, PA(boot_pml4) + 256 * 8
	movl $PA(boot_pdpt_k) + 3, PA(boot_pml4) + 511 * 8

	movl %cr4, %eax
	orl $0x20, %eax			/* PAE */
	movl %eax, %cr4
	movl $PA(boot_pml4), %eax
	movl %eax, %cr3
	movl $0xc0000080, %ecx		/* EFER.LME | SCE */
	rdmsr
	orl $0x101, %eax
	wrmsr
	movl %cr0, %eax
	orl $0x80010001, %eax		/* PG | WP | PE */
	movl %eax, %cr0
	lgdt PA(boot_gdtr)
	ljmp $SEL_KCODE, $PA(start64)
9:	hlt
	jmp 9b

	.code64
start64:
	movabsq $higher_half, %rax
	jmp *%rax
higher_half:
	movl $SEL_KDATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	leaq x86_kstack_top(%rip), %rsp
	movq $0, boot_pml4(%rip)	/* drop the identity map */
	movq %cr3, %rax
	movq %rax, %cr3
	xorl %ebp, %ebp
	call kernel_main
1:	hlt
	jmp 1b

	.section .rodata
	.align 16
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08 kernel code, 64-bit */
	.quad 0x00cf92000000ffff	/* 0x10 kernel data */
boot_gdtr:
	.word boot_gdtr - boot_gdt - 1
	.long PA(boot_gdt)

	.data
	.globl x86_mbi_pa
	.align 8
x86_mbi_pa:
	.quad 0

	.bss
	.align 4096
	.globl boot_pml4
boot_pml4:	.skip 4096
boot_pdpt:	.skip 4096
boot_pdpt_k:	.skip 4096
boot_pd:	.skip 64 * 4096
	.globl x86_kstack, x86_kstack_top
x86_kstack:	.skip 16384
x86_kstack_top:

	.section .note.GNU-stack, "", @progbits
