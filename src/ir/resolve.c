/* Name resolution, defaults and consistency of the IR (LANGUAGE.md).
 * Every problem is reported at the name or value that causes it, with the
 * earlier definition as a related location; nothing is fixed silently. */
#include "config.h"
#include "diag/diag.h"
#include "ir/ir.h"
#include "platform/platform.h"
#include "util/suggest.h"

#include <string.h>

struct resolver {
	struct ir *ir;
	struct diag_list *diags;
	size_t errors_before;
};

#define ARENA(r) (&(r)->ir->arena)

/* ---- names ---- */

static void define(struct resolver *r, struct symtab *t, const char *kind,
		   const char *name, struct tunc_loc loc, void *node,
		   struct tunc_loc (*loc_of)(void *))
{
	void *old = symtab_put(t, name, node);
	if (!old)
		return;
	struct diag *d = diag_front(r->diags, "duplicate-name", loc, "%s '%s' is defined twice",
				    kind, name);
	diag_related(d, loc_of(old), "'%s' was first defined here", name);
}

static struct tunc_loc ike_loc(void *p) { return ((struct ir_ike *)p)->loc; }
static struct tunc_loc ipsec_loc(void *p) { return ((struct ir_ipsec *)p)->loc; }
static struct tunc_loc site_loc(void *p) { return ((struct ir_site *)p)->loc; }
static struct tunc_loc gw_loc(void *p) { return ((struct ir_gateway *)p)->loc; }
static struct tunc_loc host_loc(void *p) { return ((struct ir_host *)p)->loc; }
static struct tunc_loc tunnel_loc(void *p) { return ((struct ir_tunnel *)p)->loc; }

static void define_all(struct resolver *r)
{
	struct ir *ir = r->ir;
	/* Each table sized once for its names (a hub's are big). */
	symtab_reserve(&ir->ike_names, ir->ikes.n);
	symtab_reserve(&ir->ipsec_names, ir->ipsecs.n);
	symtab_reserve(&ir->site_names, ir->sites.n);
	symtab_reserve(&ir->gateway_names, ir->gateways.n);
	symtab_reserve(&ir->host_names, ir->hosts.n);
	symtab_reserve(&ir->tunnel_names, ir->tunnels.n);
	for (size_t i = 0; i < ir->ikes.n; i++)
		define(r, &ir->ike_names, "ike proposal", ir->ikes.v[i]->name, ir->ikes.v[i]->loc,
		       ir->ikes.v[i], ike_loc);
	for (size_t i = 0; i < ir->ipsecs.n; i++)
		define(r, &ir->ipsec_names, "ipsec proposal", ir->ipsecs.v[i]->name,
		       ir->ipsecs.v[i]->loc, ir->ipsecs.v[i], ipsec_loc);
	for (size_t i = 0; i < ir->sites.n; i++)
		define(r, &ir->site_names, "site", ir->sites.v[i]->name, ir->sites.v[i]->loc,
		       ir->sites.v[i], site_loc);
	for (size_t i = 0; i < ir->gateways.n; i++) {
		struct ir_gateway *g = ir->gateways.v[i];
		define(r, &ir->gateway_names, g->kind == GW_PEER ? "peer" : "gateway", g->name,
		       g->loc, g, gw_loc);
	}
	for (size_t i = 0; i < ir->hosts.n; i++)
		define(r, &ir->host_names, "host", ir->hosts.v[i]->name, ir->hosts.v[i]->loc,
		       ir->hosts.v[i], host_loc);
	for (size_t i = 0; i < ir->tunnels.n; i++)
		define(r, &ir->tunnel_names, "tunnel", ir->tunnels.v[i]->name, ir->tunnels.v[i]->loc,
		       ir->tunnels.v[i], tunnel_loc);
}

/* ---- did you mean ---- */

static void consider_table(struct suggest *s, const struct symtab *t)
{
	for (size_t i = 0; i < t->cap; i++)
		if (t->slots[i].key)
			suggest_consider(s, t->slots[i].key);
}

/* "; did you mean 'rtr-b'?" for S, or "". */
static const char *suggestion(struct resolver *r, const struct suggest *s)
{
	const char *t = suggest_text(s, ARENA(r));
	return t ? arena_printf(ARENA(r), "; %s", t) : "";
}

static const char *near_name(struct resolver *r, const char *name, const struct symtab *t)
{
	struct suggest s;
	suggest_init(&s, name);
	consider_table(&s, t);
	return suggestion(r, &s);
}

