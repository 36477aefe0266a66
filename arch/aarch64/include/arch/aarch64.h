/* AArch64-private definitions shared by the files of arch/aarch64 (not generic code). */
#pragma once
#include "../../../../kernel/include/types.h"

#define read_sysreg(r) ({ word_t _v; __asm__ volatile("mrs %0, " #r : "=r"(_v)); _v; })
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %0" :: "r"((word_t)(v)))
#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")

/* QEMU virt devices (physical addresses; accessed through the physmap). */
#define UART0_PA 0x09000000ul
#define GICD_PA  0x08000000ul
#define GICC_PA  0x08010000ul
#define TIMER_PPI 27            /* EL1 virtual timer */

/* ESR_EL1 exception classes. */
#define EC_UNKNOWN    0x00
#define EC_ILLEGAL    0x0e
#define EC_SVC64      0x15
#define EC_FP_ASIMD   0x07
#define EC_SYSREG     0x18
#define EC_IABT_LOW   0x20
#define EC_PC_ALIGN   0x22
#define EC_DABT_LOW   0x24
#define EC_SP_ALIGN   0x26
#define EC_BRK64      0x3c
#define FSC_ALIGN     0x21      /* data/instruction fault status: alignment fault */

struct arch_regs;
struct boot_info;

/* boot.S / entry.S */
extern paddr_t boot_dtb_pa;
extern uint64_t boot_l0[512], boot_l1[512];
extern char _head[], _end[];
void a64_fp_save(struct arch_regs *r);
void a64_fp_trap(void);
void a64_fp_load(const struct arch_regs *r);
/* fdt.c: fill bi->mem, the initrd, cmdline and the DTB/initrd reservations. */
void fdt_parse(paddr_t dtb, struct boot_info *bi);
/* timer.c: start the clock and the GIC; acknowledge and handle one interrupt. */
void a64_timer_init(void);
void a64_irq(void);
/* mmu.c: drop the boot identity map from TTBR0; make a user space active in TTBR0. */
struct arch_vspace;
void a64_mmu_init(void);
void a64_vs_activate(struct arch_vspace *vs);
