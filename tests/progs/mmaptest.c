/*
 * File-backed mmap test (static musl; the same binary passes on Linux, also as pid 1).
 *   mmaptest [DIR]    DIR (default "/tmp") is writable scratch; files are DIR/mmaptest.<pid>.*
 * Checks:
 *   - MAP_SHARED: the file's bytes, zeros past EOF in the last page; writes seen by read()
 *     and by a second mapping
 *   - MAP_PRIVATE: writes seen by neither read() nor a shared mapping; a write() after
 *     mapping is seen through a shared mapping and a private mapping's untouched pages
 *   - fork: the child's writes through MAP_SHARED are seen by the parent, its private ones not
 *   - offset mappings, mremap growing a file mapping in place, msync (flags, alignment,
 *     unmapped range)
 *   - ftruncate shrink: an access past the new EOF is SIGBUS (in a forked child), the rest
 *     of the last page reads zero; ftruncate grow: new pages read zero; a page wholly past
 *     EOF at mmap time is SIGBUS
 *   - a file unlinked and closed while mapped stays readable and writable, also in a child
 *   - errors: EBADF, EACCES (write-only fd; shared writable map of a read-only fd; mprotect
 *     adding PROT_WRITE there), EINVAL (unaligned offset), ENODEV (a pipe); /dev/zero maps;
 *     mprotect over a shared and a private file mapping keeps the file page copy-on-write
 *   - 300 random steps of write(), ftruncate, stores through three shared mappings (also
 *     from forked children) and a private one: the shared views always agree with read()
 *   - on Relay, free memory is back to its start value after mapping and deleting files
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>

static int failures;
#define CHECK(cond) do { if (!(cond)) { printf("FAIL: %s (line %d, errno %d)\n", #cond, __LINE__, errno); failures++; } } while (0)
#define CHECK_MAP_ERR(call, err) do { errno = 0; CHECK((call) == MAP_FAILED && errno == (err)); } while (0)

static size_t page;
static char dir[200];
static int serial;

/* The byte at offset off of the test pattern. */
static unsigned char pat(size_t off)
{
	return (unsigned char)(off * 7 + off / 4096 + 1);
}

/* A new file DIR/mmaptest.<pid>.<n> of len pattern bytes, opened O_RDWR; its path in path. */
static int make_file(size_t len, char *path)
{
	snprintf(path, 256, "%s/mmaptest.%d.%d", dir, (int)getpid(), serial++);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	unsigned char *buf = malloc(len + 1);
	for (size_t i = 0; i < len; i++)
		buf[i] = pat(i);
	CHECK(write(fd, buf, len) == (ssize_t)len);
	free(buf);
	return fd;
}

/* Whether the len bytes at p equal the pattern from file offset off. */
static int is_pattern(const unsigned char *p, size_t off, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != pat(off + i))
			return 0;
	return 1;
}

static int all_zero(const unsigned char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i])
			return 0;
	return 1;
}

static unsigned char byte_at(int fd, off_t off)
{
	unsigned char b = 0xee;
	CHECK(pread(fd, &b, 1, off) == 1);
	return b;
}

/* Run fn(arg) in a child; its wait status. */
static int in_child(void (*fn)(volatile unsigned char *), volatile unsigned char *arg)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	int st = -1;
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid);
	return st;
}

static void touch_read(volatile unsigned char *p) { (void)*p; }
static void touch_write(volatile unsigned char *p) { *p = 1; }

static int is_sigbus(int st)
{
	return WIFSIGNALED(st) && WTERMSIG(st) == SIGBUS;
}

