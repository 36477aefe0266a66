/*
 * Descriptor test (static musl; the same binary passes on Linux, also as pid 1).
 *   fdtest [DIR]      DIR (default "/tmp") is writable scratch; files go in DIR/fdtest.<pid>
 *   fdtest --exec-check FD1 FD2   (internal: FD1 must be closed by exec, FD2 still open)
 * Checks:
 *   - open uses the lowest free descriptor; dup shares the offset
 *   - dup2 onto an open fd closes it first, dup2(fd, fd) == fd, dup3 with O_CLOEXEC sets
 *     FD_CLOEXEC, dup3(fd, fd) EINVAL, a bad fd EBADF
 *   - fcntl F_GETFD/F_SETFD, F_GETFL/F_SETFL (O_APPEND and O_NONBLOCK toggled, O_APPEND
 *     takes effect), F_DUPFD/F_DUPFD_CLOEXEC give the lowest fd >= arg
 *   - fork shares the open file description (the child reads 10 bytes, the parent's offset
 *     moves by 10); a descriptor closed in the child stays open in the parent
 *   - exec closes O_CLOEXEC descriptors only: argv[0] re-executed with --exec-check
 *   - RLIMIT_NOFILE of 16: opens beyond it fail with EMFILE, F_DUPFD past it EINVAL
 *   - close of a closed fd EBADF; read on a write-only fd and write on a read-only fd EBADF
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

static int failures;
#define CHECK(cond) do { if (!(cond)) { printf("FAIL: %s (line %d, errno %d)\n", #cond, __LINE__, errno); failures++; } } while (0)

static char dir[256], file_a[300], file_b[300];
static const char data_a[] = "AAAAAAAAAA0123456789abcdefghijklmnopqrstuvwxyz";
static const char data_b[] = "BBBBBBBBBBbbbbbbbbbb";

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

static int is_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

static void make_file(const char *path, const char *data)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0 && write(fd, data, strlen(data)) == (ssize_t)strlen(data));
	close(fd);
}

static void check_dup(void)
{
	char buf[16];
	int a = open(file_a, O_RDONLY), b = open(file_a, O_RDONLY), c = open(file_a, O_RDONLY);
	CHECK(a >= 0 && b > a && c > b);
	CHECK(close(b) == 0);
	int d = open(file_b, O_RDONLY);
	CHECK(d == b);	/* the lowest free one */
	int e = dup(a);
	CHECK(e > c && read(a, buf, 3) == 3 && lseek(e, 0, SEEK_CUR) == 3);	/* shared offset */
	CHECK(dup2(a, d) == d && lseek(d, 0, SEEK_CUR) == 3);	/* d was file_b: closed first */
	CHECK(read(d, buf, 3) == 3 && memcmp(buf, "AAA", 3) == 0 && lseek(a, 0, SEEK_CUR) == 6);
	CHECK(dup2(a, a) == a && is_open(a));
	CHECK(fcntl(d, F_GETFD) == 0);
	CHECK(dup3(c, d, O_CLOEXEC) == d && fcntl(d, F_GETFD) == FD_CLOEXEC && lseek(d, 0, SEEK_CUR) == 0);
	CHECK(dup2(c, d) == d && fcntl(d, F_GETFD) == 0);	/* dup2 clears it */
	errno = 0;
	CHECK(dup3(a, a, 0) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(dup(999) == -1 && errno == EBADF);
	errno = 0;
	CHECK(dup2(999, a) == -1 && errno == EBADF && is_open(a));
	errno = 0;
	CHECK(dup2(a, -1) == -1 && errno == EBADF);
	errno = 0;
	CHECK(dup3(999, e, O_CLOEXEC) == -1 && errno == EBADF);
	close(a);
	close(c);
	close(d);
	close(e);
}

