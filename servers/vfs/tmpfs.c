/* tmpfs nodes and file contents (tmpfs.h); directories and rename are in tmpfs_dir.c.
 * A node lives while it has a link (nlink > 0) or a reference (tmpfs_get); the last of
 * the two to go frees it. Regular file data is one buffer grown geometrically; the
 * bytes between the size and the allocated capacity are always zero, so growing a file
 * (write past EOF, truncate up) never has to clear old memory. */
#include "tmpfs_node.h"

#define FILE_MIN_CAP 64
#define FILE_MAX_SIZE ((uint64_t)SIZE_MAX / 2)	/* larger offsets are -EFBIG */

/* A new node of fs with mode (type | perm), timestamps now, no links. NULL if no memory. */
struct tnode *tnode_alloc(struct tmpfs *fs, uint32_t mode)
{
	struct tnode *n = vfs_alloc(sizeof(*n));
	int64_t now = vfs_now_ns();

	if (!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->fs = fs;
	n->mode = mode;
	n->atime = n->mtime = n->ctime = now;
	return n;
}

/* Give n (fully built) its inode number. Numbers are only consumed by nodes that end up
 * linked, so a failed create does not leave a gap. */
void tnode_number(struct tnode *n)
{
	n->ino = n->fs->next_ino++;
}

/* Free n and what it owns (a directory must be empty). */
void tnode_free(struct tnode *n)
{
	if (S_ISDIR_(n->mode))
		vfs_free(n->u.dir.ents);
	else if (S_ISLNK_(n->mode))
		vfs_free(n->u.link.target);
	else if (S_ISREG_(n->mode) && n->u.file.win)
		vfs_window_put(n->u.file.win);
	else if (S_ISREG_(n->mode))
		vfs_free(n->u.file.data);
	vfs_free(n);
}

/* Free n if it has neither links nor references left. */
void tnode_maybe_free(struct tnode *n)
{
	if (n->nlink == 0 && n->refs == 0 && n != n->fs->root)
		tnode_free(n);
}

/* Set mtime and ctime of n to now. */
void tnode_touch(struct tnode *n)
{
	n->mtime = n->ctime = vfs_now_ns();
}

/* A new, empty file system whose root directory has mode S_IFDIR | perm, inode 1.
 * NULL if no memory. tmpfs_destroy (tmpfs_dir.c) frees it. */
struct tmpfs *tmpfs_new(uint32_t perm, uint32_t dev_id)
{
	struct tmpfs *fs = vfs_alloc(sizeof(*fs));

