/* Checks against what a cloud provider documents for the tunnels it
 * terminates (a peer's platform row's rules: aws, azure, gcp; see
 * doc/cloud-peers.md for the sources): lifetime-range, one-sa-pair,
 * dpd-required, tunnel-mss, inside-cidr and second-tunnel.  Algorithms,
 * groups and IKE versions the provider does not offer are
 * platform-unsupported, as for every platform. */
#include "config.h"
#include "check/checks.h"
#include "check/util.h"
#include "util/strbuf.h"

#include <stdio.h>
#include <string.h>

/* The provider's rules when end C of the tunnel is a peer that has some. */
static const struct platform_peer_rules *rules_of(const struct tview *tv, int c)
{
	const struct ir_gateway *g = tv->gw[c];
	return g && g->kind == GW_PEER && g->pinfo ? g->pinfo->rules : NULL;
}

/* One tunnel end that is a cloud peer with documented rules: the tunnel,
 * the cloud end's index C and its rules. */
typedef void (*cloud_end_fn)(struct check_ctx *ctx, const struct tviews *all,
			     const struct tview *tv, int c, const struct platform_peer_rules *r);

/* Calls FN for each (tunnel, cloud end) whose other end is a different
 * gateway or peer, in file order. */
static void each_cloud_end(struct check_ctx *ctx, cloud_end_fn fn)
{
	struct tviews tvs;
	ck_tviews_build(ctx, &tvs);
	for (size_t i = 0; i < tvs.n; i++) {
		const struct tview *tv = &tvs.v[i];
		if (!tv->gw[0] || !tv->gw[1] || tv->gw[0] == tv->gw[1])
			continue;
		for (int c = 0; c < 2; c++) {
			const struct platform_peer_rules *r = rules_of(tv, c);
			if (r)
				fn(ctx, &tvs, tv, c, r);
		}
	}
	ck_tviews_free(&tvs);
}

/* ---- lifetime-range ---- */

static void lifetime_out(struct check_ctx *ctx, const struct tview *tv, int c, const char *phase,
			 uint64_t v, uint32_t lo, uint32_t hi, struct tunc_loc loc, const char *prop)
{
	if ((!lo || v >= lo) && (!hi || v <= hi))
		return;
	const struct ir_gateway *g = tv->gw[c];
	char range[64];
	if (lo && hi)
		snprintf(range, sizeof(range), "%u to %u s", lo, hi);
	else if (hi)
		snprintf(range, sizeof(range), "at most %u s", hi);
	else
		snprintf(range, sizeof(range), "at least %u s", lo);
	/* A range the provider lets one set is refused outright; a fixed value
	 * (max only) means the provider rekeys first and this end's longer
	 * setting is never used. */
	struct diag *d = check_report_sev(ctx, lo ? DIAG_ERROR : DIAG_WARNING, loc,
		"tunnel %s's %s lifetime of %llu s (%s) is outside what %s (%s) takes: %s",
		tv->t->name, phase, (unsigned long long)v, prop, g->name, g->pinfo->description,
		range);
	ck_diag_names(d, tv->t, g, tv->gw[1 - c]);
	diag_fix(d, "set the %s lifetime of %s within %s", phase, prop, range);
	if (loc_known(g->platform_loc))
		diag_related(d, g->platform_loc, "%s's platform is %s", g->name, g->pinfo->description);
}

static void lifetime_range_end(struct check_ctx *ctx, const struct tviews *all,
			       const struct tview *tv, int c, const struct platform_peer_rules *r)
{
	(void)all;
	const struct ir_tunnel_end *e = &tv->t->end[c];
	const struct ir_ike *ike = ir_end_ike(e);
	const struct ir_ipsec *ps = ir_end_ipsec(e);
	char prop[160];
	if (ike) {
		snprintf(prop, sizeof(prop), "ike %s", ike->name);
		lifetime_out(ctx, tv, c, "phase 1", ike->lifetime_s, r->ike_lifetime_min,
			     r->ike_lifetime_max, loc_or(ike->lifetime_loc, ike->loc), prop);
	}
	if (ps) {
		snprintf(prop, sizeof(prop), "ipsec %s", ps->name);
		lifetime_out(ctx, tv, c, "phase 2", ps->lifetime_s, r->esp_lifetime_min,
			     r->esp_lifetime_max, loc_or(ps->lifetime_loc, ps->loc), prop);
	}
}

void check_lifetime_range(struct check_ctx *ctx)
{
	each_cloud_end(ctx, lifetime_range_end);
}

/* ---- one-sa-pair ---- */

