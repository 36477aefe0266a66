/* Host unit test of servers/vfs/path.c over real tmpfs trees: file system A is "/",
 * file system B is mounted on /mnt, and a fake mount table (an array of mount point /
 * mounted root pairs) answers the two callbacks. C can be stacked on top of B. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "path.h"
#include "relay/errno.h"

#include "vfs_alloc.h"

#define MAX_MOUNTS 4
static struct {
	struct tnode *point, *root;
} mounts[MAX_MOUNTS];
static int nmounts;

static struct tnode *mounted_on(struct tnode *dir)
{
	for (int i = 0; i < nmounts; i++)
		if (mounts[i].point == dir)
			return mounts[i].root;
	return NULL;
}

static struct tnode *mount_point_of(struct tnode *fs_root)
{
	for (int i = 0; i < nmounts; i++)
		if (mounts[i].root == fs_root)
			return mounts[i].point;
	return NULL;
}

static struct tnode *A, *B, *C;	/* the roots */
static struct tnode *a, *ab, *abc, *afile, *mnt, *bx, *bxy;
static struct path_ctx ctx;
static struct path_result res;

/* Make name in dir: a directory, or a symlink to target if target. */
static struct tnode *node(struct tnode *dir, const char *name, const char *target)
{
	struct tnode *n = NULL;
	int r = target ? tmpfs_symlink(dir, name, strlen(name), target, &n)
		       : tmpfs_create(dir, name, strlen(name), S_IFDIR | 0755, 0, &n);
	CHECK(r == 0);
	return n;
}

static void build(void)
{
	struct tmpfs *fa = tmpfs_new(0755, 1), *fb = tmpfs_new(0755, 2), *fc = tmpfs_new(0755, 3);
	char name[16], target[16];

	A = tmpfs_root(fa), B = tmpfs_root(fb), C = tmpfs_root(fc);
	a = node(A, "a", NULL);
	ab = node(a, "b", NULL);
	abc = node(ab, "c", NULL);
	CHECK(tmpfs_create(a, "file", 4, S_IFREG | 0644, 0, &afile) == 0);
	mnt = node(A, "mnt", NULL);
	node(A, "l_abs", "/a/b");
	node(a, "l_rel", "b/c");
	node(a, "lfile", "file");
	node(a, "dangling", "nothing");
	node(a, "ldir", "../a/");
	node(A, "loop1", "loop2");
	node(A, "loop2", "loop1");
	node(A, "self", "self");
	node(A, "ltomnt", "mnt/x");
	for (int i = 0; i <= 41; i++) {	/* chain: k0 -> k1 -> ... -> k41 -> /a */
		snprintf(name, sizeof(name), "k%d", i);
		snprintf(target, sizeof(target), "k%d", i + 1);
		node(A, name, i == 41 ? "/a" : target);
	}
	bx = node(B, "x", NULL);
	bxy = node(bx, "y", NULL);
	node(B, "up", "../a");
	node(bxy, "toroot", "/");
	node(C, "c_only", NULL);
	mounts[0].point = mnt, mounts[0].root = B;
	nmounts = 1;
	ctx.root = A;
	ctx.cwd = A;
	ctx.mounted_on = mounted_on;
	ctx.mount_point_of = mount_point_of;
}

/* path_walk into res: the result, res.node checked against want when it is 0. */
static int walk(const char *path, int flags)
{
	return path_walk(&ctx, path, flags, &res);
}

static struct tnode *get(const char *path, int flags)
{
	return walk(path, flags) == 0 ? res.node : NULL;
}

static bool is_link(struct tnode *n)
{
	return n && (tmpfs_mode(n) & S_IFMT) == S_IFLNK;
}

static void test_basic(void)
{
	CHECK(get("/", 0) == A && !res.trailing_slash);
	CHECK(get("///", 0) == A && !res.trailing_slash);
	CHECK(get("/a/b/c", 0) == abc && get("a/b/c", 0) == abc);
	CHECK(get("//a///b//c", 0) == abc);
	CHECK(get("/a/b/", 0) == ab && res.trailing_slash);
	CHECK(get("/a/./b/.", 0) == ab && !res.trailing_slash);
	CHECK(get("/a/b/..", 0) == a && get("/a/b/../..", 0) == A);
	CHECK(get("/../../..", 0) == A && get("..", 0) == A);
	ctx.cwd = ab;
	CHECK(get("c", 0) == abc && get("./c", 0) == abc && get("../b/c", 0) == abc);
	CHECK(get("../../a/b/c", 0) == abc && get("..//..//../a", 0) == a);
	CHECK(get(".", 0) == ab && get("/a", 0) == a);
	ctx.cwd = A;
	CHECK(walk("", 0) == -ENOENT && walk("", PATH_PARENT) == -ENOENT);
	CHECK(walk("/missing", 0) == -ENOENT && walk("/missing/x", 0) == -ENOENT);
	CHECK(walk("/a/file/", 0) == -ENOTDIR && walk("/a/file/x", 0) == -ENOTDIR);
	CHECK(walk("/a/file/.", 0) == -ENOTDIR && walk("/a/file/..", 0) == -ENOTDIR);
	CHECK(get("/a/file", 0) == afile);
	/* chroot: ".." stops at the process root, absolute paths start there */
	ctx.root = a;
	CHECK(get("/", 0) == a && get("/../..", 0) == a && get("/b/c/../../..", 0) == a);
	CHECK(get("/l_rel", PATH_FOLLOW) == abc);
	ctx.root = A;
}

