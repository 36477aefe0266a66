/* sig server: start-up, native messages (proc's, the vfs's, the kernel's upcalls and
 * faults) and notifications. */
#include <relay/libsys.h>
#include <relay/server.h>
#include <relay/errno.h>
#include <relay/gen/sysnr.h>
#include "sig.h"

extern const call_handler_t *const dispatch_table;
int sig_proc_ep = -1;

static long sig_native(struct call *c, word_t r[REPLY_WORDS])
{
	for (int i = 0; i < REPLY_WORDS; i++)
		r[i] = 0;	/* they hold the message's words */
	if (c->label == LABEL_UPCALL)
		return sig_upcall(c);
	if (c->label == LABEL_KILL)
		return sig_fault(c);
	return sig_native_state(c, r);
}

static void sig_notified(word_t bits)
{
	sig_waiters_check(bits & NOTIFY_CANCEL, bits & NOTIFY_TIMER);
}

int main(int argc, char **argv)
{
	struct relay_boot_info bi;
	(void)argc, (void)argv;
	if (sys_boot_info(&bi) < 0 || bi.self_ep < 0)
		return 1;
	sig_proc_ep = bi.route_ep[ROUTE_proc];
	server_set_notify(sig_notified);
	server_run(bi.self_ep, dispatch_table, SYS_COUNT, sig_native);
}
