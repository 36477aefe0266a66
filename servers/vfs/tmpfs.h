/*
 * tmpfs: an in-memory file system — the vfs's root (filled from the boot archive), /tmp and
 * any tmpfs mount, and the directory tree of devfs. Pure data structures: no IPC, no
 * global state besides what the caller passes, memory from vfs_alloc/vfs_free. Every
 * function returns 0 / a count, or a negative Linux errno.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TMPFS_NAME_MAX 255

/* File types, as the S_IFMT bits of st_mode. */
#define S_IFMT   0170000
#define S_IFSOCK 0140000
#define S_IFLNK  0120000
#define S_IFREG  0100000
#define S_IFBLK  0060000
#define S_IFDIR  0040000
#define S_IFCHR  0020000
#define S_IFIFO  0010000

struct tmpfs;		/* one file-system instance (its inode numbers, its root) */
struct tnode;		/* a file, directory, symlink, FIFO or device node */

struct tmpfs_stat {
	uint64_t ino, size, blocks;	/* blocks: 512-byte units actually allocated */
	uint32_t mode, nlink, uid, gid, rdev;
	int64_t atime_ns, mtime_ns, ctime_ns;
};

struct tmpfs_dirent {
	uint64_t ino;
	uint64_t next_cookie;	/* pass back to continue after this entry */
	uint8_t type;		/* DT_*: S_IFMT >> 12 */
	char name[TMPFS_NAME_MAX + 1];
};

/* Provided by the user of the library (the vfs server, or the host unit test). */
void *vfs_alloc(size_t size);		/* NULL when out of memory */
void vfs_free(void *p);
int64_t vfs_now_ns(void);		/* for timestamps */
/* Page windows for the data of files that processes map: a fixed virtual range whose
 * pages are backed by frames the mappers share. new: the window's id (> 0) with size
 * bytes backed at *base, *cap = the backed bytes (size rounded up to pages); resize: back
 * exactly size bytes (pages past it are dropped, new ones are zero), the backed bytes;
 * put: the file is gone. -ENOMEM / -EFBIG. */
long vfs_window_new(size_t size, void **base, size_t *cap);
long vfs_window_resize(long win, size_t size);
void vfs_window_put(long win);

/* A new, empty file system whose root directory has mode S_IFDIR | perm. NULL if no memory. */
struct tmpfs *tmpfs_new(uint32_t perm, uint32_t dev_id);
struct tnode *tmpfs_root(struct tmpfs *fs);
/* Free fs and everything in it, if nothing in it is referenced (tmpfs_get: no open file,
 * working directory or mount point below its root): 0, else -EBUSY with fs untouched. */
int tmpfs_destroy(struct tmpfs *fs);
uint32_t tmpfs_dev(struct tmpfs *fs);

/* Reference counting of nodes held open (fds, cwd, mmaps). A node whose last link and last
 * reference are gone is freed. Lookups return borrowed pointers: tmpfs_get to keep one. */
void tmpfs_get(struct tnode *n);
void tmpfs_put(struct tnode *n);

/* Directory operations. name is not NUL-terminated (len bytes, 1..TMPFS_NAME_MAX, no '/').
 * -ENOTDIR if dir is not a directory, -ENAMETOOLONG, -ENOENT, -EEXIST, -ENOMEM. */
int tmpfs_lookup(struct tnode *dir, const char *name, size_t len, struct tnode **out);
/* Make a regular file, directory, FIFO or device (mode = S_IF* | perm; rdev for devices). */
int tmpfs_create(struct tnode *dir, const char *name, size_t len, uint32_t mode, uint32_t rdev,
		 struct tnode **out);
int tmpfs_symlink(struct tnode *dir, const char *name, size_t len, const char *target,
		  struct tnode **out);
/* A new hard link to target (not a directory: -EPERM). */
int tmpfs_link(struct tnode *dir, const char *name, size_t len, struct tnode *target);
/* Remove an entry: is_dir selects rmdir semantics (-ENOTDIR for a non-directory,
 * -ENOTEMPTY) versus unlink (-EISDIR for a directory). "." and ".." give -EINVAL/-ENOTEMPTY
 * like Linux (rmdir "." is -EINVAL). */
int tmpfs_unlink(struct tnode *dir, const char *name, size_t len, bool is_dir);
/* rename(2)/renameat2 semantics, flags RENAME_NOREPLACE (1) and RENAME_EXCHANGE (2):
 * replacing a non-empty directory -ENOTEMPTY, directory over non-directory -ENOTDIR,
 * non-directory over directory -EISDIR, a directory into its own subtree -EINVAL,
 * same node: no-op 0. */
int tmpfs_rename(struct tnode *odir, const char *oname, size_t olen,
		 struct tnode *ndir, const char *nname, size_t nlen, unsigned flags);
/* The entry after *cookie (0 = start; "." and ".." come first): 1 and *out, 0 at the end. */
int tmpfs_readdir(struct tnode *dir, uint64_t cookie, struct tmpfs_dirent *out);
/* The parent of a directory (the root is its own parent). */
struct tnode *tmpfs_parent(struct tnode *dir);

/* File contents (regular files): bytes read (0 at/after EOF), bytes written (-ENOMEM if
 * none could be), -EISDIR / -EINVAL for other types. Writing past EOF zero-fills the gap. */
long tmpfs_read(struct tnode *f, uint64_t off, void *buf, size_t len);
/* Like tmpfs_read without the copy: *data points at the bytes in the file (valid until the
 * file next changes). */
long tmpfs_read_ptr(struct tnode *f, uint64_t off, size_t len, const void **data);
long tmpfs_write(struct tnode *f, uint64_t off, const void *buf, size_t len);
/* tmpfs_write in two steps, for bytes that come from elsewhere: make room for len bytes at
 * off (as tmpfs_write: gap zero-filled, short if memory ran out, -EFBIG...), *data pointing
 * there; then tmpfs_write_done with how many of those room bytes were written (0 if the
 * copy failed): the size grows by those, and the rest past the end is zero again. */
long tmpfs_write_ptr(struct tnode *f, uint64_t off, size_t len, void **data);
void tmpfs_write_done(struct tnode *f, uint64_t off, size_t n, size_t room);
int tmpfs_truncate(struct tnode *f, uint64_t size);
/* Move regular file f's data to a page window (once; it stays there): the window's id,
 * -ENODEV for other types, -ENOMEM / -EFBIG. In a window, the bytes in [size, cap) may
 * hold what a mapper wrote past the end; they are zeroed before the file grows over them. */
long tmpfs_file_window(struct tnode *f);
/* The symlink's target (NUL-terminated, borrowed); NULL for other types. */
const char *tmpfs_readlink(struct tnode *n);

void tmpfs_stat(struct tnode *n, struct tmpfs_stat *st);
uint32_t tmpfs_mode(struct tnode *n);		/* S_IF* | perm */
void tmpfs_set_mode(struct tnode *n, uint32_t perm);	/* permission bits only (07777) */
void tmpfs_set_owner(struct tnode *n, uint32_t uid, uint32_t gid);
void tmpfs_set_times(struct tnode *n, int64_t atime_ns, int64_t mtime_ns);	/* -1: leave */
/* A pointer the vfs may attach to a node (a FIFO's pipe, a mount covering a directory). */
void *tmpfs_private(struct tnode *n);
void tmpfs_set_private(struct tnode *n, void *p);
struct tmpfs *tmpfs_fs(struct tnode *n);
