#include "config.h"
#include "util/outfile.h"
#include "util/arena.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void clear(struct outfile *of)
{
	free(of->target);
	free(of->tmp);
	of->target = of->tmp = NULL;
	of->fd = -1;
}

/* The file PATH finally names: a symbolic link is followed to its target
 * so that the link survives the rename.  NULL with errno set when the link
 * leads nowhere. */
static char *final_target(const char *path, struct stat *st, bool *exists)
{
	struct stat lst;
	*exists = false;
	if (lstat(path, &lst) != 0)
		return errno == ENOENT ? xstrdup(path) : NULL;
	if (!S_ISLNK(lst.st_mode)) {
		*st = lst;
		*exists = true;
		return xstrdup(path);
	}
	char *real = realpath(path, NULL);
	if (!real) {
		/* A dangling link: creating its target behind the user's back
		 * (or replacing the link) would both surprise. */
		return NULL;
	}
	if (stat(real, st) != 0) {
		free(real);
		return NULL;
	}
	*exists = true;
	return real;
}

int outfile_open(struct outfile *of, const char *path, unsigned mode)
{
	of->fd = -1;
	of->target = of->tmp = NULL;
	struct stat st;
	bool exists;
	char *target = final_target(path, &st, &exists);
	if (!target)
		return -1;
	if (exists && S_ISDIR(st.st_mode)) {
		free(target);
		errno = EISDIR;
		return -1;
	}
	if (exists && !S_ISREG(st.st_mode)) {
		/* A device, FIFO or socket: write in place, never replace. */
		int fd = open(target, O_WRONLY | O_NOCTTY | O_CLOEXEC);
		if (fd < 0) {
			free(target);
			return -1;
		}
		of->fd = fd;
		of->target = target;
		return 0;
	}
	size_t n = strlen(target) + 16;
	char *tmp = xmalloc(n);
	snprintf(tmp, n, "%s.tmpXXXXXX", target);
	/* mkstemp creates the file 0600: a key is never readable by others,
	 * not even before fchmod. */
	int fd = mkstemp(tmp);
	if (fd < 0 || fchmod(fd, mode) != 0) {
		int err = errno;
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		free(target);
		errno = err;
		return -1;
	}
	of->fd = fd;
	of->target = target;
	of->tmp = tmp;
	return 0;
}

int outfile_write(struct outfile *of, const void *buf, size_t len)
{
	const char *p = buf;
	while (len) {
		ssize_t w = write(of->fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int outfile_commit(struct outfile *of, bool sync)
{
	int err = 0;
	if (of->tmp && sync && fsync(of->fd) != 0)
		err = errno;
	if (close(of->fd) != 0 && !err)
		err = errno;
	of->fd = -1;
	if (of->tmp && !err && rename(of->tmp, of->target) != 0)
		err = errno;
	if (err && of->tmp)
		unlink(of->tmp);
	clear(of);
	errno = err;
	return err ? -1 : 0;
}

void outfile_abort(struct outfile *of)
{
	int saved = errno;
	if (of->fd >= 0)
		close(of->fd);
	if (of->tmp)
		unlink(of->tmp);
	clear(of);
	errno = saved;
}

int make_dirs(const char *dir, unsigned mode)
{
	if (!*dir) {
		errno = ENOENT;
		return -1;
	}
	char *path = xstrdup(dir);
	int rc = 0;
	for (char *p = path + 1; rc == 0; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(path, mode) != 0 && errno != EEXIST)
			rc = -1;
		*p = c;
		if (!c)
			break;
	}
	struct stat st;
	if (rc == 0 && stat(path, &st) != 0)
		rc = -1;
	else if (rc == 0 && !S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		rc = -1;
	}
	int err = errno;
	free(path);
	errno = err;
	return rc;
}
