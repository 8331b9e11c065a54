/* Cisco IOS / IOS-XE running-config reader.  Understands hostname,
 * interfaces and their `ip address` and `crypto map`, `ip route`, extended
 * and numbered ACLs, `crypto isakmp policy/key`, `crypto ikev2
 * proposal/keyring`, `crypto ipsec transform-set`, `crypto map NAME SEQ
 * ipsec-isakmp` entries and `ip nat inside source list ... overload` with the
 * deny lines of its ACL as exemptions.  Other crypto statements get a note;
 * everything else is skipped (doc/import.md). */
#include "config.h"
#include "import/cisco.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir/addr.h"
#include "platform/platform.h"

struct tset {
	const char *name;
	struct tunc_loc loc;
	struct imp_proposal p;          /* protocol, encryption, integrity */
};
struct map_entry {
	struct imp_text map, seq;
	struct tunc_loc loc;
	struct imp_text peer, tset, pfs, acl;
	imp_text_vec more_tsets;        /* `set transform-set A B...`: B... */
	uint64_t lifetime_s, lifetime_kb;
	struct tunc_loc lifetime_loc, lifetime_kb_loc;
	bool ikev2;
	struct imp_text ikev2_profile;
	bool manual;                    /* ipsec-manual: the SAs are sa[0] in, sa[1] out */
	struct imp_manual_sa sa[2];
};
/* What an interface says beyond its address: a tunnel interface's
 * source, destination and IPsec profile, an MSS clamp. */
struct iface_extra {
	struct imp_text source, dest, profile, mss;
	bool tunnel;                    /* `tunnel ...` lines: a VTI, not imported as an interface */
};
/* `crypto ikev2 profile NAME`, its `dpd` and `identity local address`. */
struct ikev2_profile {
	struct imp_text name, dpd, local;
};
struct binding {
	size_t iface;
	struct imp_text map;
};
/* `ip access-group ACL in|out` on interface IFACE. */
struct filter_binding {
	size_t iface;
	struct imp_text acl;
	int dir;
	struct tunc_loc loc;
};
struct nat_source {
	struct imp_text acl, iface;
	struct imp_text route_map;      /* `source route-map NAME`: acl is the map's */
	struct tunc_loc loc;
};
/* `route-map NAME permit SEQ` with its `match ip address ACL`. */
struct route_map {
	struct imp_text name, acl;
	struct tunc_loc loc;
};

enum ctx { C_NONE, C_IFACE, C_ACL, C_ISAKMP, C_IKEV2_PROP, C_KEYRING_PEER, C_TSET, C_MAP, C_ROUTE_MAP, C_IPSEC_PROFILE,
	   C_IKEV2_PROFILE, C_OTHER };

struct ios {
	struct imp_read *r;
	enum ctx ctx;
	cisco_acl_vec acls;
	ARENA_VEC(struct tset) tsets;
	ARENA_VEC(struct map_entry) maps;
	cisco_key_vec keys;
	ARENA_VEC(struct binding) bindings;
	ARENA_VEC(struct filter_binding) filters;
	ARENA_VEC(struct nat_source) nats;
	ARENA_VEC(struct route_map) route_maps;
	ARENA_VEC(struct map_entry) profiles;   /* crypto ipsec profile: an entry without peer or ACL */
	ARENA_VEC(struct ikev2_profile) ikev2_profiles;
	ARENA_VEC(struct iface_extra) ifx;      /* beside DEV->ifaces, same index */
	struct imp_text isakmp_dpd;     /* crypto isakmp keepalive N: every IKEv1 end's dpd */
	ARENA_VEC(struct imp_route) tunnel_routes;      /* into a tunnel interface: via it */
	int ike1, ike2;                 /* the merged isakmp / ikev2 proposals */
	bool ike2_named;                /* ike2 has a `crypto ikev2 proposal` name */
	struct imp_text keyring_addr;
};

#define A(s) ((s)->r->arena)
#define DEV(s) ((s)->r->dev)

int ios_detect(const char *text, size_t size)
{
	static const char *const marks[] = {
		"\nhostname ", "\ninterface ", "\ncrypto map ", "\ncrypto isakmp ",
		"\ncrypto ipsec ", "\nip route ", "\naccess-list ", "\nip access-list ",
		"\ncrypto ikev2 ",
	};
	if (memchr(text, '{', size))
		return 0;
	int hits = 0;
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		/* A mark on the first line has no newline before it. */
		if (strstr(text, marks[i]) || strncmp(text, marks[i] + 1, strlen(marks[i]) - 1) == 0)
			hits++;
	}
	return hits >= 2 ? 80 : hits == 1 ? 30 : 0;
}

/* An ACL address: `any`, `host A` or `A WILDCARD`; *I moves past it. */
static struct imp_text acl_addr(struct ios *s, const struct imp_line *l, size_t *i)
{
	if (imp_is(l, *i, "any")) {
		struct imp_text t = {"0.0.0.0/0", imp_lspan(s->r, l, *i, *i)};
		*i += 1;
		return t;
	}
	if (imp_is(l, *i, "host")) {
		struct imp_text t = imp_lw(s->r, l, *i + 1);
		t.loc = imp_lspan(s->r, l, *i, *i + 1);
		if (t.s)
			t.s = imp_prefix(A(s), t.s, 32);
		*i += 2;
		return t;
	}
	struct imp_text t = imp_addr_mask(s->r, l, *i, true);
	*i += 2;
	return t;
}

/* `[SEQ] permit|deny PROTO SRC [PORT] DST [PORT] [log]` starting at word I.
 * An entry for one protocol is kept for interface filters and noted where
 * a crypto map or NAT uses the list. */
