/*
 * fork, vfork and clone: copy_process done as a protocol. proc makes the child's task
 * and suspended thread (tok_fork: the caller's registers, 0 returned), asks mm for a
 * copy-on-write copy of the address space (MM_FORK), then starts the child under its new
 * pid. A vfork parent gets no reply until the child execs or exits.
 */
#include <relay/libsys.h>
#include <relay/errno.h>
#include <relay/proto/mm.h>
#include <relay/proto/vfs.h>
#include <relay/arch/linux_abi.h>
#include <relay/proto/sig.h>
#include "proc.h"

#define CSIGNAL 0xff
#define CLONE_VM 0x100
#define CLONE_VFORK 0x4000
#define CLONE_PARENT_SETTID 0x100000
#define CLONE_CHILD_CLEARTID 0x200000
#define CLONE_CHILD_SETTID 0x1000000
#define SIGCHLD 17
#define CLONE_OK (CSIGNAL | CLONE_VM | CLONE_VFORK | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | \
		  CLONE_CHILD_SETTID)

/* Ask mm to give the child task a copy-on-write image of the parent. */
static long fork_memory(struct call *c, struct proc *parent, struct proc *child)
{
	struct tok_info ti;
	word_t r[REPLY_WORDS];
	long err = sys_tok_task(c->token, &ti);
	if (err)
		return err;
	parent->task = ti.task;
	word_t p[6] = { (word_t)parent->pid, ti.task, (word_t)child->pid, child->task, ti.brk_base, 0 };
	err = sys_call(proc_mm_ep, MM_FORK, p, r);
	return err ? err : (long)r[0];
}

/* CLONE_CHILD_SETTID: the child must find its pid at ptr. The parent is blocked, so write
 * it into the parent before mm copies the memory, and put the parent's value back after. */
static long fork_with_settid(struct call *c, struct proc *parent, struct proc *child, word_t ptr)
{
	int32_t old, pid = child->pid;
	long err = sys_tok_copyin(c->token, ptr, sizeof(old), &old);
	if (!err)
		err = sys_tok_copyout(c->token, ptr, sizeof(pid), &pid);
	if (err)
		return err;
	err = fork_memory(c, parent, child);
	sys_tok_copyout(c->token, ptr, sizeof(old), &old);
	return err;
}

/* The common body: flags as clone's, sp the child's stack (0: the parent's). */
static long do_fork(struct call *c, word_t flags, word_t sp, word_t ptid, word_t ctid)
{
	struct proc *parent = proc_caller(c), *child;
	word_t tid;
	long err;
	if (!parent || proc_mm_ep < 0)
		return -ENOSYS;
	if ((flags & ~(word_t)CLONE_OK) || ((flags & CLONE_VM) && !(flags & CLONE_VFORK)))
		return -EINVAL;	/* threads and namespaces come later */
	if (!(child = proc_alloc(parent->pid)))
		return -EAGAIN;
	child->pgid = parent->pgid;
	child->sid = parent->sid;
	child->nofile[0] = parent->nofile[0];
	child->nofile[1] = parent->nofile[1];
	err = sys_tok_fork(c->token, sp, &child->task, &tid);
	if (err)
		goto fail;
	err = flags & CLONE_CHILD_SETTID ? fork_with_settid(c, parent, child, ctid)
					 : fork_memory(c, parent, child);
	if (err) {
		sys_thread_start(tid, 0, 1);	/* discard the child thread */
		goto fail;
	}
	if (flags & CLONE_CHILD_CLEARTID)
		child->clear_child_tid = ctid;
	if (flags & CLONE_PARENT_SETTID) {
		int32_t pid = child->pid;
		sys_tok_copyout(c->token, ptid, sizeof(pid), &pid);
	}
	proc_tell_vfs(VFS_FORK, (word_t)parent->pid, (word_t)child->pid);
	proc_tell_sig(SIG_FORK, (word_t)parent->pid, (word_t)child->pid, child->task);
	child->exit_signal = (int)(flags & 0xff);
	sys_thread_start(tid, (uint32_t)child->pid, 0);
	if (flags & CLONE_VFORK) {
		child->vfork_token = c->token;
		child->vfork_result = child->pid;
		return CALL_DEFERRED;
	}
	return child->pid;
fail:
	proc_free(child);
	return err == -ENOMEM ? -ENOMEM : -EAGAIN;
}

long proc_do_fork(struct call *c) { return do_fork(c, SIGCHLD, 0, 0, 0); }
long proc_do_vfork(struct call *c) { return do_fork(c, CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0); }

long proc_do_clone(struct call *c)
{
	return do_fork(c, c->arg[0], c->arg[1], c->arg[2], c->arg[LINUX_CLONE_ARG_CHILD_TID]);
}
