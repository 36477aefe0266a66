/*
 * Kernel-native calls (servers only): IPC, the call token's operations and a few
 * services. Each handler reads its arguments from the message registers w0..w7 of
 * the calling thread and leaves its result in w0 (negative errno on error).
 */
#include "object.h"
#include "kernel.h"
#include "frame.h"
#include "kstring.h"
#include <relay/errno.h>
#include <relay/gen/sysnr.h>

#include "native.h"

static bool own_endpoint(struct thread *t, word_t ep)
{
	return ep < MAX_ENDPOINTS && endpoints[ep].owner == t->task;
}

/* recv(ep): wait for a call on one's own endpoint. */
static void nat_recv(struct thread *t)
{
	if (!own_endpoint(t, W(t, 0)))
		return set_result(t, -EINVAL);
	ipc_recv(t, (int)W(t, 0));
}

/* reply_recv(token, ep, r0..r5): reply (a stale token is ignored: its caller died),
 * then receive; with nothing queued, switch straight to the caller just replied to. */
static void nat_reply_recv(struct thread *t)
{
	word_t ep = W(t, 1);
	struct thread *caller = NULL;
	if (unlikely(!own_endpoint(t, ep)))
		return set_result(t, -EINVAL);
	if (W(t, 0))
		ipc_reply(t, W(t, 0), &caller);
	struct endpoint *e = &endpoints[ep];
	if (unlikely(!caller || e->send_head || e->notify_bits)) {
		if (caller)
			sched_ready(caller);
		ipc_recv(t, (int)ep);
		return;
	}
	/* Fastpath: block on the endpoint and run the caller directly. */
	t->state = T_RECV;
	t->ep = (int)ep;
	t->next = NULL;
	if (e->recv_tail)
		e->recv_tail->next = t;
	else
		e->recv_head = t;
	e->recv_tail = t;
	sched_switch(caller);
}

/* call(ep, label, p0..p5): a native call; the reply's six words come back in w0..w5. */
static void nat_call(struct thread *t)
{
	word_t ep = W(t, 0), label = W(t, 1);
	if (ep >= MAX_ENDPOINTS || !endpoints[ep].owner || label >= LABEL_LINUX)
		return set_result(t, -EINVAL);
	ipc_send_call(t, (int)ep, (uint32_t)label, CALL_NATIVE);
}

/* reply(token, -, r0..r5) */
static void nat_reply(struct thread *t)
{
	struct thread *caller;
	int err = ipc_reply(t, W(t, 0), &caller);
	if (!err && caller)
		sched_ready(caller);
	set_result(t, err);
}

struct thread *token_thread(struct thread *t)
{
	return ipc_token_thread(t->task, W(t, 0));
}

/* tok_copyin(token, caller_addr, len, my_buf) / tok_copyout(token, caller_addr, len, my_buf) */
static void tok_copy(struct thread *t, bool out)
{
	struct thread *c = token_thread(t);
	word_t uaddr = W(t, 1), len = W(t, 2), buf = W(t, 3);
	bool src_bad;
	int err;
	if (!c)
		return set_result(t, -EINVAL);
	if (len > TOKEN_COPY_MAX)
		return set_result(t, -EINVAL);
	if (out)
		err = copy_between(&c->task->vs, uaddr, &t->task->vs, buf, len, &src_bad);
	else
		err = copy_between(&t->task->vs, buf, &c->task->vs, uaddr, len, &src_bad);
	/* A bad address on the caller's side is the caller's EFAULT; on ours, EINVAL. */
	if (err && (out ? src_bad : !src_bad))
		err = -EINVAL;
	set_result(t, err);
}
static void nat_tok_copyin(struct thread *t) { tok_copy(t, false); }
static void nat_tok_copyout(struct thread *t) { tok_copy(t, true); }

/* tok_get_reg(token, which) -> w1 = value */
static void nat_tok_get_reg(struct thread *t)
{
	struct thread *c = token_thread(t);
	if (!c || W(t, 1) > REG_BRK_BASE)
		return set_result(t, -EINVAL);
	if (W(t, 1) == REG_BRK_BASE)
		arch_regs_set_mr(&t->regs, 1, c->task->brk_base);
	else
		arch_regs_set_mr(&t->regs, 1, arch_regs_get(&c->regs, (int)W(t, 1)));
	set_result(t, 0);
}

