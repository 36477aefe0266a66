/* Native kernel calls for servers (libsys/src/native.c). All return >= 0 or a negative errno. */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <relay/abi.h>

typedef unsigned long word_t;

/* What recv / reply_recv deliver (see relay/abi.h). */
struct msg {
	word_t token;		/* > 0: the call's token; < 0: an errno */
	uint32_t label, badge;
	word_t arg[6];
};

/* Wait on one's own endpoint ep for the next call. */
long sys_recv(int ep, struct msg *m);
/* Reply r[0..5] to token (0: no reply), then wait for the next call. */
long sys_reply_recv(word_t token, int ep, const word_t r[REPLY_WORDS], struct msg *m);
/* Reply once to token. */
long sys_reply(word_t token, const word_t r[REPLY_WORDS]);
/* Copy between the caller of token and this server: 0, -EFAULT (caller's address), -EINVAL. */
long sys_tok_copyin(word_t token, word_t uaddr, size_t len, void *buf);
long sys_tok_copyout(word_t token, word_t uaddr, size_t len, const void *buf);
/* Ask the pager to make the caller's [uaddr, uaddr+len) present (the copies do it on EFAULT). */
long libsys_fault_in(word_t token, word_t uaddr, size_t len, _Bool write);
/* The endpoint of the pager (the mm server), or -1 if there is none. */
int libsys_pager_ep(void);
/* Read / write a register of the caller (REG_TLS, REG_PC, REG_SP). */
long sys_tok_get_reg(word_t token, int which, word_t *value);
long sys_tok_set_reg(word_t token, int which, word_t value);
/* Hand the call on to endpoint ep; this server no longer holds it. */
long sys_tok_pass(word_t token, int ep);
/* Set the caller thread's badge (the label servers see in its messages). */
long sys_tok_set_badge(word_t token, uint32_t badge);
/* End the caller's thread with an exit status (it gets no reply); killed: by signal
 * status - 128 (the kernel reports it so for init). */
long sys_tok_exit(word_t token, int status, int killed);
/* Write bytes to the kernel console. */
long sys_console_write(const void *buf, size_t len);
/* Monotonic nanoseconds since boot. */
uint64_t sys_clock_ns(void);
/* The boot tasks and flags. */
long sys_boot_info(struct relay_boot_info *bi);
/* Copy len bytes at off of the boot archive; with len 0, its size. */
long sys_boot_read(size_t off, void *buf, size_t len);
long sys_yield(void);
/* Set bits in endpoint ep's notification word; its server receives them as a message with
 * token 0 and label LABEL_NOTIFY (bits in arg[0]) before any queued call. Never blocks. */
long sys_notify(int ep, word_t bits);
/* Drivers only (rights from the boot manifest, see relay_boot_info's dev_* fields):
 * have interrupt line irq set bits in one's own endpoint notification word each time it
 * fires (the kernel masks it then); unmask it again once the device is serviced; map the
 * granted device memory at va (page aligned) as uncached device memory. */
long sys_irq_bind(unsigned irq, word_t bits);
long sys_irq_ack(unsigned irq);
long sys_dev_map(word_t va);
/* The pager's memory rights (the task serving the mm routes only), on the address space
 * of a task handle: map / unmap / query a page, find the next mapped page in [va, end)
 * (-ENOENT: none; -EAGAIN: scan cut short, go on from *va); take, give back and copy
 * zeroed frames. */
long sys_vs_map(word_t task, word_t va, word_t pa, unsigned prot);
long sys_vs_unmap(word_t task, word_t va, word_t *old_pa);
long sys_vs_query(word_t task, word_t va, word_t *pa, unsigned *prot);
long sys_vs_next(word_t task, word_t *va, word_t end, word_t *pa, unsigned *prot);
long sys_frame_alloc(void);
long sys_frame_free(word_t pa);
long sys_frame_copy(word_t dst, word_t src);
/* Batched forms: give child the present pages of [*va, end) of task (copy-on-write unless
 * shared) / unmap them; up to 256 per call, their frames in frames[]. Return the count and
 * advance *va (end when done). */
long sys_vs_cow_range(word_t task, word_t child, word_t *va, word_t end, word_t *frames,
		      int shared);
long sys_vs_unmap_range(word_t task, word_t *va, word_t end, word_t *frames);
/* Who token's caller is: its task handle, badge (pid) and loaded program's end. */
struct tok_info { word_t task, badge, brk_base; };
long sys_tok_task(word_t token, struct tok_info *info);
/* Process manager only: a new task and suspended thread copying token's caller (which
 * returns 0 there, on stack sp if not 0); start it with a badge. */
long sys_tok_fork(word_t token, word_t sp, word_t *task, word_t *tid);
long sys_thread_start(word_t tid, uint32_t badge, int discard);
/* Process manager only: check (load = 0) or load (load = 1) a program into token's caller,
 * whose address space the pager emptied: the image_len bytes at image (read from the vfs),
 * or with image_len 0 the boot-archive file the struct exec_blob's path names. */
long sys_tok_exec(word_t token, const void *blob, size_t len, int load, const void *image,
		  size_t image_len);
/* Have the kernel reply value to token's Linux call at monotonic time deadline_ns. */
long sys_tok_reply_at(word_t token, uint64_t deadline_ns, word_t value);
/* Signal server only: interrupt task's thread; it then calls this server (LABEL_UPCALL)
 * before it runs user code again, and a server holding its call gets NOTIFY_CANCEL. */
long sys_task_interrupt(word_t task);
/* 1 if token's caller was interrupted (answer its deferred call early), 0 if not. */
long sys_tok_interrupted(word_t token);
/* The caller's user context (registers, FP/SIMD, its last Linux call); set checks it. */
struct relay_uregs;
long sys_tok_get_regs(word_t token, struct relay_uregs *u);
long sys_tok_set_regs(word_t token, const struct relay_uregs *u);
/* Hand the call on to endpoint ep as a call with label (< LABEL_LINUX) and words a0, a1
 * (arg[0], arg[1]; arg[2] is the caller's pc). */
long sys_tok_forward(word_t token, int ep, uint32_t label, word_t a0, word_t a1);
/* NOTIFY_TIMER on one's own endpoint at monotonic time deadline_ns (0: cancel). */
long sys_notify_at(uint64_t deadline_ns);
_Noreturn void sys_exit(int status);

#include <relay/arch/trap.h>
#include <relay/gen/sysnr.h>

/* A native call to endpoint ep with label (< LABEL_LINUX) and six words; the reply's six
 * words land in r. Returns r[0] (negative errno if the call itself failed). Inline: it is
 * the client half of the IPC fastpath. */
static inline long sys_call(int ep, uint32_t label, const word_t p[6], word_t r[REPLY_WORDS])
{
	word_t w[8] = { (word_t)ep, label, p[0], p[1], p[2], p[3], p[4], p[5] };
	native_trap(NATIVE_call, w);
	for (int i = 0; i < REPLY_WORDS; i++)
		r[i] = w[i];
	return (long)w[0];
}
