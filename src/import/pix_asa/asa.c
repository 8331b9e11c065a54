/* Cisco ASA 8.4 and later configuration reader.  Its own statements:
 * `interface` blocks (nameif, security-level, ip address), `object
 * network` with object NAT, twice NAT (`nat (IN,OUT) source static A A
 * destination static B B` exempts A toward B; `source dynamic A interface`
 * overloads), `crypto ikev1|ikev2 policy`, `crypto ipsec ikev2
 * ipsec-proposal` and `tunnel-group ... ipsec-attributes` keys; the rest is
 * common.c's (doc/import.md). */
#include "config.h"
#include "import/pix_asa/fw.h"

#include <stdlib.h>
#include <string.h>

#include "ir/addr.h"

enum { C_IFACE = FW_READER, C_OBJECT, C_IKEV1, C_IKEV2, C_PROPOSAL, C_TUNNEL_GROUP, C_PROFILE };

struct asa {
	struct fw fw;
	struct imp_text tg;                     /* the tunnel group being read */
	struct imp_text tg_local, tg_remote;    /* its IKEv2 keys */
	/* NAT in the ASA's order: twice NAT (section 1, straight into the
	 * device), object NAT static then dynamic (section 2), twice NAT
	 * after-auto (section 3). */
	imp_nat_vec object_static, object_dynamic, after_auto;
};

int asa_detect(const char *text, size_t size)
{
	static const char *const marks[] = {
		"ASA Version ", " nameif ", "tunnel-group ", "crypto ikev1 ", "crypto ipsec ikev1 ",
		"crypto ipsec ikev2 ", "object network ", "sysopt connection permit-vpn",
		" security-level ",
	};
	return fw_detect(text, size, marks, sizeof(marks) / sizeof(marks[0]));
}

static const struct imp_alg ikev2_enc[] = {
	{"des", "des"}, {"3des", "3des"}, {"aes", "aes128"}, {"aes-192", "aes192"},
	{"aes-256", "aes256"}, {"aes-gcm", "aes128-gcm"}, {"aes-gcm-256", "aes256-gcm"},
	{"null", "null"}, {NULL, NULL}};
static const struct imp_alg ikev2_integ[] = {
	{"md5", "md5"}, {"sha", "sha1"}, {"sha256", "sha256"}, {"sha384", "sha384"},
	{"sha512", "sha512"}, {"null", "none"}, {NULL, NULL}};
static const struct imp_alg esp2_enc[] = {
	{"des", "des"}, {"3des", "3des"}, {"aes", "aes128"}, {"aes-192", "aes192"},
	{"aes-256", "aes256"}, {"aes-gcm", "aes128-gcm"}, {"aes-gcm-256", "aes256-gcm"},
	{"null", "null"}, {NULL, NULL}};
static const struct imp_alg esp2_integ[] = {
	{"md5", "md5"}, {"sha-1", "sha1"}, {"sha-256", "sha256"}, {"sha-384", "sha384"},
	{"sha-512", "sha512"}, {"null", "none"}, {NULL, NULL}};

/* Words FIRST.. of L through TABLE into V. */
static void alg_list(struct fw *s, const struct imp_line *l, size_t first, const struct imp_alg *t,
		     word_vec *v, struct tunc_loc *where)
{
	for (size_t i = first; i < l->n; i++) {
		struct imp_text w = imp_lw(s->r, l, i);
		const char *a = imp_alg_find(t, w.s);
		if (a)
			imp_add_word(FW_A(s), v, where, a, w.loc);
		else
			imp_unknown_alg(s->r, w);
	}
}

