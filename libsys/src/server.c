/* The server receive loop: decode, dispatch to one handler per call, reply, receive. */
#include <relay/server.h>
#include <relay/errno.h>

static long dispatch_one(struct call *c, const struct msg *m, const call_handler_t *dispatch,
			 unsigned nsys, native_handler_t native, word_t r[REPLY_WORDS])
{
	c->token = m->token;
	c->badge = m->badge;
	c->label = m->label;
	for (int i = 0; i < 6; i++)
		c->arg[i] = m->arg[i];
	if (!(m->label & LABEL_LINUX)) {
		c->sys = ~0u;
		return native ? native(c, r) : -ENOSYS;
	}
	c->sys = m->label & LABEL_SYS_MASK;
	if (c->sys >= nsys || !dispatch[c->sys])
		return -ENOSYS;
	return dispatch[c->sys](c);
}

void server_run(int ep, const call_handler_t *dispatch, unsigned nsys, native_handler_t native)
{
	struct msg m;
	struct call c;
	word_t r[REPLY_WORDS] = { 0 };
	word_t token = 0;
	for (;;) {
		long err = sys_reply_recv(token, ep, r, &m);
		token = 0;
		if (err < 0)
			continue;
		r[0] = 0;
		long res = dispatch_one(&c, &m, dispatch, nsys, native, r);
		if (res == CALL_DEFERRED)
			continue;
		if (m.label & LABEL_LINUX || res < 0)
			r[0] = (word_t)res;
		token = m.token;
	}
}
