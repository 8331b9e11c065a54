/* Peers read from tunc's peer sheets: the far end of a tunnel that tunc
 * does not configure, described by the sheet compile wrote for its
 * administrator.  It becomes a `peer` with its platform (so that lint's
 * cloud checks see an AWS end as AWS), and its tunnel ends pair with the
 * gateway's configuration by endpoint addresses (assemble.c). */
#include "config.h"
#include "import/peer.h"

#include <string.h>

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
