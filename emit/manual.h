/* The manually keyed SA pair of one tunnel end, as every emitter that keys
 * by hand writes it (xfrm, IOS, PIX) for a tunnel that says `keying
 * manual;` (model_keyed_by_hand).  Both ends derive the same two SAs from the
 * tunnel's pre-shared key (emit/keys.c), so what one end sends with, the
 * other receives with. */
#ifndef TUNC_EMIT_MANUAL_H
#define TUNC_EMIT_MANUAL_H

#include <stdbool.h>
#include <stddef.h>

#include "emit/common.h"
#include "emit/keys.h"

struct manual_suite {
	bool ah;
	enum encryption enc;            /* ENC_NULL for AH */
	enum integrity integ;           /* INTEG_NONE: none */
};

/* Is MT's end asked for static SAs (`keying manual;`), so that this end
 * installs them instead of running IKE? */
bool manual_toward_peer(const struct model_tunnel *mt);

/* The first offer of PS: manual keys negotiate nothing, so both ends take
 * the first encryption and the first integrity (as the xfrm emitter does). */
void manual_first_offer(const struct ir_ipsec *ps, struct manual_suite *out);

/* The transform sets a Cisco crypto map entry for MT names (IOS, PIX):
 * every offer, or the first alone toward a far end keyed by hand (an
 * ipsec-manual entry takes a single transform set).  C holds
 * EMIT_COMBOS_MAX; returns how many were written. */
size_t manual_map_combos(const struct model_tunnel *mt, struct emit_esp_combo *c);

/* The HKDF label of an algorithm (the Linux kernel's name, as the xfrm
 * script writes it: the label is part of the derivation, so every end must
 * use the same one) and its key length in bytes; NULL when the algorithm
 * cannot be keyed by hand (AES-GCM: RFC 4106 §8.1). */
const char *manual_enc_label(enum encryption e, size_t *key_len);
const char *manual_auth_label(enum integrity i, size_t *key_len);

/* Derives MT's two SAs from KEY (the end's pre-shared key): OUT carries
 * this end's traffic to the peer, IN the peer's to this end.  The caller
 * wipes both (keys_wipe).  False when the suite cannot be keyed by hand or
 * OpenSSL fails. */
bool manual_derive(const struct emit_secret *key, const struct model_tunnel *mt,
		   const struct manual_suite *s, struct sa_keys *out, struct sa_keys *in);

/* manual_derive from MT's pre-shared key, read now (emit_psk_read): on
 * failure a diagnostic goes to CTX (never the key) and false is returned;
 * on success CTX->holds_key is set.  The caller wipes OUT and IN. */
bool manual_keys(struct emit_ctx *ctx, const struct model_tunnel *mt,
		 const struct manual_suite *s, struct sa_keys *out, struct sa_keys *in);

/* Can MT be written as a Cisco `crypto map ... ipsec-manual` entry?  Sets MS
 * to its suite; otherwise writes what cannot be ("AES-GCM keyed by hand")
 * into WHAT and the statement to blame into LOC, and returns false. */
bool manual_cisco_check(const struct model_tunnel *mt, struct manual_suite *ms, char *what,
			size_t what_size, struct tunc_loc *loc);

/* One Cisco `set session-key DIR ...` line after PREFIX (" " in an IOS
 * sub-mode, "crypto map NAME SEQ " on the PIX), for K. */
void manual_cisco_session_key(struct strbuf *out, const char *prefix, const char *dir,
			      const struct manual_suite *ms, const struct sa_keys *k);
/* The comment lines opening such an entry (CMT starts each). */
void manual_cisco_comment(struct strbuf *out, const char *cmt, const struct model_tunnel *mt,
			  const struct manual_suite *ms);

#endif
