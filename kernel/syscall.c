/*
 * The two trap doors: a Linux system call is routed by number to the endpoint of
 * the server class that serves it (or answered -ENOSYS on the spot); a native
 * call from a server is handled here (kernel/native.c holds the handlers).
 */
#include "object.h"
#include "kernel.h"
#include "kstring.h"
#include <relay/errno.h>
#include <relay/gen/route_table.h>

bool kernel_trace;
/* Route class -> endpoint, bound from the boot manifest; -1: not served. */
int8_t route_ep[ROUTE_COUNT] = { [0 ... ROUTE_COUNT - 1] = -1 };

static const char *const route_names[ROUTE_COUNT] = {
#define X(id, name) [id] = name,
	ROUTE_LIST(X)
#undef X
};

/* The route class called `name` in the syscall table, or -1. */
int route_class_by_name(const char *name)
{
	for (int i = 1; i < ROUTE_COUNT; i++)
		if (strcmp(route_names[i], name) == 0)
			return i;
	return -1;
}

void kernel_linux_syscall(void)
{
	struct thread *t = kernel_current();
	word_t nr = arch_regs_linux_nr(&t->regs);
	unsigned sys;
	int ep;

	t->sys_nr = nr;
	t->sys_arg0 = arch_regs_linux_arg(&t->regs, 0);

	if (unlikely(nr > ROUTE_MAX_NR || !(sys = route_sys_of_nr[nr])))
		goto enosys;
	sys--;
	ep = route_ep[route_class_of_sys[sys]];
	if (unlikely(ep < 0))
		goto enosys;
	ipc_send_call(t, ep, LABEL_LINUX | sys, CALL_LINUX);
	return;
enosys:
	if (unlikely(kernel_trace))
		trace_unrouted(t, nr);
	arch_regs_set_linux_ret(&t->regs, (word_t)-ENOSYS);
}