static void *lookup(struct resolver *r, struct symtab *t, struct ir_ref *ref, const char *kind)
{
	if (!ref->name)
		return NULL;
	ref->target = symtab_get(t, ref->name);
	if (!ref->target)
		diag_front(r->diags, "undefined-name", ref->loc, "%s '%s' is not defined%s", kind,
			   ref->name, near_name(r, ref->name, t));
	return ref->target;
}

struct ir_gateway *ir_find_gateway(const struct ir *ir, const char *name)
{
	/* Built again, once, when something asks by name after resolve
	 * (`--send`, a probe, compile's --gateway): a cache, hence the cast.
	 * The first of a duplicated name wins, as define() kept it. */
	struct symtab *t = (struct symtab *)&ir->gateway_names;
	if (ir->names_released && t->n == 0 && ir->gateways.n) {
		symtab_reserve(t, ir->gateways.n);
		for (size_t i = 0; i < ir->gateways.n; i++)
			symtab_put(t, ir->gateways.v[i]->name, ir->gateways.v[i]);
	}
	return symtab_get(t, name);
}

struct ir_tunnel *ir_find_tunnel(const struct ir *ir, const char *name)
{
	/* The table is gone once resolve has bound every reference
	 * (release_resolve_tables), and only tests ask by name: a scan. */
	for (size_t i = 0; i < ir->tunnels.n; i++)
		if (strcmp(ir->tunnels.v[i]->name, name) == 0)
			return ir->tunnels.v[i];
	return NULL;
}

struct ir_host *ir_find_host(const struct ir *ir, const char *name)
{
	return symtab_get(&ir->host_names, name);
}

/* ---- address families: `any` means ::/0 beside IPv6 ---- */

static void match_any_family(struct ir_prefix *a, struct ir_prefix *b)
{
	if (a->is_any && b->p.addr.family == AF_V6)
		a->p = prefix_any(AF_V6);
	if (b->is_any && a->p.addr.family == AF_V6)
		b->p = prefix_any(AF_V6);
}

static uint8_t vec_family(const ir_prefix_vec *v)
{
	for (size_t i = 0; i < v->n; i++)
		if (!v->v[i].is_any)
			return v->v[i].p.addr.family;
	return AF_V4;
}

static void any_to_family(ir_prefix_vec *v, uint8_t family)
{
	for (size_t i = 0; i < v->n; i++)
		if (v->v[i].is_any)
			v->v[i].p = prefix_any(family);
}

/* ---- gateways ---- */

static struct ir_interface *find_interface(const struct ir_gateway *g, const char *name)
{
	for (size_t i = 0; i < g->interfaces.n; i++)
		if (strcmp(g->interfaces.v[i]->name, name) == 0)
			return g->interfaces.v[i];
	return NULL;
}

static const char *near_interface(struct resolver *r, const struct ir_gateway *g, const char *name)
{
	struct suggest s;
	suggest_init(&s, name);
	for (size_t i = 0; i < g->interfaces.n; i++)
		suggest_consider(&s, g->interfaces.v[i]->name);
	return suggestion(r, &s);
}

static struct ir_interface *interface_holding(const struct ir_gateway *g, const struct ip_addr *a)
{
	for (size_t i = 0; i < g->interfaces.n; i++) {
		struct ir_interface *ifc = g->interfaces.v[i];
		if (ifc->has_address && prefix_contains_addr(&ifc->address, a))
			return ifc;
	}
	return NULL;
}

static void resolve_interfaces(struct resolver *r, struct ir_gateway *g)
{
	for (size_t i = 0; i < g->interfaces.n; i++) {
		struct ir_interface *ifc = g->interfaces.v[i];
		for (size_t j = 0; j < i; j++)
			if (strcmp(g->interfaces.v[j]->name, ifc->name) == 0) {
				struct diag *d = diag_front(r->diags, "duplicate-name", ifc->loc,
							    "%s has two interfaces named %s", g->name, ifc->name);
				diag_related(d, g->interfaces.v[j]->loc, "the first is here");
			}
		if (!ifc->has_address)
			diag_front(r->diags, "invalid-value", ifc->loc,
				   "interface %s of %s has no address", ifc->name, g->name);
		struct ir_filter *filters[2] = {ir_iface_written(ifc)->filter_in, ir_iface_written(ifc)->filter_out};
		for (int k = 0; k < 2; k++)
			for (size_t j = 0; filters[k] && j < filters[k]->rules.n; j++) {
				struct ir_filter_rule *rule = &filters[k]->rules.v[j];
				match_any_family(&rule->src, &rule->dst);
			}
	}
}