static void one_sa_pair_end(struct check_ctx *ctx, const struct tviews *all,
			       const struct tview *tv, int c, const struct platform_peer_rules *r)
{
	(void)all;
	int a = 1 - c;
	const struct model_tunnel *mt = tv->mt[a];
	if (!r->one_sa_pair || !mt || mt->route_based)
		return;
	/* A platform that carries several selector pairs in one CHILD_SA
	 * (IKEv2 TS lists) negotiates one SA pair. */
	const struct platform_info *p = ck_gw_platform(tv->gw[a]);
	if (p->ikev2_ts_lists && mt->ike && mt->ike->version == 2)
		return;
	struct selector_pairs sp = model_tunnel_selectors(mt, 0);
	if (sp.n < 2)
		return;
	struct strbuf list = STRBUF_INIT;
	for (size_t k = 0; k < sp.n && k < 4; k++) {
		char s[200];
		selector_format(&sp.v[k].sel, s, sizeof(s));
		strbuf_printf(&list, "%s%s", k ? ", " : "", s);
	}
	if (sp.n > 4)
		strbuf_puts(&list, ", ...");
	const struct ir_gateway *g = tv->gw[a], *cg = tv->gw[c];
	struct diag *d = check_report(ctx, ck_end_local_loc(tv->t, a),
		"%s's end of tunnel %s is policy-based with %zu selector pairs (%s), an SA pair "
		"each, but %s (%s) takes one SA pair per tunnel: the SAs after the first "
		"replace it or are refused, and their traffic is dropped",
		g->name, tv->t->name, sp.n, strbuf_cstr(&list), cg->name,
		cg->pinfo->description);
	ck_diag_names(d, tv->t, g, cg);
	diag_fix(d, "consolidate %s's selectors into one pair (a prefix covering each side), "
		 "or make tunnel %s route-based (`route-based PREFIX;`%s%s), or describe one "
		 "tunnel per pair", g->name, tv->t->name, r->inside_range ? " from " : "",
		 r->inside_range ? r->inside_range : "");
	if (loc_known(cg->platform_loc))
		diag_related(d, cg->platform_loc, "%s's platform is %s", cg->name,
			     cg->pinfo->description);
	strbuf_free(&list);
}

void check_one_sa_pair(struct check_ctx *ctx)
{
	each_cloud_end(ctx, one_sa_pair_end);
}

/* ---- dpd-required ---- */

static void dpd_required_end(struct check_ctx *ctx, const struct tviews *all,
			       const struct tview *tv, int c, const struct platform_peer_rules *r)
{
	(void)all;
	int a = 1 - c;
	const struct ir_tunnel_end *e = &tv->t->end[a];
	if (!r->dpd_required || e->dpd.set)
		return;
	const struct ir_gateway *g = tv->gw[a], *cg = tv->gw[c];
	struct diag *d = check_report(ctx, ck_end_loc(tv->t, a),
		"%s (%s) expects dead-peer detection (it gives up on the other end after %u s "
		"without an answer) but %s's end of tunnel %s has no `dpd`: when %s replaces "
		"its tunnel endpoint, %s keeps sending into the dead SA until it expires",
		cg->name, cg->pinfo->description, r->dpd_timeout_s, g->name, tv->t->name,
		cg->name, g->name);
	ck_diag_names(d, tv->t, g, cg);
	diag_fix(d, "add `dpd 10s;` to tunnel %s (or to %s's block)", tv->t->name, g->name);
}

void check_dpd_required(struct check_ctx *ctx)
{
	each_cloud_end(ctx, dpd_required_end);
}

/* ---- tunnel-mss ---- */

static void tunnel_mss_end(struct check_ctx *ctx, const struct tviews *all,
			       const struct tview *tv, int c, const struct platform_peer_rules *r)
{
	(void)all;
	int a = 1 - c;
	const struct ir_tunnel_end *e = &tv->t->end[a];
	if (!r->tcp_mss || tv->gw[a]->kind != GW_GATEWAY)
		return;
	const struct ir_gateway *g = tv->gw[a], *cg = tv->gw[c];
	struct diag *d = NULL;
	if (e->tcp_mss.mode == TCP_MSS_FIXED && e->tcp_mss.value > r->tcp_mss)
		d = check_report(ctx, e->tcp_mss.loc,
			"%s clamps TCP MSS to %u in tunnel %s, above the %u %s (%s) asks for "
			"(its tunnel MTU is %u): larger segments are fragmented after "
			"encryption or dropped", g->name, e->tcp_mss.value, tv->t->name,
			r->tcp_mss, cg->name, cg->pinfo->description, r->tunnel_mtu);
	else if (e->tcp_mss.mode == TCP_MSS_UNSET || e->tcp_mss.mode == TCP_MSS_OFF)
		d = check_report(ctx, loc_or(e->tcp_mss.loc, ck_end_loc(tv->t, a)),
			"%s does not clamp TCP MSS in tunnel %s, but %s (%s) asks for %u (its "
			"tunnel MTU is %u and it does not rely on path MTU discovery): full-size "
			"segments are fragmented after encryption or dropped", g->name,
			tv->t->name, cg->name, cg->pinfo->description, r->tcp_mss,
			r->tunnel_mtu);
	if (!d)
		return;
	ck_diag_names(d, tv->t, g, cg);
	diag_fix(d, "write `tcp-mss %u;` (or `tcp-mss auto;`) in tunnel %s", r->tcp_mss,
		 tv->t->name);
}

void check_tunnel_mss(struct check_ctx *ctx)
{
	each_cloud_end(ctx, tunnel_mss_end);
}

/* ---- inside-cidr ---- */

