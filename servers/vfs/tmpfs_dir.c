/* tmpfs directories (tmpfs.h): an array of entries kept in the order they were added,
 * each with a cookie that only grows, so readdir continues correctly after deletions
 * (a binary search for the first cookie past the caller's). Lookups are linear.
 * Link counts: one per entry for non-directories; 2 + subdirectories for directories.
 * A removed directory has nlink 0, no entries and is its own parent. */
#include "tmpfs_node.h"

#define DIR_MIN_CAP 8
#define SYMLINK_MAX 4095	/* PATH_MAX_LEN - 1: a longer target is -ENAMETOOLONG */
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2

static bool is_dir(const struct tnode *n)
{
	return S_ISDIR_(n->mode);
}

static bool is_dot(const char *name, size_t len)
{
	return len == 1 && name[0] == '.';
}

static bool is_dotdot(const char *name, size_t len)
{
	return len == 2 && name[0] == '.' && name[1] == '.';
}

/* Check an entry name: 0, -ENOENT (empty), -ENAMETOOLONG or -EINVAL (contains '/'). */
static int check_name(const char *name, size_t len)
{
	if (len == 0)
		return -ENOENT;
	if (len > TMPFS_NAME_MAX)
		return -ENAMETOOLONG;
	for (size_t i = 0; i < len; i++)
		if (name[i] == '/')
			return -EINVAL;
	return 0;
}

/* Index of the entry called name in dir, or -1. */
static long dir_find(const struct tnode *dir, const char *name, size_t len)
{
	for (size_t i = 0; i < dir->u.dir.count; i++) {
		const struct tdirent *de = dir->u.dir.ents[i];
		if (de->len == len && !memcmp(de->name, name, len))
			return (long)i;
	}
	return -1;
}

/* Make room for one more entry in dir. 0, or -ENOMEM with dir unchanged. */
static int dir_reserve(struct tnode *dir)
{
	size_t cap = dir->u.dir.cap ? dir->u.dir.cap * 2 : DIR_MIN_CAP;
	struct tdirent **ents;

	if (dir->u.dir.count < dir->u.dir.cap)
		return 0;
	ents = vfs_alloc(cap * sizeof(*ents));
	if (!ents)
		return -ENOMEM;
	if (dir->u.dir.count)
		memcpy(ents, dir->u.dir.ents, dir->u.dir.count * sizeof(*ents));
	vfs_free(dir->u.dir.ents);
	dir->u.dir.ents = ents;
	dir->u.dir.cap = cap;
	return 0;
}

/* A new entry (no cookie yet) naming n. NULL if no memory. */
static struct tdirent *dirent_new(const char *name, size_t len, struct tnode *n)
{
	struct tdirent *de = vfs_alloc(sizeof(*de) + len + 1);

	if (!de)
		return NULL;
	de->node = n;
	de->cookie = 0;
	de->len = (uint16_t)len;
	memcpy(de->name, name, len);
	de->name[len] = '\0';
	return de;
}

/* Append de to dir (room reserved) with the next cookie. */
static void dir_append(struct tnode *dir, struct tdirent *de)
{
	de->cookie = dir->u.dir.next_cookie++;
	dir->u.dir.ents[dir->u.dir.count++] = de;
}

/* Remove and free entry i of dir, keeping the others in cookie order. */
static void dir_remove_at(struct tnode *dir, size_t i)
{
	vfs_free(dir->u.dir.ents[i]);
	for (; i + 1 < dir->u.dir.count; i++)
		dir->u.dir.ents[i] = dir->u.dir.ents[i + 1];
	dir->u.dir.count--;
}

/* Add an entry name -> n to dir (whose mtime/ctime become now). 0, or -ENOMEM with
 * nothing changed but possibly a larger entry array. */
static int add_entry(struct tnode *dir, const char *name, size_t len, struct tnode *n)
{
	struct tdirent *de;

	if (dir_reserve(dir) < 0)
		return -ENOMEM;
	de = dirent_new(name, len, n);
	if (!de)
		return -ENOMEM;
	dir_append(dir, de);
	tnode_touch(dir);
	return 0;
}

/* Checks before adding name to dir: 0, -ENOTDIR, -ENOENT (bad name or dir removed),
 * -ENAMETOOLONG, -EINVAL, -EEXIST (also for "." and ".."). */
static int check_new(const struct tnode *dir, const char *name, size_t len)
{
	int r;

	if (!is_dir(dir))
		return -ENOTDIR;
	r = check_name(name, len);
	if (r)
		return r;
	if (is_dot(name, len) || is_dotdot(name, len))
		return -EEXIST;
	if (dir->nlink == 0)
		return -ENOENT;
	return dir_find(dir, name, len) >= 0 ? -EEXIST : 0;
}