/* `route PREFIX via tunnel NAME;`: the tunnel exists, G is one of its
 * ends and that end is route-based (it has the tunnel interface). */
static void resolve_tunnel_route(struct resolver *r, struct ir_gateway *g, struct ir_route *rt)
{
	struct ir_tunnel *t = lookup(r, &r->ir->tunnel_names, rt->tunnel, "tunnel");
	if (!t)
		return;
	for (int i = 0; i < 2; i++) {
		const struct ir_tunnel_end *e = &t->end[i];
		if (!e->gw.name || strcmp(e->gw.name, g->name) != 0)
			continue;
		if (ir_tunnel_route_based(t)->set)
			return;
		/* The per-end blocks are merged into the ends later
		 * (resolve_tunnel): look at them as written. */
		for (size_t b = 0; b < t->end_blocks.n; b++) {
			const struct ir_tunnel_end *blk = t->end_blocks.v[b];
			if (blk->gw.name && strcmp(blk->gw.name, g->name) == 0 &&
			    ir_end_route_based(blk)->set)
				return;
		}
		struct diag *d = diag_front(r->diags, "invalid-value", rt->tunnel->loc,
					    "%s's end of tunnel %s is not route-based: it has no "
					    "tunnel interface to route into", g->name, t->name);
		diag_fix(d, "add `route-based PREFIX;` to the tunnel or to %s's block", g->name);
		return;
	}
	diag_front(r->diags, "invalid-value", rt->tunnel->loc, "%s is not an end of tunnel %s",
		   g->name, t->name);
}

static void resolve_routes(struct resolver *r, struct ir_gateway *g)
{
	for (size_t i = 0; i < g->routes.n; i++) {
		struct ir_route *rt = &g->routes.v[i];
		if (rt->tunnel) {
			resolve_tunnel_route(r, g, rt);
			continue;
		}
		if (rt->dst.is_any && rt->via.family == AF_V6)
			rt->dst.p = prefix_any(AF_V6);
		if (rt->dev.name) {
			if (!(rt->dev.target = find_interface(g, rt->dev.name)))
				diag_front(r->diags, "undefined-name", rt->dev.loc,
					   "%s has no interface named %s%s", g->name, rt->dev.name,
					   near_interface(r, g, rt->dev.name));
			continue;
		}
		if (!rt->via.family)
			continue;
		rt->dev.target = interface_holding(g, &rt->via);
		if (!rt->dev.target) {
			struct diag *d = diag_front(r->diags, "invalid-value", rt->via_loc,
						    "next hop is not on any of %s's interfaces", g->name);
			diag_fix(d, "add `dev IFNAME` or an interface whose subnet holds the next hop");
		}
	}
	/* Routes to connected subnets are implied: route_dev and the model
	 * (build_routes) take them from the interfaces, not from the list. */
}

static void resolve_nat(struct resolver *r, struct ir_gateway *g)
{
	for (size_t i = 0; i < g->nat.n; i++) {
		struct ir_nat_rule *n = &g->nat.v[i];
		if (n->kind == NAT_EXEMPT)
			match_any_family(&n->src, &n->dst);
		if (n->kind == NAT_OVERLOAD && n->iface.name &&
		    !(n->iface.target = find_interface(g, n->iface.name)))
			diag_front(r->diags, "undefined-name", n->iface.loc,
				   "%s has no interface named %s%s", g->name, n->iface.name,
				   near_interface(r, g, n->iface.name));
	}
}

static void resolve_gateway(struct resolver *r, struct ir_gateway *g)
{
	if (!g->pinfo) {
		/* No platform, or an unknown version (already reported). */
		g->pinfo = platform_find(g->platform, NULL);
		if (!g->version && g->pinfo)
			g->version = g->pinfo->default_version;
	}
	if (g->kind == GW_PEER) {
		if (!g->address.family)
			diag_front(r->diags, "invalid-value", g->loc,
				   "peer %s has no address (its tunnel endpoint)", g->name);
		return;
	}
	resolve_interfaces(r, g);
	resolve_routes(r, g);
	resolve_nat(r, g);
}

