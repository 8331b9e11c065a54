#include "config.h"
#include "ir/psk.h"
#include "util/arena.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static bool read_key_file(const char *path, struct secret *key, char *err, size_t err_size)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, err_size, "cannot read '%s': %s", path, strerror(errno));
		return false;
	}
	unsigned char buf[PSK_MAX_FILE + 1];
	errno = 0;
	size_t n = fread(buf, 1, sizeof(buf), f);
	int failed = ferror(f) ? (errno ? errno : EIO) : 0;
	fclose(f);
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
		ok = read_key_file(path, key, err, err_size);
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
