/*
 * The PL011 UART driver for AArch64 (QEMU virt), through the device page the boot
 * manifest granted (mmio=0x9000000+0x1000), mapped here as Device-nGnRE memory.
 * Receive is interrupt-driven (RXIM and RTIM: data and receive timeout); transmit is
 * polled (the flag register's TXFF).
 */
#include <relay/errno.h>
#include "console.h"

#define UART_VA 0x180000000ul	/* 6 GiB: below the libsys heap (8 GiB), above the image */
#define DR 0x00
#define FR 0x18
#define IMSC 0x38
#define ICR 0x44
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define INT_RX (1u << 4)
#define INT_RT (1u << 6)

static volatile uint32_t *regs;

static inline uint32_t rd(unsigned off) { return regs[off / 4]; }
static inline void wr(unsigned off, uint32_t v) { regs[off / 4] = v; }

int uart_init(const struct relay_boot_info *bi)
{
	if (bi->dev_mmio_len < 0x1000)
		return -EPERM;
	long err = sys_dev_map(UART_VA);
	if (err)
		return (int)err;
	regs = (volatile uint32_t *)UART_VA;
	wr(ICR, 0x7ff);
	wr(IMSC, INT_RX | INT_RT);
	return 0;
}

int uart_getc(void)
{
	return rd(FR) & FR_RXFE ? -1 : (int)(rd(DR) & 0xff);
}

void uart_putc(uint8_t c)
{
	while (rd(FR) & FR_TXFF)
		;
	wr(DR, c);
}

void uart_rx_done(void)
{
	wr(ICR, INT_RX | INT_RT);
}
