/* Compile-time checks that the offsets in <arch/regs_asm.h> match struct arch_regs. */
#include <stddef.h>
#include <arch/regs.h>
#include <arch/regs_asm.h>
#include <arch/memlayout.h>

#define CHECK(f, OFF) _Static_assert(offsetof(struct arch_regs, f) == OFF, #f)
CHECK(x[0], OFF_X0);
CHECK(x[30], OFF_X30);
CHECK(sp, OFF_SP);
CHECK(pc, OFF_PC);
CHECK(pstate, OFF_PSTATE);
CHECK(tpidr, OFF_TPIDR);
CHECK(fpsr, OFF_FPSR);
CHECK(fpcr, OFF_FPCR);
CHECK(v, OFF_V);
/* SP_EL1 points at the block while at EL0, and SCTLR_EL1.SA checks its alignment. */
_Static_assert(_Alignof(struct arch_regs) >= 16, "arch_regs alignment");
_Static_assert(OFF_V % 16 == 0, "q register area alignment");
_Static_assert(PHYS_MAP_BASE_ASM == PHYS_MAP_BASE, "PHYS_MAP_BASE");
_Static_assert(KSTACK_SIZE % 16 == 0, "kernel stack size");
