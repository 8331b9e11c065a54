/* IPsec SAs: setup of the OpenSSL contexts, the outer headers, the
 * anti-replay window and the Wireshark keylog line.  ESP and AH framing
 * are in esp.c and ah.c. */
#include "config.h"
#include "engine/ipsec_internal.h"
#include "model/overhead.h"

#include <stdio.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#define X_NAME(id, name) [id] = name,
static const char *const result_names[] = { IPSEC_RESULTS(X_NAME) };
#undef X_NAME

const char *ipsec_drop_reason_name(enum ipsec_result r)
{
	if ((unsigned)r >= IPSEC_RESULT__COUNT)
		return "unknown";
	return result_names[r];
}

bool ipsec_drop_reason_lookup(const char *name, enum ipsec_result *out)
{
	for (unsigned i = 0; i < IPSEC_RESULT__COUNT; i++) {
		if (strcmp(result_names[i], name) == 0) {
			*out = (enum ipsec_result)i;
			return true;
		}
	}
	return false;
}

/* Everything the data plane needs to know per algorithm, in one place. */
struct enc_info {
	const char *openssl;            /* cipher name for EVP_CIPHER_fetch; NULL: none */
	size_t key_len;                 /* including the GCM salt */
	/* the IV and the block: model/overhead.c */
	const char *wireshark;          /* esp_sa UAT encryption string */
};

static const struct enc_info enc_table[ENC__COUNT] = {
	[ENC_NULL] = { NULL, 0, "NULL" },
	[ENC_DES] = { "DES-CBC", 8, "DES-CBC [RFC2405]" },
	[ENC_3DES] = { "DES-EDE3-CBC", 24, "TripleDES-CBC [RFC2451]" },
	[ENC_AES128] = { "AES-128-CBC", 16, "AES-CBC [RFC3602]" },
	[ENC_AES192] = { "AES-192-CBC", 24, "AES-CBC [RFC3602]" },
	[ENC_AES256] = { "AES-256-CBC", 32, "AES-CBC [RFC3602]" },
	[ENC_AES128_GCM] = { "AES-128-GCM", 16 + 4, "AES-GCM with 16 octet ICV [RFC4106]" },
	[ENC_AES256_GCM] = { "AES-256-GCM", 32 + 4, "AES-GCM with 16 octet ICV [RFC4106]" },
};

struct integ_info {
	const char *digest;             /* OpenSSL digest name; NULL: none */
	size_t key_len;                 /* RFC 2403/2404/4868 key sizes */
	const char *wireshark;
};

static const struct integ_info integ_table[INTEG__COUNT] = {
	[INTEG_NONE] = { NULL, 0, "NULL" },
	[INTEG_MD5] = { "MD5", 16, "HMAC-MD5-96 [RFC2403]" },
	[INTEG_SHA1] = { "SHA1", 20, "HMAC-SHA-1-96 [RFC2404]" },
	[INTEG_SHA256] = { "SHA256", 32, "HMAC-SHA-256-128 [RFC4868]" },
	[INTEG_SHA384] = { "SHA384", 48, "HMAC-SHA-384-192 [RFC4868]" },
	[INTEG_SHA512] = { "SHA512", 64, "HMAC-SHA-512-256 [RFC4868]" },
};

size_t ipsec_enc_key_len(enum encryption e)
{
	return (unsigned)e < ENC__COUNT ? enc_table[e].key_len : 0;
}

size_t ipsec_auth_key_len(enum integrity i)
{
	return (unsigned)i < INTEG__COUNT ? integ_table[i].key_len : 0;
}

static bool fail(char *err, size_t err_size, const char *msg)
{
	if (err && err_size)
		snprintf(err, err_size, "%s", msg);
	return false;
}

