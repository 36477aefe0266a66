/*
 * File status: stat, lstat, fstat, newfstatat, statx, statfs, fstatfs, and directory
 * listing (getdents64). Attributes come from tmpfs_stat, or are made up for files that
 * have no node (pipes, the console descriptors a process starts with).
 */
#include <relay/libsys.h>
#include <relay/errno.h>
#include "vfs.h"

#define BLKSIZE 4096
#define TMPFS_MAGIC 0x01021994
#define STATX_BASIC_STATS 0x7ffu
#define AT_NO_AUTOMOUNT 0x800
#define AT_STATX_SYNC_TYPE 0x6000
#define NSEC_PER_SEC 1000000000
#define ANON_DEV 0		/* st_dev of node-less files (no tmpfs has device 0) */
#define DENTS_MAX 32768		/* getdents64 returns at most this much per call */

/* What the stat calls report about a node or an open file. */
struct attrs {
	struct tmpfs_stat st;
	uint32_t dev;
};

/* struct statx of the kernel ABI (256 bytes, the same on every architecture). */
struct statx_ts {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t pad;
};

struct statx_linux {
	uint32_t stx_mask, stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink, stx_uid, stx_gid;
	uint16_t stx_mode, pad1;
	uint64_t stx_ino, stx_size, stx_blocks, stx_attributes_mask;
	struct statx_ts stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
	uint64_t spare[14];
};
_Static_assert(sizeof(struct statx_linux) == 256, "struct statx is 256 bytes");

/* struct statfs of the generic 64-bit ABI (x86-64 and AArch64 alike). */
struct statfs_linux {
	long f_type, f_bsize;
	uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int f_fsid[2];
	long f_namelen, f_frsize, f_flags, f_spare[4];
};
_Static_assert(sizeof(struct statfs_linux) == 120, "struct statfs is 120 bytes");

static char stat_path[PATH_MAX_LEN];
static char dents[DENTS_MAX] __attribute__((aligned(8)));

/* --- attributes --- */

/* The attributes of node n. */
static void node_attrs(struct tnode *n, struct attrs *a)
{
	tmpfs_stat(n, &a->st);
	a->dev = tmpfs_dev(tmpfs_fs(n));
}

/* The attributes of open file f: its node's, or for a node-less pipe a FIFO (inode from
 * the pipe's address, unique while it lives) and for a node-less device a character
 * device. */
static void file_attrs(struct file *f, struct attrs *a)
{
	if (f->node) {
		node_attrs(f->node, a);
		return;
	}
	memset(a, 0, sizeof(*a));
	a->dev = ANON_DEV;
	a->st.nlink = 1;
	if (f->kind == FILE_PIPE) {
		a->st.mode = S_IFIFO | 0600;
		a->st.ino = (uint64_t)(uintptr_t)f->pipe >> 3;
	} else {
		a->st.mode = S_IFCHR | 0620;
		a->st.rdev = dev_rdev(f->dev);
		a->st.ino = (uint64_t)f->dev;
	}
}

/* Split nanoseconds into seconds and nanoseconds (0..999999999), also before 1970. */
static void split_ns(int64_t ns, int64_t *sec, int64_t *nsec)
{
	*sec = ns / NSEC_PER_SEC;
	*nsec = ns % NSEC_PER_SEC;
	if (*nsec < 0) {
		*nsec += NSEC_PER_SEC;
		(*sec)--;
	}
}

/* Copy a as a struct stat (this architecture's layout) to the caller's addr. */
static long put_stat(struct call *c, const struct attrs *a, word_t addr)
{
	struct linux_stat s;
	int64_t sec, nsec;
	memset(&s, 0, sizeof(s));
	s.st_dev = a->dev;
	s.st_ino = a->st.ino;
	s.st_mode = a->st.mode;
	s.st_nlink = a->st.nlink;
	s.st_uid = a->st.uid;
	s.st_gid = a->st.gid;
	s.st_rdev = a->st.rdev;
	s.st_size = (long)a->st.size;
	s.st_blksize = BLKSIZE;
	s.st_blocks = (long)a->st.blocks;
	split_ns(a->st.atime_ns, &sec, &nsec);
	s.st_atime_sec = sec, s.st_atime_nsec = nsec;
	split_ns(a->st.mtime_ns, &sec, &nsec);
	s.st_mtime_sec = sec, s.st_mtime_nsec = nsec;
	split_ns(a->st.ctime_ns, &sec, &nsec);
	s.st_ctime_sec = sec, s.st_ctime_nsec = nsec;
	return sys_tok_copyout(c->token, addr, sizeof(s), &s);
}

