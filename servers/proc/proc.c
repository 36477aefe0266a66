/* proc server: the process table and the identity, exit and time calls. */
#include <relay/libsys.h>
#include <relay/errno.h>
#include <relay/gen/sysnr.h>
#include "proc.h"

static struct proc procs[PROC_MAX];

void proc_init(void)
{
	procs[0].pid = BOOT_INIT_BADGE;	/* init, started by the kernel */
	procs[0].ppid = 0;
}

struct proc *proc_find(int pid)
{
	for (int i = 0; i < PROC_MAX; i++)
		if (procs[i].pid == pid && pid)
			return &procs[i];
	return NULL;
}

long proc_do_getpid(struct call *c) { return c->badge; }
long proc_do_gettid(struct call *c) { return c->badge; }	/* one thread per process for now */

long proc_do_getppid(struct call *c)
{
	struct proc *p = proc_find((int)c->badge);
	return p ? p->ppid : -ESRCH;
}

long proc_do_set_tid_address(struct call *c)
{
	struct proc *p = proc_find((int)c->badge);
	if (p)
		p->clear_child_tid = c->arg[0];
	return c->badge;
}

/* exit and exit_group: one thread per process, so both end the process. */
static long proc_exit(struct call *c)
{
	struct proc *p = proc_find((int)c->badge);
	if (p)
		p->pid = 0;
	sys_tok_exit(c->token, (int)(c->arg[0] & 0xff));
	return CALL_DEFERRED;	/* the caller is gone: no reply */
}
long proc_do_exit(struct call *c) { return proc_exit(c); }
long proc_do_exit_group(struct call *c) { return proc_exit(c); }

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
