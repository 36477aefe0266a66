/* Native messages to the mm server (labels below LABEL_LINUX), sent by proc. */
#pragma once

/* MM_FORK(parent_pid, parent_task, child_pid, child_task, parent_brk_base): give the child
 * a copy-on-write copy of the parent's address space. Reply r0: 0 or -ENOMEM. */
#define MM_FORK 1
/* MM_EXIT(pid, task, brk_base): release every page of the process (before its task dies,
 * or before execve loads a new program into it). r0: 0. */
#define MM_EXIT 2
/* MM_FAULT_IN(pid, task, addr, len, write, brk_base): fault in the pages of [addr,
 * addr+len) as an access by the process would (libsys, when a token copy hit a page
 * that is not present or copy-on-write). r0: 0 or -EFAULT. */
#define MM_FAULT_IN 3
/* MM_SERVER_MAP(va, len): map fresh zeroed memory at [va, va+len) (page aligned) into the
 * calling server (its heap: libsys/src/malloc.c). r0: 0 or -ENOMEM / -EINVAL. */
#define MM_SERVER_MAP 4

/*
 * File mappings (sent by the vfs). mm owns the frames of every file that was ever mapped:
 * it maps them into the vfs at a fixed window per file, so the vfs reads and writes the
 * file through ordinary memory, and a process mapping the file maps the same frames.
 * Window of file `id` (1..MM_FILE_MAX) in the vfs: MM_FILE_WINDOW(id), MM_FILE_WINDOW_SIZE
 * bytes of which the first `npages` pages are backed (the file's size, rounded up).
 */
#define MM_FILE_MAX 1024
#define MM_FILE_WINDOW_BASE 0x10000000000ul	/* 1 TiB: far from the vfs's heap */
#define MM_FILE_WINDOW_SIZE (1ul << 30)	/* the largest mappable file */
#define MM_FILE_WINDOW(id) (MM_FILE_WINDOW_BASE + ((word_t)(id) - 1) * MM_FILE_WINDOW_SIZE)
/* MM_FILE_NEW(size): a new file object whose window backs size bytes with zeroed frames.
 * r0: the id (> 0) or -ENOMEM / -EFBIG; r1: the backed bytes (size rounded up to pages). */
#define MM_FILE_NEW 5
/* MM_FILE_RESIZE(id, size): back exactly the pages of size bytes: new pages are zero, pages
 * past the new end are unmapped from the vfs and from every process mapping them (a later
 * access there is SIGBUS). r0: 0 or -ENOMEM / -EFBIG / -EINVAL; r1: the backed bytes. */
#define MM_FILE_RESIZE 6
/* MM_FILE_PUT(id): the vfs is done with the file (deleted and closed): its window stays
 * until the last process mapping goes, then its frames are freed and the id reused. r0: 0. */
#define MM_FILE_PUT 7
/* MM_FILE_MAP(pid, id, addr, len, prot | flags << 32 | MM_FILE_MAYWRITE, offset): the rest
 * of a process's mmap(2) of a file (mm passed the call to the vfs, which checked the
 * descriptor). id 0: anonymous memory (/dev/zero). r0: the address or a negative errno. */
#define MM_FILE_MAP 8
#define MM_FILE_MAYWRITE 0x100	/* the descriptor is writable: PROT_WRITE may be shared */
