/*
 * Entry points the architecture calls into generic code. All are called with
 * interrupts off, with the current thread's user registers saved in its
 * struct arch_regs, and each returns to arch code which resumes kernel_current().
 */
#pragma once
#include "types.h"
#include <arch/regs.h>

struct thread;

/* Generic boot, after the arch set up memory access; never returns. */
noreturn void kernel_main(void);
/* The thread whose registers the next return to user mode restores. */
struct thread *kernel_current(void);
/* Its saved register block (arch entry code stores into / loads from it); the variable
 * is the same pointer for assembly. */
struct arch_regs *kernel_current_regs(void);
extern struct arch_regs *kernel_cur_regs;

/* A Linux system call trap (x86-64 `syscall` with rax < NATIVE_BASE, AArch64 `svc #0`). */
void kernel_linux_syscall(void);
/* A kernel-native call (x86-64 `syscall` with rax >= NATIVE_BASE, AArch64 `svc #1`, nr in x8). */
void kernel_native_call(void);
/* A user-mode fault of the current thread. */
enum fault_kind { FAULT_PAGE, FAULT_ILLEGAL, FAULT_DIVIDE, FAULT_BREAKPOINT, FAULT_ALIGN, FAULT_OTHER };
void kernel_user_fault(enum fault_kind kind, vaddr_t addr, bool write, word_t code);
/* The periodic timer fired (the arch acknowledged it already). */
void kernel_timer_tick(void);

/* A device interrupt line fired (not the timer); the arch acknowledges it afterwards.
 * kernel/irq.c masks it and notifies the driver that bound it. */
void kernel_irq(unsigned irq);

/* Kernel console and fatal errors (kernel/printk.c). */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
