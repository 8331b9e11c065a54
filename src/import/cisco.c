/* Helpers of the Cisco readers (import/cisco.h). */
#include "config.h"
#include "import/cisco.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ir/addr.h"

bool imp_incomplete(struct imp_read *r, const struct imp_line *l, size_t need, const char *usage)
{
	if (l->n >= need)
		return false;
	diag_front(r->diags, "syntax", imp_lloc(r, l), "incomplete statement: expected '%s'", usage);
	return true;
}

struct imp_text imp_addr_mask(struct imp_read *r, const struct imp_line *l, size_t i,
			      bool wildcard)
{
	struct imp_text a = imp_lw(r, l, i), m = imp_lw(r, l, i + 1);
	struct imp_text out = {NULL, imp_lspan(r, l, i, i + 1)};
	struct ip_addr x;
	int len = m.s ? imp_mask_len(m.s, wildcard) : -1;
	if (!a.s || !addr_parse(a.s, &x) || x.family != AF_V4) {
		diag_front(r->diags, "invalid-value", a.loc, "'%s' is not an IPv4 address",
			   a.s ? a.s : "");
		return out;
	}
	if (len < 0) {
		diag_front(r->diags, "invalid-value", m.loc, "'%s' is not a %s", m.s ? m.s : "",
			   wildcard ? "wildcard mask (like 0.0.0.255)" : "netmask (like 255.255.255.0)");
		return out;
	}
	out.s = imp_prefix(r->arena, a.s, len);
	return out;
}

struct imp_text imp_bare_addr(struct arena *a, struct imp_text prefix)
{
	const char *slash = prefix.s ? strchr(prefix.s, '/') : NULL;
	if (slash)
		prefix.s = arena_strndup(a, prefix.s, (size_t)(slash - prefix.s));
	return prefix;
}

void imp_add_word(struct arena *a, word_vec *v, struct tunc_loc *where, const char *text,
		  struct tunc_loc loc)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i].text, text) == 0)
			return;
	if (v->n == 0)
		*where = loc;
	arena_vec_push(a, v, ((struct word){arena_strdup(a, text), loc}));
}

const char *imp_alg_find(const struct imp_alg *t, const char *w)
{
	for (; w && t->dev; t++)
		if (strcmp(t->dev, w) == 0)
			return t->tun;
	return NULL;
}

void imp_unknown_alg(struct imp_read *r, struct imp_text w)
{
	diag_front(r->diags, "invalid-value", w.loc, "unknown algorithm '%s'", w.s ? w.s : "");
}

struct cisco_acl *cisco_acl_find(struct imp_read *r, cisco_acl_vec *v, const char *name,
				 bool create)
{
	uint64_t key = imp_index_key(v, name, strlen(name));
	struct u64map_iter it;
	size_t i;
	for (bool more = u64map_first(&r->index, key, &it, &i); more; more = u64map_next(&it, &i))
		if (i < v->n && strcmp(v->v[i].name, name) == 0)
			return &v->v[i];
	if (!create)
		return NULL;
	struct cisco_acl acl = {arena_strdup(r->arena, name), {0}};
	arena_vec_push(r->arena, v, acl);
	u64map_add(&r->index, key, v->n - 1);
	return &v->v[v->n - 1];
}

static void add_unique(struct arena *a, imp_text_vec *v, struct imp_text t)
{
	for (size_t k = 0; k < v->n; k++)
		if (strcmp(v->v[k].s, t.s) == 0)
			return;
	arena_vec_push(a, v, t);
}

void cisco_acl_selectors(struct imp_read *r, const struct cisco_acl *acl, struct imp_end *e)
{
	for (size_t i = 0; i < acl->lines.n; i++) {
		const struct cisco_acl_line *al = &acl->lines.v[i];
		if (al->unmodelled || !al->permit) {
			imp_unmodelled(r, al->loc, al->unmodelled ? al->unmodelled :
				       "a deny line in a crypto access list");
			continue;
		}
		if (e->local_ts.n == 0)
			e->local_loc = e->remote_loc = al->loc;
		for (size_t k = 0; k < al->src.n; k++)
			add_unique(r->arena, &e->local_ts, al->src.v[k]);
		for (size_t k = 0; k < al->dst.n; k++)
			add_unique(r->arena, &e->remote_ts, al->dst.v[k]);
	}
}

struct imp_text cisco_key_for(struct imp_read *r, cisco_key_vec *keys, const char *peer)
{
	struct ip_addr p, ka;
	for (; keys->indexed < keys->n; keys->indexed++) {
		const struct cisco_key *k = &keys->v[keys->indexed];
		if (!addr_parse(k->addr.s, &ka))
			continue;
		u64map_add(&r->index, imp_index_key(keys, &ka, sizeof(ka)), keys->indexed);
		if (strcmp(k->addr.s, "0.0.0.0") == 0 && !keys->wildcard)
			keys->wildcard = keys->indexed + 1;
	}
	if (!peer || !addr_parse(peer, &p))
		return (struct imp_text){0};
	/* The first key given for the address, as a search in order finds it. */
	size_t best = SIZE_MAX, i;
	struct u64map_iter it;
	for (bool more = u64map_first(&r->index, imp_index_key(keys, &p, sizeof(p)), &it, &i); more;
	     more = u64map_next(&it, &i))
		if (i < keys->n && i < best && addr_parse(keys->v[i].addr.s, &ka) && addr_equal(&ka, &p))
			best = i;
	if (best != SIZE_MAX)
		return keys->v[best].key;
	return keys->wildcard ? keys->v[keys->wildcard - 1].key : (struct imp_text){0};
}

