/* The C runtime of native programs: entry after crt0, console printf. */
#include <stdarg.h>
#include <relay/libsys.h>
#include <relay/native.h>

_Noreturn void libsys_start(word_t *sp);

/* crt0 passes the Linux initial stack: argc, argv[], NULL, envp[], NULL, auxv. */
void libsys_start(word_t *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	sys_exit(main(argc, argv));
}

struct buf { char *p; size_t len, cap; };

static void buf_put(char c, void *ctx)
{
	struct buf *b = ctx;
	if (b->len + 1 < b->cap)
		b->p[b->len] = c;
	b->len++;
}

int snprintf(char *s, size_t size, const char *fmt, ...)
{
	struct buf b = { s, 0, size };
	va_list ap;
	va_start(ap, fmt);
	vformat(buf_put, &b, fmt, ap);
	va_end(ap);
	if (size)
		s[b.len < size ? b.len : size - 1] = 0;
	return (int)b.len;
}

int printf(const char *fmt, ...)
{
	char line[256];
	struct buf b = { line, 0, sizeof(line) };
	va_list ap;
	va_start(ap, fmt);
	vformat(buf_put, &b, fmt, ap);
	va_end(ap);
	sys_console_write(line, b.len < sizeof(line) ? b.len : sizeof(line) - 1);
	return (int)b.len;
}