static void check_fcntl(void)
{
	char buf[64];
	int fd = open(file_b, O_RDWR);
	CHECK(fd >= 0 && fcntl(fd, F_GETFD) == 0);
	CHECK(fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC);
	CHECK(fcntl(fd, F_SETFD, 0) == 0 && fcntl(fd, F_GETFD) == 0);
	int fl = fcntl(fd, F_GETFL);
	CHECK(fl >= 0 && (fl & O_ACCMODE) == O_RDWR && !(fl & (O_APPEND | O_NONBLOCK)));
	CHECK(fcntl(fd, F_SETFL, fl | O_APPEND | O_NONBLOCK) == 0);
	fl = fcntl(fd, F_GETFL);
	CHECK((fl & O_APPEND) && (fl & O_NONBLOCK) && (fl & O_ACCMODE) == O_RDWR);
	CHECK(lseek(fd, 0, SEEK_SET) == 0 && write(fd, "xy", 2) == 2);
	CHECK(lseek(fd, 0, SEEK_CUR) == (off_t)strlen(data_b) + 2);	/* appended */
	CHECK(fcntl(fd, F_SETFL, fl & ~(O_APPEND | O_NONBLOCK)) == 0);
	fl = fcntl(fd, F_GETFL);
	CHECK(!(fl & O_APPEND) && !(fl & O_NONBLOCK));
	CHECK(lseek(fd, 0, SEEK_SET) == 0 && write(fd, "C", 1) == 1 && lseek(fd, 0, SEEK_CUR) == 1);
	CHECK(pread(fd, buf, sizeof(buf), 0) == (ssize_t)strlen(data_b) + 2 && buf[0] == 'C' && buf[1] == 'B');

	int probe = open(file_b, O_RDONLY);
	CHECK(probe > fd && close(probe) == 0);
	int lo = fcntl(fd, F_DUPFD, 0);	/* lowest free overall */
	CHECK(lo == probe);
	CHECK(dup2(fd, 20) == 20);
	CHECK(fcntl(fd, F_DUPFD, 20) == 21 && fcntl(21, F_GETFD) == 0);
	CHECK(fcntl(fd, F_DUPFD_CLOEXEC, 20) == 22 && fcntl(22, F_GETFD) == FD_CLOEXEC);
	CHECK(fcntl(fd, F_DUPFD, 15) == 15);
	errno = 0;
	CHECK(fcntl(fd, F_DUPFD, -1) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(fcntl(999, F_GETFD) == -1 && errno == EBADF);
	close(15);
	close(20);
	close(21);
	close(22);
	close(lo);
	close(fd);
	make_file(file_b, data_b);
}

static void check_fork_sharing(void)
{
	char buf[16];
	int fd = open(file_a, O_RDONLY), other = open(file_b, O_RDONLY);
	CHECK(fd >= 0 && other >= 0);
	pid_t pid = xfork();
	CHECK(pid >= 0);
	if (pid == 0) {
		int bad = read(fd, buf, 10) != 10 || memcmp(buf, data_a, 10) != 0;
		bad |= (close(other) != 0) << 1;
		bad |= (read(other, buf, 1) != -1) << 2;
		_exit(bad);
	}
	CHECK(exited_with(pid, 0));
	CHECK(lseek(fd, 0, SEEK_CUR) == 10);
	CHECK(read(fd, buf, 5) == 5 && memcmp(buf, data_a + 10, 5) == 0);
	CHECK(is_open(other) && read(other, buf, 4) == 4 && memcmp(buf, data_b, 4) == 0);
	close(fd);
	close(other);
}

static int exec_check(char **argv)
{
	int fd1 = atoi(argv[2]), fd2 = atoi(argv[3]);
	errno = 0;
	int closed = fcntl(fd1, F_GETFD) == -1 && errno == EBADF;
	char c;
	int open_ok = fcntl(fd2, F_GETFD) == 0 && pread(fd2, &c, 1, 0) == 1 && c == 'A';
	return closed && open_ok ? 0 : 1;
}

static void check_exec(const char *self)
{
	int fd1 = open(file_a, O_RDONLY | O_CLOEXEC), fd2 = open(file_a, O_RDONLY);
	CHECK(fd1 >= 0 && fd2 >= 0 && fcntl(fd1, F_GETFD) == FD_CLOEXEC);
	char s1[16], s2[16];
	sprintf(s1, "%d", fd1);
	sprintf(s2, "%d", fd2);
	char *args[] = { (char *)self, "--exec-check", s1, s2, NULL };
	pid_t pid = xfork();
	CHECK(pid >= 0);
	if (pid == 0) {
		close(1);
		execv(self, args);
		_exit(errno == ENOEXEC ? 126 : 127);
	}
	int status = 0;
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 126)	/* e.g. qemu-user, no binfmt_misc */
		printf("fdtest: exec of %s gave ENOEXEC: exec check skipped\n", self);
	else
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(is_open(fd1) && is_open(fd2));	/* the parent's are untouched */
	close(fd1);
	close(fd2);
}

/* In a child, so the parent keeps its limit: bits of the exit status tell what failed. */
static void check_rlimit(void)
{
	pid_t pid = xfork();
	CHECK(pid >= 0);
	if (pid == 0) {
		struct rlimit rl = { 16, 16 };
		int bad = setrlimit(RLIMIT_NOFILE, &rl) != 0, last = -1, fd;
		while ((fd = open(file_a, O_RDONLY)) >= 0 && fd < 64)
			last = fd;
		bad |= (fd != -1 || errno != EMFILE || last != 15) << 1;
		errno = 0;
		bad |= (dup(3) != -1 || errno != EMFILE) << 2;
		errno = 0;
		bad |= (fcntl(3, F_DUPFD, 16) != -1 || errno != EINVAL) << 3;
		errno = 0;
		bad |= (dup2(3, 16) != -1 || errno != EBADF) << 4;
		close(15);
		bad |= (open(file_a, O_RDONLY) != 15) << 5;
		_exit(bad);
	}
	CHECK(exited_with(pid, 0));
}

static void check_ebadf(void)
{
	char buf[4];
	int fd = open(file_a, O_RDONLY);
	CHECK(fd >= 0 && close(fd) == 0);
	errno = 0;
	CHECK(close(fd) == -1 && errno == EBADF);
	errno = 0;
	CHECK(close(-1) == -1 && errno == EBADF);
	fd = open(file_b, O_WRONLY);
	errno = 0;
	CHECK(fd >= 0 && read(fd, buf, 4) == -1 && errno == EBADF);
	close(fd);
	fd = open(file_b, O_RDONLY);
	errno = 0;
	CHECK(fd >= 0 && write(fd, "z", 1) == -1 && errno == EBADF);
	close(fd);
	errno = 0;
	CHECK(read(fd, buf, 4) == -1 && errno == EBADF);
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "--exec-check") == 0)
		return exec_check(argv);
	snprintf(dir, sizeof(dir), "%s/fdtest.%d", argc > 1 ? argv[1] : "/tmp", (int)getpid());
	snprintf(file_a, sizeof(file_a), "%s/a", dir);
	snprintf(file_b, sizeof(file_b), "%s/b", dir);
	CHECK(mkdir(dir, 0755) == 0);
	make_file(file_a, data_a);
	make_file(file_b, data_b);
	check_dup();
	check_fcntl();
	check_fork_sharing();
	check_exec(argv[0]);
	check_rlimit();
	check_ebadf();
	CHECK(unlink(file_a) == 0 && unlink(file_b) == 0 && rmdir(dir) == 0);
	printf("%s\n", failures ? "fdtest: FAILED" : "fdtest: all checks passed");
	return failures ? 1 : 0;
}
