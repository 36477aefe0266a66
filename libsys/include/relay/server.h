/*
 * The server framework (MINIX 3 shape): main.c calls server_run() with the dispatch
 * table generated for its route class (table.c); one handler per call, in <topic>.c.
 * A handler returns the Linux result (negative errno), or CALL_DEFERRED to reply
 * later with sys_reply(c->token, ...).
 */
#pragma once
#include <relay/native.h>

struct call {
	word_t token;
	unsigned sys;		/* generic id SYS_* (Linux calls) */
	uint32_t label;		/* native calls: the caller's label */
	uint32_t badge;		/* the caller's badge: its pid */
	word_t arg[6];
};
typedef long (*call_handler_t)(struct call *c);
/* Native (server-to-server) messages: fill r[0..5], return 0 or CALL_DEFERRED. */
typedef long (*native_handler_t)(struct call *c, word_t r[REPLY_WORDS]);

#define CALL_DEFERRED (-0x7fffffffL)

/* Notification bits a server receives (sys_notify, kernel IRQs and cancellations). */
typedef void (*notify_handler_t)(word_t bits);
/* Have server_run call fn for each notification received (default: ignore them). */
void server_set_notify(notify_handler_t fn);

/* Serve calls on ep forever: Linux calls through dispatch[nsys] (NULL: -ENOSYS),
 * native messages through native (NULL: -ENOSYS). */
_Noreturn void server_run(int ep, const call_handler_t *dispatch, unsigned nsys,
			  native_handler_t native);
