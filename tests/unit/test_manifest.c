/* Host unit test of kernel/lib/manifest.c: valid manifests (comments, blank lines, CRLF,
 * no final newline, init native), every rejection with its error_line, limits at and
 * one past the edge, and a byte-by-byte mutation loop. Text is parsed from an
 * exactly-sized heap copy (no NUL after it) so ASan sees any read past len. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "manifest.h"
#include "relay/errno.h"

static struct manifest m;	/* large: keep it off the stack */

/* Parse len bytes of text from an exact heap copy into m. */
static int parse_n(const char *text, size_t len)
{
	char *c = malloc(len ? len : 1);
	memcpy(c, text, len);
	int r = manifest_parse(c, len, &m);
	free(c);
	return r;
}

static int parse(const char *text)
{
	return parse_n(text, strlen(text));
}

/* Does text fail with -EINVAL at line `line`? */
static int fails_at(const char *text, int line)
{
	int r = parse(text);
	if (r != -EINVAL || m.error_line != line)
		fprintf(stderr, "  got %d, error_line %d for: %s\n", r, m.error_line, text);
	return r == -EINVAL && m.error_line == line;
}

/* Are argv entries inside arg_store, NUL-terminated, with argv[0] == init_path? */
static int argv_sane(void)
{
	if (m.init_argc < 1 || m.init_argc >= MANIFEST_MAX_ARGS || m.init_argv[m.init_argc])
		return 0;
	if (strcmp(m.init_argv[0], m.init_path))
		return 0;
	for (int i = 0; i < m.init_argc; i++) {
		const char *a = m.init_argv[i];
		if (a < m.arg_store || a >= m.arg_store + MANIFEST_ARG_BYTES ||
		    !memchr(a, '\0', (size_t)(m.arg_store + MANIFEST_ARG_BYTES - a)))
			return 0;
	}
	return 1;
}

static const char full[] =
	"# Relay boot manifest: server <name> <path> [route classes]; init <path> [args]\n"
	"server proc /sbin/proc proc\n"
	"server vfs /sbin/vfs vfs\n"
	"server net_2 /sbin/net sock dns_x\n"
	"server quiet /sbin/quiet\n"
	"init /bin/hello -v --name=x\n";

static void test_valid(void)
{
	CHECK(parse(full) == 0);
	CHECK(m.error_line == 0 && m.nservers == 4);
	CHECK(!strcmp(m.server[0].name, "proc") && !strcmp(m.server[0].path, "/sbin/proc"));
	CHECK(m.server[0].nroutes == 1 && !strcmp(m.server[0].routes[0], "proc"));
	CHECK(!strcmp(m.server[1].name, "vfs") && !strcmp(m.server[1].routes[0], "vfs"));
	CHECK(!strcmp(m.server[2].name, "net_2") && m.server[2].nroutes == 2);
	CHECK(!strcmp(m.server[2].routes[0], "sock") && !strcmp(m.server[2].routes[1], "dns_x"));
	CHECK(m.server[3].nroutes == 0 && !strcmp(m.server[3].path, "/sbin/quiet"));
	CHECK(!strcmp(m.init_path, "/bin/hello") && !m.init_native);
	CHECK(m.init_argc == 3 && argv_sane());
	CHECK(!strcmp(m.init_argv[1], "-v") && !strcmp(m.init_argv[2], "--name=x"));
	CHECK(m.init_argv[0] != m.init_path);	/* a copy inside arg_store */

	/* comments, blank lines, tabs, CRLF, no final newline, init first */
	CHECK(parse("\r\n  \t\n# c\r\ninit\t/bin/sh  a\tb   # trailing comment\r\n\n"
		    "server  a\t/x  r1 r2#c\r\n   # indented comment\nserver b /y") == 0);
	CHECK(m.nservers == 2 && m.server[0].nroutes == 2 && !strcmp(m.server[0].routes[1], "r2"));
	CHECK(!strcmp(m.server[1].path, "/y") && m.server[1].nroutes == 0);
	CHECK(m.init_argc == 3 && !strcmp(m.init_argv[2], "b") && argv_sane());
	CHECK(parse("init /bin/sh") == 0 && m.init_argc == 1 && argv_sane());
	CHECK(parse("init /bin/sh\r") == 0 && !strcmp(m.init_path, "/bin/sh"));
	CHECK(parse("init a") == 0 && !strcmp(m.init_path, "a"));	/* relative: cpio strips */
	/* init native, as tools/relaytool/image.py writes it */
	CHECK(parse("init native /sbin/ping 1 2\n") == 0 && m.init_native);
	CHECK(!strcmp(m.init_path, "/sbin/ping") && m.init_argc == 3 && argv_sane());
	CHECK(parse("init /native native\n") == 0 && !m.init_native && m.init_argc == 2);
	/* '#' ends a token too; a comment may hold any byte but NUL */
	CHECK(parse("init /a#b\n# caf\xc3\xa9 \x01\x7f\n") == 0 && !strcmp(m.init_path, "/a"));
	/* the parser clears stale state */
	CHECK(parse(full) == 0);
	CHECK(parse("init /x") == 0 && m.nservers == 0 && m.init_argc == 1);
}

