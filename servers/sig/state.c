/* The per-process signal state: the table, pending sets, queueing and posting, and the
 * messages proc and the vfs send (SIG_FORK, SIG_EXEC, SIG_EXIT, SIG_POST). */
#include <relay/libsys.h>
#include <relay/errno.h>
#include <relay/proto/sig.h>
#include "sig.h"

/* Signals whose default action is to ignore them: SIGCHLD, SIGCONT, SIGURG, SIGWINCH. */
#define DEFAULT_IGNORED (SIG_BIT(17) | SIG_BIT(18) | SIG_BIT(23) | SIG_BIT(28))
/* Synchronous faults go first: SIGILL, SIGTRAP, SIGBUS, SIGFPE, SIGSEGV, SIGSYS. */
#define SYNCHRONOUS (SIG_BIT(4) | SIG_BIT(5) | SIG_BIT(7) | SIG_BIT(8) | SIG_BIT(11) | SIG_BIT(31))

#define SPROC_MAX 512		/* processes with state (proc's limit) */
#define BUCKETS 1024		/* pid hash: a lookup is a step or two, not a table scan */
static struct sproc *bucket[BUCKETS];
static int nprocs;

struct sproc *sproc_find(int pid)
{
	struct sproc *p = bucket[(unsigned)pid % BUCKETS];
	while (p && p->pid != pid)
		p = p->next;
	return p;
}

/* The state of pid, made (all default, nothing blocked) if it has none yet; NULL if the
 * table is full. task, if not 0, is recorded as its kernel handle. */
struct sproc *sproc_get(int pid, word_t task)
{
	struct sproc *p = sproc_find(pid);
	if (!p) {
		if (nprocs == SPROC_MAX || !(p = malloc(sizeof(*p))))
			return NULL;
		memset(p, 0, sizeof(*p));
		p->pid = pid;
		p->ss_flags = SS_DISABLE;
		p->next = bucket[(unsigned)pid % BUCKETS];
		bucket[(unsigned)pid % BUCKETS] = p;
		nprocs++;
	}
	if (task)
		p->task = task;
	return p;
}

/* The caller's state (by its badge, the pid), made if needed. */
struct sproc *sproc_caller(struct call *c)
{
	struct tok_info ti;
	struct sproc *p = sproc_find((int)c->badge);
	if (p && p->task)
		return p;
	if (sys_tok_task(c->token, &ti))
		return p;
	return sproc_get((int)c->badge, ti.task);
}

