/* The check functions, one per row of CHECKS.md.  They are defined in
 * src/check/checks_*.c and referenced from the registry table (check_table.c),
 * which holds everything else about a check (name, severity, explanation, ...). */
#ifndef TUNC_CHECKS_H
#define TUNC_CHECKS_H

#include "check/check.h"

void check_selector_mirror(struct check_ctx *ctx);
void check_gateway_own_traffic(struct check_ctx *ctx);
void check_route_missing(struct check_ctx *ctx);
void check_mixed_pair_selectors(struct check_ctx *ctx);
void check_mtu_overhead(struct check_ctx *ctx);
void check_tunnel_route_missing(struct check_ctx *ctx);
void check_egress_address(struct check_ctx *ctx);
void check_peer_unreachable(struct check_ctx *ctx);
void check_nat_not_exempt(struct check_ctx *ctx);
void check_windows_nat_tunnel(struct check_ctx *ctx);
void check_tunnel_port_filter(struct check_ctx *ctx);
void check_mirrored_tunnel_filter(struct check_ctx *ctx);
void check_accept_unsecured(struct check_ctx *ctx);
void check_ah_behind_nat(struct check_ctx *ctx);
void check_nat_traversal_off(struct check_ctx *ctx);
void check_pat_no_initiator(struct check_ctx *ctx);
void check_ike_mismatch(struct check_ctx *ctx);
void check_ipsec_mismatch(struct check_ctx *ctx);
void check_lifetime_mismatch(struct check_ctx *ctx);
void check_psk_mismatch(struct check_ctx *ctx);
void check_platform_unsupported(struct check_ctx *ctx);
void check_platform_limit(struct check_ctx *ctx);
void check_no_common_proposal(struct check_ctx *ctx);
void check_weak_dh_group(struct check_ctx *ctx);
void check_weak_cipher(struct check_ctx *ctx);
void check_weak_integrity(struct check_ctx *ctx);
void check_no_pfs(struct check_ctx *ctx);
void check_ike_blocked(struct check_ctx *ctx);
void check_filter_unsupported(struct check_ctx *ctx);
void check_cleartext_leak(struct check_ctx *ctx);
void check_selector_overlap(struct check_ctx *ctx);
void check_manual_key_aead(struct check_ctx *ctx);
void check_manual_keying(struct check_ctx *ctx);
void check_manual_key_entropy(struct check_ctx *ctx);
void check_manual_key_material(struct check_ctx *ctx);
void check_keying_mismatch(struct check_ctx *ctx);
void check_inline_secret(struct check_ctx *ctx);
void check_weak_psk(struct check_ctx *ctx);
void check_psk_file_mode(struct check_ctx *ctx);
void check_psk_reuse(struct check_ctx *ctx);
void check_aggressive_psk(struct check_ctx *ctx);
void check_unused(struct check_ctx *ctx);
/* checks_cloud.c: what a cloud peer's provider documents. */
void check_lifetime_range(struct check_ctx *ctx);
void check_one_sa_pair(struct check_ctx *ctx);
void check_dpd_required(struct check_ctx *ctx);
void check_tunnel_mss(struct check_ctx *ctx);
void check_inside_cidr(struct check_ctx *ctx);
void check_second_tunnel(struct check_ctx *ctx);
void check_responder_only(struct check_ctx *ctx);
/* The provider's pre-shared key rules of cloud peers; run by check_platform_limit. */
void check_cloud_psk(struct check_ctx *ctx);

#endif
