/* The root file system's first contents: every file of the boot archive (cpio newc),
 * copied into tmpfs with the directories on its path. */
#include <relay/libsys.h>
#include <relay/errno.h>
#include "cpio.h"
#include "manifest.h"
#include "vfs.h"

/* Find or make the directory name[0..len) in dir. */
static struct tnode *subdir(struct tnode *dir, const char *name, size_t len)
{
	struct tnode *n;
	if (tmpfs_lookup(dir, name, len, &n) == 0)
		return (tmpfs_mode(n) & S_IFMT) == S_IFDIR ? n : NULL;
	return tmpfs_create(dir, name, len, S_IFDIR | 0755, 0, &n) == 0 ? n : NULL;
}

/* Create path (relative, '/'-separated) under root with the file's data and mode. */
static int import_file(struct tnode *root, const struct cpio_file *f)
{
	const char *p = f->name, *end = f->name + f->namelen;
	struct tnode *dir = root, *n;
	while (p < end && (*p == '/' || *p == '.'))
		p++;
	for (;;) {
		const char *slash = p;
		while (slash < end && *slash != '/')
			slash++;
		if (slash == end)
			break;
		if (!(dir = subdir(dir, p, (size_t)(slash - p))))
			return -ENOTDIR;
		p = slash + 1;
	}
	if (p == end)
		return 0;
	if ((f->mode & S_IFMT) == S_IFDIR)
		return subdir(dir, p, (size_t)(end - p)) ? 0 : -ENOMEM;
	int err = tmpfs_create(dir, p, (size_t)(end - p), S_IFREG | (f->mode & 07777), 0, &n);
	if (err)
		return err;
	return tmpfs_write(n, 0, f->data, f->size) == (long)f->size || !f->size ? 0 : -ENOMEM;
}

/* Copy the boot archive into root. 0 or a negative errno. */
int bootfs_import(struct tnode *root)
{
	static struct manifest m;
	struct cpio_file f, boot_manifest = { 0 };
	long size = sys_boot_read(0, NULL, 0);
	size_t off = 0;
	int err = 0;
	if (size <= 0)
		return size ? (int)size : 0;
	char *buf = malloc((size_t)size);
	if (!buf)
		return -ENOMEM;
	if (sys_boot_read(0, buf, (size_t)size) != size) {
		err = -EIO;
		goto out;
	}
	while (!err && cpio_next(buf, (size_t)size, &off, &f) == 1)
		err = import_file(root, &f);
	if (cpio_find(buf, (size_t)size, "boot/manifest", &boot_manifest) == 0 &&
	    manifest_parse(boot_manifest.data, boot_manifest.size, &m) == 0)
		procfs_boot(&m);
out:
	free(buf);
	return err;
}
