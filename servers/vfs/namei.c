/*
 * Path-based calls on existing names: open, creat, openat (which may also create),
 * readlink, access, chmod, chown, truncate, utimensat; and umask, sync, fsync. Calls that
 * change directories (mkdir, mknod, unlink, rmdir, rename, link, symlink) and the working
 * directory (chdir, fchdir, getcwd) are in dirs.c.
 * Paths are copied into a static buffer (the server serves one call at a time); the
 * path_results of a walk point into it.
 */
#include <relay/libsys.h>
#include <relay/errno.h>
#include "vfs.h"

#ifndef EOPNOTSUPP
#define EOPNOTSUPP 95
#endif

#define O_TMPFILE_ONLY 020000000	/* O_TMPFILE without O_DIRECTORY: not supported */
#define O_PATH_KEEPS (O_PATH | O_CLOEXEC | O_DIRECTORY | O_NOFOLLOW)
#define AT_EACCESS 0x200
#define X_OK 1
#define UTIME_NOW ((1l << 30) - 1)
#define UTIME_OMIT ((1l << 30) - 2)
#define NSEC_PER_SEC 1000000000l

static char namei_path[PATH_MAX_LEN];

/* --- helpers (namei_* are shared with dirs.c) --- */

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

/* The node an open descriptor refers to: 0 and *out (NULL for a pipe or the console,
 * which have none), or -EBADF. */
static long fd_node(struct fdt *t, long fd, struct tnode **out)
{
	struct file *f = fd_get(t, fd);
	if (!f)
		return -EBADF;
	*out = f->node;
	return 0;
}

/* The node the caller's path at addr names for t, relative to dirfd, the last symlink
 * followed if follow. With empty_ok (AT_EMPTY_PATH), "" names dirfd itself (the cwd for
 * AT_FDCWD), possibly a node-less file (*out NULL). Uses namei_path. */
long namei_lookup(struct call *c, struct fdt *t, long dirfd, word_t addr, bool follow,
		  bool empty_ok, struct tnode **out)
{
	struct path_result r;
	long err = vfs_copy_path(c, addr, namei_path);
	if (err)
		return err;
	if (!namei_path[0] && empty_ok && dirfd != AT_FDCWD)
		return fd_node(t, dirfd, out);
	if (!namei_path[0] && empty_ok) {
		*out = t->cwd ? t->cwd : vfs_root;
		return 0;
	}
	err = vfs_walk(t, dirfd, namei_path, follow ? PATH_FOLLOW : 0, &r);
	if (!err)
		*out = r.node;
	return err;
}

/* vfs_walk of path relative to the directory dir (instead of a descriptor) for t. */
int namei_walk_from(struct fdt *t, struct tnode *dir, const char *path, int flags,
		    struct path_result *r)
{
	struct tnode *cwd = t->cwd;
	t->cwd = dir;
	int err = vfs_walk(t, AT_FDCWD, path, flags, r);
	t->cwd = cwd;
	return err;
}

/* The entry r's last component names in r->parent itself (no symlink followed, no mount
 * entered), or NULL if there is none. */
struct tnode *namei_entry(const struct path_result *r)
{
	struct tnode *n;
	if (!r->last_len || tmpfs_lookup(r->parent, r->last, r->last_len, &n))
		return NULL;
	return n;
}

/* --- open --- */

/* O_CREAT through a dangling symlink makes the file it points to (as Linux): while r's
 * last component is a symlink leading nowhere, walk on to its target. */
static long follow_dangling(struct fdt *t, struct path_result *r)
{
	for (int links = 0; !r->node && r->last_len; links++) {
		struct tnode *n = namei_entry(r);
		if (!n || (tmpfs_mode(n) & S_IFMT) != S_IFLNK)
			return 0;
		if (links >= SYMLOOP_MAX)
			return -ELOOP;
		long err = namei_walk_from(t, r->parent, tmpfs_readlink(n), PATH_PARENT | PATH_FOLLOW, r);
		if (err)
			return err;
	}
	return 0;
}

/* The node open(2) with flags names at path: looked up, or made with O_CREAT (permissions
 * mode & ~umask). With O_EXCL or O_NOFOLLOW a last symlink is not followed. */