static bool prepare_cipher(struct ipsec_sa *sa, const struct enc_info *ei,
			   char *err, size_t err_size)
{
	EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, ei->openssl, NULL);
	if (!cipher) {
		char msg[128];
		snprintf(msg, sizeof(msg), "cipher %s is not available in this OpenSSL",
			 ei->openssl);
		return fail(err, err_size, msg);
	}
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int enc = sa->cfg.dir == IPSEC_SA_OUT;
	size_t aes_key = sa->aead ? ei->key_len - 4 : ei->key_len;
	bool ok = ctx && EVP_CipherInit_ex(ctx, cipher, NULL, NULL, NULL, enc) == 1 &&
		  (size_t)EVP_CIPHER_CTX_get_key_length(ctx) == aes_key &&
		  EVP_CipherInit_ex(ctx, NULL, NULL, sa->enc_key, NULL, enc) == 1 &&
		  EVP_CIPHER_CTX_set_padding(ctx, 0) == 1;
	EVP_CIPHER_free(cipher);        /* the context keeps its own reference */
	if (!ok) {
		EVP_CIPHER_CTX_free(ctx);
		return fail(err, err_size, "cannot prepare the cipher context");
	}
	sa->cipher_ctx = ctx;
	return true;
}

static bool prepare_mac(struct ipsec_sa *sa, const struct integ_info *ii,
			char *err, size_t err_size)
{
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
	EVP_MAC_free(mac);
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)ii->digest, 0),
		OSSL_PARAM_construct_end(),
	};
	if (!ctx || EVP_MAC_init(ctx, sa->auth_key, ii->key_len, params) != 1) {
		EVP_MAC_CTX_free(ctx);
		char msg[128];
		snprintf(msg, sizeof(msg), "HMAC-%s is not available in this OpenSSL", ii->digest);
		return fail(err, err_size, msg);
	}
	sa->mac_ctx = ctx;
	return true;
}

static void replay_init(struct ipsec_replay *w, unsigned size)
{
	memset(w, 0, sizeof(*w));
	w->size = size ? size : IPSEC_REPLAY_DEFAULT;
	w->words = 1;
	while (w->words <= w->size / 64)
		w->words *= 2;
	/* A window of exactly words*64 bits would lose its oldest bit when the
	 * top advances into a new word: keep a spare word. */
	if (w->words * 64 < w->size + 64)
		w->words *= 2;
}

bool ipsec_sa_init(struct ipsec_sa *sa, const struct ipsec_sa_config *cfg,
		   char *err, size_t err_size)
{
	memset(sa, 0, sizeof(*sa));
	if (cfg->dir != IPSEC_SA_OUT && cfg->dir != IPSEC_SA_IN)
		return fail(err, err_size, "bad SA direction");
	if (cfg->protocol != IPSEC_ESP && cfg->protocol != IPSEC_AH)
		return fail(err, err_size, "bad SA protocol");
	if (cfg->spi < 256)
		return fail(err, err_size, "SPI values 0-255 are reserved (RFC 4303 §2.1)");
	if ((cfg->src.family != AF_V4 && cfg->src.family != AF_V6) ||
	    cfg->src.family != cfg->dst.family)
		return fail(err, err_size, "tunnel endpoints must be two addresses of one family");
	if ((unsigned)cfg->integ >= INTEG__COUNT)
		return fail(err, err_size, "unknown integrity algorithm");
	if (cfg->replay_window > IPSEC_REPLAY_MAX)
		return fail(err, err_size, "anti-replay window too large");

	enum encryption enc = cfg->protocol == IPSEC_AH ? ENC_NULL : cfg->enc;
	if ((unsigned)enc >= ENC__COUNT)
		return fail(err, err_size, "unknown encryption algorithm");
	const struct enc_info *ei = &enc_table[enc];
	const struct integ_info *ii = &integ_table[cfg->integ];
	bool aead = encryption_is_aead(enc);

	if (cfg->protocol == IPSEC_AH && cfg->integ == INTEG_NONE)
		return fail(err, err_size, "AH needs an integrity algorithm");
	if (cfg->protocol == IPSEC_AH && cfg->udp_encap)
		return fail(err, err_size, "AH cannot be UDP-encapsulated (RFC 3948 is ESP only)");
	if (aead && cfg->integ != INTEG_NONE)
		return fail(err, err_size, "AES-GCM carries its own ICV: integrity must be none");
	if (!aead && cfg->protocol == IPSEC_ESP && cfg->integ == INTEG_NONE)
		return fail(err, err_size,
			    "ESP without integrity is not supported (RFC 4303 §3.2: "
			    "confidentiality-only ESP is open to active attacks)");
	if (cfg->protocol == IPSEC_ESP && cfg->enc_key_len != ei->key_len)
		return fail(err, err_size, "encryption key has the wrong length for its algorithm");
	if (cfg->auth_key_len != ii->key_len)
		return fail(err, err_size, "authentication key has the wrong length for its algorithm");
	if ((cfg->enc_key_len && !cfg->enc_key) || (cfg->auth_key_len && !cfg->auth_key))
		return fail(err, err_size, "missing key bytes");
	if (cfg->dir == IPSEC_SA_OUT && ipsec_iv_len(enc) && !cfg->iv_fn)
		return fail(err, err_size, "an outbound SA needs an IV generator");

	sa->cfg = *cfg;
	sa->cfg.enc = enc;
	if (cfg->protocol == IPSEC_ESP) {
		memcpy(sa->enc_key, cfg->enc_key, ei->key_len);
		sa->cfg.enc_key = sa->enc_key;
	} else {
		sa->cfg.enc_key = NULL;
		sa->cfg.enc_key_len = 0;
	}
	if (ii->key_len)
		memcpy(sa->auth_key, cfg->auth_key, ii->key_len);
	sa->cfg.auth_key = sa->auth_key;
	if (sa->cfg.udp_encap) {
		if (!sa->cfg.sport)
			sa->cfg.sport = IPSEC_NATT_PORT;
		if (!sa->cfg.dport)
			sa->cfg.dport = IPSEC_NATT_PORT;
	}
	if (!sa->cfg.ttl)
		sa->cfg.ttl = 64;
	sa->aead = aead;
	/* The sizes lint's overhead computation uses (model/overhead.c). */
	sa->iv_len = ipsec_iv_len(enc);
	sa->block_len = ipsec_block_len(enc);
	sa->icv_len = ipsec_icv_len(enc, cfg->integ);
	if (aead)
		memcpy(sa->salt, sa->enc_key + ei->key_len - 4, 4);
	replay_init(&sa->replay, cfg->replay_window);

	if (ei->openssl && !prepare_cipher(sa, ei, err, err_size)) {
		OPENSSL_cleanse(sa, sizeof(*sa));
		return false;
	}
	if (ii->digest && !prepare_mac(sa, ii, err, err_size)) {
		EVP_CIPHER_CTX_free(sa->cipher_ctx);
		OPENSSL_cleanse(sa, sizeof(*sa));
		return false;
	}
	return true;
}

