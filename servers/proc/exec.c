/*
 * execve: copy the caller's path, argv and envp into one blob, let the kernel check the
 * program, have mm release the old image, then let the kernel load the new one. Errors
 * found before the release (ENOENT, ENOEXEC, EFAULT, E2BIG, ENAMETOOLONG) leave the
 * caller running its old program. Programs come from the boot archive for now.
 */
#include <relay/libsys.h>
#include <relay/errno.h>
#include <relay/proto/mm.h>
#include <relay/proto/vfs.h>
#include <relay/proto/sig.h>
#include "proc.h"

#define PATH_MAX 4096
#define CHUNK 4096	/* copies never cross a 4 KiB boundary past a string's end */

static char blob[EXEC_BLOB_MAX];

/* Append the caller's NUL-terminated string at addr to blob at *len, at most max bytes
 * long. 0, -EFAULT, -E2BIG (blob full) or -ENAMETOOLONG (longer than max). */
static long copyin_string(word_t token, word_t addr, size_t *len, size_t max)
{
	size_t start = *len;
	for (;;) {
		size_t n = CHUNK - (addr & (CHUNK - 1));
		if (n > EXEC_BLOB_MAX - *len)
			n = EXEC_BLOB_MAX - *len;
		if (!n)
			return -E2BIG;
		long err = sys_tok_copyin(token, addr, n, blob + *len);
		if (err)
			return err;
		for (size_t i = 0; i < n; i++)
			if (!blob[*len + i]) {
				*len += i + 1;
				return *len - start > max ? -ENAMETOOLONG : 0;
			}
		*len += n;
		addr += n;
		if (*len - start > max)
			return -ENAMETOOLONG;
	}
}

/* Append the strings of the caller's NULL-terminated pointer array at vec; *count gets
 * how many. A NULL vec is an empty array. */
static long copyin_vector(word_t token, word_t vec, size_t *len, uint32_t *count)
{
	*count = 0;
	for (word_t i = 0; vec; i++) {
		word_t ptr;
		long err = sys_tok_copyin(token, vec + i * sizeof(word_t), sizeof(ptr), &ptr);
		if (err)
			return err;
		if (!ptr)
			return 0;
		err = copyin_string(token, ptr, len, EXEC_BLOB_MAX);
		if (err)
			return err;
		(*count)++;
	}
	return 0;
}

#define INTERP_DEPTH 4
#define SHEBANG_MAX 256

/* Read the program at the blob's path (the vfs resolves it for the caller, with its cwd)
 * into a malloc'ed *img. *img stays NULL with no vfs: the kernel then takes the path from
 * the boot archive. 0 or -ENOENT, -EACCES, -ENOMEM... */
static long exec_read(struct proc *p, char **img, size_t *size)
{
	size_t cap = 256u << 10;
	word_t r[REPLY_WORDS];
	*img = NULL;
	*size = 0;
	if (proc_vfs_ep < 0)
		return 0;
	for (;;) {
		char *buf = malloc(cap);
		if (!buf)
			return -ENOMEM;
		word_t msg[6] = { (word_t)p->pid, (word_t)(blob + sizeof(struct exec_blob)),
				  (word_t)buf, cap, 0, 0 };
		long n = sys_call(proc_vfs_ep, VFS_EXEC_READ, msg, r);
		n = n ? n : (long)r[0];
		if (n >= 0 && (size_t)n <= cap) {
			*img = buf;
			*size = (size_t)n;
			return 0;
		}
		free(buf);
		if (n < 0)
			return n;
		cap = (size_t)n;
	}
}

/* A "#!interp [arg]" first line: rebuild the blob as interp [arg] path argv[1..] and
 * return 1; 0 if img is no script; -ENOEXEC for a malformed line, -E2BIG. */
