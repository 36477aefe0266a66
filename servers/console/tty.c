/*
 * The tty line discipline of the console: termios state, canonical editing (VERASE and
 * ^H, VKILL, VWERASE, VEOF, VEOL), echo (ECHO, ECHOE, ECHOK, ECHOKE, ECHOCTL, ECHONL),
 * input mapping (ICRNL, INLCR, IGNCR, ISTRIP), signal characters (ISIG: VINTR, VQUIT,
 * VSUSP) and raw mode (VMIN; VTIME is not timed: see docs/console.md), output
 * processing (OPOST, ONLCR). Input that readers may take sits in inq: in canonical
 * mode as whole lines whose lengths are in lines[] (a zero-length line is an end of
 * file), in raw mode as plain bytes.
 */
#include <relay/libsys.h>
#include <relay/errno.h>
#include "console.h"
#include <relay/linux_tty.h>

/* termios bits and indices (the same on x86-64 and AArch64). */
#define ISTRIP 0x20
#define INLCR 0x40
#define IGNCR 0x80
#define ICRNL 0x100
#define OPOST 0x1
#define ONLCR 0x4
#define ISIG 0x1
#define ICANON 0x2
#define ECHO 0x8
#define ECHOE 0x10
#define ECHOK 0x20
#define ECHONL 0x40
#define NOFLSH 0x80
#define ECHOCTL 0x200
#define ECHOKE 0x800
#define IEXTEN 0x8000
enum { VINTR, VQUIT, VERASE, VKILL, VEOF, VTIME, VMIN, VSWTC, VSTART, VSTOP, VSUSP, VEOL,
       VREPRINT, VDISCARD, VWERASE, VLNEXT, VEOL2, NCCS = 19 };
#define SIGINT 2
#define SIGQUIT 3
#define SIGTSTP 20


#define EDIT_MAX 4096		/* a canonical line, its newline included (N_TTY's size) */
#define INQ_MAX 8192
#define LINES_MAX 256

struct termios_k {
	uint32_t iflag, oflag, cflag, lflag;
	uint8_t line, cc[NCCS];
};

static struct termios_k tio = {
	.iflag = 0x500, .oflag = 0x5, .cflag = 0xbf, .lflag = 0x8a3b,	/* stty sane */
	.cc = { 3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22 },
};
static uint16_t winsize[4] = { 24, 80, 0, 0 };
static int32_t fg_pgrp;			/* TIOCSPGRP; 0: the asker's own */
static uint8_t edit[EDIT_MAX];		/* the canonical line being edited */
static size_t edit_len;
static uint8_t inq[INQ_MAX];		/* what readers may take */
static size_t inq_len;
static uint16_t lines[LINES_MAX];	/* canonical: lengths of the lines in inq, in order */
static int nlines;

static bool lflag(uint32_t f) { return (tio.lflag & f) != 0; }

/* Output one byte with output processing. */
static void out_byte(uint8_t c)
{
	if (c == '\n' && (tio.oflag & (OPOST | ONLCR)) == (OPOST | ONLCR))
		uart_putc('\r');
	uart_putc(c);
}

void tty_output(const uint8_t *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out_byte(buf[i]);
}

static void out_str(const char *s)
{
	while (*s)
		out_byte((uint8_t)*s++);
}

/* Is c echoed as ^X (a control character with ECHOCTL)? */
static bool echoed_as_ctl(uint8_t c)
{
	return lflag(ECHOCTL) && (c < 0x20 || c == 0x7f) && c != '\t' && c != '\n';
}

/* Echo one input byte (ECHO is on). */
static void echo_byte(uint8_t c)
{
	if (echoed_as_ctl(c)) {
		out_byte('^');
		out_byte(c == 0x7f ? '?' : (uint8_t)(c + 0x40));
	} else {
		out_byte(c);
	}
}

/* Take the last character of the line being edited off the screen and the buffer. */
static void erase_one(bool visual)
{
	uint8_t c = edit[--edit_len];
	if (!visual)
		return;
	for (int i = echoed_as_ctl(c) ? 2 : 1; i > 0; i--)
		out_str("\b \b");
}

static void drop_input(void)
{
	edit_len = inq_len = 0;
	nlines = 0;
}

