/* The tracking allocator behind vfs_alloc/vfs_free for the vfs library tests: every live
 * block is on a list (alloc_live counts them, free_all releases them), allocation number
 * fail_in (1 = the next) fails and sets fail_hit, and vfs_now_ns is a counter. */
#pragma once
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ALLOC_LIMIT (64u << 20)	/* larger requests fail, like an exhausted heap */

struct blk {
	struct blk *prev, *next;
	size_t size, pad;	/* keeps the user part 16-aligned */
};

static struct blk live = { &live, &live, 0, 0 };
static long alloc_live, alloc_calls, fail_in;
static int fail_hit;
static int64_t clock_ns;

/* Allocation number fail_in (counting from when it was set, 1 = the next) fails. */
void *vfs_alloc(size_t size)
{
	struct blk *b;

	alloc_calls++;
	if (fail_in && --fail_in == 0) {
		fail_hit = 1;
		return NULL;
	}
	if (size > ALLOC_LIMIT)
		return NULL;
	b = malloc(sizeof(*b) + size);
	if (!b)
		return NULL;
	memset(b + 1, 0xa5, size);	/* no reliance on zeroed memory */
	b->size = size;
	b->next = live.next;
	b->prev = &live;
	live.next->prev = b;
	live.next = b;
	alloc_live++;
	return b + 1;
}

void vfs_free(void *p)
{
	struct blk *b;

	if (!p)
		return;
	b = (struct blk *)p - 1;
	b->prev->next = b->next;
	b->next->prev = b->prev;
	alloc_live--;
	free(b);
}

int64_t vfs_now_ns(void)
{
	return clock_ns += 1000;
}

/* Free every block still live (there is no tmpfs destructor). */
static void free_all(void)
{
	while (live.next != &live)
		vfs_free(live.next + 1);
}

/* No page windows on the host: tmpfs_file_window fails and files keep heap buffers. */
long vfs_window_new(size_t size, void **base, size_t *cap)
{
	(void)size, (void)base, (void)cap;
	return -12;	/* -ENOMEM */
}

long vfs_window_resize(long win, size_t size)
{
	(void)win, (void)size;
	return -12;
}

void vfs_window_put(long win)
{
	(void)win;
}
