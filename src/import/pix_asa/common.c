/* The statements PIX 6.3 and ASA 8.4+ share (fw.h): names, routes, access
 * lists, network object groups, transform sets, crypto map entries and
 * their binding, and the crypto map entries -> tunnel ends at the end. */
#include "config.h"
#include "import/pix_asa/fw.h"

#include <stdlib.h>
#include <string.h>

#include "ir/addr.h"

#define A(s) FW_A(s)
#define DEV(s) FW_DEV(s)

void fw_init(struct fw *s, struct imp_read *r, const char *platform)
{
	memset(s, 0, sizeof(*s));
	s->r = r;
	s->ike[0] = s->ike[1] = s->ike[2] = -1;
	r->dev->platform = platform;
	r->dev->generic_end_names = true;
	r->dev->name = (struct imp_text){imp_name_from_path(r->arena, r->src->path),
					 imp_loc(r, 0, 1)};
}

bool fw_version(struct fw *s, const struct imp_line *l, const char *vendor)
{
	if (!imp_is(l, 0, vendor) || !imp_is(l, 1, "Version") || l->n < 3)
		return false;
	DEV(s)->version = imp_lw(s->r, l, 2);
	return true;
}

static bool line_starts(const char *text, size_t size, const char *mark)
{
	size_t n = strlen(mark);
	if (size >= n && strncmp(text, mark, n) == 0)
		return true;
	for (const char *p = text; (p = memchr(p, '\n', size - (size_t)(p - text))); ) {
		p++;
		if ((size_t)(text + size - p) >= n && strncmp(p, mark, n) == 0)
			return true;
	}
	return false;
}

int fw_detect(const char *text, size_t size, const char *const *marks, size_t n)
{
	if (memchr(text, '{', size))
		return 0;
	int hits = 0;
	for (size_t i = 0; i < n; i++)
		hits += line_starts(text, size, marks[i]);
	/* Above the IOS reader's 80: these configurations also carry the
	 * lines IOS has (interface, crypto map, access-list). */
	return hits >= 2 ? 95 : hits == 1 ? 85 : 0;
}

/* ---- interfaces, names, objects ---- */

struct imp_iface *fw_add_iface(struct fw *s, struct imp_text name, const char *nameif)
{
	struct imp_iface f = {.name = name};
	arena_vec_push(A(s), &DEV(s)->ifaces, f);
	arena_vec_push(A(s), &s->nameifs, nameif);
	return &DEV(s)->ifaces.v[DEV(s)->ifaces.n - 1];
}

struct imp_iface *fw_iface(struct fw *s, const char *nameif, struct tunc_loc loc, bool create)
{
	for (size_t i = 0; nameif && i < s->nameifs.n; i++)
		if (s->nameifs.v[i] && strcmp(s->nameifs.v[i], nameif) == 0)
			return &DEV(s)->ifaces.v[i];
	if (!create || !nameif)
		return NULL;
	return fw_add_iface(s, (struct imp_text){arena_strdup(A(s), nameif), loc},
			    arena_strdup(A(s), nameif));
}

struct fw_object *fw_object(struct fw *s, const char *name)
{
	for (size_t i = 0; name && i < s->objects.n; i++)
		if (strcmp(s->objects.v[i].name, name) == 0)
			return &s->objects.v[i];
	return NULL;
}

struct fw_object *fw_new_object(struct fw *s, struct imp_text name)
{
	struct fw_object *o = fw_object(s, name.s);
	if (!o) {
		struct fw_object n = {.name = name.s, .loc = name.loc};
		arena_vec_push(A(s), &s->objects, n);
		o = &s->objects.v[s->objects.n - 1];
	}
	s->object = (size_t)(o - s->objects.v);
	return o;
}

/* Word I as an IPv4 address, a `name` standing for one resolved. */
static const char *address_word(struct fw *s, const struct imp_line *l, size_t i)
{
	struct imp_text w = imp_lw(s->r, l, i);
	struct fw_object *o = fw_object(s, w.s);
	if (o && o->alias)
		return o->nets.v[0].s;
	struct ip_addr x;
	if (!w.s || !addr_parse(w.s, &x) || x.family != AF_V4) {
		diag_front(s->r->diags, "invalid-value", w.loc,
			   "'%s' is not an IPv4 address or a name for one", w.s ? w.s : "");
		return NULL;
	}
	return w.s;
}

struct imp_text fw_addr_mask(struct fw *s, const struct imp_line *l, size_t *i)
{
	struct imp_text out = {NULL, imp_lspan(s->r, l, *i, *i + 1)};
	const char *a = address_word(s, l, *i);
	struct imp_text m = imp_lw(s->r, l, *i + 1);
	*i += 2;
	if (!a)
		return out;
	int len = m.s ? imp_mask_len(m.s, false) : -1;
	if (len < 0) {
		diag_front(s->r->diags, "invalid-value", m.loc,
			   "'%s' is not a netmask (like 255.255.255.0)", m.s ? m.s : "");
		return out;
	}
	out.s = imp_prefix(A(s), a, len);
	return out;
}

static bool undefined(struct fw *s, struct imp_text name, const char *what)
{
	diag_front(s->r->diags, "undefined-name", name.loc, "%s '%s' is not defined in this "
		   "configuration", what, name.s ? name.s : "");
	return false;
}

