/* Checks about what the two ends negotiate: ike-mismatch, ipsec-mismatch,
 * lifetime-mismatch, psk-mismatch, platform-unsupported, no-common-proposal,
 * weak-dh-group, weak-cipher, weak-integrity, no-pfs.
 *
 * Strength follows RFC 8221 (ESP/AH) and RFC 8247 (IKEv2), which IKEv1
 * configurations are held to as well: DES and MD5 are MUST NOT, 3DES is
 * SHOULD NOT for ESP (MAY for IKE), HMAC-SHA1 is MUST- (on its way out),
 * DH group 1 MUST NOT, groups 2 and 5 SHOULD NOT, group 14 MUST, 19 SHOULD.
 * A weak choice is told apart from a platform that can do no better: the
 * finding says which, and what the platforms offer. */
#include "config.h"
#include "check/checks.h"
#include "check/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- what a tunnel's two platforms can both run ---- */

struct caps {
	unsigned versions;
	uint32_t ike_enc, ike_integ, esp_enc, esp_integ;
	uint64_t groups;
	bool ah;
};

static struct caps platform_caps(const struct platform_info *p)
{
	return (struct caps){p->ike_versions, p->ike_encryption, p->ike_integrity,
			     p->esp_encryption, p->esp_integrity, p->dh_groups, p->ah};
}

static struct caps caps_and(struct caps a, struct caps b)
{
	return (struct caps){a.versions & b.versions, a.ike_enc & b.ike_enc,
			     a.ike_integ & b.ike_integ, a.esp_enc & b.esp_enc,
			     a.esp_integ & b.esp_integ, a.groups & b.groups, a.ah && b.ah};
}

static void caps_or(struct caps *a, struct caps b)
{
	a->versions |= b.versions;
	a->ike_enc |= b.ike_enc;
	a->ike_integ |= b.ike_integ;
	a->esp_enc |= b.esp_enc;
	a->esp_integ |= b.esp_integ;
	a->groups |= b.groups;
	a->ah = a->ah || b.ah;
}

static struct caps tunnel_caps(const struct tview *tv)
{
	return caps_and(platform_caps(ck_gw_platform(tv->gw[0])), platform_caps(ck_gw_platform(tv->gw[1])));
}

/* ---- strength ---- */

enum { RANK_GOOD = 3 };

static int enc_rank(unsigned e)
{
	switch (e) {
	case ENC_NULL: return 0;
	case ENC_DES: return 1;
	case ENC_3DES: return 2;
	default: return RANK_GOOD;
	}
}

static int integ_rank(unsigned i)
{
	switch (i) {
	case INTEG_MD5: return 1;
	case INTEG_SHA1: return 2;
	default: return RANK_GOOD;      /* SHA-2, or none beside an AEAD cipher */
	}
}

static int group_rank(unsigned g)
{
	switch (g) {
	case 1: return 0;
	case 2: return 1;
	case 5: return 2;
	default: return RANK_GOOD;
	}
}

/* Members of MASK ranked above RANK; the best of them in *BEST. */
static uint64_t better_than(uint64_t mask, unsigned width, int (*rank)(unsigned), int r)
{
	uint64_t out = 0;
	for (unsigned i = 0; i < width; i++)
		if ((mask & (UINT64_C(1) << i)) && rank(i) > r)
			out |= UINT64_C(1) << i;
	return out;
}

/* The groups to recommend, most preferred first (RFC 8247: 19 SHOULD, 14
 * MUST). */
static unsigned best_group(uint64_t mask)
{
	static const unsigned pref[] = {19, 20, 14, 21, 16, 15, 5, 2, 1};
	for (size_t i = 0; i < sizeof(pref) / sizeof(pref[0]); i++)
		if (mask & (UINT64_C(1) << pref[i]))
			return pref[i];
	return 0;
}

static enum encryption best_enc(uint32_t mask, bool esp)
{
	static const enum encryption pref_esp[] = {ENC_AES256_GCM, ENC_AES128_GCM, ENC_AES256,
						   ENC_AES128, ENC_AES192, ENC_3DES, ENC_DES};
	static const enum encryption pref_ike[] = {ENC_AES256, ENC_AES128, ENC_AES192,
						   ENC_AES256_GCM, ENC_AES128_GCM, ENC_3DES, ENC_DES};
	const enum encryption *pref = esp ? pref_esp : pref_ike;
	for (size_t i = 0; i < 7; i++)
		if (mask & BIT(pref[i]))
			return pref[i];
	return ENC_NULL;
}

static enum integrity best_integ(uint32_t mask)
{
	static const enum integrity pref[] = {INTEG_SHA256, INTEG_SHA384, INTEG_SHA512,
					      INTEG_SHA1, INTEG_MD5};
	for (size_t i = 0; i < sizeof(pref) / sizeof(pref[0]); i++)
		if (mask & BIT(pref[i]))
			return pref[i];
	return INTEG_NONE;
}

