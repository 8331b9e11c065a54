/* tunc's peer sheet (PEER.peer.txt, emit/emit_peer_sheet.c) read back: the
 * peer it describes, with its platform (the row whose description the
 * header gives), and one end per tunnel section, so that a compiled estate
 * round-trips with its peers (doc/import.md, "tunc's peer sheet").  Here the
 * header, the sections and their endpoint, selector, NAT-T, DPD, key and
 * link lines; proposals.c reads the algorithm lines.  The sheet holds no
 * key, only where it is kept: the peer's end takes the key of the
 * configuration it pairs with (src/import/peer.c). */
#include "config.h"
#include "import/sheet/sheet.h"
#include "import/lines.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir/addr.h"

/* ---- endpoints, selectors and the rest ---- */

/* "ADDR (NAME)" -> ADDR, checked. */
static struct imp_text address(struct sheet *s, const struct val *v)
{
	size_t n = strcspn(v->s, " ");
	char *a = arena_strndup(A(s), v->s, n);
	struct ip_addr ip;
	if (!addr_parse(a, &ip)) {
		bad(s, v, 0, n, "not an IP address");
		return (struct imp_text){0};
	}
	return (struct imp_text){a, at(s, v, 0, n)};
}

static void local_endpoint(struct sheet *s, const struct val *v)
{
	s->end->local_addr = address(s, v);
}

static void remote_endpoint(struct sheet *s, const struct val *v)
{
	s->end->peer_addr = address(s, v);
}

static void add_ts(struct sheet *s, imp_text_vec *out, const char *text, struct tunc_loc loc)
{
	for (size_t i = 0; i < out->n; i++)
		if (strcmp(out->v[i].s, text) == 0)
			return;
	arena_vec_push(A(s), out, ((struct imp_text){text, loc}));
}

/* A prefix as the sheet writes it (a host bare) -> "NET/LEN"; NULL when
 * not one. */
static const char *prefix_text(struct sheet *s, const char *w)
{
	struct ip_prefix p;
	if (!prefix_parse(w, &p) || prefix_has_host_bits(&p))
		return NULL;
	char buf[ADDR_STRLEN];
	prefix_format(&p, buf, sizeof(buf), false);
	return arena_strdup(A(s), buf);
}

/* "LOCAL -> REMOTE [PROTOCOL [PORT]]", one selector pair from the peer's
 * side; or, under it, the route-based note or the platform's own note. */
static void selectors(struct sheet *s, const struct val *v)
{
	struct imp_end *e = s->end;
	if (strcmp(v->s, "none") == 0)
		return;
	if (strncmp(v->s, "(route-based:", 13) == 0) {
		s->route_note = true;
		return;
	}
	const struct platform_peer_rules *rules = s->plat->rules;
	if (rules && rules->selector_note && strcmp(v->s, rules->selector_note) == 0)
		return;
	size_t n1 = strcspn(v->s, " ");
	const char *l = prefix_text(s, arena_strndup(A(s), v->s, n1));
	if (!l || strncmp(v->s + n1, " -> ", 4) != 0) {
		bad(s, v, 0, n1, "not a selector pair ('LOCAL -> REMOTE')");
		return;
	}
	size_t o2 = n1 + 4, n2 = strcspn(v->s + o2, " ");
	const char *r = prefix_text(s, arena_strndup(A(s), v->s + o2, n2));
	if (!r) {
		bad(s, v, o2, n2, "not a prefix");
		return;
	}
	add_ts(s, &e->local_ts, l, at(s, v, 0, n1));
	add_ts(s, &e->remote_ts, r, at(s, v, o2, n2));
	if (e->local_loc.file == 0)
		e->local_loc = e->remote_loc = at(s, v, 0, 0);
	/* "tcp 443": this end's selectors narrowed (its per-end `protocol`);
	 * the builder checks the words, located. */
	size_t o3 = o2 + n2 + 1;
	if (v->s[o2 + n2] && !e->proto.s) {
		size_t n3 = strcspn(v->s + o3, " ");
		e->proto = (struct imp_text){arena_strndup(A(s), v->s + o3, n3), at(s, v, o3, n3)};
		e->proto_stmt = at(s, v, 0, 0);
		if (v->s[o3 + n3])
			e->port = (struct imp_text){arena_strdup(A(s), v->s + o3 + n3 + 1),
						    at(s, v, o3 + n3 + 1, 0)};
	}
}

