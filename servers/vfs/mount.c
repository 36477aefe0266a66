/* The mount table, the root file system, and path resolution for a process. */
#include <relay/libsys.h>
#include <relay/errno.h>
#include "vfs.h"

#define MOUNT_MAX 32
#define MNT_DETACH 2

struct mount {
	struct tnode *point;	/* the directory covered (NULL: free slot) */
	struct tmpfs *fs;	/* what is mounted there */
};

static struct mount mounts[MOUNT_MAX];
struct tnode *vfs_root;
static uint32_t next_dev = 1;

/* The root of what is mounted on dir (the most recent mount), or NULL. */
static struct tnode *mounted_on(struct tnode *dir)
{
	for (int i = MOUNT_MAX - 1; i >= 0; i--)
		if (mounts[i].point == dir)
			return tmpfs_root(mounts[i].fs);
	return NULL;
}

/* The directory a file system root is mounted on, or NULL (the root file system). */
static struct tnode *mount_point_of(struct tnode *fs_root)
{
	for (int i = 0; i < MOUNT_MAX; i++)
		if (mounts[i].point && tmpfs_root(mounts[i].fs) == fs_root)
			return mounts[i].point;
	return NULL;
}

/* Mount a new tmpfs on dir. 0, -EBUSY (table full) or -ENOMEM. */
int mount_tmpfs(struct tnode *dir, uint32_t perm)
{
	for (int i = 0; i < MOUNT_MAX; i++) {
		if (mounts[i].point)
			continue;
		struct tmpfs *fs = tmpfs_new(perm, next_dev++);
		if (!fs)
			return -ENOMEM;
		tmpfs_get(dir);
		mounts[i] = (struct mount){ dir, fs };
		return 0;
	}
	return -EBUSY;
}

/* Unmount the file system whose root is fs_root and free it. 0, -EINVAL (not a mount
 * root) or -EBUSY (something in it is open, a working directory or a mount point). With
 * detach (MNT_DETACH) a busy one is only taken out of the tree and lives on, unreachable. */
int mount_remove(struct tnode *fs_root, bool detach)
{
	for (int i = MOUNT_MAX - 1; i >= 0; i--) {
		if (!mounts[i].point || tmpfs_root(mounts[i].fs) != fs_root)
			continue;
		int err = tmpfs_destroy(mounts[i].fs);
		if (err && !detach)
			return err;
		tmpfs_put(mounts[i].point);
		mounts[i].point = NULL;
		return 0;
	}
	return -EINVAL;
}

/* The root tmpfs, /dev (devfs), /tmp and /proc's directory. */
void mount_init(void)
{
	struct tmpfs *rootfs = tmpfs_new(0755, next_dev++);
	struct tnode *dir;
	vfs_root = tmpfs_root(rootfs);
	tmpfs_get(vfs_root);
	if (tmpfs_create(vfs_root, "dev", 3, S_IFDIR | 0755, 0, &dir) == 0 &&
	    mount_tmpfs(dir, 0755) == 0)
		dev_populate(mounted_on(dir));
	if (tmpfs_create(vfs_root, "tmp", 3, S_IFDIR | 01777, 0, &dir) == 0)
		mount_tmpfs(dir, 01777);
	if (tmpfs_create(vfs_root, "proc", 4, S_IFDIR | 0555, 0, &dir) == 0 &&
	    mount_tmpfs(dir, 0555) == 0)
		procfs_init(mounted_on(dir));
}

/* The directory a *at() call starts from: the cwd for AT_FDCWD, else dirfd's directory. */
static int start_dir(struct fdt *t, long dirfd, struct tnode **out)
{
	if (dirfd == AT_FDCWD) {
		*out = t->cwd;
		return 0;
	}
	struct file *f = fd_get(t, dirfd);
	if (!f)
		return -EBADF;
	if (f->kind != FILE_NODE || !f->node || (tmpfs_mode(f->node) & S_IFMT) != S_IFDIR)
		return -ENOTDIR;
	*out = f->node;
	return 0;
}

/* Resolve path for process t relative to dirfd (AT_FDCWD: its cwd). */
int vfs_walk(struct fdt *t, long dirfd, const char *path, int flags, struct path_result *out)
{
	static char self[PATH_MAX_LEN];
	struct path_ctx ctx = { vfs_root, NULL, mounted_on, mount_point_of };
	path = procfs_self(path, t->pid, self);
	int err = path[0] == '/' ? 0 : start_dir(t, dirfd, &ctx.cwd);
	if (err)
		return err;
	if (!ctx.cwd)
		ctx.cwd = vfs_root;
	return path_walk(&ctx, path, flags, out);
}

/* Copy the caller's NUL-terminated path at addr into buf (PATH_MAX_LEN bytes). */
long vfs_copy_path(struct call *c, word_t addr, char *buf)
{
	size_t done = 0;
	while (done < PATH_MAX_LEN) {
		size_t n = 256 - ((addr + done) & 255);	/* never cross a page past the NUL */
		if (n > PATH_MAX_LEN - done)
			n = PATH_MAX_LEN - done;
		long err = sys_tok_copyin(c->token, addr + done, n, buf + done);
		if (err)
			return err;
		for (size_t i = 0; i < n; i++)
			if (!buf[done + i])
				return 0;
		done += n;
	}
	return -ENAMETOOLONG;
}

/* mount(source, target, type, flags, data): tmpfs only. */
long vfs_do_mount(struct call *c)
{
	static char target[PATH_MAX_LEN];
	char type[16];
	struct path_result r;
	struct fdt *t = fdt_of(c);
	long err = t ? vfs_copy_path(c, c->arg[1], target) : -ENOMEM;
	if (!err)
		err = sys_tok_copyin(c->token, c->arg[2], 6, type);
	if (err)
		return err;
	if (memcmp(type, "tmpfs", 6) != 0)
		return -ENODEV;
	err = vfs_walk(t, AT_FDCWD, target, PATH_FOLLOW, &r);
	if (err)
		return err;
	if ((tmpfs_mode(r.node) & S_IFMT) != S_IFDIR)
		return -ENOTDIR;
	return mount_tmpfs(r.node, 0777);
}

/* umount2(target, flags): the file system mounted at target goes. */
long vfs_do_umount2(struct call *c)
{
	static char target[PATH_MAX_LEN];
	struct path_result r;
	struct fdt *t = fdt_of(c);
	long err = t ? vfs_copy_path(c, c->arg[0], target) : -ENOMEM;
	if (!err)
		err = vfs_walk(t, AT_FDCWD, target, PATH_FOLLOW, &r);
	return err ? err : mount_remove(r.node, c->arg[1] & MNT_DETACH);
}
