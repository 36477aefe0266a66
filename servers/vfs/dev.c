/*
 * devfs devices: null, zero, full, random/urandom, and the console (tty and console). With
 * a console server in the boot manifest the console goes there (contty.c); without one,
 * its output goes to the kernel console and a read is end-of-file.
 */
#include <relay/libsys.h>
#include <relay/errno.h>
#include <relay/linux_tty.h>
#include "vfs.h"

#define MKDEV(ma, mi) (((ma) << 8) | (mi))

static const struct { const char *name; uint32_t rdev; enum dev_id id; uint32_t perm; } devices[] = {
	{ "null", MKDEV(1, 3), DEV_NULL, 0666 },	{ "zero", MKDEV(1, 5), DEV_ZERO, 0666 },
	{ "full", MKDEV(1, 7), DEV_FULL, 0666 },	{ "random", MKDEV(1, 8), DEV_RANDOM, 0666 },
	{ "urandom", MKDEV(1, 9), DEV_URANDOM, 0666 },	{ "tty", MKDEV(5, 0), DEV_TTY, 0666 },
	{ "console", MKDEV(5, 1), DEV_CONSOLE, 0600 },
};

/* struct termios of the kernel ABI (TCGETS), the same on x86-64 and AArch64. */
struct termios_linux {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line, c_cc[19];
};

static struct termios_linux tty_termios = {
	.c_iflag = 0x500, .c_oflag = 0x5, .c_cflag = 0xbf, .c_lflag = 0x8a3b,
	.c_cc = { 3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22 },
};
static uint16_t tty_winsize[4] = { 24, 80, 0, 0 };
static int tty_pgrp;
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

void dev_populate(struct tnode *devdir)
{
	struct tnode *n;
	for (size_t i = 0; i < sizeof(devices) / sizeof(devices[0]); i++)
		tmpfs_create(devdir, devices[i].name, strlen(devices[i].name),
			     S_IFCHR | devices[i].perm, devices[i].rdev, &n);
}

enum dev_id dev_of_rdev(uint32_t rdev)
{
	for (size_t i = 0; i < sizeof(devices) / sizeof(devices[0]); i++)
		if (devices[i].rdev == rdev)
			return devices[i].id;
	return DEV_NONE;
}

uint32_t dev_rdev(enum dev_id d)
{
	for (size_t i = 0; i < sizeof(devices) / sizeof(devices[0]); i++)
		if (devices[i].id == d)
			return devices[i].rdev;
	return 0;
}

static bool is_tty(enum dev_id d) { return d == DEV_TTY || d == DEV_CONSOLE; }

/* Bytes from a xorshift generator seeded with the clock (not for cryptography). */
static void random_fill(uint8_t *p, size_t n)
{
	if (rng_state == 0x9e3779b97f4a7c15ull)
		rng_state ^= sys_clock_ns();
	for (size_t i = 0; i < n; i++) {
		rng_state ^= rng_state << 13;
		rng_state ^= rng_state >> 7;
		rng_state ^= rng_state << 17;
		p[i] = (uint8_t)(rng_state >> 24);
	}
}

/* Fill the caller's buffer with zeros or random bytes. */
static long fill_out(struct call *c, word_t addr, size_t len, bool random)
{
	static uint8_t buf[4096];
	size_t done = 0;
	if (!random)
		memset(buf, 0, sizeof(buf));
	while (done < len) {
		size_t n = len - done < sizeof(buf) ? len - done : sizeof(buf);
		if (random)
			random_fill(buf, n);
		long err = sys_tok_copyout(c->token, addr + done, n, buf);
		if (err)
			return done ? (long)done : err;
		done += n;
	}
	return (long)done;
}

long dev_read(struct call *c, struct file *f, word_t addr, size_t len)
{
	if (is_tty(f->dev) && contty_present())
		return contty_read(c, f, addr, len);
	switch (f->dev) {
	case DEV_ZERO: case DEV_FULL: return fill_out(c, addr, len, false);
	case DEV_RANDOM: case DEV_URANDOM: return fill_out(c, addr, len, true);
	default: return 0;	/* null; the console has no input yet */
	}
}

/* Copy the caller's bytes to the kernel console. */
static long console_out(struct call *c, word_t addr, size_t len)
{
	static char buf[512];
	size_t done = 0;
	while (done < len) {
		size_t n = len - done < sizeof(buf) ? len - done : sizeof(buf);
		long err = sys_tok_copyin(c->token, addr + done, n, buf);
		if (err)
			return done ? (long)done : err;
		sys_console_write(buf, n);
		done += n;
	}
	return (long)done;
}

long dev_write(struct call *c, struct file *f, word_t addr, size_t len)
{
	if (f->dev == DEV_FULL)
		return -ENOSPC;
	if (is_tty(f->dev))
		return contty_present() ? contty_write(c, addr, len) : console_out(c, addr, len);
	return (long)len;	/* null, zero, random: swallowed */
}

long dev_ioctl(struct call *c, struct file *f, word_t req, word_t arg)
{
	int32_t v;
	if (!is_tty(f->dev))
		return -ENOTTY;
	if (contty_present())
		return contty_ioctl(c, req, arg);
	switch (req) {
	case TCGETS:
		return sys_tok_copyout(c->token, arg, sizeof(tty_termios), &tty_termios);
	case TCSETS: case TCSETSW: case TCSETSF:
		return sys_tok_copyin(c->token, arg, sizeof(tty_termios), &tty_termios);
	case TIOCGWINSZ:
		return sys_tok_copyout(c->token, arg, sizeof(tty_winsize), tty_winsize);
	case TIOCSWINSZ:
		return sys_tok_copyin(c->token, arg, sizeof(tty_winsize), tty_winsize);
	case TIOCGPGRP:
		v = tty_pgrp ? tty_pgrp : (int32_t)c->badge;
		return sys_tok_copyout(c->token, arg, sizeof(v), &v);
	case TIOCSPGRP: {
		long err = sys_tok_copyin(c->token, arg, sizeof(v), &v);
		if (!err)
			tty_pgrp = v;
		return err;
	}
	case FIONREAD:
		v = 0;
		return sys_tok_copyout(c->token, arg, sizeof(v), &v);
	default:
		return -ENOTTY;
	}
}

unsigned dev_poll(struct file *f)
{
	if (is_tty(f->dev))
		return contty_present() ? contty_poll() : POLLOUT;	/* no server: no input */
	return POLLIN | POLLOUT;
}
