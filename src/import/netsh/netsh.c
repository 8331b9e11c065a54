/* Windows netsh scripts: `netsh ipsec static` (Windows 2000/2003, the
 * KB 252735 layout tunc's netsh target writes: a policy with main-mode
 * methods, per tunnel an outbound and an inbound filter list, one filter
 * action and two rules whose tunnel endpoints are the peer and this host)
 * and `netsh advfirewall consec add rule ... mode=tunnel` (Windows
 * 2008/2008 R2, with the global main-mode methods).  A tunnel filter's
 * protocol and port, mirrored=yes and a filter action's inpass=yes are the
 * end's `protocol`, `mirrored` and `accept-unsecured`.  `route -p add` lines
 * are routes; `netsh routing ip` packet filters are read by rras.c.  What
 * gets a note: doc/import.md. */
#include "config.h"
#include "import/lines.h"
#include "import/netsh/netsh.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ir/addr.h"
#include "platform/platform.h"


struct flist {
	const char *name;
	imp_text_vec src, dst;
	struct tunc_loc loc;
	/* Its filters' protocol= (a .tun word) and dstport=, NULL: any;
	 * located at the first filter's, which the list keeps. */
	struct imp_text proto, port;
	struct tunc_loc proto_stmt;
	bool mirrored;                  /* mirrored=yes */
	struct tunc_loc mirrored_loc;
};
struct faction {
	const char *name;
	int ipsec;
	bool pfs;
	struct tunc_loc pfs_loc;
	bool inpass;                    /* inpass=yes: accepts unsecured communication */
	struct tunc_loc inpass_loc;
};
struct rule {
	struct imp_text name, list, action, tunnel, psk;
	struct tunc_loc loc;
};

struct ns {
	struct imp_read *r;
	int ike;                        /* the policy's / the global main mode's */
	bool advfirewall;
	/* The platform (tunc's header) adds this host's own address to every
	 * tunnel's local side itself (ISA Server): the script's filters from it
	 * are the platform's, not the tunnel's. */
	bool implicit_own_address;
	ARENA_VEC(struct flist) lists;
	ARENA_VEC(struct faction) actions;
	ARENA_VEC(struct rule) rules;
	struct netsh_rras rras;
};

#define A(s) ((s)->r->arena)
#define DEV(s) ((s)->r->dev)

int netsh_detect(const char *text, size_t size)
{
	(void)size;
	if (strstr(text, "netsh ipsec static add") || strstr(text, "netsh advfirewall consec add"))
		return 90;
	if (strstr(text, "netsh advfirewall set global mainmode"))
		return 60;
	return strstr(text, "netsh routing ip ") ? 50 : 0;
}

/* The word T[W, I) is psk=KEY (ipsec static), auth1psk=KEY (advfirewall)
 * or preshared=KEY: the key is secret before anything is said of its line
 * (to the line's end when its quote is not closed: I is then the end). */
static void mark_key(struct ns *s, const char *t, size_t off, size_t w, size_t i)
{
	static const char *const keys[] = {"psk", "auth1psk", "auth2psk", "preshared",
					   "presharedkey"};
	const char *eq = memchr(t + w, '=', i - w);
	if (!eq || (size_t)(eq - t) + 1 >= i)
		return;
	size_t klen = (size_t)(eq - t) - w, vb = (size_t)(eq - t) + 1;
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		if (strlen(keys[k]) == klen && strncasecmp(t + w, keys[k], klen) == 0)
			imp_mark_secret(s->r, imp_loc(s->r, off + vb, i - vb));
}

/* Words of line L, quotes kept together, KEY=VALUE split (quotes off the value). */
static bool split(struct ns *s, const char *t, size_t off, size_t len, struct netsh_cmd *c)
{
	c->n = 0;
	c->loc = imp_loc(s->r, off, len);
	size_t i = 0;
	while (i < len) {
		while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r'))
			i++;
		if (i >= len)
			break;
		size_t w = i;
		bool q = false;
		while (i < len && (q || (t[i] != ' ' && t[i] != '\t' && t[i] != '\r'))) {
			if (t[i] == '"')
				q = !q;
			i++;
		}
		mark_key(s, t, off, w, i);
		if (q) {
			diag_front(s->r->diags, "syntax", imp_loc(s->r, off + w, i - w),
				   "the quote is not closed on its line");
			return false;
		}
		if (c->n == NETSH_MAX_ARGS)
			break;
		struct netsh_arg *a = &c->a[c->n++];
		const char *eq = memchr(t + w, '=', i - w);
		size_t vb = w, ve = i;
		a->key = (struct imp_text){NULL, imp_loc(s->r, off + w, i - w)};
		if (eq && t[w] != '"') {
			size_t ke = (size_t)(eq - t);
			a->key = imp_word(s->r, t + w, ke - w, off + w);
			vb = ke + 1;
		}
		if (ve > vb + 1 && t[vb] == '"' && t[ve - 1] == '"') {
			vb++;
			ve--;
		}
		a->val = imp_word(s->r, t + vb, ve - vb, off + vb);
		if (ve == vb)
			a->val.loc.length = 1;
	}
	return true;
}

bool netsh_word(const struct netsh_cmd *c, size_t i, const char *w)
{
	return i < c->n && !c->a[i].key.s && strcasecmp(c->a[i].val.s, w) == 0;
}