void ipsec_sa_free(struct ipsec_sa *sa)
{
	if (!sa)
		return;
	EVP_CIPHER_CTX_free(sa->cipher_ctx);
	EVP_MAC_CTX_free(sa->mac_ctx);
	sa->cipher_ctx = NULL;
	sa->mac_ctx = NULL;
	OPENSSL_cleanse(sa->enc_key, sizeof(sa->enc_key));
	OPENSSL_cleanse(sa->auth_key, sizeof(sa->auth_key));
	OPENSSL_cleanse(sa->salt, sizeof(sa->salt));
}

size_t ipsec_outer_hdr_len(const struct ipsec_sa *sa)
{
	size_t n = sa->cfg.dst.family == AF_V6 ? IPV6_HDR : IPV4_HDR;
	return sa->cfg.udp_encap ? n + UDP_HDR : n;
}

size_t ipsec_overhead_max(const struct ipsec_sa *sa)
{
	if (sa->cfg.protocol == IPSEC_AH)       /* + ICV padding to 8 bytes over IPv6 */
		return ipsec_outer_hdr_len(sa) + AH_FIXED + sa->icv_len + 4;
	/* header, IV, at most block_len - 1 pad bytes, pad length, next header, ICV */
	return ipsec_outer_hdr_len(sa) + ESP_HDR + sa->iv_len + sa->block_len - 1 + 2 +
	       sa->icv_len;
}

uint16_t ipsec_ip_checksum(const uint8_t *p, size_t len, uint32_t sum)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

