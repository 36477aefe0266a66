/* x86-64 internals shared by the files under arch/x86_64/ (not used by generic code). */
#pragma once
#include "../../../../kernel/include/types.h"

struct arch_regs;

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" :: "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}
static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" :: "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}
static inline void cpuid(uint32_t leaf, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(0));
}
#define READ_CR(n) ({ uint64_t _v; __asm__ volatile("mov %%cr" #n ", %0" : "=r"(_v)); _v; })
#define WRITE_CR(n, v) __asm__ volatile("mov %0, %%cr" #n :: "r"((uint64_t)(v)) : "memory")
static inline void invlpg(uint64_t va) { __asm__ volatile("invlpg (%0)" :: "r"(va) : "memory"); }

#define MSR_EFER        0xc0000080
#define MSR_STAR        0xc0000081
#define MSR_LSTAR       0xc0000082
#define MSR_FMASK       0xc0000084
#define MSR_FS_BASE     0xc0000100
#define EFER_SCE        (1u << 0)
#define EFER_NXE        (1u << 11)

#define IRQ_BASE        0x20	/* the 8259 PIC is remapped to vectors 0x20..0x2f */
#define NUM_VECTORS     48

/* boot.S */
extern uint64_t boot_pml4[512];	/* the kernel template: user half empty */
extern uint32_t x86_mbi_pa;	/* physical address of the multiboot info */
extern char _kernel_start[], _kernel_end[];
/* entry.S */
extern uint64_t x86_vectors[NUM_VECTORS];
extern uint64_t x86_entry_top;	/* syscall entry stack: just past the current regs' ss */
extern uint64_t x86_cur_fs;	/* fs_base value loaded in the MSR */
void x86_syscall_entry(void);
/* cpu.c */
void x86_cpu_init(void);
void x86_set_rsp0(uint64_t rsp0);
struct arch_vspace;
void x86_io_switch(const struct arch_vspace *vs);
extern uint32_t io_open_len;	/* ports open now: 0 while no driver with ports runs */
/* trap.c: called by entry.S */
noreturn void x86_trap_user(struct arch_regs *r);
void x86_trap_kernel(struct arch_regs *r);
/* timer.c */
void x86_pic_init(void);
void x86_tsc_calibrate(void);
void x86_irq(unsigned irq);
/* mmu.c */
void x86_mmu_init(void);
extern uint64_t x86_nx_bit;	/* PTE_NX if the CPU supports it, else 0 */
/* console.c */
void x86_console_init(void);
