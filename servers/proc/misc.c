/* proc server: system identity, TLS, clocks, limits, ids and yielding. */
#include <relay/libsys.h>
#include <relay/errno.h>
#include <relay/gen/sysnr.h>
#include <relay/proto/vfs.h>
#include "proc.h"

struct utsname_linux { char f[6][65]; };

long proc_do_uname(struct call *c)
{
	static const char *const fields[6] = { "Linux", "relay", "6.1.0-relay",
		"#1 Relay microkernel", RELAY_ARCH_NAME, "(none)" };
	struct utsname_linux u;
	memset(&u, 0, sizeof(u));
	for (int i = 0; i < 6; i++)
		memcpy(u.f[i], fields[i], strlen(fields[i]));
	return sys_tok_copyout(c->token, c->arg[0], sizeof(u), &u);
}

#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003

/* x86-64 only (the table routes it there): the TLS base is the caller's REG_TLS. */
long proc_do_arch_prctl(struct call *c)
{
	word_t v;
	long err;
	switch (c->arg[0]) {
	case ARCH_SET_FS:
		return sys_tok_set_reg(c->token, REG_TLS, c->arg[1]);
	case ARCH_GET_FS:
		err = sys_tok_get_reg(c->token, REG_TLS, &v);
		return err ? err : sys_tok_copyout(c->token, c->arg[1], sizeof(v), &v);
	default:
		return -EINVAL;
	}
}

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7

/* clock_gettime: every clock counts from boot (no real-time clock is read yet). */
long proc_do_clock_gettime(struct call *c)
{
	switch (c->arg[0]) {
	case CLOCK_REALTIME: case CLOCK_MONOTONIC: case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE: case CLOCK_MONOTONIC_COARSE: case CLOCK_BOOTTIME:
		break;
	default:
		return -EINVAL;
	}
	uint64_t ns = sys_clock_ns();
	int64_t ts[2] = { (int64_t)(ns / 1000000000u), (int64_t)(ns % 1000000000u) };
	return sys_tok_copyout(c->token, c->arg[1], sizeof(ts), ts);
}

#define RLIMIT_STACK 3
#define RLIMIT_NOFILE 7
#define RLIMIT_NLIMITS 16
#define RLIM_INFINITY (~0ul)

/* The limits of process p: RLIMIT_NOFILE is per process (the vfs enforces it), the
 * others are fixed. */
static void rlimit_of(struct proc *p, unsigned res, word_t lim[2])
{
	lim[0] = lim[1] = RLIM_INFINITY;
	if (res == RLIMIT_STACK)
		lim[0] = 8ul << 20;
	else if (res == RLIMIT_NOFILE && p)
		lim[0] = p->nofile[0], lim[1] = p->nofile[1];
}

/* Set a limit of p: only lowering, or raising up to the hard limit, is allowed. */
static long rlimit_set(struct proc *p, unsigned res, const word_t lim[2])
{
	word_t cur[2];
	rlimit_of(p, res, cur);
	if (lim[0] > lim[1])
		return -EINVAL;
	if (lim[1] > cur[1])
		return -EPERM;
	if (res == RLIMIT_NOFILE && p) {
		p->nofile[0] = lim[0];
		p->nofile[1] = lim[1];
		proc_tell_vfs(VFS_NOFILE, (word_t)p->pid, lim[0]);
	}
	return 0;
}

long proc_do_getrlimit(struct call *c)
{
	word_t lim[2];
	if (c->arg[0] >= RLIMIT_NLIMITS)
		return -EINVAL;
	rlimit_of(proc_caller(c), (unsigned)c->arg[0], lim);
	return sys_tok_copyout(c->token, c->arg[1], sizeof(lim), lim);
}

long proc_do_setrlimit(struct call *c)
{
	word_t lim[2];
	if (c->arg[0] >= RLIMIT_NLIMITS)
		return -EINVAL;
	long err = sys_tok_copyin(c->token, c->arg[1], sizeof(lim), lim);
	return err ? err : rlimit_set(proc_caller(c), (unsigned)c->arg[0], lim);
}

/* prlimit64(pid, resource, new, old) */
long proc_do_prlimit64(struct call *c)
{
	word_t lim[2], nlim[2];
	struct proc *p = c->arg[0] ? proc_find((int)c->arg[0]) : proc_caller(c);
	long err = 0;
	if (!p)
		return -ESRCH;
	if (c->arg[1] >= RLIMIT_NLIMITS)
		return -EINVAL;
	rlimit_of(p, (unsigned)c->arg[1], lim);
	if (c->arg[2])
		err = sys_tok_copyin(c->token, c->arg[2], sizeof(nlim), nlim);
	if (!err && c->arg[2])
		err = rlimit_set(p, (unsigned)c->arg[1], nlim);
	if (!err && c->arg[3])
		err = sys_tok_copyout(c->token, c->arg[3], sizeof(lim), lim);
	return err;
}