static void test_shared_private(void)
{
	char path[256];
	size_t len = 3 * page + 100;
	int fd = make_file(len, path);
	unsigned char *s1 = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	unsigned char *s2 = mmap(NULL, 4 * page, PROT_READ, MAP_SHARED, fd, 0);
	unsigned char *pr = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(s1 != MAP_FAILED && s2 != MAP_FAILED && pr != MAP_FAILED);
	if (s1 == MAP_FAILED || s2 == MAP_FAILED || pr == MAP_FAILED)
		return;
	CHECK(is_pattern(s1, 0, len));
	CHECK(all_zero(s1 + len, 4 * page - len));	/* past EOF in the last page */
	CHECK(is_pattern(pr, 0, len));

	/* Shared writes: seen by read() and the second mapping. */
	s1[10] = 0xab;
	s1[2 * page + 5] = 0xcd;
	CHECK(byte_at(fd, 10) == 0xab && byte_at(fd, 2 * page + 5) == 0xcd);
	CHECK(s2[10] == 0xab && s2[2 * page + 5] == 0xcd);

	/* Private writes: seen by neither. pr[10] was read before (page 0 mapped), so the
	 * shared write above shows there until the private write copies the page. */
	CHECK(pr[10] == 0xab);
	pr[20] = 0x11;
	CHECK(pr[20] == 0x11 && pr[10] == 0xab);
	CHECK(byte_at(fd, 20) == pat(20) && s1[20] == pat(20) && s2[20] == pat(20));

	/* A write() after mapping: seen through the shared mappings and the private mapping's
	 * untouched page 1, not through its copied page 0. */
	unsigned char w = 0x5a;
	CHECK(pwrite(fd, &w, 1, page + 3) == 1);
	CHECK(pwrite(fd, &w, 1, 30) == 1);
	CHECK(s1[page + 3] == 0x5a && s2[page + 3] == 0x5a && pr[page + 3] == 0x5a);
	CHECK(s1[30] == 0x5a && pr[30] == pat(30));

	/* fork: the child's shared writes reach the parent, its private ones do not. */
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int bad = s1[10] != 0xab || pr[20] != 0x11 || s2[page + 3] != 0x5a;
		s1[40] = 0x77;
		pr[page * 2 + 40] = 0x66;
		pr[20] = 0x22;
		_exit(bad ? 3 : 0);
	}
	int st = -1;
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(s1[40] == 0x77 && s2[40] == 0x77 && byte_at(fd, 40) == 0x77);
	CHECK(pr[20] == 0x11);
	CHECK(pr[page * 2 + 40] == s1[page * 2 + 40] && byte_at(fd, page * 2 + 40) == pat(page * 2 + 40));

	/* Offset mappings. */
	unsigned char *o = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 2 * page);
	CHECK(o != MAP_FAILED);
	if (o != MAP_FAILED) {
		CHECK(o[5] == 0xcd && o[6] == pat(2 * page + 6));
		o[7] = 0x99;
		CHECK(s1[2 * page + 7] == 0x99 && byte_at(fd, 2 * page + 7) == 0x99);
		CHECK(munmap(o, page) == 0);
	}
	unsigned char *o3 = mmap(NULL, page, PROT_READ, MAP_PRIVATE, fd, 3 * page);
	CHECK(o3 != MAP_FAILED && is_pattern(o3, 3 * page, 100) && all_zero(o3 + 100, page - 100));
	if (o3 != MAP_FAILED)
		munmap(o3, page);

	/* mremap: a file mapping grows in place over the next pages of the file. */
	unsigned char *g = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, page);
	CHECK(g != MAP_FAILED && munmap(g + page, page) == 0);
	if (g != MAP_FAILED) {
		CHECK(mremap(g, page, 2 * page, 0) == g);
		CHECK(g[page + 5] == 0xcd && g[page + 6] == pat(2 * page + 6));
		CHECK(munmap(g, 2 * page) == 0);
	}

	/* msync. */
	CHECK(msync(s1, 4 * page, MS_SYNC) == 0);
	CHECK(msync(s1, page, MS_ASYNC) == 0);
	CHECK(msync(s1, page, MS_INVALIDATE) == 0);
	errno = 0;
	CHECK(msync(s1, page, MS_SYNC | MS_ASYNC) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(msync(s1 + 1, page, MS_SYNC) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(msync(s1, page, 0x100) == -1 && errno == EINVAL);

	CHECK(munmap(s1, 4 * page) == 0 && munmap(s2, 4 * page) == 0 && munmap(pr, 4 * page) == 0);
	errno = 0;
	CHECK(msync(s1, page, MS_SYNC) == -1 && errno == ENOMEM);
	close(fd);
	unlink(path);
}

static void test_truncate(void)
{
	char path[256];
	int fd = make_file(4 * page, path);
	unsigned char *s = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	unsigned char *pr = mmap(NULL, 4 * page, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(s != MAP_FAILED && pr != MAP_FAILED);
	if (s == MAP_FAILED || pr == MAP_FAILED)
		return;
	CHECK(is_pattern(s + 2 * page, 2 * page, 2 * page) && pr[3 * page] == pat(3 * page));

	/* Shrink to 1 page + 10 bytes. */
	CHECK(ftruncate(fd, page + 10) == 0);
	CHECK(is_sigbus(in_child(touch_read, s + 2 * page)));
	CHECK(is_sigbus(in_child(touch_write, s + 3 * page)));
	CHECK(is_sigbus(in_child(touch_read, pr + 3 * page)));
	CHECK(is_pattern(s, 0, page + 10));
	CHECK(all_zero(s + page + 10, page - 10));	/* no stale data in the last page */

	/* Grow to 4 pages: the new pages are zero, the old tail too. */
	CHECK(ftruncate(fd, 4 * page) == 0);
	CHECK(all_zero(s + page + 10, 3 * page - 10));
	CHECK(byte_at(fd, page + 20) == 0 && byte_at(fd, 3 * page) == 0);
	s[3 * page + 1] = 0x33;
	CHECK(byte_at(fd, 3 * page + 1) == 0x33);
	CHECK(WIFEXITED(in_child(touch_write, s + 2 * page)));
	CHECK(s[2 * page] == 1);

	/* Growth through write() is seen too. */
	CHECK(ftruncate(fd, page) == 0);
	unsigned char w[3] = { 7, 8, 9 };
	CHECK(pwrite(fd, w, 3, 2 * page + 100) == 3);
	CHECK(s[2 * page + 100] == 7 && s[2 * page + 102] == 9 && all_zero(s + page, page));
	CHECK(munmap(s, 4 * page) == 0 && munmap(pr, 4 * page) == 0);

	/* A page wholly past EOF at mmap time. */
	CHECK(ftruncate(fd, 100) == 0);
	s = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(s != MAP_FAILED);
	if (s != MAP_FAILED) {
		CHECK(is_pattern(s, 0, 100) && all_zero(s + 100, page - 100));
		CHECK(is_sigbus(in_child(touch_read, s + page)));
		CHECK(is_sigbus(in_child(touch_write, s + 2 * page)));
		munmap(s, 3 * page);
	}
	close(fd);
	unlink(path);
}

static void test_unlinked(void)
{
	char path[256];
	int fd = make_file(2 * page, path);
	unsigned char *s = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(s != MAP_FAILED);
	if (s == MAP_FAILED)
		return;
	CHECK(close(fd) == 0 && unlink(path) == 0);
	CHECK(is_pattern(s, 0, 2 * page));
	s[page + 1] = 0xfe;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(s[page + 1] == 0xfe && is_pattern(s, 0, page) ? (s[0] = 0xfd, 0) : 3);
	int st = -1;
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(s[0] == 0xfd);
	CHECK(munmap(s, 2 * page) == 0);
}

static void test_errors(void)
{
	char path[256];
	int fd = make_file(page, path);
	close(fd);
	CHECK_MAP_ERR(mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 0), EBADF);
	CHECK_MAP_ERR(mmap(NULL, page, PROT_READ, MAP_SHARED, 999, 0), EBADF);

	int ro = open(path, O_RDONLY), wo = open(path, O_WRONLY);
	CHECK(ro >= 0 && wo >= 0);
	CHECK_MAP_ERR(mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0), EACCES);
	CHECK_MAP_ERR(mmap(NULL, page, PROT_READ, MAP_PRIVATE, wo, 0), EACCES);
	CHECK_MAP_ERR(mmap(NULL, page, PROT_READ, MAP_SHARED, wo, 0), EACCES);
	CHECK_MAP_ERR(mmap(NULL, page, PROT_READ, MAP_SHARED, ro, 1), EINVAL);
	CHECK_MAP_ERR(mmap(NULL, page, PROT_READ, MAP_SHARED, ro, page / 2), EINVAL);

	/* A private writable map of a read-only fd is fine; a shared read-only one cannot be
	 * made writable. */
	unsigned char *p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
	CHECK(p != MAP_FAILED);
	if (p != MAP_FAILED) {
		p[0] = 0x10;
		CHECK(byte_at(ro, 0) == pat(0));
		munmap(p, page);
	}
	p = mmap(NULL, page, PROT_READ, MAP_SHARED, ro, 0);
	CHECK(p != MAP_FAILED);
	if (p != MAP_FAILED) {
		errno = 0;
		CHECK(mprotect(p, page, PROT_READ | PROT_WRITE) == -1 && errno == EACCES);
		CHECK(p[1] == pat(1));
		munmap(p, page);
	}

	/* mprotect over a shared mapping and a private file mapping together: the private
	 * file page stays copy-on-write (a write does not reach the file). */
	unsigned char *two = mmap(NULL, 2 * page, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(two != MAP_FAILED);
	if (two != MAP_FAILED) {
		CHECK(mmap(two + page, page, PROT_READ, MAP_PRIVATE | MAP_FIXED, ro, 0) == two + page);
		CHECK(two[page + 2] == pat(2));
		CHECK(mprotect(two, 2 * page, PROT_READ | PROT_WRITE) == 0);
		two[0] = 1;
		two[page + 2] = 0x44;
		CHECK(two[page + 2] == 0x44 && byte_at(ro, 2) == pat(2));
		munmap(two, 2 * page);
	}
	close(ro);
	close(wo);

	int pfd[2];
	CHECK(pipe(pfd) == 0);
	CHECK_MAP_ERR(mmap(NULL, page, PROT_READ, MAP_SHARED, pfd[0], 0), ENODEV);
	CHECK_MAP_ERR(mmap(NULL, page, PROT_READ, MAP_PRIVATE, pfd[0], 0), ENODEV);
	close(pfd[0]);
	close(pfd[1]);

	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	CHECK(dfd >= 0);
	CHECK_MAP_ERR(mmap(NULL, page, PROT_READ, MAP_PRIVATE, dfd, 0), ENODEV);
	close(dfd);

	int z = open("/dev/zero", O_RDWR);
	CHECK(z >= 0);
	p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE, z, 0);
	CHECK(p != MAP_FAILED);
	if (p != MAP_FAILED) {
		CHECK(all_zero(p, 2 * page));
		p[page] = 3;
		CHECK(p[page] == 3);
		munmap(p, 2 * page);
	}
	close(z);
	unlink(path);
}

