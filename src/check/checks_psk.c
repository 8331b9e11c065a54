/* Checks about how pre-shared keys are kept and used: psk-file-mode (a key
 * file others can read), psk-reuse (one key for tunnels to different
 * peers), aggressive-psk (IKEv1 aggressive mode hands out a hash of the
 * key).  Keys are read with the one reader (ir/psk.h), compared as SHA-256
 * digests and wiped at once (the first one read when a second is: until
 * then there is nothing to compare it with); no key or digest is ever
 * printed. */
#include "config.h"
#include "check/checks.h"
#include "check/proposals.h"
#include "ir/psk.h"
#include "util/arena.h"
#include "util/symtab.h"
#include "util/u64map.h"

#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Each distinct key source once ("1:3:hub.psk": a relative file name is
 * relative to the file that names it), with what reading it gave. */
struct key_seen {
	struct arena arena;
	struct symtab sources;
	struct strbuf name;             /* the source's name, copied when new */
};

static void key_seen_init(struct key_seen *s)
{
	arena_init(&s->arena);
	symtab_init(&s->sources);
	s->name = (struct strbuf)STRBUF_INIT;
}

static void key_seen_free(struct key_seen *s)
{
	symtab_free(&s->sources);
	arena_free(&s->arena);
	strbuf_free(&s->name);
}

/* K's source name (ck_psk_source_name), in S's scratch. */
static const char *source_name(struct key_seen *s, const struct ir_psk *k)
{
	return ck_psk_source_name(&s->name, k);
}

/* Notes the source NAME (source_name's) as seen, with VALUE. */
static void source_add(struct key_seen *s, const char *name, void *value)
{
	symtab_put(&s->sources, arena_strdup(&s->arena, name), value);
}

/* The effective key statements of tunnel T: one when both ends use the
 * same statement, else each end's. */
static size_t tunnel_keys(const struct ir_tunnel *t, const struct ir_psk *out[2])
{
	size_t n = 0;
	for (int a = 0; a < 2; a++) {
		const struct ir_psk *k = ir_end_psk(&t->end[a]);
		if (k->source == PSK_NONE || !k->value)
			continue;
		if (n && out[0]->source == k->source && loc_same(out[0]->loc, k->loc))
			continue;
		out[n++] = k;
	}
	return n;
}

/* ---- psk-file-mode ---- */

/* Group and others may neither read a key file nor write it (a key
 * replaced by someone else is as bad as a key read). */
#define KEY_FILE_FORBIDDEN (S_IRWXG | S_IRWXO)

static void describe_mode(mode_t m, char *buf, size_t size)
{
	bool g = m & S_IRWXG, o = m & S_IRWXO;
	bool read = m & (S_IRGRP | S_IROTH), write = m & (S_IWGRP | S_IWOTH);
	snprintf(buf, size, "mode %04o: %s can %s it", (unsigned)(m & 07777),
		 g && o ? "group and others" : g ? "its group" : "others",
		 read && write ? "read and change" : read ? "read" : write ? "change" : "use");
}

void check_psk_file_mode(struct check_ctx *ctx)
{
	struct key_seen seen;
	key_seen_init(&seen);
	for (size_t i = 0; i < ctx->ir->tunnels.n; i++) {
		const struct ir_tunnel *t = ctx->ir->tunnels.v[i];
		const struct ir_psk *keys[2];
		size_t n = tunnel_keys(t, keys);
		for (size_t j = 0; j < n; j++) {
			const struct ir_psk *k = keys[j];
			if (k->source != PSK_FILE)
				continue;
			const char *name = source_name(&seen, k);
			if (symtab_get(&seen.sources, name))
				continue;
			source_add(&seen, name, (void *)k);
			char *path = psk_file_path(ctx->ir->sources, k);
			struct stat st;
			/* A file that cannot be found is the key reader's to report. */
			if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
			    (st.st_mode & KEY_FILE_FORBIDDEN)) {
				char mode[120];
				describe_mode(st.st_mode, mode, sizeof(mode));
				struct diag *d = check_report(ctx, k->loc,
					"the key file \"%s\" of tunnel %s is not private (%s): "
					"whoever can read it can authenticate as either end",
					k->value, t->name, mode);
				ck_diag_names(d, t, ir_end_gateway(&t->end[0]),
					      ir_end_gateway(&t->end[1]));
				diag_fix(d, "chmod 600 '%s' (and keep it out of version control)", path);
			}
			free(path);
		}
	}
	key_seen_free(&seen);
}

