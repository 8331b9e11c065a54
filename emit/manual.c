/* Manually keyed SA pairs shared by the emitters that key by hand (see
 * manual.h): the xfrm script, IOS and PIX, for tunnels that say `keying manual;`.
 *
 * The labels below are the Linux kernel's algorithm names, which the xfrm
 * script writes and which also enter the HKDF info: one table, so every end
 * derives the same keys.  tests/both-ends.sh reads the keys back from both
 * ends' files and compares them. */
#include "config.h"
#include "emit/manual.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *label;
	size_t key;
} enc_table[ENC__COUNT] = {
	[ENC_NULL] = {"ecb(cipher_null)", 0},
	[ENC_DES] = {"cbc(des)", 8},
	[ENC_3DES] = {"cbc(des3_ede)", 24},
	[ENC_AES128] = {"cbc(aes)", 16},
	[ENC_AES192] = {"cbc(aes)", 24},
	[ENC_AES256] = {"cbc(aes)", 32},
};

/* An HMAC key as long as the digest (RFC 2104 §3, RFC 2404, RFC 4868). */
static const struct {
	const char *label;
	size_t key;
} auth_table[INTEG__COUNT] = {
	[INTEG_MD5] = {"hmac(md5)", 16},
	[INTEG_SHA1] = {"hmac(sha1)", 20},
	[INTEG_SHA256] = {"hmac(sha256)", 32},
	[INTEG_SHA384] = {"hmac(sha384)", 48},
	[INTEG_SHA512] = {"hmac(sha512)", 64},
};

bool manual_toward_peer(const struct model_tunnel *mt)
{
	/* Each end is written as configured: its own `keying` (a mismatch
	 * between the ends is keying-mismatch). */
	return model_end_manual(mt->here);
}

void manual_first_offer(const struct ir_ipsec *ps, struct manual_suite *out)
{
	out->ah = ps->protocol == IPSEC_AH;
	out->enc = !out->ah && ps->encryption.n ? ps->encryption.v[0] : ENC_NULL;
	out->integ = ps->integrity.n ? ps->integrity.v[0] : INTEG_NONE;
}

size_t manual_map_combos(const struct model_tunnel *mt, struct emit_esp_combo *c)
{
	if (!mt->ipsec)
		return 0;
	if (!manual_toward_peer(mt))
		return emit_ipsec_combos(mt->ipsec, c, EMIT_COMBOS_MAX);
	struct manual_suite ms;
	manual_first_offer(mt->ipsec, &ms);
	*c = (struct emit_esp_combo){.ah = ms.ah, .enc = ms.enc, .integ = ms.integ};
	return 1;
}

const char *manual_enc_label(enum encryption e, size_t *key_len)
{
	if ((unsigned)e >= ENC__COUNT || !enc_table[e].label)
		return NULL;
	*key_len = enc_table[e].key;
	return enc_table[e].label;
}

const char *manual_auth_label(enum integrity i, size_t *key_len)
{
	if ((unsigned)i >= INTEG__COUNT || !auth_table[i].label)
		return NULL;
	*key_len = auth_table[i].key;
	return auth_table[i].label;
}

bool manual_derive(const struct emit_secret *key, const struct model_tunnel *mt,
		   const struct manual_suite *s, struct sa_keys *out, struct sa_keys *in)
{
	memset(out, 0, sizeof(*out));
	memset(in, 0, sizeof(*in));
	const char *enc_label = "", *auth_label = "";
	size_t enc_len = 0, auth_len = 0;
	if (!s->ah && !(enc_label = manual_enc_label(s->enc, &enc_len)))
		return false;
	if (s->integ != INTEG_NONE && !(auth_label = manual_auth_label(s->integ, &auth_len)))
		return false;
	/* The same arguments as emit_xfrm.c: (tunnel, sender, receiver). */
	const char *self = mt->self->name, *peer = mt->peer ? mt->peer->name : "";
	return keys_derive_sa(key->bytes, key->len, mt->ir->name, self, peer, enc_label, enc_len,
			      auth_label, auth_len, out) &&
	       keys_derive_sa(key->bytes, key->len, mt->ir->name, peer, self, enc_label, enc_len,
			      auth_label, auth_len, in);
}

bool manual_keys(struct emit_ctx *ctx, const struct model_tunnel *mt,
		 const struct manual_suite *s, struct sa_keys *out, struct sa_keys *in)
{
	memset(out, 0, sizeof(*out));
	memset(in, 0, sizeof(*in));
	struct emit_secret key;
	if (!emit_psk_read(ctx, mt, &key))
		return false;
	bool ok = manual_derive(&key, mt, s, out, in);
	emit_secret_free(&key);
	if (!ok) {
		diag_front(ctx->diags, "io-error", mt->ir->loc,
			   "OpenSSL could not derive the SA keys of tunnel %s", mt->ir->name);
		keys_wipe(out);
		keys_wipe(in);
		return false;
	}
	ctx->holds_key = true;
	return true;
}

