/*
 * Signal test (static musl; the same binary passes on Linux, also as pid 1). Checks:
 *   - a SIGUSR1 handler runs and returns through musl's restorer, for kill by self and by
 *     a child; SA_SIGINFO si_signo/si_code/si_pid; the mask inside the handler and after
 *   - catching one's own SIGSEGV (si_addr, SEGV_MAPERR), SIGILL and SIGBUS (a file mapping
 *     past the end of the file, BUS_ADRERR), leaving by siglongjmp
 *   - sigaltstack: a SIGSEGV handler on the alternate stack after a stack overflow
 *   - blocked signals stay pending (sigpending), standard ones coalesce, unblocking
 *     delivers; real-time signals queue in order with their si_value
 *   - EINTR vs SA_RESTART on a blocked pipe read and on wait4; pause and sigsuspend wake
 *   - stop and continue a child seen by waitpid(WUNTRACED|WCONTINUED), a stopped sleep goes
 *     on to its end (restart_syscall); kill a process group
 *   - a SIGCHLD handler reaps children, SIG_IGN reaps them at once; SIGPIPE kills by default
 *     and is EPIPE when ignored; a frame that cannot be written kills with SIGSEGV
 *   - default actions, SA_RESETHAND, sigtimedwait, alarm, FP registers kept across a handler
 * Children never print and leave by _exit; they report through their exit status.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <ucontext.h>

static int failures;
#define CHECK(cond) do { if (!(cond)) { printf("FAIL: %s (line %d, errno %d)\n", #cond, __LINE__, errno); failures++; } } while (0)

static volatile sig_atomic_t hits, last_sig, last_code, last_pid, mask_had_self;
static volatile long last_value;
static volatile void *last_addr;
static volatile int order[8], norder;
static sigjmp_buf jump;

static pid_t xfork(void)
{
	fflush(stdout);
	return fork();
}

static void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void on_info(int sig, siginfo_t *si, void *uc)
{
	sigset_t cur;
	(void)uc;
	hits++;
	last_sig = sig;
	last_code = si->si_code;
	last_pid = si->si_pid;
	last_value = si->si_value.sival_int;
	last_addr = si->si_addr;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	mask_had_self = sigismember(&cur, sig);
	if (norder < 8)
		order[norder++] = si->si_value.sival_int;
}

static void on_plain(int sig)
{
	(void)sig;
	hits++;
}

static void on_jump(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	last_sig = sig;
	last_code = si->si_code;
	last_addr = si->si_addr;
	siglongjmp(jump, 1);
}

static void set_action(int sig, void (*h)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = h;
	sa.sa_flags = flags | SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(sig, &sa, NULL) == 0);
}

static void set_handler(int sig, void (*h)(int), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = h;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(sig, &sa, NULL) == 0);
}

static int wait_status(pid_t pid)
{
	int st = -1;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return st;
}

static void test_handler(void)
{
	sigset_t cur;
	set_action(SIGUSR1, on_info, 0);
	hits = 0;
	CHECK(kill(getpid(), SIGUSR1) == 0);
	CHECK(hits == 1 && last_sig == SIGUSR1 && last_code == SI_USER && last_pid == getpid());
	CHECK(mask_had_self == 1);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	CHECK(!sigismember(&cur, SIGUSR1));
	CHECK(raise(SIGUSR1) == 0 && hits == 2 && last_code == SI_TKILL);
	/* from another process: the parent waits in pause for it */
	pid_t parent = getpid(), child = xfork();
	if (child == 0) {
		msleep(20);
		_exit(kill(parent, SIGUSR1) == 0 ? 0 : 1);
	}
	while (hits < 3)
		pause();
	CHECK(last_pid == child);
	CHECK(WIFEXITED(wait_status(child)));
	signal(SIGUSR1, SIG_DFL);
}

/* SIGILL handler that reads the program counter from the ucontext (it must be si_addr, the
 * bad instruction), moves it past the instruction and returns: sigreturn resumes there. */
