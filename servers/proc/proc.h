/* proc server: processes (pids, parent links) — the POSIX process half of Relay. */
#pragma once
#include <relay/server.h>

#define PROC_MAX 64

struct proc {
	int pid, ppid;		/* pid 0: free slot */
	word_t clear_child_tid;	/* set_tid_address */
};

/* The process with this pid (the caller's badge), or NULL. */
struct proc *proc_find(int pid);
void proc_init(void);
