/* Checks comparing the two ends of a tunnel: ike-mismatch, ipsec-mismatch,
 * lifetime-mismatch, psk-mismatch.  Ends that use the same proposal or the
 * same `psk` statement agree by construction and are skipped; a tunnel
 * keyed by hand negotiates nothing, so its ends' first offers and keys must
 * simply be the same.  The finding is at the end to change: one configured
 * in a per-end block, preferring the second end of `between`. */
#include "config.h"
#include "check/checks.h"
#include "check/proposals.h"
#include "model/ike_answer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the two ends' proposals compared ---- */

/* The end whose proposal to change: one configured in a per-end block,
 * preferring the second end of `between` when both are. */
static int end_to_change(const struct ir_tunnel *t, const struct ir_ref *r0,
			 const struct ir_ref *r1, const struct ir_ref *tunnel_ref)
{
	bool own0 = loc_known(r0->loc) && !loc_same(r0->loc, tunnel_ref->loc);
	bool own1 = loc_known(r1->loc) && !loc_same(r1->loc, tunnel_ref->loc);
	(void)t;
	if (own0 && !own1)
		return 0;
	return 1;
}

static void fmt_duration(uint64_t s, char *buf, size_t size)
{
	if (s && s % 86400 == 0 && s >= 86400 * 2)
		snprintf(buf, size, "%llud", (unsigned long long)(s / 86400));
	else if (s && s % 3600 == 0)
		snprintf(buf, size, "%lluh", (unsigned long long)(s / 3600));
	else if (s && s % 60 == 0)
		snprintf(buf, size, "%llum", (unsigned long long)(s / 60));
	else
		snprintf(buf, size, "%llus", (unsigned long long)s);
}

struct field_diff {
	const char *field;
	struct tunc_loc loc[2];
	struct strbuf text;
};

static void diff_begin(struct field_diff *f, const char *field, struct tunc_loc l0,
		       struct tunc_loc l1)
{
	f->field = field;
	f->loc[0] = l0;
	f->loc[1] = l1;
	strbuf_reset(&f->text);
}

#define MAX_DIFFS 6

static void report_mismatch(struct check_ctx *ctx, const struct tview *tv, const char *kind,
			    const char *name0, const char *name1, struct tunc_loc prop_loc[2],
			    int change, struct field_diff *diffs, size_t n, const char *relation,
			    const char *consequence)
{
	const struct ir_tunnel *t = tv->t;
	const char *g0 = ck_gw_name(tv_gw(tv, 0)), *g1 = ck_gw_name(tv_gw(tv, 1));
	struct strbuf msg = STRBUF_INIT;
	for (size_t i = 0; i < n; i++)
		strbuf_printf(&msg, "%s%s differs (%s)", i ? ", " : "", diffs[i].field,
			      strbuf_cstr(&diffs[i].text));
	struct tunc_loc loc = loc_or(diffs[0].loc[change], prop_loc[change]);
	struct diag *d = check_report(ctx, loc,
		"the %s proposals of %s (%s %s) and %s (%s %s) for tunnel %s %s: %s; %s",
		kind, g0, kind, name0, g1, kind, name1, t->name, relation, strbuf_cstr(&msg),
		consequence);
	ck_diag_names(d, t, tv_gw(tv, 0), tv_gw(tv, 1));
	const char *keep = change ? name0 : name1;
	const char *who = change ? g1 : g0;
	diag_fix(d, "give both ends the same %s proposal: '%s %s;' in %s's block of tunnel %s, "
		 "or change %s %s to match", kind, kind, keep, who, t->name, kind,
		 change ? name1 : name0);
	struct tunc_loc other = loc_or(diffs[0].loc[1 - change], prop_loc[1 - change]);
	if (loc_known(other) && !loc_same(other, loc))
		diag_related(d, other, "%s's %s %s is here", change ? g0 : g1, kind,
			     change ? name0 : name1);
	strbuf_free(&msg);
}

