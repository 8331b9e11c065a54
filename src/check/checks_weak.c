/* Checks about weak algorithms: weak-cipher, weak-integrity, weak-dh-group,
 * no-pfs.
 *
 * Strength and RFC 8221/8247 status are columns of the algorithm table
 * (ir/enums.h).  Each finding is about a proposal, once however many
 * tunnels use it, and its advice holds for every one of them: it suggests
 * only what both ends of every tunnel using the proposal can run (a
 * proposal shared by an IOS hub's spokes cannot move to group 19 while one
 * spoke is a PIX 6.3).  Where some tunnels could do better but no one
 * choice fits all, it says to give those tunnels their own proposal.  A
 * weak choice is told apart from a platform that can do no better: the
 * finding says which, and what the platforms offer. */
#include "config.h"
#include "check/checks.h"
#include "check/proposals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- advice that holds for every tunnel using a proposal ---- */

/* The first tunnel using US whose two ends cannot both run V. */
static size_t tunnel_lacking(const struct usages *u, const struct usage *us, enum cap_kind k,
			     int v)
{
	for (size_t i = 0; i < us->n_tvs; i++) {
		struct caps c = pr_tunnel_caps(&u->tvs.v[us->tvs[i]]);
		if (!(pr_caps_mask(&c, k) & (UINT64_C(1) << v)))
			return us->tvs[i];
	}
	return us->first_tv;
}

struct advice {
	int best;               /* the best stronger choice every tunnel runs, or -1 */
	int split_best;         /* when no strong one fits all: the best some run, or -1 */
	size_t limit_tv;        /* a tunnel whose best stronger choice is BEST (-1: none) */
	size_t lacking_tv;      /* the first tunnel that cannot run SPLIT_BEST */
};

static void advise(const struct usages *u, const struct usage *us, enum cap_kind k,
		   unsigned weak, struct advice *a)
{
	uint64_t all = pr_stronger_than(k, pr_caps_mask(&us->all, k), weak);
	uint64_t any = pr_stronger_than(k, pr_caps_mask(&us->any, k), weak);
	a->best = pr_best(k, all);
	a->split_best = -1;
	a->limit_tv = us->first_tv;
	a->lacking_tv = us->first_tv;
	if (pr_good(k, a->best))
		return;
	int some = pr_best(k, any);
	if (pr_good(k, some)) {
		a->split_best = some;
		a->lacking_tv = tunnel_lacking(u, us, k, some);
	}
	/* The tunnel that holds the proposal back, if one alone does. */
	a->limit_tv = (size_t)-1;
	for (size_t i = 0; i < us->n_tvs; i++) {
		struct caps c = pr_tunnel_caps(&u->tvs.v[us->tvs[i]]);
		if (pr_best(k, pr_stronger_than(k, pr_caps_mask(&c, k), weak)) == a->best) {
			a->limit_tv = us->tvs[i];
			return;
		}
	}
}

/* "ike p (used by ...) offers ...; " then what the tunnels can run instead:
 * the best that both ends of the limiting tunnel can run and the platforms
 * it has, or, when no tunnel alone limits it, that no stronger one suits
 * them all. */
static const struct tview *sb_limit(struct strbuf *msg, const struct usages *u,
				    const struct advice *a, enum cap_kind k, const char *best,
				    const char *split_best)
{
	struct strbuf plat = STRBUF_INIT;
	const struct tview *tv;
	if (a->limit_tv != (size_t)-1) {
		tv = &u->tvs.v[a->limit_tv];
		pr_sb_platforms(&plat, tv, k);
		strbuf_printf(msg, "%s is the best that both ends of tunnel %s can run (%s)", best,
			      tv->t->name, strbuf_cstr(&plat));
	} else {
		tv = &u->tvs.v[a->lacking_tv];
		pr_sb_platforms(&plat, tv, k);
		strbuf_printf(msg, "nothing stronger suits both ends of every tunnel using it "
			      "(tunnel %s: %s)", tv->t->name, strbuf_cstr(&plat));
	}
	if (split_best)
		strbuf_printf(msg, ", though other tunnels using it can run %s", split_best);
	strbuf_free(&plat);
	return tv;
}

/* "give the tunnels whose ends run group 19 their own ike proposal with
 * 'group 19;' ..." */
static void fix_split(struct diag *d, const char *kind, const char *name, const char *keyword,
		      const char *better_text, const char *better, const char *tunnel)
{
	diag_fix(d, "no one choice fits every tunnel using %s %s: give the tunnels whose ends "
		 "both run %s their own %s proposal with '%s %s;', and keep %s %s for tunnel %s "
		 "and the others that cannot", kind, name, better_text, kind, keyword, better, kind,
		 name, tunnel);
}

/* ---- weak offers (weak-cipher, weak-integrity) ---- */

