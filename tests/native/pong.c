/* The other end of the IPC test: answers label 7 with (0, 2*p0+1, 2*p1+2, ... 2*p4+5). */
#include <relay/libsys.h>
#include <relay/server.h>
#include <relay/errno.h>

static long pong(struct call *c, word_t r[REPLY_WORDS])
{
	if (c->label != 7)
		return -EINVAL;
	r[0] = 0;
	for (int k = 1; k < REPLY_WORDS; k++)
		r[k] = c->arg[k - 1] * 2 + (word_t)k;
	return 0;
}

int main(int argc, char **argv)
{
	struct relay_boot_info bi;
	(void)argc, (void)argv;
	if (sys_boot_info(&bi) < 0)
		return 1;
	server_run(bi.self_ep, NULL, 0, pong);
}
