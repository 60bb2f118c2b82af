/* outfile.c: the output file, opened safely, written a record at a time, rotated by size
 * (include/outfile.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "outfile.h"

/* The directory of path: writable by everyone without the sticky bit is refused; *shared says
 * it is writable by everyone (with the sticky bit: /tmp). */
static int check_dir(const char *path, bool *shared, char *why, size_t len)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	struct stat st;

	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 : (int)(slash - path), path);
	if (stat(dir, &st)) {
		snprintf(why, len, "%s: %s", dir, strerror(errno));
		return -errno;
	}
	*shared = st.st_mode & S_IWOTH;
	if (*shared && !(st.st_mode & S_ISVTX)) {
		snprintf(why, len, "%s: the directory is writable by everyone and not sticky: another "
			 "user could replace the file", dir);
		return -EPERM;
	}
	return 0;
}

static int open_path(struct outfile *f, char *why, size_t len)
{
	int flags = O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY;
	bool shared;
	struct stat st;
	int fd, rc;

	if ((rc = check_dir(f->o.path, &shared, why, len)))
		return rc;
	fd = open(f->o.path, flags | (f->o.follow_symlink ? 0 : O_NOFOLLOW), 0640);
	if (fd < 0) {
		rc = -errno;
		if (rc == -ELOOP && !f->o.follow_symlink)
			snprintf(why, len, "%s is a symbolic link (--output-follow-symlink allows "
				 "it)", f->o.path);
		else
			snprintf(why, len, "%s: %s", f->o.path, strerror(-rc));
		return rc;
	}
	if (fstat(fd, &st) || (shared && S_ISREG(st.st_mode) && st.st_uid != geteuid())) {
		snprintf(why, len, "%s belongs to another user (uid %u) in a directory everyone "
			 "can write to", f->o.path, (unsigned)st.st_uid);
		close(fd);
		return -EPERM;
	}
	if (f->fd > 2)
		close(f->fd);
	f->fd = fd;
	f->regular = S_ISREG(st.st_mode);
	f->size = f->regular ? (uint64_t)st.st_size : 0;
	return 0;
}

int outfile_open(struct outfile *f, const struct outfile_opts *o, char *why, size_t len)
{
	memset(f, 0, sizeof(*f));
	f->o = *o;
	f->fd = STDOUT_FILENO;
	if (!o->path)
		return 0;
	f->fd = -1;
	return open_path(f, why, len);
}

int outfile_reopen(struct outfile *f, char *why, size_t len)
{
	return f->o.path ? open_path(f, why, len) : 0;
}

/* FILE.(i) -> FILE.(i+1) for the kept ones, FILE -> FILE.1 (or away when none are kept), then
 * a new FILE. */
static int rotate(struct outfile *f)
{
	char from[PATH_MAX], to[PATH_MAX], why[PATH_MAX + 128];

	for (unsigned i = f->o.keep; i > 1; i--) {
		snprintf(from, sizeof(from), "%s.%u", f->o.path, i - 1);
		snprintf(to, sizeof(to), "%s.%u", f->o.path, i);
		if (rename(from, to) && errno != ENOENT)
			return -errno;
	}
	snprintf(to, sizeof(to), "%s.1", f->o.path);
	if (f->o.keep ? rename(f->o.path, to) : unlink(f->o.path))
		return -errno;
	f->rotations++;
	return open_path(f, why, sizeof(why));
}

int outfile_write(struct outfile *f, const char *buf, size_t n)
{
	size_t off = 0;
	ssize_t w;
	int rc;

	if (f->regular && f->o.max_size && f->size && f->size + n > f->o.max_size &&
	    (rc = rotate(f)))
		return rc;
	while (off < n) {
		w = write(f->fd, buf + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			rc = w < 0 ? -errno : -EIO;
			if (off && f->regular && ftruncate(f->fd, (off_t)f->size))
				rc = -errno;
			return rc;
		}
		off += (size_t)w;
	}
	f->size += n;
	return 0;
}

void outfile_close(struct outfile *f)
{
	if (f->fd > 2)
		close(f->fd);
	f->fd = -1;
}
