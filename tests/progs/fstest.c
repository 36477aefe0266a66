/*
 * File-system test (static musl; the same binary passes on Linux, also as pid 1).
 *   fstest [DIR]      DIR (default "/tmp") is writable scratch; all work is in DIR/fstest.<pid>
 * Checks:
 *   - a tree of 200 entries: 4 directories with 4 subdirectories each (20 directories),
 *     9 files in each; every file's content is derived from its path
 *   - raw getdents64 listing (small buffer, several calls): every name exactly once, "."
 *     and ".." present, d_type right when not DT_UNKNOWN; every file reads back intact
 *   - stat: st_size, S_IFMT, permission bits after creat(0640) and open(0666) under
 *     umask(022) and after chmod; st_nlink of a file 1 -> 2 after link() -> 1 after unlink,
 *     of a directory 2 + subdirectories
 *   - rename of a file across directories, rename of a directory with its contents
 *   - errors: ENOTEMPTY (rmdir), EISDIR (unlink of a directory), EEXIST (O_CREAT|O_EXCL,
 *     mkdir), ENOTDIR (O_DIRECTORY on a file, a file as path component), ENOENT,
 *     ENAMETOOLONG (a 256-character name), ELOOP (O_NOFOLLOW on a symlink)
 *   - symlink, readlink, lstat (S_IFLNK) vs stat (the target's type)
 *   - lseek SEEK_SET/CUR/END, a write past EOF leaves a zero-filled hole, ftruncate shrink
 *     and grow, O_APPEND writes go to the end, pread/pwrite leave the offset alone
 *   - getcwd after chdir, fstatfs
 *   - removal of the whole tree through getdents64 + unlink/rmdir
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>

static int failures;
#define CHECK(cond) do { if (!(cond)) { printf("FAIL: %s (line %d, errno %d)\n", #cond, __LINE__, errno); failures++; } } while (0)
#define CHECK_ERR(call, err) do { errno = 0; CHECK((call) == -1 && errno == (err)); } while (0)
#define TOP 4
#define SUB 4
#define FILES 9
#define MAXLEN 5000

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static char base[256];

/* Content of the file at relative path rel: length and bytes both depend on the name. */
static size_t make_content(const char *rel, char *buf)
{
	uint32_t h = 2166136261u;
	for (const char *p = rel; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	size_t len = h % MAXLEN, n = strlen(rel);
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)(rel[i % n] ^ (i * 7) ^ (h >> 8));
	return len;
}

static void path_of(char *out, const char *rel)
{
	snprintf(out, 768, "%s/%s", base, rel);
}

/* Reads the file at rel and compares it with the content derived from want_rel. */
static int content_ok(const char *rel, const char *want_rel)
{
	static char want[MAXLEN], got[MAXLEN + 1];
	char path[768];
	path_of(path, rel);
	size_t len = make_content(want_rel, want), have = 0;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	ssize_t n;
	while (have <= MAXLEN && (n = read(fd, got + have, MAXLEN + 1 - have)) > 0)
		have += (size_t)n;
	close(fd);
	return have == len && memcmp(want, got, len) == 0;
}

/* The relative path of file f of d<t> (s < 0) or d<t>/s<s>; f < 0: the directory itself. */
static void rel_of(char *out, int t, int s, int f)
{
	int n = sprintf(out, "d%d", t);
	if (s >= 0)
		n += sprintf(out + n, "/s%d", s);
	if (f >= 0)
		sprintf(out + n, "/f%d", f);
}

static void build_tree(void)
{
	static char buf[MAXLEN];
	char rel[64], path[768];
	for (int t = 0; t < TOP; t++)
		for (int s = -1; s < SUB; s++) {
			rel_of(rel, t, s, -1);
			path_of(path, rel);
			CHECK(mkdir(path, 0755) == 0);
			for (int f = 0; f < FILES; f++) {
				rel_of(rel, t, s, f);
				path_of(path, rel);
				size_t len = make_content(rel, buf);
				int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
				CHECK(fd >= 0 && write(fd, buf, len) == (ssize_t)len && close(fd) == 0);
			}
		}
}

