/* Linux `ip xfrm` shell scripts: tunc's xfrm target and the hand-written
 * scripts of the same commands (ip-xfrm(8), ip-link(8), ip-route(8)).
 * Understands the interfaces and routes the script expects (tunc's
 * `tunc-iface` / `tunc-route` comment lines, or `ip addr add` / `ip route
 * add|replace`), xfrm interfaces (`ip link add NAME type xfrm ... if_id N`
 * and their address: a route-based end), `ip xfrm state add` and
 * `ip xfrm policy add|update ... dir out ... tmpl` (alone, or in an
 * `ip -batch -` here-document): each outbound policy's template is one end,
 * keyed by hand when the script holds the state of both directions, and
 * nft's `tcp option maxseg size set N` (tcp-mss) and NAT (`masquerade`,
 * `snat to`, an `accept` exemption).  The file is one host's, named after
 * the file up to the first dot; a host's swanctl.conf or ipsec.conf beside
 * it holds its IKE tunnels (src/import/merge.c).  Other `ip xfrm` and `nft`
 * statements get a note; the rest of the script is skipped (doc/import.md). */
#include "config.h"
#include "import/cisco.h"

#include <stdlib.h>
#include <string.h>

#include "ir/addr.h"

struct xlink {                          /* ip link add NAME type xfrm dev IF if_id N */
	struct imp_text name, if_id, address, mss;
};
struct xstate {
	struct imp_text src, dst, proto, spi, if_id;
	struct imp_text enc, enc_key, auth, auth_key, aead, aead_key;
	struct tunc_loc loc;
};
struct xgroup {                         /* the outbound policies of one template */
	struct imp_text src, dst, proto, if_id, name;
	imp_text_vec local, remote;
	struct tunc_loc loc;
};

struct xf {
	struct imp_read *r;
	ARENA_VEC(struct xlink) links;
	ARENA_VEC(struct xstate) states;
	ARENA_VEC(struct xgroup) groups;
	struct imp_text mss_all;        /* an MSS clamp on no xfrm interface */
	const char *heredoc;            /* the end marker of the here-document we are in */
	bool nft;                       /* ... and it feeds nft */
	struct tunc_loc heredoc_loc;    /* the command that opened it */
	struct imp_text tunnel_name;    /* tunc's `# tunnel NAME (` comment before an end */
};

#define A(s) ((s)->r->arena)
#define DEV(s) ((s)->r->dev)

int xfrm_detect(const char *text, size_t size)
{
	(void)size;
	if (strstr(text, "tunc-iface ") || strstr(text, "xfrm state ") ||
	    strstr(text, "xfrm policy ") || strstr(text, "type xfrm"))
		return strncmp(text, "#!", 2) == 0 ? 85 : 60;
	return 0;
}

/* Word I without the quotes a shell would take off. */
static struct imp_text word(struct xf *s, const struct imp_line *l, size_t i)
{
	struct imp_text w = imp_lw(s->r, l, i);
	size_t n = w.s ? strlen(w.s) : 0;
	if (n >= 2 && (w.s[0] == '\'' || w.s[0] == '"') && w.s[n - 1] == w.s[0])
		w.s = arena_printf(A(s), "%.*s", (int)n - 2, w.s + 1);
	return w;
}

/* The word after KEY in L from word FROM on, or absent. */
static struct imp_text after(struct xf *s, const struct imp_line *l, size_t from, const char *key)
{
	for (size_t i = from; i + 1 < l->n; i++)
		if (imp_is(l, i, key))
			return word(s, l, i + 1);
	return (struct imp_text){0};
}

static struct imp_iface *iface(struct xf *s, struct imp_text name)
{
	for (size_t i = 0; i < DEV(s)->ifaces.n; i++)
		if (strcmp(DEV(s)->ifaces.v[i].name.s, name.s) == 0)
			return &DEV(s)->ifaces.v[i];
	struct imp_iface f = {.name = name};
	arena_vec_push(A(s), &DEV(s)->ifaces, f);
	return &DEV(s)->ifaces.v[DEV(s)->ifaces.n - 1];
}

static struct xlink *link_named(struct xf *s, const char *name)
{
	for (size_t i = 0; name && i < s->links.n; i++)
		if (strcmp(s->links.v[i].name.s, name) == 0)
			return &s->links.v[i];
	return NULL;
}