static void test_parent(void)
{
	static const char missing[] = "/a/missing";

	CHECK(walk(missing, PATH_PARENT) == 0 && res.node == NULL && res.parent == a);
	CHECK(res.last == missing + 3 && res.last_len == 7 && !res.trailing_slash);
	CHECK(walk("/a/b", PATH_PARENT) == 0 && res.node == ab && res.parent == a);
	CHECK(res.last_len == 1 && res.last[0] == 'b');
	CHECK(walk("a/b//", PATH_PARENT) == 0 && res.node == ab && res.parent == a);
	CHECK(res.last_len == 1 && res.last[0] == 'b' && res.trailing_slash);
	CHECK(walk("/", PATH_PARENT) == 0 && res.node == A && res.parent == A);
	CHECK(res.last_len == 0);
	CHECK(walk("/a/b/..", PATH_PARENT) == 0 && res.node == a && res.last_len == 0);
	CHECK(walk("/a/.", PATH_PARENT) == 0 && res.node == a && res.last_len == 0);
	CHECK(walk("/a/missing/x", PATH_PARENT) == -ENOENT);
	CHECK(walk("/a/file/x", PATH_PARENT) == -ENOTDIR);
	CHECK(walk("/a/file/", PATH_PARENT) == -ENOTDIR);
	CHECK(walk("/a/new/", PATH_PARENT) == 0 && res.node == NULL && res.trailing_slash);
	CHECK(walk("file", PATH_PARENT) == 0 && res.node == NULL && res.parent == A);
	/* the last symlink: kept, or followed with PATH_FOLLOW (parent/last stay its own) */
	CHECK(walk("/a/lfile", PATH_PARENT) == 0 && is_link(res.node) && res.parent == a);
	CHECK(walk("/a/lfile", PATH_PARENT | PATH_FOLLOW) == 0 && res.node == afile);
	CHECK(res.parent == a && res.last_len == 5 && !memcmp(res.last, "lfile", 5));
	CHECK(walk("/a/dangling", PATH_PARENT | PATH_FOLLOW) == 0 && res.node == NULL);
	CHECK(res.parent == a && res.last_len == 8);
	CHECK(walk("/a/dangling", 0) == 0 && is_link(res.node));
	CHECK(walk("/a/dangling", PATH_FOLLOW) == -ENOENT);
	CHECK(walk("/loop1", PATH_PARENT | PATH_FOLLOW) == -ELOOP);
}

static void test_symlinks(void)
{
	CHECK(is_link(get("/l_abs", 0)) && get("/l_abs", PATH_FOLLOW) == ab);
	CHECK(get("/l_abs/c", 0) == abc && get("/l_abs/", 0) == ab && res.trailing_slash);
	CHECK(get("/l_abs/..", 0) == a && get("/l_abs/../l_rel", PATH_FOLLOW) == abc);
	CHECK(get("/a/l_rel", PATH_FOLLOW) == abc && get("/a/l_rel/", 0) == abc);
	CHECK(get("/a/l_rel/..", 0) == ab);
	CHECK(get("/a/lfile", PATH_FOLLOW) == afile && walk("/a/lfile/", 0) == -ENOTDIR);
	CHECK(walk("/a/lfile/x", 0) == -ENOTDIR);
	CHECK(get("/a/ldir/ldir/ldir/b", 0) == ab && get("/a/ldir", PATH_FOLLOW) == a);
	CHECK(walk("/a/dangling/", 0) == -ENOENT && walk("/a/dangling/x", 0) == -ENOENT);
	CHECK(is_link(get("/loop1", 0)) && walk("/loop1", PATH_FOLLOW) == -ELOOP);
	CHECK(walk("/loop1/x", 0) == -ELOOP && walk("/self/", 0) == -ELOOP);
	CHECK(walk("self/x", PATH_PARENT) == -ELOOP);
	/* 40 links on the way are fine, 41 are not (k1 -> ... -> k41 -> /a is 41) */
	CHECK(get("/k2", PATH_FOLLOW) == a && get("/k2/b", 0) == ab);
	CHECK(walk("/k1", PATH_FOLLOW) == -ELOOP && walk("/k1/b", 0) == -ELOOP);
	CHECK(is_link(get("/k0", 0)));
}