bool netsh_number(const char *s, unsigned long max)
{
	if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 9)
		return false;
	return strtoul(s, NULL, 10) <= max;
}

const struct imp_text *netsh_opt(const struct netsh_cmd *c, const char *key)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->a[i].key.s && strcasecmp(c->a[i].key.s, key) == 0)
			return &c->a[i].val;
	return NULL;
}

static const struct imp_text *need(struct ns *s, const struct netsh_cmd *c, const char *key)
{
	const struct imp_text *v = netsh_opt(c, key);
	if (!v)
		diag_front(s->r->diags, "syntax", c->loc, "incomplete statement: %s= is missing", key);
	return v;
}

static void push(struct ns *s, word_vec *v, struct tunc_loc *where, const char *w, struct tunc_loc loc)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i].text, w) == 0)
			return;
	if (!v->n)
		*where = loc;
	arena_vec_push(A(s), v, ((struct word){arena_strdup(A(s), w), loc}));
}

static int new_proposal(struct ns *s, bool ike, const char *name, struct tunc_loc loc)
{
	struct imp_proposal p = {.ike = ike, .name = name, .loc = loc, .version = ike ? 1 : 0};
	arena_vec_push(A(s), &DEV(s)->proposals, p);
	return (int)DEV(s)->proposals.n - 1;
}

static const struct { const char *win, *tun; } names[] = {
	{"des", "des"}, {"3des", "3des"}, {"aes128", "aes128"}, {"aes192", "aes192"},
	{"aes256", "aes256"}, {"aesgcm128", "aes128-gcm"}, {"aesgcm256", "aes256-gcm"},
	{"none", "null"},
};
static const struct { const char *win, *tun; } hashes[] = {
	{"md5", "md5"}, {"sha1", "sha1"}, {"sha256", "sha256"}, {"sha384", "sha384"},
	{"none", "none"},
};
static const struct { const char *win; unsigned group; } dh[] = {
	{"dhgroup1", 1}, {"dhgroup2", 2}, {"dhgroup14", 14}, {"ecdhp256", 19}, {"ecdhp384", 20},
	{"dhgroup24", 24},
};

static const char *lookup(const char *w, bool hash)
{
	for (size_t k = 0; !hash && k < sizeof(names) / sizeof(names[0]); k++)
		if (strcasecmp(names[k].win, w) == 0)
			return names[k].tun;
	for (size_t k = 0; hash && k < sizeof(hashes) / sizeof(hashes[0]); k++)
		if (strcasecmp(hashes[k].win, w) == 0)
			return hashes[k].tun;
	return NULL;
}

static unsigned dh_group(const char *w)
{
	for (size_t k = 0; k < sizeof(dh) / sizeof(dh[0]); k++)
		if (strcasecmp(dh[k].win, w) == 0)
			return dh[k].group;
	return 0;
}

/* One algorithm word at OFF..OFF+LEN of V: into P's encryption or integrity. */
static void alg(struct ns *s, struct imp_proposal *p, const struct imp_text *v, size_t off,
		size_t len, bool hash)
{
	char *w = arena_strndup(A(s), v->s + off, len);
	struct tunc_loc loc = {v->loc.file, v->loc.offset + (uint32_t)off, (uint32_t)(len ? len : 1)};
	const char *t = lookup(w, hash);
	if (!t) {
		diag_front(s->r->diags, "invalid-value", loc, "unknown algorithm '%s'", w);
		return;
	}
	if (hash)
		push(s, &p->integ, &p->integ_loc, t, loc);
	else {
		push(s, &p->enc, &p->enc_loc, t, loc);
		if (strstr(t, "gcm"))
			push(s, &p->integ, &p->integ_loc, "none", loc);
	}
}

static uint64_t seconds(const char *t, char unit_default)
{
	char *end;
	unsigned long long n = strtoull(t, &end, 10);
	if (strncasecmp(end, "min", 3) == 0 || (*end == '\0' && unit_default == 'm'))
		return n * 60;
	return n;
}

/* ---- netsh ipsec static ---- */

/* mmsecmethods="3DES-SHA1-2 DES-MD5-1": ConfAlg-HashAlg-GroupNum. */
static void legacy_policy(struct ns *s, const struct netsh_cmd *c)
{
	const struct imp_text *name = netsh_opt(c, "name");
	s->ike = new_proposal(s, true, arena_printf(A(s), "%s-main-mode", DEV(s)->name.s), c->loc);
	struct imp_proposal *p = &DEV(s)->proposals.v[s->ike];
	(void)name;
	const struct imp_text *m = netsh_opt(c, "mmsecmethods"), *life = netsh_opt(c, "mmlifetime");
	if (life) {
		p->lifetime_s = seconds(life->s, 'm');
		p->lifetime_loc = life->loc;
	}
	for (size_t i = 0; m && m->s[i];) {
		while (m->s[i] == ' ')
			i++;
		size_t n = strcspn(m->s + i, " ");
		if (!n)
			break;
		size_t a = strcspn(m->s + i, "-"), b = a < n ? strcspn(m->s + i + a + 1, "-") : 0;
		if (a >= n || a + 1 + b >= n) {
			diag_front(s->r->diags, "invalid-value", (struct tunc_loc){m->loc.file, m->loc.offset + (uint32_t)i, (uint32_t)n},
				   "expected a main-mode method ConfAlg-HashAlg-GroupNum");
			break;
		}
		alg(s, p, m, i, a, false);
		alg(s, p, m, i + a + 1, b, true);
		const char *g = m->s + i + a + 1 + b + 1;
		struct tunc_loc gl = {m->loc.file, m->loc.offset + (uint32_t)(g - m->s), 1};
		/* GroupNum 1 = low (group 1), 2 = medium (group 2), 3 = DH2048 (group 14). */
		const char *grp = *g == '1' ? "1" : *g == '2' ? "2" : *g == '3' ? "14" : NULL;
		if (!grp)
			diag_front(s->r->diags, "invalid-value", gl, "GroupNum must be 1, 2 or 3");
		else
			push(s, &p->group, &p->group_loc, grp, gl);
		i += n;
	}
}

