/*
 * Frames in a process's address space, reached through the token of the call or fault
 * being served. PROT_NONE pages keep their frame "parked" here (no page-table entry can
 * say no access), and get it back when mprotect allows access again.
 */
#include <relay/libsys.h>
#include <relay/errno.h>
#include "mm.h"

struct parked { int pid; word_t va, pa; };
static struct parked parked[MM_MAX_PARKED];

/* Map a fresh zeroed frame at va with prot. 0, -ENOMEM or the kernel's error. */
long pages_fault_in(word_t token, word_t va, unsigned prot)
{
	long pa = sys_frame_alloc();
	if (pa < 0)
		return pa;
	long err = sys_tok_vs_map(token, va, (word_t)pa, prot);
	if (err)
		sys_frame_free((word_t)pa);
	return err;
}

static struct parked *parked_find(int pid, word_t va)
{
	for (int i = 0; i < MM_MAX_PARKED; i++)
		if (parked[i].pa && parked[i].pid == pid && parked[i].va == va)
			return &parked[i];
	return NULL;
}

static struct parked *parked_slot(void)
{
	for (int i = 0; i < MM_MAX_PARKED; i++)
		if (!parked[i].pa)
			return &parked[i];
	return NULL;
}

/* Unmap and free every page of [start, end), parked ones included. */
void pages_unmap(word_t token, int pid, word_t start, word_t end)
{
	for (word_t va = start; va < end; va += mm_page) {
		word_t pa;
		struct parked *pk;
		if (sys_tok_vs_unmap(token, va, &pa) == 0 && pa)
			sys_frame_free(pa);
		if ((pk = parked_find(pid, va))) {
			sys_frame_free(pk->pa);
			pk->pa = 0;
		}
	}
}

/* Apply prot to the pages present in [start, end). 0, or -ENOMEM if a frame cannot be
 * parked. */
long pages_protect(word_t token, int pid, word_t start, word_t end, unsigned prot)
{
	for (word_t va = start; va < end; va += mm_page) {
		word_t pa, old;
		unsigned cur;
		struct parked *pk;
		if (sys_tok_vs_query(token, va, &pa, &cur) == 0) {
			if (prot) {
				sys_tok_vs_map(token, va, pa, prot);
				continue;
			}
			if (!(pk = parked_slot()))
				return -ENOMEM;
			sys_tok_vs_unmap(token, va, &old);
			*pk = (struct parked){ pid, va, pa };
		} else if (prot && (pk = parked_find(pid, va))) {
			sys_tok_vs_map(token, va, pk->pa, prot);
			pk->pa = 0;
		}
	}
	return 0;
}