/* A statx timestamp from nanoseconds. */
static struct statx_ts statx_time(int64_t ns)
{
	int64_t sec, nsec;
	split_ns(ns, &sec, &nsec);
	return (struct statx_ts){ sec, (uint32_t)nsec, 0 };
}

/* Copy a as a struct statx (the basic fields) to the caller's addr. */
static long put_statx(struct call *c, const struct attrs *a, word_t addr)
{
	struct statx_linux s;
	memset(&s, 0, sizeof(s));
	s.stx_mask = STATX_BASIC_STATS;
	s.stx_blksize = BLKSIZE;
	s.stx_nlink = a->st.nlink;
	s.stx_uid = a->st.uid;
	s.stx_gid = a->st.gid;
	s.stx_mode = (uint16_t)a->st.mode;
	s.stx_ino = a->st.ino;
	s.stx_size = a->st.size;
	s.stx_blocks = a->st.blocks;
	s.stx_atime = statx_time(a->st.atime_ns);
	s.stx_ctime = statx_time(a->st.ctime_ns);
	s.stx_mtime = statx_time(a->st.mtime_ns);
	s.stx_rdev_major = (a->st.rdev >> 8) & 0xfff;
	s.stx_rdev_minor = (a->st.rdev & 0xff) | ((a->st.rdev >> 12) & 0xfff00);
	s.stx_dev_major = (a->dev >> 8) & 0xfff;
	s.stx_dev_minor = (a->dev & 0xff) | ((a->dev >> 12) & 0xfff00);
	return sys_tok_copyout(c->token, addr, sizeof(s), &s);
}

long stat_out(struct call *c, struct tnode *n, word_t addr)
{
	struct attrs a;
	node_attrs(n, &a);
	return put_stat(c, &a, addr);
}

long statx_out(struct call *c, struct tnode *n, word_t addr)
{
	struct attrs a;
	node_attrs(n, &a);
	return put_statx(c, &a, addr);
}

long stat_file_out(struct call *c, struct file *f, word_t addr)
{
	struct attrs a;
	file_attrs(f, &a);
	return put_stat(c, &a, addr);
}

/* --- stat, lstat, fstat, newfstatat, statx --- */

/* The attributes of what (dirfd, path at addr, flags) names for the caller: the last
 * symlink followed unless AT_SYMLINK_NOFOLLOW; with AT_EMPTY_PATH an empty (or NULL)
 * path names dirfd itself (the cwd for AT_FDCWD), which may be a pipe. */
static long attrs_at(struct call *c, long dirfd, word_t addr, word_t flags, struct attrs *a)
{
	struct fdt *t = fdt_of(c);
	struct path_result r;
	bool empty_ok = flags & AT_EMPTY_PATH;
	long err;
	if (!t)
		return -ENOMEM;
	stat_path[0] = '\0';
	err = addr || !empty_ok ? vfs_copy_path(c, addr, stat_path) : 0;
	if (err)
		return err;
	if (!stat_path[0] && empty_ok && dirfd != AT_FDCWD) {
		struct file *f = fd_get(t, dirfd);
		if (!f)
			return -EBADF;
		file_attrs(f, a);
		return 0;
	}
	if (!stat_path[0] && empty_ok) {
		node_attrs(t->cwd ? t->cwd : vfs_root, a);
		return 0;
	}
	err = vfs_walk(t, dirfd, stat_path, flags & AT_SYMLINK_NOFOLLOW ? 0 : PATH_FOLLOW, &r);
	if (!err)
		node_attrs(r.node, a);
	return err;
}

