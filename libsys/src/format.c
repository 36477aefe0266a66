/* printf-style formatting with a character sink: used by the kernel and by servers. */
#include <stdint.h>
#include <stdbool.h>
#include <relay/format.h>

struct sink { void (*put)(char, void *); void *ctx; };

static void put_str(struct sink *s, const char *str)
{
	while (*str)
		s->put(*str++, s->ctx);
}

static void put_num(struct sink *s, uint64_t v, unsigned base, int width, char pad, bool neg)
{
	char buf[24];
	int n = 0;
	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		buf[n++] = '-';
	while (n < width--)
		s->put(pad, s->ctx);
	while (n)
		s->put(buf[--n], s->ctx);
}

static uint64_t get_unsigned(va_list *ap, int lng)
{
	return lng ? va_arg(*ap, uint64_t) : va_arg(*ap, unsigned);
}

void vformat(void (*put)(char c, void *ctx), void *ctx, const char *fmt, va_list ap)
{
	struct sink s = { put, ctx };
	va_list aq;
	va_copy(aq, ap);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(*fmt, ctx);
			continue;
		}
		char pad = ' ';
		int width = 0, lng = 0;
		if (*++fmt == '0')
			pad = '0', fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z')
			lng++, fmt++;
		switch (*fmt) {
		case 's': { const char *p = va_arg(aq, const char *); put_str(&s, p ? p : "(null)"); break; }
		case 'c': put((char)va_arg(aq, int), ctx); break;
		case 'd': {
			int64_t v = lng ? va_arg(aq, int64_t) : va_arg(aq, int);
			put_num(&s, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, width, pad, v < 0);
			break;
		}
		case 'u': put_num(&s, get_unsigned(&aq, lng), 10, width, pad, false); break;
		case 'x': put_num(&s, get_unsigned(&aq, lng), 16, width, pad, false); break;
		case 'o': put_num(&s, get_unsigned(&aq, lng), 8, width, pad, false); break;
		case 'p': put_str(&s, "0x"); put_num(&s, (uintptr_t)va_arg(aq, void *), 16, width, pad, false); break;
		case '%': put('%', ctx); break;
		default: put('%', ctx); put(*fmt, ctx); break;
		}
	}
	va_end(aq);
}