/* A prefix word, checked: "ADDR/LEN" or "default". */
static bool prefix_word(struct xf *s, struct imp_text *w)
{
	struct ip_prefix p;
	if (w->s && strcmp(w->s, "default") == 0)
		w->s = "0.0.0.0/0";
	if (w->s && prefix_parse(w->s, &p))
		return true;
	diag_front(s->r->diags, "invalid-value", w->s ? w->loc : LOC_NONE,
		   "'%s' is not an address prefix", w->s ? w->s : "");
	return false;
}

/* `DST via GW [dev IF] [src A]` from word I: a route, unless it is tunc's
 * route of a tunnel's traffic (with `src`: the gateway's own traffic
 * leaves with its inside address) or into an xfrm interface (implied by
 * the route-based tunnel). */
static void route(struct xf *s, const struct imp_line *l, size_t i)
{
	struct imp_text dst = word(s, l, i), via = after(s, l, i, "via");
	struct imp_text dev = after(s, l, i, "dev");
	if (imp_incomplete(s->r, l, i + 1, "route DESTINATION via GATEWAY") || !prefix_word(s, &dst))
		return;
	if (link_named(s, dev.s) || after(s, l, i, "src").s)
		return;
	struct ip_addr a;
	if (!via.s || !addr_parse(via.s, &a)) {
		imp_unmodelled(s->r, imp_lloc(s->r, l), "a route without a next-hop address");
		return;
	}
	struct imp_route rt = {.dst = dst, .via = via, .loc = imp_lloc(s->r, l)};
	arena_vec_push(A(s), &DEV(s)->routes, rt);
}

/* The keys of an `xfrm state` command (ALG KEY after enc, auth,
 * auth-trunc, aead; a key where the algorithm belongs too), from word I:
 * never shown, in any finding, so marked before anything is said of it. */
static void mark_keys(struct xf *s, const struct imp_line *l, size_t i)
{
	for (size_t k = i; k + 1 < l->n; k++)
		if (imp_is(l, k, "enc") || imp_is(l, k, "auth") || imp_is(l, k, "auth-trunc") ||
		    imp_is(l, k, "aead")) {
			bool bare = l->w[k + 1].len > 2 && strncmp(l->w[k + 1].s, "0x", 2) == 0;
			imp_secret_words(s->r, l, bare ? k + 1 : k + 2, 1);
		}
}

/* `xfrm state add ...` from word I. */
static void state(struct xf *s, const struct imp_line *l, size_t i)
{
	struct xstate st = {.src = after(s, l, i, "src"), .dst = after(s, l, i, "dst"),
			    .proto = after(s, l, i, "proto"), .spi = after(s, l, i, "spi"),
			    .if_id = after(s, l, i, "if_id"), .loc = imp_lloc(s->r, l)};
	if (!st.src.s || !st.dst.s || !st.proto.s || !st.spi.s) {
		diag_front(s->r->diags, "syntax", imp_lloc(s->r, l), "incomplete statement: "
			   "expected 'xfrm state add src A dst B proto esp|ah spi SPI ...'");
		return;
	}
	struct imp_text mode = after(s, l, i, "mode");
	if (mode.s && strcmp(mode.s, "tunnel") != 0) {
		imp_unmodelled(s->r, mode.loc, "a state in another mode than tunnel");
		return;
	}
	for (size_t k = i; k + 2 < l->n; k++) {
		if (imp_is(l, k, "enc")) {
			st.enc = word(s, l, k + 1);
			st.enc_key = word(s, l, k + 2);
		} else if (imp_is(l, k, "auth") || imp_is(l, k, "auth-trunc")) {
			st.auth = word(s, l, k + 1);
			st.auth_key = word(s, l, k + 2);
		} else if (imp_is(l, k, "aead")) {
			st.aead = word(s, l, k + 1);
			st.aead_key = word(s, l, k + 2);
		}
	}
	arena_vec_push(A(s), &s->states, st);
}

/* `xfrm policy add|update src S dst D ... dir out ... tmpl src A dst B ...`:
 * the outbound policies give an end's selectors; `in` and `fwd` mirror them. */
