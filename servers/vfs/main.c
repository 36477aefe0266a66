/* vfs server: start-up (root file system from the boot archive, /dev, /tmp), the receive
 * loop, and the descriptor-table messages from proc. */
#include <relay/libsys.h>
#include <relay/server.h>
#include <relay/errno.h>
#include <relay/proto/vfs.h>
#include <relay/gen/sysnr.h>
#include "vfs.h"

extern const call_handler_t *const dispatch_table;

void *vfs_alloc(size_t size) { return malloc(size); }
void vfs_free(void *p) { free(p); }
int64_t vfs_now_ns(void) { return (int64_t)sys_clock_ns(); }

static long vfs_native(struct call *c, word_t r[REPLY_WORDS])
{
	switch (c->label) {
	case VFS_FORK: fdt_fork((int)c->arg[0], (int)c->arg[1]); break;
	case VFS_EXEC: fdt_exec((int)c->arg[0]); break;
	case VFS_EXIT: fdt_exit((int)c->arg[0]); break;
	case VFS_NOFILE: fdt_set_nofile((int)c->arg[0], (int)c->arg[1]); break;
	default: return -ENOSYS;
	}
	r[0] = 0;
	return 0;
}

int main(int argc, char **argv)
{
	struct relay_boot_info bi;
	(void)argc, (void)argv;
	if (sys_boot_info(&bi) < 0 || bi.self_ep < 0)
		return 1;
	mount_init();
	int err = bootfs_import(vfs_root);
	if (err)
		printf("vfs: boot archive not imported (%d)\n", err);
	server_run(bi.self_ep, dispatch_table, SYS_COUNT, vfs_native);
}
