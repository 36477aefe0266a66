/*
 * console server: start-up (the UART the boot manifest granted, its interrupt bound as a
 * notification), the receive loop and the native messages from the vfs
 * (<relay/proto/console.h>). It answers every message at once and never waits for
 * anyone: blocking reads are deferred by the vfs, which this server notifies when input
 * becomes readable.
 */
#include <relay/libsys.h>
#include <relay/server.h>
#include <relay/errno.h>
#include <relay/proto/console.h>
#include <relay/gen/sysnr.h>
#include "console.h"

#define NOTIFY_UART 1ul		/* our notification bit for the UART's interrupt */

static int vfs_ep = -1, proc_ep = -1;

void console_signal_ready(void)
{
	if (proc_ep >= 0)
		sys_notify(proc_ep, PROC_NOTIFY_TTY);
}
static unsigned uart_irq;

/* Tell the vfs that a waiting read or poll may now go on. */
static void wake_vfs(void)
{
	if (vfs_ep >= 0 && tty_readable())
		sys_notify(vfs_ep, VFS_NOTIFY_CONSOLE);
}

/* Feed every received byte to the line discipline. */
static void drain(void)
{
	int c;
	while ((c = uart_getc()) >= 0)
		tty_input((uint8_t)c);
}

/* The UART's interrupt (the kernel masked the line): drain, clear, unmask, drain again
 * for bytes that came in between, then wake the vfs. */
static void on_notify(word_t bits)
{
	if (!(bits & NOTIFY_UART))
		return;
	drain();
	uart_rx_done();
	sys_irq_ack(uart_irq);
	drain();
	wake_vfs();
}

/* CONSOLE_READ(len, cont): r0 n / 0 / -EAGAIN, r1 more, r2..r5 the bytes. */
static long do_read(struct call *c, word_t r[REPLY_WORDS])
{
	uint8_t buf[CONSOLE_READ_MAX];
	bool more;
	long n = tty_read(c->arg[0], c->arg[1] != 0, buf, sizeof(buf), &more);
	r[0] = (word_t)n;
	r[1] = more;
	if (n > 0)
		memcpy(&r[2], buf, (size_t)n);
	return 0;
}

/* CONSOLE_WRITE(n, d0..d4): r0 n. */
static long do_write(struct call *c, word_t r[REPLY_WORDS])
{
	word_t n = c->arg[0];
	if (n > CONSOLE_WRITE_MAX)
		return -EINVAL;
	tty_output((const uint8_t *)&c->arg[1], n);
	r[0] = n;
	return 0;
}

/* CONSOLE_IOCTL(req | pid << 32, in0..in4): r0 result, r1..r5 output. */
static long do_ioctl(struct call *c, word_t r[REPLY_WORDS])
{
	word_t in[5], out[5] = { 0 };
	memcpy(in, &c->arg[1], sizeof(in));
	long err = tty_ioctl((unsigned)c->arg[0], (int)(c->arg[0] >> 32), in, out);
	r[0] = (word_t)err;
	memcpy(&r[1], out, sizeof(out));
	wake_vfs();		/* a mode change may have made input readable */
	return 0;
}

static long console_native(struct call *c, word_t r[REPLY_WORDS])
{
	switch (c->label) {
	case CONSOLE_READ: return do_read(c, r);
	case CONSOLE_WRITE: return do_write(c, r);
	case CONSOLE_POLL: r[0] = tty_readable(); return 0;
	case CONSOLE_IOCTL: return do_ioctl(c, r);
	case CONSOLE_TAKE_SIGNAL: {
		int pgrp = 0;
		r[0] = (word_t)tty_take_signal(&pgrp);
		r[1] = (word_t)pgrp;
		return 0;
	}
	default: return -ENOSYS;
	}
}

int main(int argc, char **argv)
{
	static struct relay_boot_info bi;
	(void)argc, (void)argv;
	if (sys_boot_info(&bi) < 0 || bi.self_ep < 0)
		return 1;
	int err = uart_init(&bi);
	if (err || bi.dev_irq < 0) {
		printf("console: no UART granted by the boot manifest (%d)\n", err);
		return 1;
	}
	vfs_ep = bi.route_ep[ROUTE_vfs];
	proc_ep = bi.route_ep[ROUTE_proc];
	uart_irq = (unsigned)bi.dev_irq;
	server_set_notify(on_notify);
	err = (int)sys_irq_bind(uart_irq, NOTIFY_UART);
	if (err) {
		printf("console: irq %u: %d\n", uart_irq, err);
		return 1;
	}
	drain();	/* bytes typed before the interrupt was bound */
	server_run(bi.self_ep, NULL, 0, console_native);
}
