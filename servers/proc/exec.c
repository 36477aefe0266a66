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

long proc_do_execve(struct call *c)
{
	struct proc *p = proc_caller(c);
	struct exec_blob *h = (struct exec_blob *)blob;
	size_t len = sizeof(*h);
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
		err = sys_tok_exec(c->token, blob, len, 0);
	if (err)
		return err == -ENAMETOOLONG || err == -EFAULT || err == -ENOENT || err == -ENOEXEC ||
		       err == -E2BIG ? err : -EINVAL;
	/* The point of no return: the old image goes. */
	proc_release_memory(p, c->token);
	err = sys_tok_exec(c->token, blob, len, 1);
	if (err) {
		proc_exit(p, c->token, 9);	/* as Linux: SIGKILL after the point of no return */
		return CALL_DEFERRED;
	}
	proc_tell_vfs(VFS_EXEC, (word_t)p->pid, 0);
	proc_release_vfork(p);
	return 0;
}
