/* Checks about keys: manual-key-aead, manual-keying, keying-mismatch,
 * manual-key-entropy, inline-secret, weak-psk.  No key is ever printed: weak-psk says only a
 * length and which character classes a key draws from, manual-key-entropy only a number of
 * bits. */
#include "config.h"
#include "ir/psk.h"
#include "check/checks.h"
#include "check/key_entropy.h"
#include "check/util.h"
#include "model/manual_keys.h"
#include "util/arena.h"
#include "util/symtab.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* ---- manual-key-aead ---- */

void check_manual_key_aead(struct check_ctx *ctx)
{
	struct tviews tvs;
	ck_tviews_build(ctx, &tvs);
	struct dedup seen = {0};
	/* One finding per proposal: a hub's spokes share it. */
	for (size_t i = 0; i < tvs.n; i++) {
		const struct tview *tv = &tvs.v[i];
		for (int a = 0; a < 2; a++) {
			const struct ir_gateway *g = tv_gw(tv, a);
			if (!g || !model_end_manual(&tv->t->end[a]) || (a == 1 && tv_gw(tv, 0) == g))
				continue;
			const struct ir_ipsec *ps = ir_end_ipsec(&tv->t->end[a]);
			if (!ps || ps->protocol != IPSEC_ESP)
				continue;
			enum encryption aead = ENC__COUNT;
			for (size_t k = 0; k < ps->encryption.n; k++)
				if (encryption_is_aead(ps->encryption.v[k]))
					aead = ps->encryption.v[k];
			if (aead == ENC__COUNT || ck_dedup_add(&seen, ps, NULL, 0, i)->count > 1)
				continue;
			struct diag *d = check_report(ctx, loc_or(ps->encryption_loc, ps->loc),
				"%s (%s) is keyed by hand for tunnel %s, and its ipsec %s "
				"uses %s: with a static key the GCM nonce repeats after every restart, "
				"which RFC 4106 forbids",
				g->name, ck_gw_platform(g)->description, tv->t->name, ps->name,
				encryption_name(aead));
			ck_diag_names(d, tv->t, g, tv_gw(tv, 1 - a));
			diag_fix(d, "use AES-CBC with HMAC for %s ('encryption aes256; integrity "
				 "sha256;'), in ipsec %s or a per-end ipsec for %s", g->name, ps->name,
				 g->name);
			if (loc_known(tv->t->end[a].keying_loc))
				diag_related(d, tv->t->end[a].keying_loc,
					     "%s's end is keyed by hand here", g->name);
		}
	}
	ck_dedup_free(&seen);
	ck_tviews_free(&tvs);
}

/* ---- manual-keying ----
 *
 * Where a tunnel asks for static SAs, what that costs, once per gateway
 * (naming its first such tunnel and counting the rest). */

void check_manual_keying(struct check_ctx *ctx)
{
	if (!ctx->model)
		return;
	for (size_t i = 0; i < ctx->model->gateways.n; i++) {
		const struct model_gateway *mg = ctx->model->gateways.v[i];
		const struct ir_gateway *g = mg->ir;
		/* A platform that cannot hold static SAs is keying-mismatch's. */
		if (g->kind != GW_GATEWAY || !ck_gw_platform(g)->manual_keying_capable)
			continue;
		const struct model_tunnel *first = NULL;
		size_t n = 0;
		for (size_t t = 0; t < mg->tunnels.n; t++)
			if (model_end_manual(mg->tunnels.v[t]->here) && !n++)
				first = mg->tunnels.v[t];
		if (!first)
			continue;
		char more[64] = "";
		if (n > 1)
			snprintf(more, sizeof(more), " and %zu other tunnel%s", n - 1, n > 2 ? "s" : "");
		struct diag *d = check_report(ctx, loc_or(first->here->keying_loc, first->ir->loc),
			"%s is keyed by hand for tunnel %s%s: no rekeying and no PFS (the same keys "
			"until someone changes them), replay protection lost whenever %s restarts "
			"(its sequence numbers start again from 1), and the SA must be replaced by "
			"hand before its 32-bit sequence number wraps",
			g->name, first->ir->name, more, g->name);
		ck_diag_names(d, first->ir, g, model_tunnel_peer(first));
		diag_fix(d, "let IKE key the tunnel (remove 'keying manual;'), or rotate the keys "
			 "by hand on both ends");
	}
}

