/* The parser's actions (see build.h).  Values are checked here, where the
 * token's location is at hand; names are bound later by resolve.c. */
#include "config.h"
#include "ir/build.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "platform/platform.h"
#include "util/suggest.h"

#define ARENA(c) (&(c)->ir->arena)

/* "; did you mean 'aes256'?" when TEXT is a typo of one of NAMES, else "". */
static const char *did_you_mean(struct parse_ctx *c, const char *text,
				const char *const *names, size_t n)
{
	struct suggest s;
	suggest_init(&s, text);
	for (size_t i = 0; i < n; i++)
		suggest_consider(&s, names[i]);
	const char *t = suggest_text(&s, ARENA(c));
	return t ? arena_printf(ARENA(c), "; %s", t) : "";
}

static const char *encryption_suggestion(struct parse_ctx *c, const char *text)
{
	const char *names[ENC__COUNT];
	for (unsigned i = 0; i < ENC__COUNT; i++)
		names[i] = encryption_name(i);
	return did_you_mean(c, text, names, ENC__COUNT);
}

static const char *integrity_suggestion(struct parse_ctx *c, const char *text)
{
	const char *names[INTEG__COUNT];
	for (unsigned i = 0; i < INTEG__COUNT; i++)
		names[i] = integrity_name(i);
	return did_you_mean(c, text, names, INTEG__COUNT);
}

static const char *group_suggestion(struct parse_ctx *c, const char *text)
{
#define X_TEXT(n, ...) #n,
	static const char *const groups[] = {TUNC_DH_GROUPS(X_TEXT)};
#undef X_TEXT
	return did_you_mean(c, text, groups, sizeof(groups) / sizeof(groups[0]));
}

static const char *platform_suggestion(struct parse_ctx *c, const char *text)
{
	const char *names[PLAT__COUNT];
	size_t n = 0;
	for (unsigned i = 0; i < PLAT__COUNT; i++)
		if (i != PLAT_GENERIC)
			names[n++] = platform_name(i);
	return did_you_mean(c, text, names, n);
}

/* ---- values ---- */

bool build_address(struct parse_ctx *c, const char *text, struct tunc_loc loc,
		   struct ip_addr *out)
{
	if (strchr(text, '/')) {
		diag_front(c->diags, "invalid-value", loc,
			   "'%s' is a prefix; an address is expected here", text);
		memset(out, 0, sizeof(*out));
		return false;
	}
	if (!addr_parse(text, out)) {
		diag_front(c->diags, "invalid-value", loc, "'%s' is not a valid IPv4 or IPv6 address", text);
		return false;
	}
	return true;
}

bool build_prefix(struct parse_ctx *c, const char *text, struct tunc_loc loc,
		  bool allow_host_bits, struct ir_prefix *out)
{
	memset(out, 0, sizeof(*out));
	out->loc = loc;
	if (!prefix_parse(text, &out->p)) {
		const char *slash = strchr(text, '/');
		struct ip_addr a;
		char addr[ADDR_STRLEN];
		size_t n = slash ? (size_t)(slash - text) : strlen(text);
		snprintf(addr, sizeof(addr), "%.*s", (int)(n < sizeof(addr) ? n : sizeof(addr) - 1), text);
		if (slash && addr_parse(addr, &a))
			diag_front(c->diags, "invalid-value", loc,
				   "prefix length '%s' is out of range for %s (0-%u)", slash + 1,
				   a.family == AF_V6 ? "IPv6" : "IPv4", addr_max_len(&a));
		else
			diag_front(c->diags, "invalid-value", loc,
				   "'%s' is not a valid IPv4 or IPv6 address", addr);
		out->p.addr.family = AF_V4;
		return false;
	}
	if (!allow_host_bits && prefix_has_host_bits(&out->p)) {
		struct ip_prefix net = prefix_network(&out->p);
		char fixed[ADDR_STRLEN];
		prefix_format(&net, fixed, sizeof(fixed), false);
		struct diag *d = diag_front(c->diags, "host-bits", loc,
					    "prefix '%s' has host bits set; did you mean '%s'?", text, fixed);
		diag_fix(d, "write %s", fixed);
		return false;
	}
	return true;
}

struct ir_prefix build_any(struct tunc_loc loc)
{
	struct ir_prefix p;
	memset(&p, 0, sizeof(p));
	p.p = prefix_any(AF_V4);
	p.loc = loc;
	p.is_any = true;
	return p;
}