static void test_lengths(void)
{
	static char p[PATH_MAX_LEN + 16];

	memset(p, 'n', 300);
	p[0] = '/';
	p[256] = '\0';	/* a 255-byte component */
	CHECK(walk(p, 0) == -ENOENT && walk(p, PATH_PARENT) == 0 && res.last_len == 255);
	p[256] = 'n';
	p[257] = '\0';	/* 256 bytes */
	CHECK(walk(p, 0) == -ENAMETOOLONG && walk(p, PATH_PARENT) == -ENAMETOOLONG);
	memcpy(p, "/a/", 3);
	memset(p + 3, 'n', 256);
	memcpy(p + 259, "/x", 3);	/* "/a/<256 bytes>/x" */
	CHECK(walk(p, PATH_PARENT) == -ENAMETOOLONG);
	/* 4095 bytes of "/./././..." is fine, 4096 is too long */
	p[0] = '/';
	for (int i = 1; i < PATH_MAX_LEN; i++)
		p[i] = i & 1 ? '.' : '/';
	p[PATH_MAX_LEN - 1] = '\0';
	CHECK(strlen(p) == 4095 && get(p, 0) == A);
	p[PATH_MAX_LEN - 1] = '/';
	p[PATH_MAX_LEN] = '\0';
	CHECK(walk(p, 0) == -ENAMETOOLONG);
	memset(p, 'a', sizeof(p) - 1);
	p[sizeof(p) - 1] = '\0';
	CHECK(walk(p, 0) == -ENAMETOOLONG);
}

static void test_mounts(void)
{
	CHECK(get("/mnt", 0) == B && get("/mnt/", 0) == B && get("/mnt/.", 0) == B);
	CHECK(get("/mnt/x/y", 0) == bxy && get("/mnt/..", 0) == A);
	CHECK(get("/mnt/x/../../a/b", 0) == ab && get("/mnt/x/y/../../..", 0) == A);
	CHECK(walk("/mnt", PATH_PARENT) == 0 && res.node == B && res.parent == A);
	CHECK(walk("/mnt/x", PATH_PARENT) == 0 && res.node == bx && res.parent == B);
	CHECK(get("/mnt/up", PATH_FOLLOW) == a && get("/mnt/up/b", 0) == ab);
	CHECK(get("/ltomnt", PATH_FOLLOW) == bx && get("/ltomnt/y/toroot", PATH_FOLLOW) == A);
	ctx.cwd = bxy;
	CHECK(get("../../../a/b", 0) == ab && get("..", 0) == bx && get("../..", 0) == B);
	CHECK(get("toroot/a", 0) == a);
	/* the process root inside B: ".." of B's root stays there, "/" is B */
	ctx.root = B;
	CHECK(get("/", 0) == B && get("../../../..", 0) == B && get("/up", PATH_FOLLOW) == NULL);
	CHECK(walk("/up", PATH_FOLLOW) == -ENOENT && get("toroot/x", 0) == bx);
	ctx.root = A;
	ctx.cwd = A;
	/* C stacked on B: /mnt is C's root, and ".." from it goes up past both */
	mounts[1].point = B, mounts[1].root = C;
	nmounts = 2;
	CHECK(get("/mnt", 0) == C && get("/mnt/..", 0) == A && walk("/mnt/x", 0) == -ENOENT);
	CHECK(get("/mnt/c_only/../..", 0) == A && get("/mnt/c_only/..", 0) == C);
	CHECK(walk("/ltomnt", PATH_FOLLOW) == -ENOENT);
	nmounts = 1;
	/* no callbacks: plain tree */
	ctx.mounted_on = NULL;
	ctx.mount_point_of = NULL;
	CHECK(get("/mnt", 0) == mnt && walk("/mnt/x", 0) == -ENOENT);
	ctx.mounted_on = mounted_on;
	ctx.mount_point_of = mount_point_of;
}

/* path_walk allocates nothing: with every allocation failing, every case still works. */
static void test_no_alloc(void)
{
	long before = alloc_live;
	fail_in = 1;
	CHECK(get("/a/l_rel", PATH_FOLLOW) == abc && get("/mnt/up/b", 0) == ab);
	CHECK(walk("/loop1", PATH_FOLLOW) == -ELOOP);
	CHECK(fail_in == 1 && alloc_live == before);
	fail_in = 0;
}

/* Free every block (the tmpfs instances have no destructor). */

int main(void)
{
	build();
	test_basic();
	test_parent();
	test_symlinks();
	test_lengths();
	test_mounts();
	test_no_alloc();
	free_all();
	CHECK(alloc_live == 0);
	return check_done("test_path");
}