/* ---- keying-mismatch ----
 *
 * An end asked for static SAs (`keying manual;`) runs no IKE for the
 * tunnel, so its far end must install the very same SAs: it must be asked
 * too, and its platform must be able to (Linux `ip xfrm`, IOS and PIX
 * `crypto map ... ipsec-manual`; Windows and ISA Server negotiate every SA
 * with IKE).  A Cisco manual entry also carries one selector pair (its
 * access list takes one permit line).  Otherwise the tunnel never carries
 * (all) its traffic. */

static void keying_one(struct check_ctx *ctx, const struct tview *tv, int a,
		       const struct ir_gateway *manual, const struct ir_gateway *far)
{
	const struct ir_tunnel *t = tv->t;
	const struct platform_info *pf = ck_gw_platform(far);
	const struct ir_tunnel_end *em = &t->end[a], *ef = &t->end[1 - a];
	struct diag *d;
	if (!pf->manual_keying_capable) {
		d = check_report(ctx, loc_or(em->keying_loc, loc_or(t->between_loc, t->loc)),
			"tunnel %s can never come up: %s is keyed by hand with static SAs and "
			"runs no IKE for it, while %s (%s) cannot be keyed by hand and only "
			"negotiates its SAs with IKE",
			t->name, manual->name, far->name, pf->description);
		diag_fix(d, "remove 'keying manual;' so that both ends negotiate with IKE");
	} else if (!model_end_manual(ef)) {
		d = check_report(ctx, loc_or(em->keying_loc, loc_or(t->between_loc, t->loc)),
			"tunnel %s can never come up: %s is keyed by hand with static SAs and "
			"runs no IKE for it, while %s negotiates its SAs with IKE",
			t->name, manual->name, far->name);
		diag_fix(d, "say 'keying manual;' for both ends (at tunnel level), or for neither");
	} else {
		size_t pairs = tv->mt[1 - a] ? model_tunnel_selectors(tv->mt[1 - a], 0).n : 0;
		if (!pf->manual_one_flow || pairs <= 1)
			return;
		d = check_report(ctx, ck_end_remote_loc(t, 1 - a),
			"tunnel %s can never carry all its traffic: it is keyed by hand, and a "
			"manually keyed entry on %s (%s) carries a single selector pair (its "
			"access list takes one permit line), while %s's end has %zu",
			t->name, far->name, pf->description, far->name, pairs);
		diag_fix(d, "split %s into one tunnel per subnet pair (each is keyed on its own), "
			 "or let IKE key it (remove 'keying manual;')", t->name);
	}
	ck_diag_names(d, t, far, manual);
	if (loc_known(ef->keying_loc) && !loc_same(ef->keying_loc, em->keying_loc))
		diag_related(d, ef->keying_loc, "%s's end says how it is keyed here", far->name);
}

void check_keying_mismatch(struct check_ctx *ctx)
{
	struct tviews tvs;
	ck_tviews_build(ctx, &tvs);
	for (size_t i = 0; i < tvs.n; i++) {
		const struct tview *tv = &tvs.v[i];
		for (int a = 0; a < 2; a++) {
			const struct ir_gateway *m = tv_gw(tv, a), *far = tv_gw(tv, 1 - a);
			if (!m || !far || m == far || !model_end_manual(&tv->t->end[a]))
				continue;
			/* A far end asked too and unable: reported once, from the end that can. */
			if (model_end_manual(&tv->t->end[1 - a]) &&
			    !ck_gw_platform(m)->manual_keying_capable &&
			    ck_gw_platform(far)->manual_keying_capable)
				continue;
			keying_one(ctx, tv, a, m, far);
		}
	}
	ck_tviews_free(&tvs);
}

/* ---- inline-secret and weak-psk ---- */

/* Each psk statement once: a tunnel-level key is every end's effective key. */
typedef void (*psk_fn)(struct check_ctx *, const struct ir_tunnel *, const struct ir_psk *,
		       void *);

