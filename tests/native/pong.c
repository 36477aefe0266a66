/* The other end of the IPC test: answers label 7 with (0, 2*p0+1, 2*p1+2, ... 2*p4+5),
 * and label 8 with (0, the notification bits received since the last label 8, how many
 * notification messages brought them). */
#include <relay/libsys.h>
#include <relay/server.h>
#include <relay/errno.h>

static word_t notified_bits, notified_msgs;

static void on_notify(word_t bits)
{
	notified_bits |= bits;
	notified_msgs++;
}

static long pong(struct call *c, word_t r[REPLY_WORDS])
{
	if (c->label == 8) {
		r[0] = 0;
		r[1] = notified_bits;
		r[2] = notified_msgs;
		notified_bits = notified_msgs = 0;
		return 0;
	}
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
	server_set_notify(on_notify);
	server_run(bi.self_ep, NULL, 0, pong);
}
