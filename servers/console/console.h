/*
 * console server: a user-space UART driver (uart_<chip>.c, chosen by meson from the
 * architecture) and the tty line discipline (tty.c) behind /dev/console and /dev/tty.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <relay/native.h>

/* uart_<chip>.c: the device the boot manifest granted (relay_boot_info's dev_* fields). */
/* Set the UART up for interrupt-driven receive. 0 or -errno (no rights, mapping failed). */
int uart_init(const struct relay_boot_info *bi);
/* The next received byte, or -1 if the receiver is empty. */
int uart_getc(void);
/* Send one byte (polled: waits for room in the transmitter). */
void uart_putc(uint8_t c);
/* Clear the UART's receive interrupt condition (after draining it with uart_getc). */
void uart_rx_done(void);

/* tty.c: the line discipline. */
/* One received byte: signals, editing, echo; complete lines / raw bytes become readable. */
void tty_input(uint8_t c);
/* Write n bytes with output processing (OPOST / ONLCR). */
void tty_output(const uint8_t *buf, size_t n);
/* Take input for a read(2) of len bytes into out (at most max): see CONSOLE_READ. */
long tty_read(size_t len, bool cont, uint8_t *out, size_t max, bool *more);
/* Would a read take data now (POLLIN)? */
bool tty_readable(void);
/* A tty ioctl from pid: in holds its input, out receives its output (both
 * CONSOLE_IOCTL_MAX bytes). 0 or -errno. */
long tty_ioctl(unsigned req, int pid, const void *in, void *out);
/* The single point where a tty-generated signal would be sent (see tty.c). */
void tty_signal(int sig);

/* tty.c: the next queued keyboard signal (0: none) and its process group in *pgrp. */
int tty_take_signal(int *pgrp);
/* main.c: tell proc that keyboard signals wait (PROC_NOTIFY_TTY). */
void console_signal_ready(void);