static void acl_entry(struct ios *s, struct cisco_acl *acl, const struct imp_line *l, size_t i)
{
	if (i < l->n && l->w[i].s[0] >= '0' && l->w[i].s[0] <= '9')
		i++;                    /* sequence number in `show run` */
	if (imp_is(l, i, "remark") || i >= l->n)
		return;
	if (!imp_is(l, i, "permit") && !imp_is(l, i, "deny")) {
		imp_unmodelled(s->r, imp_lloc(s->r, l), "this access-list entry");
		return;
	}
	if (imp_incomplete(s->r, l, i + 4, "permit|deny PROTOCOL SOURCE DESTINATION"))
		return;
	struct cisco_acl_line al = {.permit = imp_is(l, i, "permit"), .loc = imp_lloc(s->r, l)};
	struct imp_text proto = imp_lw(s->r, l, i + 1);
	bool ports = imp_is(l, i + 1, "tcp") || imp_is(l, i + 1, "udp");
	if (!imp_is(l, i + 1, "ip")) {
		al.unmodelled = "an access-list entry for one protocol";
		const char *p = cisco_acl_protocol(proto.s);
		if (p)
			al.proto = (struct imp_text){p, proto.loc};
		else
			al.not_filter = "an access-list entry for a protocol tunc does not name";
	}
	size_t k = i + 2;
	struct imp_text src = acl_addr(s, l, &k);
	struct imp_text sport = {0};
	if (ports)
		cisco_acl_port(s->r, l, &k, &sport, &al.not_filter);
	if (sport.s)
		al.not_filter = "an access-list entry for a source port";
	if (imp_incomplete(s->r, l, k + 1, "permit|deny PROTOCOL SOURCE DESTINATION"))
		return;
	struct imp_text dst = acl_addr(s, l, &k);
	if (ports)
		cisco_acl_port(s->r, l, &k, &al.port, &al.not_filter);
	for (; k < l->n; k++)
		if (!imp_is(l, k, "log") && !imp_is(l, k, "log-input") && !al.not_filter)
			al.not_filter = "an access-list entry with options (established, ICMP "
					"types, DSCP...)";
	if (!src.s || !dst.s)
		return;
	arena_vec_push(A(s), &al.src, src);
	arena_vec_push(A(s), &al.dst, dst);
	arena_vec_push(A(s), &acl->lines, al);
}

/* The isakmp/ikev2 proposal of this device, made on first use. */
static struct imp_proposal *ike(struct ios *s, unsigned version, struct tunc_loc loc)
{
	int *idx = version == 1 ? &s->ike1 : &s->ike2;
	if (*idx < 0) {
		struct imp_proposal p = {.ike = true, .version = version, .loc = loc,
			.name = arena_printf(A(s), "%s-%s", DEV(s)->name.s,
					     version == 1 ? "isakmp" : "ikev2")};
		arena_vec_push(A(s), &DEV(s)->proposals, p);
		*idx = (int)DEV(s)->proposals.n - 1;
	}
	return &DEV(s)->proposals.v[*idx];
}

/* IOS algorithm words -> .tun names. */
static const struct imp_alg isakmp_enc[] = {
	{"des", "des"}, {"3des", "3des"}, {"aes", "aes128"}, {"aes128", "aes128"},
	{"aes192", "aes192"}, {"aes256", "aes256"}, {NULL, NULL}};
static const struct imp_alg isakmp_hash[] = {
	{"md5", "md5"}, {"sha", "sha1"}, {"sha256", "sha256"}, {"sha384", "sha384"},
	{"sha512", "sha512"}, {NULL, NULL}};
static const struct imp_alg ikev2_enc[] = {
	{"des", "des"}, {"3des", "3des"}, {"aes-cbc-128", "aes128"}, {"aes-cbc-192", "aes192"},
	{"aes-cbc-256", "aes256"}, {"aes-gcm-128", "aes128-gcm"}, {"aes-gcm-256", "aes256-gcm"},
	{NULL, NULL}};
static const struct imp_alg ikev2_integ[] = {
	{"md5", "md5"}, {"sha1", "sha1"}, {"sha256", "sha256"}, {"sha384", "sha384"},
	{"sha512", "sha512"}, {NULL, NULL}};
/* Transform words: encryption (with a key size for AES/GCM), ESP or AH integrity. */
static const struct imp_alg ts_enc[] = {
	{"esp-null", "null"}, {"esp-des", "des"}, {"esp-3des", "3des"}, {"esp-aes", "aes"},
	{"esp-gcm", "gcm"}, {"esp-aes128", "aes128"}, {"esp-aes256", "aes256"}, {NULL, NULL}};
static const struct imp_alg ts_integ[] = {
	{"esp-md5-hmac", "md5"}, {"esp-sha-hmac", "sha1"}, {"esp-sha256-hmac", "sha256"},
	{"esp-sha384-hmac", "sha384"}, {"esp-sha512-hmac", "sha512"}, {NULL, NULL}};
static const struct imp_alg ts_ah[] = {
	{"ah-md5-hmac", "md5"}, {"ah-sha-hmac", "sha1"}, {"ah-sha256-hmac", "sha256"},
	{"ah-sha384-hmac", "sha384"}, {"ah-sha512-hmac", "sha512"}, {NULL, NULL}};

static void isakmp_item(struct ios *s, const struct imp_line *l)
{
	struct imp_proposal *p = ike(s, 1, imp_lloc(s->r, l));
	struct imp_text w1 = imp_lw(s->r, l, 1);
	bool encr = imp_is(l, 0, "encryption") || imp_is(l, 0, "encr");
	if (encr && !imp_incomplete(s->r, l, 2, "encryption ALGORITHM [BITS]")) {
		const char *e = imp_alg_find(isakmp_enc, w1.s);
		if (e && strcmp(e, "aes128") == 0 && l->n > 2)
			e = arena_printf(A(s), "aes%.*s", (int)l->w[2].len, l->w[2].s);
		if (e)
			imp_add_word(A(s), &p->enc, &p->enc_loc, e, imp_lloc(s->r, l));
		else
			imp_unknown_alg(s->r, w1);
	} else if (imp_is(l, 0, "hash") && !imp_incomplete(s->r, l, 2, "hash ALGORITHM")) {
		const char *h = imp_alg_find(isakmp_hash, w1.s);
		if (h)
			imp_add_word(A(s), &p->integ, &p->integ_loc, h, imp_lloc(s->r, l));
		else
			imp_unknown_alg(s->r, w1);
	} else if (imp_is(l, 0, "group") && !imp_incomplete(s->r, l, 2, "group NUMBER")) {
		imp_add_word(A(s), &p->group, &p->group_loc, w1.s, w1.loc);
	} else if (imp_is(l, 0, "lifetime") && !imp_incomplete(s->r, l, 2, "lifetime SECONDS")) {
		p->lifetime_s = strtoull(w1.s, NULL, 10);
		p->lifetime_loc = imp_lloc(s->r, l);
	} else if (imp_is(l, 0, "authentication") && !imp_is(l, 1, "pre-share")) {
		imp_unmodelled(s->r, imp_lloc(s->r, l), "authentication other than pre-share");
	}
}

static void ikev2_item(struct ios *s, const struct imp_line *l)
{
	struct imp_proposal *p = ike(s, 2, imp_lloc(s->r, l));
	const struct imp_alg *t = imp_is(l, 0, "encryption") ? ikev2_enc :
			      imp_is(l, 0, "integrity") ? ikev2_integ : NULL;
	for (size_t i = 1; i < l->n; i++) {
		struct imp_text w = imp_lw(s->r, l, i);
		if (imp_is(l, 0, "group")) {
			imp_add_word(A(s), &p->group, &p->group_loc, w.s, w.loc);
			continue;
		}
		if (!t)
			break;
		const char *a = imp_alg_find(t, w.s);
		if (!a) {
			imp_unknown_alg(s->r, w);
			continue;
		}
		if (t == ikev2_enc)
			imp_add_word(A(s), &p->enc, &p->enc_loc, a, w.loc);
		else
			imp_add_word(A(s), &p->integ, &p->integ_loc, a, w.loc);
	}
}