/* A larger file: every page through a mapping, read back by read(). */
static void test_large(void)
{
	char path[256];
	size_t len = 64 * page + 123;
	int fd = make_file(len, path);
	unsigned char *s = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(s != MAP_FAILED);
	if (s == MAP_FAILED)
		return;
	CHECK(is_pattern(s, 0, len));
	for (size_t i = 0; i < len; i += page)
		s[i] = (unsigned char)~pat(i);
	unsigned char *buf = malloc(len);
	CHECK(pread(fd, buf, len, 0) == (ssize_t)len);
	int ok = 1;
	for (size_t i = 0; i < len; i++)
		if (buf[i] != (i % page ? pat(i) : (unsigned char)~pat(i)))
			ok = 0;
	CHECK(ok);
	free(buf);
	CHECK(munmap(s, len) == 0);
	close(fd);
	unlink(path);
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static size_t rnd(size_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (size_t)(rng % n);
}

/* Random write(), ftruncate, stores through shared mappings (also from forked children)
 * and private mappings; after each step every shared view agrees with read(). */
static void test_random(void)
{
	char path[256];
	enum { PAGES = 16, VIEWS = 3 };
	size_t max = PAGES * page, size = 5 * page + 17;
	int fd = make_file(size, path);
	size_t voff[VIEWS] = { 0, 2 * page, 5 * page };
	unsigned char *view[VIEWS], *priv, *buf = malloc(max);
	for (int v = 0; v < VIEWS; v++) {
		view[v] = mmap(NULL, max - voff[v], PROT_READ | PROT_WRITE, MAP_SHARED, fd, voff[v]);
		CHECK(view[v] != MAP_FAILED);
		if (view[v] == MAP_FAILED)
			return;
	}
	priv = mmap(NULL, max, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(priv != MAP_FAILED);
	int bad = 0;
	for (int step = 0; step < 300 && !bad; step++) {
		size_t off = rnd(max), len = 1 + rnd(page + 100);
		unsigned char b = (unsigned char)(1 + rnd(255));
		switch (rnd(6)) {
		case 0:	/* write() anywhere below the maximum */
			if (off + len > max)
				len = max - off;
			memset(buf, b, len);
			CHECK(pwrite(fd, buf, len, (off_t)off) == (ssize_t)len);
			if (off + len > size)
				size = off + len;
			break;
		case 1:	/* truncate */
			size = rnd(max + 1);
			CHECK(ftruncate(fd, (off_t)size) == 0);
			break;
		case 2:	/* a store through a view, inside the file */
		case 3: {
			int v = (int)rnd(VIEWS);
			if (size > voff[v] && off < size) {
				if (off < voff[v])
					off = voff[v] + rnd(size - voff[v]);
				view[v][off - voff[v]] = b;
			}
			break;
		}
		case 4:	/* a store from a child */
			if (off < size) {
				fflush(stdout);
				pid_t pid = fork();
				if (pid == 0) {
					view[0][off] = b;
					priv[off] = (unsigned char)~b;	/* its own copy only */
					_exit(0);
				}
				int st = -1;
				CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st));
			}
			break;
		default:	/* a private store (never seen by the file) */
			if (off < size)
				priv[off] = b;
			break;
		}
		CHECK(pread(fd, buf, max, 0) == (ssize_t)size);
		for (int v = 0; v < VIEWS && !bad; v++)
			if (size > voff[v] && memcmp(view[v], buf + voff[v], size - voff[v]))
				bad = 1;
		if (bad)
			printf("FAIL: views differ from read() after step %d\n", step);
	}
	failures += bad;
	for (int v = 0; v < VIEWS; v++)
		munmap(view[v], max - voff[v]);
	munmap(priv, max);
	free(buf);
	close(fd);
	unlink(path);
}

