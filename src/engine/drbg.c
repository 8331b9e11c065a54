/* HMAC-SHA256 in counter mode (see drbg.h). */
#include "config.h"
#include "engine/drbg.h"

#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

static void hmac(const uint8_t *key, size_t key_len, const uint8_t *msg, size_t len,
		 uint8_t out[32])
{
	unsigned out_len = 32;
	HMAC(EVP_sha256(), key, (int)key_len, msg, len, out, &out_len);
}

void drbg_init(struct drbg *d, uint64_t seed, const char *label)
{
	uint8_t s[8];
	for (int i = 0; i < 8; i++)
		s[i] = (uint8_t)(seed >> (56 - 8 * i));
	memset(d, 0, sizeof(*d));
	hmac(s, sizeof(s), (const uint8_t *)label, strlen(label), d->key);
	d->used = sizeof(d->block);
}

static void refill(struct drbg *d)
{
	uint8_t c[8];
	for (int i = 0; i < 8; i++)
		c[i] = (uint8_t)(d->counter >> (56 - 8 * i));
	d->counter++;
	hmac(d->key, sizeof(d->key), c, sizeof(c), d->block);
	d->used = 0;
}

void drbg_bytes(struct drbg *d, uint8_t *out, size_t len)
{
	while (len) {
		if (d->used == sizeof(d->block))
			refill(d);
		size_t n = sizeof(d->block) - d->used;
		if (n > len)
			n = len;
		memcpy(out, d->block + d->used, n);
		d->used += n;
		out += n;
		len -= n;
	}
}

uint32_t drbg_u32(struct drbg *d)
{
	uint8_t b[4];
	drbg_bytes(d, b, 4);
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}