static void nat_traversal(struct sheet *s, const struct val *v)
{
	struct tunc_loc loc = at(s, v, 0, strcspn(v->s, " "));
	if (strncmp(v->s, "on ", 3) == 0)
		s->end->nat_traversal = (struct imp_text){"on", loc};
	else if (strncmp(v->s, "off ", 4) == 0)
		s->end->nat_traversal = (struct imp_text){"off", loc};
	else if (strncmp(v->s, "auto", 4) != 0)
		bad(s, v, 0, 0, "not a NAT traversal setting (on, off, auto)");
}

static void dpd(struct sheet *s, const struct val *v)
{
	if (strncmp(v->s, "not described for this end", 26) == 0)
		return;
	char *end = NULL;
	unsigned long long n = strncmp(v->s, "every ", 6) == 0 ? strtoull(v->s + 6, &end, 10) : 0;
	if (!n || strncmp(end, " s", 2) != 0 || (end[2] && end[2] != ';')) {
		bad(s, v, 0, 0, "not a dead-peer detection interval ('every N s')");
		return;
	}
	s->end->dpd = (struct imp_text){arena_printf(A(s), "%llus", n),
					at(s, v, 6, (size_t)(end + 2 - v->s) - 6)};
}

/* Where the key is kept: never the key itself, which the peer's end takes
 * from the configuration it pairs with. */
static void psk(struct sheet *s, const struct val *v)
{
	static const char *const forms[] = {"in the file \"", "in the environment variable ",
					    "written inline in the .tun file", "none given"};
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		if (strncmp(v->s, forms[i], strlen(forms[i])) == 0)
			return;
	bad(s, v, 0, 0, "not where a pre-shared key is kept");
}

/* "A/L (NAME), B/L (NAME)": the link of the ends that are route-based;
 * this end's is the one named after the peer. */
static void inside_addresses(struct sheet *s, const struct val *v)
{
	const char *self = s->r->dev->name.s;
	size_t i = 0;
	while (v->s[i]) {
		size_t n = strcspn(v->s + i, " ");
		struct ip_prefix p;
		char *w = arena_strndup(A(s), v->s + i, n);
		size_t nl = strlen(self);
		if (!strchr(w, '/') || !prefix_parse(w, &p) || strncmp(v->s + i + n, " (", 2) != 0) {
			bad(s, v, i, n, "not a tunnel inside address ('ADDR/LEN (NAME)')");
			return;
		}
		const char *name = v->s + i + n + 2;
		if (strncmp(name, self, nl) == 0 && name[nl] == ')') {
			struct ip_prefix net = prefix_network(&p);
			char buf[ADDR_STRLEN];
			prefix_format(&net, buf, sizeof(buf), false);
			s->end->route_based = (struct imp_text){arena_strdup(A(s), buf), at(s, v, i, n)};
		}
		const char *next = strstr(v->s + i, "), ");
		if (!next)
			break;
		i = (size_t)(next - v->s) + 3;
	}
}

/* The other end's setting (its own file says it) or the provider's rule:
 * read, not imported. */
static void theirs(struct sheet *s, const struct val *v)
{
	(void)s;
	(void)v;
}