static volatile uintptr_t uc_pc_seen;

static void on_ill_skip(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	(void)sig;
#if defined(__x86_64__)
	uc_pc_seen = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
	uc->uc_mcontext.gregs[REG_RIP] += 2;	/* ud2 */
#elif defined(__aarch64__)
	uc_pc_seen = (uintptr_t)uc->uc_mcontext.pc;
	uc->uc_mcontext.pc += 4;		/* udf #0 */
#endif
	last_addr = si->si_addr;
}

static void test_faults(void)
{
	set_action(SIGSEGV, on_jump, 0);
	set_action(SIGILL, on_jump, 0);
	if (sigsetjmp(jump, 1) == 0) {
		*(volatile int *)16 = 1;
		CHECK(!"no SIGSEGV");
	}
	CHECK(last_sig == SIGSEGV && last_code == SEGV_MAPERR && last_addr == (void *)16);
	last_sig = 0;
	if (sigsetjmp(jump, 1) == 0) {
#if defined(__x86_64__)
		__asm__ volatile("ud2");
#elif defined(__aarch64__)
		__asm__ volatile(".inst 0x00000000");	/* udf #0 */
#endif
		CHECK(!"no SIGILL");
	}
	CHECK(last_sig == SIGILL && (last_code == ILL_ILLOPC || last_code == ILL_ILLOPN));
	/* the saved context is the program's: the handler moves its pc past the instruction */
	set_action(SIGILL, on_ill_skip, 0);
	uc_pc_seen = 0;
#if defined(__x86_64__)
	__asm__ volatile("ud2");
#elif defined(__aarch64__)
	__asm__ volatile(".inst 0x00000000");
#endif
	CHECK(uc_pc_seen != 0 && uc_pc_seen == (uintptr_t)last_addr);
	/* the mask came back with siglongjmp: a second fault is caught again */
	last_sig = 0;
	if (sigsetjmp(jump, 1) == 0)
		*(volatile int *)16 = 1;
	CHECK(last_sig == SIGSEGV);
	/* SIGBUS from a file mapping past the end of the file (mm's verdict), caught */
	char path[64];
	snprintf(path, sizeof(path), "/tmp/sigtest-bus-%d", (int)getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0 && ftruncate(fd, 4096) == 0);
	volatile char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED);
	CHECK(ftruncate(fd, 0) == 0);
	set_action(SIGBUS, on_jump, 0);
	last_sig = 0;
	if (m != MAP_FAILED && sigsetjmp(jump, 1) == 0) {
		m[8] = 1;
		CHECK(!"no SIGBUS");
	}
	CHECK(last_sig == SIGBUS && last_code == BUS_ADRERR && last_addr == (void *)(m + 8));
	if (m != MAP_FAILED)
		munmap((void *)m, 4096);
	close(fd);
	unlink(path);
	signal(SIGSEGV, SIG_DFL);
	signal(SIGILL, SIG_DFL);
	signal(SIGBUS, SIG_DFL);
}

static char altstack[65536];

static void on_overflow(int sig, siginfo_t *si, void *uc)
{
	stack_t ss;
	char here;
	(void)si, (void)uc;
	sigaltstack(NULL, &ss);
	_exit(sig == SIGSEGV && (ss.ss_flags & SS_ONSTACK) && &here >= altstack &&
	      &here < altstack + sizeof(altstack) ? 42 : 1);
}

static int recurse(volatile char *prev)
{
	volatile char pad[4096];
	pad[0] = prev ? prev[0] + 1 : 0;
	return recurse(pad) + pad[1];
}

