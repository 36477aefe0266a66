/*
 * The foundation test: an ordinary static Linux program. On Relay it prints
 * "pid=1 ppid=0"; everywhere it checks the error paths and exits 42.
 * Each failed check prints "FAIL: ..." and makes the exit status 1 instead.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

static int failures;
static __thread int tls_value = 7;

#define CHECK(cond) do { if (!(cond)) { printf("FAIL: %s (line %d, errno %d)\n", #cond, __LINE__, errno); failures++; } } while (0)

int main(int argc, char **argv)
{
	struct utsname u;
	struct timespec a, b;

	printf("hello from %s: pid=%d ppid=%d\n", argv[0], (int)getpid(), (int)getppid());
	for (int i = 1; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);

	errno = 0;
	CHECK(syscall(999) == -1 && errno == ENOSYS);
	errno = 0;
	CHECK(write(1, (void *)8, 4) == -1 && errno == EFAULT);
	CHECK(syscall(SYS_gettid) == getpid());
	CHECK(uname(&u) == 0 && strcmp(u.sysname, "Linux") == 0);
	CHECK(clock_gettime(CLOCK_MONOTONIC, &a) == 0 && clock_gettime(CLOCK_MONOTONIC, &b) == 0);
	CHECK(b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec));
	CHECK(tls_value == 7);
	tls_value++;
	CHECK(tls_value == 8);
	CHECK(write(1, "write ok\n", 9) == 9);

	printf("%s\n", failures ? "hello: FAILED" : "hello: all checks passed");
	return failures ? 1 : 42;
}
