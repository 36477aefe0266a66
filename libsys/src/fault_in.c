/* Servers' side of copying through a token: have the pager (mm) make the caller's
 * pages present, as the caller's own access would, before a copy is retried. */
#include <stdbool.h>
#include <relay/native.h>
#include <relay/errno.h>
#include <relay/proto/mm.h>
#include <relay/gen/sysnr.h>

static int mm_ep = -2;	/* -2: not looked up yet */

/* The pager's endpoint (looked up once), or -1 if no server serves the mm routes. */
int libsys_pager_ep(void)
{
	struct relay_boot_info bi;
	if (mm_ep == -2)
		mm_ep = sys_boot_info(&bi) == 0 ? bi.route_ep[ROUTE_mm] : -1;
	return mm_ep;
}

/* 0 if the pager brought [uaddr, uaddr+len) of token's caller in for reading (or writing),
 * -EFAULT if the range is not valid memory of the caller, or no pager serves it. */
long libsys_fault_in(word_t token, word_t uaddr, size_t len, bool write)
{
	struct tok_info ti;
	word_t r[REPLY_WORDS];
	int ep = libsys_pager_ep();
	if (ep < 0 || sys_tok_task(token, &ti))
		return -EFAULT;
	word_t p[6] = { ti.badge, ti.task, uaddr, len, write, ti.brk_base };
	long err = sys_call(ep, MM_FAULT_IN, p, r);
	return err ? err : (long)r[0];
}