/* crypto ipsec transform-set NAME TRANSFORM... */
static void transform_set(struct ios *s, const struct imp_line *l)
{
	if (imp_incomplete(s->r, l, 5, "crypto ipsec transform-set NAME TRANSFORM..."))
		return;
	struct tset t = {.name = imp_lw(s->r, l, 3).s, .loc = imp_lspan(s->r, l, 3, 3)};
	t.p.protocol = (struct imp_text){"esp", t.loc};
	for (size_t i = 4; i < l->n; i++) {
		struct imp_text w = imp_lw(s->r, l, i);
		const char *a;
		if ((a = imp_alg_find(ts_enc, w.s))) {
			/* esp-aes [128|192|256], esp-gcm [128|256]: the size is the next word. */
			bool sized = strcmp(a, "aes") == 0 || strcmp(a, "gcm") == 0;
			const char *bits = "128";
			if (sized && i + 1 < l->n && l->w[i + 1].s[0] >= '0' && l->w[i + 1].s[0] <= '9')
				bits = imp_lw(s->r, l, ++i).s;
			if (sized)
				a = arena_printf(A(s), strcmp(a, "aes") == 0 ? "aes%s" : "aes%s-gcm", bits);
			imp_add_word(A(s), &t.p.enc, &t.p.enc_loc, a, imp_lspan(s->r, l, 4, i));
		} else if ((a = imp_alg_find(ts_integ, w.s))) {
			imp_add_word(A(s), &t.p.integ, &t.p.integ_loc, a, w.loc);
		} else if ((a = imp_alg_find(ts_ah, w.s))) {
			t.p.protocol = (struct imp_text){"ah", w.loc};
			imp_add_word(A(s), &t.p.integ, &t.p.integ_loc, a, w.loc);
		} else if (strncmp(w.s, "comp-", 5) == 0) {
			imp_unmodelled(s->r, w.loc, "IP compression");
		} else {
			imp_unknown_alg(s->r, w);
		}
	}
	/* GCM carries its own integrity. */
	if (t.p.integ.n == 0 && t.p.enc.n && strstr(t.p.enc.v[0].text, "gcm"))
		imp_add_word(A(s), &t.p.integ, &t.p.integ_loc, "none", t.loc);
	arena_vec_push(A(s), &s->tsets, t);
	u64map_add(&s->r->index, imp_index_key(&s->tsets, t.name, strlen(t.name)), s->tsets.n - 1);
}

/* A setting of a crypto map entry or an IPsec profile M. */
static void map_item(struct ios *s, struct map_entry *m, const struct imp_line *l)
{
	if (imp_is(l, 0, "set") && imp_is(l, 1, "peer") && !imp_incomplete(s->r, l, 3, "set peer ADDRESS")) {
		m->peer = imp_lw(s->r, l, 2);
	} else if (imp_is(l, 0, "set") && imp_is(l, 1, "transform-set") &&
		   !imp_incomplete(s->r, l, 3, "set transform-set NAME")) {
		m->tset = imp_lw(s->r, l, 2);
		m->more_tsets = (imp_text_vec){0};
		for (size_t i = 3; i < l->n; i++)
			arena_vec_push(A(s), &m->more_tsets, imp_lw(s->r, l, i));
	} else if (imp_is(l, 0, "set") && imp_is(l, 1, "pfs")) {
		struct imp_text g = imp_lw(s->r, l, 2);
		if (!g.s)               /* bare `set pfs` is group 1 */
			g = (struct imp_text){"group1", imp_lloc(s->r, l)};
		if (strncmp(g.s, "group", 5) != 0) {
			diag_front(s->r->diags, "invalid-value", g.loc, "'%s' is not a DH group (groupN)",
				   g.s);
			return;
		}
		m->pfs = (struct imp_text){g.s + 5, g.loc};
	} else if (imp_is(l, 0, "match") && imp_is(l, 1, "address") &&
		   !imp_incomplete(s->r, l, 3, "match address ACL")) {
		m->acl = imp_lw(s->r, l, 2);
	} else if (imp_is(l, 0, "set") && imp_is(l, 1, "security-association") &&
		   imp_is(l, 2, "lifetime") && imp_is(l, 3, "seconds") &&
		   !imp_incomplete(s->r, l, 5, "set security-association lifetime seconds N")) {
		m->lifetime_s = strtoull(imp_lw(s->r, l, 4).s, NULL, 10);
		m->lifetime_loc = imp_lloc(s->r, l);
	} else if (imp_is(l, 0, "set") && imp_is(l, 1, "security-association") &&
		   imp_is(l, 2, "lifetime") && imp_is(l, 3, "kilobytes") &&
		   !imp_incomplete(s->r, l, 5, "set security-association lifetime kilobytes N")) {
		m->lifetime_kb = strtoull(imp_lw(s->r, l, 4).s, NULL, 10);
		m->lifetime_kb_loc = imp_lloc(s->r, l);
	} else if (imp_is(l, 0, "set") && imp_is(l, 1, "session-key")) {
		cisco_session_key(s->r, l, 2, &m->sa[0], &m->sa[1]);
	} else if (imp_is(l, 0, "set") && imp_is(l, 1, "ikev2-profile")) {
		m->ikev2 = true;
		m->ikev2_profile = imp_lw(s->r, l, 2);
	} else if (!imp_is(l, 0, "description")) {
		imp_unmodelled(s->r, imp_lloc(s->r, l), "this crypto map setting");
	}
}

/* `dpd SECONDS RETRY [periodic|on-demand]` or `keepalive ...` at word I: "Ns". */
static struct imp_text dpd_of(struct ios *s, const struct imp_line *l, size_t i)
{
	struct imp_text w = imp_lw(s->r, l, i);
	if (!w.s || w.s[0] < '0' || w.s[0] > '9') {
		diag_front(s->r->diags, "invalid-value", w.s ? w.loc : imp_lloc(s->r, l),
			   "dead-peer detection needs an interval in seconds");
		return (struct imp_text){0};
	}
	return (struct imp_text){arena_printf(A(s), "%ss", w.s), imp_lloc(s->r, l)};
}

/* `crypto isakmp keepalive SECONDS [RETRY] [periodic|on-demand]`: without
 * `periodic` IOS runs on-demand DPD, the keepalive tunc writes for a .tun
 * without `dpd`; at the platform's default interval that is no explicit
 * dpd (doc/import.md, Decisions). */
