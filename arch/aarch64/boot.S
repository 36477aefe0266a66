/*
 * Boot: a Linux arm64 Image header so QEMU (-kernel) loads us at 0x40080000 and
 * enters at EL1 (or EL2) with the MMU off and x0 = DTB physical address.
 * Code here is position independent (adrp/add) until the MMU is on; then we jump
 * to the link address (PHYS_MAP_BASE + PA) and call kernel_main().
 */
#include <arch/regs_asm.h>

	.section .text.head, "ax"
	.globl _head
_head:
	b	boot_entry		// code0
	.long	0			// code1
	.quad	0x80000			// text_offset
	.quad	_image_size		// image_size (incl. bss)
	.quad	0xa			// flags: little endian, 4 KiB pages, anywhere
	.quad	0, 0, 0			// res2..res4
	.ascii	"ARM\x64"		// magic
	.long	0			// res5

boot_entry:
	mov	x19, x0			// DTB physical address
	msr	daifset, #0xf
	mrs	x0, CurrentEL
	cmp	x0, #(2 << 2)
	b.ne	1f
	/* EL2 -> EL1: AArch64 EL1, physical counter/timer usable at EL1, no offset. */
	mov	x0, #(1 << 31)
	msr	hcr_el2, x0
	mov	x0, #3
	msr	cnthctl_el2, x0
	msr	cntvoff_el2, xzr
	mov	x0, #0x33ff		// CPTR_EL2: do not trap FP/SIMD
	msr	cptr_el2, x0
	msr	hstr_el2, xzr
	ldr	x0, =SCTLR_MMU_OFF
	msr	sctlr_el1, x0
	mov	x0, #0x3c5		// EL1h, DAIF masked
	msr	spsr_el2, x0
	adr	x0, 1f
	msr	elr_el2, x0
	eret
1:	ldr	x0, =SCTLR_MMU_OFF
	msr	sctlr_el1, x0
	isb

	/* Clear .bss (it holds the page tables and the stack). */
	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, _end
	add	x1, x1, :lo12:_end
2:	cmp	x0, x1
	b.hs	3f
	stp	xzr, xzr, [x0], #16
	b	2b
3:
	/* boot_l0[0] -> boot_l1; boot_l1: GiB 0 device, GiB 1..4 normal memory.
	 * The same tables serve TTBR1 (physmap) and TTBR0 (identity, for the switch). */
	adrp	x0, boot_l0
	adrp	x1, boot_l1
	orr	x2, x1, #3
	str	x2, [x0]
	ldr	x2, =BLOCK_DEVICE
	str	x2, [x1]
	ldr	x2, =BLOCK_NORMAL
	mov	x3, #1
4:	orr	x4, x2, x3, lsl #30
	str	x4, [x1, x3, lsl #3]
	add	x3, x3, #1
	cmp	x3, #5
	b.ne	4b
	dsb	sy

	ldr	x1, =MAIR_VALUE
	msr	mair_el1, x1
	ldr	x1, =TCR_VALUE
	mrs	x2, id_aa64mmfr0_el1
	and	x2, x2, #7		// PARange
	cmp	x2, #5
	mov	x3, #5
	csel	x2, x2, x3, ls		// at most 48 bits
	orr	x1, x1, x2, lsl #32	// IPS
	msr	tcr_el1, x1
	msr	ttbr0_el1, x0
	msr	ttbr1_el1, x0
	mov	x1, #CPACR_FPEN
	msr	cpacr_el1, x1
	isb
	tlbi	vmalle1
	dsb	nsh
	ldr	x1, =SCTLR_VALUE
	msr	sctlr_el1, x1
	isb
	ldr	x1, =boot_high
	br	x1

boot_high:
	adrp	x0, kstack_top		// now at the link address
	add	x0, x0, :lo12:kstack_top
	mov	sp, x0
	adrp	x0, exception_vectors
	add	x0, x0, :lo12:exception_vectors
	msr	vbar_el1, x0
	isb
	adrp	x0, boot_dtb_pa
	str	x19, [x0, :lo12:boot_dtb_pa]
	mov	x29, xzr
	mov	x30, xzr
	bl	kernel_main
5:	wfi
	b	5b
	.ltorg

	.bss
	.balign	4096
	.globl	boot_l0, boot_l1, kstack_top
boot_l0:	.skip	4096
boot_l1:	.skip	4096
	.balign	16
	.skip	KSTACK_SIZE
kstack_top:
