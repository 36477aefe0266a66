/* Kernel-native call handlers (kernel/native*.c): each reads the caller's message
 * registers w0..w7 and leaves its result in w0 (negative errno on error). */
#pragma once
#include "object.h"

#define W(t, i) arch_regs_mr(&(t)->regs, (i))
static inline void set_result(struct thread *t, word_t v) { arch_regs_set_mr(&t->regs, 0, v); }

/* The thread whose call token is in t's w0, if t's task holds it; else NULL. */
struct thread *token_thread(struct thread *t);

/* native_mem.c: the pager's rights over address spaces and frames */
void nat_vs_map(struct thread *t);
void nat_vs_unmap(struct thread *t);
void nat_vs_query(struct thread *t);
void nat_vs_next(struct thread *t);
void nat_frame_alloc(struct thread *t);
void nat_frame_free(struct thread *t);
void nat_frame_copy(struct thread *t);
void nat_vs_cow_range(struct thread *t);
void nat_vs_unmap_range(struct thread *t);

/* native_task.c: the process manager's rights over tasks and threads */
void nat_tok_task(struct thread *t);
void nat_tok_fork(struct thread *t);
void nat_thread_start(struct thread *t);

/* timer.c */
void nat_tok_reply_at(struct thread *t);

/* irq.c: device rights of driver servers */
void nat_irq_bind(struct thread *t);
void nat_irq_ack(struct thread *t);
void nat_dev_map(struct thread *t);

/* boot.c */
void nat_boot_read(struct thread *t);

/* exec.c */
void nat_tok_exec(struct thread *t);

/* upcall.c: interrupting threads (the sig server), their registers */
void nat_task_interrupt(struct thread *t);
void nat_tok_interrupted(struct thread *t);
void nat_tok_get_regs(struct thread *t);
void nat_tok_set_regs(struct thread *t);
void nat_tok_forward(struct thread *t);
void nat_notify_at(struct thread *t);
