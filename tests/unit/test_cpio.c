/* Host unit test of kernel/lib/cpio.c: archives are written in memory by a small newc
 * writer (same layout as tools/relaytool/image.py), then read back, broken on purpose
 * and mutated byte by byte. Inputs the reader sees live in exactly-sized heap buffers
 * so ASan catches any read past size. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "cpio.h"
#include "relay/errno.h"

#define FIELD(i) (6 + 8 * (i))	/* offset of header field i inside a header */
#define F_MODE 1
#define F_FILESIZE 6
#define F_NAMESIZE 11

struct buf {
	unsigned char d[4096];
	size_t n;
};

static void put_bytes(struct buf *b, const void *p, size_t n)
{
	memcpy(b->d + b->n, p, n);
	b->n += n;
}

static void pad4(struct buf *b)
{
	while (b->n & 3)
		b->d[b->n++] = 0;
}

/* Append one newc entry (name is written with its NUL, as cpio does). */
static void put_entry(struct buf *b, const char *name, const void *data, size_t size,
		      uint32_t mode)
{
	char hdr[111];
	uint32_t f[13] = { 1, mode, 0, 0, 1, 0, (uint32_t)size, 0, 0, 0, 0,
			   (uint32_t)strlen(name) + 1, 0 };
	int n = snprintf(hdr, sizeof(hdr), "070701");
	for (int i = 0; i < 13; i++)
		n += snprintf(hdr + n, sizeof(hdr) - (size_t)n, "%08X", f[i]);
	put_bytes(b, hdr, 110);
	put_bytes(b, name, strlen(name) + 1);
	pad4(b);
	put_bytes(b, data, size);
	pad4(b);
}

static void put_trailer(struct buf *b)
{
	put_entry(b, "TRAILER!!!", "", 0, 0);
}

/* Write an 8-digit hex value into header field idx of the header at hdr. */
static void set_field(unsigned char *hdr, int idx, const char *eight)
{
	memcpy(hdr + FIELD(idx), eight, 8);
}

/* A heap copy of exactly n bytes of p (freed by the caller). */
static unsigned char *dup_exact(const void *p, size_t n)
{
	unsigned char *c = malloc(n ? n : 1);
	memcpy(c, p, n);
	return c;
}

static const char manifest_data[] = "server proc /sbin/proc proc\ninit /bin/hello\n";
static const char hello_data[] = "\177ELF-hello";	/* 10 bytes: needs data padding */

/* The standard archive: a directory, /boot/manifest, ./sbin/proc, bin/hello, an empty
 * file, then the trailer. */
static void build_valid(struct buf *b, int with_trailer)
{
	b->n = 0;
	put_entry(b, ".", "", 0, 040755);
	put_entry(b, "/boot/manifest", manifest_data, sizeof(manifest_data) - 1, 0100644);
	put_entry(b, "./sbin/proc", "PROC", 4, 0100755);
	put_entry(b, "bin/hello", hello_data, sizeof(hello_data) - 1, 0100755);
	put_entry(b, "empty", "", 0, 0100644);
	if (with_trailer)
		put_trailer(b);
}

/* cpio_find of path in a (n bytes, copied to an exact buffer); checks that any hit
 * points inside the archive. */
static int find_in(const void *a, size_t n, const char *path, struct cpio_file *f)
{
	unsigned char *c = dup_exact(a, n);
	struct cpio_file tmp;
	int r = cpio_find(c, n, path, f ? f : &tmp);
	if (r == 0 && f) {
		CHECK((const unsigned char *)f->data >= c &&
		      (const unsigned char *)f->data + f->size <= c + n);
		f->data = (const unsigned char *)a + ((const unsigned char *)f->data - c);
		f->name = (const char *)a + (f->name - (const char *)c);
	}
	free(c);
	return r;
}

/* Walk the whole archive: number of entries before the end, or the negative error.
 * Every entry must lie inside the archive and every call must advance. */
static int walk(const void *a, size_t n)
{
	const unsigned char *base = a;
	size_t off = 0;
	struct cpio_file f;
	int r, count = 0;

	while ((r = cpio_next(a, n, &off, &f)) == 1) {
		if (off > n || f.name < (const char *)base ||
		    f.name + f.namelen >= (const char *)base + n ||
		    (const unsigned char *)f.data + f.size > base + n)
			return -1000;
		count++;
	}
	return r < 0 ? r : count;
}

