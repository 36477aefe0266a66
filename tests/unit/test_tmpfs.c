/* Host unit test of servers/vfs/tmpfs.c and tmpfs_dir.c. Every block comes from a
 * tracking allocator, so a test can count what is live (a file system that has been
 * emptied again must hold exactly its root: 2 blocks plus the root's entry array) and
 * make the Nth allocation fail: each operation that runs out of memory must leave the
 * tree exactly as it was (compared through a text signature of the whole tree). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "tmpfs.h"
#include "relay/errno.h"

#ifndef EXDEV
#define EXDEV 18
#endif

#include "vfs_alloc.h"

static int lookup(struct tnode *dir, const char *name, struct tnode **out)
{
	return tmpfs_lookup(dir, name, strlen(name), out);
}

static int mk(struct tnode *dir, const char *name, uint32_t mode, struct tnode **out)
{
	return tmpfs_create(dir, name, strlen(name), mode, 0, out);
}

static int rm(struct tnode *dir, const char *name, bool is_dir)
{
	return tmpfs_unlink(dir, name, strlen(name), is_dir);
}

static int mv(struct tnode *od, const char *on, struct tnode *nd, const char *nn, unsigned fl)
{
	return tmpfs_rename(od, on, strlen(on), nd, nn, strlen(nn), fl);
}

static struct tmpfs_stat st_of(struct tnode *n)
{
	struct tmpfs_stat st;
	tmpfs_stat(n, &st);
	return st;
}

static bool is_dir(struct tnode *n)
{
	return (tmpfs_mode(n) & S_IFMT) == S_IFDIR;
}

/* Remove everything below dir. */
static void empty_tree(struct tnode *dir)
{
	struct tmpfs_dirent de;
	struct tnode *n;

	while (tmpfs_readdir(dir, 2, &de) == 1) {
		size_t len = strlen(de.name);
		if (tmpfs_lookup(dir, de.name, len, &n) != 0)
			return;
		if (is_dir(n))
			empty_tree(n);
		if (tmpfs_unlink(dir, de.name, len, is_dir(n)) != 0)
			return;
	}
}

/* Structural invariants of the tree under dir: entries found by lookup, directory
 * link counts and parents, sizes. The number of broken ones. */
static int tree_errors(struct tnode *dir)
{
	struct tmpfs_dirent de;
	struct tnode *n;
	uint64_t cookie = 2, entries = 0, subdirs = 0;
	int bad = 0;

	while (tmpfs_readdir(dir, cookie, &de) == 1) {
		cookie = de.next_cookie;
		entries++;
		if (tmpfs_lookup(dir, de.name, strlen(de.name), &n) != 0) {
			bad++;
			continue;
		}
		bad += st_of(n).ino != de.ino;
		if (is_dir(n)) {
			subdirs++;
			bad += tmpfs_parent(n) != dir;
			bad += tree_errors(n);
		}
	}
	bad += st_of(dir).nlink != 2 + subdirs;
	bad += st_of(dir).size != 20 * (entries + 2);
	return bad;
}

/* Append a text signature of the tree under dir (names, inodes, types, links, sizes,
 * file bytes checksum) to buf at *pos. */
static void signature(struct tnode *dir, char *buf, size_t cap, size_t *pos)
{
	struct tmpfs_dirent de;
	struct tnode *n;
	uint64_t cookie = 2;

	while (tmpfs_readdir(dir, cookie, &de) == 1 && *pos < cap) {
		unsigned char data[256];
		unsigned sum = 0;
		long got;
		cookie = de.next_cookie;
		tmpfs_lookup(dir, de.name, strlen(de.name), &n);
		struct tmpfs_stat st = st_of(n);
		for (uint64_t off = 0; (got = tmpfs_read(n, off, data, sizeof(data))) > 0; off += got)
			for (long i = 0; i < got; i++)
				sum = sum * 31 + data[i];
		*pos += snprintf(buf + *pos, cap - *pos, "%s:%llu:%o:%u:%llu:%u{", de.name,
				 (unsigned long long)st.ino, st.mode, st.nlink,
				 (unsigned long long)st.size, sum);
		if (is_dir(n))
			signature(n, buf, cap, pos);
		if (*pos < cap)
			*pos += snprintf(buf + *pos, cap - *pos, "}");
	}
}

