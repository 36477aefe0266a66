/* proc server: start-up, the receive loop, fatal faults, what sig forwards, notifications. */
#include <relay/libsys.h>
#include <relay/server.h>
#include <relay/errno.h>
#include <relay/gen/sysnr.h>
#include <relay/proto/sig.h>
#include <relay/proto/console.h>
#include "proc.h"

extern const call_handler_t *const dispatch_table;
long proc_killed(struct call *c);

int proc_mm_ep = -1, proc_vfs_ep = -1, proc_sig_ep = -1;

long proc_tell_vfs(unsigned label, word_t a0, word_t a1)
{
	word_t p[6] = { a0, a1, 0, 0, 0, 0 }, r[REPLY_WORDS];
	if (proc_vfs_ep < 0)
		return 0;
	long err = sys_call(proc_vfs_ep, label, p, r);
	return err ? err : (long)r[0];
}

static long proc_native(struct call *c, word_t r[REPLY_WORDS])
{
	(void)r;
	if (c->label == LABEL_KILL)
		return proc_killed(c);
	if (c->label == PROC_SIG_EXIT || c->label == PROC_SIG_STOP)
		return proc_sig_native(c);
	return -ENOSYS;
}

static int console_ep = -1;

/* The console's keyboard signals (^C, ^\, ^Z) for their process groups. */
static void tty_signals(void)
{
	word_t p[6] = { 0 }, r[REPLY_WORDS];
	for (int i = 0; i < 16 && console_ep >= 0; i++) {
		long sig = sys_call(console_ep, CONSOLE_TAKE_SIGNAL, p, r);	/* r0 */
		if (sig <= 0)
			return;
		proc_kill_pgrp((int)r[1], (int)sig);
	}
}

static void proc_notified(word_t bits)
{
	if (bits & NOTIFY_CANCEL)
		proc_cancel_waits();
	if (bits & PROC_NOTIFY_TTY)
		tty_signals();
}

int main(int argc, char **argv)
{
	struct relay_boot_info bi;
	(void)argc, (void)argv;
	if (sys_boot_info(&bi) < 0 || bi.self_ep < 0)
		return 1;
	proc_mm_ep = bi.route_ep[ROUTE_mm];
	proc_vfs_ep = bi.route_ep[ROUTE_vfs];
	proc_sig_ep = bi.route_ep[ROUTE_sig];
	for (uint32_t i = 0; i < bi.ntasks && i < BOOT_MAX_TASKS; i++)
		if (!strcmp(bi.task[i].name, "console"))
			console_ep = bi.task[i].ep;
	proc_init();
	server_set_notify(proc_notified);
	server_run(bi.self_ep, dispatch_table, SYS_COUNT, proc_native);
}