static void iface_item(struct fw *s, const struct imp_line *l)
{
	size_t last = FW_DEV(s)->ifaces.n - 1;
	struct imp_iface *f = &FW_DEV(s)->ifaces.v[last];
	if (imp_is(l, 0, "tunnel")) {
		fw_vti_item(s, f->name, l);
	} else if (imp_is(l, 0, "ipv6") && imp_is(l, 1, "address") &&
		   !imp_incomplete(s->r, l, 3, "ipv6 address PREFIX/LENGTH")) {
		struct ip_prefix p;
		struct imp_text a = imp_lw(s->r, l, 2);
		if (l->n == 3 && prefix_parse(a.s, &p) && !f->address.s)
			f->address = a;
		else if (l->n != 3 && !imp_is(l, 3, "link-local"))
			imp_unmodelled(s->r, imp_lloc(s->r, l), "this IPv6 address form");
	} else if (imp_is(l, 0, "nameif") && !imp_incomplete(s->r, l, 2, "nameif NAME")) {
		s->nameifs.v[last] = imp_lw(s->r, l, 1).s;
	} else if (imp_is(l, 0, "security-level") && imp_is(l, 1, "0")) {
		f->outside = true;      /* the least trusted side */
	} else if (imp_is(l, 0, "ip") && imp_is(l, 1, "address")) {
		if (imp_is(l, 2, "dhcp") || imp_is(l, 2, "pppoe")) {
			imp_unmodelled(s->r, imp_lloc(s->r, l), "a dynamic interface address");
			return;
		}
		if (!imp_incomplete(s->r, l, 4, "ip address ADDRESS NETMASK"))
			f->address = imp_addr_mask(s->r, l, 2, false);
	}
}

/* The networks of a NAT rule's object word: `any` or an object (group). */
static bool nat_nets(struct fw *s, const struct imp_line *l, size_t i, imp_text_vec *out)
{
	struct imp_text w = imp_lw(s->r, l, i);
	if (imp_is(l, i, "any")) {
		arena_vec_push(FW_A(s), out, ((struct imp_text){"0.0.0.0/0", w.loc}));
		return true;
	}
	struct fw_object *o = fw_object(s, w.s);
	if (!o || o->alias) {
		diag_front(s->r->diags, "undefined-name", w.loc,
			   "object '%s' is not defined in this configuration", w.s ? w.s : "");
		return false;
	}
	for (size_t k = 0; k < o->nets.n; k++)
		arena_vec_push(FW_A(s), out, ((struct imp_text){o->nets.v[k].s, w.loc}));
	return true;
}

static bool same_nets(const imp_text_vec *a, const imp_text_vec *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i].s, b->v[i].s) != 0)
			return false;
	return true;
}

/* The interface a rule translates on, by nameif, as the IR names it. */
static bool nat_iface(struct fw *s, struct imp_text nameif, struct imp_text *out)
{
	struct imp_iface *f = fw_iface(s, nameif.s, nameif.loc, false);
	if (!f) {
		diag_front(s->r->diags, "undefined-name", nameif.loc,
			   "interface '%s' is not defined in this configuration",
			   nameif.s ? nameif.s : "");
		return false;
	}
	*out = (struct imp_text){f->name.s, nameif.loc};
	return true;
}

