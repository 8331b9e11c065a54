/* Helpers shared by the check functions. */
#include "config.h"
#include "check/util.h"
#include "check/probe.h"
#include "check/proposals.h"
#include "engine/engine.h"
#include "ir/psk.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/symtab.h"
#include "util/u64map.h"

/* ---- a tunnel with both ends ---- */

static void tviews_make(const struct check_ctx *ctx, struct tviews *tv);

void ck_tviews_build(const struct check_ctx *ctx, struct tviews *tv)
{
	struct check_cache *c = ctx->cache;
	if (!c) {
		tviews_make(ctx, tv);
		return;
	}
	if (!c->have_tvs) {
		tviews_make(ctx, &c->tvs);
		c->have_tvs = true;
	}
	/* Shared, not copied: no check writes to it (a copy per check was
	 * 35 copies of 10,000 entries on a big hub). */
	*tv = c->tvs;
	tv->shared = true;
}

void ck_cache_free(struct check_cache *c)
{
	ck_tviews_free(&c->tvs);
	c->have_tvs = false;
	if (c->usages) {
		pr_usages_free(c->usages);
		free(c->usages);
		c->usages = NULL;
	}
	engine_free(c->engine);
	c->engine = NULL;
	for (size_t i = 0; i < c->n_skipped; i++)
		free(c->skipped[i].why);
	free(c->skipped);
	c->skipped = NULL;
	c->n_skipped = c->cap_skipped = 0;
	free(c->peer_routes);
	c->peer_routes = NULL;
}

void ck_cache_release(struct check_cache *c, const struct check_options *o, size_t done)
{
	if (!c->peer_routes)
		return;
	for (size_t j = done + 1; j < check_count; j++)
		if (check_table[j].run && check_table[j].reads_peer_routes && (!o || o->enabled[j]))
			return;
	free(c->peer_routes);   /* 8 bytes a tunnel */
	c->peer_routes = NULL;
}

const struct model_route *ck_peer_route(const struct check_ctx *ctx, const struct tview *tv,
					int a, struct model_route *scratch)
{
	const struct model_gateway *mg = tv->mg[a];
	if (!mg || !tv->mt[a])
		return NULL;
	const struct ip_addr *dst = model_tunnel_remote_ep(tv->mt[a]);
	struct check_cache *c = ctx->cache;
	if (!dst->family)
		return NULL;
	/* The run's table holds TV (ck_tviews_build shares it) or there is
	 * no cache, or the check is not one of those the answers are kept
	 * for: then looked up each time. */
	if (!c || !ctx->current || !ctx->current->reads_peer_routes || !c->have_tvs || !c->tvs.n || (uintptr_t)tv < (uintptr_t)c->tvs.v ||
	    (uintptr_t)tv >= (uintptr_t)(c->tvs.v + c->tvs.n))
		return probe_route(mg, dst, scratch);
	if (!c->peer_routes)
		c->peer_routes = xcalloc(2 * c->tvs.n, sizeof(*c->peer_routes));
	uint32_t *slot = &c->peer_routes[2 * (size_t)(tv - c->tvs.v) + (a != 0)];
	if (!*slot) {
		size_t i = model_route_find(mg, dst);
		if (i != MODEL_ROUTE_NONE && i >= UINT32_MAX - 1)
			return model_route_at(mg, i, scratch);  /* too many to note */
		*slot = i == MODEL_ROUTE_NONE ? UINT32_MAX : (uint32_t)i + 1;
	}
	return *slot == UINT32_MAX ? NULL : model_route_at(mg, *slot - 1, scratch);
}

static void tviews_make(const struct check_ctx *ctx, struct tviews *tv)
{
	const struct ir *ir = ctx->ir;
	size_t n = ir->tunnels.n;
	tv->n = n;
	tv->v = n ? xcalloc(n, sizeof(*tv->v)) : NULL;
	tv->shared = false;
	/* Each end's model tunnel is in its gateway's list, found through the
	 * model's own index of it (a hub's), not by sorting the tunnels by
	 * address and searching (a copy of the tunnel table and the sort's as
	 * much again: 3.2 MB and 1.7 million comparisons at 100,000 spokes).
	 * When both ends are one gateway the model holds end 0 only. */
	for (size_t i = 0; i < n; i++) {
		const struct ir_tunnel *t = ir->tunnels.v[i];
		tv->v[i].t = t;
		for (int e = 0; e < 2; e++) {
			tv->v[i].mg[e] = ctx->model ? model_gateway_of(ctx->model,
									ir_end_gateway(&t->end[e]))
						    : NULL;
			const struct model_tunnel *mt = model_tunnel_of(tv->v[i].mg[e], t);
			if (mt && mt->end == e)
				tv->v[i].mt[e] = mt;
		}
	}
}

