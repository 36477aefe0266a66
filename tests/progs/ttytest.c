/*
 * ttytest: the console tty in canonical and raw mode. It prints a prompt before each
 * input it waits for; the test runner types after the prompt (TTY_SCRIPT in
 * tools/relaytool/tests.py), through QEMU's serial on Relay and through a pty on Linux,
 * and checks the output (echo, "^C", no echo in raw mode). The same binary runs on both.
 *
 *   ttytest          the test (exit 0 and "ttytest: all checks passed")
 *   ttytest echo     interactive: print each line read until end of file (^D)
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static int fails;
#define CHECK(c) do { if (!(c)) { printf("FAIL line %d: %s\n", __LINE__, #c); fails++; } } while (0)

static void say(const char *s)
{
	if (write(1, s, strlen(s)) < 0)
		fails++;
}

/* Print the prompt, then read once from stdin into buf (NUL-terminated); read's result. */
static ssize_t ask(const char *prompt, char *buf, size_t cap)
{
	say(prompt);
	ssize_t n = read(0, buf, cap - 1);
	buf[n > 0 ? n : 0] = 0;
	return n;
}

static int echo_loop(void)
{
	char buf[256];
	ssize_t n;
	say("ttytest: type lines, ^D to end\n");
	while ((n = ask("> ", buf, sizeof(buf))) > 0)
		printf("read %zd bytes: %s%s", n, buf, buf[n - 1] == '\n' ? "" : "\n");
	say("ttytest: end of file\n");
	return 0;
}

/* termios defaults, window size, process group, nothing to read yet. */
static void check_state(const struct termios *t)
{
	struct winsize w0, w1 = { .ws_row = 40, .ws_col = 100 }, w2;
	struct pollfd p = { .fd = 0, .events = POLLIN };
	pid_t pg = -1;
	int n = -1;

	CHECK(isatty(0) && isatty(1));
	CHECK((t->c_lflag & (ICANON | ECHO | ECHOE | ISIG)) == (ICANON | ECHO | ECHOE | ISIG));
	CHECK((t->c_iflag & ICRNL) && (t->c_oflag & (OPOST | ONLCR)) == (OPOST | ONLCR));
	CHECK(t->c_cc[VERASE] == 0x7f && t->c_cc[VKILL] == 0x15 && t->c_cc[VEOF] == 4);
	CHECK(t->c_cc[VINTR] == 3 && t->c_cc[VMIN] == 1 && t->c_cc[VTIME] == 0);
	CHECK(ioctl(0, TIOCGWINSZ, &w0) == 0);
	CHECK(ioctl(0, TIOCSWINSZ, &w1) == 0);
	CHECK(ioctl(0, TIOCGWINSZ, &w2) == 0 && w2.ws_row == 40 && w2.ws_col == 100);
	CHECK(ioctl(0, TIOCSWINSZ, &w0) == 0);
	CHECK(ioctl(0, TIOCGPGRP, &pg) == 0 && pg == getpgrp());
	CHECK(tcsetpgrp(0, getpgrp()) == 0);
	CHECK(ioctl(0, FIONREAD, &n) == 0 && n == 0);
	CHECK(poll(&p, 1, 0) == 0 && p.revents == 0);
	uint64_t size;	/* a disk's ioctl (BLKGETSIZE64): known to qemu-user, not a tty's */
	CHECK(ioctl(0, 0x80081272, &size) == -1 && errno == ENOTTY);
}

static volatile sig_atomic_t sigints;

static void on_sigint(int sig)
{
	(void)sig;
	sigints++;
}

/* Canonical mode: editing, ^C (SIGINT), ^D, poll with data. */
static void check_canonical(void)
{
	char buf[256];
	struct pollfd p = { .fd = 0, .events = POLLIN };
	ssize_t n = ask("line1> ", buf, sizeof(buf));
	CHECK(n == 12 && !strcmp(buf, "hello world\n"));
	printf("got1 [%.*s]\n", n > 0 ? (int)n - 1 : 0, buf);
	n = ask("line2> ", buf, sizeof(buf));
	CHECK(n == 5 && !strcmp(buf, "kept\n"));
	CHECK(sigints == 1);
	printf("got2 [%.*s]\n", n > 0 ? (int)n - 1 : 0, buf);
	n = ask("eof1> ", buf, sizeof(buf));
	printf("\neof1 [%s] %zd\n", buf, n);
	CHECK(n == 2 && !strcmp(buf, "ab"));
	n = ask("eof2> ", buf, sizeof(buf));
	printf("\neof2 %zd\n", n);
	CHECK(n == 0);
	say("poll> ");
	CHECK(poll(&p, 1, 30000) == 1 && p.revents == POLLIN);
	int avail = -1;
	CHECK(ioctl(0, FIONREAD, &avail) == 0 && avail == 5);
	n = read(0, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	CHECK(n == 5 && !strcmp(buf, "line\n"));
	printf("got4 [%.*s] avail %d\n", n > 0 ? (int)n - 1 : 0, buf, avail);
}

/* Raw mode: no echo, single bytes, O_NONBLOCK, VMIN = 0. */
static void check_raw(const struct termios *t0)
{
	struct termios t = *t0, got;
	struct pollfd p = { .fd = 0, .events = POLLIN };
	unsigned char b[3] = { 0 };
	char c;

	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	CHECK(tcsetattr(0, TCSAFLUSH, &t) == 0);
	CHECK(tcgetattr(0, &got) == 0 && !(got.c_lflag & (ICANON | ECHO)) && (got.c_lflag & ISIG));
	int fl = fcntl(0, F_GETFL);
	CHECK(fl >= 0 && fcntl(0, F_SETFL, fl | O_NONBLOCK) == 0);
	errno = 0;
	CHECK(read(0, &c, 1) == -1 && errno == EAGAIN);
	CHECK(fcntl(0, F_SETFL, fl) == 0);
	CHECK(poll(&p, 1, 0) == 0);
	say("raw> ");
	for (int i = 0; i < 3; i++)
		CHECK(read(0, &b[i], 1) == 1);
	printf("raw bytes %02x %02x %02x\n", b[0], b[1], b[2]);
	CHECK(b[0] == 'q' && b[1] == 0x7f && b[2] == 'z');
	t.c_cc[VMIN] = 0;	/* VMIN = 0, VTIME = 0: a read returns what is there, even nothing */
	CHECK(tcsetattr(0, TCSANOW, &t) == 0);
	CHECK(read(0, &c, 1) == 0);
	CHECK(tcsetattr(0, TCSANOW, t0) == 0);
	CHECK(tcgetattr(0, &got) == 0 && (got.c_lflag & ICANON) && got.c_cc[VMIN] == 1);
}

int main(int argc, char **argv)
{
	struct termios t0;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1 && !strcmp(argv[1], "echo"))
		return echo_loop();
	/* ^C reaches the foreground group as SIGINT; SA_RESTART keeps the read going. */
	struct sigaction sa = { .sa_handler = on_sigint, .sa_flags = SA_RESTART };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	CHECK(tcgetattr(0, &t0) == 0);
	check_state(&t0);
	check_canonical();
	check_raw(&t0);
	if (fails)
		printf("ttytest: %d checks failed\n", fails);
	else
		printf("ttytest: all checks passed\n");
	return fails ? 1 : 0;
}
