/* strongSwan swanctl.conf reader.  Understands connections (version,
 * local_addrs, remote_addrs, proposals), their children (local_ts,
 * remote_ts, esp_proposals, ah_proposals, life_time) and the secrets
 * section's ike secrets.  The file is one host: the side whose address is
 * its own is local_addrs.  Other settings bearing on IPsec get a note
 * (doc/import.md). */
#include "config.h"
#include "import/lines.h"
#include "import/proposal.h"

#include <stdlib.h>
#include <string.h>

#include "ir/addr.h"

#define MAX_DEPTH 8

struct conn {
	struct imp_text name;
	struct imp_text local, remote;
	int ike;
	size_t first_end;               /* this connection's children in dev->ends */
	unsigned long long rekey_s, over_s;     /* the IKE SA's rekey_time, over_time */
	struct tunc_loc rekey_loc;
	struct imp_text dpd;            /* dpd_delay: every child's dpd */
};
struct secret {
	imp_text_vec ids;
	struct imp_text secret;
};

struct sw {
	struct imp_read *r;
	struct imp_text stack[MAX_DEPTH];
	size_t depth;
	struct conn conn;
	struct imp_end *child;
	ARENA_VEC(struct secret) secrets;
};

#define A(s) ((s)->r->arena)
#define DEV(s) ((s)->r->dev)

int swanctl_detect(const char *text, size_t size)
{
	(void)size;
	const char *c = strstr(text, "connections");
	const char *s = strstr(text, "secrets");
	if ((c && strchr(c, '{')) || (s && strchr(s, '{')))
		return strstr(text, "remote_addrs") || strstr(text, "local_ts") ? 90 : 50;
	return 0;
}

static int new_proposal(struct sw *s, bool ike, const char *name, struct tunc_loc loc)
{
	struct imp_proposal p = {.ike = ike, .name = name, .loc = loc};
	arena_vec_push(A(s), &DEV(s)->proposals, p);
	return (int)DEV(s)->proposals.n - 1;
}

/* "a, b" -> the first entry, located. */
static struct imp_text first_of(struct sw *s, struct imp_text v)
{
	size_t n = strcspn(v.s, ", ");
	v.s = arena_strndup(A(s), v.s, n);
	v.loc.length = (uint32_t)(n ? n : 1);
	return v;
}

static bool in(const struct sw *s, size_t depth, const char *name)
{
	return s->depth >= depth + 1 && strcmp(s->stack[depth].s, name) == 0;
}

/* A swanctl.conf duration ("3600", "60m", "8h", "1d") in seconds. */
static unsigned long long seconds(const char *v)
{
	char *end;
	unsigned long long n = strtoull(v, &end, 10);
	return n * (*end == 'm' ? 60 : *end == 'h' ? 3600 : *end == 'd' ? 86400 : 1);
}

static void conn_key(struct sw *s, const char *k, struct imp_text v, struct tunc_loc line)
{
	if (strcmp(k, "rekey_time") == 0) {
		s->conn.rekey_s = seconds(v.s);
		s->conn.rekey_loc = line;
	} else if (strcmp(k, "over_time") == 0) {
		s->conn.over_s = seconds(v.s);
	} else if (strcmp(k, "dpd_delay") == 0) {
		unsigned long long d = seconds(v.s);
		s->conn.dpd = d ? (struct imp_text){arena_printf(A(s), "%llus", d), line}
				: (struct imp_text){0};
	} else if (strcmp(k, "local_addrs") == 0)
		s->conn.local = first_of(s, v);
	else if (strcmp(k, "remote_addrs") == 0)
		s->conn.remote = first_of(s, v);
	else if (strcmp(k, "version") == 0) {
		if (s->conn.ike < 0)
			s->conn.ike = new_proposal(s, true, arena_printf(A(s), "%s-%s", DEV(s)->name.s,
					       s->conn.name.s), line);
		DEV(s)->proposals.v[s->conn.ike].version = (unsigned)atoi(v.s);
	} else if (strcmp(k, "proposals") == 0) {
		if (s->conn.ike < 0)
			s->conn.ike = new_proposal(s, true, arena_printf(A(s), "%s-%s", DEV(s)->name.s,
					       s->conn.name.s), line);
		if (strcmp(v.s, "default") != 0)
			imp_proposals(s->r, &DEV(s)->proposals.v[s->conn.ike], v);
	} else if (strcmp(k, "aggressive") == 0 || strcmp(k, "encap") == 0 ||
		   strcmp(k, "mobike") == 0 || strcmp(k, "reauth_time") == 0) {
		imp_unmodelled(s->r, line, k);
	}
}

