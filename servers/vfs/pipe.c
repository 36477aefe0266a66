/*
 * Pipes and FIFOs: a 64 KiB ring per pipe. A read on an empty pipe (or a write that does
 * not fit) is a deferred reply: the call's token waits in the pipe's queue and is answered
 * when a write (or read) or the close of the other end lets it finish. Writes of at most
 * PIPE_BUF bytes are atomic.
 */
#include <relay/libsys.h>
#include <relay/errno.h>
#include <relay/proto/sig.h>
#include "vfs.h"

#define SIGPIPE 13

#define PIPE_SIZE 65536
#define PIPE_BUF 4096

struct waiter {
	word_t token, addr;
	size_t len, done;
	struct waiter *next;
};

/* An open(2) of a FIFO waiting for the other end (a reader waits for a writer, a writer for
 * a reader); its descriptor is installed already and is the answer. */
struct open_waiter {
	word_t token;
	int pid, fd;
	bool writer;
	struct open_waiter *next;
};

struct pipe {
	uint8_t *buf;
	size_t head, used;
	int readers, writers;
	struct waiter *rq, *wq;		/* blocked reads and writes, oldest first */
	struct open_waiter *oq;		/* blocked FIFO opens */
	bool fifo;			/* belongs to a FIFO node: kept while the node lives */
	struct pipe *next_pipe;		/* every pipe, for cancelling waits (pipe_cancel) */
};

static struct pipe *all_pipes;

static void queue_add(struct waiter **q, struct waiter *w)
{
	while (*q)
		q = &(*q)->next;
	w->next = NULL;
	*q = w;
}

static void reply(word_t token, long value)
{
	word_t r[REPLY_WORDS] = { (word_t)value };
	sys_reply(token, r);
}

/* A write found no reader: EPIPE, and SIGPIPE for the writer (as Linux: si_pid its own). */
static long broken_pipe(word_t token)
{
	struct tok_info ti;
	if (vfs_sig_ep >= 0 && sys_tok_task(token, &ti) == 0) {
		word_t msg[6] = { ti.badge, ti.task, SIGPIPE, ti.badge, 0, 0 }, r[REPLY_WORDS];
		sys_call(vfs_sig_ep, SIG_POST, msg, r);
	}
	return -EPIPE;
}

/* Move up to len bytes from the ring to the caller's addr: bytes moved or -EFAULT. */
static long ring_out(struct pipe *p, word_t token, word_t addr, size_t len)
{
	size_t n = len < p->used ? len : p->used, done = 0;
	while (done < n) {
		size_t seg = PIPE_SIZE - p->head;
		if (seg > n - done)
			seg = n - done;
		long err = sys_tok_copyout(token, addr + done, seg, p->buf + p->head);
		if (err)
			return done ? (long)done : err;
		p->head = (p->head + seg) % PIPE_SIZE;
		p->used -= seg;
		done += seg;
	}
	return (long)done;
}

/* Move up to len bytes from the caller's addr into the ring: bytes moved or -EFAULT. */
static long ring_in(struct pipe *p, word_t token, word_t addr, size_t len)
{
	size_t room = PIPE_SIZE - p->used, n = len < room ? len : room, done = 0;
	while (done < n) {
		size_t tail = (p->head + p->used) % PIPE_SIZE, seg = PIPE_SIZE - tail;
		if (seg > n - done)
			seg = n - done;
		long err = sys_tok_copyin(token, addr + done, seg, p->buf + tail);
		if (err)
			return done ? (long)done : err;
		p->used += seg;
		done += seg;
	}
	return (long)done;
}

/* Whether a write of `left` more bytes (of a `len`-byte call) may go in now. */
static bool write_fits(const struct pipe *p, size_t len, size_t left)
{
	size_t room = PIPE_SIZE - p->used;
	return len <= PIPE_BUF ? room >= left : room > 0;
}