/* ---- proposals and the tunnels that use them ---- */

struct pref {
	const void *p;
	size_t index;
};

static int pref_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct pref *)a)->p;
	uintptr_t y = (uintptr_t)((const struct pref *)b)->p;
	return x < y ? -1 : x > y;
}

/* Per proposal (ir order): the union of what the tunnels using it can run,
 * the first tunnel end using it and how many ends do. */
struct usage {
	struct caps caps;
	size_t first_tv;
	int first_end;
	bool first_both;                /* both ends of the first tunnel use it */
	size_t ends;
};

struct usages {
	struct usage *ike, *ipsec;
	size_t n_ike, n_ipsec;
	struct tviews tvs;
};

static size_t index_of(const struct pref *refs, size_t n, const void *p)
{
	struct pref key = {p, 0};
	const struct pref *r = n ? bsearch(&key, refs, n, sizeof(*refs), pref_cmp) : NULL;
	return r ? r->index : (size_t)-1;
}

static struct pref *refs_of(void *const *v, size_t n)
{
	struct pref *refs = xmalloc((n ? n : 1) * sizeof(*refs));
	for (size_t i = 0; i < n; i++)
		refs[i] = (struct pref){v[i], i};
	qsort(refs, n, sizeof(*refs), pref_cmp);
	return refs;
}

/* End A of tunnel view I uses the proposal of US; C is what the tunnel's
 * two platforms can both run. */
static void usage_add(struct usage *us, size_t i, int a, struct caps c)
{
	if (!us->ends++) {
		us->first_tv = i;
		us->first_end = a;
	} else if (us->first_tv == i) {
		us->first_both = true;
	}
	caps_or(&us->caps, c);
}

static void usages_build(const struct check_ctx *ctx, struct usages *u)
{
	const struct ir *ir = ctx->ir;
	ck_tviews_build(ctx, &u->tvs);
	u->n_ike = ir->ikes.n;
	u->n_ipsec = ir->ipsecs.n;
	u->ike = xcalloc(u->n_ike ? u->n_ike : 1, sizeof(*u->ike));
	u->ipsec = xcalloc(u->n_ipsec ? u->n_ipsec : 1, sizeof(*u->ipsec));
	struct pref *ike_refs = refs_of((void *const *)ir->ikes.v, ir->ikes.n);
	struct pref *ipsec_refs = refs_of((void *const *)ir->ipsecs.v, ir->ipsecs.n);
	for (size_t i = 0; i < u->tvs.n; i++) {
		const struct tview *tv = &u->tvs.v[i];
		struct caps c = tunnel_caps(tv);
		for (int a = 0; a < 2; a++) {
			size_t k = index_of(ike_refs, u->n_ike, ir_end_ike(&tv->t->end[a]));
			if (k != (size_t)-1)
				usage_add(&u->ike[k], i, a, c);
			k = index_of(ipsec_refs, u->n_ipsec, ir_end_ipsec(&tv->t->end[a]));
			if (k != (size_t)-1)
				usage_add(&u->ipsec[k], i, a, c);
		}
	}
	free(ike_refs);
	free(ipsec_refs);
}

static void usages_free(struct usages *u)
{
	free(u->ike);
	free(u->ipsec);
	ck_tviews_free(&u->tvs);
}

/* "tunnel t" or "tunnel t and 3 other tunnel ends" */
static void fmt_users(const struct usages *u, const struct usage *us, char *buf, size_t size)
{
	const struct tview *tv = &u->tvs.v[us->first_tv];
	if (us->ends == 2 && us->first_both)
		snprintf(buf, size, "tunnel %s", tv->t->name);
	else if (us->ends == 1)
		snprintf(buf, size, "%s in tunnel %s", ck_gw_name(tv->gw[us->first_end]), tv->t->name);
	else
		snprintf(buf, size, "tunnel %s and %zu other tunnel ends", tv->t->name, us->ends - 1);
}

/* Only ends whose platform is known: a peer without one may run anything. */
static bool platform_known(const struct ir_gateway *g)
{
	return g && g->pinfo && (g->kind == GW_GATEWAY || g->has_platform);
}

/* "ISA Server 2004 (isa-a) offers des, 3des and Cisco PIX 6.3 (pix-fw) offers des, 3des, aes..." */
enum cap_kind { CAP_IKE_ENC, CAP_ESP_ENC, CAP_IKE_INTEG, CAP_ESP_INTEG, CAP_GROUPS };

