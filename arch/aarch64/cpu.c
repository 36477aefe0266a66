/* Machine bring-up, the PL011 console, idle and power-off for QEMU virt. */
#include "arch.h"
#include "kernel.h"
#include "kstring.h"
#include <arch/aarch64.h>
#include <arch/regs_asm.h>

paddr_t boot_dtb_pa;	/* x0 at entry, stored by boot.S */

#define UART_DR 0x00
#define UART_FR 0x18
#define UART_FR_TXFF (1u << 5)

/* Write one character to the PL011 (polled); "\n" becomes "\r\n". */
void arch_console_putc(char c)
{
	volatile uint32_t *uart = P2V(UART0_PA);
	if (c == '\n')
		arch_console_putc('\r');
	while (uart[UART_FR / 4] & UART_FR_TXFF)
		;
	uart[UART_DR / 4] = (uint8_t)c;
}

/* Map every GiB of RAM in bi->mem in the physmap (boot.S mapped GiB 0..4 only). */
static void physmap_extend(const struct boot_info *bi)
{
	for (int i = 0; i < bi->nmem; i++)
		for (paddr_t g = bi->mem[i].base >> 30;
		     g <= (bi->mem[i].base + bi->mem[i].size - 1) >> 30; g++)
			if (!boot_l1[g])
				boot_l1[g] = (g << 30) | BLOCK_NORMAL;
	dsb(ishst);
	isb();
}

/* Fill *bi from the DTB, finish the MMU setup, start the GIC; interrupts stay off. */
void arch_early_init(struct boot_info *bi)
{
	memset(bi, 0, sizeof(*bi));
	fdt_parse(boot_dtb_pa, bi);
	paddr_t kbase = V2P(_head), kend = ALIGN_UP(V2P(_end), PAGE_SIZE);
	if (bi->nreserved < BOOT_MAX_RANGES) {
		bi->reserved[bi->nreserved].base = kbase;
		bi->reserved[bi->nreserved++].size = kend - kbase;
	}
	physmap_extend(bi);
	a64_mmu_init();
	a64_timer_init();
}

/* Wait for an interrupt and let it be handled (a masked WFI wakes on a pending IRQ,
 * so one arriving before the WFI is not missed), then return with IRQs masked. */
void arch_idle(void)
{
	__asm__ volatile("wfi\n msr daifclr, #2\n isb\n msr daifset, #2" ::: "memory");
}

/* Exit QEMU through semihosting SYS_EXIT_EXTENDED with status (126 after a panic),
 * then try PSCI SYSTEM_OFF, then stop. Each way is tried once: if it traps (e.g.
 * semihosting disabled) the resulting panic re-enters here and tries the next. */
noreturn void arch_poweroff(int status)
{
	static uint64_t block[2];
	static int stage;
	if (stage == 0) {
		stage = 1;
		block[0] = 0x20026;	/* ADP_Stopped_ApplicationExit */
		block[1] = status == ARCH_EXIT_PANIC ? 126 : (uint64_t)status;
		register uint64_t x0 __asm__("x0") = 0x20;	/* SYS_EXIT_EXTENDED */
		register uint64_t x1 __asm__("x1") = (uint64_t)block;
		__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	}
	if (stage == 1) {
		stage = 2;
		register uint64_t x0 __asm__("x0") = 0x84000008;	/* PSCI SYSTEM_OFF */
		__asm__ volatile("hvc #0" : "+r"(x0) :: "memory");
	}
	for (;;)
		__asm__ volatile("msr daifset, #0xf\n wfi");
}
