/*
 * The vfs's half of file mappings. A process's mmap(2) of a descriptor goes to mm, which
 * passes it on here (tok_pass): the vfs checks the descriptor, moves the file's data into
 * a page window (tmpfs_file_window: frames mm owns and maps both here and into the
 * mappers) and finishes the call with MM_FILE_MAP. Calls go vfs -> mm only, never back.
 */
#include <relay/libsys.h>
#include <relay/errno.h>
#include <relay/proto/mm.h>
#include "vfs.h"

#define MAP_PRIVATE 0x02
#define MAP_TYPE 0x0f
#define PROT_WRITE 0x2

/* A native call to mm: its r0 (a negative errno also when the call itself failed). */
static long mm_call(word_t label, word_t p[6], word_t r[REPLY_WORDS])
{
	int mm = libsys_pager_ep();
	return mm < 0 ? -ENOMEM : sys_call(mm, label, p, r);
}

/* A new window backing size bytes (see tmpfs.h). */
long vfs_window_new(size_t size, void **base, size_t *cap)
{
	word_t r[REPLY_WORDS], p[6] = { size, 0, 0, 0, 0, 0 };
	long id = mm_call(MM_FILE_NEW, p, r);
	if (id <= 0)
		return id ? id : -ENOMEM;
	*base = (void *)MM_FILE_WINDOW(id);
	*cap = r[1];
	return id;
}

/* Back exactly size bytes of window win: the backed bytes or -errno. */
long vfs_window_resize(long win, size_t size)
{
	word_t r[REPLY_WORDS], p[6] = { (word_t)win, size, 0, 0, 0, 0 };
	long err = mm_call(MM_FILE_RESIZE, p, r);
	return err ? err : (long)r[1];
}

/* The file of window win is gone (its mappers keep the pages). */
void vfs_window_put(long win)
{
	word_t r[REPLY_WORDS], p[6] = { (word_t)win, 0, 0, 0, 0, 0 };
	mm_call(MM_FILE_PUT, p, r);
}

/* mmap(addr, len, prot, flags, fd, offset) passed on by mm: Linux's descriptor checks
 * (EBADF; EACCES for a write-only descriptor or a shared writable mapping of a read-only
 * one; ENODEV for what cannot be mapped: pipes, directories, devices but /dev/zero), then
 * mm maps it. The address or a negative errno. */
long vfs_do_mmap_passed(struct call *c)
{
	struct fdt *t = fdt_of(c);
	struct file *f = t ? fd_get(t, (long)(int)c->arg[4]) : NULL;
	word_t r[REPLY_WORDS], prot = c->arg[2] & 7, flags = c->arg[3] & 0xffffffffu;
	long id = 0;
	if (!f || (f->flags & O_PATH))
		return -EBADF;
	if (f->kind == FILE_PIPE || (f->kind == FILE_DEV && f->dev != DEV_ZERO) ||
	    (f->kind == FILE_NODE && (!f->node || (tmpfs_mode(f->node) & S_IFMT) != S_IFREG)))
		return -ENODEV;
	unsigned acc = f->flags & O_ACCMODE;
	if (acc == O_WRONLY ||
	    ((flags & MAP_TYPE) != MAP_PRIVATE && (prot & PROT_WRITE) && acc != O_RDWR))
		return -EACCES;
	if (f->kind == FILE_NODE) {
		id = tmpfs_file_window(f->node);
		if (id < 0)
			return id == -EFBIG ? -ENOMEM : id;	/* too large to map */
	}
	word_t p[6] = { c->badge, (word_t)id, c->arg[0], c->arg[1],
			prot | (acc == O_RDWR ? MM_FILE_MAYWRITE : 0) | flags << 32, c->arg[5] };
	return mm_call(MM_FILE_MAP, p, r);
}