static void sb_caps(struct strbuf *b, const struct platform_info *p, enum cap_kind k)
{
	switch (k) {
	case CAP_IKE_ENC: ck_sb_enc_mask(b, p->ike_encryption); break;
	case CAP_ESP_ENC: ck_sb_enc_mask(b, p->esp_encryption); break;
	case CAP_IKE_INTEG: ck_sb_integ_mask(b, p->ike_integrity); break;
	case CAP_ESP_INTEG: ck_sb_integ_mask(b, p->esp_integrity); break;
	case CAP_GROUPS: ck_sb_group_mask(b, p->dh_groups); break;
	}
}

/* A mask of the algorithms (or groups) of kind K. */
static void sb_mask(struct strbuf *b, enum cap_kind k, uint64_t mask)
{
	switch (k) {
	case CAP_IKE_ENC:
	case CAP_ESP_ENC: ck_sb_enc_mask(b, (uint32_t)mask); break;
	case CAP_IKE_INTEG:
	case CAP_ESP_INTEG: ck_sb_integ_mask(b, (uint32_t)mask); break;
	case CAP_GROUPS: ck_sb_group_mask(b, mask); break;
	}
}

/* "rtr-a offers des, 3des, rtr-b offers aes128" for the masks M0 and M1. */
static void sb_offers_pair(struct strbuf *b, const char *g0, const char *g1, enum cap_kind k,
			   uint64_t m0, uint64_t m1)
{
	strbuf_printf(b, "%s offers ", g0);
	sb_mask(b, k, m0);
	strbuf_printf(b, ", %s offers ", g1);
	sb_mask(b, k, m1);
}

static void sb_platforms(struct strbuf *b, const struct tview *tv, enum cap_kind k)
{
	const struct ir_gateway *g0 = tv->gw[0], *g1 = tv->gw[1];
	/* A peer of no given platform may run anything: name only the other. */
	if (!platform_known(g0) || !platform_known(g1)) {
		const struct ir_gateway *known = platform_known(g0) ? g0 : g1;
		const struct ir_gateway *other = known == g0 ? g1 : g0;
		if (platform_known(known)) {
			strbuf_printf(b, "%s (%s) offers ", ck_gw_platform_text(known), ck_gw_name(known));
			sb_caps(b, ck_gw_platform(known), k);
			strbuf_printf(b, "; %s's platform is not given", ck_gw_name(other));
		} else {
			strbuf_printf(b, "the platforms of %s and %s are not given", ck_gw_name(g0),
				      ck_gw_name(g1));
		}
		return;
	}
	if (g0 == g1 || ck_gw_platform(g0) == ck_gw_platform(g1)) {
		strbuf_printf(b, "%s (%s%s%s) offers ", ck_gw_platform_text(g0), ck_gw_name(g0),
			      g0 == g1 ? "" : " and ", g0 == g1 ? "" : ck_gw_name(g1));
		sb_caps(b, ck_gw_platform(g0), k);
		return;
	}
	for (int a = 0; a < 2; a++) {
		const struct ir_gateway *g = tv->gw[a];
		strbuf_printf(b, "%s%s (%s) offers ", a ? "; " : "", ck_gw_platform_text(g), ck_gw_name(g));
		sb_caps(b, ck_gw_platform(g), k);
	}
}

/* ---- weak offers (weak-cipher, weak-integrity) ---- */

/* One weak algorithm a proposal offers, and the best that both ends of its
 * tunnels can run instead. */
struct weak_offer {
	const char *kind, *name;        /* the proposal: "ike" or "ipsec", its name */
	const char *keyword;            /* its statement: "encryption", "integrity" */
	const char *weak;               /* the weak algorithm's name */
	const char *offer;              /* what is offered, and why it is weak */
	const char *better;             /* the best stronger one both ends run (NULL: none) */
	bool better_good;               /* ... and it is strong enough */
	enum cap_kind caps;             /* what the platforms offer instead */
	const char *strong;             /* what a platform needs to do better ("AES") */
	const enum diag_severity *sev;  /* NULL: the check's own */
};

static void report_weak_offer(struct check_ctx *ctx, const struct tview *tv, const char *users,
			      struct tunc_loc loc, const struct weak_offer *w)
{
	struct strbuf msg = STRBUF_INIT, plat = STRBUF_INIT;
	strbuf_printf(&msg, "%s %s (used by %s) offers %s; ", w->kind, w->name, users, w->offer);
	bool good = w->better && w->better_good;
	if (good) {
		strbuf_printf(&msg, "both ends can run %s", w->better);
	} else {
		sb_platforms(&plat, tv, w->caps);
		strbuf_printf(&msg, "%s is the best that both ends of tunnel %s can run (%s)",
			      w->better ? w->better : w->weak, tv->t->name, strbuf_cstr(&plat));
	}
	struct diag *d = w->sev ? check_report_sev(ctx, *w->sev, loc, "%s", strbuf_cstr(&msg))
				: check_report(ctx, loc, "%s", strbuf_cstr(&msg));
	if (good)
		diag_fix(d, "use '%s %s;' in %s %s", w->keyword, w->better, w->kind, w->name);
	else if (w->better)
		diag_fix(d, "use '%s %s;' in %s %s, the strongest both platforms offer", w->keyword,
			 w->better, w->kind, w->name);
	else
		diag_fix(d, "nothing stronger is possible on these platforms: only replacing the "
			 "one without %s removes %s", w->strong, w->weak);
	ck_diag_names(d, tv->t, tv->gw[0], tv->gw[1]);
	strbuf_free(&plat);
	strbuf_free(&msg);
}