bool fw_acl_addr(struct fw *s, const struct imp_line *l, size_t *i, imp_text_vec *out)
{
	struct tunc_loc loc = imp_lspan(s->r, l, *i, *i + 1);
	if (*i >= l->n) {
		diag_front(s->r->diags, "syntax", imp_lloc(s->r, l),
			   "incomplete statement: an address is missing");
		return false;
	}
	if (imp_is(l, *i, "any") || imp_is(l, *i, "any4")) {
		arena_vec_push(A(s), out, ((struct imp_text){"0.0.0.0/0", imp_lspan(s->r, l, *i, *i)}));
		*i += 1;
		return true;
	}
	if (imp_is(l, *i, "host")) {
		const char *a = address_word(s, l, *i + 1);
		*i += 2;
		if (a)
			arena_vec_push(A(s), out, ((struct imp_text){imp_prefix(A(s), a, 32), loc}));
		return a != NULL;
	}
	if (imp_is(l, *i, "object") || imp_is(l, *i, "object-group")) {
		struct imp_text name = imp_lw(s->r, l, *i + 1);
		struct fw_object *o = fw_object(s, name.s);
		*i += 2;
		if (!o || o->alias)
			return undefined(s, name, "object");
		for (size_t k = 0; k < o->nets.n; k++)
			arena_vec_push(A(s), out, ((struct imp_text){o->nets.v[k].s, loc}));
		return true;
	}
	if (imp_is(l, *i, "interface")) {
		struct imp_text name = imp_lw(s->r, l, *i + 1);
		struct imp_iface *f = fw_iface(s, name.s, name.loc, false);
		*i += 2;
		if (!f || !f->address.s)
			return undefined(s, name, "interface (with an address)");
		struct imp_text a = imp_bare_addr(A(s), f->address);
		arena_vec_push(A(s), out, ((struct imp_text){imp_prefix(A(s), a.s, 32), loc}));
		return true;
	}
	struct imp_text p = fw_addr_mask(s, l, i);
	if (p.s)
		arena_vec_push(A(s), out, p);
	return p.s != NULL;
}

/* `object-group network NAME` lines. */
void fw_sub(struct fw *s, const struct imp_line *l)
{
	if (s->ctx != FW_OBJECT_GROUP || s->objects.n == 0)
		return;
	struct fw_object *o = &s->objects.v[s->object];
	size_t i = 1;
	if (imp_is(l, 0, "network-object")) {
		if (imp_is(l, 1, "host") || imp_is(l, 1, "object") || l->n >= 3)
			fw_acl_addr(s, l, &i, &o->nets);
		else
			imp_unmodelled(s->r, imp_lloc(s->r, l), "this network object");
	} else if (imp_is(l, 0, "group-object") && !imp_incomplete(s->r, l, 2, "group-object NAME")) {
		struct imp_text name = imp_lw(s->r, l, 1);
		struct fw_object *g = fw_object(s, name.s);
		if (!g || g == o)
			undefined(s, name, "object group");
		else
			for (size_t k = 0; k < g->nets.n; k++)
				arena_vec_push(A(s), &o->nets, g->nets.v[k]);
	}
}

/* ---- access lists ---- */

void fw_access_list(struct fw *s, const struct imp_line *l)
{
	if (imp_incomplete(s->r, l, 3, "access-list NAME permit|deny ..."))
		return;
	size_t i = 2;
	if (imp_is(l, i, "line") && l->n > i + 2)
		i += 2;
	if (imp_is(l, i, "remark") || imp_is(l, i, "webtype") || imp_is(l, i, "ethertype"))
		return;
	struct cisco_acl *acl = cisco_acl_find(s->r, &s->acls, imp_lw(s->r, l, 1).s, true);
	struct cisco_acl_line al = {.loc = imp_lloc(s->r, l)};
	if (imp_is(l, i, "standard")) {
		al.unmodelled = "a standard access-list entry";
		al.permit = imp_is(l, i + 1, "permit");
		arena_vec_push(A(s), &acl->lines, al);
		return;
	}
	if (imp_is(l, i, "extended"))
		i++;
	if (!imp_is(l, i, "permit") && !imp_is(l, i, "deny")) {
		imp_unmodelled(s->r, al.loc, "this access-list entry");
		return;
	}
	al.permit = imp_is(l, i, "permit");
	if (imp_incomplete(s->r, l, i + 4, "permit|deny ip SOURCE DESTINATION"))
		return;
	bool ports = imp_is(l, i + 1, "tcp") || imp_is(l, i + 1, "udp");
	if (!imp_is(l, i + 1, "ip")) {
		/* Kept for an interface filter; noted where a crypto map or NAT uses it. */
		al.unmodelled = "an access-list entry for one protocol";
		struct imp_text proto = imp_lw(s->r, l, i + 1);
		const char *p = cisco_acl_protocol(proto.s);
		if (!p) {
			al.not_filter = "an access-list entry for a protocol or service group tunc "
					"does not name";
			arena_vec_push(A(s), &acl->lines, al);
			return;
		}
		al.proto = (struct imp_text){p, proto.loc};
	}
	size_t k = i + 2;
	struct imp_text sport = {0};
	if (!fw_acl_addr(s, l, &k, &al.src))
		return;
	if (ports)
		cisco_acl_port(s->r, l, &k, &sport, &al.not_filter);
	if (sport.s)
		al.not_filter = "an access-list entry for a source port";
	if (imp_incomplete(s->r, l, k + 1, "permit|deny PROTOCOL SOURCE DESTINATION") ||
	    !fw_acl_addr(s, l, &k, &al.dst))
		return;
	if (ports)
		cisco_acl_port(s->r, l, &k, &al.port, &al.not_filter);
	for (; k < l->n; k++)
		if (!imp_is(l, k, "log") && !al.not_filter && !(k > 0 && imp_is(l, k - 1, "log")))
			al.not_filter = "an access-list entry with options (ICMP types, time ranges, "
					"inactive...)";
	arena_vec_push(A(s), &acl->lines, al);
}