void ipsec_write_outer(const struct ipsec_sa *sa, uint8_t *out, size_t total,
		       uint8_t tos, uint32_t seq)
{
	const struct ipsec_sa_config *c = &sa->cfg;
	uint8_t proto = c->udp_encap ? IPPROTO_UDP_
			: c->protocol == IPSEC_AH ? IPPROTO_AH_ : IPPROTO_ESP_;
	size_t ip_hdr;
	if (c->dst.family == AF_V4) {
		ip_hdr = IPV4_HDR;
		out[0] = 0x45;
		out[1] = tos;
		put16(out + 2, (uint16_t)total);
		put16(out + 4, (uint16_t)seq);  /* identification: deterministic */
		put16(out + 6, 0);              /* no DF: the tunnel may fragment */
		out[8] = c->ttl;
		out[9] = proto;
		put16(out + 10, 0);
		memcpy(out + 12, c->src.b, 4);
		memcpy(out + 16, c->dst.b, 4);
		put16(out + 10, ipsec_ip_checksum(out, IPV4_HDR, 0));
	} else {
		ip_hdr = IPV6_HDR;
		put32(out, 6u << 28 | (uint32_t)tos << 20);
		put16(out + 4, (uint16_t)(total - IPV6_HDR));
		out[6] = proto;
		out[7] = c->ttl;
		memcpy(out + 8, c->src.b, 16);
		memcpy(out + 24, c->dst.b, 16);
	}
	if (c->udp_encap) {
		uint8_t *udp = out + ip_hdr;
		put16(udp, c->sport);
		put16(udp + 2, c->dport);
		put16(udp + 4, (uint16_t)(total - ip_hdr));
		put16(udp + 6, 0);      /* RFC 3948 §2.1: zero over IPv4 */
	}
}

void ipsec_finish_udp6(uint8_t *pkt, size_t total)
{
	size_t ulen = total - IPV6_HDR;
	uint32_t sum = 0;
	for (size_t i = 8; i < 40; i += 2)     /* source and destination */
		sum += get16(pkt + i);
	sum += (uint32_t)ulen;
	sum += IPPROTO_UDP_;
	uint16_t c = ipsec_ip_checksum(pkt + IPV6_HDR, ulen, sum);
	put16(pkt + IPV6_HDR + 6, c ? c : 0xffff);
}

bool ipsec_inner_kind(const uint8_t *inner, size_t len, uint8_t *next_header, uint8_t *tos)
{
	if (len >= IPV4_HDR && inner[0] >> 4 == 4) {
		*next_header = IPPROTO_IPIP_;
		*tos = inner[1];
		return true;
	}
	if (len >= IPV6_HDR && inner[0] >> 4 == 6) {
		*next_header = IPPROTO_IPV6_;
		*tos = (uint8_t)(get16(inner) >> 4);
		return true;
	}
	return false;
}

bool ipsec_inner_matches(uint8_t next_header, const uint8_t *inner, size_t len)
{
	if (next_header == IPPROTO_IPIP_)
		return len >= IPV4_HDR && inner[0] >> 4 == 4;
	if (next_header == IPPROTO_IPV6_)
		return len >= IPV6_HDR && inner[0] >> 4 == 6;
	return false;
}

enum ipsec_result ipsec_replay_check(const struct ipsec_replay *w, uint32_t seq)
{
	if (seq == 0)
		return IPSEC_REPLAYED;  /* never sent: the first number is 1 */
	if (seq > w->top)
		return IPSEC_OK;
	if (w->top - seq >= w->size)
		return IPSEC_TOO_OLD;
	unsigned bit = seq % (w->words * 64);
	if (w->bits[bit / 64] & (UINT64_C(1) << (bit % 64)))
		return IPSEC_REPLAYED;
	return IPSEC_OK;
}

void ipsec_replay_update(struct ipsec_replay *w, uint32_t seq)
{
	if (seq > w->top) {
		uint32_t cur = w->top / 64, next = seq / 64;
		uint32_t diff = next - cur;
		if (diff > w->words)
			diff = w->words;
		for (uint32_t i = 1; i <= diff; i++)
			w->bits[(cur + i) % w->words] = 0;
		w->top = seq;
	}
	unsigned bit = seq % (w->words * 64);
	w->bits[bit / 64] |= UINT64_C(1) << (bit % 64);
}

