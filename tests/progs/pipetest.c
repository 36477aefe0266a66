/*
 * Pipe test (static musl; the same binary passes on Linux, also as pid 1). Checks:
 *   - 1 MiB of pseudo-random bytes (fixed seed) written in chunks of varying size through
 *     a pipe to a child that reads in chunks of varying size and checksums them
 *   - read returns 0 (EOF) once the last writer has closed, data first
 *   - write with no reader left gives -1/EPIPE (SIGPIPE ignored if the system has signals)
 *   - O_NONBLOCK: read on an empty pipe EAGAIN; filling gives EAGAIN after >= 4096 bytes,
 *     and room comes back after a read
 *   - writes of PIPE_BUF (4096) bytes are atomic: two children write 64 records each,
 *     every record read back is one child's only
 *   - a three-stage pipeline of processes: 1..10000 as text, doubled, summed
 *   - pipe2(O_CLOEXEC) sets FD_CLOEXEC on both ends, pipe() on neither
 *   - a blocked reader in a child is woken by a later write
 *   - FIFO opens block until the other end opens; O_NONBLOCK; EINTR of a blocked open
 * Children never print and leave by _exit; they report through their exit status.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

static int failures;
#define CHECK(cond) do { if (!(cond)) { printf("FAIL: %s (line %d, errno %d)\n", #cond, __LINE__, errno); failures++; } } while (0)
#define TOTAL (1 << 20)
#define REC 4096
#define RECORDS 64
#define COUNT 10000

static pid_t xfork(void)
{
	fflush(stdout);
	return fork();
}

static int exited_with(pid_t pid, int code)
{
	int status = 0;
	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == code;
}

static uint32_t rng(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static uint32_t fnv(uint32_t h, const unsigned char *p, size_t n)
{
	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static size_t read_full(int fd, void *buf, size_t len)
{
	size_t have = 0;
	ssize_t n;
	while (have < len && (n = read(fd, (char *)buf + have, len - have)) > 0)
		have += (size_t)n;
	return have;
}

static void check_bulk(void)
{
	static unsigned char data[TOTAL];
	uint32_t seed = 12345;
	for (size_t i = 0; i < TOTAL; i++)
		data[i] = (unsigned char)(rng(&seed) >> 7);
	uint32_t want = fnv(2166136261u, data, TOTAL);
	int p[2];
	CHECK(pipe(p) == 0);
	pid_t pid = xfork();
	CHECK(pid >= 0);
	if (pid == 0) {
		static unsigned char buf[70000];
		uint32_t h = 2166136261u, s = 99;
		size_t total = 0;
		ssize_t n;
		close(p[1]);
		while ((n = read(p[0], buf, 1 + rng(&s) % sizeof(buf))) > 0) {
			h = fnv(h, buf, (size_t)n);
			total += (size_t)n;
		}
		_exit(n != 0 ? 3 : total != TOTAL ? 2 : h != want ? 1 : 0);
	}
	close(p[0]);
	uint32_t s = 7;
	size_t off = 0;
	int bad = 0;
	while (off < TOTAL && !bad) {
		size_t chunk = 1 + rng(&s) % 65536;
		if (chunk > TOTAL - off)
			chunk = TOTAL - off;
		bad = write_all(p[1], data + off, chunk) != 0;
		off += chunk;
	}
	CHECK(!bad);
	close(p[1]);
	CHECK(exited_with(pid, 0));
}

static void check_eof_and_epipe(void)
{
	char buf[8];
	int p[2];
	CHECK(pipe(p) == 0 && write(p[1], "abc", 3) == 3 && close(p[1]) == 0);
	CHECK(read(p[0], buf, sizeof(buf)) == 3 && memcmp(buf, "abc", 3) == 0);
	CHECK(read(p[0], buf, sizeof(buf)) == 0 && read(p[0], buf, 1) == 0);
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);	/* may fail where there are no signals */
	CHECK(pipe(p) == 0 && close(p[0]) == 0);
	errno = 0;
	CHECK(write(p[1], "x", 1) == -1 && errno == EPIPE);
	close(p[1]);
}