/* The names `show running-config` prints for well-known ports (IOS, PIX and
 * ASA print these instead of the numbers). */
static const struct { const char *name; int port; } port_names[] = {
	{"ftp-data", 20}, {"ftp", 21}, {"ssh", 22}, {"telnet", 23}, {"smtp", 25},
	{"domain", 53}, {"bootps", 67}, {"bootpc", 68}, {"tftp", 69}, {"www", 80},
	{"http", 80}, {"pop3", 110}, {"sunrpc", 111}, {"ntp", 123}, {"netbios-ns", 137},
	{"netbios-dgm", 138}, {"netbios-ss", 139}, {"snmp", 161}, {"snmptrap", 162},
	{"bgp", 179}, {"ldap", 389}, {"https", 443}, {"isakmp", 500}, {"syslog", 514},
	{"non500-isakmp", 4500}, {NULL, 0}};

int cisco_port(const char *w)
{
	if (!w || !*w)
		return -1;
	if (w[0] >= '0' && w[0] <= '9') {
		char *end;
		long v = strtol(w, &end, 10);
		return *end || v > 65535 ? -1 : (int)v;
	}
	for (size_t i = 0; port_names[i].name; i++)
		if (strcmp(port_names[i].name, w) == 0)
			return port_names[i].port;
	return -1;
}

static bool is_any(const struct imp_text *t)
{
	return t->s && (strcmp(t->s, "0.0.0.0/0") == 0 || strcmp(t->s, "::/0") == 0);
}

void cisco_acl_filter(struct imp_read *r, const struct cisco_acl *acl, struct imp_iface *f,
		      int dir, struct tunc_loc loc)
{
	struct imp_filter *flt = &f->filter[dir];
	memset(flt, 0, sizeof(*flt));
	flt->set = true;
	flt->loc = loc;
	flt->default_loc = loc;         /* the implicit deny: at the binding */
	size_t n = acl->lines.n;
	const struct cisco_acl_line *last = n ? &acl->lines.v[n - 1] : NULL;
	if (last && !last->proto.s && !last->not_filter && last->src.n == 1 && last->dst.n == 1 &&
	    is_any(&last->src.v[0]) && is_any(&last->dst.v[0])) {
		flt->default_permit = last->permit;
		flt->default_loc = last->loc;
		n--;
	}
	for (size_t i = 0; i < n; i++) {
		const struct cisco_acl_line *al = &acl->lines.v[i];
		if (al->not_filter) {
			imp_unmodelled(r, al->loc, al->not_filter);
			continue;
		}
		for (size_t s = 0; s < al->src.n; s++)
			for (size_t d = 0; d < al->dst.n; d++) {
				struct imp_filter_rule rule = {.permit = al->permit, .src = al->src.v[s],
					.dst = al->dst.v[d], .proto = al->proto, .port = al->port,
					.loc = al->loc};
				arena_vec_push(r->arena, &flt->rules, rule);
			}
	}
}

/* Cisco protocol words -> .tun ones (icmp, tcp, udp, esp, gre and numbers
 * are the same; IOS says ahp, the PIX and ASA ah). */
static const struct imp_alg acl_protocols[] = {
	{"icmp", "icmp"}, {"tcp", "tcp"}, {"udp", "udp"}, {"esp", "esp"}, {"ahp", "ah"},
	{"ah", "ah"}, {"gre", "gre"}, {"igmp", "2"}, {"ipinip", "4"}, {"eigrp", "88"},
	{"ospf", "89"}, {"pim", "103"}, {NULL, NULL}};

const char *cisco_acl_protocol(const char *w)
{
	const char *p = imp_alg_find(acl_protocols, w);
	return p ? p : w[0] >= '0' && w[0] <= '9' ? w : NULL;
}

void cisco_acl_port(struct imp_read *r, const struct imp_line *l, size_t *k, struct imp_text *port,
		    const char **why)
{
	bool eq = imp_is(l, *k, "eq"), range = imp_is(l, *k, "range");
	if (!eq && !range && !imp_is(l, *k, "lt") && !imp_is(l, *k, "gt") && !imp_is(l, *k, "neq"))
		return;
	size_t words = range ? 2 : 1;
	if (imp_incomplete(r, l, *k + 1 + words, range ? "range LOW HIGH" : "eq|lt|gt|neq PORT")) {
		*why = "an incomplete port";
		*k = l->n;
		return;
	}
	int lo = cisco_port(imp_lw(r, l, *k + 1).s);
	int hi = range ? cisco_port(imp_lw(r, l, *k + 2).s) : lo;
	if (lo < 0 || hi < 0) {
		struct imp_text bad = imp_lw(r, l, lo < 0 ? *k + 1 : *k + 2);
		diag_front(r->diags, "invalid-value", bad.loc, "'%s' is not a port", bad.s);
		*why = "an unknown port";
	} else if (!eq && !range) {
		*why = "a port comparison other than eq and range";
	} else {
		*port = (struct imp_text){range ? arena_printf(r->arena, "%d-%d", lo, hi) :
					  arena_printf(r->arena, "%d", lo), imp_lspan(r, l, *k, *k + words)};
	}
	*k += 1 + words;
}


