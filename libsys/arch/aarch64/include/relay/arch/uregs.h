/* A thread's user context as servers read and write it (tok_get_regs / tok_set_regs):
 * the registers of Linux's struct sigcontext and the FP/SIMD state of fpsimd_context. */
#pragma once
#include <stdint.h>

struct relay_uregs {
	uint64_t regs[31], sp, pc, pstate;
	uint64_t tls;		/* tpidr_el0 */
	uint64_t orig_nr;	/* the last Linux call's number (x8) */
	uint64_t orig_arg0;	/* and its first argument (x0 at entry: x0 is the result now) */
	uint32_t fpsr, fpcr;
	uint64_t vregs[64] __attribute__((aligned(16)));	/* q0..q31 */
};
#define UREGS_PC(u) ((u)->pc)
#define UREGS_SP(u) ((u)->sp)
#define UREGS_RET(u) ((u)->regs[0])

/* The page the kernel maps at the top of every user address space, just above the stack:
 * an rt_sigreturn trampoline, the return address of handlers installed without
 * SA_RESTORER (Linux's vDSO sigtramp plays this part). */
#define SIGTRAMP_VA 0x0000fffffffff000ul
