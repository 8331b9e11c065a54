/* The model: each gateway's (and peer's) effective behaviour, derived from
 * the resolved IR.  What a gateway does on its own (connected routes, the
 * platform's implicit SPD entries, the final default) is made explicit here
 * (the final defaults, alike everywhere, are read through model_spd_entry;
 * the connected routes, implied by the interfaces, through model_route_at),
 * with the location of the statement that causes it, so the checks, the
 * emitters and the engine all see the same thing. */
#include "config.h"
#include "model/model.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/manual_keys.h"
#include "model/spd_index.h"
#include "util/strbuf.h"

/* What a hub pays per spoke (LP64): keep them from growing unnoticed. */
_Static_assert(sizeof(void *) != 8 || sizeof(struct spd_entry) == 32,
	       "an SPD entry holds no selector of its own");
_Static_assert(sizeof(void *) != 8 || sizeof(struct model_tunnel) == 96,
	       "a tunnel end's model stays at 96 bytes");
_Static_assert(sizeof(void *) != 8 || sizeof(struct selector_pair) == 64,
	       "a selector pair keeps no location of its own");
_Static_assert(sizeof(void *) != 8 || sizeof(struct model_gateway) == 80,
	       "a spoke's gateway keeps its SPD in one block with three counts");

/* Below this many entries a linear scan is as fast as the index. */
#define SPD_INDEX_MIN 32
/* A gateway with more tunnels than this finds them through a hash index. */
#define TUNNEL_IX_MIN 16

/* The public model plus what only this file needs. */
struct model_impl {
	struct model pub;
	/* IR gateway or peer (its address) -> its place in pub.gateways
	 * (places_*): a pointer is hashed in a few instructions where a
	 * name was hashed and compared byte by byte (model_gateway_of is
	 * asked for every tunnel end, often more than once). */
	uint32_t *gateway_places;
	size_t n_gateway_places;
};

/* Tables of places hashed by an address: model_gateway_of's (IR
 * gateway -> place in the model's gateways) and a hub's model_tunnel_of
 * (IR tunnel -> place in its tunnels).  A slot holds place + 1 (0:
 * empty) and the address is read back from what sits at the place, so a
 * slot takes 4 bytes where a u64map's key and value took 16 (2.1 MB a
 * table at 100,000 spokes).  Sized once, three quarters full, at least
 * one slot empty; linear probing from the hash's share of the table. */
static size_t places_home(const void *key, size_t cap)
{
	uint32_t h = (uint32_t)(((uint64_t)(uintptr_t)key * 0x9e3779b97f4a7c15ull) >> 32);
	return (size_t)(((uint64_t)h * cap) >> 32);
}

static uint32_t *places_new(size_t n, size_t *cap)
{
	*cap = (n * 4 + 2) / 3 + 1;
	return xcalloc(*cap, sizeof(uint32_t));
}

static void places_add(uint32_t *slots, size_t cap, const void *key, size_t place)
{
	size_t i = places_home(key, cap);
	while (slots[i])
		if (++i == cap)
			i = 0;
	slots[i] = (uint32_t)place + 1;
}

static const struct platform_info *platform_of(const struct ir_gateway *g)
{
	if (g->pinfo)
		return g->pinfo;
	return platform_find(PLAT_GENERIC, NULL);
}

/* ---- routes ---- */

static const struct ir_interface *iface_holding(const struct ir_gateway *g,
						const struct ip_addr *a)
{
	for (size_t i = 0; i < g->interfaces.n; i++) {
		const struct ir_interface *ifc = g->interfaces.v[i];
		if (ifc->has_address && prefix_contains_addr(&ifc->address, a))
			return ifc;
	}
	return NULL;
}

/* Routes are stored in one block of the exact size, counted before
 * (build_routes): a spoke's one written route takes 80 bytes of the
 * arena, where the block its vector grew in took 224 with the connected
 * routes stored. */
static void add_route(struct model_gateway *mg, size_t room, struct model_route r)
{
	if (mg->n_stored_routes >= room)
		abort();        /* build_routes counted wrong: a bug, not an input */
	mg->stored_routes[mg->n_stored_routes++] = r;
}

/* How many routes MT's end puts through its tunnel interface at most
 * (tunnel_routes adds them): the far subnets; the written routes into a
 * tunnel are counted once per gateway by build_routes. */
static size_t tunnel_route_room(const struct model_tunnel *mt)
{
	return mt->route_based ? mt->here->remote.n : 0;
}

/* MG's routes, with room for those its route-based ends add after
 * (tunnel_routes): called once its tunnels are built. */