static void test_limits(void)
{
	char buf[4096], name[64], path[256];

	/* names: 15 chars ok, 16 not; route classes the same */
	memset(name, 'n', 15), name[15] = 0;
	snprintf(buf, sizeof(buf), "server %s /p %s\ninit /i\n", name, name);
	CHECK(parse(buf) == 0 && strlen(m.server[0].name) == 15);
	CHECK(!strcmp(m.server[0].routes[0], name));
	memset(name, 'n', 16), name[16] = 0;
	snprintf(buf, sizeof(buf), "init /i\nserver %s /p\n", name);
	CHECK(fails_at(buf, 2));
	snprintf(buf, sizeof(buf), "init /i\n\nserver a /p r %s\n", name);
	CHECK(fails_at(buf, 3));
	/* paths: 95 ok, 96 not (server and init) */
	memset(path, 'p', 95), path[0] = '/', path[95] = 0;
	snprintf(buf, sizeof(buf), "server a %s\ninit %s\n", path, path);
	CHECK(parse(buf) == 0 && strlen(m.init_path) == 95 && strlen(m.server[0].path) == 95);
	memset(path, 'p', 96), path[0] = '/', path[96] = 0;
	snprintf(buf, sizeof(buf), "server a %s\ninit /i\n", path);
	CHECK(fails_at(buf, 1));
	snprintf(buf, sizeof(buf), "init %s\n", path);
	CHECK(fails_at(buf, 1));
	/* routes: 8 ok, 9 not */
	CHECK(parse("server a /a r1 r2 r3 r4 r5 r6 r7 r8\ninit /i\n") == 0);
	CHECK(m.server[0].nroutes == 8 && !strcmp(m.server[0].routes[7], "r8"));
	CHECK(fails_at("server a /a r1 r2 r3 r4 r5 r6 r7 r8 r9\ninit /i\n", 1));
	/* servers: 16 ok, 17 not */
	int n = 0;
	for (int i = 0; i < MANIFEST_MAX_SERVERS; i++)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "server s%d /s\n", i);
	snprintf(buf + n, sizeof(buf) - (size_t)n, "init /i\n");
	CHECK(parse(buf) == 0 && m.nservers == MANIFEST_MAX_SERVERS);
	snprintf(buf + n, sizeof(buf) - (size_t)n, "server extra /s\ninit /i\n");
	CHECK(fails_at(buf, MANIFEST_MAX_SERVERS + 1));
	/* argv: argv[0] + 14 args ok (argv stays NULL-terminated), one more not */
	n = snprintf(buf, sizeof(buf), "init /i");
	for (int i = 1; i < MANIFEST_MAX_ARGS - 1; i++)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, " a%d", i);
	CHECK(parse(buf) == 0 && m.init_argc == MANIFEST_MAX_ARGS - 1 && argv_sane());
	CHECK(!strcmp(m.init_argv[MANIFEST_MAX_ARGS - 2], "a14"));
	snprintf(buf + n, sizeof(buf) - (size_t)n, " one_more\n");
	CHECK(fails_at(buf, 1));
	/* arg_store: exactly full ok, one byte more not */
	static char big[MANIFEST_ARG_BYTES];
	memset(big, 'x', sizeof(big));
	/* "/i\0" (3) + 3 args; last one sized so that the total is 512 */
	size_t last = MANIFEST_ARG_BYTES - 3 - 2 * 201 - 1;
	snprintf(buf, sizeof(buf), "init /i %.200s %.200s %.*s\n", big, big, (int)last, big);
	CHECK(parse(buf) == 0 && m.init_argc == 4 && argv_sane());
	CHECK(m.init_argv[3] + strlen(m.init_argv[3]) == m.arg_store + MANIFEST_ARG_BYTES - 1);
	snprintf(buf, sizeof(buf), "\ninit /i %.200s %.200s %.*s\n", big, big, (int)last + 1,
		 big);
	CHECK(fails_at(buf, 2));
	/* long paths fill arg_store too */
	memset(path, 'p', 95), path[0] = '/', path[95] = 0;
	n = snprintf(buf, sizeof(buf), "init %s", path);
	for (int i = 0; i < 4; i++)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, " %s", path);
	CHECK(parse(buf) == 0 && m.init_argc == 5 && argv_sane());	/* 480 bytes */
	snprintf(buf + n, sizeof(buf) - (size_t)n, " %s", path);
	CHECK(fails_at(buf, 1));
}