	if (!fs)
		return NULL;
	memset(fs, 0, sizeof(*fs));
	fs->dev = dev_id;
	fs->next_ino = 1;
	fs->root = tnode_alloc(fs, S_IFDIR | (perm & 07777));
	if (!fs->root) {
		vfs_free(fs);
		return NULL;
	}
	tnode_number(fs->root);
	fs->root->nlink = 2;
	fs->root->u.dir.parent = fs->root;
	fs->root->u.dir.next_cookie = DIR_FIRST_COOKIE;
	return fs;
}

/* The root directory of fs. */
struct tnode *tmpfs_root(struct tmpfs *fs)
{
	return fs->root;
}

/* The device id given to tmpfs_new. */
uint32_t tmpfs_dev(struct tmpfs *fs)
{
	return fs->dev;
}

/* Take a reference on n: it stays valid (readable, writable) even once unlinked. */
void tmpfs_get(struct tnode *n)
{
	n->refs++;
}

/* Drop a reference; frees n if that was the last and it has no link left. */
void tmpfs_put(struct tnode *n)
{
	n->refs--;
	tnode_maybe_free(n);
}

/* -EISDIR for a directory, -EINVAL for any other non-regular node, else 0. */
static int check_regular(const struct tnode *f)
{
	if (S_ISDIR_(f->mode))
		return -EISDIR;
	return S_ISREG_(f->mode) ? 0 : -EINVAL;
}

/* Move file f's data to a new buffer of cap bytes (cap >= size; the tail zeroed).
 * 0, or -ENOMEM with f unchanged. cap 0 frees the buffer. */
static int file_realloc(struct tnode *f, size_t cap)
{
	unsigned char *d = NULL;

	if (cap) {
		d = vfs_alloc(cap);
		if (!d)
			return -ENOMEM;
		if (f->u.file.size)
			memcpy(d, f->u.file.data, f->u.file.size);
		memset(d + f->u.file.size, 0, cap - f->u.file.size);
	}
	vfs_free(f->u.file.data);
	f->u.file.data = d;
	f->u.file.cap = cap;
	return 0;
}

/* Make f's capacity at least need bytes: doubling, or exactly need if doubling fails.
 * 0, or -ENOMEM with f unchanged. */
static int file_reserve(struct tnode *f, size_t need)
{
	size_t cap = f->u.file.cap;
	long r;

	if (need <= cap)
		return 0;
	if (f->u.file.win) {	/* pages are added in place */
		r = vfs_window_resize(f->u.file.win, need);
		if (r < 0)
			return (int)r;
		f->u.file.cap = (size_t)r;
		return 0;
	}
	cap = cap < FILE_MIN_CAP ? FILE_MIN_CAP : cap;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if (file_realloc(f, cap) == 0)
		return 0;
	return file_realloc(f, need);
}

/* Read up to len bytes at off: the count (0 at/after EOF), -EISDIR or -EINVAL. */
long tmpfs_read_ptr(struct tnode *f, uint64_t off, size_t len, const void **data)
{
	int r = check_regular(f);

	if (r)
		return r;
	if (off >= f->u.file.size)
		return 0;
	if (len > f->u.file.size - off)
		len = f->u.file.size - off;
	if (len > (size_t)LONG_MAX_)
		len = (size_t)LONG_MAX_;
	*data = f->u.file.data + off;
	return (long)len;
}

long tmpfs_read(struct tnode *f, uint64_t off, void *buf, size_t len)
{
	const void *data;
	long n = tmpfs_read_ptr(f, off, len, &data);

	if (n > 0)
		memcpy(buf, data, (size_t)n);
	return n;
}

long tmpfs_write_ptr(struct tnode *f, uint64_t off, size_t len, void **data)
{
	int r = check_regular(f);
	size_t old_cap;

	if (r)
		return r;
	if (len == 0)
		return 0;
	if (len > (size_t)LONG_MAX_)
		len = (size_t)LONG_MAX_;
	if (off >= FILE_MAX_SIZE)
		return -EFBIG;
	if (len > FILE_MAX_SIZE - off)
		len = (size_t)(FILE_MAX_SIZE - off);
	old_cap = f->u.file.cap;
	r = file_reserve(f, (size_t)off + len);
	if (r < 0) {
		if (off >= f->u.file.cap)
			return r == -EFBIG ? -EFBIG : -ENOMEM;
		len = f->u.file.cap - (size_t)off;	/* what fits: the gap is already 0 */
	}
	if (f->u.file.win && off > f->u.file.size)	/* a mapper may have written there */
		memset(f->u.file.data + f->u.file.size, 0,
		       (off < old_cap ? (size_t)off : old_cap) - f->u.file.size);
	*data = f->u.file.data + off;
	return (long)len;
}

void tmpfs_write_done(struct tnode *f, uint64_t off, size_t n, size_t room)
{
	size_t end = (size_t)off + room, from = (size_t)off + n;

	if (from < f->u.file.size)
		from = f->u.file.size;
	if (from < end)		/* what was not written stays past EOF: zero again */
		memset(f->u.file.data + from, 0, end - from);
	if (!n)
		return;
	if (off + n > f->u.file.size)
		f->u.file.size = (size_t)off + n;
	tnode_touch(f);
}

long tmpfs_write(struct tnode *f, uint64_t off, const void *buf, size_t len)
{
	void *data;
	long room = tmpfs_write_ptr(f, off, len, &data);

	if (room <= 0)
		return room;
	memcpy(data, buf, (size_t)room);
	tmpfs_write_done(f, off, (size_t)room, (size_t)room);
	return room;
}

/* truncate of a file in a page window: pages past the new size leave the window (and
 * every mapping: later accesses there fault); what remains past the size is zeroed. */
static int window_truncate(struct tnode *f, uint64_t size)
{
	size_t old = f->u.file.size, old_cap = f->u.file.cap;
	long cap = vfs_window_resize(f->u.file.win, (size_t)size);

	if (cap < 0)
		return (int)cap;
	f->u.file.cap = (size_t)cap;
	if (size < old)
		memset(f->u.file.data + size, 0, (size_t)cap - (size_t)size);
	else if (size > old)	/* a mapper may have written past the old end (new pages are 0) */
		memset(f->u.file.data + old, 0, (size < old_cap ? (size_t)size : old_cap) - old);
	f->u.file.size = (size_t)size;
	tnode_touch(f);
	return 0;
}

/* Set the size of regular file f: growing adds zeros, shrinking below a quarter of
 * the capacity gives memory back (best effort). 0, -EFBIG, -ENOMEM (f unchanged),
 * -EISDIR / -EINVAL. */
int tmpfs_truncate(struct tnode *f, uint64_t size)
{
	int r = check_regular(f);

	if (r)
		return r;
	if (size > FILE_MAX_SIZE)
		return -EFBIG;
	if (f->u.file.win)
		return window_truncate(f, size);
	if (size > f->u.file.size) {
		if (size > f->u.file.cap && file_realloc(f, (size_t)size) < 0)
			return -ENOMEM;
	} else {
		if (f->u.file.size > size)
			memset(f->u.file.data + size, 0, f->u.file.size - size);
		f->u.file.size = size;
		if (size == 0)
			file_realloc(f, 0);
		else if (size < f->u.file.cap / 4)
			file_realloc(f, (size_t)size);	/* on failure keep the larger one */
	}
	f->u.file.size = size;
	tnode_touch(f);
	return 0;
}

/* Move regular file f's data to a page window (once): its id, -ENODEV, -ENOMEM, -EFBIG. */
long tmpfs_file_window(struct tnode *f)
{
	void *base;
	size_t cap;
	long win;

	if (!S_ISREG_(f->mode))
		return -ENODEV;
	if (f->u.file.win)
		return f->u.file.win;
	win = vfs_window_new(f->u.file.size, &base, &cap);
	if (win < 0)
		return win;
	if (f->u.file.size)
		memcpy(base, f->u.file.data, f->u.file.size);
	vfs_free(f->u.file.data);
	f->u.file.data = base;
	f->u.file.cap = cap;
	f->u.file.win = win;
	return win;
}

/* The symlink's target (NUL-terminated, borrowed); NULL for other types. */
const char *tmpfs_readlink(struct tnode *n)
{
	return S_ISLNK_(n->mode) ? n->u.link.target : NULL;
}

/* Bytes allocated for n's contents. */
static uint64_t node_allocated(const struct tnode *n)
{
	if (S_ISREG_(n->mode))
		return n->u.file.cap;
	if (S_ISLNK_(n->mode))
		return n->u.link.len + 1;
	return 0;
}

/* Apparent size: file bytes, the link's length, 20 per directory entry (like Linux). */
static uint64_t node_size(const struct tnode *n)
{
	if (S_ISREG_(n->mode))
		return n->u.file.size;
	if (S_ISLNK_(n->mode))
		return n->u.link.len;
	if (S_ISDIR_(n->mode))
		return DIRENT_BOGO_SIZE * (n->u.dir.count + 2);
	return 0;
}

/* Fill *st from n. */
void tmpfs_stat(struct tnode *n, struct tmpfs_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->ino = n->ino;
	st->size = node_size(n);
	st->blocks = (node_allocated(n) + 511) / 512;
	st->mode = n->mode;
	st->nlink = n->nlink;
	st->uid = n->uid;
	st->gid = n->gid;
	st->rdev = n->rdev;
	st->atime_ns = n->atime;
	st->mtime_ns = n->mtime;
	st->ctime_ns = n->ctime;
}

/* The type and permission bits of n. */
uint32_t tmpfs_mode(struct tnode *n)
{
	return n->mode;
}

/* Replace the permission bits (07777) of n; updates ctime. */
void tmpfs_set_mode(struct tnode *n, uint32_t perm)
{
	n->mode = (n->mode & S_IFMT) | (perm & 07777);
	n->ctime = vfs_now_ns();
}

/* Set the owner of n; updates ctime. */
void tmpfs_set_owner(struct tnode *n, uint32_t uid, uint32_t gid)
{
	n->uid = uid;
	n->gid = gid;
	n->ctime = vfs_now_ns();
}

/* Set atime and/or mtime (-1 leaves one as it is); ctime becomes now. */
void tmpfs_set_times(struct tnode *n, int64_t atime_ns, int64_t mtime_ns)
{
	if (atime_ns != -1)
		n->atime = atime_ns;
	if (mtime_ns != -1)
		n->mtime = mtime_ns;
	n->ctime = vfs_now_ns();
}

/* The vfs's pointer attached to n (NULL until set). */
void *tmpfs_private(struct tnode *n)
{
	return n->priv;
}

/* Attach the vfs's pointer p to n. */
void tmpfs_set_private(struct tnode *n, void *p)
{
	n->priv = p;
}

/* The file system n belongs to. */
struct tmpfs *tmpfs_fs(struct tnode *n)
{
	return n->fs;
}
