/* The 8259 PIC, the PIT periodic timer (IRQ 0) and the TSC clock calibrated against PIT channel 2. */
#include "arch.h"
#include "kernel.h"
#include <arch/x86.h>

#define PIC1 0x20
#define PIC2 0xa0
#define PIT_HZ 1193182u

static uint64_t tsc_base, ns_mult;	/* ns = (tsc - tsc_base) * ns_mult >> 32 */

/* Remap the PICs to vectors 0x20..0x2f and mask every line but IRQ 0. */
void x86_pic_init(void)
{
	outb(PIC1, 0x11);
	outb(PIC2, 0x11);
	outb(PIC1 + 1, IRQ_BASE);
	outb(PIC2 + 1, IRQ_BASE + 8);
	outb(PIC1 + 1, 4);
	outb(PIC2 + 1, 2);
	outb(PIC1 + 1, 1);
	outb(PIC2 + 1, 1);
	outb(PIC1 + 1, 0xfe);	/* only IRQ 0 (the PIT) */
	outb(PIC2 + 1, 0xff);
}

/* Count TSC ticks during 10 ms of PIT channel 2 (one-shot, gate via port 0x61). */
void x86_tsc_calibrate(void)
{
	const uint32_t count = PIT_HZ / 100;
	outb(0x61, (inb(0x61) & ~0x02) | 0x01);	/* gate on, speaker off */
	outb(0x43, 0xb0);			/* channel 2, lo/hi, mode 0 */
	outb(0x42, count & 0xff);
	outb(0x42, count >> 8);
	uint64_t t0 = rdtsc();
	while (!(inb(0x61) & 0x20))
		;
	uint64_t t1 = rdtsc();
	uint64_t tsc_hz = (t1 - t0) * 100;
	if (tsc_hz < 1000000)
		tsc_hz = 1000000;
	ns_mult = (1000000000ull << 32) / tsc_hz;	/* < 2^64: no 128-bit division */
	tsc_base = t0;
}

/* Nanoseconds since TSC calibration at boot. */
uint64_t arch_now_ns(void)
{
	return (uint64_t)(((unsigned __int128)(rdtsc() - tsc_base) * ns_mult) >> 32);
}

/* PIT channel 0 in rate-generator mode at hz; IRQ 0 calls kernel_timer_tick(). */
void arch_timer_start(unsigned hz)
{
	uint32_t div = PIT_HZ / (hz ? hz : 100);
	if (div > 0xffff)
		div = 0xffff;
	outb(0x43, 0x34);
	outb(0x40, div & 0xff);
	outb(0x40, div >> 8);
}

static uint16_t pic_mask = 0xfffe;	/* IMR of both PICs: only IRQ 0 (the PIT) open */

static void pic_write_mask(void)
{
	outb(PIC1 + 1, (uint8_t)pic_mask);
	outb(PIC2 + 1, (uint8_t)(pic_mask >> 8));
}

/* ISA lines 1..15 but the cascade (2) may go to a driver; 0 is the kernel's timer. */
bool arch_irq_usable(unsigned irq)
{
	return irq >= 1 && irq < 16 && irq != 2;
}

void arch_irq_unmask(unsigned irq)
{
	if (!arch_irq_usable(irq))
		return;
	pic_mask &= (uint16_t)~(1u << irq);
	if (irq >= 8)
		pic_mask &= (uint16_t)~(1u << 2);	/* the cascade */
	pic_write_mask();
}

void arch_irq_mask(unsigned irq)
{
	if (!arch_irq_usable(irq))
		return;
	pic_mask |= (uint16_t)(1u << irq);
	pic_write_mask();
}

/* Acknowledge a PIC interrupt line and dispatch it (a device line is masked first). */
void x86_irq(unsigned irq)
{
	if (irq == 7 || irq == 15) {	/* spurious unless in service */
		uint16_t pic = irq == 7 ? PIC1 : PIC2;
		outb(pic, 0x0b);
		if (!(inb(pic) & 0x80)) {
			if (irq == 15)
				outb(PIC1, 0x20);
			return;
		}
	}
	if (arch_irq_usable(irq))
		kernel_irq(irq);
	if (irq >= 8)
		outb(PIC2, 0x20);
	outb(PIC1, 0x20);
	if (irq == 0)
		kernel_timer_tick();
}