void check_ike_mismatch(struct check_ctx *ctx)
{
	struct tviews tvs;
	ck_tviews_build(ctx, &tvs);
	struct field_diff diffs[MAX_DIFFS];
	for (size_t k = 0; k < MAX_DIFFS; k++)
		diffs[k].text = (struct strbuf)STRBUF_INIT;
	for (size_t i = 0; i < tvs.n; i++) {
		const struct tview *tv = &tvs.v[i];
		const struct ir_tunnel *t = tv->t;
		const struct ir_ike *p[2] = {ir_end_ike(&t->end[0]), ir_end_ike(&t->end[1])};
		if (!p[0] || !p[1] || p[0] == p[1] || tv_gw(tv, 0) == tv_gw(tv, 1) ||
		    pr_keyed_by_hand(tv->t))
			continue;       /* keyed by hand: no IKE runs */
		const char *g0 = ck_gw_name(tv_gw(tv, 0)), *g1 = ck_gw_name(tv_gw(tv, 1));
		size_t n = 0;
		if (p[0]->version != p[1]->version) {
			diff_begin(&diffs[n], "IKE version", p[0]->version_loc, p[1]->version_loc);
			strbuf_printf(&diffs[n++].text, "%s IKEv%u, %s IKEv%u", g0, p[0]->version,
				      g1, p[1]->version);
		} else if (p[0]->version == 1 &&
			   (!ike_mode_accepted(ck_gw_platform(tv_gw(tv, 1)), p[0]->mode, p[1]->mode) ||
			    !ike_mode_accepted(ck_gw_platform(tv_gw(tv, 0)), p[1]->mode, p[0]->mode))) {
			/* A responder that answers either mode (IOS) takes the
			 * other's; else the modes must be the same, as the engine
			 * asks (ike_mode_accepted). */
			diff_begin(&diffs[n], "mode", p[0]->mode_loc, p[1]->mode_loc);
			strbuf_printf(&diffs[n++].text, "%s %s, %s %s", g0,
				      p[0]->mode == IKE_MODE_MAIN ? "main" : "aggressive", g1,
				      p[1]->mode == IKE_MODE_MAIN ? "main" : "aggressive");
		}
		uint32_t e0 = ck_enc_vec_mask(&p[0]->encryption), e1 = ck_enc_vec_mask(&p[1]->encryption);
		if (!(e0 & e1)) {
			diff_begin(&diffs[n], "encryption", p[0]->encryption_loc, p[1]->encryption_loc);
			pr_sb_offers_pair(&diffs[n++].text, g0, g1, CAP_IKE_ENC, e0, e1);
		}
		uint32_t i0 = ck_integ_vec_mask(&p[0]->integrity), i1 = ck_integ_vec_mask(&p[1]->integrity);
		if (!(i0 & i1)) {
			diff_begin(&diffs[n], "integrity", p[0]->integrity_loc, p[1]->integrity_loc);
			pr_sb_offers_pair(&diffs[n++].text, g0, g1, CAP_IKE_INTEG, i0, i1);
		}
		uint64_t d0 = ck_group_vec_mask(&p[0]->group), d1 = ck_group_vec_mask(&p[1]->group);
		if (!(d0 & d1)) {
			diff_begin(&diffs[n], "DH group", p[0]->group_loc, p[1]->group_loc);
			pr_sb_offers_pair(&diffs[n++].text, g0, g1, CAP_GROUPS, d0, d1);
		}
		if (!n)
			continue;
		struct tunc_loc ploc[2] = {p[0]->loc, p[1]->loc};
		int change = end_to_change(t, ir_end_ike_ref(&t->end[0]), ir_end_ike_ref(&t->end[1]), &t->ike);
		report_mismatch(ctx, tv, "ike", p[0]->name, p[1]->name, ploc, change, diffs, n,
				"have nothing in common", p[0]->version == 1 && p[1]->version == 1
				? "IKEv1 needs one identical suite (encryption, integrity, group), so "
				  "main mode fails at its first exchange"
				: "IKE_SA_INIT fails with NO_PROPOSAL_CHOSEN");
	}
	for (size_t k = 0; k < MAX_DIFFS; k++)
		strbuf_free(&diffs[k].text);
	ck_tviews_free(&tvs);
}

static const char *ipsec_proto_name(enum ipsec_protocol p)
{
	return p == IPSEC_AH ? "ah" : "esp";
}

static enum encryption first_enc(const struct ir_ipsec *p)
{
	return p->protocol == IPSEC_ESP && p->encryption.n ? p->encryption.v[0] : ENC_NULL;
}

