/* Devices -> IR.  Everything goes through the builder the parser uses
 * (src/ir/build.h), with the locations the readers recorded, so a finding
 * on an imported estate points into the original configuration files. */
#include "config.h"
#include "import/assemble.h"

#include <stdio.h>
#include <string.h>

#include "ir/addr.h"

#define ARENA(c) (&(c)->ir->arena)

/* A name a .tun can carry in quotes and a person can read: anything but
 * letters, digits and . _ / : - becomes '-'. */
static const char *clean_name(struct parse_ctx *c, const char *s)
{
	char *out = arena_strdup(ARENA(c), s && *s ? s : "unnamed");
	for (char *p = out; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("._/:-", *p)))
			*p = '-';
	return out;
}

/* NAME, or NAME-2, NAME-3... when TABLE already holds it. */
static const char *unique_name(struct parse_ctx *c, struct symtab *table, const char *name)
{
	const char *n = clean_name(c, name);
	for (unsigned i = 2; symtab_get(table, n); i++)
		n = arena_printf(ARENA(c), "%s-%u", clean_name(c, name), i);
	symtab_put(table, n, (void *)n);
	return n;
}

static bool same_addr(const struct imp_text *a, const struct imp_text *b)
{
	struct ip_addr x, y;
	return a->s && b->s && addr_parse(a->s, &x) && addr_parse(b->s, &y) && addr_equal(&x, &y);
}

static void prefixes(struct parse_ctx *c, const imp_text_vec *in, ir_prefix_vec *out)
{
	for (size_t i = 0; i < in->n; i++) {
		struct ir_prefix p;
		if (build_prefix(c, in->v[i].s, in->v[i].loc, false, &p))
			arena_vec_push(ARENA(c), out, p);
	}
}

/* The site's subnets: what the device's tunnels protect locally, or, with
 * no tunnel, the networks of its inside interfaces. */
static void site_subnets(struct parse_ctx *c, const struct imp_device *d)
{
	ir_prefix_vec v = {0};
	for (size_t e = 0; e < d->ends.n; e++)
		for (size_t i = 0; i < d->ends.v[e].local_ts.n; i++) {
			const struct imp_text *t = &d->ends.v[e].local_ts.v[i];
			bool seen = false;
			for (size_t j = 0; j < v.n && !seen; j++) {
				struct ip_prefix p;
				seen = prefix_parse(t->s, &p) && prefix_equal(&p, &v.v[j].p);
			}
			struct ir_prefix p;
			if (!seen && build_prefix(c, t->s, t->loc, false, &p))
				arena_vec_push(ARENA(c), &v, p);
		}
	for (size_t i = 0; v.n == 0 && i < d->ifaces.n; i++) {
		const struct imp_iface *f = &d->ifaces.v[i];
		struct ir_prefix p = {.loc = f->address.loc};
		if (f->outside || !f->address.s || !prefix_parse(f->address.s, &p.p))
			continue;
		p.p = prefix_network(&p.p);
		arena_vec_push(ARENA(c), &v, p);
	}
	build_subnets(c, &v, d->name.loc);
}

static void build_device(struct parse_ctx *c, struct imp_device *d)
{
	const char *name = d->name.s;
	build_site_begin(c, unique_name(c, &c->ir->site_names, name), d->name.loc);
	/* The resolver registers the names itself: the tables above only
	 * keep this import's names apart, so start them afresh there. */
	site_subnets(c, d);
	build_gateway_begin(c, GW_GATEWAY, unique_name(c, &c->ir->gateway_names, name), d->name.loc);
	d->name.s = c->cur_gw->name;
	if (d->platform)
		build_platform(c, d->platform, d->name.loc, d->version.s, d->version.loc,
			       d->version.s ? d->version.loc : d->name.loc);
	for (size_t i = 0; i < d->ifaces.n; i++) {
		const struct imp_iface *f = &d->ifaces.v[i];
		build_interface_begin(c, clean_name(c, f->name.s), f->name.loc);
		if (f->address.s)
			build_if_address(c, f->address.s, f->address.loc, f->address.loc);
		if (f->outside)
			build_if_outside(c, f->name.loc);
		build_interface_end(c);
	}
	for (size_t i = 0; i < d->routes.n; i++) {
		const struct imp_route *r = &d->routes.v[i];
		struct ir_prefix dst;
		if (build_prefix(c, r->dst.s, r->dst.loc, false, &dst))
			build_route(c, &dst, r->via.s, r->via.loc, NULL, LOC_NONE, NULL, LOC_NONE, r->loc);
	}
	for (size_t i = 0; i < d->nat.n; i++) {
		const struct imp_nat *n = &d->nat.v[i];
		struct ir_prefix src, dst;
		if (i == 0)
			build_nat_begin(c, n->loc);
		if (n->kind == NAT_STATIC) {
			build_nat_static(c, n->src.s, n->src.loc, n->dst.s, n->dst.loc, n->loc);
			continue;
		}
		if (!build_prefix(c, n->src.s, n->src.loc, false, &src))
			continue;
		if (n->kind == NAT_OVERLOAD)
			build_nat_overload(c, &src, clean_name(c, n->iface.s), n->iface.loc, n->loc);
		else if (build_prefix(c, n->dst.s, n->dst.loc, false, &dst))
			build_nat_exempt(c, &src, &dst, n->loc);
	}
	build_gateway_end(c);
	build_site_end(c);
}