/* nat (IN,OUT) [after-auto] [LINE] source static|dynamic ... (twice NAT) */
static void twice_nat(struct asa *as, const struct imp_line *l)
{
	struct fw *s = &as->fw;
	struct imp_read *r = s->r;
	struct tunc_loc loc = imp_lloc(r, l);
	struct imp_text in, out;
	if (imp_incomplete(r, l, 5, "nat (IN,OUT) source static|dynamic REAL MAPPED ...") ||
	    !fw_nat_ifaces(s, l, 1, &in, &out))
		return;
	if (!out.s) {
		imp_unmodelled(r, loc, "NAT of ASA 8.2 and older");
		return;
	}
	size_t i = 2;
	imp_nat_vec *to = &FW_DEV(s)->nat;
	if (imp_is(l, i, "after-auto") || imp_is(l, i, "after-object"))
		to = &as->after_auto, i++;
	if (i < l->n && l->w[i].s[0] >= '0' && l->w[i].s[0] <= '9')
		i++;
	if (!imp_is(l, i, "source") || imp_incomplete(r, l, i + 4, "source static|dynamic REAL MAPPED"))
		return (void)imp_unmodelled(r, loc, "this nat statement");
	imp_text_vec real = {0}, dst = {0}, dst_mapped = {0};
	if (!nat_nets(s, l, i + 2, &real))
		return;
	if (imp_is(l, i + 1, "dynamic")) {
		struct imp_text iface;
		if (!imp_is(l, i + 3, "interface") || l->n > i + 4)
			return (void)imp_unmodelled(r, loc, "this dynamic NAT (tunc models PAT to the "
						    "interface)");
		if (!nat_iface(s, out, &iface))
			return;
		for (size_t k = 0; k < real.n; k++)
			fw_nat_push(s, to, NAT_OVERLOAD, real.v[k], (struct imp_text){0}, iface, loc);
		return;
	}
	imp_text_vec mapped = {0};
	if (!imp_is(l, i + 1, "static") || !nat_nets(s, l, i + 3, &mapped))
		return (void)imp_unmodelled(r, loc, "this nat statement");
	size_t k = i + 4;
	if (imp_is(l, k, "destination")) {
		if (!imp_is(l, k + 1, "static") ||
		    imp_incomplete(r, l, k + 4, "destination static MAPPED REAL"))
			return (void)imp_unmodelled(r, loc, "this nat statement");
		if (!nat_nets(s, l, k + 2, &dst_mapped) || !nat_nets(s, l, k + 3, &dst))
			return;
		k += 4;
	}
	for (; k < l->n; k++)
		if (imp_is(l, k, "service") || imp_is(l, k, "inactive"))
			return (void)imp_unmodelled(r, imp_lspan(r, l, k, l->n - 1),
						    "a nat rule for some services or inactive");
	if (!same_nets(&real, &mapped) || !same_nets(&dst, &dst_mapped))
		return (void)imp_unmodelled(r, loc, "a twice NAT that translates (tunc models "
					    "the identity form, an exemption)");
	/* Identity twice NAT: these sources leave untranslated toward these
	 * destinations (toward everything without `destination`). */
	if (dst.n == 0)
		arena_vec_push(FW_A(s), &dst, ((struct imp_text){"0.0.0.0/0", loc}));
	for (size_t a = 0; a < real.n; a++)
		for (size_t b = 0; b < dst.n; b++)
			fw_nat_push(s, to, NAT_EXEMPT, real.v[a], dst.v[b], (struct imp_text){0}, loc);
}

/* ` nat (IN,OUT) dynamic interface` or ` nat (IN,OUT) static ADDRESS` under an object. */
static void object_nat(struct asa *as, struct fw_object *o, const struct imp_line *l)
{
	struct fw *s = &as->fw;
	struct imp_read *r = s->r;
	struct tunc_loc loc = imp_lloc(r, l);
	struct imp_text in, out, iface;
	if (imp_incomplete(r, l, 3, "nat (IN,OUT) dynamic|static ...") ||
	    !fw_nat_ifaces(s, l, 1, &in, &out) || !out.s)
		return;
	if (imp_is(l, 2, "dynamic") && imp_is(l, 3, "interface") && l->n == 4) {
		if (!nat_iface(s, out, &iface))
			return;
		for (size_t k = 0; k < o->nets.n; k++)
			fw_nat_push(s, &as->object_dynamic, NAT_OVERLOAD, o->nets.v[k],
				    (struct imp_text){0}, iface, loc);
		return;
	}
	struct ip_addr x;
	struct imp_text to = imp_lw(r, l, 3);
	struct fw_object *t = fw_object(s, to.s);
	if (t && t->nets.n == 1)
		to.s = t->alias ? t->nets.v[0].s : imp_bare_addr(FW_A(s), t->nets.v[0]).s;
	bool host = o->nets.n == 1 && strstr(o->nets.v[0].s, "/32");
	if (!imp_is(l, 2, "static") || !to.s || !addr_parse(to.s, &x) || !host || l->n > 4 ||
	    (t && !t->alias && !strstr(t->nets.v[0].s, "/32")))
		return (void)imp_unmodelled(r, loc, "this object NAT (tunc models PAT to the "
					    "interface and one-to-one static NAT of a host)");
	fw_nat_push(s, &as->object_static, NAT_STATIC, imp_bare_addr(FW_A(s), o->nets.v[0]), to,
		    out, loc);
}

