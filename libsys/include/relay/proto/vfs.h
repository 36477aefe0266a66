/* Native messages to the vfs server (labels below LABEL_LINUX), sent by proc. */
#pragma once

/* VFS_FORK(ppid, cpid): the child gets a copy of the parent's descriptor table (sharing the
 * open file descriptions), its working directory and umask. r0: 0 or -ENOMEM. */
#define VFS_FORK 1
/* VFS_EXEC(pid, blob, len): close the close-on-exec descriptors; the struct exec_blob (in
 * proc's memory) names the new program and its argv for /proc/<pid>. r0: 0. */
#define VFS_EXEC 2
/* VFS_EXIT(pid): close every descriptor (pipes see EOF / EPIPE). r0: 0. */
#define VFS_EXIT 3
/* VFS_NOFILE(pid, limit): RLIMIT_NOFILE changed. r0: 0. */
#define VFS_NOFILE 4
/* VFS_EXEC_READ(pid, path, buf, cap): resolve the path (in proc's memory) for process pid,
 * check it is an executable regular file, and copy it to buf (in proc's memory) if it is at
 * most cap bytes. r0: the file's size (bigger than cap: nothing copied, ask again), or
 * -ENOENT, -EACCES, -ENOTDIR, -ELOOP, -ENAMETOOLONG, -EFAULT. */
#define VFS_EXEC_READ 5
/* Passed calls: mm hands a process's mmap(2) of a file descriptor on to the vfs with
 * tok_pass (label LABEL_LINUX | SYS_mmap, the caller's arguments); the vfs checks the
 * descriptor, makes the file page-backed and finishes the call with MM_FILE_MAP. */
