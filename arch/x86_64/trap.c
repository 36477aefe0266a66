/* Trap dispatch from entry.S: user faults and IRQs, kernel exceptions, register dumps. */
#include "arch.h"
#include "kernel.h"
#include "kstring.h"
#include <arch/x86.h>

static const char *const exc_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow", "bound range",
	"invalid opcode", "device not available", "double fault", "coprocessor overrun",
	"invalid TSS", "segment not present", "stack fault", "general protection",
	"page fault", "reserved", "x87 FP error", "alignment check", "machine check",
	"SIMD FP error", "virtualization", "control protection",
};

/* An exception or IRQ from user mode; r is the current thread's saved context. */
noreturn void x86_trap_user(struct arch_regs *r)
{
	word_t v = r->vector;
	if (v >= IRQ_BASE && v < IRQ_BASE + 16) {
		x86_irq((unsigned)(v - IRQ_BASE));
	} else {
		enum fault_kind kind;
		vaddr_t addr = r->rip;
		bool write = false;
		switch (v) {
		case 14:
			kind = FAULT_PAGE;
			addr = READ_CR(2);
			write = (r->error & 2) != 0;
			break;
		case 6: kind = FAULT_ILLEGAL; break;
		case 0: case 16: case 19: kind = FAULT_DIVIDE; break;	/* SIGFPE family */
		case 1: case 3: kind = FAULT_BREAKPOINT; break;
		case 17: kind = FAULT_ALIGN; break;
		default: kind = FAULT_OTHER; break;
		}
		kernel_user_fault(kind, addr, write, r->error);
	}
	arch_return_to_user();
}

/* An interrupt or exception in kernel mode: IRQs (only while in arch_idle) are
 * handled and return; anything else is a kernel bug: report and panic. */
void x86_trap_kernel(struct arch_regs *f)
{
	word_t v = f->vector;
	if (v >= IRQ_BASE && v < IRQ_BASE + 16) {
		x86_irq((unsigned)(v - IRQ_BASE));
		return;
	}
	kprintf("\nrelay: x86_64: kernel exception %lu (%s) error %lx at rip %lx cr2 %lx\n",
		v, v < 32 && exc_names[v] ? exc_names[v] : "?", f->error, f->rip,
		(unsigned long)READ_CR(2));
	struct arch_regs k;	/* the frame ends at ss: show the live fs_base */
	memcpy(&k, f, offsetof(struct arch_regs, fs_base));
	k.fs_base = x86_cur_fs;
	arch_dump_regs(&k);
	panic("kernel exception %lu at %p", v, (void *)f->rip);
}

/* Print the saved registers of a thread (for fault and panic reports). */
void arch_dump_regs(const struct arch_regs *r)
{
	kprintf("  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", r->rax, r->rbx, r->rcx, r->rdx);
	kprintf("  rsi %016lx rdi %016lx rbp %016lx rsp %016lx\n", r->rsi, r->rdi, r->rbp, r->rsp);
	kprintf("  r8  %016lx r9  %016lx r10 %016lx r11 %016lx\n", r->r8, r->r9, r->r10, r->r11);
	kprintf("  r12 %016lx r13 %016lx r14 %016lx r15 %016lx\n", r->r12, r->r13, r->r14, r->r15);
	kprintf("  rip %016lx rflags %08lx cs %lx ss %lx fs_base %lx vector %lx error %lx\n",
		r->rip, r->rflags, r->cs, r->ss, r->fs_base, r->vector, r->error);
}