static void test_create_lookup(void)
{
	struct tmpfs *fs = tmpfs_new(0755, 7);
	struct tnode *root = tmpfs_root(fs), *a, *d, *e, *n, *dev;
	char name[300];

	CHECK(st_of(root).ino == 1 && st_of(root).nlink == 2);
	CHECK(tmpfs_mode(root) == (S_IFDIR | 0755) && tmpfs_dev(fs) == 7);
	CHECK(tmpfs_parent(root) == root && tmpfs_fs(root) == fs);
	long base = alloc_live;
	int64_t t0 = st_of(root).mtime_ns;
	CHECK(mk(root, "a", S_IFREG | 0644, &a) == 0);
	CHECK(st_of(a).ino == 2 && st_of(a).nlink == 1 && tmpfs_mode(a) == (S_IFREG | 0644));
	CHECK(st_of(a).size == 0 && st_of(a).blocks == 0);
	CHECK(st_of(root).mtime_ns > t0 && st_of(root).ctime_ns == st_of(root).mtime_ns);
	CHECK(lookup(root, "a", &n) == 0 && n == a);
	CHECK(mk(root, "a", S_IFREG | 0644, &n) == -EEXIST);
	CHECK(mk(root, "a", S_IFDIR | 0755, &n) == -EEXIST);
	CHECK(mk(root, ".", S_IFDIR, &n) == -EEXIST && mk(root, "..", S_IFREG, &n) == -EEXIST);
	CHECK(mk(root, "l", S_IFLNK | 0777, &n) == -EINVAL);
	CHECK(lookup(root, "b", &n) == -ENOENT);
	CHECK(lookup(a, "b", &n) == -ENOTDIR && mk(a, "b", S_IFREG, &n) == -ENOTDIR);
	CHECK(tmpfs_lookup(root, "x", 0, &n) == -ENOENT);
	CHECK(tmpfs_lookup(root, "a/b", 3, &n) == -EINVAL);
	memset(name, 'n', sizeof(name));
	CHECK(tmpfs_lookup(root, name, 256, &n) == -ENAMETOOLONG);
	CHECK(tmpfs_create(root, name, 256, S_IFREG, 0, &n) == -ENAMETOOLONG);
	CHECK(tmpfs_create(root, name, 255, S_IFREG, 0, &n) == 0);
	CHECK(tmpfs_lookup(root, name, 255, &e) == 0 && e == n);
	CHECK(tmpfs_unlink(root, name, 255, false) == 0);
	CHECK(lookup(root, ".", &n) == 0 && n == root && lookup(root, "..", &n) == 0 && n == root);
	/* directories and link counts */
	CHECK(mk(root, "d", S_IFDIR | 0700, &d) == 0 && st_of(root).nlink == 3);
	CHECK(st_of(d).nlink == 2 && tmpfs_parent(d) == root);
	CHECK(mk(d, "e", S_IFDIR | 0700, &e) == 0 && st_of(d).nlink == 3);
	CHECK(st_of(root).nlink == 3 && tmpfs_parent(e) == d);
	CHECK(lookup(e, "..", &n) == 0 && n == d);
	CHECK(mk(d, "f", S_IFREG | 0600, NULL) == 0 && st_of(d).nlink == 3);
	CHECK(st_of(d).size == 20 * 4);
	CHECK(tmpfs_create(d, "dev", 3, S_IFCHR | 0666, 0x0501, &dev) == 0);
	CHECK(st_of(dev).rdev == 0x0501 && tmpfs_mode(dev) == (S_IFCHR | 0666));
	CHECK(mk(d, "fifo", S_IFIFO | 0600, &n) == 0 && st_of(n).rdev == 0);
	CHECK(mk(d, "plain", 0644, &n) == 0 && tmpfs_mode(n) == (S_IFREG | 0644));
	/* unlink / rmdir errors */
	CHECK(rm(root, "d", true) == -ENOTEMPTY && rm(root, "d", false) == -EISDIR);
	CHECK(rm(root, "a", true) == -ENOTDIR && rm(root, "zz", false) == -ENOENT);
	CHECK(rm(root, ".", true) == -EINVAL && rm(root, "..", true) == -ENOTEMPTY);
	CHECK(rm(root, ".", false) == -EISDIR && rm(a, "x", false) == -ENOTDIR);
	CHECK(rm(d, "e", true) == 0 && st_of(d).nlink == 2 && lookup(d, "e", &n) == -ENOENT);
	/* hard links */
	CHECK(tmpfs_link(d, "a2", 2, a) == 0 && st_of(a).nlink == 2);
	CHECK(tmpfs_link(d, "a2", 2, a) == -EEXIST && tmpfs_link(root, "d2", 2, d) == -EPERM);
	t0 = st_of(root).mtime_ns;
	CHECK(rm(root, "a", false) == 0 && st_of(a).nlink == 1);
	CHECK(st_of(root).mtime_ns > t0 && st_of(a).ctime_ns == st_of(root).mtime_ns + 1000);
	CHECK(lookup(d, "a2", &n) == 0 && n == a);
	CHECK(tree_errors(root) == 0);
	empty_tree(root);
	CHECK(st_of(root).nlink == 2 && st_of(root).size == 40);
	CHECK(alloc_live == base + 1);	/* the root's entry array remains */
	/* inode numbers are unique, never reused within an instance */
	CHECK(mk(root, "new", S_IFREG, &n) == 0 && st_of(n).ino == 10);
	struct tmpfs *fs2 = tmpfs_new(0700, 8);
	CHECK(fs2 && st_of(tmpfs_root(fs2)).ino == 1);
	CHECK(tmpfs_link(tmpfs_root(fs2), "x", 1, n) == -EXDEV);
	free_all();
}

