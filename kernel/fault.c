/* User-mode faults: a page fault goes to the task's pager (mm); what no one resolves becomes
 * a call to the signal server (sig: the thread may catch it) or, without one, to the
 * process manager, which ends the process. A server's fault stops the machine. */
#include "object.h"
#include "kernel.h"
#include <relay/abi.h>
#include <relay/gen/sysnr.h>

static const char *const fault_names[] = {
	[FAULT_PAGE] = "page fault", [FAULT_ILLEGAL] = "illegal instruction",
	[FAULT_DIVIDE] = "divide error", [FAULT_BREAKPOINT] = "breakpoint",
	[FAULT_ALIGN] = "alignment fault", [FAULT_OTHER] = "exception",
};
/* Linux's signal and si_code (<< 8) for each kind: SIGSEGV/SEGV_MAPERR, SIGILL/ILL_ILLOPC,
 * SIGFPE/FPE_INTDIV, SIGTRAP/TRAP_BRKPT, SIGBUS/BUS_ADRALN, SIGSEGV/SI_KERNEL. */
static const uint16_t fault_signals[] = {
	[FAULT_PAGE] = 11 | 1 << 8, [FAULT_ILLEGAL] = 4 | 1 << 8, [FAULT_DIVIDE] = 8 | 1 << 8,
	[FAULT_BREAKPOINT] = 5 | 1 << 8, [FAULT_ALIGN] = 7 | 1 << 8, [FAULT_OTHER] = 11 | 0x80 << 8,
};

/* Thread t (current, or holding no token) faulted fatally: signal | si_code << 8 in
 * sigcode. A LABEL_KILL call (args addr, sigcode, pc) goes to the signal server, which
 * may deliver it to a handler, or to the process manager, which ends the process (with
 * tok_exit); with neither, the thread just ends. */
void fault_kill(struct thread *t, word_t sigcode)
{
	int ep = route_ep[ROUTE_sig] >= 0 ? route_ep[ROUTE_sig] : route_ep[ROUTE_proc];
	if (ep < 0 || t->task->is_server) {
		thread_exit(t, 128 + (int)(sigcode & 0x7f), true);
		return;
	}
	t->fault_flags = sigcode;
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
	if (!tk->is_server && route_ep[ROUTE_sig] >= 0 && !kernel_trace) {
		t->fault_addr = addr;	/* the program may catch it: no report */
		fault_kill(t, fault_signals[kind]);
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