static void policy(struct xf *s, const struct imp_line *l, size_t i)
{
	size_t t = i;
	while (t < l->n && !imp_is(l, t, "tmpl"))
		t++;
	struct imp_text dir = after(s, l, i, "dir");
	if (!dir.s || t >= l->n) {
		diag_front(s->r->diags, "syntax", imp_lloc(s->r, l), "incomplete statement: expected "
			   "'xfrm policy add src S dst D dir in|out|fwd tmpl src A dst B proto esp ...'");
		return;
	}
	if (strcmp(dir.s, "out") != 0)
		return;
	struct imp_text sel_src = word(s, l, i + 1), sel_dst = after(s, l, i + 1, "dst");
	if (!imp_is(l, i, "src") || !sel_dst.s) {
		diag_front(s->r->diags, "syntax", imp_lloc(s->r, l),
			   "an outbound policy names its selector: 'src S dst D'");
		return;
	}
	if (!prefix_word(s, &sel_src) || !prefix_word(s, &sel_dst))
		return;
	for (size_t k = i; k < t; k++)
		if (imp_is(l, k, "proto") || imp_is(l, k, "sport") || imp_is(l, k, "dport")) {
			imp_unmodelled(s->r, imp_lspan(s->r, l, k, k), "a policy for one protocol or port");
			return;
		}
	struct xgroup g = {.src = after(s, l, t, "src"), .dst = after(s, l, t, "dst"),
			   .proto = after(s, l, t, "proto"), .if_id = after(s, l, i, "if_id"),
			   .name = s->tunnel_name, .loc = imp_lloc(s->r, l)};
	struct imp_text mode = after(s, l, t, "mode");
	if (!g.src.s || !g.dst.s) {
		imp_unmodelled(s->r, imp_lloc(s->r, l), "a policy whose template names no "
			       "tunnel endpoints (transport mode)");
		return;
	}
	if (mode.s && strcmp(mode.s, "tunnel") != 0) {
		imp_unmodelled(s->r, mode.loc, "a policy in another mode than tunnel");
		return;
	}
	struct xgroup *into = NULL;
	for (size_t k = 0; k < s->groups.n && !into; k++)
		if (strcmp(s->groups.v[k].src.s, g.src.s) == 0 &&
		    strcmp(s->groups.v[k].dst.s, g.dst.s) == 0 &&
		    !!s->groups.v[k].if_id.s == !!g.if_id.s &&
		    (!g.if_id.s || strcmp(s->groups.v[k].if_id.s, g.if_id.s) == 0))
			into = &s->groups.v[k];
	if (!into) {
		arena_vec_push(A(s), &s->groups, g);
		into = &s->groups.v[s->groups.n - 1];
	}
	arena_vec_push(A(s), &into->local, sel_src);
	arena_vec_push(A(s), &into->remote, sel_dst);
}

/* A line of an `nft -f -` here-document: NAT and the MSS clamp. */
static void nft_line(struct xf *s, const struct imp_line *l)
{
	struct imp_text saddr = after(s, l, 0, "saddr"), daddr = after(s, l, 0, "daddr");
	struct imp_nat n = {.loc = imp_lloc(s->r, l)};
	for (size_t i = 0; i + 1 < l->n; i++)
		if (imp_is(l, i, "set") && i >= 2 && imp_is(l, i - 1, "size") &&
		    imp_is(l, i - 2, "maxseg")) {
			struct imp_text mss = word(s, l, i + 1);
			mss.loc = imp_lloc(s->r, l);
			struct imp_text oif = after(s, l, 0, "oifname"), iif = after(s, l, 0, "iifname");
			struct xlink *k = link_named(s, oif.s ? oif.s : iif.s);
			if (k)
				k->mss = mss;
			else
				s->mss_all = mss;
			return;
		}
	if (imp_is(l, l->n - 1, "masquerade") && saddr.s) {
		n.kind = NAT_OVERLOAD;
		n.src = saddr;
		n.iface = after(s, l, 0, "oifname");
		if (!n.iface.s) {
			imp_unmodelled(s->r, n.loc, "masquerade out of every interface");
			return;
		}
	} else if (l->n >= 2 && imp_is(l, l->n - 2, "to") && imp_is(l, l->n - 3, "snat") &&
		   saddr.s) {
		n.kind = NAT_STATIC;
		n.src = saddr;
		n.dst = word(s, l, l->n - 1);
	} else if (saddr.s && daddr.s && (imp_is(l, l->n - 1, "accept") || after(s, l, 0, "comment").s)) {
		n.kind = NAT_EXEMPT;
		n.src = saddr;
		n.dst = daddr;
	} else {
		if (saddr.s || daddr.s || after(s, l, 0, "dnat").s)
			imp_unmodelled(s->r, n.loc, "this nft rule");
		return;
	}
	if (n.kind != NAT_STATIC && !strchr(n.src.s, '/'))
		n.src.s = imp_prefix(A(s), n.src.s, strchr(n.src.s, ':') ? 128 : 32);
	if (n.kind == NAT_EXEMPT && !strchr(n.dst.s, '/'))
		n.dst.s = imp_prefix(A(s), n.dst.s, strchr(n.dst.s, ':') ? 128 : 32);
	arena_vec_push(A(s), &DEV(s)->nat, n);
}

