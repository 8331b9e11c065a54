/* An imported end's keying, route-based link, TCP MSS clamp, dead-peer
 * detection, protocol and Windows filter flags, written in its per-end
 * block: each device configures them for itself, and a per-end `route-based` on both ends is the tunnel's (LANGUAGE.md). */
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
	if (e->proto.s)
		build_end_protocol(c, e->proto.s, e->proto.loc, e->port.s, e->port.loc, e->proto_stmt);
	if (e->mirrored)
		build_end_flag(c, true, e->mirrored_loc);
	if (e->accept_unsecured)
		build_end_flag(c, false, e->accept_unsecured_loc);
}

void imp_build_far_settings(struct parse_ctx *c, const struct imp_end *e)
{
	if (e->keying.s)
		build_keying(c, e->keying.s, e->keying.loc, e->keying.loc);
	if (e->route_based.s)
		build_route_based(c, e->route_based.s, e->route_based.loc, e->route_based.loc);
	/* Selectors narrowed to a protocol are the far end's too (a per-end
	 * statement: the far peer, named second in `between`, gets a block). */
	if (e->proto.s) {
		build_end_begin(c, c->cur_tunnel->end[1].gw.name, e->loc);
		build_end_protocol(c, e->proto.s, e->proto.loc, e->port.s, e->port.loc, e->proto_stmt);
		build_end_end(c);
	}
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
