/*
 * Path resolution over tmpfs nodes with mount points and symlinks (servers/vfs/path.c).
 * Pure: the mount table is reached through a callback.
 */
#pragma once
#include "tmpfs.h"

#define PATH_MAX_LEN 4096	/* with the NUL: longer is -ENAMETOOLONG */
#define SYMLOOP_MAX 40		/* more symlinks on the way: -ELOOP */

struct path_ctx {
	struct tnode *root;	/* "/" of the process */
	struct tnode *cwd;	/* relative paths start here (or at dirfd's directory) */
	/* The root of what is mounted on dir, or NULL: the walk enters it. */
	struct tnode *(*mounted_on)(struct tnode *dir);
	/* The directory a file system's root is mounted on, or NULL for "/": ".." leaves it. */
	struct tnode *(*mount_point_of)(struct tnode *fs_root);
};

#define PATH_FOLLOW 1	/* follow a symlink in the last component */
#define PATH_PARENT 2	/* stop at the parent of the last component */

struct path_result {
	struct tnode *node;	/* the node (NULL with PATH_PARENT if the last one is missing) */
	struct tnode *parent;	/* with PATH_PARENT: the directory holding the last component */
	const char *last;	/* with PATH_PARENT: the last component (inside path) */
	size_t last_len;	/* 0 for "/" or a path ending in "." / ".." */
	bool trailing_slash;	/* the path ended with '/' (the last must be a directory) */
};

/* Resolve the NUL-terminated path. -ENOENT (a missing intermediate, or the last without
 * PATH_PARENT; also for ""), -ENOTDIR, -ELOOP, -ENAMETOOLONG (path or a component). */
int path_walk(const struct path_ctx *ctx, const char *path, int flags, struct path_result *out);
