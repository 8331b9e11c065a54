/* Helpers shared by the check functions (checks_*.c): both ends of a tunnel
 * side by side, a tunnel's SPD entries, locations to point at, and text for
 * messages.  Nothing here reports; the checks do. */
#ifndef TUNC_CHECK_UTIL_H
#define TUNC_CHECK_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check/check.h"
#include "util/secret.h"
#include "util/strbuf.h"

/* ---- a tunnel with both ends ---- */

/* One a tunnel, built once per run (40 bytes: an end's gateway is read
 * from the tunnel by tv_gw, not copied; 1.6 MB at 100,000 spokes). */
struct tview {
	const struct ir_tunnel *t;
	const struct model_gateway *mg[2];      /* end i's gateway's model (NULL: not modelled) */
	const struct model_tunnel *mt[2];       /* the tunnel as end i sees it */
};

/* End I's gateway or peer. */
static inline const struct ir_gateway *tv_gw(const struct tview *tv, int i)
{
	return ir_end_gateway(&tv->t->end[i]);
}

struct tviews {
	struct tview *v;
	size_t n;
	bool shared;                    /* v is the run's table (ctx->cache): not freed */
};

/* Every tunnel of the IR in file order, with both ends' model views.
 * O(n log n), built once per run (ctx->cache) and shared by the checks,
 * which only read it: never a per-tunnel search. */
void ck_tviews_build(const struct check_ctx *ctx, struct tviews *tv);
void ck_tviews_free(struct tviews *tv);

/* What the checks of one run share (check_ctx.cache). */
struct engine;
struct usages;
/* A key a check could not read (ck_psk_read): the check skipped it. */
struct ck_key_skip {
	const char *check;              /* the check that wanted it */
	struct tunc_loc loc;            /* the psk statement */
	char *why;                      /* psk_load's reason (never the key) */
};

struct check_cache {
	struct tviews tvs;
	bool have_tvs;
	struct usages *usages;          /* who uses each proposal (check/proposals.h) */
	struct engine *engine;          /* probes' engine (check/probe.c), built on first use */
	struct ck_key_skip *skipped;    /* reported in one keys-unread note */
	size_t n_skipped, cap_skipped;
	/* ck_peer_route's answers, two per tunnel of tvs (end 0, end 1): the
	 * route's place + 1, 0 not yet looked up, UINT32_MAX no route. */
	uint32_t *peer_routes;
};
void ck_cache_free(struct check_cache *c);
/* Frees what of C no enabled check after check_table[DONE] reads (O:
 * which are enabled, NULL all): lint's peak is during the last checks. */
void ck_cache_release(struct check_cache *c, const struct check_options *o, size_t done);
/* The keys-unread note: which checks skipped which keys, and why (nothing
 * when every key was read). */
void ck_report_key_skips(struct check_ctx *ctx);

/* Is end A of the tunnel a configured gateway with a model (its routes,
 * its SPD)?  Peers are described, not configured, and their routes are not
 * known; the second end of a tunnel from a gateway to itself is the first. */
bool ck_gateway_end(const struct tview *tv, int a);

/* The route end A of TV takes to its peer's endpoint (probe_route: perhaps
 * made in SCRATCH), NULL: none.  Four checks ask it of every end
 * (peer-unreachable, route-missing, egress-address, ike-blocked): it is
 * looked up once per run and end, which more than pays for making the
 * connected routes when read.  Kept for the checks marked
 * reads_peer_routes (check_table.c) only. */
const struct model_route *ck_peer_route(const struct check_ctx *ctx, const struct tview *tv,
					int a, struct model_route *scratch);

/* Did end I's per-end block change its selectors (local, remote, protocol)? */
bool ck_end_selectors_set(const struct ir_tunnel_end *e);
/* Is TV a mixed pair (one end route-based) that mixed-pair-selectors
 * judges: both ends negotiate by IKE, in the same version?  Then the
 * per-pair selector checks leave it alone (checks_route_based.c). */
bool ck_mixed_pair_judged(const struct tview *tv);

/* ---- a tunnel end's SPD entries ---- */

/* The outbound PROTECT entries of a tunnel end at its own gateway MG, in
 * SPD order: the model's own list of them (model_tunnel_spd), read in
 * place.  (The checks once sorted every gateway's outbound entries by
 * tunnel and searched that copy: 1.6 MB and 13 M instructions on a hub
 * of 100,000 spokes.) */
struct ck_spd_out {
	const struct model_gateway *mg;
	struct spd_refs refs;           /* places in mg's outbound SPD */
};
/* MT's entries at MG (MT is MG's: tview's mt[a] and mg[a]); none when
 * either is NULL. */
static inline struct ck_spd_out ck_spd_out_of(const struct model_gateway *mg,
					      const struct model_tunnel *mt)
{
	if (!mg || !mt)
		return (struct ck_spd_out){mg, {NULL, 0}};
	return (struct ck_spd_out){mg, model_tunnel_spd(mt, SPD_OUT)};
}
/* Entry I of O (I < O->refs.n). */
static inline const struct spd_entry *ck_spd_out_at(const struct ck_spd_out *o, size_t i)
{
	return model_spd_entry(o->mg, SPD_OUT, o->refs.v[i]);
}

/* ---- selectors ---- */

