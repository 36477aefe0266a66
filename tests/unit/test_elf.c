/* Host unit test of kernel/lib/elf.c: ELF64 headers are built in memory (valid and
 * broken), parsed from exactly-sized heap copies so ASan sees any read past size, and
 * mutated byte by byte. Paths given on the command line (static binaries) are parsed
 * too, with the machine taken from their own header. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "elf_load.h"
#include "relay/errno.h"

#define EM_X86_64 62
#define EM_AARCH64 183
#define ET_EXEC 2
#define ET_DYN 3
#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_INTERP 3
#define PT_NOTE 4
#define PT_PHDR 6
#define PT_TLS 7
#define PT_GNU_STACK 0x6474e551u
#define PF_X 1
#define PF_W 2
#define PF_R 4
#define P_READ 1u	/* VM_READ, VM_WRITE, VM_EXEC as in arch.h */
#define P_WRITE 2u
#define P_EXEC 4u
#define USER_END 0x0000800000000000ull

struct img {
	unsigned char d[0x4000];
	size_t n;
};

static void w16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v, p[1] = (unsigned char)(v >> 8);
}

static void w32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void w64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* A file of n bytes (filler 0xcc) with an ELF64 header. */
static void ehdr(struct img *im, size_t n, uint16_t type, uint16_t machine, uint64_t entry,
		 uint64_t phoff, uint16_t phnum)
{
	unsigned char *d = im->d;
	memset(d, 0xcc, sizeof(im->d));
	memset(d, 0, 64);
	im->n = n;
	memcpy(d, "\177ELF", 4);
	d[4] = 2, d[5] = 1, d[6] = 1;
	w16(d + 16, type);
	w16(d + 18, machine);
	w32(d + 20, 1);
	w64(d + 24, entry);
	w64(d + 32, phoff);
	w16(d + 52, 64);
	w16(d + 54, 56);
	w16(d + 56, phnum);
}

/* Program header idx of the table at phoff. */
static void phdr(struct img *im, uint64_t phoff, int idx, uint32_t type, uint32_t flags,
		 uint64_t offset, uint64_t vaddr, uint64_t filesz, uint64_t memsz)
{
	unsigned char *p = im->d + phoff + 56 * (size_t)idx;
	w32(p, type);
	w32(p + 4, flags);
	w64(p + 8, offset);
	w64(p + 16, vaddr);
	w64(p + 24, vaddr);
	w64(p + 32, filesz);
	w64(p + 40, memsz);
	w64(p + 48, 0x1000);
}

/* Parse n bytes of p from an exactly-sized heap copy. */
static int parse(const void *p, size_t n, uint16_t machine, struct elf_info *ei)
{
	unsigned char *c = malloc(n ? n : 1);
	memcpy(c, p, n);
	int r = elf_parse(c, n, machine, ei);
	free(c);
	return r;
}

static int parse_im(const struct img *im, uint16_t machine)
{
	struct elf_info ei;
	return parse(im->d, im->n, machine, &ei);
}

/* Are the invariants of a successful parse of an n-byte image all true? */
static int info_sane(const struct elf_info *ei, size_t n)
{
	if (ei->nseg < 1 || ei->nseg > ELF_MAX_SEGMENTS || ei->phentsize != 56)
		return 0;
	for (int i = 0; i < ei->nseg; i++) {
		const struct elf_segment *s = &ei->seg[i];
		if (s->filesz > s->memsz || s->offset > n || s->filesz > n - s->offset)
			return 0;
		if (s->vaddr > USER_END || s->memsz > USER_END - s->vaddr)
			return 0;
		if (i && s->vaddr < ei->seg[i - 1].vaddr + ei->seg[i - 1].memsz)
			return 0;
		if (s->prot & ~7u)
			return 0;
	}
	return 1;
}

/* The standard static ET_EXEC: text, data+bss, TLS, GNU_STACK; 0x1100 bytes. */
static void build_exec(struct img *im)
{
	ehdr(im, 0x1100, ET_EXEC, EM_X86_64, 0x400100, 64, 4);
	phdr(im, 64, 0, PT_LOAD, PF_R | PF_X, 0, 0x400000, 0x1000, 0x1000);
	phdr(im, 64, 1, PT_LOAD, PF_R | PF_W, 0x1000, 0x401000, 0x100, 0x2000);
	phdr(im, 64, 2, PT_TLS, PF_R, 0x1000, 0x401000, 0x10, 0x20);
	phdr(im, 64, 3, PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0);
}

