/* Checks about what each end's selectors cover: selector-mirror,
 * gateway-own-traffic, selector-overlap, cleartext-leak. */
#include "config.h"
#include "check/checks.h"
#include "check/probe.h"
#include "check/util.h"
#include "model/ike_answer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* IKEv1 when either end runs it.  How its responder accepts proxy
 * identities (exactly, as a subset, narrowed) and IKEv2's traffic selectors
 * is its platform's (model/ike_answer.h), as in the engine. */
static bool tunnel_ikev1(const struct tview *tv)
{
	for (int e = 0; e < 2; e++) {
		const struct ir_ike *ike = ir_end_ike(&tv->t->end[e]);
		if (ike && ike->version == 1)
			return true;
	}
	return false;
}

enum mirror_match { MIRROR_NONE, MIRROR_PARTIAL, MIRROR_FULL };

/* One selector an end negotiates with, as it sends (local -> remote). */
struct end_sel {
	struct selector sel;
	struct tunc_loc loc;
	enum spd_origin origin;
};
struct end_sels {
	struct end_sel *v;
	size_t n;
};

/* What end MT negotiates with, as the engine's responder (ike.c) and
 * initiator see it: a policy-based end's outbound SPD entries (what its
 * platform adds on its own included); a route-based end's selector pairs
 * (model_tunnel_selectors), since its entries are bound to its tunnel
 * interface and are not in the gateway's SPD. */
static void end_sels_of(const struct model_gateway *mg, const struct model_tunnel *mt,
			struct end_sels *es)
{
	es->v = NULL;
	es->n = 0;
	if (!mt)
		return;
	if (mt->route_based) {
		struct selector_pairs pairs = model_tunnel_selectors(mt, 0);
		if (!pairs.n)
			return;
		es->v = xmalloc(pairs.n * sizeof(*es->v));
		for (size_t i = 0; i < pairs.n; i++)
			es->v[es->n++] = (struct end_sel){pairs.v[i].sel,
							  model_tunnel_selectors_loc(mt),
							  ORIGIN_TUNNEL};
		return;
	}
	struct ck_spd_out out = ck_spd_out_of(mg, mt);
	if (!out.refs.n)
		return;
	es->v = xmalloc(out.refs.n * sizeof(*es->v));
	for (size_t i = 0; i < out.refs.n; i++) {
		const struct spd_entry *e = ck_spd_out_at(&out, i);
		es->v[es->n++] = (struct end_sel){spd_entry_sel(e), e->loc, e->origin};
	}
}

static void end_sels_free(struct end_sels *es)
{
	free(es->v);
	es->v = NULL;
	es->n = 0;
}

/* How the far end's selectors (CAND), on platform RESPONDER, answer a
 * negotiation proposing SEL's mirror (ike_ts_answer, as the engine asks):
 * accepted as proposed (full), narrowed (partial), or refused; NEAREST
 * gets the first that narrows, else the first that overlaps. */
static enum mirror_match find_mirror(const struct selector *sel, bool ikev1,
				     const struct platform_info *responder, bool route_based,
				     const struct end_sels *cand, const struct end_sel **nearest)
{
	struct selector want = ck_selector_mirror(sel);
	enum mirror_match best = MIRROR_NONE;
	const struct end_sel *overlap = NULL;
	*nearest = NULL;
	for (size_t i = 0; i < cand->n; i++) {
		struct selector agreed;
		enum ts_answer a = ike_ts_answer(responder, ikev1 ? 1 : 2, route_based,
						 &cand->v[i].sel, &want, &agreed);
		if (a == TS_AS_PROPOSED)
			return MIRROR_FULL;
		if (a == TS_NARROWED && best == MIRROR_NONE) {
			*nearest = &cand->v[i];
			best = MIRROR_PARTIAL;
		}
		if (!overlap && ck_selector_overlaps(&cand->v[i].sel, &want))
			overlap = &cand->v[i];
	}
	if (!*nearest)
		*nearest = overlap;
	return best;
}

/* ---- selector-mirror ---- */