/* ---- NAT ---- */

void fw_nat_push(struct fw *s, imp_nat_vec *to, enum nat_kind kind, struct imp_text src,
		 struct imp_text dst, struct imp_text iface, struct tunc_loc loc)
{
	struct imp_nat n = {.kind = kind, .src = src, .dst = dst, .iface = iface, .loc = loc};
	arena_vec_push(A(s), to, n);
}

void fw_nat_append(struct fw *s, const imp_nat_vec *v)
{
	for (size_t i = 0; i < v->n; i++)
		arena_vec_push(A(s), &DEV(s)->nat, v->v[i]);
}

void fw_nat_exempt_acl(struct fw *s, struct imp_text name)
{
	struct cisco_acl *acl = cisco_acl_find(s->r, &s->acls, name.s, false);
	if (!acl) {
		undefined(s, name, "access list");
		return;
	}
	for (size_t i = 0; i < acl->lines.n; i++) {
		const struct cisco_acl_line *al = &acl->lines.v[i];
		if (al->unmodelled || !al->permit) {
			imp_unmodelled(s->r, al->loc, al->unmodelled ? al->unmodelled :
				       "a deny line in a NAT exemption access list");
			continue;
		}
		for (size_t a = 0; a < al->src.n; a++)
			for (size_t b = 0; b < al->dst.n; b++)
				fw_nat_push(s, &DEV(s)->nat, NAT_EXEMPT, al->src.v[a], al->dst.v[b],
					    (struct imp_text){0}, al->loc);
	}
}

bool fw_nat_ifaces(struct fw *s, const struct imp_line *l, size_t i, struct imp_text *in,
		   struct imp_text *out)
{
	struct imp_text w = imp_lw(s->r, l, i);
	size_t n = w.s ? strlen(w.s) : 0;
	if (n < 3 || w.s[0] != '(' || w.s[n - 1] != ')') {
		diag_front(s->r->diags, "syntax", w.loc, "expected '(INSIDE,OUTSIDE)' interfaces");
		return false;
	}
	const char *comma = memchr(w.s, ',', n);
	size_t in_len = comma ? (size_t)(comma - w.s) - 1 : n - 2;
	*in = (struct imp_text){arena_strndup(A(s), w.s + 1, in_len), w.loc};
	*out = (struct imp_text){comma ? arena_strndup(A(s), comma + 1, n - 2 - in_len - 1) : NULL,
				 w.loc};
	return true;
}

/* ---- IKE and IPsec proposals ---- */

struct imp_proposal *fw_ike(struct fw *s, unsigned version, struct tunc_loc loc)
{
	int *idx = &s->ike[version == 2 ? 2 : 1];
	if (*idx < 0) {
		struct imp_proposal p = {.ike = true, .version = version, .loc = loc,
					 .name = version == 2 ? "ikev2" : "ikev1"};
		arena_vec_push(A(s), &DEV(s)->proposals, p);
		*idx = (int)DEV(s)->proposals.n - 1;
	}
	return &DEV(s)->proposals.v[*idx];
}

static const struct imp_alg ikev1_enc[] = {
	{"des", "des"}, {"3des", "3des"}, {"aes", "aes128"}, {"aes-192", "aes192"},
	{"aes-256", "aes256"}, {NULL, NULL}};
static const struct imp_alg ikev1_hash[] = {{"md5", "md5"}, {"sha", "sha1"}, {NULL, NULL}};

void fw_ikev1_item(struct fw *s, const struct imp_line *l, size_t i)
{
	struct imp_proposal *p = fw_ike(s, 1, imp_lloc(s->r, l));
	struct imp_text v = imp_lw(s->r, l, i + 1);
	struct tunc_loc loc = imp_lloc(s->r, l);
	if (imp_is(l, i, "authentication")) {
		if (!imp_is(l, i + 1, "pre-share"))
			imp_unmodelled(s->r, loc, "authentication other than pre-share");
		return;
	}
	bool known = imp_is(l, i, "encryption") || imp_is(l, i, "hash") || imp_is(l, i, "group") ||
		     imp_is(l, i, "lifetime");
	if (!known) {
		imp_unmodelled(s->r, loc, "this IKE policy setting");
		return;
	}
	if (imp_incomplete(s->r, l, i + 2, "encryption|hash|group|lifetime VALUE"))
		return;
	if (imp_is(l, i, "encryption") || imp_is(l, i, "hash")) {
		bool enc = imp_is(l, i, "encryption");
		const char *a = imp_alg_find(enc ? ikev1_enc : ikev1_hash, v.s);
		if (!a)
			imp_unknown_alg(s->r, v);
		else
			imp_add_word(A(s), enc ? &p->enc : &p->integ, enc ? &p->enc_loc : &p->integ_loc,
				     a, loc);
	} else if (imp_is(l, i, "group")) {
		imp_add_word(A(s), &p->group, &p->group_loc, v.s, v.loc);
	} else {
		p->lifetime_s = strtoull(v.s, NULL, 10);
		p->lifetime_loc = loc;
	}
}

/* IKEv1 transform words (PIX and ASA alike). */
static const struct imp_alg ts_enc[] = {
	{"esp-null", "null"}, {"esp-des", "des"}, {"esp-3des", "3des"}, {"esp-aes", "aes128"},
	{"esp-aes-192", "aes192"}, {"esp-aes-256", "aes256"}, {NULL, NULL}};
static const struct imp_alg ts_integ[] = {
	{"esp-none", "none"}, {"esp-md5-hmac", "md5"}, {"esp-sha-hmac", "sha1"}, {NULL, NULL}};
