/* Kernel console output (kprintf over arch_console_putc) and panic(). */
#include <stdarg.h>
#include "arch.h"
#include "kernel.h"
#include <relay/format.h>

static void console_put(char c, void *ctx)
{
	(void)ctx;
	arch_console_putc(c);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vformat(console_put, NULL, fmt, ap);
	va_end(ap);
}

/* Report a broken kernel invariant and stop the machine with the panic status. */
void panic(const char *fmt, ...)
{
	va_list ap;
	kprintf("\nrelay: panic: ");
	va_start(ap, fmt);
	vformat(console_put, NULL, fmt, ap);
	va_end(ap);
	kprintf("\n");
	arch_poweroff(ARCH_EXIT_PANIC);
}
