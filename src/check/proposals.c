/* What the proposal checks share: platform capabilities, the algorithm
 * table's strength columns by kind, which tunnels use each proposal, and
 * the text naming platforms and their offers. */
#include "config.h"
#include "check/proposals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- what platforms can run ---- */

struct caps pr_platform_caps(const struct platform_info *p)
{
	return (struct caps){p->ike_versions, p->ike_encryption, p->ike_integrity,
			     p->esp_encryption, p->esp_integrity, p->dh_groups, p->ah};
}

struct caps pr_caps_and(struct caps a, struct caps b)
{
	return (struct caps){a.versions & b.versions, a.ike_enc & b.ike_enc,
			     a.ike_integ & b.ike_integ, a.esp_enc & b.esp_enc,
			     a.esp_integ & b.esp_integ, a.groups & b.groups, a.ah && b.ah};
}

void pr_caps_or(struct caps *a, struct caps b)
{
	a->versions |= b.versions;
	a->ike_enc |= b.ike_enc;
	a->ike_integ |= b.ike_integ;
	a->esp_enc |= b.esp_enc;
	a->esp_integ |= b.esp_integ;
	a->groups |= b.groups;
	a->ah = a->ah || b.ah;
}

struct caps pr_tunnel_caps(const struct tview *tv)
{
	return pr_caps_and(pr_platform_caps(ck_gw_platform(tv_gw(tv, 0))),
			   pr_platform_caps(ck_gw_platform(tv_gw(tv, 1))));
}

uint64_t pr_caps_mask(const struct caps *c, enum cap_kind k)
{
	switch (k) {
	case CAP_IKE_ENC: return c->ike_enc;
	case CAP_ESP_ENC: return c->esp_enc;
	case CAP_IKE_INTEG: return c->ike_integ;
	case CAP_ESP_INTEG: return c->esp_integ;
	case CAP_GROUPS: return c->groups;
	}
	return 0;
}

/* ---- the algorithm table by kind ---- */

const struct alg_info *pr_alg_info(enum cap_kind k, unsigned v)
{
	switch (k) {
	case CAP_IKE_ENC:
	case CAP_ESP_ENC: return encryption_info((enum encryption)v);
	case CAP_IKE_INTEG:
	case CAP_ESP_INTEG: return integrity_info((enum integrity)v);
	case CAP_GROUPS: return dh_group_info(v);
	}
	return NULL;
}

const char *pr_alg_name(enum cap_kind k, unsigned v)
{
	const struct alg_info *a = pr_alg_info(k, v);
	return a ? a->name : "?";
}

uint64_t pr_stronger_than(enum cap_kind k, uint64_t mask, unsigned weak)
{
	const struct alg_info *w = pr_alg_info(k, weak);
	uint64_t out = 0;
	for (unsigned i = 0; i < 64 && w; i++) {
		const struct alg_info *a = (mask & (UINT64_C(1) << i)) ? pr_alg_info(k, i) : NULL;
		if (a && alg_stronger(a, w))
			out |= UINT64_C(1) << i;
	}
	return out;
}

int pr_best(enum cap_kind k, uint64_t mask)
{
	static const unsigned groups[] = {19, 20, 14, 21, 16, 15, 5, 2, 1};
	static const unsigned esp_enc[] = {ENC_AES256_GCM, ENC_AES128_GCM, ENC_AES256,
					   ENC_AES128, ENC_AES192, ENC_3DES, ENC_DES};
	static const unsigned ike_enc[] = {ENC_AES256, ENC_AES128, ENC_AES192,
					   ENC_AES256_GCM, ENC_AES128_GCM, ENC_3DES, ENC_DES};
	static const unsigned integ[] = {INTEG_SHA256, INTEG_SHA384, INTEG_SHA512,
					 INTEG_SHA1, INTEG_MD5};
	const unsigned *pref;
	size_t n;
	switch (k) {
	case CAP_GROUPS: pref = groups; n = sizeof(groups) / sizeof(groups[0]); break;
	case CAP_ESP_ENC: pref = esp_enc; n = sizeof(esp_enc) / sizeof(esp_enc[0]); break;
	case CAP_IKE_ENC: pref = ike_enc; n = sizeof(ike_enc) / sizeof(ike_enc[0]); break;
	default: pref = integ; n = sizeof(integ) / sizeof(integ[0]); break;
	}
	for (size_t i = 0; i < n; i++)
		if (mask & (UINT64_C(1) << pref[i]))
			return (int)pref[i];
	return -1;
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
		us->all = c;
	} else {
		if (us->first_tv == i)
			us->first_both = true;
		us->all = pr_caps_and(us->all, c);
	}
	pr_caps_or(&us->any, c);
	if (us->n_tvs && us->tvs[us->n_tvs - 1] == i)
		return;
	if (us->n_tvs == us->cap_tvs) {
		us->cap_tvs = us->cap_tvs ? 2 * us->cap_tvs : 4;
		us->tvs = xrealloc(us->tvs, us->cap_tvs * sizeof(*us->tvs));
	}
	us->tvs[us->n_tvs++] = (uint32_t)i;
}