static size_t build_routes(struct arena *a, struct model_gateway *mg)
{
	const struct ir_gateway *g = mg->ir;
	size_t written = 0, into_tunnels = 0;
	if (g->kind == GW_PEER) {
		written = g->subnets.n + (g->address.family != 0);
	} else {
		for (size_t i = 0; i < g->routes.n; i++) {
			if (g->routes.v[i].tunnel)
				into_tunnels++;
			else
				written++;
		}
		/* Routes to the connected subnets are implied (LANGUAGE.md):
		 * made when read (model_route_connected), not stored. */
		size_t connected = 0;
		for (size_t i = 0; i < g->interfaces.n; i++)
			connected += g->interfaces.v[i]->has_address;
		mg->n_connected_routes = (uint32_t)connected;
	}
	size_t room = written + into_tunnels;
	for (size_t t = 0; t < mg->tunnels.n; t++)
		room += tunnel_route_room(mg->tunnels.v[t]);
	if (room > UINT32_MAX)
		abort();        /* more routes than memory could hold */
	mg->stored_routes = room ? arena_alloc(a, room * sizeof(*mg->stored_routes)) : NULL;

	if (g->kind == GW_PEER) {
		/* A peer is described, not configured: what sits behind it is
		 * delivered by it, everything else it reaches directly. */
		for (size_t i = 0; i < g->subnets.n; i++)
			add_route(mg, room, (struct model_route){
				.dst = prefix_network(&g->subnets.v[i].p),
				.connected = true, .loc = g->subnets.v[i].loc});
		if (g->address.family)
			add_route(mg, room, (struct model_route){
				.dst = prefix_any(g->address.family),
				.connected = true, .loc = g->address_loc});
	} else {
		for (size_t i = 0; i < g->routes.n; i++) {
			const struct ir_route *r = &g->routes.v[i];
			if (r->tunnel)
				continue;       /* into a tunnel: tunnel_routes */
			const struct ir_interface *ifc = r->dev.target;
			if (!ifc)
				ifc = iface_holding(g, &r->via);
			add_route(mg, room, (struct model_route){
				.dst = prefix_network(&r->dst.p), .via = r->via, .iface = ifc,
				.iface_written = r->dev.name != NULL, .metric = r->metric,
				.loc = r->loc});
		}
	}
	mg->n_written_routes = mg->n_stored_routes;
	return room;
}

/* The K-th addressed interface of MG's gateway (every one, in a spoke:
 * no scan). */
static const struct ir_interface *connected_iface(const struct model_gateway *mg, size_t k)
{
	const struct ir_gateway *g = mg->ir;
	if (mg->n_connected_routes == g->interfaces.n)
		return g->interfaces.v[k];
	for (size_t i = 0; i < g->interfaces.n; i++)
		if (g->interfaces.v[i]->has_address && k-- == 0)
			return g->interfaces.v[i];
	abort();        /* k < n_connected_routes: unreachable */
}

const struct model_route *model_route_connected(const struct model_gateway *mg, size_t k,
						struct model_route *scratch)
{
	const struct ir_interface *ifc = connected_iface(mg, k);
	*scratch = (struct model_route){
		.dst = prefix_network(&ifc->address), .iface = ifc, .connected = true,
		.loc = ifc->address_loc.file ? ifc->address_loc : ifc->loc};
	return scratch;
}

/* Does a route of prefix P and metric M, met after the best so far
 * (BEST_LEN -1: none yet), take DST from it?  The longer prefix wins, then
 * the lower metric; the first among equals stays. */
static inline bool route_better(const struct ip_prefix *p, unsigned m, const struct ip_addr *dst,
				int best_len, unsigned best_metric)
{
	return prefix_contains_addr(p, dst) &&
	       ((int)p->len > best_len || ((int)p->len == best_len && m < best_metric));
}

/* Walks the routes in model_route_at's order without making the connected
 * ones: an interface's address is its connected route's destination with
 * the host bits, which prefix_contains_addr does not look at, and such a
 * route's metric is 0. */
static inline size_t route_find(const struct model_gateway *mg, const struct ip_addr *dst)
{
	size_t best = MODEL_ROUTE_NONE;
	int best_len = -1;
	unsigned best_metric = 0;
	const struct model_route *s = mg->stored_routes;
	size_t nw = mg->n_written_routes, ns = mg->n_stored_routes, nc = mg->n_connected_routes;
	for (size_t i = 0; i < nw; i++)
		if (route_better(&s[i].dst, s[i].metric, dst, best_len, best_metric)) {
			best = i;
			best_len = s[i].dst.len;
			best_metric = s[i].metric;
		}
	if (nc) {
		const struct ir_gateway *g = mg->ir;
		for (size_t i = 0, k = nw; i < g->interfaces.n; i++) {
			const struct ir_interface *ifc = g->interfaces.v[i];
			if (!ifc->has_address)
				continue;
			if (route_better(&ifc->address, 0, dst, best_len, best_metric)) {
				best = k;
				best_len = ifc->address.len;
				best_metric = 0;
			}
			k++;
		}
	}
	for (size_t i = nw; i < ns; i++)
		if (route_better(&s[i].dst, s[i].metric, dst, best_len, best_metric)) {
			best = i + nc;
			best_len = s[i].dst.len;
			best_metric = s[i].metric;
		}
	return best;
}

size_t model_route_find(const struct model_gateway *mg, const struct ip_addr *dst)
{
	return route_find(mg, dst);
}

