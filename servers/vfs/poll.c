/*
 * poll and ppoll. Ready descriptors answer at once; otherwise the call is deferred: the
 * revents are cleared in the caller's array, the kernel is asked to reply 0 at the timeout
 * (tok_reply_at), and every change of a pipe re-checks the waiting polls (poll_wake).
 */
#include <relay/libsys.h>
#include <relay/errno.h>
#include <relay/proto/sig.h>
#include "vfs.h"

#define POLL_MAX 1024

struct pollfd_linux { int32_t fd; int16_t events, revents; };

struct poll_waiter {
	word_t token, addr;
	int pid;
	size_t n;
	struct pollfd_linux *fds;
	struct poll_waiter *next;
};

static struct poll_waiter *waiters;

/* Fill revents for every entry; returns how many have some. */
static long poll_scan(struct fdt *t, struct pollfd_linux *p, size_t n)
{
	long ready = 0;
	for (size_t i = 0; i < n; i++) {
		struct file *f = p[i].fd < 0 ? NULL : fd_get(t, p[i].fd);
		unsigned avail;
		if (p[i].fd < 0)
			avail = 0;
		else if (!f)
			avail = POLLNVAL;
		else if (f->kind == FILE_PIPE)
			avail = pipe_poll(f);
		else if (f->kind == FILE_DEV)
			avail = dev_poll(f);
		else
			avail = POLLIN | POLLOUT;
		p[i].revents = (int16_t)(avail & ((unsigned)p[i].events | POLLERR | POLLHUP | POLLNVAL));
		ready += p[i].revents != 0;
	}
	return ready;
}

static void waiter_free(struct poll_waiter *w)
{
	free(w->fds);
	free(w);
}

void poll_wake(void)
{
	for (struct poll_waiter **pp = &waiters; *pp;) {
		struct poll_waiter *w = *pp;
		struct fdt *t = fdt_find(w->pid);
		long ready = t ? poll_scan(t, w->fds, w->n) : 0;
		if (t && !ready) {
			pp = &w->next;
			continue;
		}
		*pp = w->next;
		/* A dead token (the timeout replied, or the caller died) just fails here. */
		if (t && sys_tok_copyout(w->token, w->addr, w->n * sizeof(*w->fds), w->fds) == 0) {
			word_t r[REPLY_WORDS] = { (word_t)ready };
			sys_reply(w->token, r);
		}
		waiter_free(w);
	}
}

/* Answer the deferred polls of interrupted callers (-ERESTARTNOHAND: -EINTR after a
 * handler, as Linux's ppoll). */
void poll_cancel(void)
{
	for (struct poll_waiter **pp = &waiters; *pp;) {
		struct poll_waiter *w = *pp;
		if (sys_tok_interrupted(w->token) != 1) {
			pp = &w->next;
			continue;
		}
		*pp = w->next;
		word_t r[REPLY_WORDS] = { (word_t)-ERESTARTNOHAND };
		sys_reply(w->token, r);
		waiter_free(w);
	}
}

/* The common body: timeout_ns < 0 waits for ever. */
static long do_poll(struct call *c, word_t addr, size_t n, int64_t timeout_ns)
{
	struct fdt *t = fdt_of(c);
	if (!t)
		return -ENOMEM;
	if (n > POLL_MAX || n > (size_t)t->nofile)
		return -EINVAL;
	struct pollfd_linux *fds = malloc(n * sizeof(*fds) + 1);
	if (!fds)
		return -ENOMEM;
	long err = sys_tok_copyin(c->token, addr, n * sizeof(*fds), fds);
	long ready = err ? err : poll_scan(t, fds, n);
	if (ready < 0 || ready > 0 || timeout_ns == 0) {
		if (ready >= 0)
			err = sys_tok_copyout(c->token, addr, n * sizeof(*fds), fds);
		free(fds);
		return err ? err : ready;
	}
	struct poll_waiter *w = malloc(sizeof(*w));
	err = w ? sys_tok_copyout(c->token, addr, n * sizeof(*fds), fds) : -ENOMEM;
	if (!err && timeout_ns > 0)
		err = sys_tok_reply_at(c->token, sys_clock_ns() + (uint64_t)timeout_ns, 0);
	if (err) {
		free(fds);
		free(w);
		return err;
	}
	*w = (struct poll_waiter){ c->token, addr, (int)c->badge, n, fds, waiters };
	waiters = w;
	return CALL_DEFERRED;
}

long vfs_do_poll(struct call *c)
{
	int timeout_ms = (int)c->arg[2];
	return do_poll(c, c->arg[0], c->arg[1], timeout_ms < 0 ? -1 : (int64_t)timeout_ms * 1000000);
}

long vfs_do_ppoll(struct call *c)
{
	int64_t ts[2], timeout_ns = -1;
	if (c->arg[2]) {
		long err = sys_tok_copyin(c->token, c->arg[2], sizeof(ts), ts);
		if (err)
			return err;
		if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
			return -EINVAL;
		timeout_ns = ts[0] * 1000000000 + ts[1];
	}
	return do_poll(c, c->arg[0], c->arg[1], timeout_ns);	/* the signal mask: with signals */
}
