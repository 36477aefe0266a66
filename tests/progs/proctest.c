/*
 * /proc: meminfo has real memory figures, /proc/self/exe names this program and
 * /proc/self/cmdline holds its argv, in a forked child as well, and /proc/<pid> of the
 * child goes away once it is reaped.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

static int failures;
#define CHECK(cond) do { if (!(cond)) { printf("FAIL: %s (line %d, errno %d)\n", #cond, __LINE__, errno); failures++; } } while (0)

static long read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, buf, size - 1);
	if (fd >= 0)
		close(fd);
	if (n >= 0)
		buf[n] = 0;
	return n;
}

static unsigned long field(const char *text, const char *name)
{
	const char *p = strstr(text, name);
	return p ? strtoul(p + strlen(name), NULL, 10) : 0;
}

/* cmdline and exe of the calling process as argv says: 0 if they match. */
static int check_self(int argc, char **argv)
{
	char buf[4096], exe[PATH_MAX], want[PATH_MAX];
	long n = read_file("/proc/self/cmdline", buf, sizeof(buf)), pos = 0;
	int bad = n <= 0;
	for (int i = 0; i < argc && !bad; i++) {
		bad |= strcmp(buf + pos, argv[i]) != 0;
		pos += (long)strlen(argv[i]) + 1;
	}
	bad |= pos != n;
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	bad |= len <= 0 || !realpath(argv[0], want);
	if (len > 0)
		exe[len] = 0;
	bad |= strcmp(exe, want) != 0;
	return bad;
}

int main(int argc, char **argv)
{
	char buf[4096], path[64];
	int status;
	CHECK(read_file("/proc/meminfo", buf, sizeof(buf)) > 0);
	unsigned long total = field(buf, "MemTotal:"), avail = field(buf, "MemAvailable:");
	CHECK(total > 1024 && field(buf, "MemFree:") <= total && avail <= total);
	CHECK(strstr(buf, "SwapFree:") != NULL);
	CHECK(check_self(argc, argv) == 0);
	pid_t pid = fork();
	if (pid == 0)
		_exit(check_self(argc, argv));
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	struct stat st;
	errno = 0;
	CHECK(stat(path, &st) == -1 && errno == ENOENT);
	printf("proctest: MemTotal %lu kB, MemAvailable %lu kB\n", total, avail);
	printf("%s\n", failures ? "proctest: FAILED" : "proctest: all checks passed");
	return failures ? 1 : 0;
}
