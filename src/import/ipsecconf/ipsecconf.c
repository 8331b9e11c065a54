/* ipsec.conf reader: strongSwan (starter), Libreswan and Openswan.
 *
 * `config setup` and `ca` sections are skipped; each `conn` (with
 * `%default` and `also=` resolved) naming both ends by address is one
 * tunnel end of this host.  The side that is this host's: the one whose
 * leftid/rightid is the host's name (`@west` in west.ipsec.conf), else left
 * by convention, which src/import/orient.c turns round when another file
 * holds the same conn.  Keys come from the ipsec.secrets beside the file
 * and the secrets files given after it (secrets.c).  What each setting
 * becomes, and which get a note: doc/import.md. */
#include "config.h"
#include "import/ipsecconf/ipsecconf.h"
#include "import/proposal.h"
#include "import/lines.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ir/addr.h"

struct kv {
	const char *key;
	struct imp_text val;
	struct tunc_loc line;
};

struct conn {
	struct imp_text name;
	ARENA_VEC(struct kv) kv;
	bool template;                  /* named by another conn's also= */
};

struct ic {
	struct imp_read *r;
	ARENA_VEC(struct conn) conns;
	struct conn *cur;               /* the section being read; NULL: not a conn */
	bool in_section;
	bool libreswan;                 /* a setting only Libreswan / Openswan have */
	ipsec_secret_vec secrets;
	unsigned depth;
};

#define A(s) ((s)->r->arena)

/* Settings only Libreswan and Openswan know: their defaults apply (PFS on). */
static const char *const libreswan_keys[] = {
	"ikev2", "pfs", "phase2", "phase2alg", "aggrmode", "salifetime", "protostack",
	"plutodebug", "nat_traversal", "virtual_private", "virtual-private", "interfaces",
};
/* Settings that bear on the tunnel but that tunc does not model: a note. */
static const char *const noted_keys[] = {
	"dpddelay", "dpdtimeout", "dpdaction", "compress", "mobike", "forceencaps",
	"encapsulation", "leftprotoport", "rightprotoport", "leftsourceip", "rightsourceip",
	"reauth", "narrowing", "fragmentation", "leftsubnets", "rightsubnets", "leftvti",
	"mark", "mark_in", "mark_out", "vti-interface", "leftxauthserver", "rightxauthclient",
	"leftmodecfgserver", "rightmodecfgclient", "nat-ikev1-method", "sha2-truncbug",
	"sha2_truncbug",
};

static bool in_list(const char *const *list, size_t n, const char *k)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], k) == 0)
			return true;
	return false;
}
#define IN(list, k) in_list(list, sizeof(list) / sizeof(list[0]), k)