void cisco_session_key(struct imp_read *r, const struct imp_line *l, size_t i,
		       struct imp_manual_sa *in, struct imp_manual_sa *out)
{
	if (imp_incomplete(r, l, i + 4, "set session-key inbound|outbound esp|ah SPI ..."))
		return;
	if (!imp_is(l, i, "inbound") && !imp_is(l, i, "outbound")) {
		struct imp_text d = imp_lw(r, l, i);
		diag_front(r->diags, "invalid-value", d.loc, "'%s' is not a direction (inbound, "
			   "outbound)", d.s);
		return;
	}
	struct imp_manual_sa *sa = imp_is(l, i, "inbound") ? in : out;
	*sa = (struct imp_manual_sa){.spi = imp_lw(r, l, i + 2), .loc = imp_lloc(r, l)};
	if (imp_is(l, i + 1, "ah")) {
		sa->auth = imp_lw(r, l, i + 3);
		imp_mark_secret(r, sa->auth.loc);
		return;
	}
	for (size_t k = i + 3; k + 1 < l->n; k += 2) {
		struct imp_text key = imp_lw(r, l, k + 1);
		if (imp_is(l, k, "cipher"))
			sa->enc = key;
		else if (imp_is(l, k, "authenticator"))
			sa->auth = key;
		else
			continue;
		imp_mark_secret(r, key.loc);
	}
}

bool cisco_manual_end(struct imp_read *r, struct tunc_loc loc, const struct imp_manual_sa *sa,
		      struct imp_end *e)
{
	if (!sa[0].spi.s || !sa[1].spi.s) {
		diag_front(r->diags, "syntax", loc, "a manually keyed entry lacks 'set session-key "
			   "%s'", sa[0].spi.s ? "outbound" : "inbound");
		return false;
	}
	e->keying = (struct imp_text){"manual", sa[1].loc};
	e->ike = imp_unused_ike(r->arena, r->dev, e->name, 1, loc);
	imp_manual_end(e, &sa[1], &sa[0]);
	return true;
}

const char *cisco_given_name(struct arena *a, const char *name)
{
	if (!name)
		return NULL;
	if (strncmp(name, "tunc-", 5) == 0)
		name += 5;
	if (!*name || strspn(name, "0123456789") == strlen(name))
		return NULL;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("._-", *p)))
			return NULL;
	return arena_strdup(a, name);
}

static bool all_digits(const struct imp_line *l, size_t i)
{
	if (i >= l->n)
		return false;
	for (size_t k = 0; k < l->w[i].len; k++)
		if (l->w[i].s[k] < '0' || l->w[i].s[k] > '9')
			return false;
	return true;
}

void cisco_mark_keys(const struct imp_read *r, const struct imp_line *l)
{
	/* The keywords come early: `crypto map NAME SEQ set session-key` is the latest. */
	for (size_t i = 0; i < l->n && i < 8; i++) {
		if (i > 0 && imp_is(l, i, "key") && imp_is(l, i - 1, "isakmp")) {
			/* [crypto] isakmp key [0|6] KEY address ADDRESS: a one-digit
			 * word with more after it is the key's encryption type. */
			bool type = i + 2 < l->n && l->w[i + 1].len == 1 && all_digits(l, i + 1);
			imp_secret_words(r, l, i + 1, type ? 2 : 1);
			return;
		}
		if (imp_is(l, i, "pre-shared-key")) {
			/* pre-shared-key [local|remote] [0|6] KEY (IOS ikev2 keyring),
			 * pre-shared-key address A [MASK] key KEY (IOS keyring),
			 * [ikev1|ikev2 local-authentication] pre-shared-key [0|8] KEY (ASA) */
			imp_secret_rest(r, l, i + 1);
			return;
		}
		if (imp_is(l, i, "session-key")) {
			/* set session-key inbound|outbound esp|ah SPI [cipher] KEY
			 * [authenticator KEY]: the keys follow the SPI; when the
			 * statement is not of that shape, all after session-key. */
			bool shaped = (imp_is(l, i + 1, "inbound") || imp_is(l, i + 1, "outbound")) &&
				      (imp_is(l, i + 2, "esp") || imp_is(l, i + 2, "ah")) &&
				      all_digits(l, i + 3);
			imp_secret_rest(r, l, shaped ? i + 4 : i + 1);
			return;
		}
	}
}
