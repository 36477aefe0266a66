/*
 * Memory test (static musl; the same binary passes on Linux). With no argument it checks
 * brk, anonymous mmap/munmap/mprotect/madvise/mremap, MAP_FIXED replacement, stack growth
 * and 64 MiB touched page by page, and exits 0. With one of the words below it ends by a
 * fault that must kill it with SIGSEGV (status 139 under Relay, signal 11 on Linux):
 *   segv-munmap   access the middle of a mapping after munmapping it
 *   segv-mprotect write to a page made read-only
 *   segv-null     read address 0
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static int failures;
#define CHECK(cond) do { if (!(cond)) { printf("FAIL: %s (line %d, errno %d)\n", #cond, __LINE__, errno); failures++; } } while (0)
#define PAGE 4096ul

/* musl's brk() and sbrk(n) refuse to move the break, so use the system call. */
static char *sys_brk(void *addr)
{
	return (char *)syscall(SYS_brk, addr);
}

static void check_brk(void)
{
	char *start = sys_brk(0);
	CHECK(start != NULL && ((uintptr_t)start & 7) == 0);
	CHECK(sys_brk(start + 3 * PAGE) == start + 3 * PAGE);
	memset(start, 0x5a, 3 * PAGE);
	CHECK(start[3 * PAGE - 1] == 0x5a);
	CHECK(sys_brk(start + PAGE) == start + PAGE);
	CHECK(sys_brk(start + 2 * PAGE) == start + 2 * PAGE);
	char *page2 = (char *)(((uintptr_t)start + 2 * PAGE - 1) & ~(PAGE - 1));
	if (page2 > start + PAGE)	/* a page given back and taken again is zero */
		CHECK(page2[0] == 0);
	CHECK(start[0] == 0x5a);
	CHECK(sys_brk((void *)16) == start + 2 * PAGE);	/* below the start: unchanged */
	CHECK(sys_brk(start) == start);
}

static void check_big_mapping(void)
{
	size_t len = 64ul << 20;
	unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	for (size_t off = 0; off < len; off += PAGE)
		p[off] = (unsigned char)(off / PAGE);
	size_t bad = 0;
	for (size_t off = 0; off < len; off += PAGE)
		bad += p[off] != (unsigned char)(off / PAGE) || p[off + 1] != 0;
	CHECK(bad == 0);
	CHECK(munmap(p + len / 2, 16 * PAGE) == 0);	/* a hole in the middle */
	CHECK(p[len / 2 - PAGE] == (unsigned char)((len / 2 - PAGE) / PAGE));
	CHECK(p[len / 2 + 16 * PAGE] == (unsigned char)((len / 2 + 16 * PAGE) / PAGE));
	CHECK(munmap(p, len) == 0);
}

static void check_fixed_and_protect(void)
{
	char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	memset(p, 1, 4 * PAGE);
	char *q = mmap(p + PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(q == p + PAGE && q[0] == 0 && p[0] == 1 && p[2 * PAGE] == 1);
	errno = 0;	/* EEXIST; kernels before 4.17 (and qemu-user) treat it as a hint */
	char *nr = mmap(p, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK((nr == MAP_FAILED && errno == EEXIST) || (nr != MAP_FAILED && nr != p));
	if (nr != MAP_FAILED)
		munmap(nr, PAGE);
	CHECK(mprotect(p, PAGE, PROT_READ) == 0 && p[0] == 1);
	CHECK(mprotect(p, PAGE, PROT_NONE) == 0);
	CHECK(mprotect(p, PAGE, PROT_READ | PROT_WRITE) == 0 && p[0] == 1);	/* data survives */
	p[0] = 2;
	CHECK(madvise(p + 2 * PAGE, PAGE, MADV_DONTNEED) == 0 && p[2 * PAGE] == 0);
	char *r = mremap(p, 4 * PAGE, 2 * PAGE, 0);
	CHECK(r == p && p[0] == 2);
	CHECK(munmap(p, 2 * PAGE) == 0);
	errno = 0;
	CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL);
	errno = 0;
	CHECK(munmap((void *)(PAGE + 1), PAGE) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(mmap((void *)(PAGE + 1), PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED && errno == EINVAL);
	errno = 0;
	CHECK(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, -1, 0) == MAP_FAILED && errno == EBADF);
	errno = 0;
	CHECK(mmap(NULL, 1ul << 46, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == ENOMEM);
}

static int recurse(int depth)
{
	volatile char buf[1024];
	buf[0] = 1;
	if (depth == 0)
		return buf[0];
	return recurse(depth - 1) + buf[0];
}

static void check_malloc_and_stack(void)
{
	char *small = malloc(100), *big = malloc(1 << 20);
	CHECK(small && big);
	if (big) {
		memset(big, 7, 1 << 20);
		CHECK(big[(1 << 20) - 1] == 7);
	}
	free(big);
	free(small);
	CHECK(recurse(2000) == 2001);	/* ~2 MiB of stack, beyond what the loader mapped */
}

static void die_by(const char *how)
{
	volatile char *p;
	printf("memtest: %s: expecting SIGSEGV\n", how);
	fflush(stdout);
	if (strcmp(how, "segv-munmap") == 0) {
		p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		p[PAGE] = 1;
		munmap((void *)(p + PAGE), PAGE);
		p[PAGE] = 2;
	} else if (strcmp(how, "segv-mprotect") == 0) {
		p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		p[0] = 1;
		mprotect((void *)p, PAGE, PROT_READ);
		p[0] = 2;
	} else if (strcmp(how, "segv-null") == 0) {
		p = NULL;
		printf("%d\n", p[0]);
	}
	printf("memtest: FAIL: survived %s\n", how);
	exit(1);
}

/* Each fatal case in a child: the parent sees it killed by SIGSEGV and carries on. */
static void check_segv_children(void)
{
	static const char *const cases[] = { "segv-munmap", "segv-mprotect", "segv-null" };
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int status = 0;
		pid_t pid = fork();
		if (pid == 0) {
			close(1);	/* quiet: the parent reports */
			die_by(cases[i]);
		}
		CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
		CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
	}
}

int main(int argc, char **argv)
{
	if (argc > 1)
		die_by(argv[1]);
	check_segv_children();
	check_brk();
	check_big_mapping();
	check_fixed_and_protect();
	check_malloc_and_stack();
	printf("%s\n", failures ? "memtest: FAILED" : "memtest: all checks passed");
	return failures ? 1 : 0;
}