void ck_tviews_free(struct tviews *tv)
{
	if (!tv->shared)
		free(tv->v);
	tv->v = NULL;
	tv->n = 0;
}

bool ck_gateway_end(const struct tview *tv, int a)
{
	return tv_gw(tv, a) && tv_gw(tv, a)->kind == GW_GATEWAY && tv->mg[a] && tv->mt[a] &&
	       (a == 0 || tv_gw(tv, 0) != tv_gw(tv, 1));
}

bool ck_end_selectors_set(const struct ir_tunnel_end *e)
{
	return e->local_set || e->remote_set || e->proto != PROTO_ANY || e->port_lo || e->port_hi;
}

/* ---- selectors ---- */

static bool ports_cover(const struct selector *b, const struct selector *a)
{
	if (!b->port_lo && !b->port_hi)
		return true;
	if (!a->port_lo && !a->port_hi)
		return false;
	return b->port_lo <= a->port_lo && a->port_hi <= b->port_hi;
}

bool ck_selector_covers(const struct selector *b, const struct selector *a)
{
	if (!prefix_contains(&b->src, &a->src) || !prefix_contains(&b->dst, &a->dst))
		return false;
	if (b->proto != PROTO_ANY && b->proto != a->proto)
		return false;
	return ports_cover(b, a);
}

bool ck_selector_equal(const struct selector *a, const struct selector *b)
{
	return prefix_equal(&a->src, &b->src) && prefix_equal(&a->dst, &b->dst) &&
	       a->proto == b->proto && a->port_lo == b->port_lo && a->port_hi == b->port_hi;
}

bool ck_selector_overlaps(const struct selector *a, const struct selector *b)
{
	if (!prefix_overlaps(&a->src, &b->src) || !prefix_overlaps(&a->dst, &b->dst))
		return false;
	if (a->proto != PROTO_ANY && b->proto != PROTO_ANY && a->proto != b->proto)
		return false;
	bool a_any = !a->port_lo && !a->port_hi, b_any = !b->port_lo && !b->port_hi;
	if (a_any || b_any)
		return true;
	return a->port_lo <= b->port_hi && b->port_lo <= a->port_hi;
}

struct selector ck_selector_mirror(const struct selector *s)
{
	struct selector m = *s;
	m.src = s->dst;
	m.dst = s->src;
	return m;
}

bool ck_prefix_list_has(const ir_prefix_vec *v, const struct ip_prefix *p, bool exact)
{
	for (size_t i = 0; i < v->n; i++) {
		struct ip_prefix q = prefix_network(&v->v[i].p);
		if (exact ? prefix_equal(&q, p) : prefix_contains(&q, p))
			return true;
	}
	return false;
}

/* ---- locations ---- */

struct tunc_loc ck_end_loc(const struct ir_tunnel *t, int end)
{
	const struct ir_tunnel_end *e = &t->end[end];
	if (e->has_block && loc_known(ir_end_written(e)->block_loc))
		return ir_end_written(e)->block_loc;
	return loc_or(t->between_loc, t->loc);
}

struct tunc_loc ck_end_local_loc(const struct ir_tunnel *t, int end)
{
	const struct ir_tunnel_end *e = &t->end[end];
	return e->local_set && loc_known(ir_end_written(e)->local_loc) ? ir_end_written(e)->local_loc
							     : ck_end_loc(t, end);
}

struct tunc_loc ck_end_remote_loc(const struct ir_tunnel *t, int end)
{
	const struct ir_tunnel_end *e = &t->end[end];
	return e->remote_set && loc_known(ir_end_written(e)->remote_loc) ? ir_end_written(e)->remote_loc
							       : ck_end_loc(t, end);
}

/* ---- names and text ---- */

const char *ck_gw_name(const struct ir_gateway *g)
{
	return g && g->name ? g->name : "?";
}

const struct platform_info *ck_gw_platform(const struct ir_gateway *g)
{
	if (g && g->pinfo)
		return g->pinfo;
	return platform_find(PLAT_GENERIC, NULL);
}