static struct imp_text keepalive(struct ios *s, const struct imp_line *l)
{
	bool periodic = false;
	for (size_t i = 4; i < l->n; i++)
		periodic |= imp_is(l, i, "periodic");
	const struct platform_info *p = platform_find(PLAT_IOS, NULL);
	const char *every = l->n > 3 ? imp_lw(s->r, l, 3).s : "";
	if (!periodic && p && *every && strspn(every, "0123456789") == strlen(every) &&
	    strtoul(every, NULL, 10) == p->dpd_default_s)
		return (struct imp_text){0};
	return dpd_of(s, l, 3);
}

/* The lines of an interface that make it a tunnel interface (VTI). */
static bool tunnel_item(struct ios *s, struct iface_extra *x, const struct imp_line *l)
{
	if (!imp_is(l, 0, "tunnel"))
		return false;
	x->tunnel = true;
	if (imp_is(l, 1, "source") && !imp_incomplete(s->r, l, 3, "tunnel source INTERFACE|ADDRESS"))
		x->source = imp_lw(s->r, l, 2);
	else if (imp_is(l, 1, "destination") &&
		 !imp_incomplete(s->r, l, 3, "tunnel destination ADDRESS"))
		x->dest = imp_lw(s->r, l, 2);
	else if (imp_is(l, 1, "protection") && imp_is(l, 2, "ipsec") && imp_is(l, 3, "profile") &&
		 !imp_incomplete(s->r, l, 5, "tunnel protection ipsec profile NAME"))
		x->profile = imp_lw(s->r, l, 4);
	else if (imp_is(l, 1, "mode") && !(imp_is(l, 2, "ipsec") &&
					   (imp_is(l, 3, "ipv4") || imp_is(l, 3, "ipv6"))))
		imp_unmodelled(s->r, imp_lloc(s->r, l), "a tunnel interface other than an IPsec VTI");
	return true;
}

static void iface_item(struct ios *s, const struct imp_line *l)
{
	struct imp_iface *f = &DEV(s)->ifaces.v[DEV(s)->ifaces.n - 1];
	struct iface_extra *x = &s->ifx.v[s->ifx.n - 1];
	if (tunnel_item(s, x, l))
		return;
	if ((imp_is(l, 0, "ip") || imp_is(l, 0, "ipv6")) && imp_is(l, 1, "tcp") &&
	    imp_is(l, 2, "adjust-mss") && !imp_incomplete(s->r, l, 4, "ip tcp adjust-mss BYTES")) {
		x->mss = imp_lw(s->r, l, 3);
		x->mss.loc = imp_lloc(s->r, l);
	} else if (imp_is(l, 0, "ipv6") && imp_is(l, 1, "address")) {
		/* `ipv6 address A/LEN`; link-local, EUI-64 and autoconfigured
		 * addresses are not the interface's configured address. */
		if (imp_incomplete(s->r, l, 3, "ipv6 address PREFIX/LENGTH"))
			return;
		struct ip_prefix p;
		struct imp_text a = imp_lw(s->r, l, 2);
		if (l->n > 3 || !prefix_parse(a.s, &p)) {
			if (!imp_is(l, 3, "link-local"))
				imp_unmodelled(s->r, imp_lloc(s->r, l), "this IPv6 address form");
			return;
		}
		if (!f->address.s)
			f->address = a;
	} else if (imp_is(l, 0, "ip") && imp_is(l, 1, "address")) {
		if (imp_is(l, 2, "dhcp") || imp_is(l, 2, "negotiated")) {
			imp_unmodelled(s->r, imp_lloc(s->r, l), "a dynamic interface address");
			return;
		}
		if (imp_incomplete(s->r, l, 4, "ip address ADDRESS NETMASK"))
			return;
		if (l->n > 4 && imp_is(l, 4, "secondary"))
			return;
		f->address = imp_addr_mask(s->r, l, 2, false);
	} else if (imp_is(l, 0, "crypto") && imp_is(l, 1, "map") &&
		   !imp_incomplete(s->r, l, 3, "crypto map NAME")) {
		f->outside = true;
		struct binding b = {DEV(s)->ifaces.n - 1, imp_lw(s->r, l, 2)};
		arena_vec_push(A(s), &s->bindings, b);
	} else if (imp_is(l, 0, "ip") && imp_is(l, 1, "nat") && imp_is(l, 2, "outside")) {
		f->outside = true;
	} else if (imp_is(l, 0, "ip") && imp_is(l, 1, "access-group") &&
		   !imp_incomplete(s->r, l, 4, "ip access-group ACL in|out")) {
		if (!imp_is(l, 3, "in") && !imp_is(l, 3, "out")) {
			struct imp_text d = imp_lw(s->r, l, 3);
			diag_front(s->r->diags, "invalid-value", d.loc, "'%s' is not a direction "
				   "(in, out)", d.s);
			return;
		}
		struct filter_binding b = {DEV(s)->ifaces.n - 1, imp_lw(s->r, l, 2),
					   imp_is(l, 3, "in") ? FILTER_IN : FILTER_OUT, imp_lloc(s->r, l)};
		arena_vec_push(A(s), &s->filters, b);
	}
}

