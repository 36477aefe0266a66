/*
 * Native messages to the console server (labels below LABEL_LINUX), sent by the vfs,
 * which keeps the descriptors, O_NONBLOCK and the deferred reads (docs/console.md).
 * The console server answers every message at once and never calls the vfs: when input
 * becomes readable it sets VFS_NOTIFY_CONSOLE in the vfs's notification word, and the
 * vfs retries its waiting reads and polls. Data travels in the message words: bytes are
 * packed in order (memcpy) into consecutive words.
 */
#pragma once

/* Bytes per CONSOLE_READ reply (r2..r5) and per CONSOLE_WRITE message (arg1..arg5). */
#define CONSOLE_READ_MAX 32
#define CONSOLE_WRITE_MAX 40
/* Bytes of ioctl data in a CONSOLE_IOCTL message (arg1..arg5) or its reply (r1..r5). */
#define CONSOLE_IOCTL_MAX 40

/* CONSOLE_READ(len, cont): take input as a read(2) of len bytes would, at most
 * CONSOLE_READ_MAX of it. cont = 1: the same read(2) already got bytes (VMIN is met,
 * never wait). r0: n > 0 bytes (in r2..r5); 0: end of file (VEOF at the start of a line,
 * or nothing with VMIN = 0 or cont); -EAGAIN: the read must wait. r1: 1 if more for the
 * same read(2) is ready now (the rest of a canonical line, more raw bytes). */
#define CONSOLE_READ 1
/* CONSOLE_WRITE(n, d0..d4): write n <= CONSOLE_WRITE_MAX bytes with output processing
 * (OPOST, ONLCR). r0: n or -EINVAL. */
#define CONSOLE_WRITE 2
/* CONSOLE_POLL(): r0: 1 if a read would not wait (POLLIN), else 0. */
#define CONSOLE_POLL 3
/* CONSOLE_IOCTL(req | pid << 32, in0..in4): a tty ioctl (TCGETS, TCSETS, TCSETSW, TCSETSF,
 * TIOCGWINSZ, TIOCSWINSZ, TIOCGPGRP, TIOCSPGRP, FIONREAD, TCFLSH) by process pid; its
 * input (the struct, or TCFLSH's value in in0) in the message, its output in r1..r5.
 * r0: 0 or -ENOTTY, -EINVAL. */
#define CONSOLE_IOCTL 4

/* The bit the console server sets in the vfs's notification word: input became readable
 * (or the line discipline changed): re-check the deferred console reads and the polls. */
#define VFS_NOTIFY_CONSOLE 1ul

/* CONSOLE_TAKE_SIGNAL(): the oldest signal the line discipline generated (^C, ^\, ^Z) and
 * not yet taken. r0: the signal (0: none left), r1: the foreground process group. proc
 * asks after PROC_NOTIFY_TTY and sends it (kill(-pgrp, sig)); the console server never
 * calls proc, so no server waits for another in a cycle (vfs -> console, proc -> vfs). */
#define CONSOLE_TAKE_SIGNAL 5

/* The bit the console server sets in proc's notification word: signals wait to be taken. */
#define PROC_NOTIFY_TTY 1ul
