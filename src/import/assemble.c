/* Devices -> IR.  Everything goes through the builder the parser uses
 * (src/ir/build.h), with the locations the readers recorded, so a finding
 * on an imported estate points into the original configuration files. */
#include "config.h"
#include "import/assemble.h"
#include "import/end_settings.h"
#include "import/peer.h"

#include <stdio.h>
#include <string.h>

#include "ir/addr.h"
#include "util/u64map.h"

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

/* An interface's name as the device knows it: Windows names its
 * interfaces "Local Area Connection", and the emitters quote them. */
static const char *iface_name(struct parse_ctx *c, const char *s)
{
	char *out = (char *)clean_name(c, s);
	for (size_t i = 0; s && s[i] && out[i]; i++)
		if (s[i] == ' ' && i > 0 && s[i + 1])
			out[i] = ' ';
	return out;
}

/* The builder's context and what assemble keeps beside it; every
 * parse_ctx in this file is the first member of one. */
struct asm_ctx {
	struct parse_ctx c;
	/* (table, name) -> the next suffix to try: 5,000 spokes' crypto map
	 * entries all named MAP-10 find MAP-10-5000 without trying the 4,999
	 * names before it (names are never removed, so those stay taken). */
	struct symtab next_suffix;
	/* (table, name) -> the first proposal built under that name: an equal
	 * one of the same name (both ends' `tunc-modern`) is the same. */
	struct symtab first_proposal;
};

/* NAME, or NAME-2, NAME-3... when TABLE already holds it. */
static const char *unique_name(struct parse_ctx *c, struct symtab *table, const char *name)
{
	struct asm_ctx *ac = (struct asm_ctx *)c;
	const char *base = clean_name(c, name);
	const char *key = arena_printf(ARENA(c), "%p %s", (void *)table, base);
	unsigned *next = symtab_get(&ac->next_suffix, key);
	const char *n = base;
	if (!next) {
		next = arena_alloc(ARENA(c), sizeof(*next));
		*next = 2;
		symtab_put(&ac->next_suffix, key, next);
	} else {
		n = arena_printf(ARENA(c), "%s-%u", base, (*next)++);
	}
	while (symtab_get(table, n))
		n = arena_printf(ARENA(c), "%s-%u", base, (*next)++);
	symtab_put(table, n, (void *)n);
	return n;
}

static void prefixes(struct parse_ctx *c, const imp_text_vec *in, ir_prefix_vec *out)
{
	for (size_t i = 0; i < in->n; i++) {
		struct ir_prefix p;
		if (build_prefix(c, in->v[i].s, in->v[i].loc, false, &p))
			arena_vec_push(ARENA(c), out, p);
	}
}

static uint64_t prefix_key(const struct ip_prefix *p)
{
	return u64map_mix_bytes(p->len, &p->addr, sizeof(p->addr));
}

/* The site's subnets: what the device's tunnels protect locally, or, with
 * no tunnel, the networks of its inside interfaces. */
static void site_subnets(struct parse_ctx *c, const struct imp_device *d)
{
	ir_prefix_vec v = {0};
	struct u64map seen;             /* prefix -> index in v */
	u64map_init(&seen);
	for (size_t e = 0; e < d->ends.n; e++)
		for (size_t i = 0; i < d->ends.v[e].local_ts.n; i++) {
			const struct imp_text *t = &d->ends.v[e].local_ts.v[i];
			struct ip_prefix p;
			bool dup = false;
			if (prefix_parse(t->s, &p)) {
				struct u64map_iter it;
				size_t k;
				for (bool more = u64map_first(&seen, prefix_key(&p), &it, &k); more && !dup;
				     more = u64map_next(&it, &k))
					dup = prefix_equal(&p, &v.v[k].p);
			}
			struct ir_prefix ip;
			if (dup || !build_prefix(c, t->s, t->loc, false, &ip))
				continue;
			arena_vec_push(ARENA(c), &v, ip);
			u64map_add(&seen, prefix_key(&ip.p), v.n - 1);
		}
	u64map_free(&seen);
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
	if (d->peer) {
		imp_build_peer(c, d, unique_name(c, &c->ir->gateway_names, name));
		return;
	}
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
		build_interface_begin(c, iface_name(c, f->name.s), f->name.loc);
		if (f->address.s)
			build_if_address(c, f->address.s, f->address.loc, f->address.loc);
		if (f->outside)
			build_if_outside(c, f->name.loc);
		if (f->behind_nat.s)
			build_if_behind_nat(c, f->behind_nat.s, f->behind_nat.loc, f->behind_nat.loc);
		imp_build_iface_filters(c, f);
		build_interface_end(c);
	}
	for (size_t i = 0; i < d->routes.n; i++) {
		const struct imp_route *r = &d->routes.v[i];
		struct ir_prefix dst;
		if (build_prefix(c, r->dst.s, r->dst.loc, false, &dst))
			build_route(c, &dst, r->via.s, r->via.loc, r->dev.s, r->dev.loc, r->metric.s,
				    r->metric.loc, r->loc);
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
			build_nat_overload(c, &src, iface_name(c, n->iface.s), n->iface.loc, n->loc);
		else if (build_prefix(c, n->dst.s, n->dst.loc, false, &dst))
			build_nat_exempt(c, &src, &dst, n->loc);
	}
	build_gateway_end(c);
	build_site_end(c);
}

