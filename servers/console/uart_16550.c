/*
 * The 16550 UART driver for x86-64 (COM1 on QEMU pc), through the I/O ports the boot
 * manifest granted (io=0x3f8+8: the kernel opens them in the TSS I/O permission bitmap
 * for this server only). Receive is interrupt-driven (IER: data available, MCR OUT2 lets
 * the line reach the PIC); transmit is polled (the line status register's THRE).
 */
#include <relay/errno.h>
#include "console.h"

#define RBR 0	/* receive buffer / transmit holding register */
#define IER 1
#define FCR 2
#define LCR 3
#define MCR 4
#define LSR 5
#define LSR_DR 0x01
#define LSR_THRE 0x20

static uint16_t base;

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port));
}

int uart_init(const struct relay_boot_info *bi)
{
	if (bi->dev_io_len < 8)
		return -EPERM;
	base = (uint16_t)bi->dev_io_base;
	outb(base + FCR, 0x07);		/* FIFOs on and cleared, interrupt at 1 byte */
	outb(base + MCR, 0x0b);		/* DTR, RTS, OUT2 (the IRQ line's gate) */
	outb(base + IER, 0x01);		/* received data available */
	return 0;
}

int uart_getc(void)
{
	return inb(base + LSR) & LSR_DR ? inb(base + RBR) : -1;
}

void uart_putc(uint8_t c)
{
	while (!(inb(base + LSR) & LSR_THRE))
		;
	outb(base + RBR, c);
}

/* Reading RBR empty clears the 16550's receive interrupt: nothing more to do. */
void uart_rx_done(void)
{
}