static void test_file_io(void)
{
	struct tmpfs *fs = tmpfs_new(0755, 1);
	struct tnode *root = tmpfs_root(fs), *f, *d, *l, *p;
	unsigned char buf[20000];
	int bad = 0;

	CHECK(mk(root, "f", S_IFREG | 0644, &f) == 0);
	CHECK(mk(root, "d", S_IFDIR | 0755, &d) == 0 && mk(root, "p", S_IFIFO, &p) == 0);
	CHECK(tmpfs_symlink(root, "l", 1, "f", &l) == 0);
	int64_t t = st_of(f).mtime_ns;
	CHECK(tmpfs_write(f, 0, "hello", 5) == 5 && st_of(f).size == 5);
	CHECK(st_of(f).mtime_ns > t && st_of(f).ctime_ns == st_of(f).mtime_ns);
	CHECK(st_of(f).blocks >= 1);
	CHECK(tmpfs_read(f, 0, buf, sizeof(buf)) == 5 && !memcmp(buf, "hello", 5));
	CHECK(tmpfs_read(f, 1, buf, 2) == 2 && !memcmp(buf, "el", 2));
	CHECK(tmpfs_read(f, 5, buf, 1) == 0 && tmpfs_read(f, 1000, buf, 1) == 0);
	CHECK(tmpfs_write(f, 3, "", 0) == 0 && st_of(f).size == 5);
	/* a hole: zero-filled */
	CHECK(tmpfs_write(f, 10000, "xyz", 3) == 3 && st_of(f).size == 10003);
	CHECK(tmpfs_read(f, 0, buf, sizeof(buf)) == 10003);
	for (int i = 5; i < 10000; i++)
		bad += buf[i] != 0;
	CHECK(bad == 0 && !memcmp(buf + 10000, "xyz", 3) && !memcmp(buf, "hello", 5));
	CHECK(st_of(f).blocks >= 20 && st_of(f).blocks <= 80);
	/* overwrite inside */
	CHECK(tmpfs_write(f, 2, "LL", 2) == 2 && st_of(f).size == 10003);
	CHECK(tmpfs_read(f, 0, buf, 5) == 5 && !memcmp(buf, "heLLo", 5));
	/* truncate down then up: the cut bytes come back as zeros */
	t = st_of(f).mtime_ns;
	CHECK(tmpfs_truncate(f, 3) == 0 && st_of(f).size == 3 && st_of(f).mtime_ns > t);
	CHECK(st_of(f).blocks <= 1);	/* shrunk below a quarter: memory given back */
	CHECK(tmpfs_truncate(f, 10) == 0 && st_of(f).size == 10);
	CHECK(tmpfs_read(f, 0, buf, sizeof(buf)) == 10 && !memcmp(buf, "heL\0\0\0\0\0\0\0", 10));
	CHECK(tmpfs_truncate(f, 5000) == 0 && tmpfs_read(f, 0, buf, sizeof(buf)) == 5000);
	bad = 0;
	for (int i = 3; i < 5000; i++)
		bad += buf[i] != 0;
	CHECK(bad == 0 && st_of(f).blocks == 10);
	CHECK(tmpfs_truncate(f, 0) == 0 && st_of(f).size == 0 && st_of(f).blocks == 0);
	CHECK(tmpfs_write(f, 0, "ab", 2) == 2 && tmpfs_read(f, 0, buf, 9) == 2);
	/* other types */
	CHECK(tmpfs_read(d, 0, buf, 1) == -EISDIR && tmpfs_write(d, 0, "x", 1) == -EISDIR);
	CHECK(tmpfs_truncate(d, 0) == -EISDIR);
	CHECK(tmpfs_read(l, 0, buf, 1) == -EINVAL && tmpfs_write(p, 0, "x", 1) == -EINVAL);
	CHECK(tmpfs_truncate(l, 0) == -EINVAL);
	CHECK(tmpfs_write(f, UINT64_MAX - 1, "x", 1) == -EFBIG);
	CHECK(tmpfs_truncate(f, UINT64_MAX) == -EFBIG);
	CHECK(tmpfs_truncate(f, (uint64_t)1 << 40) == -ENOMEM && st_of(f).size == 2);
	/* metadata setters */
	tmpfs_set_mode(f, 04711);
	CHECK(tmpfs_mode(f) == (S_IFREG | 04711));
	tmpfs_set_mode(f, 0177777);
	CHECK(tmpfs_mode(f) == (S_IFREG | 07777));
	tmpfs_set_owner(f, 5, 6);
	CHECK(st_of(f).uid == 5 && st_of(f).gid == 6);
	tmpfs_set_times(f, 123, -1);
	CHECK(st_of(f).atime_ns == 123 && st_of(f).mtime_ns != 123);
	tmpfs_set_times(f, -1, 456);
	CHECK(st_of(f).atime_ns == 123 && st_of(f).mtime_ns == 456);
	CHECK(tmpfs_private(f) == NULL);
	tmpfs_set_private(f, buf);
	CHECK(tmpfs_private(f) == buf);
	free_all();
}