/* tok_set_reg(token, which, value): pc and sp must be user addresses. */
static void nat_tok_set_reg(struct thread *t)
{
	struct thread *c = token_thread(t);
	word_t which = W(t, 1), v = W(t, 2);
	if (!c || which > REG_SP || (which != REG_TLS && v >= USER_TOP))
		return set_result(t, -EINVAL);
	arch_regs_set(&c->regs, (int)which, v);
	set_result(t, 0);
}

/* tok_pass(token, ep): hand the call on to another server. */
static void nat_tok_pass(struct thread *t)
{
	struct thread *c = token_thread(t);
	word_t ep = W(t, 1);
	if (!c || ep >= MAX_ENDPOINTS || !endpoints[ep].owner)
		return set_result(t, -EINVAL);
	set_result(t, 0);
	ipc_pass(c, (int)ep);
}

/* tok_set_badge(token, badge): label the calling thread (proc: its pid). */
static void nat_tok_set_badge(struct thread *t)
{
	struct thread *c = token_thread(t);
	if (!c)
		return set_result(t, -EINVAL);
	c->badge = (uint32_t)W(t, 1);
	set_result(t, 0);
}

/* tok_exit(token, status, killed): the caller never returns; its thread is destroyed
 * (killed: by a signal, status - 128). */
static void nat_tok_exit(struct thread *t)
{
	struct thread *c = token_thread(t);
	if (!c)
		return set_result(t, -EINVAL);
	set_result(t, 0);
	if (unlikely(kernel_trace) && c->kind == CALL_LINUX && !W(t, 2))
		trace_linux_exit(c, (int)W(t, 1));
	thread_exit(c, (int)W(t, 1), W(t, 2) != 0);
}

/* console_write(buf, len): raw output on the kernel console. */
static void nat_console_write(struct thread *t)
{
	char buf[128];
	word_t va = W(t, 0), len = W(t, 1);
	if (len > 65536)
		return set_result(t, -EINVAL);
	for (word_t done = 0; done < len;) {
		size_t n = len - done < sizeof(buf) ? len - done : sizeof(buf);
		if (vs_copy(&t->task->vs, va + done, buf, n, false))
			return set_result(t, -EFAULT);
		for (size_t i = 0; i < n; i++)
			arch_console_putc(buf[i]);
		done += n;
	}
	set_result(t, len);
}

/* notify(ep, bits): set bits in endpoint ep's notification word (see ipc_notify). */
static void nat_notify(struct thread *t)
{
	word_t ep = W(t, 0);
	if (ep >= MAX_ENDPOINTS || !endpoints[ep].owner || !W(t, 1))
		return set_result(t, -EINVAL);
	set_result(t, 0);
	ipc_notify((int)ep, W(t, 1));
}

static void nat_clock_ns(struct thread *t) { set_result(t, arch_now_ns()); }

/* boot_info(buf, len): the boot tasks and flags (struct relay_boot_info). */
static void nat_boot_info(struct thread *t)
{
	struct relay_boot_info bi;
	memset(&bi, 0, sizeof(bi));
	bi.flags = kernel_trace ? BOOT_FLAG_TRACE : 0;
	bi.self_ep = t->task->ep;
	bi.frames_total = frame_total_count();
	bi.frames_free = frame_free_count();
	bi.page_size = PAGE_SIZE;
	bi.user_top = USER_TOP;
	bi.user_stack_top = USER_STACK_TOP;
	frame_range(&bi.ram_base, &bi.ram_end);
	bi.self_task = task_handle(t->task);
	bi.dev_io_base = t->task->vs.io_base;
	bi.dev_io_len = t->task->vs.io_len;
	bi.dev_mmio_base = t->task->mmio_base;
	bi.dev_mmio_len = t->task->mmio_len;
	bi.dev_irq = t->task->irq;
	for (int i = 0; i < 16; i++)
		bi.route_ep[i] = i < ROUTE_COUNT ? route_ep[i] : -1;
	for (int i = 0; i < MAX_THREADS && bi.ntasks < BOOT_MAX_TASKS; i++) {
		struct thread *th = &threads[i];
		if (!th->task)
			continue;
		struct boot_task_info *b = &bi.task[bi.ntasks++];
		memcpy(b->name, th->task->name, TASK_NAME_MAX);
		b->ep = th->task->ep;
		b->tid = th->id;
	}
	if (W(t, 1) < sizeof(bi))
		return set_result(t, -EINVAL);
	set_result(t, vs_copy(&t->task->vs, W(t, 0), &bi, sizeof(bi), true) ? -EFAULT : 0);
}

