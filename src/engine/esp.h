/* The engine's IPsec data plane: tunnel-mode ESP (RFC 4303) and AH (RFC 4302)
 * with real cryptography from OpenSSL libcrypto.
 *
 * One struct ipsec_sa is one direction of one SA.  The caller owns the
 * struct (embed it or allocate it anywhere), fills a struct ipsec_sa_config,
 * calls ipsec_sa_init() once (keys are copied, OpenSSL contexts prepared so
 * the per-packet path allocates nothing) and ipsec_sa_free() at the end.
 *
 * Packets are whole IP packets in caller buffers:
 *   encapsulate: inner IPv4/IPv6 packet -> outer IPv4/IPv6 header
 *                [+ UDP 4500 header, RFC 3948] + ESP or AH + inner
 *   decapsulate: the same outer packet -> the inner packet
 * Every failure is an enum ipsec_result with a stable name (the engine's
 * drop reason) and is counted in the SA's counters.
 *
 * Determinism: IVs come from a caller-supplied generator (seeded by the
 * engine's --seed), the outer IPv4 identification is the low 16 bits of
 * the sequence number, padding is the RFC 4303 default (1, 2, 3, ...), so the
 * same inputs give byte-identical packets.
 *
 * Limits: 32-bit sequence numbers only (no ESN); the outer IPv6 header has no
 * extension headers; outer fragments are refused (bad-header). */
#ifndef TUNC_ESP_H
#define TUNC_ESP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ir/addr.h"
#include "ir/enums.h"
#include "ir/ir.h"                      /* enum ipsec_protocol */

/* OpenSSL's context types, kept opaque here (EVP_CIPHER_CTX, EVP_MAC_CTX). */
struct evp_cipher_ctx_st;
struct evp_mac_ctx_st;

/* X(ID, name): results of encapsulation/decapsulation.  The names are
 * stable: traces, JSON output and tests use them as drop reasons. */
#define IPSEC_RESULTS(X)                                                       \
	X(IPSEC_OK, "ok")                                                      \
	X(IPSEC_TRUNCATED, "truncated")         /* shorter than its headers say */ \
	X(IPSEC_BAD_HEADER, "bad-header")       /* outer header malformed, not ESP/AH, fragment */ \
	X(IPSEC_UNKNOWN_SPI, "unknown-spi")     /* the SPI is not this SA's (caller's lookup failed) */ \
	X(IPSEC_REPLAYED, "replayed")           /* sequence number already seen in the window */ \
	X(IPSEC_TOO_OLD, "too-old")             /* sequence number left of the window */ \
	X(IPSEC_BAD_ICV, "bad-icv")             /* integrity check failed (HMAC or GCM tag) */ \
	X(IPSEC_BAD_LENGTH, "bad-length")       /* ciphertext not a multiple of the block size */ \
	X(IPSEC_BAD_PADDING, "bad-padding")     /* pad bytes not 1, 2, 3, ... or pad length too long */ \
	X(IPSEC_BAD_NEXT_HEADER, "bad-next-header") /* next header not 4/41 or not the inner version */ \
	X(IPSEC_BAD_INNER, "bad-inner")         /* encap: the inner packet is not IPv4/IPv6 */ \
	X(IPSEC_TOO_BIG, "too-big")             /* result does not fit the buffer or 65535 bytes */ \
	X(IPSEC_SEQ_OVERFLOW, "seq-overflow")   /* outbound counter would cycle: rekey needed */ \
	X(IPSEC_WRONG_DIRECTION, "wrong-direction") /* encap on an inbound SA or the reverse */ \
	X(IPSEC_CRYPTO_ERROR, "crypto-error")   /* OpenSSL failed (should not happen) */

#define X_ENUM(id, name) id,
enum ipsec_result { IPSEC_RESULTS(X_ENUM) IPSEC_RESULT__COUNT };
#undef X_ENUM

/* The stable name of a result ("ok", "bad-icv", ...). */
const char *ipsec_drop_reason_name(enum ipsec_result r);
/* The reverse, for tests and the engine.xml loader; false when unknown. */
bool ipsec_drop_reason_lookup(const char *name, enum ipsec_result *out);

