/* ELF64 program-header parsing for static executables (ET_EXEC and static-PIE ET_DYN).
 * The image is read with byte loads (no alignment assumed) and every offset and size is
 * checked against the image size before use. Any rejection is -ENOEXEC. */
#include "elf_load.h"
#include "kstring.h"
#include "relay/errno.h"

/* Same values as kernel/include/arch.h, which this file must not include (it pulls in
 * arch headers); identical redefinitions are harmless if both ever meet. */
#ifndef VM_READ
#define VM_READ 1u
#endif
#ifndef VM_WRITE
#define VM_WRITE 2u
#endif
#ifndef VM_EXEC
#define VM_EXEC 4u
#endif

#define EHDR_SIZE	64
#define PHDR_SIZE	56
#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define EV_CURRENT	1
#define ET_EXEC		2
#define ET_DYN		3
#define PT_LOAD		1
#define PT_INTERP	3
#define PT_PHDR		6
#define PF_X		1
#define PF_W		2
#define PF_R		4
#define USER_VA_END	0x0000800000000000ull	/* segments must end at or below this */

/* Little-endian 16/32/64-bit value at p (any alignment). */
static uint64_t rd_le(const unsigned char *p, int nbytes)
{
	uint64_t v = 0;

	while (nbytes--)
		v = (v << 8) | p[nbytes];
	return v;
}

/* One program header, decoded. */
struct phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, filesz, memsz;
};

/* Decode the program header at p (PHDR_SIZE bytes, already bounds-checked). */
static void phdr_read(const unsigned char *p, struct phdr *ph)
{
	ph->type = (uint32_t)rd_le(p + 0, 4);
	ph->flags = (uint32_t)rd_le(p + 4, 4);
	ph->offset = rd_le(p + 8, 8);
	ph->vaddr = rd_le(p + 16, 8);
	ph->filesz = rd_le(p + 32, 8);
	ph->memsz = rd_le(p + 40, 8);
}

/* Check the ELF header of the image (size >= EHDR_SIZE) and fill entry, phnum,
 * phentsize and is_dyn; *phoff gets e_phoff. 0, or -ENOEXEC if this is not a
 * little-endian ELF64 executable for machine whose program headers lie within size. */
static int ehdr_check(const unsigned char *img, size_t size, uint16_t machine,
		      struct elf_info *out, uint64_t *phoff)
{
	uint16_t type = (uint16_t)rd_le(img + 16, 2);

	if (memcmp(img, "\177ELF", 4) || img[4] != ELFCLASS64 || img[5] != ELFDATA2LSB ||
	    img[6] != EV_CURRENT || rd_le(img + 20, 4) != EV_CURRENT)
		return -ENOEXEC;
	if ((type != ET_EXEC && type != ET_DYN) || rd_le(img + 18, 2) != machine)
		return -ENOEXEC;
	out->is_dyn = type == ET_DYN;
	out->entry = rd_le(img + 24, 8);
	*phoff = rd_le(img + 32, 8);
	out->phentsize = (uint16_t)rd_le(img + 54, 2);
	out->phnum = (uint16_t)rd_le(img + 56, 2);
	if (out->phentsize != PHDR_SIZE || out->phnum == 0)
		return -ENOEXEC;
	if (*phoff > size || (uint64_t)out->phnum * PHDR_SIZE > size - *phoff)
		return -ENOEXEC;
	return 0;
}

/* VM_* protection for ELF p_flags. */
static unsigned prot_of(uint32_t flags)
{
	return ((flags & PF_R) ? VM_READ : 0) | ((flags & PF_W) ? VM_WRITE : 0) |
	       ((flags & PF_X) ? VM_EXEC : 0);
}

/* Validate PT_LOAD ph against the image size and the last segment already in out
 * (segments must come in ascending vaddr order) and append it to out. 0, or -ENOEXEC (too many, filesz > memsz, file
 * bytes past size, address wrap or above user space, unsorted or overlapping bytes;
 * segments sharing a page without sharing bytes are fine). */
static int load_add(const struct phdr *ph, size_t size, struct elf_info *out)
{
	const struct elf_segment *prev = out->nseg ? &out->seg[out->nseg - 1] : NULL;
	struct elf_segment *s;

	if (out->nseg >= ELF_MAX_SEGMENTS || ph->filesz > ph->memsz)
		return -ENOEXEC;
	if (ph->offset > size || ph->filesz > size - ph->offset)
		return -ENOEXEC;
	if (ph->vaddr > USER_VA_END || ph->memsz > USER_VA_END - ph->vaddr)
		return -ENOEXEC;
	if (prev && ph->vaddr < prev->vaddr + prev->memsz)
		return -ENOEXEC;
	s = &out->seg[out->nseg++];
	s->vaddr = ph->vaddr;
	s->memsz = ph->memsz;
	s->offset = ph->offset;
	s->filesz = ph->filesz;
	s->prot = prot_of(ph->flags);
	return 0;
}

/* Virtual address of the program-header table (phoff, phnum entries) for AT_PHDR when
 * there is no PT_PHDR: the PT_LOAD whose file bytes contain the whole table maps it at
 * vaddr + (phoff - offset). 0 if no segment does. */
static uint64_t phdr_from_loads(const struct elf_info *ei, uint64_t phoff)
{
	uint64_t len = (uint64_t)ei->phnum * PHDR_SIZE;

	for (int i = 0; i < ei->nseg; i++) {
		const struct elf_segment *s = &ei->seg[i];
		if (phoff >= s->offset && phoff - s->offset <= s->filesz &&
		    len <= s->filesz - (phoff - s->offset))
			return s->vaddr + (phoff - s->offset);
	}
	return 0;
}

/* Validate image (size bytes) as a little-endian ELF64 of the given e_machine
 * (62 = x86-64, 183 = AArch64) and fill *out. Every offset and size is checked
 * against size; overlapping or wrapping segments, filesz > memsz, no PT_LOAD, too many
 * PT_LOAD, or a PT_INTERP (dynamic linking) give -ENOEXEC, with *out unspecified.
 * 0 on success. phdr_vaddr comes from PT_PHDR if present, else from the PT_LOAD
 * holding the whole table in its file bytes, else 0. */
int elf_parse(const void *image, size_t size, uint16_t machine, struct elf_info *out)
{
	const unsigned char *img = image;
	uint64_t phoff;
	bool have_phdr = false;
	struct phdr ph;
	int err = -ENOEXEC;

	memset(out, 0, sizeof(*out));
	if (size < EHDR_SIZE || ehdr_check(img, size, machine, out, &phoff))
		goto out;
	for (unsigned i = 0; i < out->phnum; i++) {
		phdr_read(img + phoff + (size_t)i * PHDR_SIZE, &ph);
		if (ph.type == PT_INTERP)
			goto out;
		if (ph.type == PT_PHDR && !have_phdr) {
			have_phdr = true;
			out->phdr_vaddr = ph.vaddr;
		}
		if (ph.type == PT_LOAD && load_add(&ph, size, out))
			goto out;
	}
	if (out->nseg == 0)
		goto out;
	if (!have_phdr)
		out->phdr_vaddr = phdr_from_loads(out, phoff);
	err = 0;
out:
	return err;
}
