/* Pre-shared keys, read when the engine needs them and compared as bytes:
 * never printed, wiped after use by the caller. */
#include "config.h"
#include "engine/engine_internal.h"
#include "ir/psk.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool engine_psk_read(const struct ir *ir, const struct ir_psk *psk, char *buf, size_t size,
		     size_t *len, char *err, size_t err_size)
{
	struct psk_key key;
	*len = 0;
	if (size)
		buf[0] = '\0';
	if (!psk_load(ir->sources, psk, &key, err, err_size))
		return false;
	bool fits = key.len < size;
	if (fits) {
		memcpy(buf, key.bytes, key.len + 1);
		*len = key.len;
	} else {
		snprintf(err, err_size, "longer than %zu bytes", size - 1);
	}
	psk_key_free(&key);
	return fits;
}
