/* User thread contexts: first-entry registers and the context switch. */
#include "arch.h"
#include "kstring.h"
#include <arch/x86.h>
#include <arch/regs_asm.h>
#include <relay/arch/uregs.h>

/* Prepare r for the first entry to user mode at pc with stack sp and rdi = arg0:
 * everything else zero, IF on, a default (fninit + MXCSR 0x1f80) FPU image. */
void arch_regs_init_user(struct arch_regs *r, vaddr_t pc, vaddr_t sp, word_t arg0)
{
	memset(r, 0, sizeof(*r));
	r->rip = pc;
	r->rsp = sp;
	r->rdi = arg0;
	r->cs = SEL_UCODE;
	r->ss = SEL_UDATA;
	r->rflags = 0x202;
	r->vector = SYSCALL_VECTOR;	/* all of it is restored by sysret anyway */
	r->fpu[0] = 0x7f;		/* FCW 0x037f */
	r->fpu[1] = 0x03;
	r->fpu[24] = 0x80;		/* MXCSR 0x1f80 */
	r->fpu[25] = 0x1f;
}

/* Make next the context that the next return to user mode resumes (interrupts off):
 * save prev's FPU state, load next's, switch CR3 if needed, load fs_base, and point
 * the entry stack (TSS.rsp0, x86_entry_top) just past next's ss. */
void arch_switch_to(struct arch_regs *prev, struct arch_regs *next, struct arch_vspace *next_vs)
{
	if (prev)
		__asm__ volatile("fxsave64 %0" : "=m"(prev->fpu));
	__asm__ volatile("fxrstor64 %0" :: "m"(next->fpu));
	if (next_vs && next_vs->root != (READ_CR(3) & ~0xfffull)) {
		WRITE_CR(3, next_vs->root);
		if (__builtin_expect(next_vs->io_len | io_open_len, 0))
			x86_io_switch(next_vs);	/* a driver with I/O ports comes or goes */
	}
	if (next->fs_base >= USER_TOP)	/* wrmsr would fault on a non-canonical base */
		next->fs_base = 0;
	if (next->fs_base != x86_cur_fs) {
		wrmsr(MSR_FS_BASE, next->fs_base);
		x86_cur_fs = next->fs_base;
	}
	x86_set_rsp0((uint64_t)&next->fs_base);
}

/* x86-64 switches FP/SSE state eagerly in arch_switch_to: nothing is held lazily. */
void arch_regs_sync(struct arch_regs *r) { (void)r; }
void arch_regs_reset(struct arch_regs *r) { (void)r; }

/* Linux's sigcontext order (UREG_*) of the general registers in struct arch_regs. */
#define GREG(f) ((uint16_t)__builtin_offsetof(struct arch_regs, f))
static const uint16_t greg_off[UREG_RSP + 1] = {
	GREG(r8), GREG(r9), GREG(r10), GREG(r11), GREG(r12), GREG(r13), GREG(r14), GREG(r15),
	GREG(rdi), GREG(rsi), GREG(rbp), GREG(rbx), GREG(rdx), GREG(rax), GREG(rcx), GREG(rsp),
};

void arch_regs_to_uregs(const struct arch_regs *r, struct relay_uregs *u, word_t fault_addr)
{
	for (int i = 0; i <= UREG_RSP; i++)
		u->gregs[i] = *(const word_t *)((const char *)r + greg_off[i]);
	u->gregs[UREG_RIP] = r->rip;
	u->gregs[UREG_EFLAGS] = r->rflags;
	u->gregs[UREG_CSGSFS] = r->cs | (word_t)r->ss << 48;
	u->gregs[UREG_ERR] = r->vector < 32 ? r->error : 0;
	u->gregs[UREG_TRAPNO] = r->vector < 32 ? r->vector : 0;
	u->gregs[UREG_CR2] = r->vector == 14 ? fault_addr : 0;
	u->tls = r->fs_base;
	memcpy(u->fpu, r->fpu, sizeof(u->fpu));
}

int arch_regs_from_uregs(struct arch_regs *r, const struct relay_uregs *u)
{
	if (u->gregs[UREG_RIP] >= USER_TOP || u->tls >= USER_TOP)
		return -22;	/* EINVAL: iretq to a non-canonical rip would fault in the kernel */
	for (int i = 0; i <= UREG_RSP; i++)
		*(word_t *)((char *)r + greg_off[i]) = u->gregs[i];
	r->rip = u->gregs[UREG_RIP];
	r->rflags = u->gregs[UREG_EFLAGS];	/* made safe by arch_return_to_user */
	r->cs = SEL_UCODE;
	r->ss = SEL_UDATA;
	r->vector = 0;		/* not SYSCALL_VECTOR: resume through iretq, every register */
	r->error = 0;
	r->fs_base = u->tls;
	memcpy(r->fpu, u->fpu, sizeof(r->fpu));
	uint32_t mxcsr;		/* reserved MXCSR bits would make fxrstor fault */
	memcpy(&mxcsr, r->fpu + 24, 4);
	mxcsr &= 0xffff;
	memcpy(r->fpu + 24, &mxcsr, 4);
	return 0;
}

/* mov $15, %eax (rt_sigreturn); syscall */
const uint8_t *arch_sigtramp_code(size_t *len)
{
	static const uint8_t code[] = { 0xb8, 0x0f, 0x00, 0x00, 0x00, 0x0f, 0x05 };
	*len = sizeof(code);
	return code;
}
