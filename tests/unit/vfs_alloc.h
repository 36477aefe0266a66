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

/* Page windows (tmpfs_file_window): off unless win_enabled, then up to WIN_COUNT windows of
 * WIN_MAX bytes with WIN_PAGE pages. Pages a resize drops are filled with junk (0x5a), as if
 * they had vanished, so a test sees it if tmpfs used them again without backing them. */
#define WIN_COUNT 4
#define WIN_MAX (64u << 10)
#define WIN_PAGE 4096u
static int win_enabled;
static long win_live;
static unsigned char *win_buf[WIN_COUNT];
static size_t win_backed[WIN_COUNT];

static size_t win_round(size_t size)
{
	return (size + WIN_PAGE - 1) / WIN_PAGE * WIN_PAGE;
}

long vfs_window_new(size_t size, void **base, size_t *cap)
{
	if (!win_enabled)
		return -12;	/* -ENOMEM */
	if (size > WIN_MAX)
		return -27;	/* -EFBIG */
	for (int i = 0; i < WIN_COUNT; i++) {
		if (win_buf[i])
			continue;
		win_buf[i] = malloc(WIN_MAX);
		memset(win_buf[i], 0x5a, WIN_MAX);
		memset(win_buf[i], 0, win_round(size));
		win_backed[i] = win_round(size);
		win_live++;
		*base = win_buf[i];
		*cap = win_backed[i];
		return i + 1;
	}
	return -12;
}

long vfs_window_resize(long win, size_t size)
{
	size_t i = (size_t)win - 1, want = win_round(size);
	if (win < 1 || win > WIN_COUNT || !win_buf[i])
		return -22;	/* -EINVAL */
	if (size > WIN_MAX)
		return -27;
	if (want > win_backed[i])
		memset(win_buf[i] + win_backed[i], 0, want - win_backed[i]);
	else
		memset(win_buf[i] + want, 0x5a, win_backed[i] - want);
	win_backed[i] = want;
	return (long)want;
}

void vfs_window_put(long win)
{
	if (win < 1 || win > WIN_COUNT || !win_buf[win - 1])
		return;
	free(win_buf[win - 1]);
	win_buf[win - 1] = NULL;
	win_live--;
}