static void mirror_report(struct check_ctx *ctx, const struct tview *tv, int a,
			  const struct end_sel *pa, enum mirror_match m,
			  const struct end_sel *nearest, bool ikev1)
{
	const struct platform_info *pb = ck_gw_platform(tv_gw(tv, 1 - a));
	const char *accepts = ike_ts_accept_text(pb, ikev1 ? 1 : 2,
						 tv->mt[1 - a] && tv->mt[1 - a]->route_based);
	const struct ir_tunnel *t = tv->t;
	int b = 1 - a;
	const struct ir_tunnel_end *ea = &t->end[a], *eb = &t->end[b];
	const char *na = ck_gw_name(tv_gw(tv, a)), *nb = ck_gw_name(tv_gw(tv, b));
	char sel[160], want[160], near[160] = "";
	selector_format(&pa->sel, sel, sizeof(sel));
	struct selector w = ck_selector_mirror(&pa->sel);
	selector_format(&w, want, sizeof(want));
	if (nearest)
		selector_format(&nearest->sel, near, sizeof(near));

	/* What B lacks: A's local in its remote, A's remote in its local. */
	bool exact = platform_ike_rules(pb)->ts_accept[ikev1 ? 1 : 2] == TS_ACCEPT_EXACT;
	bool miss_remote = !ck_prefix_list_has(&eb->remote, &pa->sel.src, exact);
	bool miss_local = !ck_prefix_list_has(&eb->local, &pa->sel.dst, exact);
	bool miss_proto = !miss_remote && !miss_local;
	char src[ADDR_STRLEN], dst[ADDR_STRLEN];
	ck_fmt_prefix(&pa->sel.src, src);
	ck_fmt_prefix(&pa->sel.dst, dst);

	/* Point at the statement to change: B's where B departs from the
	 * default, else A's. */
	struct tunc_loc loc;
	bool at_b = true;
	if (miss_remote && eb->remote_set)
		loc = ir_end_written(eb)->remote_loc;
	else if (miss_local && eb->local_set)
		loc = ir_end_written(eb)->local_loc;
	else if (miss_remote && ea->local_set)
		loc = ir_end_written(ea)->local_loc, at_b = false;
	else if (miss_local && ea->remote_set)
		loc = ir_end_written(ea)->remote_loc, at_b = false;
	else if (miss_proto && loc_known(ir_end_written(eb)->protocol_loc))
		loc = ir_end_written(eb)->protocol_loc;
	else if (miss_proto && loc_known(ir_end_written(ea)->protocol_loc))
		loc = ir_end_written(ea)->protocol_loc, at_b = false;
	else
		loc = ck_end_loc(t, b);

	struct diag *d;
	if (m == MIRROR_PARTIAL)
		d = check_report_sev(ctx, DIAG_WARNING, loc,
			"%s protects %s in tunnel %s, but %s covers only %s of it: %s narrows "
			"the %s to it, and packets of %s outside %s are not protected",
			na, sel, t->name, nb, near, nb, ikev1 ? "IKEv1 proxy identities"
			: "IKEv2 traffic selectors", sel, near);
	else if (ikev1) {
		char has[200] = "";
		if (nearest)
			snprintf(has, sizeof(has), " (%s has %s)", nb, near);
		d = check_report(ctx, loc,
			"%s protects %s in tunnel %s, but %s has no mirror %s%s; %s (%s) accepts "
			"IKEv1 proxy identities %s, so quick mode for this traffic started by %s "
			"fails", na, sel, t->name, nb, want, has, nb,
			pb ? pb->description : "its platform", accepts, na);
	} else
		d = check_report(ctx, loc,
			"%s protects %s in tunnel %s, but nothing at %s covers or narrows to %s, "
			"so quick mode for this traffic started by %s fails",
			na, sel, t->name, nb, want, na);
	ck_diag_names(d, t, tv_gw(tv, a), tv_gw(tv, b));

	struct strbuf fix = STRBUF_INIT;
	if (miss_remote)
		strbuf_printf(&fix, "add %s to %s's remote", src, nb);
	if (miss_local)
		strbuf_printf(&fix, "%sadd %s to %s's local", fix.len ? " and " : "", dst, nb);
	if (miss_proto)
		strbuf_printf(&fix, "give %s and %s the same protocol and port restriction", na, nb);
	if (!at_b && (miss_remote || miss_local))
		strbuf_printf(&fix, ", or remove %s from %s's %s", miss_remote ? src : dst, na,
			      miss_remote ? "local" : "remote");
	diag_fix(d, "%s", strbuf_cstr(&fix));
	strbuf_free(&fix);

	if (loc_known(pa->loc) && !loc_same(pa->loc, loc))
		diag_related(d, pa->loc, "%s's selectors for %s are configured here", na, t->name);
	struct tunc_loc bl = at_b ? ck_end_loc(t, a) : ck_end_remote_loc(t, b);
	if (!at_b && !loc_same(bl, loc))
		diag_related(d, bl, "%s's selectors are here", nb);
}