bool build_number(struct parse_ctx *c, const char *text, struct tunc_loc loc,
		  uint64_t max, uint64_t *out)
{
	errno = 0;
	char *end;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno || *end || v > max) {
		diag_front(c->diags, "invalid-value", loc, "'%s' is out of range (0-%" PRIu64 ")", text, max);
		*out = 0;
		return false;
	}
	*out = v;
	return true;
}

/* NUMBER[UNIT] with UNITS like "s1m60h3600d86400". */
static bool scaled(struct parse_ctx *c, const char *text, struct tunc_loc loc,
		   const char *what, const char *units, const uint64_t *factors, uint64_t *out)
{
	size_t n = strlen(text);
	uint64_t factor = 1;
	char digits[32];
	if (n == 0 || n >= sizeof(digits))
		goto bad;
	memcpy(digits, text, n + 1);
	char last = digits[n - 1];
	if (last < '0' || last > '9') {
		const char *u = strchr(units, last);
		if (!u)
			goto bad;
		factor = factors[u - units];
		digits[n - 1] = '\0';
	}
	uint64_t v;
	if (!build_number(c, digits, loc, UINT64_MAX / factor, &v))
		return false;
	*out = v * factor;
	return true;
bad:
	diag_front(c->diags, "invalid-value", loc, "'%s' is not a %s", text, what);
	*out = 0;
	return false;
}

bool build_duration(struct parse_ctx *c, const char *text, struct tunc_loc loc, uint64_t *out)
{
	static const uint64_t f[] = {1, 60, 3600, 86400};
	return scaled(c, text, loc, "duration (a number with s, m, h or d)", "smhd", f, out);
}

bool build_volume(struct parse_ctx *c, const char *text, struct tunc_loc loc, uint64_t *out_kb)
{
	static const uint64_t f[] = {1, 1024, 1024 * 1024};
	size_t n = strlen(text);
	if (n && text[n - 1] >= '0' && text[n - 1] <= '9') {
		diag_front(c->diags, "invalid-value", loc,
			   "a volume needs a unit: K, M or G (got '%s')", text);
		return false;
	}
	return scaled(c, text, loc, "volume (a number with K, M or G)", "KMG", f, out_kb);
}

unsigned build_protocol(struct parse_ctx *c, const char *text, struct tunc_loc loc)
{
	unsigned p;
	if (protocol_lookup(text, &p))
		return p;
	uint64_t v;
	if (text[0] >= '0' && text[0] <= '9') {
		if (build_number(c, text, loc, 255, &v))
			return (unsigned)v;
		return PROTO_ANY;
	}
	diag_front(c->diags, "invalid-value", loc,
		   "unknown protocol '%s' (icmp, tcp, udp, esp, ah, gre or a number)", text);
	return PROTO_ANY;
}

void build_port(struct parse_ctx *c, const char *text, struct tunc_loc loc,
		uint16_t *lo, uint16_t *hi)
{
	*lo = *hi = 0;
	if (!text)
		return;
	char first[16];
	const char *dash = strchr(text, '-');
	size_t n = dash ? (size_t)(dash - text) : strlen(text);
	if (n >= sizeof(first)) {
		diag_front(c->diags, "invalid-value", loc, "'%s' is not a port or port range", text);
		return;
	}
	memcpy(first, text, n);
	first[n] = '\0';
	uint64_t a, b;
	if (!build_number(c, first, loc, 65535, &a))
		return;
	b = a;
	if (dash && !build_number(c, dash + 1, loc, 65535, &b))
		return;
	if (a == 0 || b < a) {
		diag_front(c->diags, "invalid-value", loc,
			   "'%s' is not a valid port range (1-65535, low-high)", text);
		return;
	}
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
}

/* ---- proposals ---- */

void build_ike_begin(struct parse_ctx *c, const char *name, struct tunc_loc loc)
{
	struct ir_ike *p = arena_new(ARENA(c), struct ir_ike);
	p->name = name;
	p->loc = loc;
	p->version = 2;
	p->mode = IKE_MODE_MAIN;
	p->lifetime_s = 24 * 3600;
	arena_vec_push(ARENA(c), &c->ir->ikes, p);
	c->cur_ike = p;
}

void build_ipsec_begin(struct parse_ctx *c, const char *name, struct tunc_loc loc)
{
	struct ir_ipsec *p = arena_new(ARENA(c), struct ir_ipsec);
	p->name = name;
	p->loc = loc;
	p->protocol = IPSEC_ESP;
	p->lifetime_s = 3600;
	arena_vec_push(ARENA(c), &c->ir->ipsecs, p);
	c->cur_ipsec = p;
}

void build_proposal_end(struct parse_ctx *c)
{
	c->cur_ike = NULL;
	c->cur_ipsec = NULL;
}

