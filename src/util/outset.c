#include "config.h"
#include "util/outset.h"
#include "util/arena.h"
#include "util/outfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char tmp_tag[] = ".tunc-tmp-";

/* The signals that end a run politely, and the one caught (0: none). */
static const int polite[] = {SIGINT, SIGTERM, SIGHUP};
#define N_POLITE (sizeof(polite) / sizeof(polite[0]))
static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
	caught = sig;
}

struct guard {
	struct sigaction old[N_POLITE];
	sigset_t blocked, before;
};

static void guard_install(struct guard *g)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&g->blocked);
	caught = 0;
	for (size_t i = 0; i < N_POLITE; i++) {
		sigaction(polite[i], NULL, &g->old[i]);
		/* A signal ignored when tunc started (nohup, a background job)
		 * stays ignored. */
		if (g->old[i].sa_handler != SIG_IGN)
			sigaction(polite[i], &sa, NULL);
		sigaddset(&g->blocked, polite[i]);
	}
}

/* Restores the handlers; a signal caught meanwhile now does what it would
 * have done (usually: ends the process). */
static void guard_remove(struct guard *g)
{
	for (size_t i = 0; i < N_POLITE; i++)
		sigaction(polite[i], &g->old[i], NULL);
	if (caught)
		raise(caught);
}

static void fail(char *err, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fail(char *err, size_t size, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	errno = saved;
}

/* Removes directory NAME in DIRFD and the files in it (no subdirectories:
 * tunc writes none). */
static void remove_dir(int parent, const char *name)
{
	int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0) {
		DIR *d = fdopendir(fd);
		if (d) {
			struct dirent *e;
			while ((e = readdir(d)) != NULL)
				if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
					unlinkat(dirfd(d), e->d_name, 0);
			closedir(d);
		} else {
			close(fd);
		}
	}
	unlinkat(parent, name, AT_REMOVEDIR);
}

/* Removes what killed runs into BASE left in the parent: temporary
 * directories whose process is gone. */
static void remove_stale(int parent, const char *base)
{
	int fd = dup(parent);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	size_t blen = strlen(base), tlen = sizeof(tmp_tag) - 1;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		const char *n = e->d_name;
		if (n[0] != '.' || strncmp(n + 1, base, blen) != 0 ||
		    strncmp(n + 1 + blen, tmp_tag, tlen) != 0)
			continue;
		long pid = strtol(n + 1 + blen + tlen, NULL, 10);
		if (pid > 0 && pid != (long)getpid() && kill((pid_t)pid, 0) != 0 && errno == ESRCH)
			remove_dir(parent, n);
	}
	closedir(d);
}

/* Hard-links into TMP the entries of the old directory OLD that no new
 * file replaces.  Returns false (errno set, *WHAT naming the entry) for an
 * entry that cannot be carried over. */