/* Lists dir with getdents64: ".", "..", the files and subdirs must each appear once. */
static void check_listing(const char *rel, int subdirs)
{
	char path[768], names[FILES + SUB + 2][8] = { ".", ".." }, buf[512];
	int seen[FILES + SUB + 2] = { 0 }, other = 0, n = 2;
	for (int f = 0; f < FILES; f++)
		sprintf(names[n++], "f%d", f);
	for (int s = 0; s < subdirs; s++)
		sprintf(names[n++], "s%d", s);
	path_of(path, rel);
	int fd = open(path, O_RDONLY | O_DIRECTORY);
	CHECK(fd >= 0);
	long got;
	while ((got = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {	/* several calls */
		for (long off = 0; off < got;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
			CHECK(d->d_reclen > 0 && off + d->d_reclen <= got);
			if (d->d_reclen == 0)
				break;
			off += d->d_reclen;
			int i = 0;
			while (i < n && strcmp(names[i], d->d_name) != 0)
				i++;
			if (i == n) {
				other++;
				continue;
			}
			seen[i]++;
			int want = d->d_name[0] == 'f' ? DT_REG : DT_DIR;
			CHECK(d->d_type == DT_UNKNOWN || d->d_type == want);
		}
	}
	CHECK(got == 0 && other == 0);
	for (int i = 0; i < n; i++)
		CHECK(seen[i] == 1);
	close(fd);
}

static void check_tree(void)
{
	char rel[64], path[768];
	struct stat st;
	int bad = 0;
	for (int t = 0; t < TOP; t++)
		for (int s = -1; s < SUB; s++) {
			rel_of(rel, t, s, -1);
			check_listing(rel, s < 0 ? SUB : 0);
			path_of(path, rel);
			CHECK(stat(path, &st) == 0 && S_ISDIR(st.st_mode));
			CHECK(st.st_nlink == (nlink_t)(2 + (s < 0 ? SUB : 0)));
			for (int f = 0; f < FILES; f++) {
				rel_of(rel, t, s, f);
				path_of(path, rel);
				static char buf[MAXLEN];
				bad += !content_ok(rel, rel);
				bad += stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1
					|| st.st_size != (off_t)make_content(rel, buf);
			}
		}
	CHECK(bad == 0);
	CHECK(stat(base, &st) == 0 && st.st_nlink == 2 + TOP);
}

static void check_modes_links_renames(void)
{
	char a[768], b[768], c[768];
	struct stat st, st2;
	umask(022);
	path_of(a, "d0/m1");
	int fd = creat(a, 0640);
	CHECK(fd >= 0 && fstat(fd, &st) == 0 && (st.st_mode & 07777) == 0640 && S_ISREG(st.st_mode));
	close(fd);
	path_of(b, "d0/m2");
	fd = open(b, O_RDWR | O_CREAT, 0666);
	CHECK(fd >= 0 && fstat(fd, &st) == 0 && (st.st_mode & 07777) == 0644 && st.st_size == 0);
	close(fd);
	CHECK(chmod(a, 0600) == 0 && stat(a, &st) == 0 && (st.st_mode & 07777) == 0600);
	CHECK(chmod(b, 0751) == 0 && stat(b, &st) == 0 && (st.st_mode & 07777) == 0751);
	path_of(a, "d0/f1");
	path_of(b, "d1/s2/hard");
	CHECK(link(a, b) == 0);
	CHECK(stat(a, &st) == 0 && stat(b, &st2) == 0 && st.st_nlink == 2 && st2.st_nlink == 2);
	CHECK(st.st_ino == st2.st_ino && st.st_dev == st2.st_dev && content_ok("d1/s2/hard", "d0/f1"));
	CHECK(unlink(b) == 0 && stat(a, &st) == 0 && st.st_nlink == 1);
	CHECK_ERR(stat(b, &st), ENOENT);

	path_of(a, "d0/f0");	/* a file across directories */
	path_of(b, "d1/s0/moved");
	CHECK(rename(a, b) == 0);
	CHECK_ERR(stat(a, &st), ENOENT);
	CHECK(content_ok("d1/s0/moved", "d0/f0"));
	path_of(a, "d3");	/* a directory with contents */
	path_of(b, "d2/s1/d3moved");
	CHECK(rename(a, b) == 0);
	CHECK_ERR(stat(a, &st), ENOENT);
	CHECK(content_ok("d2/s1/d3moved/s3/f8", "d3/s3/f8") && content_ok("d2/s1/d3moved/f4", "d3/f4"));
	CHECK(stat(b, &st) == 0 && S_ISDIR(st.st_mode) && st.st_nlink == 2 + SUB);
	path_of(c, "d2/s1");
	CHECK(stat(c, &st) == 0 && st.st_nlink == 3);
	CHECK(stat(base, &st) == 0 && st.st_nlink == 1 + TOP);
	CHECK(rename(b, a) == 0 && content_ok("d3/s0/f0", "d3/s0/f0"));
}

static void check_errors(void)
{
	char a[768], b[768], name[300];
	struct stat st;
	path_of(a, "d1");
	CHECK_ERR(rmdir(a), ENOTEMPTY);
	CHECK_ERR(unlink(a), EISDIR);
	CHECK_ERR(mkdir(a, 0755), EEXIST);
	path_of(a, "d1/f3");
	CHECK_ERR(open(a, O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
	CHECK_ERR(open(a, O_RDONLY | O_DIRECTORY), ENOTDIR);
	path_of(b, "d1/f3/x");
	CHECK_ERR(open(b, O_RDONLY), ENOTDIR);
	CHECK_ERR(stat(b, &st), ENOTDIR);
	path_of(b, "d1/missing");
	CHECK_ERR(open(b, O_RDONLY), ENOENT);
	path_of(b, "nodir/f0");
	CHECK_ERR(open(b, O_RDWR | O_CREAT, 0644), ENOENT);
	memset(name, 'n', 256);
	name[256] = 0;
	path_of(b, name);
	CHECK_ERR(open(b, O_RDWR | O_CREAT, 0644), ENAMETOOLONG);
	CHECK_ERR(mkdir(b, 0755), ENAMETOOLONG);
	name[255] = 0;	/* 255 is allowed */
	path_of(b, name);
	int fd = open(b, O_RDWR | O_CREAT, 0644);
	CHECK(fd >= 0 && close(fd) == 0 && unlink(b) == 0);

	path_of(b, "d1/link");	/* symlinks */
	CHECK(symlink("f3", b) == 0);
	char target[64] = { 0 };
	CHECK(readlink(b, target, sizeof(target)) == 2 && memcmp(target, "f3", 2) == 0);
	CHECK(lstat(b, &st) == 0 && S_ISLNK(st.st_mode) && st.st_size == 2);
	CHECK(stat(b, &st) == 0 && S_ISREG(st.st_mode) && content_ok("d1/link", "d1/f3"));
	CHECK_ERR(open(b, O_RDONLY | O_NOFOLLOW), ELOOP);
	CHECK_ERR(readlink(a, target, sizeof(target)), EINVAL);
	path_of(b, "d1/dlink");
	CHECK(symlink("s1", b) == 0 && stat(b, &st) == 0 && S_ISDIR(st.st_mode));
	CHECK(content_ok("d1/dlink/f5", "d1/s1/f5"));
}

static void check_offsets(void)
{
	char p[768], buf[64];
	struct stat st;
	path_of(p, "d2/io");
	int fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0 && write(fd, "0123456789", 10) == 10);
	CHECK(lseek(fd, 0, SEEK_CUR) == 10 && lseek(fd, 3, SEEK_SET) == 3);
	CHECK(read(fd, buf, 2) == 2 && memcmp(buf, "34", 2) == 0);
	CHECK(lseek(fd, 2, SEEK_CUR) == 7 && read(fd, buf, 10) == 3 && memcmp(buf, "789", 3) == 0);
	CHECK(read(fd, buf, 10) == 0);
	CHECK(lseek(fd, -4, SEEK_END) == 6 && read(fd, buf, 1) == 1 && buf[0] == '6');
	CHECK_ERR(lseek(fd, -20, SEEK_CUR), EINVAL);
	CHECK(lseek(fd, 20, SEEK_END) == 30 && write(fd, "X", 1) == 1);	/* a hole */
	CHECK(fstat(fd, &st) == 0 && st.st_size == 31);
	CHECK(pread(fd, buf, 25, 8) == 23 && memcmp(buf, "89", 2) == 0 && buf[22] == 'X');
	int zeros = 0;
	for (int i = 2; i < 22; i++)
		zeros += buf[i] == 0;
	CHECK(zeros == 20);
	CHECK(lseek(fd, 0, SEEK_CUR) == 31);	/* pread left it alone */
	CHECK(pwrite(fd, "ab", 2, 1) == 2 && lseek(fd, 0, SEEK_CUR) == 31);
	CHECK(ftruncate(fd, 5) == 0 && fstat(fd, &st) == 0 && st.st_size == 5);
	CHECK(pread(fd, buf, 10, 0) == 5 && memcmp(buf, "0ab34", 5) == 0);
	CHECK(ftruncate(fd, 12) == 0 && fstat(fd, &st) == 0 && st.st_size == 12);
	CHECK(pread(fd, buf, 20, 0) == 12 && memcmp(buf, "0ab34\0\0\0\0\0\0\0", 12) == 0);
	CHECK(close(fd) == 0);
	fd = open(p, O_WRONLY | O_APPEND);
	CHECK(fd >= 0 && lseek(fd, 0, SEEK_SET) == 0 && write(fd, "END", 3) == 3);
	CHECK(lseek(fd, 0, SEEK_CUR) == 15 && close(fd) == 0);
	fd = open(p, O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, 20) == 15 && memcmp(buf, "0ab34", 5) == 0 && memcmp(buf + 12, "END", 3) == 0);
	struct statfs sf;
	CHECK(fstatfs(fd, &sf) == 0 && sf.f_bsize > 0);
	close(fd);
}

static void check_cwd(void)
{
	char old[768], cwd[768], want[1600];
	CHECK(getcwd(old, sizeof(old)) != NULL);
	CHECK(chdir(base) == 0 && getcwd(cwd, sizeof(cwd)) != NULL);
	CHECK(chdir("d2/s3") == 0 && content_ok("d2/s3/f2", "d2/s3/f2"));
	snprintf(want, sizeof(want), "%s/d2/s3", cwd);
	char now[1600];
	CHECK(getcwd(now, sizeof(now)) != NULL && strcmp(now, want) == 0);
	int fd = open("f2", O_RDONLY);	/* relative to the new cwd */
	CHECK(fd >= 0 && close(fd) == 0);
	CHECK(chdir("..") == 0 && getcwd(now, sizeof(now)) != NULL && strncmp(now, want, strlen(now)) == 0);
	CHECK(chdir(old) == 0);
}

/* Removes everything below path (a directory) with getdents64, unlink and rmdir. */
static int remove_tree(const char *path)
{
	char buf[1024], sub[1024];
	int fd = open(path, O_RDONLY | O_DIRECTORY), bad = 0;
	if (fd < 0)
		return 1;
	for (;;) {	/* list again after each pass: removal may reorder entries */
		long got = syscall(SYS_getdents64, fd, buf, sizeof(buf)), removed = 0;
		if (got <= 0)
			break;
		for (long off = 0; off < got;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
			off += d->d_reclen;
			if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", path, d->d_name);
			struct stat st;
			if (lstat(sub, &st) != 0)
				bad++;
			else if (S_ISDIR(st.st_mode) ? remove_tree(sub) != 0 : unlink(sub) != 0)
				bad++;
			else
				removed++;
		}
		if (removed)
			lseek(fd, 0, SEEK_SET);
	}
	close(fd);
	return bad + (rmdir(path) != 0);
}

/* mount/umount2 of a tmpfs: it covers what was there and shows it again when it goes;
 * umount of a busy one (an open file, a working directory inside) is EBUSY. Needs root on
 * Linux: without it (EPERM) the part is skipped and says so. */
static void check_mount(void)
{
	char mnt[300], under[320], inside[320];
	struct stat st;
	snprintf(mnt, sizeof(mnt), "%s/mnt", base);
	snprintf(under, sizeof(under), "%s/under", mnt);
	snprintf(inside, sizeof(inside), "%s/inside", mnt);
	CHECK(mkdir(mnt, 0755) == 0);
	int fd = open(under, O_WRONLY | O_CREAT, 0644);
	CHECK(fd >= 0 && close(fd) == 0);
	if (mount("none", mnt, "tmpfs", 0, NULL) != 0) {
		printf("fstest: mount skipped (%s)\n", strerror(errno));
		CHECK(errno == EPERM);
		return;
	}
	CHECK_ERR(stat(under, &st), ENOENT);	/* covered */
	fd = open(inside, O_RDWR | O_CREAT, 0644);
	CHECK(fd >= 0 && write(fd, "x", 1) == 1);
	CHECK_ERR(umount2(mnt, 0), EBUSY);	/* an open file in it */
	close(fd);
	CHECK(chdir(mnt) == 0);
	CHECK_ERR(umount2(mnt, 0), EBUSY);	/* a working directory in it */
	CHECK(chdir(base) == 0);
	CHECK(umount2(mnt, 0) == 0);
	CHECK(stat(under, &st) == 0 && S_ISREG(st.st_mode));	/* there again */
	CHECK_ERR(stat(inside, &st), ENOENT);	/* gone with the tmpfs */
	CHECK_ERR(umount2(mnt, 0), EINVAL);	/* not a mount point */
}

int main(int argc, char **argv)
{
	struct stat st;
	snprintf(base, sizeof(base), "%s/fstest.%d", argc > 1 ? argv[1] : "/tmp", (int)getpid());
	CHECK(mkdir(base, 0755) == 0);
	build_tree();
	check_tree();
	check_modes_links_renames();
	check_errors();
	check_offsets();
	check_cwd();
	check_mount();
	CHECK(remove_tree(base) == 0);
	CHECK_ERR(stat(base, &st), ENOENT);
	printf("%s\n", failures ? "fstest: FAILED" : "fstest: all checks passed");
	return failures ? 1 : 0;
}