static struct flist *find_list(struct ns *s, const char *name)
{
	for (size_t i = 0; i < s->lists.n; i++)
		if (strcasecmp(s->lists.v[i].name, name) == 0)
			return &s->lists.v[i];
	return NULL;
}

static bool net(struct ns *s, const struct netsh_cmd *c, const char *which, imp_text_vec *out)
{
	const struct imp_text *a = netsh_opt(c, arena_printf(A(s), "%saddr", which));
	const struct imp_text *m = netsh_opt(c, arena_printf(A(s), "%smask", which));
	if (!a) {
		need(s, c, arena_printf(A(s), "%saddr", which));
		return false;
	}
	if (strcasecmp(a->s, "any") == 0) {
		arena_vec_push(A(s), out, ((struct imp_text){"0.0.0.0/0", a->loc}));
		return true;
	}
	struct ip_addr ip;
	if (!addr_parse(a->s, &ip)) {
		imp_unmodelled(s->r, a->loc, arena_printf(A(s), "%saddr=%s (a filter not on an address)", which, a->s));
		return false;
	}
	int len = m ? imp_mask_len(m->s, false) : 32;
	if (len < 0) {
		diag_front(s->r->diags, "invalid-value", m->loc, "'%s' is not a netmask", m->s);
		return false;
	}
	arena_vec_push(A(s), out, ((struct imp_text){imp_prefix(A(s), a->s, len), a->loc}));
	return true;
}

/* protocol= (ANY, ICMP, TCP, UDP, RAW or a number) and srcport=/dstport=
 * (0: any) of a tunnel filter: the end's `protocol` (seed 002's
 * port-filter.tun; lint's tunnel-port-filter then points here).  FIRST: the
 * list's first filter, which says it; the others must say the same. */
static void filter_protocol(struct ns *s, const struct netsh_cmd *c, struct flist *fl, bool first)
{
	static const struct { const char *win, *tun; } protos[] = {
		{"any", NULL}, {"icmp", "icmp"}, {"tcp", "tcp"}, {"udp", "udp"},
	};
	const struct imp_text *p = netsh_opt(c, "protocol"), *sp = netsh_opt(c, "srcport"),
			      *dp = netsh_opt(c, "dstport");
	struct imp_text proto = {0}, port = {0};
	bool known = !p;
	for (size_t k = 0; p && k < sizeof(protos) / sizeof(protos[0]); k++)
		if (strcasecmp(p->s, protos[k].win) == 0) {
			proto = (struct imp_text){protos[k].tun, p->loc};
			known = true;
		}
	if (!known && strcasecmp(p->s, "raw") == 0) {
		imp_unmodelled(s->r, p->loc, "protocol=RAW in a tunnel filter");
		return;
	}
	if (!known && !netsh_number(p->s, 255)) {
		diag_front(s->r->diags, "invalid-value", p->loc,
			   "protocol must be ANY, ICMP, TCP, UDP, RAW or a number up to 255");
		return;
	}
	if (!known)
		proto = *p;
	if (sp && strspn(sp->s, "0") != strlen(sp->s))
		imp_unmodelled(s->r, sp->loc, "a tunnel filter on a source port");
	if (dp && strspn(dp->s, "0") != strlen(dp->s)) {
		if (!proto.s || !netsh_number(dp->s, 65535)) {
			diag_front(s->r->diags, "invalid-value", dp->loc, proto.s ?
				   "dstport must be a port number (0: any)" :
				   "dstport= needs protocol=TCP or UDP");
			return;
		}
		port = *dp;
	}
	if (first) {
		fl->proto = proto;
		fl->port = proto.s ? port : (struct imp_text){0};
		fl->proto_stmt = p ? p->loc : c->loc;
		return;
	}
	bool same_proto = (!proto.s && !fl->proto.s) ||
			  (proto.s && fl->proto.s && strcasecmp(proto.s, fl->proto.s) == 0);
	bool same_port = (!port.s && !fl->port.s) || (port.s && fl->port.s && strcmp(port.s, fl->port.s) == 0);
	if (!same_proto || !same_port)
		imp_unmodelled(s->r, p ? p->loc : c->loc,
			       "filters of one tunnel filter list for different protocols or ports "
			       "(the list's first filter's are read)");
}