/* ---- psk-reuse ---- */

enum { DIGEST_LEN = 32 };

/* A key named by its tunnel end: ir_end_psk(&ir->tunnels.v[tunnel]->end[end]). */
struct key_use {
	uint32_t tunnel;                /* index in ir->tunnels */
	uint32_t end;
};

static const struct ir_psk *use_psk(const struct check_ctx *ctx, struct key_use u)
{
	return ir_end_psk(&ctx->ir->tunnels.v[u.tunnel]->end[u.end]);
}

/* One key value (a digest that one or more key sources gave) and what the
 * finding needs of its uses, taken in tunnel order, each end's key in end
 * order: the first use, the first use between other peers than the first
 * tunnel's, and how many uses and tunnels there are.  Nothing is kept per
 * use: the uses sorted by digest (and qsort's merge buffer) were 3.2 MB at
 * 100,000 spokes, the checks' peak. */
struct key_group {
	const unsigned char *digest;    /* the first source's (in key_seen's arena) */
	struct key_use first, other;    /* other.tunnel == UINT32_MAX: none yet */
	size_t uses, tunnels;
	uint32_t last_tunnel;           /* of the last use */
};

/* What reading a key source gave: its digest, when it could be read, and
 * its key_group. */
struct key_read {
	bool ok;
	uint32_t group;
	unsigned char digest[DIGEST_LEN];
};

struct key_groups {
	struct key_group *v;
	size_t n, cap;
	struct u64map by_digest;        /* the digest's first 8 bytes -> index in v */
	/* The first key read, held (and wiped at the end) until a second
	 * source is read: a key compared with no other is never hashed, so
	 * that lint of a hub whose tunnels all name one key file does not
	 * start OpenSSL's digests (1.8 MB of its pages at lint's peak). */
	struct secret held;
	struct key_read *held_r;        /* its source's, digest not made yet */
};

static uint64_t digest_key(const unsigned char *digest)
{
	uint64_t key;
	memcpy(&key, digest, sizeof(key));
	return key;
}

static uint32_t group_new(struct key_groups *gs, const unsigned char *digest)
{
	if (gs->n == gs->cap) {
		gs->cap = gs->cap ? 2 * gs->cap : 8;
		gs->v = xrealloc(gs->v, gs->cap * sizeof(*gs->v));
	}
	gs->v[gs->n] = (struct key_group){.digest = digest, .other = {UINT32_MAX, 0}};
	return (uint32_t)gs->n++;
}

static uint32_t group_of(struct key_groups *gs, const unsigned char *digest)
{
	struct u64map_iter it;
	size_t i;
	for (bool more = u64map_first(&gs->by_digest, digest_key(digest), &it, &i); more;
	     more = u64map_next(&it, &i))
		if (memcmp(gs->v[i].digest, digest, DIGEST_LEN) == 0)
			return (uint32_t)i;
	uint32_t g = group_new(gs, digest);
	u64map_add(&gs->by_digest, digest_key(digest), g);
	return g;
}

static bool digest_of(const struct secret *key, unsigned char digest[DIGEST_LEN])
{
	unsigned int n = 0;
	return EVP_Digest(key->bytes, key->len, digest, &n, EVP_sha256(), NULL) && n == DIGEST_LEN;
}

/* A second key is read: the held one's digest is made and its group
 * entered (SHA-256 does not fail on a key read; if it did, the group's
 * digest would be all zeros, as the source's was made). */
