/*
 * The arch_* hooks: everything generic kernel code needs from an architecture.
 * Each arch implements these under arch/<arch>/ and provides, on the include path:
 *   <arch/memlayout.h>  PAGE_SIZE, PHYS_MAP_BASE, P2V(), V2P(), USER_TOP, USER_STACK_TOP
 *   <arch/regs.h>       struct arch_regs (the saved user context) and inline accessors
 * Generic code never tests the architecture with #ifdef.
 */
#pragma once
#include "types.h"
#include <arch/memlayout.h>
#include <arch/regs.h>

/* Boot information, filled by arch_early_init() from multiboot / the DTB. */
#define BOOT_MAX_RANGES 16
struct boot_range { paddr_t base, size; };
struct boot_info {
	struct boot_range mem[BOOT_MAX_RANGES];	/* usable RAM */
	int nmem;
	struct boot_range reserved[BOOT_MAX_RANGES];	/* kernel image, initrd, DTB, ... */
	int nreserved;
	paddr_t initrd_base, initrd_size;	/* the boot archive (cpio newc) */
	char cmdline[256];
};

/* Console, traps, MMU, timer: bring the machine up and fill *bi. Interrupts stay off. */
void arch_early_init(struct boot_info *bi);
/* Write one character to the early serial console (polled). */
void arch_console_putc(char c);
/* Start the periodic timer interrupt at hz; each tick calls kernel_timer_tick(). */
void arch_timer_start(unsigned hz);
/* Monotonic time since boot in nanoseconds (follows QEMU's virtual clock). */
uint64_t arch_now_ns(void);
/* Power the machine off; status is the init's exit status (0..255), or
 * ARCH_EXIT_PANIC after a kernel panic. Never returns. */
#define ARCH_EXIT_PANIC 0x100
noreturn void arch_poweroff(int status);
/* Wait (with interrupts enabled) until an interrupt has been handled, then return with them off. */
void arch_idle(void);

/* --- address spaces: one page table root per vspace, kernel half shared --- */
struct arch_vspace {
	paddr_t root;
	uint32_t io_base, io_len;	/* I/O ports user code may use (arch_io_grant) */
};
#define VM_READ  1u
#define VM_WRITE 2u
#define VM_EXEC  4u
#define VM_USER  8u
/* Make an empty user address space (kernel half present). 0 or -ENOMEM. */
int arch_vs_init(struct arch_vspace *vs);
/* Map one 4 KiB page va -> pa with VM_* prot (user accessible). Replaces an existing entry.
 * Allocates page-table frames with frame_alloc(). 0 or -ENOMEM. */
int arch_vs_map(struct arch_vspace *vs, vaddr_t va, paddr_t pa, unsigned prot);
/* Remove the mapping of va if any; returns the old pa or 0. Flushes the TLB entry. */
paddr_t arch_vs_unmap(struct arch_vspace *vs, vaddr_t va);
/* Translate a user va: returns 0 and fills *pa (page base + offset) and *prot, or -EFAULT. */
int arch_vs_lookup(struct arch_vspace *vs, vaddr_t va, paddr_t *pa, unsigned *prot);
/* The first address >= va that may be mapped: va itself if the last-level table for va
 * exists, else the end of the range that the missing table would cover. */
vaddr_t arch_vs_skip_hole(struct arch_vspace *vs, vaddr_t va);
/* Visit the present user pages of [*va, end) in order: fn(va, pa, prot, ctx) returns 0 to
 * go on, 1 to stop after this page, < 0 to stop with that error (returned). *va ends as the
 * first address not visited. Returns 0 or fn's error. One walk per page table, not per page. */
int arch_vs_scan(struct arch_vspace *vs, vaddr_t *va, vaddr_t end,
		 int (*fn)(vaddr_t va, paddr_t pa, unsigned prot, void *ctx), void *ctx);
/* Free every page-table frame of the user half (not the mapped frames). */
void arch_vs_destroy(struct arch_vspace *vs);

/* --- devices for user-space drivers (granted by the boot manifest) --- */
/* Let user code running in vs use the I/O ports [base, base+len) (x86-64: the TSS I/O
 * permission bitmap, loaded while vs is active; never IOPL). 0, or -ENOSYS on an arch
 * without an I/O port space. */
int arch_io_grant(struct arch_vspace *vs, uint32_t base, uint32_t len);
/* Map the device page pa at user va: read/write, never executable, uncached device
 * memory (AArch64 nGnRE, x86-64 PCD|PWT). arch_vs_lookup/scan do not report such pages
 * (they are not frames). 0, -ENOMEM or -EFAULT. */
int arch_vs_map_device(struct arch_vspace *vs, vaddr_t va, paddr_t pa);
/* Is irq an interrupt line a user-space driver may have (it exists and is not the
 * kernel's own timer or a cascade)? */
bool arch_irq_usable(unsigned irq);
/* Unmask / mask the line irq at the interrupt controller. The arch calls kernel_irq()
 * for every usable line that fires, before acknowledging it to the controller. */
void arch_irq_unmask(unsigned irq);
void arch_irq_mask(unsigned irq);

/* --- threads --- */
/* Prepare regs for first entry to user mode at pc with stack sp; arg0 in the first arg register. */
void arch_regs_init_user(struct arch_regs *r, vaddr_t pc, vaddr_t sp, word_t arg0);
/* Make `next` the context that the next return to user mode resumes: save what is lazily
 * held in the CPU for prev (FP/SIMD state, TLS register) into *prev, switch the page table
 * if next_vs differs from the active one, load next's TLS/FP state, point the entry stack
 * at next. prev may be NULL (at boot, or when prev died). Called with interrupts off. */
void arch_switch_to(struct arch_regs *prev, struct arch_regs *next, struct arch_vspace *next_vs);
/* The kernel is about to read r as a whole (fork copies it): bring any state the CPU still
 * holds lazily for r (FP/SIMD) into r. */
void arch_regs_sync(struct arch_regs *r);
/* r is about to be rewritten or reused (a fork child's slot, a freed thread): the CPU must
 * no longer consider its lazily held state r's. */
void arch_regs_reset(struct arch_regs *r);
/* A thread's user context in the form servers exchange (<relay/arch/uregs.h>): to_uregs
 * fills everything but orig_nr/orig_arg0 from r (already synced), with fault_addr where the
 * arch reports a fault address; from_uregs checks u is a user context that is safe to
 * resume (user pc, no privileged flags; -EINVAL otherwise, r untouched) and loads it into r,
 * to be resumed through the full (interrupt) return path. */
struct relay_uregs;
void arch_regs_to_uregs(const struct arch_regs *r, struct relay_uregs *u, word_t fault_addr);
int arch_regs_from_uregs(struct arch_regs *r, const struct relay_uregs *u);
/* The rt_sigreturn trampoline's machine code (len bytes), for the page at SIGTRAMP_VA. */
const uint8_t *arch_sigtramp_code(size_t *len);
/* Return to user mode in the current thread (kernel_current()). */
noreturn void arch_return_to_user(void);
/* Print the saved registers of a thread (for fault and panic reports). */
void arch_dump_regs(const struct arch_regs *r);

/* The thread-pointer (TLS) register: fs_base on x86-64, tpidr_el0 on AArch64. */
#define ARCH_REG_TLS  0
#define ARCH_REG_PC   1
#define ARCH_REG_SP   2
