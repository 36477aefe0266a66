/* ELF64 program-header parsing for loading static executables (ET_EXEC and static-PIE ET_DYN). */
#pragma once
#include "types.h"

#define ELF_MAX_SEGMENTS 8
struct elf_segment {
	uint64_t vaddr, memsz;	/* as in the file (for ET_DYN: before adding the load bias) */
	uint64_t offset, filesz;	/* file bytes to copy; the rest up to memsz is zero */
	unsigned prot;		/* VM_READ | VM_WRITE | VM_EXEC (values from arch.h) */
};
struct elf_info {
	uint64_t entry;		/* e_entry */
	uint64_t phdr_vaddr;	/* vaddr of the program headers (for AT_PHDR), 0 if not loaded */
	uint16_t phnum, phentsize;
	bool is_dyn;		/* ET_DYN (static-PIE): the loader picks a bias */
	int nseg;		/* PT_LOAD segments, in file order */
	struct elf_segment seg[ELF_MAX_SEGMENTS];
};

/* Validate image (size bytes) as a little-endian ELF64 of the given e_machine
 * (62 = x86-64, 183 = AArch64) and fill *out. Every offset and size is checked
 * against size; overlapping or wrapping segments, filesz > memsz, no PT_LOAD, too many
 * PT_LOAD, or a PT_INTERP (dynamic linking) give -ENOEXEC. 0 on success. */
int elf_parse(const void *image, size_t size, uint16_t machine, struct elf_info *out);
