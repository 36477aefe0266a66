/* Path resolution (path.h). The text still to walk is a stack of segments: the path
 * itself at the bottom, and on top the target of each symlink being followed (borrowed
 * from its node). Following a link pushes its target; a segment whose text is used up
 * is popped. At most SYMLOOP_MAX links are followed, so the stack is bounded, and
 * nothing is copied or allocated. The last component of the path is therefore always
 * inside the path, and a component only counts as the last when no text is left in any
 * segment. */
#include "path.h"
#include "relay/errno.h"

struct seg {
	const char *p;
	size_t n;
};

struct walk {
	const struct path_ctx *ctx;
	struct tnode *dir;	/* where the next component is looked up */
	int links;		/* symlinks followed so far */
	int depth;		/* segments on the stack */
	struct seg segs[SYMLOOP_MAX + 1];
};

static bool is_dir(struct tnode *n)
{
	return (tmpfs_mode(n) & S_IFMT) == S_IFDIR;
}

static bool is_link(struct tnode *n)
{
	return (tmpfs_mode(n) & S_IFMT) == S_IFLNK;
}

/* Length of path, or PATH_MAX_LEN if it has no NUL in its first PATH_MAX_LEN bytes. */
static size_t path_len(const char *path)
{
	size_t n = 0;

	while (n < PATH_MAX_LEN && path[n])
		n++;
	return n;
}

/* true if the n bytes at p are all '/' ("/", "//": no trailing slash after a name). */
static bool all_slashes(const char *p, size_t n)
{
	while (n && p[n - 1] == '/')
		n--;
	return n == 0;
}

/* Drop the slashes at the top of the stack, popping the segments they end. */
static void skip_slashes(struct walk *w)
{
	while (w->depth > 0) {
		struct seg *s = &w->segs[w->depth - 1];
		while (s->n && *s->p == '/')
			s->p++, s->n--;
		if (s->n)
			return;
		w->depth--;
	}
}

/* Take the next component (the stack must not be empty after skip_slashes). */
static void take_component(struct walk *w, const char **name, size_t *len)
{
	struct seg *s = &w->segs[w->depth - 1];
	size_t n = 0;

	while (n < s->n && s->p[n] != '/')
		n++;
	*name = s->p;
	*len = n;
	s->p += n;
	s->n -= n;
}

/* The root of whatever is mounted on n, repeatedly (stacked mounts); n if nothing. */
static struct tnode *cross_mounts(const struct path_ctx *ctx, struct tnode *n)
{
	struct tnode *m;

	while (ctx->mounted_on && is_dir(n) && (m = ctx->mounted_on(n)))
		n = m;
	return n;
}

/* The directory ".." of dir leads to: dir itself at the process root; from the root
 * of a mounted file system, the parent of its mount point (through stacked mounts). */
static struct tnode *go_up(const struct path_ctx *ctx, struct tnode *dir)
{
	struct tnode *m;

	for (;;) {
		if (dir == ctx->root)
			return dir;
		if (dir != tmpfs_root(tmpfs_fs(dir)) || !ctx->mount_point_of)
			break;
		m = ctx->mount_point_of(dir);
		if (!m)
			break;
		dir = m;
	}
	return cross_mounts(ctx, tmpfs_parent(dir));
}

/* Follow symlink link found in w->dir: its target goes on the stack and an absolute
 * one restarts at the process root. 0, -ELOOP, or -ENOENT for an empty target. */
static int follow(struct walk *w, struct tnode *link)
{
	const char *target = tmpfs_readlink(link);

	if (++w->links > SYMLOOP_MAX)
		return -ELOOP;
	if (!target || !*target)
		return -ENOENT;
	if (*target == '/')
		w->dir = w->ctx->root;
	w->segs[w->depth].p = target;
	w->segs[w->depth].n = path_len(target);
	w->depth++;
	return 0;
}

/* Step from w->dir into the intermediate component name: a symlink is followed, a
 * mount point entered. 0, or the lookup's error, -ELOOP. */
static int step(struct walk *w, const char *name, size_t len)
{
	struct tnode *n;
	int r = tmpfs_lookup(w->dir, name, len, &n);

	if (r)
		return r;
	if (is_link(n))
		return follow(w, n);
	w->dir = cross_mounts(w->ctx, n);
	return 0;
}

/* Walk to the last component: 1 with the name and length of it (w->dir, a directory, holds it),
 * 0 if the path ends in "/", "." or ".." (w->dir is then the node), or an error. */
static int walk_to_last(struct walk *w, const char **name, size_t *len)
{
	int r;

	for (;;) {
		skip_slashes(w);
		if (w->depth == 0)
			return 0;
		take_component(w, name, len);
		if (*len > TMPFS_NAME_MAX)
			return -ENAMETOOLONG;
		skip_slashes(w);
		if (!is_dir(w->dir))
			return -ENOTDIR;
		if (*len == 1 && (*name)[0] == '.')
			continue;
		if (*len == 2 && (*name)[0] == '.' && (*name)[1] == '.') {
			w->dir = go_up(w->ctx, w->dir);
			continue;
		}
		if (w->depth == 0)
			return 1;
		r = step(w, *name, *len);
		if (r)
			return r;
	}
}

/* Resolve path (see path.h). The last component is followed if it is a symlink and
 * PATH_FOLLOW is given or the path ends with '/'. With PATH_PARENT, parent/last name
 * the path's own last component, even when node is what a symlink there leads to; a
 * symlink there whose target is missing (only its last component) gives node NULL. */
int path_walk(const struct path_ctx *ctx, const char *path, int flags, struct path_result *out)
{
	struct walk w;
	struct tnode *n = NULL;
	const char *name;
	size_t len = path_len(path);
	bool first = true;
	int r;

	if (len >= PATH_MAX_LEN)
		return -ENAMETOOLONG;
	if (len == 0)
		return -ENOENT;
	w.ctx = ctx;
	w.dir = path[0] == '/' ? ctx->root : ctx->cwd;
	w.links = 0;
	w.depth = 1;
	w.segs[0].p = path;
	w.segs[0].n = len;
	*out = (struct path_result){ 0 };
	out->trailing_slash = path[len - 1] == '/' && !all_slashes(path, len);
	for (;;) {
		r = walk_to_last(&w, &name, &len);
		if (r < 0)
			return r;
		if (r == 0) {
			n = w.dir;
			if (first && (flags & PATH_PARENT)) {
				out->parent = n;
				out->last = path + path_len(path);
			}
			break;
		}
		if (first && (flags & PATH_PARENT)) {
			out->parent = w.dir;
			out->last = name;
			out->last_len = len;
		}
		first = false;
		r = tmpfs_lookup(w.dir, name, len, &n);
		if (r == -ENOENT && (flags & PATH_PARENT)) {
			n = NULL;
			break;
		}
		if (r)
			return r;
		if (!is_link(n) || !((flags & PATH_FOLLOW) || out->trailing_slash)) {
			n = cross_mounts(ctx, n);
			break;
		}
		r = follow(&w, n);
		if (r)
			return r;
	}
	if (n && out->trailing_slash && !is_dir(n))
		return -ENOTDIR;
	out->node = n;
	return 0;
}