/* A top-level statement: sets the context its indented lines belong to. */
static void top(struct ios *s, const struct imp_line *l)
{
	struct imp_read *r = s->r;
	s->ctx = C_OTHER;
	if (imp_is(l, 0, "hostname") && !imp_incomplete(s->r, l, 2, "hostname NAME")) {
		DEV(s)->name = imp_lw(r, l, 1);
	} else if (imp_is(l, 0, "interface") && !imp_incomplete(s->r, l, 2, "interface NAME")) {
		struct imp_iface f = {.name = imp_lw(r, l, 1)};
		arena_vec_push(A(s), &DEV(s)->ifaces, f);
		arena_vec_push(A(s), &s->ifx, (struct iface_extra){0});
		s->ctx = C_IFACE;
	} else if ((imp_is(l, 0, "ip") || imp_is(l, 0, "ipv6")) && imp_is(l, 1, "route") &&
		   !imp_is(l, 2, "vrf")) {
		bool v6 = imp_is(l, 0, "ipv6");
		if (imp_incomplete(s->r, l, v6 ? 4 : 5, v6 ? "ipv6 route PREFIX/LENGTH NEXT-HOP" :
				   "ip route NETWORK NETMASK NEXT-HOP"))
			return;
		struct ip_addr via;
		struct ip_prefix dst;
		struct imp_route rt = {.dst = v6 ? imp_lw(r, l, 2) : imp_addr_mask(s->r, l, 2, false),
				       .via = imp_lw(r, l, v6 ? 3 : 4), .loc = imp_lloc(r, l)};
		if (v6 && !prefix_parse(rt.dst.s, &dst)) {
			diag_front(r->diags, "invalid-value", rt.dst.loc, "'%s' is not an IPv6 prefix",
				   rt.dst.s);
			return;
		}
		/* A route into a tunnel interface: the route-based tunnel's
		 * implied route to the far subnet (doc/import.md). */
		if (strncmp(rt.via.s, "Tunnel", 6) == 0) {
			arena_vec_push(A(s), &s->tunnel_routes, rt);
			return;
		}
		/* `... INTERFACE NEXT-HOP [DISTANCE]`: the interface, then the hop. */
		size_t at = v6 ? 3 : 4;
		if (!addr_parse(rt.via.s, &via) && at + 1 < l->n &&
		    addr_parse(imp_lw(r, l, at + 1).s, &via)) {
			rt.dev = rt.via;
			rt.via = imp_lw(r, l, ++at);
		}
		if (!addr_parse(rt.via.s, &via)) {
			imp_unmodelled(r, rt.via.loc, "a route out of an interface without a next hop");
			return;
		}
		/* The administrative distance is what the .tun calls the metric. */
		if (at + 1 < l->n && l->w[at + 1].s[0] >= '0' && l->w[at + 1].s[0] <= '9')
			rt.metric = imp_lw(r, l, at + 1);
		if (rt.dst.s)
			arena_vec_push(A(s), &DEV(s)->routes, rt);
	} else if (imp_is(l, 0, "ip") && imp_is(l, 1, "access-list") && imp_is(l, 2, "extended") &&
		   !imp_incomplete(s->r, l, 4, "ip access-list extended NAME")) {
		cisco_acl_find(s->r, &s->acls, imp_lw(r, l, 3).s, true);
		s->ctx = C_ACL;
	} else if (imp_is(l, 0, "access-list") && !imp_incomplete(s->r, l, 3, "access-list NUMBER ...")) {
		acl_entry(s, cisco_acl_find(s->r, &s->acls, imp_lw(r, l, 1).s, true), l, 2);
	} else if (imp_is(l, 0, "crypto") && imp_is(l, 1, "isakmp") && imp_is(l, 2, "policy")) {
		ike(s, 1, imp_lloc(r, l));
		s->ctx = C_ISAKMP;
	} else if (imp_is(l, 0, "crypto") && imp_is(l, 1, "isakmp") && imp_is(l, 2, "nat") &&
		   imp_is(l, 3, "keepalive")) {
		/* NAT-T keepalives: what NAT traversal (the .tun's default, auto)
		 * does on IOS wherever it is in use. */
	} else if (imp_is(l, 0, "crypto") && imp_is(l, 1, "isakmp") && imp_is(l, 2, "keepalive")) {
		s->isakmp_dpd = keepalive(s, l);
	} else if (imp_is(l, 0, "crypto") && imp_is(l, 1, "isakmp") && imp_is(l, 2, "key")) {
		/* crypto isakmp key [0|6] KEY address ADDR [MASK] */
		size_t k = imp_is(l, 3, "0") || imp_is(l, 3, "6") ? 4 : 3;
		if (imp_incomplete(s->r, l, k + 3, "crypto isakmp key KEY address ADDRESS"))
			return;
		if (!imp_is(l, k + 1, "address")) {
			imp_unmodelled(r, imp_lloc(r, l), "a key for a hostname");
			return;
		}
		struct cisco_key key = {imp_lw(r, l, k + 2), imp_lw(r, l, k)};
		arena_vec_push(A(s), &s->keys, key);
	} else if (imp_is(l, 0, "crypto") && imp_is(l, 1, "ikev2") && imp_is(l, 2, "proposal")) {
		/* The merged proposal takes the first given name. */
		struct imp_proposal *p = ike(s, 2, imp_lloc(r, l));
		const char *given = l->n > 3 ? cisco_given_name(A(s), imp_lw(r, l, 3).s) : NULL;
		if (given && !s->ike2_named) {
			p->name = given;
			s->ike2_named = true;
		}
		s->ctx = C_IKEV2_PROP;
	} else if (imp_is(l, 0, "crypto") && imp_is(l, 1, "ikev2") && imp_is(l, 2, "keyring")) {
		s->ctx = C_KEYRING_PEER;
		s->keyring_addr = (struct imp_text){0};
	} else if (imp_is(l, 0, "crypto") && imp_is(l, 1, "ipsec") && imp_is(l, 2, "profile") &&
		   !imp_incomplete(s->r, l, 4, "crypto ipsec profile NAME")) {
		struct map_entry m = {.map = imp_lw(r, l, 3), .loc = imp_lspan(r, l, 3, 3)};
		arena_vec_push(A(s), &s->profiles, m);
		s->ctx = C_IPSEC_PROFILE;
	} else if (imp_is(l, 0, "crypto") && imp_is(l, 1, "ikev2") && imp_is(l, 2, "profile") &&
		   !imp_incomplete(s->r, l, 4, "crypto ikev2 profile NAME")) {
		struct ikev2_profile p = {.name = imp_lw(r, l, 3)};
		arena_vec_push(A(s), &s->ikev2_profiles, p);
		s->ctx = C_IKEV2_PROFILE;
	} else if (imp_is(l, 0, "crypto") && imp_is(l, 1, "ipsec") && imp_is(l, 2, "transform-set")) {
		transform_set(s, l);
		s->ctx = C_TSET;
	} else if (imp_is(l, 0, "crypto") && imp_is(l, 1, "map") && l->n >= 4) {
		if (!(imp_is(l, 4, "ipsec-isakmp") || imp_is(l, 4, "ipsec-manual")) || l->n > 5) {
			imp_unmodelled(r, imp_lloc(r, l), "this kind of crypto map entry");
			return;
		}
		struct map_entry m = {.map = imp_lw(r, l, 2), .seq = imp_lw(r, l, 3),
				      .loc = imp_lspan(r, l, 2, 3),
				      .manual = imp_is(l, 4, "ipsec-manual")};
		arena_vec_push(A(s), &s->maps, m);
		s->ctx = C_MAP;
	} else if (imp_is(l, 0, "ip") && imp_is(l, 1, "nat") && imp_is(l, 2, "inside") &&
		   imp_is(l, 3, "source") && (imp_is(l, 4, "list") || imp_is(l, 4, "route-map")) &&
		   imp_is(l, 6, "interface") && imp_is(l, 8, "overload") && l->n == 9) {
		struct nat_source n = {.iface = imp_lw(r, l, 7), .loc = imp_lloc(r, l)};
		if (imp_is(l, 4, "list"))
			n.acl = imp_lw(r, l, 5);
		else
			n.route_map = imp_lw(r, l, 5);
		arena_vec_push(A(s), &s->nats, n);
	} else if (imp_is(l, 0, "ip") && imp_is(l, 1, "nat") && imp_is(l, 2, "inside") &&
		   imp_is(l, 3, "source") && imp_is(l, 4, "static") && l->n == 7 &&
		   !imp_is(l, 5, "tcp") && !imp_is(l, 5, "udp") && !imp_is(l, 5, "network")) {
		/* ip nat inside source static LOCAL GLOBAL: one host. */
		struct imp_nat n = {.kind = NAT_STATIC, .src = imp_lw(r, l, 5),
				    .dst = imp_lw(r, l, 6), .loc = imp_lloc(r, l)};
		arena_vec_push(A(s), &DEV(s)->nat, n);
	} else if (imp_is(l, 0, "route-map") && l->n == 4 && imp_is(l, 2, "permit")) {
		struct route_map m = {.name = imp_lw(r, l, 1), .loc = imp_lloc(r, l)};
		arena_vec_push(A(s), &s->route_maps, m);
		s->ctx = C_ROUTE_MAP;
	} else if (imp_is(l, 0, "crypto") || (imp_is(l, 0, "ip") && imp_is(l, 1, "nat"))) {
		if (!(imp_is(l, 1, "ikev2") && imp_is(l, 2, "policy")))
			imp_unmodelled(r, imp_lloc(r, l), "this statement");
	}
}