/* Does B hold every packet of A (prefixes, protocol and ports)? */
bool ck_selector_covers(const struct selector *b, const struct selector *a);
bool ck_selector_equal(const struct selector *a, const struct selector *b);
bool ck_selector_overlaps(const struct selector *a, const struct selector *b);
/* The selector as the other end configures it: source and destination swapped. */
struct selector ck_selector_mirror(const struct selector *s);
/* Does the prefix list hold P exactly (EXACT) or some prefix containing P? */
bool ck_prefix_list_has(const ir_prefix_vec *v, const struct ip_prefix *p, bool exact);

/* ---- locations ---- */

static inline bool loc_known(struct tunc_loc l)
{
	return l.file != 0;
}
static inline bool loc_same(struct tunc_loc a, struct tunc_loc b)
{
	return a.file == b.file && a.offset == b.offset;
}
static inline struct tunc_loc loc_or(struct tunc_loc a, struct tunc_loc b)
{
	return loc_known(a) ? a : b;
}
/* End I's per-end block, or the tunnel's `between`, or the tunnel. */
struct tunc_loc ck_end_loc(const struct ir_tunnel *t, int end);
/* End I's `local` / `remote` statement, or ck_end_loc(). */
struct tunc_loc ck_end_local_loc(const struct ir_tunnel *t, int end);
struct tunc_loc ck_end_remote_loc(const struct ir_tunnel *t, int end);

/* ---- names and text ---- */

const char *ck_gw_name(const struct ir_gateway *g);
/* The platform row of a gateway or peer (generic when none was given). */
const struct platform_info *ck_gw_platform(const struct ir_gateway *g);
/* "Cisco IOS 15" or "a peer of unknown platform". */
const char *ck_gw_platform_text(const struct ir_gateway *g);
/* The site name holding prefix P at gateway G's side, or NULL. */
const char *ck_site_of_prefix(const struct ir_gateway *g, const struct ip_prefix *p);

/* Host addresses without "/32". */
void ck_fmt_prefix(const struct ip_prefix *p, char buf[ADDR_STRLEN]);
void ck_fmt_addr(const struct ip_addr *a, char buf[ADDR_STRLEN]);

/* "des, 3des" from a mask over enum encryption / enum integrity / groups. */
void ck_sb_enc_mask(struct strbuf *b, uint32_t mask);
void ck_sb_integ_mask(struct strbuf *b, uint32_t mask);
void ck_sb_group_mask(struct strbuf *b, uint64_t mask);
void ck_sb_version_mask(struct strbuf *b, unsigned mask);
uint32_t ck_enc_vec_mask(const ir_enc_vec *v);
uint32_t ck_integ_vec_mask(const ir_integ_vec *v);
uint64_t ck_group_vec_mask(const ir_group_vec *v);
/* "tcp 443", "udp 500-600", "protocol 47" */
void ck_fmt_proto(unsigned proto, uint16_t lo, uint16_t hi, char *buf, size_t size);

/* Adds the tunnel and gateway names to a finding (NULLs skipped). */
void ck_diag_names(struct diag *d, const struct ir_tunnel *t,
		const struct ir_gateway *a, const struct ir_gateway *b);

/* ---- pre-shared keys ---- */

/* Reads the key a psk statement names (psk_load: inline, `file` relative to
 * the file holding the statement, or `env`).  Returns false when it cannot
 * be read.  The caller frees *OUT with secret_free(). */
bool ck_psk_read(const struct check_ctx *ctx, const struct ir_psk *psk, struct secret *out);
/* The name by which the key checks tell key sources apart, in A:
 * "SOURCE:FILE:VALUE" (the file only for `psk file`, whose path is
 * relative to the file that names it), as printf's "%d:%u:%s" writes it. */
char *ck_psk_source_key(struct arena *a, const struct ir_psk *k);
/* The same name made in B (reset first), valid until B changes: a table
 * of key sources copies it only when it is new (a hub's 100,000 tunnel
 * ends naming one key file made 100,000 copies, 2 MB at lint's peak). */
const char *ck_psk_source_name(struct strbuf *b, const struct ir_psk *k);
/* "file \"a.psk\"", "env \"T_PSK\"", "inline" (never the key). */
void ck_fmt_psk_source(const struct ir_psk *psk, char *buf, size_t size);

/* ---- platforms ---- */

/* Does stage A come before stage B in the platform's outbound pipeline? */
bool ck_stage_before(const struct platform_info *p, enum stage a, enum stage b);

/* ---- de-duplicated findings ---- */

/* Counts how many ends share one finding (a proposal used by many tunnels)
 * so that it is reported once, naming the first and counting the rest. */
struct dedup {
	struct dedup_item {
		const void *k1, *k2;
		unsigned k3;
		size_t count;
		size_t first;           /* caller's index of the first occurrence */
	} *v;
	size_t n, cap;
	size_t *slots, n_slots;         /* hash of the keys */
};
/* Returns the item for (K1, K2, K3), added with FIRST if new. */
struct dedup_item *ck_dedup_add(struct dedup *d, const void *k1, const void *k2, unsigned k3,
			     size_t first);
void ck_dedup_free(struct dedup *d);

/* Does an expectation send traffic from end A's side of TV into the tunnel,
 * as A's SPD has it (an outbound entry of this tunnel that protects it)? */
bool ck_expectation_starts(const struct check_ctx *ctx, const struct tview *tv, int a);

#endif
