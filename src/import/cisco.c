/* Helpers of the Cisco readers (import/cisco.h). */
#include "config.h"
#include "import/cisco.h"

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

struct cisco_acl *cisco_acl_find(struct arena *a, cisco_acl_vec *v, const char *name, bool create)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i].name, name) == 0)
			return &v->v[i];
	if (!create)
		return NULL;
	struct cisco_acl acl = {arena_strdup(a, name), {0}};
	arena_vec_push(a, v, acl);
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

struct imp_text cisco_key_for(const cisco_key_vec *keys, const char *peer)
{
	struct imp_text found = {0};
	struct ip_addr p, ka;
	if (!peer || !addr_parse(peer, &p))
		return found;
	for (size_t i = 0; i < keys->n; i++) {
		if (!addr_parse(keys->v[i].addr.s, &ka))
			continue;
		if (addr_equal(&ka, &p))
			return keys->v[i].key;
		if (strcmp(keys->v[i].addr.s, "0.0.0.0") == 0 && !found.s)
			found = keys->v[i].key;
	}
	return found;
}