static void object_item(struct asa *as, const struct imp_line *l)
{
	struct fw *s = &as->fw;
	struct fw_object *o = &s->objects.v[s->object];
	size_t i = 1;
	if (imp_is(l, 0, "host") && !imp_incomplete(s->r, l, 2, "host ADDRESS")) {
		i = 0;
		fw_acl_addr(s, l, &i, &o->nets);
	} else if (imp_is(l, 0, "subnet") && l->n == 3) {
		struct imp_text p = fw_addr_mask(s, l, &i);
		if (p.s)
			arena_vec_push(FW_A(s), &o->nets, p);
	} else if (imp_is(l, 0, "subnet") || imp_is(l, 0, "range") || imp_is(l, 0, "fqdn")) {
		imp_unmodelled(s->r, imp_lloc(s->r, l), "this network object (an IPv4 host or "
			       "subnet is modelled)");
	} else if (imp_is(l, 0, "nat")) {
		object_nat(as, o, l);
	}
}

static void ikev2_item(struct fw *s, const struct imp_line *l)
{
	struct imp_proposal *p = fw_ike(s, 2, imp_lloc(s->r, l));
	if (imp_is(l, 0, "encryption"))
		alg_list(s, l, 1, ikev2_enc, &p->enc, &p->enc_loc);
	else if (imp_is(l, 0, "integrity"))
		alg_list(s, l, 1, ikev2_integ, &p->integ, &p->integ_loc);
	else if (imp_is(l, 0, "group"))
		for (size_t i = 1; i < l->n; i++) {
			struct imp_text w = imp_lw(s->r, l, i);
			imp_add_word(FW_A(s), &p->group, &p->group_loc, w.s, w.loc);
		}
	else if (imp_is(l, 0, "lifetime") && imp_is(l, 1, "seconds") && l->n >= 3) {
		p->lifetime_s = strtoull(l->w[2].s, NULL, 10);
		p->lifetime_loc = imp_lloc(s->r, l);
	} else if (!imp_is(l, 0, "prf"))   /* the PRF follows the integrity in .tun */
		imp_unmodelled(s->r, imp_lloc(s->r, l), "this IKEv2 policy setting");
}

static void proposal_item(struct fw *s, const struct imp_line *l)
{
	struct imp_proposal *p = &s->tsets.v[s->tsets.n - 1].p;
	if (!imp_is(l, 0, "protocol") || !imp_is(l, 1, "esp")) {
		imp_unmodelled(s->r, imp_lloc(s->r, l), "this IPsec proposal setting");
		return;
	}
	if (imp_is(l, 2, "encryption"))
		alg_list(s, l, 3, esp2_enc, &p->enc, &p->enc_loc);
	else if (imp_is(l, 2, "integrity"))
		alg_list(s, l, 3, esp2_integ, &p->integ, &p->integ_loc);
}

/* The IKEv2 keys of the tunnel group just read: tunc models one key per
 * end, the one this end authenticates with (local). */
