/* Where the Linux ABI of x86-64 differs in ways servers must know (no numbers here). */
#pragma once
/* clone(flags, stack, parent_tid, child_tid, tls) */
#define LINUX_CLONE_ARG_CHILD_TID 3
#define LINUX_CLONE_ARG_TLS 4