static enum integrity first_integ(const struct ir_ipsec *p)
{
	return p->integrity.n ? p->integrity.v[0] : INTEG_NONE;
}

/* Keyed by hand, each end installs its first offer: anything else is never
 * used, so the first offers must be the same. */
static void manual_mismatch(struct check_ctx *ctx, const struct tview *tv,
			    const struct ir_ipsec *const p[2], struct field_diff *diffs)
{
	const struct ir_tunnel *t = tv->t;
	const char *g0 = ck_gw_name(tv_gw(tv, 0)), *g1 = ck_gw_name(tv_gw(tv, 1));
	size_t n = 0;
	if (p[0]->protocol != p[1]->protocol) {
		diff_begin(&diffs[n], "protocol", p[0]->protocol_loc, p[1]->protocol_loc);
		strbuf_printf(&diffs[n++].text, "%s %s, %s %s", g0, ipsec_proto_name(p[0]->protocol),
			      g1, ipsec_proto_name(p[1]->protocol));
	} else {
		enum encryption e0 = first_enc(p[0]), e1 = first_enc(p[1]);
		if (p[0]->protocol == IPSEC_ESP && e0 != e1) {
			diff_begin(&diffs[n], "first encryption", p[0]->encryption_loc,
				   p[1]->encryption_loc);
			strbuf_printf(&diffs[n++].text, "%s %s, %s %s", g0, encryption_name(e0), g1,
				      encryption_name(e1));
		}
		enum integrity i0 = first_integ(p[0]), i1 = first_integ(p[1]);
		if (i0 != i1) {
			diff_begin(&diffs[n], "first integrity", p[0]->integrity_loc,
				   p[1]->integrity_loc);
			strbuf_printf(&diffs[n++].text, "%s %s, %s %s", g0, integrity_name(i0), g1,
				      integrity_name(i1));
		}
	}
	if (!n)
		return;
	struct tunc_loc ploc[2] = {p[0]->loc, p[1]->loc};
	int change = end_to_change(t, ir_end_ipsec_ref(&t->end[0]), ir_end_ipsec_ref(&t->end[1]), &t->ipsec);
	report_mismatch(ctx, tv, "ipsec", p[0]->name, p[1]->name, ploc, change, diffs, n,
			"start with different offers", "the tunnel is keyed by hand, so each end installs static SAs with its "
			"own first offer and neither can decapsulate what the other sends");
}