/* A statement that belongs to the other kind of proposal. */
static bool only_in(struct parse_ctx *c, bool ike, const char *what, struct tunc_loc loc)
{
	if (ike ? c->cur_ike != NULL : c->cur_ipsec != NULL)
		return true;
	diag_front(c->diags, "syntax", loc, "'%s' belongs in an %s proposal, not an %s proposal",
		   what, ike ? "ike" : "ipsec", ike ? "ipsec" : "ike");
	return false;
}

void build_version(struct parse_ctx *c, const char *text, struct tunc_loc loc)
{
	if (!only_in(c, true, "version", loc))
		return;
	if (strcmp(text, "1") != 0 && strcmp(text, "2") != 0) {
		diag_front(c->diags, "invalid-value", loc, "IKE version must be 1 or 2, not '%s'", text);
		return;
	}
	c->cur_ike->version = (unsigned)(text[0] - '0');
	c->cur_ike->version_loc = loc;
}

void build_mode(struct parse_ctx *c, const char *text, struct tunc_loc loc)
{
	if (!only_in(c, true, "mode", loc))
		return;
	if (strcmp(text, "main") == 0)
		c->cur_ike->mode = IKE_MODE_MAIN;
	else if (strcmp(text, "aggressive") == 0)
		c->cur_ike->mode = IKE_MODE_AGGRESSIVE;
	else
		diag_front(c->diags, "invalid-value", loc, "unknown IKE mode '%s' (main or aggressive)", text);
	c->cur_ike->mode_loc = loc;
}

void build_encryption(struct parse_ctx *c, const word_vec *w, struct tunc_loc loc)
{
	ir_enc_vec *dst = c->cur_ike ? &c->cur_ike->encryption : &c->cur_ipsec->encryption;
	dst->n = 0;
	for (size_t i = 0; i < w->n; i++) {
		enum encryption e;
		if (!encryption_lookup(w->v[i].text, &e)) {
			diag_front(c->diags, "invalid-value", w->v[i].loc,
				   "unknown encryption '%s' (null, des, 3des, aes128, aes192, aes256, "
				   "aes128-gcm, aes256-gcm)%s", w->v[i].text,
				   encryption_suggestion(c, w->v[i].text));
			continue;
		}
		if (e == ENC_NULL && c->cur_ike) {
			diag_front(c->diags, "invalid-value", w->v[i].loc,
				   "'null' encryption exists only for ESP, not for IKE");
			continue;
		}
		arena_vec_push(ARENA(c), dst, e);
	}
	if (c->cur_ike)
		c->cur_ike->encryption_loc = loc;
	else
		c->cur_ipsec->encryption_loc = loc;
}

void build_integrity(struct parse_ctx *c, const word_vec *w, struct tunc_loc loc)
{
	ir_integ_vec *dst = c->cur_ike ? &c->cur_ike->integrity : &c->cur_ipsec->integrity;
	dst->n = 0;
	for (size_t i = 0; i < w->n; i++) {
		enum integrity v;
		if (!integrity_lookup(w->v[i].text, &v)) {
			diag_front(c->diags, "invalid-value", w->v[i].loc,
				   "unknown integrity '%s' (none, md5, sha1, sha256, sha384, sha512)%s",
				   w->v[i].text, integrity_suggestion(c, w->v[i].text));
			continue;
		}
		if (v == INTEG_NONE && c->cur_ike) {
			diag_front(c->diags, "invalid-value", w->v[i].loc,
				   "IKE needs an integrity algorithm; 'none' is for ESP with GCM");
			continue;
		}
		arena_vec_push(ARENA(c), dst, v);
	}
	if (c->cur_ike)
		c->cur_ike->integrity_loc = loc;
	else
		c->cur_ipsec->integrity_loc = loc;
}

static bool dh_group(struct parse_ctx *c, const char *text, struct tunc_loc loc, unsigned *out)
{
	uint64_t g;
	if (text[0] < '0' || text[0] > '9' || !build_number(c, text, loc, 1000, &g))
		goto bad;
	if (!dh_group_valid((unsigned)g))
		goto bad;
	*out = (unsigned)g;
	return true;
bad:
	diag_front(c->diags, "invalid-value", loc,
		   "unknown DH group '%s' (1, 2, 5, 14, 15, 16, 19, 20 or 21)%s", text,
		   group_suggestion(c, text));
	return false;
}

void build_groups(struct parse_ctx *c, const word_vec *w, struct tunc_loc loc)
{
	if (!only_in(c, true, "group", loc))
		return;
	c->cur_ike->group.n = 0;
	for (size_t i = 0; i < w->n; i++) {
		unsigned g;
		if (dh_group(c, w->v[i].text, w->v[i].loc, &g))
			arena_vec_push(ARENA(c), &c->cur_ike->group, g);
	}
	c->cur_ike->group_loc = loc;
}