/* One weak algorithm a proposal offers. */
struct weak_offer {
	const char *kind, *name;        /* the proposal: "ike" or "ipsec", its name */
	const char *keyword;            /* its statement: "encryption", "integrity" */
	unsigned weak;                  /* the weak algorithm */
	const char *offer;              /* what is offered, and why it is weak */
	enum cap_kind caps;             /* its kind, and what the platforms offer instead */
	const char *strong;             /* what a platform needs to do better ("AES") */
	const enum diag_severity *sev;  /* NULL: the check's own */
};

static void report_weak_offer(struct check_ctx *ctx, const struct usages *u,
			      const struct usage *us, struct tunc_loc loc,
			      const struct weak_offer *w)
{
	struct advice a;
	advise(u, us, w->caps, w->weak, &a);
	const char *weak = pr_alg_name(w->caps, w->weak);
	const char *better = a.best >= 0 ? pr_alg_name(w->caps, (unsigned)a.best) : NULL;
	const char *split = a.split_best >= 0 ? pr_alg_name(w->caps, (unsigned)a.split_best) : NULL;
	bool good = pr_good(w->caps, a.best);
	char users[200];
	pr_fmt_users(u, us, users, sizeof(users));
	struct strbuf msg = STRBUF_INIT;
	strbuf_printf(&msg, "%s %s (used by %s) offers %s; ", w->kind, w->name, users, w->offer);
	const struct tview *tv = &u->tvs.v[us->first_tv];
	if (good)
		strbuf_printf(&msg, "both ends can run %s", better);
	else
		tv = sb_limit(&msg, u, &a, w->caps, better ? better : weak, split);
	struct diag *d = w->sev ? check_report_sev(ctx, *w->sev, loc, "%s", strbuf_cstr(&msg))
				: check_report(ctx, loc, "%s", strbuf_cstr(&msg));
	if (good)
		diag_fix(d, "use '%s %s;' in %s %s", w->keyword, better, w->kind, w->name);
	else if (split)
		fix_split(d, w->kind, w->name, w->keyword, split, split,
			  u->tvs.v[a.lacking_tv].t->name);
	else if (better)
		diag_fix(d, "use '%s %s;' in %s %s, the strongest both platforms offer", w->keyword,
			 better, w->kind, w->name);
	else
		diag_fix(d, "nothing stronger is possible on these platforms: only replacing the "
			 "one without %s removes %s", w->strong, weak);
	ck_diag_names(d, tv->t, tv_gw(tv, 0), tv_gw(tv, 1));
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
	for (size_t i = 0; i < offers->n; i++) {
		enum encryption e = offers->v[i];
		const struct alg_info *info = encryption_info(e);
		if (info->strength >= STRENGTH_GOOD || (seen & BIT(e)))
			continue;
		seen |= BIT(e);
		enum diag_severity sev = info->strength == STRENGTH_BROKEN ? DIAG_ERROR : DIAG_WARNING;
		char status[120];
		if (info->strength == STRENGTH_NONE)
			snprintf(status, sizeof(status), "RFC 2410: authentication without confidentiality");
		else
			snprintf(status, sizeof(status), "RFC %s: %s", esp ? "8221" : "8247",
				 esp ? info->rfc8221 : info->rfc8247);
		char offer[400];
		snprintf(offer, sizeof(offer), "%s: %s (%s)", info->name, info->weakness, status);
		report_weak_offer(ctx, u, us, loc, &(struct weak_offer){
			.kind = kind, .name = name, .keyword = "encryption", .weak = e,
			.offer = offer, .caps = esp ? CAP_ESP_ENC : CAP_IKE_ENC, .strong = "AES",
			.sev = &sev});
	}
}

void check_weak_cipher(struct check_ctx *ctx)
{
	struct usages u;
	pr_usages_build(ctx, &u);
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
	pr_usages_free(&u);
}

/* ---- weak-integrity ---- */

static void weak_integ(struct check_ctx *ctx, const struct usages *u, const struct usage *us,
		       const char *kind, const char *name, const ir_integ_vec *offers,
		       struct tunc_loc loc, bool esp)
{
	if (!us->ends)
		return;
	uint32_t seen = 0;
	for (size_t i = 0; i < offers->n; i++) {
		enum integrity g = offers->v[i];
		const struct alg_info *info = integrity_info(g);
		if (info->strength >= STRENGTH_GOOD || (seen & BIT(g)))
			continue;
		seen |= BIT(g);
		char offer[400];
		if (strcmp(info->rfc8221, info->rfc8247) == 0)
			snprintf(offer, sizeof(offer), "%s integrity: %s (RFC 8221 and RFC 8247: %s)",
				 info->name, info->weakness, info->rfc8221);
		else
			snprintf(offer, sizeof(offer), "%s integrity: %s (RFC 8221: %s; RFC 8247: %s)",
				 info->name, info->weakness, info->rfc8221, info->rfc8247);
		report_weak_offer(ctx, u, us, loc, &(struct weak_offer){
			.kind = kind, .name = name, .keyword = "integrity", .weak = g,
			.offer = offer, .caps = esp ? CAP_ESP_INTEG : CAP_IKE_INTEG,
			.strong = "SHA-2"});
	}
}

