/* Key material of manually keyed SAs (the xfrm target): derived from the
 * tunnel's pre-shared key with HKDF-SHA-256 (RFC 5869), per tunnel and
 * direction, so both ends derive the same SAs and recompiling one end alone
 * gives the same keys and SPIs. */
#ifndef TUNC_EMIT_KEYS_H
#define TUNC_EMIT_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KEYS_MAX 64

struct sa_keys {
	uint32_t spi;                   /* 0x100 .. 0xffffffff (0..255 are reserved) */
	unsigned char enc[KEYS_MAX];
	size_t enc_len;
	unsigned char auth[KEYS_MAX];
	size_t auth_len;
};

/* Derives the SA that carries tunnel TUNNEL's traffic from gateway FROM to
 * gateway TO: ENC_LEN bytes of key for ENC_ALG and AUTH_LEN bytes for
 * AUTH_ALG (the algorithm names are part of the derivation, so one key never
 * serves two algorithms).  Returns false if OpenSSL fails. */
bool keys_derive_sa(const unsigned char *psk, size_t psk_len, const char *tunnel,
		    const char *from, const char *to,
		    const char *enc_alg, size_t enc_len,
		    const char *auth_alg, size_t auth_len, struct sa_keys *out);
/* Wipes OUT. */
void keys_wipe(struct sa_keys *k);

#endif
