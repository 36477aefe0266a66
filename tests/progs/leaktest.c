/*
 * Frame accounting: 1000 fork/exit/wait cycles and 1000 fork/exec/exit/wait cycles must
 * leave free memory where it started. Prints the figures everywhere; asserts them only
 * on Relay (uname's version names it), since Linux's free memory moves with its caches.
 *   leaktest [path-of-execchild]     (default /bin/execchild)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#define CYCLES 1000
static int failures;
#define CHECK(cond) do { if (!(cond)) { printf("FAIL: %s (line %d, errno %d)\n", #cond, __LINE__, errno); failures++; } } while (0)

static unsigned long free_bytes(void)
{
	struct sysinfo si;
	if (sysinfo(&si) != 0)
		return 0;
	return si.freeram * si.mem_unit;
}

/* One cycle: a child that exits at once, or that execs child_path first. */
static int cycle(const char *child_path)
{
	static char *const argv[] = { "execchild", "alpha", "beta gamma", NULL };
	static char *const envp[] = { "RELAY_TEST=1", "X=y", NULL };
	int status;
	pid_t pid = fork();
	if (pid == 0) {
		if (child_path)
			execve(child_path, argv, envp);
		_exit(child_path ? 127 : 0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void measure(const char *what, const char *child_path, int assert_equal)
{
	int bad = 0;
	for (int i = 0; i < 10; i++)	/* warm up: first-touch pages of the parent */
		bad += cycle(child_path) != 0;
	unsigned long before = free_bytes();
	for (int i = 0; i < CYCLES; i++)
		bad += cycle(child_path) != 0;
	unsigned long after = free_bytes();
	printf("leaktest: %d %s cycles: free before %lu KiB, after %lu KiB, delta %ld KiB\n",
	       CYCLES, what, before >> 10, after >> 10, (long)(after - before) / 1024);
	CHECK(bad == 0);
	CHECK(before > 0);
	if (assert_equal)
		CHECK(after == before);
}

int main(int argc, char **argv)
{
	struct utsname u;
	int on_relay = uname(&u) == 0 && strstr(u.version, "Relay") != NULL;
	measure("fork/exit/wait", NULL, on_relay);
	measure("fork/exec/exit/wait", argc > 1 ? argv[1] : "/bin/execchild", on_relay);
	printf("%s\n", failures ? "leaktest: FAILED" : "leaktest: all checks passed");
	return failures ? 1 : 0;
}
