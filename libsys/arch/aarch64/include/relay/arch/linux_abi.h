/* Where the Linux ABI of AArch64 differs in ways servers must know (no numbers here). */
#pragma once
/* clone(flags, stack, parent_tid, tls, child_tid): CONFIG_CLONE_BACKWARDS */
#define LINUX_CLONE_ARG_CHILD_TID 4
#define LINUX_CLONE_ARG_TLS 3