static bool same_words(const word_vec *a, const word_vec *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i].text, b->v[i].text) != 0)
			return false;
	return true;
}

static bool same_text(struct imp_text a, struct imp_text b)
{
	return a.s == b.s || (a.s && b.s && strcmp(a.s, b.s) == 0);
}

bool imp_same_proposal(const struct imp_proposal *a, const struct imp_proposal *b)
{
	return a->ike == b->ike && a->version == b->version && same_words(&a->enc, &b->enc) &&
	       same_words(&a->integ, &b->integ) && same_words(&a->group, &b->group) &&
	       same_text(a->protocol, b->protocol) && same_text(a->pfs, b->pfs) &&
	       a->lifetime_s == b->lifetime_s && a->lifetime_kb == b->lifetime_kb &&
	       same_text(a->mode, b->mode);
}

static void build_proposal(struct parse_ctx *c, struct imp_proposal *p)
{
	struct asm_ctx *ac = (struct asm_ctx *)c;
	struct symtab *table = p->ike ? &c->ir->ike_names : &c->ir->ipsec_names;
	const char *key = arena_printf(ARENA(c), "%p %s", (void *)table, clean_name(c, p->name));
	const struct imp_proposal *first = symtab_get(&ac->first_proposal, key);
	if (first && imp_same_proposal(first, p)) {
		p->name = first->name;
		return;
	}
	if (!first)
		symtab_put(&ac->first_proposal, key, p);
	p->name = unique_name(c, table, p->name);
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
		const char *kb = p->lifetime_kb ? arena_printf(ARENA(c), "%lluK",
					(unsigned long long)p->lifetime_kb) : NULL;
		build_lifetime(c, arena_strdup(ARENA(c), s), p->lifetime_loc, kb, p->lifetime_loc,
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
	imp_build_end_settings(c, e);
	build_end_end(c);
}

/* An end keyed by hand gets its key once both gateways' names are known. */
static void manual_key(struct parse_ctx *c, struct imp_end *e, const char *self,
		       const char *peer)
{
	if (e->manual_out.spi.s || e->manual_in.spi.s)
		e->psk.s = imp_manual_key(ARENA(c), e, self, peer);
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
	/* A route-based end's far subnets: what it routes into the tunnel. */
	prefixes(c, e->remote_ts.n ? &e->remote_ts : &e->routed, &v);
	build_subnets(c, &v, e->remote_loc);
	build_gateway_end(c);
	return name;
}

/* ---- pairing ----
 * Ends pair when each one's peer address is the other's endpoint; when
 * none does so (one end behind NAT knows its peer by its public address),
 * when one's peer address is the other's endpoint.  Of the ends that
 * qualify, the first in file order among the later files' ends not yet
 * paired wins.  The ends are indexed by address so that a hub's 10,000
 * entries and 10,000 spokes pair in linear time: a bucket holds the ends
 * with one local address, one peer address, or one (local, peer) pair, in
 * file order, and a cursor skips the ends that can no longer win (paired,
 * or in a file already passed), so each bucket is walked once in all. */

enum { BY_LOCAL, BY_PEER, BY_BOTH };

struct pair_end {
	size_t dev;
	struct imp_end *e;
};
struct pair_bucket {
	int by;
	struct ip_addr a, b;
	ARENA_VEC(size_t) ends;         /* indexes into pair_ix.ends, in file order */
	size_t cursor;
};
struct pair_ix {
	struct arena *arena;
	ARENA_VEC(struct pair_end) ends;
	ARENA_VEC(struct pair_bucket) buckets;
	struct u64map map;              /* (by, a, b) -> bucket */
};

static uint64_t bucket_key(int by, const struct ip_addr *a, const struct ip_addr *b)
{
	uint64_t h = u64map_mix_bytes((uint64_t)by, a, sizeof(*a));
	return b ? u64map_mix_bytes(h, b, sizeof(*b)) : h;
}

static struct pair_bucket *bucket(struct pair_ix *ix, int by, const struct ip_addr *a,
				  const struct ip_addr *b, bool create)
{
	static const struct ip_addr none;
	const struct ip_addr *bb = b ? b : &none;
	uint64_t key = bucket_key(by, a, b);
	struct u64map_iter it;
	size_t k;
	for (bool more = u64map_first(&ix->map, key, &it, &k); more; more = u64map_next(&it, &k)) {
		struct pair_bucket *pb = &ix->buckets.v[k];
		if (pb->by == by && addr_equal(&pb->a, a) && addr_equal(&pb->b, bb))
			return pb;
	}
	if (!create)
		return NULL;
	struct pair_bucket nb = {.by = by, .a = *a, .b = *bb};
	arena_vec_push(ix->arena, &ix->buckets, nb);
	u64map_add(&ix->map, key, ix->buckets.n - 1);
	return &ix->buckets.v[ix->buckets.n - 1];
}

static void pair_ix_build(struct pair_ix *ix, struct arena *arena, struct imp_device *devs,
			  size_t n)
{
	memset(ix, 0, sizeof(*ix));
	ix->arena = arena;
	u64map_init(&ix->map);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < devs[i].ends.n; k++) {
			struct imp_end *e = &devs[i].ends.v[k];
			size_t at = ix->ends.n;
			arena_vec_push(arena, &ix->ends, ((struct pair_end){i, e}));
			struct ip_addr l, p;
			bool hl = imp_text_addr(&e->local_addr, &l), hp = imp_text_addr(&e->peer_addr, &p);
			if (hl)
				arena_vec_push(arena, &bucket(ix, BY_LOCAL, &l, NULL, true)->ends, at);
			if (hp)
				arena_vec_push(arena, &bucket(ix, BY_PEER, &p, NULL, true)->ends, at);
			if (hl && hp)
				arena_vec_push(arena, &bucket(ix, BY_BOTH, &l, &p, true)->ends, at);
		}
}