static const struct imp_alg ts_ah[] = {
	{"ah-md5-hmac", "md5"}, {"ah-sha-hmac", "sha1"}, {NULL, NULL}};

void fw_transform_set(struct fw *s, const struct imp_line *l, size_t name_at)
{
	if (imp_is(l, name_at + 1, "mode")) {
		if (!imp_is(l, name_at + 2, "tunnel"))
			imp_unmodelled(s->r, imp_lloc(s->r, l), "a transform set in transport mode");
		return;
	}
	if (imp_incomplete(s->r, l, name_at + 2, "crypto ipsec transform-set NAME TRANSFORM..."))
		return;
	struct fw_tset t = {.name = imp_lw(s->r, l, name_at).s};
	t.p.loc = imp_lspan(s->r, l, name_at, name_at);
	t.p.protocol = (struct imp_text){"esp", t.p.loc};
	for (size_t i = name_at + 1; i < l->n; i++) {
		struct imp_text w = imp_lw(s->r, l, i);
		const char *a;
		if ((a = imp_alg_find(ts_enc, w.s))) {
			imp_add_word(A(s), &t.p.enc, &t.p.enc_loc, a, w.loc);
		} else if ((a = imp_alg_find(ts_integ, w.s))) {
			imp_add_word(A(s), &t.p.integ, &t.p.integ_loc, a, w.loc);
		} else if ((a = imp_alg_find(ts_ah, w.s))) {
			t.p.protocol = (struct imp_text){"ah", w.loc};
			imp_add_word(A(s), &t.p.integ, &t.p.integ_loc, a, w.loc);
		} else {
			imp_unknown_alg(s->r, w);
		}
	}
	arena_vec_push(A(s), &s->tsets, t);
}

void fw_add_key(struct fw *s, unsigned version, struct imp_text addr, struct imp_text key)
{
	if (key.s && strspn(key.s, "*") == strlen(key.s)) {
		imp_unmodelled(s->r, key.loc, "a pre-shared key hidden as asterisks (show it with "
			       "'more system:running-config')");
		return;
	}
	struct ip_addr x;
	if (strcmp(addr.s, "DefaultL2LGroup") == 0)
		addr.s = "0.0.0.0";
	else if (!addr_parse(addr.s, &x)) {
		imp_unmodelled(s->r, addr.loc, "a key for a peer named other than by its address");
		return;
	}
	struct cisco_key k = {addr, key};
	arena_vec_push(A(s), &s->keys[version == 2 ? 2 : 1], k);
}

/* ---- crypto maps ---- */

static struct fw_map *map_entry(struct fw *s, const struct imp_line *l)
{
	struct imp_text map = imp_lw(s->r, l, 2), seq = imp_lw(s->r, l, 3);
	for (size_t i = 0; i < s->maps.n; i++)
		if (strcmp(s->maps.v[i].map.s, map.s) == 0 && strcmp(s->maps.v[i].seq.s, seq.s) == 0)
			return &s->maps.v[i];
	struct fw_map m = {.map = map, .seq = seq, .loc = imp_lspan(s->r, l, 2, 3)};
	arena_vec_push(A(s), &s->maps, m);
	return &s->maps.v[s->maps.n - 1];
}

/* `set transform-set A B`, `set ikev1 transform-set ...`, `set ikev2 ipsec-proposal ...`. */
static void map_tsets(struct fw *s, struct fw_map *m, const struct imp_line *l, size_t first,
		      unsigned version)
{
	if (imp_incomplete(s->r, l, first + 1, "set transform-set NAME..."))
		return;
	m->ike_version = version;
	m->tsets.n = 0;
	for (size_t i = first; i < l->n; i++)
		arena_vec_push(A(s), &m->tsets, imp_lw(s->r, l, i));
}

/* The `set ...` of a crypto map entry or IPsec profile M whose word O is
 * `set`: false when it is none tunc reads. */
static bool map_setting(struct fw *s, struct fw_map *m, const struct imp_line *l, size_t o,
			struct tunc_loc loc)
{
	struct imp_read *r = s->r;
	if (imp_is(l, o, "set") && imp_is(l, o + 1, "transform-set")) {
		map_tsets(s, m, l, o + 2, 1);
	} else if (imp_is(l, o, "set") && imp_is(l, o + 1, "ikev1") && imp_is(l, o + 2, "transform-set")) {
		map_tsets(s, m, l, o + 3, 1);
	} else if (imp_is(l, o, "set") && imp_is(l, o + 1, "ikev2") && imp_is(l, o + 2, "ipsec-proposal")) {
		map_tsets(s, m, l, o + 3, 2);
	} else if (imp_is(l, o, "set") && imp_is(l, o + 1, "pfs")) {
		/* A bare `set pfs` is group 2 on the PIX and the ASA. */
		struct imp_text g = l->n > o + 2 ? imp_lw(r, l, o + 2) : (struct imp_text){"group2", loc};
		if (strncmp(g.s, "group", 5) != 0 || !g.s[5]) {
			diag_front(r->diags, "invalid-value", g.loc, "'%s' is not a DH group (groupN)",
				   g.s);
			return true;
		}
		m->pfs = (struct imp_text){g.s + 5, g.loc};
	} else if (imp_is(l, o, "set") && imp_is(l, o + 1, "security-association") &&
		   imp_is(l, o + 2, "lifetime")) {
		for (size_t i = o + 3; i + 1 < l->n; i += 2)
			if (imp_is(l, i, "seconds")) {
				m->lifetime_s = strtoull(l->w[i + 1].s, NULL, 10);
				m->lifetime_loc = loc;
			} else if (imp_is(l, i, "kilobytes") && l->w[i + 1].s[0] >= '1' &&
				   l->w[i + 1].s[0] <= '9') {
				m->lifetime_kb = strtoull(l->w[i + 1].s, NULL, 10);
				m->lifetime_kb_loc = imp_lspan(r, l, i, i + 1);
			} else {
				imp_unmodelled(r, imp_lspan(r, l, i, i + 1), "this lifetime");
			}
	} else {
		return false;
	}
	return true;
}

