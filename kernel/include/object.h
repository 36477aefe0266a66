/* Kernel objects: threads, tasks (address space + rights), endpoints. */
#pragma once
#include "arch.h"
#include <relay/abi.h>

#define MAX_THREADS   512
#define MAX_TASKS     512
#define MAX_ENDPOINTS 16
#define TASK_NAME_MAX 16

enum thread_state {
	T_FREE = 0,
	T_RUNNING,	/* the current thread */
	T_READY,	/* on the ready queue */
	T_RECV,		/* waiting in an endpoint's receiver queue */
	T_SEND,		/* its call waits in an endpoint's sender queue */
	T_REPLY,	/* its call was received: a server holds its token */
	T_SUSPENDED,	/* created (fork), not started yet */
};

/* CALL_UPCALL: the kernel made the call on the thread's behalf (an interruption, see
 * kernel/upcall.c, or a call forwarded with new words): w2..w5 come from msg[]. */
enum call_kind { CALL_LINUX, CALL_NATIVE, CALL_FAULT, CALL_UPCALL };

struct task {
	bool used;
	bool native_ok;		/* may use native calls (servers, native init) */
	bool is_server;
	bool is_init;
	bool is_pager;		/* serves the mm routes: may map frames into other tasks */
	bool is_procmgr;	/* serves the proc routes: may create tasks and threads */
	bool is_sigmgr;		/* serves the sig routes: may interrupt threads, gets faults */
	uint32_t gen;		/* bumped when the slot is reused: stale handles fail */
	char name[TASK_NAME_MAX];
	struct arch_vspace vs;
	int nthreads;
	struct thread *first;	/* its first live thread (task_interrupt), NULL: none */
	int ep;			/* the endpoint it receives on, -1 none */
	int pager_ep;		/* where its page faults go, -1: they kill it */
	vaddr_t brk_base;	/* end of the loaded program, page aligned */
	/* A driver's device rights, from its manifest line (I/O ports are in vs): */
	paddr_t mmio_base, mmio_len;	/* device memory it may map (dev_map), len 0: none */
	int irq;			/* the interrupt line it may bind (irq_bind), -1: none */
};

struct thread {
	struct arch_regs regs;	/* first: the entry code stores straight into it */
	enum thread_state state;
	uint16_t id;
	uint32_t gen;		/* bumped per call: the token generation */
	uint32_t badge;
	uint32_t label;		/* label of the outstanding call */
	enum call_kind kind;
	struct task *task;
	struct task *holder;	/* task holding this thread's token (T_REPLY) */
	int ep;			/* endpoint it waits on (T_RECV / T_SEND) */
	word_t fault_addr, fault_flags;	/* of the outstanding CALL_FAULT */
	word_t sys_nr, sys_arg0;	/* the last Linux call: number and first argument */
	bool upcall_pending;	/* interrupted: call upcall_ep before running user code */
	int8_t upcall_ep;
	word_t msg[4];		/* CALL_UPCALL words */
	uint64_t wake_at;		/* a timed reply (kernel/timer.c) */
	word_t wake_value;
	uint32_t wake_gen;
	struct thread *sleep_next;
	struct thread *next;	/* ready queue or endpoint queue link */
} __attribute__((aligned(64)));

struct endpoint {
	struct task *owner;
	struct thread *send_head, *send_tail;	/* callers waiting to be received */
	struct thread *recv_head, *recv_tail;	/* receivers waiting for a caller */
	word_t notify_bits;	/* notifications not yet received (IRQs, cancellations) */
	uint64_t notify_at;	/* notify_at(): NOTIFY_TIMER at this time, 0: none */
};

extern struct thread threads[MAX_THREADS];
extern struct task tasks[MAX_TASKS];
extern struct endpoint endpoints[MAX_ENDPOINTS];
extern bool kernel_trace;

/* sched.c */
struct thread *thread_alloc(struct task *t);
void thread_free(struct thread *t);
void sched_ready(struct thread *t);
void sched_unready(struct thread *t);
void sched_switch(struct thread *next);
void sched_block_current(void);
void sched_start(void);

/* ipc.c */
void ipc_send_call(struct thread *caller, int ep, uint32_t label, enum call_kind kind);
void ipc_recv(struct thread *self, int ep);
void ipc_pass(struct thread *caller, int ep);
int ipc_reply(struct thread *replier, word_t token, struct thread **out);
struct thread *ipc_token_thread(struct task *holder, word_t token);
void ipc_cancel_thread(struct thread *t);
void ipc_notify(int ep, word_t bits);

/* upcall.c */
void upcall_post(struct thread *t, bool from_syscall);
/* t was just answered (not yet on any queue): if it was interrupted meanwhile, it makes its
 * upcall now and true is returned (the caller must not make it ready). Inline: every reply
 * passes here. */
static inline bool upcall_check(struct thread *t, bool from_syscall)
{
	if (__builtin_expect(!t->upcall_pending, 1))
		return false;
	upcall_post(t, from_syscall);
	return true;
}
/* irq.c */
bool irq_waiting(void);		/* a bound interrupt line may still wake a driver */

/* task.c */
struct task *task_create(const char *name);
int task_load_elf(struct task *tk, const void *image, size_t size, vaddr_t *entry, vaddr_t *phdr,
		  unsigned *phnum);
int map_anon(struct arch_vspace *vs, vaddr_t va, size_t len, unsigned prot);
int poke(struct arch_vspace *vs, vaddr_t va, const void *src, size_t len);
int task_map_sigtramp(struct task *tk);

/* boot.c */
struct cpio_file;
int boot_find(const char *path, struct cpio_file *f);

/* exec.c */
struct exec_args {
	int argc, envc;
	const char *const *argv, *const *envp;
	const char *path;	/* AT_EXECFN */
};
int task_setup_stack(struct task *tk, const struct exec_args *a, vaddr_t entry, vaddr_t phdr,
		     unsigned phnum, vaddr_t *sp_out);
int vs_copy(struct arch_vspace *vs, vaddr_t va, void *kbuf, size_t len, bool to_user);
void thread_exit(struct thread *t, int status, bool by_fault);
void fault_kill(struct thread *t, word_t sigcode);

int copy_between(struct arch_vspace *dvs, vaddr_t dva, struct arch_vspace *svs, vaddr_t sva,
		 size_t len, bool *src_bad);
void task_destroy(struct task *tk);
word_t task_handle(const struct task *tk);
struct task *task_from_handle(word_t h);

/* syscall.c */
extern int8_t route_ep[];
int route_class_by_name(const char *name);

/* timer.c */
bool timer_pending(void);
void timer_expire(uint64_t now);
void timer_cancel(struct thread *t);

/* trace.c */
void trace_linux_call(struct thread *t, word_t result);
void trace_unrouted(struct thread *t, word_t nr);
void trace_linux_exit(struct thread *t, int status);