/* 1 MiB written 4 KiB at a time: a handful of reallocations, not one per write. */
static void test_big_file(void)
{
	struct tmpfs *fs = tmpfs_new(0755, 1);
	struct tnode *f;
	static unsigned char chunk[4096], back[1 << 20];
	int bad = 0, wrote = 0;

	CHECK(mk(tmpfs_root(fs), "big", S_IFREG | 0644, &f) == 0);
	long calls = alloc_calls;
	for (int i = 0; i < 256; i++) {
		memset(chunk, i, sizeof(chunk));
		wrote += tmpfs_write(f, (uint64_t)i * 4096, chunk, sizeof(chunk)) == 4096;
	}
	CHECK(wrote == 256 && st_of(f).size == 1 << 20);
	CHECK(alloc_calls - calls <= 20);
	CHECK(st_of(f).blocks >= 2048 && st_of(f).blocks <= 4096);
	CHECK(tmpfs_read(f, 0, back, sizeof(back)) == 1 << 20);
	for (int i = 0; i < 1 << 20; i++)
		bad += back[i] != (unsigned char)(i / 4096);
	CHECK(bad == 0);
	free_all();
}

/* Index of the name "f<i>" or -1. */
static int name_index(const char *s)
{
	return s[0] == 'f' ? atoi(s + 1) : -1;
}

static void test_readdir(void)
{
	struct tmpfs *fs = tmpfs_new(0755, 1);
	struct tnode *root = tmpfs_root(fs), *d;
	struct tmpfs_dirent de;
	static int seen[1000];
	uint64_t cookie = 0;
	char name[16];
	int n = 0, bad = 0, made = 0;

	CHECK(mk(root, "d", S_IFDIR | 0755, &d) == 0);
	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		made += mk(d, name, (i % 10 ? S_IFREG : S_IFDIR) | 0644, NULL) == 0;
	}
	CHECK(made == 1000 && st_of(d).nlink == 2 + 100);
	CHECK(tmpfs_readdir(d, 0, &de) == 1 && !strcmp(de.name, ".") && de.ino == st_of(d).ino);
	CHECK(de.type == S_IFDIR >> 12);
	CHECK(tmpfs_readdir(d, de.next_cookie, &de) == 1 && !strcmp(de.name, ".."));
	CHECK(de.ino == 1);
	cookie = de.next_cookie;
	while (tmpfs_readdir(d, cookie, &de) == 1) {
		int i = name_index(de.name);
		cookie = de.next_cookie;
		if (i < 0 || i >= 1000 || seen[i]++)
			bad++;
		if (i >= 0 && i < 1000)
			bad += de.type != ((i % 10 ? S_IFREG : S_IFDIR) >> 12);
		n++;
	}
	CHECK(n == 1000 && bad == 0);
	CHECK(tmpfs_readdir(d, cookie, &de) == 0);
	/* read half, delete seen and unseen entries, add some, continue */
	memset(seen, 0, sizeof(seen));
	cookie = 2;
	n = 0;
	for (int k = 0; k < 500; k++) {
		n += tmpfs_readdir(d, cookie, &de) == 1;
		cookie = de.next_cookie;
		seen[name_index(de.name)]++;
	}
	CHECK(n == 500);
	int removed = 0;
	for (int i = 0; i < 1000; i += 3) {
		snprintf(name, sizeof(name), "f%d", i);
		removed += rm(d, name, i % 10 == 0) == 0;
	}
	CHECK(removed == 334);
	CHECK(mk(d, "f1000", S_IFREG, NULL) == 0 && mk(d, "f1001", S_IFREG, NULL) == 0);
	n = 0;
	bad = 0;
	int last = -1;
	while (tmpfs_readdir(d, cookie, &de) == 1) {
		int i = name_index(de.name);
		cookie = de.next_cookie;
		n++;
		if (i < 1000 && (seen[i] || i % 3 == 0 || i <= last))
			bad++;
		last = i;
	}
	CHECK(bad == 0 && n == 500 - 167 + 2);	/* 500..999 minus the removed, plus 2 new */
	CHECK(st_of(d).size == 20 * (1000 - 334 + 2 + 2) && tree_errors(root) == 0);
	/* a stale cookie past everything, and a non-directory */
	CHECK(tmpfs_readdir(d, UINT64_MAX, &de) == 0);
	struct tnode *f;
	CHECK(lookup(d, "f1", &f) == 0 && tmpfs_readdir(f, 0, &de) == -ENOTDIR);
	empty_tree(d);
	CHECK(tmpfs_readdir(d, 2, &de) == 0 && st_of(d).nlink == 2);
	free_all();
}

