/* Boot: read the manifest from the boot archive, start the servers and init. */
#include "native.h"
#include <relay/errno.h>
#include "kernel.h"
#include "kstring.h"
#include "cpio.h"
#include "frame.h"
#include "manifest.h"
#include <relay/gen/sysnr.h>

static const void *archive;
static size_t archive_size;

/* boot_read(off, buf, len): copy part of the boot archive to a server; len 0: its size. */
void nat_boot_read(struct thread *t)
{
	word_t off = W(t, 0), len = W(t, 2);
	if (!len)
		return set_result(t, archive_size);
	if (off > archive_size || len > archive_size - off)
		return set_result(t, -EINVAL);
	if (vs_copy(&t->task->vs, W(t, 1), (char *)archive + off, len, true))
		return set_result(t, -EFAULT);
	set_result(t, len);
}

/* Find path in the boot archive (the programs execve can start for now). */
int boot_find(const char *path, struct cpio_file *f)
{
	return cpio_find(archive, archive_size, path, f);
}

/* Load the program at path as a new task with one ready thread. */
static struct task *start_program(const char *name, const char *path, int argc,
				  const char *const *argv)
{
	struct cpio_file f;
	vaddr_t entry, phdr, sp;
	unsigned phnum;
	int err = cpio_find(archive, archive_size, path, &f);
	if (err)
		panic("boot: %s: not in the boot archive (%d)", path, err);
	struct task *tk = task_create(name);
	if (!tk)
		panic("boot: out of tasks");
	err = task_load_elf(tk, f.data, f.size, &entry, &phdr, &phnum);
	struct exec_args a = { argc, 0, argv, NULL, path };
	if (!err)
		err = task_setup_stack(tk, &a, entry, phdr, phnum, &sp);
	if (err)
		panic("boot: cannot load %s (error %d)", path, err);
	struct thread *th = thread_alloc(tk);
	if (!th)
		panic("boot: out of threads");
	arch_regs_init_user(&th->regs, entry, sp, 0);
	sched_ready(th);
	return tk;
}

/* Give a driver server the devices its manifest line grants: I/O ports, device memory
 * (never RAM) and an interrupt line. Anything the machine cannot grant stops the boot. */
static void grant_devices(struct task *tk, const struct manifest_server *s)
{
	paddr_t ram_lo, ram_hi;
	if (s->io_len && arch_io_grant(&tk->vs, s->io_base, s->io_len))
		panic("manifest: server %s: io= but this machine has no I/O ports", s->name);
	if (s->mmio_len) {
		frame_range(&ram_lo, &ram_hi);
		if (s->mmio_base < ram_hi && s->mmio_base + s->mmio_len > ram_lo)
			panic("manifest: server %s: mmio= covers RAM", s->name);
		tk->mmio_base = s->mmio_base;
		tk->mmio_len = s->mmio_len;
	}
	if (s->irq >= 0 && !arch_irq_usable((unsigned)s->irq))
		panic("manifest: server %s: irq=%d is not a usable interrupt line", s->name, s->irq);
	tk->irq = s->irq;
}

/* Give server s endpoint ep and point its route classes at it. */
static void bind_server(struct task *tk, const struct manifest_server *s, int ep)
{
	tk->is_server = tk->native_ok = true;
	tk->ep = ep;
	endpoints[ep].owner = tk;
	grant_devices(tk, s);
	for (int r = 0; r < s->nroutes; r++) {
		int cls = route_class_by_name(s->routes[r]);
		if (cls < 0)
			panic("manifest: server %s: no route class '%s' in the syscall table", s->name,
			      s->routes[r]);
		if (route_ep[cls] >= 0)
			panic("manifest: route class '%s' served twice", s->routes[r]);
		route_ep[cls] = (int8_t)ep;
		if (cls == ROUTE_mm)
			tk->is_pager = true;
		if (cls == ROUTE_proc)
			tk->is_procmgr = true;
		if (cls == ROUTE_sig)
			tk->is_sigmgr = true;
	}
}

/* Start everything the boot manifest names. */
void boot_start(const struct boot_info *bi)
{
	static struct manifest m;
	struct cpio_file f;

	archive = P2V(bi->initrd_base);
	archive_size = bi->initrd_size;
	if (!archive_size)
		panic("boot: no boot archive (initrd)");
	if (cpio_find(archive, archive_size, "boot/manifest", &f))
		panic("boot: the boot archive has no /boot/manifest");
	if (manifest_parse(f.data, f.size, &m))
		panic("boot: /boot/manifest line %d is not valid", m.error_line);
	if (m.nservers > MAX_ENDPOINTS)
		panic("boot: too many servers");
	for (int i = 0; i < m.nservers; i++) {
		const struct manifest_server *s = &m.server[i];
		const char *argv[] = { s->path };
		bind_server(start_program(s->name, s->path, 1, argv), s, i);
	}
	struct task *init = start_program("init", m.init_path, m.init_argc, m.init_argv);
	init->is_init = true;
	init->native_ok = m.init_native;
	init->pager_ep = route_ep[ROUTE_mm];
	for (int i = 0; i < MAX_THREADS; i++)
		if (threads[i].task == init)
			threads[i].badge = BOOT_INIT_BADGE;
}
