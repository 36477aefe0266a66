/* The server receive loop: decode, dispatch to one handler per call, reply, receive.
 * It traps directly (one reply_recv per call) since it is every server's hot path. */
#include <relay/server.h>
#include <relay/errno.h>
#include <relay/arch/trap.h>
#include <relay/gen/sysnr.h>

static long dispatch_one(struct call *c, const call_handler_t *dispatch, unsigned nsys,
			 native_handler_t native, word_t r[REPLY_WORDS])
{
	if (!(c->label & LABEL_LINUX)) {
		c->sys = ~0u;
		return native ? native(c, r) : -ENOSYS;
	}
	c->sys = c->label & LABEL_SYS_MASK;
	if (c->sys >= nsys || !dispatch[c->sys])
		return -ENOSYS;
	return dispatch[c->sys](c);
}

static notify_handler_t notify_handler;

void server_set_notify(notify_handler_t fn)
{
	notify_handler = fn;
}

void server_run(int ep, const call_handler_t *dispatch, unsigned nsys, native_handler_t native)
{
	word_t w[MSG_WORDS] = { 0 };	/* out: token, ep, reply words; in: the message */
	struct call c;
	for (;;) {
		w[1] = (word_t)ep;
		native_trap(NATIVE_reply_recv, w);
		if ((long)w[0] <= 0) {
			if (w[0] == 0 && (uint32_t)w[1] == LABEL_NOTIFY && notify_handler)
				notify_handler(w[2]);
			w[0] = 0;	/* a notification or an error: nothing to reply to */
			continue;
		}
		c.token = w[0];
		c.label = (uint32_t)w[1];
		c.badge = (uint32_t)(w[1] >> 32);
		for (int i = 0; i < 6; i++)
			c.arg[i] = w[2 + i];
		long res = dispatch_one(&c, dispatch, nsys, native, &w[2]);
		if (res == CALL_DEFERRED) {
			w[0] = 0;
			continue;
		}
		if (c.label & LABEL_LINUX || res < 0)
			w[2] = (word_t)res;
		w[0] = c.token;
	}
}
