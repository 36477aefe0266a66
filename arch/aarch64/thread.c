/* Thread register state: first-entry setup and the context switch (FP/SIMD, TTBR0). */
#include "arch.h"
#include "kernel.h"
#include "kstring.h"
#include <arch/aarch64.h>

/* Prepare r for the first entry to EL0 at pc with stack sp and x0 = arg0: EL0t with
 * interrupts unmasked, every other register (incl. FP/SIMD, FPCR, FPSR, TLS) zero. */
void arch_regs_init_user(struct arch_regs *r, vaddr_t pc, vaddr_t sp, word_t arg0)
{
	memset(r, 0, sizeof(*r));
	r->pc = pc;
	r->sp = sp;
	r->x[0] = arg0;
	r->pstate = 0;
}

/* Make next the context the next return to user mode resumes: save prev's FP/SIMD
 * registers (unless prev is NULL), load next's, and switch TTBR0 to next_vs if it is
 * not active. TLS (tpidr_el0) travels with x0-x30 on every entry and exit, and the
 * entry block pointer is reloaded from kernel_current_regs() by arch_return_to_user.
 * Called with interrupts off. */
void arch_switch_to(struct arch_regs *prev, struct arch_regs *next, struct arch_vspace *next_vs)
{
	if (prev == next)
		return;
	if (prev)
		a64_fp_save(prev);
	a64_fp_load(next);
	a64_vs_activate(next_vs);
}
