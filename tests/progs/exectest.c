/*
 * Exec test (static musl; the same binary passes on Linux, also as pid 1).
 *   exectest [CHILD [NON_ELF]]
 * CHILD (default "/bin/execchild") is the execchild program. Checks:
 *   - vfork + execve(CHILD) with argv {"execchild", "alpha", "beta gamma"} and envp
 *     {"RELAY_TEST=1", "X=y"}: execchild verifies them and must exit 0
 *   - the same with fork + execve
 *   - execve of a missing file returns -1/ENOENT and this process carries on
 *   - if NON_ELF is given (an executable file that is neither ELF nor "#!"), execve of
 *     it returns -1/ENOEXEC; without it (no filesystem under Relay) that check is skipped
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

static int failures;
#define CHECK(cond) do { if (!(cond)) { printf("FAIL: %s (line %d, errno %d)\n", #cond, __LINE__, errno); failures++; } } while (0)

static char *const child_argv[] = { "execchild", "alpha", "beta gamma", NULL };
static char *const child_envp[] = { "RELAY_TEST=1", "X=y", NULL };

/* Wait for pid and check it exited 0; a failed execve in the child shows as 127. */
static void check_child_ok(pid_t pid, const char *how)
{
	int status = 0;
	pid_t r = wait4(pid, &status, 0, NULL);
	CHECK(r == pid);
	CHECK(WIFEXITED(status));
	CHECK(WEXITSTATUS(status) == 0);
	if (r != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		printf("exectest: %s: status 0x%x\n", how, status);
}

static void check_vfork_exec(const char *path)
{
	fflush(stdout);
	pid_t pid = vfork();
	if (pid == 0) {
		execve(path, child_argv, child_envp);
		_exit(127);
	}
	CHECK(pid > 0);
	if (pid > 0)
		check_child_ok(pid, "vfork+execve");
}

static void check_fork_exec(const char *path)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		execve(path, child_argv, child_envp);
		_exit(127);
	}
	CHECK(pid > 0);
	if (pid > 0)
		check_child_ok(pid, "fork+execve");
}

static void check_exec_errors(const char *non_elf)
{
	errno = 0;
	CHECK(execve("/nonexistent/relay-no-such-file", child_argv, child_envp) == -1 && errno == ENOENT);
	errno = 0;
	CHECK(execve("", child_argv, child_envp) == -1 && errno == ENOENT);
	if (!non_elf) {
		printf("exectest: no non-ELF file given, ENOEXEC check skipped\n");
		return;
	}
	errno = 0;
	CHECK(execve(non_elf, child_argv, child_envp) == -1 && errno == ENOEXEC);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/bin/execchild";
	pid_t me = getpid();

	check_vfork_exec(path);
	check_fork_exec(path);
	check_exec_errors(argc > 2 ? argv[2] : NULL);
	CHECK(getpid() == me);	/* failed execve calls left this process as it was */
	errno = 0;
	CHECK(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD);
	printf("%s\n", failures ? "exectest: FAILED" : "exectest: all checks passed");
	return failures ? 1 : 0;
}