static void each_psk(struct check_ctx *ctx, psk_fn fn, void *arg)
{
	for (size_t i = 0; i < ctx->ir->tunnels.n; i++) {
		const struct ir_tunnel *t = ctx->ir->tunnels.v[i];
		const struct ir_psk *k[3] = {&t->psk, ir_end_psk(&t->end[0]), ir_end_psk(&t->end[1])};
		for (int j = 0; j < 3; j++) {
			if (k[j]->source == PSK_NONE || !loc_known(k[j]->loc))
				continue;
			bool dup = false;
			for (int m = 0; m < j; m++)
				if (k[m]->source != PSK_NONE && loc_same(k[m]->loc, k[j]->loc))
					dup = true;
			if (!dup)
				fn(ctx, t, k[j], arg);
		}
	}
}

static void inline_one(struct check_ctx *ctx, const struct ir_tunnel *t, const struct ir_psk *k,
		       void *unused)
{
	(void)unused;
	if (k->source != PSK_INLINE)
		return;
	struct diag *d = check_report(ctx, k->loc,
		"tunnel %s's pre-shared key is written inline in the policy file: it travels "
		"with the file into version control, reviews and backups", t->name);
	ck_diag_names(d, t, ir_end_gateway(&t->end[0]), ir_end_gateway(&t->end[1]));
	diag_fix(d, "move the key to a file of mode 0600 ('psk file \"secrets/%s.psk\";') or the "
		 "environment ('psk env \"VAR\";')", t->name);
}

void check_inline_secret(struct check_ctx *ctx)
{
	each_psk(ctx, inline_one, NULL);
}

enum { MIN_PSK_LEN = 20 };

/* Keys read once: many tunnels naming one key file or variable (a hub's
 * spokes) get one finding, at the first statement. */
struct psk_seen {
	struct arena arena;
	struct symtab names;
	struct strbuf name;             /* a source's name, copied when new */
};

static void weak_one(struct check_ctx *ctx, const struct ir_tunnel *t, const struct ir_psk *k,
		     void *arg)
{
	struct psk_seen *seen = arg;
	if (k->source == PSK_FILE || k->source == PSK_ENV) {
		/* A relative file name is relative to the file that names it. */
		const char *name = ck_psk_source_name(&seen->name, k);
		if (symtab_get(&seen->names, name))
			return;
		symtab_put(&seen->names, arena_strdup(&seen->arena, name), (void *)k);
	}
	struct secret key;
	if (!ck_psk_read(ctx, k, &key))
		return;
	size_t len = key.len;
	bool lower = false, upper = false, digit = false, other = false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = key.bytes[i];
		if (islower(c))
			lower = true;
		else if (isupper(c))
			upper = true;
		else if (isdigit(c))
			digit = true;
		else
			other = true;
	}
	secret_free(&key);
	int classes = lower + upper + digit + other;
	if (len >= MIN_PSK_LEN && classes > 1)
		return;
	char cls[80] = "";
	snprintf(cls, sizeof(cls), "%s%s%s%s", lower ? "lowercase, " : "", upper ? "uppercase, " : "",
		 digit ? "digits, " : "", other ? "symbols, " : "");
	size_t n = strlen(cls);
	if (n >= 2)
		cls[n - 2] = '\0';
	char src[300];
	ck_fmt_psk_source(k, src, sizeof(src));
	const char *why = len < MIN_PSK_LEN && classes <= 1 ? "short and of a single character class"
			  : len < MIN_PSK_LEN ? "shorter than 20 characters"
			  : "of a single character class";
	struct diag *d = check_report(ctx, k->loc,
		"tunnel %s's pre-shared key (%s) is %s: %zu character%s, drawn from %s; whoever "
		"captures one IKE exchange can search for it offline",
		t->name, src, why, len, len == 1 ? "" : "s", classes ? cls : "nothing");
	ck_diag_names(d, t, ir_end_gateway(&t->end[0]), ir_end_gateway(&t->end[1]));
	/* A provider's console may refuse symbols ('+', '/', '=' of base64):
	 * the key suggested must be one it takes too (platform-limit). */
	const struct ir_gateway *cloud = NULL;
	for (int e = 0; e < 2 && !cloud; e++) {
		const struct ir_gateway *g = ir_end_gateway(&t->end[e]);
		if (g && g->kind == GW_PEER && g->pinfo && g->pinfo->rules && g->pinfo->rules->psk.max_len)
			cloud = g;
	}
	if (cloud)
		diag_fix(d, "use a random key of at least 20 letters and digits, which %s's console "
			 "takes too, e.g. from 'openssl rand -hex 24'%s%s%s", cloud->name,
			 cloud->pinfo->rules->psk.bad_first ? " (draw again if it starts with '" : "",
			 cloud->pinfo->rules->psk.bad_first ? cloud->pinfo->rules->psk.bad_first : "",
			 cloud->pinfo->rules->psk.bad_first ? "')" : "");
	else
		diag_fix(d, "use a random key of at least 20 characters mixing letters, digits and "
			 "symbols, e.g. from 'openssl rand -base64 30'");
}