static void test_altstack(void)
{
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) }, old;
	CHECK(sigaltstack(&ss, &old) == 0 && (old.ss_flags & SS_DISABLE));
	ss.ss_size = 1000;
	CHECK(sigaltstack(&ss, NULL) == -1 && errno == ENOMEM);
	ss.ss_flags = SS_DISABLE;
	CHECK(sigaltstack(&ss, NULL) == 0);
	pid_t child = xfork();
	if (child == 0) {
		stack_t s2 = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
		struct rlimit rl = { 8 << 20, 8 << 20 };
		setrlimit(RLIMIT_STACK, &rl);
		sigaltstack(&s2, NULL);
		set_action(SIGSEGV, on_overflow, SA_ONSTACK);
		_exit(recurse(NULL));
	}
	int st = wait_status(child);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42);
	/* a frame that cannot be written (the alternate stack is unmapped): SIGSEGV */
	child = xfork();
	if (child == 0) {
		void *bad = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		stack_t s3 = { .ss_sp = bad, .ss_size = 65536 };
		sigaltstack(&s3, NULL);
		munmap(bad, 65536);
		set_action(SIGUSR1, on_info, SA_ONSTACK);
		raise(SIGUSR1);
		_exit(0);
	}
	st = wait_status(child);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
}

static void test_pending(void)
{
	sigset_t set, pend, old;
	union sigval v;
	set_handler(SIGUSR2, on_plain, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGRTMIN + 1);
	sigprocmask(SIG_BLOCK, &set, &old);
	hits = 0;
	kill(getpid(), SIGUSR2);
	kill(getpid(), SIGUSR2);
	CHECK(hits == 0);
	CHECK(sigpending(&pend) == 0 && sigismember(&pend, SIGUSR2));
	set_action(SIGRTMIN + 1, on_info, 0);
	norder = 0;
	for (int i = 1; i <= 3; i++) {
		v.sival_int = i * 10;
		CHECK(sigqueue(getpid(), SIGRTMIN + 1, v) == 0);
	}
	CHECK(norder == 0);
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK(hits == 4);	/* two SIGUSR2 coalesced into one, three queued real-time */
	CHECK(norder == 3 && order[0] == 10 && order[1] == 20 && order[2] == 30);
	CHECK(last_code == SI_QUEUE && last_pid == getpid());
	CHECK(sigpending(&pend) == 0 && !sigismember(&pend, SIGUSR2));
	/* sigtimedwait takes a blocked pending signal; nothing pending and no wait: EAGAIN */
	sigprocmask(SIG_BLOCK, &set, &old);
	kill(getpid(), SIGUSR2);
	siginfo_t si;
	struct timespec zero = { 0, 0 };
	CHECK(sigtimedwait(&set, &si, &zero) == SIGUSR2 && si.si_signo == SIGUSR2);
	CHECK(sigtimedwait(&set, &si, &zero) == -1 && errno == EAGAIN);
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR2, SIG_DFL);
	signal(SIGRTMIN + 1, SIG_DFL);
}

/* A child that sends sig to the parent after ms, then exits after another ms2. */
static pid_t poke_parent(int sig, long ms, long ms2)
{
	pid_t parent = getpid(), child = xfork();
	if (child == 0) {
		msleep(ms);
		kill(parent, sig);
		msleep(ms2);
		_exit(7);
	}
	return child;
}

