/* User-mode faults. Until the mm and sig servers take them over, a fault is reported
 * and ends its task: a server's death stops the machine with the failure status. */
#include "object.h"
#include "kernel.h"
#include <relay/abi.h>
#include <relay/gen/sysnr.h>

static const char *const fault_names[] = {
	[FAULT_PAGE] = "page fault", [FAULT_ILLEGAL] = "illegal instruction",
	[FAULT_DIVIDE] = "divide error", [FAULT_BREAKPOINT] = "breakpoint",
	[FAULT_ALIGN] = "alignment fault", [FAULT_OTHER] = "exception",
};
static const int fault_signals[] = {
	[FAULT_PAGE] = 11, [FAULT_ILLEGAL] = 4, [FAULT_DIVIDE] = 8,
	[FAULT_BREAKPOINT] = 5, [FAULT_ALIGN] = 7, [FAULT_OTHER] = 11,
};

/* Thread t (current, or holding no token) dies of signal sig: the process manager is told
 * (a LABEL_KILL call it answers with tok_exit), or without one the thread just ends. */
void fault_kill(struct thread *t, int sig)
{
	int ep = route_ep[ROUTE_proc];
	if (ep < 0 || t->task->is_server) {
		thread_exit(t, 128 + sig, true);
		return;
	}
	t->fault_flags = (word_t)sig;
	if (t == kernel_current()) {
		ipc_send_call(t, ep, LABEL_KILL, CALL_FAULT);
		return;
	}
	t->label = LABEL_KILL;
	t->kind = CALL_FAULT;
	ipc_pass(t, ep);
}

void kernel_user_fault(enum fault_kind kind, vaddr_t addr, bool write, word_t code)
{
	struct thread *t = kernel_current();
	struct task *tk = t->task;
	if (kind == FAULT_PAGE && tk->pager_ep >= 0) {
		/* The pager (mm) resolves it and replies 0, or replies -signal to kill. */
		t->fault_addr = addr;
		t->fault_flags = write ? FAULT_FLAG_WRITE : 0;
		ipc_send_call(t, tk->pager_ep, LABEL_FAULT, CALL_FAULT);
		return;
	}
	kprintf("relay: fault: %s '%s' thread %d: %s %s address %p at pc %p (code %lx)\n",
		tk->is_server ? "server" : "task", tk->name, t->id, fault_names[kind],
		write ? "writing" : "reading", (void *)addr,
		(void *)arch_regs_get(&t->regs, ARCH_REG_PC), code);
	arch_dump_regs(&t->regs);
	if (tk->is_server) {
		kprintf("relay: server '%s' died; no supervisor yet: stopping\n", tk->name);
		arch_poweroff(ARCH_EXIT_PANIC);
	}
	t->fault_addr = addr;
	fault_kill(t, fault_signals[kind]);
}