/* A tty-generated signal (SIGINT from VINTR, SIGQUIT from VQUIT, SIGTSTP from VSUSP, with
 * ISIG) for the foreground process group (fg_pgrp, set by TIOCSPGRP; before that, init's
 * group 1): queued here and taken by proc (CONSOLE_TAKE_SIGNAL) after a notification, so
 * that this server never calls another. The reads the signal interrupts are answered by
 * the vfs when sig interrupts their callers. */
#define SIGQ_MAX 16
static struct { int sig, pgrp; } sigq[SIGQ_MAX];
static int sigq_len;

void tty_signal(int sig)
{
	if (sigq_len == SIGQ_MAX)
		return;		/* 16 unread ^C: the rest adds nothing */
	sigq[sigq_len].sig = sig;
	sigq[sigq_len].pgrp = fg_pgrp > 0 ? fg_pgrp : 1;
	sigq_len++;
	console_signal_ready();
}

int tty_take_signal(int *pgrp)
{
	if (!sigq_len)
		return 0;
	int sig = sigq[0].sig;
	*pgrp = sigq[0].pgrp;
	memmove(&sigq[0], &sigq[1], (size_t)--sigq_len * sizeof(sigq[0]));
	return sig;
}

/* A signal character c: flush (unless NOFLSH), echo it, signal. */
static void tty_isig(int sig, uint8_t c)
{
	if (!lflag(NOFLSH))
		drop_input();
	if (lflag(ECHO))
		echo_byte(c);
	tty_signal(sig);
}

/* Append n bytes to inq as readable input (one canonical line if line); false when full. */
static bool inq_put(const uint8_t *p, size_t n, bool line)
{
	if (n > INQ_MAX - inq_len || (line && nlines >= LINES_MAX))
		return false;
	memcpy(inq + inq_len, p, n);
	inq_len += n;
	if (line)
		lines[nlines++] = (uint16_t)n;
	return true;
}

/* The line being edited is complete (newline, VEOL or VEOF): readers may take it. */
static void finish_line(void)
{
	inq_put(edit, edit_len, true);	/* dropped if the queue is full, as Linux beeps */
	edit_len = 0;
}

/* VWERASE: erase the word before the cursor (and the blanks after it). */
static void erase_word(void)
{
	while (edit_len && (edit[edit_len - 1] == ' ' || edit[edit_len - 1] == '\t'))
		erase_one(lflag(ECHO) && lflag(ECHOE));
	while (edit_len && edit[edit_len - 1] != ' ' && edit[edit_len - 1] != '\t')
		erase_one(lflag(ECHO) && lflag(ECHOE));
}

/* Canonical mode: one input byte edits the line or ends it. */
static void canon_input(uint8_t c)
{
	const uint8_t *cc = tio.cc;
	if (!c) {		/* NUL is never special (a disabled control character is 0) */
		if (edit_len < EDIT_MAX - 1)
			edit[edit_len++] = c;
		if (lflag(ECHO))
			echo_byte(c);
	} else if (c == cc[VERASE] || c == '\b') {
		if (edit_len)
			erase_one(lflag(ECHO) && lflag(ECHOE));
	} else if (c == cc[VKILL]) {
		if (lflag(ECHO) && lflag(ECHOKE)) {
			while (edit_len)
				erase_one(true);
		} else {
			edit_len = 0;
			if (lflag(ECHO) && lflag(ECHOK)) {
				echo_byte(c);
				out_byte('\n');
			}
		}
	} else if (c == cc[VWERASE] && lflag(IEXTEN)) {
		erase_word();
	} else if (c == cc[VEOF]) {
		finish_line();		/* not stored, not echoed; at line start: end of file */
	} else if (c == '\n' || c == cc[VEOL] || c == cc[VEOL2]) {
		if (lflag(ECHO) || (c == '\n' && lflag(ECHONL)))
			echo_byte(c);
		edit[edit_len++] = c;	/* edit_len < EDIT_MAX: room kept for it below */
		finish_line();
	} else if (edit_len < EDIT_MAX - 1) {
		edit[edit_len++] = c;
		if (lflag(ECHO))
			echo_byte(c);
	}
}

