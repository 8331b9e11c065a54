/* Key bytes: copied, compared and wiped in one place (see secret.h). */
#include "config.h"
#include "util/secret.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "util/arena.h"

void secret_set(struct secret *s, const void *src, size_t len)
{
	s->bytes = xmalloc(len + 1);
	if (len)
		memcpy(s->bytes, src, len);
	s->bytes[len] = '\0';
	s->len = len;
}

void secret_wipe(void *p, size_t n)
{
	if (p && n)
		OPENSSL_cleanse(p, n);
}

void secret_free(struct secret *s)
{
	if (s->bytes) {
		secret_wipe(s->bytes, s->len + 1);
		free(s->bytes);
	}
	s->bytes = NULL;
	s->len = 0;
}

bool secret_equal(const struct secret *a, const struct secret *b)
{
	if (a->len != b->len)
		return false;
	return !a->len || CRYPTO_memcmp(a->bytes, b->bytes, a->len) == 0;
}

bool secret_printable(const struct secret *s, bool allow_space, const char *forbidden)
{
	for (size_t i = 0; i < s->len; i++) {
		unsigned char c = s->bytes[i];
		if (c < 0x20 || c > 0x7e)
			return false;
		if (c == ' ' && !allow_space)
			return false;
		if (c && forbidden && strchr(forbidden, c))
			return false;
	}
	return true;
}
