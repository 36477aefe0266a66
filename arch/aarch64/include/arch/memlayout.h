/* AArch64 memory layout: TTBR1 maps all RAM at PHYS_MAP_BASE; the kernel image lives there too. */
#pragma once
#define PAGE_SIZE       4096ul
#define PAGE_SHIFT      12
#define PHYS_MAP_BASE   0xffff000000000000ul  /* VA = PA + base (QEMU virt RAM starts at 1 GiB) */
#define KERNEL_VBASE    PHYS_MAP_BASE
#define PHYS_MAP_SIZE   (64ul << 30)
#define USER_TOP        0x0001000000000000ul
#define USER_STACK_TOP  0x0000fffffffff000ul
#define P2V(pa)         ((void *)((unsigned long)(pa) + PHYS_MAP_BASE))
#define V2P(va)         ((unsigned long)(va) - PHYS_MAP_BASE)