static long open_resolve(struct fdt *t, long dirfd, const char *path, unsigned flags,
			 uint32_t mode, struct tnode **out)
{
	struct path_result r;
	bool follow = !(flags & O_NOFOLLOW) && !((flags & O_CREAT) && (flags & O_EXCL));
	int walk = follow ? PATH_FOLLOW : 0;
	long err;
	if (!(flags & O_CREAT)) {
		err = vfs_walk(t, dirfd, path, walk, &r);
		*out = r.node;
		return err;
	}
	err = vfs_walk(t, dirfd, path, walk | PATH_PARENT, &r);
	if (!err && follow)
		err = follow_dangling(t, &r);
	if (err)
		return err;
	*out = r.node;
	if (r.node)
		return flags & O_EXCL ? -EEXIST : 0;
	if (r.trailing_slash)
		return -EISDIR;
	return tmpfs_create(r.parent, r.last, r.last_len, S_IFREG | (mode & 07777 & ~t->umask), 0,
			    out);
}

/* Whether node n may be opened with flags: 0, -ENOTDIR, -ELOOP, -EISDIR, -ENXIO. */
static long open_check(struct tnode *n, unsigned flags)
{
	uint32_t type = tmpfs_mode(n) & S_IFMT;
	if ((flags & O_DIRECTORY) && type != S_IFDIR)
		return -ENOTDIR;
	if (flags & O_PATH)
		return 0;
	if (type == S_IFLNK)
		return -ELOOP;
	if (type == S_IFDIR && ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC))))
		return -EISDIR;
	if (type == S_IFSOCK || type == S_IFBLK)
		return -ENXIO;
	return 0;
}

/* A new open file description for n: an O_PATH handle, a FIFO end, or a node/device. */
static long open_file(struct tnode *n, unsigned flags, struct file **out)
{
	if (flags & O_PATH) {
		struct file *f = file_new(FILE_NODE, O_RDONLY);
		if (!f)
			return -ENOMEM;
		f->flags = O_PATH;
		f->node = n;
		tmpfs_get(n);
		*out = f;
		return 0;
	}
	if ((tmpfs_mode(n) & S_IFMT) == S_IFIFO)
		return fifo_open(n, flags, out);
	return file_open_node(n, flags, out);
}

/* open/openat/creat: the new descriptor or -errno. */
static long open_at(struct call *c, long dirfd, word_t addr, unsigned flags, uint32_t mode)
{
	struct fdt *t = fdt_of(c);
	struct tnode *n;
	struct file *f;
	long err;
	if (!t)
		return -ENOMEM;
	if (flags & O_PATH)
		flags &= O_PATH_KEEPS;
	if (flags & O_TMPFILE_ONLY)
		return -EOPNOTSUPP;
	err = vfs_copy_path(c, addr, namei_path);
	if (!err)
		err = open_resolve(t, dirfd, namei_path, flags, mode, &n);
	if (!err)
		err = open_check(n, flags);
	if (!err)
		err = open_file(n, flags, &f);
	if (err)
		return err;
	int fd = fd_install(t, f, 0, flags & O_CLOEXEC);
	if (fd < 0) {
		file_put(f);
		return fd;
	}
	if ((flags & O_TRUNC) && (tmpfs_mode(n) & S_IFMT) == S_IFREG)
		tmpfs_truncate(n, 0);	/* to 0: cannot fail */
	if (f->kind == FILE_PIPE && !(flags & O_NONBLOCK) && (flags & O_ACCMODE) != O_RDWR)
		return fifo_open_wait(c, f, fd);	/* a FIFO waits for its other end */
	return fd;
}

long vfs_do_open(struct call *c)
{
	return open_at(c, AT_FDCWD, c->arg[0], (unsigned)c->arg[1], (uint32_t)c->arg[2]);
}

long vfs_do_creat(struct call *c)
{
	return open_at(c, AT_FDCWD, c->arg[0], O_CREAT | O_WRONLY | O_TRUNC, (uint32_t)c->arg[1]);
}

long vfs_do_openat(struct call *c)
{
	return open_at(c, arg_fd(c->arg[0]), c->arg[1], (unsigned)c->arg[2], (uint32_t)c->arg[3]);
}

/* readlink/readlinkat: the target copied to buf (no NUL, at most size bytes), its length.
 * An empty path reads the symlink dirfd refers to (an O_PATH | O_NOFOLLOW descriptor). */
static long readlink_at(struct call *c, long dirfd, word_t addr, word_t buf, int size)
{
	struct fdt *t = fdt_of(c);
	struct tnode *n;
	const char *target;
	if (size <= 0)
		return -EINVAL;
	long err = t ? namei_lookup(c, t, dirfd, addr, false, dirfd != AT_FDCWD, &n) : -ENOMEM;
	if (err)
		return err;
	target = n ? tmpfs_readlink(n) : NULL;
	if (!target)
		return n || namei_path[0] ? -EINVAL : -ENOENT;
	size_t len = strlen(target);
	if (len > (size_t)size)
		len = (size_t)size;
	err = sys_tok_copyout(c->token, buf, len, target);
	return err ? err : (long)len;
}

