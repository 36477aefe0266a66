/* sig server: every process's signal state — dispositions, mask, pending signals,
 * alternate stack, ITIMER_REAL — and delivery through signal frames (docs/signals.md). */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <relay/server.h>

#define NSIG 64
#define SIG_BIT(s) (1ull << ((s) - 1))
#define SIGKILL 9
#define SIGSEGV 11
#define SIGALRM 14
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIG_RT_MIN 32		/* Linux numbers from 32; musl reserves 32-34 for itself */
#define SIG_DFL 0
#define SIG_IGN 1
#define SA_NOCLDSTOP 1ul
#define SA_NOCLDWAIT 2ul
#define SA_SIGINFO 4ul
#define SA_RESTORER 0x04000000ul
#define SA_ONSTACK 0x08000000ul
#define SA_RESTART 0x10000000ul
#define SA_NODEFER 0x40000000ul
#define SA_RESETHAND 0x80000000ul
#define SS_ONSTACK 1
#define SS_DISABLE 2
#define UNBLOCKABLE (SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP))
#define STOP_SIGNALS (SIG_BIT(19) | SIG_BIT(20) | SIG_BIT(21) | SIG_BIT(22))
#define RTQ_MAX 64		/* queued real-time signals per process */

/* The kernel ABI's struct sigaction (x86-64 and AArch64 alike). */
struct k_sigaction {
	word_t handler, flags, restorer;
	uint64_t mask;
};

/* One signal's siginfo, before it is laid out for the program. */
struct ksiginfo {
	int signo, code;
	int pid;
	uint32_t uid;
	word_t value;		/* si_value, or si_status for SIGCHLD */
	word_t addr;		/* si_addr of a fault */
};

enum sig_wait { SW_NONE, SW_PAUSE, SW_SUSPEND, SW_TIMEDWAIT };

struct sproc {
	int pid;
	word_t task;
	struct k_sigaction act[NSIG + 1];
	uint64_t blocked, pending;
	struct ksiginfo std_info[32];		/* of pending standard signals 1..31 */
	struct ksiginfo *rtq;			/* pending real-time signals, in arrival order
						   (RTQ_MAX, allocated at the first) */
	int nrtq;
	word_t ss_sp, ss_size;
	int ss_flags;				/* SS_DISABLE or 0 */
	uint64_t saved_mask;			/* rt_sigsuspend: the mask to go back to */
	bool has_saved_mask;
	/* a call this process is blocked in here (pause, rt_sigsuspend, rt_sigtimedwait) */
	enum sig_wait wait;
	word_t wait_token, wait_info_ptr;
	uint64_t wait_set, wait_deadline;
	uint64_t alarm_at, alarm_interval;	/* ITIMER_REAL, ns; 0: off */
	struct sproc *next;			/* pid hash chain */
};

extern int sig_proc_ep;

/* state.c */
struct sproc *sproc_find(int pid);
struct sproc *sproc_get(int pid, word_t task);
struct sproc *sproc_caller(struct call *c);
void sproc_free(struct sproc *p);
struct sproc *sproc_next(int *cursor);
bool sig_ignored(const struct sproc *p, int sig);
int sig_next(const struct sproc *p, uint64_t allowed);
void sig_dequeue(struct sproc *p, int sig, struct ksiginfo *out);
long sig_post(struct sproc *p, const struct ksiginfo *si);
void sig_wake_if_deliverable(struct sproc *p);
long sig_native_state(struct call *c, word_t r[REPLY_WORDS]);

/* deliver.c */
long sig_upcall(struct call *c);
long sig_fault(struct call *c);
void sig_info_layout(const struct ksiginfo *si, uint8_t out[128]);

/* wait.c */
void sig_waiters_check(bool cancel, bool timer);
void sig_timer_arm(void);
long sig_wait_post(struct sproc *p, const struct ksiginfo *si);