/* crypto map NAME SEQ ... */
static void crypto_map(struct fw *s, const struct imp_line *l)
{
	struct imp_read *r = s->r;
	struct tunc_loc loc = imp_lloc(r, l);
	if (imp_is(l, 3, "interface")) {
		if (imp_incomplete(r, l, 5, "crypto map NAME interface IFNAME"))
			return;
		struct fw_binding b = {imp_lw(r, l, 2), imp_lw(r, l, 4)};
		arena_vec_push(A(s), &s->bindings, b);
		return;
	}
	if (imp_incomplete(r, l, 5, "crypto map NAME SEQ ...") ||
	    !(l->w[3].s[0] >= '0' && l->w[3].s[0] <= '9')) {
		if (l->n >= 5)
			imp_unmodelled(r, loc, "this crypto map statement");
		return;
	}
	struct fw_map *m = map_entry(s, l);
	if (imp_is(l, 4, "ipsec-isakmp")) {
		if (l->n > 5) {
			m->skip = true;
			imp_unmodelled(r, loc, "a crypto map entry for a dynamic map");
		}
	} else if (imp_is(l, 4, "ipsec-manual")) {
		m->manual = true;
	} else if (imp_is(l, 4, "set") && imp_is(l, 5, "session-key")) {
		cisco_session_key(r, l, 6, &m->sa[0], &m->sa[1]);
	} else if (imp_is(l, 4, "match") && imp_is(l, 5, "address") &&
		   !imp_incomplete(r, l, 7, "crypto map NAME SEQ match address ACL")) {
		m->acl = imp_lw(r, l, 6);
	} else if (imp_is(l, 4, "set") && imp_is(l, 5, "peer") &&
		   !imp_incomplete(r, l, 7, "crypto map NAME SEQ set peer ADDRESS")) {
		m->peer = imp_lw(r, l, 6);
		struct fw_object *o = fw_object(s, m->peer.s);
		if (o && o->alias)
			m->peer.s = o->nets.v[0].s;     /* `name ADDR NAME` */
		if (l->n > 7)
			imp_unmodelled(r, imp_lspan(r, l, 7, l->n - 1), "a backup peer");
	} else if (map_setting(s, m, l, 4, loc)) {
		/* read */
	} else {
		imp_unmodelled(r, loc, "this crypto map setting");
	}
}

/* ---- the statements both know ---- */

bool fw_top(struct fw *s, const struct imp_line *l)
{
	struct imp_read *r = s->r;
	s->ctx = FW_OTHER;
	if (imp_is(l, 0, "hostname") && !imp_incomplete(r, l, 2, "hostname NAME")) {
		DEV(s)->name = imp_lw(r, l, 1);
	} else if (imp_is(l, 0, "name") && l->n >= 3) {
		struct imp_text a = imp_lw(r, l, 1);
		struct ip_addr x;
		if (!addr_parse(a.s, &x)) {
			diag_front(r->diags, "invalid-value", a.loc, "'%s' is not an address", a.s);
			return true;
		}
		struct fw_object *o = fw_new_object(s, imp_lw(r, l, 2));
		o->alias = true;
		o->nets.n = 0;
		arena_vec_push(A(s), &o->nets, a);
	} else if (imp_is(l, 0, "route")) {
		/* route IFNAME NETWORK NETMASK GATEWAY [METRIC] */
		if (imp_incomplete(r, l, 5, "route IFNAME NETWORK NETMASK GATEWAY"))
			return true;
		size_t i = 2;
		struct imp_route rt = {.dst = fw_addr_mask(s, l, &i), .via = imp_lw(r, l, 4),
				       .loc = imp_lloc(r, l)};
		const char *via = address_word(s, l, 4);
		if (rt.dst.s && via) {
			rt.via.s = via;
			arena_vec_push(A(s), &DEV(s)->routes, rt);
			arena_vec_push(A(s), &s->route_nameifs, imp_lw(r, l, 1));
		}
	} else if (imp_is(l, 0, "access-list")) {
		fw_access_list(s, l);
	} else if (imp_is(l, 0, "object-group")) {
		if (!imp_is(l, 1, "network") || imp_incomplete(r, l, 3, "object-group network NAME"))
			return true;    /* service and protocol groups: filters only */
		fw_new_object(s, imp_lw(r, l, 2));
		s->ctx = FW_OBJECT_GROUP;
	} else if (imp_is(l, 0, "crypto") && imp_is(l, 1, "ipsec") && imp_is(l, 2, "transform-set")) {
		fw_transform_set(s, l, 3);
	} else if (imp_is(l, 0, "crypto") && imp_is(l, 1, "ipsec") && imp_is(l, 2, "ikev1") &&
		   imp_is(l, 3, "transform-set")) {
		fw_transform_set(s, l, 4);
	} else if (imp_is(l, 0, "crypto") && imp_is(l, 1, "map")) {
		crypto_map(s, l);
	} else if (imp_is(l, 0, "sysopt") && imp_is(l, 1, "connection") &&
		   (imp_is(l, 2, "permit-ipsec") || imp_is(l, 2, "permit-vpn"))) {
		/* What the platform table assumes. */
	} else if (imp_is(l, 0, "sysopt") && imp_is(l, 1, "connection") && imp_is(l, 2, "tcpmss") &&
		   !imp_is(l, 3, "minimum")) {
		/* The clamp of every TCP connection through the box: each
		 * tunnel's (0 turns it off, as the default, 1380, leaves it). */
		if (imp_incomplete(r, l, 4, "sysopt connection tcpmss BYTES"))
			return true;
		s->mss = imp_lw(r, l, 3);
		s->mss.loc = imp_lloc(r, l);
		if (strcmp(s->mss.s, "0") == 0)
			s->mss.s = NULL;
	} else if (imp_is(l, 0, "access-group") && l->n == 5 && imp_is(l, 3, "interface") &&
		   (imp_is(l, 2, "in") || imp_is(l, 2, "out"))) {
		/* access-group ACL in|out interface NAMEIF: that interface's filter. */
		struct fw_filter f = {imp_lw(r, l, 1), imp_lw(r, l, 4),
				      imp_is(l, 2, "in") ? FILTER_IN : FILTER_OUT, imp_lloc(r, l)};
		arena_vec_push(A(s), &s->filters, f);
	} else if (imp_is(l, 0, "access-group")) {
		imp_unmodelled(r, imp_lloc(r, l), "an access list bound other than to an interface "
			       "(global, per-user)");
	} else if (imp_is(l, 0, "crypto") || imp_is(l, 0, "isakmp") || imp_is(l, 0, "tunnel-group") ||
		   imp_is(l, 0, "nat") || imp_is(l, 0, "global") || imp_is(l, 0, "static")) {
		imp_unmodelled(r, imp_lloc(r, l), "this statement");
	} else {
		return false;
	}
	return true;
}

