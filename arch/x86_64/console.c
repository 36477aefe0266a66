/* The polled 16550 console on COM1, and power off through QEMU's isa-debug-exit. */
#include "arch.h"
#include <arch/x86.h>

#define COM1 0x3f8

/* 115200 8N1, FIFOs on, no interrupts. */
void x86_console_init(void)
{
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x80);
	outb(COM1 + 0, 0x01);
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03);
	outb(COM1 + 2, 0xc7);
	outb(COM1 + 4, 0x03);
}

static void putc_raw(char c)
{
	while (!(inb(COM1 + 5) & 0x20))
		;
	outb(COM1, (uint8_t)c);
}

/* Write one character, \n as \r\n. */
void arch_console_putc(char c)
{
	if (c == '\n')
		putc_raw('\r');
	putc_raw(c);
}

/* Exit QEMU with status: isa-debug-exit at 0xf4 makes QEMU exit with (v << 1) | 1.
 * A panic writes 0x7e (QEMU exit 253). Falls back to ACPI power off, then halts. */
noreturn void arch_poweroff(int status)
{
	uint32_t v = status == ARCH_EXIT_PANIC ? 0x7e : (uint32_t)status & 0xff;
	__asm__ volatile("cli");
	outl(0xf4, v);
	outw(0x604, 0x2000);
	for (;;)
		__asm__ volatile("hlt");
}
