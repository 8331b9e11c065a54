#include "config.h"
#include "ir/psk.h"
#include "util/arena.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Key files are small; anything bigger is not a key. */
#define PSK_MAX_FILE (64 * 1024)

char *psk_file_path(const struct source_set *sources, const struct ir_psk *psk)
{
	const char *name = psk->value;
	const char *from = sources && psk->loc.file ? source_path(sources, psk->loc) : NULL;
	const char *slash = from ? strrchr(from, '/') : NULL;
	if (name[0] == '/' || !slash)
		return xstrdup(name);
	size_t n = (size_t)(slash - from) + 1 + strlen(name) + 1;
	char *path = xmalloc(n);
	snprintf(path, n, "%.*s/%s", (int)(slash - from), from, name);
	return path;
}

static bool set_bytes(struct secret *key, const void *src, size_t len)
{
	secret_set(key, src, len);
	return true;
}

/* Directories trusted by --allow-key-path, as real paths. */
static char **allowed;
static size_t n_allowed;

void psk_allow_dir(const char *dir)
{
	char *real = realpath(dir, NULL);
	allowed = xrealloc(allowed, (n_allowed + 1) * sizeof(*allowed));
	allowed[n_allowed++] = real ? real : xstrdup(dir);
}

void psk_allow_reset(void)
{
	for (size_t i = 0; i < n_allowed; i++)
		free(allowed[i]);
	free(allowed);
	allowed = NULL;
	n_allowed = 0;
}

/* PATH is DIR or below it (both real paths). */
static bool is_below(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	if (n == 1 && dir[0] == '/')
		return true;
	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* The directory of the policy file that (through includes) names the key. */
static char *policy_dir(const struct source_set *sources, struct tunc_loc loc)
{
	const struct source_file *f = source_get(sources, loc.file);
	for (unsigned guard = 0; f->included_from.file && guard < 64; guard++)
		f = source_get(sources, f->included_from.file);
	char *copy = xstrdup(f->path);
	char *slash = strrchr(copy, '/');
	if (!slash)
		strcpy(copy, ".");
	else if (slash == copy)
		slash[1] = '\0';
	else
		*slash = '\0';
	char *real = realpath(copy, NULL);
	free(copy);
	return real;
}

/* Whether PATH may be read as a key; if not, why (in ERR).  *FOLLOW tells
 * whether a link may be followed (inside a trusted directory). */
static bool key_path_allowed(const struct source_set *sources, const struct ir_psk *psk,
			     const char *path, bool *follow, char *err, size_t err_size)
{
	*follow = false;
	struct stat st;
	if (lstat(path, &st) != 0) {
		snprintf(err, err_size, "cannot read '%s': %s", path, strerror(errno));
		return false;
	}
	char *real = realpath(path, NULL);
	if (!real) {
		snprintf(err, err_size, "cannot read '%s': %s", path, strerror(errno));
		return false;
	}
	bool ok = false;
	for (size_t i = 0; i < n_allowed && !ok; i++)
		ok = is_below(real, allowed[i]);
	if (ok) {
		*follow = true;
	} else if (S_ISLNK(st.st_mode)) {
		snprintf(err, err_size, "'%s' is a symbolic link: key files are read only "
			 "directly (--allow-key-path DIR trusts a directory)", path);
	} else {
		char *dir = sources && psk->loc.file ? policy_dir(sources, psk->loc) : NULL;
		ok = dir && is_below(real, dir);
		if (!ok)
			snprintf(err, err_size, "'%s' is outside the policy's directory%s%s: "
				 "key files are read only there (--allow-key-path DIR trusts "
				 "another)", path, dir ? " " : "", dir ? dir : "");
		free(dir);
	}
	free(real);
	return ok;
}

static bool read_key_file(const char *path, bool follow, struct secret *key, char *err,
			  size_t err_size)
{
	/* O_NONBLOCK: a FIFO is refused below, not waited on. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW));
	if (fd < 0) {
		snprintf(err, err_size, "cannot read '%s': %s", path,
			 errno == ELOOP ? "it is a symbolic link" : strerror(errno));
		return false;
	}
	/* The size is checked before anything is read. */
	struct stat st;
	const char *why = NULL;
	if (fstat(fd, &st) != 0)
		why = strerror(errno);
	else if (S_ISDIR(st.st_mode))
		why = strerror(EISDIR);
	else if (!S_ISREG(st.st_mode))
		why = "not a regular file (a FIFO, device or socket)";
	if (why || st.st_size > PSK_MAX_FILE) {
		if (why)
			snprintf(err, err_size, "cannot read '%s': %s", path, why);
		else
			snprintf(err, err_size, "'%s' is too big for a key", path);
		close(fd);
		return false;
	}
	unsigned char buf[PSK_MAX_FILE + 1];
	size_t n = 0;
	int failed = 0;
	while (n < sizeof(buf)) {
		ssize_t r = read(fd, buf + n, sizeof(buf) - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			failed = errno;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (failed)
		snprintf(err, err_size, "cannot read '%s': %s", path, strerror(failed));
	else if (n > PSK_MAX_FILE)
		snprintf(err, err_size, "'%s' is too big for a key", path);
	/* fread wrote N bytes at most: wipe those, not the whole 64 KiB (the
	 * engine reads both ends' keys at every negotiation). */
	size_t got = n;
	if (failed || n > PSK_MAX_FILE) {
		secret_wipe(buf, got);
		return false;
	}
	/* A key file ends with a newline that is not part of the key. */
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	set_bytes(key, buf, n);
	secret_wipe(buf, got);
	return true;
}

bool psk_load(const struct source_set *sources, const struct ir_psk *psk,
	      struct secret *key, char *err, size_t err_size)
{
	key->bytes = NULL;
	key->len = 0;
	bool ok = false;
	if (!psk || psk->source == PSK_NONE || !psk->value) {
		snprintf(err, err_size, "no pre-shared key is configured");
		return false;
	}
	switch (psk->source) {
	case PSK_INLINE:
		ok = set_bytes(key, psk->value, strlen(psk->value));
		break;
	case PSK_ENV: {
		const char *v = getenv(psk->value);
		if (!v) {
			snprintf(err, err_size, "the environment variable %s is not set", psk->value);
			return false;
		}
		ok = set_bytes(key, v, strlen(v));
		break;
	}
	case PSK_FILE: {
		char *path = psk_file_path(sources, psk);
		bool follow;
		ok = key_path_allowed(sources, psk, path, &follow, err, err_size) &&
		     read_key_file(path, follow, key, err, err_size);
		free(path);
		break;
	}
	default:
		break;
	}
	if (ok && key->len == 0) {
		snprintf(err, err_size, "the pre-shared key is empty");
		secret_free(key);
		return false;
	}
	return ok;
}
