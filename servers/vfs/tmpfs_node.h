/* tmpfs internals shared by tmpfs.c (nodes, file contents) and tmpfs_dir.c
 * (directories, rename). Not for users of the library: they see tmpfs.h only. */
#pragma once
#include "tmpfs.h"
#include "relay/errno.h"
#ifdef HOST_TEST
#include <string.h>
#else
#include <relay/libsys.h>
#endif

#ifndef EXDEV
#define EXDEV 18	/* not (yet) in relay/errno.h: a link or rename across file systems */
#endif

#define S_ISDIR_(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISREG_(m) (((m) & S_IFMT) == S_IFREG)
#define S_ISLNK_(m) (((m) & S_IFMT) == S_IFLNK)
#define LONG_MAX_ ((long)(~0UL >> 1))
#define DIRENT_BOGO_SIZE 20	/* a directory's st_size per entry, as Linux tmpfs */
#define DIR_FIRST_COOKIE 3	/* 0: ".", 1: "..", 2: after ".."; entries from 3 on */

/* One directory entry: its readdir cookie (increasing along the array) and name. */
struct tdirent {
	struct tnode *node;
	uint64_t cookie;
	uint16_t len;
	char name[];	/* len bytes, then a NUL */
};

struct tnode {
	struct tmpfs *fs;
	uint64_t ino;
	uint32_t mode, nlink, uid, gid, rdev;
	uint32_t refs;		/* tmpfs_get references */
	int64_t atime, mtime, ctime;
	void *priv;
	union {
		struct {
			unsigned char *data;	/* cap bytes; [size, cap) is zero */
			size_t size, cap;
			long win;	/* > 0: data is page window `win` (mappable) */
		} file;
		struct {
			struct tdirent **ents;	/* count used of cap, in cookie order */
			size_t count, cap;
			uint64_t next_cookie;
			struct tnode *parent;	/* itself for the root and once removed */
		} dir;
		struct {
			char *target;
			size_t len;
		} link;
	} u;
};

struct tmpfs {
	struct tnode *root;
	uint64_t next_ino;
	uint32_t dev;
};

struct tnode *tnode_alloc(struct tmpfs *fs, uint32_t mode);
void tnode_number(struct tnode *n);
void tnode_free(struct tnode *n);
void tnode_maybe_free(struct tnode *n);
void tnode_touch(struct tnode *n);
