/* Native call stubs: pack arguments into the message words and trap (relay/arch/trap.h). */
#include <stdbool.h>
#include <relay/native.h>
#include <relay/arch/trap.h>
#include <relay/gen/sysnr.h>
#include <relay/errno.h>
#include <relay/arch/uregs.h>

static long trap(unsigned nr, word_t w[8])
{
	native_trap(nr, w);
	return (long)w[0];
}

static void unpack(const word_t w[8], struct msg *m)
{
	m->token = w[0];
	m->label = (uint32_t)w[1];
	m->badge = (uint32_t)(w[1] >> 32);
	for (int i = 0; i < 6; i++)
		m->arg[i] = w[2 + i];
}

long sys_recv(int ep, struct msg *m)
{
	word_t w[8] = { (word_t)ep };
	long r = trap(NATIVE_recv, w);
	unpack(w, m);
	return r;
}

long sys_reply_recv(word_t token, int ep, const word_t r[REPLY_WORDS], struct msg *m)
{
	word_t w[8] = { token, (word_t)ep, r[0], r[1], r[2], r[3], r[4], r[5] };
	long res = trap(NATIVE_reply_recv, w);
	unpack(w, m);
	return res;
}

long sys_reply(word_t token, const word_t r[REPLY_WORDS])
{
	word_t w[8] = { token, 0, r[0], r[1], r[2], r[3], r[4], r[5] };
	return trap(NATIVE_reply, w);
}

static long tok_copy(unsigned nr, word_t token, word_t uaddr, size_t len, const void *buf)
{
	word_t w[8] = { token, uaddr, len, (word_t)buf };
	return trap(nr, w);
}

/* The caller's pages may just not be there yet (demand-zero, copy-on-write): on EFAULT,
 * ask the pager to bring the range in as an access would, and try once more. */
static long tok_copy_retry(unsigned nr, word_t token, word_t uaddr, size_t len, const void *buf,
			   bool write)
{
	long err = tok_copy(nr, token, uaddr, len, buf);
	if (err != -EFAULT || !len || libsys_fault_in(token, uaddr, len, write))
		return err;
	return tok_copy(nr, token, uaddr, len, buf);
}

long sys_tok_copyin(word_t token, word_t uaddr, size_t len, void *buf)
{
	return tok_copy_retry(NATIVE_tok_copyin, token, uaddr, len, buf, false);
}

long sys_tok_copyout(word_t token, word_t uaddr, size_t len, const void *buf)
{
	return tok_copy_retry(NATIVE_tok_copyout, token, uaddr, len, buf, true);
}

long sys_tok_get_reg(word_t token, int which, word_t *value)
{
	word_t w[8] = { token, (word_t)which };
	long r = trap(NATIVE_tok_get_reg, w);
	*value = w[1];
	return r;
}

long sys_tok_set_reg(word_t token, int which, word_t value)
{
	word_t w[8] = { token, (word_t)which, value };
	return trap(NATIVE_tok_set_reg, w);
}

long sys_tok_pass(word_t token, int ep)
{
	word_t w[8] = { token, (word_t)ep };
	return trap(NATIVE_tok_pass, w);
}

long sys_tok_set_badge(word_t token, uint32_t badge)
{
	word_t w[8] = { token, badge };
	return trap(NATIVE_tok_set_badge, w);
}

long sys_tok_exit(word_t token, int status, int killed)
{
	word_t w[8] = { token, (word_t)status, (word_t)killed };
	return trap(NATIVE_tok_exit, w);
}

long sys_console_write(const void *buf, size_t len)
{
	word_t w[8] = { (word_t)buf, len };
	return trap(NATIVE_console_write, w);
}

uint64_t sys_clock_ns(void)
{
	word_t w[8] = { 0 };
	return (uint64_t)trap(NATIVE_clock_ns, w);
}

long sys_boot_info(struct relay_boot_info *bi)
{
	word_t w[8] = { (word_t)bi, sizeof(*bi) };
	return trap(NATIVE_boot_info, w);
}

long sys_boot_read(size_t off, void *buf, size_t len)
{
	word_t w[8] = { off, (word_t)buf, len };
	return trap(NATIVE_boot_read, w);
}

long sys_yield(void)
{
	word_t w[8] = { 0 };
	return trap(NATIVE_yield, w);
}

long sys_vs_map(word_t task, word_t va, word_t pa, unsigned prot)
{
	word_t w[8] = { task, va, pa, prot };
	return trap(NATIVE_vs_map, w);
}

long sys_vs_unmap(word_t task, word_t va, word_t *old_pa)
{
	word_t w[8] = { task, va };
	long r = trap(NATIVE_vs_unmap, w);
	*old_pa = r ? 0 : w[1];
	return r;
}

