/* proc server: processes — pids, the parent/child tree, exit status, zombies, waiting. */
#pragma once
#include <stdbool.h>
#include <relay/server.h>

#define PROC_MAX 512
#define PID_MAX 32768

enum proc_state { P_FREE = 0, P_ALIVE, P_ZOMBIE };

struct proc {
	enum proc_state state;
	int pid, ppid, pgid, sid;
	word_t task;		/* kernel handle of its address space (0: not known yet) */
	int status;		/* wait status once a zombie */
	word_t clear_child_tid;	/* set_tid_address / CLONE_CHILD_CLEARTID */
	/* a wait4/waitid this process is blocked in (its deferred call) */
	word_t wait_token;
	int wait_pid, wait_options;
	word_t wait_status_ptr, wait_rusage_ptr;
	bool wait_is_waitid;
	/* a nanosleep / clock_nanosleep it is blocked in (the kernel answers at the deadline;
	 * proc answers first if a signal interrupts it) */
	word_t sleep_token, sleep_rem;
	uint64_t sleep_deadline;
	/* an interrupted sleep restart_syscall goes on with (0: none) */
	uint64_t restart_deadline;
	word_t restart_rem;
	/* the parent blocked in vfork until this child execs or exits */
	word_t vfork_token;
	long vfork_result;
	word_t nofile[2];	/* RLIMIT_NOFILE soft and hard (the vfs enforces it) */
	int exit_signal;	/* sent to the parent at exit (clone's low byte), 0: none */
	/* job control: stopped by a signal, its held call answered at SIGCONT */
	bool stopped;
	word_t stop_token;
	int stop_sig;
	bool report_stop, report_cont;	/* for wait4 WUNTRACED / WCONTINUED, not yet reaped */
};

extern int proc_mm_ep, proc_vfs_ep, proc_sig_ep;

/* Tell the vfs (label VFS_*, args) if one serves; returns its reply or 0. */
long proc_tell_vfs(unsigned label, word_t a0, word_t a1);

/* proc.c: the table */
void proc_init(void);
struct proc *proc_find(int pid);
extern struct proc procs[PROC_MAX];
/* Slot i of the table (0 <= i < PROC_MAX) if it holds a process, else NULL. */
static inline struct proc *proc_slot(int i)
{
	return procs[i].state != P_FREE ? &procs[i] : NULL;
}
struct proc *proc_alloc(int ppid);
struct proc *proc_caller(struct call *c);
void proc_free(struct proc *p);
int proc_count_children(int pid);
int proc_count_all(void);

/* exit.c */
void proc_exit(struct proc *p, word_t token, int wait_status);
void proc_release_vfork(struct proc *child);
void proc_release_memory(struct proc *p, word_t token);

/* signal.c */
long proc_tell_sig(unsigned label, word_t a0, word_t a1, word_t a2);
word_t proc_signal(struct proc *q, int sig, int code, int sender, word_t value);
word_t proc_notify_parent(struct proc *child, int code, int status);
long proc_kill_pgrp(int pgid, int sig);
long proc_sig_native(struct call *c);
extern int proc_nwaits;	/* processes blocked in wait4 / waitid, or perhaps sleeping */
void proc_cancel_waits(void);
void proc_wait_changed(struct proc *child);