const struct model_route *model_route_lookup(const struct model_gateway *mg,
					     const struct ip_addr *dst,
					     struct model_route *scratch)
{
	size_t i = route_find(mg, dst);
	return i == MODEL_ROUTE_NONE ? NULL : model_route_at(mg, i, scratch);
}

/* ---- tunnels ---- */

static bool end_behind_nat(const struct ir_tunnel_end *e)
{
	const struct ir_gateway *g = ir_end_gateway(e);
	if (!g)
		return false;
	if (g->kind == GW_PEER)
		return g->behind_nat;
	return e->endpoint_iface && ir_iface_written(e->endpoint_iface)->behind_nat;
}

/* Behind a port-translating NAT (`behind-nat ... pat`): nothing from
 * outside can start a flow toward it. */
static bool end_behind_pat(const struct ir_tunnel_end *e)
{
	const struct ir_gateway *g = ir_end_gateway(e);
	if (!g)
		return false;
	if (g->kind == GW_PEER)
		return g->behind_nat && g->behind_pat;
	return e->endpoint_iface && ir_iface_written(e->endpoint_iface)->behind_nat &&
	       ir_iface_written(e->endpoint_iface)->behind_pat;
}

/* ---- selector pairs ---- */

struct tunc_loc model_tunnel_selectors_loc(const struct model_tunnel *mt)
{
	if (ir_end_route_based(mt->here)->set && !mt->here->remote_set && !mt->here->local_set)
		return ir_end_route_based(mt->here)->loc;
	if (mt->here->remote_set)
		return ir_end_written(mt->here)->remote_loc;
	if (mt->here->local_set)
		return ir_end_written(mt->here)->local_loc;
	return mt->ir->loc;
}

/* `any` of each family in V (a route-based end's selectors). */
static const ir_prefix_vec *any_of_families(struct arena *a, const ir_prefix_vec *v,
					    struct tunc_loc loc)
{
	ir_prefix_vec *out = arena_alloc(a, sizeof(*out));
	static const uint8_t families[2] = {AF_V4, AF_V6};
	for (int f = 0; f < 2; f++)
		for (size_t i = 0; i < v->n; i++)
			if (v->v[i].p.addr.family == families[f]) {
				struct ir_prefix any = {.p = prefix_any(families[f]), .loc = loc,
							.is_any = true};
				arena_vec_push(a, out, any);
				break;
			}
	return out;
}

/* Every local prefix with every remote prefix of its family: IPv4 pairs
 * first, then IPv6, each family in the order written.  A route-based end
 * proposes any to any where its block does not say local/remote. */
static void build_selectors(struct arena *a, struct model_tunnel *mt)
{
	static const uint8_t families[2] = {AF_V4, AF_V6};
	struct ir_tunnel_end view = *mt->here;
	const struct ir_tunnel_end *e = &view;
	if (ir_end_route_based(&view)->set) {
		if (!view.local_set)
			view.local = *any_of_families(a, &mt->here->local, ir_end_route_based(&view)->loc);
		if (!view.remote_set)
			view.remote = *any_of_families(a, &mt->here->remote, ir_end_route_based(&view)->loc);
	}
	size_t count[2] = {0, 0};
	for (size_t l = 0; l < e->local.n; l++)
		for (size_t r = 0; r < e->remote.n; r++)
			for (int f = 0; f < 2; f++)
				count[f] += e->local.v[l].p.addr.family == families[f] &&
					    e->remote.v[r].p.addr.family == families[f];
	if (!count[0] && !count[1])
		return;
	mt->pairs = arena_alloc(a, (count[0] + count[1]) * sizeof(*mt->pairs));
	mt->n_pairs[0] = (uint32_t)count[0];
	mt->n_pairs[1] = (uint32_t)count[1];
	size_t n = 0;
	for (int f = 0; f < 2; f++)
		for (size_t l = 0; l < e->local.n; l++) {
			const struct ir_prefix *lp = &e->local.v[l];
			if (lp->p.addr.family != families[f])
				continue;
			for (size_t r = 0; r < e->remote.n; r++) {
				const struct ir_prefix *rp = &e->remote.v[r];
				if (rp->p.addr.family != families[f])
					continue;
				mt->pairs[n++] = (struct selector_pair){
					.sel = {prefix_network(&lp->p), prefix_network(&rp->p),
						e->proto, e->port_lo, e->port_hi},
					.local = lp, .remote = rp};
			}
		}
}

struct selector_pairs model_tunnel_selectors(const struct model_tunnel *mt, unsigned family)
{
	struct selector_pairs s = {mt->pairs, mt->n_pairs[0] + mt->n_pairs[1]};
	if (family == AF_V4)
		s.n = mt->n_pairs[0];
	else if (family == AF_V6) {
		s.v = mt->pairs ? mt->pairs + mt->n_pairs[0] : NULL;
		s.n = mt->n_pairs[1];
	} else if (family)
		s.n = 0;
	return s;
}