/* The first end of PB not yet paired in a file after device I, or NULL;
 * the ends skipped can never win again. */
static const struct pair_end *first_open(struct pair_ix *ix, struct pair_bucket *pb, size_t i)
{
	for (; pb && pb->cursor < pb->ends.n; pb->cursor++) {
		const struct pair_end *pe = &ix->ends.v[pb->ends.v[pb->cursor]];
		if (pe->dev > i && pe->e->pair == -1)
			return pe;
	}
	return NULL;
}

static const struct pair_end *find_pair(struct pair_ix *ix, size_t i, const struct imp_end *e)
{
	struct ip_addr l, p;
	bool hl = imp_text_addr(&e->local_addr, &l), hp = imp_text_addr(&e->peer_addr, &p);
	if (hl && hp) {
		const struct pair_end *f = first_open(ix, bucket(ix, BY_BOTH, &p, &l, false), i);
		if (f)
			return f;
	}
	const struct pair_end *x = hp ? first_open(ix, bucket(ix, BY_LOCAL, &p, NULL, false), i) : NULL;
	const struct pair_end *y = hl ? first_open(ix, bucket(ix, BY_PEER, &l, NULL, false), i) : NULL;
	/* File order is the order of ix->ends. */
	return !x ? y : !y ? x : x < y ? x : y;
}

/* How much an end's name says: 2 a connection name (strongSwan, netsh),
 * 1 a name given on a Cisco device (the entry's access list), 0 generated
 * (MAP-SEQ, the tunnel interface). */
static int name_rank(const struct imp_device *d, const struct imp_end *e)
{
	return !d->generic_end_names ? 2 : e->given_name ? 1 : 0;
}