static void test_rename(void)
{
	struct tmpfs *fs = tmpfs_new(0755, 1);
	struct tnode *r = tmpfs_root(fs), *a, *b, *d, *e, *x, *y, *n, *s;
	struct tmpfs_dirent de;

	CHECK(mk(r, "a", S_IFREG | 0644, &a) == 0 && mk(r, "b", S_IFREG | 0644, &b) == 0);
	CHECK(mk(r, "d", S_IFDIR | 0755, &d) == 0 && mk(d, "e", S_IFDIR | 0755, &e) == 0);
	CHECK(mk(r, "x", S_IFDIR | 0755, &x) == 0 && mk(r, "y", S_IFDIR | 0755, &y) == 0);
	CHECK(tmpfs_write(a, 0, "AAA", 3) == 3);
	/* file over file: b is gone (freed), "a" is gone, "b" names a */
	long live = alloc_live;
	int64_t t = st_of(r).mtime_ns;
	CHECK(mv(r, "a", r, "b", 0) == 0);
	CHECK(alloc_live == live - 2 && lookup(r, "a", &n) == -ENOENT);
	CHECK(lookup(r, "b", &n) == 0 && n == a && st_of(a).nlink == 1);
	CHECK(st_of(r).mtime_ns > t && st_of(a).ctime_ns > t);
	/* to itself, and between two links of one file: nothing happens */
	CHECK(mv(r, "b", r, "b", 0) == 0 && tmpfs_link(r, "b2", 2, a) == 0);
	CHECK(mv(r, "b", r, "b2", 0) == 0 && lookup(r, "b", &n) == 0 && st_of(a).nlink == 2);
	CHECK(mv(r, "b", r, "b2", 1) == -EEXIST);
	CHECK(rm(r, "b2", false) == 0);
	/* errors */
	CHECK(mv(r, "nope", r, "z", 0) == -ENOENT);
	CHECK(mv(r, "d", r, "b", 0) == -ENOTDIR && mv(r, "b", r, "d", 0) == -EISDIR);
	CHECK(mv(r, "d", d, "z", 0) == -EINVAL && mv(r, "d", e, "z", 0) == -EINVAL);
	CHECK(mv(r, "d", r, "x", 0) == 0);	/* dir over empty dir */
	CHECK(st_of(r).nlink == 2 + 2 && lookup(r, "x", &n) == 0 && n == d);
	CHECK(mv(r, "x", r, "y", 3) == -EINVAL && mv(r, "x", r, "y", 4) == -EINVAL);
	CHECK(mv(r, "y", r, "x", 0) == -ENOTEMPTY);	/* x (was d) holds e */
	CHECK(mv(r, ".", r, "z", 0) == -EBUSY && mv(r, "y", r, "..", 0) == -EBUSY);
	CHECK(mv(a, "y", r, "z", 0) == -ENOTDIR);
	CHECK(mv(r, "y", r, "q", 2) == -ENOENT);	/* EXCHANGE needs both */
	CHECK(mv(r, "y", r, "b", 1) == -EEXIST && mv(r, "y", r, "q", 1) == 0);
	CHECK(lookup(r, "q", &n) == 0 && n == y && lookup(r, "y", &n) == -ENOENT);
	/* move a directory down and back up: parents, "..", link counts */
	CHECK(mv(r, "q", e, "q", 0) == 0 && tmpfs_parent(y) == e);
	CHECK(st_of(r).nlink == 3 && st_of(e).nlink == 3);
	CHECK(lookup(y, "..", &n) == 0 && n == e);
	CHECK(tmpfs_readdir(y, 1, &de) == 1 && de.ino == st_of(e).ino);
	CHECK(mv(d, "e", y, "z", 0) == -EINVAL && mv(e, "q", e, "q", 0) == 0);
	CHECK(mv(e, "q", r, "y", 0) == 0 && tmpfs_parent(y) == r && st_of(e).nlink == 2);
	CHECK(tree_errors(r) == 0);
	/* EXCHANGE a file and a directory in different directories */
	CHECK(mk(e, "s", S_IFREG | 0644, &s) == 0);
	CHECK(mv(r, "y", e, "s", 2) == 0);
	CHECK(lookup(r, "y", &n) == 0 && n == s && lookup(e, "s", &n) == 0 && n == y);
	CHECK(tmpfs_parent(y) == e && st_of(e).nlink == 3 && st_of(r).nlink == 3);
	CHECK(mv(r, "x", e, "s", 2) == -EINVAL);	/* x holds e */
	CHECK(mv(e, "s", r, "x", 2) == -EINVAL);
	CHECK(mv(r, "y", e, "s", 2) == 0 && tmpfs_parent(y) == r && st_of(r).nlink == 4);
	CHECK(tree_errors(r) == 0);
	/* across file systems */
	struct tmpfs *fs2 = tmpfs_new(0755, 2);
	CHECK(mv(r, "b", tmpfs_root(fs2), "b", 0) == -EXDEV);
	/* a replaced file that is still open lives on */
	tmpfs_get(s);
	CHECK(mv(r, "b", e, "s", 0) == 0 && st_of(s).nlink == 0);
	CHECK(tmpfs_write(s, 0, "still", 5) == 5);
	tmpfs_put(s);
	CHECK(tree_errors(r) == 0);
	free_all();
}