/* The address the world sees for a gateway's interface (behind-nat). */
static struct ip_addr public_address(const struct ir_interface *ifc)
{
	const struct ir_iface_written *w = ir_iface_written(ifc);
	return w->behind_nat ? w->nat_address : ifc->address.addr;
}

/* One candidate of route_dev: the longest prefix wins, then the lowest
 * metric, then the first. */
struct route_pick {
	bool found;
	unsigned len, metric;
	struct ir_interface *dev;
};

static void route_consider(struct route_pick *best, const struct ip_prefix *dst,
			   const struct ip_addr *to, unsigned metric, struct ir_interface *dev)
{
	if (!prefix_contains_addr(dst, to))
		return;
	if (!best->found || dst->len > best->len || (dst->len == best->len && metric < best->metric))
		*best = (struct route_pick){true, dst->len, metric, dev};
}

/* The device of G's route to DST (NULL: none, or one whose device is not
 * known): the written routes, then the implied ones to the connected
 * subnets (metric 0), which are not stored in the list. */
static struct ir_interface *route_dev(const struct ir_gateway *g, const struct ip_addr *dst)
{
	struct route_pick best = {0};
	for (size_t i = 0; i < g->routes.n; i++) {
		const struct ir_route *rt = &g->routes.v[i];
		route_consider(&best, &rt->dst.p, dst, rt->metric, rt->dev.target);
	}
	for (size_t i = 0; i < g->interfaces.n; i++) {
		struct ir_interface *ifc = g->interfaces.v[i];
		if (ifc->has_address) {
			struct ip_prefix net = prefix_network(&ifc->address);
			route_consider(&best, &net, dst, 0, ifc);
		}
	}
	return best.dev;
}

static struct ir_interface *first_outside(const struct ir_gateway *g, uint8_t family)
{
	for (size_t i = 0; i < g->interfaces.n; i++) {
		struct ir_interface *ifc = g->interfaces.v[i];
		if (ifc->outside && ifc->has_address &&
		    (!family || ifc->address.addr.family == family))
			return ifc;
	}
	return NULL;
}

/* A first guess at where an end sits, before endpoints are final: what the
 * other end routes toward. */
static bool rough_address(const struct ir_tunnel_end *e, struct ip_addr *out)
{
	const struct ir_gateway *g = ir_end_gateway(e);
	if (ir_end_written(e)->local_endpoint_set) {
		*out = e->local_endpoint;
		return true;
	}
	if (g->kind == GW_PEER) {
		*out = g->address;
		return g->address.family != 0;
	}
	const struct ir_interface *ifc = first_outside(g, 0);
	if (!ifc)
		return false;
	*out = public_address(ifc);
	return true;
}

/* LANGUAGE.md: a gateway's tunnel endpoint is the address of the outside
 * interface by which its route to the other end leaves. */
static void local_endpoint(struct resolver *r, struct ir_tunnel *t, int i)
{
	struct ir_tunnel_end *e = &t->end[i], *other = &t->end[1 - i];
	struct ir_gateway *g = ir_end_gateway(e);
	if (g->kind == GW_PEER) {
		if (!ir_end_written(e)->local_endpoint_set) {
			e->local_endpoint = g->address;
			e->local_endpoint_known = g->address.family != 0;
		}
		return;
	}
	struct ip_addr far;
	struct ir_interface *ifc = NULL;
	if (rough_address(other, &far)) {
		struct ir_interface *dev = route_dev(g, &far);
		if (dev && dev->outside)
			ifc = dev;
		if (!ifc)
			ifc = first_outside(g, far.family);
	}
	if (!ifc)
		ifc = first_outside(g, 0);
	if (ir_end_written(e)->local_endpoint_set) {
		e->endpoint_iface = interface_holding(g, &e->local_endpoint);
		if (!e->endpoint_iface)
			e->endpoint_iface = ifc;
		return;
	}
	if (!ifc) {
		struct diag *d = diag_front(r->diags, "invalid-value", e->gw.loc,
					    "%s has no outside interface to be tunnel %s's endpoint",
					    g->name, t->name);
		diag_related(d, g->loc, "%s is defined here", g->name);
		diag_fix(d, "mark the interface that faces the peers with `outside;`");
		return;
	}
	e->endpoint_iface = ifc;
	e->local_endpoint = ifc->address.addr;
	e->local_endpoint_known = true;
}

