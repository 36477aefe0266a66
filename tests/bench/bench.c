/* Relay benchmark: one static musl program run as init under Relay and under Linux.
 *
 * Usage: bench [NAME...] [SCALE]
 *   NAME   a benchmark of the table below; default: all of them, in table order.
 *   SCALE  iteration scale: "N" multiplies every count by N, "N%" scales by N percent
 *          (no dots: the Linux kernel drops command-line words with a '.').
 *          The environment variable BENCH_SCALE (same syntax) is read first.
 *
 * Each benchmark runs a warm-up (a tenth of its count) and then N timed iterations,
 * with clock_gettime(CLOCK_MONOTONIC) read around the timed loop, and prints
 *   BENCH <name> <iterations> <total_ns>
 * or, when a setup call fails (e.g. fork is not there yet),
 *   BENCH-SKIP <name> <reason>
 * and at the end BENCH-END. Under QEMU -icount shift=0 guest ns are instructions.
 * As PID 1 (a Linux initramfs /init) it powers the machine off afterwards. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* What one benchmark reports: a total time, or why it could not run. */
struct result {
    uint64_t ns;
    const char *skip;   /* non-NULL: setup failed, print BENCH-SKIP */
    char why[96];
};

static const char *self_path;   /* a regular file that exists: this program */

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int skip(struct result *r, const char *call, int err)
{
    snprintf(r->why, sizeof r->why, "%s: %s", call, strerror(err));
    r->skip = r->why;
    return -1;
}

/* Warm-up then the timed loop; BODY may `goto fail` with errno set. */
#define TIMED(r, n, BODY)                                                   \
    do {                                                                    \
        long warm_ = (n) / 10 > 0 ? (n) / 10 : 1;                           \
        for (long i_ = 0; i_ < warm_; i_++) { BODY; }                       \
        uint64_t t0_ = now_ns();                                            \
        for (long i_ = 0; i_ < (n); i_++) { BODY; }                         \
        (r)->ns = now_ns() - t0_;                                           \
    } while (0)

static int b_getppid(long n, struct result *r)
{
    TIMED(r, n, syscall(SYS_getppid));
    return 0;
}

static int b_open_close(long n, struct result *r)
{
    int fd;
    TIMED(r, n, {
        if ((fd = open(self_path, O_RDONLY | O_CLOEXEC)) < 0)
            return skip(r, "open", errno);
        close(fd);
    });
    return 0;
}

static int b_stat(long n, struct result *r)
{
    struct stat st;
    TIMED(r, n, {
        if (stat(self_path, &st) < 0)
            return skip(r, "stat", errno);
    });
    return 0;
}

static int b_mmap64k(long n, struct result *r)
{
    enum { LEN = 64 * 1024 };
    long page = sysconf(_SC_PAGESIZE);
    if (page <= 0 || page > LEN)
        page = 4096;
    TIMED(r, n, {
        volatile char *p = mmap(NULL, LEN, PROT_READ | PROT_WRITE,
                                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            return skip(r, "mmap", errno);
        for (long off = 0; off < LEN; off += page)
            p[off] = 1;
        if (munmap((void *)p, LEN) < 0)
            return skip(r, "munmap", errno);
    });
    return 0;
}

static volatile long signals_seen;

static void on_signal(int sig)
{
    (void)sig;
    signals_seen++;
}

static int b_sigaction(long n, struct result *r)
{
    struct sigaction on = { .sa_handler = on_signal }, off = { .sa_handler = SIG_DFL };
    long i = 0;
    TIMED(r, n, {
        if (sigaction(SIGUSR2, (i++ & 1) ? &off : &on, NULL) < 0)
            return skip(r, "sigaction", errno);
    });
    sigaction(SIGUSR2, &off, NULL);
    return 0;
}

static int b_kill_self(long n, struct result *r)
{
    struct sigaction sa = { .sa_handler = on_signal };
    if (sigaction(SIGUSR1, &sa, NULL) < 0)
        return skip(r, "sigaction", errno);
    pid_t me = getpid();
    signals_seen = 0;
    TIMED(r, n, {
        if (kill(me, SIGUSR1) < 0)
            return skip(r, "kill", errno);
    });
    long warm = n / 10 > 0 ? n / 10 : 1;
    signal(SIGUSR1, SIG_DFL);
    if (signals_seen != n + warm) {
        snprintf(r->why, sizeof r->why, "kill: %ld of %ld signals delivered",
                 (long)signals_seen, n + warm);
        r->skip = r->why;
        return -1;
    }
    return 0;
}

static int b_fork_wait(long n, struct result *r)
{
    TIMED(r, n, {
        int st;
        pid_t pid = fork();
        if (pid < 0)
            return skip(r, "fork", errno);
        if (pid == 0)
            _exit(0);
        if (waitpid(pid, &st, 0) != pid)
            return skip(r, "waitpid", errno);
    });
    return 0;
}

/* A 4 KiB file in /tmp for read4k and write4k; -1 and a skip reason on failure. */
static int scratch_file(struct result *r)
{
    static char page[4096];
    int fd = open("/tmp/bench.dat", O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        skip(r, "open /tmp/bench.dat", errno);
        return -1;
    }
    if (write(fd, page, sizeof(page)) != (ssize_t)sizeof(page)) {
        skip(r, "write", errno);
        close(fd);
        return -1;
    }
    return fd;
}

static int b_rw4k(long n, struct result *r, int writing)
{
    static char buf[4096];
    int fd = scratch_file(r);
    if (fd < 0)
        return -1;
    TIMED(r, n, {
        ssize_t got = writing ? pwrite(fd, buf, sizeof(buf), 0) : pread(fd, buf, sizeof(buf), 0);
        if (got != (ssize_t)sizeof(buf)) {
            close(fd);
            return skip(r, writing ? "pwrite" : "pread", errno);
        }
    });
    close(fd);
    unlink("/tmp/bench.dat");
    return 0;
}

static int b_read4k(long n, struct result *r) { return b_rw4k(n, r, 0); }
static int b_write4k(long n, struct result *r) { return b_rw4k(n, r, 1); }

/* vfork + execve of this very program with "--exit" (it exits at once) + waitpid:
 * 0 on success, else an errno. Its own function: the vfork child borrows this frame. */
static __attribute__((noinline)) int spawn_self(void)
{
    char *const argv[] = { "bench", "--exit", NULL }, *const envp[] = { NULL };
    int st;
    pid_t pid = vfork();
    if (pid < 0)
        return errno;
    if (pid == 0) {
        execve(self_path, argv, envp);
        _exit(127);
    }
    if (waitpid(pid, &st, 0) != pid)
        return errno;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : ENOEXEC;
}

static int b_vfork_exec(long n, struct result *r)
{
    TIMED(r, n, {
        int err = spawn_self();
        if (err)
            return skip(r, "vfork+execve", err);
    });
    return 0;
}

static int b_pipe_pingpong(long n, struct result *r)
{
    int ping[2], pong[2], st, err;
    char c = 'x';
    if (pipe(ping) < 0)
        return skip(r, "pipe", errno);
    if (pipe(pong) < 0) {
        err = errno;
        close(ping[0]); close(ping[1]);
        return skip(r, "pipe", err);
    }
    pid_t pid = fork();
    if (pid < 0) {
        err = errno;
        close(ping[0]); close(ping[1]); close(pong[0]); close(pong[1]);
        return skip(r, "fork", err);
    }
    if (pid == 0) {
        close(ping[1]); close(pong[0]);
        while (read(ping[0], &c, 1) == 1)
            if (write(pong[1], &c, 1) != 1)
                break;
        _exit(0);
    }
    close(ping[0]); close(pong[1]);
    int ret = 0;
    TIMED(r, n, {
        if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1) {
            ret = skip(r, "pipe round trip", errno ? errno : EPIPE);
            goto done;
        }
    });
done:
    close(ping[1]);           /* EOF: the echo child leaves */
    close(pong[0]);
    waitpid(pid, &st, 0);
    return ret;
}