void check_selector_mirror(struct check_ctx *ctx)
{
	struct tviews tvs;
	ck_tviews_build(ctx, &tvs);
	for (size_t i = 0; i < tvs.n; i++) {
		const struct tview *tv = &tvs.v[i];
		const struct ir_tunnel *t = tv->t;
		/* No per-end selectors: both ends use the sites' subnets, mirrored
		 * by construction. */
		if (!ck_end_selectors_set(&t->end[0]) && !ck_end_selectors_set(&t->end[1]))
			continue;
		if (!tv->mt[0] || !tv->mt[1] || tv_gw(tv, 0) == tv_gw(tv, 1))
			continue;
		/* A mixed pair is mixed-pair-selectors's: it puts both initiators'
		 * proposals to the same answers and says which direction fails. */
		if (ck_mixed_pair_judged(tv))
			continue;
		bool ikev1 = tunnel_ikev1(tv);
		struct end_sels es[2];
		for (int e = 0; e < 2; e++)
			end_sels_of(tv->mg[e], tv->mt[e], &es[e]);
		for (int a = 0; a < 2; a++) {
			for (size_t k = 0; k < es[a].n; k++) {
				/* The platform's own entries are gateway-own-traffic's. */
				if (es[a].v[k].origin != ORIGIN_TUNNEL)
					continue;
				const struct end_sel *nearest;
				enum mirror_match m = find_mirror(&es[a].v[k].sel, ikev1,
								  ck_gw_platform(tv_gw(tv, 1 - a)),
								  tv->mt[1 - a]->route_based,
								  &es[1 - a], &nearest);
				if (m != MIRROR_FULL)
					mirror_report(ctx, tv, a, &es[a].v[k], m, nearest, ikev1);
			}
		}
		for (int e = 0; e < 2; e++)
			end_sels_free(&es[e]);
	}
	ck_tviews_free(&tvs);
}

/* ---- gateway-own-traffic ---- */

/* "isa-a (198.51.100.1) > 10.2.0.0/16", as the seed names ISA's filters. */
static void own_filter_name(const struct ir_gateway *g, const struct selector *s,
			    char *buf, size_t size)
{
	char own[ADDR_STRLEN], dst[ADDR_STRLEN];
	ck_fmt_addr(&s->src.addr, own);
	ck_fmt_prefix(&s->dst, dst);
	snprintf(buf, size, "%s (%s) > %s", ck_gw_name(g), own, dst);
}

/* A route into a route-based end's tunnel interface protects what one of
 * its selector pairs holds, with no SPD entry (as the engine's ROUTE and
 * SPD stages do). */
static bool route_tunnel_holds(const struct model_route *route, const struct probe_pkt *p)
{
	if (!route->tunnel)
		return false;
	struct selector_pairs pairs = model_tunnel_selectors(route->tunnel, p->dst.family);
	for (size_t i = 0; i < pairs.n; i++)
		if (selector_matches(&pairs.v[i].sel, &p->src, &p->dst, p->proto, 0))
			return true;
	return false;
}