static void test_valid(void)
{
	struct buf b;
	struct cpio_file f;
	size_t off = 0;

	build_valid(&b, 1);
	CHECK(cpio_next(b.d, b.n, &off, &f) == 1);
	CHECK(f.namelen == 1 && f.name[0] == '.' && f.size == 0 && f.mode == 040755);
	CHECK(cpio_next(b.d, b.n, &off, &f) == 1);
	CHECK(f.namelen == 14 && !memcmp(f.name, "/boot/manifest", 14));
	CHECK(f.size == sizeof(manifest_data) - 1 && !memcmp(f.data, manifest_data, f.size));
	CHECK(f.mode == 0100644);
	CHECK(((const unsigned char *)f.data - b.d) % 4 == 0);
	CHECK(cpio_next(b.d, b.n, &off, &f) == 1);
	CHECK(f.namelen == 11 && !memcmp(f.name, "./sbin/proc", 11) && f.size == 4);
	CHECK(cpio_next(b.d, b.n, &off, &f) == 1);
	CHECK(f.namelen == 9 && f.size == 10 && !memcmp(f.data, hello_data, 10));
	CHECK(((const unsigned char *)f.data - b.d) % 4 == 0);
	CHECK(off % 4 == 0);
	CHECK(cpio_next(b.d, b.n, &off, &f) == 1);
	CHECK(f.namelen == 5 && f.size == 0 && f.mode == 0100644);
	CHECK(cpio_next(b.d, b.n, &off, &f) == 0);	/* trailer */
	size_t at_trailer = off;
	CHECK(cpio_next(b.d, b.n, &off, &f) == 0);	/* and stays there */
	CHECK(off == at_trailer);
	CHECK(walk(b.d, b.n) == 5);

	/* lowercase hex is hex too */
	struct buf l;
	l.n = 0;
	put_entry(&l, "x", "abcdefghijk", 11, 0100644);	/* filesize 0000000B */
	put_trailer(&l);
	set_field(l.d, F_FILESIZE, "0000000b");
	CHECK(find_in(l.d, l.n, "x", &f) == 0 && f.size == 11);
}

static void test_find(void)
{
	struct buf b;
	struct cpio_file f;

	build_valid(&b, 1);
	CHECK(find_in(b.d, b.n, "boot/manifest", &f) == 0);
	CHECK(f.size == sizeof(manifest_data) - 1 && !memcmp(f.data, manifest_data, f.size));
	CHECK(find_in(b.d, b.n, "/boot/manifest", &f) == 0);
	CHECK(find_in(b.d, b.n, "./boot/manifest", &f) == 0);
	CHECK(find_in(b.d, b.n, "sbin/proc", &f) == 0 && f.size == 4);
	CHECK(!memcmp(f.data, "PROC", 4));
	CHECK(find_in(b.d, b.n, "/sbin/proc", &f) == 0);
	CHECK(find_in(b.d, b.n, "./sbin/proc", &f) == 0);
	CHECK(find_in(b.d, b.n, "bin/hello", &f) == 0 && f.size == 10);
	CHECK(find_in(b.d, b.n, "/bin/hello", &f) == 0);
	CHECK(find_in(b.d, b.n, "empty", &f) == 0 && f.size == 0);
	CHECK(find_in(b.d, b.n, ".", &f) == 0 && f.mode == 040755);
	CHECK(find_in(b.d, b.n, "missing", &f) == -ENOENT);
	CHECK(find_in(b.d, b.n, "boot", &f) == -ENOENT);
	CHECK(find_in(b.d, b.n, "boot/manifes", &f) == -ENOENT);
	CHECK(find_in(b.d, b.n, "boot/manifestX", &f) == -ENOENT);
	CHECK(find_in(b.d, b.n, "bin/hell", &f) == -ENOENT);
	CHECK(find_in(b.d, b.n, "TRAILER!!!", &f) == -ENOENT);
	CHECK(find_in(b.d, b.n, "", &f) == -ENOENT);
	CHECK(find_in(b.d, b.n, "BOOT/MANIFEST", &f) == -ENOENT);
	/* an entry after the trailer is not reached */
	struct buf t = b;
	put_entry(&t, "late", "L", 1, 0100644);
	CHECK(find_in(t.d, t.n, "late", &f) == -ENOENT);
	/* empty archive */
	CHECK(find_in("", 0, "x", &f) == -ENOENT);
	CHECK(walk("", 0) == 0);
}

static void test_missing_trailer(void)
{
	struct buf b;
	struct cpio_file f;

	build_valid(&b, 0);
	CHECK(walk(b.d, b.n) == 5);		/* the end of the data ends the walk */
	CHECK(find_in(b.d, b.n, "empty", &f) == 0);
	CHECK(find_in(b.d, b.n, "missing", &f) == -ENOENT);
	/* last data not padded to 4 at the very end: still readable */
	struct buf u;
	u.n = 0;
	put_entry(&u, "odd", "abc", 3, 0100644);
	CHECK(u.n % 4 == 0);
	u.n -= 1;	/* drop the one padding byte */
	CHECK(find_in(u.d, u.n, "odd", &f) == 0 && f.size == 3 && !memcmp(f.data, "abc", 3));
	CHECK(walk(u.d, u.n) == 1);
	/* a trailer without its name padding still ends the archive */
	struct buf t = b;
	put_trailer(&t);
	CHECK(walk(t.d, t.n - 3) == 5);
	CHECK(walk(t.d, t.n - 4) == -EINVAL);	/* its NUL is missing */
	CHECK(find_in(t.d, t.n - 3, "nothere", &f) == -ENOENT);
	/* a few stray bytes after the last entry are a truncated header */
	struct buf g = b;
	put_bytes(&g, "0707", 4);
	CHECK(walk(g.d, g.n) == -EINVAL);
	CHECK(find_in(g.d, g.n, "missing", &f) == -EINVAL);
	CHECK(find_in(g.d, g.n, "boot/manifest", &f) == 0);	/* found before the damage */
}