static void child_key(struct sw *s, const char *k, struct imp_text v, struct tunc_loc line)
{
	struct imp_end *e = s->child;
	if (strcmp(k, "local_ts") == 0) {
		imp_ts_list(s->r, &e->local_ts, v);
		e->local_loc = line;
	} else if (strcmp(k, "remote_ts") == 0) {
		imp_ts_list(s->r, &e->remote_ts, v);
		e->remote_loc = line;
	} else if (strcmp(k, "esp_proposals") == 0 || strcmp(k, "ah_proposals") == 0) {
		struct imp_proposal *p = &DEV(s)->proposals.v[e->ipsec];
		if (k[0] == 'a')
			p->protocol = (struct imp_text){"ah", line};
		if (strcmp(v.s, "default") != 0)
			imp_proposals(s->r, p, v);
	} else if (strcmp(k, "life_time") == 0) {
		struct imp_proposal *p = &DEV(s)->proposals.v[e->ipsec];
		p->lifetime_s = seconds(v.s);
		p->lifetime_loc = line;
	} else if (strcmp(k, "mode") == 0 && strcmp(v.s, "tunnel") != 0) {
		imp_unmodelled(s->r, line, "a mode other than tunnel");
	}
}

static void open_section(struct sw *s, struct imp_text name)
{
	if (s->depth == 2 && in(s, 0, "connections")) {
		s->conn = (struct conn){.name = name, .ike = -1, .first_end = DEV(s)->ends.n};
	} else if (s->depth == 4 && in(s, 0, "connections") && in(s, 2, "children")) {
		struct imp_end e = {.name = name.s, .loc = name.loc, .ike = -1, .pair = -1};
		e.ipsec = new_proposal(s, false, arena_printf(A(s), "%s-%s", DEV(s)->name.s, name.s),
				       name.loc);
		arena_vec_push(A(s), &DEV(s)->ends, e);
		s->child = &DEV(s)->ends.v[DEV(s)->ends.n - 1];
	} else if (s->depth == 2 && in(s, 0, "secrets")) {
		struct secret sec = {{0}, {0}};
		arena_vec_push(A(s), &s->secrets, sec);
	}
}

/* A connection's end: its children get its addresses and IKE proposal. */
static void close_conn(struct sw *s)
{
	for (size_t i = s->conn.first_end; i < DEV(s)->ends.n; i++) {
		struct imp_end *e = &DEV(s)->ends.v[i];
		e->local_addr = s->conn.local;
		e->peer_addr = s->conn.remote;
		e->ike = s->conn.ike;
		e->dpd = s->conn.dpd;
		if (!e->local_loc.file)
			e->local_loc = e->loc;
		if (!e->remote_loc.file)
			e->remote_loc = e->loc;
	}
	if (!s->conn.remote.s)
		imp_unmodelled(s->r, s->conn.name.loc, "a connection without remote_addrs");
	/* The IKE SA lives rekey_time + over_time (strongSwan's default
	 * over_time: 10% of rekey_time). */
	if (s->conn.rekey_s && s->conn.ike >= 0) {
		struct imp_proposal *p = &DEV(s)->proposals.v[s->conn.ike];
		p->lifetime_s = s->conn.rekey_s + (s->conn.over_s ? s->conn.over_s
								 : s->conn.rekey_s / 10);
		p->lifetime_loc = s->conn.rekey_loc;
	}
}

static void key(struct sw *s, const char *k, struct imp_text v, struct tunc_loc line)
{
	if (s->depth == 2 && in(s, 0, "connections"))
		conn_key(s, k, v, line);
	else if (s->depth == 4 && in(s, 0, "connections") && in(s, 2, "children"))
		child_key(s, k, v, line);
	else if (s->depth == 2 && in(s, 0, "secrets") && strncmp(s->stack[1].s, "ike", 3) == 0) {
		struct secret *sec = &s->secrets.v[s->secrets.n - 1];
		if (strncmp(k, "id", 2) == 0)
			arena_vec_push(A(s), &sec->ids, v);
		else if (strcmp(k, "secret") == 0)
			sec->secret = v;
	}
}

/* The key of each end: a secret naming its peer's address, else one that
 * names no identity at all. */
static void match_secrets(struct sw *s)
{
	for (size_t i = 0; i < DEV(s)->ends.n; i++) {
		struct imp_end *e = &DEV(s)->ends.v[i];
		struct ip_addr peer, id;
		bool peer_ok = e->peer_addr.s && addr_parse(e->peer_addr.s, &peer);
		for (size_t k = 0; k < s->secrets.n; k++) {
			const struct secret *sec = &s->secrets.v[k];
			bool match = sec->ids.n == 0;
			for (size_t j = 0; j < sec->ids.n && peer_ok; j++)
				match |= addr_parse(sec->ids.v[j].s, &id) && addr_equal(&id, &peer);
			if (match && sec->secret.s) {
				e->psk = sec->secret;
				if (sec->ids.n)
					break;
			}
		}
	}
}

/* T[B, LEN) is `secret = VALUE` (ike, eap, xauth, ppk, private key
 * passphrases): all after the '=' is secret, comment and all (inside the
 * quotes when quoted), before anything is said of the line. */
