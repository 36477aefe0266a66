/*
 * Calls that change directories: mkdir, mknod, unlink, rmdir, rename, link, symlink (and
 * their *at forms); and the working directory: chdir, fchdir, getcwd. A process's cwd
 * holds a tmpfs_get reference. getcwd climbs from the cwd to the root, naming each
 * directory in its parent; the root of a mounted file system is named through its mount
 * point (found with a ".." walk, which crosses the mount).
 */
#include <relay/libsys.h>
#include <relay/errno.h>
#include "vfs.h"

/* The call's paths (its second one in dirs_path2), then getcwd's result. */
static char dirs_path[PATH_MAX_LEN], dirs_path2[PATH_MAX_LEN];

/* A descriptor argument (an int in a register). */
static long arg_fd(word_t a)
{
	return (int)a;
}

/* true if n is a directory. */
static bool is_dir(struct tnode *n)
{
	return (tmpfs_mode(n) & S_IFMT) == S_IFDIR;
}

/* Copy the caller's path at addr into buf and walk it (symlinks in the last component not
 * followed) to the directory holding its last component: r->node NULL if that is missing. */
static long parent_at(struct call *c, struct fdt *t, long dirfd, word_t addr, char *buf,
		      struct path_result *r)
{
	long err = vfs_copy_path(c, addr, buf);
	return err ? err : vfs_walk(t, dirfd, buf, PATH_PARENT, r);
}

/* true if r's last component is itself a directory (a symlink to one is not). */
static bool entry_is_dir(const struct path_result *r)
{
	struct tnode *e = namei_entry(r);
	return e && is_dir(e);
}

/* true if r's last component is a mount point (r->node is then the mounted root). */
static bool is_mount_point(const struct path_result *r)
{
	struct tnode *e = namei_entry(r);
	return e && r->node && e != r->node && is_dir(e) &&
	       r->node == tmpfs_root(tmpfs_fs(r->node));
}

/* Checks before making r's last component a new entry: 0, -EEXIST if it exists (or is
 * "/", "." or ".."), -ENOENT for a non-directory with a trailing slash. */
static long check_new_entry(const struct path_result *r, bool dir)
{
	if (r->node || !r->last_len)
		return -EEXIST;
	return r->trailing_slash && !dir ? -ENOENT : 0;
}

/* --- making and removing entries --- */

/* mkdir/mkdirat: a directory with permissions mode & ~umask. */
static long mkdir_at(struct call *c, long dirfd, word_t addr, uint32_t mode)
{
	struct fdt *t = fdt_of(c);
	struct path_result r;
	struct tnode *n;
	long err = t ? parent_at(c, t, dirfd, addr, dirs_path, &r) : -ENOMEM;
	if (!err)
		err = check_new_entry(&r, true);
	if (err)
		return err;
	return tmpfs_create(r.parent, r.last, r.last_len, S_IFDIR | (mode & 01777 & ~t->umask), 0,
			    &n);
}

long vfs_do_mkdir(struct call *c)
{
	return mkdir_at(c, AT_FDCWD, c->arg[0], (uint32_t)c->arg[1]);
}

long vfs_do_mkdirat(struct call *c)
{
	return mkdir_at(c, arg_fd(c->arg[0]), c->arg[1], (uint32_t)c->arg[2]);
}

/* mknod/mknodat: regular files, FIFOs, sockets and character devices (dev as rdev). */
static long mknod_at(struct call *c, long dirfd, word_t addr, uint32_t mode, uint32_t dev)
{
	struct fdt *t = fdt_of(c);
	struct path_result r;
	struct tnode *n;
	uint32_t type = mode & S_IFMT;
	long err;
	switch (type) {
	case 0:
		type = S_IFREG;
		break;
	case S_IFREG: case S_IFIFO: case S_IFSOCK: case S_IFCHR:
		break;
	case S_IFDIR: case S_IFBLK:
		return -EPERM;
	default:
		return -EINVAL;
	}
	err = t ? parent_at(c, t, dirfd, addr, dirs_path, &r) : -ENOMEM;
	if (!err)
		err = check_new_entry(&r, false);
	if (err)
		return err;
	return tmpfs_create(r.parent, r.last, r.last_len, type | (mode & 07777 & ~t->umask),
			    type == S_IFCHR ? dev : 0, &n);
}