void check_gateway_own_traffic(struct check_ctx *ctx)
{
	struct tviews tvs;
	ck_tviews_build(ctx, &tvs);
	for (size_t i = 0; i < tvs.n; i++) {
		const struct tview *tv = &tvs.v[i];
		const struct ir_tunnel *t = tv->t;
		if (tv_gw(tv, 0) == tv_gw(tv, 1))
			continue;
		bool ikev1 = tunnel_ikev1(tv);
		for (int a = 0; a < 2; a++) {
			int b = 1 - a;
			const struct model_tunnel *mt = tv->mt[a];
			const struct ir_gateway *ga = tv_gw(tv, a), *gb = tv_gw(tv, b);
			if (!mt || !ga || ga->kind != GW_GATEWAY || !model_tunnel_local_ep(mt)->family)
				continue;
			struct ck_spd_out ea = ck_spd_out_of(tv->mg[a], mt);
			const struct platform_info *pa = ck_gw_platform(ga);
			char own[ADDR_STRLEN];
			ck_fmt_addr(model_tunnel_local_ep(mt), own);

			const ir_prefix_vec *remote = &t->end[a].remote;
			struct strbuf clear = STRBUF_INIT;
			size_t n_clear = 0;
			for (size_t r = 0; r < remote->n; r++) {
				struct ip_prefix rp = prefix_network(&remote->v[r].p);
				if (rp.addr.family != model_tunnel_local_ep(mt)->family)
					continue;
				/* The gateway's own ping toward the remote subnet. */
				struct probe_pkt p = {.src = *model_tunnel_local_ep(mt),
						      .dst = prefix_first_host(&rp), .proto = 1};
				if (prefix_contains_addr(&rp, model_tunnel_local_ep(mt)))
					continue;
				const struct spd_entry *e = probe_spd_tunnel(&ea, &p);
				if (!e) {
					/* The note is the model's word (it fires on sound
					 * configurations, where no engine is built;
					 * doc/checks.md), so it follows the engine's way:
					 * sourced from the route's interface, not noted
					 * when there is no route or its filter out drops it. */
					const struct model_gateway *mga = tv->mg[a];
					struct model_route scratch;
					const struct model_route *route =
						probe_route(mga, &p.dst, &scratch);
					const struct ir_interface *egress = probe_route_iface(mga, route);
					if (!route || route_tunnel_holds(route, &p))
						continue;
					if (egress && ir_iface_written(egress)->filter_out) {
						struct probe_pkt q = p;
						if (egress->has_address &&
						    egress->address.addr.family == q.dst.family)
							q.src = egress->address.addr;
						if (probe_filter(mga->platform, ir_iface_written(egress)->filter_out, true, &q).action ==
						    FILTER_DROP)
							continue;
					}
					char rt[ADDR_STRLEN];
					ck_fmt_prefix(&rp, rt);
					if (n_clear)
						strbuf_puts(&clear, ", ");
					strbuf_puts(&clear, rt);
					n_clear++;
					continue;
				}
				/* Entries the user wrote are selector-mirror's. */
				if (e->origin != ORIGIN_PLATFORM || !tv->mt[b])
					continue;
				const struct end_sel *nearest;
				struct end_sels eb;
				end_sels_of(tv->mg[b], tv->mt[b], &eb);
				const struct selector esel = spd_entry_sel(e);
				enum mirror_match m = find_mirror(&esel, ikev1, ck_gw_platform(gb),
								  tv->mt[b]->route_based, &eb, &nearest);
				end_sels_free(&eb);
				if (m == MIRROR_FULL)
					continue;

				/* The fate is the engine's: the gateway's own ping to
				 * the subnet's first host, as `tunc run` sends it. */
				char send[200], host[ADDR_STRLEN];
				ck_fmt_addr(&p.dst, host);
				snprintf(send, sizeof(send), "%s -> %s", ga->name, host);
				struct probe_result pr;
				bool probed = probe_send(ctx, send, &pr);
				if (probed && pr.verdict == VERDICT_PROTECTED)
					continue;       /* the far end accepts it after all */
				bool negotiates = !probed || (pr.verdict == VERDICT_DROPPED &&
							      pr.at_stage == STAGE_IKE);

				char filter[200], rt[ADDR_STRLEN];
				own_filter_name(ga, &esel, filter, sizeof(filter));
				ck_fmt_prefix(&rp, rt);
				const struct ir_tunnel_end *endb = &t->end[b];
				struct tunc_loc loc = endb->remote_set ? ir_end_written(endb)->remote_loc : ck_end_loc(t, b);
				/* What the gateway shows: the engine's words (ike_failure_text). */
				char peer[ADDR_STRLEN], words[300];
				ck_fmt_addr(model_tunnel_remote_ep(mt), peer);
				ike_failure_text(pa, ikev1 ? 1 : 2, IKE_FAIL_TS, peer, words, sizeof(words));
				struct diag *d;
				if (negotiates)
					d = check_report(ctx, loc,
						"%s protects its own traffic with the filter \"%s\", which %s "
						"adds on its own for tunnel %s, but %s has no filter for it: "
						"pings from %s to %s stay at \"%s\" forever",
						ga->name, filter, pa->description, t->name, ck_gw_name(gb),
						ga->name, rt, words);
				else
					d = check_report(ctx, loc,
						"%s protects its own traffic with the filter \"%s\", which %s "
						"adds on its own for tunnel %s, but %s has no filter for it: "
						"pings from %s to %s are not protected (%s)",
						ga->name, filter, pa->description, t->name, ck_gw_name(gb),
						ga->name, rt, pr.fate);
				ck_diag_names(d, t, ga, gb);
				diag_fix(d, "add %s to %s's remote (the external address of %s, as "
					 "seed 001 adds it to the remote site)", own, ck_gw_name(gb), ga->name);
				if (loc_known(e->loc))
					diag_related(d, e->loc, "%s's platform adds \"%s\" here: it protects "
						     "traffic from its external address %s to %s's remote "
						     "addresses", ga->name, filter, own, t->name);
				if (probed)
					probe_note(d, &pr, loc);
			}
			if (n_clear) {
				/* Neither end covers it: it leaves in clear toward an
				 * inner address.  A note, not a warning: every router
				 * does this unless told otherwise (doc/checks.md). */
				struct diag *d = check_report_sev(ctx, DIAG_NOTE, ck_end_remote_loc(t, a),
					"%s's own traffic from %s toward %s is covered by neither end "
					"of tunnel %s and leaves in clear toward an inner address",
					ga->name, own, strbuf_cstr(&clear), t->name);
				ck_diag_names(d, t, ga, gb);
				diag_fix(d, "test the tunnel from an inside address (ping with an inside "
					 "source), or add %s to %s's local and to %s's remote",
					 own, ga->name, ck_gw_name(gb));
			}
			strbuf_free(&clear);
		}
	}
	ck_tviews_free(&tvs);
}