static void build_proposal(struct parse_ctx *c, struct imp_proposal *p)
{
	p->name = unique_name(c, p->ike ? &c->ir->ike_names : &c->ir->ipsec_names, p->name);
	if (p->ike)
		build_ike_begin(c, p->name, p->loc);
	else
		build_ipsec_begin(c, p->name, p->loc);
	if (p->ike && p->version)
		build_version(c, p->version == 1 ? "1" : "2", p->loc);
	if (p->ike && p->mode.s)
		build_mode(c, p->mode.s, p->mode.loc);
	if (!p->ike && p->protocol.s)
		build_ipsec_protocol(c, p->protocol.s, p->protocol.loc);
	if (p->enc.n)
		build_encryption(c, &p->enc, p->enc_loc);
	if (p->integ.n)
		build_integrity(c, &p->integ, p->integ_loc);
	if (p->ike && p->group.n)
		build_groups(c, &p->group, p->group_loc);
	if (!p->ike && p->pfs.s)
		build_pfs(c, p->pfs.s, p->pfs.loc);
	if (p->lifetime_s) {
		char s[32];
		snprintf(s, sizeof(s), "%llus", (unsigned long long)p->lifetime_s);
		build_lifetime(c, arena_strdup(ARENA(c), s), p->lifetime_loc, NULL, LOC_NONE,
			       p->lifetime_loc);
	}
	build_proposal_end(c);
}

/* The per-end block: what this device configures for the tunnel. */
static void build_end(struct parse_ctx *c, const struct imp_device *d, const struct imp_end *e)
{
	build_end_begin(c, d->name.s, e->loc);
	if (e->local_ts.n) {
		ir_prefix_vec v = {0};
		prefixes(c, &e->local_ts, &v);
		build_end_selectors(c, true, &v, e->local_loc);
	}
	if (e->remote_ts.n) {
		ir_prefix_vec v = {0};
		prefixes(c, &e->remote_ts, &v);
		build_end_selectors(c, false, &v, e->remote_loc);
	}
	if (e->local_addr.s)
		build_end_endpoint(c, true, e->local_addr.s, e->local_addr.loc, e->local_addr.loc);
	if (e->peer_addr.s)
		build_end_endpoint(c, false, e->peer_addr.s, e->peer_addr.loc, e->peer_addr.loc);
	if (e->ike >= 0)
		build_proposal_ref(c, true, d->proposals.v[e->ike].name, d->proposals.v[e->ike].loc);
	if (e->ipsec >= 0)
		build_proposal_ref(c, false, d->proposals.v[e->ipsec].name,
				   d->proposals.v[e->ipsec].loc);
	if (e->psk.s) {
		/* The key is inline in the configuration: never shown in a finding. */
		source_mark_secret(c->ir->sources, e->psk.loc);
		build_psk(c, PSK_INLINE, e->psk.s, e->psk.loc);
	}
	build_end_end(c);
}

/* The far end of E when no file describes it: a peer at the address E
 * names, protecting what E sends to. */
static const char *build_far_peer(struct parse_ctx *c, const struct imp_end *e)
{
	const char *name = unique_name(c, &c->ir->gateway_names,
				       arena_printf(ARENA(c), "peer-%s", e->peer_addr.s));
	for (char *p = (char *)name; *p; p++)
		if (*p == '.' || *p == ':')
			*p = '-';
	build_gateway_begin(c, GW_PEER, name, e->peer_addr.loc);
	build_peer_address(c, e->peer_addr.s, e->peer_addr.loc, e->peer_addr.loc);
	ir_prefix_vec v = {0};
	prefixes(c, &e->remote_ts, &v);
	build_subnets(c, &v, e->remote_loc);
	build_gateway_end(c);
	return name;
}