/* Take away one link of n, which was an entry of parent; frees n if nothing holds it. */
static void drop_link(struct tnode *parent, struct tnode *n)
{
	if (is_dir(n)) {
		n->nlink = 0;
		n->u.dir.parent = n;
		parent->nlink--;
	} else {
		n->nlink--;
	}
	n->ctime = vfs_now_ns();
	tnode_maybe_free(n);
}

/* Look name up in dir ("." and ".." included): 0 and a borrowed *out, -ENOTDIR,
 * -ENOENT, -ENAMETOOLONG, -EINVAL. */
int tmpfs_lookup(struct tnode *dir, const char *name, size_t len, struct tnode **out)
{
	long i;
	int r;

	if (!is_dir(dir))
		return -ENOTDIR;
	r = check_name(name, len);
	if (r)
		return r;
	if (dir->nlink == 0)
		return -ENOENT;
	if (is_dot(name, len) || is_dotdot(name, len)) {
		*out = is_dot(name, len) ? dir : dir->u.dir.parent;
		return 0;
	}
	i = dir_find(dir, name, len);
	if (i < 0)
		return -ENOENT;
	*out = dir->u.dir.ents[i]->node;
	return 0;
}

/* The node type of a create mode: S_IFREG for type 0 (like mknod), 0 if not creatable. */
static uint32_t create_type(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case 0:
		return S_IFREG;
	case S_IFREG: case S_IFDIR: case S_IFIFO: case S_IFCHR: case S_IFBLK: case S_IFSOCK:
		return mode & S_IFMT;
	default:
		return 0;
	}
}

/* Link the new node n into dir under name, number it and count its links; on failure
 * free n. 0 and *out (if out), or -ENOMEM. */
static int commit_new(struct tnode *dir, const char *name, size_t len, struct tnode *n,
		      struct tnode **out)
{
	if (add_entry(dir, name, len, n) < 0) {
		tnode_free(n);
		return -ENOMEM;
	}
	tnode_number(n);
	if (is_dir(n))
		dir->nlink++;
	if (out)
		*out = n;
	return 0;
}

/* Make a file, directory, FIFO, socket or device (mode = type | perm). 0 and the
 * borrowed *out, or -ENOTDIR, -ENOENT, -ENAMETOOLONG, -EEXIST, -EINVAL (symlink or
 * unknown type), -ENOMEM. */
int tmpfs_create(struct tnode *dir, const char *name, size_t len, uint32_t mode, uint32_t rdev,
		 struct tnode **out)
{
	uint32_t type = create_type(mode);
	struct tnode *n;
	int r = check_new(dir, name, len);

	if (r)
		return r;
	if (!type)
		return -EINVAL;
	n = tnode_alloc(dir->fs, type | (mode & 07777));
	if (!n)
		return -ENOMEM;
	if (type == S_IFDIR) {
		n->nlink = 2;
		n->u.dir.parent = dir;
		n->u.dir.next_cookie = DIR_FIRST_COOKIE;
	} else {
		n->nlink = 1;
		if (type == S_IFCHR || type == S_IFBLK)
			n->rdev = rdev;
	}
	return commit_new(dir, name, len, n, out);
}

/* Make a symlink (mode 0777) to target. 0 and *out, or the errors of tmpfs_create,
 * -ENOENT for an empty target, -ENAMETOOLONG for one of PATH_MAX bytes or more. */
int tmpfs_symlink(struct tnode *dir, const char *name, size_t len, const char *target,
		  struct tnode **out)
{
	size_t tlen = strlen(target);
	struct tnode *n;
	int r = check_new(dir, name, len);

	if (r)
		return r;
	if (tlen == 0)
		return -ENOENT;
	if (tlen > SYMLINK_MAX)
		return -ENAMETOOLONG;
	n = tnode_alloc(dir->fs, S_IFLNK | 0777);
	if (!n)
		return -ENOMEM;
	n->u.link.target = vfs_alloc(tlen + 1);
	if (!n->u.link.target) {
		tnode_free(n);
		return -ENOMEM;
	}
	memcpy(n->u.link.target, target, tlen + 1);
	n->u.link.len = tlen;
	n->nlink = 1;
	return commit_new(dir, name, len, n, out);
}

/* A new entry for the existing non-directory target. 0, the errors of tmpfs_create,
 * -EPERM for a directory, -EXDEV across file systems, -ENOENT if target has no link
 * left (unlinked but open). */
int tmpfs_link(struct tnode *dir, const char *name, size_t len, struct tnode *target)
{
	int r = check_new(dir, name, len);

	if (r)
		return r;
	if (is_dir(target))
		return -EPERM;
	if (target->fs != dir->fs)
		return -EXDEV;
	if (target->nlink == 0)
		return -ENOENT;
	if (add_entry(dir, name, len, target) < 0)
		return -ENOMEM;
	target->nlink++;
	target->ctime = vfs_now_ns();
	return 0;
}