void build_lifetime(struct parse_ctx *c, const char *dur, struct tunc_loc dloc,
		    const char *vol, struct tunc_loc vloc, struct tunc_loc loc)
{
	uint64_t s = 0, kb = 0;
	if (!build_duration(c, dur, dloc, &s))
		return;
	if (s == 0) {
		diag_front(c->diags, "invalid-value", dloc, "a lifetime must be longer than 0");
		return;
	}
	if (vol) {
		if (c->cur_ike) {
			diag_front(c->diags, "syntax", vloc,
				   "a volume lifetime belongs in an ipsec proposal, not an ike proposal");
			return;
		}
		if (!build_volume(c, vol, vloc, &kb))
			return;
	}
	if (c->cur_ike) {
		c->cur_ike->lifetime_s = s;
		c->cur_ike->lifetime_loc = loc;
	} else {
		c->cur_ipsec->lifetime_s = s;
		c->cur_ipsec->lifetime_kb = kb;
		c->cur_ipsec->lifetime_loc = loc;
	}
}

void build_ipsec_protocol(struct parse_ctx *c, const char *text, struct tunc_loc loc)
{
	if (!only_in(c, false, "protocol", loc))
		return;
	if (strcmp(text, "esp") == 0)
		c->cur_ipsec->protocol = IPSEC_ESP;
	else if (strcmp(text, "ah") == 0)
		c->cur_ipsec->protocol = IPSEC_AH;
	else
		diag_front(c->diags, "invalid-value", loc, "unknown IPsec protocol '%s' (esp or ah)", text);
	c->cur_ipsec->protocol_loc = loc;
}

void build_pfs(struct parse_ctx *c, const char *text, struct tunc_loc loc)
{
	if (!only_in(c, false, "pfs", loc))
		return;
	c->cur_ipsec->pfs_loc = loc;
	if (strcmp(text, "none") == 0) {
		c->cur_ipsec->pfs = 0;
		return;
	}
	unsigned g;
	if (dh_group(c, text, loc, &g))
		c->cur_ipsec->pfs = g;
}

/* ---- sites, gateways, peers ---- */

void build_site_begin(struct parse_ctx *c, const char *name, struct tunc_loc loc)
{
	struct ir_site *s = arena_new(ARENA(c), struct ir_site);
	s->name = name;
	s->loc = loc;
	heap_vec_push(&c->ir->sites, s);
	c->cur_site = s;
}

void build_site_end(struct parse_ctx *c)
{
	c->cur_site = NULL;
}

/* Appends the prefixes of V that parsed (a family) to DST.  An empty DST
 * takes V's block itself, trimmed to its length when it is the arena's
 * newest: a hub's thousands of one-subnet sites and selectors kept two
 * blocks of four prefixes each. */
static void add_prefixes(struct parse_ctx *c, ir_prefix_vec *dst, const ir_prefix_vec *v)
{
	bool all = true;
	for (size_t i = 0; i < v->n; i++)
		all &= v->v[i].p.addr.family != 0;
	if (!dst->n && all && v->n) {
		*dst = *v;
		arena_vec_shrink(ARENA(c), dst);
		return;
	}
	for (size_t i = 0; i < v->n; i++)
		if (v->v[i].p.addr.family)
			arena_vec_push(ARENA(c), dst, v->v[i]);
}

void build_subnets(struct parse_ctx *c, const ir_prefix_vec *v, struct tunc_loc loc)
{
	(void)loc;
	add_prefixes(c, c->cur_gw ? &c->cur_gw->subnets : &c->cur_site->subnets, v);
}

void build_host(struct parse_ctx *c, const char *name, struct tunc_loc nloc,
		const char *addr, struct tunc_loc aloc, struct tunc_loc loc)
{
	(void)loc;
	struct ir_host *h = arena_new(ARENA(c), struct ir_host);
	h->name = name;
	h->loc = nloc;
	h->site = c->cur_site;
	build_address(c, addr, aloc, &h->addr);
	arena_vec_push(ARENA(c), &c->cur_site->hosts, h);
	heap_vec_push(&c->ir->hosts, h);
}