static void test_unlink_open(void)
{
	struct tmpfs *fs = tmpfs_new(0755, 1);
	struct tnode *r = tmpfs_root(fs), *f, *d, *n;
	struct tmpfs_dirent de;
	char buf[8];
	long base = alloc_live;

	CHECK(mk(r, "f", S_IFREG | 0644, &f) == 0 && tmpfs_write(f, 0, "data", 4) == 4);
	tmpfs_get(f);
	tmpfs_get(f);
	CHECK(rm(r, "f", false) == 0 && lookup(r, "f", &n) == -ENOENT);
	CHECK(st_of(f).nlink == 0 && tmpfs_read(f, 0, buf, 8) == 4);
	CHECK(tmpfs_write(f, 4, "more", 4) == 4 && st_of(f).size == 8);
	CHECK(tmpfs_link(r, "g", 1, f) == -ENOENT);
	tmpfs_put(f);
	CHECK(tmpfs_read(f, 0, buf, 8) == 8 && !memcmp(buf, "datamore", 8));
	tmpfs_put(f);
	CHECK(alloc_live == base + 1);	/* only the root's entry array is new */
	/* a removed directory that is still someone's cwd */
	CHECK(mk(r, "d", S_IFDIR | 0755, &d) == 0);
	tmpfs_get(d);
	CHECK(rm(r, "d", true) == 0 && st_of(d).nlink == 0 && st_of(r).nlink == 2);
	CHECK(mk(d, "x", S_IFREG, &n) == -ENOENT && lookup(d, "..", &n) == -ENOENT);
	CHECK(tmpfs_readdir(d, 0, &de) == -ENOENT && tmpfs_parent(d) == d);
	CHECK(mv(r, "nothing", d, "x", 0) == -ENOENT);
	tmpfs_put(d);
	CHECK(alloc_live == base + 1);
	/* a referenced node that keeps its link is not freed by put */
	CHECK(mk(r, "h", S_IFREG, &f) == 0);
	tmpfs_get(f);
	tmpfs_put(f);
	CHECK(lookup(r, "h", &n) == 0 && n == f && st_of(f).nlink == 1);
	free_all();
}

