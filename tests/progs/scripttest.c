/*
 * execve through the file system: a program copied into a scratch directory at run time
 * runs; a "#!" script runs its interpreter with the right argv; a file without execute
 * permission, a directory and a script whose interpreter is missing give EACCES, EACCES and
 * ENOENT.   scripttest <scratch-dir> <path-of-execchild> <path-of-hello>
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

static int failures;
#define CHECK(cond) do { if (!(cond)) { printf("FAIL: %s (line %d, errno %d)\n", #cond, __LINE__, errno); failures++; } } while (0)

/* Run path with argv in a child; its exit status, or 1000 + errno if execve failed. */
static int run(const char *path, char *const argv[])
{
	static char *const envp[] = { "RELAY_TEST=1", "X=y", NULL };
	int status;
	pid_t pid = fork();
	if (pid == 0) {
		execve(path, argv, envp);
		_exit(errno == EACCES ? 201 : errno == ENOENT ? 202 : 203);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int copy_file(const char *from, const char *to, int mode)
{
	char buf[4096];
	int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, mode);
	long n, bad = in < 0 || out < 0;
	while (!bad && (n = read(in, buf, sizeof(buf))) > 0)
		bad = write(out, buf, (size_t)n) != n;
	close(in);
	close(out);
	return bad ? -1 : 0;
}

static int write_text(const char *path, const char *text, int mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	int ok = fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	close(fd);
	return ok ? chmod(path, mode) : -1;
}

int main(int argc, char **argv)
{
	char dir[256], copy[300], script[300], noexec[300], bad[300], text[600];
	const char *child = argc > 2 ? argv[2] : "/bin/execchild";
	const char *hello = argc > 3 ? argv[3] : "/bin/hello";
	snprintf(dir, sizeof(dir), "%s/scripttest.%d", argc > 1 ? argv[1] : "/tmp", (int)getpid());
	snprintf(copy, sizeof(copy), "%s/copy", dir);
	snprintf(script, sizeof(script), "%s/script", dir);
	snprintf(noexec, sizeof(noexec), "%s/noexec", dir);
	snprintf(bad, sizeof(bad), "%s/bad", dir);
	CHECK(mkdir(dir, 0700) == 0);

	char *const child_argv[] = { "execchild", "alpha", "beta gamma", NULL };
	CHECK(copy_file(child, copy, 0755) == 0);
	CHECK(run(copy, child_argv) == 0);

	snprintf(text, sizeof(text), "#!%s one\nthis line is never read\n", hello);
	CHECK(write_text(script, text, 0755) == 0);
	char *const script_argv[] = { "script", "two", NULL };
	CHECK(run(script, script_argv) == 42);

	CHECK(copy_file(child, noexec, 0644) == 0);
	CHECK(run(noexec, child_argv) == 201);	/* EACCES */
	CHECK(run(dir, child_argv) == 201);	/* a directory: EACCES */
	CHECK(write_text(bad, "#!/no/such/interpreter\n", 0755) == 0);
	CHECK(run(bad, child_argv) == 202);	/* ENOENT */

	unlink(copy), unlink(script), unlink(noexec), unlink(bad);
	CHECK(rmdir(dir) == 0);
	printf("%s\n", failures ? "scripttest: FAILED" : "scripttest: all checks passed");
	return failures ? 1 : 0;
}