static void hash_held(struct key_groups *gs)
{
	if (!gs->held_r)
		return;
	(void)digest_of(&gs->held, gs->held_r->digest);
	secret_free(&gs->held);
	u64map_add(&gs->by_digest, digest_key(gs->held_r->digest), gs->held_r->group);
	gs->held_r = NULL;
}

static const struct key_read *read_key(struct check_ctx *ctx, struct key_seen *seen,
				       struct key_groups *gs, const struct ir_psk *k)
{
	const char *name = source_name(seen, k);
	struct key_read *r = symtab_get(&seen->sources, name);
	if (r)
		return r;
	r = arena_alloc(&seen->arena, sizeof(*r));
	memset(r, 0, sizeof(*r));
	struct secret key;
	/* A key that cannot be read is recorded for the one keys-unread note. */
	if (ck_psk_read(ctx, k, &key)) {
		if (!gs->n) {
			r->ok = true;
			r->group = group_new(gs, r->digest);
			gs->held = key;
			gs->held_r = r;
		} else {
			hash_held(gs);
			r->ok = digest_of(&key, r->digest);
			secret_free(&key);
			if (r->ok)
				r->group = group_of(gs, r->digest);
		}
	}
	source_add(seen, name, r);
	return r;
}

static bool same_peers(const struct ir_tunnel *a, const struct ir_tunnel *b)
{
	const struct ir_gateway *a0 = ir_end_gateway(&a->end[0]), *a1 = ir_end_gateway(&a->end[1]);
	const struct ir_gateway *b0 = ir_end_gateway(&b->end[0]), *b1 = ir_end_gateway(&b->end[1]);
	return (a0 == b0 && a1 == b1) || (a0 == b1 && a1 == b0);
}

/* Use U of G's key, the next in tunnel order. */
static void group_add(const struct check_ctx *ctx, struct key_group *g, struct key_use u)
{
	if (!g->uses++) {
		g->first = u;
		g->tunnels = 1;
		g->last_tunnel = u.tunnel;
		return;
	}
	/* A second key of the same tunnel is not another tunnel. */
	if (u.tunnel != g->last_tunnel) {
		g->tunnels++;
		g->last_tunnel = u.tunnel;
	}
	if (g->other.tunnel == UINT32_MAX &&
	    !same_peers(ctx->ir->tunnels.v[g->first.tunnel], ctx->ir->tunnels.v[u.tunnel]))
		g->other = u;
}

/* G's uses share one key: when they are not all between the same two
 * gateways, one finding at the first use toward other peers. */
static void reuse_report(struct check_ctx *ctx, const struct key_group *g)
{
	if (g->other.tunnel == UINT32_MAX)
		return;
	const struct ir_tunnel *first = ctx->ir->tunnels.v[g->first.tunnel];
	const struct ir_tunnel *t = ctx->ir->tunnels.v[g->other.tunnel];
	char src[300], more[64] = "";
	const struct ir_psk *k0 = use_psk(ctx, g->first), *kother = use_psk(ctx, g->other);
	ck_fmt_psk_source(kother, src, sizeof(src));
	if (g->tunnels > 2)
		snprintf(more, sizeof(more), " and %zu other tunnel%s", g->tunnels - 2,
			 g->tunnels > 3 ? "s" : "");
	const struct ir_gateway *f0 = ir_end_gateway(&first->end[0]);
	const struct ir_gateway *f1 = ir_end_gateway(&first->end[1]);
	struct diag *d = check_report(ctx, kother->loc,
		"tunnel %s's pre-shared key (%s) is also the key of tunnel %s (%s and %s)%s: "
		"one key for tunnels to different peers, so whoever learns it at one of them "
		"can authenticate as the others' ends (tunc compared the keys without printing "
		"them)",
		t->name, src, first->name, ck_gw_name(f0), ck_gw_name(f1), more);
	ck_diag_names(d, t, ir_end_gateway(&t->end[0]), ir_end_gateway(&t->end[1]));
	diag_fix(d, "give each tunnel its own random key, e.g. 'openssl rand -base64 30 > "
		 "secrets/%s.psk' (mode 0600) and 'psk file \"secrets/%s.psk\";' in tunnel %s",
		 t->name, t->name, t->name);
	if (loc_known(k0->loc) && !loc_same(k0->loc, kother->loc))
		diag_related(d, k0->loc, "tunnel %s's key is configured here", first->name);
}

