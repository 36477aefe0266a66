/* Where the Linux ABI of x86-64 differs in ways servers must know (no numbers here). */
#pragma once
/* clone(flags, stack, parent_tid, child_tid, tls) */
#define LINUX_CLONE_ARG_CHILD_TID 3
#define LINUX_CLONE_ARG_TLS 4

/* open(2) flags whose values are per architecture. */
#define LINUX_O_DIRECTORY 0200000
#define LINUX_O_NOFOLLOW  0400000
#define LINUX_O_LARGEFILE 0

/* struct stat of x86-64 (144 bytes). */
struct linux_stat {
	unsigned long st_dev, st_ino, st_nlink;
	unsigned int st_mode, st_uid, st_gid, pad0;
	unsigned long st_rdev;
	long st_size, st_blksize, st_blocks;
	long st_atime_sec, st_atime_nsec, st_mtime_sec, st_mtime_nsec, st_ctime_sec, st_ctime_nsec;
	long unused[3];
};