/* What the other end is reached at: its public address. */
static void remote_endpoint(struct ir_tunnel *t, int i)
{
	struct ir_tunnel_end *e = &t->end[i], *other = &t->end[1 - i];
	if (ir_end_written(e)->remote_endpoint_set || !other->local_endpoint_known)
		return;
	e->remote_endpoint = other->local_endpoint;
	if (other->endpoint_iface && !ir_end_written(other)->local_endpoint_set)
		e->remote_endpoint = public_address(other->endpoint_iface);
	e->remote_endpoint_known = true;
}

static const ir_prefix_vec *subnets_of(const struct ir_gateway *g)
{
	return g->kind == GW_PEER ? &g->subnets : &g->site->subnets;
}

static void merge_end_block(struct resolver *r, struct ir_tunnel *t, struct ir_tunnel_end *b)
{
	int i = -1;
	for (int k = 0; k < 2; k++)
		if (t->end[k].gw.name && strcmp(t->end[k].gw.name, b->gw.name) == 0)
			i = k;
	if (i < 0) {
		struct suggest s;
		suggest_init(&s, b->gw.name);
		for (int k = 0; k < 2; k++)
			if (t->end[k].gw.name)
				suggest_consider(&s, t->end[k].gw.name);
		struct diag *d = diag_front(r->diags, "undefined-name", b->gw.loc,
					    "'%s' is not an end of tunnel %s%s", b->gw.name, t->name,
					    suggestion(r, &s));
		if (t->has_between)
			diag_related(d, t->between_loc, "the tunnel is between %s and %s",
				     t->end[0].gw.name, t->end[1].gw.name);
		return;
	}
	struct ir_tunnel_end *e = &t->end[i];
	if (e->has_block) {
		struct diag *d = diag_front(r->diags, "duplicate-name", b->gw.loc,
					    "tunnel %s has two blocks for %s", t->name, b->gw.name);
		diag_related(d, ir_end_written(e)->block_loc, "the first is here");
		return;
	}
	struct ir_ref gw = e->gw;
	*e = *b;
	e->gw = gw;
}

/* The end's effective proposals and key point at what its block wrote,
 * else at the tunnel's, else at DEFAULTS (the `ike default` and `ipsec
 * default` references of this tunnel, made for its first end that needs
 * them): no end holds a copy. */
static void resolve_proposals(struct resolver *r, struct ir_tunnel *t, struct ir_tunnel_end *e,
			      struct ir_ref *defaults[2])
{
	struct ir_end_written *w = e->written;
	struct ir_ref *tunnel_refs[2] = {&t->ike, &t->ipsec};
	const struct ir_ref **eff[2] = {&e->ike, &e->ipsec};
	struct symtab *tables[2] = {&r->ir->ike_names, &r->ir->ipsec_names};
	const char *kinds[2] = {"ike", "ipsec"};
	for (int k = 0; k < 2; k++) {
		struct ir_ref *own = w ? (k ? &w->ipsec : &w->ike) : NULL;
		const struct ir_ref *ref;
		if (own && own->name) {
			lookup(r, tables[k], own, k ? "ipsec proposal" : "ike proposal");
			ref = own;
		} else if (tunnel_refs[k]->target) {
			ref = tunnel_refs[k];
		} else if (!tunnel_refs[k]->name) {
			if (!defaults[k]) {
				struct ir_ref *d = arena_new(ARENA(r), struct ir_ref);
				d->target = symtab_get(tables[k], "default");
				d->name = "default";
				d->loc = t->loc;
				defaults[k] = d;
			}
			ref = defaults[k];
			if (!ref->target) {
				struct diag *d = diag_front(r->diags, "undefined-name", t->loc,
							    "tunnel %s has no %s proposal for %s and the file "
							    "defines no `%s default`", t->name, kinds[k],
							    e->gw.name, kinds[k]);
				diag_fix(d, "add `%s NAME;` to the tunnel or define `%s default { ... }`",
					 kinds[k], kinds[k]);
			}
		} else {
			/* The tunnel names one that is not defined
			 * (reported): none. */
			ref = &ir_end_written_none.ike;
		}
		*eff[k] = ref;
		if (ref->target) {
			if (k == 0)
				((struct ir_ike *)ref->target)->used = true;
			else
				((struct ir_ipsec *)ref->target)->used = true;
		}
	}
	if (!e->keying_set && t->keying_set) {
		e->keying = t->keying;
		e->keying_set = true;
		e->keying_loc = t->keying_loc;
	}
	e->psk = w && w->psk.source != PSK_NONE ? &w->psk : &t->psk;
	if (e->psk->source == PSK_NONE) {
		struct diag *d = diag_front(r->diags, "invalid-value", t->loc,
					    "tunnel %s has no pre-shared key for %s", t->name, e->gw.name);
		diag_fix(d, "add `psk file \"FILE\";` or `psk env \"VAR\";` to the tunnel");
	}
}