long vfs_do_mknod(struct call *c)
{
	return mknod_at(c, AT_FDCWD, c->arg[0], (uint32_t)c->arg[1], (uint32_t)c->arg[2]);
}

long vfs_do_mknodat(struct call *c)
{
	return mknod_at(c, arg_fd(c->arg[0]), c->arg[1], (uint32_t)c->arg[2], (uint32_t)c->arg[3]);
}

/* rmdir of "/", "x/." or "x/.." (path_walk gives no last component for them):
 * -EBUSY, -EINVAL, -ENOTEMPTY as Linux. */
static long rmdir_dot_error(const char *path)
{
	size_t n = strlen(path);
	while (n && path[n - 1] == '/')
		n--;
	if (n >= 2 && path[n - 1] == '.' && path[n - 2] == '.' && (n == 2 || path[n - 3] == '/'))
		return -ENOTEMPTY;
	if (n >= 1 && path[n - 1] == '.' && (n == 1 || path[n - 2] == '/'))
		return -EINVAL;
	return -EBUSY;
}

/* unlink (rmdir with AT_REMOVEDIR) of the caller's path. */
static long unlink_at(struct call *c, long dirfd, word_t addr, word_t flags)
{
	struct fdt *t = fdt_of(c);
	struct path_result r;
	bool rmdir = flags & AT_REMOVEDIR;
	if (flags & ~(word_t)AT_REMOVEDIR)
		return -EINVAL;
	long err = t ? parent_at(c, t, dirfd, addr, dirs_path, &r) : -ENOMEM;
	if (err)
		return err;
	if (!r.last_len)
		return rmdir ? rmdir_dot_error(dirs_path) : -EISDIR;
	if (!r.node)
		return -ENOENT;
	if (rmdir && is_mount_point(&r))
		return -EBUSY;
	if (!rmdir && r.trailing_slash)		/* "x/": x itself, not what it links to */
		return entry_is_dir(&r) ? -EISDIR : -ENOTDIR;
	return tmpfs_unlink(r.parent, r.last, r.last_len, rmdir);
}

long vfs_do_unlink(struct call *c)
{
	return unlink_at(c, AT_FDCWD, c->arg[0], 0);
}

long vfs_do_rmdir(struct call *c)
{
	return unlink_at(c, AT_FDCWD, c->arg[0], AT_REMOVEDIR);
}

long vfs_do_unlinkat(struct call *c)
{
	return unlink_at(c, arg_fd(c->arg[0]), c->arg[1], c->arg[2]);
}

/* rename/renameat/renameat2 (flags RENAME_NOREPLACE, RENAME_EXCHANGE go to tmpfs). */
static long rename_at(struct call *c, long odirfd, word_t oaddr, long ndirfd, word_t naddr,
		      word_t flags)
{
	struct fdt *t = fdt_of(c);
	struct path_result ro, rn;
	long err = t ? parent_at(c, t, odirfd, oaddr, dirs_path, &ro) : -ENOMEM;
	if (!err)
		err = parent_at(c, t, ndirfd, naddr, dirs_path2, &rn);
	if (err)
		return err;
	if (!ro.last_len || !rn.last_len)
		return -EBUSY;
	if (!ro.node)
		return -ENOENT;
	if (tmpfs_fs(ro.parent) != tmpfs_fs(rn.parent))
		return -EXDEV;
	if (is_mount_point(&ro) || is_mount_point(&rn))
		return -EBUSY;
	if ((ro.trailing_slash || rn.trailing_slash) && !entry_is_dir(&ro))
		return -ENOTDIR;
	return tmpfs_rename(ro.parent, ro.last, ro.last_len, rn.parent, rn.last, rn.last_len,
			    (unsigned)flags);
}