static void command(struct xf *s, const struct imp_line *l)
{
	size_t i = imp_is(l, 0, "ip") ? 1 : 0;
	if (imp_is(l, i, "-batch") || (imp_is(l, 0, "nft") && imp_is(l, 1, "-f"))) {
		/* ... <<'MARK': the here-document's lines up to MARK. */
		for (size_t k = 0; k < l->n; k++)
			if (strncmp(l->w[k].s, "<<", 2) == 0) {
				struct imp_text m = imp_lw(s->r, l, k);
				const char *mark = m.s + 2;
				if (!*mark && k + 1 < l->n)
					mark = imp_lw(s->r, l, k + 1).s;
				size_t n = strlen(mark);
				if (n >= 2 && (mark[0] == '\'' || mark[0] == '"'))
					mark = arena_printf(A(s), "%.*s", (int)n - 2, mark + 1);
				s->heredoc = mark;
				s->heredoc_loc = imp_lloc(s->r, l);
				s->nft = imp_is(l, 0, "nft");
			}
		return;
	}
	if (imp_is(l, i, "xfrm") && imp_is(l, i + 1, "state")) {
		mark_keys(s, l, i + 2);
		if (imp_is(l, i + 2, "add") || imp_is(l, i + 2, "update"))
			state(s, l, i + 3);
		else if (!imp_is(l, i + 2, "delete") && !imp_is(l, i + 2, "flush"))
			imp_unmodelled(s->r, imp_lloc(s->r, l), "this xfrm state command");
	} else if (imp_is(l, i, "xfrm") && imp_is(l, i + 1, "policy")) {
		if (imp_is(l, i + 2, "add") || imp_is(l, i + 2, "update"))
			policy(s, l, i + 3);
		else if (!imp_is(l, i + 2, "delete") && !imp_is(l, i + 2, "flush"))
			imp_unmodelled(s->r, imp_lloc(s->r, l), "this xfrm policy command");
	} else if (i == 1 && imp_is(l, 1, "link") && imp_is(l, 2, "add") && imp_is(l, 4, "type") &&
		   imp_is(l, 5, "xfrm")) {
		struct xlink k = {.name = imp_lw(s->r, l, 3), .if_id = after(s, l, 5, "if_id")};
		if (!k.if_id.s) {
			diag_front(s->r->diags, "syntax", imp_lloc(s->r, l),
				   "incomplete statement: expected 'ip link add NAME type xfrm dev IF if_id N'");
			return;
		}
		arena_vec_push(A(s), &s->links, k);
	} else if (i == 1 && (imp_is(l, 1, "addr") || imp_is(l, 1, "address")) && imp_is(l, 2, "add")) {
		struct imp_text a = word(s, l, 3), dev = after(s, l, 3, "dev");
		if (imp_incomplete(s->r, l, 6, "ip addr add PREFIX dev IF") || !dev.s ||
		    !prefix_word(s, &a))
			return;
		struct xlink *k = link_named(s, dev.s);
		if (k)
			k->address = a;
		else if (!iface(s, dev)->address.s)
			iface(s, dev)->address = a;
	} else if (i == 1 && imp_is(l, 1, "route") &&
		   (imp_is(l, 2, "add") || imp_is(l, 2, "replace"))) {
		route(s, l, 3);
	}
}

/* tunc's comment lines: `# tunc-iface NAME PREFIX [outside]`, `# tunc-route
 * DST via GW dev IF`, `# tunnel NAME (...)`. */
static void comment(struct xf *s, const struct imp_line *l)
{
	if (imp_is(l, 1, "tunc-iface") && !imp_incomplete(s->r, l, 4, "# tunc-iface NAME PREFIX")) {
		struct imp_text a = word(s, l, 3);
		if (!prefix_word(s, &a))
			return;
		struct imp_iface *f = iface(s, imp_lw(s->r, l, 2));
		f->address = a;
		f->outside = imp_is(l, 4, "outside");
	} else if (imp_is(l, 1, "tunc-route")) {
		route(s, l, 2);
	} else if (imp_is(l, 1, "tunnel") && l->n > 3 && l->w[3].s[0] == '(') {
		s->tunnel_name = imp_lw(s->r, l, 2);
	}
}