/* ---- selector-overlap ---- */

/* The entries are sorted as pointers (8 bytes; the tunnel is the entry's
 * own e->tunnel), the stack holds 32-bit places: 2 MB less at a hub of
 * 100,000 spokes, with qsort's merge buffer, than entry and tunnel pairs
 * and a size_t stack (this check ran at lint's peak). */
static int ov_cmp(const void *x, const void *y)
{
	const struct spd_entry *a = *(const struct spd_entry *const *)x;
	const struct spd_entry *b = *(const struct spd_entry *const *)y;
	const struct ip_prefix *ad = spd_entry_dst(a), *bd = spd_entry_dst(b);
	if (ad->addr.family != bd->addr.family)
		return ad->addr.family < bd->addr.family ? -1 : 1;
	int c = addr_compare(&ad->addr, &bd->addr);
	if (c)
		return c;
	if (ad->len != bd->len)
		return ad->len < bd->len ? -1 : 1;
	return a < b ? -1 : a > b;     /* one array: SPD order */
}

/* Two tunnels go to different peers when their remote endpoints differ. */
static bool different_peer(const struct model_tunnel *a, const struct model_tunnel *b)
{
	if (a->ir == b->ir)
		return false;
	if (model_tunnel_peer(a) == model_tunnel_peer(b))
		return false;
	const struct ip_addr *ra = model_tunnel_remote_ep(a);
	if (ra->family && addr_equal(ra, model_tunnel_remote_ep(b)))
		return false;
	return true;
}

