/* Reader for "newc" cpio archives (the boot image). Pure functions, no allocation. */
#pragma once
#include "types.h"

struct cpio_file {
	const char *name;	/* not NUL-terminated inside the archive: use namelen */
	size_t namelen;		/* without the trailing NUL */
	const void *data;
	size_t size;
	uint32_t mode;
};

/* Read the entry at *offset and advance *offset past it. Returns 1 with *f filled,
 * 0 at the "TRAILER!!!" entry or the end of the data, -EINVAL if the archive is
 * malformed (bad magic, non-hex field, sizes past the end). */
int cpio_next(const void *archive, size_t size, size_t *offset, struct cpio_file *f);
/* Find path (leading "/" or "./" ignored on both sides). 0 and *f, -ENOENT, or -EINVAL. */
int cpio_find(const void *archive, size_t size, const char *path, struct cpio_file *f);