long vfs_do_readlink(struct call *c)
{
	return readlink_at(c, AT_FDCWD, c->arg[0], c->arg[1], (int)c->arg[2]);
}

long vfs_do_readlinkat(struct call *c)
{
	return readlink_at(c, arg_fd(c->arg[0]), c->arg[1], c->arg[2], (int)c->arg[3]);
}

/* --- attributes --- */

/* access/faccessat/faccessat2 as root: existence is enough, except X_OK, which needs a
 * directory or some x bit. */
static long access_at(struct call *c, long dirfd, word_t addr, word_t mode, word_t flags)
{
	struct fdt *t = fdt_of(c);
	struct tnode *n;
	if (mode & ~(word_t)7)
		return -EINVAL;
	if (flags & ~(word_t)(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	long err = t ? namei_lookup(c, t, dirfd, addr, !(flags & AT_SYMLINK_NOFOLLOW),
				 flags & AT_EMPTY_PATH, &n) : -ENOMEM;
	if (err || !(mode & X_OK) || !n)
		return err;
	return is_dir(n) || (tmpfs_mode(n) & 0111) ? 0 : -EACCES;
}

long vfs_do_access(struct call *c)
{
	return access_at(c, AT_FDCWD, c->arg[0], c->arg[1], 0);
}

/* The kernel's faccessat has no flags argument. */
long vfs_do_faccessat(struct call *c)
{
	return access_at(c, arg_fd(c->arg[0]), c->arg[1], c->arg[2], 0);
}

long vfs_do_faccessat2(struct call *c)
{
	return access_at(c, arg_fd(c->arg[0]), c->arg[1], c->arg[2], c->arg[3]);
}

/* chmod of n (nothing for a node-less file such as a pipe). */
static long set_mode(struct tnode *n, word_t mode)
{
	if (n)
		tmpfs_set_mode(n, (uint32_t)mode & 07777);
	return 0;
}

/* chown of n: an id of -1 is kept; a regular file loses set-user-ID and (with group
 * execute) set-group-ID, as on Linux. */
static long set_owner(struct tnode *n, word_t uid, word_t gid)
{
	struct tmpfs_stat st;
	if (!n)
		return 0;
	tmpfs_stat(n, &st);
	if ((uint32_t)uid != UINT32_MAX)
		st.uid = (uint32_t)uid;
	if ((uint32_t)gid != UINT32_MAX)
		st.gid = (uint32_t)gid;
	tmpfs_set_owner(n, st.uid, st.gid);
	if ((st.mode & S_IFMT) == S_IFREG && (st.mode & 06000)) {
		uint32_t perm = st.mode & 07777 & ~04000u;
		if (perm & 0010)
			perm &= ~02000u;
		tmpfs_set_mode(n, perm);
	}
	return 0;
}

long vfs_do_chmod(struct call *c)
{
	struct fdt *t = fdt_of(c);
	struct tnode *n;
	long err = t ? namei_lookup(c, t, AT_FDCWD, c->arg[0], true, false, &n) : -ENOMEM;
	return err ? err : set_mode(n, c->arg[1]);
}

long vfs_do_fchmod(struct call *c)
{
	struct fdt *t = fdt_of(c);
	struct tnode *n;
	long err = t ? fd_node(t, arg_fd(c->arg[0]), &n) : -EBADF;
	return err ? err : set_mode(n, c->arg[1]);
}

/* The kernel's fchmodat has no flags argument: symlinks are followed. */
long vfs_do_fchmodat(struct call *c)
{
	struct fdt *t = fdt_of(c);
	struct tnode *n;
	long err = t ? namei_lookup(c, t, arg_fd(c->arg[0]), c->arg[1], true, false, &n) : -ENOMEM;
	return err ? err : set_mode(n, c->arg[2]);
}

/* chown/lchown/fchownat of the caller's path. */
static long chown_at(struct call *c, long dirfd, word_t addr, word_t uid, word_t gid,
		     word_t flags)
{
	struct fdt *t = fdt_of(c);
	struct tnode *n;
	if (flags & ~(word_t)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	long err = t ? namei_lookup(c, t, dirfd, addr, !(flags & AT_SYMLINK_NOFOLLOW),
				 flags & AT_EMPTY_PATH, &n) : -ENOMEM;
	return err ? err : set_owner(n, uid, gid);
}

long vfs_do_chown(struct call *c)
{
	return chown_at(c, AT_FDCWD, c->arg[0], c->arg[1], c->arg[2], 0);
}

long vfs_do_lchown(struct call *c)
{
	return chown_at(c, AT_FDCWD, c->arg[0], c->arg[1], c->arg[2], AT_SYMLINK_NOFOLLOW);
}

long vfs_do_fchownat(struct call *c)
{
	return chown_at(c, arg_fd(c->arg[0]), c->arg[1], c->arg[2], c->arg[3], c->arg[4]);
}

long vfs_do_fchown(struct call *c)
{
	struct fdt *t = fdt_of(c);
	struct tnode *n;
	long err = t ? fd_node(t, arg_fd(c->arg[0]), &n) : -EBADF;
	return err ? err : set_owner(n, c->arg[1], c->arg[2]);
}

/* truncate(path, length): symlinks followed; -EISDIR, -EINVAL for other non-files. */
long vfs_do_truncate(struct call *c)
{
	struct fdt *t = fdt_of(c);
	struct tnode *n;
	if ((long)c->arg[1] < 0)
		return -EINVAL;
	long err = t ? namei_lookup(c, t, AT_FDCWD, c->arg[0], true, false, &n) : -ENOMEM;
	return err ? err : tmpfs_truncate(n, c->arg[1]);
}

/* One struct timespec of utimensat as nanoseconds: now, -1 (UTIME_OMIT), or -EINVAL in
 * *err for a bad tv_nsec. */
static int64_t utime_ns(const int64_t ts[2], long *err)
{
	if (ts[1] == UTIME_NOW)
		return vfs_now_ns();
	if (ts[1] == UTIME_OMIT)
		return -1;
	if (ts[1] < 0 || ts[1] >= NSEC_PER_SEC)
		*err = -EINVAL;
	if (ts[0] >= INT64_MAX / NSEC_PER_SEC)	/* clamped, as Linux does */
		return INT64_MAX - 1;
	if (ts[0] <= INT64_MIN / NSEC_PER_SEC)
		return INT64_MIN;
	return ts[0] * NSEC_PER_SEC + ts[1];
}

/* The caller's times[2] at addr (NULL: both now) as atime/mtime nanoseconds in ns. */
static long utime_read(struct call *c, word_t addr, int64_t ns[2])
{
	int64_t ts[4];
	long err = 0;
	if (!addr) {
		ns[0] = ns[1] = vfs_now_ns();
		return 0;
	}
	err = sys_tok_copyin(c->token, addr, sizeof(ts), ts);
	if (err)
		return err;
	ns[0] = utime_ns(ts, &err);
	ns[1] = utime_ns(ts + 2, &err);
	return err;
}

/* utimensat(dirfd, path, times, flags); a NULL path is futimens(dirfd, times). */
long vfs_do_utimensat(struct call *c)
{
	struct fdt *t = fdt_of(c);
	struct tnode *n;
	long dirfd = arg_fd(c->arg[0]);
	word_t flags = c->arg[3];
	int64_t ns[2];
	long err;
	if (flags & ~(word_t)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (!t)
		return -ENOMEM;
	err = utime_read(c, c->arg[2], ns);
	if (err)
		return err;
	if (c->arg[1])
		err = namei_lookup(c, t, dirfd, c->arg[1], !(flags & AT_SYMLINK_NOFOLLOW),
				flags & AT_EMPTY_PATH, &n);
	else
		err = dirfd == AT_FDCWD ? -EFAULT : flags ? -EINVAL : fd_node(t, dirfd, &n);
	if (err)
		return err;
	if (n && (ns[0] != -1 || ns[1] != -1))
		tmpfs_set_times(n, ns[0], ns[1]);
	return 0;
}

/* --- process state, sync --- */

long vfs_do_umask(struct call *c)
{
	struct fdt *t = fdt_of(c);
	if (!t)
		return -ENOMEM;
	uint32_t old = t->umask;
	t->umask = (uint32_t)c->arg[0] & 0777;
	return old;
}

long vfs_do_sync(struct call *c)
{
	return 0;
}

/* fsync/fdatasync: nothing to write back; -EINVAL for pipes and devices, as Linux. */
static long fsync_fd(struct call *c)
{
	struct fdt *t = fdt_of(c);
	struct file *f = t ? fd_get(t, arg_fd(c->arg[0])) : NULL;
	if (!f)
		return -EBADF;
	return f->kind == FILE_NODE ? 0 : -EINVAL;
}

long vfs_do_fsync(struct call *c)
{
	return fsync_fd(c);
}

long vfs_do_fdatasync(struct call *c)
{
	return fsync_fd(c);
}