/* ---- Cisco ipsec-manual entries (IOS, PIX) ----
 *
 * Syntax: `crypto map NAME SEQ ipsec-manual` with `set peer`, `match
 * address`, one `set transform-set` and `set session-key {inbound |
 * outbound} esp SPI cipher HEX [authenticator HEX]` (`ah SPI HEX` for AH):
 * Cisco IOS Security Command Reference, `set session-key`; Cisco PIX 6.3
 * command reference, `crypto map`.  The SPI is decimal; each key is hex
 * of the algorithm's key length (3DES 48 digits, AES-128/192/256 32/48/64,
 * HMAC-MD5 32, HMAC-SHA-1 40, HMAC-SHA-256 64): an IOS 15 router keyed
 * against a Linux `setkey` end with `esp-aes esp-sha256-hmac` carries
 * exactly those lengths.  The access list of a manual entry takes a single
 * permit entry and a manual entry a single transform set (PIX 6.3
 * configuration guide, "Configuring Manual IPSec"), and UDP encapsulation
 * (NAT-T) is only ever negotiated by IKE. */

bool manual_cisco_check(const struct model_tunnel *mt, struct manual_suite *ms, char *what,
			size_t what_size, struct tunc_loc *loc)
{
	const struct ir_ipsec *ps = mt->ipsec;
	manual_first_offer(ps, ms);
	size_t len;
	*loc = ps->loc;
	if (!ms->ah && encryption_is_aead(ms->enc)) {
		if (ps->encryption_loc.file)
			*loc = ps->encryption_loc;
		snprintf(what, what_size, "%s keyed by hand (a static GCM key repeats its nonces "
			 "after every restart: RFC 4106 §8.1 forbids it)", encryption_name(ms->enc));
		return false;
	}
	if ((!ms->ah && !manual_enc_label(ms->enc, &len)) ||
	    (ms->integ != INTEG_NONE && !manual_auth_label(ms->integ, &len)) ||
	    (ms->ah && ms->integ == INTEG_NONE) || (!ms->ah && ms->enc == ENC_NULL &&
						    ms->integ == INTEG_NONE)) {
		snprintf(what, what_size, "this suite as manually keyed SAs");
		return false;
	}
	size_t pairs = model_tunnel_selectors(mt, 0).n;
	if (pairs != 1) {
		*loc = mt->here->remote_set ? mt->here->remote_loc
		       : mt->here->local_set ? mt->here->local_loc : mt->ir->loc;
		snprintf(what, what_size, "tunnel %s's %zu selector pairs as one manually keyed "
			 "entry (its access list takes a single permit line; split the tunnel, "
			 "one per subnet pair)", mt->ir->name, pairs);
		return false;
	}
	if (mt->nat_traversal) {
		*loc = mt->ir->nat_traversal_loc.file ? mt->ir->nat_traversal_loc : mt->ir->loc;
		snprintf(what, what_size, "NAT traversal on manually keyed SAs (ESP in UDP is "
			 "negotiated by IKE only)");
		return false;
	}
	return true;
}

static void put_hex(struct strbuf *out, const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		strbuf_printf(out, "%02x", b[i]);
}

void manual_cisco_session_key(struct strbuf *out, const char *prefix, const char *dir,
			      const struct manual_suite *ms, const struct sa_keys *k)
{
	strbuf_printf(out, "%sset session-key %s %s %lu", prefix, dir, ms->ah ? "ah" : "esp",
		      (unsigned long)k->spi);
	if (ms->ah) {
		strbuf_putc(out, ' ');
		put_hex(out, k->auth, k->auth_len);
	} else {
		if (k->enc_len) {
			strbuf_puts(out, " cipher ");
			put_hex(out, k->enc, k->enc_len);
		}
		if (k->auth_len) {
			strbuf_puts(out, " authenticator ");
			put_hex(out, k->auth, k->auth_len);
		}
	}
	strbuf_putc(out, '\n');
}

void manual_cisco_comment(struct strbuf *out, const char *cmt, const struct model_tunnel *mt,
			  const struct manual_suite *ms)
{
	const struct ir_gateway *far = mt->peer;
	strbuf_printf(out, "%s Keyed by hand: %s (%s) installs static SAs and runs no IKE,\n"
		      "%s so this entry holds the same two (%s %s%s%s), SPIs and keys derived from\n"
		      "%s the tunnel's pre-shared key with HKDF-SHA-256: no rekeying, no PFS.\n",
		      cmt, far->name, far->pinfo->description, cmt, ms->ah ? "AH" : "ESP",
		      ms->ah ? "" : encryption_name(ms->enc),
		      ms->ah || ms->integ == INTEG_NONE ? "" : "/",
		      ms->integ == INTEG_NONE ? "" : integrity_name(ms->integ), cmt);
	const struct ir_ipsec *ps = mt->ipsec;
	if (ps->encryption.n > 1 || ps->integrity.n > 1)
		strbuf_printf(out, "%s Manually keyed SAs negotiate nothing: the first offer of "
			      "ipsec %s is used.\n", cmt, ps->name ? ps->name : "");
	if (ps->pfs)
		strbuf_printf(out, "%s pfs %u is described; manually keyed SAs have no PFS.\n", cmt,
			      ps->pfs);
	if (!ms->ah && ms->enc == ENC_NULL)
		strbuf_printf(out, "%s Uncertain: the session-key form for esp-null (no cipher "
			      "key) is not documented.\n", cmt);
	strbuf_printf(out, "%s Sequence numbers restart with the SAs: re-apply the map on both "
		      "ends after either restarts.\n", cmt);
}
