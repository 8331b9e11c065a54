/* What an emitted configuration needs to work when pasted into a live
 * device, shared by the emitters: IKE policies numbered strongest first,
 * generated numbers offset by `compile --base`, and interface filters
 * written rule for rule as the engine runs them (model/filters.h). */
#ifndef TUNC_EMIT_FIDELITY_H
#define TUNC_EMIT_FIDELITY_H

#include "emit/common.h"

/* One IKEv1 policy (a suite with its lifetime) of some tunnel. */
struct emit_ike_policy {
	struct emit_ike_combo c;
	uint64_t lifetime_s;
	const struct model_tunnel *mt;
};

/* Sorts N policies strongest first: by the security of the weakest of
 * cipher, integrity and group (NIST SP 800-57 comparable strengths), then
 * by their sum; equals keep the order the tunnels offer them.  A responder
 * matches the initiator's offers against its policies in priority order, so
 * the strongest suite the two share wins. */
void emit_ike_policies_sort(struct emit_ike_policy *v, size_t n);

/* The Nth generated number (N from 1): base + 10 N. */
static inline unsigned emit_number(const struct emit_ctx *ctx, size_t n)
{
	return ctx->base + 10u * (unsigned)n;
}

/* The name of the access list of filter F on interface IFNAME:
 * "tunc-filter-IFNAME-in". */
void emit_filter_acl_name(const char *ifname, const struct ir_filter *f, char *buf, size_t size);

/* One Cisco access-list entry for rule R ("deny tcp any host 198.51.100.1
 * eq 23"), with wildcard masks (IOS) or netmasks (PIX). */
void emit_filter_ace(struct strbuf *out, const struct ir_filter_rule *r, bool wildcard,
		     const char *ah_word);
/* The entry that ends the list with F's default ("permit ip any any"). */
void emit_filter_default_ace(struct strbuf *out, const struct ir_filter *f);

#endif
