/* Checks against what a cloud provider documents for the tunnels it
 * terminates (a peer's platform row's rules: aws, azure, gcp; see
 * doc/cloud-peers.md for the sources): lifetime-range, one-sa-pair,
 * dpd-required, tunnel-mss, inside-cidr, second-tunnel and responder-only, and the
 * provider's pre-shared key rules for platform-limit.  Algorithms,
 * groups and IKE versions the provider does not offer are
 * platform-unsupported, as for every platform. */
#include "config.h"
#include "check/checks.h"
#include "check/probe.h"
#include "check/util.h"
#include "model/ike_answer.h"
#include "util/strbuf.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* The provider's rules when end C of the tunnel is a peer that has some. */
static const struct platform_peer_rules *rules_of(const struct tview *tv, int c)
{
	const struct ir_gateway *g = tv_gw(tv, c);
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
		if (!tv_gw(tv, 0) || !tv_gw(tv, 1) || tv_gw(tv, 0) == tv_gw(tv, 1))
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
	const struct ir_gateway *g = tv_gw(tv, c);
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
	ck_diag_names(d, tv->t, g, tv_gw(tv, 1 - c));
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
	if (!r->one_sa_pair || !mt || !ike_sa_per_selector_pair(ck_gw_platform(tv_gw(tv, a)), mt))
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
	const struct ir_gateway *g = tv_gw(tv, a), *cg = tv_gw(tv, c);
	struct diag *d = check_report(ctx, ck_end_local_loc(tv->t, a),
		"%s's end of tunnel %s is policy-based with %zu selector pairs (%s), an SA pair "
		"each, but %s (%s) takes one SA pair per tunnel: the SA pairs after the first "
		"are refused, and their traffic is dropped",
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
	if (!r->dpd_required || ir_end_dpd(e)->set)
		return;
	const struct ir_gateway *g = tv_gw(tv, a), *cg = tv_gw(tv, c);
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
	if (!r->tcp_mss || tv_gw(tv, a)->kind != GW_GATEWAY)
		return;
	const struct ir_gateway *g = tv_gw(tv, a), *cg = tv_gw(tv, c);
	struct diag *d = NULL;
	if (ir_end_tcp_mss(e)->mode == TCP_MSS_FIXED && ir_end_tcp_mss(e)->value > r->tcp_mss)
		d = check_report(ctx, ir_end_tcp_mss(e)->loc,
			"%s clamps TCP MSS to %u in tunnel %s, above the %u %s (%s) asks for "
			"(its tunnel MTU is %u): larger segments are fragmented after "
			"encryption or dropped", g->name, ir_end_tcp_mss(e)->value, tv->t->name,
			r->tcp_mss, cg->name, cg->pinfo->description, r->tunnel_mtu);
	else if (ir_end_tcp_mss(e)->mode == TCP_MSS_UNSET || ir_end_tcp_mss(e)->mode == TCP_MSS_OFF)
		d = check_report(ctx, loc_or(ir_end_tcp_mss(e)->loc, ck_end_loc(tv->t, a)),
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
	if (!r->inside_range || !ir_end_route_based(e)->set)
		return;
	const struct ip_prefix *p = &ir_end_route_based(e)->prefix.p;
	const char *reserved = NULL;
	for (const char *const *s = r->inside_reserved; s && *s; s++)
		if (prefix_text_overlaps(*s, p))
			reserved = *s;
	bool in_range = prefix_text_covers(r->inside_range, p) && p->len == r->inside_len;
	struct ip_addr first = prefix_first_host(p);
	bool wrong_side = r->inside_first && !addr_equal(&first, &ir_end_tunnel_address(e)->addr);
	if (in_range && !reserved && !wrong_side)
		return;
	const struct ir_gateway *cg = tv_gw(tv, c);
	char ptext[ADDR_STRLEN];
	ck_fmt_prefix(p, ptext);
	struct diag *d;
	if (!in_range)
		d = check_report(ctx, ir_end_route_based(e)->prefix.loc,
			"tunnel %s's inside link %s is not a /%u from %s, which %s (%s) "
			"requires for its tunnel inside addresses", tv->t->name, ptext,
			r->inside_len, r->inside_range, cg->name, cg->pinfo->description);
	else if (reserved)
		d = check_report(ctx, ir_end_route_based(e)->prefix.loc,
			"tunnel %s's inside link %s overlaps %s, which %s (%s) reserves",
			tv->t->name, ptext, reserved, cg->name, cg->pinfo->description);
	else {
		char have[ADDR_STRLEN], want[ADDR_STRLEN];
		ck_fmt_addr(&ir_end_tunnel_address(e)->addr, have);
		ck_fmt_addr(&first, want);
		d = check_report(ctx, ir_end_route_based(e)->prefix.loc,
			"tunnel %s gives %s the inside address %s, but %s (%s) takes the "
			"link's first address, %s, and leaves the second to the other end",
			tv->t->name, cg->name, have, cg->name, cg->pinfo->description, want);
		ck_diag_names(d, tv->t, tv_gw(tv, 1 - c), cg);
		diag_fix(d, "name %s first in `between` of tunnel %s, so that it takes %s",
			 cg->name, tv->t->name, want);
		return;
	}
	ck_diag_names(d, tv->t, tv_gw(tv, 1 - c), cg);
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
	const struct ir_gateway *g = tv_gw(tv, 1 - c), *cg = tv_gw(tv, c);
	/* The other tunnels of the same connection: from the same gateway
	 * to a peer of the same provider in front of the same networks. */
	unsigned n = 0;
	for (size_t j = 0; j < all->n; j++)
		for (int k = 0; k < 2; k++) {
			const struct ir_gateway *o = tv_gw(&all->v[j], k);
			if (o && tv_gw(&all->v[j], 1 - k) == g && o->kind == GW_PEER &&
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

/* ---- the provider's pre-shared key rules ----
 * Reported by platform-limit (check_platform_limit calls this): the key
 * cannot be entered in the provider's console, as a gateway's cannot be
 * written into its configuration.  The key is read, never printed. */

static const char *psk_rule_broken(const struct secret *key, const struct platform_peer_rules *r)
{
	if (key->len < r->psk.min_len || key->len > r->psk.max_len)
		return "its length";
	const unsigned char *b = key->bytes;
	if (r->psk.bad_first && strchr(r->psk.bad_first, b[0]))
		return "its first character";
	for (size_t i = 0; i < key->len; i++)
		if (!isalnum(b[i]) && !(b[i] && r->psk.extra && strchr(r->psk.extra, b[i])))
			return "a character outside those";
	return NULL;
}

static void cloud_psk_end(struct check_ctx *ctx, const struct tviews *all, const struct tview *tv,
			  int c, const struct platform_peer_rules *r)
{
	(void)all;
	const struct ir_psk *psk = ir_end_psk(&tv->t->end[c]);
	if (!r->psk.max_len || psk->source == PSK_NONE || model_keyed_by_hand(tv->t))
		return;
	struct secret key;
	if (!ck_psk_read(ctx, psk, &key))
		return;
	const char *why = psk_rule_broken(&key, r);
	size_t len = key.len;
	secret_free(&key);
	if (!why)
		return;
	const struct ir_gateway *cg = tv_gw(tv, c);
	struct strbuf rule = STRBUF_INIT;
	strbuf_printf(&rule, "%u to %u characters: letters, digits", r->psk.min_len, r->psk.max_len);
	for (const char *x = r->psk.extra; x && *x; x++)
		strbuf_printf(&rule, "%s'%c'", x[1] ? ", " : " and ", *x);
	if (r->psk.bad_first && *r->psk.bad_first)
		strbuf_printf(&rule, ", not starting with '%s'", r->psk.bad_first);
	struct diag *d = check_report(ctx, loc_or(psk->loc, tv->t->loc),
		"%s (%s) does not take tunnel %s's pre-shared key (%zu characters): its console "
		"takes %s, and the key breaks that rule by %s; the tunnel cannot be configured "
		"there as described", cg->name, cg->pinfo->description, tv->t->name, len,
		strbuf_cstr(&rule), why);
	ck_diag_names(d, tv->t, tv_gw(tv, 1 - c), cg);
	diag_fix(d, "use a key of %s, e.g. from 'openssl rand -hex 24' (draw again if it "
		 "breaks the rule)", strbuf_cstr(&rule));
	if (loc_known(cg->platform_loc))
		diag_related(d, cg->platform_loc, "%s's platform is %s", cg->name,
			     cg->pinfo->description);
	strbuf_free(&rule);
}

void check_cloud_psk(struct check_ctx *ctx)
{
	each_cloud_end(ctx, cloud_psk_end);
}

/* ---- responder-only ----
 * A provider that waits for the other end to start IKE (AWS with its
 * default startup action) leaves its side's traffic waiting until the
 * other end's side sends some: reported when no expectation does, with the
 * engine's fate for the provider side's first packet (probe.h), as
 * pat-no-initiator does for an end behind PAT. */

static void responder_only_end(struct check_ctx *ctx, const struct tviews *all,
			       const struct tview *tv, int c, const struct platform_peer_rules *r)
{
	(void)all;
	int a = 1 - c;
	if (!r->responder_only || model_keyed_by_hand(tv->t) || !tv->mt[a] ||
	    ck_expectation_starts(ctx, tv, a))
		return;
	const struct ir_gateway *g = tv_gw(tv, a), *cg = tv_gw(tv, c);
	/* Claimed only where the engine drops the provider side's first packet
	 * at this peer's IKE: where its traffic takes another tunnel (the
	 * connection's other one), this tunnel waiting costs nothing. */
	struct probe_result pr;
	if (!probe_from_end(ctx, tv, c, &pr) || pr.verdict != VERDICT_DROPPED ||
	    pr.at_stage != STAGE_IKE || strcmp(pr.at_node, cg->name) != 0)
		return;
	struct diag *d = check_report(ctx, loc_or(tv->t->between_loc, tv->t->loc),
		"only %s can start tunnel %s: %s (%s) waits for the other end to start IKE, "
		"and no expectation sends traffic from %s's side into the tunnel, so nothing "
		"brings it up and %s's side's traffic is dropped", g->name, tv->t->name,
		cg->name, cg->pinfo->description, g->name, cg->name);
	ck_diag_names(d, tv->t, g, cg);
	diag_fix(d, "make %s's side start the tunnel (traffic from behind it, and an 'expect' "
		 "from its side 'protected by %s'; DPD then keeps it up)%s%s", g->name,
		 tv->t->name, r->initiator_note ? "; " : "", r->initiator_note ? r->initiator_note : "");
	if (loc_known(cg->platform_loc))
		diag_related(d, cg->platform_loc, "%s's platform is %s", cg->name,
			     cg->pinfo->description);
	probe_note(d, &pr, tv->t->loc);
}

void check_responder_only(struct check_ctx *ctx)
{
	each_cloud_end(ctx, responder_only_end);
}
