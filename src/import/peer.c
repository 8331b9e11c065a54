/* Peers read from tunc's peer sheets: the far end of a tunnel that tunc
 * does not configure, described by the sheet compile wrote for its
 * administrator.  It becomes a `peer` with its platform (so that lint's
 * cloud checks see an AWS end as AWS), and its tunnel ends pair with the
 * gateway's configuration by endpoint addresses (assemble.c). */
#include "config.h"
#include "import/peer.h"

#include <stdlib.h>
#include <string.h>

#include "import/assemble.h"
#include "ir/addr.h"

#define ARENA(c) (&(c)->ir->arena)

static void add_prefix(struct parse_ctx *c, ir_prefix_vec *v, const struct imp_text *t)
{
	struct ir_prefix p;
	if (!build_prefix(c, t->s, t->loc, false, &p))
		return;
	for (size_t i = 0; i < v->n; i++)
		if (prefix_equal(&v->v[i].p, &p.p))
			return;
	arena_vec_push(ARENA(c), v, p);
}

void imp_build_peer(struct parse_ctx *c, struct imp_device *d, const char *name)
{
	if (!d->ends.n)
		return;         /* no tunnel names it: it has no address (the reader noted it) */
	build_gateway_begin(c, GW_PEER, name, d->name.loc);
	d->name.s = c->cur_gw->name;
	if (d->platform)
		build_platform(c, d->platform, d->name.loc, d->version.s, d->version.loc, d->name.loc);
	const struct imp_text *addr = d->ends.n ? &d->ends.v[0].local_addr : NULL;
	if (addr && addr->s)
		build_peer_address(c, addr->s, addr->loc, addr->loc);
	ir_prefix_vec v = {0};
	for (size_t i = 0; i < d->ends.n; i++)
		for (size_t k = 0; k < d->ends.v[i].local_ts.n; k++)
			add_prefix(c, &v, &d->ends.v[i].local_ts.v[k]);
	build_subnets(c, &v, d->name.loc);
	build_gateway_end(c);
}

static struct ir_gateway *gateway_named(struct parse_ctx *c, const char *name)
{
	for (size_t i = 0; i < c->ir->gateways.n; i++)
		if (strcmp(c->ir->gateways.v[i]->name, name) == 0)
			return c->ir->gateways.v[i];
	return NULL;
}

/* E is a peer sheet's end, F the configured end it pairs with. */
static void pair_one(struct parse_ctx *c, const struct imp_device *d, struct imp_end *e,
		     struct imp_end *f)
{
	/* The sheet does not say how the tunnel is keyed: as F is. */
	if (f->keying.s && !e->keying.s)
		e->keying = f->keying;
	/* The sheet holds no key: the tunnel's is the one F's file holds. */
	if (f->psk.s) {
		source_mark_secret(c->ir->sources, f->psk.loc);
		build_psk(c, PSK_INLINE, f->psk.s, f->psk.loc);
		f->psk.s = NULL;
	}
	/* A route-based peer end protects what its partner routes into the
	 * tunnel (its selectors are any to any). */
	struct ir_gateway *g = gateway_named(c, d->name.s);
	if (g && !e->local_ts.n) {
		const imp_text_vec *far = f->routed.n ? &f->routed : &f->remote_ts;
		for (size_t i = 0; i < far->n; i++)
			add_prefix(c, &g->subnets, &far->v[i]);
	}
}

void imp_pair_peer(struct parse_ctx *c, struct imp_device *d, struct imp_end *e,
		   struct imp_device *od, struct imp_end *f)
{
	const struct imp_text *natt = e->nat_traversal.s ? &e->nat_traversal : &f->nat_traversal;
	if (natt->s)
		build_nat_traversal(c, natt->s, natt->loc);
	if (d->peer && !od->peer)
		pair_one(c, d, e, f);
	else if (od->peer && !d->peer)
		pair_one(c, od, f, e);
}

void imp_unpaired_peer(struct parse_ctx *c, const struct imp_device *d, const struct imp_end *e)
{
	diag_front(c->diags, "syntax", e->loc,
		   "tunnel '%s' of %s's peer sheet pairs with no configuration among the files "
		   "(none has an end at %s toward %s): give the gateway's configuration with "
		   "the sheet", e->name, d->name.s, e->peer_addr.s ? e->peer_addr.s : "?",
		   e->local_addr.s ? e->local_addr.s : "?");
}

/* ---- a peer's sheet and its configuration ---- */

static bool same_addr(const struct imp_text *a, const struct imp_text *b)
{
	struct ip_addr x, y;
	return imp_text_addr(a, &x) && imp_text_addr(b, &y) && addr_equal(&x, &y);
}

/* A and B hold the same prefixes, in any order. */
static bool same_prefixes(const imp_text_vec *a, const imp_text_vec *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		struct ip_prefix p, q;
		bool found = false;
		if (!prefix_parse(a->v[i].s, &p))
			return false;
		for (size_t k = 0; k < b->n && !found; k++)
			found = prefix_parse(b->v[k].s, &q) && prefix_equal(&p, &q);
		if (!found)
			return false;
	}
	return true;
}

