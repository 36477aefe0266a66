/*
 * Time and scheduling calls (static musl; the same binary passes on Linux):
 * clock_gettime on the monotonic and real-time clocks, nanosleep and clock_nanosleep
 * (relative and absolute) sleeping at least as asked and not absurdly longer,
 * EINVAL for a bad timespec, sched_yield, and a sleeping child reaped by its parent.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

static int failures;
#define CHECK(cond) do { if (!(cond)) { printf("FAIL: %s (line %d, errno %d)\n", #cond, __LINE__, errno); failures++; } } while (0)

static long long now_ns(clockid_t clk)
{
	struct timespec ts;
	if (clock_gettime(clk, &ts) != 0)
		return -1;
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/* Sleep ms with fn and check the elapsed monotonic time is within [ms, ms + 1000). */
static void check_sleep(const char *what, int ms, int absolute)
{
	long long t0 = now_ns(CLOCK_MONOTONIC), t1;
	struct timespec d = { ms / 1000, (ms % 1000) * 1000000l };
	int r;
	if (absolute) {
		long long end = t0 + ms * 1000000ll;
		struct timespec at = { end / 1000000000ll, end % 1000000000ll };
		r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL);
	} else {
		r = nanosleep(&d, NULL);
	}
	t1 = now_ns(CLOCK_MONOTONIC);
	CHECK(r == 0);
	CHECK(t1 - t0 >= ms * 1000000ll);
	CHECK(t1 - t0 < (ms + 1000) * 1000000ll);
	printf("timetest: %s %d ms took %lld ms\n", what, ms, (t1 - t0) / 1000000);
}

int main(void)
{
	struct timespec bad = { 0, 1000000000l };
	int status;
	CHECK(now_ns(CLOCK_MONOTONIC) > 0 && now_ns(CLOCK_REALTIME) >= 0);
	check_sleep("nanosleep", 30, 0);
	check_sleep("clock_nanosleep(TIMER_ABSTIME)", 20, 1);
	errno = 0;
	CHECK(nanosleep(&bad, NULL) == -1 && errno == EINVAL);
	CHECK(sched_yield() == 0);
	pid_t pid = fork();
	if (pid == 0) {
		usleep(10000);
		_exit(5);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 5);
	printf("%s\n", failures ? "timetest: FAILED" : "timetest: all checks passed");
	return failures ? 1 : 0;
}