static void legacy_filter(struct ns *s, const struct netsh_cmd *c)
{
	const struct imp_text *l = need(s, c, "filterlist");
	if (!l)
		return;
	struct flist *fl = find_list(s, l->s);
	if (!fl) {
		diag_front(s->r->diags, "undefined", l->loc, "filter list '%s' is not added before", l->s);
		return;
	}
	const struct imp_text *mir = netsh_opt(c, "mirrored");
	if (mir && strcasecmp(mir->s, "yes") == 0 && !fl->mirrored) {
		fl->mirrored = true;
		fl->mirrored_loc = mir->loc;
	}
	imp_text_vec src = {0}, dst = {0};
	if (net(s, c, "src", &src) && net(s, c, "dst", &dst)) {
		filter_protocol(s, c, fl, fl->src.n == 0);
		arena_vec_push(A(s), &fl->src, src.v[0]);
		arena_vec_push(A(s), &fl->dst, dst.v[0]);
	}
}

/* qmsecmethods="ESP[3DES,SHA1]:100000k/3600s AH[SHA1]". */
static void legacy_action(struct ns *s, const struct netsh_cmd *c)
{
	const struct imp_text *name = need(s, c, "name");
	if (!name)
		return;
	struct faction fa = {.name = name->s};
	fa.ipsec = new_proposal(s, false, arena_printf(A(s), "%s-%s", DEV(s)->name.s, name->s), c->loc);
	struct imp_proposal *p = &DEV(s)->proposals.v[fa.ipsec];
	const struct imp_text *pfs = netsh_opt(c, "qmpfs"), *m = netsh_opt(c, "qmsecmethods"), *act = netsh_opt(c, "action");
	if (act && strcasecmp(act->s, "negotiate") != 0)
		imp_unmodelled(s->r, act->loc, arena_printf(A(s), "action=%s (tunc models negotiate)", act->s));
	const struct imp_text *inpass = netsh_opt(c, "inpass"), *soft = netsh_opt(c, "soft");
	if (inpass && strcasecmp(inpass->s, "yes") == 0) {
		fa.inpass = true;
		fa.inpass_loc = inpass->loc;
	}
	if (soft && strcasecmp(soft->s, "yes") == 0)
		imp_unmodelled(s->r, soft->loc, "soft=yes (unsecured communication with computers "
			       "that do not answer IKE)");
	fa.pfs = pfs && strcasecmp(pfs->s, "yes") == 0;
	fa.pfs_loc = pfs ? pfs->loc : c->loc;
	if (pfs && !fa.pfs)
		p->pfs = (struct imp_text){"none", pfs->loc};
	for (size_t i = 0; m && m->s[i];) {
		while (m->s[i] == ' ')
			i++;
		size_t n = strcspn(m->s + i, " ");
		if (!n)
			break;
		const char *w = m->s + i;
		const char *open = memchr(w, '[', n), *close = memchr(w, ']', n);
		if (!open || !close || close < open) {
			diag_front(s->r->diags, "invalid-value", (struct tunc_loc){m->loc.file, m->loc.offset + (uint32_t)i, (uint32_t)n},
				   "expected a quick-mode method ESP[ConfAlg,AuthAlg] or AH[HashAlg]");
			break;
		}
		size_t ob = (size_t)(open - m->s) + 1, cb = (size_t)(close - m->s);
		if (strncasecmp(w, "AH", 2) == 0) {
			p->protocol = (struct imp_text){"ah", (struct tunc_loc){m->loc.file, m->loc.offset + (uint32_t)i, 2}};
			alg(s, p, m, ob, cb - ob, true);
		} else {
			size_t comma = ob + strcspn(m->s + ob, ",]");
			alg(s, p, m, ob, comma - ob, false);
			if (comma < cb)
				alg(s, p, m, comma + 1, cb - comma - 1, true);
		}
		const char *slash = memchr(w, '/', n);
		if (slash && !p->lifetime_s) {
			p->lifetime_s = seconds(slash + 1, 's');
			p->lifetime_loc = m->loc;
		}
		i += n;
	}
	arena_vec_push(A(s), &s->actions, fa);
}

static void legacy_rule(struct ns *s, const struct netsh_cmd *c)
{
	struct rule r = {.loc = c->loc};
	const struct imp_text *v;
	if ((v = netsh_opt(c, "name")))
		r.name = *v;
	if ((v = netsh_opt(c, "filterlist")))
		r.list = *v;
	if ((v = netsh_opt(c, "filteraction")))
		r.action = *v;
	if ((v = netsh_opt(c, "tunnel")))
		r.tunnel = *v;
	if ((v = netsh_opt(c, "psk")))
		r.psk = *v;
	if (netsh_opt(c, "kerberos") || netsh_opt(c, "rootca"))
		imp_unmodelled(s->r, c->loc, "authentication other than a pre-shared key");
	if (!r.list.s || !r.action.s) {
		need(s, c, r.list.s ? "filteraction" : "filterlist");
		return;
	}
	if (!r.tunnel.s) {
		imp_unmodelled(s->r, c->loc, "a rule without tunnel= (transport mode)");
		return;
	}
	if (!find_list(s, r.list.s))
		diag_front(s->r->diags, "undefined", r.list.loc, "filter list '%s' is not added before", r.list.s);
	arena_vec_push(A(s), &s->rules, r);
}

