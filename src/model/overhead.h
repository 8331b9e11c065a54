/* The bytes IPsec adds to a packet, for the suite in use: the one
 * computation the engine (its PMTU and MSS decisions) and the checks
 * (mtu-overhead) share.  ESP: RFC 4303 §2 (header, IV, padding to the
 * cipher block, pad length and next header, ICV); NAT-T: RFC 3948 (UDP
 * header); AH: RFC 4302 §2 (ICV padded to 4 bytes over IPv4, 8 over IPv6). */
#ifndef TUNC_MODEL_OVERHEAD_H
#define TUNC_MODEL_OVERHEAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ir/enums.h"
#include "ir/ir.h"

struct ipsec_suite {
	enum ipsec_protocol protocol;   /* IPSEC_ESP or IPSEC_AH */
	enum encryption enc;            /* ESP */
	enum integrity integ;           /* INTEG_NONE with AES-GCM */
	uint8_t outer_family;           /* AF_V4 / AF_V6: the tunnel endpoints' */
	bool udp_encap;                 /* NAT-T: ESP in UDP 4500 */
};

/* One outer packet, part by part. */
struct ipsec_overhead {
	size_t outer_ip, udp, header, iv, pad, trailer, icv;
	size_t outer;                   /* the whole outer packet: inner + all of the above */
};

/* Per algorithm: the IV on the wire, the block the payload is padded to
 * (at least 4, RFC 4303 §2.4), the ICV. */
size_t ipsec_iv_len(enum encryption e);
size_t ipsec_block_len(enum encryption e);
size_t ipsec_icv_len(enum encryption e, enum integrity i);

/* The outer packet an inner packet of INNER_LEN bytes becomes. */
struct ipsec_overhead ipsec_overhead_of(const struct ipsec_suite *s, size_t inner_len);
/* The largest inner packet whose outer packet fits MTU (0 when none). */
size_t ipsec_max_inner(const struct ipsec_suite *s, size_t mtu);
/* "20 IP + 8 UDP + 8 ESP + 16 IV + 14 pad + 2 trailer + 12 ICV" */
void ipsec_overhead_format(const struct ipsec_overhead *o, char *buf, size_t size);

#endif