static struct model_tunnel *build_tunnel(struct arena *a, const struct ir_tunnel *t, int end)
{
	struct model_tunnel *mt = arena_alloc(a, sizeof(*mt));
	mt->ir = t;
	mt->end = end;
	mt->here = &t->end[end];
	mt->behind_nat_here = end_behind_nat(mt->here);
	mt->behind_nat_there = end_behind_nat(model_tunnel_there(mt));
	mt->behind_pat_here = end_behind_pat(mt->here);
	mt->behind_pat_there = end_behind_pat(model_tunnel_there(mt));
	mt->nat_traversal = t->nat_traversal == NATT_ON ||
			    (t->nat_traversal == NATT_AUTO &&
			     (mt->behind_nat_here || mt->behind_nat_there));
	mt->route_based = ir_end_route_based(mt->here)->set;
	build_selectors(a, mt);
	return mt;
}

/* ---- SPD ---- */

const struct ip_addr model_no_endpoint;

/* The stored entries of direction DIR once built: n_spd[dir] of them
 * (NULL: none). */
static const struct spd_entry *stored_spd(const struct model_gateway *mg, enum spd_dir dir)
{
	return mg->n_spd[dir] ? &mg->spd[model_spd_stored_at(mg, dir)] : NULL;
}

/* While MG's SPD is built, direction d's entries are at spd[d * ROOM]
 * (reserve_spd's room, an upper bound of what tunnel_entries and
 * implicit_entries add); compact_spd then closes the gaps. */
static void add_spd(struct model_gateway *mg, size_t room, struct spd_entry e)
{
	if (mg->n_spd[e.dir] >= room)
		abort();        /* reserve_spd's bound is wrong: never silently overrun */
	mg->spd[(size_t)e.dir * room + mg->n_spd[e.dir]++] = e;
}

/* The directions one after the other (model_spd_stored_at), so that the
 * gateway keeps no room: the gaps stay unused at the block's end. */
static void compact_spd(struct model_gateway *mg, size_t room)
{
	if (!room)
		return;
	memmove(mg->spd + mg->n_spd[SPD_OUT], mg->spd + room,
		mg->n_spd[SPD_IN] * sizeof(*mg->spd));
	if (mg->n_spd[SPD_FWD])
		memmove(mg->spd + mg->n_spd[SPD_OUT] + mg->n_spd[SPD_IN], mg->spd + 2 * room,
			mg->n_spd[SPD_FWD] * sizeof(*mg->spd));
}

/* Does an explicit PROTECT entry of MT in direction DIR already cover SEL? */
static bool covered(const struct model_gateway *mg, size_t room, enum spd_dir dir,
		    const struct model_tunnel *mt, const struct selector *sel)
{
	const struct spd_entry *v = &mg->spd[(size_t)dir * room];
	for (size_t i = 0; i < mg->n_spd[dir]; i++) {
		const struct spd_entry *e = &v[i];
		if (e->tunnel != mt || e->action != SPD_PROTECT)
			continue;
		struct selector es = spd_entry_sel(e);
		if (prefix_contains(&es.src, &sel->src) && prefix_contains(&es.dst, &sel->dst) &&
		    es.proto == PROTO_ANY)
			return true;
	}
	return false;
}

/* MT's selector pairs, outbound as they are, inbound (and forwarded)
 * mirrored: each entry points at its pair's selector (spd_entry_sel). */
static void tunnel_entries(struct model_gateway *mg, size_t room, struct model_tunnel *mt)
{
	if (mt->route_based)
		return;                 /* bound to its tunnel interface */
	struct selector_pairs pairs = model_tunnel_selectors(mt, 0);
	struct tunc_loc loc = model_tunnel_selectors_loc(mt);
	for (size_t i = 0; i < pairs.n; i++) {
		const struct selector_pair *p = &pairs.v[i];
		add_spd(mg, room, (struct spd_entry){
			.dir = SPD_OUT, .action = SPD_PROTECT, .stored_sel = &p->sel,
			.tunnel = mt, .origin = ORIGIN_TUNNEL, .loc = loc});
		add_spd(mg, room, (struct spd_entry){
			.dir = SPD_IN, .action = SPD_PROTECT, .stored_sel = &p->sel, .mirrored = true,
			.tunnel = mt, .origin = ORIGIN_TUNNEL, .loc = loc});
		if (mg->platform->has_fwd_policy)
			add_spd(mg, room, (struct spd_entry){
				.dir = SPD_FWD, .action = SPD_PROTECT, .stored_sel = &p->sel,
				.mirrored = true, .tunnel = mt, .origin = ORIGIN_TUNNEL, .loc = loc});
	}
}

/* A route-based end's implied routes: the far end's subnets (its remote
 * prefixes) through its tunnel interface; then those written
 * (`route PREFIX via tunnel NAME;`). */
