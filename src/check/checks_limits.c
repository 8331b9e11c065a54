/* platform-limit: what a gateway's emitted configuration cannot hold, as
 * the platform table's limits columns say (platform/platform.h, struct
 * platform_limits).  The emitters refuse exactly these cases; reporting them
 * here first keeps the promise that a policy lint passes compiles.
 *
 * Every case reads the model the emitters read: each modelled tunnel end
 * (model_tunnel), its SPD entries, and the gateway's NAT rules. */
#include "config.h"
#include "check/checks.h"
#include "check/util.h"
#include "util/arena.h"
#include "util/u64map.h"

#include <stdlib.h>
#include <string.h>

static void report(struct check_ctx *ctx, const struct model_gateway *mg,
		   const struct model_tunnel *mt, struct tunc_loc loc, const char *what,
		   const char *fix)
{
	const struct platform_info *p = mg->platform;
	struct diag *d = check_report(ctx, loc,
		"%s (%s): the configuration tunc writes for it cannot hold %s",
		mg->ir->name, p->description, what);
	ck_diag_names(d, mt ? mt->ir : NULL, mg->ir, mt ? model_tunnel_peer(mt) : NULL);
	diag_fix(d, "%s", fix);
	if (loc_known(mg->ir->platform_loc))
		diag_related(d, mg->ir->platform_loc, "%s's platform is %s", mg->ir->name,
			     p->description);
}

/* The first protected SPD entry of MT (outbound) that is IPv6, or that
 * names a port range; NULL: none. */
static const struct spd_entry *first_entry(const struct model_gateway *mg,
					   const struct model_tunnel *mt, bool ipv6, bool range)
{
	struct spd_refs mine = model_tunnel_spd(mt, SPD_OUT);
	for (size_t i = 0; i < mine.n; i++) {
		const struct spd_entry *e = model_spd_entry(mg, SPD_OUT, mine.v[i]);
		const struct selector esel = spd_entry_sel(e);
		if (ipv6 && esel.src.addr.family == AF_V6)
			return e;
		if (range && esel.port_lo != esel.port_hi)
			return e;
	}
	return NULL;
}

static void tunnel_limits(struct check_ctx *ctx, const struct model_gateway *mg,
			  const struct model_tunnel *mt)
{
	const struct platform_limits *l = &mg->platform->limits;
	/* A route-based end's tunnel interface takes an IPv6 peer and IPv6
	 * traffic (`tunnel mode ipsec ipv6`): the limits are the crypto map's.
	 * What it may lack is selectors other than any to any. */
	if (mt->route_based) {
		if (l->route_based_any && (mt->here->local_set || mt->here->remote_set))
			report(ctx, mg, mt, mt->here->remote_set ? ir_end_written(mt->here)->remote_loc
								  : ir_end_written(mt->here)->local_loc,
			       "a route-based end with selectors other than any to any (its tunnel "
			       "interface's IPsec SA is always any to any)",
			       "remove the end's `local`/`remote` (its tunnel interface negotiates "
			       "0.0.0.0/0 both ways), or make the end policy-based (no `route-based`: "
			       "a crypto map negotiates these subnets)");
		return;
	}
	if (l->ipv4_peer && model_tunnel_remote_ep(mt)->family == AF_V6)
		report(ctx, mg, mt, loc_or(ir_end_written(mt->here)->remote_endpoint_loc, mt->ir->loc),
		       "an IPv6 tunnel peer",
		       "give the tunnel IPv4 endpoints, or terminate it on a platform whose "
		       "configuration takes an IPv6 peer (linux, windows 2008 or later)");
	const struct spd_entry *e;
	if (l->ipv4_selectors && (e = first_entry(mg, mt, true, false)))
		report(ctx, mg, mt, loc_or(e->loc, mt->ir->loc),
		       "IPv6 traffic in its tunnel selectors (an IPv4 access list)",
		       "protect IPv4 subnets only in this tunnel, or terminate IPv6 traffic on "
		       "a platform whose configuration takes IPv6 selectors");
	bool one_port = l->one_port || (l->manual_one_port && model_end_manual(mt->here));
	if (one_port && (e = first_entry(mg, mt, false, true)))
		report(ctx, mg, mt, loc_or(ir_end_written(mt->here)->protocol_loc, loc_or(e->loc, mt->ir->loc)),
		       "a port range in a tunnel selector (one port only)",
		       "name one port, or split the range into one tunnel per port");
}

/* Whether a NAT rule of G translates IPv6 traffic (for `exempt tunnels`:
 * whether one of the gateway's tunnels carries IPv6). */
static bool nat_ipv6(const struct model_gateway *mg, const struct ir_nat_rule *r)
{
	switch (r->kind) {
	case NAT_EXEMPT:
	case NAT_OVERLOAD:
		return r->src.p.addr.family == AF_V6;
	case NAT_STATIC:
		return r->static_from.family == AF_V6;
	case NAT_EXEMPT_TUNNELS:
		for (size_t t = 0; t < mg->tunnels.n; t++)
			if (first_entry(mg, mg->tunnels.v[t], true, false))
				return true;
		return false;
	}
	return false;
}

