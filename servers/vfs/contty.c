/*
 * The console tty through the console server (<relay/proto/console.h>, docs/console.md):
 * the vfs keeps the descriptors, O_NONBLOCK, the callers' tokens and the deferred reads;
 * the console server keeps the line discipline and the UART and answers every message
 * at once. Data moves through the message words (32 bytes per read, 40 per write). When
 * input becomes readable the console server sets VFS_NOTIFY_CONSOLE in our notification
 * word and contty_wake() retries the waiting reads and polls. Without a console server
 * in the boot manifest, dev.c keeps the kernel console (output only, reads at EOF).
 */
#include <relay/libsys.h>
#include <relay/errno.h>
#include <relay/proto/console.h>
#include <relay/proto/sig.h>
#include <relay/linux_tty.h>
#include "vfs.h"

#define TERMIOS_SIZE 36		/* struct termios of the kernel ABI (both arches) */

/* A read waiting for console input: answered by contty_wake, or by contty_cancel_interrupted. */
struct contty_reader {
	word_t token, addr;
	size_t len;
	int pid;
	struct file *f;		/* a reference: the description lives while we wait */
	struct contty_reader *next;
};

static int console_ep = -1;
static struct contty_reader *readers;	/* oldest first */

/* Find the console server among the boot tasks (the manifest's server named "console"). */
void contty_init(const struct relay_boot_info *bi)
{
	for (uint32_t i = 0; i < bi->ntasks && i < BOOT_MAX_TASKS; i++)
		if (!strcmp(bi->task[i].name, "console") && bi->task[i].ep >= 0)
			console_ep = bi->task[i].ep;
}

bool contty_present(void)
{
	return console_ep >= 0;
}

static void reply(word_t token, long value)
{
	word_t r[REPLY_WORDS] = { (word_t)value };
	sys_reply(token, r);
}

/* Move what the console has for a read of len bytes to the caller of token at addr:
 * bytes moved, 0 (end of file), -EAGAIN (nothing yet) or -EFAULT. */
static long read_some(word_t token, word_t addr, size_t len)
{
	size_t done = 0;
	while (done < len) {
		word_t p[6] = { len - done, done > 0 }, r[REPLY_WORDS];
		long n = sys_call(console_ep, CONSOLE_READ, p, r);
		if (n <= 0 || n > CONSOLE_READ_MAX || (size_t)n > len - done)
			return done ? (long)done : n > 0 ? -EIO : n;
		long err = sys_tok_copyout(token, addr + done, (size_t)n, &r[2]);
		if (err)
			return done ? (long)done : err;
		done += (size_t)n;
		if (!r[1])
			break;
	}
	return (long)done;
}

long contty_read(struct call *c, struct file *f, word_t addr, size_t len)
{
	if (!len)
		return 0;
	long n = readers ? -EAGAIN : read_some(c->token, addr, len);	/* keep the order */
	if (n != -EAGAIN)
		return n;
	if (f->flags & O_NONBLOCK)
		return -EAGAIN;
	struct contty_reader *w = malloc(sizeof(*w)), **q = &readers;
	if (!w)
		return -ENOMEM;
	*w = (struct contty_reader){ c->token, addr, len, (int)c->badge, f, NULL };
	f->refs++;
	while (*q)
		q = &(*q)->next;
	*q = w;
	return CALL_DEFERRED;
}

/* Unlink and free reader *pp (its reply is sent or not needed). */
static void reader_drop(struct contty_reader **pp)
{
	struct contty_reader *w = *pp;
	*pp = w->next;
	file_put(w->f);
	free(w);
}

void contty_wake(void)
{
	for (struct contty_reader **pp = &readers; *pp;) {
		struct contty_reader *w = *pp;
		/* A dead caller (exit) must not swallow input: probe its token first. */
		if (sys_tok_copyout(w->token, w->addr, 0, NULL)) {
			reader_drop(pp);
			continue;
		}
		long n = read_some(w->token, w->addr, w->len);
		if (n == -EAGAIN)
			break;		/* the next ones wait behind this one */
		reply(w->token, n);
		reader_drop(pp);
	}
	poll_wake();
}

void contty_cancel_interrupted(void)
{
	for (struct contty_reader **pp = &readers; *pp;) {
		if (sys_tok_interrupted((*pp)->token) != 1) {
			pp = &(*pp)->next;
			continue;
		}
		reply((*pp)->token, -ERESTARTSYS);
		reader_drop(pp);
	}
}

long contty_write(struct call *c, word_t addr, size_t len)
{
	static uint8_t buf[CONSOLE_WRITE_MAX * 16];
	size_t done = 0;
	while (done < len) {
		size_t chunk = len - done < sizeof(buf) ? len - done : sizeof(buf);
		long err = sys_tok_copyin(c->token, addr + done, chunk, buf);
		if (err)
			return done ? (long)done : err;
		for (size_t off = 0; off < chunk; off += CONSOLE_WRITE_MAX) {
			size_t n = chunk - off < CONSOLE_WRITE_MAX ? chunk - off : CONSOLE_WRITE_MAX;
			word_t p[6] = { n }, r[REPLY_WORDS];
			memcpy(&p[1], buf + off, n);
			if (sys_call(console_ep, CONSOLE_WRITE, p, r) < 0)
				return done + off ? (long)(done + off) : -EIO;
		}
		done += chunk;
	}
	return (long)done;
}

/* The tty ioctls the console serves: bytes copied in from / out to the caller's arg
 * (in < 0: arg is a value, not a pointer). */
static const struct { unsigned req; int in, out; } ioctls[] = {
	{ TCGETS, 0, TERMIOS_SIZE },	{ TCSETS, TERMIOS_SIZE, 0 },
	{ TCSETSW, TERMIOS_SIZE, 0 },	{ TCSETSF, TERMIOS_SIZE, 0 },
	{ TIOCGWINSZ, 0, 8 },		{ TIOCSWINSZ, 8, 0 },
	{ TIOCGPGRP, 0, 4 },		{ TIOCSPGRP, 4, 0 },
	{ FIONREAD, 0, 4 },		{ TCFLSH, -1, 0 },
};

long contty_ioctl(struct call *c, word_t req, word_t arg)
{
	word_t p[6] = { (uint32_t)req | (word_t)c->badge << 32 }, r[REPLY_WORDS];
	for (size_t i = 0; i < sizeof(ioctls) / sizeof(ioctls[0]); i++) {
		if (ioctls[i].req != req)
			continue;
		long err = 0;
		if (ioctls[i].in < 0)
			p[1] = (uint32_t)arg;
		else if (ioctls[i].in)
			err = sys_tok_copyin(c->token, arg, (size_t)ioctls[i].in, &p[1]);
		if (err)
			return err;
		err = sys_call(console_ep, CONSOLE_IOCTL, p, r);
		if (!err && ioctls[i].out)
			err = sys_tok_copyout(c->token, arg, (size_t)ioctls[i].out, &r[1]);
		return err;
	}
	return -ENOTTY;
}

unsigned contty_poll(void)
{
	word_t p[6] = { 0 }, r[REPLY_WORDS];
	return POLLOUT | (sys_call(console_ep, CONSOLE_POLL, p, r) > 0 ? POLLIN : 0);
}
