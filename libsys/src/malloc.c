/*
 * malloc for servers: a first-fit free list with coalescing (K&R style) over a heap that
 * mm maps into the server on demand (MM_SERVER_MAP). Servers are single-threaded.
 * mm itself must not call these (it would call itself).
 */
#include <stdbool.h>
#include <relay/libsys.h>
#include <relay/native.h>
#include <relay/proto/mm.h>

#define HEAP_BASE 0x200000000ul	/* 8 GiB: far from any server's image */
#define GROW_MIN (256ul << 10)

struct block {
	size_t size;		/* in units of struct block, header included */
	struct block *next;	/* free list, sorted by address */
};

static struct block base = { 0, &base };
static struct block *free_list = &base;
static uintptr_t heap_end = HEAP_BASE;

/* Ask mm for len more bytes at the end of the heap. */
static bool heap_grow(size_t len)
{
	word_t r[REPLY_WORDS];
	int pager = libsys_pager_ep();
	if (pager < 0)
		return false;
	word_t p[6] = { heap_end, len, 0, 0, 0, 0 };
	if (sys_call(pager, MM_SERVER_MAP, p, r) || r[0])
		return false;
	struct block *b = (struct block *)heap_end;
	b->size = len / sizeof(struct block);
	heap_end += len;
	free(b + 1);
	return true;
}

void *malloc(size_t n)
{
	size_t units = (n + sizeof(struct block) - 1) / sizeof(struct block) + 1;
	if (n > (1ul << 40))
		return NULL;
	for (int tries = 0; tries < 2; tries++) {
		struct block *prev = free_list;
		for (struct block *b = prev->next;; prev = b, b = b->next) {
			if (b->size >= units) {
				if (b->size == units) {
					prev->next = b->next;
				} else {
					b->size -= units;
					b += b->size;
					b->size = units;
				}
				free_list = prev;
				return b + 1;
			}
			if (b == free_list)
				break;
		}
		size_t grow = units * sizeof(struct block);
		grow = grow < GROW_MIN ? GROW_MIN : (grow + 4095) & ~4095ul;
		if (!heap_grow(grow))
			return NULL;
	}
	return NULL;
}

void free(void *p)
{
	if (!p)
		return;
	struct block *b = (struct block *)p - 1, *q = free_list;
	while (!(b > q && b < q->next)) {
		if (q >= q->next && (b > q || b < q->next))
			break;	/* at either end of the ring */
		q = q->next;
	}
	if (b + b->size == q->next) {
		b->size += q->next->size;
		b->next = q->next->next;
	} else {
		b->next = q->next;
	}
	if (q + q->size == b) {
		q->size += b->size;
		q->next = b->next;
	} else {
		q->next = b;
	}
	free_list = q;
}

void *calloc(size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size)
		return NULL;
	void *p = malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void *realloc(void *p, size_t n)
{
	if (!p)
		return malloc(n);
	struct block *b = (struct block *)p - 1;
	size_t have = (b->size - 1) * sizeof(struct block);
	if (n <= have)
		return p;
	void *q = malloc(n);
	if (q) {
		memcpy(q, p, have);
		free(p);
	}
	return q;
}