void check_ipsec_mismatch(struct check_ctx *ctx)
{
	struct tviews tvs;
	ck_tviews_build(ctx, &tvs);
	struct field_diff diffs[MAX_DIFFS];
	for (size_t k = 0; k < MAX_DIFFS; k++)
		diffs[k].text = (struct strbuf)STRBUF_INIT;
	for (size_t i = 0; i < tvs.n; i++) {
		const struct tview *tv = &tvs.v[i];
		const struct ir_tunnel *t = tv->t;
		const struct ir_ipsec *p[2] = {ir_end_ipsec(&t->end[0]), ir_end_ipsec(&t->end[1])};
		if (!p[0] || !p[1] || p[0] == p[1] || tv_gw(tv, 0) == tv_gw(tv, 1))
			continue;
		if (pr_keyed_by_hand(tv->t)) {
			manual_mismatch(ctx, tv, p, diffs);
			continue;
		}
		const char *g0 = ck_gw_name(tv_gw(tv, 0)), *g1 = ck_gw_name(tv_gw(tv, 1));
		size_t n = 0;
		if (p[0]->protocol != p[1]->protocol) {
			diff_begin(&diffs[n], "protocol", p[0]->protocol_loc, p[1]->protocol_loc);
			strbuf_printf(&diffs[n++].text, "%s %s, %s %s", g0,
				      ipsec_proto_name(p[0]->protocol), g1,
				      ipsec_proto_name(p[1]->protocol));
		} else if (p[0]->protocol == IPSEC_ESP) {
			uint32_t e0 = ck_enc_vec_mask(&p[0]->encryption), e1 = ck_enc_vec_mask(&p[1]->encryption);
			if (!(e0 & e1)) {
				diff_begin(&diffs[n], "encryption", p[0]->encryption_loc,
					   p[1]->encryption_loc);
				pr_sb_offers_pair(&diffs[n++].text, g0, g1, CAP_ESP_ENC, e0, e1);
			}
		}
		uint32_t i0 = ck_integ_vec_mask(&p[0]->integrity), i1 = ck_integ_vec_mask(&p[1]->integrity);
		if (p[0]->protocol == p[1]->protocol && !(i0 & i1)) {
			diff_begin(&diffs[n], "integrity", p[0]->integrity_loc, p[1]->integrity_loc);
			pr_sb_offers_pair(&diffs[n++].text, g0, g1, CAP_ESP_INTEG, i0, i1);
		}
		if (p[0]->pfs != p[1]->pfs) {
			diff_begin(&diffs[n], "PFS group", p[0]->pfs_loc, p[1]->pfs_loc);
			char a[16], b[16];
			snprintf(a, sizeof(a), p[0]->pfs ? "%u" : "none", p[0]->pfs);
			snprintf(b, sizeof(b), p[1]->pfs ? "%u" : "none", p[1]->pfs);
			strbuf_printf(&diffs[n++].text, "%s %s, %s %s", g0, a, g1, b);
		}
		if (!n)
			continue;
		struct tunc_loc ploc[2] = {p[0]->loc, p[1]->loc};
		int change = end_to_change(t, ir_end_ipsec_ref(&t->end[0]), ir_end_ipsec_ref(&t->end[1]), &t->ipsec);
		/* IKEv2 and only PFS differs: the first CHILD_SA rides in IKE_AUTH,
		 * which has no key exchange (RFC 7296 §1.2), so it comes up; the
		 * first rekey (CREATE_CHILD_SA with KE) fails, at the rekey time of
		 * the end that rekeys first (ike_first_rekey_s, as the engine's
		 * trace says).  charon agrees (tests/swanctl-differential.sh,
		 * pfs-one-side). */
		const struct ir_ike *k0 = ir_end_ike(&t->end[0]), *k1 = ir_end_ike(&t->end[1]);
		char rekey[300];
		const char *consequence = "phase 1 comes up but quick mode fails (NO_PROPOSAL_CHOSEN)";
		if (n == 1 && p[0]->pfs != p[1]->pfs && k0 && k1 && k0->version == 2 &&
		    k1->version == 2) {
			uint64_t at = ike_first_rekey_s(ck_gw_platform(tv_gw(tv, 0)), p[0]->lifetime_s,
							ck_gw_platform(tv_gw(tv, 1)), p[1]->lifetime_s);
			snprintf(rekey, sizeof(rekey), "with IKEv2 the first CHILD_SA rides in IKE_AUTH "
				 "without a key exchange and comes up, then its first rekey fails "
				 "(NO_PROPOSAL_CHOSEN) at %llu s, when the first end rekeys it, and the "
				 "tunnel drops", (unsigned long long)at);
			consequence = rekey;
		}
		report_mismatch(ctx, tv, "ipsec", p[0]->name, p[1]->name, ploc, change, diffs, n,
				"have nothing in common", consequence);
	}
	for (size_t k = 0; k < MAX_DIFFS; k++)
		strbuf_free(&diffs[k].text);
	ck_tviews_free(&tvs);
}

/* ---- lifetime-mismatch ---- */

static void lifetime_report(struct check_ctx *ctx, const struct tview *tv, const char *kind,
			    const char *phase, const char *n0, const char *n1, const char *v0,
			    const char *v1, struct tunc_loc l0, struct tunc_loc l1, int change)
{
	const struct ir_tunnel *t = tv->t;
	const char *g0 = ck_gw_name(tv_gw(tv, 0)), *g1 = ck_gw_name(tv_gw(tv, 1));
	struct tunc_loc loc = change ? l1 : l0;
	struct diag *d = check_report(ctx, loc,
		"the %s lifetimes of tunnel %s differ: %s %s (%s %s), %s %s (%s %s); the ends "
		"rekey at different times, re-keying can collide and the tunnel drops "
		"periodically",
		phase, t->name, g0, v0, kind, n0, g1, v1, kind, n1);
	ck_diag_names(d, t, tv_gw(tv, 0), tv_gw(tv, 1));
	diag_fix(d, "set 'lifetime %s;' in %s %s, as at %s", change ? v0 : v1, kind,
		 change ? n1 : n0, change ? g0 : g1);
	struct tunc_loc other = change ? l0 : l1;
	if (loc_known(other) && !loc_same(other, loc))
		diag_related(d, other, "%s's lifetime is here", change ? g0 : g1);
}