static void test_malformed(void)
{
	struct buf b, m;
	struct cpio_file f;
	size_t off;

	build_valid(&b, 1);
	/* truncated header */
	CHECK(walk(b.d, 50) == -EINVAL);
	CHECK(walk(b.d, 109) == -EINVAL);
	CHECK(find_in(b.d, 109, "x", &f) == -EINVAL);
	/* every truncation: a clean error or a prefix of the entries, never a bad read */
	int bad = 0;
	for (size_t cut = 0; cut < b.n; cut++) {
		unsigned char *c = dup_exact(b.d, cut);
		int r = walk(c, cut);
		if (!(r == -EINVAL || (r >= 0 && r <= 5)))
			bad++;
		r = cpio_find(c, cut, "empty", &f);
		if (r != 0 && r != -ENOENT && r != -EINVAL)
			bad++;
		free(c);
	}
	CHECK(bad == 0);
	/* bad magic */
	m = b;
	memcpy(m.d, "070702", 6);
	CHECK(walk(m.d, m.n) == -EINVAL);
	memcpy(m.d, "070707", 6);
	CHECK(find_in(m.d, m.n, "boot/manifest", &f) == -EINVAL);
	memcpy(m.d, "170701", 6);
	CHECK(walk(m.d, m.n) == -EINVAL);
	/* bad hex in each field */
	bad = 0;
	for (int i = 0; i < 13; i++) {
		m = b;
		m.d[FIELD(i) + 3] = 'g';
		if (walk(m.d, m.n) != -EINVAL)
			bad++;
		m = b;
		m.d[FIELD(i) + 7] = ' ';
		if (walk(m.d, m.n) != -EINVAL)
			bad++;
	}
	CHECK(bad == 0);
	m = b;
	set_field(m.d, F_FILESIZE, "0x000001");
	CHECK(walk(m.d, m.n) == -EINVAL);
	m = b;
	set_field(m.d, F_FILESIZE, "-0000001");
	CHECK(walk(m.d, m.n) == -EINVAL);
	/* sizes past the end */
	m = b;
	set_field(m.d, F_FILESIZE, "FFFFFFFF");
	CHECK(walk(m.d, m.n) == -EINVAL);
	m = b;
	set_field(m.d, F_FILESIZE, "00010000");
	CHECK(find_in(m.d, m.n, "boot/manifest", &f) == -EINVAL);
	m = b;
	set_field(m.d, F_NAMESIZE, "FFFFFFFF");
	CHECK(walk(m.d, m.n) == -EINVAL);
	m.n = 0;
	put_entry(&m, "abc", "0123456789", 10, 0100644);
	CHECK(walk(m.d, m.n - 4) == -EINVAL);	/* data cut short */
	CHECK(walk(m.d, 114) == -EINVAL);	/* name cut short */
	/* namesize 0, name without its NUL */
	m = b;
	set_field(m.d, F_NAMESIZE, "00000000");
	CHECK(walk(m.d, m.n) == -EINVAL);
	m = b;
	set_field(m.d, F_NAMESIZE, "00000001");	/* "." without NUL would be "" + '.' */
	CHECK(walk(m.d, m.n) == -EINVAL);
	/* offset beyond size, and a misplaced offset */
	off = b.n + 1;
	CHECK(cpio_next(b.d, b.n, &off, &f) == -EINVAL);
	off = 4;
	CHECK(cpio_next(b.d, b.n, &off, &f) == -EINVAL);
	/* a trailer whose header is damaged is an error, not the end */
	m = b;
	m.d[m.n - 124 + FIELD(0)] = 'z';
	CHECK(m.n >= 124 && !memcmp(m.d + m.n - 124, "070701", 6));
	CHECK(walk(m.d, m.n) == -EINVAL);
}

/* Every byte set to a few values: results stay in the contract, no bad read (ASan). */
static void test_fuzz(void)
{
	static const unsigned char vals[] = { 0, '0', '7', 'F', 'f', 'G', '/', 0xff };
	struct buf b;
	struct cpio_file f;
	int bad = 0, runs = 0;

	build_valid(&b, 1);
	for (size_t i = 0; i < b.n; i++) {
		for (size_t v = 0; v < sizeof(vals); v++) {
			unsigned char *c = dup_exact(b.d, b.n);
			c[i] = vals[v];
			int r = walk(c, b.n);
			if (r != -EINVAL && (r < 0 || r > 6))
				bad++;
			r = cpio_find(c, b.n, "bin/hello", &f);
			if (r != 0 && r != -ENOENT && r != -EINVAL)
				bad++;
			if (r == 0 && (const unsigned char *)f.data + f.size > c + b.n)
				bad++;
			free(c);
			runs++;
		}
	}
	CHECK(runs > 1000);
	CHECK(bad == 0);
}

int main(void)
{
	test_valid();
	test_find();
	test_missing_trailer();
	test_malformed();
	test_fuzz();
	return check_done("test_cpio");
}