/* Finish whatever queued reads and writes can finish now. */
static void pipe_service(struct pipe *p)
{
	bool progress = true;
	while (progress) {
		progress = false;
		while (p->rq && (p->used || !p->writers)) {
			struct waiter *w = p->rq;
			p->rq = w->next;
			reply(w->token, p->used ? ring_out(p, w->token, w->addr, w->len) : 0);
			free(w);
			progress = true;
		}
		while (p->wq && (!p->readers || write_fits(p, p->wq->len, p->wq->len - p->wq->done))) {
			struct waiter *w = p->wq;
			if (p->readers) {
				long n = ring_in(p, w->token, w->addr + w->done, w->len - w->done);
				if (n < 0) {
					p->wq = w->next;
					reply(w->token, w->done ? (long)w->done : n);
					free(w);
					continue;
				}
				w->done += (size_t)n;
				progress = true;
				if (w->done < w->len)
					break;
			}
			p->wq = w->next;
			reply(w->token, w->done ? (long)w->done : broken_pipe(w->token));
			free(w);
		}
	}
	poll_wake();
}

/* Answer the queued reads and writes of interrupted callers: -ERESTARTSYS (sig makes it
 * -EINTR or restarts the call), or what a write had moved already. */
static void cancel_queue(struct waiter **q)
{
	while (*q) {
		struct waiter *w = *q;
		if (sys_tok_interrupted(w->token) != 1) {
			q = &w->next;
			continue;
		}
		*q = w->next;
		reply(w->token, w->done ? (long)w->done : -ERESTARTSYS);
		free(w);
	}
}

/* Interrupted FIFO opens: the descriptor goes, the answer is -ERESTARTSYS. */
static void cancel_opens(struct pipe *p)
{
	for (struct open_waiter **pp = &p->oq; *pp;) {
		struct open_waiter *w = *pp;
		if (sys_tok_interrupted(w->token) != 1) {
			pp = &w->next;
			continue;
		}
		*pp = w->next;
		struct fdt *t = fdt_find(w->pid);
		if (t)
			fd_close(t, w->fd);
		reply(w->token, -ERESTARTSYS);
		free(w);
	}
}

void pipe_cancel(void)
{
	for (struct pipe *p = all_pipes; p; p = p->next_pipe) {
		cancel_queue(&p->rq);
		cancel_queue(&p->wq);
		cancel_opens(p);
	}
}

long pipe_read(struct call *c, struct file *f, word_t addr, size_t len)
{
	struct pipe *p = f->pipe;
	if (!len)
		return 0;
	if (p->used) {
		long n = ring_out(p, c->token, addr, len);
		pipe_service(p);
		return n;
	}
	if (!p->writers)
		return 0;	/* end of file */
	if (f->flags & O_NONBLOCK)
		return -EAGAIN;
	struct waiter *w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	*w = (struct waiter){ c->token, addr, len, 0, NULL };
	queue_add(&p->rq, w);
	return CALL_DEFERRED;
}

long pipe_write(struct call *c, struct file *f, word_t addr, size_t len)
{
	struct pipe *p = f->pipe;
	long n = 0;
	if (!p->readers)
		return broken_pipe(c->token);
	if (!len)
		return 0;
	if (!p->wq && write_fits(p, len, len)) {
		n = ring_in(p, c->token, addr, len);
		pipe_service(p);
		if (n < 0 || (size_t)n == len)
			return n;
	}
	if (f->flags & O_NONBLOCK)
		return n ? n : -EAGAIN;
	struct waiter *w = calloc(1, sizeof(*w));
	if (!w)
		return n ? n : -ENOMEM;
	*w = (struct waiter){ c->token, addr, len, (size_t)n, NULL };
	queue_add(&p->wq, w);
	return CALL_DEFERRED;
}

int pipe_new(struct pipe **out)
{
	struct pipe *p = calloc(1, sizeof(*p));
	if (p && !(p->buf = malloc(PIPE_SIZE))) {
		free(p);
		p = NULL;
	}
	if (p) {
		p->next_pipe = all_pipes;
		all_pipes = p;
	}
	*out = p;
	return p ? 0 : -ENOMEM;
}

void pipe_open_end(struct pipe *p, bool writer)
{
	if (writer)
		p->writers++;
	else
		p->readers++;
	for (struct open_waiter **pp = &p->oq; *pp;) {
		struct open_waiter *w = *pp;
		if (!(w->writer ? p->readers : p->writers)) {
			pp = &w->next;
			continue;
		}
		*pp = w->next;
		reply(w->token, w->fd);
		free(w);
	}
}

