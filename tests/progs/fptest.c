/*
 * Floating-point and SIMD state stays per process: several processes run long
 * floating-point loops at once (preempted by the timer and yielding to each other) and
 * each must get exactly the result computed before the fork; a value live in FP
 * registers across fork() is the same in both processes.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

static int failures;
#define CHECK(cond) do { if (!(cond)) { printf("FAIL: %s (line %d, errno %d)\n", #cond, __LINE__, errno); failures++; } } while (0)

#define WORKERS 4
#define ROUNDS 200

/* A series that depends on every step's rounding: any corrupted register changes it. */
static double series(int seed, int rounds)
{
	double x = seed * 0.37 + 1.0, acc = 0;
	for (int r = 0; r < rounds; r++) {
		for (int i = 1; i < 500; i++) {
			x = x * 1.0000003 + 1.0 / (i + seed);
			acc += x / (i + 0.5);
		}
		if (r % 20 == 0)
			sched_yield();
	}
	return acc;
}

int main(void)
{
	double expect[WORKERS];
	pid_t pids[WORKERS];
	for (int w = 0; w < WORKERS; w++)
		expect[w] = series(w + 1, ROUNDS);
	for (int w = 0; w < WORKERS; w++) {
		pids[w] = fork();
		if (pids[w] == 0)
			_exit(series(w + 1, ROUNDS) == expect[w] ? 0 : 1);
	}
	double mine = series(9, ROUNDS / 2), again = series(9, ROUNDS / 2);
	CHECK(mine == again);
	for (int w = 0; w < WORKERS; w++) {
		int status;
		CHECK(pids[w] > 0 && waitpid(pids[w], &status, 0) == pids[w]);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	volatile double live = 3.25;
	double held = live * 2.0;	/* likely kept in an FP register across fork */
	pid_t pid = fork();
	if (pid == 0)
		_exit(held == 6.5 ? 0 : 1);
	int status;
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(held == 6.5);
	printf("%s\n", failures ? "fptest: FAILED" : "fptest: all checks passed");
	return failures ? 1 : 0;
}
