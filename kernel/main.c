/* The generic kernel's entry: bring the machine up and start the boot tasks. */
#include "object.h"
#include "kernel.h"
#include "frame.h"
#include "kstring.h"
#include <relay/gen/sysnr.h>

void boot_start(const struct boot_info *bi);

/* Whether the kernel command line holds the word w. */
static bool cmdline_has(const char *cmd, const char *w)
{
	size_t n = strlen(w);
	for (const char *p = cmd; *p; p++)
		if ((p == cmd || p[-1] == ' ') && strncmp(p, w, n) == 0 && (p[n] == ' ' || !p[n]))
			return true;
	return false;
}

noreturn void kernel_main(void)
{
	static struct boot_info bi;
	arch_early_init(&bi);
	frame_init(&bi);
	kernel_trace = cmdline_has(bi.cmdline, "trace");
	if (!cmdline_has(bi.cmdline, "quiet"))
		kprintf("relay: %s kernel, %lu MiB free, boot archive %lu KiB\n", RELAY_ARCH_NAME,
			frame_free_count() * PAGE_SIZE >> 20, bi.initrd_size >> 10);
	boot_start(&bi);
	arch_timer_start(100);
	sched_start();
	arch_return_to_user();
}