/* How far down the stack of enclosing entries one entry looks for a
 * conflict.  Prefixes nest at most 129 deep, so this bounds only runs of
 * identical destinations; it keeps the sweep O(n log n). */
#define OVERLAP_SCAN 64

static void overlap_gateway(struct check_ctx *ctx, const struct model_gateway *mg)
{
	size_t n = 0;
	for (size_t i = 0; i < model_spd_count(mg, SPD_OUT); i++) {
		const struct spd_entry *e = model_spd_entry(mg, SPD_OUT, i);
		n += e->action == SPD_PROTECT && e->tunnel;
	}
	if (n < 2)
		return;
	/* Places in v fit 32 bits: the SPD's places do (model_tunnel_spd). */
	const struct spd_entry **v = xmalloc(n * sizeof(*v));
	size_t k = 0;
	for (size_t i = 0; i < model_spd_count(mg, SPD_OUT); i++) {
		const struct spd_entry *e = model_spd_entry(mg, SPD_OUT, i);
		if (e->action == SPD_PROTECT && e->tunnel)
			v[k++] = e;
	}
	/* Sorted by destination, an entry's enclosing destinations precede it:
	 * a stack of them is every entry whose destination overlaps.  A hub's
	 * SPD is often in that order already (spokes numbered in order): then
	 * qsort, and its merge buffer as big as V, are not needed. */
	size_t sorted = 1;
	while (sorted < n && ov_cmp(&v[sorted - 1], &v[sorted]) < 0)
		sorted++;
	if (sorted < n)
		qsort(v, n, sizeof(*v), ov_cmp);
	uint32_t *stack = xmalloc(n * sizeof(*stack));
	size_t depth = 0;
	/* One finding per pair of tunnels: remember reported pairs. */
	struct dedup seen = {0};
	for (size_t i = 0; i < n; i++) {
		const struct spd_entry *e = v[i];
		while (depth && !prefix_contains(spd_entry_dst(v[stack[depth - 1]]), spd_entry_dst(e)))
			depth--;
		size_t scanned = 0;
		const struct selector esel = depth ? spd_entry_sel(e) : (struct selector){0};
		for (size_t s = depth; s-- > 0 && scanned < OVERLAP_SCAN; scanned++) {
			const struct spd_entry *o = v[stack[s]];
			if (!different_peer(e->tunnel, o->tunnel))
				continue;
			const struct selector osel = spd_entry_sel(o);
			if (!ck_selector_overlaps(&osel, &esel))
				continue;
			/* The earlier entry wins the packet; report at the later. */
			const struct spd_entry *first = o < e ? o : e;   /* SPD order */
			const struct spd_entry *later = first == o ? e : o;
			const struct model_tunnel *tf = first->tunnel, *tl = later->tunnel;
			const void *k1 = tf->ir < tl->ir ? (const void *)tf->ir : (const void *)tl->ir;
			const void *k2 = tf->ir < tl->ir ? (const void *)tl->ir : (const void *)tf->ir;
			if (ck_dedup_add(&seen, k1, k2, 0, 0)->count > 1)
				break;
			char sf[160], sl[160];
			selector_format(first == o ? &osel : &esel, sf, sizeof(sf));
			selector_format(first == o ? &esel : &osel, sl, sizeof(sl));
			struct diag *d = check_report(ctx, loc_or(later->loc, tl->ir->loc),
				"%s's tunnels %s (to %s) and %s (to %s) protect overlapping traffic: "
				"%s and %s; a packet in both goes to %s, whose entry comes first",
				ck_gw_name(mg->ir), tl->ir->name, ck_gw_name(model_tunnel_peer(tl)), tf->ir->name,
				ck_gw_name(model_tunnel_peer(tf)), sl, sf, ck_gw_name(model_tunnel_peer(tf)));
			ck_diag_names(d, tl->ir, mg->ir, model_tunnel_peer(tl));
			diag_gateway(d, ck_gw_name(model_tunnel_peer(tf)));
			diag_fix(d, "make the selectors of %s and %s disjoint (narrow one tunnel's "
				 "remote, or renumber the overlapping subnet)", tl->ir->name, tf->ir->name);
			if (loc_known(first->loc))
				diag_related(d, first->loc, "%s's overlapping selectors (%s) are here",
					     tf->ir->name, sf);
			break;
		}
		stack[depth++] = (uint32_t)i;
	}
	ck_dedup_free(&seen);
	free(stack);
	free(v);
}

