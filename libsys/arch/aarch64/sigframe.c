/*
 * The AArch64 Linux rt_sigframe, as the kernel's arch/arm64/kernel/signal.c lays it out:
 *   frame+0    siginfo (128 bytes)
 *   frame+128  struct ucontext: flags, link, stack_t, sigmask, 120 unused bytes, then at
 *              +176 struct sigcontext (fault_address, x0-x30, sp, pc, pstate) and its
 *              __reserved area holding an fpsimd_context record and a terminator
 * and a frame record {x29, x30} just above it, which the handler's x29 points to.
 * At handler entry sp = frame, x30 = the SA_RESTORER trampoline, or without one the
 * kernel's page at SIGTRAMP_VA (glibc relies on Linux's vDSO for it).
 */
#include <relay/sigframe.h>
#include <relay/errno.h>
#include <string.h>
#include <relay/gen/sysnr.h>

#define UC_OFF 128
#define MC_OFF (UC_OFF + 176)
#define RES_OFF (MC_OFF + 288)
#define FRAME_SIZE (RES_OFF + 4096)
#define FPSIMD_MAGIC 0x46508001u
#define FPSIMD_SIZE 528u
#define USED (RES_OFF + FPSIMD_SIZE + 8)	/* what we write and read back */

struct a64_ucontext {
	uint64_t flags, link;
	uint64_t ss_sp;
	int32_t ss_flags, pad;
	uint64_t ss_size;
	uint64_t sigmask;
	uint8_t unused[128];	/* 120 in Linux, then 8 bytes aligning sigcontext to 16 */
	uint64_t fault_address, regs[31], sp, pc, pstate, pad2;
	uint32_t fp_magic, fp_size, fpsr, fpcr;
	uint64_t vregs[64];
	uint32_t end_magic, end_size;
};
_Static_assert(sizeof(struct a64_ucontext) == USED - UC_OFF, "ucontext layout");

const word_t sigframe_min_stack = 5120;
const word_t sigframe_red_zone = 0;

long sigframe_push(word_t token, struct relay_uregs *u, const struct sigframe_args *a)
{
	static uint8_t buf[USED];
	struct a64_ucontext uc;

	word_t record = (a->sp - 16) & ~15ul;
	word_t frame = (record - FRAME_SIZE) & ~15ul;
	uint64_t rec[2] = { u->regs[29], u->regs[30] };
	memset(&uc, 0, sizeof(uc));
	uc.ss_sp = a->ss_sp;
	uc.ss_flags = a->ss_flags;
	uc.ss_size = a->ss_size;
	uc.sigmask = a->mask;
	memcpy(&uc.fault_address, a->info + 16, 8);	/* si_addr (faults) */
	memcpy(uc.regs, u->regs, sizeof(uc.regs));
	uc.sp = u->sp;
	uc.pc = u->pc;
	uc.pstate = u->pstate;
	uc.fp_magic = FPSIMD_MAGIC;
	uc.fp_size = FPSIMD_SIZE;
	uc.fpsr = u->fpsr;
	uc.fpcr = u->fpcr;
	memcpy(uc.vregs, u->vregs, sizeof(uc.vregs));
	memcpy(buf, a->info, 128);
	memcpy(buf + UC_OFF, &uc, sizeof(uc));
	if (sys_tok_copyout(token, record, sizeof(rec), rec) ||
	    sys_tok_copyout(token, frame, sizeof(buf), buf))
		return -EFAULT;
	u->regs[0] = (word_t)a->sig;
	u->regs[1] = frame;
	u->regs[2] = frame + UC_OFF;
	u->regs[29] = record;
	u->regs[30] = a->restorer ? a->restorer : SIGTRAMP_VA;	/* Linux: the vDSO's sigtramp */
	u->sp = frame;
	u->pc = a->handler;
	return 0;
}

long sigframe_pop(word_t token, struct relay_uregs *u, uint64_t *mask)
{
	struct a64_ucontext uc;
	word_t frame = u->sp;
	if (frame & 15 || sys_tok_copyin(token, frame + UC_OFF, sizeof(uc), &uc))
		return -EFAULT;
	if (uc.fp_magic != FPSIMD_MAGIC || uc.fp_size != FPSIMD_SIZE)
		return -EFAULT;
	memcpy(u->regs, uc.regs, sizeof(u->regs));
	u->sp = uc.sp;
	u->pc = uc.pc;
	u->pstate = uc.pstate;
	u->fpsr = uc.fpsr;
	u->fpcr = uc.fpcr;
	memcpy(u->vregs, uc.vregs, sizeof(u->vregs));
	u->orig_nr = ~0ul;	/* not in a system call: nothing to restart */
	*mask = uc.sigmask;
	return 0;
}

void sigframe_restart_syscall(struct relay_uregs *u)
{
	u->regs[0] = u->orig_arg0;
	u->pc -= 4;	/* the svc instruction */
}

void sigframe_restart_block(struct relay_uregs *u)
{
	u->regs[8] = LINUX_NR_restart_syscall;
	u->pc -= 4;
}