static void legacy(struct ns *s, const struct netsh_cmd *c)
{
	if (!netsh_word(c, 3, "add"))
		return;         /* set, delete, show: nothing to model */
	if (netsh_word(c, 4, "policy"))
		legacy_policy(s, c);
	else if (netsh_word(c, 4, "filterlist")) {
		const struct imp_text *n = need(s, c, "name");
		if (n && !find_list(s, n->s)) {
			struct flist fl = {.name = n->s, .loc = c->loc};
			arena_vec_push(A(s), &s->lists, fl);
		}
	} else if (netsh_word(c, 4, "filter"))
		legacy_filter(s, c);
	else if (netsh_word(c, 4, "filteraction"))
		legacy_action(s, c);
	else if (netsh_word(c, 4, "rule"))
		legacy_rule(s, c);
	else
		imp_unmodelled(s->r, c->loc, "this netsh ipsec static command");
}

static void add_unique(struct arena *a, imp_text_vec *v, struct imp_text x)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i].s, x.s) == 0)
			return;
	arena_vec_push(a, v, x);
}

/* "ADDR/32" (or /128) naming ADDR. */
static bool is_host(const char *prefix, const char *addr)
{
	size_t n = strlen(addr);
	return strncmp(prefix, addr, n) == 0 &&
	       (strcmp(prefix + n, "/32") == 0 || strcmp(prefix + n, "/128") == 0);
}

/* Per filter action, its outbound rule (the first: tunnel= the peer) and
 * inbound rule (tunnel= this host), as KB 252735 and tunc write them. */
static void legacy_ends(struct ns *s)
{
	for (size_t a = 0; a < s->actions.n; a++) {
		const struct faction *fa = &s->actions.v[a];
		const struct rule *out = NULL, *in = NULL;
		for (size_t i = 0; i < s->rules.n; i++) {
			const struct rule *r = &s->rules.v[i];
			if (strcasecmp(r->action.s, fa->name) != 0)
				continue;
			if (!out)
				out = r;
			else if (!in)
				in = r;
		}
		if (!out)
			continue;
		if (!in) {
			imp_unmodelled(s->r, out->loc, "a tunnel rule without its inbound rule (this host's "
				       "tunnel endpoint is not in the script)");
			continue;
		}
		const struct flist *fl = find_list(s, out->list.s);
		if (!fl)
			continue;
		const char *nm = out->name.s ? out->name.s : fa->name;
		size_t nl = strlen(nm);
		struct imp_end e = {.name = nm, .loc = out->loc, .pair = -1, .ike = s->ike,
				    .ipsec = fa->ipsec, .local_addr = in->tunnel, .peer_addr = out->tunnel,
				    .local_loc = fl->loc, .remote_loc = fl->loc, .psk = out->psk};
		e.proto = fl->proto;
		e.port = fl->port;
		e.proto_stmt = fl->proto_stmt;
		/* Mirrored on either direction's list: the box ticked. */
		const struct flist *il = find_list(s, in->list.s);
		const struct flist *ml = fl->mirrored ? fl : il && il->mirrored ? il : NULL;
		if (ml) {
			e.mirrored = true;
			e.mirrored_loc = ml->mirrored_loc;
		}
		e.accept_unsecured = fa->inpass;
		e.accept_unsecured_loc = fa->inpass_loc;
		/* A filter list is every (local, remote) pair: each side once. */
		for (size_t k = 0; k < fl->src.n; k++)
			if (!(s->implicit_own_address && in->tunnel.s && is_host(fl->src.v[k].s, in->tunnel.s)))
				add_unique(A(s), &e.local_ts, fl->src.v[k]);
		for (size_t k = 0; k < fl->dst.n; k++)
			add_unique(A(s), &e.remote_ts, fl->dst.v[k]);
		/* tunc's names say which rule is which; others follow the order. */
		e.side_guessed = !(nl > 4 && strcmp(nm + nl - 4, "-out") == 0);
		if (!e.side_guessed) {
			e.name = arena_strndup(A(s), nm, nl - 4);
			if (strncmp(e.name, "tunc-", 5) == 0)
				e.name += 5;
		}
		struct imp_proposal *p = &DEV(s)->proposals.v[fa->ipsec];
		/* qmpfs=yes: the Policy Agent takes the main-mode group. */
		if (fa->pfs && !p->pfs.s && s->ike >= 0 && DEV(s)->proposals.v[s->ike].group.n)
			p->pfs = (struct imp_text){DEV(s)->proposals.v[s->ike].group.v[0].text, fa->pfs_loc};
		arena_vec_push(A(s), &DEV(s)->ends, e);
	}
}

/* ---- netsh advfirewall ---- */

/* `set global mainmode mmsecmethods dhgroup14:aes256-sha256,aes128-sha1`
 * and `... mmkeylifetime 480min,0sess`. */
