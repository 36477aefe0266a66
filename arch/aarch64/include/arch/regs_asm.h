/* Offsets into struct arch_regs and constants used by the AArch64 assembly files.
 * Checked against the C definitions in arch/aarch64/asm_offsets.c. */
#pragma once

#define OFF_X0       0
#define OFF_X30      240
#define OFF_SP       248
#define OFF_PC       256
#define OFF_PSTATE   264
#define OFF_TPIDR    272
#define OFF_FPSR     280
#define OFF_FPCR     288
#define OFF_V        304

#define KSTACK_SIZE  16384
#define PHYS_MAP_BASE_ASM 0xffff000000000000
#define KERNEL_LOAD_PA    0x40080000

/* Block descriptors of the boot physmap (level 1, 1 GiB). */
#define BLOCK_DEVICE 0x0060000000000401  /* attr0 nGnRE, AF, PXN, UXN */
#define BLOCK_NORMAL 0x0040000000000705  /* attr1 WB, inner-shareable, AF, UXN */
#define MAIR_VALUE   0xff04              /* attr0 device nGnRE, attr1 normal WB RA/WA */
/* T0SZ=T1SZ=16, 4 KiB granules, WB inner-shareable walks; IPS patched in from PARange. */
#define TCR_VALUE    0xb5103510
/* RES1 | M | C | SA | SA0 | I | DZE | UCT | nTWI | nTWE | UCI */
#define SCTLR_VALUE  0x34d5d81d
#define SCTLR_MMU_OFF 0x30d00800
#define CPACR_FPEN   (3 << 20)
