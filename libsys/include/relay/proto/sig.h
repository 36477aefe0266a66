/* Native messages of the sig server (labels below LABEL_LINUX), and what sig forwards to
 * proc. proc and the vfs call sig; sig never calls them (it forwards held calls instead),
 * so no two servers ever wait for each other. */
#pragma once

/* SIG_FORK(parent_pid, child_pid, child_task): the child gets the parent's dispositions,
 * mask and alternate stack, nothing pending. r0: 0 or -ENOMEM. */
#define SIG_FORK 0x301
/* SIG_EXEC(pid): handlers back to SIG_DFL (ignored stay ignored), no alternate stack. */
#define SIG_EXEC 0x302
/* SIG_EXIT(pid): forget the process. */
#define SIG_EXIT 0x303
/* SIG_POST(pid, task, signo | si_code << 8, sender_pid | sender_uid << 32, value, status):
 * make a signal pending and interrupt the process if it can take it. value is si_value
 * (rt_sigqueueinfo) or, for SIGCHLD, si_status. r0: 0, -EINVAL, -EAGAIN (queue full).
 * r1: SIGPOST_* facts about the target's dispositions (proc decides auto-reaping). */
#define SIG_POST 0x304
#define SIGPOST_NOCLDWAIT 1u	/* SIGCHLD is SIG_IGN or has SA_NOCLDWAIT: don't keep zombies */
#define SIGPOST_NOCLDSTOP 2u	/* SIGCHLD has SA_NOCLDSTOP */

/* Forwarded by sig to proc (sys_tok_forward of the target's own held call):
 * PROC_SIG_EXIT(signal | 0x80 if its default action dumps core): end the process.
 * PROC_SIG_STOP(signal): stop it; proc holds the call until SIGCONT and then replies. */
#define PROC_SIG_EXIT 0x311
#define PROC_SIG_STOP 0x312

/* si_code values the servers use (Linux's). */
#define SI_USER 0
#define SI_KERNEL 0x80
#define SI_QUEUE (-1)
#define SI_TKILL (-6)
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3
#define CLD_STOPPED 5
#define CLD_CONTINUED 6

/* Restart codes a server may answer an interrupted call with; sig turns them into the
 * call's restart or -EINTR (never seen by programs). */
#define ERESTARTSYS 512		/* restart if the handler has SA_RESTART */
#define ERESTARTNOINTR 513	/* always restart */
#define ERESTARTNOHAND 514	/* restart only if no handler runs */
#define ERESTART_RESTARTBLOCK 516	/* no handler: restart_syscall (the server kept what it
					   needs to go on); a handler: -EINTR */