static void af_mainmode(struct ns *s, const struct netsh_cmd *c)
{
	if (s->ike < 0)
		s->ike = new_proposal(s, true, arena_printf(A(s), "%s-main-mode", DEV(s)->name.s), c->loc);
	struct imp_proposal *p = &DEV(s)->proposals.v[s->ike];
	if (c->n < 7) {
		diag_front(s->r->diags, "syntax", c->loc, "incomplete statement");
		return;
	}
	const struct imp_text *v = &c->a[6].val;
	if (netsh_word(c, 5, "mmkeylifetime")) {
		p->lifetime_s = seconds(v->s, 'm');
		p->lifetime_loc = v->loc;
		return;
	}
	if (!netsh_word(c, 5, "mmsecmethods")) {
		imp_unmodelled(s->r, c->loc, "this main-mode setting");
		return;
	}
	for (size_t i = 0; v->s[i];) {
		size_t n = strcspn(v->s + i, ",");
		const char *colon = memchr(v->s + i, ':', n);
		size_t b = i;
		if (colon) {
			char *g = arena_strndup(A(s), v->s + i, (size_t)(colon - v->s) - i);
			unsigned grp = dh_group(g);
			struct tunc_loc gl = {v->loc.file, v->loc.offset + (uint32_t)i, (uint32_t)strlen(g)};
			if (!grp)
				diag_front(s->r->diags, "invalid-value", gl, "unknown DH group '%s'", g);
			else
				push(s, &p->group, &p->group_loc, arena_printf(A(s), "%u", grp), gl);
			b = (size_t)(colon - v->s) + 1;
		}
		size_t dash = b + strcspn(v->s + b, "-,");
		alg(s, p, v, b, dash - b, false);
		if (dash < i + n)
			alg(s, p, v, dash + 1, i + n - dash - 1, true);
		i += n + (v->s[i + n] == ',');
	}
}

/* protocol=any|tcp|udp|icmpv4|N and port2=N[-M] (the remote side's port)
 * of a connection security rule: the end's `protocol`; port1= narrows the
 * local side, which a .tun end cannot say (a note). */
static void af_protocol(struct ns *s, const struct netsh_cmd *c, struct imp_end *e)
{
	static const struct { const char *win, *tun; } protos[] = {
		{"tcp", "tcp"}, {"udp", "udp"}, {"icmpv4", "icmp"},
	};
	const struct imp_text *p = netsh_opt(c, "protocol"), *p1 = netsh_opt(c, "port1"),
			      *p2 = netsh_opt(c, "port2");
	if (!p || strcasecmp(p->s, "any") == 0)
		return;
	for (size_t k = 0; k < sizeof(protos) / sizeof(protos[0]) && !e->proto.s; k++)
		if (strcasecmp(p->s, protos[k].win) == 0)
			e->proto = (struct imp_text){protos[k].tun, p->loc};
	if (!e->proto.s && !netsh_number(p->s, 255)) {
		diag_front(s->r->diags, "invalid-value", p->loc,
			   "protocol must be any, tcp, udp, icmpv4 or a number up to 255");
		return;
	}
	if (!e->proto.s)
		e->proto = *p;
	e->proto_stmt = p->loc;
	if (p1 && strcasecmp(p1->s, "any") != 0)
		imp_unmodelled(s->r, p1->loc, "port1= (a connection security rule on a local port)");
	if (p2 && strcasecmp(p2->s, "any") != 0)
		e->port = *p2;  /* N or LO-HI: the builder checks it */
}