long fifo_open_wait(struct call *c, struct file *f, int fd)
{
	struct pipe *p = f->pipe;
	if (f->pipe_writer ? p->readers : p->writers)
		return fd;
	struct open_waiter *w = malloc(sizeof(*w));
	if (!w)
		return fd;	/* cannot wait: behave as if the other end were there */
	*w = (struct open_waiter){ c->token, (int)c->badge, fd, f->pipe_writer, p->oq };
	p->oq = w;
	return CALL_DEFERRED;
}


/* An end closes: the other side may now see EOF or EPIPE. */
void pipe_close(struct file *f)
{
	struct pipe *p = f->pipe;
	if (f->pipe_writer)
		p->writers--;
	if (!f->pipe_writer || (f->flags & O_ACCMODE) == O_RDWR)
		p->readers--;
	pipe_service(p);
	if (!p->readers && !p->writers && !p->fifo) {
		for (struct pipe **pp = &all_pipes; *pp; pp = &(*pp)->next_pipe)
			if (*pp == p) {
				*pp = p->next_pipe;
				break;
			}
		free(p->buf);
		free(p);
	}
}

unsigned pipe_poll(struct file *f)
{
	struct pipe *p = f->pipe;
	if (f->pipe_writer)
		return (!p->readers ? POLLERR : 0) | (PIPE_SIZE - p->used >= PIPE_BUF ? POLLOUT : 0);
	return (p->used ? POLLIN : 0) | (!p->writers ? POLLHUP : 0);
}

/* A file on one end of p. */
static struct file *pipe_file(struct pipe *p, bool writer, unsigned flags)
{
	struct file *f = file_new(FILE_PIPE, (writer ? O_WRONLY : O_RDONLY) | (flags & O_NONBLOCK));
	if (f) {
		f->pipe = p;
		f->pipe_writer = writer;
		pipe_open_end(p, writer);
	}
	return f;
}

static long do_pipe(struct call *c, word_t fds_addr, word_t flags)
{
	struct fdt *t = fdt_of(c);
	struct pipe *p;
	int32_t fds[2] = { -1, -1 };
	long err;
	if (flags & ~(word_t)(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	if (!t || pipe_new(&p))
		return -ENOMEM;
	struct file *r = pipe_file(p, false, (unsigned)flags), *w = pipe_file(p, true, (unsigned)flags);
	if (!r || !w) {
		err = -ENOMEM;
		goto out;
	}
	fds[0] = fd_install(t, r, 0, flags & O_CLOEXEC);
	if (fds[0] >= 0)
		r = NULL;
	fds[1] = fds[0] < 0 ? -EMFILE : fd_install(t, w, 0, flags & O_CLOEXEC);
	if (fds[1] >= 0)
		w = NULL;
	err = fds[1] < 0 ? -EMFILE : sys_tok_copyout(c->token, fds_addr, sizeof(fds), fds);
out:
	if (err) {
		for (int i = 0; i < 2; i++)
			if (fds[i] >= 0)
				fd_close(t, fds[i]);
	}
	if (r)
		file_put(r);
	if (w)
		file_put(w);
	if (!r && !w && err && fds[0] < 0 && p->readers + p->writers == 0) {
		free(p->buf);
		free(p);
	}
	return err;
}

long vfs_do_pipe2(struct call *c) { return do_pipe(c, c->arg[0], c->arg[1]); }
long vfs_do_pipe(struct call *c) { return do_pipe(c, c->arg[0], 0); }

long fifo_open(struct tnode *node, unsigned flags, struct file **out)
{
	struct pipe *p = tmpfs_private(node);
	bool writer = (flags & O_ACCMODE) != O_RDONLY;
	if (!p) {
		if (pipe_new(&p))
			return -ENOMEM;
		p->fifo = true;
		tmpfs_set_private(node, p);
	}
	if ((flags & O_ACCMODE) == O_WRONLY && (flags & O_NONBLOCK) && !p->readers)
		return -ENXIO;
	struct file *f = pipe_file(p, writer, flags);
	if (!f)
		return -ENOMEM;
	if ((flags & O_ACCMODE) == O_RDWR)
		pipe_open_end(p, false), f->flags = (f->flags & ~O_ACCMODE) | O_RDWR;
	f->node = node;
	tmpfs_get(node);
	*out = f;
	return 0;
}