enum ipsec_sa_dir { IPSEC_SA_OUT, IPSEC_SA_IN };

#define IPSEC_REPLAY_DEFAULT 64         /* window bits when the config says 0 */
#define IPSEC_REPLAY_MAX 4096           /* largest window supported */
#define IPSEC_NATT_PORT 4500            /* RFC 3948 */
#define IPSEC_MAX_KEY 64                /* bytes, enough for every algorithm */
#define IPSEC_MAX_IV 16

/* Fills IV with LEN bytes.  For the engine: a seeded deterministic
 * generator; for anything real it would be a CSPRNG.  GCM requires that an
 * IV never repeats under one key (RFC 4106 §3.1): the engine's generator
 * (a counter or a keyed stream) must ensure that. */
typedef void (*ipsec_iv_fn)(void *ctx, uint8_t *iv, size_t len);

struct ipsec_sa_config {
	enum ipsec_sa_dir dir;
	enum ipsec_protocol protocol;   /* IPSEC_ESP or IPSEC_AH */
	uint32_t spi;                   /* host byte order; 0..255 are reserved and refused */
	struct ip_addr src, dst;        /* tunnel endpoints: outer source and destination */
	enum encryption enc;            /* ESP only (ENC_NULL = RFC 2410); ignored for AH */
	enum integrity integ;           /* INTEG_NONE only with AES-GCM (AEAD) */
	/* Encryption key: for AES-GCM the AES key followed by the 4-byte salt
	 * (RFC 4106 §8.1), ipsec_enc_key_len() bytes in all cases. */
	const uint8_t *enc_key;
	size_t enc_key_len;
	const uint8_t *auth_key;        /* ipsec_auth_key_len() bytes */
	size_t auth_key_len;
	/* NAT-T (RFC 3948): ESP inside UDP, outer ports SPORT -> DPORT (0 means
	 * 4500).  Inbound, the ports are not checked (a NAT may rewrite them). */
	bool udp_encap;
	uint16_t sport, dport;
	unsigned replay_window;         /* inbound: bits, 0 = IPSEC_REPLAY_DEFAULT */
	uint8_t ttl;                    /* outer TTL / hop limit, 0 = 64 */
	ipsec_iv_fn iv_fn;              /* outbound ESP with an IV; required there */
	void *iv_ctx;
};

/* Counters, like `show crypto ipsec sa`: packets and bytes are counted for
 * successful operations (bytes = inner packet bytes); drops by reason. */
struct ipsec_sa_counters {
	uint64_t packets, bytes;
	uint64_t drops[IPSEC_RESULT__COUNT];
};

/* Anti-replay state, RFC 4303 §3.4.3, kept as the circular bitmap of
 * RFC 6479 so advancing the window never shifts the whole map. */
struct ipsec_replay {
	uint32_t top;                   /* highest authenticated sequence number, 0 = none yet */
	unsigned size;                  /* window in bits */
	unsigned words;                 /* bitmap words in use: a power of two > size / 64 */
	uint64_t bits[2 * IPSEC_REPLAY_MAX / 64];
};

struct ipsec_sa {
	struct ipsec_sa_config cfg;     /* key pointers point at the copies below */
	uint8_t enc_key[IPSEC_MAX_KEY], auth_key[IPSEC_MAX_KEY];
	uint32_t seq;                   /* outbound: last sequence number sent */
	struct ipsec_replay replay;     /* inbound */
	struct ipsec_sa_counters counters;

	/* Prepared once by ipsec_sa_init(), reused for every packet. */
	struct evp_cipher_ctx_st *cipher_ctx;   /* NULL for NULL encryption and AH */
	struct evp_mac_ctx_st *mac_ctx;         /* NULL for AEAD */
	bool aead;
	size_t iv_len;                  /* bytes on the wire (8 for GCM) */
	size_t block_len;               /* padding alignment (4 at least) */
	size_t icv_len;                 /* bytes of ICV on the wire */
	uint8_t salt[4];                /* GCM */
};

