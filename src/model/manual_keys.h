/* Manually keyed SA pairs: what an end keyed by hand installs instead of
 * running IKE (the xfrm script always; IOS and PIX toward a far end keyed by
 * hand, emit/manual.h) and what the engine installs for such a tunnel
 * (src/engine/manual.c).  One derivation for both, so what one end sends
 * with, the other receives with, and `tunc run` shows what the files do.
 *
 * Keys come from the tunnel end's pre-shared key with HKDF-SHA-256
 * (RFC 5869), per tunnel and direction: both ends derive the same SAs and
 * recompiling one end alone gives the same keys and SPIs.
 *
 * SPIs travel in clear in every packet, so they come from public inputs
 * only (the tunnel's and both gateways' names), never from the key: an SPI
 * derived from the key would let anyone holding one packet test guesses of
 * the key offline.  And each is unique among the SAs arriving at its
 * gateway (the kernel keys a state by destination, SPI and protocol): a
 * candidate already taken there is derived again with the next attempt
 * number.  The model assigns them once (model_build), so both ends, every
 * emitter and the engine read the same two numbers. */
#ifndef TUNC_MANUAL_KEYS_H
#define TUNC_MANUAL_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"
#include "util/secret.h"

#define KEYS_MAX 64

struct sa_keys {
	uint32_t spi;                   /* 0x100 .. 0xffffffff (0..255 are reserved) */
	unsigned char enc[KEYS_MAX];
	size_t enc_len;
	unsigned char auth[KEYS_MAX];
	size_t auth_len;
};

/* The suite of a manually keyed SA pair. */
struct manual_suite {
	bool ah;
	enum encryption enc;            /* ENC_NULL for AH */
	enum integrity integ;           /* INTEG_NONE: none */
};

/* The first offer of PS: manual keys negotiate nothing, so both ends take
 * the first encryption and the first integrity. */
void manual_first_offer(const struct ir_ipsec *ps, struct manual_suite *out);

/* The HKDF label of an algorithm (the Linux kernel's name, as the xfrm
 * script writes it: the label is part of the derivation, so every end must
 * use the same one) and its key length in bytes; NULL when the algorithm
 * cannot be keyed by hand (AES-GCM: RFC 4106 §8.1). */
const char *manual_enc_label(enum encryption e, size_t *key_len);
const char *manual_auth_label(enum integrity i, size_t *key_len);

/* The candidate SPI number ATTEMPT (0, 1, ...) of the SA that carries
 * tunnel TUNNEL's traffic from gateway FROM to gateway TO: the first four
 * bytes of SHA-256 over a label, the three names (length-prefixed) and
 * ATTEMPT.  0 when OpenSSL fails; values below 0x100 (reserved) are
 * returned as they are: the caller takes the next attempt. */
uint32_t manual_spi_candidate(const char *tunnel, const char *from, const char *to,
			      uint32_t attempt);
/* Sets manual_spi_in and manual_spi_out of every tunnel keyed by hand in
 * M: per gateway, in tunnel order, the first candidate not reserved and not
 * already taken by an SA arriving at that gateway.  Called by model_build. */
void manual_spis_assign(struct model *m);

/* Derives the keys of the SA that carries tunnel TUNNEL's traffic from
 * gateway FROM to gateway TO: ENC_LEN bytes of key for ENC_ALG and AUTH_LEN
 * bytes for AUTH_ALG (the algorithm names are part of the derivation, so
 * one key never serves two algorithms).  OUT->spi is left 0 (SPIs are the
 * model's).  Returns false if OpenSSL fails. */
bool keys_derive_sa(const struct secret *psk, const char *tunnel,
		    const char *from, const char *to,
		    const char *enc_alg, size_t enc_len,
		    const char *auth_alg, size_t auth_len, struct sa_keys *out);
/* Wipes K. */
void keys_wipe(struct sa_keys *k);

/* Derives MT's two SAs from KEY (the end's pre-shared key) with MT's SPIs:
 * OUT carries this end's traffic to the peer, IN the peer's to this end.
 * The caller wipes both (keys_wipe).  False when the suite cannot be keyed
 * by hand, MT is not keyed by hand (no SPIs) or OpenSSL fails. */
bool manual_derive(const struct secret *key, const struct model_tunnel *mt,
		   const struct manual_suite *s, struct sa_keys *out, struct sa_keys *in);

enum manual_fail { MANUAL_OK, MANUAL_NO_KEY, MANUAL_NO_SUITE };
/* manual_derive from MT's pre-shared key, read now (psk_load, relative to
 * SOURCES): MANUAL_NO_KEY with the reason in ERR (never key material) when
 * the key cannot be read, MANUAL_NO_SUITE when the suite cannot be keyed by
 * hand or OpenSSL fails.  The key is wiped before this returns; the caller
 * wipes OUT and IN. */
enum manual_fail manual_keys_load(const struct source_set *sources, const struct model_tunnel *mt,
				  const struct manual_suite *s, struct sa_keys *out,
				  struct sa_keys *in, char *err, size_t err_size);

#endif
