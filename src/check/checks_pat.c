/* pat-no-initiator: a tunnel end behind a port-translating NAT
 * (`behind-nat ADDR pat;`, a peer's `behind-nat pat;`) lets nothing in that
 * it did not open, so the far end's IKE is dropped at that NAT and only the
 * PAT'd end can bring the tunnel up (doc/checks.md).  Reported when that
 * end is the only one that could start it and no expectation sends traffic
 * from its side into the tunnel, and (as an error) when both ends are
 * behind PAT, so that neither can.  The engine's answer for the far side's
 * first packet is quoted (probe.h), so lint and `tunc run` agree. */
#include "config.h"
#include "check/checks.h"
#include "check/probe.h"
#include "check/util.h"

#include <stdio.h>

/* Is end A behind PAT (as the model has it), and where is that said? */
static bool end_pat(const struct tview *tv, int a, struct tunc_loc *where)
{
	const struct model_tunnel *mt = tv->mt[a];
	const struct ir_gateway *g = tv_gw(tv, a);
	if (!mt || !g || !mt->behind_pat_here)
		return false;
	if (g->kind == GW_PEER)
		*where = loc_or(g->behind_nat_loc, g->loc);
	else
		*where = mt->here->endpoint_iface
			 ? loc_or(ir_iface_written(mt->here->endpoint_iface)->behind_nat_loc, g->loc)
			 : g->loc;
	return true;
}

static void both_behind_pat(struct check_ctx *ctx, const struct tview *tv, struct tunc_loc w0,
			    struct tunc_loc w1)
{
	const struct ir_tunnel *t = tv->t;
	const char *n0 = ck_gw_name(tv_gw(tv, 0)), *n1 = ck_gw_name(tv_gw(tv, 1));
	struct diag *d = check_report_sev(ctx, DIAG_ERROR, t->loc,
		"both ends of tunnel %s are behind a port-translating NAT (%s and %s): each "
		"NAT lets in only what answers its own side, so neither end's IKE reaches "
		"the other and the tunnel never comes up", t->name, n0, n1);
	ck_diag_names(d, t, tv_gw(tv, 0), tv_gw(tv, 1));
	diag_fix(d, "give %s or %s a public address or a one-to-one NAT ('behind-nat ADDR;' "
		 "with a port forward of UDP 500 and 4500)", n0, n1);
	diag_related(d, w0, "%s is behind PAT here", n0);
	diag_related(d, w1, "%s is behind PAT here", n1);
	probe_note_from_end(ctx, d, tv, 0);
}

static void only_pat_starts(struct check_ctx *ctx, const struct tview *tv, int pat,
			    struct tunc_loc where)
{
	const struct ir_tunnel *t = tv->t;
	const char *np = ck_gw_name(tv_gw(tv, pat)), *nf = ck_gw_name(tv_gw(tv, 1 - pat));
	/* DPD runs over an established IKE SA: it keeps the NAT mapping open
	 * and notices a dead peer, but starts nothing (doc/checks.md). */
	const struct ir_dpd *dpd = tv->mt[pat] ? ir_end_dpd(tv->mt[pat]->here) : NULL;
	char dpd_text[200] = "";
	if (dpd && dpd->set)
		snprintf(dpd_text, sizeof(dpd_text), " (its dpd, every %llu s, keeps an "
			 "established tunnel and its NAT mapping alive but starts nothing)",
			 (unsigned long long)dpd->interval_s);
	struct diag *d = check_report(ctx, t->loc,
		"only %s can start tunnel %s: it is behind a port-translating NAT, which "
		"drops IKE that %s starts, and no expectation sends traffic from %s's side "
		"into the tunnel%s, so nothing brings it up and %s's traffic is dropped",
		np, t->name, nf, np, dpd_text, nf);
	ck_diag_names(d, t, tv_gw(tv, 0), tv_gw(tv, 1));
	diag_fix(d, "make %s's side start the tunnel (traffic from behind it, and an "
		 "'expect' from its side 'protected by %s'); NAT-T keepalives and DPD then "
		 "hold the NAT mapping open for %s; or give %s a one-to-one NAT "
		 "('behind-nat ADDR;')", np, t->name, nf, np);
	diag_related(d, where, "%s is behind PAT here", np);
	probe_note_from_end(ctx, d, tv, 1 - pat);
}

/* The PAT'd end starts the tunnel but runs no dead-peer detection (no
 * `dpd`, and none by its platform's default: IOS, ASA and strongSwan run
 * it anyway): when the far end loses the SAs (a restart), it cannot start
 * IKE through the PAT, and the PAT'd end goes on sending into the dead SA
 * until its lifetime ends.  A note: the engine models no restart
 * (doc/checks.md). */
static void pat_without_dpd(struct check_ctx *ctx, const struct tview *tv, int pat,
			    struct tunc_loc where)
{
	const struct model_tunnel *mt = tv->mt[pat];
	const struct ir_ipsec *ipsec = model_tunnel_ipsec(mt);
	const struct platform_info *p = ck_gw_platform(tv_gw(tv, pat));
	if (!mt || ir_end_dpd(mt->here)->set || tv_gw(tv, pat)->kind != GW_GATEWAY || !p ||
	    p->dpd_default_s)
		return;
	const struct ir_tunnel *t = tv->t;
	const char *np = ck_gw_name(tv_gw(tv, pat)), *nf = ck_gw_name(tv_gw(tv, 1 - pat));
	unsigned long long life = ipsec ? (unsigned long long)ipsec->lifetime_s : 0;
	char until[80] = "until its SAs expire";
	if (life)
		snprintf(until, sizeof(until), "for up to %llu s, until its SAs expire", life);
	struct diag *d = check_report_sev(ctx, DIAG_NOTE, t->loc,
		"%s starts tunnel %s from behind a port-translating NAT but runs no dead-peer "
		"detection (no dpd, and %s has none by default): "
		"when %s loses the SAs (a restart), it cannot start IKE through the NAT, "
		"and %s does not notice and goes on sending into the dead SA %s",
		np, t->name, p->description, nf, np, until);
	ck_diag_names(d, t, tv_gw(tv, 0), tv_gw(tv, 1));
	diag_fix(d, "add 'dpd 10s;' to tunnel %s (or to %s's block): %s then finds the "
		 "peer gone and starts the tunnel again", t->name, np, np);
	diag_related(d, where, "%s is behind PAT here", np);
}

void check_pat_no_initiator(struct check_ctx *ctx)
{
	struct tviews tvs;
	ck_tviews_build(ctx, &tvs);
	for (size_t i = 0; i < tvs.n; i++) {
		const struct tview *tv = &tvs.v[i];
		if (tv_gw(tv, 0) == tv_gw(tv, 1) || model_keyed_by_hand(tv->t))
			continue;
		struct tunc_loc w[2] = {LOC_NONE, LOC_NONE};
		bool pat0 = end_pat(tv, 0, &w[0]), pat1 = end_pat(tv, 1, &w[1]);
		if (pat0 && pat1)
			both_behind_pat(ctx, tv, w[0], w[1]);
		else if (pat0 != pat1 && !ck_expectation_starts(ctx, tv, pat0 ? 0 : 1))
			only_pat_starts(ctx, tv, pat0 ? 0 : 1, pat0 ? w[0] : w[1]);
		else if (pat0 != pat1)
			pat_without_dpd(ctx, tv, pat0 ? 0 : 1, pat0 ? w[0] : w[1]);
	}
	ck_tviews_free(&tvs);
}
