/*
 * Descriptor tables: one per process (by pid), made on first use with the console on 0-2;
 * open file descriptions shared by dup and fork; close-on-exec; close, dup, dup2, dup3,
 * fcntl; and the fork/exec/exit messages from proc.
 */
#include <relay/libsys.h>
#include <relay/errno.h>
#include "vfs.h"

#define FDT_MAX 512

static struct fdt *tables[FDT_MAX];

#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC 1

struct fdt *fdt_find(int pid)
{
	for (int i = 0; i < FDT_MAX; i++)
		if (tables[i] && tables[i]->pid == pid)
			return tables[i];
	return NULL;
}

#define FD_CAP_MIN 16

/* Make room for descriptor fd in t's arrays. 0 or -ENOMEM (-EMFILE past VFS_FD_MAX). */
static int fdt_grow(struct fdt *t, int fd)
{
	if (fd < t->cap)
		return 0;
	if (fd >= VFS_FD_MAX)
		return -EMFILE;
	int cap = t->cap ? t->cap : FD_CAP_MIN;
	while (cap <= fd)
		cap *= 2;
	struct file **nfd = calloc((size_t)cap, sizeof(*nfd));
	uint8_t *ncl = calloc((size_t)cap / 8, 1);
	if (!nfd || !ncl) {
		free(nfd);
		free(ncl);
		return -ENOMEM;
	}
	if (t->cap) {
		memcpy(nfd, t->fd, (size_t)t->cap * sizeof(*nfd));
		memcpy(ncl, t->cloexec, (size_t)t->cap / 8);
	}
	free(t->fd);
	free(t->cloexec);
	t->fd = nfd;
	t->cloexec = ncl;
	t->cap = cap;
	return 0;
}

static void fdt_free(struct fdt *t)
{
	free(t->fd);
	free(t->cloexec);
	free(t);
}

static struct fdt *fdt_new(int pid)
{
	for (int i = 0; i < FDT_MAX; i++) {
		if (tables[i])
			continue;
		struct fdt *t = calloc(1, sizeof(*t));
		if (!t)
			return NULL;
		if (fdt_grow(t, FD_CAP_MIN - 1)) {
			free(t);
			return NULL;
		}
		t->pid = pid;
		t->nofile = VFS_NOFILE_DEFAULT;
		t->umask = 022;
		t->cwd = vfs_root;
		tmpfs_get(vfs_root);
		tables[i] = t;
		return t;
	}
	return NULL;
}

/* A process the vfs has not seen (the first program): stdin, stdout, stderr on the console. */
static struct fdt *fdt_first(int pid)
{
	struct fdt *t = fdt_new(pid);
	struct file *f = t ? file_new(FILE_DEV, O_RDWR) : NULL;
	if (!f)
		return t;
	f->dev = DEV_CONSOLE;
	for (int fd = 0; fd < 3; fd++) {
		f->refs++;
		t->fd[fd] = f;
	}
	file_put(f);
	return t;
}

struct fdt *fdt_of(struct call *c)
{
	return fdt_of_pid((int)c->badge);
}

struct fdt *fdt_of_pid(int pid)
{
	struct fdt *t = fdt_find(pid);
	return t ? t : fdt_first(pid);
}

struct file *fd_get(struct fdt *t, long fd)
{
	return fd >= 0 && fd < t->cap ? t->fd[fd] : NULL;
}

bool fd_cloexec(struct fdt *t, int fd)
{
	return fd < t->cap && (t->cloexec[fd / 8] & (1u << (fd % 8)));
}

void fd_set_cloexec(struct fdt *t, int fd, bool on)
{
	if (fd >= t->cap)
		return;
	if (on)
		t->cloexec[fd / 8] |= (uint8_t)(1u << (fd % 8));
	else
		t->cloexec[fd / 8] &= (uint8_t)~(1u << (fd % 8));
}

/* Put f (whose reference the table takes over) at the lowest free fd >= min_fd. */
int fd_install(struct fdt *t, struct file *f, int min_fd, bool cloexec)
{
	for (int fd = min_fd < 0 ? 0 : min_fd; fd < t->nofile && fd < VFS_FD_MAX; fd++) {
		if (fd < t->cap && t->fd[fd])
			continue;
		if (fdt_grow(t, fd))
			return -EMFILE;
		t->fd[fd] = f;
		fd_set_cloexec(t, fd, cloexec);
		return fd;
	}
	return -EMFILE;
}

struct file *file_new(enum file_kind kind, unsigned flags)
{
	struct file *f = calloc(1, sizeof(*f));
	if (f) {
		f->refs = 1;
		f->kind = kind;
		f->flags = flags & (O_ACCMODE | O_STATUS_FLAGS);
	}
	return f;
}

/* Drop a reference; the last one closes the file (pipe ends, node references). */
void file_put(struct file *f)
{
	if (--f->refs > 0)
		return;
	if (f->kind == FILE_PIPE)
		pipe_close(f);
	if (f->node)
		tmpfs_put(f->node);
	free(f);
}

int fd_close(struct fdt *t, long fd)
{
	struct file *f = fd_get(t, fd);
	if (!f)
		return -EBADF;
	t->fd[fd] = NULL;
	fd_set_cloexec(t, (int)fd, false);
	file_put(f);
	return 0;
}

