/* printf-style formatting shared by the kernel console and libsys (libsys/src/format.c). */
#pragma once
#include <stdarg.h>
#include <stddef.h>
/* Format fmt (%s %c %d %u %x %o %p %%, 0-padding, width, l/ll/z) through put(c, ctx). */
void vformat(void (*put)(char c, void *ctx), void *ctx, const char *fmt, va_list ap);
