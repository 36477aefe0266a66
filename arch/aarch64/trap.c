/* Exception dispatch from entry.S: EL0 traps to the generic kernel, EL1 faults to panic. */
#include "arch.h"
#include "kernel.h"
#include <arch/aarch64.h>

/* A synchronous exception from EL0; the registers are saved in kernel_current_regs(). */
void a64_el0_sync(void)
{
	word_t esr = read_sysreg(esr_el1);
	unsigned ec = (unsigned)(esr >> 26) & 0x3f;
	if (likely(ec == EC_SVC64)) {
		unsigned imm = esr & 0xffff;
		if (likely(imm == 0))
			kernel_linux_syscall();
		else if (imm == 1)
			kernel_native_call();
		else
			kernel_user_fault(FAULT_ILLEGAL, kernel_current_regs()->pc - 4, false, esr);
		return;
	}
	struct arch_regs *r = kernel_current_regs();
	word_t far = read_sysreg(far_el1);
	switch (ec) {
	case EC_FP_ASIMD:	/* lazy FP/SIMD: hand the registers over, retry the instruction */
		a64_fp_trap();
		break;
	case EC_DABT_LOW:
	case EC_IABT_LOW:
		kernel_user_fault((esr & 0x3f) == FSC_ALIGN ? FAULT_ALIGN : FAULT_PAGE, far,
				  ec == EC_DABT_LOW && (esr & (1u << 6)), esr);
		break;
	case EC_PC_ALIGN:
		kernel_user_fault(FAULT_ALIGN, far, false, esr);
		break;
	case EC_SP_ALIGN:
		kernel_user_fault(FAULT_ALIGN, r->sp, false, esr);
		break;
	case EC_UNKNOWN:
	case EC_ILLEGAL:
	case EC_SYSREG:
		kernel_user_fault(FAULT_ILLEGAL, r->pc, false, esr);
		break;
	case EC_BRK64:
		kernel_user_fault(FAULT_BREAKPOINT, r->pc, false, esr);
		break;
	default:
		kernel_user_fault(FAULT_OTHER, r->pc, false, esr);
		break;
	}
}

/* An IRQ taken at EL0. */
void a64_el0_irq(void)
{
	a64_irq();
}

/* FIQ or SError from EL0: not expected on QEMU virt; blame the thread. */
void a64_el0_other(void)
{
	kernel_user_fault(FAULT_OTHER, kernel_current_regs()->pc, false, read_sysreg(esr_el1));
}

/* Print the saved registers of a thread (for fault and panic reports). */
void arch_dump_regs(const struct arch_regs *r)
{
	for (int i = 0; i < 31; i += 2) {
		if (i < 30)
			kprintf("  x%02d %016lx  x%02d %016lx\n", i, r->x[i], i + 1, r->x[i + 1]);
		else
			kprintf("  x30 %016lx  sp  %016lx\n", r->x[30], r->sp);
	}
	kprintf("  pc  %016lx  pstate %08lx  tpidr %016lx\n", r->pc, r->pstate, r->tpidr);
}

/* An exception at EL1 other than an IRQ: a kernel bug. Report it and stop. */
void a64_el1_fault(struct arch_regs *frame)
{
	word_t esr = read_sysreg(esr_el1), far = read_sysreg(far_el1);
	kprintf("\naarch64: kernel exception: ESR %016lx (EC 0x%lx) FAR %016lx ELR %016lx\n",
		esr, esr >> 26 & 0x3f, far, frame->pc);
	arch_dump_regs(frame);
	panic("exception at EL1");
}