static long free_bytes(void)
{
	struct sysinfo si;
	return sysinfo(&si) == 0 ? (long)(si.freeram * si.mem_unit) : -1;
}

/* Map, fork, unlink and unmap files many times: on Relay free memory ends where it began. */
static void test_accounting(void)
{
	struct utsname u;
	int on_relay = uname(&u) == 0 && strstr(u.version, "Relay") != NULL;
	char path[256];
	long before = 0;
	for (int round = 0; round < 22; round++) {
		if (round == 2)	/* after warming up the heaps and the directory */
			before = free_bytes();
		int fd = make_file(8 * page, path);
		unsigned char *s = mmap(NULL, 8 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		unsigned char *pr = mmap(NULL, 8 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
		CHECK(s != MAP_FAILED && pr != MAP_FAILED);
		if (s == MAP_FAILED || pr == MAP_FAILED)
			return;
		s[0] = 1;
		pr[page] = 2;
		(void)pr[2 * page];
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			s[3 * page] = 4;
			pr[4 * page] = 5;
			_exit(0);
		}
		waitpid(pid, NULL, 0);
		CHECK(ftruncate(fd, 2 * page) == 0);
		close(fd);
		unlink(path);
		if (round % 2)
			munmap(s, 8 * page);
		munmap(pr, 8 * page);
		if (!(round % 2))
			munmap(s, 8 * page);
	}
	long after = free_bytes();
	printf("mmaptest: free memory %ld KiB before, %ld KiB after\n", before / 1024, after / 1024);
	if (on_relay)
		CHECK(after == before);
}

int main(int argc, char **argv)
{
	page = (size_t)sysconf(_SC_PAGESIZE);
	snprintf(dir, sizeof(dir), "%s", argc > 1 ? argv[1] : "/tmp");
	test_shared_private();
	test_truncate();
	test_unlinked();
	test_errors();
	test_large();
	test_random();
	test_accounting();
	if (failures) {
		printf("mmaptest: %d checks FAILED\n", failures);
		return 1;
	}
	printf("mmaptest: all checks passed\n");
	return 0;
}
