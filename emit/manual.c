/* Manually keyed SA pairs as the emitters that key by hand write them (see
 * manual.h): the xfrm script, IOS and PIX, for tunnels that say `keying
 * manual;`.  The SAs themselves come from src/model/manual_keys.c, as the
 * engine's do. */
#include "config.h"
#include "emit/manual.h"

#include <stdio.h>
#include <string.h>

bool manual_toward_peer(const struct model_tunnel *mt)
{
	/* Each end is written as configured: its own `keying` (a mismatch
	 * between the ends is keying-mismatch). */
	return model_end_manual(mt->here);
}

size_t manual_map_combos(const struct model_tunnel *mt, struct emit_esp_combo *c)
{
	const struct ir_ipsec *ipsec = model_tunnel_ipsec(mt);
	if (!ipsec)
		return 0;
	if (!manual_toward_peer(mt))
		return emit_ipsec_combos(ipsec, c, EMIT_COMBOS_MAX);
	struct manual_suite ms;
	manual_first_offer(ipsec, &ms);
	*c = (struct emit_esp_combo){.ah = ms.ah, .enc = ms.enc, .integ = ms.integ};
	return 1;
}

bool manual_keys(struct emit_ctx *ctx, const struct model_tunnel *mt,
		 const struct manual_suite *s, struct sa_keys *out, struct sa_keys *in)
{
	char err[512];
	switch (manual_keys_load(ctx->sources, mt, s, out, in, err, sizeof(err))) {
	case MANUAL_OK:
		ctx->holds_key = true;
		return true;
	case MANUAL_NO_KEY:
		emit_psk_error(ctx, mt, err);
		return false;
	case MANUAL_NO_SUITE:
		break;
	}
	diag_front(ctx->diags, "io-error", mt->ir->loc,
		   "OpenSSL could not derive the SA keys of tunnel %s", mt->ir->name);
	return false;
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
	const struct ir_ipsec *ps = model_tunnel_ipsec(mt);
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
		*loc = mt->here->remote_set ? ir_end_written(mt->here)->remote_loc
		       : mt->here->local_set ? ir_end_written(mt->here)->local_loc : mt->ir->loc;
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
	const struct ir_gateway *far = model_tunnel_peer(mt);
	strbuf_printf(out, "%s Keyed by hand: %s (%s) installs static SAs and runs no IKE,\n"
		      "%s so this entry holds the same two (%s %s%s%s), %s\n"
		      "%s %s:\n"
		      "%s no rekeying, no PFS.\n",
		      cmt, far->name, far->pinfo->description, cmt, ms->ah ? "AH" : "ESP",
		      ms->ah ? "" : encryption_name(ms->enc),
		      ms->ah || ms->integ == INTEG_NONE ? "" : "/",
		      ms->integ == INTEG_NONE ? "" : integrity_name(ms->integ),
		      mt->manual_given ? "SPIs and keys as the" : "keys derived from the",
		      cmt, mt->manual_given ? "tunnel's key file gives them"
		      : "tunnel's pre-shared key with HKDF-SHA-256, SPIs from the names alone",
		      cmt);
	const struct ir_ipsec *ps = model_tunnel_ipsec(mt);
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