long vfs_do_close(struct call *c)
{
	struct fdt *t = fdt_of(c);
	return t ? fd_close(t, (long)(int)c->arg[0]) : -ENOMEM;
}

/* newfd becomes a copy of oldfd (closing what newfd was). */
static long dup_to(struct fdt *t, long oldfd, long newfd, bool cloexec)
{
	struct file *f = fd_get(t, oldfd);
	if (!f || newfd < 0 || newfd >= VFS_FD_MAX)
		return -EBADF;
	if (newfd >= t->nofile)
		return -EBADF;
	if (fdt_grow(t, (int)newfd))
		return -ENOMEM;
	if (t->fd[newfd])
		fd_close(t, newfd);
	f->refs++;
	t->fd[newfd] = f;
	fd_set_cloexec(t, (int)newfd, cloexec);
	return newfd;
}

long vfs_do_dup(struct call *c)
{
	struct fdt *t = fdt_of(c);
	struct file *f = t ? fd_get(t, (int)c->arg[0]) : NULL;
	if (!f)
		return -EBADF;
	int fd = fd_install(t, f, 0, false);
	if (fd >= 0)
		f->refs++;
	return fd;
}

long vfs_do_dup2(struct call *c)
{
	struct fdt *t = fdt_of(c);
	long oldfd = (int)c->arg[0], newfd = (int)c->arg[1];
	if (!t || !fd_get(t, oldfd))
		return -EBADF;
	return oldfd == newfd ? newfd : dup_to(t, oldfd, newfd, false);
}

long vfs_do_dup3(struct call *c)
{
	struct fdt *t = fdt_of(c);
	long oldfd = (int)c->arg[0], newfd = (int)c->arg[1];
	if (c->arg[2] & ~(word_t)O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	return t ? dup_to(t, oldfd, newfd, c->arg[2] & O_CLOEXEC) : -EBADF;
}

long vfs_do_fcntl(struct call *c)
{
	struct fdt *t = fdt_of(c);
	long fd = (int)c->arg[0];
	struct file *f = t ? fd_get(t, fd) : NULL;
	int nfd;
	if (!f)
		return -EBADF;
	switch (c->arg[1]) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if ((long)c->arg[2] < 0 || (long)c->arg[2] >= t->nofile)
			return -EINVAL;
		nfd = fd_install(t, f, (int)c->arg[2], c->arg[1] == F_DUPFD_CLOEXEC);
		if (nfd >= 0)
			f->refs++;
		return nfd;
	case F_GETFD:
		return fd_cloexec(t, (int)fd) ? FD_CLOEXEC : 0;
	case F_SETFD:
		fd_set_cloexec(t, (int)fd, c->arg[2] & FD_CLOEXEC);
		return 0;
	case F_GETFL:
		return f->flags | (f->kind == FILE_NODE ? LINUX_O_LARGEFILE : 0);
	case F_SETFL:
		f->flags = (f->flags & ~(unsigned)O_STATUS_FLAGS) | ((unsigned)c->arg[2] & O_STATUS_FLAGS);
		return 0;
	default:
		return -EINVAL;
	}
}

/* VFS_FORK: the child shares every open file description of the parent. */
void fdt_fork(int ppid, int cpid)
{
	struct fdt *p = fdt_find(ppid), *t;
	procfs_fork(ppid, cpid);
	if (!p)
		p = fdt_first(ppid);
	if (!p || fdt_find(cpid) || !(t = fdt_new(cpid)))
		return;
	t->nofile = p->nofile;
	t->umask = p->umask;
	tmpfs_put(t->cwd);
	t->cwd = p->cwd;
	tmpfs_get(t->cwd);
	if (fdt_grow(t, p->cap - 1))
		return;
	for (int fd = 0; fd < p->cap; fd++) {
		if (!p->fd[fd])
			continue;
		t->fd[fd] = p->fd[fd];
		t->fd[fd]->refs++;
	}
	memcpy(t->cloexec, p->cloexec, (size_t)p->cap / 8);
}

/* VFS_EXEC: close-on-exec descriptors go. */
void fdt_exec(int pid)
{
	struct fdt *t = fdt_find(pid);
	for (int fd = 0; t && fd < t->cap; fd++)
		if (t->fd[fd] && fd_cloexec(t, fd))
			fd_close(t, fd);
}

/* VFS_EXIT: every descriptor is closed and the table freed. */
void fdt_exit(int pid)
{
	procfs_exit(pid);
	for (int i = 0; i < FDT_MAX; i++) {
		struct fdt *t = tables[i];
		if (!t || t->pid != pid)
			continue;
		for (int fd = 0; fd < t->cap; fd++)
			if (t->fd[fd])
				fd_close(t, fd);
		tmpfs_put(t->cwd);
		fdt_free(t);
		tables[i] = NULL;
	}
}

void fdt_set_nofile(int pid, int nofile)
{
	struct fdt *t = fdt_find(pid);
	if (t)
		t->nofile = nofile < 1 ? 1 : nofile > VFS_FD_MAX ? VFS_FD_MAX : nofile;
}