/* ---- the end: crypto map entries -> tunnel ends ---- */

static const struct fw_tset *find_tset(const struct fw *s, const char *name, bool ikev2)
{
	for (size_t i = 0; i < s->tsets.n; i++)
		if (s->tsets.v[i].ikev2 == ikev2 && strcmp(s->tsets.v[i].name, name) == 0)
			return &s->tsets.v[i];
	return NULL;
}

/* The entry's transform sets as one proposal: the union of their
 * encryption and integrity (an AEAD set's `none` only when alone). */
static bool merge_tsets(struct fw *s, const struct fw_map *m, unsigned version,
			struct imp_proposal *p)
{
	bool have_none = false;
	for (size_t i = 0; i < m->tsets.n; i++) {
		const struct fw_tset *t = find_tset(s, m->tsets.v[i].s, version == 2);
		if (!t)
			return undefined(s, m->tsets.v[i], version == 2 ? "IPsec proposal" :
					 "transform set");
		if (i == 0) {
			*p = t->p;
			p->enc = (word_vec){0};
			p->integ = (word_vec){0};
		}
		for (size_t k = 0; k < t->p.enc.n; k++)
			imp_add_word(A(s), &p->enc, &p->enc_loc, t->p.enc.v[k].text, t->p.enc.v[k].loc);
		for (size_t k = 0; k < t->p.integ.n; k++) {
			if (strcmp(t->p.integ.v[k].text, "none") == 0)
				have_none = true;
			else
				imp_add_word(A(s), &p->integ, &p->integ_loc, t->p.integ.v[k].text,
					     t->p.integ.v[k].loc);
		}
	}
	if (have_none && p->integ.n == 0)
		imp_add_word(A(s), &p->integ, &p->integ_loc, "none", p->loc);
	return true;
}

/* ---- VTIs (ASA 9.7 and later) ---- */

void fw_vti_item(struct fw *s, struct imp_text name, const struct imp_line *l)
{
	struct imp_read *r = s->r;
	struct fw_vti *v = NULL;
	for (size_t i = 0; i < s->vtis.n && !v; i++)
		if (strcmp(s->vtis.v[i].name.s, name.s) == 0)
			v = &s->vtis.v[i];
	if (!v) {
		arena_vec_push(A(s), &s->vtis, ((struct fw_vti){.name = name}));
		v = &s->vtis.v[s->vtis.n - 1];
	}
	if (imp_is(l, 1, "source") && imp_is(l, 2, "interface") &&
	    !imp_incomplete(r, l, 4, "tunnel source interface NAMEIF"))
		v->source = imp_lw(r, l, 3);
	else if (imp_is(l, 1, "destination") && !imp_incomplete(r, l, 3, "tunnel destination ADDRESS"))
		v->dest = imp_lw(r, l, 2);
	else if (imp_is(l, 1, "protection") && imp_is(l, 2, "ipsec") && imp_is(l, 3, "profile") &&
		 !imp_incomplete(r, l, 5, "tunnel protection ipsec profile NAME"))
		v->profile = imp_lw(r, l, 4);
	else if (imp_is(l, 1, "mode") && !(imp_is(l, 2, "ipsec") &&
					   (imp_is(l, 3, "ipv4") || imp_is(l, 3, "ipv6"))))
		imp_unmodelled(r, imp_lloc(r, l), "a tunnel interface other than an IPsec VTI");
}

void fw_profile_begin(struct fw *s, const struct imp_line *l)
{
	if (imp_incomplete(s->r, l, 4, "crypto ipsec profile NAME"))
		return;
	struct fw_map m = {.map = imp_lw(s->r, l, 3), .loc = imp_lspan(s->r, l, 3, 3)};
	arena_vec_push(A(s), &s->profiles, m);
}

void fw_profile_item(struct fw *s, const struct imp_line *l)
{
	if (s->profiles.n && !map_setting(s, &s->profiles.v[s->profiles.n - 1], l, 0, imp_lloc(s->r, l)))
		imp_unmodelled(s->r, imp_lloc(s->r, l), "this IPsec profile setting");
}