/* Whether each key file (with the characters a platform forbids) can be
 * written, so that a hub's key file, named by every tunnel, is read once
 * and not once per tunnel end (20,000 opens at 10,000 spokes).  A key that
 * could not be read is asked for again at each statement: ck_psk_read
 * names every statement in the keys-unread note. */
struct key_verdict {
	uint32_t file;                  /* a relative name is relative to this file */
	const char *value, *forbidden;
	bool ok;
};

struct key_verdicts {
	struct u64map ix;               /* hash of the three -> index in v */
	struct key_verdict *v;
	size_t n, cap;
};

static uint64_t verdict_key(uint32_t file, const char *value, const char *forbidden)
{
	return u64map_mix_bytes(u64map_mix(file, (uintptr_t)forbidden), value, strlen(value));
}

static const struct key_verdict *verdict_find(const struct key_verdicts *kv, uint64_t key,
					      uint32_t file, const char *value,
					      const char *forbidden)
{
	struct u64map_iter it;
	size_t i;
	for (bool more = u64map_first(&kv->ix, key, &it, &i); more; more = u64map_next(&it, &i))
		if (kv->v[i].file == file && kv->v[i].forbidden == forbidden &&
		    strcmp(kv->v[i].value, value) == 0)
			return &kv->v[i];
	return NULL;
}

/* A key that cannot be written into the configuration.  Unreadable keys
 * are skipped (ck_psk_read says so once, in the key-checks note). */
static void psk_limits(struct check_ctx *ctx, struct key_verdicts *kv,
		       const struct model_gateway *mg, const struct model_tunnel *mt)
{
	const struct ir_psk *psk = model_tunnel_psk(mt);
	const char *forbidden = mg->platform->limits.psk_forbidden;
	if (!forbidden || !psk || psk->source == PSK_NONE)
		return;
	if (mt->manual_given)
		return;         /* SAs, written as session keys: never as a key */
	/* Key files only: the others cost no I/O, and an inline key is kept
	 * nowhere else. */
	const struct ir_psk *k = psk;
	bool cache = k->source == PSK_FILE && k->value;
	uint64_t key = cache ? verdict_key(k->loc.file, k->value, forbidden) : 0;
	const struct key_verdict *known =
		cache ? verdict_find(kv, key, k->loc.file, k->value, forbidden) : NULL;
	bool ok;
	if (known) {
		ok = known->ok;
	} else {
		struct secret secret;
		if (!ck_psk_read(ctx, k, &secret))
			return;
		/* The emitters ask the same question of the same row (secret_printable). */
		ok = secret_printable(&secret, true, forbidden);
		secret_free(&secret);
		if (cache) {
			if (kv->n == kv->cap) {
				kv->cap = kv->cap ? 2 * kv->cap : 4;
				kv->v = xrealloc(kv->v, kv->cap * sizeof(*kv->v));
			}
			kv->v[kv->n] = (struct key_verdict){k->loc.file, k->value, forbidden, ok};
			u64map_add(&kv->ix, key, kv->n++);
		}
	}
	if (ok)
		return;
	/* The characters, never the key. */
	struct strbuf chars = STRBUF_INIT;
	for (const char *c = forbidden; *c; c++) {
		const char *sep = c == forbidden ? "" : c[1] ? ", " : " or ";
		if (*c == ' ')
			strbuf_printf(&chars, "%sa space", sep);
		else
			strbuf_printf(&chars, "%s'%c'", sep, *c);
	}
	struct strbuf what = STRBUF_INIT;
	strbuf_printf(&what, "tunnel %s's pre-shared key (printable ASCII only, without %s)",
		      mt->ir->name, strbuf_cstr(&chars));
	report(ctx, mg, mt, loc_or(psk->loc, mt->ir->loc), strbuf_cstr(&what),
	       "use a key of letters, digits and the symbols the platform takes, e.g. from "
	       "'openssl rand -base64 30'");
	strbuf_free(&what);
	strbuf_free(&chars);
}

void check_platform_limit(struct check_ctx *ctx)
{
	const struct model *m = ctx->model;
	struct key_verdicts kv = {.v = NULL};
	u64map_init(&kv.ix);
	for (size_t g = 0; m && g < m->gateways.n; g++) {
		const struct model_gateway *mg = m->gateways.v[g];
		if (!mg->platform || !mg->platform->emit_target)
			continue;       /* not written by compile */
		const struct platform_limits *l = &mg->platform->limits;
		for (size_t t = 0; t < mg->tunnels.n; t++) {
			const struct model_tunnel *mt = mg->tunnels.v[t];
			tunnel_limits(ctx, mg, mt);
			psk_limits(ctx, &kv, mg, mt);   /* each gateway writes the key */
		}
		for (size_t i = 0; l->ipv4_nat && i < mg->ir->nat.n; i++) {
			const struct ir_nat_rule *r = &mg->ir->nat.v[i];
			if (nat_ipv6(mg, r))
				report(ctx, mg, NULL, r->loc, "an IPv6 NAT rule (its NAT is IPv4 only)",
				       "keep NAT to IPv4 on this gateway; IPv6 subnets need no "
				       "exemption where nothing translates them");
		}
	}
	u64map_free(&kv.ix);
	free(kv.v);
	/* A cloud peer's key is entered in its provider's console. */
	check_cloud_psk(ctx);
}
