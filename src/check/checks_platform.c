/* Checks about what platforms can run: platform-unsupported (a gateway's
 * platform cannot do what its tunnel asks) and no-common-proposal (two
 * platforms share no suite at all).  What a platform offers is its row of
 * the platform table (src/model/platform.c). */
#include "config.h"
#include "check/checks.h"
#include "check/proposals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- platform-unsupported ---- */

enum feature {
	F_VERSION, F_AGGRESSIVE, F_IKE_ENC, F_IKE_INTEG, F_GROUP, F_AH, F_ESP_ENC,
	F_ESP_INTEG, F_PFS, F_IPV6, F_DYNAMIC, F_ROUTE_BASED,
};

/* One finding per (proposal or tunnel, platform row, feature): a hub's
 * proposal used by many spokes of one platform is reported once. */
struct unsupported {
	struct dedup seen;
};

static bool first_time(struct unsupported *u, const void *what, const struct platform_info *p,
		       enum feature f)
{
	return ck_dedup_add(&u->seen, what, p, f, 0)->count == 1;
}

static void unsupported_report(struct check_ctx *ctx, const struct tview *tv, int a,
			       struct tunc_loc loc, bool some_left, const char *fix,
			       const char *fmt_what, const char *offers)
{
	const struct ir_gateway *g = tv_gw(tv, a);
	const struct platform_info *p = ck_gw_platform(g);
	struct diag *d = check_report_sev(ctx, some_left ? DIAG_WARNING : DIAG_ERROR, loc,
		"%s (%s) in tunnel %s cannot %s: %s offers %s%s",
		g->name, p->description, tv->t->name, fmt_what, p->description, offers,
		some_left ? "; it will offer only the rest of the list" : "");
	ck_diag_names(d, tv->t, g, tv_gw(tv, 1 - a));
	diag_fix(d, "%s", fix);
	if (loc_known(g->platform_loc))
		diag_related(d, g->platform_loc, "%s's platform is %s", g->name, p->description);
}

static bool end_has_ipv6(const struct ir_tunnel_end *e)
{
	for (size_t i = 0; i < e->local.n; i++)
		if (e->local.v[i].p.addr.family == AF_V6)
			return true;
	for (size_t i = 0; i < e->remote.n; i++)
		if (e->remote.v[i].p.addr.family == AF_V6)
			return true;
	return (e->local_endpoint_known && e->local_endpoint.family == AF_V6) ||
	       (e->remote_endpoint_known && e->remote_endpoint.family == AF_V6);
}

/* `route-based` on a platform without tunnel interfaces; IPv6 through a
 * policy (a crypto map) on one that protects IPv6 only through them. */
static void unsupported_tunnel_interface(struct check_ctx *ctx, struct unsupported *u,
					 const struct tview *tv, int a)
{
	const struct ir_gateway *g = tv_gw(tv, a);
	const struct platform_info *p = ck_gw_platform(g);
	const struct ir_tunnel_end *e = &tv->t->end[a];
	char what[200], fix[300];
	if (ir_end_route_based(e)->set && !platform_route_based_at(p, g->version) &&
	    first_time(u, tv->t, p, F_ROUTE_BASED + 16u * (unsigned)a)) {
		/* Where a later version has tunnel interfaces (ASA 9.8), say so. */
		char offers[120] = "policy-based tunnels only";
		snprintf(what, sizeof(what), "be route-based (a tunnel interface)");
		snprintf(fix, sizeof(fix), "make %s's end policy-based: move `route-based` into the "
			 "other end's block of tunnel %s", g->name, tv->t->name);
		if (p->route_based_since) {
			snprintf(what, sizeof(what), "be route-based (a tunnel interface) at version %s",
				 g->version ? g->version : "?");
			snprintf(offers, sizeof(offers), "virtual tunnel interfaces from %s on only",
				 p->route_based_since);
			size_t n = strlen(fix);
			snprintf(fix + n, sizeof(fix) - n, ", or upgrade %s to %s or later", g->name,
				 p->route_based_since);
		}
		unsupported_report(ctx, tv, a, ir_end_route_based(e)->loc, false, fix, what, offers);
	}
}

