/* The bytes IPsec adds to a packet (overhead.h).  The engine's SAs take
 * their IV, block and ICV sizes from here too (src/engine/sa.c), so what
 * lint predicts is what the engine puts on the wire. */
#include "config.h"
#include "model/overhead.h"

#include <stdio.h>

#define IPV4_HEADER 20
#define IPV6_HEADER 40
#define UDP_HEADER 8
#define ESP_HEADER 8                    /* SPI, sequence number */
#define ESP_TRAILER 2                   /* pad length, next header */
#define AH_HEADER 12                    /* next header .. sequence number */
#define GCM_ICV 16                      /* RFC 4106 §6 */

static const struct {
	size_t iv, block;
} enc_sizes[ENC__COUNT] = {
	[ENC_NULL] = {0, 4},            /* RFC 2410 */
	[ENC_DES] = {8, 8},             /* RFC 2405 */
	[ENC_3DES] = {8, 8},            /* RFC 2451 */
	[ENC_AES128] = {16, 16},        /* RFC 3602 */
	[ENC_AES192] = {16, 16},
	[ENC_AES256] = {16, 16},
	[ENC_AES128_GCM] = {8, 4},      /* RFC 4106 §3.1, §3.2 */
	[ENC_AES256_GCM] = {8, 4},
};

size_t ipsec_iv_len(enum encryption e)
{
	return (unsigned)e < ENC__COUNT ? enc_sizes[e].iv : 0;
}

size_t ipsec_block_len(enum encryption e)
{
	return (unsigned)e < ENC__COUNT ? enc_sizes[e].block : 4;
}

size_t ipsec_icv_len(enum encryption e, enum integrity i)
{
	return encryption_is_aead(e) ? GCM_ICV : integrity_icv_bits(i) / 8;
}

struct ipsec_overhead ipsec_overhead_of(const struct ipsec_suite *s, size_t inner_len)
{
	struct ipsec_overhead o = {0};
	o.outer_ip = s->outer_family == AF_V6 ? IPV6_HEADER : IPV4_HEADER;
	if (s->protocol == IPSEC_AH) {
		size_t align = s->outer_family == AF_V6 ? 8 : 4;
		o.header = AH_HEADER;
		o.icv = integrity_icv_bits(s->integ) / 8;
		o.pad = (align - (AH_HEADER + o.icv) % align) % align;
	} else {
		size_t block = ipsec_block_len(s->enc);
		o.udp = s->udp_encap ? UDP_HEADER : 0;
		o.header = ESP_HEADER;
		o.iv = ipsec_iv_len(s->enc);
		o.trailer = ESP_TRAILER;
		o.pad = (block - (inner_len + ESP_TRAILER) % block) % block;
		o.icv = ipsec_icv_len(s->enc, s->integ);
	}
	o.outer = inner_len + o.outer_ip + o.udp + o.header + o.iv + o.pad + o.trailer + o.icv;
	return o;
}

size_t ipsec_max_inner(const struct ipsec_suite *s, size_t mtu)
{
	/* The outer size grows with the inner one, in steps of the block:
	 * walk down from the MTU less the fixed part. */
	struct ipsec_overhead none = ipsec_overhead_of(s, 0);
	size_t fixed = none.outer - none.pad;
	if (mtu <= fixed)
		return 0;
	for (size_t n = mtu - fixed; n > 0; n--)
		if (ipsec_overhead_of(s, n).outer <= mtu)
			return n;
	return 0;
}

void ipsec_overhead_format(const struct ipsec_overhead *o, char *buf, size_t size)
{
	if (o->iv || o->trailer)
		snprintf(buf, size, "%zu IP%s + %zu ESP + %zu IV + %zu pad + %zu trailer + %zu ICV",
			 o->outer_ip, o->udp ? " + 8 UDP" : "", o->header, o->iv, o->pad,
			 o->trailer, o->icv);
	else
		snprintf(buf, size, "%zu IP + %zu AH + %zu ICV%s", o->outer_ip, o->header, o->icv,
			 o->pad ? " + pad" : "");
}
