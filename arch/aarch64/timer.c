/* The GICv2 and the EL1 virtual timer (PPI 27): the periodic tick and the clock. */
#include "arch.h"
#include "kernel.h"
#include <arch/aarch64.h>

#define GICD_CTLR       0x000
#define GICD_ISENABLER  0x100
#define GICD_ICENABLER  0x180
#define GICD_ITARGETSR  0x800
#define GICD_TYPER      0x004
#define GICD_IPRIORITYR 0x400
#define GICC_CTLR       0x000
#define GICC_PMR        0x004
#define GICC_IAR        0x00c
#define GICC_EOIR       0x010
#define CNTV_CTL_ENABLE 1u

static uint64_t boot_count, ns_mult;	/* ns = (count * ns_mult) >> 32 */
static uint64_t tick_interval;

static inline volatile uint32_t *gicd(unsigned off) { return (volatile uint32_t *)((char *)P2V(GICD_PA) + off); }
static inline volatile uint32_t *gicc(unsigned off) { return (volatile uint32_t *)((char *)P2V(GICC_PA) + off); }

/* Start the clock and enable the GIC with the timer PPI routed (but the timer off). */
void a64_timer_init(void)
{
	uint64_t freq = read_sysreg(cntfrq_el0);
	if (!freq)
		panic("aarch64: CNTFRQ_EL0 is 0");
	ns_mult = (1000000000ull << 32) / freq;
	boot_count = read_sysreg(cntvct_el0);
	write_sysreg(cntv_ctl_el0, 0);
	*gicd(GICD_CTLR) = 1;
	((volatile uint8_t *)gicd(GICD_IPRIORITYR))[TIMER_PPI] = 0xa0;
	*gicd(GICD_ISENABLER) = 1u << TIMER_PPI;
	*gicc(GICC_PMR) = 0xf0;
	*gicc(GICC_CTLR) = 1;
}

/* Monotonic nanoseconds since boot, from CNTVCT_EL0 (QEMU's virtual clock). */
uint64_t arch_now_ns(void)
{
	isb();
	uint64_t c = read_sysreg(cntvct_el0) - boot_count;
	return (uint64_t)(((unsigned __int128)c * ns_mult) >> 32);
}

/* Fire the virtual timer every 1/hz seconds; each expiry calls kernel_timer_tick(). */
void arch_timer_start(unsigned hz)
{
	tick_interval = read_sysreg(cntfrq_el0) / (hz ? hz : 100);
	write_sysreg(cntv_cval_el0, read_sysreg(cntvct_el0) + tick_interval);
	write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
	isb();
}

/* Shared peripheral interrupts (32 and up, as many as the distributor has) may go to
 * drivers; SGIs and PPIs (the timer) stay the kernel's. */
bool arch_irq_usable(unsigned irq)
{
	unsigned lines = 32 * ((*gicd(GICD_TYPER) & 0x1f) + 1);
	return irq >= 32 && irq < lines && irq < 1020;
}

/* Route an SPI to CPU 0 at the timer's priority and enable it. */
void arch_irq_unmask(unsigned irq)
{
	if (!arch_irq_usable(irq))
		return;
	((volatile uint8_t *)gicd(GICD_IPRIORITYR))[irq] = 0xa0;
	((volatile uint8_t *)gicd(GICD_ITARGETSR))[irq] = 1;
	gicd(GICD_ISENABLER)[irq / 32] = 1u << (irq % 32);
}

void arch_irq_mask(unsigned irq)
{
	if (!arch_irq_usable(irq))
		return;
	gicd(GICD_ICENABLER)[irq / 32] = 1u << (irq % 32);
	dsb(sy);
}

/* Acknowledge one interrupt at the GIC; for the timer, re-arm it and tick; a driver's
 * line is masked and notified (kernel_irq) before the end of interrupt. */
void a64_irq(void)
{
	uint32_t iar = *gicc(GICC_IAR);
	uint32_t id = iar & 0x3ff;
	if (id >= 1020)
		return;		/* spurious */
	if (id == TIMER_PPI) {
		uint64_t next = read_sysreg(cntv_cval_el0) + tick_interval;
		uint64_t now = read_sysreg(cntvct_el0);
		if ((int64_t)(next - now) <= 0)
			next = now + tick_interval;	/* fell behind: do not storm */
		write_sysreg(cntv_cval_el0, next);
		isb();
		kernel_timer_tick();
	} else if (arch_irq_usable(id)) {
		kernel_irq(id);
	}
	*gicc(GICC_EOIR) = iar;
}
