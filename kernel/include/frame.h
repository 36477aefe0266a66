/* Physical frame allocator (kernel/frame.c): 4 KiB frames from the boot memory map. */
#pragma once
#include "types.h"
struct boot_info;
/* Take every usable frame of bi->mem that is not in bi->reserved. */
void frame_init(const struct boot_info *bi);
/* A zeroed frame, or 0 when memory is exhausted. */
paddr_t frame_alloc(void);
/* Give a frame back. */
void frame_free(paddr_t pa);
/* Frames free now / in total. */
size_t frame_free_count(void);
size_t frame_total_count(void);
/* Every frame handed out is in [*lo, *hi). */
void frame_range(paddr_t *lo, paddr_t *hi);