/* A static-PIE ET_DYN for AArch64: PT_PHDR, two loads from 0, PT_DYNAMIC; 0x2200 bytes. */
static void build_pie(struct img *im)
{
	ehdr(im, 0x2200, ET_DYN, EM_AARCH64, 0x340, 64, 4);
	phdr(im, 64, 0, PT_PHDR, PF_R, 64, 64, 4 * 56, 4 * 56);
	phdr(im, 64, 1, PT_LOAD, PF_R | PF_X, 0, 0, 0x1800, 0x1800);
	phdr(im, 64, 2, PT_LOAD, PF_R | PF_W, 0x1800, 0x11800, 0xa00, 0x1000);
	phdr(im, 64, 3, PT_DYNAMIC, PF_R | PF_W, 0x1900, 0x11900, 0x100, 0x100);
}

static void test_valid(void)
{
	struct img im;
	struct elf_info ei;

	build_exec(&im);
	CHECK(parse(im.d, im.n, EM_X86_64, &ei) == 0);
	CHECK(info_sane(&ei, im.n));
	CHECK(ei.entry == 0x400100 && !ei.is_dyn && ei.phnum == 4 && ei.phentsize == 56);
	CHECK(ei.nseg == 2);
	CHECK(ei.seg[0].vaddr == 0x400000 && ei.seg[0].memsz == 0x1000);
	CHECK(ei.seg[0].offset == 0 && ei.seg[0].filesz == 0x1000);
	CHECK(ei.seg[0].prot == (P_READ | P_EXEC));
	CHECK(ei.seg[1].vaddr == 0x401000 && ei.seg[1].memsz == 0x2000);
	CHECK(ei.seg[1].offset == 0x1000 && ei.seg[1].filesz == 0x100);
	CHECK(ei.seg[1].prot == (P_READ | P_WRITE));
	CHECK(ei.phdr_vaddr == 0x400040);	/* no PT_PHDR: found through the first load */

	/* PT_PHDR wins over the load that holds the table */
	ehdr(&im, 0x1100, ET_EXEC, EM_X86_64, 0x400100, 64, 3);
	phdr(&im, 64, 0, PT_PHDR, PF_R, 64, 0x400040, 3 * 56, 3 * 56);
	phdr(&im, 64, 1, PT_LOAD, PF_R | PF_X, 0, 0x400000, 0x1000, 0x1000);
	phdr(&im, 64, 2, PT_LOAD, PF_R | PF_W, 0x1000, 0x402000, 0x100, 0x100);
	w64(im.d + 64 + 16, 0x400abc);
	CHECK(parse(im.d, im.n, EM_X86_64, &ei) == 0 && ei.phdr_vaddr == 0x400abc);

	/* static-PIE */
	build_pie(&im);
	CHECK(parse(im.d, im.n, EM_AARCH64, &ei) == 0);
	CHECK(info_sane(&ei, im.n));
	CHECK(ei.is_dyn && ei.entry == 0x340 && ei.nseg == 2 && ei.phdr_vaddr == 64);
	CHECK(ei.seg[0].vaddr == 0 && ei.seg[1].vaddr == 0x11800 && ei.seg[1].filesz == 0xa00);
	CHECK(parse(im.d, im.n, EM_X86_64, &ei) == -ENOEXEC);	/* wrong machine */
	build_exec(&im);
	CHECK(parse_im(&im, EM_AARCH64) == -ENOEXEC);

	/* table in no load's file bytes: phdr_vaddr 0; only partly inside: 0 too */
	ehdr(&im, 0x1100, ET_EXEC, EM_X86_64, 0x401000, 64, 1);
	phdr(&im, 64, 0, PT_LOAD, PF_R | PF_X, 0x1000, 0x401000, 0x100, 0x100);
	CHECK(parse(im.d, im.n, EM_X86_64, &ei) == 0 && ei.phdr_vaddr == 0);
	ehdr(&im, 0x1100, ET_EXEC, EM_X86_64, 0x401000, 64, 2);
	phdr(&im, 64, 0, PT_LOAD, PF_R, 0, 0x400000, 100, 100);	/* ends inside the table */
	phdr(&im, 64, 1, PT_LOAD, PF_R | PF_X, 0x1000, 0x401000, 0x100, 0x100);
	CHECK(parse(im.d, im.n, EM_X86_64, &ei) == 0 && ei.phdr_vaddr == 0);
	/* table in the second load's file bytes */
	ehdr(&im, 0x1100, ET_EXEC, EM_X86_64, 0x401000, 0x1010, 1);
	phdr(&im, 0x1010, 0, PT_LOAD, PF_R | PF_X, 0x1000, 0x401000, 0x100, 0x100);
	CHECK(parse(im.d, im.n, EM_X86_64, &ei) == 0 && ei.phdr_vaddr == 0x401010);

	/* p_flags -> prot */
	static const uint32_t flags[] = { 0, PF_X, PF_W, PF_R, 7, 0xf0 | PF_R };
	static const unsigned prots[] = { 0, P_EXEC, P_WRITE, P_READ, 7, P_READ };
	for (int i = 0; i < 6; i++) {
		ehdr(&im, 0x200, ET_EXEC, EM_X86_64, 0x400000, 64, 1);
		phdr(&im, 64, 0, PT_LOAD, flags[i], 0, 0x400000, 0x200, 0x200);
		CHECK(parse(im.d, im.n, EM_X86_64, &ei) == 0 && ei.seg[0].prot == prots[i]);
	}

	/* unaligned image pointer */
	build_exec(&im);
	unsigned char *c = malloc(im.n + 1);
	memcpy(c + 1, im.d, im.n);
	CHECK(elf_parse(c + 1, im.n, EM_X86_64, &ei) == 0 && ei.nseg == 2);
	free(c);

	/* segments may share a page as long as their bytes do not overlap */
	ehdr(&im, 0x1100, ET_EXEC, EM_X86_64, 0x400000, 64, 2);
	phdr(&im, 64, 0, PT_LOAD, PF_R | PF_X, 0, 0x400000, 0x800, 0x800);
	phdr(&im, 64, 1, PT_LOAD, PF_R | PF_W, 0x800, 0x400800, 0x100, 0x100);
	CHECK(parse_im(&im, EM_X86_64) == 0);
	/* a segment ending exactly at the top of user space */
	ehdr(&im, 0x1100, ET_EXEC, EM_X86_64, 0x400000, 64, 1);
	phdr(&im, 64, 0, PT_LOAD, PF_R, 0, USER_END - 0x1000, 0x100, 0x1000);
	CHECK(parse_im(&im, EM_X86_64) == 0);
	/* exactly ELF_MAX_SEGMENTS loads */
	ehdr(&im, 0x1100, ET_EXEC, EM_X86_64, 0x400000, 64, ELF_MAX_SEGMENTS);
	for (int i = 0; i < ELF_MAX_SEGMENTS; i++)
		phdr(&im, 64, i, PT_LOAD, PF_R, 0, 0x400000 + 0x1000 * (uint64_t)i, 0x100, 0x100);
	CHECK(parse(im.d, im.n, EM_X86_64, &ei) == 0 && ei.nseg == ELF_MAX_SEGMENTS);
}