/* Remove an entry (unlink, or rmdir if is_dir). 0, -ENOTDIR, -ENOENT, -ENAMETOOLONG,
 * -EISDIR, -ENOTEMPTY, -EINVAL (rmdir "."; unlink of "." or ".." is -EISDIR). */
int tmpfs_unlink(struct tnode *dir, const char *name, size_t len, bool is_dir_op)
{
	struct tnode *n;
	long i;
	int r;

	if (!is_dir(dir))
		return -ENOTDIR;
	r = check_name(name, len);
	if (r)
		return r;
	if (is_dot(name, len) || is_dotdot(name, len)) {
		if (!is_dir_op)
			return -EISDIR;
		return is_dot(name, len) ? -EINVAL : -ENOTEMPTY;
	}
	i = dir_find(dir, name, len);
	if (i < 0)
		return -ENOENT;
	n = dir->u.dir.ents[i]->node;
	if (is_dir_op && !is_dir(n))
		return -ENOTDIR;
	if (is_dir_op && n->u.dir.count)
		return -ENOTEMPTY;
	if (!is_dir_op && is_dir(n))
		return -EISDIR;
	dir_remove_at(dir, (size_t)i);
	tnode_touch(dir);
	drop_link(dir, n);
	return 0;
}

/* true if dir is anc or inside it (walking up the parents). */
static bool is_within(const struct tnode *dir, const struct tnode *anc)
{
	for (;;) {
		if (dir == anc)
			return true;
		if (dir->u.dir.parent == dir)
			return false;
		dir = dir->u.dir.parent;
	}
}

/* Move directory d from old parent op to np (link counts, parent pointer). */
static void reparent(struct tnode *d, struct tnode *op, struct tnode *np)
{
	if (!is_dir(d) || op == np)
		return;
	op->nlink--;
	np->nlink++;
	d->u.dir.parent = np;
}

/* rename to a free name: a new entry in ndir, then the old one goes. 0, -ENOENT (ndir
 * removed) or -ENOMEM (nothing changed). */
static int rename_move(struct tnode *odir, size_t oi, struct tnode *ndir, const char *nname,
		       size_t nlen)
{
	struct tnode *src = odir->u.dir.ents[oi]->node;
	struct tdirent *de;

	if (ndir->nlink == 0)
		return -ENOENT;
	if (dir_reserve(ndir) < 0)
		return -ENOMEM;
	de = dirent_new(nname, nlen, src);
	if (!de)
		return -ENOMEM;
	dir_remove_at(odir, oi);
	dir_append(ndir, de);
	reparent(src, odir, ndir);
	return 0;
}

/* rename over the existing entry ni of ndir (a different node): the entry now names
 * the source, whose old entry goes, and the replaced node loses its link. */
static int rename_replace(struct tnode *odir, size_t oi, struct tnode *ndir, size_t ni)
{
	struct tnode *src = odir->u.dir.ents[oi]->node;
	struct tnode *dst = ndir->u.dir.ents[ni]->node;

	if (is_dir(src) && !is_dir(dst))
		return -ENOTDIR;
	if (!is_dir(src) && is_dir(dst))
		return -EISDIR;
	if (is_dir(dst) && dst->u.dir.count)
		return -ENOTEMPTY;
	ndir->u.dir.ents[ni]->node = src;
	dir_remove_at(odir, oi);
	drop_link(ndir, dst);
	reparent(src, odir, ndir);
	return 0;
}

/* RENAME_EXCHANGE: the two entries swap nodes. */
static int rename_exchange(struct tnode *odir, size_t oi, struct tnode *ndir, size_t ni)
{
	struct tnode *src = odir->u.dir.ents[oi]->node;
	struct tnode *dst = ndir->u.dir.ents[ni]->node;

	odir->u.dir.ents[oi]->node = dst;
	ndir->u.dir.ents[ni]->node = src;
	reparent(src, odir, ndir);
	reparent(dst, ndir, odir);
	dst->ctime = vfs_now_ns();
	return 0;
}

/* Argument checks of rename: 0, -EINVAL (flags), -ENOTDIR, -ENOENT / -ENAMETOOLONG /
 * -EINVAL (names), -EBUSY ("." or ".."), -EXDEV. */
static int rename_check(struct tnode *odir, const char *oname, size_t olen,
			struct tnode *ndir, const char *nname, size_t nlen, unsigned flags)
{
	int r;

	if ((flags & ~(unsigned)(RENAME_NOREPLACE | RENAME_EXCHANGE)) ||
	    flags == (RENAME_NOREPLACE | RENAME_EXCHANGE))
		return -EINVAL;
	if (!is_dir(odir) || !is_dir(ndir))
		return -ENOTDIR;
	if ((r = check_name(oname, olen)) || (r = check_name(nname, nlen)))
		return r;
	if (is_dot(oname, olen) || is_dotdot(oname, olen) || is_dot(nname, nlen) ||
	    is_dotdot(nname, nlen))
		return -EBUSY;
	return odir->fs == ndir->fs ? 0 : -EXDEV;
}

