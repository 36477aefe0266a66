/* Reading and writing descriptors: read, write, readv, writev, pread64, pwrite64, lseek,
 * ftruncate, ioctl. Data moves between the caller and the file's memory directly (one
 * token copy, no bounce buffer). */
#include <relay/libsys.h>
#include <relay/errno.h>
#include "vfs.h"

#define IOV_MAX 1024
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

#define USER_PAGE 4096ul	/* a caller's address goes bad in whole pages of at least this */

/* How much of left bytes at the caller's addr lie in addr's page: one token copy's worth. */
static size_t page_chunk(word_t addr, size_t left)
{
	size_t in_page = USER_PAGE - (addr & (USER_PAGE - 1));
	return left < in_page ? left : in_page;
}

static bool can_read(const struct file *f) { return (f->flags & O_ACCMODE) != O_WRONLY; }
static bool can_write(const struct file *f) { return (f->flags & O_ACCMODE) != O_RDONLY; }

/* The caller's fd as a file open for reading (or writing), or the errno. */
static long file_for(struct call *c, bool write, struct file **out)
{
	struct fdt *t = fdt_of(c);
	struct file *f = t ? fd_get(t, (int)c->arg[0]) : NULL;
	if (!f || (f->flags & O_PATH) || (write ? !can_write(f) : !can_read(f)))
		return -EBADF;	/* an O_PATH descriptor reads and writes nothing */
	*out = f;
	return 0;
}

/* Read len bytes at off of a regular file into the caller's addr: straight from the
 * file's memory, one page of the caller's at a time, so that a bad address ends the read
 * short, after the bytes before it (as Linux). */
static long node_read(struct call *c, struct tnode *n, uint64_t off, word_t addr, size_t len)
{
	size_t done = 0;
	const void *data;
	if ((tmpfs_mode(n) & S_IFMT) == S_IFDIR)
		return -EISDIR;
	while (done < len) {
		size_t chunk = page_chunk(addr + done, len - done);
		long got = tmpfs_read_ptr(n, off + done, chunk, &data);
		if (got <= 0)
			return done ? (long)done : got;
		long err = sys_tok_copyout(c->token, addr + done, (size_t)got, data);
		if (err)
			return done ? (long)done : err;
		done += (size_t)got;
		if ((size_t)got < chunk)
			break;
	}
	return (long)done;
}

/* Write len bytes from the caller's addr at off of a regular file: straight into the
 * file's memory, one page of the caller's at a time, so that a bad address leaves exactly
 * the bytes before it written (and counted). */
static long node_write(struct call *c, struct tnode *n, uint64_t off, word_t addr, size_t len)
{
	size_t done = 0;
	void *data;
	while (done < len) {
		size_t chunk = page_chunk(addr + done, len - done);
		long room = tmpfs_write_ptr(n, off + done, chunk, &data);
		if (room <= 0)
			return done ? (long)done : room;
		long err = sys_tok_copyin(c->token, addr + done, (size_t)room, data);
		tmpfs_write_done(n, off + done, err ? 0 : (size_t)room, (size_t)room);
		if (err)
			return done ? (long)done : err;
		done += (size_t)room;
	}
	return (long)done;
}

/* read/write at the file's offset (or at off when positional). */
static long file_rw(struct call *c, struct file *f, word_t addr, size_t len, bool write,
		    bool positional, uint64_t off)
{
	long n;
	if ((long)len < 0)
		return -EINVAL;
	switch (f->kind) {
	case FILE_PIPE:
		if (positional)
			return -ESPIPE;
		return write ? pipe_write(c, f, addr, len) : pipe_read(c, f, addr, len);
	case FILE_DEV:
		return write ? dev_write(c, f, addr, len) : dev_read(c, f, addr, len);
	case FILE_NODE:
		break;
	}
	if (!positional) {
		if (write && (f->flags & O_APPEND)) {
			struct tmpfs_stat st;
			tmpfs_stat(f->node, &st);
			f->off = st.size;
		}
		off = f->off;
	}
	n = write ? node_write(c, f->node, off, addr, len) : node_read(c, f->node, off, addr, len);
	if (n > 0 && !positional)
		f->off += (uint64_t)n;
	return n;
}

long vfs_do_read(struct call *c)
{
	struct file *f;
	long err = file_for(c, false, &f);
	return err ? err : file_rw(c, f, c->arg[1], c->arg[2], false, false, 0);
}