static const struct key {
	const char *name;
	void (*read)(struct sheet *s, const struct val *v);
	bool required;                  /* every section has it: a sheet without is cut short */
	bool continues;                 /* continuation lines carry more values */
} keys[] = {
	{"Local endpoint", local_endpoint, true, false},
	{"Remote endpoint", remote_endpoint, true, false},
	{"IKE version", sheet_ike_version, false, false},
	{"IKE mode", sheet_ike_mode, false, false},
	{"Phase 1 encryption", sheet_ike_enc, false, false},
	{"Phase 1 integrity", sheet_ike_integ, false, false},
	{"Phase 1 DH groups", sheet_ike_groups, false, false},
	{"IKE proposals", sheet_ike_proposals, false, false},
	{"Phase 1 lifetime", sheet_ike_lifetime, false, false},
	{"Phase 2 protocol", sheet_esp_protocol, false, false},
	{"Phase 2 encryption", sheet_esp_enc, false, false},
	{"Phase 2 integrity", sheet_esp_integ, false, false},
	{"Phase 2 proposals", sheet_esp_proposals, false, false},
	{"PFS", sheet_esp_pfs, false, false},
	{"Phase 2 lifetime", sheet_esp_lifetime, false, false},
	{"Traffic selectors", selectors, true, true},
	{"NAT traversal", nat_traversal, true, false},
	{"Dead-peer detection", dpd, true, false},
	{"Pre-shared key", psk, true, false},
	{"Tunnel inside addresses", inside_addresses, false, false},
	{"TCP MSS", theirs, false, false},
	{"Who starts IKE", theirs, false, false},
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

/* ---- sections and the header ---- */

/* "0.0.0.0/0" or "::/0". */
static bool is_any(const char *prefix)
{
	size_t n = strlen(prefix);
	return n > 2 && strcmp(prefix + n - 2, "/0") == 0;
}

/* The section read so far is complete: every line the emitter always
 * writes is there (else the sheet was cut short), and a route-based end
 * with any-to-any selectors keeps the default. */
static void end_section(struct sheet *s)
{
	struct imp_end *e = s->end;
	if (!e)
		return;
	for (size_t k = 0; k < NKEYS; k++)
		if (keys[k].required && !(s->seen & (1u << k))) {
			diag_front(s->r->diags, "syntax", s->banner,
				   "the section of tunnel '%s' has no '%s' line: is the sheet cut short?",
				   e->name, keys[k].name);
			break;
		}
	if (s->route_note && e->route_based.s && e->local_ts.n == 1 && e->remote_ts.n == 1 &&
	    is_any(e->local_ts.v[0].s) && is_any(e->remote_ts.v[0].s))
		e->local_ts.n = e->remote_ts.n = 0;
	s->end = NULL;
}

/* "# tunnel NAME (WHERE): SELF <-> OTHER" */
static void begin_section(struct sheet *s, size_t off, const char *line, size_t len)
{
	end_section(s);
	struct tunc_loc loc = imp_loc(s->r, off, len);
	const char *name = line + 9, *paren = strstr(name, " (");
	if (!s->plat) {
		diag_front(s->r->diags, "syntax", loc, "a tunnel section before the sheet's "
			   "'# Peer NAME (PLATFORM), described at ...' line");
		return;
	}
	if (!paren || paren == name || !strstr(paren, " <-> ")) {
		diag_front(s->r->diags, "syntax", loc,
			   "expected '# tunnel NAME (WHERE): PEER <-> GATEWAY'");
		return;
	}
	struct imp_end e = {.name = arena_strndup(A(s), name, (size_t)(paren - name)),
			    .given_name = true, .loc = imp_loc(s->r, off + 9, (size_t)(paren - name)),
			    .ike = -1, .ipsec = -1};
	struct imp_device *d = s->r->dev;
	arena_vec_push(A(s), &d->ends, e);
	s->end = &d->ends.v[d->ends.n - 1];
	s->banner = loc;
	s->seen = 0;
	s->last = -1;
	s->route_note = false;
}

/* The platform row whose description ends TEXT[0..LEN) as " (DESCRIPTION)":
 * tried with each version the text holds (a word starting with a digit,
 * alone or with the word after it: "2012 R2"), then the platform's
 * default; the version that found it in *VERSION (NULL: the default). */
static const struct platform_info *row_of(struct sheet *s, const char *text, size_t len,
					  const char **version)
{
	char *t = arena_strndup(A(s), text, len);
	ARENA_VEC(const char *) cands = {0};
	for (const char *w = t; *w; w++) {
		if ((w != t && w[-1] != ' ') || *w < '0' || *w > '9')
			continue;
		size_t n = strcspn(w, " )");
		arena_vec_push(A(s), &cands, arena_strndup(A(s), w, n));
		if (w[n] == ' ' && w[n + 1] && w[n + 1] != '(')
			arena_vec_push(A(s), &cands,
				       arena_strndup(A(s), w, n + 1 + strcspn(w + n + 1, " )")));
	}
	arena_vec_push(A(s), &cands, NULL);
	for (size_t c = 0; c < cands.n; c++)
		for (int id = 0; id < PLAT__COUNT; id++) {
			const struct platform_info *p = platform_find((enum platform_id)id, cands.v[c]);
			size_t dl = p ? strlen(p->description) : 0;
			if (p && dl + 2 < len && strncmp(t + len - dl - 2, " (", 2) == 0 &&
			    strcmp(t + len - dl, p->description) == 0) {
				*version = cands.v[c];
				return p;
			}
		}
	return NULL;
}

/* "# Peer NAME (DESCRIPTION), described at WHERE" */
static void header(struct sheet *s, size_t off, const char *line, size_t len)
{
	struct tunc_loc loc = imp_loc(s->r, off, len);
	const char *tail = NULL;
	for (const char *p = line; (p = strstr(p, "), described at ")) && p < line + len; p++)
		tail = p;
	const char *version = NULL;
	const struct platform_info *p = tail ? row_of(s, line + 7, (size_t)(tail - line) - 7,
						       &version) : NULL;
	if (!p) {
		diag_front(s->r->diags, "syntax", loc, "expected '# Peer NAME (PLATFORM), described "
			   "at WHERE' with a platform tunc knows");
		return;
	}
	size_t nlen = (size_t)(tail - line) - 7 - strlen(p->description) - 2;
	struct imp_device *d = s->r->dev;
	d->name = (struct imp_text){arena_strndup(A(s), line + 7, nlen), imp_loc(s->r, off + 7, nlen)};
	d->platform = p->id == PLAT_GENERIC ? NULL : platform_name(p->id);
	if (version)
		d->version = (struct imp_text){version, d->name.loc};
	s->plat = p;
	s->vocab = p->vocab;
}

/* "  KEY<blanks>VALUE  (WHERE)", or a continuation "<blanks>VALUE  (WHERE)". */
static void key_line(struct sheet *s, size_t off, const char *line, size_t len)
{
	struct tunc_loc loc = imp_loc(s->r, off, len);
	if (!s->end) {
		diag_front(s->r->diags, "syntax", loc, "a parameter line outside a tunnel section");
		return;
	}
	size_t i = 2;
	int k = -1;
	if (line[i] == ' ') {
		k = s->last;
		if (k < 0 || !keys[k].continues) {
			diag_front(s->r->diags, "syntax", loc, "a continuation line under no parameter "
				   "that takes one");
			return;
		}
	} else {
		const char *gap = strstr(line + i, "  ");
		size_t kl = gap && gap < line + len ? (size_t)(gap - line) - i : len - i;
		for (size_t j = 0; j < NKEYS && k < 0; j++)
			if (strlen(keys[j].name) == kl && strncmp(keys[j].name, line + i, kl) == 0)
				k = (int)j;
		if (k < 0) {
			diag_front(s->r->diags, "syntax", imp_loc(s->r, off + i, kl),
				   "'%.*s' is not a parameter tunc's peer sheet writes", (int)kl, line + i);
			return;
		}
		i += kl;
	}
	while (i < len && line[i] == ' ')
		i++;
	/* The value without the "  (FILE:LINE)" that says where the .tun described it. */
	size_t vend = len;
	if (vend > i && line[vend - 1] == ')') {
		const char *open = NULL;
		for (const char *p = line + i; (p = strstr(p, "  (")) && p < line + len; p++)
			open = p;
		const char *d = line + len - 1;         /* back over LINE to its ':' */
		while (d > line + i && d[-1] >= '0' && d[-1] <= '9')
			d--;
		if (open && d < line + len - 1 && d - 1 > open && d[-1] == ':')
			vend = (size_t)(open - line);
	}
	struct val v = {arena_strndup(A(s), line + i, vend - i), off + i};
	s->seen |= 1u << k;
	s->last = k;
	keys[k].read(s, &v);
}

int sheet_detect(const char *text, size_t size)
{
	(void)size;
	bool ours = strncmp(text, "# Generated by tunc ", 20) == 0;
	bool peer = strstr(text, "\n# Peer ") != NULL;
	bool what = strstr(text, "\n# What the administrator of this peer configures") != NULL;
	return ours && peer ? 100 : peer && what ? 90 : 0;
}

void sheet_read(struct imp_read *r)
{
	struct sheet s = {.r = r, .last = -1};
	const char *text = r->src->text;
	size_t size = r->src->size;
	r->dev->name = (struct imp_text){imp_name_from_path(r->arena, r->src->path), imp_loc(r, 0, 1)};
	r->dev->peer = true;
	for (size_t off = 0; off < size;) {
		const char *line = text + off;
		const char *nl = memchr(line, '\n', size - off);
		size_t len = nl ? (size_t)(nl - line) : size - off;
		if (len && line[len - 1] == '\r')
			len--;
		/* Copied: the checks below read it as a string. */
		char *l = arena_strndup(r->arena, line, len);
		if (strncmp(l, "# Peer ", 7) == 0 && !s.plat && !s.end)
			header(&s, off, l, len);
		else if (strncmp(l, "# tunnel ", 9) == 0)
			begin_section(&s, off, l, len);
		else if (strncmp(l, "  ", 2) == 0 && len > 2)
			key_line(&s, off, l, len);
		else if (len && l[0] != '#' && strspn(l, " \t") != len)
			diag_front(r->diags, "syntax", imp_loc(r, off, len),
				   "not a line of tunc's peer sheet (PEER.peer.txt)");
		off += (nl ? (size_t)(nl - line) + 1 : size - off);
	}
	end_section(&s);
	if (s.plat && !r->dev->ends.n)  /* "# No tunnel names this peer." */
		imp_unmodelled(r, r->dev->name.loc, "a peer that no tunnel names");
	if (!s.plat)
		diag_front(r->diags, "syntax", imp_loc(r, 0, 1), "no '# Peer NAME (PLATFORM), "
			   "described at WHERE' line: not a whole tunc peer sheet");
}