static void tunnel_routes(struct model_gateway *mg, size_t room, struct model_tunnel *mt)
{
	if (!mt->route_based)
		return;
	const ir_prefix_vec *remote = &mt->here->remote;
	for (size_t r = 0; r < remote->n; r++)
		add_route(mg, room, (struct model_route){
			.dst = prefix_network(&remote->v[r].p), .tunnel = mt,
			.loc = ir_end_route_based(mt->here)->loc});
	const struct ir_gateway *g = mg->ir;
	for (size_t i = 0; i < g->routes.n; i++) {
		const struct ir_route *rt = &g->routes.v[i];
		if (rt->tunnel && rt->tunnel->target == mt->ir)
			add_route(mg, room, (struct model_route){
				.dst = prefix_network(&rt->dst.p), .tunnel = mt,
				.metric = rt->metric, .loc = rt->loc});
	}
}

/* What a platform protects on its own: ISA Server adds a filter from its
 * own external address to every remote address of a remote site, and back
 * (seed 001, filters A3/A4). */
static void implicit_entries(struct arena *a, struct model_gateway *mg, size_t room,
			     struct model_tunnel *mt)
{
	const struct platform_info *p = mg->platform;
	if (!p->implicit_own_address || !model_tunnel_local_ep(mt)->family)
		return;
	struct ip_prefix own = prefix_host(model_tunnel_local_ep(mt));
	struct tunc_loc loc = mg->ir->platform_loc.file ? mg->ir->platform_loc : mg->ir->loc;
	const ir_prefix_vec *remote = &mt->here->remote;
	for (size_t r = 0; r < remote->n; r++) {
		struct ip_prefix rp = prefix_network(&remote->v[r].p);
		if (rp.addr.family != own.addr.family)
			continue;
		struct selector out = {own, rp, PROTO_ANY, 0, 0};
		struct selector in = {rp, own, PROTO_ANY, 0, 0};
		bool add_out = !covered(mg, room, SPD_OUT, mt, &out);
		bool add_in = !covered(mg, room, SPD_IN, mt, &in);
		if (!add_out && !add_in)
			continue;
		/* One stored selector for both directions: in is out mirrored. */
		struct selector *stored = arena_alloc(a, sizeof(*stored));
		*stored = out;
		if (add_out)
			add_spd(mg, room, (struct spd_entry){
				.dir = SPD_OUT, .action = SPD_PROTECT, .stored_sel = stored,
				.tunnel = mt, .origin = ORIGIN_PLATFORM, .loc = loc});
		if (add_in)
			add_spd(mg, room, (struct spd_entry){
				.dir = SPD_IN, .action = SPD_PROTECT, .stored_sel = stored,
				.mirrored = true, .tunnel = mt, .origin = ORIGIN_PLATFORM, .loc = loc});
	}
}

/* implicit_entries' entries say what added them: the platform, from the
 * gateway's own address (the tunnel's local endpoint) to a remote prefix
 * (out, '>') or back (in, '<'). */
const char *model_spd_note(const struct model_gateway *mg, const struct spd_entry *e,
			   struct strbuf *buf)
{
	if (e->origin == ORIGIN_DEFAULT)
		return "default: not IPsec traffic";
	if (e->origin != ORIGIN_PLATFORM || !e->tunnel)
		return NULL;
	char own_text[ADDR_STRLEN], rtext[ADDR_STRLEN];
	addr_format(model_tunnel_local_ep(e->tunnel), own_text, sizeof(own_text));
	bool out = e->dir == SPD_OUT;
	struct selector sel = spd_entry_sel(e);
	prefix_format(out ? &sel.dst : &sel.src, rtext, sizeof(rtext), true);
	strbuf_reset(buf);
	strbuf_printf(buf, "%s adds %s (%s) %c %s", mg->platform->description, mg->ir->name,
		      own_text, out ? '>' : '<', rtext);
	return strbuf_cstr(buf);
}

/* Lists each tunnel end's PROTECT entries (model_tunnel_spd): one count
 * pass and one fill pass over MG's SPD.  An end with at most
 * MODEL_SPD_REFS_INLINE keeps them in its own struct (a spoke's block of
 * two indexes took 16 bytes of arena, and a hub's 8 a spoke); the other
 * ends' lists share one block (an arena block each would round a few
 * indexes up to 16), each end's three directions one after the other. */