/* The ELF header, broken one way at a time. */
static void test_bad_header(void)
{
	struct img im;
	struct elf_info ei;

	build_exec(&im);
	CHECK(parse(im.d, 63, EM_X86_64, &ei) == -ENOEXEC);
	CHECK(parse(im.d, 0, EM_X86_64, &ei) == -ENOEXEC);
	static const int at[] = { 0, 1, 3, 4, 5, 6 };
	static const unsigned char to[] = { 0x7e, 'e', 'f', 1, 2, 0 };
	for (int i = 0; i < 6; i++) {
		build_exec(&im);
		im.d[at[i]] = to[i];
		CHECK(parse_im(&im, EM_X86_64) == -ENOEXEC);
	}
	build_exec(&im);
	w32(im.d + 20, 0);	/* e_version */
	CHECK(parse_im(&im, EM_X86_64) == -ENOEXEC);
	static const uint16_t types[] = { 0, 1, 4, 0xfe00 };
	for (int i = 0; i < 4; i++) {
		build_exec(&im);
		w16(im.d + 16, types[i]);
		CHECK(parse_im(&im, EM_X86_64) == -ENOEXEC);
	}
	build_exec(&im);
	w16(im.d + 54, 64);	/* e_phentsize */
	CHECK(parse_im(&im, EM_X86_64) == -ENOEXEC);
	build_exec(&im);
	w16(im.d + 56, 0);	/* no program headers */
	CHECK(parse_im(&im, EM_X86_64) == -ENOEXEC);
	/* phnum too large: the table runs past the end */
	build_exec(&im);
	w16(im.d + 56, 0xffff);
	CHECK(parse_im(&im, EM_X86_64) == -ENOEXEC);
	build_exec(&im);
	w16(im.d + 56, (uint16_t)((im.n - 64) / 56 + 1));
	CHECK(parse_im(&im, EM_X86_64) == -ENOEXEC);
	/* phoff past the end, at the end, overflowing */
	build_exec(&im);
	w64(im.d + 32, im.n);
	CHECK(parse_im(&im, EM_X86_64) == -ENOEXEC);
	w64(im.d + 32, im.n - 56 * 4 + 1);
	CHECK(parse_im(&im, EM_X86_64) == -ENOEXEC);
	w64(im.d + 32, UINT64_MAX - 8);
	CHECK(parse_im(&im, EM_X86_64) == -ENOEXEC);
	w64(im.d + 32, UINT64_MAX - 56 * 4 + 1);
	CHECK(parse_im(&im, EM_X86_64) == -ENOEXEC);
	/* the table right at the end is fine */
	build_exec(&im);
	memcpy(im.d + im.n - 56 * 4, im.d + 64, 56 * 4);
	w64(im.d + 32, im.n - 56 * 4);
	CHECK(parse_im(&im, EM_X86_64) == 0);
}

