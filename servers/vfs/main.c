/* vfs server: start-up (root file system from the boot archive, /dev, /tmp), the receive
 * loop, and the descriptor-table messages from proc. */
#include <relay/libsys.h>
#include <relay/server.h>
#include <relay/errno.h>
#include <relay/proto/vfs.h>
#include <relay/proto/console.h>
#include <relay/gen/sysnr.h>
#include "vfs.h"

extern const call_handler_t *const dispatch_table;
/* The vfs's calls, plus the ones other servers pass on to it (mmap of a file, from mm). */
static call_handler_t handlers[SYS_COUNT];

void *vfs_alloc(size_t size) { return malloc(size); }
void vfs_free(void *p) { free(p); }
int64_t vfs_now_ns(void) { return (int64_t)sys_clock_ns(); }

/* VFS_EXEC(pid, blob, len): /proc/<pid> describes the new program. */
static void exec_record(struct call *c)
{
	static char blob[EXEC_BLOB_MAX];
	struct fdt *t = fdt_of_pid((int)c->arg[0]);
	size_t len = c->arg[2];
	if (!t || len < sizeof(struct exec_blob) || len > sizeof(blob) ||
	    sys_tok_copyin(c->token, c->arg[1], len, blob) || blob[len - 1])
		return;
	procfs_exec(t, blob, len);
}

/* VFS_EXEC_READ from proc (see <relay/proto/vfs.h>): the program file for an execve. */
static long vfs_exec_read(struct call *c)
{
	static char path[PATH_MAX_LEN], chunk[16384];
	struct fdt *t = fdt_of_pid((int)c->arg[0]);
	struct path_result r;
	struct tmpfs_stat st;
	long err = t ? vfs_copy_path(c, c->arg[1], path) : -ENOMEM;
	if (!err)
		err = vfs_walk(t, AT_FDCWD, path, PATH_FOLLOW, &r);
	if (err)
		return err;
	tmpfs_stat(r.node, &st);
	if ((st.mode & S_IFMT) != S_IFREG || !(st.mode & 0111))
		return -EACCES;
	if (st.size > c->arg[3])
		return (long)st.size;
	for (uint64_t off = 0; off < st.size;) {
		long n = tmpfs_read(r.node, off, chunk, sizeof(chunk));
		if (n <= 0)
			return n ? n : -EIO;
		err = sys_tok_copyout(c->token, c->arg[2] + off, (size_t)n, chunk);
		if (err)
			return err;
		off += (uint64_t)n;
	}
	return (long)st.size;
}

static long vfs_native(struct call *c, word_t r[REPLY_WORDS])
{
	switch (c->label) {
	case VFS_FORK: fdt_fork((int)c->arg[0], (int)c->arg[1]); break;
	case VFS_EXEC:
		fdt_exec((int)c->arg[0]);
		exec_record(c);
		break;
	case VFS_EXIT: fdt_exit((int)c->arg[0]); break;
	case VFS_NOFILE: fdt_set_nofile((int)c->arg[0], (int)c->arg[1]); break;
	case VFS_EXEC_READ: r[0] = (word_t)vfs_exec_read(c); return 0;
	default: return -ENOSYS;
	}
	r[0] = 0;
	return 0;
}

int vfs_sig_ep = -1;

/* Notifications: the console server has input for waiting reads and polls; a thread whose
 * call we hold was interrupted by a signal. */
static void vfs_notify(word_t bits)
{
	if (bits & VFS_NOTIFY_CONSOLE)
		contty_wake();
	if (bits & NOTIFY_CANCEL) {
		pipe_cancel();
		poll_cancel();
		contty_cancel_interrupted();
	}
}

int main(int argc, char **argv)
{
	struct relay_boot_info bi;
	(void)argc, (void)argv;
	if (sys_boot_info(&bi) < 0 || bi.self_ep < 0)
		return 1;
	contty_init(&bi);
	server_set_notify(vfs_notify);
	mount_init();
	int err = bootfs_import(vfs_root);
	if (err)
		printf("vfs: boot archive not imported (%d)\n", err);
	vfs_sig_ep = bi.route_ep[ROUTE_sig];
	memcpy(handlers, dispatch_table, sizeof(handlers));
	handlers[SYS_mmap] = vfs_do_mmap_passed;
	server_run(bi.self_ep, handlers, SYS_COUNT, vfs_native);
}