static void test_symlink(void)
{
	struct tmpfs *fs = tmpfs_new(0755, 1);
	struct tnode *r = tmpfs_root(fs), *l, *f;
	static char target[4097];

	CHECK(tmpfs_symlink(r, "l", 1, "/some/where", &l) == 0);
	CHECK(!strcmp(tmpfs_readlink(l), "/some/where"));
	CHECK(tmpfs_mode(l) == (S_IFLNK | 0777) && st_of(l).size == 11 && st_of(l).nlink == 1);
	CHECK(tmpfs_symlink(r, "l", 1, "x", &f) == -EEXIST);
	CHECK(tmpfs_symlink(r, "e", 1, "", &f) == -ENOENT);
	memset(target, 'a', 4096);
	CHECK(tmpfs_symlink(r, "long", 4, target, &f) == -ENAMETOOLONG);
	target[4095] = '\0';
	CHECK(tmpfs_symlink(r, "long", 4, target, &f) == 0 && st_of(f).size == 4095);
	CHECK(mk(r, "file", S_IFREG, &f) == 0 && tmpfs_readlink(f) == NULL);
	CHECK(tmpfs_readlink(r) == NULL);
	CHECK(tmpfs_link(r, "l2", 2, l) == 0 && st_of(l).nlink == 2);
	CHECK(rm(r, "l", true) == -ENOTDIR && rm(r, "l", false) == 0 && rm(r, "l2", false) == 0);
	free_all();
}

/* The operations of the failure-injection run, one per step: 0 or -ENOMEM expected. */
static int inject_step(struct tnode *r, int step)
{
	static const char data[5000] = "payload";
	struct tnode *d = NULL, *f = NULL, *n = NULL;
	char name[16];

	lookup(r, "d", &d);
	switch (step) {
	case 0: return mk(r, "d", S_IFDIR | 0755, NULL);
	case 1: return mk(d, "f", S_IFREG | 0644, NULL);
	case 2: lookup(d, "f", &f); return tmpfs_write(f, 0, data, 100) == 100 ? 0 : -ENOMEM;
	case 3: lookup(d, "f", &f); return tmpfs_write(f, 3000, data, 5000) == 5000 ? 0 : -ENOMEM;
	case 4: lookup(d, "f", &f); return tmpfs_truncate(f, 100000);
	case 5: return tmpfs_symlink(r, "sl", 2, "d/f", NULL);
	case 6: lookup(d, "f", &f); return tmpfs_link(r, "hard", 4, f);
	case 7: return mv(d, "f", r, "moved", 0);
	case 8: return mv(r, "hard", r, "moved", 0);
	case 9: return mk(r, "e", S_IFDIR | 0700, NULL);
	case 10: return mv(r, "d", r, "e", 0);
	case 11: return mv(r, "sl", r, "e", 2);
	default:
		if (step >= 12 && step < 42) {
			snprintf(name, sizeof(name), "n%d", step);
			lookup(r, "sl", &n);
			return mk(n, name, (step & 1 ? S_IFDIR : S_IFREG) | 0700, NULL);
		}
		return 1;	/* done */
	}
}

/* Fail allocation k (k = 1, 2, ... until a run completes): the failing operation must
 * report -ENOMEM and change nothing; the tree stays consistent and, once emptied,
 * holds only what an empty file system holds. */
static void test_inject(void)
{
	static char before[65536], after[65536];
	int runs = 0, bad = 0, completed = 0;

	for (long k = 1; !completed && k < 1000; k++) {
		fail_in = k;
		fail_hit = 0;
		struct tmpfs *fs = tmpfs_new(0755, 1);
		if (!fs) {
			bad += !fail_hit || alloc_live != 0;
			continue;
		}
		struct tnode *r = tmpfs_root(fs);
		for (int step = 0;; step++) {
			size_t pb = 0, pa = 0;
			signature(r, before, sizeof(before), &pb);
			int res = inject_step(r, step);
			if (res == 1) {
				completed = !fail_hit;
				break;
			}
			if (res == -ENOMEM) {
				signature(r, after, sizeof(after), &pa);
				bad += !fail_hit || pa != pb || memcmp(before, after, pa);
				break;
			}
			bad += res != 0;
		}
		fail_in = 0;
		bad += tree_errors(r);
		long pre = alloc_live;
		empty_tree(r);
		bad += tree_errors(r) + (alloc_live > pre) + (alloc_live > 3);
		free_all();
		runs++;
	}
	CHECK(completed && runs > 20);
	CHECK(bad == 0);
	CHECK(alloc_live == 0);
}

/* A file moved to a page window (mmap): contents kept, heap buffer freed; junk a mapper
 * left past EOF never shows when the file grows (write past EOF, truncate up); truncate
 * down zeroes the rest of the last page; the window's limit is -EFBIG; the window is put
 * with the node. */
