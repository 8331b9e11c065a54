/* Checks about how pre-shared keys are kept and used: psk-file-mode (a key
 * file others can read), psk-reuse (one key for tunnels to different
 * peers), aggressive-psk (IKEv1 aggressive mode hands out a hash of the
 * key).  Keys are read with the one reader (ir/psk.h), compared as SHA-256
 * digests and wiped at once; no key or digest is ever printed. */
#include "config.h"
#include "check/checks.h"
#include "check/proposals.h"
#include "ir/psk.h"
#include "util/arena.h"
#include "util/symtab.h"

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
};

static void key_seen_init(struct key_seen *s)
{
	arena_init(&s->arena);
	symtab_init(&s->sources);
}

static void key_seen_free(struct key_seen *s)
{
	symtab_free(&s->sources);
	arena_free(&s->arena);
}

static const char *source_key(struct key_seen *s, const struct ir_psk *k)
{
	return ck_psk_source_key(&s->arena, k);
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
			if (k->source != PSK_FILE || symtab_put(&seen.sources, source_key(&seen, k), (void *)k))
				continue;
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

/* The digest is the key source's (in key_seen's arena), not a copy: a
 * hub's 20,000 uses were 960 KB, and twice that while qsort merges.  The
 * key is named by its tunnel end, not by pointer: 16 bytes a use, not 24
 * (qsort's merge buffer is as big again: 4.8 MB -> 3.2 MB at 100,000
 * spokes). */
struct key_use {
	const unsigned char *digest;
	uint32_t tunnel;                /* index in ir->tunnels */
	uint32_t end;                   /* the key is ir_end_psk(&that tunnel->end[end]) */
};

static const struct ir_psk *use_psk(const struct check_ctx *ctx, const struct key_use *u)
{
	return ir_end_psk(&ctx->ir->tunnels.v[u->tunnel]->end[u->end]);
}

/* What reading a key source gave: its digest, when it could be read. */
struct key_read {
	bool ok;
	unsigned char digest[DIGEST_LEN];
};

static const struct key_read *read_key(struct check_ctx *ctx, struct key_seen *seen,
				       const struct ir_psk *k)
{
	const char *name = source_key(seen, k);
	struct key_read *r = symtab_get(&seen->sources, name);
	if (r)
		return r;
	r = arena_alloc(&seen->arena, sizeof(*r));
	memset(r, 0, sizeof(*r));
	struct secret key;
	/* A key that cannot be read is recorded for the one keys-unread note. */
	if (ck_psk_read(ctx, k, &key)) {
		unsigned int n = 0;
		r->ok = EVP_Digest(key.bytes, key.len, r->digest, &n, EVP_sha256(), NULL) &&
			n == DIGEST_LEN;
		secret_free(&key);
	}
	symtab_put(&seen->sources, name, r);
	return r;
}

static int use_cmp(const void *a, const void *b)
{
	const struct key_use *x = a, *y = b;
	/* Uses of one source share its digest (a hub's every tunnel). */
	int c = x->digest == y->digest ? 0 : memcmp(x->digest, y->digest, DIGEST_LEN);
	if (c)
		return c;
	return x->tunnel < y->tunnel ? -1 : x->tunnel > y->tunnel;
}

static bool same_peers(const struct ir_tunnel *a, const struct ir_tunnel *b)
{
	const struct ir_gateway *a0 = ir_end_gateway(&a->end[0]), *a1 = ir_end_gateway(&a->end[1]);
	const struct ir_gateway *b0 = ir_end_gateway(&b->end[0]), *b1 = ir_end_gateway(&b->end[1]);
	return (a0 == b0 && a1 == b1) || (a0 == b1 && a1 == b0);
}

/* Uses V[0..N) share one key: when they are not all between the same two
 * gateways, one finding at the first use toward other peers. */
static void reuse_report(struct check_ctx *ctx, const struct key_use *v, size_t n)
{
	const struct ir_tunnel *first = ctx->ir->tunnels.v[v[0].tunnel];
	size_t other = n;
	size_t tunnels = 1;
	for (size_t i = 1; i < n; i++) {
		if (v[i].tunnel != v[i - 1].tunnel)
			tunnels++;
		if (other == n && !same_peers(first, ctx->ir->tunnels.v[v[i].tunnel]))
			other = i;
	}
	if (other == n)
		return;
	const struct ir_tunnel *t = ctx->ir->tunnels.v[v[other].tunnel];
	char src[300], more[64] = "";
	const struct ir_psk *k0 = use_psk(ctx, &v[0]), *kother = use_psk(ctx, &v[other]);
	ck_fmt_psk_source(kother, src, sizeof(src));
	if (tunnels > 2)
		snprintf(more, sizeof(more), " and %zu other tunnel%s", tunnels - 2,
			 tunnels > 3 ? "s" : "");
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

void check_psk_reuse(struct check_ctx *ctx)
{
	struct key_seen seen;
	key_seen_init(&seen);
	struct key_use *uses = xmalloc((2 * ctx->ir->tunnels.n + 1) * sizeof(*uses));
	size_t n = 0;
	for (size_t i = 0; i < ctx->ir->tunnels.n; i++) {
		const struct ir_tunnel *t = ctx->ir->tunnels.v[i];
		const struct ir_gateway *g0 = ir_end_gateway(&t->end[0]);
		if (g0 == ir_end_gateway(&t->end[1]))
			continue;
		const struct ir_psk *keys[2];
		size_t nk = tunnel_keys(t, keys);
		for (size_t j = 0; j < nk; j++) {
			const struct key_read *r = read_key(ctx, &seen, keys[j]);
			if (!r->ok)
				continue;
			uses[n].tunnel = (uint32_t)i;
			uses[n].end = keys[j] == ir_end_psk(&t->end[0]) ? 0 : 1;
			uses[n].digest = r->digest;
			n++;
		}
	}
	qsort(uses, n, sizeof(*uses), use_cmp);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && memcmp(uses[j].digest, uses[i].digest, DIGEST_LEN) == 0)
			j++;
		if (j - i > 1)
			reuse_report(ctx, uses + i, j - i);
		i = j;
	}
	free(uses);
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
		ck_diag_names(d, tv->t, tv->gw[0], tv->gw[1]);
		diag_fix(d, "use 'mode main;' in ike %s, or 'version 2;' where both ends run IKEv2",
			 p->name);
	}
	pr_usages_free(&u);
}