static void check_nonblock(void)
{
	static char buf[REC];
	int p[2];
	CHECK(pipe2(p, O_NONBLOCK) == 0);
	CHECK((fcntl(p[0], F_GETFL) & O_NONBLOCK) && (fcntl(p[1], F_GETFL) & O_NONBLOCK));
	errno = 0;
	CHECK(read(p[0], buf, 10) == -1 && errno == EAGAIN);
	memset(buf, 'n', sizeof(buf));
	size_t accepted = 0;
	ssize_t n;
	while (accepted < (64u << 20) && (n = write(p[1], buf, 1024)) > 0)
		accepted += (size_t)n;
	CHECK(n == -1 && errno == EAGAIN && accepted >= 4096);
	errno = 0;
	CHECK(write(p[1], buf, 1) == -1 && errno == EAGAIN);
	CHECK(read_full(p[0], buf, REC) == REC && buf[0] == 'n' && buf[REC - 1] == 'n');
	CHECK(write(p[1], buf, 1024) == 1024);	/* room again */
	close(p[1]);
	size_t drained = REC;
	while ((n = read(p[0], buf, REC)) > 0)
		drained += (size_t)n;
	CHECK(n == 0 && drained == accepted + 1024);
	close(p[0]);
}

static void check_atomic(void)
{
	static char rec[REC];
	int p[2];
	pid_t pids[2];
	CHECK(pipe(p) == 0);
	for (int w = 0; w < 2; w++) {
		pids[w] = xfork();
		CHECK(pids[w] >= 0);
		if (pids[w] == 0) {
			close(p[0]);
			memset(rec, 'A' + w, REC);
			for (int i = 0; i < RECORDS; i++)
				if (write(p[1], rec, REC) != REC)	/* all or nothing */
					_exit(1);
			_exit(0);
		}
	}
	close(p[1]);
	int count[2] = { 0 }, mixed = 0;
	while (read_full(p[0], rec, REC) == REC) {
		int who = rec[0] - 'A';
		int i = 1;
		while (i < REC && rec[i] == rec[0])
			i++;
		if (i != REC || who < 0 || who > 1)
			mixed++;
		else
			count[who]++;
	}
	close(p[0]);
	CHECK(mixed == 0 && count[0] == RECORDS && count[1] == RECORDS);
	CHECK(exited_with(pids[0], 0) && exited_with(pids[1], 0));
}

/* Reads decimal lines from fd, adds them to *sum and, if out >= 0, writes each doubled
 * to out; returns how many were read, or -1 on a malformed line or a failed write. */
static long read_numbers(int fd, int out, long long *sum)
{
	char buf[1000], line[32];
	long long cur = 0;
	long count = 0;
	int digits = 0;
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] >= '0' && buf[i] <= '9') {
				cur = cur * 10 + (buf[i] - '0');
				digits++;
			} else if (buf[i] == '\n' && digits) {
				count++;
				if (out >= 0) {
					int len = snprintf(line, sizeof(line), "%lld\n", cur * 2);
					if (write_all(out, line, (size_t)len) != 0)
						return -1;
				}
				*sum += cur;
				cur = digits = 0;
			} else
				return -1;
		}
	return n == 0 ? count : -1;
}