static void sub(struct ios *s, const struct imp_line *l)
{
	switch (s->ctx) {
	case C_IFACE: iface_item(s, l); break;
	case C_ACL: acl_entry(s, &s->acls.v[s->acls.n - 1], l, 0); break;
	case C_ISAKMP: isakmp_item(s, l); break;
	case C_IKEV2_PROP: ikev2_item(s, l); break;
	case C_MAP: map_item(s, &s->maps.v[s->maps.n - 1], l); break;
	case C_IPSEC_PROFILE: map_item(s, &s->profiles.v[s->profiles.n - 1], l); break;
	case C_IKEV2_PROFILE:
		/* dpd and the IKE SA lifetime; match identity, authentication
		 * and keyring restate the keyring's peer and the pre-share. */
		if (imp_is(l, 0, "dpd")) {
			s->ikev2_profiles.v[s->ikev2_profiles.n - 1].dpd = dpd_of(s, l, 1);
		} else if (imp_is(l, 0, "identity") && imp_is(l, 1, "local") && imp_is(l, 2, "address") &&
			   !imp_incomplete(s->r, l, 4, "identity local address ADDRESS")) {
			/* A peer's configuration binds no crypto map: this is its endpoint. */
			s->ikev2_profiles.v[s->ikev2_profiles.n - 1].local = imp_lw(s->r, l, 3);
		} else if (imp_is(l, 0, "lifetime") && !imp_incomplete(s->r, l, 2, "lifetime SECONDS")) {
			struct imp_proposal *p = ike(s, 2, imp_lloc(s->r, l));
			p->lifetime_s = strtoull(l->w[1].s, NULL, 10);
			p->lifetime_loc = imp_lloc(s->r, l);
		}
		break;
	case C_ROUTE_MAP:
		/* `match ip address ACL` says what; `match interface` only
		 * restates the NAT's outside interface. */
		if (imp_is(l, 0, "match") && imp_is(l, 1, "ip") && imp_is(l, 2, "address") &&
		    !imp_incomplete(s->r, l, 4, "match ip address ACL"))
			s->route_maps.v[s->route_maps.n - 1].acl = imp_lw(s->r, l, 3);
		break;
	case C_KEYRING_PEER:
		if (imp_is(l, 0, "address") && l->n >= 2) {
			/* `address A [MASK]` or, for IPv6, `address A/128`: one host. */
			s->keyring_addr = imp_lw(s->r, l, 1);
			char *slash = strchr(s->keyring_addr.s, '/');
			if (slash && strcmp(slash, "/128") == 0)
				*slash = '\0';
		}
		else if (imp_is(l, 0, "pre-shared-key") && l->n >= 2 && s->keyring_addr.s) {
			size_t k = imp_is(l, 1, "local") || imp_is(l, 1, "remote") ? 2 : 1;
			if (imp_is(l, k, "0") || imp_is(l, k, "6"))
				k++;
			if (imp_incomplete(s->r, l, k + 1, "pre-shared-key KEY"))
				return;
			struct cisco_key key = {s->keyring_addr, imp_lw(s->r, l, k)};
			arena_vec_push(A(s), &s->keys, key);
		}
		break;
	default: break;
	}
}

/* The first transform set of that name, through the read's index. */
static const struct tset *find_tset(const struct ios *s, const char *name)
{
	const struct tset *found = NULL;
	struct u64map_iter it;
	size_t i;
	uint64_t key = imp_index_key(&s->tsets, name, strlen(name));
	for (bool more = u64map_first(&s->r->index, key, &it, &i); more; more = u64map_next(&it, &i))
		if (strcmp(s->tsets.v[i].name, name) == 0 && (!found || &s->tsets.v[i] < found))
			found = &s->tsets.v[i];
	return found;
}

/* The interface a crypto map is bound to: the tunnel's local endpoint. */
static const struct imp_iface *bound_iface(const struct ios *s, const char *map)
{
	for (size_t i = 0; i < s->bindings.n; i++)
		if (strcmp(s->bindings.v[i].map.s, map) == 0)
			return &s->r->dev->ifaces.v[s->bindings.v[i].iface];
	return NULL;
}

/* `set transform-set A B...`: the device offers every set, so the .tun
 * proposal offers the union of their algorithms (in order; as the PIX and
 * ASA readers do). */
static void union_tsets(struct ios *s, const struct map_entry *m, struct imp_proposal *p)
{
	if (!m->more_tsets.n)
		return;
	struct imp_proposal u = *p;
	u.enc = (word_vec){0};
	u.integ = (word_vec){0};
	for (size_t k = 0; k <= m->more_tsets.n; k++) {
		const struct imp_text *name = k ? &m->more_tsets.v[k - 1] : &m->tset;
		const struct tset *t = find_tset(s, name->s);
		if (!t) {
			diag_front(s->r->diags, "undefined-name", name->loc,
				   "transform set '%s' is not defined in this configuration", name->s);
			return;
		}
		if (strcmp(t->p.protocol.s, p->protocol.s) != 0) {
			imp_unmodelled(s->r, name->loc, "transform sets of ESP and of AH in one entry "
				       "(the first one's protocol is used)");
			continue;
		}
		for (size_t i = 0; i < t->p.enc.n; i++)
			imp_add_word(A(s), &u.enc, &u.enc_loc, t->p.enc.v[i].text, t->p.enc_loc);
		for (size_t i = 0; i < t->p.integ.n; i++)
			imp_add_word(A(s), &u.integ, &u.integ_loc, t->p.integ.v[i].text, t->p.integ_loc);
	}
	*p = u;
}

/* What a crypto map entry and an IPsec profile M (transform set T) give an
 * end E alike: the IKE proposal, the IPsec proposal NAME (the transform set
 * with M's PFS and lifetime), dpd and the key; then E is the device's. */
