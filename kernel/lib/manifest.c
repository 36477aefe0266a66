/* Boot manifest parser (grammar in manifest.h). Lines end with "\n" or "\r\n" (the last
 * one may have no terminator); '#' anywhere starts a comment that runs to the end of the
 * line; tokens are runs of bytes other than space, tab and '#'. Accepted directives:
 *
 *   server <name> <path> [<route-class> ...] [io=B+L] [mmio=B+L] [irq=N]
 *   init [native] <path> [<arg> ...]
 *
 * Paths and args are printable ASCII (0x21..0x7e); a NUL byte anywhere (comments too)
 * is an error. No allocation: everything is copied into the struct manifest. */
#include "manifest.h"
#include "kstring.h"
#include "relay/errno.h"

/* A byte range of the text: the rest of a line, or one token. */
struct span {
	const char *p;
	size_t n;
};

/* Is c allowed in a name or route class ([a-z0-9_])? */
static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* Is c allowed in a path or argument (printable ASCII, no space)? */
static bool is_path_char(char c)
{
	return c > ' ' && c < 0x7f;
}

/* Does span s contain a NUL byte? */
static bool has_nul(const struct span *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->p[i] == '\0')
			return true;
	return false;
}

/* Does token t equal the NUL-terminated word w? */
static bool tok_is(const struct span *t, const char *w)
{
	return t->n == strlen(w) && !memcmp(t->p, w, t->n);
}

/* Take the next token off the front of line *l into *t. 1 if there is one, 0 at the
 * end of the line or at a '#' comment. */
static int next_token(struct span *l, struct span *t)
{
	while (l->n && (*l->p == ' ' || *l->p == '\t'))
		l->p++, l->n--;
	if (!l->n || *l->p == '#')
		return 0;
	t->p = l->p;
	t->n = 0;
	while (l->n && *l->p != ' ' && *l->p != '\t' && *l->p != '#')
		l->p++, l->n--, t->n++;
	return 1;
}

/* Copy token t into dst (max bytes with the NUL), every byte accepted by ok.
 * 0, or -EINVAL if t is too long or has a byte ok refuses. */
static int copy_token(char *dst, size_t max, const struct span *t, bool (*ok)(char))
{
	if (t->n >= max)
		return -EINVAL;
	for (size_t i = 0; i < t->n; i++)
		if (!ok(t->p[i]))
			return -EINVAL;
	memcpy(dst, t->p, t->n);
	dst[t->n] = '\0';
	return 0;
}

/* A name ([a-z0-9_]) or a path (printable) token into a manifest field. */
static int copy_name(char *dst, const struct span *t)
{
	return copy_token(dst, MANIFEST_NAME_MAX, t, is_name_char);
}

static int copy_path(char *dst, const struct span *t)
{
	return copy_token(dst, MANIFEST_PATH_MAX, t, is_path_char);
}

/* Append token t to init's argv, copied NUL-terminated into arg_store at *used.
 * init_argv stays NULL-terminated, so at most MANIFEST_MAX_ARGS - 1 entries.
 * 0, or -EINVAL if t has a non-printable byte or argv or arg_store is full. */
static int add_arg(struct manifest *m, size_t *used, const struct span *t)
{
	char *dst = m->arg_store + *used;

	if (m->init_argc >= MANIFEST_MAX_ARGS - 1 || t->n >= MANIFEST_ARG_BYTES - *used)
		return -EINVAL;
	for (size_t i = 0; i < t->n; i++)
		if (!is_path_char(t->p[i]))
			return -EINVAL;
	memcpy(dst, t->p, t->n);
	dst[t->n] = '\0';
	*used += t->n + 1;
	m->init_argv[m->init_argc++] = dst;
	return 0;
}

/* The first c in s[0..n), or NULL. */
static const char *find_char(const char *s, int c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == c)
			return s + i;
	return NULL;
}

/* Parse an unsigned number (decimal or 0x hex) from s[0..n): 0 or -EINVAL (empty, bad
 * digit, above max). */
static int parse_num(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;

	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, s += 2, n -= 2;
	if (!n)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0') :
			     c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) :
			     c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 99;
		if (d >= base || v > (max - d) / base)
			return -EINVAL;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

/* Parse "<base>+<len>" (len > 0, base + len <= max). 0 or -EINVAL. */
static int parse_range(const char *s, size_t n, uint64_t max, uint64_t *base, uint64_t *len)
{
	const char *plus = find_char(s, '+', n);

	if (!plus || parse_num(s, (size_t)(plus - s), max, base) ||
	    parse_num(plus + 1, n - (size_t)(plus - s) - 1, max, len) || !*len ||
	    *len > max - *base)
		return -EINVAL;
	return 0;
}

/* Parse a server option token t (io=, mmio=, irq=) into s. 0, or -EINVAL (unknown,
 * malformed, out of range, given twice). */