static void unsupported_end(struct check_ctx *ctx, struct unsupported *u,
			    const struct tview *tv, int a)
{
	const struct ir_gateway *g = tv_gw(tv, a);
	const struct platform_info *p = ck_gw_platform(g);
	const struct ir_tunnel_end *e = &tv->t->end[a];
	const struct ir_ike *ike = ir_end_ike(e);
	const struct ir_ipsec *ipsec = ir_end_ipsec(e);
	/* Built to their length: proposal and gateway names have no limit. */
	struct strbuf what = STRBUF_INIT, fix = STRBUF_INIT;
	struct strbuf offers = STRBUF_INIT, bad = STRBUF_INIT;

	if (ike && !(p->ike_versions & BIT(ike->version)) && first_time(u, ike, p, F_VERSION)) {
		ck_sb_version_mask(&offers, p->ike_versions);
		strbuf_reset(&what), strbuf_printf(&what, "run IKEv%u (ike %s)", ike->version, ike->name);
		strbuf_reset(&fix), strbuf_printf(&fix, "use 'version 1;' for %s: give it its own ike proposal "
			 "in tunnel %s, or upgrade it", g->name, tv->t->name);
		unsupported_report(ctx, tv, a, loc_or(ike->version_loc, ike->loc), false, strbuf_cstr(&fix), strbuf_cstr(&what),
				   strbuf_cstr(&offers));
		strbuf_reset(&offers);
	}
	if (ike && ike->version == 1 && ike->mode == IKE_MODE_AGGRESSIVE && !p->aggressive_mode &&
	    first_time(u, ike, p, F_AGGRESSIVE)) {
		strbuf_reset(&what), strbuf_printf(&what, "run aggressive mode (ike %s)", ike->name);
		strbuf_reset(&fix), strbuf_printf(&fix, "use 'mode main;' in ike %s", ike->name);
		unsupported_report(ctx, tv, a, loc_or(ike->mode_loc, ike->loc), false, strbuf_cstr(&fix), strbuf_cstr(&what),
				   "main mode only");
	}

	/* Algorithm lists: the offers the platform cannot run. */
#define LIST_CHECK(vec, mask, feat, sb_fn, label, kw, prop, locfield)          \
	do {                                                                            \
		uint32_t have = 0, miss = 0;                                            \
		for (size_t i_ = 0; i_ < (vec).n; i_++) {                               \
			if ((mask) & BIT((vec).v[i_]))                                  \
				have |= BIT((vec).v[i_]);                               \
			else                                                            \
				miss |= BIT((vec).v[i_]);                               \
		}                                                                       \
		if (miss && first_time(u, prop, p, feat)) {                             \
			sb_fn(&bad, miss);                                              \
			sb_fn(&offers, mask);                                           \
			strbuf_reset(&what), strbuf_printf(&what, "use %s for %s (%s %s)",           \
				 strbuf_cstr(&bad), label, kw, (prop)->name);           \
			strbuf_reset(&fix), strbuf_printf(&fix, "choose from what %s offers in %s %s "  \
				 "(or give %s its own proposal in tunnel %s), or upgrade it", \
				 p->description, kw, (prop)->name, g->name, tv->t->name); \
			unsupported_report(ctx, tv, a, loc_or((prop)->locfield, (prop)->loc), \
					   have != 0, strbuf_cstr(&fix), strbuf_cstr(&what), strbuf_cstr(&offers)); \
			strbuf_reset(&offers);                                          \
			strbuf_reset(&bad);                                             \
		}                                                                       \
	} while (0)

	if (ike) {
		LIST_CHECK(ike->encryption, p->ike_encryption, F_IKE_ENC,
			   ck_sb_enc_mask, "IKE", "ike", ike, encryption_loc);
		LIST_CHECK(ike->integrity, p->ike_integrity, F_IKE_INTEG,
			   ck_sb_integ_mask, "IKE", "ike", ike, integrity_loc);
		uint64_t have = 0, miss = 0;
		for (size_t i = 0; i < ike->group.n; i++) {
			uint64_t bit = ike->group.v[i] < 64 ? UINT64_C(1) << ike->group.v[i] : 0;
			if (p->dh_groups & bit)
				have |= bit;
			else
				miss |= bit;
		}
		if (miss && first_time(u, ike, p, F_GROUP)) {
			strbuf_puts(&bad, "DH group ");
			ck_sb_group_mask(&bad, miss);
			ck_sb_group_mask(&offers, p->dh_groups);
			strbuf_reset(&what), strbuf_printf(&what, "use %s (ike %s)", strbuf_cstr(&bad), ike->name);
			strbuf_reset(&fix), strbuf_printf(&fix, "choose a group %s offers in ike %s (or give %s its "
				 "own proposal in tunnel %s), or upgrade it", p->description, ike->name,
				 g->name, tv->t->name);
			unsupported_report(ctx, tv, a, loc_or(ike->group_loc, ike->loc), have != 0, strbuf_cstr(&fix),
					   strbuf_cstr(&what), strbuf_cstr(&offers));
			strbuf_reset(&offers);
			strbuf_reset(&bad);
		}
	}
	if (ipsec) {
		if (ipsec->protocol == IPSEC_AH && !p->ah && first_time(u, ipsec, p, F_AH)) {
			strbuf_reset(&what), strbuf_printf(&what, "use AH (ipsec %s)", ipsec->name);
			strbuf_reset(&fix), strbuf_printf(&fix, "use 'protocol esp;' in ipsec %s", ipsec->name);
			unsupported_report(ctx, tv, a, loc_or(ipsec->protocol_loc, ipsec->loc), false,
					   strbuf_cstr(&fix), strbuf_cstr(&what), "ESP only");
		}
		if (ipsec->protocol == IPSEC_ESP)
			LIST_CHECK(ipsec->encryption, p->esp_encryption, F_ESP_ENC,
				   ck_sb_enc_mask, "ESP", "ipsec", ipsec, encryption_loc);
		LIST_CHECK(ipsec->integrity, p->esp_integrity, F_ESP_INTEG,
			   ck_sb_integ_mask, "ESP", "ipsec", ipsec, integrity_loc);
		if (ipsec->pfs && !platform_has_pfs_group(p, ipsec->pfs) && first_time(u, ipsec, p, F_PFS)) {
			ck_sb_group_mask(&offers, p->rules && p->rules->pfs_groups ? p->rules->pfs_groups : p->dh_groups);
			strbuf_reset(&what), strbuf_printf(&what, "use PFS group %u (ipsec %s)", ipsec->pfs, ipsec->name);
			strbuf_reset(&fix), strbuf_printf(&fix, "choose a PFS group %s offers in ipsec %s",
				 p->description, ipsec->name);
			unsupported_report(ctx, tv, a, loc_or(ipsec->pfs_loc, ipsec->loc), false, strbuf_cstr(&fix),
					   strbuf_cstr(&what), strbuf_cstr(&offers));
			strbuf_reset(&offers);
		}
	}
#undef LIST_CHECK
	if (!p->ipv6 && end_has_ipv6(e) && first_time(u, tv->t, p, F_IPV6 + 16u * (unsigned)a)) {
		strbuf_reset(&what), strbuf_printf(&what, "protect IPv6 traffic");
		strbuf_reset(&fix), strbuf_printf(&fix, "use IPv4 selectors and endpoints for %s, or upgrade it",
			 g->name);
		unsupported_report(ctx, tv, a, loc_or(ir_end_written(e)->local_loc, ck_end_loc(tv->t, a)), false, strbuf_cstr(&fix),
				   strbuf_cstr(&what), "IPv4 only");
	}
	if (!p->dynamic_endpoint && !e->remote_endpoint_known &&
	    first_time(u, tv->t, p, F_DYNAMIC + 16u * (unsigned)a)) {
		strbuf_reset(&what), strbuf_printf(&what, "use a tunnel endpoint whose address is not known "
			 "(%s's)", ck_gw_name(tv_gw(tv, 1 - a)));
		strbuf_reset(&fix), strbuf_printf(&fix, "give %s a static address (a Windows tunnel rule names "
			 "the endpoint's address)", ck_gw_name(tv_gw(tv, 1 - a)));
		unsupported_report(ctx, tv, a, ck_end_loc(tv->t, a), false, strbuf_cstr(&fix), strbuf_cstr(&what),
				   "static endpoints only");
	}
	unsupported_tunnel_interface(ctx, u, tv, a);
	strbuf_free(&offers);
	strbuf_free(&bad);
	strbuf_free(&what);
	strbuf_free(&fix);
}

