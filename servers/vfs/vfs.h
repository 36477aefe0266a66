/*
 * vfs server: mount points, vnodes (tmpfs nodes), every process's descriptor table, pipes
 * and devices. Handlers are in <topic>.c; the file systems are servers/vfs/tmpfs*.c.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <relay/server.h>
#include <relay/arch/linux_abi.h>
#include "tmpfs.h"
#include "path.h"

#define VFS_FD_MAX 1024		/* hard limit; RLIMIT_NOFILE (from proc) is the soft one */
#define VFS_NOFILE_DEFAULT 1024

/* open(2) flags that are the same on every architecture. */
#define O_ACCMODE 3
#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define O_CREAT 0100
#define O_EXCL 0200
#define O_NOCTTY 0400
#define O_TRUNC 01000
#define O_APPEND 02000
#define O_NONBLOCK 04000
#define O_CLOEXEC 02000000
#define O_PATH 010000000
#define O_DIRECTORY LINUX_O_DIRECTORY
#define O_NOFOLLOW LINUX_O_NOFOLLOW
#define O_STATUS_FLAGS (O_APPEND | O_NONBLOCK)	/* what F_SETFL may change */

#define AT_FDCWD (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_REMOVEDIR 0x200
#define AT_SYMLINK_FOLLOW 0x400
#define AT_EMPTY_PATH 0x1000

enum file_kind { FILE_NODE, FILE_PIPE, FILE_DEV };

/* Devices of devfs (st_rdev = makedev(major, minor) as on Linux). */
enum dev_id { DEV_NONE, DEV_NULL, DEV_ZERO, DEV_FULL, DEV_RANDOM, DEV_URANDOM, DEV_TTY,
	      DEV_CONSOLE };

struct pipe;

/* An open file description: shared by dup and fork, with its offset and status flags. */
struct file {
	int refs;
	unsigned flags;		/* access mode and status flags (O_APPEND, O_NONBLOCK) */
	enum file_kind kind;
	struct tnode *node;	/* the file (FILE_NODE), the device or FIFO node (may be NULL) */
	struct pipe *pipe;	/* FILE_PIPE */
	bool pipe_writer;
	enum dev_id dev;	/* FILE_DEV */
	uint64_t off;
};

/* A process as the vfs sees it: descriptors, working directory, umask. */
struct fdt {
	int pid;		/* 0: free slot */
	int nofile;		/* RLIMIT_NOFILE */
	uint32_t umask;
	struct tnode *cwd;
	int cap;		/* slots in fd[] (grows by doubling up to VFS_FD_MAX) */
	struct file **fd;
	uint8_t *cloexec;	/* one bit per slot */
};

/* fdtable.c */
struct fdt *fdt_of(struct call *c);		/* the caller's table (made on first use) */
struct fdt *fdt_find(int pid);
struct fdt *fdt_of_pid(int pid);		/* made on first use, like fdt_of */
struct file *fd_get(struct fdt *t, long fd);	/* NULL: -EBADF */
int fd_install(struct fdt *t, struct file *f, int min_fd, bool cloexec);	/* fd or -EMFILE */
int fd_close(struct fdt *t, long fd);
struct file *file_new(enum file_kind kind, unsigned flags);
/* A file for an opened node (regular file, directory, device, FIFO), honouring flags. */
long file_open_node(struct tnode *node, unsigned flags, struct file **out);
void file_put(struct file *f);
bool fd_cloexec(struct fdt *t, int fd);
void fd_set_cloexec(struct fdt *t, int fd, bool on);

/* Messages from proc (labels below LABEL_LINUX, in <relay/proto/vfs.h>). */
void fdt_fork(int ppid, int cpid);
void fdt_exec(int pid);
void fdt_exit(int pid);
void fdt_set_nofile(int pid, int nofile);

/* mount.c: the root, mounts, path resolution for a process */
int mount_tmpfs(struct tnode *dir, uint32_t perm);
int mount_remove(struct tnode *fs_root, bool detach);
extern struct tnode *vfs_root;
void mount_init(void);
int vfs_walk(struct fdt *t, long dirfd, const char *path, int flags, struct path_result *out);
long vfs_copy_path(struct call *c, word_t addr, char *buf);	/* 0, -EFAULT, -ENAMETOOLONG */

