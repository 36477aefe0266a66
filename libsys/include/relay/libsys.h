/* The small freestanding C runtime of native Relay programs (libsys/src/). */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <relay/format.h>

/* The program's entry after crt0: main's status goes to sys_exit. */
int main(int argc, char **argv);

void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/* A heap mapped by mm on demand (libsys/src/malloc.c); not for mm itself. */
void *malloc(size_t n);
void free(void *p);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t n);

/* Formatted output to the console / into a buffer (always NUL-terminated). */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