bool ipsec_hmac(struct ipsec_sa *sa, const uint8_t *a, size_t alen,
		const uint8_t *b, size_t blen, const uint8_t *c, size_t clen,
		uint8_t *mac)
{
	size_t n;
	/* NULL key: restart with the key given at setup (no allocation). */
	return EVP_MAC_init(sa->mac_ctx, NULL, 0, NULL) == 1 &&
	       (!alen || EVP_MAC_update(sa->mac_ctx, a, alen) == 1) &&
	       (!blen || EVP_MAC_update(sa->mac_ctx, b, blen) == 1) &&
	       (!clen || EVP_MAC_update(sa->mac_ctx, c, clen) == 1) &&
	       EVP_MAC_final(sa->mac_ctx, mac, &n, EVP_MAX_MD_SIZE) == 1 &&
	       n >= sa->icv_len;
}

/* RFC 3948 §2.2: a UDP datagram to the NAT-T port is ESP when its first
 * four bytes (the SPI) are not zero; zero marks IKE, and a single 0xff byte
 * is a NAT keepalive. */
static enum ipsec_result parse_udp(const uint8_t *p, size_t len, uint16_t natt_port,
				   struct ipsec_outer *o, size_t off)
{
	if (len - off < UDP_HDR)
		return IPSEC_TRUNCATED;
	uint16_t ulen = get16(p + off + 4);
	if (ulen < UDP_HDR || ulen > len - off)
		return ulen < UDP_HDR ? IPSEC_BAD_HEADER : IPSEC_TRUNCATED;
	o->sport = get16(p + off);
	o->dport = get16(p + off + 2);
	if (o->dport != (natt_port ? natt_port : IPSEC_NATT_PORT))
		return IPSEC_BAD_HEADER;
	o->udp_encap = true;
	o->ip_len = off + ulen;
	off += UDP_HDR;
	if (o->ip_len - off < ESP_HDR)
		return ulen == UDP_HDR + 1 ? IPSEC_BAD_HEADER : IPSEC_TRUNCATED;
	if (get32(p + off) == 0)
		return IPSEC_BAD_HEADER;
	o->protocol = IPSEC_ESP;
	o->ipsec_off = off;
	return IPSEC_OK;
}

enum ipsec_result ipsec_parse_outer(const uint8_t *p, size_t len, uint16_t natt_port,
				    struct ipsec_outer *o)
{
	memset(o, 0, sizeof(*o));
	if (len < 1)
		return IPSEC_TRUNCATED;
	uint8_t proto;
	size_t off;
	if (p[0] >> 4 == 4) {
		if (len < IPV4_HDR)
			return IPSEC_TRUNCATED;
		size_t ihl = (size_t)(p[0] & 0x0f) * 4;
		size_t total = get16(p + 2);
		if (ihl < IPV4_HDR || total < ihl)
			return IPSEC_BAD_HEADER;
		if (ihl > len || total > len)
			return IPSEC_TRUNCATED;
		if (get16(p + 6) & 0x3fff)      /* MF or a fragment offset */
			return IPSEC_BAD_HEADER;
		o->family = AF_V4;
		o->src.family = o->dst.family = AF_V4;
		memcpy(o->src.b, p + 12, 4);
		memcpy(o->dst.b, p + 16, 4);
		proto = p[9];
		off = ihl;
		o->ip_len = total;
	} else if (p[0] >> 4 == 6) {
		if (len < IPV6_HDR)
			return IPSEC_TRUNCATED;
		size_t total = IPV6_HDR + (size_t)get16(p + 4);
		if (total > len)
			return IPSEC_TRUNCATED;
		o->family = AF_V6;
		o->src.family = o->dst.family = AF_V6;
		memcpy(o->src.b, p + 8, 16);
		memcpy(o->dst.b, p + 24, 16);
		proto = p[6];
		off = IPV6_HDR;
		o->ip_len = total;
	} else {
		return IPSEC_BAD_HEADER;
	}

	enum ipsec_result r;
	switch (proto) {
	case IPPROTO_ESP_:
		if (o->ip_len - off < ESP_HDR)
			return IPSEC_TRUNCATED;
		o->protocol = IPSEC_ESP;
		o->ipsec_off = off;
		break;
	case IPPROTO_AH_:
		if (o->ip_len - off < AH_FIXED)
			return IPSEC_TRUNCATED;
		o->protocol = IPSEC_AH;
		o->ipsec_off = off;
		break;
	case IPPROTO_UDP_:
		r = parse_udp(p, o->ip_len, natt_port, o, off);
		if (r != IPSEC_OK)
			return r;
		break;
	default:
		return IPSEC_BAD_HEADER;
	}
	size_t spi_at = o->protocol == IPSEC_AH ? 4 : 0;
	o->spi = get32(p + o->ipsec_off + spi_at);
	o->seq = get32(p + o->ipsec_off + spi_at + 4);
	return IPSEC_OK;
}