static void list_tunnel_entries(struct arena *a, struct model_gateway *mg)
{
	size_t total = 0;
	for (size_t t = 0; t < mg->tunnels.n; t++)
		memset(mg->tunnels.v[t]->n_spd_refs, 0, sizeof(mg->tunnels.v[t]->n_spd_refs));
	for (int dir = SPD_OUT; dir <= SPD_FWD; dir++)
		for (size_t i = 0; i < mg->n_spd[dir]; i++) {
			const struct spd_entry *e = &stored_spd(mg, dir)[i];
			if (e->action == SPD_PROTECT && e->tunnel)
				e->tunnel->n_spd_refs[dir]++;
		}
	for (size_t t = 0; t < mg->tunnels.n; t++) {
		const struct model_tunnel *mt = mg->tunnels.v[t];
		unsigned n = mt->n_spd_refs[SPD_OUT] + mt->n_spd_refs[SPD_IN] + mt->n_spd_refs[SPD_FWD];
		if (n > MODEL_SPD_REFS_INLINE)
			total += n;
	}
	unsigned *block = total ? arena_alloc(a, total * sizeof(unsigned)) : NULL;
	for (size_t t = 0; t < mg->tunnels.n; t++) {
		struct model_tunnel *mt = mg->tunnels.v[t];
		unsigned n = mt->n_spd_refs[SPD_OUT] + mt->n_spd_refs[SPD_IN] + mt->n_spd_refs[SPD_FWD];
		mt->spd_refs_inline = n <= MODEL_SPD_REFS_INLINE;
		if (!mt->spd_refs_inline) {
			mt->spd_refs.block = block;
			block += n;     /* never NULL + 0: undefined (clang's pointer-overflow check) */
		}
	}
	/* Fill direction by direction: each end's count of the direction
	 * being filled restarts at 0, those before it are final. */
	for (int dir = SPD_OUT; dir <= SPD_FWD; dir++) {
		for (size_t t = 0; t < mg->tunnels.n; t++)
			mg->tunnels.v[t]->n_spd_refs[dir] = 0;
		const struct spd_entry *v = stored_spd(mg, dir);
		for (size_t i = 0; i < mg->n_spd[dir]; i++) {
			const struct spd_entry *e = &v[i];
			if (e->action != SPD_PROTECT || !e->tunnel)
				continue;
			struct model_tunnel *mt = e->tunnel;
			size_t at = mt->n_spd_refs[dir]++;
			for (int d = SPD_OUT; d < dir; d++)
				at += mt->n_spd_refs[d];
			(mt->spd_refs_inline ? mt->spd_refs.inl : mt->spd_refs.block)[at] = (unsigned)i;
		}
	}
}

/* Room for every SPD entry of MG (an upper bound: implicit_entries skips
 * what is covered). */
static size_t reserve_spd(struct arena *a, struct model_gateway *mg)
{
	size_t want = 0;                /* the defaults are not stored */
	for (size_t t = 0; t < mg->tunnels.n; t++) {
		const struct model_tunnel *mt = mg->tunnels.v[t];
		want += model_tunnel_selectors(mt, 0).n;
		if (mg->platform->implicit_own_address)
			want += mt->here->remote.n;
	}
	if (!want)
		return 0;
	size_t dirs = mg->platform->has_fwd_policy ? 3 : 2;
	mg->spd = arena_alloc(a, dirs * want * sizeof(*mg->spd));
	return want;
}

#define ANY_V4 {{AF_V4, {0}}, 0}
#define ANY_V6 {{AF_V6, {0}}, 0}
/* The defaults' selectors: any to any, IPv4 then IPv6. */
static const struct selector default_sels[MODEL_SPD_DEFAULTS] = {
	{ANY_V4, ANY_V4, PROTO_ANY, 0, 0},
	{ANY_V6, ANY_V6, PROTO_ANY, 0, 0},
};
#define DEFAULT_ENTRY(d, f)                                                    \
	{.stored_sel = &default_sels[f], .dir = (d), .action = SPD_BYPASS,      \
	 .origin = ORIGIN_DEFAULT, .loc = {0, 0, 0}}
#define DEFAULT_PAIR(d) {DEFAULT_ENTRY(d, 0), DEFAULT_ENTRY(d, 1)}

const struct spd_entry model_spd_defaults[3][MODEL_SPD_DEFAULTS] = {
	[SPD_OUT] = DEFAULT_PAIR(SPD_OUT),
	[SPD_IN] = DEFAULT_PAIR(SPD_IN),
	[SPD_FWD] = DEFAULT_PAIR(SPD_FWD),
};

/* S's match with its prefixes as SSRC and SDST (mirrored or not). */
static inline bool sel_matches_as(const struct selector *s, const struct ip_prefix *ssrc,
				  const struct ip_prefix *sdst, const struct ip_addr *src,
				  const struct ip_addr *dst, unsigned proto, uint16_t dport)
{
	if (!prefix_contains_addr(ssrc, src) || !prefix_contains_addr(sdst, dst))
		return false;
	if (s->proto != PROTO_ANY && s->proto != proto)
		return false;
	if ((s->port_lo || s->port_hi) && (dport < s->port_lo || dport > s->port_hi))
		return false;
	return true;
}

bool selector_matches(const struct selector *s, const struct ip_addr *src,
		      const struct ip_addr *dst, unsigned proto, uint16_t dport)
{
	return sel_matches_as(s, &s->src, &s->dst, src, dst, proto, dport);
}

bool spd_entry_matches(const struct spd_entry *e, const struct ip_addr *src,
		       const struct ip_addr *dst, unsigned proto, uint16_t dport)
{
	/* selector_matches on spd_entry_sel(e), without the copy. */
	const struct selector *s = e->stored_sel;
	const struct ip_prefix *ssrc = e->mirrored ? &s->dst : &s->src;
	const struct ip_prefix *sdst = e->mirrored ? &s->src : &s->dst;
	return sel_matches_as(s, ssrc, sdst, src, dst, proto, dport);
}

/* The SPD index's reader of entry I's selector (the index copies it). */
static void entry_sel_at(const void *entries, size_t i, struct selector *out)
{
	*out = spd_entry_sel(&((const struct spd_entry *)entries)[i]);
}