const char *ck_gw_platform_text(const struct ir_gateway *g)
{
	if (g && g->pinfo && (g->has_platform || g->kind == GW_GATEWAY))
		return g->pinfo->description;
	return "a peer of unknown platform";
}

const char *ck_site_of_prefix(const struct ir_gateway *g, const struct ip_prefix *p)
{
	if (!g || !g->site)
		return NULL;
	for (size_t i = 0; i < g->site->subnets.n; i++) {
		struct ip_prefix s = prefix_network(&g->site->subnets.v[i].p);
		if (prefix_contains(&s, p))
			return g->site->name;
	}
	return NULL;
}

void ck_fmt_prefix(const struct ip_prefix *p, char buf[ADDR_STRLEN])
{
	prefix_format(p, buf, ADDR_STRLEN, true);
}

void ck_fmt_addr(const struct ip_addr *a, char buf[ADDR_STRLEN])
{
	if (!a->family) {
		snprintf(buf, ADDR_STRLEN, "(unknown)");
		return;
	}
	addr_format(a, buf, ADDR_STRLEN);
}

static void sb_sep(struct strbuf *b, bool *first)
{
	if (!*first)
		strbuf_puts(b, ", ");
	*first = false;
}

void ck_sb_enc_mask(struct strbuf *b, uint32_t mask)
{
	bool first = true;
	for (unsigned e = 0; e < ENC__COUNT; e++)
		if (mask & BIT(e)) {
			sb_sep(b, &first);
			strbuf_puts(b, encryption_name((enum encryption)e));
		}
	if (first)
		strbuf_puts(b, "none");
}

void ck_sb_integ_mask(struct strbuf *b, uint32_t mask)
{
	bool first = true;
	for (unsigned i = 0; i < INTEG__COUNT; i++)
		if (mask & BIT(i)) {
			sb_sep(b, &first);
			strbuf_puts(b, integrity_name((enum integrity)i));
		}
	if (first)
		strbuf_puts(b, "none");
}

void ck_sb_group_mask(struct strbuf *b, uint64_t mask)
{
	bool first = true;
	for (unsigned g = 0; g < 64; g++)
		if (mask & (UINT64_C(1) << g)) {
			sb_sep(b, &first);
			strbuf_printf(b, "%u", g);
		}
	if (first)
		strbuf_puts(b, "none");
}

void ck_sb_version_mask(struct strbuf *b, unsigned mask)
{
	bool first = true;
	for (unsigned v = 1; v <= 2; v++)
		if (mask & BIT(v)) {
			sb_sep(b, &first);
			strbuf_printf(b, "IKEv%u", v);
		}
	if (first)
		strbuf_puts(b, "none");
}

uint32_t ck_enc_vec_mask(const ir_enc_vec *v)
{
	uint32_t m = 0;
	for (size_t i = 0; i < v->n; i++)
		m |= BIT(v->v[i]);
	return m;
}

uint32_t ck_integ_vec_mask(const ir_integ_vec *v)
{
	uint32_t m = 0;
	for (size_t i = 0; i < v->n; i++)
		m |= BIT(v->v[i]);
	return m;
}

uint64_t ck_group_vec_mask(const ir_group_vec *v)
{
	uint64_t m = 0;
	for (size_t i = 0; i < v->n; i++)
		if (v->v[i] < 64)
			m |= UINT64_C(1) << v->v[i];
	return m;
}

void ck_fmt_proto(unsigned proto, uint16_t lo, uint16_t hi, char *buf, size_t size)
{
	const char *name = protocol_name(proto);
	char p[24];
	if (proto == PROTO_ANY)
		snprintf(p, sizeof(p), "any protocol");
	else if (name)
		snprintf(p, sizeof(p), "%s", name);
	else
		snprintf(p, sizeof(p), "protocol %u", proto);
	if (!lo && !hi)
		snprintf(buf, size, "%s", p);
	else if (lo == hi)
		snprintf(buf, size, "%s %u", p, lo);
	else
		snprintf(buf, size, "%s %u-%u", p, lo, hi);
}

void ck_diag_names(struct diag *d, const struct ir_tunnel *t,
		const struct ir_gateway *a, const struct ir_gateway *b)
{
	if (!d)
		return;
	if (t && t->name)
		diag_tunnel(d, t->name);
	if (a && a->name)
		diag_gateway(d, a->name);
	if (b && b->name && b != a)
		diag_gateway(d, b->name);
}

