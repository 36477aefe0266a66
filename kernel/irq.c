/*
 * Device access for user-space drivers. The boot manifest grants a server I/O ports
 * (io=, applied to its address space by arch_io_grant at boot), device memory (mmio=,
 * mapped on request with dev_map) and one interrupt line (irq=). An interrupt becomes a
 * notification: a bound line is masked each time it fires and sets the bound bits in the
 * driver's endpoint notification word (ipc_notify); the driver services its device and
 * unmasks the line with irq_ack. The kernel never touches the device itself.
 */
#include "native.h"
#include "kernel.h"
#include <relay/errno.h>

#define IRQ_LINES 1024

struct irq_binding {
	struct task *task;	/* NULL: not bound */
	int ep;
	word_t bits;
};

static struct irq_binding bindings[IRQ_LINES];
static int nbound;

/* A device interrupt line fired (interrupts off). Mask it and notify its driver; an
 * unbound line just stays masked. */
void kernel_irq(unsigned irq)
{
	arch_irq_mask(irq);
	if (irq >= IRQ_LINES || !bindings[irq].task)
		return;
	ipc_notify(bindings[irq].ep, bindings[irq].bits);
}

/* Whether some driver waits for an interrupt (the scheduler idles instead of reporting a
 * deadlock when every thread is blocked). */
bool irq_waiting(void)
{
	return nbound > 0;
}

/* irq_bind(irq, bits): deliver the line the manifest granted this task as notification
 * bits on its endpoint, and unmask it. 0, or -EPERM (not granted), -EINVAL (no bits, no
 * endpoint), -EBUSY (bound already). */
void nat_irq_bind(struct thread *t)
{
	struct task *tk = t->task;
	word_t irq = W(t, 0), bits = W(t, 1);
	if (tk->irq < 0 || irq != (word_t)tk->irq)
		return set_result(t, -EPERM);
	if (!bits || tk->ep < 0)
		return set_result(t, -EINVAL);
	if (bindings[irq].task)
		return set_result(t, -EBUSY);
	bindings[irq] = (struct irq_binding){ tk, tk->ep, bits };
	nbound++;
	arch_irq_unmask((unsigned)irq);
	set_result(t, 0);
}

/* irq_ack(irq): the driver has serviced its device: unmask the line. 0 or -EPERM. */
void nat_irq_ack(struct thread *t)
{
	word_t irq = W(t, 0);
	if (irq >= IRQ_LINES || bindings[irq].task != t->task)
		return set_result(t, -EPERM);
	arch_irq_unmask((unsigned)irq);
	set_result(t, 0);
}

/* dev_map(va): map the task's whole mmio= range at va (page aligned, in user space) as
 * device memory. 0, or -EPERM (no mmio grant), -EINVAL (bad va), -ENOMEM. */
void nat_dev_map(struct thread *t)
{
	struct task *tk = t->task;
	word_t va = W(t, 0);
	if (!tk->mmio_len)
		return set_result(t, -EPERM);
	if ((va & (PAGE_SIZE - 1)) || va >= USER_TOP || tk->mmio_len > USER_TOP - va)
		return set_result(t, -EINVAL);
	for (word_t off = 0; off < tk->mmio_len; off += PAGE_SIZE) {
		int err = arch_vs_map_device(&tk->vs, va + off, tk->mmio_base + off);
		if (err)
			return set_result(t, err);
	}
	set_result(t, 0);
}