/* ---- weak-cipher ---- */

static void weak_enc(struct check_ctx *ctx, const struct usages *u, const struct usage *us,
		     const char *kind, const char *name, const ir_enc_vec *offers,
		     struct tunc_loc loc, bool esp)
{
	if (!us->ends)
		return;
	uint32_t seen = 0;
	uint32_t can = esp ? us->caps.esp_enc : us->caps.ike_enc;
	const struct tview *tv = &u->tvs.v[us->first_tv];
	char users[200];
	fmt_users(u, us, users, sizeof(users));
	for (size_t i = 0; i < offers->n; i++) {
		enum encryption e = offers->v[i];
		int r = enc_rank(e);
		if (r >= RANK_GOOD || (seen & BIT(e)))
			continue;
		seen |= BIT(e);
		const char *en = encryption_name(e);
		enum diag_severity sev = e == ENC_DES ? DIAG_ERROR : DIAG_WARNING;
		uint64_t better = better_than(can, ENC__COUNT, enc_rank, r);
		enum encryption best = best_enc((uint32_t)better, esp);
		const char *status = e == ENC_DES ? (esp ? "RFC 8221: MUST NOT" : "RFC 8247: MUST NOT")
				     : e == ENC_3DES ? (esp ? "RFC 8221: SHOULD NOT" : "RFC 8247: MAY, for old peers only")
				     : "RFC 2410: authentication without confidentiality";
		const char *what = e == ENC_NULL
			? "no encryption at all: ESP authenticates but anyone on the path reads the "
			  "traffic (fine for a capture, as in seed 000, never in production)"
			: e == ENC_DES ? "DES, whose 56-bit keys are broken"
			: "3DES, deprecated for its 64-bit blocks";
		char offer[400];
		snprintf(offer, sizeof(offer), "%s: %s (%s)", en, what, status);
		report_weak_offer(ctx, tv, users, loc, &(struct weak_offer){
			.kind = kind, .name = name, .keyword = "encryption", .weak = en,
			.offer = offer, .better = better ? encryption_name(best) : NULL,
			.better_good = enc_rank(best) >= RANK_GOOD,
			.caps = esp ? CAP_ESP_ENC : CAP_IKE_ENC, .strong = "AES", .sev = &sev});
	}
}

void check_weak_cipher(struct check_ctx *ctx)
{
	struct usages u;
	usages_build(ctx, &u);
	for (size_t i = 0; i < u.n_ike; i++) {
		const struct ir_ike *p = ctx->ir->ikes.v[i];
		weak_enc(ctx, &u, &u.ike[i], "ike", p->name, &p->encryption,
			 loc_or(p->encryption_loc, p->loc), false);
	}
	for (size_t i = 0; i < u.n_ipsec; i++) {
		const struct ir_ipsec *p = ctx->ir->ipsecs.v[i];
		if (p->protocol == IPSEC_ESP)
			weak_enc(ctx, &u, &u.ipsec[i], "ipsec", p->name, &p->encryption,
				 loc_or(p->encryption_loc, p->loc), true);
	}
	usages_free(&u);
}

/* ---- weak-integrity ---- */

static void weak_integ(struct check_ctx *ctx, const struct usages *u, const struct usage *us,
		       const char *kind, const char *name, const ir_integ_vec *offers,
		       struct tunc_loc loc, bool esp)
{
	if (!us->ends)
		return;
	uint32_t seen = 0;
	uint32_t can = esp ? us->caps.esp_integ : us->caps.ike_integ;
	const struct tview *tv = &u->tvs.v[us->first_tv];
	char users[200];
	fmt_users(u, us, users, sizeof(users));
	for (size_t i = 0; i < offers->n; i++) {
		enum integrity g = offers->v[i];
		int r = integ_rank(g);
		if (r >= RANK_GOOD || (seen & BIT(g)))
			continue;
		seen |= BIT(g);
		const char *gn = integrity_name(g);
		const char *what = g == INTEG_MD5 ? "HMAC-MD5 (RFC 8221 and RFC 8247: MUST NOT)"
				   : "HMAC-SHA-1 (RFC 8221 and RFC 8247: MUST-, to be phased out)";
		uint64_t better = better_than(can & ~BIT(INTEG_NONE), INTEG__COUNT, integ_rank, r);
		enum integrity best = best_integ((uint32_t)better);
		char offer[400];
		snprintf(offer, sizeof(offer), "%s integrity: %s", gn, what);
		report_weak_offer(ctx, tv, users, loc, &(struct weak_offer){
			.kind = kind, .name = name, .keyword = "integrity", .weak = gn,
			.offer = offer, .better = better ? integrity_name(best) : NULL,
			.better_good = integ_rank(best) >= RANK_GOOD,
			.caps = esp ? CAP_ESP_INTEG : CAP_IKE_INTEG, .strong = "SHA-2"});
	}
}