/* Appends FROM to TO in one block of the exact size: a hub with thousands
 * of tunnels makes four such lists per tunnel.  An empty TO shares FROM's
 * block instead (cap == n, so a later push copies it first), unless FROM
 * holds an `any`, which any_to_family rewrites in place. */
static void copy_prefixes(struct arena *a, ir_prefix_vec *to, const ir_prefix_vec *from)
{
	if (!from->n)
		return;
	bool has_any = false;
	for (size_t i = 0; i < from->n; i++)
		has_any |= from->v[i].is_any;
	if (!to->n && !has_any) {
		to->v = from->v;
		to->n = to->cap = from->n;
		return;
	}
	size_t n = to->n + from->n;
	struct ir_prefix *v = arena_alloc_aligned(a, n * sizeof(*v), _Alignof(struct ir_prefix));
	if (to->n)
		memcpy(v, to->v, to->n * sizeof(*v));
	memcpy(v + to->n, from->v, from->n * sizeof(*v));
	to->v = v;
	to->n = to->cap = n;
}

/* The ends' route-based settings, MSS and DPD: the per-end block's, else
 * the tunnel's.  A route-based end's tunnel interface takes the usable
 * address of the link prefix by its place in `between`: the first end the
 * first (doc/route-based.md). */
static void resolve_route_based(struct resolver *r, struct ir_tunnel *t, int i)
{
	struct ir_tunnel_end *e = &t->end[i];
	if (!e->link && !t->link)
		return;         /* nothing written: the defaults */
	/* A block of the end's own: the one it may share with its per-end
	 * block stays as written (engine.xml and import write it back). */
	struct ir_link_settings *l = arena_new(ARENA(r), struct ir_link_settings);
	*l = *ir_link_of(e->link);
	e->link = l;
	const struct ir_link_settings *tl = ir_link_of(t->link);
	if (!l->route_based.set)
		l->route_based = tl->route_based;
	if (l->tcp_mss.mode == TCP_MSS_UNSET)
		l->tcp_mss = tl->tcp_mss;
	if (!l->dpd.set)
		l->dpd = tl->dpd;
	if (!l->route_based.set)
		return;
	struct ip_prefix link = prefix_network(&l->route_based.prefix.p);
	unsigned max = addr_max_len(&link.addr);
	/* /31 and /127 use both addresses (RFC 3021, RFC 6164); a /30 has a
	 * broadcast, a /126 a subnet-router anycast address at its start. */
	unsigned first = link.len == max - 1 ? 0 : 1;
	struct ip_addr a = link.addr;
	a.b[max / 8 - 1] = (uint8_t)(a.b[max / 8 - 1] + first + (unsigned)i);
	l->tunnel_address = (struct ip_prefix){a, link.len};
}

