/*
 * The saved user context of an AArch64 thread. The exception entry stores
 * x0-x30, sp_el0, elr_el1, spsr_el1 and tpidr_el0 straight into it.
 * Offsets used by assembly are checked in arch/aarch64/asm_offsets.c.
 */
#pragma once
#include "../../../../kernel/include/types.h"

struct arch_regs {
	word_t x[31];
	word_t sp, pc, pstate, tpidr;   /* sp_el0, elr_el1, spsr_el1, tpidr_el0 */
	/* FP/SIMD state, switched eagerly by arch_switch_to (not by the entry code). */
	word_t fpsr, fpcr;
	word_t v[64] __attribute__((aligned(16)));  /* q0..q31, two words each */
};

static inline word_t arch_regs_linux_nr(const struct arch_regs *r) { return r->x[8]; }
static inline word_t arch_regs_linux_arg(const struct arch_regs *r, int i) { return r->x[i]; }
static inline void arch_regs_set_linux_ret(struct arch_regs *r, word_t v) { r->x[0] = v; }
static inline word_t arch_regs_native_nr(const struct arch_regs *r) { return r->x[8]; }
/* Message registers w0..w7 of native calls (svc #1): x0..x7. */
static inline word_t arch_regs_mr(const struct arch_regs *r, int i) { return r->x[i]; }
static inline void arch_regs_set_mr(struct arch_regs *r, int i, word_t v) { r->x[i] = v; }

static inline word_t arch_regs_get(const struct arch_regs *r, int which)
{ return which == 0 ? r->tpidr : which == 1 ? r->pc : r->sp; }
static inline void arch_regs_set(struct arch_regs *r, int which, word_t v)
{
	if (which == 0) r->tpidr = v; else if (which == 1) r->pc = v; else r->sp = v;
}
