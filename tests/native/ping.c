/*
 * IPC fastpath test and benchmark (a native program run as init): N native calls to
 * the "pong" server in another address space, every reply's payload checked.
 * Prints "BENCH ipc N total_ns" and exits 0 when every payload was right.
 */
#include <relay/libsys.h>
#include <relay/native.h>
#include <relay/errno.h>

#define PING_LABEL 7

static int find_endpoint(const struct relay_boot_info *bi, const char *name)
{
	for (unsigned i = 0; i < bi->ntasks; i++)
		if (strcmp(bi->task[i].name, name) == 0)
			return bi->task[i].ep;
	return -1;
}

static unsigned long parse_count(const char *s)
{
	unsigned long n = 0;
	while (*s >= '0' && *s <= '9')
		n = n * 10 + (unsigned long)(*s++ - '0');
	return n;
}

int main(int argc, char **argv)
{
	struct relay_boot_info bi;
	unsigned long n = argc > 1 ? parse_count(argv[1]) : 100000, bad = 0;
	if (sys_boot_info(&bi) < 0)
		return 2;
	int ep = find_endpoint(&bi, "pong");
	if (ep < 0) {
		printf("ping: no pong server\n");
		return 3;
	}
	/* The test: every payload checked. */
	for (unsigned long i = 0; i < n; i++) {
		word_t p[6] = { i, i * 3, ~i, i ^ 0x5555, i << 7, 0xfeed }, r[REPLY_WORDS];
		long err = sys_call(ep, PING_LABEL, p, r);
		if (err < 0 || r[0] != 0) {
			bad++;
			continue;
		}
		for (int k = 1; k < REPLY_WORDS; k++)
			if (r[k] != p[k - 1] * 2 + (word_t)k)
				bad++;
	}
	printf("ping: %lu round trips, %lu bad payloads\n", n, bad);
	/* Notifications: the first wakes pong at once, the next ones usually wait in the
	 * endpoint's word and arrive merged (unless a timer tick lets pong run between them);
	 * all of them arrive before the label-8 call that reads them back. */
	word_t q[6] = { 0 }, nr[REPLY_WORDS];
	if (sys_notify(ep, 0x5) || sys_notify(ep, 0x10) || sys_notify(ep, 0x100) ||
	    sys_notify(ep, 0) != -EINVAL || sys_notify(99, 1) != -EINVAL ||
	    sys_call(ep, 8, q, nr) != 0 || nr[1] != 0x115 || nr[2] < 1 || nr[2] > 3) {
		printf("ping: notifications wrong: bits %lx in %lu messages\n", nr[1], nr[2]);
		bad++;
	} else {
		printf("ping: notifications ok\n");
	}
	/* The benchmark: the same calls with a fixed payload and no checking work. */
	word_t p[6] = { 1, 2, 3, 4, 5, 6 }, r[REPLY_WORDS];
	uint64_t t0 = sys_clock_ns();
	for (unsigned long i = 0; i < n; i++)
		sys_call(ep, PING_LABEL, p, r);
	uint64_t t1 = sys_clock_ns();
	printf("BENCH ipc %lu %lu\n", n, (unsigned long)(t1 - t0));
	return bad ? 1 : 0;
}