void build_gateway_begin(struct parse_ctx *c, enum gateway_kind kind, const char *name,
			 struct tunc_loc loc)
{
	struct ir_gateway *g = arena_new(ARENA(c), struct ir_gateway);
	g->kind = kind;
	g->name = name;
	g->loc = loc;
	g->platform = PLAT_GENERIC;
	if (kind == GW_GATEWAY) {
		g->site = c->cur_site;
		if (!c->cur_site->gateways.cap)   /* most sites have one: not room for four */
			arena_vec_reserve(ARENA(c), &c->cur_site->gateways, 1);
		arena_vec_push(ARENA(c), &c->cur_site->gateways, g);
	}
	heap_vec_push(&c->ir->gateways, g);
	c->cur_gw = g;
}

void build_gateway_end(struct parse_ctx *c)
{
	c->cur_gw = NULL;
}

void build_platform(struct parse_ctx *c, const char *name, struct tunc_loc nloc,
		    const char *version, struct tunc_loc vloc, struct tunc_loc loc)
{
	struct ir_gateway *g = c->cur_gw;
	g->platform_loc = loc;
	if (!platform_lookup_name(name, &g->platform) || g->platform == PLAT_GENERIC) {
		diag_front(c->diags, "unknown-platform", nloc,
			   "unknown platform '%s' (ios, pix, asa, windows, isa, linux; for a peer "
			   "also aws, azure, gcp)%s", name,
			   platform_suggestion(c, name));
		g->platform = PLAT_GENERIC;
		return;
	}
	g->has_platform = true;
	g->pinfo = platform_find(g->platform, version);
	if (!g->pinfo) {
		diag_front(c->diags, "unknown-platform", vloc,
			   "unknown %s version '%s' (%s)", name, version,
			   platform_versions_text(g->platform));
		return;
	}
	g->version = version ? version : g->pinfo->default_version;
	/* A cloud provider's VPN gateway is configured in its console, not by
	 * tunc: it can only be the far end of a tunnel (LANGUAGE.md). */
	if (g->pinfo->peer_only && g->kind == GW_GATEWAY) {
		struct diag *d = diag_front(c->diags, "unknown-platform", nloc,
					    "platform %s (%s) describes a peer, not a gateway tunc "
					    "configures", name, g->pinfo->description);
		diag_fix(d, "write `peer %s { address ...; subnet ...; platform %s; }` outside "
			 "the site, and a tunnel between a gateway and it", g->name, name);
		g->has_platform = false;
		g->platform = PLAT_GENERIC;
		g->pinfo = NULL;
	}
}

void build_peer_address(struct parse_ctx *c, const char *text, struct tunc_loc aloc,
			struct tunc_loc loc)
{
	(void)loc;
	if (build_address(c, text, aloc, &c->cur_gw->address))
		c->cur_gw->address_loc = aloc;
}

void build_peer_behind_nat(struct parse_ctx *c, struct tunc_loc loc)
{
	c->cur_gw->behind_nat = true;
	c->cur_gw->behind_nat_loc = loc;
}

void build_peer_behind_pat(struct parse_ctx *c)
{
	c->cur_gw->behind_pat = true;
}

void build_interface_begin(struct parse_ctx *c, const char *name, struct tunc_loc loc)
{
	struct ir_interface *i = arena_new(ARENA(c), struct ir_interface);
	i->name = name;
	i->loc = loc;
	i->gateway = c->cur_gw;
	/* Most gateways have two (outside and inside): not room for four. */
	if (!c->cur_gw->interfaces.cap)
		arena_vec_reserve(ARENA(c), &c->cur_gw->interfaces, 2);
	arena_vec_push(ARENA(c), &c->cur_gw->interfaces, i);
	c->cur_iface = i;
}

void build_interface_end(struct parse_ctx *c)
{
	c->cur_iface = NULL;
}

void build_if_address(struct parse_ctx *c, const char *text, struct tunc_loc aloc,
		      struct tunc_loc loc)
{
	(void)loc;
	struct ir_prefix p;
	if (!build_prefix(c, text, aloc, true, &p))
		return;
	if (!strchr(text, '/')) {
		diag_front(c->diags, "invalid-value", aloc,
			   "an interface address needs its prefix length (e.g. %s/24)", text);
		return;
	}
	c->cur_iface->address = p.p;
	c->cur_iface->has_address = true;
	c->cur_iface->address_loc = aloc;
}

void build_if_outside(struct parse_ctx *c, struct tunc_loc loc)
{
	(void)loc;
	c->cur_iface->outside = true;
}

/* MTU 1500: LANGUAGE.md, the Ethernet default. */
const struct ir_iface_written ir_iface_written_none = {.mtu = 1500};

struct ir_iface_written *build_iface_written(struct parse_ctx *c)
{
	struct ir_interface *ifc = c->cur_iface;
	if (!ifc->written) {
		ifc->written = arena_new(ARENA(c), struct ir_iface_written);
		*ifc->written = ir_iface_written_none;
	}
	return ifc->written;
}