static void tunnel_group_end(struct asa *a)
{
	struct fw *s = &a->fw;
	struct imp_text key = a->tg_local.s ? a->tg_local : a->tg_remote;
	if (a->tg_local.s && a->tg_remote.s && strcmp(a->tg_local.s, a->tg_remote.s) != 0)
		imp_unmodelled(s->r, a->tg_remote.loc, "a remote key other than the local one "
			       "(tunc models one key per end: the local one is used)");
	if (key.s)
		fw_add_key(s, 2, a->tg, key);
	a->tg_local = a->tg_remote = (struct imp_text){0};
}

/* ` isakmp keepalive threshold SECONDS retry SECONDS`: the tunnel group's
 * peer's dead-peer detection interval. */
static void keepalive(struct asa *a, const struct imp_line *l)
{
	struct fw *s = &a->fw;
	if (imp_incomplete(s->r, l, 4, "isakmp keepalive threshold SECONDS retry SECONDS"))
		return;
	struct imp_text n = imp_lw(s->r, l, 3);
	if (n.s[0] < '0' || n.s[0] > '9') {
		diag_front(s->r->diags, "invalid-value", n.loc, "'%s' is not a number of seconds", n.s);
		return;
	}
	struct ip_addr x;
	struct imp_text peer = a->tg;
	if (strcmp(peer.s, "DefaultL2LGroup") == 0)
		peer.s = "0.0.0.0";
	else if (!addr_parse(peer.s, &x))
		return;         /* the tunnel group was noted */
	struct cisco_key k = {peer, {arena_printf(FW_A(s), "%ss", n.s), imp_lloc(s->r, l)}};
	arena_vec_push(FW_A(s), &s->dpds, k);
}

static void tunnel_group_item(struct asa *a, const struct imp_line *l)
{
	struct fw *s = &a->fw;
	size_t n = l->n;
	if (imp_is(l, 0, "ikev1") && imp_is(l, 1, "pre-shared-key") && n >= 3)
		fw_add_key(s, 1, a->tg, imp_lw(s->r, l, n - 1));
	else if (imp_is(l, 0, "pre-shared-key") && n >= 2)
		fw_add_key(s, 1, a->tg, imp_lw(s->r, l, n - 1));
	else if (imp_is(l, 0, "ikev2") && imp_is(l, 2, "pre-shared-key") && n >= 4 &&
		 imp_is(l, 1, "local-authentication"))
		a->tg_local = imp_lw(s->r, l, n - 1);
	else if (imp_is(l, 0, "ikev2") && imp_is(l, 2, "pre-shared-key") && n >= 4 &&
		 imp_is(l, 1, "remote-authentication"))
		a->tg_remote = imp_lw(s->r, l, n - 1);
	else if (imp_is(l, 0, "isakmp") && imp_is(l, 1, "keepalive") && imp_is(l, 2, "threshold"))
		keepalive(a, l);
	else if (imp_is(l, 0, "isakmp") && imp_is(l, 1, "keepalive") && imp_is(l, 2, "disable"))
		;       /* no dead-peer detection: what an end without dpd says */
	else
		imp_unmodelled(s->r, imp_lloc(s->r, l), "this tunnel-group setting");
}