static void check_pipeline(void)
{
	int a[2], b[2];
	pid_t pids[3];
	CHECK(pipe(a) == 0 && pipe(b) == 0);
	pids[0] = xfork();
	if (pids[0] == 0) {
		char line[16];
		close(a[0]), close(b[0]), close(b[1]);
		for (int i = 1; i <= COUNT; i++) {
			int len = sprintf(line, "%d\n", i);
			if (write_all(a[1], line, (size_t)len) != 0)
				_exit(1);
		}
		_exit(0);
	}
	pids[1] = xfork();
	if (pids[1] == 0) {
		long long sum = 0;
		close(a[1]), close(b[0]);
		_exit(read_numbers(a[0], b[1], &sum) == COUNT ? 0 : 1);
	}
	pids[2] = xfork();
	if (pids[2] == 0) {
		long long sum = 0;
		close(a[0]), close(a[1]), close(b[1]);
		long n = read_numbers(b[0], -1, &sum);
		_exit(n == COUNT && sum == (long long)COUNT * (COUNT + 1) ? 0 : 1);
	}
	CHECK(pids[0] > 0 && pids[1] > 0 && pids[2] > 0);
	close(a[0]), close(a[1]), close(b[0]), close(b[1]);
	CHECK(exited_with(pids[2], 0));
	CHECK(exited_with(pids[1], 0));
	CHECK(exited_with(pids[0], 0));
}

static void check_cloexec_and_wakeup(void)
{
	int p[2];
	CHECK(pipe2(p, O_CLOEXEC) == 0);
	CHECK(fcntl(p[0], F_GETFD) == FD_CLOEXEC && fcntl(p[1], F_GETFD) == FD_CLOEXEC);
	CHECK(!(fcntl(p[0], F_GETFL) & O_NONBLOCK));
	close(p[0]);
	close(p[1]);
	CHECK(pipe(p) == 0 && fcntl(p[0], F_GETFD) == 0 && fcntl(p[1], F_GETFD) == 0);
	pid_t pid = xfork();
	CHECK(pid >= 0);
	if (pid == 0) {
		char buf[8];
		close(p[1]);
		_exit(read_full(p[0], buf, 4) == 4 && memcmp(buf, "wake", 4) == 0 ? 0 : 1);
	}
	close(p[0]);
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	nanosleep(&ts, NULL);
	CHECK(waitpid(pid, NULL, WNOHANG) == 0);	/* it cannot finish without the data */
	CHECK(write(p[1], "wake", 4) == 4);
	CHECK(exited_with(pid, 0));
	close(p[1]);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* FIFOs: an open blocks until the other end opens (a child opens it 50 ms later); with
 * O_NONBLOCK a reader does not wait and a writer without a reader gets ENXIO; a signal
 * interrupts a blocked open (EINTR, no descriptor left behind). */
static void check_fifo_open(void)
{
	char path[64], buf[4] = { 0 };
	snprintf(path, sizeof(path), "/tmp/pipetest-fifo-%d", (int)getpid());
	unlink(path);
	CHECK(mkfifo(path, 0600) == 0);
	CHECK(open(path, O_WRONLY | O_NONBLOCK) == -1 && errno == ENXIO);
	int r = open(path, O_RDONLY | O_NONBLOCK);
	CHECK(r >= 0);
	close(r);
	pid_t pid = xfork();
	if (pid == 0) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		nanosleep(&ts, NULL);
		int w = open(path, O_WRONLY);
		_exit(w >= 0 && write(w, "fifo", 4) == 4 ? 0 : 1);
	}
	r = open(path, O_RDONLY);	/* waits for the child's open */
	CHECK(r >= 0 && read_full(r, buf, 4) == 4 && memcmp(buf, "fifo", 4) == 0);
	CHECK(exited_with(pid, 0));
	close(r);
	struct sigaction sa = { .sa_handler = on_alarm }, old;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, &old);
	alarm(1);
	errno = 0;
	int fd_before = dup(0);
	close(fd_before);
	CHECK(open(path, O_WRONLY) == -1 && errno == EINTR);	/* no reader ever comes */
	int fd_after = dup(0);
	CHECK(fd_after == fd_before);	/* the interrupted open left no descriptor */
	close(fd_after);
	sigaction(SIGALRM, &old, NULL);
	unlink(path);
}

int main(void)
{
	check_bulk();
	check_eof_and_epipe();
	check_nonblock();
	check_atomic();
	check_pipeline();
	check_cloexec_and_wakeup();
	check_fifo_open();
	printf("%s\n", failures ? "pipetest: FAILED" : "pipetest: all checks passed");
	return failures ? 1 : 0;
}
