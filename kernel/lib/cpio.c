/* Reader for "newc" cpio archives (magic "070701"): a 110-byte ASCII header of 13
 * 8-digit hex fields, the NUL-terminated name padded so header+name ends 4-aligned,
 * then the data padded to 4. Alignment is relative to the start of the archive.
 * Every read is checked against size; nothing is allocated. */
#include "cpio.h"
#include "kstring.h"
#include "relay/errno.h"

#define CPIO_MAGIC	"070701"
#define CPIO_HDR_SIZE	110	/* 6 magic + 13 * 8 hex */
#define CPIO_FIELD_MODE	1	/* field indexes after the magic */
#define CPIO_FIELD_FILESIZE 6
#define CPIO_FIELD_NAMESIZE 11
#define CPIO_TRAILER	"TRAILER!!!"

/* Value of one hex digit, or -1 if c is not [0-9a-fA-F]. */
static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode header field idx (0..12) of the header at hdr into *val.
 * 0, or -EINVAL if any of its 8 characters is not a hex digit. */
static int hdr_field(const char *hdr, int idx, uint32_t *val)
{
	const char *p = hdr + 6 + 8 * idx;
	uint32_t v = 0;

	for (int i = 0; i < 8; i++) {
		int d = hex_digit(p[i]);
		if (d < 0)
			return -EINVAL;
		v = (v << 4) | (uint32_t)d;
	}
	*val = v;
	return 0;
}

/* Check that every header field is hex and fetch mode, filesize and namesize.
 * 0, or -EINVAL. */
static int hdr_decode(const char *hdr, uint32_t *mode, uint32_t *filesize,
		      uint32_t *namesize)
{
	uint32_t v;

	for (int i = 0; i < 13; i++) {
		if (hdr_field(hdr, i, &v))
			return -EINVAL;
		if (i == CPIO_FIELD_MODE)
			*mode = v;
		else if (i == CPIO_FIELD_FILESIZE)
			*filesize = v;
		else if (i == CPIO_FIELD_NAMESIZE)
			*namesize = v;
	}
	return 0;
}

/* Advance *off past n bytes and their padding to the next multiple of 4; the padding
 * may be cut short by the end of the archive (a writer that does not pad the last
 * entry). 0, or -EINVAL if the n bytes pass size. */
static int skip_padded(size_t size, size_t *off, size_t n)
{
	size_t pad;

	if (*off > size || n > size - *off)
		return -EINVAL;
	*off += n;
	pad = -*off & 3;
	*off += pad < size - *off ? pad : size - *off;
	return 0;
}

/* Read the entry at *offset and advance *offset past it. Returns 1 with *f filled,
 * 0 at the "TRAILER!!!" entry (*offset is then left on the trailer, so calling again
 * returns 0 again) or when *offset == size, -EINVAL if the archive is malformed (bad
 * magic, non-hex field, header, name or data past size, name not NUL-terminated). */
int cpio_next(const void *archive, size_t size, size_t *offset, struct cpio_file *f)
{
	const char *base = archive;
	size_t off = *offset;
	uint32_t mode = 0, filesize = 0, namesize = 0;
	const char *hdr, *name, *data;

	if (off == size)
		return 0;
	if (off > size || size - off < CPIO_HDR_SIZE)
		return -EINVAL;
	hdr = base + off;
	if (memcmp(hdr, CPIO_MAGIC, 6) || hdr_decode(hdr, &mode, &filesize, &namesize))
		return -EINVAL;
	off += CPIO_HDR_SIZE;
	name = base + off;
	if (namesize == 0 || skip_padded(size, &off, namesize) || name[namesize - 1] != '\0')
		return -EINVAL;
	if (namesize == sizeof(CPIO_TRAILER) && !memcmp(name, CPIO_TRAILER, namesize))
		return 0;
	data = base + off;
	if (skip_padded(size, &off, filesize))
		return -EINVAL;
	f->name = name;
	f->namelen = namesize - 1;
	f->data = data;
	f->size = filesize;
	f->mode = mode;
	*offset = off;
	return 1;
}

/* Skip any run of leading "/" and "./" in the n bytes at *s (updating *s and *n). */
static void strip_prefix(const char **s, size_t *n)
{
	for (;;) {
		if (*n >= 1 && (*s)[0] == '/') {
			*s += 1, *n -= 1;
		} else if (*n >= 2 && (*s)[0] == '.' && (*s)[1] == '/') {
			*s += 2, *n -= 2;
		} else {
			return;
		}
	}
}

/* Find path (any leading run of "/" and "./" ignored on both sides; the rest must be
 * byte-identical). 0 and *f, -ENOENT if the walk reaches the trailer or the end, or
 * -EINVAL if a malformed entry comes before a match. */
int cpio_find(const void *archive, size_t size, const char *path, struct cpio_file *f)
{
	size_t off = 0, qlen = strlen(path);
	struct cpio_file cur;
	int r;

	strip_prefix(&path, &qlen);
	while ((r = cpio_next(archive, size, &off, &cur)) == 1) {
		const char *name = cur.name;
		size_t nlen = cur.namelen;

		strip_prefix(&name, &nlen);
		if (nlen == qlen && !memcmp(name, path, qlen)) {
			*f = cur;
			return 0;
		}
	}
	return r < 0 ? r : -ENOENT;
}