void check_weak_integrity(struct check_ctx *ctx)
{
	struct usages u;
	usages_build(ctx, &u);
	for (size_t i = 0; i < u.n_ike; i++) {
		const struct ir_ike *p = ctx->ir->ikes.v[i];
		weak_integ(ctx, &u, &u.ike[i], "ike", p->name, &p->integrity,
			   loc_or(p->integrity_loc, p->loc), false);
	}
	for (size_t i = 0; i < u.n_ipsec; i++) {
		const struct ir_ipsec *p = ctx->ir->ipsecs.v[i];
		weak_integ(ctx, &u, &u.ipsec[i], "ipsec", p->name, &p->integrity,
			   loc_or(p->integrity_loc, p->loc), true);
	}
	usages_free(&u);
}

/* ---- weak-dh-group ---- */

static void weak_group(struct check_ctx *ctx, const struct usages *u, const struct usage *us,
		       const char *kind, const char *name, const char *field, unsigned g,
		       struct tunc_loc loc)
{
	int r = group_rank(g);
	if (!us->ends || !g || r >= RANK_GOOD)
		return;
	const struct tview *tv = &u->tvs.v[us->first_tv];
	char users[200];
	fmt_users(u, us, users, sizeof(users));
	static const char *const what[] = {
		"group 1 (768-bit MODP; RFC 8247: MUST NOT)",
		"group 2 (1024-bit MODP; RFC 8247: SHOULD NOT)",
		"group 5 (1536-bit MODP; RFC 8247: SHOULD NOT)",
	};
	enum diag_severity sev = g == 1 ? DIAG_ERROR : DIAG_WARNING;
	uint64_t better = better_than(us->caps.groups, 64, group_rank, r);
	unsigned best = best_group(better);
	struct diag *d;
	if (best && group_rank(best) >= RANK_GOOD) {
		d = check_report_sev(ctx, sev, loc,
			"%s %s (used by %s) uses DH %s; both ends can run group %u",
			kind, name, users, what[r], best);
		diag_fix(d, "use '%s %u;' in %s %s (14 at least; 19 or 20 preferred)", field, best,
			 kind, name);
	} else {
		struct strbuf plat = STRBUF_INIT;
		sb_platforms(&plat, tv, CAP_GROUPS);
		d = check_report_sev(ctx, sev, loc,
			"%s %s (used by %s) uses DH %s; group %u is the best that both ends of "
			"tunnel %s can run (%s)",
			kind, name, users, what[r], best ? best : g, tv->t->name, strbuf_cstr(&plat));
		if (best && best != g)
			diag_fix(d, "use '%s %u;' in %s %s, the strongest group both platforms offer",
				 field, best, kind, name);
		else
			diag_fix(d, "nothing stronger is possible on these platforms: only replacing "
				 "the one without group 14 removes group %u", g);
		strbuf_free(&plat);
	}
	ck_diag_names(d, tv->t, tv->gw[0], tv->gw[1]);
}

void check_weak_dh_group(struct check_ctx *ctx)
{
	struct usages u;
	usages_build(ctx, &u);
	for (size_t i = 0; i < u.n_ike; i++) {
		const struct ir_ike *p = ctx->ir->ikes.v[i];
		uint64_t seen = 0;
		for (size_t k = 0; k < p->group.n; k++) {
			unsigned g = p->group.v[k];
			if (g < 64 && !(seen & (UINT64_C(1) << g))) {
				seen |= UINT64_C(1) << g;
				weak_group(ctx, &u, &u.ike[i], "ike", p->name, "group", g,
					   loc_or(p->group_loc, p->loc));
			}
		}
	}
	for (size_t i = 0; i < u.n_ipsec; i++) {
		const struct ir_ipsec *p = ctx->ir->ipsecs.v[i];
		weak_group(ctx, &u, &u.ipsec[i], "ipsec", p->name, "pfs", p->pfs,
			   loc_or(p->pfs_loc, p->loc));
	}
	usages_free(&u);
}