static int parse_option(const struct span *t, struct manifest_server *s)
{
	const char *eq = find_char(t->p, '=', t->n);
	size_t klen = (size_t)(eq - t->p), vlen = t->n - klen - 1;
	const char *v = eq + 1;
	uint64_t a, b;

	if (klen == 2 && !memcmp(t->p, "io", 2) && !s->io_len) {
		if (parse_range(v, vlen, 0x10000, &a, &b))
			return -EINVAL;
		s->io_base = (uint32_t)a, s->io_len = (uint32_t)b;
		return 0;
	}
	if (klen == 4 && !memcmp(t->p, "mmio", 4) && !s->mmio_len) {
		if (parse_range(v, vlen, UINT64_MAX, &a, &b) || (a | b) & 0xfff)
			return -EINVAL;
		s->mmio_base = a, s->mmio_len = b;
		return 0;
	}
	if (klen == 3 && !memcmp(t->p, "irq", 3) && s->irq < 0) {
		if (parse_num(v, vlen, 1023, &a))
			return -EINVAL;
		s->irq = (int)a;
		return 0;
	}
	return -EINVAL;
}

/* Parse the rest of a "server" line l into the next m->server slot.
 * 0, or -EINVAL (too many servers, bad or duplicate name, bad path, bad or too many
 * route classes). */
static int parse_server(struct span *l, struct manifest *m)
{
	struct manifest_server *s = &m->server[m->nservers];
	struct span t;

	if (m->nservers >= MANIFEST_MAX_SERVERS)
		return -EINVAL;
	if (!next_token(l, &t) || copy_name(s->name, &t))
		return -EINVAL;
	for (int i = 0; i < m->nservers; i++)
		if (!strcmp(m->server[i].name, s->name))
			return -EINVAL;
	if (!next_token(l, &t) || copy_path(s->path, &t))
		return -EINVAL;
	s->irq = -1;
	while (next_token(l, &t)) {
		if (find_char(t.p, '=', t.n)) {
			if (parse_option(&t, s))
				return -EINVAL;
			continue;
		}
		if (s->nroutes >= MANIFEST_MAX_ROUTES || copy_name(s->routes[s->nroutes], &t))
			return -EINVAL;
		s->nroutes++;
	}
	m->nservers++;
	return 0;
}

/* Parse the rest of an "init" line l: optional "native", the path (also argv[0]), then
 * the arguments. 0, or -EINVAL (second init, missing or bad path, bad argument,
 * argv or arg_store full). */
static int parse_init(struct span *l, struct manifest *m)
{
	struct span t;
	size_t used = 0;

	if (m->init_argc || !next_token(l, &t))
		return -EINVAL;
	if (tok_is(&t, "native")) {
		m->init_native = true;
		if (!next_token(l, &t))
			return -EINVAL;
	}
	if (copy_path(m->init_path, &t) || add_arg(m, &used, &t))
		return -EINVAL;
	while (next_token(l, &t))
		if (add_arg(m, &used, &t))
			return -EINVAL;
	return 0;
}

/* Parse one line (without its line terminator). 0, or -EINVAL. */
static int parse_line(struct span l, struct manifest *m)
{
	struct span t;

	if (has_nul(&l))
		return -EINVAL;
	if (!next_token(&l, &t))
		return 0;
	if (tok_is(&t, "server"))
		return parse_server(&l, m);
	if (tok_is(&t, "init"))
		return parse_init(&l, m);
	return -EINVAL;
}

/* Cut the next line off the front of text *rest into *line, without its "\n" or
 * "\r\n" (or a lone final "\r"). Call only while rest->n > 0. */
static void next_line(struct span *rest, struct span *line)
{
	size_t n = 0;

	while (n < rest->n && rest->p[n] != '\n')
		n++;
	line->p = rest->p;
	line->n = (n && rest->p[n - 1] == '\r') ? n - 1 : n;
	n = n < rest->n ? n + 1 : n;
	rest->p += n;
	rest->n -= n;
}

/* Parse len bytes of text into *m (which is cleared first). 0, or -EINVAL (bad
 * directive, bad name, too long, too many, duplicate server name, NUL byte, missing or
 * second init) with m->error_line set: the offending line, or for a missing init the
 * line after the last one. On success error_line is 0, init_argv[0] points at the
 * copy of init_path in arg_store and init_argv[init_argc] is NULL. */
int manifest_parse(const char *text, size_t len, struct manifest *m)
{
	struct span rest = { text, len }, line;
	int lineno = 0, err = 0;

	memset(m, 0, sizeof(*m));
	while (rest.n) {
		next_line(&rest, &line);
		lineno++;
		err = parse_line(line, m);
		if (err)
			goto fail;
	}
	if (!m->init_argc) {
		lineno++;
		err = -EINVAL;
		goto fail;
	}
	return 0;
fail:
	m->error_line = lineno;
	return err;
}