const struct spd_entry *model_spd_lookup(const struct model_gateway *mg, enum spd_dir dir,
					 const struct ip_addr *src, const struct ip_addr *dst,
					 unsigned proto, uint16_t dport)
{
	if ((unsigned)dir > SPD_FWD)
		return NULL;
	const struct spd_entry *v = stored_spd(mg, dir);
	size_t n = mg->n_spd[dir];
	if (mg->ix && !mg->ix->spd[dir] && n >= SPD_INDEX_MIN)
		mg->ix->spd[dir] = spd_index_build_with(n, entry_sel_at, v);
	const struct spd_index *ix = mg->ix ? mg->ix->spd[dir] : NULL;
	if (ix && spd_index_size(ix) == n) {
		size_t i = spd_index_lookup(ix, src, dst, proto, dport);
		if (i != SPD_INDEX_NONE)
			return &v[i];
	} else {
		for (size_t i = 0; i < n; i++)
			if (spd_entry_matches(&v[i], src, dst, proto, dport))
				return &v[i];
	}
	/* Then the defaults, last in every direction (not stored). */
	if (!model_spd_has_dir(mg, dir))
		return NULL;
	for (size_t f = 0; f < MODEL_SPD_DEFAULTS; f++)
		if (spd_entry_matches(&model_spd_defaults[dir][f], src, dst, proto, dport))
			return &model_spd_defaults[dir][f];
	return NULL;
}

void selector_format(const struct selector *s, char *buf, size_t size)
{
	char src[ADDR_STRLEN], dst[ADDR_STRLEN];
	prefix_format(&s->src, src, sizeof(src), true);
	prefix_format(&s->dst, dst, sizeof(dst), true);
	int n = snprintf(buf, size, "%s -> %s", src, dst);
	if (n < 0 || (size_t)n >= size || s->proto == PROTO_ANY)
		return;
	const char *pname = protocol_name(s->proto);
	char proto[16];
	if (pname)
		snprintf(proto, sizeof(proto), "%s", pname);
	else
		snprintf(proto, sizeof(proto), "%u", s->proto);
	if (!s->port_lo && !s->port_hi)
		snprintf(buf + n, size - (size_t)n, " %s", proto);
	else if (s->port_lo == s->port_hi)
		snprintf(buf + n, size - (size_t)n, " %s %u", proto, s->port_lo);
	else
		snprintf(buf + n, size - (size_t)n, " %s %u-%u", proto, s->port_lo, s->port_hi);
}

/* ---- the whole model ---- */


/* MG's lookup indexes, allocated for the first one built. */
static struct model_gateway_ix *gateway_ix(struct model_gateway *mg)
{
	if (!mg->ix)
		mg->ix = xcalloc(1, sizeof(*mg->ix));
	return mg->ix;
}

struct model *model_build(const struct ir *ir)
{
	struct model_impl *impl = xcalloc(1, sizeof(*impl));
	struct model *m = &impl->pub;
	arena_init(&m->arena);
	m->ir = ir;
	struct arena *a = &m->arena;
	impl->gateway_places = places_new(ir->gateways.n, &impl->n_gateway_places);

	/* One block of the exact size: doubling would leave its old blocks in
	 * the arena (about 16 bytes a spoke). */
	if (ir->gateways.n)
		arena_vec_reserve(a, &m->gateways, ir->gateways.n);
	for (size_t i = 0; i < ir->gateways.n; i++) {
		const struct ir_gateway *g = ir->gateways.v[i];
		struct model_gateway *mg = arena_alloc(a, sizeof(*mg));
		mg->ir = g;
		mg->platform = platform_of(g);
		arena_vec_push(a, &m->gateways, mg);
		places_add(impl->gateway_places, impl->n_gateway_places, g, i);
	}

	/* Each gateway's list of tunnels in one block of its exact size:
	 * counted first, where a hub's list doubled in the arena and left
	 * its old blocks behind (about 16 bytes a spoke).  The count's
	 * lookups of each end's gateway are paid back below: an end's
	 * peer_model is the other end's gateway found here, not looked up
	 * again. */
	for (size_t t = 0; t < ir->tunnels.n; t++) {
		const struct ir_tunnel *tun = ir->tunnels.v[t];
		for (int end = 0; end < 2; end++) {
			const struct ir_gateway *g = ir_end_gateway(&tun->end[end]);
			struct model_gateway *mg = model_gateway_of(m, g);
			if (mg && !(end == 1 && ir_end_gateway(&tun->end[0]) == g))
				mg->tunnels.n++;
		}
	}
	for (size_t i = 0; i < m->gateways.n; i++) {
		struct model_gateway *mg = m->gateways.v[i];
		size_t want = mg->tunnels.n;
		mg->tunnels.n = 0;
		if (want)
			arena_vec_reserve(a, &mg->tunnels, want);
	}

