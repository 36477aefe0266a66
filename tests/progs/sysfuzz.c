/*
 * Servers trust no message: children make thousands of system calls with random numbers
 * and arguments (wild, kernel, unaligned and valid pointers, huge lengths, bad fds), then
 * the parent checks that the system still works. A server that crashes stops Relay (a
 * failure); a child may die of its own calls. Calls that could block for ever or leave
 * the scratch directory are not drawn.   sysfuzz [scratch-dir] [children] [calls] [sig]
 * With "sig" the children draw from the signal calls instead (dispositions with wild
 * handlers and flags, masks, alternate stacks, timers, rt_sigreturn on garbage, signals to
 * themselves only): a child may die or stop; a stopped one is killed.
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <signal.h>
#include <dirent.h>

static int failures;
#define CHECK(cond) do { if (!(cond)) { printf("FAIL: %s (line %d, errno %d)\n", #cond, __LINE__, errno); failures++; } } while (0)

static const long calls[] = {
	SYS_read, SYS_write, SYS_close, SYS_fstat, SYS_lseek, SYS_pread64, SYS_pwrite64,
	SYS_readv, SYS_writev, SYS_dup, SYS_dup3, SYS_fcntl, SYS_ftruncate, SYS_getcwd,
	SYS_chdir, SYS_fchdir, SYS_fchmod, SYS_fchown, SYS_umask, SYS_getdents64, SYS_openat,
	SYS_mkdirat, SYS_unlinkat, SYS_renameat2, SYS_linkat, SYS_symlinkat, SYS_readlinkat,
	SYS_newfstatat, SYS_faccessat, SYS_fchmodat, SYS_fchownat, SYS_utimensat, SYS_statx,
	SYS_statfs, SYS_fstatfs, SYS_ioctl, SYS_getpid, SYS_getppid, SYS_gettid, SYS_uname,
	SYS_getrlimit, SYS_clock_gettime, SYS_sysinfo, SYS_set_tid_address, SYS_getpgid,
	SYS_setpgid, SYS_getsid, SYS_brk, SYS_mmap, SYS_munmap, SYS_mprotect, SYS_madvise,
	SYS_mremap, SYS_fsync, SYS_truncate, SYS_sched_yield, 999, 0x52000000, -1,
#ifdef SYS_open
	SYS_open, SYS_stat, SYS_lstat, SYS_access, SYS_dup2, SYS_mkdir, SYS_rmdir, SYS_unlink,
	SYS_rename, SYS_link, SYS_symlink, SYS_readlink, SYS_chmod, SYS_creat, SYS_arch_prctl,
#endif
};

/* The signal calls (signals only to the child itself: see fuzz_sig). */
static const long sig_calls[] = {
	SYS_rt_sigaction, SYS_rt_sigaction, SYS_rt_sigprocmask, SYS_rt_sigpending,
	SYS_sigaltstack, SYS_rt_sigreturn, SYS_getitimer, SYS_setitimer, SYS_tgkill, SYS_tkill,
	SYS_rt_sigqueueinfo, SYS_rt_tgsigqueueinfo, SYS_getpid, SYS_write,
};

static uint64_t rng = 0x243f6a8885a308d3ull;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static char valid[8192];

/* An argument: small numbers, fds, flags, wild and valid pointers, huge values. */
static long arg(void)
{
	static const uint64_t wild[] = { 0, 8, 4095, 0x1000, 0xffff800000000000ull,
		0xffffffff80100000ull, 0xffff000040080000ull, 0x7ffffffff000ull, 0xfffffffff000ull,
		(uint64_t)-1, 1ull << 46, 0x400000 };
	switch (next() % 8) {
	case 0: return (long)(next() % 8);			/* fds, small counts */
	case 1: return (long)wild[next() % (sizeof(wild) / sizeof(wild[0]))];
	case 2: return (long)(valid + next() % sizeof(valid));	/* inside a real buffer */
	case 3: return (long)valid;
	case 4: return -100;					/* AT_FDCWD */
	case 5: return (long)(next() % 4096);
	case 6: return (long)next();
	default: return (long)(next() & 0xffffffff);
	}
}