static void differs(struct diag_list *diags, const struct imp_device *sheet, const struct imp_end *e,
		    struct tunc_loc at, struct tunc_loc cfg, const char *what)
{
	struct diag *d = diag_add(diags, DIAG_WARNING, "peer-sheet-differs", at,
				  "%s's peer sheet and its configuration differ in tunnel %s's %s: "
				  "the configuration's is imported", sheet->name.s, e->name, what);
	diag_related(d, cfg, "%s's configuration", sheet->name.s);
}

static void merge_end(struct imp_device *sheet, struct imp_end *e, struct imp_device *cfg,
		      struct imp_end *f, struct diag_list *diags)
{
	if (!f->local_addr.s)
		f->local_addr = e->local_addr;
	else if (e->local_addr.s && !same_addr(&e->local_addr, &f->local_addr))
		differs(diags, sheet, e, e->local_addr.loc, f->local_addr.loc, "local endpoint");
	if (!f->nat_traversal.s)
		f->nat_traversal = e->nat_traversal;
	if (!same_prefixes(&e->local_ts, &f->local_ts) || !same_prefixes(&e->remote_ts, &f->remote_ts))
		differs(diags, sheet, e, e->local_loc, f->local_loc, "traffic selectors");
	if ((e->ike >= 0) != (f->ike >= 0) ||
	    (e->ike >= 0 && !imp_same_proposal(&sheet->proposals.v[e->ike], &cfg->proposals.v[f->ike])))
		differs(diags, sheet, e, e->ike >= 0 ? sheet->proposals.v[e->ike].loc : e->loc,
			f->ike >= 0 ? cfg->proposals.v[f->ike].loc : f->loc, "IKE proposal");
	if ((e->ipsec >= 0) != (f->ipsec >= 0) ||
	    (e->ipsec >= 0 &&
	     !imp_same_proposal(&sheet->proposals.v[e->ipsec], &cfg->proposals.v[f->ipsec])))
		differs(diags, sheet, e, e->ipsec >= 0 ? sheet->proposals.v[e->ipsec].loc : e->loc,
			f->ipsec >= 0 ? cfg->proposals.v[f->ipsec].loc : f->loc, "IPsec proposal");
}

static void merge_sheet(struct imp_device *sheet, struct imp_device *cfg, struct diag_list *diags)
{
	for (size_t i = 0; i < sheet->ends.n; i++) {
		struct imp_end *e = &sheet->ends.v[i], *f = NULL;
		for (size_t k = 0; k < cfg->ends.n && !f; k++)
			if (same_addr(&e->peer_addr, &cfg->ends.v[k].peer_addr))
				f = &cfg->ends.v[k];
		if (f)
			merge_end(sheet, e, cfg, f, diags);
		else
			diag_add(diags, DIAG_WARNING, "peer-sheet-differs", e->loc,
				 "%s's configuration has no crypto map entry toward %s for tunnel %s "
				 "of its peer sheet: the configuration is imported", sheet->name.s,
				 e->peer_addr.s ? e->peer_addr.s : "?", e->name);
	}
	if (!cfg->version.s)
		cfg->version = sheet->version;
	sheet->ends.n = 0;
	sheet->proposals.n = 0;
}

/* E, a peer configuration's end that states no address of its own (an
 * IKEv1 entry: no IKEv2 identity) and no sheet gave one: the address a
 * gateway's end at E's `set peer` address, with the mirror of E's
 * selectors, names as its peer (its `set peer`). */
static void endpoint_from_partner(struct imp_end *e, struct imp_device *devs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; !devs[i].peer && k < devs[i].ends.n; k++) {
			const struct imp_end *f = &devs[i].ends.v[k];
			if (f->peer_addr.s && same_addr(&f->local_addr, &e->peer_addr) &&
			    same_prefixes(&f->local_ts, &e->remote_ts) &&
			    same_prefixes(&f->remote_ts, &e->local_ts)) {
				e->local_addr = f->peer_addr;
				return;
			}
		}
}

void imp_merge_peer_sheets(struct imp_device *devs, size_t n, struct diag_list *diags)
{
	/* The configurations of peers are few (one per partner): look the
	 * sheets' names up among those only. */
	size_t *cfg = NULL, ncfg = 0;
	for (size_t i = 0; i < n; i++)
		if (devs[i].peer && strcmp(devs[i].reader, "sheet") != 0) {
			if (!cfg)
				cfg = xcalloc(n, sizeof(*cfg));
			cfg[ncfg++] = i;
		}
	for (size_t i = 0; ncfg && i < n; i++) {
		struct imp_device *d = &devs[i];
		if (!d->peer || strcmp(d->reader, "sheet") != 0)
			continue;
		for (size_t k = 0; k < ncfg; k++)
			if (strcmp(devs[cfg[k]].name.s, d->name.s) == 0) {
				merge_sheet(d, &devs[cfg[k]], diags);
				break;
			}
	}
	for (size_t k = 0; k < ncfg; k++)
		for (size_t i = 0; i < devs[cfg[k]].ends.n; i++)
			if (!devs[cfg[k]].ends.v[i].local_addr.s)
				endpoint_from_partner(&devs[cfg[k]].ends.v[i], devs, n);
	free(cfg);
}