/* The findings come in the order of the keys' digests, as they did when
 * every use was sorted by digest. */
static int group_cmp(const void *a, const void *b)
{
	const struct key_group *x = *(const struct key_group *const *)a;
	const struct key_group *y = *(const struct key_group *const *)b;
	return memcmp(x->digest, y->digest, DIGEST_LEN);
}

void check_psk_reuse(struct check_ctx *ctx)
{
	struct key_seen seen;
	key_seen_init(&seen);
	struct key_groups gs = {0};
	u64map_init(&gs.by_digest);
	for (size_t i = 0; i < ctx->ir->tunnels.n; i++) {
		const struct ir_tunnel *t = ctx->ir->tunnels.v[i];
		const struct ir_gateway *g0 = ir_end_gateway(&t->end[0]);
		if (g0 == ir_end_gateway(&t->end[1]))
			continue;
		const struct ir_psk *keys[2];
		size_t nk = tunnel_keys(t, keys);
		for (size_t j = 0; j < nk; j++) {
			const struct key_read *r = read_key(ctx, &seen, &gs, keys[j]);
			if (!r->ok)
				continue;
			struct key_use u = {(uint32_t)i, keys[j] == ir_end_psk(&t->end[0]) ? 0 : 1};
			group_add(ctx, &gs.v[r->group], u);
		}
	}
	const struct key_group **shared = xmalloc((gs.n ? gs.n : 1) * sizeof(*shared));
	size_t n_shared = 0;
	for (size_t i = 0; i < gs.n; i++)
		if (gs.v[i].uses > 1)
			shared[n_shared++] = &gs.v[i];
	qsort(shared, n_shared, sizeof(*shared), group_cmp);
	for (size_t i = 0; i < n_shared; i++)
		reuse_report(ctx, shared[i]);
	free(shared);
	secret_free(&gs.held);
	free(gs.v);
	u64map_free(&gs.by_digest);
	key_seen_free(&seen);
}

/* ---- aggressive-psk ---- */

void check_aggressive_psk(struct check_ctx *ctx)
{
	struct usages u;
	pr_usages_build(ctx, &u);
	for (size_t i = 0; i < u.n_ike; i++) {
		const struct ir_ike *p = ctx->ir->ikes.v[i];
		const struct usage *us = &u.ike[i];
		if (p->version != 1 || p->mode != IKE_MODE_AGGRESSIVE || !us->ends)
			continue;
		/* Only tunnels that run IKE with a pre-shared key. */
		const struct tview *tv = NULL;
		for (size_t k = 0; k < us->n_tvs && !tv; k++) {
			const struct tview *c = &u.tvs.v[us->tvs[k]];
			if (!pr_keyed_by_hand(c->t) &&
			    (ir_end_psk(&c->t->end[0])->source != PSK_NONE || ir_end_psk(&c->t->end[1])->source != PSK_NONE))
				tv = c;
		}
		if (!tv)
			continue;
		char users[200];
		pr_fmt_users(&u, us, users, sizeof(users));
		struct diag *d = check_report(ctx, loc_or(p->mode_loc, p->loc),
			"ike %s (used by %s) runs IKEv1 aggressive mode with a pre-shared key: the "
			"responder sends a hash of the key, unencrypted, to anyone who starts an "
			"exchange, and the key can then be searched for offline",
			p->name, users);
		ck_diag_names(d, tv->t, tv_gw(tv, 0), tv_gw(tv, 1));
		diag_fix(d, "use 'mode main;' in ike %s, or 'version 2;' where both ends run IKEv2",
			 p->name);
	}
	pr_usages_free(&u);
}
