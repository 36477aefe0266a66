/*
 * x86-64 CPU setup: GDT and TSS, IDT, syscall MSRs, SSE, and arch_early_init()
 * which also reads the multiboot information into struct boot_info.
 */
#include "arch.h"
#include "kernel.h"
#include "kstring.h"
#include <arch/x86.h>
#include <arch/regs_asm.h>
#include <relay/errno.h>

/* 64-bit TSS: rsp0 (entry from user mode), ist1 (double fault) and the I/O permission
 * bitmap (a set bit denies the port; the byte after it must be 0xff). */
struct tss {
	uint32_t reserved0;
	uint64_t rsp0, rsp1, rsp2;
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3, iomap_base;
	uint8_t iomap[65536 / 8 + 1];
} __attribute__((packed));

struct idt_gate {
	uint16_t off_lo, sel;
	uint8_t ist, type;
	uint16_t off_mid;
	uint32_t off_hi, reserved;
};

static struct tss tss __attribute__((aligned(16)));
static uint64_t gdt[7] __attribute__((aligned(16))) = {
	0,
	0x00af9a000000ffff,	/* 0x08 kernel code 64 */
	0x00cf92000000ffff,	/* 0x10 kernel data */
	0x00cff2000000ffff,	/* 0x18 user data (DPL 3) */
	0x00affa000000ffff,	/* 0x20 user code 64 (DPL 3) */
	0, 0,			/* 0x28 TSS (16 bytes), filled in at boot */
};
static struct idt_gate idt[256] __attribute__((aligned(16)));
static uint8_t df_stack[4096] __attribute__((aligned(16)));

struct __attribute__((packed)) desc_ptr { uint16_t limit; uint64_t base; };

/* Point the ring-3 -> ring-0 entry stack at rsp0 (just past the current regs' ss). */
void x86_set_rsp0(uint64_t rsp0)
{
	tss.rsp0 = rsp0;
	x86_entry_top = rsp0;
}

uint32_t io_open_base, io_open_len;	/* ports open in the bitmap now (x86.h) */

static void iomap_set(uint32_t base, uint32_t len, bool deny)
{
	for (uint32_t p = base; p < base + len && p < 65536; p++) {
		if (deny)
			tss.iomap[p / 8] |= (uint8_t)(1u << (p % 8));
		else
			tss.iomap[p / 8] &= (uint8_t)~(1u << (p % 8));
	}
}

/* Open exactly vs's granted I/O ports in the TSS bitmap (arch_switch_to). */
void x86_io_switch(const struct arch_vspace *vs)
{
	uint32_t base = vs ? vs->io_base : 0, len = vs ? vs->io_len : 0;
	if (base == io_open_base && len == io_open_len)
		return;
	iomap_set(io_open_base, io_open_len, true);
	iomap_set(base, len, false);
	io_open_base = base;
	io_open_len = len;
}

/* Let user code of vs use the ports [base, base+len) while vs is active. */
int arch_io_grant(struct arch_vspace *vs, uint32_t base, uint32_t len)
{
	if (base >= 65536 || len > 65536 - base)
		return -EINVAL;
	vs->io_base = base;
	vs->io_len = len;
	return 0;
}

static void set_gate(int v, uint64_t fn, int dpl, int ist)
{
	idt[v] = (struct idt_gate){
		.off_lo = (uint16_t)fn, .sel = SEL_KCODE, .ist = (uint8_t)ist,
		.type = (uint8_t)(0x8e | dpl << 5),	/* present, 64-bit interrupt gate */
		.off_mid = (uint16_t)(fn >> 16), .off_hi = (uint32_t)(fn >> 32),
	};
}