/* IKEv1 phase 1 where end R's platform matches a policy only if the
 * initiator's lifetime is no longer than its own: the other end's
 * negotiations fail, R's own come up. */
static void lifetime_refused(struct check_ctx *ctx, const struct tview *tv, int r,
			     const struct ir_ike *mine, const struct ir_ike *theirs,
			     const char *v_mine, const char *v_theirs)
{
	const struct ir_tunnel *t = tv->t;
	const char *gr = ck_gw_name(tv_gw(tv, r)), *go = ck_gw_name(tv_gw(tv, 1 - r));
	const struct platform_info *pr = ck_gw_platform(tv_gw(tv, r));
	struct tunc_loc loc = loc_or(theirs->lifetime_loc, theirs->loc);
	struct diag *d = check_report_sev(ctx, DIAG_ERROR, loc,
		"the phase 1 lifetimes of tunnel %s differ: %s %s (ike %s), %s %s (ike %s); "
		"%s (%s) matches a phase 1 policy only if the initiator's lifetime is no longer "
		"than its own, so main mode started by %s fails (no proposal chosen) and only "
		"%s can bring the tunnel up",
		t->name, go, v_theirs, theirs->name, gr, v_mine, mine->name, gr,
		pr ? pr->description : "its platform", go, gr);
	ck_diag_names(d, t, tv_gw(tv, 0), tv_gw(tv, 1));
	diag_fix(d, "set 'lifetime %s;' in ike %s, as at %s (or shorter)", v_mine, theirs->name, gr);
	struct tunc_loc other = loc_or(mine->lifetime_loc, mine->loc);
	if (loc_known(other) && !loc_same(other, loc))
		diag_related(d, other, "%s's lifetime is here", gr);
}

void check_lifetime_mismatch(struct check_ctx *ctx)
{
	struct tviews tvs;
	ck_tviews_build(ctx, &tvs);
	for (size_t i = 0; i < tvs.n; i++) {
		const struct tview *tv = &tvs.v[i];
		const struct ir_tunnel *t = tv->t;
		if (tv_gw(tv, 0) == tv_gw(tv, 1) || pr_keyed_by_hand(tv->t))
			continue;       /* static SAs never expire nor rekey */
		const struct ir_ike *k0 = ir_end_ike(&t->end[0]), *k1 = ir_end_ike(&t->end[1]);
		if (k0 && k1 && k0 != k1 && k0->lifetime_s != k1->lifetime_s) {
			char a[32], b[32];
			fmt_duration(k0->lifetime_s, a, sizeof(a));
			fmt_duration(k1->lifetime_s, b, sizeof(b));
			int change = end_to_change(t, ir_end_ike_ref(&t->end[0]), ir_end_ike_ref(&t->end[1]), &t->ike);
			/* The end with the shorter lifetime refusing the longer one
			 * (Cisco: ike_lifetime_accepted), as the engine does. */
			int strict = -1;
			for (int r = 0; r < 2 && k0->version == k1->version; r++) {
				const struct ir_ike *mine = r ? k1 : k0, *theirs = r ? k0 : k1;
				if (!ike_lifetime_accepted(ck_gw_platform(tv_gw(tv, r)), mine->version,
							   theirs->lifetime_s, mine->lifetime_s))
					strict = r;
			}
			if (strict >= 0) {
				lifetime_refused(ctx, tv, strict, strict ? k1 : k0, strict ? k0 : k1,
						 strict ? b : a, strict ? a : b);
			} else {
				lifetime_report(ctx, tv, "ike", "phase 1", k0->name, k1->name, a, b,
						loc_or(k0->lifetime_loc, k0->loc),
						loc_or(k1->lifetime_loc, k1->loc), change);
			}
		}
		const struct ir_ipsec *s0 = ir_end_ipsec(&t->end[0]), *s1 = ir_end_ipsec(&t->end[1]);
		if (s0 && s1 && s0 != s1 &&
		    (s0->lifetime_s != s1->lifetime_s || s0->lifetime_kb != s1->lifetime_kb)) {
			char a[48], b[48];
			fmt_duration(s0->lifetime_s, a, sizeof(a));
			fmt_duration(s1->lifetime_s, b, sizeof(b));
			if (s0->lifetime_kb || s1->lifetime_kb) {
				size_t la = strlen(a), lb = strlen(b);
				snprintf(a + la, sizeof(a) - la, " %lluK", (unsigned long long)s0->lifetime_kb);
				snprintf(b + lb, sizeof(b) - lb, " %lluK", (unsigned long long)s1->lifetime_kb);
			}
			int change = end_to_change(t, ir_end_ipsec_ref(&t->end[0]), ir_end_ipsec_ref(&t->end[1]), &t->ipsec);
			lifetime_report(ctx, tv, "ipsec", "phase 2", s0->name, s1->name, a, b,
					loc_or(s0->lifetime_loc, s0->loc), loc_or(s1->lifetime_loc, s1->loc),
					change);
		}
	}
	ck_tviews_free(&tvs);
}

