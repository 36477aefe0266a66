/*
 * /proc, kept as a tmpfs that the vfs updates: meminfo (rewritten at each open from the
 * kernel's frame counts), and for every process /proc/<pid>/cmdline and /proc/<pid>/exe,
 * set at exec (from proc's VFS_EXEC), copied at fork and removed at exit. /proc/self is
 * the caller's directory (vfs_walk rewrites the prefix).
 */
#include <relay/libsys.h>
#include <relay/errno.h>
#include "manifest.h"
#include "vfs.h"

static struct tnode *proc_root, *meminfo;

static void put_text(struct tnode *f, const char *text, size_t len)
{
	tmpfs_truncate(f, 0);
	tmpfs_write(f, 0, text, len);
}

/* The node name in dir (created as mode if missing), or NULL. */
static struct tnode *entry(struct tnode *dir, const char *name, uint32_t mode)
{
	struct tnode *n;
	if (tmpfs_lookup(dir, name, strlen(name), &n) == 0)
		return n;
	return tmpfs_create(dir, name, strlen(name), mode, 0, &n) == 0 ? n : NULL;
}

static struct tnode *pid_dir(int pid, bool make)
{
	char name[16];
	struct tnode *n;
	snprintf(name, sizeof(name), "%d", pid);
	if (!make)
		return tmpfs_lookup(proc_root, name, strlen(name), &n) == 0 ? n : NULL;
	return entry(proc_root, name, S_IFDIR | 0555);
}

/* Set /proc/<pid>/exe to target and cmdline to argv (NUL-separated, len bytes). */
static void procfs_set(int pid, const char *target, const char *argv, size_t len)
{
	struct tnode *dir = pid_dir(pid, true), *n;
	if (!dir)
		return;
	tmpfs_unlink(dir, "exe", 3, false);
	tmpfs_symlink(dir, "exe", 3, target, &n);
	if ((n = entry(dir, "cmdline", S_IFREG | 0444)))
		put_text(n, argv, len);
}

void procfs_init(struct tnode *root)
{
	proc_root = root;
	meminfo = entry(root, "meminfo", S_IFREG | 0444);
}

/* /proc/1 for the first program, which the kernel started from the boot manifest. */
void procfs_boot(const struct manifest *m)
{
	static char argv[MANIFEST_ARG_BYTES];
	size_t len = 0;
	for (int i = 0; i < m->init_argc; i++) {
		size_t n = strlen(m->init_argv[i]) + 1;
		memcpy(argv + len, m->init_argv[i], n);
		len += n;
	}
	procfs_set(BOOT_INIT_BADGE, m->init_path, argv, len);
}

/* Called when a node is opened: meminfo gets fresh figures. */
void procfs_refresh(struct tnode *n)
{
	struct relay_boot_info bi;
	char text[256];
	if (n != meminfo || sys_boot_info(&bi))
		return;
	unsigned long kb = bi.page_size / 1024;
	int len = snprintf(text, sizeof(text),
			   "MemTotal:       %8lu kB\nMemFree:        %8lu kB\nMemAvailable:   %8lu kB\n"
			   "Buffers:               0 kB\nCached:                0 kB\n"
			   "SwapTotal:             0 kB\nSwapFree:              0 kB\n",
			   (unsigned long)bi.frames_total * kb, (unsigned long)bi.frames_free * kb,
			   (unsigned long)bi.frames_free * kb);
	put_text(n, text, (size_t)len);
}

/* VFS_EXEC's blob (struct exec_blob, path, argv, envp) for pid, already copied in. */
void procfs_exec(struct fdt *t, const char *blob, size_t len)
{
	static char target[PATH_MAX_LEN];
	const struct exec_blob *h = (const void *)blob;
	const char *path = blob + sizeof(*h), *argv = path + strlen(path) + 1, *p = argv;
	for (uint32_t i = 0; i < h->argc && p < blob + len; i++)
		p += strlen(p) + 1;
	const char *cwd = path[0] == '/' ? NULL : vfs_cwd_of(t);
	snprintf(target, sizeof(target), "%s%s%s", cwd ? cwd : "", cwd && cwd[1] ? "/" : "", path);
	procfs_set(t->pid, target, argv, (size_t)(p - argv));
}

/* The child of a fork starts with its parent's entries. */
void procfs_fork(int ppid, int cpid)
{
	static char buf[4096], target[PATH_MAX_LEN];
	struct tnode *pd = pid_dir(ppid, false), *n;
	long len = 0;
	if (!pd)
		return;
	if (tmpfs_lookup(pd, "cmdline", 7, &n) == 0)
		len = tmpfs_read(n, 0, buf, sizeof(buf));
	target[0] = 0;
	if (tmpfs_lookup(pd, "exe", 3, &n) == 0 && tmpfs_readlink(n))
		snprintf(target, sizeof(target), "%s", tmpfs_readlink(n));
	procfs_set(cpid, target[0] ? target : "/", buf, len > 0 ? (size_t)len : 0);
}

void procfs_exit(int pid)
{
	char name[16];
	struct tnode *dir = pid_dir(pid, false);
	if (!dir)
		return;
	tmpfs_unlink(dir, "exe", 3, false);
	tmpfs_unlink(dir, "cmdline", 7, false);
	snprintf(name, sizeof(name), "%d", pid);
	tmpfs_unlink(proc_root, name, strlen(name), true);
}

/* "/proc/self..." for pid as "/proc/<pid>...": out (PATH_MAX_LEN bytes) or path itself. */
const char *procfs_self(const char *path, int pid, char *out)
{
	if (strncmp(path, "/proc/self", 10) != 0 || (path[10] && path[10] != '/'))
		return path;
	int n = snprintf(out, PATH_MAX_LEN, "/proc/%d%s", pid, path + 10);
	return n < PATH_MAX_LEN ? out : path;
}