static long exec_script(const char *img, size_t size, size_t *len)
{
	static char old[EXEC_BLOB_MAX];
	char line[SHEBANG_MAX];
	struct exec_blob *h = (struct exec_blob *)blob, oh = *h;
	size_t n = 0, pos = sizeof(*h);
	if (size < 2 || img[0] != '#' || img[1] != '!')
		return 0;
	while (n + 2 < size && n < SHEBANG_MAX - 1 && img[n + 2] != '\n')
		line[n] = img[n + 2], n++;
	line[n] = 0;
	char *interp = line, *arg = NULL;
	while (*interp == ' ' || *interp == '\t')
		interp++;
	for (char *q = interp; *q; q++)
		if (*q == ' ' || *q == '\t') {
			*q++ = 0;
			while (*q == ' ' || *q == '\t')
				q++;
			arg = *q ? q : NULL;
			break;
		}
	if (!*interp)
		return -ENOEXEC;
	memcpy(old, blob, *len);
	const char *path = old + sizeof(*h), *argv1 = path + strlen(path) + 1;
	if (oh.argc)
		argv1 += strlen(argv1) + 1;	/* drop the old argv[0] */
	size_t rest = (size_t)(old + *len - argv1);
	size_t need = pos + 2 * (strlen(interp) + 1) + (arg ? strlen(arg) + 1 : 0) + strlen(path) + 1 + rest;
	if (need > EXEC_BLOB_MAX)
		return -E2BIG;
	const char *parts[] = { interp, interp, arg, path };
	for (int i = 0; i < 4; i++)
		if (parts[i]) {
			memcpy(blob + pos, parts[i], strlen(parts[i]) + 1);
			pos += strlen(parts[i]) + 1;
		}
	memcpy(blob + pos, argv1, rest);
	h->argc = (oh.argc ? oh.argc - 1 : 0) + 2 + (arg ? 1 : 0);
	h->envc = oh.envc;
	*len = pos + rest;
	return 1;
}

/* Find the program to load: the file, or the interpreters of "#!" scripts. */
static long exec_find(struct proc *p, size_t *len, char **img, size_t *size)
{
	for (int depth = 0;; depth++) {
		long err = exec_read(p, img, size);
		if (err || !*img)
			return err;
		err = exec_script(*img, *size, len);
		if (err <= 0)
			return err;
		free(*img);
		*img = NULL;
		if (depth == INTERP_DEPTH)
			return -ELOOP;
	}
}

long proc_do_execve(struct call *c)
{
	struct proc *p = proc_caller(c);
	struct exec_blob *h = (struct exec_blob *)blob;
	size_t len = sizeof(*h), size = 0;
	char *img = NULL;
	long err;
	if (!p)
		return -ESRCH;
	err = copyin_string(c->token, c->arg[0], &len, PATH_MAX - 1);
	if (!err && len == sizeof(*h) + 1)
		err = -ENOENT;	/* the empty path */
	if (!err)
		err = copyin_vector(c->token, c->arg[1], &len, &h->argc);
	if (!err)
		err = copyin_vector(c->token, c->arg[2], &len, &h->envc);
	if (!err)
		err = exec_find(p, &len, &img, &size);
	if (!err)
		err = sys_tok_exec(c->token, blob, len, 0, img, size);
	if (err) {
		free(img);
		return err;
	}
	/* The point of no return: the old image goes. */
	proc_release_memory(p, c->token);
	err = sys_tok_exec(c->token, blob, len, 1, img, size);
	free(img);
	if (err) {
		proc_exit(p, c->token, 9);	/* as Linux: SIGKILL after the point of no return */
		return CALL_DEFERRED;
	}
	word_t msg[6] = { (word_t)p->pid, (word_t)blob, len, 0, 0, 0 }, r[REPLY_WORDS];
	if (proc_vfs_ep >= 0)
		sys_call(proc_vfs_ep, VFS_EXEC, msg, r);
	proc_tell_sig(SIG_EXEC, (word_t)p->pid, 0, 0);
	proc_release_vfork(p);
	return 0;
}