static bool carry_over(int old, int tmp, const struct outset_file *files, size_t n,
		       char *what, size_t what_size)
{
	int fd = dup(old);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		snprintf(what, what_size, ".");
		return false;
	}
	bool ok = true;
	struct dirent *e;
	while (ok && (e = readdir(d)) != NULL) {
		const char *name = e->d_name;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		bool replaced = false;
		for (size_t i = 0; i < n && !replaced; i++)
			replaced = strcmp(files[i].name, name) == 0;
		if (replaced)
			continue;
		struct stat st;
		if (fstatat(old, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;       /* gone meanwhile */
		if (S_ISDIR(st.st_mode))
			errno = EISDIR;
		/* linkat without AT_SYMLINK_FOLLOW links a symbolic link itself. */
		if (S_ISDIR(st.st_mode) || linkat(old, name, tmp, name, 0) != 0) {
			snprintf(what, what_size, "%s", name);
			ok = false;
		}
	}
	int saved = errno;
	closedir(d);
	errno = saved;
	return ok;
}

/* F's mode and content into FD (opened 0600, so a key is never readable by
 * others on the way), synced first when SYNC, and FD closed.  False with
 * errno set. */
static bool fill_and_close(int fd, const struct outset_file *f, bool sync)
{
	bool ok = fchmod(fd, f->mode) == 0;
	for (size_t off = 0; ok && off < f->len;) {
		ssize_t w = write(fd, f->data + off, f->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			ok = false;
		else
			off += (size_t)w;
	}
	if (ok && sync && fsync(fd) != 0)
		ok = false;
	int saved = errno;
	if (close(fd) != 0 && ok) {
		ok = false;
		saved = errno;
	}
	errno = saved;
	return ok;
}

static bool write_one(int dirfd, const struct outset_file *f)
{
	int fd = openat(dirfd, f->name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	return fd >= 0 && fill_and_close(fd, f, false);
}

/* One sync pass for the whole set: syncfs where the system has it, else
 * each file. */
static bool sync_set(int dirfd, const struct outset_file *files, size_t n)
{
#ifdef HAVE_SYNCFS
	(void)files;
	(void)n;
	if (syncfs(dirfd) != 0)
		return false;
#else
	for (size_t i = 0; i < n; i++) {
		int fd = openat(dirfd, files[i].name, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || fsync(fd) != 0) {
			if (fd >= 0)
				close(fd);
			return false;
		}
		close(fd);
	}
#endif
	return fsync(dirfd) == 0;
}

/* Puts TMP in BASE's place in PARENT in one step; afterwards TMP names the
 * previous directory (EXISTS) or nothing. */
static int swap_in(int parent, const char *tmp, const char *base, bool exists)
{
	if (!exists) {
#ifdef HAVE_RENAMEAT2
		return renameat2(parent, tmp, parent, base, RENAME_NOREPLACE);
#else
		return renameat(parent, tmp, parent, base);
#endif
	}
#ifdef HAVE_RENAMEAT2
	return renameat2(parent, tmp, parent, base, RENAME_EXCHANGE);
#else
	errno = ENOSYS;
	return -1;
#endif
}

/* DIR as a parent directory and a last component, with symbolic links and
 * "." or ".." resolved when DIR exists; *EXISTS says whether it does. */
static bool split_target(const char *dir, char **parent, char **base, bool *exists,
			 struct stat *st)
{
	char *real = realpath(dir, NULL);
	*exists = real != NULL;
	if (!real) {
		if (errno != ENOENT)
			return false;
		real = xstrdup(dir);
	} else if (stat(real, st) != 0) {
		free(real);
		return false;
	} else if (!S_ISDIR(st->st_mode)) {
		free(real);
		errno = ENOTDIR;
		return false;
	}
	size_t len = strlen(real);
	while (len > 1 && real[len - 1] == '/')
		real[--len] = '\0';
	char *slash = strrchr(real, '/');
	if (!slash) {
		*parent = xstrdup(".");
		*base = xstrdup(real);
	} else {
		*base = xstrdup(slash + 1);
		*slash = '\0';
		*parent = xstrdup(slash == real ? "/" : real);
	}
	free(real);
	if (!**base || strcmp(*base, ".") == 0 || strcmp(*base, "..") == 0) {
		free(*parent);
		free(*base);
		errno = EINVAL;
		return false;
	}
	return true;
}

int outset_write(const char *dir, const struct outset_file *files, size_t n,
		 char *err, size_t err_size)
{
	char *parent = NULL, *base = NULL, *tmp = NULL;
	int pfd = -1, tfd = -1, ofd = -1, rc = -1;
	bool exists;
	struct stat st;
	struct guard g;
	guard_install(&g);
	if (!split_target(dir, &parent, &base, &exists, &st)) {
		fail(err, err_size, "cannot create '%s': %s", dir, strerror(errno));
		goto out;
	}
	if (make_dirs(parent, 0777) != 0 ||
	    (pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fail(err, err_size, "cannot create '%s': %s", parent, strerror(errno));
		goto out;
	}
	remove_stale(pfd, base);
	size_t tlen = strlen(base) + 64;
	tmp = xmalloc(tlen);
	snprintf(tmp, tlen, ".%s%s%ld-XXXXXX", base, tmp_tag, (long)getpid());
	/* mkdtemp needs a path; the parent's own path is what we have. */
	size_t plen = strlen(parent) + 1 + tlen;
	char *tpath = xmalloc(plen);
	snprintf(tpath, plen, "%s/%s", parent, tmp);
	if (!mkdtemp(tpath)) {
		fail(err, err_size, "cannot write beside '%s' (the new files are made in a "
		     "directory there first): %s", dir, strerror(errno));
		free(tpath);
		free(tmp);
		tmp = NULL;
		goto out;
	}
	snprintf(tmp, tlen, "%s", strrchr(tpath, '/') + 1);
	free(tpath);
	if ((tfd = openat(pfd, tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fail(err, err_size, "cannot open '%s/%s': %s", parent, tmp, strerror(errno));
		goto out;
	}
	if (exists) {
		char what[256];
		if ((ofd = openat(pfd, base, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
			fail(err, err_size, "cannot read '%s': %s", dir, strerror(errno));
			goto out;
		}
		if (!carry_over(ofd, tfd, files, n, what, sizeof(what))) {
			fail(err, err_size, "cannot keep '%s/%s' in the new set (the directory is "
			     "replaced whole; tunc keeps only files there): %s", dir, what,
			     strerror(errno));
			goto out;
		}
	}
	for (size_t i = 0; i < n && !caught; i++)
		if (!write_one(tfd, &files[i])) {
			fail(err, err_size, "cannot write '%s/%s': %s", dir, files[i].name,
			     strerror(errno));
			goto out;
		}
	if (!caught && !sync_set(tfd, files, n)) {
		fail(err, err_size, "cannot write '%s': %s", dir, strerror(errno));
		goto out;
	}
	/* The directory the user sees keeps its permissions. */
	mode_t mask = umask(0);
	umask(mask);
	if (fchmod(tfd, exists ? st.st_mode & 07777 : 0777 & ~mask) != 0) {
		fail(err, err_size, "cannot write into '%s': %s", dir, strerror(errno));
		goto out;
	}
	/* From here the swap happens whole or not at all; a signal waits. */
	sigprocmask(SIG_BLOCK, &g.blocked, &g.before);
	if (caught) {
		fail(err, err_size, "interrupted: '%s' is unchanged", dir);
	} else if (swap_in(pfd, tmp, base, exists) != 0) {
		fail(err, err_size, "cannot move the new files into '%s': %s", dir, strerror(errno));
	} else {
		fsync(pfd);
		rc = 0;
		if (!exists) {
			free(tmp);
			tmp = NULL;     /* nothing left to remove */
		}
	}
	sigprocmask(SIG_SETMASK, &g.before, NULL);
out:
	if (tfd >= 0)
		close(tfd);
	if (ofd >= 0)
		close(ofd);
	/* The new files after a failure, or the previous set after the swap. */
	if (tmp && pfd >= 0)
		remove_dir(pfd, tmp);
	if (pfd >= 0)
		close(pfd);
	free(tmp);
	free(parent);
	free(base);
	guard_remove(&g);
	return rc;
}

/* ---- a set among other files (tunc import) ---- */

/* Removes the temporary files of runs into DIRFD whose process is gone. */
static void remove_stale_files(int dirfd)
{
	int fd = dup(dirfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		const char *n = e->d_name, *tag = n[0] == '.' ? strstr(n, tmp_tag) : NULL;
		if (!tag)
			continue;
		long pid = strtol(tag + sizeof(tmp_tag) - 1, NULL, 10);
		struct stat st;
		if (pid > 0 && pid != (long)getpid() && kill((pid_t)pid, 0) != 0 && errno == ESRCH &&
		    fstatat(dirfd, n, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
			unlinkat(dirfd, n, 0);
	}
	closedir(d);
}

/* F under a new temporary name in DIR (its path DIRPATH); the name in
 * TMP (caller frees).  False with errno set. */
static bool write_temp(const char *dirpath, const struct outset_file *f, char **tmp)
{
	size_t len = strlen(dirpath) + strlen(f->name) + 64;
	char *path = xmalloc(len);
	snprintf(path, len, "%s/.%s%s%ld-XXXXXX", dirpath, f->name, tmp_tag, (long)getpid());
	int fd = mkstemp(path);         /* 0600 from the start */
	if (fd < 0) {
		int saved = errno;
		free(path);
		errno = saved;
		return false;
	}
	*tmp = path;
#ifdef HAVE_SYNCFS
	return fill_and_close(fd, f, false);
#else
	return fill_and_close(fd, f, true);     /* no syncfs: each file (sync_set's fallback) */
#endif
}

int outset_write_among(const char *dir, const struct outset_file *files, size_t n,
		       char *err, size_t err_size)
{
	int dfd = -1, rc = -1;
	char **tmp = xcalloc(n ? n : 1, sizeof(*tmp));
	struct guard g;
	guard_install(&g);
	if (make_dirs(dir, 0777) != 0 ||
	    (dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fail(err, err_size, "cannot create '%s': %s", dir, strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (fstatat(dfd, files[i].name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    !S_ISREG(st.st_mode)) {
			errno = S_ISDIR(st.st_mode) ? EISDIR : EEXIST;
			fail(err, err_size, "cannot write '%s/%s': %s", dir, files[i].name,
			     S_ISDIR(st.st_mode) ? strerror(errno)
			     : "it is not a regular file (a link, a device or a FIFO): nothing written");
			goto out;
		}
	}
	remove_stale_files(dfd);
	for (size_t i = 0; i < n && !caught; i++)
		if (!write_temp(dir, &files[i], &tmp[i])) {
			fail(err, err_size, "cannot write '%s/%s': %s", dir, files[i].name,
			     strerror(errno));
			goto out;
		}
	if (!caught && !sync_set(dfd, NULL, 0)) {
		fail(err, err_size, "cannot write '%s': %s", dir, strerror(errno));
		goto out;
	}
	/* The renames, in order, with the polite signals held. */
	sigprocmask(SIG_BLOCK, &g.blocked, &g.before);
	if (caught) {
		fail(err, err_size, "interrupted: nothing written into '%s'", dir);
	} else {
		rc = 0;
		for (size_t i = 0; i < n && rc == 0; i++) {
			const char *base = strrchr(tmp[i], '/') + 1;
			if (renameat(dfd, base, dfd, files[i].name) != 0) {
				fail(err, err_size, "cannot move '%s/%s' into place: %s", dir,
				     files[i].name, strerror(errno));
				rc = -1;
			} else {
				free(tmp[i]);
				tmp[i] = NULL;
			}
		}
		if (fsync(dfd) != 0 && rc == 0) {
			fail(err, err_size, "cannot write '%s': %s", dir, strerror(errno));
			rc = -1;
		}
	}
	sigprocmask(SIG_SETMASK, &g.before, NULL);
out:
	for (size_t i = 0; i < n; i++)
		if (tmp[i]) {
			unlink(tmp[i]);
			free(tmp[i]);
		}
	free(tmp);
	if (dfd >= 0)
		close(dfd);
	guard_remove(&g);
	return rc;
}