/* Ends pair when each one's peer address is the other's endpoint; when
 * none does so (one end behind NAT knows its peer by its public address),
 * when one's peer address is the other's endpoint. */
static bool ends_pair(const struct imp_end *a, const struct imp_end *b, bool strict)
{
	bool ab = same_addr(&a->peer_addr, &b->local_addr);
	bool ba = same_addr(&b->peer_addr, &a->local_addr);
	return strict ? ab && ba : ab || ba;
}

static struct imp_end *find_pair(struct imp_device *devs, size_t n, size_t i,
				 const struct imp_end *e, bool strict, struct imp_device **od)
{
	for (size_t j = i + 1; j < n; j++)
		for (size_t m = 0; m < devs[j].ends.n; m++)
			if (devs[j].ends.v[m].pair == -1 && ends_pair(e, &devs[j].ends.v[m], strict)) {
				*od = &devs[j];
				return &devs[j].ends.v[m];
			}
	return NULL;
}

static void build_tunnels(struct parse_ctx *c, struct imp_device *devs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < devs[i].ends.n; k++)
			devs[i].ends.v[k].pair = -1;
	for (size_t i = 0; i < n; i++) {
		struct imp_device *d = &devs[i];
		for (size_t k = 0; k < d->ends.n; k++) {
			struct imp_end *e = &d->ends.v[k];
			if (e->pair != -1)
				continue;
			struct imp_device *od = NULL;
			struct imp_end *f = find_pair(devs, n, i, e, true, &od);
			if (!f)
				f = find_pair(devs, n, i, e, false, &od);
			/* A generated Cisco entry name (MAP-SEQ) says less than a
			 * strongSwan connection name. */
			const char *tname = f && d->generic_end_names ? f->name : e->name;
			build_tunnel_begin(c, unique_name(c, &c->ir->tunnel_names, tname), e->loc);
			if (f) {
				e->pair = (int)(od - devs);
				f->pair = (int)i;
				build_between(c, d->name.s, e->loc, od->name.s, f->loc, e->loc);
				build_end(c, d, e);
				build_end(c, od, f);
				build_tunnel_end(c);
				continue;
			}
			e->pair = (int)n;
			struct ir_tunnel *t = c->cur_tunnel;
			build_tunnel_end(c);
			const char *peer = e->peer_addr.s ? build_far_peer(c, e) : "unknown-peer";
			c->cur_tunnel = t;
			build_between(c, d->name.s, e->loc, peer, e->peer_addr.loc, e->loc);
			/* The far end is taken to run what this end runs: tunnel-level
			 * proposals and key, which this end's block repeats. */
			if (e->ike >= 0)
				build_proposal_ref(c, true, d->proposals.v[e->ike].name, e->loc);
			if (e->ipsec >= 0)
				build_proposal_ref(c, false, d->proposals.v[e->ipsec].name, e->loc);
			if (e->psk.s)
				build_psk(c, PSK_INLINE, e->psk.s, e->psk.loc);
			build_end(c, d, e);
			build_tunnel_end(c);
		}
	}
}

bool assemble(struct ir *ir, struct imp_device *devs, size_t n, struct diag_list *diags)
{
	struct parse_ctx c = {.ir = ir, .diags = diags, .dir = "."};
	size_t before = diags->n;
	imp_orient(ir, devs, n);
	for (size_t i = 0; i < n; i++)
		build_device(&c, &devs[i]);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < devs[i].proposals.n; k++)
			build_proposal(&c, &devs[i].proposals.v[k]);
	build_tunnels(&c, devs, n);
	/* The resolver fills the name tables from the IR and reports
	 * duplicates; the names above are unique, so empty them for it. */
	symtab_free(&ir->ike_names);
	symtab_free(&ir->ipsec_names);
	symtab_free(&ir->site_names);
	symtab_free(&ir->gateway_names);
	symtab_free(&ir->tunnel_names);
	symtab_init(&ir->ike_names);
	symtab_init(&ir->ipsec_names);
	symtab_init(&ir->site_names);
	symtab_init(&ir->gateway_names);
	symtab_init(&ir->tunnel_names);
	for (size_t i = before; i < diags->n; i++)
		if (diags->v[i].front_end)
			return false;
	return true;
}