/* qmsecmethods=esp:sha256-aes256+60min+100000kb,ah:sha1+60min */
static void af_rule(struct ns *s, const struct netsh_cmd *c)
{
	const struct imp_text *name = need(s, c, "name"), *mode = netsh_opt(c, "mode");
	if (!name)
		return;
	if (!mode || strcasecmp(mode->s, "tunnel") != 0) {
		imp_unmodelled(s->r, c->loc, "a connection security rule not in tunnel mode");
		return;
	}
	const struct imp_text *e1 = need(s, c, "endpoint1"), *e2 = need(s, c, "endpoint2"),
			      *lt = need(s, c, "localtunnelendpoint"), *rt = need(s, c, "remotetunnelendpoint");
	if (!e1 || !e2 || !lt || !rt)
		return;
	const char *nm = strncmp(name->s, "tunc-", 5) == 0 ? name->s + 5 : name->s;
	struct imp_end e = {.name = nm, .loc = c->loc, .pair = -1, .ike = s->ike,
			    .local_addr = *lt, .peer_addr = *rt, .local_loc = e1->loc, .remote_loc = e2->loc};
	const struct imp_text *ends[2] = {e1, e2};
	imp_text_vec *ts[2] = {&e.local_ts, &e.remote_ts};
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; ends[k]->s[i];) {
			size_t n = strcspn(ends[k]->s + i, ",");
			struct imp_text w = {arena_strndup(A(s), ends[k]->s + i, n),
					     {ends[k]->loc.file, ends[k]->loc.offset + (uint32_t)i, (uint32_t)(n ? n : 1)}};
			struct ip_addr a;
			if (strcasecmp(w.s, "any") == 0)
				w.s = "0.0.0.0/0";
			else if (!strchr(w.s, '/') && addr_parse(w.s, &a))
				w.s = arena_printf(A(s), "%s/%u", w.s, addr_max_len(&a));
			arena_vec_push(A(s), ts[k], w);
			i += n + (ends[k]->s[i + n] == ',');
		}
	af_protocol(s, c, &e);
	/* action=: "request in" accepts unsecured inbound communication (the
	 * 2000/2003 filter action's inpass=yes), as tunc's netsh target writes
	 * `accept-unsecured` (doc/emitters.md); "require in, request out" lets
	 * outbound traffic fall back to clear text, which the language cannot
	 * say (like soft=yes): a note. */
	const struct imp_text *act = netsh_opt(c, "action");
	if (act && strcasecmp(act->s, "requestinrequestout") == 0) {
		e.accept_unsecured = true;
		e.accept_unsecured_loc = act->loc;
	} else if (act && strcasecmp(act->s, "requireinrequireout") != 0)
		imp_unmodelled(s->r, act->loc, arena_printf(A(s), "action=%s", act->s));
	const struct imp_text *auth = netsh_opt(c, "auth1"), *psk = netsh_opt(c, "auth1psk");
	if (auth && strcasecmp(auth->s, "computerpsk") != 0)
		imp_unmodelled(s->r, auth->loc, "authentication other than a pre-shared key");
	if (psk)
		e.psk = *psk;
	e.ipsec = new_proposal(s, false, arena_printf(A(s), "%s-%s", DEV(s)->name.s, nm), c->loc);
	struct imp_proposal *p = &DEV(s)->proposals.v[e.ipsec];
	const struct imp_text *pfs = netsh_opt(c, "qmpfs"), *m = netsh_opt(c, "qmsecmethods");
	if (pfs && strcasecmp(pfs->s, "none") == 0)
		p->pfs = (struct imp_text){"none", pfs->loc};
	else if (pfs && strcasecmp(pfs->s, "mainmode") == 0 && s->ike >= 0 && DEV(s)->proposals.v[s->ike].group.n)
		p->pfs = (struct imp_text){DEV(s)->proposals.v[s->ike].group.v[0].text, pfs->loc};
	else if (pfs) {
		unsigned g = dh_group(pfs->s);
		if (!g)
			diag_front(s->r->diags, "invalid-value", pfs->loc, "unknown DH group '%s'", pfs->s);
		p->pfs = (struct imp_text){arena_printf(A(s), "%u", g), pfs->loc};
	}
	for (size_t i = 0; m && m->s[i];) {
		size_t n = strcspn(m->s + i, ",");
		size_t plus = strcspn(m->s + i, "+");
		size_t end = plus < n ? plus : n;
		const char *colon = memchr(m->s + i, ':', end);
		if (!colon) {
			diag_front(s->r->diags, "invalid-value", (struct tunc_loc){m->loc.file, m->loc.offset + (uint32_t)i, (uint32_t)(n ? n : 1)},
				   "expected a quick-mode method esp:INTEGRITY-ENCRYPTION or ah:INTEGRITY");
			break;
		}
		size_t b = (size_t)(colon - m->s) + 1;
		if (strncasecmp(m->s + i, "ah", 2) == 0) {
			p->protocol = (struct imp_text){"ah", m->loc};
			alg(s, p, m, b, i + end - b, true);
		} else {
			size_t dash = b + strcspn(m->s + b, "-+,");
			char *first = arena_strndup(A(s), m->s + b, dash - b);
			if (strstr(first, "gcm")) {
				alg(s, p, m, b, dash - b, false);
			} else {
				alg(s, p, m, b, dash - b, true);
				if (dash < i + end)
					alg(s, p, m, dash + 1, i + end - dash - 1, false);
			}
		}
		/* +60min+100000kb */
		for (size_t k = i + end; k < i + n && !p->lifetime_s;) {
			k++;
			size_t len = strcspn(m->s + k, "+,");
			if (len > 3 && strncasecmp(m->s + k + len - 3, "min", 3) == 0) {
				p->lifetime_s = seconds(m->s + k, 's');
				p->lifetime_loc = m->loc;
			}
			k += len;
		}
		i += n + (m->s[i + n] == ',');
	}
	arena_vec_push(A(s), &DEV(s)->ends, e);
}

/* `route -p add NET mask MASK GATEWAY [metric N] [IF N]`. */
static void route(struct ns *s, const struct netsh_cmd *c, size_t at)
{
	if (!netsh_word(c, at + 1, "-p") || !netsh_word(c, at + 2, "add"))
		return;
	if (c->n < at + 7 || !netsh_word(c, at + 4, "mask")) {
		diag_front(s->r->diags, "syntax", c->loc, "incomplete statement: route -p add NET mask MASK GATEWAY");
		return;
	}
	const struct imp_text *net = &c->a[at + 3].val, *mask = &c->a[at + 5].val, *gw = &c->a[at + 6].val;
	int len = imp_mask_len(mask->s, false);
	if (len < 0) {
		diag_front(s->r->diags, "invalid-value", mask->loc, "'%s' is not a netmask", mask->s);
		return;
	}
	struct imp_route r = {.dst = {imp_prefix(A(s), net->s, len), net->loc}, .via = *gw,
			      .loc = c->loc};
	/* [metric N] [IF N]: the interface by its index, which the script
	 * does not tie to a name. */
	for (size_t i = at + 7; i + 1 < c->n; i += 2)
		if (netsh_word(c, i, "metric"))
			r.metric = c->a[i + 1].val;
		else if (netsh_word(c, i, "if"))
			imp_unmodelled(s->r, c->a[i].val.loc, "route -p add ... IF N (an interface by its index)");
	arena_vec_push(A(s), &DEV(s)->routes, r);
}

/* tunc's comment line `REM   tunc-iface "NAME" PREFIX [outside]` (what the
 * script expects, emit_netsh.c): an interface with its address, as `netsh
 * interface ip set address` gives one, so an interface that only a route
 * leaves by keeps its address.  Without an address ("-") it says nothing. */