static void test_errors(void)
{
	/* missing init: error_line is the line after the last */
	CHECK(fails_at("", 1));
	CHECK(fails_at("\n", 2));
	CHECK(fails_at("# only a comment", 2));
	CHECK(fails_at("server a /a\nserver b /b\n", 3));
	CHECK(fails_at("server a /a\nserver b /b", 3));
	/* second init */
	CHECK(fails_at("init /a\nserver a /a\ninit /b\n", 3));
	CHECK(fails_at("init /a\r\ninit /a\r\n", 2));
	/* unknown or malformed directives */
	CHECK(fails_at("init /a\nservers a /a\n", 2));
	CHECK(fails_at("init /a\nSERVER a /a\n", 2));
	CHECK(fails_at("init /a\n\n\nboot /x\n", 4));
	CHECK(fails_at("initx /a\n", 1));
	CHECK(fails_at("init\n", 1));
	CHECK(fails_at("init   # no path\n", 1));
	CHECK(fails_at("init native\n", 1));
	CHECK(fails_at("init /a\nserver\n", 2));
	CHECK(fails_at("init /a\nserver a\n", 2));
	CHECK(fails_at("init /a\nserver a # /p\n", 2));
	/* duplicate server names */
	CHECK(fails_at("server a /a\nserver b /b\nserver a /c\ninit /i\n", 3));
	/* bad characters in names, routes, paths, args */
	CHECK(fails_at("server Proc /p\ninit /i\n", 1));
	CHECK(fails_at("server pr-oc /p\ninit /i\n", 1));
	CHECK(fails_at("init /i\nserver a /p vfs.x\n", 2));
	CHECK(fails_at("init /i\nserver a /p V\n", 2));
	CHECK(fails_at("server a /p\xc3\xa9\ninit /i\n", 1));
	CHECK(fails_at("init /i\x7f\n", 1));
	CHECK(fails_at("init /i a\x01z\n", 1));
	CHECK(fails_at("init /i a\rb\n", 1));		/* a lone CR inside a line */
	CHECK(fails_at("init /i\r\r\n", 1));		/* only one CR is a line end */
	CHECK(fails_at("init /i\vx\n", 1));
	CHECK(fails_at("init /i\n\xff\n", 2));
	/* NUL bytes, even in comments */
	CHECK(parse_n("init /i\0x\n", 10) == -EINVAL && m.error_line == 1);
	CHECK(parse_n("init /i\n# \0\n", 12) == -EINVAL && m.error_line == 2);
	CHECK(parse_n("init /i\n\0", 9) == -EINVAL && m.error_line == 2);
	CHECK(parse_n("init /i\n", 8) == 0);
	/* the first error wins */
	CHECK(fails_at("init /a\nbogus\ninit /b\n", 2));
}

