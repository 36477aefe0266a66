/*
 * Process test (static musl; the same binary passes on Linux, also as pid 1). Checks:
 *   - fork copies memory copy-on-write: a global, a malloc'd page and a stack page
 *   - exit statuses round trip through wait4/waitpid (specific pid and -1), WNOHANG
 *     gives 0 while a child runs and ECHILD when there are no children
 *   - a chain of 200 nested forks and a fan-out of 200 children
 *   - orphans are re-parented to the reaper (this process: pid 1 or a subreaper)
 *   - a zombie is reaped exactly once; a child dereferencing NULL dies of SIGSEGV
 *   - MAP_SHARED anonymous memory is shared across fork, MAP_PRIVATE is not
 *   - vfork + _exit(33)
 * Children never print and leave by _exit; they report through their exit status.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>

static int failures;
#define CHECK(cond) do { if (!(cond)) { printf("FAIL: %s (line %d, errno %d)\n", #cond, __LINE__, errno); failures++; } } while (0)
#define PAGE 4096
#define CHAIN_DEPTH 200
#define FAN_OUT 200
#define SPIN_LIMIT 2000000

static int global_value = 1;

/* fork with stdout flushed first, so buffered text is never duplicated */
static pid_t xfork(void)
{
	fflush(stdout);
	return fork();
}

/* Wait for pid; returns its raw status, or -1 (after a failed check) on error. */
static int reap(pid_t pid)
{
	int status = 0;
	pid_t r = wait4(pid, &status, 0, NULL);
	CHECK(r == pid);
	return r == pid ? status : -1;
}

static int exited_with(int status, int code)
{
	return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == code;
}

static void check_cow(void)
{
	char *heap = malloc(2 * PAGE);
	volatile char stack[PAGE];
	CHECK(heap != NULL);
	if (!heap)
		return;
	global_value = 2;
	memset(heap, 'p', 2 * PAGE);
	for (int i = 0; i < PAGE; i++)
		stack[i] = 's';
	pid_t pid = xfork();
	CHECK(pid >= 0);
	if (pid == 0) {
		int bad = 0;	/* bit 0: global, 1: heap, 2: stack, 3: own writes lost */
		bad |= global_value != 2;
		bad |= (heap[0] != 'p' || heap[2 * PAGE - 1] != 'p') << 1;
		bad |= (stack[0] != 's' || stack[PAGE - 1] != 's') << 2;
		global_value = 100;
		memset(heap, 'c', 2 * PAGE);
		for (int i = 0; i < PAGE; i++)
			stack[i] = 'c';
		bad |= (global_value != 100 || heap[PAGE] != 'c' || stack[7] != 'c') << 3;
		_exit(bad);
	}
	heap[1] = 'P';	/* the parent writes too; the child must not see it */
	int status = reap(pid);
	CHECK(exited_with(status, 0));
	CHECK(global_value == 2);
	CHECK(heap[0] == 'p' && heap[1] == 'P' && heap[PAGE] == 'p' && heap[2 * PAGE - 1] == 'p');
	CHECK(stack[0] == 's' && stack[7] == 's' && stack[PAGE - 1] == 's');
	free(heap);
}

static void check_exit_statuses(void)
{
	static const int codes[] = { 0, 1, 77, 255, 256 + 7 };
	pid_t pids[5];
	int seen[5] = { 0 };
	for (int i = 0; i < 5; i++) {
		pids[i] = xfork();
		CHECK(pids[i] >= 0);
		if (pids[i] == 0)
			_exit(codes[i]);
	}
	CHECK(exited_with(reap(pids[3]), 255));	/* specific pids, out of order */
	CHECK(exited_with(reap(pids[0]), 0));
	seen[3] = seen[0] = 1;
	for (int n = 0; n < 3; n++) {	/* the rest with -1 */
		int status = 0;
		pid_t r = wait4(-1, &status, 0, NULL);
		int i = 0;
		while (i < 5 && pids[i] != r)
			i++;
		CHECK(i < 5 && !seen[i]);
		if (i < 5 && !seen[i]) {
			seen[i] = 1;
			CHECK(WIFEXITED(status) && !WIFSIGNALED(status));
			CHECK(WEXITSTATUS(status) == (codes[i] & 0xff));
		}
	}
	errno = 0;
	CHECK(wait4(-1, NULL, 0, NULL) == -1 && errno == ECHILD);
	errno = 0;
	CHECK(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD);
}

/* WNOHANG on a running child: it spins until the parent flags it through shared memory
 * (or, if sharing is broken, until SPIN_LIMIT getppid calls), so no timing is assumed. */
static void check_wnohang(void)
{
	volatile int *flag = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(flag != MAP_FAILED);
	if (flag == MAP_FAILED)
		return;
	*flag = 0;
	pid_t pid = xfork();
	CHECK(pid >= 0);
	if (pid == 0) {
		for (long i = 0; i < SPIN_LIMIT && !*flag; i++)
			getppid();
		_exit(5);
	}
	int status = 12345;
	CHECK(waitpid(pid, &status, WNOHANG) == 0 && status == 12345);
	CHECK(waitpid(-1, &status, WNOHANG) == 0);
	*flag = 1;
	CHECK(exited_with(reap(pid), 5));
	munmap((void *)flag, PAGE);
}

/* Each level forks the next; a level with n levels below exits n, errors exit 255. */
static int chain(int depth)
{
	if (depth == 0)
		return 0;
	pid_t pid = fork();
	if (pid < 0)
		return 255;
	if (pid == 0)
		_exit(chain(depth - 1));
	int status;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) == 255)
		return 255;
	return (WEXITSTATUS(status) + 1) % 256;
}