long proc_do_getuid(struct call *c) { (void)c; return 0; }
long proc_do_geteuid(struct call *c) { (void)c; return 0; }
long proc_do_getgid(struct call *c) { (void)c; return 0; }
long proc_do_getegid(struct call *c) { (void)c; return 0; }

long proc_do_sched_yield(struct call *c)
{
	(void)c;
	sys_yield();	/* proc steps aside; the caller runs again after the reply */
	return 0;
}

/* struct sysinfo of the Linux ABI (64-bit). */
struct sysinfo_linux {
	long uptime;
	unsigned long loads[3], totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	unsigned short procs, pad;
	unsigned long totalhigh, freehigh;
	unsigned mem_unit;
	char reserved[4];
};

/* sysinfo: memory figures straight from the kernel's frame allocator. */
long proc_do_sysinfo(struct call *c)
{
	struct relay_boot_info bi;
	struct sysinfo_linux si;
	memset(&si, 0, sizeof(si));
	if (sys_boot_info(&bi))
		return -EIO;
	si.uptime = (long)(sys_clock_ns() / 1000000000u);
	si.totalram = bi.frames_total * bi.page_size;
	si.freeram = bi.frames_free * bi.page_size;
	si.procs = (unsigned short)proc_count_all();
	si.mem_unit = 1;
	return sys_tok_copyout(c->token, c->arg[0], sizeof(si), &si);
}

#define TIMER_ABSTIME 1
#define NSEC 1000000000ull

/* Read a struct timespec from the caller: 0 and *ns, -EFAULT or -EINVAL. */
static long timespec_in(word_t token, word_t addr, uint64_t *ns)
{
	int64_t ts[2];
	long err = sys_tok_copyin(token, addr, sizeof(ts), ts);
	if (err)
		return err;
	if (ts[0] < 0 || ts[1] < 0 || ts[1] >= (int64_t)NSEC)
		return -EINVAL;
	*ns = (uint64_t)ts[0] * NSEC + (uint64_t)ts[1];
	return 0;
}

/* Reply when the monotonic clock reaches deadline: the kernel's timer answers for us,
 * unless a signal comes first (proc_cancel_waits answers EINTR and the time left in rem). */
static long sleep_until(struct call *c, uint64_t deadline, word_t rem)
{
	struct proc *p = proc_caller(c);
	if (p)
		p->restart_deadline = 0;	/* a new call: nothing older to restart */
	if (deadline <= sys_clock_ns())
		return 0;
	long err = sys_tok_reply_at(c->token, deadline, 0);
	if (err)
		return err;
	if (p) {
		if (!p->sleep_token)
			proc_nwaits++;	/* counted until a cancel scan finds it over */
		p->sleep_token = c->token;
		p->sleep_deadline = deadline;
		p->sleep_rem = rem;
	}
	return CALL_DEFERRED;
}

/* restart_syscall: go on with the sleep a signal interrupted (sig rewinds to this call when
 * no handler ran); anything else to restart is not kept: EINTR. */
long proc_do_restart_syscall(struct call *c)
{
	struct proc *p = proc_caller(c);
	if (!p || !p->restart_deadline)
		return -EINTR;
	uint64_t deadline = p->restart_deadline;
	p->restart_deadline = 0;
	return sleep_until(c, deadline, p->restart_rem);
}

long proc_do_nanosleep(struct call *c)
{
	uint64_t ns;
	long err = timespec_in(c->token, c->arg[0], &ns);
	return err ? err : sleep_until(c, sys_clock_ns() + ns, c->arg[1]);
}

long proc_do_clock_nanosleep(struct call *c)
{
	uint64_t ns;
	if (c->arg[0] != CLOCK_REALTIME && c->arg[0] != CLOCK_MONOTONIC && c->arg[0] != CLOCK_BOOTTIME)
		return -EINVAL;
	long err = timespec_in(c->token, c->arg[2], &ns);
	if (err)
		return err;
	if (c->arg[1] & TIMER_ABSTIME)
		return sleep_until(c, ns, 0);
	return sleep_until(c, sys_clock_ns() + ns, c->arg[3]);
}