void sproc_free(struct sproc *p)
{
	for (struct sproc **pp = &bucket[(unsigned)p->pid % BUCKETS]; *pp; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	nprocs--;
	free(p->rtq);
	free(p);
}

/* Walk every process's state: *cursor starts at 0; NULL at the end. The walk may free
 * the state it returned last. */
struct sproc *sproc_next(int *cursor)
{
	static struct sproc *next_in_bucket;
	if (*cursor == 0)
		next_in_bucket = NULL;
	if (next_in_bucket) {
		struct sproc *p = next_in_bucket;
		next_in_bucket = p->next;
		return p;
	}
	while (*cursor < BUCKETS) {
		struct sproc *p = bucket[(*cursor)++];
		if (p) {
			next_in_bucket = p->next;
			return p;
		}
	}
	return NULL;
}

/* Whether sig, arriving now, would be thrown away: SIG_IGN, or SIG_DFL ignoring it. */
bool sig_ignored(const struct sproc *p, int sig)
{
	word_t h = p->act[sig].handler;
	return h == SIG_IGN || (h == SIG_DFL && (DEFAULT_IGNORED & SIG_BIT(sig)));
}

/* The pending signal among `allowed` to take next (synchronous faults first, then the
 * lowest number), or 0. */
int sig_next(const struct sproc *p, uint64_t allowed)
{
	uint64_t set = p->pending & allowed;
	if (set & SYNCHRONOUS)
		set &= SYNCHRONOUS;
	return set ? __builtin_ctzll(set) + 1 : 0;
}

/* Take sig off the pending set (its oldest instance for a real-time signal) into *out. */
void sig_dequeue(struct sproc *p, int sig, struct ksiginfo *out)
{
	if (sig < SIG_RT_MIN) {
		*out = p->std_info[sig];
		p->pending &= ~SIG_BIT(sig);
		return;
	}
	int i, more = 0;
	for (i = 0; i < p->nrtq && p->rtq[i].signo != sig; i++)
		;
	if (i == p->nrtq) {	/* cannot happen: pending without a queued entry */
		memset(out, 0, sizeof(*out));
		out->signo = sig;
	} else {
		*out = p->rtq[i];
		memmove(&p->rtq[i], &p->rtq[i + 1], (size_t)(p->nrtq - i - 1) * sizeof(p->rtq[0]));
		p->nrtq--;
	}
	for (i = 0; i < p->nrtq; i++)
		more |= p->rtq[i].signo == sig;
	if (!more)
		p->pending &= ~SIG_BIT(sig);
}

/* If p has a pending signal it can take now, interrupt it: it calls us (LABEL_UPCALL)
 * before it runs its own code again. */
void sig_wake_if_deliverable(struct sproc *p)
{
	if (p->task && sig_next(p, ~p->blocked))
		sys_task_interrupt(p->task);
}

/* Make si pending for p: standard signals coalesce, real-time ones queue. Ignored signals
 * are dropped; SIGCONT discards pending stop signals and the other way round. 0 or -EAGAIN. */
long sig_post(struct sproc *p, const struct ksiginfo *si)
{
	int sig = si->signo;
	if (sig == SIGCONT)
		p->pending &= ~STOP_SIGNALS;
	if (STOP_SIGNALS & SIG_BIT(sig))
		p->pending &= ~SIG_BIT(SIGCONT);
	if (sig_wait_post(p, si))
		return 0;	/* a rt_sigtimedwait took it */
	if (sig_ignored(p, sig) && !(p->blocked & SIG_BIT(sig)))
		return 0;
	if (sig < SIG_RT_MIN) {
		if (p->pending & SIG_BIT(sig))
			return 0;
		p->std_info[sig] = *si;
	} else {
		if (!p->rtq && !(p->rtq = malloc(RTQ_MAX * sizeof(*p->rtq))))
			return -EAGAIN;
		if (p->nrtq == RTQ_MAX)
			return -EAGAIN;
		p->rtq[p->nrtq++] = *si;
	}
	p->pending |= SIG_BIT(sig);
	if (!(p->blocked & SIG_BIT(sig)))
		sig_wake_if_deliverable(p);
	return 0;
}

/* Whether p's state is what a process without any has: every action SIG_DFL, nothing
 * blocked or pending, no alternate stack or timer. */
static bool sproc_is_default(const struct sproc *p)
{
	if (p->blocked || p->pending || !(p->ss_flags & SS_DISABLE) || p->alarm_at)
		return false;
	for (int s = 1; s <= NSIG; s++)
		if (p->act[s].handler || p->act[s].flags)
			return false;
	return true;
}

/* SIG_FORK, SIG_EXEC, SIG_EXIT and SIG_POST (see relay/proto/sig.h). Processes whose state
 * would be all default get none until they need it. */
long sig_native_state(struct call *c, word_t r[REPLY_WORDS])
{
	struct sproc *p, *child;
	for (int i = 0; i < REPLY_WORDS; i++)
		r[i] = 0;	/* they hold the message's words */
	switch (c->label) {
	case SIG_FORK:
		p = sproc_find((int)c->arg[0]);
		if (!p || sproc_is_default(p))
			return 0;	/* the child starts with default state, made when needed */
		child = sproc_get((int)c->arg[1], c->arg[2]);
		if (!child)
			return -ENOMEM;
		memcpy(child->act, p->act, sizeof(p->act));
		child->blocked = p->blocked;
		child->ss_sp = p->ss_sp, child->ss_size = p->ss_size, child->ss_flags = p->ss_flags;
		return 0;
	case SIG_EXEC:
		if (!(p = sproc_find((int)c->arg[0])))
			return 0;
		for (int s = 1; s <= NSIG; s++)
			if (p->act[s].handler != SIG_IGN)
				memset(&p->act[s], 0, sizeof(p->act[s]));
		p->ss_sp = p->ss_size = 0;
		p->ss_flags = SS_DISABLE;
		return 0;
	case SIG_EXIT:
		if ((p = sproc_find((int)c->arg[0])))
			sproc_free(p);
		return 0;
	case SIG_POST: {
		int sig = (int)(c->arg[2] & 0xff);
		if (sig < 1 || sig > NSIG)
			return -EINVAL;
		if (!sproc_find((int)c->arg[0]) && (DEFAULT_IGNORED & SIG_BIT(sig)))
			return 0;	/* default state ignores it: nothing to record */
		if (!(p = sproc_get((int)c->arg[0], c->arg[1])))
			return -EINVAL;
		struct ksiginfo si = {
			.signo = sig, .code = (int)(int16_t)(c->arg[2] >> 8),
			.pid = (int)(c->arg[3] & 0xffffffff), .uid = (uint32_t)(c->arg[3] >> 32),
			.value = c->arg[4],
		};
		word_t chld = p->act[SIGCHLD].handler, fl = p->act[SIGCHLD].flags;
		r[1] = (chld == SIG_IGN || (fl & SA_NOCLDWAIT) ? SIGPOST_NOCLDWAIT : 0) |
		       (fl & SA_NOCLDSTOP ? SIGPOST_NOCLDSTOP : 0);
		if (sig == SIGCHLD && (si.code == CLD_STOPPED || si.code == CLD_CONTINUED) &&
		    (fl & SA_NOCLDSTOP))
			return 0;
		r[0] = (word_t)sig_post(p, &si);
		return 0;
	}
	}
	return -ENOSYS;
}