/* ---- pre-shared keys ---- */

bool ck_psk_read(const struct check_ctx *ctx, const struct ir_psk *psk, struct secret *out)
{
	char err[512];
	if (psk_load(ctx->ir ? ctx->ir->sources : NULL, psk, out, err, sizeof(err)))
		return true;
	/* Lint without the secrets (CI) says which checks it skipped: one note. */
	struct check_cache *c = ctx->cache;
	if (c && ctx->current) {
		if (c->n_skipped == c->cap_skipped) {
			c->cap_skipped = c->cap_skipped ? 2 * c->cap_skipped : 4;
			c->skipped = xrealloc(c->skipped, c->cap_skipped * sizeof(*c->skipped));
		}
		c->skipped[c->n_skipped++] = (struct ck_key_skip){
			ctx->current->name, psk->loc, xstrdup(err)};
	}
	return false;
}

static bool same_statement(struct tunc_loc a, struct tunc_loc b)
{
	return a.file == b.file && a.offset == b.offset;
}

/* Which skips are the first of their psk statement, through a hash of the
 * statements: a hub linted without its keys skips one per tunnel end, and
 * comparing each with all before it was quadratic. */
static bool *first_of_statement(const struct check_cache *c)
{
	bool *first = xcalloc(c->n_skipped, sizeof(*first));
	struct u64map seen;
	u64map_init(&seen);
	for (size_t i = 0; i < c->n_skipped; i++) {
		struct tunc_loc l = c->skipped[i].loc;
		uint64_t key = (uint64_t)l.file << 32 | l.offset;
		struct u64map_iter it;
		size_t j;
		bool dup = false;
		for (bool more = u64map_first(&seen, key, &it, &j); more && !dup;
		     more = u64map_next(&it, &j))
			dup = same_statement(c->skipped[j].loc, l);
		if (!dup)
			u64map_add(&seen, key, i);
		first[i] = !dup;
	}
	u64map_free(&seen);
	return first;
}

void ck_report_key_skips(struct check_ctx *ctx)
{
	const struct check_cache *c = ctx->cache;
	if (!c || !c->n_skipped)
		return;
	bool *first = first_of_statement(c);
	struct strbuf checks = STRBUF_INIT;
	struct symtab checks_seen;
	symtab_init(&checks_seen);
	size_t keys = 0;
	for (size_t i = 0; i < c->n_skipped; i++) {
		if (!symtab_put(&checks_seen, c->skipped[i].check, (void *)c->skipped[i].check))
			strbuf_printf(&checks, "%s%s", checks.len ? ", " : "", c->skipped[i].check);
		keys += first[i];
	}
	symtab_free(&checks_seen);
	struct diag *d = check_report(ctx, c->skipped[0].loc,
		"%zu pre-shared key%s could not be read, so lint skipped %s for %s: %s",
		keys, keys == 1 ? "" : "s", strbuf_cstr(&checks), keys == 1 ? "it" : "them",
		c->skipped[0].why);
	for (size_t i = 1; i < c->n_skipped; i++)
		if (first[i])
			diag_related(d, c->skipped[i].loc, "%s", c->skipped[i].why);
	diag_fix(d, "run lint where the keys can be read to have these checks run");
	strbuf_free(&checks);
	free(first);
}

void ck_fmt_psk_source(const struct ir_psk *psk, char *buf, size_t size)
{
	switch (psk->source) {
	case PSK_FILE:
		snprintf(buf, size, "file \"%s\"", psk->value ? psk->value : "");
		break;
	case PSK_ENV:
		snprintf(buf, size, "env \"%s\"", psk->value ? psk->value : "");
		break;
	case PSK_INLINE:
		snprintf(buf, size, "inline");
		break;
	case PSK_NONE:
		snprintf(buf, size, "none");
		break;
	}
}

/* ---- platforms ---- */

bool ck_stage_before(const struct platform_info *p, enum stage a, enum stage b)
{
	for (size_t i = 0; i < PIPELINE_MAX && p->outbound[i] != STAGE__COUNT; i++) {
		if (p->outbound[i] == a)
			return true;
		if (p->outbound[i] == b)
			return false;
	}
	return false;
}

/* ---- de-duplicated findings ---- */

