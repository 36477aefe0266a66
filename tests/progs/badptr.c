/*
 * Bad pointer test (static musl; the same binary passes on Linux, also as pid 1).
 *   badptr [DIR]      DIR (default "/tmp") is writable scratch; files go in DIR/badptr.<pid>
 * Each pointer argument below, given a bad address, must give -1/EFAULT, and the same call
 * with good arguments must then succeed (the servers behind it survive). Bad addresses:
 * (void *)8, a page just munmapped, and for paths also a string running off the end of its
 * mapping without a NUL; for read also a read-only page. Calls (raw system calls, since
 * aarch64 has no open/stat: openat and newfstatat are used everywhere, open/stat too where
 * they exist):
 *   - openat/open: the path
 *   - read: the buffer (the file offset does not move); write: the buffer (size unchanged);
 *     a buffer whose end runs into a bad page: a short count, the bytes before it moved
 *   - newfstatat/stat: the path and the stat buffer; fstat: the stat buffer
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

static int failures;
#define CHECK(cond) do { if (!(cond)) { printf("FAIL: %s (line %d, errno %d)\n", #cond, __LINE__, errno); failures++; } } while (0)
#define PAGE 4096
#define NBAD 2

static char dir[256], file[300];
static const char data[] = "0123456789abcdef";
static void *bad[NBAD];

static int efault(long r)
{
	return r == -1 && errno == EFAULT;
}

static long sys_openat(const void *path, int flags)
{
	return syscall(SYS_openat, AT_FDCWD, path, flags, 0644);
}

static long sys_fstatat(const void *path, void *st)
{
	return syscall(SYS_newfstatat, AT_FDCWD, path, st, 0);
}

static void check_paths(const char *unterminated)
{
	struct stat st;
	for (int i = 0; i <= NBAD; i++) {
		const void *p = i < NBAD ? bad[i] : unterminated;
		errno = 0;
		CHECK(efault(sys_openat(p, O_RDONLY)));
		errno = 0;
		CHECK(efault(sys_openat(p, O_WRONLY | O_CREAT)));
		long fd = sys_openat(file, O_RDONLY);
		CHECK(fd >= 0 && close((int)fd) == 0);
		errno = 0;
		CHECK(efault(sys_fstatat(p, &st)));
		CHECK(sys_fstatat(file, &st) == 0 && st.st_size == (off_t)strlen(data));
#ifdef SYS_open
		errno = 0;
		CHECK(efault(syscall(SYS_open, p, O_RDONLY)));
		fd = syscall(SYS_open, file, O_RDONLY);
		CHECK(fd >= 0 && close((int)fd) == 0);
#endif
#ifdef SYS_stat
		errno = 0;
		CHECK(efault(syscall(SYS_stat, p, &st)));
		CHECK(syscall(SYS_stat, file, &st) == 0);
#endif
	}
}

static void check_statbufs(void)
{
	struct stat st;
	int fd = open(file, O_RDONLY);
	CHECK(fd >= 0);
	for (int i = 0; i < NBAD; i++) {
		errno = 0;
		CHECK(efault(sys_fstatat(file, bad[i])));
		errno = 0;
		CHECK(efault(syscall(SYS_fstat, fd, bad[i])));
#ifdef SYS_stat
		errno = 0;
		CHECK(efault(syscall(SYS_stat, file, bad[i])));
#endif
	}
	errno = 0;
	CHECK(efault(sys_fstatat(file, NULL)));
	errno = 0;
	CHECK(efault(syscall(SYS_fstat, fd, NULL)));
	memset(&st, 0, sizeof(st));
	CHECK(syscall(SYS_fstat, fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == (off_t)strlen(data));
	CHECK(sys_fstatat(file, &st) == 0 && S_ISREG(st.st_mode));
	close(fd);
}

static void check_read_write(void *readonly)
{
	char buf[32];
	struct stat st;
	int fd = open(file, O_RDWR);
	CHECK(fd >= 0);
	for (int i = 0; i <= NBAD; i++) {
		void *p = i < NBAD ? bad[i] : readonly;
		errno = 0;
		CHECK(efault(read(fd, p, 10)));
		CHECK(lseek(fd, 0, SEEK_CUR) == 0);
		if (i == NBAD)
			continue;	/* writing from a read-only page is fine */
		errno = 0;
		CHECK(efault(write(fd, p, 10)));
		CHECK(fstat(fd, &st) == 0 && st.st_size == (off_t)strlen(data) && lseek(fd, 0, SEEK_CUR) == 0);
	}
	CHECK(read(fd, buf, 4) == 4 && memcmp(buf, data, 4) == 0);
	CHECK(lseek(fd, 0, SEEK_END) == (off_t)strlen(data) && write(fd, "XY", 2) == 2);
	CHECK(pread(fd, buf, sizeof(buf), 0) == (ssize_t)strlen(data) + 2 && memcmp(buf + strlen(data), "XY", 2) == 0);
	CHECK(ftruncate(fd, (off_t)strlen(data)) == 0);
	/* a buffer that goes bad part way: Linux moves the bytes before the bad page and says
	 * so in the count (qemu-user, the host's oracle for AArch64, refuses the whole buffer
	 * with EFAULT instead: either is checked to be consistent) */
	char *edge = (char *)bad[1] - 6;	/* the last 6 bytes of page 1, then the unmapped page */
	memcpy(edge, "uvwxyz", 6);
	errno = 0;
	long w = pwrite(fd, edge, 10, 100);
	CHECK(w == 6 || efault(w));
	CHECK(fstat(fd, &st) == 0 && st.st_size == (w == 6 ? 106 : (off_t)strlen(data)));
	if (w == 6) {
		CHECK(pread(fd, buf, 6, 100) == 6 && memcmp(buf, "uvwxyz", 6) == 0);
		CHECK(pread(fd, edge, 10, 100) == 6);
	}
	CHECK(ftruncate(fd, (off_t)strlen(data)) == 0);
	close(fd);
	errno = 0;	/* a pipe too */
	int p[2];
	CHECK(pipe(p) == 0);
	errno = 0;
	CHECK(efault(write(p[1], bad[0], 10)));
	CHECK(write(p[1], "pq", 2) == 2);
	errno = 0;
	CHECK(efault(read(p[0], bad[1], 2)));
	CHECK(read(p[0], buf, 2) == 2 && memcmp(buf, "pq", 2) == 0);
	close(p[0]);
	close(p[1]);
}

int main(int argc, char **argv)
{
	snprintf(dir, sizeof(dir), "%s/badptr.%d", argc > 1 ? argv[1] : "/tmp", (int)getpid());
	snprintf(file, sizeof(file), "%s/file", dir);
	CHECK(mkdir(dir, 0755) == 0);
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0 && write(fd, data, strlen(data)) == (ssize_t)strlen(data) && close(fd) == 0);

	char *m = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED);
	if (m == MAP_FAILED)
		return 1;
	memset(m, 'a', 3 * PAGE);	/* page 0: read-only; page 1: path tail; page 2: unmapped */
	CHECK(munmap(m + 2 * PAGE, PAGE) == 0 && mprotect(m, PAGE, PROT_READ) == 0);
	bad[0] = (void *)8;
	bad[1] = m + 2 * PAGE;
	check_paths(m + 2 * PAGE - 100);
	check_statbufs();
	check_read_write(m);
	munmap(m, 2 * PAGE);
	CHECK(unlink(file) == 0 && rmdir(dir) == 0);
	printf("%s\n", failures ? "badptr: FAILED" : "badptr: all checks passed");
	return failures ? 1 : 0;
}
