/*
 * Exception vectors, the user entry/exit path, and FP/SIMD save/restore.
 *
 * While a thread runs at EL0, SP_EL1 points at its struct arch_regs (set by
 * arch_return_to_user), so the entry stores x0-x30, sp_el0, elr, spsr and
 * tpidr_el0 straight into it without a scratch register, then moves sp to the
 * top of the single kernel stack and calls C. Exceptions taken at EL1 use the
 * kernel stack: IRQs (only expected inside arch_idle) return, the rest panic.
 */
#include <arch/regs_asm.h>

/* x0..x29 to/from the register block at sp (struct arch_regs order). */
.macro	stp_x0_x17
	stp	x0, x1, [sp, #16 * 0]
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
.endm
.macro	stp_x18_x29
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
.endm
.macro	ldp_x0_x17
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
.endm
.macro	ldp_x18_x29
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
.endm

/* Save the user context into the block at sp, switch to the kernel stack, call fn. */
.macro	el0_entry fn
	stp_x0_x17
	stp_x18_x29
	mrs	x0, sp_el0
	stp	x30, x0, [sp, #OFF_X30]
	mrs	x1, elr_el1
	mrs	x2, spsr_el1
	stp	x1, x2, [sp, #OFF_PC]
	mrs	x3, tpidr_el0
	str	x3, [sp, #OFF_TPIDR]
	adrp	x0, kstack_top
	add	x0, x0, :lo12:kstack_top
	mov	sp, x0
	mov	x29, xzr
	bl	\fn
	b	arch_return_to_user
.endm

	.text
	.balign	2048
	.globl	exception_vectors
exception_vectors:
	.org	exception_vectors + 0x000	// current EL, SP0: never used
	b	el1_bad
	.org	exception_vectors + 0x080
	b	el1_bad
	.org	exception_vectors + 0x100
	b	el1_bad
	.org	exception_vectors + 0x180
	b	el1_bad
	.org	exception_vectors + 0x200	// current EL, SPx: sync
	b	el1_bad
	.org	exception_vectors + 0x280	//   irq (arch_idle)
	b	el1_irq_entry
	.org	exception_vectors + 0x300	//   fiq
	b	el1_bad
	.org	exception_vectors + 0x380	//   serror
	b	el1_bad
	.org	exception_vectors + 0x400	// lower EL, AArch64: sync
	el0_entry a64_el0_sync
	.org	exception_vectors + 0x480	//   irq
	el0_entry a64_el0_irq
	.org	exception_vectors + 0x500	//   fiq
	el0_entry a64_el0_other
	.org	exception_vectors + 0x580	//   serror
	el0_entry a64_el0_other
	.org	exception_vectors + 0x600	// lower EL, AArch32: never used
	b	el1_bad
	.org	exception_vectors + 0x680
	b	el1_bad
	.org	exception_vectors + 0x700
	b	el1_bad
	.org	exception_vectors + 0x780
	b	el1_bad

/* Unexpected exception at EL1: save everything and report (a64_el1_fault panics). */
el1_bad:
	sub	sp, sp, #(OFF_TPIDR + 16)
	stp_x0_x17
	stp_x18_x29
	add	x0, sp, #(OFF_TPIDR + 16)
	stp	x30, x0, [sp, #OFF_X30]
	mrs	x1, elr_el1
	mrs	x2, spsr_el1
	stp	x1, x2, [sp, #OFF_PC]
	mrs	x3, tpidr_el0
	str	x3, [sp, #OFF_TPIDR]
	mov	x0, sp
	bl	a64_el1_fault
1:	b	1b

/* IRQ at EL1 (arch_idle's wfi): save the caller-saved registers, handle, eret. */
el1_irq_entry:
	sub	sp, sp, #192
	stp_x0_x17
	stp	x18, x29, [sp, #16 * 9]
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	stp	x30, x0, [sp, #16 * 10]
	str	x1, [sp, #16 * 11]
	bl	a64_irq
	ldr	x1, [sp, #16 * 11]
	ldp	x30, x0, [sp, #16 * 10]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	ldp	x18, x29, [sp, #16 * 9]
	ldp_x0_x17
	add	sp, sp, #192
	eret

/*
 * noreturn void arch_return_to_user(void)
 * Resume kernel_current() at EL0 from its struct arch_regs; leaves SP_EL1 pointing
 * at that block for the next entry. Only NZCV of the saved pstate is honoured.
 */
	.globl	arch_return_to_user
arch_return_to_user:
	adrp	x0, kernel_cur_regs
	ldr	x0, [x0, :lo12:kernel_cur_regs]
	mov	sp, x0
	ldp	x1, x2, [sp, #OFF_PC]
	ldp	x30, x3, [sp, #OFF_X30]
	ldr	x4, [sp, #OFF_TPIDR]
	and	x2, x2, #0xf0000000	// EL0t, interrupts unmasked
	msr	elr_el1, x1
	msr	spsr_el1, x2
	msr	sp_el0, x3
	msr	tpidr_el0, x4
	ldp_x0_x17
	ldp_x18_x29
	eret

/* void a64_fp_save(struct arch_regs *r): store q0-q31, fpsr, fpcr into r. */
	.globl	a64_fp_save
a64_fp_save:
	mrs	x1, fpsr
	mrs	x2, fpcr
	stp	x1, x2, [x0, #OFF_FPSR]
	add	x0, x0, #OFF_V
	stp	q0, q1, [x0, #32 * 0]
	stp	q2, q3, [x0, #32 * 1]
	stp	q4, q5, [x0, #32 * 2]
	stp	q6, q7, [x0, #32 * 3]
	stp	q8, q9, [x0, #32 * 4]
	stp	q10, q11, [x0, #32 * 5]
	stp	q12, q13, [x0, #32 * 6]
	stp	q14, q15, [x0, #32 * 7]
	stp	q16, q17, [x0, #32 * 8]
	stp	q18, q19, [x0, #32 * 9]
	stp	q20, q21, [x0, #32 * 10]
	stp	q22, q23, [x0, #32 * 11]
	stp	q24, q25, [x0, #32 * 12]
	stp	q26, q27, [x0, #32 * 13]
	stp	q28, q29, [x0, #32 * 14]
	stp	q30, q31, [x0, #32 * 15]
	ret

/* void a64_fp_load(const struct arch_regs *r): load q0-q31, fpsr, fpcr from r. */
	.globl	a64_fp_load
a64_fp_load:
	ldp	x1, x2, [x0, #OFF_FPSR]
	msr	fpsr, x1
	msr	fpcr, x2
	add	x0, x0, #OFF_V
	ldp	q0, q1, [x0, #32 * 0]
	ldp	q2, q3, [x0, #32 * 1]
	ldp	q4, q5, [x0, #32 * 2]
	ldp	q6, q7, [x0, #32 * 3]
	ldp	q8, q9, [x0, #32 * 4]
	ldp	q10, q11, [x0, #32 * 5]
	ldp	q12, q13, [x0, #32 * 6]
	ldp	q14, q15, [x0, #32 * 7]
	ldp	q16, q17, [x0, #32 * 8]
	ldp	q18, q19, [x0, #32 * 9]
	ldp	q20, q21, [x0, #32 * 10]
	ldp	q22, q23, [x0, #32 * 11]
	ldp	q24, q25, [x0, #32 * 12]
	ldp	q26, q27, [x0, #32 * 13]
	ldp	q28, q29, [x0, #32 * 14]
	ldp	q30, q31, [x0, #32 * 15]
	ret
