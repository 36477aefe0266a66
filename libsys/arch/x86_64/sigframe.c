/*
 * The x86-64 Linux rt_sigframe, as the kernel's arch/x86/kernel/signal.c lays it out:
 *   frame+0    pretcode (the handler returns there: the SA_RESTORER trampoline)
 *   frame+8    struct ucontext (flags, link, stack_t, sigcontext, sigmask)
 *   frame+312  siginfo (128 bytes)
 * and the 512-byte FXSAVE image below the frame, 64-byte aligned, that sigcontext.fpstate
 * points to. At handler entry rsp = frame (rsp + 8 is 16-byte aligned, as after a call).
 */
#include <relay/sigframe.h>
#include <relay/errno.h>
#include <string.h>
#include <relay/gen/sysnr.h>

#define UC_OFF 8
#define INFO_OFF 312
#define FRAME_SIZE 440
#define SC_WORDS 32		/* gregs[23], fpstate, reserved[8] */
#define UC_FLAGS 0x6		/* UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS */
#define EFLAGS_FIX 0x40dd5ul	/* what sigreturn may change: AC OF DF TF SF ZF AF PF CF RF */
#define EFLAGS_ENTRY_CLEAR 0x10500ul	/* DF TF RF cleared for the handler */

struct x86_ucontext {
	uint64_t flags, link;
	uint64_t ss_sp;
	int32_t ss_flags, pad;
	uint64_t ss_size;
	uint64_t sc[SC_WORDS];
	uint64_t sigmask;
};
_Static_assert(sizeof(struct x86_ucontext) == INFO_OFF - UC_OFF, "ucontext layout");
_Static_assert(UREG_NGREGS == 23, "sigcontext gregs");

const word_t sigframe_min_stack = 2048;
const word_t sigframe_red_zone = 128;

long sigframe_push(word_t token, struct relay_uregs *u, const struct sigframe_args *a)
{
	uint8_t buf[FRAME_SIZE], fp[512];
	struct x86_ucontext uc;
	if (!a->restorer)
		return -EFAULT;	/* x86-64 Linux requires SA_RESTORER */
	word_t fp_addr = (a->sp - sizeof(fp)) & ~63ul;
	word_t frame = ((fp_addr - FRAME_SIZE) & ~15ul) - 8;
	memset(&uc, 0, sizeof(uc));
	uc.flags = UC_FLAGS;
	uc.ss_sp = a->ss_sp;
	uc.ss_flags = a->ss_flags;
	uc.ss_size = a->ss_size;
	memcpy(uc.sc, u->gregs, sizeof(u->gregs));
	uc.sc[UREG_NGREGS] = fp_addr;
	uc.sigmask = a->mask;
	memcpy(buf, &a->restorer, 8);
	memcpy(buf + UC_OFF, &uc, sizeof(uc));
	memcpy(buf + INFO_OFF, a->info, 128);
	memcpy(fp, u->fpu, sizeof(fp));
	memset(fp + 464, 0, 48);	/* sw_reserved: no XSAVE extension (magic1 = 0) */
	if (sys_tok_copyout(token, fp_addr, sizeof(fp), fp) ||
	    sys_tok_copyout(token, frame, sizeof(buf), buf))
		return -EFAULT;
	u->gregs[UREG_RDI] = (word_t)a->sig;
	u->gregs[UREG_RSI] = frame + INFO_OFF;
	u->gregs[UREG_RDX] = frame + UC_OFF;
	u->gregs[UREG_RAX] = 0;
	u->gregs[UREG_RSP] = frame;
	u->gregs[UREG_RIP] = a->handler;
	u->gregs[UREG_EFLAGS] &= ~EFLAGS_ENTRY_CLEAR;
	return 0;
}

long sigframe_pop(word_t token, struct relay_uregs *u, uint64_t *mask)
{
	struct x86_ucontext uc;
	word_t frame = u->gregs[UREG_RSP] - 8;	/* the handler's ret popped pretcode */
	if (sys_tok_copyin(token, frame + UC_OFF, sizeof(uc), &uc))
		return -EFAULT;
	uint64_t eflags = u->gregs[UREG_EFLAGS];
	for (int i = 0; i <= UREG_RIP; i++)
		u->gregs[i] = uc.sc[i];
	u->gregs[UREG_EFLAGS] = (eflags & ~EFLAGS_FIX) | (uc.sc[UREG_EFLAGS] & EFLAGS_FIX);
	if (uc.sc[UREG_NGREGS]) {
		if (sys_tok_copyin(token, uc.sc[UREG_NGREGS], sizeof(u->fpu), u->fpu))
			return -EFAULT;
	} else {
		memset(u->fpu, 0, sizeof(u->fpu));	/* no saved state: a fresh FPU */
		u->fpu[0] = 0x7f, u->fpu[1] = 0x03, u->fpu[24] = 0x80, u->fpu[25] = 0x1f;
	}
	u->orig_nr = ~0ul;	/* not in a system call: nothing to restart */
	*mask = uc.sigmask;
	return 0;
}

void sigframe_restart_syscall(struct relay_uregs *u)
{
	u->gregs[UREG_RAX] = u->orig_nr;
	u->gregs[UREG_RIP] -= 2;	/* the syscall instruction */
}

void sigframe_restart_block(struct relay_uregs *u)
{
	u->gregs[UREG_RAX] = LINUX_NR_restart_syscall;
	u->gregs[UREG_RIP] -= 2;
}