/* The entry's volume lifetime: the .tun writes it beside a time lifetime. */
static void volume_lifetime(struct fw *s, const struct fw_map *m, struct imp_proposal *p)
{
	if (m->lifetime_kb && m->lifetime_s)
		p->lifetime_kb = m->lifetime_kb;
	else if (m->lifetime_kb)
		imp_unmodelled(s->r, m->lifetime_kb_loc, "a volume lifetime without one in seconds");
}

/* The IPsec side of an entry or a VTI's profile, the proposal P named
 * already: in .tun PFS and lifetime belong to the proposal, here to the
 * entry; the key and dead-peer detection are the peer's. */
static void attach_sa(struct fw *s, const struct fw_map *m, unsigned version,
		      struct imp_proposal *p, struct imp_end *e, const char *peer)
{
	p->loc = m->tsets.v[0].loc;
	p->pfs = m->pfs.s ? m->pfs : (struct imp_text){"none", m->loc};
	p->lifetime_s = m->lifetime_s;
	volume_lifetime(s, m, p);
	p->lifetime_loc = m->lifetime_loc;
	arena_vec_push(A(s), &DEV(s)->proposals, *p);
	e->ipsec = (int)DEV(s)->proposals.n - 1;
	e->psk = cisco_key_for(s->r, &s->keys[version], peer);
	e->tcp_mss = s->mss;
	e->dpd = cisco_key_for(s->r, &s->dpds, peer);
}

static void map_to_end(struct fw *s, const struct fw_map *m)
{
	struct imp_read *r = s->r;
	if (m->skip)
		return;
	const struct fw_binding *b = NULL;
	for (size_t i = 0; i < s->bindings.n && !b; i++)
		if (strcmp(s->bindings.v[i].map.s, m->map.s) == 0)
			b = &s->bindings.v[i];
	struct imp_iface *f = b ? fw_iface(s, b->nameif.s, b->nameif.loc, false) : NULL;
	if (!f) {
		imp_unmodelled(r, m->loc, "a crypto map entry on no interface");
		return;
	}
	if (!m->peer.s || !m->acl.s || !m->tsets.n) {
		diag_front(r->diags, "syntax", m->loc, "crypto map %s %s lacks %s", m->map.s, m->seq.s,
			   !m->peer.s ? "'set peer'" : !m->acl.s ? "'match address'" :
			   "'set ikev1 transform-set' or 'set ikev2 ipsec-proposal'");
		return;
	}
	struct cisco_acl *acl = cisco_acl_find(s->r, &s->acls, m->acl.s, false);
	if (!acl) {
		undefined(s, m->acl, "access list");
		return;
	}
	unsigned version = m->ike_version == 2 ? 2 : 1;
	struct imp_proposal p;
	if (!merge_tsets(s, m, version, &p))
		return;
	/* Named after the access list, the IPsec proposal after its one
	 * transform set or proposal, when they say something. */
	const char *given = cisco_given_name(A(s), m->acl.s);
	const char *pname = m->tsets.n == 1 ? cisco_given_name(A(s), m->tsets.v[0].s) : NULL;
	struct imp_end e = {.name = given ? given : arena_printf(A(s), "%s-%s", m->map.s, m->seq.s),
			    .given_name = given != NULL, .loc = m->loc,
			    .local_addr = imp_bare_addr(A(s), f->address), .peer_addr = m->peer,
			    .ike = s->ike[version], .ipsec = -1};
	e.local_loc = e.remote_loc = m->acl.loc;
	cisco_acl_selectors(r, acl, &e);
	p.name = pname ? pname : arena_printf(A(s), "%s-%s-%s", DEV(s)->name.s, m->map.s, m->seq.s);
	attach_sa(s, m, version, &p, &e, m->peer.s);
	if (m->manual && !cisco_manual_end(s->r, m->loc, m->sa, &e))
		return;
	arena_vec_push(A(s), &DEV(s)->ends, e);
}

/* A VTI protected by a profile: a route-based end on the interface's
 * network, selectors any to any (as on IOS). */
static void vti_to_end(struct fw *s, const struct fw_vti *v)
{
	struct imp_read *r = s->r;
	const struct imp_iface *t = NULL;
	for (size_t i = 0; i < DEV(s)->ifaces.n && !t; i++)
		if (strcmp(DEV(s)->ifaces.v[i].name.s, v->name.s) == 0)
			t = &DEV(s)->ifaces.v[i];
	const struct fw_map *m = NULL;
	for (size_t i = 0; v->profile.s && i < s->profiles.n && !m; i++)
		if (strcmp(s->profiles.v[i].map.s, v->profile.s) == 0)
			m = &s->profiles.v[i];
	if (!v->profile.s) {
		imp_unmodelled(r, v->name.loc, "a tunnel interface without IPsec protection");
		return;
	}
	if (!m) {
		undefined(s, v->profile, "IPsec profile");
		return;
	}
	struct imp_iface *src = v->source.s ? fw_iface(s, v->source.s, v->source.loc, false) : NULL;
	struct ip_prefix link;
	if (!t || !t->address.s || !src || !src->address.s || !v->dest.s || !m->tsets.n ||
	    !prefix_parse(t->address.s, &link)) {
		diag_front(r->diags, "syntax", v->name.loc, "tunnel interface %s lacks %s", v->name.s,
			   !t || !t->address.s ? "its address" : !src || !src->address.s ?
			   "'tunnel source interface' with an address" : !v->dest.s ?
			   "'tunnel destination'" : "a transform set or proposal in its profile");
		return;
	}
	src->outside = true;
	unsigned version = m->ike_version == 2 ? 2 : 1;
	struct imp_proposal p;
	if (!merge_tsets(s, m, version, &p))
		return;
	char buf[ADDR_STRLEN + 8];
	link = prefix_network(&link);
	prefix_format(&link, buf, sizeof(buf), false);
	/* A profile shared by several tunnel interfaces names none of them. */
	size_t sharing = 0;
	for (size_t k = 0; k < s->vtis.n; k++)
		sharing += s->vtis.v[k].profile.s && strcmp(s->vtis.v[k].profile.s, v->profile.s) == 0;
	const char *given = sharing == 1 ? cisco_given_name(A(s), v->profile.s) : NULL;
	const char *pname = m->tsets.n == 1 ? cisco_given_name(A(s), m->tsets.v[0].s) : NULL;
	struct imp_end e = {.name = given ? given : v->name.s, .given_name = given != NULL,
			    .loc = v->name.loc,
			    .local_addr = imp_bare_addr(A(s), src->address), .peer_addr = v->dest,
			    .ike = s->ike[version], .ipsec = -1,
			    .route_based = {arena_strdup(A(s), buf), t->address.loc}};
	e.local_loc = e.remote_loc = v->name.loc;
	p.name = pname ? pname : arena_printf(A(s), "%s-%s", DEV(s)->name.s, v->name.s);
	attach_sa(s, m, version, &p, &e, v->dest.s);
	arena_vec_push(A(s), &DEV(s)->ends, e);
}