static void described_iface(struct ns *s, const struct netsh_cmd *c)
{
	if (c->n < 4 || c->a[2].key.s || c->a[3].key.s || strcmp(c->a[3].val.s, "-") == 0)
		return;
	struct ip_prefix p;
	if (!prefix_parse(c->a[3].val.s, &p)) {
		diag_front(s->r->diags, "invalid-value", c->a[3].val.loc,
			   "'%s' is not an address and prefix length", c->a[3].val.s);
		return;
	}
	for (size_t i = 0; i < s->rras.addrs.n; i++)
		if (strcasecmp(s->rras.addrs.v[i].name.s, c->a[2].val.s) == 0)
			return;         /* addressed already */
	struct netsh_addr a = {.name = c->a[2].val, .address = c->a[3].val,
			       .outside = c->n > 4 && netsh_word(c, 4, "outside")};
	arena_vec_push(A(s), &s->rras.addrs, a);
}

static void line(struct ns *s, const char *t, size_t off, size_t len)
{
	struct netsh_cmd c;
	if (!split(s, t, off, len, &c) || c.n == 0)
		return;
	size_t at = 0;
	/* `if errorlevel 1 route -p add ...` (tunc's idempotent routes) */
	if (netsh_word(&c, 0, "if") && netsh_word(&c, 1, "errorlevel") && c.n > 3)
		at = 3;
	if (netsh_word(&c, at, "route")) {
		route(s, &c, at);
		return;
	}
	if (netsh_word(&c, 0, "REM") && netsh_word(&c, 1, "tunc-iface")) {
		described_iface(s, &c);
		return;
	}
	if (!netsh_word(&c, 0, "netsh"))
		return;         /* REM, echo, reg, labels: nothing that bears on IPsec */
	if (netsh_word(&c, 1, "ipsec") && netsh_word(&c, 2, "static"))
		legacy(s, &c);
	else if (netsh_word(&c, 1, "ipsec"))
		imp_unmodelled(s->r, c.loc, "netsh ipsec other than static policy");
	else if (netsh_word(&c, 1, "advfirewall") && netsh_word(&c, 2, "set") && netsh_word(&c, 3, "global") &&
		 netsh_word(&c, 4, "mainmode")) {
		s->advfirewall = true;
		af_mainmode(s, &c);
	} else if (netsh_word(&c, 1, "advfirewall") && netsh_word(&c, 2, "consec") && netsh_word(&c, 3, "add")) {
		s->advfirewall = true;
		af_rule(s, &c);
	} else if (netsh_word(&c, 1, "routing") && netsh_word(&c, 2, "ip"))
		netsh_rras_cmd(s->r, &s->rras, &c);
	else if (netsh_word(&c, 1, "interface") && (netsh_word(&c, 2, "ip") || netsh_word(&c, 2, "ipv4")))
		netsh_iface_cmd(s->r, &s->rras, &c);
}

/* tunc's header, "REM Gateway NAME (ISA Server 2004, site S)" or
 * "(Windows Server 2003, ...)": the platform and version it names, which
 * the script's commands cannot tell apart (ISA runs the 2003 commands). */
static bool header(struct ns *s)
{
	static const struct { const char *says, *platform; enum platform_id id; } kinds[] = {
		{" (ISA Server ", "isa", PLAT_ISA}, {" (Windows Server ", "windows", PLAT_WINDOWS},
		{" (Windows ", "windows", PLAT_WINDOWS},
	};
	struct imp_read *r = s->r;
	const char *t = r->src->text;
	size_t size = r->src->size < 4096 ? r->src->size : 4096;
	const char *g = NULL;
	for (size_t i = 0; i + 12 <= size && !g; i++)
		if ((i == 0 || t[i - 1] == '\n') && strncasecmp(t + i, "REM Gateway ", 12) == 0)
			g = t + i;
	if (!g)
		return false;
	const char *n = g + 12, *end = t + size, *ne = n;
	while (ne < end && *ne != ' ' && *ne != '\r' && *ne != '\n')
		ne++;
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		size_t kl = strlen(kinds[k].says);
		if (ne == n || (size_t)(end - ne) < kl + 4 || strncmp(ne, kinds[k].says, kl) != 0)
			continue;
		const char *v = ne + kl;
		if (strspn(v, "0123456789") < 4)
			return false;
		r->dev->platform = kinds[k].platform;
		r->dev->name = imp_word(r, n, (size_t)(ne - n), (size_t)(n - t));
		r->dev->version = imp_word(r, v, 4, (size_t)(v - t));
		const struct platform_info *p = platform_find(kinds[k].id, r->dev->version.s);
		s->implicit_own_address = p && p->implicit_own_address;
		return true;
	}
	return false;
}

void netsh_read(struct imp_read *r)
{
	struct ns s = {.r = r, .ike = -1};
	r->dev->platform = "windows";
	r->dev->name = (struct imp_text){imp_name_from_path(r->arena, r->src->path), imp_loc(r, 0, 1)};
	bool from_header = header(&s);
	const char *t = r->src->text;
	size_t pos = 0, size = r->src->size;
	while (pos < size) {
		size_t end = pos;
		while (end < size && t[end] != '\n')
			end++;
		line(&s, t + pos, pos, end - pos);
		pos = end + 1;
	}
	legacy_ends(&s);
	netsh_rras_interfaces(r, &s.rras);
	if (!from_header)
		r->dev->version = (struct imp_text){s.advfirewall ? "2008" : "2003", r->dev->name.loc};
	r->dev->ifaces_from_ends = true;
}