static void entry_settings(struct ios *s, const struct map_entry *m, const struct tset *t,
			   struct imp_end *e, const char *name)
{
	struct imp_read *r = s->r;
	e->ike = m->ikev2 ? s->ike2 : s->ike1;
	e->dpd = s->isakmp_dpd;
	for (size_t i = 0; m->ikev2 && m->ikev2_profile.s && i < s->ikev2_profiles.n; i++)
		if (strcmp(s->ikev2_profiles.v[i].name.s, m->ikev2_profile.s) == 0)
			e->dpd = s->ikev2_profiles.v[i].dpd;
	/* In .tun PFS belongs to the proposal, on IOS to the entry. */
	struct imp_proposal p = t->p;
	p.name = name;
	p.loc = m->tset.loc;
	union_tsets(s, m, &p);
	p.pfs = m->pfs.s ? m->pfs : (struct imp_text){"none", m->loc};
	p.lifetime_s = m->lifetime_s;
	p.lifetime_loc = m->lifetime_loc;
	/* The .tun writes a volume lifetime beside a time lifetime. */
	if (m->lifetime_kb && m->lifetime_s)
		p.lifetime_kb = m->lifetime_kb;
	else if (m->lifetime_kb)
		imp_unmodelled(r, m->lifetime_kb_loc, "a volume lifetime without one in seconds");
	arena_vec_push(A(s), &r->dev->proposals, p);
	e->ipsec = (int)r->dev->proposals.n - 1;
	/* The key: the isakmp key or keyring peer for this address, else a wildcard. */
	e->psk = cisco_key_for(s->r, &s->keys, e->peer_addr.s);
	if (m->manual && !cisco_manual_end(r, m->loc, m->sa, e))
		return;
	arena_vec_push(A(s), &r->dev->ends, *e);
}

/* The `identity local address` of M's IKEv2 profile, if it says one. */
static struct imp_text profile_local(const struct ios *s, const struct map_entry *m)
{
	for (size_t i = 0; m->ikev2 && m->ikev2_profile.s && i < s->ikev2_profiles.n; i++)
		if (strcmp(s->ikev2_profiles.v[i].name.s, m->ikev2_profile.s) == 0)
			return s->ikev2_profiles.v[i].local;
	return (struct imp_text){0};
}

static void map_to_end(struct ios *s, const struct map_entry *m)
{
	struct imp_read *r = s->r;
	const struct imp_iface *f = bound_iface(s, m->map.s);
	/* A peer's configuration (tunc wrote it for a partner, `! Peer NAME`)
	 * binds its map only in a comment, a peer having no interfaces: its
	 * entries are its ends all the same, at the profile's local identity
	 * (else the sheet's, or none: src/import/peer.c). */
	if (!f && !r->dev->peer) {
		imp_unmodelled(r, m->loc, "a crypto map entry on no interface");
		return;
	}
	if (!m->peer.s || !m->acl.s || !m->tset.s) {
		diag_front(r->diags, "syntax", m->loc, "crypto map %s %s lacks %s", m->map.s, m->seq.s,
			   !m->peer.s ? "'set peer'" : !m->acl.s ? "'match address'" : "'set transform-set'");
		return;
	}
	struct cisco_acl *acl = cisco_acl_find(s->r, &s->acls, m->acl.s, false);
	const struct tset *t = find_tset(s, m->tset.s);
	if (!acl || !t) {
		diag_front(r->diags, "undefined-name", acl ? m->tset.loc : m->acl.loc,
			   "%s '%s' is not defined in this configuration",
			   acl ? "transform set" : "access list", acl ? m->tset.s : m->acl.s);
		return;
	}
	/* The entry's tunnel is named after its access list, its IPsec
	 * proposal after its transform set, when they say something. */
	const char *given = cisco_given_name(A(s), m->acl.s);
	const char *pname = cisco_given_name(A(s), m->tset.s);
	struct imp_end e = {.name = given ? given : arena_printf(A(s), "%s-%s", m->map.s, m->seq.s),
			    .given_name = given != NULL, .loc = m->loc,
			    .local_addr = f ? imp_bare_addr(A(s), f->address) : profile_local(s, m),
			    .peer_addr = m->peer};
	e.local_loc = e.remote_loc = m->acl.loc;
	cisco_acl_selectors(r, acl, &e);
	/* The MSS clamp of a crypto-map tunnel is on an inside interface. */
	for (size_t i = 0; i < s->ifx.n; i++)
		if (s->ifx.v[i].mss.s && !s->ifx.v[i].tunnel &&
		    (!e.tcp_mss.s || atoi(s->ifx.v[i].mss.s) < atoi(e.tcp_mss.s)))
			e.tcp_mss = s->ifx.v[i].mss;
	entry_settings(s, m, t, &e, pname ? pname : arena_printf(A(s), "%s-%s-%s", r->dev->name.s,
								 m->map.s, m->seq.s));
}

/* The interface named NAME, or NULL. */
static size_t iface_named(const struct ios *s, const char *name)
{
	for (size_t i = 0; i < s->r->dev->ifaces.n; i++)
		if (strcmp(s->r->dev->ifaces.v[i].name.s, name) == 0)
			return i;
	return (size_t)-1;
}

/* A tunnel interface protected by an IPsec profile: a route-based end, its
 * link the interface's network, its selectors any to any. */
