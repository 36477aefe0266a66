/*
 * The saved user context of an x86-64 thread. Entry code stores straight into
 * it: TSS.rsp0 / the syscall entry stack point just past `ss`, so the CPU's
 * interrupt frame lands in rip..ss and the entry stub pushes the rest.
 * Offsets used by assembly are checked in arch/x86_64/asm_offsets.c.
 */
#pragma once
#include "../../../../kernel/include/types.h"

#include <relay/arch/trap.h>
#define NATIVE_BASE RELAY_NATIVE_BASE   /* rax >= this: a Relay native call, not Linux */

struct arch_regs {
	word_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8, rax, rcx, rdx, rsi, rdi;
	word_t vector, error;                 /* vector 0x80+ = syscall entry (SYSCALL_VECTOR) */
	word_t rip, cs, rflags, rsp, ss;      /* iret frame */
	word_t fs_base;                       /* not part of the frame */
	/* FXSAVE image of the x87/SSE state (saved/restored eagerly by arch_switch_to). */
	uint8_t fpu[512] __attribute__((aligned(16)));
};
#define SYSCALL_VECTOR 0x100

static inline word_t arch_regs_linux_nr(const struct arch_regs *r) { return r->rax; }
/* Offsets of the six Linux argument registers and of the eight message registers
 * w0..w7 of native calls (rdi rsi rdx r10 r8 r9 r12 r13): a table, not a switch,
 * since the IPC path moves all of them on every call. */
#define ARCH_REG_OFF(f) ((uint8_t)__builtin_offsetof(struct arch_regs, f))
static const uint8_t arch_mr_off[8] = {
	ARCH_REG_OFF(rdi), ARCH_REG_OFF(rsi), ARCH_REG_OFF(rdx), ARCH_REG_OFF(r10),
	ARCH_REG_OFF(r8), ARCH_REG_OFF(r9), ARCH_REG_OFF(r12), ARCH_REG_OFF(r13),
};
static inline word_t arch_regs_linux_arg(const struct arch_regs *r, int i)
{
	return *(const word_t *)((const char *)r + arch_mr_off[i]);
}
static inline void arch_regs_set_linux_ret(struct arch_regs *r, word_t v) { r->rax = v; }
static inline word_t arch_regs_native_nr(const struct arch_regs *r) { return r->rax - NATIVE_BASE; }

static inline word_t arch_regs_mr(const struct arch_regs *r, int i)
{
	return *(const word_t *)((const char *)r + arch_mr_off[i]);
}
static inline void arch_regs_set_mr(struct arch_regs *r, int i, word_t v)
{
	*(word_t *)((char *)r + arch_mr_off[i]) = v;
}

static inline word_t arch_regs_get(const struct arch_regs *r, int which)
{ return which == 0 ? r->fs_base : which == 1 ? r->rip : r->rsp; }
static inline void arch_regs_set(struct arch_regs *r, int which, word_t v)
{
	if (which == 0) r->fs_base = v; else if (which == 1) r->rip = v; else r->rsp = v;
}