void check_weak_psk(struct check_ctx *ctx)
{
	struct psk_seen seen;
	arena_init(&seen.arena);
	symtab_init(&seen.names);
	seen.name = (struct strbuf)STRBUF_INIT;
	each_psk(ctx, weak_one, &seen);
	symtab_free(&seen.names);
	arena_free(&seen.arena);
	strbuf_free(&seen.name);
}

/* ---- manual-key-entropy ----
 *
 * A manually keyed SA's keys come from the pre-shared key alone
 * (model/manual_keys.c): no exchange adds randomness, so the ICV of one
 * captured packet lets anyone test guesses of the key offline, and every
 * static key of both directions follows from a right guess.  The key must
 * hold at least MIN_MANUAL_BITS by key_entropy_bits()' conservative count.
 * Each key source once, as weak-psk reads them. */

enum { MIN_MANUAL_BITS = 128 };

/* SAs given in the key file (model/manual_keys.h): each key stands alone
 * (a guess of one is tested against a packet without the others), so each
 * must count at least MIN_MANUAL_BITS, or its own length in bits when that
 * is less (an AES-128 or HMAC-MD5 key holds 128 at most), less
 * GIVEN_SLACK_BITS: the bits a random key loses to the estimate's
 * patterns by chance (a repeated or next byte, about 1 in 85 each). */
enum { GIVEN_SLACK_BITS = 16 };

static void given_entropy(struct check_ctx *ctx, const struct ir_tunnel *t, int a,
			  const struct sa_keys sa[2])
{
	const struct ir_gateway *gw[2] = {ir_end_gateway(&t->end[a]),
					  ir_end_gateway(&t->end[1 - a])};
	for (int d = 0; d < 2; d++)
		for (int which = 0; which < 2; which++) {
			const unsigned char *b = which ? sa[d].auth : sa[d].enc;
			size_t len = which ? sa[d].auth_len : sa[d].enc_len;
			if (!len)
				continue;
			int want = (int)(8 * len < MIN_MANUAL_BITS ? 8 * len : MIN_MANUAL_BITS) -
				   GIVEN_SLACK_BITS;
			double bits = key_entropy_bits(b, len);
			if (bits >= want)
				continue;
			const struct ir_psk *k = ir_end_psk(&t->end[a]);
			char src[300];
			ck_fmt_psk_source(k, src, sizeof(src));
			struct diag *dg = check_report(ctx, loc_or(k->loc, t->loc),
				"tunnel %s is keyed by hand with the SAs its key (%s) gives, and the "
				"%s key of the SA from %s to %s counts about %d bits of entropy, below "
				"%d for a key of %zu bytes: one captured packet lets anyone test "
				"guesses of it offline", t->name, src,
				which ? "integrity" : "encryption", gw[d]->name, gw[1 - d]->name,
				(int)bits, want, len);
			ck_diag_names(dg, t, gw[0], gw[1]);
			diag_fix(dg, "give random keys, e.g. from 'openssl rand -hex %zu'", len);
		}
}