/* The VTIs leave the gateway's interfaces (they are their ends'), and the
 * routes into them are the route-based tunnels' implied routes. */
static void drop_vtis(struct fw *s)
{
	size_t kept = 0;
	for (size_t i = 0; i < DEV(s)->routes.n; i++) {
		const struct fw_vti *into = NULL;
		for (size_t k = 0; k < DEV(s)->ifaces.n && !into; k++)
			for (size_t v = 0; v < s->vtis.n && !into; v++)
				if (strcmp(DEV(s)->ifaces.v[k].name.s, s->vtis.v[v].name.s) == 0 &&
				    s->nameifs.v[k] && i < s->route_nameifs.n &&
				    strcmp(s->nameifs.v[k], s->route_nameifs.v[i].s) == 0)
					into = &s->vtis.v[v];
		if (!into) {
			DEV(s)->routes.v[kept++] = DEV(s)->routes.v[i];
			continue;
		}
		/* The far subnets of the VTI's end (a peer with no file of its
		 * own): the end is at the interface's name (it may be named
		 * after its profile). */
		for (size_t e = 0; e < DEV(s)->ends.n; e++)
			if (DEV(s)->ends.v[e].route_based.s &&
			    DEV(s)->ends.v[e].loc.offset == into->name.loc.offset)
				arena_vec_push(A(s), &DEV(s)->ends.v[e].routed, DEV(s)->routes.v[i].dst);
	}
	DEV(s)->routes.n = kept;
	kept = 0;
	for (size_t k = 0; k < DEV(s)->ifaces.n; k++) {
		bool vti = false;
		for (size_t v = 0; v < s->vtis.n && !vti; v++)
			vti = strcmp(DEV(s)->ifaces.v[k].name.s, s->vtis.v[v].name.s) == 0;
		if (!vti) {
			DEV(s)->ifaces.v[kept] = DEV(s)->ifaces.v[k];
			s->nameifs.v[kept++] = s->nameifs.v[k];
		}
	}
	DEV(s)->ifaces.n = s->nameifs.n = kept;
}

void fw_finish(struct fw *s)
{
	/* An interface with no (static) address carries nothing tunc models:
	 * management ports, `no nameif`, DHCP (noted where read). */
	size_t kept = 0;
	for (size_t i = 0; i < DEV(s)->ifaces.n; i++)
		if (DEV(s)->ifaces.v[i].address.s) {
			DEV(s)->ifaces.v[kept] = DEV(s)->ifaces.v[i];
			s->nameifs.v[kept++] = s->nameifs.v[i];
		}
	DEV(s)->ifaces.n = s->nameifs.n = kept;
	for (size_t i = 0; i < s->bindings.n; i++) {
		struct imp_iface *f = fw_iface(s, s->bindings.v[i].nameif.s, s->bindings.v[i].nameif.loc,
					       false);
		if (f)
			f->outside = true;
		else
			undefined(s, s->bindings.v[i].nameif, "interface");
	}
	/* Proposal names carry the host name, known only now. */
	for (size_t i = 0; i < DEV(s)->proposals.n; i++) {
		struct imp_proposal *p = &DEV(s)->proposals.v[i];
		if (!p->ike)
			continue;
		p->name = arena_printf(A(s), "%s-%s", DEV(s)->name.s, p->version == 2 ? "ikev2" : "ikev1");
	}
	for (size_t i = 0; i < s->nat0_acls.n; i++)
		fw_nat_exempt_acl(s, s->nat0_acls.v[i]);
	for (size_t i = 0; i < s->maps.n; i++)
		map_to_end(s, &s->maps.v[i]);
	for (size_t i = 0; i < s->vtis.n; i++)
		vti_to_end(s, &s->vtis.v[i]);
	for (size_t i = 0; i < s->filters.n; i++) {
		const struct fw_filter *b = &s->filters.v[i];
		struct cisco_acl *acl = cisco_acl_find(s->r, &s->acls, b->acl.s, false);
		struct imp_iface *f = fw_iface(s, b->nameif.s, b->nameif.loc, false);
		if (!acl)
			undefined(s, b->acl, "access list");
		else if (!f)
			undefined(s, b->nameif, "interface");
		else
			cisco_acl_filter(s->r, acl, f, b->dir, b->loc);
	}
	drop_vtis(s);
}