/* stat/lstat/newfstatat: a struct stat of what (dirfd, path, flags) names. */
static long stat_at(struct call *c, long dirfd, word_t addr, word_t buf, word_t flags)
{
	struct attrs a;
	if (flags & ~(word_t)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	long err = attrs_at(c, dirfd, addr, flags, &a);
	return err ? err : put_stat(c, &a, buf);
}

long vfs_do_stat(struct call *c)
{
	return stat_at(c, AT_FDCWD, c->arg[0], c->arg[1], 0);
}

long vfs_do_lstat(struct call *c)
{
	return stat_at(c, AT_FDCWD, c->arg[0], c->arg[1], AT_SYMLINK_NOFOLLOW);
}

long vfs_do_newfstatat(struct call *c)
{
	return stat_at(c, (int)c->arg[0], c->arg[1], c->arg[2], c->arg[3]);
}

long vfs_do_fstat(struct call *c)
{
	struct fdt *t = fdt_of(c);
	struct file *f = t ? fd_get(t, (int)c->arg[0]) : NULL;
	return f ? stat_file_out(c, f, c->arg[1]) : -EBADF;
}

/* statx(dirfd, path, flags, mask, buf): the basic fields whatever the mask. */
long vfs_do_statx(struct call *c)
{
	struct attrs a;
	word_t flags = c->arg[2];
	if (flags & ~(word_t)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT |
			      AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return -EINVAL;
	long err = attrs_at(c, (int)c->arg[0], c->arg[1], flags, &a);
	return err ? err : put_statx(c, &a, c->arg[4]);
}

/* --- statfs, fstatfs --- */

/* Copy a struct statfs for the file system with device dev to the caller's addr: the
 * sizes are those of the machine's memory. */
static long put_statfs(struct call *c, uint32_t dev, word_t addr)
{
	static struct relay_boot_info bi;
	struct statfs_linux s;
	uint64_t page = 4096;
	memset(&s, 0, sizeof(s));
	if (sys_boot_info(&bi) == 0 && bi.page_size)
		page = bi.page_size;
	else
		bi.frames_total = bi.frames_free = 0;
	s.f_type = TMPFS_MAGIC;
	s.f_bsize = BLKSIZE;
	s.f_frsize = BLKSIZE;
	s.f_blocks = bi.frames_total * page / BLKSIZE;
	s.f_bfree = bi.frames_free * page / BLKSIZE;
	s.f_bavail = s.f_bfree;
	s.f_files = 1u << 20;
	s.f_ffree = (1u << 20) - 1;
	s.f_fsid[0] = (int)dev;
	s.f_namelen = TMPFS_NAME_MAX;
	return sys_tok_copyout(c->token, addr, sizeof(s), &s);
}

long vfs_do_statfs(struct call *c)
{
	struct attrs a;
	long err = attrs_at(c, AT_FDCWD, c->arg[0], 0, &a);
	return err ? err : put_statfs(c, a.dev, c->arg[1]);
}

long vfs_do_fstatfs(struct call *c)
{
	struct fdt *t = fdt_of(c);
	struct file *f = t ? fd_get(t, (int)c->arg[0]) : NULL;
	struct attrs a;
	if (!f)
		return -EBADF;
	file_attrs(f, &a);
	return put_statfs(c, a.dev, c->arg[1]);
}

/* --- getdents64 --- */

/* The record of de (struct linux_dirent64, 8-aligned) at dents + used if it fits in
 * size bytes: its length, or 0 if it does not fit. */
static size_t dirent_put(const struct tmpfs_dirent *de, size_t used, size_t size)
{
	size_t namelen = strlen(de->name);
	size_t reclen = (19 + namelen + 1 + 7) & ~(size_t)7;
	int64_t off = (int64_t)de->next_cookie;
	uint16_t rl = (uint16_t)reclen;
	char *p = dents + used;
	if (used + reclen > size)
		return 0;
	memset(p, 0, reclen);
	memcpy(p, &de->ino, 8);
	memcpy(p + 8, &off, 8);
	memcpy(p + 16, &rl, 2);
	p[18] = (char)de->type;
	memcpy(p + 19, de->name, namelen);
	return reclen;
}

/* getdents64(fd, dirp, count): as many whole entries as fit from the directory's offset
 * (a tmpfs readdir cookie), which moves past them; 0 at the end. */
long vfs_do_getdents64(struct call *c)
{
	static struct tmpfs_dirent de;
	struct fdt *t = fdt_of(c);
	struct file *f = t ? fd_get(t, (int)c->arg[0]) : NULL;
	size_t size = c->arg[2] < DENTS_MAX ? c->arg[2] : DENTS_MAX, used = 0, len;
	uint64_t cookie;
	int r;
	if (!f || (f->flags & O_PATH))
		return -EBADF;
	if (f->kind != FILE_NODE || !f->node || (tmpfs_mode(f->node) & S_IFMT) != S_IFDIR)
		return -ENOTDIR;
	for (cookie = f->off; (r = tmpfs_readdir(f->node, cookie, &de)) == 1; cookie = de.next_cookie) {
		len = dirent_put(&de, used, size);
		if (!len)
			break;
		used += len;
	}
	if (r < 0 && !used)
		return r;
	if (r == 1 && !used)
		return -EINVAL;
	long err = used ? sys_tok_copyout(c->token, c->arg[1], used, dents) : 0;
	if (err)
		return err;
	f->off = cookie;
	return (long)used;
}