void build_if_behind_nat(struct parse_ctx *c, const char *text, struct tunc_loc aloc,
			 struct tunc_loc loc)
{
	struct ip_addr a;
	if (build_address(c, text, aloc, &a)) {
		struct ir_iface_written *w = build_iface_written(c);
		w->nat_address = a;
		w->behind_nat = true;
		w->behind_nat_loc = loc;
	}
}

void build_if_behind_pat(struct parse_ctx *c)
{
	if (ir_iface_written(c->cur_iface)->behind_nat)
		build_iface_written(c)->behind_pat = true;
}

void build_filter_begin(struct parse_ctx *c, enum filter_dir dir, struct tunc_loc loc)
{
	struct ir_filter *f = arena_new(ARENA(c), struct ir_filter);
	f->dir = dir;
	f->loc = loc;
	f->default_action = FILTER_PERMIT;
	struct ir_iface_written *w = build_iface_written(c);
	struct ir_filter **slot = dir == FILTER_IN ? &w->filter_in : &w->filter_out;
	if (*slot)
		diag_front(c->diags, "duplicate-name", loc, "interface %s already has a filter %s",
			   c->cur_iface->name, dir == FILTER_IN ? "in" : "out");
	*slot = f;
	c->cur_filter = f;
}

void build_filter_end(struct parse_ctx *c)
{
	c->cur_filter = NULL;
}

void build_filter_rule(struct parse_ctx *c, enum filter_action action,
		       const struct ir_prefix *src, const struct ir_prefix *dst,
		       const char *proto, struct tunc_loc ploc,
		       const char *port, struct tunc_loc portloc, struct tunc_loc loc)
{
	struct ir_filter_rule r;
	memset(&r, 0, sizeof(r));
	r.action = action;
	r.src = *src;
	r.dst = *dst;
	r.loc = loc;
	r.proto = proto ? build_protocol(c, proto, ploc) : PROTO_ANY;
	build_port(c, port, portloc, &r.port_lo, &r.port_hi);
	arena_vec_push(ARENA(c), &c->cur_filter->rules, r);
}

void build_filter_default(struct parse_ctx *c, enum filter_action action, struct tunc_loc loc)
{
	c->cur_filter->default_action = action;
	c->cur_filter->default_loc = loc;
}

void build_route(struct parse_ctx *c, const struct ir_prefix *dst, const char *via,
		 struct tunc_loc vloc, const char *dev, struct tunc_loc devloc,
		 const char *metric, struct tunc_loc mloc, struct tunc_loc loc)
{
	struct ir_route r;
	memset(&r, 0, sizeof(r));
	r.dst = *dst;
	r.loc = loc;
	r.via_loc = vloc;
	build_address(c, via, vloc, &r.via);
	r.dev.name = dev;
	r.dev.loc = devloc;
	uint64_t m = 0;
	if (metric)
		build_number(c, metric, mloc, 65535, &m);
	r.metric = (unsigned)m;
	/* Room for one at first: most gateways write one route (a spoke's
	 * default), where a first block of four left three empty.  The
	 * connected routes are implied, not stored. */
	struct ir_gateway *g = c->cur_gw;
	if (!g->routes.cap)
		arena_vec_reserve(ARENA(c), &g->routes, 1);
	arena_vec_push(ARENA(c), &g->routes, r);
}

void build_nat_begin(struct parse_ctx *c, struct tunc_loc loc)
{
	c->cur_gw->nat_loc = loc;
}

static struct ir_nat_rule *nat_rule(struct parse_ctx *c, enum nat_kind kind, struct tunc_loc loc)
{
	struct ir_nat_rule r;
	memset(&r, 0, sizeof(r));
	r.kind = kind;
	r.loc = loc;
	arena_vec_push(ARENA(c), &c->cur_gw->nat, r);
	return &c->cur_gw->nat.v[c->cur_gw->nat.n - 1];
}

void build_nat_exempt(struct parse_ctx *c, const struct ir_prefix *src,
		      const struct ir_prefix *dst, struct tunc_loc loc)
{
	struct ir_nat_rule *r = nat_rule(c, NAT_EXEMPT, loc);
	r->src = *src;
	r->dst = *dst;
}

void build_nat_exempt_tunnels(struct parse_ctx *c, struct tunc_loc loc)
{
	nat_rule(c, NAT_EXEMPT_TUNNELS, loc);
}

