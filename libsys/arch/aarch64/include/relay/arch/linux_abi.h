/* Where the Linux ABI of AArch64 differs in ways servers must know (no numbers here). */
#pragma once
/* clone(flags, stack, parent_tid, tls, child_tid): CONFIG_CLONE_BACKWARDS */
#define LINUX_CLONE_ARG_CHILD_TID 4
#define LINUX_CLONE_ARG_TLS 3

/* open(2) flags whose values are per architecture. */
#define LINUX_O_DIRECTORY 040000
#define LINUX_O_NOFOLLOW  0100000
#define LINUX_O_LARGEFILE 0400000

/* struct stat of the generic ABI that AArch64 uses (128 bytes). */
struct linux_stat {
	unsigned long st_dev, st_ino;
	unsigned int st_mode, st_nlink, st_uid, st_gid;
	unsigned long st_rdev, pad1;
	long st_size;
	int st_blksize, pad2;
	long st_blocks;
	long st_atime_sec, st_atime_nsec, st_mtime_sec, st_mtime_nsec, st_ctime_sec, st_ctime_nsec;
	unsigned int unused[2];
};
