/* x86-64 memory layout: higher-half kernel, all RAM mapped at PHYS_MAP_BASE. */
#pragma once
#define PAGE_SIZE       4096ul
#define PAGE_SHIFT      12
#define KERNEL_VBASE    0xffffffff80000000ul  /* kernel image: VA = PA + KERNEL_VBASE */
#define PHYS_MAP_BASE   0xffff800000000000ul  /* every physical address: VA = PA + base */
#define PHYS_MAP_SIZE   (64ul << 30)          /* covered by the boot page tables */
#define USER_TOP        0x0000800000000000ul  /* user addresses are below */
#define USER_STACK_TOP  0x00007ffffffff000ul
#define P2V(pa)         ((void *)((unsigned long)(pa) + PHYS_MAP_BASE))
#define V2P(va)         ((unsigned long)(va) >= KERNEL_VBASE ? \
                         (unsigned long)(va) - KERNEL_VBASE : (unsigned long)(va) - PHYS_MAP_BASE)