static void manual_entropy_one(struct check_ctx *ctx, struct psk_seen *seen,
			       const struct ir_tunnel *t, int a)
{
	const struct ir_psk *k = ir_end_psk(&t->end[a]);
	if (k->source == PSK_NONE || !k->value)
		return;
	char *name = ck_psk_source_key(&seen->arena, k);
	if (k->source == PSK_INLINE)
		name = arena_printf(&seen->arena, "inline:%u:%u", k->loc.file, (unsigned)k->loc.offset);
	if (symtab_put(&seen->names, name, (void *)k))
		return;
	struct secret key;
	if (!ck_psk_read(ctx, k, &key))
		return;
	const struct ir_gateway *self = ir_end_gateway(&t->end[a]),
				*peer = ir_end_gateway(&t->end[1 - a]);
	struct sa_keys sa[2];
	char err[300];
	enum manual_given g = manual_given_parse(&key, self ? self->name : "",
						 peer ? peer->name : "", NULL, &sa[0], &sa[1],
						 err, sizeof(err));
	double bits = g == MANUAL_DERIVED ? key_entropy_bits(key.bytes, key.len) : 0;
	secret_free(&key);
	if (g == MANUAL_GIVEN)
		given_entropy(ctx, t, a, sa);
	keys_wipe(&sa[0]);
	keys_wipe(&sa[1]);
	if (g != MANUAL_DERIVED || bits >= MIN_MANUAL_BITS)
		return;
	char src[300];
	ck_fmt_psk_source(k, src, sizeof(src));
	struct diag *d = check_report(ctx, loc_or(k->loc, t->loc),
		"tunnel %s is keyed by hand from a pre-shared key (%s) of about %d bits of "
		"entropy, below %d: its SA keys come from that key alone, so one captured "
		"packet lets anyone test guesses of it offline (against the packet's ICV), "
		"and a right guess gives every static key of both directions",
		t->name, src, (int)bits, MIN_MANUAL_BITS);
	ck_diag_names(d, t, ir_end_gateway(&t->end[a]), ir_end_gateway(&t->end[1 - a]));
	diag_fix(d, "use a random key, e.g. from 'openssl rand -base64 32' or 'openssl rand "
		 "-hex 32', or let IKE key the tunnel (remove 'keying manual;')");
	if (loc_known(t->end[a].keying_loc))
		diag_related(d, t->end[a].keying_loc, "the tunnel is keyed by hand here");
}

/* ---- manual-key-material ----
 *
 * What model_build found wrong with the SAs a key file gives
 * (model/manual_keys.h): the form, the gateways' names, the keys' lengths
 * against the proposal, an SPI below 0x100 or taken twice at a gateway. */

void check_manual_key_material(struct check_ctx *ctx)
{
	if (!ctx->model)
		return;
	for (size_t i = 0; i < ctx->model->manual_problems.n; i++) {
		const struct manual_problem *p = &ctx->model->manual_problems.v[i];
		const struct model_tunnel *mt = p->mt;
		const struct ir_psk *psk = model_tunnel_psk(mt);
		char src[300];
		ck_fmt_psk_source(psk, src, sizeof(src));
		struct diag *d = check_report(ctx, loc_or(psk->loc, mt->ir->loc),
			"the key of tunnel %s for %s (%s) gives its SAs keyed by hand, wrongly: %s",
			mt->ir->name, model_tunnel_self(mt)->name, src, p->what);
		ck_diag_names(d, mt->ir, model_tunnel_self(mt), model_tunnel_peer(mt));
		diag_fix(d, "write one line per direction, 'from GATEWAY to GATEWAY spi SPI enc "
			 "HEX auth HEX', keys as long as the proposal's first offer takes "
			 "(doc/files-and-keys.md)");
	}
}

void check_manual_key_entropy(struct check_ctx *ctx)
{
	struct psk_seen seen;
	arena_init(&seen.arena);
	symtab_init(&seen.names);
	seen.name = (struct strbuf)STRBUF_INIT;
	for (size_t i = 0; i < ctx->ir->tunnels.n; i++) {
		const struct ir_tunnel *t = ctx->ir->tunnels.v[i];
		for (int a = 0; a < 2; a++)
			if (model_end_manual(&t->end[a]))
				manual_entropy_one(ctx, &seen, t, a);
	}
	symtab_free(&seen.names);
	arena_free(&seen.arena);
	strbuf_free(&seen.name);
}