/* The rules hold prefixes as text; they are the provider's, so they parse. */
static bool prefix_text_covers(const char *text, const struct ip_prefix *p)
{
	struct ip_prefix outer;
	return prefix_parse(text, &outer) && prefix_contains(&outer, p);
}

static bool prefix_text_overlaps(const char *text, const struct ip_prefix *p)
{
	struct ip_prefix q;
	return prefix_parse(text, &q) && prefix_overlaps(&q, p);
}

static void inside_cidr_end(struct check_ctx *ctx, const struct tviews *all,
			       const struct tview *tv, int c, const struct platform_peer_rules *r)
{
	(void)all;
	const struct ir_tunnel_end *e = &tv->t->end[c];
	if (!r->inside_range || !e->route_based.set)
		return;
	const struct ip_prefix *p = &e->route_based.prefix.p;
	const char *reserved = NULL;
	for (const char *const *s = r->inside_reserved; s && *s; s++)
		if (prefix_text_overlaps(*s, p))
			reserved = *s;
	bool in_range = prefix_text_covers(r->inside_range, p) && p->len == r->inside_len;
	struct ip_addr first = prefix_first_host(p);
	bool wrong_side = r->inside_first && !addr_equal(&first, &e->tunnel_address.addr);
	if (in_range && !reserved && !wrong_side)
		return;
	const struct ir_gateway *cg = tv->gw[c];
	char ptext[ADDR_STRLEN];
	ck_fmt_prefix(p, ptext);
	struct diag *d;
	if (!in_range)
		d = check_report(ctx, e->route_based.prefix.loc,
			"tunnel %s's inside link %s is not a /%u from %s, which %s (%s) "
			"requires for its tunnel inside addresses", tv->t->name, ptext,
			r->inside_len, r->inside_range, cg->name, cg->pinfo->description);
	else if (reserved)
		d = check_report(ctx, e->route_based.prefix.loc,
			"tunnel %s's inside link %s overlaps %s, which %s (%s) reserves",
			tv->t->name, ptext, reserved, cg->name, cg->pinfo->description);
	else {
		char have[ADDR_STRLEN], want[ADDR_STRLEN];
		ck_fmt_addr(&e->tunnel_address.addr, have);
		ck_fmt_addr(&first, want);
		d = check_report(ctx, e->route_based.prefix.loc,
			"tunnel %s gives %s the inside address %s, but %s (%s) takes the "
			"link's first address, %s, and leaves the second to the other end",
			tv->t->name, cg->name, have, cg->name, cg->pinfo->description, want);
		ck_diag_names(d, tv->t, tv->gw[1 - c], cg);
		diag_fix(d, "name %s first in `between` of tunnel %s, so that it takes %s",
			 cg->name, tv->t->name, want);
		return;
	}
	ck_diag_names(d, tv->t, tv->gw[1 - c], cg);
	diag_fix(d, "choose a /%u inside %s that %s does not reserve, and give it to the "
		 "tunnel in the provider's console too", r->inside_len, r->inside_range,
		 cg->name);
}

void check_inside_cidr(struct check_ctx *ctx)
{
	each_cloud_end(ctx, inside_cidr_end);
}

/* ---- second-tunnel ---- */

static bool same_subnets(const struct ir_gateway *a, const struct ir_gateway *b)
{
	if (a->subnets.n != b->subnets.n)
		return false;
	for (size_t i = 0; i < a->subnets.n; i++)
		if (!prefix_equal(&a->subnets.v[i].p, &b->subnets.v[i].p))
			return false;
	return true;
}

static void second_tunnel_end(struct check_ctx *ctx, const struct tviews *all,
			       const struct tview *tv, int c, const struct platform_peer_rules *r)
{
	if (r->tunnels < 2)
		return;
	const struct ir_gateway *g = tv->gw[1 - c], *cg = tv->gw[c];
	/* The other tunnels of the same connection: from the same gateway
	 * to a peer of the same provider in front of the same networks. */
	unsigned n = 0;
	for (size_t j = 0; j < all->n; j++)
		for (int k = 0; k < 2; k++) {
			const struct ir_gateway *o = all->v[j].gw[k];
			if (o && all->v[j].gw[1 - k] == g && o->kind == GW_PEER &&
			    o->pinfo == cg->pinfo && same_subnets(o, cg))
				n++;
		}
	if (n >= r->tunnels)
		return;
	struct diag *d = check_report(ctx, loc_or(tv->t->between_loc, tv->t->loc),
		"%s (%s) gives each connection %u tunnels, but %s has %u to it (tunnel %s): "
		"the provider moves traffic to the other tunnel during its maintenance, and "
		"%s has nothing to receive it", cg->name, cg->pinfo->description, r->tunnels,
		g->name, n, tv->t->name, g->name);
	ck_diag_names(d, tv->t, g, cg);
	diag_fix(d, "describe the connection's other tunnel: a peer with its second outside "
		 "address and the same subnets, and a tunnel from %s to it", g->name);
}

void check_second_tunnel(struct check_ctx *ctx)
{
	each_cloud_end(ctx, second_tunnel_end);
}