enum ipsec_result ipsec_encapsulate(struct ipsec_sa *sa,
				    const uint8_t *inner, size_t inner_len,
				    uint8_t *out, size_t out_size, size_t *out_len)
{
	*out_len = 0;
	if (sa->cfg.dir != IPSEC_SA_OUT)
		return ipsec_count(sa, IPSEC_WRONG_DIRECTION, 0);
	if (sa->seq == UINT32_MAX)
		return ipsec_count(sa, IPSEC_SEQ_OVERFLOW, 0);
	enum ipsec_result r = sa->cfg.protocol == IPSEC_AH
		? ipsec_ah_encapsulate(sa, inner, inner_len, out, out_size, out_len)
		: ipsec_esp_encapsulate(sa, inner, inner_len, out, out_size, out_len);
	return ipsec_count(sa, r, inner_len);
}

enum ipsec_result ipsec_decapsulate(struct ipsec_sa *sa,
				    const uint8_t *pkt, size_t len,
				    uint8_t *out, size_t out_size, size_t *out_len)
{
	*out_len = 0;
	if (sa->cfg.dir != IPSEC_SA_IN)
		return ipsec_count(sa, IPSEC_WRONG_DIRECTION, 0);
	struct ipsec_outer o;
	uint16_t port = sa->cfg.udp_encap ? sa->cfg.dport : 0;
	enum ipsec_result r = ipsec_parse_outer(pkt, len, port, &o);
	if (r != IPSEC_OK)
		return ipsec_count(sa, r, 0);
	if (o.udp_encap != sa->cfg.udp_encap)
		return ipsec_count(sa, IPSEC_BAD_HEADER, 0);
	if (o.protocol != sa->cfg.protocol || o.spi != sa->cfg.spi)
		return ipsec_count(sa, IPSEC_UNKNOWN_SPI, 0);
	r = sa->cfg.protocol == IPSEC_AH
		? ipsec_ah_decapsulate(sa, pkt, &o, out, out_size, out_len)
		: ipsec_esp_decapsulate(sa, pkt, &o, out, out_size, out_len);
	if (r != IPSEC_OK)
		*out_len = 0;
	return ipsec_count(sa, r, *out_len);
}

static void hex(char *dst, const uint8_t *b, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		dst[2 * i] = digits[b[i] >> 4];
		dst[2 * i + 1] = digits[b[i] & 15];
	}
	dst[2 * n] = '\0';
}

int ipsec_sa_keylog_line(const struct ipsec_sa *sa, char *buf, size_t size)
{
	if (sa->cfg.protocol != IPSEC_ESP)
		return -1;
	char src[ADDR_STRLEN], dst[ADDR_STRLEN];
	char ekey[2 * IPSEC_MAX_KEY + 3] = "", akey[2 * IPSEC_MAX_KEY + 3] = "";
	const struct enc_info *ei = &enc_table[sa->cfg.enc];
	const struct integ_info *ii = &integ_table[sa->cfg.integ];
	addr_format(&sa->cfg.src, src, sizeof(src));
	addr_format(&sa->cfg.dst, dst, sizeof(dst));
	if (ei->key_len) {
		memcpy(ekey, "0x", 2);
		hex(ekey + 2, sa->enc_key, ei->key_len);
	}
	if (ii->key_len) {
		memcpy(akey, "0x", 2);
		hex(akey + 2, sa->auth_key, ii->key_len);
	}
	int n = snprintf(buf, size, "\"%s\",\"%s\",\"%s\",\"0x%08x\",\"%s\",\"%s\",\"%s\",\"%s\"",
			 sa->cfg.src.family == AF_V6 ? "IPv6" : "IPv4", src, dst,
			 (unsigned)sa->cfg.spi, ei->wireshark, ekey, ii->wireshark, akey);
	OPENSSL_cleanse(ekey, sizeof(ekey));
	OPENSSL_cleanse(akey, sizeof(akey));
	return n;
}