void tty_input(uint8_t c)
{
	const uint8_t *cc = tio.cc;
	if (tio.iflag & ISTRIP)
		c &= 0x7f;
	if (c == '\r') {
		if (tio.iflag & IGNCR)
			return;
		if (tio.iflag & ICRNL)
			c = '\n';
	} else if (c == '\n' && (tio.iflag & INLCR)) {
		c = '\r';
	}
	int sig = !lflag(ISIG) || !c ? 0 : c == cc[VINTR] ? SIGINT : c == cc[VQUIT] ? SIGQUIT :
		  c == cc[VSUSP] ? SIGTSTP : 0;
	if (sig)
		tty_isig(sig, c);
	else if (lflag(ICANON))
		canon_input(c);
	else if (inq_put(&c, 1, false) && lflag(ECHO))
		echo_byte(c);
}

/* Take n bytes off the front of inq into out. */
static void inq_take(uint8_t *out, size_t n)
{
	memcpy(out, inq, n);
	memmove(inq, inq + n, inq_len - n);
	inq_len -= n;
}

long tty_read(size_t len, bool cont, uint8_t *out, size_t max, bool *more)
{
	size_t n;
	*more = false;
	if (!len)
		return 0;
	if (lflag(ICANON)) {
		if (!nlines)
			return cont ? 0 : -EAGAIN;
		n = lines[0] < len ? lines[0] : len;
		n = n < max ? n : max;
		inq_take(out, n);
		lines[0] = (uint16_t)(lines[0] - n);
		*more = lines[0] && len > n;
		if (!lines[0]) {	/* the line is used up (or it was an end of file) */
			nlines--;
			memmove(lines, lines + 1, (size_t)nlines * sizeof(lines[0]));
		}
		return (long)n;
	}
	size_t vmin = tio.cc[VMIN] < len ? tio.cc[VMIN] : len;
	if (!inq_len)
		return cont || !vmin ? 0 : -EAGAIN;
	if (!cont && inq_len < vmin)
		return -EAGAIN;
	n = inq_len < len ? inq_len : len;
	n = n < max ? n : max;
	inq_take(out, n);
	*more = inq_len && len > n;
	return (long)n;
}

bool tty_readable(void)
{
	if (lflag(ICANON))
		return nlines > 0;
	size_t need = !tio.cc[VTIME] && tio.cc[VMIN] ? tio.cc[VMIN] : 1;
	return inq_len >= need;
}

/* Readable bytes (FIONREAD): the complete lines, or the raw bytes. */
static int32_t readable_bytes(void)
{
	return (int32_t)inq_len;
}

/* New termios: switching modes keeps the input (a partly edited line becomes raw bytes;
 * raw bytes become one line); TCSETSF drops it first. */
static void set_termios(const struct termios_k *t, bool flush)
{
	bool was_canon = lflag(ICANON);
	if (flush)
		drop_input();
	tio = *t;
	if (was_canon && !lflag(ICANON)) {
		inq_put(edit, edit_len, false);
		edit_len = 0;
		nlines = 0;
	} else if (!was_canon && lflag(ICANON)) {
		nlines = 0;
		if (inq_len)
			lines[nlines++] = (uint16_t)inq_len;	/* INQ_MAX < 65536 */
	}
}

long tty_ioctl(unsigned req, int pid, const void *in, void *out)
{
	int32_t v;
	switch (req) {
	case TCGETS:
		memcpy(out, &tio, sizeof(tio));
		return 0;
	case TCSETS: case TCSETSW: case TCSETSF:
		set_termios(in, req == TCSETSF);
		return 0;
	case TIOCGWINSZ:
		memcpy(out, winsize, sizeof(winsize));
		return 0;
	case TIOCSWINSZ:
		memcpy(winsize, in, sizeof(winsize));
		return 0;
	case TIOCGPGRP:
		v = fg_pgrp ? fg_pgrp : pid;
		memcpy(out, &v, sizeof(v));
		return 0;
	case TIOCSPGRP:
		memcpy(&v, in, sizeof(v));
		if (v <= 0)
			return -EINVAL;
		fg_pgrp = v;
		return 0;
	case FIONREAD:
		v = readable_bytes();
		memcpy(out, &v, sizeof(v));
		return 0;
	case TCFLSH:
		memcpy(&v, in, sizeof(v));
		if (v < 0 || v > 2)
			return -EINVAL;
		if (v != 1)	/* TCIFLUSH or TCIOFLUSH; output is never queued */
			drop_input();
		return 0;
	default:
		return -ENOTTY;
	}
}