/* The tunnel of E (device D) and F (device OD), D's file before OD's. */
static void build_pair(struct parse_ctx *c, struct imp_device *d, struct imp_end *e,
		       struct imp_device *od, struct imp_end *f)
{
	/* A Cisco end's name (MAP-SEQ, or its access list's) says no more
	 * than its partner's, unless the partner's is generated and its own
	 * is given (doc/import.md, "Names"). */
	const char *tname = d->generic_end_names && name_rank(od, f) >= name_rank(d, e) ? f->name
											: e->name;
	build_tunnel_begin(c, unique_name(c, &c->ir->tunnel_names, tname), e->loc);
	build_between(c, d->name.s, e->loc, od->name.s, f->loc, e->loc);
	/* Before imp_pair_peer, which takes a configured end's key for a peer
	 * sheet's tunnel. */
	manual_key(c, e, d->name.s, od->name.s);
	manual_key(c, f, od->name.s, d->name.s);
	imp_pair_peer(c, d, e, od, f);
	build_end(c, d, e);
	build_end(c, od, f);
	build_tunnel_end(c);
}

static void build_tunnels(struct parse_ctx *c, struct imp_device *devs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < devs[i].ends.n; k++)
			devs[i].ends.v[k].pair = -1;
	struct pair_ix ix;
	pair_ix_build(&ix, ARENA(c), devs, n);
	/* A peer's end paired with a gateway's is built when the gateway's
	 * end comes (deferred[its index] = the peer end's index + 1): the
	 * tunnels then come in the order of the gateway's entries, whatever
	 * the order of the files (partner-gw.peer.txt sorts before
	 * rtr-hq.ios.cfg), and its crypto map is written again in its order. */
	size_t *deferred = arena_alloc(ARENA(c), (ix.ends.n ? ix.ends.n : 1) * sizeof(*deferred));
	memset(deferred, 0, (ix.ends.n ? ix.ends.n : 1) * sizeof(*deferred));
	size_t at = 0;          /* index of d->ends.v[k] in ix.ends */
	for (size_t i = 0; i < n; i++) {
		struct imp_device *d = &devs[i];
		for (size_t k = 0; k < d->ends.n; k++, at++) {
			struct imp_end *e = &d->ends.v[k];
			if (e->pair != -1) {
				if (deferred[at]) {
					const struct pair_end *pe = &ix.ends.v[deferred[at] - 1];
					build_pair(c, &devs[pe->dev], pe->e, d, e);
				}
				continue;
			}
			const struct pair_end *pe = find_pair(&ix, i, e);
			struct imp_device *od = pe ? &devs[pe->dev] : NULL;
			struct imp_end *f = pe ? pe->e : NULL;
			if (!f && d->peer) {
				imp_unpaired_peer(c, d, e);
				continue;
			}
			if (f) {
				e->pair = (int)(od - devs);
				f->pair = (int)i;
				if (d->peer && !od->peer)
					deferred[pe - ix.ends.v] = at + 1;
				else
					build_pair(c, d, e, od, f);
				continue;
			}
			build_tunnel_begin(c, unique_name(c, &c->ir->tunnel_names, e->name), e->loc);
			e->pair = (int)n;
			struct ir_tunnel *t = c->cur_tunnel;
			build_tunnel_end(c);
			const char *peer = e->peer_addr.s ? build_far_peer(c, e) : "unknown-peer";
			c->cur_tunnel = t;
			build_between(c, d->name.s, e->loc, peer, e->peer_addr.loc, e->loc);
			manual_key(c, e, d->name.s, peer);
			/* The far end is taken to run what this end runs: tunnel-level
			 * proposals and key, which this end's block repeats. */
			if (e->ike >= 0)
				build_proposal_ref(c, true, d->proposals.v[e->ike].name, e->loc);
			if (e->ipsec >= 0)
				build_proposal_ref(c, false, d->proposals.v[e->ipsec].name, e->loc);
			if (e->psk.s)
				build_psk(c, PSK_INLINE, e->psk.s, e->psk.loc);
			imp_build_far_settings(c, e);
			build_end(c, d, e);
			build_tunnel_end(c);
		}
	}
	u64map_free(&ix.map);
}

bool assemble(struct ir *ir, struct imp_device *devs, size_t n, struct diag_list *diags)
{
	struct asm_ctx ac = {.c = {.ir = ir, .diags = diags, .dir = "."}};
	struct parse_ctx *c = &ac.c;
	symtab_init(&ac.next_suffix);
	symtab_init(&ac.first_proposal);
	size_t before = diags->n;
	imp_merge_peer_sheets(devs, n, diags);
	imp_orient(ir, devs, n);
	imp_infer_behind_nat(devs, n);
	for (size_t i = 0; i < n; i++)
		build_device(c, &devs[i]);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < devs[i].proposals.n; k++)
			build_proposal(c, &devs[i].proposals.v[k]);
	build_tunnels(c, devs, n);
	symtab_free(&ac.next_suffix);
	symtab_free(&ac.first_proposal);
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