/* One bad program header at a time. */
static void test_bad_segments(void)
{
	struct img im;

	/* PT_INTERP: dynamically linked */
	build_exec(&im);
	phdr(&im, 64, 3, PT_INTERP, PF_R, 0x200, 0x400200, 0x1c, 0x1c);
	CHECK(parse_im(&im, EM_X86_64) == -ENOEXEC);
	build_pie(&im);
	phdr(&im, 64, 3, PT_INTERP, PF_R, 0x200, 0x200, 0x1c, 0x1c);
	CHECK(parse_im(&im, EM_AARCH64) == -ENOEXEC);
	/* no PT_LOAD at all */
	ehdr(&im, 0x200, ET_EXEC, EM_X86_64, 0x400000, 64, 2);
	phdr(&im, 64, 0, PT_NOTE, PF_R, 0x100, 0x400100, 0x20, 0x20);
	phdr(&im, 64, 1, PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0);
	CHECK(parse_im(&im, EM_X86_64) == -ENOEXEC);
	/* filesz > memsz */
	build_exec(&im);
	phdr(&im, 64, 1, PT_LOAD, PF_R | PF_W, 0x1000, 0x401000, 0x100, 0xff);
	CHECK(parse_im(&im, EM_X86_64) == -ENOEXEC);
	/* file bytes past the end: offset, offset + filesz, overflowing sum */
	build_exec(&im);
	phdr(&im, 64, 1, PT_LOAD, PF_R | PF_W, 0x1101, 0x401000, 0, 0x100);
	CHECK(parse_im(&im, EM_X86_64) == -ENOEXEC);
	phdr(&im, 64, 1, PT_LOAD, PF_R | PF_W, 0x1000, 0x401000, 0x101, 0x2000);
	CHECK(parse_im(&im, EM_X86_64) == -ENOEXEC);
	phdr(&im, 64, 1, PT_LOAD, PF_R | PF_W, UINT64_MAX - 0x10, 0x401000, 0x100, 0x2000);
	CHECK(parse_im(&im, EM_X86_64) == -ENOEXEC);
	phdr(&im, 64, 1, PT_LOAD, PF_R | PF_W, 0x1000, 0x401000, UINT64_MAX - 0x800,
	     UINT64_MAX);
	CHECK(parse_im(&im, EM_X86_64) == -ENOEXEC);
	phdr(&im, 64, 1, PT_LOAD, PF_R | PF_W, 0x1100, 0x401000, 0, 0x100);	/* at end: ok */
	CHECK(parse_im(&im, EM_X86_64) == 0);
	/* address wrap, beyond user space */
	build_exec(&im);
	phdr(&im, 64, 1, PT_LOAD, PF_R | PF_W, 0x1000, UINT64_MAX - 0xfff, 0x100, 0x2000);
	CHECK(parse_im(&im, EM_X86_64) == -ENOEXEC);
	phdr(&im, 64, 1, PT_LOAD, PF_R | PF_W, 0x1000, 0xffff800000000000ull, 0x100, 0x100);
	CHECK(parse_im(&im, EM_X86_64) == -ENOEXEC);
	phdr(&im, 64, 1, PT_LOAD, PF_R | PF_W, 0x1000, USER_END - 0x1000, 0x100, 0x1001);
	CHECK(parse_im(&im, EM_X86_64) == -ENOEXEC);
	phdr(&im, 64, 1, PT_LOAD, PF_R | PF_W, 0x1000, 0x401000, 0x100, UINT64_MAX);
	CHECK(parse_im(&im, EM_X86_64) == -ENOEXEC);
	/* overlapping bytes (by one), unsorted, same start */
	build_exec(&im);
	phdr(&im, 64, 1, PT_LOAD, PF_R | PF_W, 0x1000, 0x400fff, 0x100, 0x100);
	CHECK(parse_im(&im, EM_X86_64) == -ENOEXEC);
	phdr(&im, 64, 1, PT_LOAD, PF_R | PF_W, 0x1000, 0x3ff000, 0x100, 0x100);
	CHECK(parse_im(&im, EM_X86_64) == -ENOEXEC);
	phdr(&im, 64, 1, PT_LOAD, PF_R | PF_W, 0x1000, 0x400000, 0x100, 0x100);
	CHECK(parse_im(&im, EM_X86_64) == -ENOEXEC);
	phdr(&im, 64, 1, PT_LOAD, PF_R | PF_W, 0x1000, 0x3ff000, 0x100, 0x10000);
	CHECK(parse_im(&im, EM_X86_64) == -ENOEXEC);	/* covers the first entirely */
	/* one PT_LOAD too many */
	ehdr(&im, 0x1100, ET_EXEC, EM_X86_64, 0x400000, 64, ELF_MAX_SEGMENTS + 1);
	for (int i = 0; i <= ELF_MAX_SEGMENTS; i++)
		phdr(&im, 64, i, PT_LOAD, PF_R, 0, 0x400000 + 0x1000 * (uint64_t)i, 0x100, 0x100);
	CHECK(parse_im(&im, EM_X86_64) == -ENOEXEC);
}