long vfs_do_rename(struct call *c)
{
	return rename_at(c, AT_FDCWD, c->arg[0], AT_FDCWD, c->arg[1], 0);
}

long vfs_do_renameat(struct call *c)
{
	return rename_at(c, arg_fd(c->arg[0]), c->arg[1], arg_fd(c->arg[2]), c->arg[3], 0);
}

long vfs_do_renameat2(struct call *c)
{
	return rename_at(c, arg_fd(c->arg[0]), c->arg[1], arg_fd(c->arg[2]), c->arg[3], c->arg[4]);
}

/* link/linkat: a new name for an existing non-directory (AT_SYMLINK_FOLLOW: for what a
 * symlink leads to; AT_EMPTY_PATH: for olddirfd's file). */
static long link_at(struct call *c, long odirfd, word_t oaddr, long ndirfd, word_t naddr,
		    word_t flags)
{
	struct fdt *t = fdt_of(c);
	struct path_result r;
	struct tnode *old;
	if (flags & ~(word_t)(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	long err = t ? namei_lookup(c, t, odirfd, oaddr, flags & AT_SYMLINK_FOLLOW,
				 flags & AT_EMPTY_PATH, &old) : -ENOMEM;
	if (!err && !old)
		err = -ENOENT;
	if (!err)
		err = parent_at(c, t, ndirfd, naddr, dirs_path2, &r);
	if (!err)
		err = check_new_entry(&r, false);
	if (err)
		return err;
	if (tmpfs_fs(old) != tmpfs_fs(r.parent))
		return -EXDEV;
	return tmpfs_link(r.parent, r.last, r.last_len, old);
}

long vfs_do_link(struct call *c)
{
	return link_at(c, AT_FDCWD, c->arg[0], AT_FDCWD, c->arg[1], 0);
}

long vfs_do_linkat(struct call *c)
{
	return link_at(c, arg_fd(c->arg[0]), c->arg[1], arg_fd(c->arg[2]), c->arg[3], c->arg[4]);
}

/* symlink/symlinkat: a symlink at the caller's path laddr holding the text at taddr. */
static long symlink_at(struct call *c, word_t taddr, long dirfd, word_t laddr)
{
	struct fdt *t = fdt_of(c);
	struct path_result r;
	struct tnode *n;
	long err = t ? vfs_copy_path(c, taddr, dirs_path2) : -ENOMEM;
	if (!err)
		err = parent_at(c, t, dirfd, laddr, dirs_path, &r);
	if (!err && !dirs_path2[0])
		err = -ENOENT;
	if (!err)
		err = check_new_entry(&r, false);
	return err ? err : tmpfs_symlink(r.parent, r.last, r.last_len, dirs_path2, &n);
}

long vfs_do_symlink(struct call *c)
{
	return symlink_at(c, c->arg[0], AT_FDCWD, c->arg[1]);
}

long vfs_do_symlinkat(struct call *c)
{
	return symlink_at(c, c->arg[0], arg_fd(c->arg[1]), c->arg[2]);
}

/* --- the working directory --- */

/* Make directory n (which must be one) t's working directory. 0 or -ENOTDIR. */
static long set_cwd(struct fdt *t, struct tnode *n)
{
	if (!is_dir(n))
		return -ENOTDIR;
	tmpfs_get(n);
	if (t->cwd)
		tmpfs_put(t->cwd);
	t->cwd = n;
	return 0;
}

long vfs_do_chdir(struct call *c)
{
	struct fdt *t = fdt_of(c);
	struct path_result r;
	long err = t ? vfs_copy_path(c, c->arg[0], dirs_path) : -ENOMEM;
	if (!err)
		err = vfs_walk(t, AT_FDCWD, dirs_path, PATH_FOLLOW, &r);
	return err ? err : set_cwd(t, r.node);
}

long vfs_do_fchdir(struct call *c)
{
	struct fdt *t = fdt_of(c);
	struct file *f = t ? fd_get(t, (int)c->arg[0]) : NULL;
	if (!f)
		return -EBADF;
	return f->node ? set_cwd(t, f->node) : -ENOTDIR;
}

/* The inode number of n. */
static uint64_t ino_of(struct tnode *n)
{
	struct tmpfs_stat st;
	tmpfs_stat(n, &st);
	return st.ino;
}

/* The directory ".." of dir leads to for t (out of a mounted file system's root, the
 * parent of its mount point); dir itself if it has none. */
static struct tnode *parent_of(struct fdt *t, struct tnode *dir)
{
	struct path_result r;
	if (dir != tmpfs_root(tmpfs_fs(dir)))
		return tmpfs_parent(dir);
	return namei_walk_from(t, dir, "..", 0, &r) ? dir : r.node;
}

/* true if the entry de of parent leads to dir: the same inode, or for the root of a
 * mounted file system, an entry whose walk enters it. */
static bool names_dir(struct fdt *t, struct tnode *parent, const struct tmpfs_dirent *de,
		      struct tnode *dir)
{
	struct path_result r;
	if (dir != tmpfs_root(tmpfs_fs(dir)))
		return tmpfs_fs(parent) == tmpfs_fs(dir) && de->ino == ino_of(dir);
	if (de->type != S_IFDIR >> 12)
		return false;
	return namei_walk_from(t, parent, de->name, 0, &r) == 0 && r.node == dir;
}

/* Find the name of dir in parent into *de: 0 or -ENOENT. */
static long name_in(struct fdt *t, struct tnode *parent, struct tnode *dir,
		    struct tmpfs_dirent *de)
{
	uint64_t cookie = 2;	/* after "." and ".." */
	while (tmpfs_readdir(parent, cookie, de) == 1) {
		if (names_dir(t, parent, de, dir))
			return 0;
		cookie = de->next_cookie;
	}
	return -ENOENT;
}

/* Build t's working directory path at the end of dirs_path: its offset there, or
 * -ENOENT (removed or unreachable), -ENAMETOOLONG. */
static long cwd_path(struct fdt *t)
{
	static struct tmpfs_dirent de;
	struct tmpfs_stat st;
	struct tnode *dir = t->cwd ? t->cwd : vfs_root, *parent;
	size_t pos = PATH_MAX_LEN - 1;
	dirs_path[pos] = '\0';
	tmpfs_stat(dir, &st);
	if (st.nlink == 0)
		return -ENOENT;
	while (dir != vfs_root) {
		parent = parent_of(t, dir);
		if (parent == dir || name_in(t, parent, dir, &de))
			return -ENOENT;
		size_t len = strlen(de.name);
		if (len + 1 > pos)
			return -ENAMETOOLONG;
		pos -= len;
		memcpy(dirs_path + pos, de.name, len);
		dirs_path[--pos] = '/';
		dir = parent;
	}
	if (pos == PATH_MAX_LEN - 1)
		dirs_path[--pos] = '/';
	return (long)pos;
}

/* getcwd(buf, size): the length with the NUL, -ERANGE if size is too small. */
long vfs_do_getcwd(struct call *c)
{
	struct fdt *t = fdt_of(c);
	long pos = t ? cwd_path(t) : -ENOMEM;
	if (pos < 0)
		return pos;
	size_t len = PATH_MAX_LEN - (size_t)pos;
	if (c->arg[1] < len)
		return -ERANGE;
	long err = sys_tok_copyout(c->token, c->arg[0], len, dirs_path + pos);
	return err ? err : (long)len;
}

/* t's working directory as an absolute path (a static buffer), or NULL if it has none. */
const char *vfs_cwd_of(struct fdt *t)
{
	long pos = cwd_path(t);
	return pos < 0 ? NULL : dirs_path + pos;
}