/* One random signal call; any pid argument is the caller's own. */
static void fuzz_sig_call(long a[6])
{
	long nr = sig_calls[next() % (sizeof(sig_calls) / sizeof(sig_calls[0]))];
	pid_t me = getpid();
	bool sends = nr == SYS_tgkill || nr == SYS_tkill || nr == SYS_rt_sigqueueinfo ||
		     nr == SYS_rt_tgsigqueueinfo;
	if ((sends && next() % 8) || (nr == SYS_rt_sigreturn && next() % 64))
		return;		/* mostly fatal: rarer, so that children live long enough */
	if (nr == SYS_tgkill || nr == SYS_rt_tgsigqueueinfo) {
		a[0] = me, a[1] = me;
		a[2] = (long)(next() % 66);	/* 0..65: 0 and 65 test the bounds */
	} else if (nr == SYS_tkill || nr == SYS_rt_sigqueueinfo) {
		a[0] = me;
		a[1] = (long)(next() % 66);
	}
	if (nr == SYS_setitimer && a[0] == 0 && a[1] == (long)valid)
		((long *)valid)[3] = 1000;	/* an alarm in 1 ms, now and then */
	syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

static void fuzz(unsigned seed, int n, int sig)
{
	int null = open("/dev/null", O_RDWR);	/* random writes must not reach the console */
	for (int fd = 0; fd < 3; fd++)
		dup2(null, fd);
	rng ^= seed * 0x9e3779b97f4a7c15ull;
	for (int i = 0; i < n; i++) {
		for (size_t k = 0; k < sizeof(valid); k++)	/* names like "fq" inside the scratch */
			valid[k] = (k % 3 == 2) ? 0 : (char)('a' + next() % 6);
		long a[6] = { arg(), arg(), arg(), arg(), arg(), arg() };
		if (sig) {
			fuzz_sig_call(a);
			continue;
		}
		long nr = calls[next() % (sizeof(calls) / sizeof(calls[0]))];
		syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	}
	_exit(0);
}

/* Remove everything below the current directory (what the children made). */
static void remove_tree(void)
{
	DIR *d = opendir(".");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (unlink(e->d_name) == 0 || rmdir(e->d_name) == 0)
			continue;
		if (chdir(e->d_name) == 0) {
			remove_tree();
			if (chdir("..") == 0)
				rmdir(e->d_name);
		}
	}
	if (d)
		closedir(d);
}

/* The system still works: identity, a file round trip, a pipe. */
static void check_alive(void)
{
	char buf[6] = { 0 };
	int p[2];
	CHECK(getpid() > 0);
	int fd = open("alive.txt", O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0 && write(fd, "alive", 5) == 5 && pread(fd, buf, 5, 0) == 5);
	CHECK(strcmp(buf, "alive") == 0);
	CHECK(close(fd) == 0 && unlink("alive.txt") == 0);
	CHECK(pipe(p) == 0 && write(p[1], "x", 1) == 1 && read(p[0], buf, 1) == 1 && buf[0] == 'x');
	close(p[0]);
	close(p[1]);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";
	int children = argc > 2 ? atoi(argv[2]) : 8, n = argc > 3 ? atoi(argv[3]) : 2000;
	int sig = argc > 4 && strcmp(argv[4], "sig") == 0;
	char scratch[256];
	snprintf(scratch, sizeof(scratch), "%s/sysfuzz.%d", dir, (int)getpid());
	CHECK(mkdir(scratch, 0700) == 0 && chdir(scratch) == 0);
	int died = 0;
	for (int c = 0; c < children; c++) {
		int status;
		pid_t pid = fork();
		if (pid == 0)
			fuzz((unsigned)c + 1, n, sig);
		CHECK(pid > 0 && waitpid(pid, &status, WUNTRACED) == pid);
		if (WIFSTOPPED(status)) {	/* it sent itself SIGSTOP or SIGTSTP */
			kill(pid, SIGKILL);
			CHECK(waitpid(pid, &status, 0) == pid);
		}
		died += WIFSIGNALED(status);
		check_alive();
	}
	remove_tree();
	CHECK(chdir(dir) == 0 && rmdir(scratch) == 0);
	printf("sysfuzz: %d children x %d random %scalls, %d killed by their own calls\n", children,
	       n, sig ? "signal " : "", died);
	printf("%s\n", failures ? "sysfuzz: FAILED" : "sysfuzz: all checks passed");
	return failures ? 1 : 0;
}