/* A site's local and remote subnets overlap (remote `any`, a spoke that
 * sends everything to its hub, is not reported: traffic between local
 * hosts never reaches the gateway). */
static void overlap_end(struct check_ctx *ctx, const struct tview *tv, int a)
{
	const struct ir_tunnel *t = tv->t;
	const struct ir_tunnel_end *e = &t->end[a];
	if (!tv->mt[a])
		return;
	struct selector_pairs pairs = model_tunnel_selectors(tv->mt[a], 0);
	for (size_t i = 0; i < pairs.n; i++) {
		const struct selector_pair *p = &pairs.v[i];
		if (p->remote->is_any || p->local->is_any ||
		    !prefix_overlaps(&p->sel.src, &p->sel.dst))
			continue;
		char ls[ADDR_STRLEN], rs[ADDR_STRLEN];
		ck_fmt_prefix(&p->sel.src, ls);
		ck_fmt_prefix(&p->sel.dst, rs);
		struct tunc_loc loc = e->remote_set ? loc_or(p->remote->loc, ir_end_written(e)->remote_loc)
				      : e->local_set ? loc_or(p->local->loc, ir_end_written(e)->local_loc)
				      : ck_end_loc(t, a);
		struct diag *d = check_report(ctx, loc,
			"%s's local %s and remote %s in tunnel %s overlap: the tunnel would "
			"capture traffic between %s's own hosts",
			ck_gw_name(tv_gw(tv, a)), ls, rs, t->name, ck_gw_name(tv_gw(tv, a)));
		ck_diag_names(d, t, tv_gw(tv, a), tv_gw(tv, 1 - a));
		diag_fix(d, "make %s's local and remote disjoint in %s (renumber one site, "
			 "or narrow the remote)", ck_gw_name(tv_gw(tv, a)), t->name);
		return;
	}
}

void check_selector_overlap(struct check_ctx *ctx)
{
	if (ctx->model)
		for (size_t g = 0; g < ctx->model->gateways.n; g++)
			overlap_gateway(ctx, ctx->model->gateways.v[g]);
	struct tviews tvs;
	ck_tviews_build(ctx, &tvs);
	for (size_t i = 0; i < tvs.n; i++)
		for (int a = 0; a < 2; a++)
			if (tv_gw(&tvs.v[i], a) && (a == 0 || tv_gw(&tvs.v[i], 0) != tv_gw(&tvs.v[i], 1)))
				overlap_end(ctx, &tvs.v[i], a);
	ck_tviews_free(&tvs);
}

/* ---- cleartext-leak ---- */

/* The subnets behind gateway or peer G. */
static const ir_prefix_vec *subnets_of(const struct ir_gateway *g)
{
	if (!g)
		return NULL;
	if (g->kind == GW_PEER)
		return &g->subnets;
	return g->site ? &g->site->subnets : NULL;
}