static void test_eintr(void)
{
	int fd[2];
	char c = 0;
	CHECK(pipe(fd) == 0);
	/* no SA_RESTART: the blocked read fails with EINTR */
	set_handler(SIGUSR1, on_plain, 0);
	hits = 0;
	pid_t child = poke_parent(SIGUSR1, 30, 0);
	errno = 0;
	CHECK(read(fd[0], &c, 1) == -1 && errno == EINTR && hits == 1);
	wait_status(child);
	/* SA_RESTART: the read goes on and gets the byte written after the signal */
	set_handler(SIGUSR1, on_plain, SA_RESTART);
	pid_t parent = getpid();
	child = xfork();
	if (child == 0) {
		msleep(30);
		kill(parent, SIGUSR1);
		msleep(30);
		_exit(write(fd[1], "x", 1) == 1 ? 0 : 1);
	}
	CHECK(read(fd[0], &c, 1) == 1 && c == 'x' && hits == 2);
	wait_status(child);
	/* wait4: EINTR without SA_RESTART, the child's status with it */
	set_handler(SIGUSR1, on_plain, 0);
	child = poke_parent(SIGUSR1, 30, 30);
	int st;
	errno = 0;
	CHECK(waitpid(child, &st, 0) == -1 && errno == EINTR);
	CHECK(waitpid(child, &st, 0) == child && WIFEXITED(st) && WEXITSTATUS(st) == 7);
	set_handler(SIGUSR1, on_plain, SA_RESTART);
	child = poke_parent(SIGUSR1, 30, 30);
	CHECK(waitpid(child, &st, 0) == child && WEXITSTATUS(st) == 7 && hits == 4);
	/* pause and sigsuspend wake on a handled signal */
	set_handler(SIGALRM, on_plain, 0);
	alarm(1);
	CHECK(alarm(1) >= 1);	/* the first one was still pending */
	CHECK(pause() == -1 && errno == EINTR && hits == 5);
	sigset_t block, old, none;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	child = poke_parent(SIGUSR1, 20, 0);
	sigemptyset(&none);
	CHECK(sigsuspend(&none) == -1 && errno == EINTR && hits == 6);
	sigset_t now;
	sigprocmask(SIG_BLOCK, NULL, &now);
	CHECK(sigismember(&now, SIGUSR1));	/* the mask before sigsuspend is back */
	sigprocmask(SIG_SETMASK, &old, NULL);
	wait_status(child);
	/* nanosleep is cut short */
	child = poke_parent(SIGUSR1, 30, 0);
	struct timespec ts = { 5, 0 };
	CHECK(nanosleep(&ts, &ts) == -1 && errno == EINTR);
	CHECK(ts.tv_sec < 5 && ts.tv_sec >= 3);	/* the time left */
	wait_status(child);
	close(fd[0]);
	close(fd[1]);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGALRM, SIG_DFL);
}