static void resolve_tunnel(struct resolver *r, struct ir_tunnel *t)
{
	if (!t->has_between) {
		diag_front(r->diags, "invalid-value", t->loc,
			   "tunnel %s does not say which ends it is `between`", t->name);
		return;
	}
	/* The tunnel-level proposals are resolved once, here. */
	lookup(r, &r->ir->ike_names, &t->ike, "ike proposal");
	lookup(r, &r->ir->ipsec_names, &t->ipsec, "ipsec proposal");
	bool ends_ok = true;
	struct ir_ref *defaults[2] = {NULL, NULL};
	for (int i = 0; i < 2; i++) {
		struct ir_gateway *g = lookup(r, &r->ir->gateway_names, &t->end[i].gw, "gateway or peer");
		if (!g)
			ends_ok = false;
		else
			g->used = true;
	}
	if (ends_ok && t->end[0].gw.target == t->end[1].gw.target) {
		diag_front(r->diags, "invalid-value", t->end[1].gw.loc,
			   "tunnel %s is between %s and itself", t->name, t->end[0].gw.name);
		ends_ok = false;
	}
	for (size_t b = 0; b < t->end_blocks.n; b++)
		merge_end_block(r, t, t->end_blocks.v[b]);
	if (!ends_ok)
		return;
	if (ir_end_gateway(&t->end[0])->kind == GW_PEER && ir_end_gateway(&t->end[1])->kind == GW_PEER) {
		diag_front(r->diags, "invalid-value", t->between_loc,
			   "tunnel %s is between two peers; tunc configures at least one end", t->name);
		return;
	}
	for (int i = 0; i < 2; i++) {
		struct ir_tunnel_end *e = &t->end[i], *other = &t->end[1 - i];
		const struct ir_gateway *g = ir_end_gateway(e), *og = ir_end_gateway(other);
		if (!e->local_set)
			copy_prefixes(ARENA(r), &e->local, subnets_of(g));
		if (!e->remote_set)
			copy_prefixes(ARENA(r), &e->remote, subnets_of(og));
		any_to_family(&e->local, vec_family(&e->remote));
		any_to_family(&e->remote, vec_family(&e->local));
		if (!e->local.n || !e->remote.n) {
			struct diag *d = diag_front(r->diags, "invalid-value", e->gw.loc,
						    "%s's end of tunnel %s protects nothing: %s has no subnet",
						    g->name, t->name, e->local.n ? og->name : g->name);
			diag_fix(d, "add `subnet PREFIX;` or a `local`/`remote` to the per-end block");
		}
		resolve_proposals(r, t, e, defaults);
		resolve_route_based(r, t, i);
	}
	for (int i = 0; i < 2; i++)
		local_endpoint(r, t, i);
	for (int i = 0; i < 2; i++)
		remote_endpoint(t, i);
}

/* ---- expectations ---- */

static void resolve_point(struct resolver *r, struct ir_expect_point *p)
{
	if (p->kind == EXPECT_PREFIX)
		return;
	struct ir_host *h = symtab_get(&r->ir->host_names, p->ref.name);
	if (h) {
		p->kind = EXPECT_HOST;
		p->ref.target = h;
		p->addr = h->addr;
		h->used = true;
		return;
	}
	struct ir_gateway *g = symtab_get(&r->ir->gateway_names, p->ref.name);
	if (g) {
		p->kind = EXPECT_GATEWAY;
		p->ref.target = g;
		const struct ir_interface *ifc = g->kind == GW_PEER ? NULL : first_outside(g, 0);
		p->addr = ifc ? ifc->address.addr : g->address;
		return;
	}
	struct suggest s;
	suggest_init(&s, p->ref.name);
	consider_table(&s, &r->ir->host_names);
	consider_table(&s, &r->ir->gateway_names);
	diag_front(r->diags, "undefined-name", p->ref.loc, "'%s' is neither a host nor a gateway%s",
		   p->ref.name, suggestion(r, &s));
}

static void resolve_expect(struct resolver *r, struct ir_expect *e)
{
	resolve_point(r, &e->src);
	resolve_point(r, &e->dst);
	if (e->tunnel.name)
		lookup(r, &r->ir->tunnel_names, &e->tunnel, "tunnel");
}

/* The site, tunnel and gateway name tables serve the references resolve
 * binds: nothing looks a site up by name afterwards, tunnels only through
 * ir_find_tunnel's scan, and gateways only where a command or a probe
 * names one (ir_find_gateway builds that table again then; lint of a hub
 * never does).  A hub's three tables are 2 MB each at 100,000 spokes, held
 * through every check otherwise.  (Hosts stay: few, and `--send` names
 * them.) */
static void release_resolve_tables(struct ir *ir)
{
	struct symtab *tables[] = {&ir->site_names, &ir->tunnel_names, &ir->gateway_names};
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		symtab_free(tables[i]);
		symtab_init(tables[i]);
	}
	ir->names_released = true;
}

bool ir_resolve(struct ir *ir, struct diag_list *diags)
{
	struct resolver r = {ir, diags, diags->n};
	define_all(&r);
	for (size_t i = 0; i < ir->gateways.n; i++)
		resolve_gateway(&r, ir->gateways.v[i]);
	for (size_t i = 0; i < ir->tunnels.n; i++)
		resolve_tunnel(&r, ir->tunnels.v[i]);
	for (size_t i = 0; i < ir->expects.n; i++)
		resolve_expect(&r, &ir->expects.v[i]);
	release_resolve_tables(ir);
	for (size_t i = r.errors_before; i < diags->n; i++)
		if (diags->v[i].front_end)
			return false;
	ir->resolved = true;
	return true;
}
