/* How an IKE responder answers, by the platform table's ike_rules: which
 * proposed selectors it accepts (exactly, as a subset, or narrowed), which
 * phase 1 lifetimes, when its CHILD_SAs rekey, and the words an initiator
 * shows for each failure.  One answer for everything that asks: the
 * engine's negotiation (src/engine/ike.c) and lint's selector, proposal and
 * lifetime checks (src/check), so that `tunc run` and `tunc lint` cannot
 * disagree (doc/engine.md, "IKE: whose rules"). */
#ifndef TUNC_MODEL_IKE_ANSWER_H
#define TUNC_MODEL_IKE_ANSWER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"
#include "platform/platform.h"

/* Does selector OUTER contain INNER (prefixes, protocol, port range)? */
bool selector_covers(const struct selector *outer, const struct selector *inner);
/* The intersection of A and B (RFC 7296 §2.9); false when empty. */
bool selector_intersect(const struct selector *a, const struct selector *b,
			struct selector *out);

enum ts_answer {
	TS_REFUSED,             /* TS_UNACCEPTABLE / INVALID_ID_INFORMATION */
	TS_AS_PROPOSED,         /* accepted as proposed */
	TS_NARROWED,            /* accepted for the part in AGREED only */
};
/* How RESPONDER, speaking IKE VERSION, answers PROPOSED (seen from its
 * side: source its remote, destination its local) with its policy OWN.
 * AGREED gets the selector of the SA pair (PROPOSED unless narrowed). */
enum ts_answer ike_ts_answer(const struct platform_info *responder, unsigned version,
			     bool route_based, const struct selector *own,
			     const struct selector *proposed, struct selector *agreed);
/* ROUTE_BASED: OWN is a route-based end's pair, which a subset-accepting
 * platform takes exactly (an IOS VTI answers only its own any-to-any pair). */
/* Does end MT of platform P negotiate an SA pair per selector pair, as a
 * crypto map does per ACL line?  Not a route-based end (one pair, any to
 * any), nor a platform that carries a tunnel's pairs as IKEv2 traffic
 * selector lists in one CHILD_SA (ikev2_ts_lists) when MT speaks IKEv2.
 * lint's one-sa-pair and the engine's one-SA-pair providers ask this. */
static inline bool ike_sa_per_selector_pair(const struct platform_info *p,
					    const struct model_tunnel *mt)
{
	const struct ir_ike *ike = model_tunnel_ike(mt);
	return !mt->route_based && !(p->ikev2_ts_lists && ike && ike->version == 2);
}
/* How RESPONDER accepts selectors in IKE VERSION: "exactly", "as a
 * subset", "narrowed". */
const char *ike_ts_accept_text(const struct platform_info *responder, unsigned version,
			       bool route_based);

/* Does RESPONDER accept an IKE VERSION phase 1 whose lifetime is
 * OFFERED_S, its own being OWN_S? */
bool ike_lifetime_accepted(const struct platform_info *responder, unsigned version,
			   uint64_t offered_s, uint64_t own_s);

/* Does RESPONDER, configured for IKEv1 mode OWN, answer an initiator in
 * mode OFFERED? */
bool ike_mode_accepted(const struct platform_info *responder, enum ike_mode offered,
		       enum ike_mode own);

/* When P rekeys a CHILD_SA of lifetime LIFETIME_S, in seconds after it was
 * set up. */
uint64_t ike_child_rekey_s(const struct platform_info *p, uint64_t lifetime_s);
/* The first rekey of a CHILD_SA between P0 (lifetime L0) and P1 (L1): the
 * earlier of the two ends' rekey times, whichever end starts it. */
uint64_t ike_first_rekey_s(const struct platform_info *p0, uint64_t l0,
			   const struct platform_info *p1, uint64_t l1);

/* What INITIATOR shows when an IKE VERSION negotiation with PEER fails as
 * F, into BUF: its own words, else its negotiating message. */
void ike_failure_text(const struct platform_info *initiator, unsigned version,
		      enum ike_failure f, const char *peer, char *buf, size_t size);

#endif