static size_t dedup_hash(const void *k1, const void *k2, unsigned k3)
{
	uint64_t h = (uint64_t)(uintptr_t)k1 * UINT64_C(0x9E3779B97F4A7C15);
	h ^= (uint64_t)(uintptr_t)k2 * UINT64_C(0xC2B2AE3D27D4EB4F);
	h ^= (uint64_t)k3 * UINT64_C(0x165667B19E3779F9);
	return (size_t)(h ^ (h >> 29));
}

/* Open addressing over indices into d->v (0 = empty slot, else index + 1),
 * so the items themselves stay in first-seen order for the report. */
static void dedup_rehash(struct dedup *d)
{
	free(d->slots);
	d->n_slots = d->n_slots ? d->n_slots * 2 : 64;
	d->slots = xcalloc(d->n_slots, sizeof(*d->slots));
	for (size_t i = 0; i < d->n; i++) {
		const struct dedup_item *it = &d->v[i];
		size_t s = dedup_hash(it->k1, it->k2, it->k3) & (d->n_slots - 1);
		while (d->slots[s])
			s = (s + 1) & (d->n_slots - 1);
		d->slots[s] = i + 1;
	}
}

struct dedup_item *ck_dedup_add(struct dedup *d, const void *k1, const void *k2, unsigned k3,
			     size_t first)
{
	if ((d->n + 1) * 2 > d->n_slots)
		dedup_rehash(d);
	size_t s = dedup_hash(k1, k2, k3) & (d->n_slots - 1);
	while (d->slots[s]) {
		struct dedup_item *it = &d->v[d->slots[s] - 1];
		if (it->k1 == k1 && it->k2 == k2 && it->k3 == k3) {
			it->count++;
			return it;
		}
		s = (s + 1) & (d->n_slots - 1);
	}
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		d->v = xrealloc(d->v, d->cap * sizeof(*d->v));
	}
	d->v[d->n] = (struct dedup_item){k1, k2, k3, 1, first};
	d->slots[s] = d->n + 1;
	return &d->v[d->n++];
}

void ck_dedup_free(struct dedup *d)
{
	free(d->v);
	free(d->slots);
	memset(d, 0, sizeof(*d));
}

bool ck_expectation_starts(const struct check_ctx *ctx, const struct tview *tv, int a)
{
	const struct model_gateway *mg = tv->mg[a];
	if (!mg)
		return false;
	for (size_t i = 0; i < ctx->ir->expects.n; i++) {
		const struct ir_expect *x = &ctx->ir->expects.v[i];
		const struct spd_entry *se =
			model_spd_lookup(mg, SPD_OUT, &x->src.addr, &x->dst.addr, x->proto, x->port);
		if (se && se->action == SPD_PROTECT && se->tunnel && se->tunnel->ir == tv->t)
			return true;
		/* A route-based end: routed into its tunnel interface. */
		struct model_route scratch;
		const struct model_route *r = model_route_lookup(mg, &x->dst.addr, &scratch);
		if (r && r->tunnel && r->tunnel->ir == tv->t)
			return true;
	}
	return false;
}

/* Decimal digits of V at the end of BUF (which ends at END); returns the first. */
static char *put_decimal(char *end, unsigned long v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

/* ck_psk_source_key's text: the head "SOURCE:FILE:" at the end of HEAD,
 * returned, then the value. */
static const char *psk_source_head(const struct ir_psk *k, char head[48])
{
	/* Made without printf: one per tunnel end of a hub, in three checks. */
	char *end = head + 48;
	*--end = ':';
	char *p = put_decimal(end, k->source == PSK_FILE ? k->loc.file : 0);
	*--p = ':';
	return put_decimal(p, (unsigned long)k->source);
}

char *ck_psk_source_key(struct arena *a, const struct ir_psk *k)
{
	char head[48];
	const char *p = psk_source_head(k, head);
	size_t nh = (size_t)(head + sizeof(head) - p), nv = strlen(k->value);
	char *s = arena_alloc(a, nh + nv + 1);
	memcpy(s, p, nh);
	memcpy(s + nh, k->value, nv + 1);
	return s;
}

const char *ck_psk_source_name(struct strbuf *b, const struct ir_psk *k)
{
	char head[48];
	const char *p = psk_source_head(k, head);
	strbuf_reset(b);
	strbuf_add(b, p, (size_t)(head + sizeof(head) - p));
	strbuf_puts(b, k->value);
	return strbuf_cstr(b);
}