long sys_vs_query(word_t task, word_t va, word_t *pa, unsigned *prot)
{
	word_t w[8] = { task, va };
	long r = trap(NATIVE_vs_query, w);
	*pa = w[1];
	*prot = (unsigned)w[2];
	return r;
}

long sys_vs_next(word_t task, word_t *va, word_t end, word_t *pa, unsigned *prot)
{
	word_t w[8] = { task, *va, end };
	long r = trap(NATIVE_vs_next, w);
	if (r == 0 || r == -EAGAIN)
		*va = w[1];
	*pa = w[2];
	*prot = (unsigned)w[3];
	return r;
}

long sys_vs_cow_range(word_t task, word_t child, word_t *va, word_t end, word_t *frames,
		      int shared)
{
	word_t w[8] = { task, child, *va, end, (word_t)frames, (word_t)shared };
	long r = trap(NATIVE_vs_cow_range, w);
	*va = w[1];
	return r;
}

long sys_vs_unmap_range(word_t task, word_t *va, word_t end, word_t *frames)
{
	word_t w[8] = { task, 0, *va, end, (word_t)frames };
	long r = trap(NATIVE_vs_unmap_range, w);
	*va = w[1];
	return r;
}

long sys_frame_copy(word_t dst, word_t src)
{
	word_t w[8] = { dst, src };
	return trap(NATIVE_frame_copy, w);
}

long sys_tok_task(word_t token, struct tok_info *info)
{
	word_t w[8] = { token };
	long r = trap(NATIVE_tok_task, w);
	info->task = w[1];
	info->badge = w[2];
	info->brk_base = w[3];
	return r;
}

long sys_tok_fork(word_t token, word_t sp, word_t *task, word_t *tid)
{
	word_t w[8] = { token, sp };
	long r = trap(NATIVE_tok_fork, w);
	*task = w[1];
	*tid = w[2];
	return r;
}

long sys_thread_start(word_t tid, uint32_t badge, int discard)
{
	word_t w[8] = { tid, badge, (word_t)discard };
	return trap(NATIVE_thread_start, w);
}

long sys_frame_alloc(void)
{
	word_t w[8] = { 0 };
	return trap(NATIVE_frame_alloc, w);
}

long sys_frame_free(word_t pa)
{
	word_t w[8] = { pa };
	return trap(NATIVE_frame_free, w);
}

long sys_tok_exec(word_t token, const void *blob, size_t len, int load, const void *image,
		  size_t image_len)
{
	word_t w[8] = { token, (word_t)blob, len, (word_t)load, (word_t)image, image_len };
	return trap(NATIVE_tok_exec, w);
}

long sys_tok_reply_at(word_t token, uint64_t deadline_ns, word_t value)
{
	word_t w[8] = { token, deadline_ns, value };
	return trap(NATIVE_tok_reply_at, w);
}

void sys_exit(int status)
{
	word_t w[8] = { (word_t)status };
	for (;;)
		trap(NATIVE_exit, w);
}

long sys_notify(int ep, word_t bits)
{
	word_t w[8] = { (word_t)ep, bits };
	return trap(NATIVE_notify, w);
}

long sys_task_interrupt(word_t task)
{
	word_t w[8] = { task };
	return trap(NATIVE_task_interrupt, w);
}

long sys_tok_interrupted(word_t token)
{
	word_t w[8] = { token };
	return trap(NATIVE_tok_interrupted, w);
}

long sys_tok_get_regs(word_t token, struct relay_uregs *u)
{
	word_t w[8] = { token, (word_t)u, sizeof(*u) };
	return trap(NATIVE_tok_get_regs, w);
}

long sys_tok_set_regs(word_t token, const struct relay_uregs *u)
{
	word_t w[8] = { token, (word_t)u, sizeof(*u) };
	return trap(NATIVE_tok_set_regs, w);
}

long sys_tok_forward(word_t token, int ep, uint32_t label, word_t a0, word_t a1)
{
	word_t w[8] = { token, (word_t)ep, label, a0, a1 };
	return trap(NATIVE_tok_forward, w);
}

long sys_notify_at(uint64_t deadline_ns)
{
	word_t w[8] = { deadline_ns };
	return trap(NATIVE_notify_at, w);
}

long sys_irq_bind(unsigned irq, word_t bits)
{
	word_t w[8] = { irq, bits };
	return trap(NATIVE_irq_bind, w);
}

long sys_irq_ack(unsigned irq)
{
	word_t w[8] = { irq };
	return trap(NATIVE_irq_ack, w);
}

long sys_dev_map(word_t va)
{
	word_t w[8] = { va };
	return trap(NATIVE_dev_map, w);
}