static void check_chain_and_fan_out(void)
{
	pid_t pid = xfork();
	CHECK(pid >= 0);
	if (pid == 0)
		_exit(chain(CHAIN_DEPTH - 1));	/* this child is the first of CHAIN_DEPTH */
	int status = reap(pid);
	CHECK(exited_with(status, CHAIN_DEPTH - 1));

	pid_t pids[FAN_OUT];
	int seen[256] = { 0 }, forked = 0;
	for (int i = 0; i < FAN_OUT; i++) {
		pids[i] = xfork();
		CHECK(pids[i] >= 0);
		if (pids[i] < 0)
			break;
		if (pids[i] == 0)
			_exit(i % 256);
		forked++;
	}
	int bad = 0;
	for (int n = 0; n < forked; n++) {
		pid_t r = wait4(-1, &status, 0, NULL);
		int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		if (r <= 0 || code < 0 || code >= forked || pids[code] != r)
			bad++;
		else
			seen[code]++;
	}
	CHECK(bad == 0);
	for (int i = 0; i < forked; i++)
		CHECK(seen[i] == 1);
	errno = 0;
	CHECK(wait4(-1, NULL, 0, NULL) == -1 && errno == ECHILD);
}

/* A child forks a grandchild and exits at once; the grandchild must be re-parented to
 * this process (a subreaper on Linux, init under Relay) and reaped here. */
static void check_orphan(void)
{
	int subreaper = prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;
	pid_t reaper = subreaper ? getpid() : 1;
	if (!subreaper && getpid() != 1) {
		printf("forktest: no subreaper and not pid 1: orphan check skipped\n");
		return;
	}
	pid_t child = xfork();
	CHECK(child >= 0);
	if (child == 0) {
		pid_t me = getpid();
		pid_t grandchild = fork();
		if (grandchild < 0)
			_exit(1);
		if (grandchild == 0) {
			long i = 0;
			while (getppid() == me && i < 50 * (long)SPIN_LIMIT)
				i++;
			_exit(getppid() == me ? 2 : getppid() == reaper ? 40 : 3);
		}
		_exit(0);
	}
	CHECK(exited_with(reap(child), 0));
	int status = 0;
	pid_t r = wait4(-1, &status, 0, NULL);
	CHECK(r > 0 && r != child);
	CHECK(exited_with(status, 40));
	errno = 0;
	CHECK(wait4(-1, NULL, 0, NULL) == -1 && errno == ECHILD);
}

static void check_zombie(void)
{
	pid_t pid = xfork();
	CHECK(pid >= 0);
	if (pid == 0)
		_exit(9);
	int status = 0, got = 0;
	long polls = 0;
	for (; polls < 50l * SPIN_LIMIT && !got; polls++) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			got = 1;
		else
			CHECK(r == 0);
		if (r < 0)
			break;
	}
	CHECK(got && WIFEXITED(status) && WEXITSTATUS(status) == 9);
	errno = 0;
	CHECK(waitpid(pid, &status, WNOHANG) == -1 && errno == ECHILD);
	errno = 0;
	CHECK(waitpid(-1, &status, 0) == -1 && errno == ECHILD);
}

static void check_segv(void)
{
	pid_t pid = xfork();
	CHECK(pid >= 0);
	if (pid == 0) {
		struct rlimit no_core = { 0, 0 };
		setrlimit(RLIMIT_CORE, &no_core);	/* may be ENOSYS under Relay */
		volatile int *volatile p = NULL;	/* both volatile, or the store is dropped */
		*p = 1;
		_exit(0);
	}
	int status = reap(pid);
	CHECK(status != -1 && WIFSIGNALED(status) && !WIFEXITED(status));
	CHECK(status != -1 && WTERMSIG(status) == SIGSEGV);
}

static void check_shared_and_private(void)
{
	volatile int *shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	volatile int *private = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(shared != MAP_FAILED && private != MAP_FAILED);
	if (shared == MAP_FAILED || private == MAP_FAILED)
		return;
	shared[0] = 1;
	private[0] = 1;
	/* shared[PAGE/4-1] and private[1] are left untouched before the fork */
	pid_t pid = xfork();
	CHECK(pid >= 0);
	if (pid == 0) {
		int bad = (shared[0] != 1) | (private[0] != 1) << 1;
		shared[0] = 2;
		shared[PAGE / 4 - 1] = 3;
		private[0] = 2;
		private[1] = 3;
		_exit(bad);
	}
	CHECK(exited_with(reap(pid), 0));
	CHECK(shared[0] == 2 && shared[PAGE / 4 - 1] == 3);
	CHECK(private[0] == 1 && private[1] == 0);
	munmap((void *)shared, PAGE);
	munmap((void *)private, PAGE);
}

static void check_vfork(void)
{
	fflush(stdout);
	pid_t pid = vfork();
	if (pid == 0)
		_exit(33);
	CHECK(pid > 0);
	CHECK(exited_with(reap(pid), 33));
}

int main(void)
{
	check_cow();
	check_exit_statuses();
	check_wnohang();
	check_chain_and_fan_out();
	check_orphan();
	check_zombie();
	check_segv();
	check_shared_and_private();
	check_vfork();
	printf("%s\n", failures ? "forktest: FAILED" : "forktest: all checks passed");
	return failures ? 1 : 0;
}
