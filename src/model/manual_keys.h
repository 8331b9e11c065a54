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

/* ---- SAs given in the key file ----
 *
 * A tunnel end's key may hold the SAs themselves instead of a pre-shared key
 * to derive them from: what `tunc import` writes for SAs keyed by hand in a
 * configuration (an `ip xfrm state`, a `set session-key`), so that the
 * recompiled end installs the very SAs it was read from.  The form
 * (doc/files-and-keys.md, "SAs given by hand"):
 *
 *   tunc-manual-sa v1
 *   from GATEWAY to GATEWAY spi SPI [enc HEX] [auth HEX]
 *   from GATEWAY to GATEWAY spi SPI [enc HEX] [auth HEX]
 *
 * The first line, exactly, says the key is SAs (any other key is a
 * pre-shared key); then one line per direction, between the tunnel's two
 * gateways by their names in the .tun; SPI decimal or 0x hex, at least
 * 0x100; each key hex (0x optional), as long as the first offer of the
 * end's ipsec proposal takes (no enc for AH, no auth without integrity).
 * Blank lines and lines starting with '#' are skipped.  When a key is
 * given so, the model takes its SPIs (model_build) and every emitter and
 * the engine its keys (manual_keys_load): nothing is derived. */
#define MANUAL_GIVEN_HEADER "tunc-manual-sa v1"

enum manual_given { MANUAL_DERIVED, MANUAL_GIVEN, MANUAL_GIVEN_BAD };
/* Reads KEY as SAs given by hand for the end of gateway SELF toward gateway
 * PEER: MANUAL_DERIVED when KEY is a pre-shared key (no header),
 * MANUAL_GIVEN with OUT (SELF to PEER) and IN (PEER to SELF) filled,
 * MANUAL_GIVEN_BAD with what is wrong in ERR ("line N: ...", never key
 * material).  S, when not NULL, is the suite the keys must fit (lengths).
 * The caller wipes OUT and IN. */
enum manual_given manual_given_parse(const struct secret *key, const char *self,
				     const char *peer, const struct manual_suite *s,
				     struct sa_keys *out, struct sa_keys *in, char *err,
				     size_t err_size);

/* What is wrong with the SAs given in a key file, found by model_build
 * (its list model->manual_problems, reported by lint's manual-key-material
 * check): the end and the reason (never key material). */
struct manual_problem {
	const struct model_tunnel *mt;
	const char *what;
};

enum manual_fail { MANUAL_OK, MANUAL_NO_KEY, MANUAL_NO_SUITE };
/* MT's SA pair from its key, read now (psk_load, relative to SOURCES): the
 * SAs the key gives (manual_given_parse), or else manual_derive from it.
 * MANUAL_NO_KEY with the reason in ERR (never key material) when the key
 * cannot be read or the SAs it gives are wrong (form, names, lengths), MANUAL_NO_SUITE when the suite cannot be keyed by
 * hand or OpenSSL fails.  The key is wiped before this returns; the caller
 * wipes OUT and IN. */
enum manual_fail manual_keys_load(const struct source_set *sources, const struct model_tunnel *mt,
				  const struct manual_suite *s, struct sa_keys *out,
				  struct sa_keys *in, char *err, size_t err_size);

#endif