void check_platform_unsupported(struct check_ctx *ctx)
{
	struct tviews tvs;
	ck_tviews_build(ctx, &tvs);
	struct unsupported u = {{0}};
	for (size_t i = 0; i < tvs.n; i++)
		for (int a = 0; a < 2; a++)
			if (tv_gw(&tvs.v[i], a) && (a == 0 || tv_gw(&tvs.v[i], 0) != tv_gw(&tvs.v[i], 1)))
				unsupported_end(ctx, &u, &tvs.v[i], a);
	ck_dedup_free(&u.seen);
	ck_tviews_free(&tvs);
}

/* ---- no-common-proposal ---- */

void check_no_common_proposal(struct check_ctx *ctx)
{
	struct tviews tvs;
	ck_tviews_build(ctx, &tvs);
	for (size_t i = 0; i < tvs.n; i++) {
		const struct tview *tv = &tvs.v[i];
		const struct ir_gateway *g0 = tv_gw(tv, 0), *g1 = tv_gw(tv, 1);
		if (!pr_platform_known(g0) || !pr_platform_known(g1) || g0->pinfo == g1->pinfo)
			continue;
		const struct platform_info *p0 = g0->pinfo, *p1 = g1->pinfo;
		struct caps c = pr_caps_and(pr_platform_caps(p0), pr_platform_caps(p1));
		struct strbuf what = STRBUF_INIT;
#define EMPTY(cond, label, sbfn, f0, f1)                                               \
	do {                                                                           \
		if (cond) {                                                            \
			strbuf_printf(&what, "%s%s: %s offers ", what.len ? "; " : "",  \
				      label, g0->name);                                 \
			sbfn(&what, f0);                                                \
			strbuf_printf(&what, ", %s offers ", g1->name);                 \
			sbfn(&what, f1);                                                \
		}                                                                      \
	} while (0)
		EMPTY(!c.versions, "IKE version", ck_sb_version_mask, p0->ike_versions, p1->ike_versions);
		EMPTY(!c.ike_enc, "IKE encryption", ck_sb_enc_mask, p0->ike_encryption, p1->ike_encryption);
		EMPTY(!c.ike_integ, "IKE integrity", ck_sb_integ_mask, p0->ike_integrity, p1->ike_integrity);
		EMPTY(!c.groups, "DH group", ck_sb_group_mask, p0->dh_groups, p1->dh_groups);
		EMPTY(!(c.esp_enc & ~BIT(ENC_NULL)), "ESP encryption", ck_sb_enc_mask,
		      p0->esp_encryption, p1->esp_encryption);
		EMPTY(!(c.esp_integ & ~BIT(INTEG_NONE)), "ESP integrity", ck_sb_integ_mask,
		      p0->esp_integrity, p1->esp_integrity);
#undef EMPTY
		if (what.len) {
			struct diag *d = check_report(ctx, loc_or(tv->t->between_loc, tv->t->loc),
				"%s (%s) and %s (%s) share no proposal for tunnel %s: %s",
				g0->name, p0->description, g1->name, p1->description, tv->t->name,
				strbuf_cstr(&what));
			ck_diag_names(d, tv->t, g0, g1);
			diag_fix(d, "upgrade one end so that the two platforms share at least one "
				 "suite");
		}
		strbuf_free(&what);
	}
	ck_tviews_free(&tvs);
}