/* Kernel algorithm names -> .tun names; AES and GCM sizes from the key. */
/* The kernel's names and the short ones it also takes (xfrm_algo.c's
 * compat names: `enc aes`, `auth sha256`). */
static const struct imp_alg enc_algs[] = {
	{"cbc(des3_ede)", "3des"}, {"des3_ede", "3des"}, {"cbc(des)", "des"}, {"des", "des"},
	{"ecb(cipher_null)", "null"}, {"cipher_null", "null"}, {"cbc(aes)", "aes"},
	{"aes", "aes"}, {"rfc4106(gcm(aes))", "gcm"}, {NULL, NULL}};
static const struct imp_alg auth_algs[] = {
	{"hmac(md5)", "md5"}, {"md5", "md5"}, {"hmac(sha1)", "sha1"}, {"sha1", "sha1"},
	{"hmac(sha256)", "sha256"}, {"sha256", "sha256"}, {"hmac(sha384)", "sha384"},
	{"sha384", "sha384"}, {"hmac(sha512)", "sha512"}, {"sha512", "sha512"},
	{"digest_null", "none"}, {NULL, NULL}};

/* The key's bits: "0x" and 2 hex digits a byte. */
static size_t key_bits(const char *k)
{
	return k && strncmp(k, "0x", 2) == 0 ? (strlen(k) - 2) * 4 : 0;
}

/* ST's algorithms as an IPsec proposal of the device; -1 after an error. */
static int sa_proposal(struct xf *s, const struct xstate *st, const char *name)
{
	struct imp_proposal p = {.name = name, .loc = st->loc, .protocol = st->proto,
				 .pfs = {"none", st->loc}};
	struct imp_text e = st->aead.s ? st->aead : st->enc;
	const char *a = e.s ? imp_alg_find(enc_algs, e.s) : NULL;
	if (e.s && !a) {
		imp_unknown_alg(s->r, e);
		return -1;
	}
	if (a && strcmp(a, "aes") == 0)
		a = arena_printf(A(s), "aes%zu", key_bits(st->enc_key.s));
	else if (a && strcmp(a, "gcm") == 0)   /* the key ends in 32 bits of salt */
		a = arena_printf(A(s), "aes%zu-gcm", key_bits(st->aead_key.s) - 32);
	if (a)
		imp_add_word(A(s), &p.enc, &p.enc_loc, a, e.loc);
	const char *h = st->aead.s ? "none" : st->auth.s ? imp_alg_find(auth_algs, st->auth.s) : NULL;
	if (st->auth.s && !h) {
		imp_unknown_alg(s->r, st->auth);
		return -1;
	}
	if (h)
		imp_add_word(A(s), &p.integ, &p.integ_loc, h, st->aead.s ? e.loc : st->auth.loc);
	arena_vec_push(A(s), &DEV(s)->proposals, p);
	return (int)DEV(s)->proposals.n - 1;
}

static const struct xstate *find_state(const struct xf *s, const char *src, const char *dst,
				       const char *proto)
{
	struct ip_addr a, b, x, y;
	if (!addr_parse(src, &a) || !addr_parse(dst, &b))
		return NULL;
	for (size_t i = 0; i < s->states.n; i++) {
		const struct xstate *st = &s->states.v[i];
		if (addr_parse(st->src.s, &x) && addr_parse(st->dst.s, &y) && addr_equal(&a, &x) &&
		    addr_equal(&b, &y) && (!proto || strcmp(proto, st->proto.s) == 0))
			return st;
	}
	return NULL;
}

/* ST as one direction of a tunnel keyed by hand. */
static struct imp_manual_sa manual_sa(const struct xstate *st)
{
	return (struct imp_manual_sa){st->spi, st->aead.s ? st->aead_key : st->enc_key,
				      st->auth_key, st->loc};
}