int ipsecconf_detect(const char *text, size_t size)
{
	int score = 0;
	const char *t = text, *end = text + size;
	while (t < end) {
		const char *nl = memchr(t, '\n', (size_t)(end - t));
		size_t len = (size_t)((nl ? nl : end) - t);
		if (len >= 6 && strncmp(t, "conn ", 5) == 0)
			score = score < 60 ? 60 : score;
		else if (len >= 12 && strncmp(t, "config setup", 12) == 0)
			score = score < 50 ? 50 : score;
		else if (score >= 50 && (t[0] == ' ' || t[0] == '\t')) {
			const char *w = t;
			while (w < t + len && (*w == ' ' || *w == '\t'))
				w++;
			if ((size_t)(t + len - w) > 5 && (strncmp(w, "left=", 5) == 0 ||
							  strncmp(w, "right=", 6) == 0))
				score = 90;
		}
		t += len + 1;
	}
	return score;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static void read_file(struct imp_read *r, uint32_t file, void *arg);

/* A line at column 0: a section, `include FILE` or `version N`. */
static void header(struct ic *s, uint32_t file, const char *t, size_t b, size_t e)
{
	struct imp_read *r = s->r;
	struct tunc_loc loc = {file, (uint32_t)b, (uint32_t)(e - b)};
	size_t w = b;
	while (w < e && !blank(t[w]))
		w++;
	size_t a = w;
	while (a < e && blank(t[a]))
		a++;
	struct imp_text arg = {arena_strndup(A(s), t + a, e - a),
			       {file, (uint32_t)a, (uint32_t)(e > a ? e - a : 1)}};
	s->cur = NULL;
	s->in_section = true;
	if (w - b == 4 && strncmp(t + b, "conn", 4) == 0) {
		if (a == e || strpbrk(arg.s, " \t")) {
			diag_front(r->diags, "syntax", a == e ? loc : arg.loc,
				   a == e ? "'conn' needs a name" : "a conn's name is one word");
			return;
		}
		struct conn c = {.name = arg};
		arena_vec_push(A(s), &s->conns, c);
		s->cur = &s->conns.v[s->conns.n - 1];
	} else if ((w - b == 6 && strncmp(t + b, "config", 6) == 0) ||
		   (w - b == 2 && strncmp(t + b, "ca", 2) == 0)) {
		/* config setup, ca NAME: nothing tunc models. */
	} else if (w - b == 7 && strncmp(t + b, "version", 7) == 0) {
		s->in_section = false;
	} else if (w - b == 7 && strncmp(t + b, "include", 7) == 0 && a < e) {
		s->in_section = false;
		if (s->depth >= IPSECCONF_MAX_INCLUDE) {
			diag_front(r->diags, "syntax", loc, "includes nest too deep");
			return;
		}
		if (!source_get(r->sources, file)->ino) {
			/* An in-memory configuration (tests, fuzzing) reads no disk. */
			imp_unmodelled(s->r, loc, "include (not followed from a configuration held in memory)");
			return;
		}
		s->depth++;
		ipsecconf_include(r, arg.s, arg.loc, read_file, s);
		s->depth--;
		s->cur = NULL;
		s->in_section = false;
	} else {
		diag_front(r->diags, "syntax", loc,
			   "expected 'config setup', 'conn NAME', 'ca NAME', 'include FILE' or "
			   "an indented 'KEY=VALUE'");
	}
}

/* An indented line: KEY=VALUE, the value perhaps quoted. */
static void setting(struct ic *s, uint32_t file, const char *t, size_t b, size_t e, size_t line_end)
{
	struct imp_read *r = s->r;
	struct tunc_loc loc = {file, (uint32_t)b, (uint32_t)(e - b)};
	if (!s->in_section) {
		diag_front(r->diags, "syntax", loc, "a setting outside any section");
		return;
	}
	const char *eq = memchr(t + b, '=', e - b);
	size_t ke = eq ? (size_t)(eq - t) : b;
	while (ke > b && blank(t[ke - 1]))
		ke--;
	if (!eq || ke == b) {
		diag_front(r->diags, "syntax", loc, "expected 'KEY=VALUE'");
		return;
	}
	size_t vb = (size_t)(eq - t) + 1, ve;
	while (vb < e && blank(t[vb]))
		vb++;
	if (vb < line_end && t[vb] == '"') {
		const char *close = memchr(t + vb + 1, '"', line_end - vb - 1);
		if (!close) {
			diag_front(r->diags, "syntax", (struct tunc_loc){file, (uint32_t)vb, 1},
				   "the quote is not closed on its line");
			return;
		}
		vb++;
		ve = (size_t)(close - t);
		loc.length = (uint32_t)(ve + 1 - b);
	} else {
		ve = e;
	}
	if (!s->cur)
		return;         /* config setup, ca */
	struct kv kv = {arena_strndup(A(s), t + b, ke - b),
			{arena_strndup(A(s), t + vb, ve - vb),
			 {file, (uint32_t)vb, (uint32_t)(ve > vb ? ve - vb : 1)}}, loc};
	if (IN(libreswan_keys, kv.key))
		s->libreswan = true;
	arena_vec_push(A(s), &s->cur->kv, kv);
}

static void read_file(struct imp_read *r, uint32_t file, void *arg)
{
	struct ic *s = arg;
	const struct source_file *f = source_get(r->sources, file);
	const char *t = f->text;
	if (file != r->file && memchr(t, '\0', f->size)) {
		diag_front(r->diags, "syntax", (struct tunc_loc){file, 0, 1},
			   "NUL byte in the file: is this a text configuration?");
		return;
	}
	size_t pos = 0, size = f->size;
	while (pos < size) {
		size_t end = pos;
		while (end < size && t[end] != '\n')
			end++;
		size_t line_end = end;
		while (line_end > pos && t[line_end - 1] == '\r')
			line_end--;
		/* A '#' outside quotes starts a comment. */
		size_t e = pos;
		bool q = false;
		while (e < line_end && (q || t[e] != '#')) {
			if (t[e] == '"')
				q = !q;
			e++;
		}
		while (e > pos && blank(t[e - 1]))
			e--;
		size_t b = pos;
		while (b < e && blank(t[b]))
			b++;
		if (b < e) {
			if (b == pos)
				header(s, file, t, b, e);
			else
				setting(s, file, t, b, e, line_end);
		}
		pos = end + 1;
	}
}

/* ---- conns: %default, also= ---- */

static struct conn *find_conn(struct ic *s, const char *name)
{
	for (size_t i = 0; i < s->conns.n; i++)
		if (strcmp(s->conns.v[i].name.s, name) == 0)
			return &s->conns.v[i];
	return NULL;
}

/* KEY as conn C sees it: its own setting (the last), then what its also=
 * conns say, in order. */
static const struct kv *own(struct ic *s, const struct conn *c, const char *key, unsigned depth)
{
	for (size_t i = c->kv.n; i-- > 0;)
		if (strcmp(c->kv.v[i].key, key) == 0)
			return &c->kv.v[i];
	if (depth > 16)
		return NULL;    /* an also= loop, reported by check_also */
	for (size_t i = 0; i < c->kv.n; i++)
		if (strcmp(c->kv.v[i].key, "also") == 0) {
			const struct conn *o = find_conn(s, c->kv.v[i].val.s);
			const struct kv *kv = o ? own(s, o, key, depth + 1) : NULL;
			if (kv)
				return kv;
		}
	return NULL;
}

/* ... then %default.  An empty value unsets. */
static const struct kv *get(struct ic *s, const struct conn *c, const char *key)
{
	const struct kv *kv = own(s, c, key, 0);
	const struct conn *d = find_conn(s, "%default");
	if (!kv && d)
		kv = own(s, d, key, 0);
	return kv && kv->val.s[0] ? kv : NULL;
}

static const struct kv *side_get(struct ic *s, const struct conn *c, const char *side,
				 const char *what)
{
	return get(s, c, arena_printf(A(s), "%s%s", side, what));
}

static bool loops(struct ic *s, const struct conn *c, unsigned depth)
{
	if (depth > 16)
		return true;
	for (size_t i = 0; i < c->kv.n; i++)
		if (strcmp(c->kv.v[i].key, "also") == 0) {
			const struct conn *o = find_conn(s, c->kv.v[i].val.s);
			if (o && loops(s, o, depth + 1))
				return true;
		}
	return false;
}

static bool check_also(struct ic *s)
{
	bool ok = true;
	for (size_t i = 0; i < s->conns.n; i++) {
		struct conn *c = &s->conns.v[i];
		for (size_t k = 0; k < c->kv.n; k++) {
			const struct kv *kv = &c->kv.v[k];
			if (strcmp(kv->key, "also") != 0)
				continue;
			struct conn *o = find_conn(s, kv->val.s);
			if (!o) {
				diag_front(s->r->diags, "undefined", kv->val.loc, "also=%s names no conn", kv->val.s);
				ok = false;
			} else {
				o->template = true;
			}
		}
		if (ok && loops(s, c, 0)) {
			diag_front(s->r->diags, "syntax", c->name.loc, "conn %s includes itself through also=",
				   c->name.s);
			ok = false;
		}
	}
	return ok;
}

/* ---- one conn -> one tunnel end ---- */

static bool is(const struct kv *kv, const char *v)
{
	return kv && strcmp(kv->val.s, v) == 0;
}

/* An identity names this host: "@west" or "west" in west.ipsec.conf. */
static bool id_is_host(const struct kv *id, const char *host)
{
	if (!id)
		return false;
	const char *v = id->val.s[0] == '@' ? id->val.s + 1 : id->val.s;
	return strcmp(v, host) == 0;
}

static void selectors(struct ic *s, imp_text_vec *out, const struct kv *subnet,
		      const struct imp_text *addr)
{
	struct ip_addr a;
	if (!subnet) {
		addr_parse(addr->s, &a);
		arena_vec_push(A(s), out, ((struct imp_text){
			arena_printf(A(s), "%s/%u", addr->s, addr_max_len(&a)), addr->loc}));
		return;
	}
	imp_ts_list(s->r, out, subnet->val);
}

static int new_proposal(struct ic *s, bool ike, const char *name, struct tunc_loc loc)
{
	struct imp_proposal p = {.ike = ike, .name = name, .loc = loc};
	arena_vec_push(A(s), &s->r->dev->proposals, p);
	return (int)s->r->dev->proposals.n - 1;
}

static void lifetime(struct ic *s, struct imp_proposal *p, const struct kv *kv)
{
	if (!kv)
		return;
	if (!imp_duration(kv->val.s, &p->lifetime_s)) {
		diag_front(s->r->diags, "invalid-value", kv->val.loc,
			   "'%s' is not a lifetime (such as 3600, 60m, 8h or 1d)", kv->val.s);
		return;
	}
	p->lifetime_loc = kv->line;
}

/* The IKE proposal: ike=, the version (keyexchange= or Libreswan's
 * ikev2=), ikelifetime=, aggressive mode. */
static int ike_proposal(struct ic *s, const struct conn *c)
{
	const char *host = s->r->dev->name.s;
	int idx = new_proposal(s, true, arena_printf(A(s), "%s-%s", host, c->name.s), c->name.loc);
	struct imp_proposal *p = &s->r->dev->proposals.v[idx];
	p->version = 2;         /* strongSwan keyexchange=ike, Libreswan 4's ikev2=yes */
	const struct kv *kx = get(s, c, "keyexchange"), *v2 = get(s, c, "ikev2");
	if (kx && (is(kx, "ikev1") || is(kx, "ikev2") || is(kx, "ike"))) {
		p->version = is(kx, "ikev1") ? 1 : 2;
		p->loc = kx->line;
	} else if (kx) {
		diag_front(s->r->diags, "invalid-value", kx->val.loc,
			   "keyexchange=%s (ikev1, ikev2 or ike)", kx->val.s);
	} else if (v2) {
		bool one = is(v2, "no") || is(v2, "never") || is(v2, "permit");
		if (!one && !is(v2, "yes") && !is(v2, "propose") && !is(v2, "insist"))
			diag_front(s->r->diags, "invalid-value", v2->val.loc,
				   "ikev2=%s (no, never, permit, propose, yes or insist)", v2->val.s);
		p->version = one ? 1 : 2;
		p->loc = v2->line;
	}
	const struct kv *ike = get(s, c, "ike");
	if (ike)
		imp_proposals(s->r, p, ike->val);
	lifetime(s, p, get(s, c, "ikelifetime"));
	const struct kv *aggr = get(s, c, "aggressive");
	if (!aggr)
		aggr = get(s, c, "aggrmode");
	if (is(aggr, "yes"))
		p->mode = (struct imp_text){"aggressive", aggr->line};
	return idx;
}

/* The IPsec proposal: esp= (phase2alg=), ah=, phase2=, the lifetime and
 * PFS: a DH group in esp= is the PFS group; else Libreswan's pfs=yes (its
 * default) takes the IKE group, and strongSwan has none (it ignores pfs=). */
static int ipsec_proposal(struct ic *s, const struct conn *c, const struct imp_proposal *ikep)
{
	const char *host = s->r->dev->name.s;
	int idx = new_proposal(s, false, arena_printf(A(s), "%s-%s", host, c->name.s), c->name.loc);
	struct imp_proposal *p = &s->r->dev->proposals.v[idx];
	const struct kv *esp = get(s, c, "esp"), *ah = get(s, c, "ah"), *ph2 = get(s, c, "phase2");
	if (!esp)
		esp = get(s, c, "phase2alg");
	if (ah && !esp) {
		p->protocol = (struct imp_text){"ah", ah->line};
		esp = ah;
	} else if (is(ph2, "ah")) {
		p->protocol = (struct imp_text){"ah", ph2->line};
	}
	if (esp)
		imp_proposals(s->r, p, esp->val);
	const struct kv *life = get(s, c, "lifetime");
	if (!life)
		life = get(s, c, "salifetime");
	if (!life)
		life = get(s, c, "keylife");
	lifetime(s, p, life);
	const struct kv *pfs = get(s, c, "pfs");
	if (p->pfs.s)
		return idx;
	if (!s->libreswan) {
		if (pfs)
			imp_unmodelled(s->r, pfs->line, "pfs= (strongSwan 5 ignores it: a DH group in esp= sets PFS)");
		return idx;
	}
	if (is(pfs, "no")) {
		p->pfs = (struct imp_text){"none", pfs->line};
	} else if (ikep->group.n) {
		p->pfs = (struct imp_text){ikep->group.v[0].text, pfs ? pfs->line : ikep->group_loc};
	}
	return idx;
}

/* KV names an end by its address; else a note says why the conn is left out. */
static bool usable_addr(struct ic *s, const struct kv *kv, const char *side)
{
	struct ip_addr a;
	if (!kv)
		return false;
	if (addr_parse(kv->val.s, &a))
		return true;
	if (kv->val.s[0] == '%')
		imp_unmodelled(s->r, kv->line, arena_printf(A(s), "%s=%s (an end not named by its address)",
					       side, kv->val.s));
	else
		imp_unmodelled(s->r, kv->line, arena_printf(A(s), "%s=%s (a host name: tunc needs the address)",
					       side, kv->val.s));
	return false;
}

static void conn_end(struct ic *s, const struct conn *c)
{
	struct imp_read *r = s->r;
	const struct kv *au = get(s, c, "auto");
	/* A conn named by also= is a template unless it starts on its own. */
	if (c->template && !(au && (is(au, "add") || is(au, "route") || is(au, "start") ||
				    is(au, "ondemand") || is(au, "up"))))
		return;
	if (is(au, "ignore")) {
		imp_unmodelled(s->r, au->line, "auto=ignore (the daemon does not load this conn)");
		return;
	}
	const struct kv *type = get(s, c, "type");
	if (type && !is(type, "tunnel")) {
		imp_unmodelled(s->r, type->line, arena_printf(A(s), "type=%s (tunc models tunnel mode)", type->val.s));
		return;
	}
	const struct kv *left = get(s, c, "left"), *right = get(s, c, "right");
	if (!left || !right) {
		imp_unmodelled(s->r, c->name.loc, "a conn without left= and right=");
		return;
	}
	/* `left=%defaultroute`: this host's side, at the address of its
	 * default route's interface, which the file does not say: the other
	 * end's file does (src/import/defaultroute.c). */
	bool ldef = is(left, "%defaultroute"), rdef = is(right, "%defaultroute");
	bool lok = ldef || usable_addr(s, left, "left"), rok = rdef || usable_addr(s, right, "right");
	if (!lok || !rok)
		return;
	if (ldef && rdef) {
		imp_unmodelled(s->r, right->line, "right=%defaultroute as well as left");
		return;
	}
	const struct kv *authby = get(s, c, "authby");
	if (authby && !is(authby, "secret") && !is(authby, "psk"))
		imp_unmodelled(s->r, authby->line, arena_printf(A(s), "authby=%s (tunc models pre-shared keys)",
						   authby->val.s));
	for (size_t i = 0; i < c->kv.n; i++)
		if (IN(noted_keys, c->kv.v[i].key))
			imp_unmodelled(s->r, c->kv.v[i].line, c->kv.v[i].key);
	const struct conn *d = find_conn(s, "%default");
	for (size_t i = 0; d && i < d->kv.n; i++)
		if (IN(noted_keys, d->kv.v[i].key) && get(s, c, d->kv.v[i].key) == &d->kv.v[i])
			imp_unmodelled(s->r, d->kv.v[i].line, d->kv.v[i].key);

	/* Which side is this host's (doc/import.md). */
	const char *host = r->dev->name.s;
	const struct kv *lid = get(s, c, "leftid"), *rid = get(s, c, "rightid");
	bool mine_right = rdef || (!ldef && id_is_host(rid, host) && !id_is_host(lid, host));
	const char *ls = mine_right ? "right" : "left", *rs = mine_right ? "left" : "right";
	const struct kv *la = mine_right ? right : left, *ra = mine_right ? left : right;

	struct imp_end e = {.name = c->name.s, .loc = c->name.loc, .pair = -1,
			    .side_guessed = !ldef && !rdef && !mine_right && !id_is_host(lid, host)};
	e.local_addr = la->val;
	e.peer_addr = ra->val;
	const struct kv *lsub = side_get(s, c, ls, "subnet"), *rsub = side_get(s, c, rs, "subnet");
	if (ldef || rdef) {
		e.local_addr = (struct imp_text){0};
		e.local_unknown = la->val.loc;
		if (!lsub) {
			imp_unmodelled(s->r, la->line, "a %defaultroute side without a subnet (its selector is "
			     "its address, which the file does not say)");
			return;
		}
	}
	selectors(s, &e.local_ts, lsub, &la->val);
	selectors(s, &e.remote_ts, rsub, &ra->val);
	e.local_loc = lsub ? lsub->line : la->line;
	e.remote_loc = rsub ? rsub->line : ra->line;
	e.ike = ike_proposal(s, c);
	e.ipsec = ipsec_proposal(s, c, &r->dev->proposals.v[e.ike]);

	/* The key: the PSK entry naming the peer (and this host), else one
	 * naming either, else a wildcard or default one (secrets.c). */
	const struct kv *lidv = side_get(s, c, ls, "id"), *ridv = side_get(s, c, rs, "id");
	const char *ids[2] = {ridv ? ridv->val.s : ra->val.s, lidv ? lidv->val.s : la->val.s};
	const char *addrs[2] = {ra->val.s, la->val.s};
	int best = -1, best_score = -1;
	for (size_t k = 0; k < s->secrets.n; k++) {
		const struct ipsec_secret *sec = &s->secrets.v[k];
		int score = 0;
		for (size_t j = 0; j < sec->ids.n; j++) {
			const char *id = sec->ids.v[j].s;
			struct ip_addr x, y;
			bool hit = false;
			for (int w = 0; w < 2 && !hit; w++) {
				hit = strcmp(id, ids[w]) == 0 ||
				      (addr_parse(id, &x) && addr_parse(addrs[w], &y) && addr_equal(&x, &y));
				if (hit)
					score |= w == 0 ? 4 : 2;
			}
			if (!hit && (strcmp(id, "%any") == 0 || strcmp(id, "%any6") == 0 ||
				     strcmp(id, "0.0.0.0") == 0 || strcmp(id, "::") == 0))
				score |= 1;
		}
		/* "A B : PSK" is the key between A and B; "A : PSK" A's with any peer. */
		if (sec->ids.n && (!score || (sec->ids.n > 1 && !(score & 5))))
			continue;
		if (score > best_score) {
			best = (int)k;
			best_score = score;
		}
	}
	if (best >= 0)
		e.psk = s->secrets.v[best].key;
	arena_vec_push(r->arena, &r->dev->ends, e);
}

static void add_secrets(struct imp_read *r, uint32_t file, void *arg)
{
	struct ic *s = arg;
	ipsecsecrets_read(r, file, &s->secrets, 0);
}

/* The secrets file beside CONFIG: NAME.secrets for NAME.conf, else
 * ipsec.secrets in the same directory. */
static void secrets_beside(struct ic *s)
{
	const char *path = s->r->src->path;
	size_t n = strlen(path);
	const char *cands[2] = {NULL, NULL};
	if (n > 5 && strcmp(path + n - 5, ".conf") == 0)
		cands[0] = arena_printf(A(s), "%.*s.secrets", (int)(n - 5), path);
	const char *slash = strrchr(path, '/');
	cands[1] = arena_printf(A(s), "%.*sipsec.secrets", slash ? (int)(slash - path + 1) : 0, path);
	for (int i = 0; i < 2; i++) {
		if (!cands[i] || (i == 1 && cands[0] && strcmp(cands[0], cands[1]) == 0))
			continue;
		if (access(cands[i], F_OK) != 0)
			continue;
		uint32_t file = source_load(s->r->sources, cands[i], LOC_NONE);
		if (file)
			ipsecsecrets_read(s->r, file, &s->secrets, 0);
		return;
	}
}

void ipsecconf_read(struct imp_read *r)
{
	struct ic s = {.r = r};
	r->dev->platform = "linux";
	r->dev->ifaces_from_ends = true;
	r->dev->name = (struct imp_text){imp_name_from_path(r->arena, r->src->path), imp_loc(r, 0, 1)};
	size_t before = r->diags->n;
	read_file(r, r->file, &s);
	if (r->src->ino)        /* a file on disk, not a buffer (tests, fuzzing) */
		secrets_beside(&s);
	for (size_t i = 0; i < r->n_secrets; i++) {
		uint32_t f = source_load(r->sources, r->secrets[i], LOC_NONE);
		if (!f)
			diag_front(r->diags, "io-error", LOC_NONE, "cannot read '%s': %s", r->secrets[i],
				   r->sources->error);
		else
			add_secrets(r, f, &s);
	}
	for (size_t i = before; i < r->diags->n; i++)
		if (r->diags->v[i].front_end)
			return;
	if (!check_also(&s))
		return;
	for (size_t i = 0; i < s.conns.n; i++)
		if (strcmp(s.conns.v[i].name.s, "%default") != 0)
			conn_end(&s, &s.conns.v[i]);
}