static void top(struct asa *a, const struct imp_line *l)
{
	struct fw *s = &a->fw;
	struct imp_read *r = s->r;
	if (s->ctx == C_TUNNEL_GROUP)
		tunnel_group_end(a);
	s->ctx = FW_OTHER;
	if (fw_version(s, l, "ASA"))
		return;
	if (imp_is(l, 0, "interface") && !imp_incomplete(r, l, 2, "interface NAME")) {
		fw_add_iface(s, imp_lw(r, l, 1), NULL);
		s->ctx = C_IFACE;
	} else if (imp_is(l, 0, "object") && imp_is(l, 1, "network") &&
		   !imp_incomplete(r, l, 3, "object network NAME")) {
		fw_new_object(s, imp_lw(r, l, 2));
		s->ctx = C_OBJECT;
	} else if (imp_is(l, 0, "nat")) {
		twice_nat(a, l);
	} else if (imp_is(l, 0, "crypto") && (imp_is(l, 1, "ikev1") || imp_is(l, 1, "isakmp")) &&
		   imp_is(l, 2, "policy")) {
		fw_ike(s, 1, imp_lloc(r, l));
		s->ctx = C_IKEV1;
	} else if (imp_is(l, 0, "crypto") && imp_is(l, 1, "ikev2") && imp_is(l, 2, "policy")) {
		fw_ike(s, 2, imp_lloc(r, l));
		s->ctx = C_IKEV2;
	} else if (imp_is(l, 0, "crypto") && imp_is(l, 1, "ipsec") && imp_is(l, 2, "ikev2") &&
		   imp_is(l, 3, "ipsec-proposal") &&
		   !imp_incomplete(r, l, 5, "crypto ipsec ikev2 ipsec-proposal NAME")) {
		struct fw_tset t = {.name = imp_lw(r, l, 4).s, .ikev2 = true};
		t.p.loc = imp_lspan(r, l, 4, 4);
		t.p.protocol = (struct imp_text){"esp", t.p.loc};
		arena_vec_push(FW_A(s), &s->tsets, t);
		s->ctx = C_PROPOSAL;
	} else if (imp_is(l, 0, "crypto") && (imp_is(l, 1, "ikev1") || imp_is(l, 1, "ikev2") ||
		   imp_is(l, 1, "isakmp")) && imp_is(l, 2, "enable")) {
		/* IKE on the interface the crypto map is bound to: what the model assumes. */
	} else if (imp_is(l, 0, "crypto") && imp_is(l, 1, "ipsec") && imp_is(l, 2, "profile")) {
		fw_profile_begin(s, l);
		s->ctx = C_PROFILE;
	} else if (imp_is(l, 0, "tunnel-group") && imp_is(l, 2, "type") && l->n == 4) {
		if (!imp_is(l, 3, "ipsec-l2l"))
			imp_unmodelled(r, imp_lloc(r, l), "a tunnel group other than LAN-to-LAN");
	} else if (imp_is(l, 0, "tunnel-group") && imp_is(l, 2, "ipsec-attributes")) {
		a->tg = imp_lw(r, l, 1);
		s->ctx = C_TUNNEL_GROUP;
	} else if (imp_is(l, 0, "tunnel-group") && l->n == 3) {
		/* general-attributes and the like: not LAN-to-LAN IPsec */
	} else {
		fw_top(s, l);
	}
}

static void sub(struct asa *a, const struct imp_line *l)
{
	struct fw *s = &a->fw;
	switch (s->ctx) {
	case C_IFACE: iface_item(s, l); break;
	case C_PROFILE: fw_profile_item(s, l); break;
	case C_OBJECT: object_item(a, l); break;
	case C_IKEV1: fw_ikev1_item(s, l, 0); break;
	case C_IKEV2: ikev2_item(s, l); break;
	case C_PROPOSAL: proposal_item(s, l); break;
	case C_TUNNEL_GROUP: tunnel_group_item(a, l); break;
	default: fw_sub(s, l); break;
	}
}

void asa_read(struct imp_read *r)
{
	struct asa a = {0};
	fw_init(&a.fw, r, "asa");
	struct imp_line l;
	size_t pos = 0;
	while (imp_next_line(r, &pos, &l)) {
		cisco_mark_keys(r, &l);  /* before anything is said of the line */
		if (l.n == 0 || l.w[0].s[0] == ':' || l.w[0].s[0] == '!')
			continue;
		if (l.indent == 0)
			top(&a, &l);
		else
			sub(&a, &l);
	}
	if (a.fw.ctx == C_TUNNEL_GROUP)
		tunnel_group_end(&a);
	fw_finish(&a.fw);
	fw_nat_append(&a.fw, &a.object_static);
	fw_nat_append(&a.fw, &a.object_dynamic);
	fw_nat_append(&a.fw, &a.after_auto);
}