static void vti_to_end(struct ios *s, size_t i)
{
	struct imp_read *r = s->r;
	const struct iface_extra *x = &s->ifx.v[i];
	const struct imp_iface *f = &r->dev->ifaces.v[i];
	if (!x->profile.s) {
		imp_unmodelled(r, f->name.loc, "a tunnel interface without IPsec protection");
		return;
	}
	const struct map_entry *m = NULL;
	for (size_t k = 0; k < s->profiles.n; k++)
		if (strcmp(s->profiles.v[k].map.s, x->profile.s) == 0)
			m = &s->profiles.v[k];
	const struct tset *t = m && m->tset.s ? find_tset(s, m->tset.s) : NULL;
	struct ip_prefix link;
	if (!t || !x->source.s || !x->dest.s || !f->address.s ||
	    !prefix_parse(f->address.s, &link)) {
		diag_front(r->diags, !m || !t ? "undefined-name" : "syntax",
			   !m ? x->profile.loc : !t ? m->loc : f->name.loc,
			   !m ? "IPsec profile '%s' is not defined in this configuration" :
			   !t ? "IPsec profile '%s' lacks 'set transform-set'" :
			   "tunnel interface protected by '%s' lacks its address, 'tunnel source' "
			   "or 'tunnel destination'", x->profile.s);
		return;
	}
	struct imp_text local = x->source;
	size_t src = iface_named(s, x->source.s);
	if (src != (size_t)-1) {
		r->dev->ifaces.v[src].outside = true;
		local = r->dev->ifaces.v[src].address.s ?
			imp_bare_addr(A(s), r->dev->ifaces.v[src].address) : (struct imp_text){0};
	}
	char buf[ADDR_STRLEN + 8];
	link = prefix_network(&link);
	prefix_format(&link, buf, sizeof(buf), false);
	/* Named after its IPsec profile, its IPsec proposal after the
	 * transform set, when they say something. */
	/* A profile shared by several tunnel interfaces names none of them. */
	size_t sharing = 0;
	for (size_t k = 0; k < s->ifx.n; k++)
		sharing += s->ifx.v[k].tunnel && s->ifx.v[k].profile.s &&
			   strcmp(s->ifx.v[k].profile.s, x->profile.s) == 0;
	const char *given = sharing == 1 ? cisco_given_name(A(s), x->profile.s) : NULL;
	const char *pname = cisco_given_name(A(s), m->tset.s);
	struct imp_end e = {.name = given ? given : arena_strdup(A(s), f->name.s),
			    .given_name = given != NULL, .loc = f->name.loc,
			    .local_addr = local, .peer_addr = x->dest,
			    .route_based = {arena_strdup(A(s), buf), f->address.loc},
			    .tcp_mss = x->mss};
	/* The far subnets, for a peer with no file of its own. */
	for (size_t k = 0; k < s->tunnel_routes.n; k++)
		if (strcmp(s->tunnel_routes.v[k].via.s, f->name.s) == 0)
			arena_vec_push(A(s), &e.routed, s->tunnel_routes.v[k].dst);
	entry_settings(s, m, t, &e, pname ? pname : arena_printf(A(s), "%s-%s", r->dev->name.s,
								 f->name.s));
}

/* `ip nat inside source list ACL interface IF overload`: the ACL's permit
 * lines are what is translated, its deny lines what is exempted. */
static void nat_rules(struct ios *s, struct nat_source *n)
{
	if (n->route_map.s) {
		/* The route map's first entry matching an ACL (tunc writes one);
		 * a route map with none is not NAT tunc models. */
		for (size_t i = 0; i < s->route_maps.n && !n->acl.s; i++)
			if (strcmp(s->route_maps.v[i].name.s, n->route_map.s) == 0)
				n->acl = s->route_maps.v[i].acl;
		if (!n->acl.s) {
			diag_front(s->r->diags, "undefined-name", n->route_map.loc,
				   "route map '%s' with 'match ip address' is not defined in this "
				   "configuration", n->route_map.s);
			return;
		}
	}
	struct cisco_acl *acl = cisco_acl_find(s->r, &s->acls, n->acl.s, false);
	if (!acl) {
		diag_front(s->r->diags, "undefined-name", n->acl.loc,
			   "access list '%s' is not defined in this configuration", n->acl.s);
		return;
	}
	for (size_t i = 0; i < acl->lines.n; i++) {
		const struct cisco_acl_line *al = &acl->lines.v[i];
		if (al->unmodelled) {
			imp_unmodelled(s->r, al->loc, al->unmodelled);
			continue;
		}
		struct imp_nat r = {.kind = al->permit ? NAT_OVERLOAD : NAT_EXEMPT, .src = al->src.v[0],
				    .dst = al->dst.v[0], .iface = n->iface, .loc = al->loc};
		arena_vec_push(A(s), &s->r->dev->nat, r);
	}
}

/* tunc's header for a peer's configuration, "! Peer NAME (Cisco IOS 15),
 * described at ...", written for the partner: D is that peer, named so. */
static void peer_header(struct imp_read *r, struct imp_device *d)
{
	const char *t = r->src->text;
	if (strncmp(t, "! Generated by tunc ", 20) != 0)
		return;
	const char *nl = memchr(t, '\n', r->src->size);
	if (!nl || (size_t)(nl + 1 - t) + 7 > r->src->size || strncmp(nl + 1, "! Peer ", 7) != 0)
		return;
	const char *name = nl + 8, *end = name;
	while ((size_t)(end - t) < r->src->size && *end != ' ' && *end != '\n')
		end++;
	if (end == name || (size_t)(end - t) + 2 > r->src->size || strncmp(end, " (", 2) != 0)
		return;
	d->peer = true;
	d->name = (struct imp_text){arena_strndup(r->arena, name, (size_t)(end - name)),
				    imp_loc(r, (size_t)(name - t), (size_t)(end - name))};
}

void ios_read(struct imp_read *r)
{
	struct ios s = {.r = r, .ike1 = -1, .ike2 = -1};
	r->dev->platform = "ios";
	r->dev->generic_end_names = true;
	r->dev->name = (struct imp_text){imp_name_from_path(r->arena, r->src->path),
					 imp_loc(r, 0, 1)};
	peer_header(r, r->dev);
	struct imp_line l;
	size_t pos = 0;
	while (imp_next_line(r, &pos, &l)) {
		cisco_mark_keys(r, &l);  /* before anything is said of the line */
		if (l.n == 0 || l.w[0].s[0] == '!')
			continue;
		if (l.indent == 0)
			top(&s, &l);
		else
			sub(&s, &l);
	}
	/* Proposal names carry the host name, known only now. */
	for (size_t i = 0; i < r->dev->proposals.n; i++)
		if (r->dev->proposals.v[i].ike && !(i == (size_t)s.ike2 && s.ike2_named))
			r->dev->proposals.v[i].name = arena_printf(r->arena, "%s-%s", r->dev->name.s,
				r->dev->proposals.v[i].version == 1 ? "isakmp" : "ikev2");
	for (size_t i = 0; i < s.maps.n; i++)
		map_to_end(&s, &s.maps.v[i]);
	for (size_t i = 0; i < s.ifx.n; i++)
		if (s.ifx.v[i].tunnel)
			vti_to_end(&s, i);
	/* Filters before the tunnel interfaces leave (the bindings' indices). */
	for (size_t i = 0; i < s.filters.n; i++) {
		const struct filter_binding *b = &s.filters.v[i];
		struct cisco_acl *acl = cisco_acl_find(r, &s.acls, b->acl.s, false);
		if (!acl)
			diag_front(r->diags, "undefined-name", b->acl.loc,
				   "access list '%s' is not defined in this configuration", b->acl.s);
		else
			cisco_acl_filter(r, acl, &r->dev->ifaces.v[b->iface], b->dir, b->loc);
	}
	/* A tunnel interface is the route-based end's, not the gateway's. */
	size_t kept = 0;
	for (size_t i = 0; i < r->dev->ifaces.n; i++)
		if (!s.ifx.v[i].tunnel)
			r->dev->ifaces.v[kept++] = r->dev->ifaces.v[i];
	r->dev->ifaces.n = kept;
	for (size_t i = 0; i < s.nats.n; i++)
		nat_rules(&s, &s.nats.v[i]);
}
