/* The manually keyed SA pair of one tunnel end, as every emitter that keys
 * by hand writes it (xfrm, IOS, PIX) for a tunnel that says `keying
 * manual;` (model_keyed_by_hand).  Both ends derive the same two SAs from the
 * tunnel's pre-shared key (src/model/manual_keys.h, which the engine uses
 * too), so what one end sends with, the other receives with. */
#ifndef TUNC_EMIT_MANUAL_H
#define TUNC_EMIT_MANUAL_H

#include <stdbool.h>
#include <stddef.h>

#include "emit/common.h"
#include "model/manual_keys.h"

/* Is MT's end asked for static SAs (`keying manual;`), so that this end
 * installs them instead of running IKE? */
bool manual_toward_peer(const struct model_tunnel *mt);

/* The transform sets a Cisco crypto map entry for MT names (IOS, PIX):
 * every offer, or the first alone toward a far end keyed by hand (an
 * ipsec-manual entry takes a single transform set).  C holds
 * EMIT_COMBOS_MAX; returns how many were written. */
size_t manual_map_combos(const struct model_tunnel *mt, struct emit_esp_combo *c);

/* MT's SA pair (manual_keys_load, src/model/manual_keys.h): on failure a
 * diagnostic goes to CTX (never the key) and false is returned;
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