/* rename(2)/renameat2: see tmpfs.h. Errors leave both directories unchanged. */
int tmpfs_rename(struct tnode *odir, const char *oname, size_t olen,
		 struct tnode *ndir, const char *nname, size_t nlen, unsigned flags)
{
	struct tnode *src, *dst = NULL;
	long oi, ni;
	int r = rename_check(odir, oname, olen, ndir, nname, nlen, flags);

	if (r)
		return r;
	oi = dir_find(odir, oname, olen);
	if (oi < 0)
		return -ENOENT;
	src = odir->u.dir.ents[oi]->node;
	ni = dir_find(ndir, nname, nlen);
	if (ni >= 0)
		dst = ndir->u.dir.ents[ni]->node;
	if (dst && (flags & RENAME_NOREPLACE))
		return -EEXIST;
	if (!dst && (flags & RENAME_EXCHANGE))
		return -ENOENT;
	if (is_dir(src) && is_within(ndir, src))
		return -EINVAL;
	if (dst && (flags & RENAME_EXCHANGE) && is_dir(dst) && is_within(odir, dst))
		return -EINVAL;
	if (dst == src)
		return 0;
	if (flags & RENAME_EXCHANGE)
		r = rename_exchange(odir, (size_t)oi, ndir, (size_t)ni);
	else if (dst)
		r = rename_replace(odir, (size_t)oi, ndir, (size_t)ni);
	else
		r = rename_move(odir, (size_t)oi, ndir, nname, nlen);
	if (r)
		return r;
	src->ctime = vfs_now_ns();
	tnode_touch(odir);
	tnode_touch(ndir);
	return 0;
}

/* The first entry of dir with a cookie above c, or NULL (binary search). */
static struct tdirent *dir_after(const struct tnode *dir, uint64_t c)
{
	size_t lo = 0, hi = dir->u.dir.count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (dir->u.dir.ents[mid]->cookie <= c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < dir->u.dir.count ? dir->u.dir.ents[lo] : NULL;
}

/* Fill *out with one entry. */
static void fill_dirent(struct tmpfs_dirent *out, const struct tnode *n, const char *name,
			size_t len, uint64_t next)
{
	out->ino = n->ino;
	out->next_cookie = next;
	out->type = (uint8_t)((n->mode & S_IFMT) >> 12);
	memcpy(out->name, name, len);
	out->name[len] = '\0';
}

/* The entry after cookie (0: start with "." then ".."): 1 and *out, 0 at the end,
 * -ENOTDIR, -ENOENT for a removed directory. */
int tmpfs_readdir(struct tnode *dir, uint64_t cookie, struct tmpfs_dirent *out)
{
	struct tdirent *de;

	if (!is_dir(dir))
		return -ENOTDIR;
	if (dir->nlink == 0)
		return -ENOENT;
	if (cookie == 0) {
		fill_dirent(out, dir, ".", 1, 1);
		return 1;
	}
	if (cookie == 1) {
		fill_dirent(out, dir->u.dir.parent, "..", 2, 2);
		return 1;
	}
	de = dir_after(dir, cookie);
	if (!de)
		return 0;
	fill_dirent(out, de->node, de->name, de->len, de->cookie);
	return 1;
}

/* The parent of directory dir (the root, and a removed directory, are their own);
 * NULL if dir is not a directory. */
struct tnode *tmpfs_parent(struct tnode *dir)
{
	return is_dir(dir) ? dir->u.dir.parent : NULL;
}

/* Whether n or anything below it is referenced (tmpfs_get: an open file, a working
 * directory, a mount point). */
static bool tree_referenced(const struct tnode *n)
{
	if (n->refs)
		return true;
	if (is_dir((struct tnode *)n))
		for (size_t i = 0; i < n->u.dir.count; i++)
			if (tree_referenced(n->u.dir.ents[i]->node))
				return true;
	return false;
}

/* Free directory dir, its entries and every node only they link to. */
static void tree_free(struct tnode *dir)
{
	for (size_t i = 0; i < dir->u.dir.count; i++) {
		struct tnode *n = dir->u.dir.ents[i]->node;
		vfs_free(dir->u.dir.ents[i]);
		if (is_dir(n))
			tree_free(n);
		else if (--n->nlink == 0)
			tnode_free(n);
	}
	dir->u.dir.count = 0;
	tnode_free(dir);
}

int tmpfs_destroy(struct tmpfs *fs)
{
	if (tree_referenced(fs->root))
		return -EBUSY;
	tree_free(fs->root);
	vfs_free(fs);
	return 0;
}
