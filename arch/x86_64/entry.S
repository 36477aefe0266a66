/*
 * Kernel entry and exit. The user context is saved straight into the current
 * thread's struct arch_regs: TSS.rsp0 and x86_entry_top point just past its `ss`,
 * so the CPU's interrupt frame (or the syscall stub's pushes) land in rip..ss and
 * the GPR pushes below complete the block. C then runs on the one kernel stack.
 */
#include <arch/regs_asm.h>

.macro PUSH_GPRS
	pushq %rdi
	pushq %rsi
	pushq %rdx
	pushq %rcx
	pushq %rax
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
.endm

.macro POP_GPRS
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rax
	popq %rcx
	popq %rdx
	popq %rsi
	popq %rdi
.endm

	.text
/* Exception and IRQ stubs: make the frame uniform (error code), push the vector. */
.macro VEC n
	.align 16
x86_vec_\n:
	.if (\n == 8 || \n == 10 || \n == 11 || \n == 12 || \n == 13 || \n == 14 || \n == 17 || \n == 21 || \n == 29 || \n == 30)
	.else
	pushq $0
	.endif
	pushq $\n
	jmp x86_trap_common
.endm

.altmacro
.macro VEC_ALL from=0, to=47
	VEC \from
	.if \to-\from
	VEC_ALL %(\from+1), \to
	.endif
.endm
VEC_ALL 0, 47

x86_trap_common:
	PUSH_GPRS
	testb $3, OFF_CS(%rsp)
	jz 1f
	/* from user mode: the block is the thread's regs; continue on the kernel stack */
	movq %rsp, %rdi
	leaq x86_kstack_top(%rip), %rsp
	call x86_trap_user		/* does not return */
	ud2
1:	/* from kernel mode (the frame is on the kernel stack, 16-byte aligned) */
	movq %rsp, %rdi
	call x86_trap_kernel
	POP_GPRS
	addq $16, %rsp
	iretq

/* The `syscall` instruction: rcx = user rip, r11 = user rflags, IF/DF/TF/AC clear. */
	.globl x86_syscall_entry
	.align 16
x86_syscall_entry:
	movq %rsp, x86_user_rsp(%rip)
	movq x86_entry_top(%rip), %rsp
	pushq $SEL_UDATA
	pushq x86_user_rsp(%rip)
	pushq %r11
	pushq $SEL_UCODE
	pushq %rcx
	pushq $0
	pushq $ASM_SYSCALL_VECTOR
	PUSH_GPRS
	leaq x86_kstack_top(%rip), %rsp
	cmpq $ASM_NATIVE_BASE, %rax
	jae 1f
	call kernel_linux_syscall
	jmp arch_return_to_user
1:	call kernel_native_call
	/* fall through */

/* noreturn void arch_return_to_user(void): resume kernel_current() from its regs. */
	.globl arch_return_to_user
arch_return_to_user:
	movq kernel_cur_regs(%rip), %rax
	movq OFF_FS_BASE(%rax), %rdx	/* the TLS base may have been set for this thread */
	cmpq x86_cur_fs(%rip), %rdx
	jne 3f
2:	movq OFF_RFLAGS(%rax), %rdx	/* never let user mode get IOPL, NT, VM or IF=0 */
	andl $RFLAGS_USER_MASK, %edx
	orl $RFLAGS_USER_SET, %edx
	movq %rdx, OFF_RFLAGS(%rax)
	movq %rax, %rsp
	cmpq $ASM_SYSCALL_VECTOR, OFF_VECTOR(%rax)
	jne 4f
	movq OFF_RIP(%rax), %rdx	/* sysret only to a canonical user rip */
	shrq $47, %rdx
	jnz 4f
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	addq $8, %rsp			/* r11 <- rflags below */
	popq %r10
	popq %r9
	popq %r8
	popq %rax
	addq $8, %rsp			/* rcx <- rip below */
	popq %rdx
	popq %rsi
	popq %rdi
	movq 16(%rsp), %rcx		/* rsp -> vector, error, rip, cs, rflags, rsp */
	movq 32(%rsp), %r11
	movq 40(%rsp), %rsp
	sysretq
3:	movq %rdx, %rcx			/* a user TLS base must be below USER_TOP */
	shrq $47, %rcx
	jz 5f
	xorl %edx, %edx
	movq %rdx, OFF_FS_BASE(%rax)
5:	movq %rdx, x86_cur_fs(%rip)
	movq %rax, %rsi
	movl %edx, %eax
	shrq $32, %rdx
	movl $0xc0000100, %ecx
	wrmsr
	movq %rsi, %rax
	jmp 2b
4:	POP_GPRS
	addq $16, %rsp
	iretq

/* void arch_idle(void): wait for one interrupt with interrupts enabled. */
	.globl arch_idle
arch_idle:
	sti
	hlt
	cli
	ret

	.section .rodata
	.align 8
	.globl x86_vectors
x86_vectors:
.macro VADDR n
	.quad x86_vec_\n
.endm
.macro VADDR_ALL from=0, to=47
	VADDR \from
	.if \to-\from
	VADDR_ALL %(\from+1), \to
	.endif
.endm
VADDR_ALL 0, 47

	.data
	.align 8
	.globl x86_entry_top, x86_cur_fs
x86_entry_top:	.quad 0
x86_cur_fs:	.quad 0
x86_user_rsp:	.quad 0

	.section .note.GNU-stack, "", @progbits