/* Key bytes each algorithm needs (GCM: including the 4-byte salt; NULL
 * encryption / INTEG_NONE: 0).  The engine draws this many from its seeded
 * generator. */
size_t ipsec_enc_key_len(enum encryption e);
size_t ipsec_auth_key_len(enum integrity i);

/* Checks the configuration (algorithm pair, key lengths, SPI, addresses of
 * one family) and prepares the SA.  On failure returns false with a message
 * in ERR (no secret in it) and leaves nothing to free. */
bool ipsec_sa_init(struct ipsec_sa *sa, const struct ipsec_sa_config *cfg,
		   char *err, size_t err_size);
/* Frees the OpenSSL contexts and wipes the keys; SA itself is the caller's. */
void ipsec_sa_free(struct ipsec_sa *sa);

/* Largest number of bytes encapsulation adds to an inner packet (outer
 * header, UDP, ESP/AH header, IV, padding, trailer, ICV): an output buffer of
 * inner_len + ipsec_overhead_max(sa) always suffices. */
size_t ipsec_overhead_max(const struct ipsec_sa *sa);

/* Tunnel-mode encapsulation of the whole inner IP packet INNER (IPv4 or
 * IPv6, by its version nibble; next header 4 or 41) into OUT.  On IPSEC_OK
 * *OUT_LEN is the outer packet's length and the sequence number advanced.
 * INNER and OUT must not overlap.  Allocates nothing. */
enum ipsec_result ipsec_encapsulate(struct ipsec_sa *sa,
				    const uint8_t *inner, size_t inner_len,
				    uint8_t *out, size_t out_size, size_t *out_len);

/* What the outer headers of a received packet say, for the caller's SA
 * lookup (by protocol, SPI and destination). */
struct ipsec_outer {
	uint8_t family;                 /* AF_V4 or AF_V6 */
	struct ip_addr src, dst;
	enum ipsec_protocol protocol;
	uint32_t spi;                   /* host byte order */
	uint32_t seq;
	bool udp_encap;
	uint16_t sport, dport;
	size_t ip_len;                  /* outer IP packet length from its header */
	size_t ipsec_off;               /* offset of the ESP/AH header */
};

/* Parses the outer IPv4/IPv6 header, the optional UDP encapsulation (UDP to
 * NATT_PORT, 0 = 4500, with a non-zero SPI: RFC 3948 non-ESP marker and
 * keepalives are bad-header) and the ESP/AH header.  Reads nothing beyond
 * LEN.  IPSEC_OK, IPSEC_TRUNCATED or IPSEC_BAD_HEADER. */
enum ipsec_result ipsec_parse_outer(const uint8_t *pkt, size_t len, uint16_t natt_port,
				    struct ipsec_outer *out);

/* Decapsulates the outer packet PKT with the inbound SA (found by the
 * caller from ipsec_parse_outer's SPI; a different SPI or protocol here is
 * IPSEC_UNKNOWN_SPI).  Order per RFC 4303 §3.4: replay pre-check, ICV,
 * window update, decryption, padding and next-header checks.  On IPSEC_OK
 * the inner packet is in OUT (*OUT_LEN bytes); OUT needs at least LEN bytes
 * and must not overlap PKT.  Every failure is counted in sa->counters.drops.
 * Never reads outside PKT[0..LEN). */
enum ipsec_result ipsec_decapsulate(struct ipsec_sa *sa,
				    const uint8_t *pkt, size_t len,
				    uint8_t *out, size_t out_size, size_t *out_len);

/* The SA as one Wireshark `esp_sa` UAT record (no newline):
 *   "IPv4","198.51.100.1","203.0.113.1","0x00001001","AES-CBC [RFC3602]","0x…","HMAC-SHA-1-96 [RFC2404]","0x…"
 * GCM: encryption key = key + salt, authentication "NULL","".  Returns the
 * length snprintf would write (>= SIZE: truncated), or -1 for an SA that
 * Wireshark cannot describe (AH, which it does not check).  This line holds
 * keys: write it only to the keylog file (mode 0600). */
int ipsec_sa_keylog_line(const struct ipsec_sa *sa, char *buf, size_t size);

#endif