void check_weak_integrity(struct check_ctx *ctx)
{
	struct usages u;
	pr_usages_build(ctx, &u);
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
	pr_usages_free(&u);
}

/* ---- weak-dh-group ---- */

static void weak_group(struct check_ctx *ctx, const struct usages *u, const struct usage *us,
		       const char *kind, const char *name, const char *field, unsigned g,
		       struct tunc_loc loc)
{
	const struct alg_info *info = dh_group_info(g);
	if (!us->ends || !info || info->strength >= STRENGTH_GOOD)
		return;
	struct advice a;
	advise(u, us, CAP_GROUPS, g, &a);
	char users[200];
	pr_fmt_users(u, us, users, sizeof(users));
	enum diag_severity sev = info->strength == STRENGTH_BROKEN ? DIAG_ERROR : DIAG_WARNING;
	struct strbuf msg = STRBUF_INIT;
	strbuf_printf(&msg, "%s %s (used by %s) uses DH group %u (%s; RFC 8247: %s); ", kind, name,
		      users, g, info->weakness, info->rfc8247);
	const struct tview *tv = &u->tvs.v[us->first_tv];
	char best[32], split[32];
	snprintf(best, sizeof(best), "group %u", a.best >= 0 ? (unsigned)a.best : g);
	snprintf(split, sizeof(split), "group %d", a.split_best);
	bool good = pr_good(CAP_GROUPS, a.best);
	if (good)
		strbuf_printf(&msg, "both ends can run %s", best);
	else
		tv = sb_limit(&msg, u, &a, CAP_GROUPS, best, a.split_best >= 0 ? split : NULL);
	struct diag *d = check_report_sev(ctx, sev, loc, "%s", strbuf_cstr(&msg));
	if (good) {
		diag_fix(d, "use '%s %d;' in %s %s (14 at least; 19 or 20 preferred)", field, a.best,
			 kind, name);
	} else if (a.split_best >= 0) {
		char value[16];
		snprintf(value, sizeof(value), "%d", a.split_best);
		fix_split(d, kind, name, field, split, value, u->tvs.v[a.lacking_tv].t->name);
	} else if (a.best >= 0) {
		diag_fix(d, "use '%s %d;' in %s %s, the strongest group both platforms offer",
			 field, a.best, kind, name);
	} else {
		diag_fix(d, "nothing stronger is possible on these platforms: only replacing "
			 "the one without group 14 removes group %u", g);
	}
	ck_diag_names(d, tv->t, tv_gw(tv, 0), tv_gw(tv, 1));
	strbuf_free(&msg);
}

void check_weak_dh_group(struct check_ctx *ctx)
{
	struct usages u;
	pr_usages_build(ctx, &u);
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
	pr_usages_free(&u);
}

/* ---- no-pfs ---- */

void check_no_pfs(struct check_ctx *ctx)
{
	struct usages u;
	pr_usages_build(ctx, &u);
	for (size_t i = 0; i < u.n_ipsec; i++) {
		const struct ir_ipsec *p = ctx->ir->ipsecs.v[i];
		const struct usage *us = &u.ipsec[i];
		if (p->pfs || !us->ends)
			continue;
		const struct tview *tv = &u.tvs.v[us->first_tv];
		char users[200];
		pr_fmt_users(&u, us, users, sizeof(users));
		struct diag *d = check_report(ctx, loc_or(p->pfs_loc, p->loc),
			"ipsec %s (used by %s) has no perfect forward secrecy: every phase 2 key "
			"comes from the phase 1 exchange, so compromising it exposes past traffic",
			p->name, users);
		ck_diag_names(d, tv->t, tv_gw(tv, 0), tv_gw(tv, 1));
		/* Only a group every tunnel using the proposal can run. */
		int all = pr_best(CAP_GROUPS, us->all.groups);
		int some = pr_best(CAP_GROUPS, us->any.groups);
		if (all >= 0 && (pr_good(CAP_GROUPS, all) || !pr_good(CAP_GROUPS, some))) {
			diag_fix(d, "set 'pfs %d;' in ipsec %s (both ends run it)", all, p->name);
		} else if (pr_good(CAP_GROUPS, some)) {
			char text[32], value[16];
			snprintf(text, sizeof(text), "group %d", some);
			snprintf(value, sizeof(value), "%d", some);
			fix_split(d, "ipsec", p->name, "pfs", text, value,
				  u.tvs.v[tunnel_lacking(&u, us, CAP_GROUPS, some)].t->name);
		} else {
			diag_fix(d, "set 'pfs 14;' (or 19, 20) in ipsec %s", p->name);
		}
	}
	pr_usages_free(&u);
}
