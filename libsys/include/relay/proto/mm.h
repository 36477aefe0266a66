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