/* Gives back a list's unused room (kept for the whole run). */
static void usage_trim(struct usage *us)
{
	if (us->n_tvs && us->n_tvs < us->cap_tvs) {
		us->tvs = xrealloc(us->tvs, us->n_tvs * sizeof(*us->tvs));
		us->cap_tvs = us->n_tvs;
	}
}

static void usages_make(const struct check_ctx *ctx, struct usages *u)
{
	const struct ir *ir = ctx->ir;
	u->shared = false;
	ck_tviews_build(ctx, &u->tvs);
	u->n_ike = ir->ikes.n;
	u->n_ipsec = ir->ipsecs.n;
	u->ike = xcalloc(u->n_ike ? u->n_ike : 1, sizeof(*u->ike));
	u->ipsec = xcalloc(u->n_ipsec ? u->n_ipsec : 1, sizeof(*u->ipsec));
	struct pref *ike_refs = refs_of((void *const *)ir->ikes.v, ir->ikes.n);
	struct pref *ipsec_refs = refs_of((void *const *)ir->ipsecs.v, ir->ipsecs.n);
	for (size_t i = 0; i < u->tvs.n; i++) {
		const struct tview *tv = &u->tvs.v[i];
		struct caps c = pr_tunnel_caps(tv);
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
	for (size_t k = 0; k < u->n_ike; k++)
		usage_trim(&u->ike[k]);
	for (size_t k = 0; k < u->n_ipsec; k++)
		usage_trim(&u->ipsec[k]);
}

void pr_usages_build(const struct check_ctx *ctx, struct usages *u)
{
	struct check_cache *c = ctx->cache;
	if (!c) {
		usages_make(ctx, u);
		return;
	}
	if (!c->usages) {
		c->usages = xmalloc(sizeof(*c->usages));
		usages_make(ctx, c->usages);
	}
	*u = *c->usages;
	u->shared = true;
}

void pr_usages_free(struct usages *u)
{
	if (u->shared) {
		*u = (struct usages){0};
		return;
	}
	for (size_t i = 0; i < u->n_ike; i++)
		free(u->ike[i].tvs);
	for (size_t i = 0; i < u->n_ipsec; i++)
		free(u->ipsec[i].tvs);
	free(u->ike);
	free(u->ipsec);
	ck_tviews_free(&u->tvs);
}

void pr_fmt_users(const struct usages *u, const struct usage *us, char *buf, size_t size)
{
	const struct tview *tv = &u->tvs.v[us->first_tv];
	if (us->ends == 2 && us->first_both)
		snprintf(buf, size, "tunnel %s", tv->t->name);
	else if (us->ends == 1)
		snprintf(buf, size, "%s in tunnel %s", ck_gw_name(tv_gw(tv, us->first_end)), tv->t->name);
	else
		snprintf(buf, size, "tunnel %s and %zu other tunnel ends", tv->t->name, us->ends - 1);
}

/* ---- text ---- */

bool pr_platform_known(const struct ir_gateway *g)
{
	return g && g->pinfo && (g->kind == GW_GATEWAY || g->has_platform);
}

void pr_sb_mask(struct strbuf *b, enum cap_kind k, uint64_t mask)
{
	switch (k) {
	case CAP_IKE_ENC:
	case CAP_ESP_ENC: ck_sb_enc_mask(b, (uint32_t)mask); break;
	case CAP_IKE_INTEG:
	case CAP_ESP_INTEG: ck_sb_integ_mask(b, (uint32_t)mask); break;
	case CAP_GROUPS: ck_sb_group_mask(b, mask); break;
	}
}

static void sb_caps(struct strbuf *b, const struct platform_info *p, enum cap_kind k)
{
	struct caps c = pr_platform_caps(p);
	pr_sb_mask(b, k, pr_caps_mask(&c, k));
}

void pr_sb_offers_pair(struct strbuf *b, const char *g0, const char *g1, enum cap_kind k,
		       uint64_t m0, uint64_t m1)
{
	strbuf_printf(b, "%s offers ", g0);
	pr_sb_mask(b, k, m0);
	strbuf_printf(b, ", %s offers ", g1);
	pr_sb_mask(b, k, m1);
}

void pr_sb_platforms(struct strbuf *b, const struct tview *tv, enum cap_kind k)
{
	const struct ir_gateway *g0 = tv_gw(tv, 0), *g1 = tv_gw(tv, 1);
	/* A peer of no given platform may run anything: name only the other. */
	if (!pr_platform_known(g0) || !pr_platform_known(g1)) {
		const struct ir_gateway *known = pr_platform_known(g0) ? g0 : g1;
		const struct ir_gateway *other = known == g0 ? g1 : g0;
		if (pr_platform_known(known)) {
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
		const struct ir_gateway *g = tv_gw(tv, a);
		strbuf_printf(b, "%s%s (%s) offers ", a ? "; " : "", ck_gw_platform_text(g), ck_gw_name(g));
		sb_caps(b, ck_gw_platform(g), k);
	}
}

/* ---- the two ends ---- */

bool pr_keyed_by_hand(const struct ir_tunnel *t)
{
	return model_keyed_by_hand(t);
}