static void nat_yield(struct thread *t)
{
	set_result(t, 0);
	sched_ready(t);
	sched_block_current();
}

static void nat_exit(struct thread *t) { thread_exit(t, (int)W(t, 0), false); }

static void (*const native_table[NATIVE_COUNT])(struct thread *) = {
	[NATIVE_recv] = nat_recv,
	[NATIVE_reply_recv] = nat_reply_recv,
	[NATIVE_call] = nat_call,
	[NATIVE_reply] = nat_reply,
	[NATIVE_tok_copyin] = nat_tok_copyin,
	[NATIVE_tok_copyout] = nat_tok_copyout,
	[NATIVE_tok_get_reg] = nat_tok_get_reg,
	[NATIVE_tok_set_reg] = nat_tok_set_reg,
	[NATIVE_tok_pass] = nat_tok_pass,
	[NATIVE_tok_set_badge] = nat_tok_set_badge,
	[NATIVE_tok_exit] = nat_tok_exit,
	[NATIVE_console_write] = nat_console_write,
	[NATIVE_clock_ns] = nat_clock_ns,
	[NATIVE_boot_info] = nat_boot_info,
	[NATIVE_yield] = nat_yield,
	[NATIVE_exit] = nat_exit,
	[NATIVE_vs_map] = nat_vs_map,
	[NATIVE_vs_unmap] = nat_vs_unmap,
	[NATIVE_vs_query] = nat_vs_query,
	[NATIVE_vs_next] = nat_vs_next,
	[NATIVE_frame_alloc] = nat_frame_alloc,
	[NATIVE_frame_free] = nat_frame_free,
	[NATIVE_frame_copy] = nat_frame_copy,
	[NATIVE_vs_cow_range] = nat_vs_cow_range,
	[NATIVE_vs_unmap_range] = nat_vs_unmap_range,
	[NATIVE_tok_task] = nat_tok_task,
	[NATIVE_tok_fork] = nat_tok_fork,
	[NATIVE_thread_start] = nat_thread_start,
	[NATIVE_tok_exec] = nat_tok_exec,
	[NATIVE_tok_reply_at] = nat_tok_reply_at,
	[NATIVE_boot_read] = nat_boot_read,
	[NATIVE_notify] = nat_notify,
	[NATIVE_task_interrupt] = nat_task_interrupt,
	[NATIVE_tok_interrupted] = nat_tok_interrupted,
	[NATIVE_tok_get_regs] = nat_tok_get_regs,
	[NATIVE_tok_set_regs] = nat_tok_set_regs,
	[NATIVE_tok_forward] = nat_tok_forward,
	[NATIVE_notify_at] = nat_notify_at,
	[NATIVE_irq_bind] = nat_irq_bind,
	[NATIVE_irq_ack] = nat_irq_ack,
	[NATIVE_dev_map] = nat_dev_map,
};

void kernel_native_call(void)
{
	struct thread *t = kernel_current();
	word_t nr = arch_regs_native_nr(&t->regs);
	if (unlikely(!t->task->native_ok || nr >= NATIVE_COUNT || !native_table[nr])) {
		/* To a Linux program this is just an unknown system call. */
		arch_regs_set_linux_ret(&t->regs, (word_t)-ENOSYS);
		return;
	}
	native_table[nr](t);
}