void check_cleartext_leak(struct check_ctx *ctx)
{
	struct tviews tvs;
	ck_tviews_build(ctx, &tvs);
	for (size_t i = 0; i < tvs.n; i++) {
		const struct tview *tv = &tvs.v[i];
		const struct ir_tunnel *t = tv->t;
		if (tv_gw(tv, 0) == tv_gw(tv, 1))
			continue;
		for (int a = 0; a < 2; a++) {
			const struct ir_gateway *ga = tv_gw(tv, a), *gb = tv_gw(tv, 1 - a);
			const struct model_tunnel *mt = tv->mt[a];
			const struct ir_tunnel_end *e = &t->end[a];
			if (!mt || !ga || ga->kind != GW_GATEWAY || !tv->mg[a])
				continue;
			/* A route-based end has no selectors to leave traffic out:
			 * what its routes take past the tunnel interface is
			 * tunnel-route-missing's (checks_route_based.c). */
			if (mt->route_based)
				continue;
			const ir_prefix_vec *mine = subnets_of(ga), *theirs = subnets_of(gb);
			if (!mine || !theirs)
				continue;
			struct ck_spd_out ea = ck_spd_out_of(tv->mg[a], mt);
			/* Probe every pair of site subnets, with a protocol the
			 * selectors leave out when they are restricted. */
			unsigned proto = 1;
			if (e->proto != PROTO_ANY)
				proto = e->proto == 1 ? 17 : 1;
			for (size_t l = 0; l < mine->n; l++) {
				bool reported = false;
				for (size_t r = 0; r < theirs->n && !reported; r++) {
					struct ip_prefix lp = prefix_network(&mine->v[l].p);
					struct ip_prefix rp = prefix_network(&theirs->v[r].p);
					if (lp.addr.family != rp.addr.family || prefix_overlaps(&lp, &rp))
						continue;
					struct probe_pkt p = {.src = prefix_first_host(&lp),
							      .dst = prefix_first_host(&rp),
							      .proto = proto};
					if (probe_spd_tunnel(&ea, &p))
						continue;
					struct model_route scratch;
					const struct model_route *rt =
						probe_route(tv->mg[a], &p.dst, &scratch);
					if (!rt)
						continue;       /* unreachable, not leaked */
					const struct ir_interface *ifc = probe_route_iface(tv->mg[a], rt);
					if (!ifc || !ifc->outside)
						continue;       /* stays inside */
					struct filter_verdict fv =
						probe_filter(tv->mg[a]->platform, ir_iface_written(ifc)->filter_out, false, &p);
					if (fv.action == FILTER_DROP)
						continue;
					char ls[ADDR_STRLEN], rs[ADDR_STRLEN];
					ck_fmt_prefix(&lp, ls);
					ck_fmt_prefix(&rp, rs);
					bool local_left_out = !ck_prefix_list_has(&e->local, &lp, false);
					bool remote_left_out = !ck_prefix_list_has(&e->remote, &rp, false);
					struct diag *d;
					if (local_left_out || remote_left_out) {
						d = check_report(ctx, local_left_out ? ck_end_local_loc(t, a)
								 : ck_end_remote_loc(t, a),
							"traffic from %s (behind %s) to %s (behind %s) is not in "
							"tunnel %s's selectors at %s: it leaves %s by %s in clear",
							ls, ga->name, rs, ck_gw_name(gb), t->name,
							ga->name, ga->name, ifc->name);
						diag_fix(d, "add %s to %s's %s (and to %s's %s), or add 'drop %s -> "
							 "%s;' to the filter out of %s's %s",
							 local_left_out ? ls : rs, ga->name,
							 local_left_out ? "local" : "remote", ck_gw_name(gb),
							 local_left_out ? "remote" : "local", ls, rs, ga->name,
							 ifc->name);
					} else {
						char pr[40], sp[40];
						ck_fmt_proto(e->proto, e->port_lo, e->port_hi, sp, sizeof(sp));
						ck_fmt_proto(proto, 0, 0, pr, sizeof(pr));
						d = check_report(ctx, loc_or(ir_end_written(e)->protocol_loc, ck_end_loc(t, a)),
							"%s protects only %s between %s and %s in tunnel %s: "
							"other traffic between the sites (e.g. %s) leaves %s by "
							"%s in clear",
							ga->name, sp, ls, rs, t->name, pr, ga->name, ifc->name);
						diag_fix(d, "add 'drop %s -> %s;' after the tunnel's permits in "
							 "the filter out of %s's %s (seed 002's RRAS filters), or "
							 "remove the protocol restriction",
							 ls, rs, ga->name, ifc->name);
					}
					ck_diag_names(d, t, ga, gb);
					if (fv.rule)
						diag_related(d, fv.rule->loc, "this filter rule lets it through");
					reported = true;
				}
				if (reported && e->proto != PROTO_ANY)
					break;  /* one finding per end for a protocol restriction */
			}
		}
	}
	ck_tviews_free(&tvs);
}