/* namei.c: shared by the path calls of namei.c and dirs.c */
/* The node the caller's path at addr names (relative to dirfd; AT_EMPTY_PATH-like when
 * empty_ok and the path is ""), following a final symlink if follow. */
long namei_lookup(struct call *c, struct fdt *t, long dirfd, word_t addr, bool follow,
		  bool empty_ok, struct tnode **out);
/* vfs_walk relative to the directory dir. */
int namei_walk_from(struct fdt *t, struct tnode *dir, const char *path, int flags,
		    struct path_result *r);
/* The entry a PATH_PARENT walk found for its last component (NULL if none). */
struct tnode *namei_entry(const struct path_result *r);

/* pipe.c */
long pipe_read(struct call *c, struct file *f, word_t addr, size_t len);
long pipe_write(struct call *c, struct file *f, word_t addr, size_t len);
void pipe_close(struct file *f);
int pipe_new(struct pipe **out);
void pipe_open_end(struct pipe *p, bool writer);
/* A FIFO end f was opened as descriptor fd without O_NONBLOCK: fd if the other end is open,
 * else CALL_DEFERRED until it is (answered fd, or -ERESTARTSYS on a signal). */
long fifo_open_wait(struct call *c, struct file *f, int fd);
/* Open a FIFO node: a file on the node's pipe (made on first open). 0 or -errno
 * (-ENXIO: O_NONBLOCK write-only open with no reader). */
long fifo_open(struct tnode *node, unsigned flags, struct file **out);
unsigned pipe_poll(struct file *f);	/* POLLIN / POLLOUT / POLLHUP / POLLERR bits */

/* dev.c */
long dev_read(struct call *c, struct file *f, word_t addr, size_t len);
long dev_write(struct call *c, struct file *f, word_t addr, size_t len);
long dev_ioctl(struct call *c, struct file *f, word_t req, word_t arg);
enum dev_id dev_of_rdev(uint32_t rdev);
uint32_t dev_rdev(enum dev_id d);	/* the device number of d (0 for DEV_NONE) */
void dev_populate(struct tnode *devdir);
unsigned dev_poll(struct file *f);

/* contty.c: /dev/console and /dev/tty through the console server, if the manifest has one */
void contty_init(const struct relay_boot_info *bi);
bool contty_present(void);
/* read: bytes, 0 (EOF), -EAGAIN (O_NONBLOCK), or CALL_DEFERRED (waits in the reader list) */
long contty_read(struct call *c, struct file *f, word_t addr, size_t len);
long contty_write(struct call *c, word_t addr, size_t len);
long contty_ioctl(struct call *c, word_t req, word_t arg);
unsigned contty_poll(void);	/* POLLOUT, and POLLIN if a read would not wait */
/* VFS_NOTIFY_CONSOLE: answer the deferred reads that can go on now, re-check polls. */
void contty_wake(void);
/* NOTIFY_CANCEL: answer the deferred console reads of interrupted callers (-ERESTARTSYS). */
void contty_cancel_interrupted(void);

/* stat.c */
long stat_out(struct call *c, struct tnode *n, word_t addr);
long statx_out(struct call *c, struct tnode *n, word_t addr);
long stat_file_out(struct call *c, struct file *f, word_t addr);

/* poll.c */
void poll_cancel(void);	/* NOTIFY_CANCEL: answer interrupted polls */
void pipe_cancel(void);	/* NOTIFY_CANCEL: answer interrupted pipe reads and writes */
extern int vfs_sig_ep;	/* the sig server (SIGPIPE), -1 if none */
void poll_wake(void);		/* something became ready: re-check deferred polls */

/* procfs.c */
void procfs_init(struct tnode *root);
struct manifest;
void procfs_boot(const struct manifest *m);
void procfs_refresh(struct tnode *n);
void procfs_exec(struct fdt *t, const char *blob, size_t len);
void procfs_fork(int ppid, int cpid);
void procfs_exit(int pid);
const char *procfs_self(const char *path, int pid, char *out);

/* mmap.c: mmap(2) of a descriptor, passed on by mm (see <relay/proto/vfs.h>) */
long vfs_do_mmap_passed(struct call *c);

/* dirs.c */
const char *vfs_cwd_of(struct fdt *t);

/* bootfs.c */
int bootfs_import(struct tnode *root);

#define POLLIN 0x001
#define POLLPRI 0x002
#define POLLOUT 0x004
#define POLLERR 0x008
#define POLLHUP 0x010
#define POLLNVAL 0x020
