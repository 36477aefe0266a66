/*
 * The kernel <-> server ABI shared by kernel/ and libsys/ (no Linux numbers here:
 * those come from the generated <relay/gen/sysnr.h>).
 *
 * A message is 8 words w0..w7 carried in registers (see arch regs.h for which).
 * What a receiver gets from recv / reply_recv:
 *   w0  token (> 0) for this call, 0 for a notification (label LABEL_NOTIFY, bits in w2),
 *       or a negative errno
 *   w1  label | (badge << 32)
 *   w2..w7  the six arguments (Linux call) or the six payload words (native call)
 * label: LABEL_LINUX | generic syscall id (SYS_*) for a forwarded Linux call;
 *        the caller's own label (< LABEL_LINUX) for a native call.
 * badge: an opaque 32-bit value the kernel keeps per thread (proc sets it to the pid).
 */
#pragma once
#include <stdint.h>

#define LABEL_LINUX       0x10000u
#define LABEL_FAULT       0x20000u  /* a page fault sent to the pager (mm): args addr, flags, pc */
#define FAULT_FLAG_WRITE  1u
#define LABEL_KILL        0x40000u  /* to proc: a fatal fault; args addr, signal, pc */
#define LABEL_NOTIFY      0x80000u  /* token 0: notification bits in w2 (see notify) */
#define LABEL_UPCALL      0x100000u /* an interrupted thread calls its interrupter (task_interrupt):
                                       w2 UPCALL_* flags, w3 its last Linux call's number, w4 pc */
#define UPCALL_FROM_SYSCALL 1u      /* a Linux call just returned: its result is in the return register */
#define NOTIFY_CANCEL     (1ul << 63) /* a thread whose call you hold was interrupted (tok_interrupted) */
#define NOTIFY_TIMER      (1ul << 62) /* the notify_at() deadline passed */
#define LABEL_SYS_MASK    0xffffu
#define MSG_WORDS         8
#define REPLY_WORDS       6

#define BOOT_INIT_BADGE   1     /* the init program's first badge (proc: pid 1) */
#define TOKEN_COPY_MAX    (1u << 20)  /* bytes per tok_copyin / tok_copyout */

/* Registers reachable through a token (tok_get_reg / tok_set_reg). */
#define REG_TLS   0   /* fs_base on x86-64, tpidr_el0 on AArch64 */
#define REG_PC    1
#define REG_SP    2
#define REG_BRK_BASE 3  /* read-only: the page after the loaded program's last segment */

/* The blob proc hands to tok_exec: this header, then the path, argv[] and envp[] strings,
 * each NUL-terminated, EXEC_BLOB_MAX bytes at most. */
#define EXEC_BLOB_MAX (64u << 10)
struct exec_blob { uint32_t argc, envc; };

/* Boot information a server reads with the boot_info native call. */
#define BOOT_NAME_MAX  16
#define BOOT_MAX_TASKS 16
#define BOOT_FLAG_TRACE 1u
struct boot_task_info {
	char name[BOOT_NAME_MAX];
	int32_t ep;           /* its endpoint, -1 if none */
	uint32_t tid;
};
struct relay_boot_info {
	uint32_t flags;       /* BOOT_FLAG_* from the kernel command line */
	int32_t self_ep;      /* the caller's own endpoint */
	uint32_t ntasks;
	uint32_t pad;
	uint64_t frames_total, frames_free;
	uint64_t page_size, user_top, user_stack_top;
	uint64_t ram_base, ram_end;	/* every frame is in [ram_base, ram_end) */
	uint64_t self_task;	/* the caller's own task handle */
	int8_t route_ep[16];	/* route class (ROUTE_*) -> serving endpoint, -1: none */
	struct boot_task_info task[BOOT_MAX_TASKS];
	/* The caller's device rights (a driver's manifest options io=, mmio=, irq=). */
	uint32_t dev_io_base, dev_io_len;	/* I/O ports it may use directly, len 0: none */
	uint64_t dev_mmio_base, dev_mmio_len;	/* device memory for dev_map, len 0: none */
	int32_t dev_irq;			/* the line for irq_bind, -1: none */
	uint32_t pad2;
};
