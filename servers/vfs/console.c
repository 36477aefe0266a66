/*
 * vfs, first stage: descriptors 0, 1 and 2 are the console (a tty). Writes go to the
 * kernel console; every buffer comes from the caller through the call token, so a
 * bad pointer is the caller's EFAULT. Reads see end-of-file until the console
 * server exists.
 */
#include <relay/libsys.h>
#include <relay/errno.h>
#include "vfs.h"

#define CHUNK 512
#define IOV_MAX 1024

static bool console_fd(word_t fd) { return fd <= 2; }

/* Copy len bytes at the caller's addr to the console: bytes written, or -EFAULT if none. */
static long console_write(word_t token, word_t addr, word_t len)
{
	char buf[CHUNK];
	word_t done = 0;
	while (done < len) {
		word_t n = len - done < CHUNK ? len - done : CHUNK;
		long err = sys_tok_copyin(token, addr + done, n, buf);
		if (err)
			return done ? (long)done : err;
		sys_console_write(buf, n);
		done += n;
	}
	return (long)done;
}

long vfs_do_write(struct call *c)
{
	if (!console_fd(c->arg[0]))
		return -EBADF;
	if ((long)c->arg[2] < 0)
		return -EINVAL;
	return console_write(c->token, c->arg[1], c->arg[2]);
}

struct iovec_linux { word_t base, len; };

long vfs_do_writev(struct call *c)
{
	struct iovec_linux iov[16];
	word_t cnt = c->arg[2], total = 0;
	if (!console_fd(c->arg[0]))
		return -EBADF;
	if (cnt > IOV_MAX)
		return -EINVAL;
	for (word_t i = 0; i < cnt; i += 16) {
		word_t n = cnt - i < 16 ? cnt - i : 16;
		long err = sys_tok_copyin(c->token, c->arg[1] + i * sizeof(iov[0]), n * sizeof(iov[0]), iov);
		if (err)
			return total ? (long)total : err;
		for (word_t k = 0; k < n; k++) {
			long r = console_write(c->token, iov[k].base, iov[k].len);
			if (r < 0)
				return total ? (long)total : r;
			total += (word_t)r;
		}
	}
	return (long)total;
}

long vfs_do_read(struct call *c)
{
	if (!console_fd(c->arg[0]))
		return -EBADF;
	return 0;	/* no console input before the console server */
}

long vfs_do_readv(struct call *c)
{
	return vfs_do_read(c);
}

#define TCGETS 0x5401
#define TIOCGWINSZ 0x5413

/* struct termios of the Linux ABI (without c_ispeed/c_ospeed: TCGETS uses the kernel termios). */
struct termios_linux {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line, c_cc[19];
};

long vfs_do_ioctl(struct call *c)
{
	if (!console_fd(c->arg[0]))
		return -EBADF;
	switch (c->arg[1]) {
	case TIOCGWINSZ: {
		uint16_t ws[4] = { 24, 80, 0, 0 };
		return sys_tok_copyout(c->token, c->arg[2], sizeof(ws), ws);
	}
	case TCGETS: {
		struct termios_linux t;
		memset(&t, 0, sizeof(t));
		t.c_iflag = 0x500;	/* ICRNL | IXON */
		t.c_oflag = 0x5;	/* OPOST | ONLCR */
		t.c_cflag = 0xbf;	/* B38400 | CS8 | CREAD */
		t.c_lflag = 0x8a3b;	/* ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN */
		return sys_tok_copyout(c->token, c->arg[2], sizeof(t), &t);
	}
	default:
		return -ENOTTY;
	}
}