static const struct bench {
    const char *name;
    int (*fn)(long iters, struct result *r);
    long iters;
} benches[] = {
    { "getppid",       b_getppid,       100000 },
    { "open_close",    b_open_close,     20000 },
    { "stat",          b_stat,           20000 },
    { "mmap64k",       b_mmap64k,         5000 },
    { "sigaction",     b_sigaction,     100000 },
    { "kill_self",     b_kill_self,      20000 },
    { "read4k",        b_read4k,         20000 },
    { "write4k",       b_write4k,        20000 },
    { "fork_wait",     b_fork_wait,       1000 },
    { "vfork_exec",    b_vfork_exec,       500 },
    { "pipe_pingpong", b_pipe_pingpong,  10000 },
};
enum { NBENCH = sizeof benches / sizeof benches[0] };

/* "N" -> N*100 percent, "N%" -> N percent; -1 if the word is not a scale. */
static long parse_scale(const char *s)
{
    char *end;
    if (!s || *s < '0' || *s > '9')
        return -1;
    long v = strtol(s, &end, 10);
    if (*end == '%' && end[1] == 0)
        return v;
    if (*end == 0)
        return v * 100;
    return -1;
}

static void run(const struct bench *b, long percent)
{
    struct result r = { 0 };
    long n = b->iters * percent / 100;
    if (n < 1)
        n = 1;
    errno = 0;
    if (b->fn(n, &r) < 0)
        printf("BENCH-SKIP %s %s\n", b->name, r.skip ? r.skip : "failed");
    else
        printf("BENCH %s %ld %llu\n", b->name, n, (unsigned long long)r.ns);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    int selected[NBENCH] = { 0 }, any = 0;
    long percent = 100, v;

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc > 1 && strcmp(argv[1], "--exit") == 0)
        _exit(0);	/* the vfork_exec child */
    /* argv[0] if it names a readable file (or no access() exists yet to tell). */
    self_path = (argc > 0 && argv[0] && strchr(argv[0], '/') &&
                 (access(argv[0], R_OK) == 0 || errno == ENOSYS)) ? argv[0] : "/proc/self/exe";
    if ((v = parse_scale(getenv("BENCH_SCALE"))) > 0)
        percent = v;
    for (int i = 1; i < argc; i++) {
        int k;
        if ((v = parse_scale(argv[i])) > 0) {
            percent = v;
            continue;
        }
        for (k = 0; k < NBENCH && strcmp(argv[i], benches[k].name) != 0; k++)
            ;
        if (k < NBENCH) {
            selected[k] = any = 1;
        } else {
            fprintf(stderr, "bench: ignoring unknown argument '%s'\n", argv[i]);
        }
    }
    for (int k = 0; k < NBENCH; k++)
        if (!any || selected[k])
            run(&benches[k], percent);
    printf("BENCH-END\n");
    fflush(stdout);

    if (getpid() == 1) {
        tcdrain(STDOUT_FILENO);      /* let the serial port send the last lines */
        reboot(RB_POWER_OFF);
        /* Still here: init exits, the kernel panics and (panic=-1) reboots. */
    }
    return 0;
}
