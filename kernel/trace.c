/* strace-like tracing of forwarded Linux calls (kernel command line word `trace`):
 * one line per call, printed when its reply passes through the kernel. */
#include "object.h"
#include "kernel.h"
#include "kstring.h"
#include <relay/gen/sysnr.h>

struct sys_desc { const char *name, *fmt; };
static const struct sys_desc sys_desc[SYS_COUNT] = {
#define X(id, name, nr, route, fmt) [id] = { #name, fmt },
	SYSCALL_LIST(X)
#undef X
};

static const char *const errno_names[] = {
	[1] = "EPERM", [2] = "ENOENT", [3] = "ESRCH", [4] = "EINTR", [5] = "EIO", [7] = "E2BIG",
	[8] = "ENOEXEC", [9] = "EBADF", [10] = "ECHILD", [11] = "EAGAIN", [12] = "ENOMEM",
	[13] = "EACCES", [14] = "EFAULT", [17] = "EEXIST", [20] = "ENOTDIR", [21] = "EISDIR",
	[22] = "EINVAL", [24] = "EMFILE", [25] = "ENOTTY", [29] = "ESPIPE", [32] = "EPIPE",
	[34] = "ERANGE", [36] = "ENAMETOOLONG", [38] = "ENOSYS", [40] = "ELOOP",
};

static const char *ioctl_name(word_t req)
{
	switch (req) {
	case 0x5401: return "TCGETS";
	case 0x5402: return "TCSETS";
	case 0x5403: return "TCSETSW";
	case 0x540f: return "TIOCGPGRP";
	case 0x5410: return "TIOCSPGRP";
	case 0x5413: return "TIOCGWINSZ";
	case 0x5414: return "TIOCSWINSZ";
	case 0x541b: return "FIONREAD";
	default: return NULL;
	}
}

static void trace_string(struct thread *t, word_t va)
{
	char buf[33];
	size_t n = 0;
	for (; n < 32; n++)
		if (vs_copy(&t->task->vs, va + n, &buf[n], 1, false) || !buf[n])
			break;
	if (n == 0 && vs_copy(&t->task->vs, va, buf, 1, false)) {
		kprintf("%p", (void *)va);
		return;
	}
	buf[n] = 0;
	kprintf("\"%s\"%s", buf, n == 32 ? "..." : "");
}

static void trace_arg(struct thread *t, char f, word_t v)
{
	const char *s;
	switch (f) {
	case 'i': kprintf("%d", (int)v); break;
	case 'u': kprintf("%lu", v); break;
	case 'o': kprintf("0%lo", v); break;
	case 's': trace_string(t, v); break;
	case 'r': if ((s = ioctl_name(v))) { kprintf("%s", s); break; } /* fall through */
	default: if (v) kprintf("0x%lx", v); else kprintf("NULL"); break;
	}
}

static void trace_line(struct thread *t, const char *name, word_t nr, const char *fmt, word_t res,
		       bool returns)
{
	kprintf("[%u] ", t->badge);
	if (name)
		kprintf("%s(", name);
	else
		kprintf("syscall_%lu(", nr);
	for (int i = 0; fmt[i]; i++) {
		if (i)
			kprintf(", ");
		trace_arg(t, fmt[i], arch_regs_linux_arg(&t->regs, i));
	}
	long r = (long)res;
	if (!returns)
		kprintf(") = ?\n[%u] +++ exited with %d +++\n", t->badge, (int)res);
	else if (r < 0 && r > -(long)ARRAY_SIZE(errno_names) && errno_names[-r])
		kprintf(") = %ld %s\n", r, errno_names[-r]);
	else
		kprintf(") = %ld\n", r);
}

/* Print the call of t that is being answered with res (before res overwrites an argument). */
void trace_linux_call(struct thread *t, word_t res)
{
	const struct sys_desc *d = &sys_desc[t->label & LABEL_SYS_MASK];
	trace_line(t, d->name, 0, d->fmt ? d->fmt : "", res, true);
}

/* Print the call of t that ends its thread with status (exit, exit_group). */
void trace_linux_exit(struct thread *t, int status)
{
	const struct sys_desc *d = &sys_desc[t->label & LABEL_SYS_MASK];
	trace_line(t, d->name, 0, d->fmt ? d->fmt : "", (word_t)status, false);
}

/* Print a call the kernel answered -ENOSYS itself (no route, or not in the table). */
void trace_unrouted(struct thread *t, word_t nr)
{
	const char *name = NULL, *fmt = "iiiiii";
#define X(id, nm, lnr, route, f) if (nr == lnr) { name = #nm; fmt = f; }
	SYSCALL_LIST(X)
#undef X
	trace_line(t, name, nr, fmt, (word_t)-38, true);
}
