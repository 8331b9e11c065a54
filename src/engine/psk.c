/* Pre-shared keys, read when the engine needs them and compared as bytes:
 * never printed, wiped after use by the caller. */
#include "config.h"
#include "engine/engine_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A relative key file is found next to the .tun file that names it. */
static void key_path(const struct ir *ir, const struct ir_psk *psk, char *buf, size_t size)
{
	const char *file = psk->value;
	const char *from = ir->sources ? source_path(ir->sources, psk->loc) : NULL;
	if (file[0] == '/' || !from || !strchr(from, '/')) {
		snprintf(buf, size, "%s", file);
		return;
	}
	int dir_len = (int)(strrchr(from, '/') - from);
	snprintf(buf, size, "%.*s/%s", dir_len, from, file);
}

static void trim_newline(char *buf, size_t *len)
{
	while (*len && (buf[*len - 1] == '\n' || buf[*len - 1] == '\r'))
		buf[--*len] = '\0';
}

bool engine_psk_read(const struct ir *ir, const struct ir_psk *psk, char *buf, size_t size,
	      size_t *len, char *err, size_t err_size)
{
	*len = 0;
	if (size)
		buf[0] = '\0';
	switch (psk->source) {
	case PSK_NONE:
		snprintf(err, err_size, "none configured");
		return false;
	case PSK_INLINE:
		*len = strlen(psk->value);
		if (*len >= size) {
			snprintf(err, err_size, "longer than %zu bytes", size - 1);
			return false;
		}
		memcpy(buf, psk->value, *len + 1);
		return true;
	case PSK_ENV: {
		const char *v = getenv(psk->value);
		if (!v) {
			snprintf(err, err_size, "environment variable %s is not set", psk->value);
			return false;
		}
		*len = strlen(v);
		if (*len >= size) {
			snprintf(err, err_size, "longer than %zu bytes", size - 1);
			return false;
		}
		memcpy(buf, v, *len + 1);
		return true;
	}
	case PSK_FILE: {
		char path[4096];
		key_path(ir, psk, path, sizeof(path));
		FILE *f = fopen(path, "rb");
		if (!f) {
			snprintf(err, err_size, "cannot read %s: %s", path, strerror(errno));
			return false;
		}
		*len = fread(buf, 1, size - 1, f);
		bool too_long = !feof(f) && fgetc(f) != EOF;
		fclose(f);
		buf[*len] = '\0';
		if (too_long) {
			snprintf(err, err_size, "%s is longer than %zu bytes", path, size - 1);
			return false;
		}
		trim_newline(buf, len);
		return true;
	}
	}
	return false;
}