/* ---- no-pfs ---- */

void check_no_pfs(struct check_ctx *ctx)
{
	struct usages u;
	usages_build(ctx, &u);
	for (size_t i = 0; i < u.n_ipsec; i++) {
		const struct ir_ipsec *p = ctx->ir->ipsecs.v[i];
		const struct usage *us = &u.ipsec[i];
		if (p->pfs || !us->ends)
			continue;
		const struct tview *tv = &u.tvs.v[us->first_tv];
		char users[200];
		fmt_users(&u, us, users, sizeof(users));
		struct diag *d = check_report(ctx, loc_or(p->pfs_loc, p->loc),
			"ipsec %s (used by %s) has no perfect forward secrecy: every phase 2 key "
			"comes from the phase 1 exchange, so compromising it exposes past traffic",
			p->name, users);
		ck_diag_names(d, tv->t, tv->gw[0], tv->gw[1]);
		unsigned g = best_group(us->caps.groups);
		if (g)
			diag_fix(d, "set 'pfs %u;' in ipsec %s (both ends run it)", g, p->name);
		else
			diag_fix(d, "set 'pfs 14;' (or 19, 20) in ipsec %s", p->name);
	}
	usages_free(&u);
}

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

/* Keyed by hand (model_keyed_by_hand): no IKE runs between the two ends,
 * each installs static SAs from its own first offer and key, so proposals
 * and keys are not negotiated but must simply be the same. */
