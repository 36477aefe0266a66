/* vfs server (first stage): the console write path on descriptors 0-2. */
#include <relay/libsys.h>
#include <relay/server.h>
#include <relay/gen/sysnr.h>

extern const call_handler_t *const dispatch_table;

int main(int argc, char **argv)
{
	struct relay_boot_info bi;
	(void)argc, (void)argv;
	if (sys_boot_info(&bi) < 0 || bi.self_ep < 0)
		return 1;
	server_run(bi.self_ep, dispatch_table, SYS_COUNT, NULL);
}