/* Every byte set to a few values: 0 (with sane output) or -ENOEXEC, no bad read. */
static int fuzz_image(const unsigned char *img, size_t n, size_t upto, uint16_t machine)
{
	static const unsigned char vals[] = { 0, 1, 2, 3, 7, 0x38, 0x7f, 0x80, 0xff };
	unsigned char *c = malloc(n);
	struct elf_info ei;
	int bad = 0;

	for (size_t i = 0; i < upto && i < n; i++) {
		for (size_t v = 0; v < sizeof(vals); v++) {
			memcpy(c, img, n);
			c[i] = vals[v];
			int r = elf_parse(c, n, machine, &ei);
			if (r != -ENOEXEC && !(r == 0 && info_sane(&ei, n)))
				bad++;
		}
	}
	free(c);
	return bad;
}

static void test_fuzz(void)
{
	struct img im;

	build_exec(&im);
	CHECK(fuzz_image(im.d, im.n, im.n, EM_X86_64) == 0);
	build_pie(&im);
	CHECK(fuzz_image(im.d, im.n, im.n, EM_AARCH64) == 0);
	/* every truncation of the valid image */
	build_exec(&im);
	int bad = 0;
	for (size_t cut = 0; cut < im.n; cut++) {
		struct elf_info ei;
		int r = parse(im.d, cut, EM_X86_64, &ei);
		if (r != -ENOEXEC && !(r == 0 && info_sane(&ei, cut)))
			bad++;
	}
	CHECK(bad == 0);
}

/* Static binaries named on the command line: parse, sanity, then fuzz their headers. */
static void test_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	CHECK(f != NULL);
	if (!f)
		return;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *d = malloc(n > 0 ? (size_t)n : 1);
	CHECK(n > 64 && fread(d, 1, (size_t)n, f) == (size_t)n);
	fclose(f);
	if (n > 64) {
		struct elf_info ei;
		uint16_t machine = (uint16_t)(d[18] | d[19] << 8);
		int r = elf_parse(d, (size_t)n, machine, &ei);
		CHECK(r == 0);
		if (r)
			fprintf(stderr, "%s: elf_parse %d\n", path, r);
		CHECK(r || (info_sane(&ei, (size_t)n) && ei.phdr_vaddr != 0));
		CHECK(fuzz_image(d, (size_t)n, 1024, machine) == 0);
	}
	free(d);
}

int main(int argc, char **argv)
{
	test_valid();
	test_bad_header();
	test_bad_segments();
	test_fuzz();
	for (int i = 1; i < argc; i++)
		test_file(argv[i]);
	return check_done("test_elf");
}