void build_nat_overload(struct parse_ctx *c, const struct ir_prefix *src, const char *iface,
			struct tunc_loc iloc, struct tunc_loc loc)
{
	struct ir_nat_rule *r = nat_rule(c, NAT_OVERLOAD, loc);
	r->src = *src;
	r->iface.name = iface;
	r->iface.loc = iloc;
}

void build_nat_static(struct parse_ctx *c, const char *from, struct tunc_loc floc,
		      const char *to, struct tunc_loc tloc, struct tunc_loc loc)
{
	struct ir_nat_rule *r = nat_rule(c, NAT_STATIC, loc);
	build_address(c, from, floc, &r->static_from);
	build_address(c, to, tloc, &r->static_to);
	r->src.p = prefix_host(&r->static_from);
	r->src.loc = floc;
}

/* ---- tunnels ---- */

const struct ir_end_written ir_end_written_none;

/* The current block's ir_end_written (build_end_begin makes it). */
static struct ir_end_written *end_written(struct parse_ctx *c)
{
	return c->cur_end->written;
}

void build_tunnel_begin(struct parse_ctx *c, const char *name, struct tunc_loc loc)
{
	struct ir_tunnel *t = arena_new(ARENA(c), struct ir_tunnel);
	t->name = name;
	t->loc = loc;
	t->nat_traversal = NATT_AUTO;
	heap_vec_push(&c->ir->tunnels, t);
	c->cur_tunnel = t;
}

void build_tunnel_end(struct parse_ctx *c)
{
	c->cur_tunnel = NULL;
}

void build_between(struct parse_ctx *c, const char *a, struct tunc_loc aloc,
		   const char *b, struct tunc_loc bloc, struct tunc_loc loc)
{
	struct ir_tunnel *t = c->cur_tunnel;
	if (t->has_between) {
		struct diag *d = diag_front(c->diags, "duplicate-name", loc,
					    "tunnel %s names its ends twice", t->name);
		diag_related(d, t->between_loc, "first named here");
		return;
	}
	t->has_between = true;
	t->between_loc = loc;
	t->end[0].gw = (struct ir_ref){a, aloc, NULL};
	t->end[1].gw = (struct ir_ref){b, bloc, NULL};
}

void build_proposal_ref(struct parse_ctx *c, bool ike, const char *name, struct tunc_loc loc)
{
	struct ir_ref *r;
	if (c->cur_end)
		r = ike ? &end_written(c)->ike : &end_written(c)->ipsec;
	else
		r = ike ? &c->cur_tunnel->ike : &c->cur_tunnel->ipsec;
	*r = (struct ir_ref){name, loc, NULL};
}

void build_psk(struct parse_ctx *c, enum psk_source src, const char *value, struct tunc_loc loc)
{
	struct ir_psk *p = c->cur_end ? &end_written(c)->psk : &c->cur_tunnel->psk;
	p->source = src;
	p->value = value;
	p->loc = loc;
	if (!*value)
		diag_front(c->diags, "invalid-value", loc, "an empty pre-shared key %s",
			   src == PSK_INLINE ? "is no key" : "source names nothing");
}

void build_nat_traversal(struct parse_ctx *c, const char *text, struct tunc_loc loc)
{
	struct ir_tunnel *t = c->cur_tunnel;
	t->nat_traversal_loc = loc;
	if (strcmp(text, "auto") == 0)
		t->nat_traversal = NATT_AUTO;
	else if (strcmp(text, "on") == 0)
		t->nat_traversal = NATT_ON;
	else if (strcmp(text, "off") == 0)
		t->nat_traversal = NATT_OFF;
	else
		diag_front(c->diags, "invalid-value", loc, "nat-traversal is auto, on or off, not '%s'", text);
}

void build_keying(struct parse_ctx *c, const char *text, struct tunc_loc loc, struct tunc_loc stmt)
{
	bool *set = c->cur_end ? &c->cur_end->keying_set : &c->cur_tunnel->keying_set;
	struct tunc_loc *where = c->cur_end ? &c->cur_end->keying_loc : &c->cur_tunnel->keying_loc;
	enum keying k;
	if (strcmp(text, "ike") == 0)
		k = KEYING_IKE;
	else if (strcmp(text, "manual") == 0)
		k = KEYING_MANUAL;
	else {
		diag_front(c->diags, "invalid-value", loc, "keying is ike or manual, not '%s'", text);
		return;
	}
	if (c->cur_end)
		c->cur_end->keying = k;
	else
		c->cur_tunnel->keying = (uint8_t)k;
	*set = true;
	*where = stmt;
}