/* Every byte set to a few values: 0 (with sane output) or -EINVAL, no bad read. */
static void test_fuzz(void)
{
	static const char vals[] = { 0, ' ', '\t', '\n', '\r', '#', 'A', 'a', '_', '/', '\x80' };
	size_t n = sizeof(full) - 1;
	char *c = malloc(n);
	int bad = 0, ok = 0;

	for (size_t i = 0; i < n; i++) {
		for (size_t v = 0; v < sizeof(vals); v++) {
			memcpy(c, full, n);
			c[i] = vals[v];
			for (size_t len = n - 1; len <= n; len++) {
				int r = manifest_parse(c, len, &m);
				if (r == 0)
					ok++;
				if (r == 0 ? (m.error_line != 0 || !argv_sane() ||
					      m.nservers > MANIFEST_MAX_SERVERS)
					   : (r != -EINVAL || m.error_line < 1 || m.error_line > 7))
					bad++;
			}
		}
	}
	free(c);
	CHECK(ok > 0);
	CHECK(bad == 0);
	/* every truncation: valid exactly once "init /" (path "/") is in */
	size_t init_at = (size_t)(strstr(full, "init /") - full);
	bad = 0;
	for (size_t len = 0; len <= n; len++) {
		int r = parse_n(full, len);
		if (len >= init_at + 6 ? r != 0 : r != -EINVAL)
			bad++;
	}
	CHECK(bad == 0);
}

/* Device options on server lines: io=, mmio=, irq= (and their rejections). */
static void test_options(void)
{
	CHECK(parse("server console /sbin/console tty io=0x3f8+8 irq=4\ninit /x\n") == 0);
	CHECK(m.server[0].nroutes == 1 && m.server[0].io_base == 0x3f8 && m.server[0].io_len == 8);
	CHECK(m.server[0].irq == 4 && m.server[0].mmio_len == 0);
	CHECK(parse("server c /c mmio=0x9000000+0x1000 irq=33\ninit /x\n") == 0);
	CHECK(m.server[0].mmio_base == 0x9000000 && m.server[0].mmio_len == 0x1000);
	CHECK(m.server[0].irq == 33 && m.server[0].io_len == 0 && m.server[0].nroutes == 0);
	CHECK(parse("server c /c\ninit /x\n") == 0 && m.server[0].irq == -1);
	CHECK(parse("server c /c irq=0\ninit /x\n") == 0 && m.server[0].irq == 0);
	CHECK(parse("server c /c io=65535+1\ninit /x\n") == 0 && m.server[0].io_base == 0xffff);
	CHECK(fails_at("init /x\nserver c /c io=0xffff+2\n", 2));	/* past port 0xffff */
	CHECK(fails_at("init /x\nserver c /c io=0x3f8+0\n", 2));
	CHECK(fails_at("init /x\nserver c /c io=0x3f8\n", 2));
	CHECK(fails_at("init /x\nserver c /c io=+8\n", 2));
	CHECK(fails_at("init /x\nserver c /c io=1+8 io=1+8\n", 2));
	CHECK(fails_at("init /x\nserver c /c mmio=0x9000010+0x1000\n", 2));	/* unaligned */
	CHECK(fails_at("init /x\nserver c /c mmio=0xfffffffffffff000+0x2000\n", 2));
	CHECK(fails_at("init /x\nserver c /c irq=1024\n", 2));
	CHECK(fails_at("init /x\nserver c /c irq=0x\n", 2));
	CHECK(fails_at("init /x\nserver c /c irq=4 irq=5\n", 2));
	CHECK(fails_at("init /x\nserver c /c dma=1\n", 2));
	CHECK(fails_at("init /x\nserver c /c =1\n", 2));
	CHECK(fails_at("init /x\nserver c /c irq=99999999999999999999999\n", 2));
}

int main(void)
{
	test_valid();
	test_options();
	test_limits();
	test_errors();
	test_fuzz();
	return check_done("test_manifest");
}