	/* Tunnels, per end, in file order. */
	for (size_t t = 0; t < ir->tunnels.n; t++) {
		const struct ir_tunnel *tun = ir->tunnels.v[t];
		struct model_tunnel *ends[2] = {NULL, NULL};
		struct model_gateway *mgs[2];
		for (int end = 0; end < 2; end++)
			mgs[end] = model_gateway_of(m, ir_end_gateway(&tun->end[end]));
		for (int end = 0; end < 2; end++) {
			struct model_gateway *mg = mgs[end];
			if (!mg || (end == 1 && mgs[0] == mg))
				continue;
			ends[end] = build_tunnel(a, tun, end);
			ends[end]->ir_index = (uint32_t)t;
			ends[end]->peer_model = mgs[1 - end];
			arena_vec_push(a, &mg->tunnels, ends[end]);
		}
		if (ends[0] && ends[1]) {
			ends[0]->peer_tunnel = ends[1];
			ends[1]->peer_tunnel = ends[0];
		}
	}

	for (size_t i = 0; i < m->gateways.n; i++) {
		struct model_gateway *mg = m->gateways.v[i];
		size_t spd_room = reserve_spd(a, mg);
		size_t route_room = build_routes(a, mg);
		for (size_t t = 0; t < mg->tunnels.n; t++) {
			struct model_tunnel *mt = mg->tunnels.v[t];
			tunnel_entries(mg, spd_room, mt);
			tunnel_routes(mg, route_room, mt);
		}
		for (size_t t = 0; t < mg->tunnels.n; t++)
			implicit_entries(a, mg, spd_room, mg->tunnels.v[t]);
		compact_spd(mg, spd_room);
		if (mg->tunnels.n > TUNNEL_IX_MIN) {
			struct model_gateway_ix *ix = gateway_ix(mg);
			ix->tunnels = places_new(mg->tunnels.n, &ix->n_tunnel_slots);
			for (size_t t = 0; t < mg->tunnels.n; t++)
				places_add(ix->tunnels, ix->n_tunnel_slots, mg->tunnels.v[t]->ir, t);
		}
		list_tunnel_entries(a, mg);
		/* A direction's index is built by its first lookup
		 * (model_spd_lookup): lint looks up outbound entries only, and
		 * a hub's inbound and forward tables were 12.6 MB at 100,000
		 * spokes, and their sorts CPU, for nothing. */
		for (int dir = SPD_OUT; dir <= SPD_FWD; dir++)
			if (mg->n_spd[dir] >= SPD_INDEX_MIN)
				gateway_ix(mg);
	}
	manual_spis_assign(m);
	return m;
}

void model_free(struct model *m)
{
	if (!m)
		return;
	struct model_impl *impl = (struct model_impl *)m;
	for (size_t i = 0; i < m->gateways.n; i++) {
		struct model_gateway *mg = m->gateways.v[i];
		if (!mg->ix)
			continue;
		for (int dir = SPD_OUT; dir <= SPD_FWD; dir++)
			if (mg->ix->spd[dir])
				spd_index_free(mg->ix->spd[dir]);
		free(mg->ix->tunnels);
		free(mg->ix);
	}
	free(impl->gateway_places);
	arena_free(&m->arena);
	free(impl);
}

static bool end_can_key_by_hand(const struct ir_tunnel_end *e)
{
	const struct ir_gateway *g = ir_end_gateway(e);
	const struct platform_info *p = g && g->pinfo ? g->pinfo : platform_find(PLAT_GENERIC, NULL);
	return p && p->manual_keying_capable;
}

bool model_keyed_by_hand(const struct ir_tunnel *t)
{
	return model_end_manual(&t->end[0]) && model_end_manual(&t->end[1]) &&
	       end_can_key_by_hand(&t->end[0]) && end_can_key_by_hand(&t->end[1]);
}

struct model_gateway *model_gateway_of(const struct model *m, const struct ir_gateway *g)
{
	if (!m || !g)
		return NULL;
	const struct model_impl *impl = (const struct model_impl *)m;
	const uint32_t *slots = impl->gateway_places;
	size_t cap = impl->n_gateway_places;
	for (size_t i = places_home(g, cap); slots[i];) {
		struct model_gateway *mg = m->gateways.v[slots[i] - 1];
		if (mg->ir == g)
			return mg;
		if (++i == cap)
			i = 0;
	}
	return NULL;                    /* not one of the model's */
}

struct model_tunnel *model_tunnel_of(const struct model_gateway *mg, const struct ir_tunnel *t)
{
	if (!mg)
		return NULL;
	if (mg->ix && mg->ix->tunnels) {
		const uint32_t *slots = mg->ix->tunnels;
		size_t cap = mg->ix->n_tunnel_slots;
		for (size_t i = places_home(t, cap); slots[i];) {
			struct model_tunnel *mt = mg->tunnels.v[slots[i] - 1];
			if (mt->ir == t)
				return mt;
			if (++i == cap)
				i = 0;
		}
		return NULL;
	}
	for (size_t i = 0; i < mg->tunnels.n; i++)
		if (mg->tunnels.v[i]->ir == t)
			return mg->tunnels.v[i];
	return NULL;
}