void build_end_begin(struct parse_ctx *c, const char *gw, struct tunc_loc loc)
{
	struct ir_tunnel_end *e = arena_new(ARENA(c), struct ir_tunnel_end);
	e->gw = (struct ir_ref){gw, loc, NULL};
	e->has_block = true;
	/* A block writes something (an empty one is rare): its record at once. */
	e->written = arena_new(ARENA(c), struct ir_end_written);
	e->written->block_loc = loc;
	arena_vec_push(ARENA(c), &c->cur_tunnel->end_blocks, e);
	c->cur_end = e;
}

void build_end_end(struct parse_ctx *c)
{
	c->cur_end = NULL;
}

void build_end_selectors(struct parse_ctx *c, bool local, const ir_prefix_vec *v,
			 struct tunc_loc loc)
{
	struct ir_tunnel_end *e = c->cur_end;
	ir_prefix_vec *dst = local ? &e->local : &e->remote;
	dst->n = 0;
	add_prefixes(c, dst, v);
	if (local) {
		e->local_set = true;
		e->written->local_loc = loc;
	} else {
		e->remote_set = true;
		e->written->remote_loc = loc;
	}
}

void build_end_protocol(struct parse_ctx *c, const char *proto, struct tunc_loc ploc,
			const char *port, struct tunc_loc portloc, struct tunc_loc loc)
{
	struct ir_tunnel_end *e = c->cur_end;
	e->proto = build_protocol(c, proto, ploc);
	build_port(c, port, portloc, &e->port_lo, &e->port_hi);
	e->written->protocol_loc = loc;
}

void build_end_endpoint(struct parse_ctx *c, bool local, const char *addr,
			struct tunc_loc aloc, struct tunc_loc loc)
{
	struct ir_tunnel_end *e = c->cur_end;
	(void)loc;
	struct ir_end_written *w = end_written(c);
	if (local) {
		if (build_address(c, addr, aloc, &e->local_endpoint))
			w->local_endpoint_set = e->local_endpoint_known = true;
		w->local_endpoint_loc = aloc;
	} else {
		if (build_address(c, addr, aloc, &e->remote_endpoint))
			w->remote_endpoint_set = e->remote_endpoint_known = true;
		w->remote_endpoint_loc = aloc;
	}
}

void build_end_flag(struct parse_ctx *c, bool mirrored, struct tunc_loc loc)
{
	struct ir_end_written *w = end_written(c);
	if (mirrored) {
		w->mirrored = true;
		w->mirrored_loc = loc;
	} else {
		w->accept_unsecured = true;
		w->accept_unsecured_loc = loc;
	}
}

/* ---- expectations ---- */

static void expect_point(struct parse_ctx *c, const struct expect_point_src *s,
			 struct ir_expect_point *p)
{
	memset(p, 0, sizeof(*p));
	if (s->is_address) {
		p->kind = EXPECT_PREFIX;
		build_prefix(c, s->text, s->loc, false, &p->prefix);
		p->addr = prefix_first_host(&p->prefix.p);
	} else {
		p->kind = EXPECT_HOST;         /* or a gateway: resolve.c decides */
		p->ref = (struct ir_ref){s->text, s->loc, NULL};
	}
}

void build_expect(struct parse_ctx *c, const struct expect_point_src *src,
		  const struct expect_point_src *dst, const char *proto, struct tunc_loc ploc,
		  const char *port, struct tunc_loc portloc, bool reply, struct tunc_loc rloc,
		  enum verdict v, const char *tunnel, struct tunc_loc tloc, struct tunc_loc loc)
{
	struct ir_expect e;
	memset(&e, 0, sizeof(e));
	expect_point(c, src, &e.src);
	expect_point(c, dst, &e.dst);
	e.proto = proto ? build_protocol(c, proto, ploc) : PROTO_ANY;
	uint16_t hi;
	build_port(c, port, portloc, &e.port, &hi);
	if (hi != e.port)
		diag_front(c->diags, "invalid-value", portloc, "an expectation sends to one port, not a range");
	/* ICMP echo and TCP are round trips anyway; `reply` asks it of UDP. */
	if (reply && e.proto != 17)
		diag_front(c->diags, "invalid-value", rloc, "`reply` applies to UDP only (an ICMP "
			   "echo and a TCP SYN are always answered)");
	e.reply = reply && e.proto == 17;
	e.verdict = v;
	if (tunnel)
		e.tunnel = (struct ir_ref){tunnel, tloc, NULL};
	e.loc = loc;
	const struct source_file *f = source_get(c->ir->sources, loc.file);
	if (loc.offset + loc.length <= f->size)
		e.text = arena_strndup(ARENA(c), f->text + loc.offset, loc.length);
	heap_vec_push(&c->ir->expects, e);
}