static void test_window(void)
{
	struct tmpfs *fs = tmpfs_new(0755, 1);
	struct tnode *f, *d;
	unsigned char buf[16384], *base;
	long live, win;

	win_enabled = 1;
	CHECK(mk(tmpfs_root(fs), "m", S_IFREG | 0644, &f) == 0);
	CHECK(mk(tmpfs_root(fs), "d", S_IFDIR | 0755, &d) == 0);
	CHECK(tmpfs_file_window(d) == -ENODEV);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i % 251 + 1);
	CHECK(tmpfs_write(f, 0, buf, 5000) == 5000);
	live = alloc_live;
	win = tmpfs_file_window(f);
	CHECK(win > 0 && tmpfs_file_window(f) == win && win_live == 1);
	CHECK(alloc_live == live - 1);	/* the heap buffer is gone */
	base = win_buf[win - 1];
	CHECK(memcmp(base, buf, 5000) == 0 && st_of(f).size == 5000);
	memset(base + 5000, 0x77, WIN_PAGE * 2 - 5000);	/* a mapper writes past EOF */
	CHECK(tmpfs_write(f, 6000, "x", 1) == 1);	/* the gap [5000, 6000) reads 0 */
	CHECK(tmpfs_read(f, 4999, buf, 1002) == 1002);
	CHECK(buf[0] == 4999 % 251 + 1 && buf[1] == 0 && buf[1000] == 0 && buf[1001] == 'x');
	CHECK(tmpfs_truncate(f, 8000) == 0);	/* truncate up over the junk */
	CHECK(tmpfs_read(f, 6001, buf, 2000) == 1999 && buf[0] == 0 && buf[1998] == 0);
	CHECK(tmpfs_truncate(f, 100) == 0 && win_backed[win - 1] == WIN_PAGE);
	CHECK(base[100] == 0 && base[WIN_PAGE - 1] == 0);	/* no stale data in the last page */
	CHECK(tmpfs_truncate(f, 3 * WIN_PAGE) == 0 && win_backed[win - 1] == 3 * WIN_PAGE);
	CHECK(tmpfs_read(f, 50, buf, 3 * WIN_PAGE) == 3 * WIN_PAGE - 50);
	CHECK(buf[49] == 100 % 251 && buf[50] == 0 && buf[3 * WIN_PAGE - 51] == 0);
	CHECK(tmpfs_write(f, WIN_MAX, "y", 1) == -EFBIG);
	CHECK(tmpfs_write(f, WIN_MAX - 1, "y", 1) == 1);
	CHECK(tmpfs_truncate(f, WIN_MAX + 1) == -EFBIG && st_of(f).size == WIN_MAX);
	CHECK(tmpfs_truncate(f, 0) == 0 && win_backed[win - 1] == 0);
	CHECK(rm(tmpfs_root(fs), "m", false) == 0 && win_live == 0);
	CHECK(rm(tmpfs_root(fs), "d", true) == 0);
	win_enabled = 0;
}

/* tmpfs_destroy: EBUSY while a node is referenced, else every block of the tree is freed
 * (hard links counted once). */
static void test_destroy(void)
{
	long before = alloc_live;
	struct tmpfs *fs = tmpfs_new(0755, 1);
	struct tnode *r = tmpfs_root(fs), *d, *e, *f;
	CHECK(tmpfs_create(r, "d", 1, S_IFDIR | 0755, 0, &d) == 0);
	CHECK(tmpfs_create(d, "e", 1, S_IFDIR | 0755, 0, &e) == 0);
	CHECK(tmpfs_create(e, "f", 1, S_IFREG | 0644, 0, &f) == 0);
	CHECK(tmpfs_write(f, 0, "data", 4) == 4);
	CHECK(tmpfs_link(r, "g", 1, f) == 0);	/* a second link, in another directory */
	CHECK(tmpfs_symlink(d, "s", 1, "f", &e) == 0);
	tmpfs_get(f);
	CHECK(tmpfs_destroy(fs) == -EBUSY);
	tmpfs_put(f);
	CHECK(tmpfs_destroy(fs) == 0);
	CHECK(alloc_live == before);
}

int main(void)
{
	test_destroy();
	test_create_lookup();
	test_file_io();
	test_big_file();
	test_readdir();
	test_rename();
	test_unlink_open();
	test_symlink();
	test_inject();
	test_window();
	free_all();
	CHECK(alloc_live == 0);
	return check_done("test_tmpfs");
}
