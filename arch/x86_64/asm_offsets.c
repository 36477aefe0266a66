/* Compile-time checks that the offsets in <arch/regs_asm.h> match struct arch_regs. */
#include <stddef.h>
#include <arch/regs.h>
#include <arch/regs_asm.h>
#include <arch/memlayout.h>

#define CHECK(f, OFF) _Static_assert(offsetof(struct arch_regs, f) == OFF, #f)
CHECK(r15, OFF_R15);
CHECK(r11, OFF_R11);
CHECK(rax, OFF_RAX);
CHECK(rcx, OFF_RCX);
CHECK(vector, OFF_VECTOR);
CHECK(error, OFF_ERROR);
CHECK(rip, OFF_RIP);
CHECK(cs, OFF_CS);
CHECK(rflags, OFF_RFLAGS);
CHECK(rsp, OFF_RSP);
CHECK(ss, OFF_SS);
CHECK(fs_base, OFF_FS_BASE);
CHECK(fpu, OFF_FPU);
/* The CPU aligns the interrupt stack to 16 bytes: rsp0 = &fs_base must already be. */
_Static_assert(OFF_FS_BASE % 16 == 0, "fs_base alignment");
_Static_assert(_Alignof(struct arch_regs) >= 16, "arch_regs alignment");
_Static_assert(ASM_SYSCALL_VECTOR == SYSCALL_VECTOR, "SYSCALL_VECTOR");
_Static_assert(ASM_NATIVE_BASE == NATIVE_BASE, "NATIVE_BASE");
_Static_assert(KERNEL_VBASE_ASM == KERNEL_VBASE, "KERNEL_VBASE");
