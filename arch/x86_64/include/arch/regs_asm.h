/* Offsets into struct arch_regs and constants used by the x86-64 assembly files.
 * Checked against the C definitions in arch/x86_64/asm_offsets.c. */
#pragma once

#define OFF_R15      0
#define OFF_R11      48
#define OFF_RAX      80
#define OFF_RCX      88
#define OFF_VECTOR   120
#define OFF_ERROR    128
#define OFF_RIP      136
#define OFF_CS       144
#define OFF_RFLAGS   152
#define OFF_RSP      160
#define OFF_SS       168
#define OFF_FS_BASE  176
#define OFF_FPU      192

#define ASM_SYSCALL_VECTOR 0x100
#define ASM_NATIVE_BASE    0x52000000

#define KERNEL_VBASE_ASM 0xffffffff80000000
#define SEL_KCODE  0x08
#define SEL_KDATA  0x10
#define SEL_UDATA  0x1b
#define SEL_UCODE  0x23

/* User-controllable RFLAGS bits (CF PF AF ZF SF TF DF OF AC ID); IF and bit 1 are forced. */
#define RFLAGS_USER_MASK 0x240dd5
#define RFLAGS_USER_SET  0x202
