/* Thread register state: first-entry setup and the context switch (FP/SIMD, TTBR0). */
#include "arch.h"
#include <relay/arch/uregs.h>
#include "kernel.h"
#include "kstring.h"
#include <arch/aarch64.h>
#include <arch/regs_asm.h>

/* Prepare r for the first entry to EL0 at pc with stack sp and x0 = arg0: EL0t with
 * interrupts unmasked, every other register (incl. FP/SIMD, FPCR, FPSR, TLS) zero. */
void arch_regs_init_user(struct arch_regs *r, vaddr_t pc, vaddr_t sp, word_t arg0)
{
	arch_regs_reset(r);
	memset(r, 0, sizeof(*r));
	r->pc = pc;
	r->sp = sp;
	r->x[0] = arg0;
	r->pstate = 0;
}

/*
 * FP/SIMD state is switched lazily: fp_owner's values stay in q0-q31/FPCR/FPSR while other
 * threads run with EL0 FP access trapped (CPACR_EL1.FPEN = 01; EL1 itself never traps).
 * Servers never touch FP, so a call from a program to a server and back saves nothing.
 * The first FP instruction of another thread traps (EC 0x07): a64_fp_trap swaps states.
 */
static struct arch_regs *fp_owner;
static bool fp_open = true;	/* boot.S enables EL0 access */

static void fp_access(bool open)
{
	if (open == fp_open)
		return;
	fp_open = open;
	write_sysreg(cpacr_el1, open ? CPACR_FPEN : (1ul << 20));
	__asm__ volatile("isb");
}

/* The current thread used FP/SIMD without owning the registers: give them to it. */
void a64_fp_trap(void)
{
	struct arch_regs *cur = kernel_current_regs();
	if (fp_owner)
		a64_fp_save(fp_owner);
	a64_fp_load(cur);
	fp_owner = cur;
	fp_access(true);
}

void arch_regs_sync(struct arch_regs *r)
{
	if (r == fp_owner)
		a64_fp_save(r);
}

void arch_regs_reset(struct arch_regs *r)
{
	if (r == fp_owner)
		fp_owner = NULL;
}

/* Make next the context the next return to user mode resumes: EL0 FP access open only if
 * next owns the FP/SIMD registers, TTBR0 switched to next_vs if it is not active. TLS
 * (tpidr_el0) travels with x0-x30 on every entry and exit, and the entry block pointer is
 * reloaded from kernel_current_regs() by arch_return_to_user. Interrupts off. */
void arch_switch_to(struct arch_regs *prev, struct arch_regs *next, struct arch_vspace *next_vs)
{
	(void)prev;
	fp_access(next == fp_owner);
	a64_vs_activate(next_vs);
}

void arch_regs_to_uregs(const struct arch_regs *r, struct relay_uregs *u, word_t fault_addr)
{
	(void)fault_addr;	/* the signal frame's fault_address comes from siginfo */
	memcpy(u->regs, r->x, sizeof(u->regs));
	u->sp = r->sp;
	u->pc = r->pc;
	u->pstate = r->pstate;
	u->tls = r->tpidr;
	u->fpsr = (uint32_t)r->fpsr;
	u->fpcr = (uint32_t)r->fpcr;
	memcpy(u->vregs, r->v, sizeof(u->vregs));
}

int arch_regs_from_uregs(struct arch_regs *r, const struct relay_uregs *u)
{
	if (u->pc >= USER_TOP)
		return -22;	/* EINVAL */
	memcpy(r->x, u->regs, sizeof(r->x));
	r->sp = u->sp;
	r->pc = u->pc;
	r->pstate = u->pstate & 0xf0000000;	/* NZCV only: EL0t, AArch64, interrupts on */
	r->tpidr = u->tls;
	r->fpsr = u->fpsr;
	r->fpcr = u->fpcr;
	memcpy(r->v, u->vregs, sizeof(r->v));
	return 0;
}

/* mov x8, #139 (rt_sigreturn); svc #0 */
const uint8_t *arch_sigtramp_code(size_t *len)
{
	static const uint32_t code[] = { 0xd2801168, 0xd4000001 };
	*len = sizeof(code);
	return (const uint8_t *)code;
}
