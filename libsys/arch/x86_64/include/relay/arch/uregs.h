/* A thread's user context as servers read and write it (tok_get_regs / tok_set_regs):
 * the general registers in the order of Linux's struct sigcontext (musl's gregs[]),
 * then what a signal frame needs beyond them. */
#pragma once
#include <stdint.h>

enum {
	UREG_R8, UREG_R9, UREG_R10, UREG_R11, UREG_R12, UREG_R13, UREG_R14, UREG_R15,
	UREG_RDI, UREG_RSI, UREG_RBP, UREG_RBX, UREG_RDX, UREG_RAX, UREG_RCX, UREG_RSP,
	UREG_RIP, UREG_EFLAGS, UREG_CSGSFS, UREG_ERR, UREG_TRAPNO, UREG_OLDMASK, UREG_CR2,
	UREG_NGREGS
};

struct relay_uregs {
	uint64_t gregs[UREG_NGREGS];
	uint64_t tls;		/* fs_base */
	uint64_t orig_nr;	/* the last Linux call's number (rax at entry) */
	uint64_t orig_arg0;	/* and its first argument */
	uint64_t pad;
	uint8_t fpu[512] __attribute__((aligned(16)));	/* FXSAVE image */
};
#define UREGS_PC(u) ((u)->gregs[UREG_RIP])
#define UREGS_SP(u) ((u)->gregs[UREG_RSP])
#define UREGS_RET(u) ((u)->gregs[UREG_RAX])

/* The page the kernel maps at the top of every user address space, just above the stack:
 * an rt_sigreturn trampoline, the return address of handlers installed without
 * SA_RESTORER (Linux's vDSO sigtramp plays this part). */
#define SIGTRAMP_VA 0x00007ffffffff000ul