static bool keyed_by_hand(const struct ir_tunnel *t)
{
	return model_keyed_by_hand(t);
}

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
	const char *g0 = ck_gw_name(tv->gw[0]), *g1 = ck_gw_name(tv->gw[1]);
	struct strbuf msg = STRBUF_INIT;
	for (size_t i = 0; i < n; i++)
		strbuf_printf(&msg, "%s%s differs (%s)", i ? ", " : "", diffs[i].field,
			      strbuf_cstr(&diffs[i].text));
	struct tunc_loc loc = loc_or(diffs[0].loc[change], prop_loc[change]);
	struct diag *d = check_report(ctx, loc,
		"the %s proposals of %s (%s %s) and %s (%s %s) for tunnel %s %s: %s; %s",
		kind, g0, kind, name0, g1, kind, name1, t->name, relation, strbuf_cstr(&msg),
		consequence);
	ck_diag_names(d, t, tv->gw[0], tv->gw[1]);
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
		if (!p[0] || !p[1] || p[0] == p[1] || tv->gw[0] == tv->gw[1] ||
		    keyed_by_hand(tv->t))
			continue;       /* keyed by hand: no IKE runs */
		const char *g0 = ck_gw_name(tv->gw[0]), *g1 = ck_gw_name(tv->gw[1]);
		size_t n = 0;
		if (p[0]->version != p[1]->version) {
			diff_begin(&diffs[n], "IKE version", p[0]->version_loc, p[1]->version_loc);
			strbuf_printf(&diffs[n++].text, "%s IKEv%u, %s IKEv%u", g0, p[0]->version,
				      g1, p[1]->version);
		} else if (p[0]->version == 1 && p[0]->mode != p[1]->mode) {
			diff_begin(&diffs[n], "mode", p[0]->mode_loc, p[1]->mode_loc);
			strbuf_printf(&diffs[n++].text, "%s %s, %s %s", g0,
				      p[0]->mode == IKE_MODE_MAIN ? "main" : "aggressive", g1,
				      p[1]->mode == IKE_MODE_MAIN ? "main" : "aggressive");
		}
		uint32_t e0 = ck_enc_vec_mask(&p[0]->encryption), e1 = ck_enc_vec_mask(&p[1]->encryption);
		if (!(e0 & e1)) {
			diff_begin(&diffs[n], "encryption", p[0]->encryption_loc, p[1]->encryption_loc);
			sb_offers_pair(&diffs[n++].text, g0, g1, CAP_IKE_ENC, e0, e1);
		}
		uint32_t i0 = ck_integ_vec_mask(&p[0]->integrity), i1 = ck_integ_vec_mask(&p[1]->integrity);
		if (!(i0 & i1)) {
			diff_begin(&diffs[n], "integrity", p[0]->integrity_loc, p[1]->integrity_loc);
			sb_offers_pair(&diffs[n++].text, g0, g1, CAP_IKE_INTEG, i0, i1);
		}
		uint64_t d0 = ck_group_vec_mask(&p[0]->group), d1 = ck_group_vec_mask(&p[1]->group);
		if (!(d0 & d1)) {
			diff_begin(&diffs[n], "DH group", p[0]->group_loc, p[1]->group_loc);
			sb_offers_pair(&diffs[n++].text, g0, g1, CAP_GROUPS, d0, d1);
		}
		if (!n)
			continue;
		struct tunc_loc ploc[2] = {p[0]->loc, p[1]->loc};
		int change = end_to_change(t, &t->end[0].ike, &t->end[1].ike, &t->ike);
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
	const char *g0 = ck_gw_name(tv->gw[0]), *g1 = ck_gw_name(tv->gw[1]);
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
	int change = end_to_change(t, &t->end[0].ipsec, &t->end[1].ipsec, &t->ipsec);
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
		if (!p[0] || !p[1] || p[0] == p[1] || tv->gw[0] == tv->gw[1])
			continue;
		if (keyed_by_hand(tv->t)) {
			manual_mismatch(ctx, tv, p, diffs);
			continue;
		}
		const char *g0 = ck_gw_name(tv->gw[0]), *g1 = ck_gw_name(tv->gw[1]);
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
				sb_offers_pair(&diffs[n++].text, g0, g1, CAP_ESP_ENC, e0, e1);
			}
		}
		uint32_t i0 = ck_integ_vec_mask(&p[0]->integrity), i1 = ck_integ_vec_mask(&p[1]->integrity);
		if (p[0]->protocol == p[1]->protocol && !(i0 & i1)) {
			diff_begin(&diffs[n], "integrity", p[0]->integrity_loc, p[1]->integrity_loc);
			sb_offers_pair(&diffs[n++].text, g0, g1, CAP_ESP_INTEG, i0, i1);
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
		int change = end_to_change(t, &t->end[0].ipsec, &t->end[1].ipsec, &t->ipsec);
		/* IKEv2 and only PFS differs: the first CHILD_SA rides in IKE_AUTH,
		 * which has no key exchange (RFC 7296 §1.2), so it comes up; the
		 * first rekey (CREATE_CHILD_SA with KE) fails.  charon agrees
		 * (tests/swanctl-differential.sh, pfs-one-side). */
		const struct ir_ike *k0 = ir_end_ike(&t->end[0]), *k1 = ir_end_ike(&t->end[1]);
		char rekey[300];
		const char *consequence = "phase 1 comes up but quick mode fails (NO_PROPOSAL_CHOSEN)";
		if (n == 1 && p[0]->pfs != p[1]->pfs && k0 && k1 && k0->version == 2 &&
		    k1->version == 2) {
			uint64_t life = p[0]->lifetime_s < p[1]->lifetime_s ? p[0]->lifetime_s
									   : p[1]->lifetime_s;
			snprintf(rekey, sizeof(rekey), "with IKEv2 the first CHILD_SA rides in IKE_AUTH "
				 "without a key exchange and comes up, then its first rekey fails "
				 "(NO_PROPOSAL_CHOSEN) before %llu s, when the SA lifetime ends, and the "
				 "tunnel drops", (unsigned long long)life);
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
	const char *g0 = ck_gw_name(tv->gw[0]), *g1 = ck_gw_name(tv->gw[1]);
	struct tunc_loc loc = change ? l1 : l0;
	struct diag *d = check_report(ctx, loc,
		"the %s lifetimes of tunnel %s differ: %s %s (%s %s), %s %s (%s %s); the ends "
		"rekey at different times, re-keying can collide and the tunnel drops "
		"periodically",
		phase, t->name, g0, v0, kind, n0, g1, v1, kind, n1);
	ck_diag_names(d, t, tv->gw[0], tv->gw[1]);
	diag_fix(d, "set 'lifetime %s;' in %s %s, as at %s", change ? v0 : v1, kind,
		 change ? n1 : n0, change ? g0 : g1);
	struct tunc_loc other = change ? l0 : l1;
	if (loc_known(other) && !loc_same(other, loc))
		diag_related(d, other, "%s's lifetime is here", change ? g0 : g1);
}

void check_lifetime_mismatch(struct check_ctx *ctx)
{
	struct tviews tvs;
	ck_tviews_build(ctx, &tvs);
	for (size_t i = 0; i < tvs.n; i++) {
		const struct tview *tv = &tvs.v[i];
		const struct ir_tunnel *t = tv->t;
		if (tv->gw[0] == tv->gw[1] || keyed_by_hand(tv->t))
			continue;       /* static SAs never expire nor rekey */
		const struct ir_ike *k0 = ir_end_ike(&t->end[0]), *k1 = ir_end_ike(&t->end[1]);
		if (k0 && k1 && k0 != k1 && k0->lifetime_s != k1->lifetime_s) {
			char a[32], b[32];
			fmt_duration(k0->lifetime_s, a, sizeof(a));
			fmt_duration(k1->lifetime_s, b, sizeof(b));
			int change = end_to_change(t, &t->end[0].ike, &t->end[1].ike, &t->ike);
			lifetime_report(ctx, tv, "ike", "phase 1", k0->name, k1->name, a, b,
					loc_or(k0->lifetime_loc, k0->loc), loc_or(k1->lifetime_loc, k1->loc),
					change);
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
			int change = end_to_change(t, &t->end[0].ipsec, &t->end[1].ipsec, &t->ipsec);
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
		const struct ir_psk *k0 = &t->end[0].psk, *k1 = &t->end[1].psk;
		const struct ir_gateway *g0 = ir_end_gateway(&t->end[0]), *g1 = ir_end_gateway(&t->end[1]);
		if (g0 == g1 || k0->source == PSK_NONE || k1->source == PSK_NONE ||
		    same_psk_statement(k0, k1))
			continue;
		char *a = NULL, *b = NULL;
		size_t la = 0, lb = 0;
		bool ok = ck_psk_read(ctx, k0, &a, &la) && ck_psk_read(ctx, k1, &b, &lb);
		bool differ = ok && (la != lb || memcmp(a, b, la) != 0);
		ck_psk_wipe(a, la);
		ck_psk_wipe(b, lb);
		if (!differ)
			continue;       /* equal, or unreadable (reported where it is read) */
		char s0[300], s1[300];
		ck_fmt_psk_source(k0, s0, sizeof(s0));
		ck_fmt_psk_source(k1, s1, sizeof(s1));
		int change = loc_known(k1->loc) && !loc_same(k1->loc, t->psk.loc) ? 1
			   : loc_known(k0->loc) && !loc_same(k0->loc, t->psk.loc) ? 0 : 1;
		const struct ir_psk *kc = change ? k1 : k0, *ko = change ? k0 : k1;
		struct diag *d;
		if (keyed_by_hand(t))
			d = check_report(ctx, loc_or(kc->loc, t->loc),
				"the pre-shared keys of %s (%s) and %s (%s) for tunnel %s differ "
				"(tunc compared them without printing either); the tunnel is keyed "
				"by hand and each end derives its SPIs and keys from its own key, so "
				"neither has an SA for what the other sends",
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

/* ---- platform-unsupported ---- */

enum feature {
	F_VERSION, F_AGGRESSIVE, F_IKE_ENC, F_IKE_INTEG, F_GROUP, F_AH, F_ESP_ENC,
	F_ESP_INTEG, F_PFS, F_IPV6, F_DYNAMIC,
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
	const struct ir_gateway *g = tv->gw[a];
	const struct platform_info *p = ck_gw_platform(g);
	struct diag *d = check_report_sev(ctx, some_left ? DIAG_WARNING : DIAG_ERROR, loc,
		"%s (%s) in tunnel %s cannot %s: %s offers %s%s",
		g->name, p->description, tv->t->name, fmt_what, p->description, offers,
		some_left ? "; it will offer only the rest of the list" : "");
	ck_diag_names(d, tv->t, g, tv->gw[1 - a]);
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

static void unsupported_end(struct check_ctx *ctx, struct unsupported *u,
			    const struct tview *tv, int a)
{
	const struct ir_gateway *g = tv->gw[a];
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
		if (ipsec->pfs && !platform_has_group(p, ipsec->pfs) && first_time(u, ipsec, p, F_PFS)) {
			ck_sb_group_mask(&offers, p->dh_groups);
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
		unsupported_report(ctx, tv, a, loc_or(e->local_loc, ck_end_loc(tv->t, a)), false, strbuf_cstr(&fix),
				   strbuf_cstr(&what), "IPv4 only");
	}
	if (!p->dynamic_endpoint && !e->remote_endpoint_known &&
	    first_time(u, tv->t, p, F_DYNAMIC + 16u * (unsigned)a)) {
		strbuf_reset(&what), strbuf_printf(&what, "use a tunnel endpoint whose address is not known "
			 "(%s's)", ck_gw_name(tv->gw[1 - a]));
		strbuf_reset(&fix), strbuf_printf(&fix, "give %s a static address (a Windows tunnel rule names "
			 "the endpoint's address)", ck_gw_name(tv->gw[1 - a]));
		unsupported_report(ctx, tv, a, ck_end_loc(tv->t, a), false, strbuf_cstr(&fix), strbuf_cstr(&what),
				   "static endpoints only");
	}
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
			if (tvs.v[i].gw[a] && (a == 0 || tvs.v[i].gw[0] != tvs.v[i].gw[1]))
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
		const struct ir_gateway *g0 = tv->gw[0], *g1 = tv->gw[1];
		if (!platform_known(g0) || !platform_known(g1) || g0->pinfo == g1->pinfo)
			continue;
		const struct platform_info *p0 = g0->pinfo, *p1 = g1->pinfo;
		struct caps c = caps_and(platform_caps(p0), platform_caps(p1));
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
