/* Helpers of the Cisco readers (import/cisco.h). */
#include "config.h"
#include "import/cisco.h"

#include <stdint.h>
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