/* ---- psk-mismatch ---- */

static bool same_psk_statement(const struct ir_psk *a, const struct ir_psk *b)
{
	if (a->source != b->source || !a->value || !b->value || strcmp(a->value, b->value))
		return false;
	/* A relative file name means the same file only from the same file. */
	return a->source != PSK_FILE || a->value[0] == '/' || a->loc.file == b->loc.file;
}

void check_psk_mismatch(struct check_ctx *ctx)
{
	for (size_t i = 0; i < ctx->ir->tunnels.n; i++) {
		const struct ir_tunnel *t = ctx->ir->tunnels.v[i];
		const struct ir_psk *k0 = ir_end_psk(&t->end[0]), *k1 = ir_end_psk(&t->end[1]);
		const struct ir_gateway *g0 = ir_end_gateway(&t->end[0]), *g1 = ir_end_gateway(&t->end[1]);
		if (g0 == g1 || k0->source == PSK_NONE || k1->source == PSK_NONE ||
		    same_psk_statement(k0, k1))
			continue;
		struct secret a = {0}, b = {0};
		bool ok = ck_psk_read(ctx, k0, &a) && ck_psk_read(ctx, k1, &b);
		bool differ = ok && !secret_equal(&a, &b);
		secret_free(&a);
		secret_free(&b);
		if (!differ)
			continue;       /* equal, or unreadable (reported where it is read) */
		char s0[300], s1[300];
		ck_fmt_psk_source(k0, s0, sizeof(s0));
		ck_fmt_psk_source(k1, s1, sizeof(s1));
		int change = loc_known(k1->loc) && !loc_same(k1->loc, t->psk.loc) ? 1
			   : loc_known(k0->loc) && !loc_same(k0->loc, t->psk.loc) ? 0 : 1;
		const struct ir_psk *kc = change ? k1 : k0, *ko = change ? k0 : k1;
		struct diag *d;
		if (pr_keyed_by_hand(t))
			d = check_report(ctx, loc_or(kc->loc, t->loc),
				"the pre-shared keys of %s (%s) and %s (%s) for tunnel %s differ "
				"(tunc compared them without printing either); the tunnel is keyed "
				"by hand and each end derives its SA keys from its own key, so what "
				"one end sends fails the other's integrity check",
				ck_gw_name(g0), s0, ck_gw_name(g1), s1, t->name);
		else
			d = check_report(ctx, loc_or(kc->loc, t->loc),
				"the pre-shared keys of %s (%s) and %s (%s) for tunnel %s differ, so "
				"phase 1 authentication fails (tunc compared them without printing "
				"either)", ck_gw_name(g0), s0, ck_gw_name(g1), s1, t->name);
		ck_diag_names(d, t, g0, g1);
		diag_fix(d, "use one key for both ends: a single 'psk' on tunnel %s instead of "
			 "per-end keys, or copy %s's key to %s", t->name,
			 ck_gw_name(change ? g0 : g1), ck_gw_name(change ? g1 : g0));
		if (loc_known(ko->loc) && !loc_same(ko->loc, kc->loc))
			diag_related(d, ko->loc, "%s's key is configured here", ck_gw_name(change ? g0 : g1));
	}
}