static void mark_secret(struct sw *s, const char *t, size_t off, size_t b, size_t len)
{
	if (len - b < 6 || strncmp(t + b, "secret", 6) != 0)
		return;
	size_t v = b + 6;
	while (v < len && (t[v] == ' ' || t[v] == '\t'))
		v++;
	if (v == b + 6 && v < len && t[v] != '=')
		return;                 /* secret_x: another key */
	while (v < len && (t[v] == ' ' || t[v] == '\t' || t[v] == '='))
		v++;
	while (len > v && (t[len - 1] == '\r'))
		len--;
	if (v < len && t[v] == '"') {
		/* "KEY": up to the line's last quote (the quotes stay visible). */
		v++;
		for (size_t c = len; c > v; c--)
			if (t[c - 1] == '"') {
				len = c - 1;
				break;
			}
	}
	if (len > v)
		imp_mark_secret(s->r, imp_loc(s->r, off + v, len - v));
}

/* One line: "NAME {", "}", "KEY = VALUE", blank or "# comment". */
static void line(struct sw *s, const char *t, size_t off, size_t len)
{
	struct imp_read *r = s->r;
	size_t b = 0;
	while (b < len && (t[b] == ' ' || t[b] == '\t'))
		b++;
	mark_secret(s, t, off, b, len);
	size_t e = len;
	/* A '#' outside quotes starts a comment. */
	bool q = false;
	for (size_t i = b; i < e; i++) {
		if (t[i] == '"')
			q = !q;
		else if (t[i] == '#' && !q) {
			e = i;
			break;
		}
	}
	while (e > b && (t[e - 1] == ' ' || t[e - 1] == '\t' || t[e - 1] == '\r'))
		e--;
	if (e == b)
		return;
	struct tunc_loc loc = imp_loc(r, off + b, e - b);
	if (t[e - 1] == '{') {
		size_t ne = e - 1;
		while (ne > b && (t[ne - 1] == ' ' || t[ne - 1] == '\t'))
			ne--;
		if (ne == b || s->depth == MAX_DEPTH || memchr(t + b, '=', ne - b)) {
			diag_front(r->diags, "syntax", loc, ne == b ? "a section needs a name before '{'" :
				   s->depth == MAX_DEPTH ? "sections nest too deep" :
				   "expected 'NAME {' or 'KEY = VALUE'");
			return;
		}
		s->stack[s->depth++] = imp_word(r, t + b, ne - b, off + b);
		open_section(s, s->stack[s->depth - 1]);
		return;
	}
	if (t[b] == '}' && e == b + 1) {
		if (s->depth == 0) {
			diag_front(r->diags, "syntax", loc, "'}' closes no section");
			return;
		}
		if (s->depth == 2 && in(s, 0, "connections"))
			close_conn(s);
		s->depth--;
		return;
	}
	const char *eq = memchr(t + b, '=', e - b);
	if (!eq || eq == t + b) {
		diag_front(r->diags, "syntax", loc, "expected 'NAME {' or 'KEY = VALUE'");
		return;
	}
	size_t ke = (size_t)(eq - t);
	while (ke > b && (t[ke - 1] == ' ' || t[ke - 1] == '\t'))
		ke--;
	size_t vb = (size_t)(eq - t) + 1;
	while (vb < e && (t[vb] == ' ' || t[vb] == '\t'))
		vb++;
	size_t ve = e;
	if (ve > vb + 1 && t[vb] == '"' && t[ve - 1] == '"') {
		vb++;
		ve--;
	}
	char *k = arena_strndup(r->arena, t + b, ke - b);
	struct imp_text v = imp_word(r, t + vb, ve - vb, off + vb);
	if (vb == ve && strcmp(k, "secret") != 0) {
		diag_front(r->diags, "syntax", loc, "'%s' has no value", k);
		return;
	}
	key(s, k, v, loc);
}

void swanctl_read(struct imp_read *r)
{
	struct sw s = {.r = r};
	r->dev->platform = "linux";
	r->dev->name = (struct imp_text){imp_name_from_path(r->arena, r->src->path),
					 imp_loc(r, 0, 1)};
	const char *t = r->src->text;
	size_t pos = 0, size = r->src->size;
	while (pos < size) {
		size_t end = pos;
		while (end < size && t[end] != '\n')
			end++;
		line(&s, t + pos, pos, end - pos);
		pos = end + 1;
	}
	if (s.depth) {
		diag_front(r->diags, "syntax", s.stack[s.depth - 1].loc,
			   "section '%s' is not closed: the file ends inside it", s.stack[s.depth - 1].s);
		return;
	}
	match_secrets(&s);
	/* This host's own address, as an outside interface. */
	for (size_t i = 0; i < r->dev->ends.n; i++) {
		const struct imp_end *e = &r->dev->ends.v[i];
		if (!e->local_addr.s || r->dev->ifaces.n)
			continue;
		struct ip_addr a;
		if (!addr_parse(e->local_addr.s, &a))
			continue;
		struct imp_iface f = {.name = {"eth0", e->local_addr.loc},
				      /* swanctl.conf says nothing of routing: the
				       * host is taken to reach its peers (doc/import.md). */
				      .address = {arena_printf(r->arena, "%s/0", e->local_addr.s),
						  e->local_addr.loc},
				      .outside = true};
		arena_vec_push(r->arena, &r->dev->ifaces, f);
	}
}