static void test_stop_cont(void)
{
	int st;
	pid_t child = xfork();
	if (child == 0) {
		for (;;)
			pause();
	}
	CHECK(kill(child, SIGSTOP) == 0);
	CHECK(waitpid(child, &st, WUNTRACED) == child && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	CHECK(kill(child, SIGCONT) == 0);
	CHECK(waitpid(child, &st, WCONTINUED) == child && WIFCONTINUED(st));
	CHECK(kill(child, SIGTERM) == 0);
	CHECK(waitpid(child, &st, 0) == child && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	/* a sleep stopped and continued goes on to its end (Linux's restart_syscall) */
	child = xfork();
	if (child == 0) {
		struct timespec t0, t1, ts = { 0, 300 * 1000000 };
		clock_gettime(CLOCK_MONOTONIC, &t0);
		int r = nanosleep(&ts, NULL);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
		_exit(r == 0 && ms >= 300 ? 0 : 1);
	}
	msleep(50);
	CHECK(kill(child, SIGSTOP) == 0);
	CHECK(waitpid(child, &st, WUNTRACED) == child && WIFSTOPPED(st));
	msleep(50);
	CHECK(kill(child, SIGCONT) == 0);
	st = wait_status(child);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* a process group: two children in their own group, one kill for both */
	pid_t a = xfork();
	if (a == 0) {
		setpgid(0, 0);
		for (;;)
			pause();
	}
	setpgid(a, a);
	pid_t b = xfork();
	if (b == 0) {
		setpgid(0, a);
		for (;;)
			pause();
	}
	setpgid(b, a);
	msleep(20);
	CHECK(kill(-a, SIGKILL) == 0);
	st = wait_status(a);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	st = wait_status(b);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	CHECK(kill(-a, 0) == -1 && errno == ESRCH);
	CHECK(kill(a, 0) == -1 && errno == ESRCH);
	CHECK(kill(getpid(), 0) == 0 && kill(getpid(), 65) == -1 && errno == EINVAL);
}

static volatile sig_atomic_t reaped;

static void on_chld(int sig)
{
	int saved = errno;
	(void)sig;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		reaped++;
	errno = saved;
}

static void test_sigchld_sigpipe(void)
{
	set_handler(SIGCHLD, on_chld, SA_RESTART);
	reaped = 0;
	for (int i = 0; i < 3; i++)
		if (xfork() == 0)
			_exit(0);
	for (int i = 0; i < 200 && reaped < 3; i++)
		msleep(10);
	CHECK(reaped == 3);
	signal(SIGCHLD, SIG_DFL);
	/* SIGCHLD ignored: children are reaped at once, wait finds none (ECHILD) */
	signal(SIGCHLD, SIG_IGN);
	for (int i = 0; i < 2; i++)
		if (xfork() == 0)
			_exit(0);
	errno = 0;
	CHECK(wait(NULL) == -1 && errno == ECHILD);
	signal(SIGCHLD, SIG_DFL);
	/* SIGPIPE: kills by default; EPIPE when ignored */
	int fd[2];
	CHECK(pipe(fd) == 0);
	close(fd[0]);
	pid_t child = xfork();
	if (child == 0) {
		signal(SIGPIPE, SIG_DFL);
		write(fd[1], "x", 1);
		_exit(0);
	}
	int st = wait_status(child);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE);
	signal(SIGPIPE, SIG_IGN);
	errno = 0;
	CHECK(write(fd[1], "x", 1) == -1 && errno == EPIPE);
	close(fd[1]);
}

static void test_defaults(void)
{
	int st;
	pid_t child = xfork();
	if (child == 0) {
		raise(SIGUSR2);
		_exit(0);
	}
	st = wait_status(child);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR2);
	hits = 0;
	child = xfork();
	if (child == 0) {	/* SA_RESETHAND: the second one is the default action */
		set_handler(SIGUSR1, on_plain, SA_RESETHAND);
		raise(SIGUSR1);
		if (hits == 0)
			_exit(3);
		raise(SIGUSR1);
		_exit(0);
	}
	st = wait_status(child);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR1);
	child = xfork();
	if (child == 0) {	/* ignored and default-ignored signals do nothing */
		signal(SIGUSR1, SIG_IGN);
		raise(SIGUSR1);
		raise(SIGURG);
		raise(SIGWINCH);
		_exit(5);
	}
	st = wait_status(child);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 5);
	child = xfork();
	if (child == 0) {	/* an uncaught fault ends the process */
		*(volatile int *)8 = 0;
		_exit(0);
	}
	st = wait_status(child);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
}

static volatile double fp_seen;

static void on_fp(int sig)
{
	volatile double x = 3.0;
	(void)sig;
	for (int i = 0; i < 10; i++)
		x = x * 1.5 + 0.25;
	fp_seen = x;
}

static void test_fp(void)
{
	set_handler(SIGUSR1, on_fp, 0);
	double a = 1.0, b = 0.0;
	for (int i = 1; i <= 1000; i++) {
		a = a * 1.0001 + 0.5;
		b += a / i;
		if (i % 100 == 0)
			kill(getpid(), SIGUSR1);
	}
	double a2 = 1.0, b2 = 0.0;
	for (int i = 1; i <= 1000; i++) {
		a2 = a2 * 1.0001 + 0.5;
		b2 += a2 / i;
	}
	CHECK(a == a2 && b == b2 && fp_seen > 3.0);
	signal(SIGUSR1, SIG_DFL);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_handler();
	test_faults();
	test_altstack();
	test_pending();
	test_eintr();
	test_stop_cont();
	test_sigchld_sigpipe();
	test_defaults();
	test_fp();
	if (failures) {
		printf("sigtest: %d checks failed\n", failures);
		return 1;
	}
	printf("sigtest: all checks passed\n");
	return 0;
}
