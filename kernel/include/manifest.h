/*
 * The boot manifest (/boot/manifest in the boot archive): which program serves which
 * routes and what init runs. Text, one directive per line, '#' starts a comment:
 *
 *   server <name> <path> [<route-class> ...] [<option> ...]
 *                                              a server task; it gets one endpoint, and
 *                                              every syscall of each route class goes there
 *   init <path> [<arg> ...]                    the first user program and its argv[1..]
 *
 * Names and route classes are [a-z0-9_]+, at most MANIFEST_NAME_MAX-1 chars; paths at most
 * MANIFEST_PATH_MAX-1 chars; tokens are separated by spaces or tabs. Exactly one init line.
 *
 * Server options (a token with '=') grant a device driver its hardware, once each:
 *   io=<base>+<len>      x86-64 I/O ports [base, base+len), base + len <= 0x10000
 *   mmio=<base>+<len>    a device's physical memory (page aligned), mapped with dev_map
 *   irq=<n>              an interrupt line, delivered as notifications (irq_bind)
 * Numbers are decimal or 0x hexadecimal. Whether the arch has I/O ports, and which irq
 * numbers exist, is checked at boot, not here.
 */
#pragma once
#include "types.h"

#define MANIFEST_NAME_MAX 16
#define MANIFEST_PATH_MAX 96
#define MANIFEST_MAX_SERVERS 16
#define MANIFEST_MAX_ROUTES 8
#define MANIFEST_MAX_ARGS 16
#define MANIFEST_ARG_BYTES 512

struct manifest_server {
	char name[MANIFEST_NAME_MAX];
	char path[MANIFEST_PATH_MAX];
	char routes[MANIFEST_MAX_ROUTES][MANIFEST_NAME_MAX];
	int nroutes;
	uint32_t io_base, io_len;	/* io=: len 0 when none */
	uint64_t mmio_base, mmio_len;	/* mmio=: len 0 when none */
	int irq;			/* irq=: -1 when none */
};
struct manifest {
	struct manifest_server server[MANIFEST_MAX_SERVERS];
	int nservers;
	char init_path[MANIFEST_PATH_MAX];
	bool init_native;		/* "init native <path>": init may use native calls */
	int init_argc;			/* argv[0] is init_path */
	const char *init_argv[MANIFEST_MAX_ARGS];	/* point into arg_store */
	char arg_store[MANIFEST_ARG_BYTES];
	int error_line;			/* 1-based line of the first error, 0 if none */
};

/* Parse len bytes of text into *m. 0, or -EINVAL (bad directive, bad name, too long,
 * too many, duplicate server name, missing or second init) with m->error_line set. */
int manifest_parse(const char *text, size_t len, struct manifest *m);