long vfs_do_write(struct call *c)
{
	struct file *f;
	long err = file_for(c, true, &f);
	return err ? err : file_rw(c, f, c->arg[1], c->arg[2], true, false, 0);
}

long vfs_do_pread64(struct call *c)
{
	struct file *f;
	long err = file_for(c, false, &f);
	if (!err && (long)c->arg[3] < 0)
		err = -EINVAL;
	return err ? err : file_rw(c, f, c->arg[1], c->arg[2], false, true, c->arg[3]);
}

long vfs_do_pwrite64(struct call *c)
{
	struct file *f;
	long err = file_for(c, true, &f);
	if (!err && (long)c->arg[3] < 0)
		err = -EINVAL;
	return err ? err : file_rw(c, f, c->arg[1], c->arg[2], true, true, c->arg[3]);
}

struct iovec_linux { word_t base, len; };

/* readv/writev: one iovec after the other; a pipe read stops after the first data. */
static long file_rwv(struct call *c, bool write)
{
	struct iovec_linux iov[16];
	struct file *f;
	word_t cnt = c->arg[2];
	long total = 0, err = file_for(c, write, &f);
	if (err)
		return err;
	if (cnt > IOV_MAX)
		return -EINVAL;
	for (word_t i = 0; i < cnt; i += 16) {
		word_t n = cnt - i < 16 ? cnt - i : 16;
		err = sys_tok_copyin(c->token, c->arg[1] + i * sizeof(iov[0]), n * sizeof(iov[0]), iov);
		if (err)
			return total ? total : err;
		for (word_t k = 0; k < n; k++) {
			if (!iov[k].len)
				continue;
			long r = file_rw(c, f, iov[k].base, iov[k].len, write, false, 0);
			if (r == CALL_DEFERRED)
				return total ? -EAGAIN : r;	/* only the first may block */
			if (r < 0)
				return total ? total : r;
			total += r;
			if ((word_t)r < iov[k].len || (!write && f->kind != FILE_NODE))
				return total;
		}
	}
	return total;
}

long vfs_do_readv(struct call *c) { return file_rwv(c, false); }
long vfs_do_writev(struct call *c) { return file_rwv(c, true); }

long vfs_do_lseek(struct call *c)
{
	struct fdt *t = fdt_of(c);
	struct file *f = t ? fd_get(t, (int)c->arg[0]) : NULL;
	struct tmpfs_stat st;
	long off = (long)c->arg[1], base;
	if (!f)
		return -EBADF;
	if (f->kind != FILE_NODE)
		return -ESPIPE;
	tmpfs_stat(f->node, &st);
	switch (c->arg[2]) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = (long)f->off; break;
	case SEEK_END: base = (long)st.size; break;
	default: return -EINVAL;
	}
	if (base + off < 0)
		return -EINVAL;
	f->off = (uint64_t)(base + off);
	return (long)f->off;
}

long vfs_do_ftruncate(struct call *c)
{
	struct fdt *t = fdt_of(c);
	struct file *f = t ? fd_get(t, (int)c->arg[0]) : NULL;
	if (!f)
		return -EBADF;
	if (f->kind != FILE_NODE || (tmpfs_mode(f->node) & S_IFMT) != S_IFREG || !can_write(f))
		return -EINVAL;
	if ((long)c->arg[1] < 0)
		return -EINVAL;
	return tmpfs_truncate(f->node, c->arg[1]);
}

long vfs_do_ioctl(struct call *c)
{
	struct fdt *t = fdt_of(c);
	struct file *f = t ? fd_get(t, (int)c->arg[0]) : NULL;
	if (!f)
		return -EBADF;
	if (f->kind == FILE_DEV)
		return dev_ioctl(c, f, c->arg[1], c->arg[2]);
	return -ENOTTY;
}

/* The file for an opened node: devices become FILE_DEV, the rest FILE_NODE. */
long file_open_node(struct tnode *node, unsigned flags, struct file **out)
{
	uint32_t mode = tmpfs_mode(node);
	struct file *f = file_new((mode & S_IFMT) == S_IFCHR ? FILE_DEV : FILE_NODE, flags);
	if (!f)
		return -ENOMEM;
	if (f->kind == FILE_DEV) {
		struct tmpfs_stat st;
		tmpfs_stat(node, &st);
		f->dev = dev_of_rdev(st.rdev);
		if (f->dev == DEV_NONE) {
			file_put(f);
			return -ENXIO;
		}
	}
	procfs_refresh(node);
	f->node = node;
	tmpfs_get(node);
	*out = f;
	return 0;
}