/* Load the final GDT with the TSS, the IDT, and set up syscall and SSE. */
void x86_cpu_init(void)
{
	uint64_t base = (uint64_t)&tss, limit = sizeof(tss) - 1;
	gdt[5] = (limit & 0xffff) | (base & 0xffffff) << 16 | 0x89ul << 40 |
		 ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
	gdt[6] = base >> 32;
	tss.ist[0] = (uint64_t)df_stack + sizeof(df_stack);
	tss.iomap_base = offsetof(struct tss, iomap);
	memset(tss.iomap, 0xff, sizeof(tss.iomap));	/* no port for anyone */

	struct desc_ptr gp = { sizeof(gdt) - 1, (uint64_t)gdt };
	__asm__ volatile("lgdt %0\n\t"
			 "pushq $0x08\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\tmovl $0x10, %%eax\n\t"
			 "movl %%eax, %%ds\n\tmovl %%eax, %%es\n\tmovl %%eax, %%ss\n\t"
			 "ltr %w1"
			 :: "m"(gp), "r"(0x28) : "rax", "memory");

	for (int v = 0; v < NUM_VECTORS; v++)
		set_gate(v, x86_vectors[v], v == 3 ? 3 : 0, v == 8 ? 1 : 0);
	struct desc_ptr ip = { sizeof(idt) - 1, (uint64_t)idt };
	__asm__ volatile("lidt %0" :: "m"(ip));

	/* syscall: CS 0x08/SS 0x10; sysret: SS 0x18|3, CS 0x20|3 (base 0x10 + 8 / + 16) */
	wrmsr(MSR_STAR, (uint64_t)0x10 << 48 | (uint64_t)SEL_KCODE << 32);
	wrmsr(MSR_LSTAR, (uint64_t)x86_syscall_entry);
	wrmsr(MSR_FMASK, 0x200 | 0x400 | 0x100 | 0x40000);	/* IF DF TF AC */
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_FS_BASE, 0);
	x86_cur_fs = 0;

	/* SSE for user mode: CR0.MP, !EM, !TS; CR4.OSFXSR | OSXMMEXCPT; x87 clean. */
	WRITE_CR(0, (READ_CR(0) | 0x2) & ~(uint64_t)0xc);
	WRITE_CR(4, READ_CR(4) | 0x600);
	__asm__ volatile("fninit");
}

/* The multiboot 1 information structure (the fields we read). */
struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
};
struct mb_mod { uint32_t start, end, string, reserved; };
struct __attribute__((packed)) mb_mmap { uint32_t size; uint64_t base, len; uint32_t type; };

static void add_range(struct boot_range *r, int *n, paddr_t base, paddr_t size)
{
	if (*n < BOOT_MAX_RANGES && size)
		r[(*n)++] = (struct boot_range){ base, size };
	else if (size)
		kprintf("relay: x86_64: boot range %lx+%lx dropped\n", base, size);
}

/* Fill *bi from the multiboot information the loader left at x86_mbi_pa. */
static void read_multiboot(struct boot_info *bi)
{
	const struct mb_info *mb = P2V(x86_mbi_pa);
	add_range(bi->reserved, &bi->nreserved, V2P(_kernel_start),
		  (paddr_t)(_kernel_end - _kernel_start));
	add_range(bi->reserved, &bi->nreserved, ALIGN_DOWN(x86_mbi_pa, PAGE_SIZE), PAGE_SIZE);
	if (mb->flags & (1u << 2)) {
		const char *s = P2V(mb->cmdline);
		while (*s && *s != ' ')	/* multiboot loaders put the kernel's path first */
			s++;
		while (*s == ' ')
			s++;
		size_t i = 0;
		for (; s[i] && i < sizeof(bi->cmdline) - 1; i++)
			bi->cmdline[i] = s[i];
		bi->cmdline[i] = 0;
	}
	if ((mb->flags & (1u << 3)) && mb->mods_count) {
		const struct mb_mod *m = P2V(mb->mods_addr);
		bi->initrd_base = m->start;
		bi->initrd_size = m->end - m->start;
		add_range(bi->reserved, &bi->nreserved, ALIGN_DOWN(m->start, PAGE_SIZE),
			  ALIGN_UP(m->end, PAGE_SIZE) - ALIGN_DOWN(m->start, PAGE_SIZE));
	}
	if (mb->flags & (1u << 6)) {
		for (uint32_t off = 0; off < mb->mmap_length;) {
			const struct mb_mmap *e = P2V((paddr_t)mb->mmap_addr + off);
			if (e->type == 1)
				add_range(bi->mem, &bi->nmem, e->base, e->len);
			off += e->size + 4;
		}
	} else if (mb->flags & 1u) {
		add_range(bi->mem, &bi->nmem, 0x100000, (paddr_t)mb->mem_upper << 10);
	}
}

/* Bring the machine up (console, GDT/IDT, MMU, PIC, TSC) and fill *bi. Interrupts stay off. */
void arch_early_init(struct boot_info *bi)
{
	x86_console_init();
	x86_cpu_init();
	x86_mmu_init();
	x86_pic_init();
	x86_tsc_calibrate();
	memset(bi, 0, sizeof(*bi));
	read_multiboot(bi);
}
