/* Manually keyed SA pairs shared by the emitters (see manual.h).
 *
 * The labels and key lengths below must stay those of emit_xfrm.c's
 * xfrm_enc / xfrm_auth tables: they enter the HKDF info, so a different
 * label would give the two ends different keys.  tests/both-ends.sh reads
 * the keys back from both ends' files and compares them. */
#include "config.h"
#include "emit/manual.h"

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
	const struct platform_info *self = mt->self ? mt->self->pinfo : NULL;
	const struct platform_info *peer = mt->peer ? mt->peer->pinfo : NULL;
	return self && peer && !self->manual_keying && self->manual_keying_capable &&
	       peer->manual_keying;
}

void manual_first_offer(const struct ir_ipsec *ps, struct manual_suite *out)
{
	out->ah = ps->protocol == IPSEC_AH;
	out->enc = !out->ah && ps->encryption.n ? ps->encryption.v[0] : ENC_NULL;
	out->integ = ps->integrity.n ? ps->integrity.v[0] : INTEG_NONE;
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

size_t manual_selector_pairs(const struct model_tunnel *mt)
{
	size_t n = 0;
	const struct ir_tunnel_end *e = mt->here;
	for (size_t l = 0; l < e->local.n; l++)
		for (size_t r = 0; r < e->remote.n; r++)
			n += e->local.v[l].p.addr.family == e->remote.v[r].p.addr.family;
	return n;
}