static void group_to_end(struct xf *s, const struct xgroup *g)
{
	struct imp_end e = {.name = g->name.s ? g->name.s :
				     arena_printf(A(s), "xfrm-%s", g->dst.s),
			    .loc = g->loc, .local_addr = g->src, .peer_addr = g->dst,
			    .ike = -1, .ipsec = -1, .local_loc = g->loc, .remote_loc = g->loc};
	const struct xlink *k = NULL;
	for (size_t i = 0; g->if_id.s && i < s->links.n; i++)
		if (strcmp(s->links.v[i].if_id.s, g->if_id.s) == 0)
			k = &s->links.v[i];
	bool any = g->local.n == 1 && g->remote.n == 1 &&
		   (strcmp(g->local.v[0].s, "0.0.0.0/0") == 0 || strcmp(g->local.v[0].s, "::/0") == 0) &&
		   strcmp(g->local.v[0].s, g->remote.v[0].s) == 0;
	if (k && k->address.s) {
		struct ip_prefix p;
		char buf[ADDR_STRLEN + 8];
		prefix_parse(k->address.s, &p);
		p = prefix_network(&p);
		prefix_format(&p, buf, sizeof(buf), false);
		e.route_based = (struct imp_text){arena_strdup(A(s), buf), k->address.loc};
		e.tcp_mss = k->mss;
	} else {
		e.tcp_mss = s->mss_all;
	}
	if (!(e.route_based.s && any)) {
		e.local_ts = g->local;
		e.remote_ts = g->remote;
	}
	const struct xstate *out = find_state(s, g->src.s, g->dst.s, g->proto.s);
	const struct xstate *in = find_state(s, g->dst.s, g->src.s, g->proto.s);
	if (!out || !in) {
		/* No static SAs for both directions: an IKE daemon keys it. */
		imp_unmodelled(s->r, g->loc, "a policy whose SAs the script does not hold "
			       "(an IKE daemon's: give its swanctl.conf or ipsec.conf)");
		return;
	}
	e.keying = (struct imp_text){"manual", out->loc};
	e.ike = imp_unused_ike(A(s), DEV(s), e.name, 0, out->loc);
	e.ipsec = sa_proposal(s, out, arena_printf(A(s), "%s-%s", DEV(s)->name.s, e.name));
	if (e.ipsec < 0)
		return;
	struct imp_manual_sa o = manual_sa(out), i = manual_sa(in);
	imp_manual_end(&e, &o, &i);
	arena_vec_push(A(s), &DEV(s)->ends, e);
}

/* A line ending in a backslash goes on: the next line's words join L's. */
static void continued(const struct imp_read *r, size_t *pos, struct imp_line *l)
{
	struct imp_line next;
	while (l->n && l->w[l->n - 1].len == 1 && l->w[l->n - 1].s[0] == '\\' &&
	       imp_next_line(r, pos, &next)) {
		l->n--;
		for (size_t i = 0; i < next.n && l->n < IMP_MAX_WORDS; i++)
			l->w[l->n++] = next.w[i];
	}
}

void xfrm_read(struct imp_read *r)
{
	struct xf s = {.r = r};
	r->dev->platform = "linux";
	r->dev->generic_end_names = true;
	r->dev->name = (struct imp_text){imp_name_from_path(r->arena, r->src->path),
					 imp_loc(r, 0, 1)};
	struct imp_line l;
	size_t pos = 0;
	while (imp_next_line(r, &pos, &l)) {
		continued(r, &pos, &l);
		if (l.n == 0)
			continue;
		if (s.heredoc) {
			if (l.n == 1 && imp_is(&l, 0, s.heredoc))
				s.heredoc = NULL;
			else if (s.nft)
				nft_line(&s, &l);
			else if (l.w[0].s[0] != '#')
				command(&s, &l);
			continue;
		}
		if (l.w[0].s[0] == '#')
			comment(&s, &l);
		else
			command(&s, &l);
	}
	if (s.heredoc) {
		diag_front(r->diags, "syntax", s.heredoc_loc, "the here-document opened here is not "
			   "closed: no line '%s' before the end of the file", s.heredoc);
		return;
	}
	for (size_t i = 0; i < s.groups.n; i++)
		group_to_end(&s, &s.groups.v[i]);
	/* The interface an end leaves by is outside. */
	for (size_t i = 0; i < r->dev->ends.n; i++)
		for (size_t k = 0; k < r->dev->ifaces.n; k++) {
			struct ip_prefix p;
			struct ip_addr a;
			struct imp_iface *f = &r->dev->ifaces.v[k];
			if (f->address.s && prefix_parse(f->address.s, &p) &&
			    addr_parse(r->dev->ends.v[i].local_addr.s, &a) && addr_equal(&a, &p.addr))
				f->outside = true;
		}
}
