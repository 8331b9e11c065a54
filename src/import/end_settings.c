/* An imported end's keying, route-based link, TCP MSS clamp and dead-peer detection,
 * written in its per-end block: each device configures them for itself,
 * and a per-end `route-based` on both ends is the tunnel's (LANGUAGE.md). */
#include "config.h"
#include "import/end_settings.h"

#include <string.h>

void imp_build_end_settings(struct parse_ctx *c, const struct imp_end *e)
{
	if (e->keying.s)
		build_keying(c, e->keying.s, e->keying.loc, e->keying.loc);
	if (e->route_based.s)
		build_route_based(c, e->route_based.s, e->route_based.loc, e->route_based.loc);
	if (e->tcp_mss.s)
		build_tcp_mss(c, e->tcp_mss.s, e->tcp_mss.loc, e->tcp_mss.loc);
	if (e->dpd.s)
		build_dpd(c, e->dpd.s, e->dpd.loc, e->dpd.loc);
}

void imp_build_far_settings(struct parse_ctx *c, const struct imp_end *e)
{
	if (e->keying.s)
		build_keying(c, e->keying.s, e->keying.loc, e->keying.loc);
	if (e->route_based.s)
		build_route_based(c, e->route_based.s, e->route_based.loc, e->route_based.loc);
}

/* "0.0.0.0/0" is `any` in a filter: the IPv4 any the grammar writes so. */
static bool filter_prefix(struct parse_ctx *c, const struct imp_text *t, struct ir_prefix *out)
{
	if (strcmp(t->s, "0.0.0.0/0") == 0) {
		*out = build_any(t->loc);
		return true;
	}
	return build_prefix(c, t->s, t->loc, false, out);
}

void imp_build_iface_filters(struct parse_ctx *c, const struct imp_iface *f)
{
	for (int dir = FILTER_IN; dir <= FILTER_OUT; dir++) {
		const struct imp_filter *flt = &f->filter[dir];
		if (!flt->set)
			continue;
		build_filter_begin(c, (enum filter_dir)dir, flt->loc);
		for (size_t i = 0; i < flt->rules.n; i++) {
			const struct imp_filter_rule *r = &flt->rules.v[i];
			struct ir_prefix src, dst;
			if (filter_prefix(c, &r->src, &src) && filter_prefix(c, &r->dst, &dst))
				build_filter_rule(c, r->permit ? FILTER_PERMIT : FILTER_DROP, &src, &dst,
						  r->proto.s, r->proto.loc, r->port.s, r->port.loc,
						  r->loc);
		}
		build_filter_default(c, flt->default_permit ? FILTER_PERMIT : FILTER_DROP,
				     flt->default_loc);
		build_filter_end(c);
	}
}
