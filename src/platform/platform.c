/* The platform table.  Sources: ../shared/seeds (000: ISA 2004 / PIX 6.3,
 * 001: ISA, 002: KB 252735 for Windows 2000, 004: Windows routing) and
 * ../shared/reference/emitters-research.md for each platform's algorithms.
 *
 * Linux negotiates IKE through strongSwan 5.9+ (charon, swanctl.conf).
 *
 * Manual keying (manual_keying_capable, manual_one_flow): IOS 12.4/15 and
 * PIX 6.3 take static SAs in a `crypto map NAME SEQ ipsec-manual` entry
 * (`set session-key inbound|outbound esp SPI cipher HEX authenticator
 * HEX`), whose access list is restricted to a single permit entry (Cisco
 * PIX 6.3 configuration guide, "Configuring Manual IPSec"; the IOS IPsec
 * configuration guide says the same of ipsec-manual entries); Linux takes
 * them as `ip xfrm state` entries.  A tunnel is keyed by hand only where it
 * says `keying manual;` (model_keyed_by_hand).  Windows'
 * IPsec policy agent and ISA Server have no static SAs: IKE only.
 *
 * Filters (filter_form ...): IOS extended ACLs with `ip access-group NAME
 * in|out`; PIX 6.3 access lists bound with `access-group NAME in interface
 * IF`, inbound only (outbound access-groups came with 7.0); Windows RRAS
 * packet filters, one action per list (`netsh routing ip set filter ...
 * action=drop|forward`), single ports only; nftables on Linux.  ISA Server
 * filters with its own firewall policy, which no netsh command writes.  See
 * doc/emitters.md for the sources.
 *
 * Route-based tunnels (route_based): IOS has virtual tunnel interfaces
 * since 12.3(14)T (`interface Tunnel`, `tunnel mode ipsec ipv4|ipv6`,
 * `tunnel protection ipsec profile`; Cisco IOS Security Configuration
 * Guide, "IPsec Virtual Tunnel Interfaces"), and IPv6 traffic is protected
 * only through them: a crypto map matches IPv4 access lists alone
 * (limits.ipv4_selectors; the same guide, "IPv6 over IPsec" uses VTIs).
 * Linux has xfrm interfaces (`ip link add ... type xfrm if_id N`, 4.19+).
 * The ASA has VTIs from 9.8 on (`interface Tunnel`, `tunnel protection
 * ipsec profile`; Cisco ASA Series VPN CLI Configuration Guide 9.8,
 * "Virtual Tunnel Interface"; route_based_since).
 * PIX 6.3, Windows' IPsec policy agent and ISA Server have no tunnel
 * interface: their tunnels are policies only. */
#include "config.h"
#include "platform/platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define X_NAME(id, name) name,
static const char *const stage_names[] = {TUNC_STAGES(X_NAME)};
#undef X_NAME

const char *stage_name(enum stage s)
{
	return s < STAGE__COUNT ? stage_names[s] : "?";
}

#define G(n) (UINT64_C(1) << (n))
#define ENC_CLASSIC (BIT(ENC_DES) | BIT(ENC_3DES))
#define ENC_AES (BIT(ENC_AES128) | BIT(ENC_AES192) | BIT(ENC_AES256))
#define ENC_GCM (BIT(ENC_AES128_GCM) | BIT(ENC_AES256_GCM))
#define INT_OLD (BIT(INTEG_MD5) | BIT(INTEG_SHA1))
#define INT_SHA2 (BIT(INTEG_SHA256) | BIT(INTEG_SHA384) | BIT(INTEG_SHA512))
#define GROUPS_ALL (G(1) | G(2) | G(5) | G(14) | G(15) | G(16) | G(19) | G(20) | G(21))
#define END STAGE__COUNT

/* Cisco (Cisco's "NAT order of operation"): the ingress interface's ACL on
 * the packet as it arrives (the clear packet from the inside), route, NAT
 * inside->outside, crypto map on the egress interface, egress ACL.
 * Inbound: the outside ACL (on ESP), SA lookup, decap, inbound check, route,
 * then the egress (inside) interface's ACL on the decrypted packet.  Each
 * FILTER stage applies what is known and not yet applied (forward.c). */
#define CISCO_OUT {STAGE_FILTER, STAGE_ROUTE, STAGE_NAT, STAGE_SPD, STAGE_IKE, STAGE_ESP, STAGE_FILTER, STAGE_WIRE, END}
#define CISCO_IN {STAGE_FILTER, STAGE_DECAP, STAGE_INBOUND_CHECK, STAGE_ROUTE, STAGE_FILTER, STAGE_DELIVER, END}
/* Windows/ISA: route first (seed 004), filters and NAT above IPsec (seed 002). */
#define WIN_OUT {STAGE_ROUTE, STAGE_FILTER, STAGE_NAT, STAGE_SPD, STAGE_IKE, STAGE_ESP, STAGE_WIRE, END}
#define WIN_IN {STAGE_DECAP, STAGE_INBOUND_CHECK, STAGE_FILTER, STAGE_ROUTE, STAGE_DELIVER, END}
/* Linux: route, forward filter, xfrm policy, SNAT (postrouting), encap. */
#define LINUX_OUT {STAGE_ROUTE, STAGE_FILTER, STAGE_SPD, STAGE_IKE, STAGE_NAT, STAGE_ESP, STAGE_WIRE, END}
#define LINUX_IN {STAGE_DECAP, STAGE_INBOUND_CHECK, STAGE_ROUTE, STAGE_FILTER, STAGE_DELIVER, END}

/* ---- IKE daemons' behaviour (struct ike_rules) ----
 *
 * Evidence: ../shared/reference/ike-behaviour.md (strongSwan 5.9.8 measured
 * against tunc on 36 cases), the Cisco configuration guides quoted beside
 * each row, and doc/engine.md "IKE: whose rules" for what is assumed where
 * no source says. */

/* The RFCs' reading, for rows without their own: IKEv1 proxy IDs exactly
 * (RFC 2409 §5.5 leaves it to policy, exact is the safe reading), IKEv2
 * narrowed (RFC 7296 §2.9), the initiator's preference order. */
static const struct ike_rules ike_rules_generic = {
	.ts_accept = {[1] = TS_ACCEPT_EXACT, [2] = TS_ACCEPT_NARROW},
	.responder_order = false, .ike1_lifetime = IKE_LIFETIME_OWN,
	.rekey_percent = 10,
	.source = "RFC 2409, RFC 7296",
};

/* strongSwan (charon): narrows in both versions (its IKEv1 responder
 * narrows the IDs too), chooses in its own order (IKEv2 and IKEv1), keeps
 * its own lifetimes; rekey_time is 90 % of the lifetime as the swanctl
 * target writes it.  Words: charon's log lines. */
static const struct ike_rules ike_rules_strongswan = {
	.ts_accept = {[1] = TS_ACCEPT_NARROW, [2] = TS_ACCEPT_NARROW},
	.responder_order = true, .ike1_lifetime = IKE_LIFETIME_OWN,
	.rekey_percent = 10,
	.failure = {
		[1] = {"charon: received NO_PROPOSAL_CHOSEN error notify",
		       "charon: giving up after 5 retransmits (the peer could not decrypt payloads)",
		       "charon: received INVALID_ID_INFORMATION error notify",
		       "charon: received NO_PROPOSAL_CHOSEN error notify, establishing CHILD_SA failed",
		       /* It refuses aggressive mode with a PSK unless told to (charon.
			* i_dont_care_about_security_and_use_aggressive_mode_psk). */
		       "charon: received AUTHENTICATION_FAILED error notify"},
		[2] = {"charon: received NO_PROPOSAL_CHOSEN notify error",
		       "charon: received AUTHENTICATION_FAILED notify error",
		       "charon: received TS_UNACCEPTABLE notify, no CHILD_SA built",
		       "charon: received NO_PROPOSAL_CHOSEN notify, no CHILD_SA built"},
	},
	.source = "ike-behaviour.md (charon 5.9.8)",
};

/* Cisco IOS: a responder accepts proxy IDs its crypto ACL permits (a
 * subset), walks its own isakmp policies in priority order, and matches a
 * policy only when the remote peer's lifetime is less than or equal to its
 * own (IOS Security Configuration Guide, "Configuring Internet Key
 * Exchange for IPsec VPNs").  An IPsec SA is renegotiated 30 s before its
 * lifetime ends ("How These Lifetimes Work").  IKEv2: RFC 7296 narrowing. */
static const struct ike_rules ike_rules_ios = {
	.ts_accept = {[1] = TS_ACCEPT_SUBSET, [2] = TS_ACCEPT_NARROW},
	.responder_order = true, .ike1_lifetime = IKE_LIFETIME_NOT_LONGER,
	.rekey_before_s = 30, .answers_either_mode = true,
	.failure = {
		[1] = {"%CRYPTO-6-IKMP_MODE_FAILURE: Processing of Main mode failed with peer at PEER",
		       "%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from PEER failed its sanity check or is malformed",
		       "%CRYPTO-6-IKMP_MODE_FAILURE: Processing of Quick mode failed with peer at PEER",
		       "%CRYPTO-6-IKMP_MODE_FAILURE: Processing of Quick mode failed with peer at PEER"},
		[2] = {"IKEv2: received NOTIFY(NO_PROPOSAL_CHOSEN) from PEER",
		       "IKEv2: received NOTIFY(AUTHENTICATION_FAILED) from PEER",
		       "IKEv2: received NOTIFY(TS_UNACCEPTABLE) from PEER",
		       "IKEv2: received NOTIFY(NO_PROPOSAL_CHOSEN) from PEER"},
	},
	.source = "Cisco IOS Security Configuration Guide (isakmp policy, IPsec SA lifetimes)",
};

/* Cisco PIX 6.3: the same isakmp policy rules as IOS; its debug output
 * names the notify numbers (14 NO_PROPOSAL_CHOSEN, 18 INVALID_ID_INFORMATION). */
static const struct ike_rules ike_rules_pix = {
	.ts_accept = {[1] = TS_ACCEPT_SUBSET},
	.responder_order = true, .ike1_lifetime = IKE_LIFETIME_NOT_LONGER,
	.rekey_before_s = 30, .answers_either_mode = true,
	.failure = {
		[1] = {"ISAKMP (0): processing NOTIFY payload 14 protocol 1 from PEER (no proposal chosen)",
		       "ISAKMP: reserved not zero on payload 5 (from PEER: the pre-shared keys differ)",
		       "ISAKMP (0): processing NOTIFY payload 18 protocol 1 from PEER (no proxy match)",
		       "ISAKMP (0): processing NOTIFY payload 14 protocol 3 from PEER (no proposal chosen)"},
	},
	.source = "Cisco PIX 6.3 Command Reference (isakmp policy)",
};

/* Cisco ASA: subset acceptance and its own policy order as on IOS; the
 * IKEv1 lifetime rule is not stated in its guide, so it keeps its own. */
static const struct ike_rules ike_rules_asa = {
	.ts_accept = {[1] = TS_ACCEPT_SUBSET, [2] = TS_ACCEPT_NARROW},
	.responder_order = true, .ike1_lifetime = IKE_LIFETIME_OWN,
	.rekey_before_s = 30, .answers_either_mode = true,
	.failure = {
		[1] = {"%ASA-5-713904: IP = PEER, Received an un-encrypted NO_PROPOSAL_CHOSEN notify message, drop packet.",
		       "%ASA-5-713904: IP = PEER, Received encrypted packet with no matching SA, dropping",
		       "%ASA-5-713904: IP = PEER, Received an un-encrypted INVALID_ID_INFO notify message, drop packet.",
		       "%ASA-5-713068: IP = PEER, Received non-routine Notify message: No proposal chosen (14)"},
		[2] = {"%ASA-4-750003: Remote:PEER:500 IKEv2 Negotiation aborted due to ERROR: Received no proposal chosen notify",
		       "%ASA-4-750003: Remote:PEER:500 IKEv2 Negotiation aborted due to ERROR: Authentication failed",
		       "%ASA-4-750003: Remote:PEER:500 IKEv2 Negotiation aborted due to ERROR: Traffic selectors unacceptable",
		       "%ASA-4-750003: Remote:PEER:500 IKEv2 Negotiation aborted due to ERROR: Received no proposal chosen notify"},
	},
	.source = "Cisco ASA VPN CLI Configuration Guide 9.x; ASA syslog messages",
};

/* Windows (and ISA Server, which uses its IKE): a quick mode matches a
 * filter of the policy exactly; ping shows "Negotiating IP Security" while
 * the security log records why (2000/2003: event 547; 2008 and later:
 * events 4653 main mode, 4654 quick mode). */
#define WINDOWS_WORDS(mm, qm)                                                              	{"Negotiating IP Security (event " mm ": main mode failed, no proposal chosen)",  	 "Negotiating IP Security (event " mm ": main mode failed, preshared key mismatch)",	 "Negotiating IP Security (event " qm ": quick mode failed, no policy configured)",	 "Negotiating IP Security (event " qm ": quick mode failed, no proposal chosen)"}
static const struct ike_rules ike_rules_windows_2003 = {
	.ts_accept = {[1] = TS_ACCEPT_EXACT},
	.rekey_percent = 10,
	.failure = {[1] = WINDOWS_WORDS("547", "547")},
	.source = "Windows Server 2003 security audit (event 547)",
};
static const struct ike_rules ike_rules_windows = {
	.ts_accept = {[1] = TS_ACCEPT_EXACT, [2] = TS_ACCEPT_NARROW},
	.rekey_percent = 10,
	.failure = {[1] = WINDOWS_WORDS("4653", "4654"), [2] = WINDOWS_WORDS("4653", "4654")},
	.source = "Windows Server 2008+ security audit (events 4653, 4654)",
};
#undef WINDOWS_WORDS

const struct ike_rules *platform_ike_rules(const struct platform_info *p)
{
	return p && p->ike_rules ? p->ike_rules : &ike_rules_generic;
}


/* ---- Vocabularies: how each platform names what it offers, in its order
 * (the peer sheet writes the partner's own words). ---- */
#define NAMES_END {0, NULL}
static const struct platform_name ios_enc[] = {
	{ENC_AES256, "aes 256"}, {ENC_AES192, "aes 192"}, {ENC_AES128, "aes 128"},
	{ENC_AES256_GCM, "aes-gcm 256 (IKEv2: aes-gcm-256)"},
	{ENC_AES128_GCM, "aes-gcm 128 (IKEv2: aes-gcm-128)"},
	{ENC_3DES, "3des"}, {ENC_DES, "des"}, NAMES_END};
static const struct platform_name ios_integ[] = {
	{INTEG_SHA512, "sha512"}, {INTEG_SHA384, "sha384"}, {INTEG_SHA256, "sha256"},
	{INTEG_SHA1, "sha"}, {INTEG_MD5, "md5"}, NAMES_END};
static const struct platform_name ios_groups[] = {
	{21, "group 21"}, {20, "group 20"}, {19, "group 19"}, {16, "group 16"}, {15, "group 15"},
	{14, "group 14"}, {5, "group 5"}, {2, "group 2"}, {1, "group 1"}, NAMES_END};
static const struct platform_name ios_esp_enc[] = {
	{ENC_AES256_GCM, "esp-gcm 256"}, {ENC_AES128_GCM, "esp-gcm 128"},
	{ENC_AES256, "esp-aes 256"}, {ENC_AES192, "esp-aes 192"}, {ENC_AES128, "esp-aes 128"},
	{ENC_3DES, "esp-3des"}, {ENC_DES, "esp-des"}, {ENC_NULL, "esp-null"}, NAMES_END};
static const struct platform_name ios_esp_integ[] = {
	{INTEG_SHA512, "esp-sha512-hmac"}, {INTEG_SHA384, "esp-sha384-hmac"},
	{INTEG_SHA256, "esp-sha256-hmac"}, {INTEG_SHA1, "esp-sha-hmac"},
	{INTEG_MD5, "esp-md5-hmac"}, NAMES_END};
static const struct platform_name ios_pfs[] = {
	{21, "group21"}, {20, "group20"}, {19, "group19"}, {16, "group16"}, {15, "group15"},
	{14, "group14"}, {5, "group5"}, {2, "group2"}, {1, "group1"}, NAMES_END};
static const struct platform_vocab vocab_ios = {
	"Cisco IOS (crypto isakmp policy / transform-set)", ios_enc, ios_integ, ios_groups,
	ios_esp_enc, ios_esp_integ, ios_pfs, NULL};

static const struct platform_name swan_enc[] = {
	{ENC_AES256_GCM, "aes256gcm16"}, {ENC_AES128_GCM, "aes128gcm16"}, {ENC_AES256, "aes256"},
	{ENC_AES192, "aes192"}, {ENC_AES128, "aes128"}, {ENC_3DES, "3des"}, {ENC_DES, "des"},
	{ENC_NULL, "null"}, NAMES_END};
static const struct platform_name swan_integ[] = {
	{INTEG_SHA512, "sha512"}, {INTEG_SHA384, "sha384"}, {INTEG_SHA256, "sha256"},
	{INTEG_SHA1, "sha1"}, {INTEG_MD5, "md5"}, NAMES_END};
static const struct platform_name swan_groups[] = {
	{21, "ecp521"}, {20, "ecp384"}, {19, "ecp256"}, {16, "modp4096"}, {15, "modp3072"},
	{14, "modp2048"}, {5, "modp1536"}, {2, "modp1024"}, {1, "modp768"}, NAMES_END};
static const struct platform_vocab vocab_swan = {
	"strongSwan (swanctl.conf proposals)", swan_enc, swan_integ, swan_groups,
	swan_enc, swan_integ, swan_groups, "-"};

/* AWS Site-to-Site VPN tunnel options (VpnTunnelOptionsSpecification):
 * Phase1/Phase2EncryptionAlgorithms, ...IntegrityAlgorithms,
 * ...DHGroupNumbers, in the order the API lists them.  Groups 17, 18 and
 * 22-24, which AWS also offers, are not groups tunc knows. */
static const struct platform_name aws_enc[] = {
	{ENC_AES128, "AES128"}, {ENC_AES256, "AES256"}, {ENC_AES128_GCM, "AES128-GCM-16"},
	{ENC_AES256_GCM, "AES256-GCM-16"}, NAMES_END};
static const struct platform_name aws_integ[] = {
	{INTEG_SHA1, "SHA1"}, {INTEG_SHA256, "SHA2-256"}, {INTEG_SHA384, "SHA2-384"},
	{INTEG_SHA512, "SHA2-512"}, NAMES_END};
static const struct platform_name aws_p1_groups[] = {
	{2, "2"}, {14, "14"}, {15, "15"}, {16, "16"}, {19, "19"}, {20, "20"}, {21, "21"}, NAMES_END};
static const struct platform_name aws_p2_groups[] = {
	{2, "2"}, {5, "5"}, {14, "14"}, {15, "15"}, {16, "16"}, {19, "19"}, {20, "20"}, {21, "21"},
	NAMES_END};
static const struct platform_vocab vocab_aws = {
	"AWS Site-to-Site VPN tunnel options", aws_enc, aws_integ, aws_p1_groups,
	aws_enc, aws_integ, aws_p2_groups, NULL};

/* Azure VPN Gateway custom IPsec/IKE policy (New-AzIpsecPolicy:
 * -IkeEncryption, -IkeIntegrity, -DhGroup, -IpsecEncryption,
 * -IpsecIntegrity, -PfsGroup; accepted values from its help,
 * Azure/azure-powershell src/Network/Network/help/New-AzIpsecPolicy.md:
 * IKE encryption DES, DES3, AES128, AES192, AES256 -- no GCM in IKE).
 * DHGroup24/PFS24, GCMAES192 and PFSMM are not in tunc's language.  The
 * row is a route-based gateway (the kind Azure creates today); a
 * policy-based gateway (Basic SKU) negotiates IKEv1 only, one tunnel
 * (peers-2026.md §1.1, §4), and is not a row. */
static const struct platform_name az_enc[] = {
	{ENC_AES256, "AES256"}, {ENC_AES192, "AES192"}, {ENC_AES128, "AES128"},
	{ENC_3DES, "DES3"}, {ENC_DES, "DES"}, NAMES_END};
static const struct platform_name az_integ[] = {
	{INTEG_SHA384, "SHA384"}, {INTEG_SHA256, "SHA256"}, {INTEG_SHA1, "SHA1"},
	{INTEG_MD5, "MD5"}, NAMES_END};
static const struct platform_name az_groups[] = {
	{20, "ECP384"}, {19, "ECP256"}, {14, "DHGroup14"}, {2, "DHGroup2"}, {1, "DHGroup1"},
	NAMES_END};
static const struct platform_name az_esp_enc[] = {
	{ENC_AES256_GCM, "GCMAES256"}, {ENC_AES128_GCM, "GCMAES128"}, {ENC_AES256, "AES256"},
	{ENC_AES192, "AES192"}, {ENC_AES128, "AES128"}, {ENC_3DES, "DES3"}, {ENC_DES, "DES"},
	{ENC_NULL, "None"}, NAMES_END};
static const struct platform_name az_esp_integ[] = {
	{INTEG_NONE, "the GCMAES cipher's own name (GCMAES256, GCMAES128)"},
	{INTEG_SHA256, "SHA256"}, {INTEG_SHA1, "SHA1"}, {INTEG_MD5, "MD5"}, NAMES_END};
static const struct platform_name az_pfs[] = {
	{20, "ECP384"}, {19, "ECP256"}, {14, "PFS2048"}, {2, "PFS2"}, {1, "PFS1"}, NAMES_END};
static const struct platform_vocab vocab_azure = {
	"Azure IPsec/IKE policy (New-AzIpsecPolicy)", az_enc, az_integ, az_groups,
	az_esp_enc, az_esp_integ, az_pfs, NULL};

/* Google Cloud VPN (gcloud compute vpn-tunnels create --phase1-encryption,
 * --phase1-integrity, --phase1-dh, --phase2-encryption, --phase2-integrity,
 * --phase2-pfs; "Supported IKE ciphers").  AES-GCM-16-192 and groups 18,
 * 22-24 are not in tunc's language. */
static const struct platform_name gcp_enc[] = {
	{ENC_AES128_GCM, "AES-GCM-16-128"}, {ENC_AES256_GCM, "AES-GCM-16-256"},
	{ENC_AES128, "AES-CBC-128"}, {ENC_AES192, "AES-CBC-192"}, {ENC_AES256, "AES-CBC-256"},
	{ENC_3DES, "3DES-CBC"}, NAMES_END};
static const struct platform_name gcp_integ[] = {
	{INTEG_SHA256, "HMAC-SHA2-256-128"}, {INTEG_SHA384, "HMAC-SHA2-384-192"},
	{INTEG_SHA512, "HMAC-SHA2-512-256"}, {INTEG_SHA1, "HMAC-SHA1-96"},
	{INTEG_MD5, "HMAC-MD5-96"}, NAMES_END};
static const struct platform_name gcp_groups[] = {
	{14, "Group-14"}, {15, "Group-15"}, {16, "Group-16"}, {19, "Group-19"}, {20, "Group-20"},
	{21, "Group-21"}, {5, "Group-5"}, {2, "Group-2"}, NAMES_END};
static const struct platform_vocab vocab_gcp = {
	"Google Cloud VPN (gcloud compute vpn-tunnels create)", gcp_enc, gcp_integ, gcp_groups,
	gcp_enc, gcp_integ, gcp_groups, NULL};

/* ---- What the providers document for their tunnels (doc/cloud-peers.md). ---- */
static const char *const aws_reserved[] = {
	"169.254.0.0/30", "169.254.1.0/30", "169.254.2.0/30", "169.254.3.0/30",
	"169.254.4.0/30", "169.254.5.0/30", "169.254.169.252/30", NULL};
static const struct platform_peer_rules rules_aws = {
	.ike_lifetime_min = 900, .ike_lifetime_max = 28800,
	.esp_lifetime_min = 900, .esp_lifetime_max = 3600,
	.pfs_groups = G(2) | G(5) | G(14) | G(15) | G(16) | G(19) | G(20) | G(21),
	.one_sa_pair = true,
	.dpd_required = true, .dpd_timeout_s = 30,
	.responder_only = true,
	.initiator_note = "the customer gateway starts IKE: AWS waits for it (startup "
			  "action 'add', the default); set startup action 'start' for AWS to "
			  "initiate",
	.inside_range = "169.254.0.0/16", .inside_len = 30, .inside_reserved = aws_reserved,
	.inside_first = true,
	.tunnel_mtu = 1399, .tcp_mss = 1379,
	.tunnels = 2,
	/* PreSharedKey: "Allowed characters are alphanumeric characters,
	 * periods (.), and underscores (_). Must be between 8 and 64 characters
	 * in length and cannot start with zero (0)." */
	.psk = {8, 64, "._", "0"},
	.selector_note = "AWS names them from the customer's side: LocalIpv4NetworkCidr is the "
			 "remote side above (the customer's networks), RemoteIpv4NetworkCidr the "
			 "local side (the VPC's); one CIDR each",
	.source = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/"
		  "API_VpnTunnelOptionsSpecification.html; "
		  "https://docs.aws.amazon.com/vpn/latest/s2svpn/your-cgw.html",
};
/* Azure: no lifetime range is given by the sources found (New-AzIpsecPolicy
 * -SALifeTimeSeconds has none), so none is enforced (doc/cloud-peers.md). */
static const struct platform_peer_rules rules_azure = {
	.dpd_timeout_s = 45,
	.tunnel_mtu = 1400, .tcp_mss = 1350,
	.tunnels = 1,
	.source = "https://learn.microsoft.com/azure/vpn-gateway/"
		  "vpn-gateway-about-compliance-crypto; "
		  "https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-vpn-faq",
};
static const struct platform_peer_rules rules_gcp = {
	.ike_lifetime_max = 36000, .esp_lifetime_max = 10800,
	.inside_range = "169.254.0.0/16", .inside_len = 30,
	.tunnel_mtu = 1460,
	.tunnels = 1,
	.source = "https://cloud.google.com/network-connectivity/docs/vpn/concepts/"
		  "supported-ike-ciphers; https://cloud.google.com/network-connectivity/"
		  "docs/vpn/concepts/mtu-considerations",
};

static const struct platform_info table[] = {
	{
		.id = PLAT_GENERIC, .version_match = "", .default_version = "",
		.description = "generic IPsec gateway", .emit_target = NULL,
		.ike_versions = BIT(1) | BIT(2), .aggressive_mode = true,
		.ike_encryption = ENC_CLASSIC | ENC_AES | ENC_GCM,
		.ike_integrity = INT_OLD | INT_SHA2,
		.esp_encryption = BIT(ENC_NULL) | ENC_CLASSIC | ENC_AES | ENC_GCM,
		.esp_integrity = BIT(INTEG_NONE) | INT_OLD | INT_SHA2,
		.dh_groups = GROUPS_ALL, .ah = true, .nat_traversal = true,
		.ipv6 = true, .dynamic_endpoint = true, .selector_ports = true,
		.manual_keying_capable = true, .route_based = true,
		.nat_before_crypto = true,
		.negotiating_message = "IKE negotiation did not complete",
		.outbound = CISCO_OUT, .inbound = CISCO_IN,
	},
	{
		.id = PLAT_IOS, .version_match = "12.4", .device_suffix = "(", .description = "Cisco IOS 12.4",
		.emit_target = "ios",
		.ike_versions = BIT(1), .aggressive_mode = true,
		.ike_encryption = ENC_CLASSIC | ENC_AES, .ike_integrity = INT_OLD,
		.esp_encryption = BIT(ENC_NULL) | ENC_CLASSIC | ENC_AES,
		.esp_integrity = BIT(INTEG_NONE) | INT_OLD,
		.dh_groups = G(1) | G(2) | G(5) | G(14), .ah = true, .nat_traversal = true,
		.ipv6 = true, .dynamic_endpoint = true, .selector_ports = true,
		.manual_keying_capable = true, .manual_one_flow = true,
		.route_based = true,
		.nat_before_crypto = true, .crypto_per_interface = true,
		.filter_form = FILTER_FORM_ACL, .filter_out = true, .filter_port_range = true,
		.limits = {.ipv4_peer = true, .ipv4_selectors = true, .ipv4_nat = true,
			   .route_based_any = true, .psk_forbidden = " ?\""},
		.negotiating_message = "%CRYPTO-6-IKMP_MODE_FAILURE: quick mode failed",
		.dpd_default_s = 10,
		.ike_rules = &ike_rules_ios,
		.vocab = &vocab_ios,
		.outbound = CISCO_OUT, .inbound = CISCO_IN,
	},
	{
		.id = PLAT_IOS, .version_match = "15", .version_label = "15.x", .device_suffix = "(", .default_version = "15.4",
		.description = "Cisco IOS 15", .emit_target = "ios",
		.ike_versions = BIT(1) | BIT(2), .aggressive_mode = true,
		.ike_encryption = ENC_CLASSIC | ENC_AES | ENC_GCM,
		.ike_integrity = INT_OLD | INT_SHA2,
		.esp_encryption = BIT(ENC_NULL) | ENC_CLASSIC | ENC_AES | ENC_GCM,
		.esp_integrity = BIT(INTEG_NONE) | INT_OLD | INT_SHA2,
		.dh_groups = GROUPS_ALL, .ah = true, .nat_traversal = true,
		.ipv6 = true, .dynamic_endpoint = true, .selector_ports = true,
		.manual_keying_capable = true, .manual_one_flow = true,
		.route_based = true,
		.nat_before_crypto = true, .crypto_per_interface = true,
		.filter_form = FILTER_FORM_ACL, .filter_out = true, .filter_port_range = true,
		.limits = {.ipv4_peer = true, .ipv4_selectors = true, .ipv4_nat = true,
			   .route_based_any = true, .psk_forbidden = " ?\""},
		.negotiating_message = "%CRYPTO-6-IKMP_MODE_FAILURE: quick mode failed",
		.dpd_default_s = 10,
		.ike_rules = &ike_rules_ios,
		.vocab = &vocab_ios,
		.outbound = CISCO_OUT, .inbound = CISCO_IN,
	},
	{
		.id = PLAT_PIX, .version_match = "6.3", .default_version = "6.3", .device_suffix = "(",
		.description = "Cisco PIX 6.3", .emit_target = "pix",
		.ike_versions = BIT(1), .aggressive_mode = true,
		.ike_encryption = ENC_CLASSIC | ENC_AES, .ike_integrity = INT_OLD,
		.esp_encryption = BIT(ENC_NULL) | ENC_CLASSIC | ENC_AES,
		.esp_integrity = BIT(INTEG_NONE) | INT_OLD,
		.dh_groups = G(1) | G(2) | G(5), .ah = true, .nat_traversal = true,
		.ipv6 = false, .dynamic_endpoint = true, .selector_ports = true,
		.manual_keying_capable = true, .manual_one_flow = true,
		.nat_before_crypto = true, .crypto_per_interface = true, .sysopt_permit_ipsec = true,
		.filter_form = FILTER_FORM_ACL, .filter_port_range = true,
		.limits = {.ipv4_peer = true, .ipv4_selectors = true, .ipv4_nat = true,
			   .psk_forbidden = " ?\""},
		.negotiating_message = "ISAKMP: quick mode failed (no proxy match)",
		.ike_rules = &ike_rules_pix,
		.outbound = CISCO_OUT, .inbound = CISCO_IN,
	},
	{
		.id = PLAT_WINDOWS, .version_match = "2000", .description = "Windows 2000",
		.emit_target = "netsh", .emit_dialect = "ipsec-static",
		.ike_versions = BIT(1), .aggressive_mode = false,
		.ike_encryption = ENC_CLASSIC, .ike_integrity = INT_OLD,
		.esp_encryption = BIT(ENC_NULL) | ENC_CLASSIC,
		.esp_integrity = BIT(INTEG_NONE) | INT_OLD,
		.dh_groups = G(1) | G(2), .ah = true, .nat_traversal = false,
		.ipv6 = false, .dynamic_endpoint = false, .selector_ports = false,
		.route_before_ipsec = true, .filter_above_ipsec = true,
		.nat_breaks_tunnel = true, .filter_form = FILTER_FORM_ONE_ACTION, .filter_out = true,
		.limits = {.ipv4_selectors = true, .one_port = true, .psk_forbidden = "\""},
		.negotiating_message = "Negotiating IP Security",
		.ike_rules = &ike_rules_windows_2003,
		.outbound = WIN_OUT, .inbound = WIN_IN,
	},
	{
		.id = PLAT_WINDOWS, .version_match = "2003", .default_version = "2003",
		.description = "Windows Server 2003", .emit_target = "netsh",
		.emit_dialect = "ipsec-static",
		.ike_versions = BIT(1), .aggressive_mode = false,
		.ike_encryption = ENC_CLASSIC, .ike_integrity = INT_OLD,
		.esp_encryption = BIT(ENC_NULL) | ENC_CLASSIC,
		.esp_integrity = BIT(INTEG_NONE) | INT_OLD,
		.dh_groups = G(1) | G(2) | G(14), .ah = true, .nat_traversal = true,
		.ipv6 = false, .dynamic_endpoint = false, .selector_ports = false,
		.route_before_ipsec = true, .filter_above_ipsec = true,
		.nat_breaks_tunnel = true, .filter_form = FILTER_FORM_ONE_ACTION, .filter_out = true,
		.limits = {.ipv4_selectors = true, .one_port = true, .psk_forbidden = "\""},
		.negotiating_message = "Negotiating IP Security",
		.ike_rules = &ike_rules_windows_2003,
		.outbound = WIN_OUT, .inbound = WIN_IN,
	},
	/* Cisco ASA 8.4 and 9.x (8.3 rewrote NAT; 8.4(1) added IKEv2 for
	 * LAN-to-LAN, so 8.2 and older are refused).  The ASA translates before
	 * it looks at the crypto map (twice NAT in section 1 exempts the
	 * tunnel traffic), decrypted traffic bypasses the interface ACLs by
	 * default (`sysopt connection permit-vpn`), and the map is bound to the
	 * egress interface.  IKEv1 policies take md5/sha only and IKEv1
	 * transform sets esp-md5/sha-hmac; SHA-2 and GCM are IKEv2's (GCM and
	 * the ECDH groups from 9.0).  Sources: Cisco ASA Series VPN CLI
	 * Configuration Guide 9.15/9.17, "IPsec and ISAKMP", "LAN-to-LAN
	 * IPsec VPNs" (doc/emitters.md). */
	{
		.id = PLAT_ASA, .version_match = "8.4", .device_suffix = "(", .description = "Cisco ASA 8.4",
		.emit_target = "asa",
		.ike_versions = BIT(1) | BIT(2), .aggressive_mode = true,
		.ike_encryption = ENC_CLASSIC | ENC_AES, .ike_integrity = INT_OLD | INT_SHA2,
		.esp_encryption = BIT(ENC_NULL) | ENC_CLASSIC | ENC_AES,
		.esp_integrity = BIT(INTEG_NONE) | INT_OLD,
		.dh_groups = G(1) | G(2) | G(5) | G(14), .ah = false, .nat_traversal = true,
		.ipv6 = false, .dynamic_endpoint = true, .selector_ports = true,
		.route_based_since = "9.8",
		.nat_before_crypto = true, .crypto_per_interface = true, .sysopt_permit_ipsec = true,
		.filters_skip_own = true,
		.filter_form = FILTER_FORM_ACL, .filter_out = true, .filter_port_range = true,
		.negotiating_message = "%ASA-5-713904: IP = PEER, Received an un-encrypted "
				       "NO_PROPOSAL_CHOSEN notify message, drop packet.",
		/* A tunnel group's default: isakmp keepalive threshold 10 retry 2. */
		.dpd_default_s = 10,
		.ike_rules = &ike_rules_asa,
		.outbound = CISCO_OUT, .inbound = CISCO_IN,
	},
	{
		.id = PLAT_ASA, .version_match = "9", .device_suffix = "(", .version_label = "9.x", .default_version = "9.16",
		.description = "Cisco ASA 9.x", .emit_target = "asa",
		.ike_versions = BIT(1) | BIT(2), .aggressive_mode = true,
		.ike_encryption = ENC_CLASSIC | ENC_AES | ENC_GCM, .ike_integrity = INT_OLD | INT_SHA2,
		.esp_encryption = BIT(ENC_NULL) | ENC_CLASSIC | ENC_AES | ENC_GCM,
		.esp_integrity = BIT(INTEG_NONE) | INT_OLD | INT_SHA2,
		.dh_groups = G(2) | G(5) | G(14) | G(15) | G(16) | G(19) | G(20) | G(21),
		.ah = false, .nat_traversal = true,
		.ipv6 = true, .dynamic_endpoint = true, .selector_ports = true,
		.route_based = true, .route_based_since = "9.8",
		.limits = {.route_based_any = true},
		.nat_before_crypto = true, .crypto_per_interface = true, .sysopt_permit_ipsec = true,
		.filters_skip_own = true,
		.filter_form = FILTER_FORM_ACL, .filter_out = true, .filter_port_range = true,
		.negotiating_message = "%ASA-5-713904: IP = PEER, Received an un-encrypted "
				       "NO_PROPOSAL_CHOSEN notify message, drop packet.",
		/* A tunnel group's default: isakmp keepalive threshold 10 retry 2. */
		.dpd_default_s = 10,
		.ike_rules = &ike_rules_asa,
		.outbound = CISCO_OUT, .inbound = CISCO_IN,
	},
/* Windows 2008 and 2008 R2 as the netsh target writes them: `netsh
 * advfirewall consec` rules negotiate IKEv1 and AuthIP only (the rule has no
 * key-module option), so IKEv2 is platform-unsupported there; their filters
 * are RRAS packet filters (`netsh routing ip add filter`), as on 2000/2003.
 * 2012 and later are written as PowerShell NetSecurity cmdlets (the
 * powershell target), whose tunnel rules take `-KeyModule IKEv2`, and their
 * filters as Windows Firewall rules (New-NetFirewallRule): no order, a
 * matching block rule wins over an allow rule ([MS-FASP] 2.2.34
 * FW_RULE_ACTION), the default is the profile's, one per direction for the
 * whole server, and the firewall filters only traffic to and from the
 * server, not what it routes (Microsoft RRAS team, "Which one to use -
 * Windows firewall or RRAS filters"; doc/emitters.md). */
#define WIN_FILTERS_RRAS .filter_form = FILTER_FORM_ONE_ACTION
#define WIN_FILTERS_WFAS .filter_form = FILTER_FORM_BLOCK_WINS, .filters_host_only = true, \
	.filter_port_range = true, .filter_ipv6 = true
#define WINDOWS_MODERN(ver, suffix, desc, target, extra, dialect, ikev, ...)            \
	{                                                                        \
		.id = PLAT_WINDOWS, .version_match = ver, .description = desc,   \
		.device_suffix = suffix,                                         \
		.emit_target = target, .emit_target_extra = extra,               \
		.emit_dialect = dialect,                                         \
		.ike_versions = ikev, .aggressive_mode = false,                  \
		.ike_encryption = ENC_CLASSIC | ENC_AES,                         \
		.ike_integrity = INT_OLD | BIT(INTEG_SHA256) | BIT(INTEG_SHA384),\
		.esp_encryption = BIT(ENC_NULL) | ENC_CLASSIC | ENC_AES | ENC_GCM,\
		.esp_integrity = BIT(INTEG_NONE) | INT_OLD | BIT(INTEG_SHA256),  \
		.dh_groups = G(1) | G(2) | G(14) | G(19) | G(20), .ah = true,    \
		.nat_traversal = true, .ipv6 = true, .dynamic_endpoint = false,  \
		.selector_ports = false, .route_before_ipsec = true,             \
		.filter_above_ipsec = true, __VA_ARGS__, .filter_out = true,    \
		.limits = {.one_port = true, .psk_forbidden = "\""},             \
		.negotiating_message = "Negotiating IP Security",                \
		.ike_rules = &ike_rules_windows,                                 \
		.outbound = WIN_OUT, .inbound = WIN_IN,                          \
	}
#define PS "powershell", "powershell-keys", NULL, BIT(1) | BIT(2), WIN_FILTERS_WFAS
#define WINDOWS_ROW(...) WINDOWS_MODERN(__VA_ARGS__)
	WINDOWS_ROW("2008", "r2", "Windows Server 2008", "netsh", NULL, "advfirewall", BIT(1),
		    WIN_FILTERS_RRAS),
	WINDOWS_ROW("2012", "r2", "Windows Server 2012", PS),
	WINDOWS_ROW("2016", NULL, "Windows Server 2016", PS),
	WINDOWS_ROW("2019", NULL, "Windows Server 2019", PS),
	WINDOWS_ROW("2022", NULL, "Windows Server 2022", PS),
#undef WINDOWS_ROW
#undef PS
#undef WINDOWS_MODERN
#undef WIN_FILTERS_RRAS
#undef WIN_FILTERS_WFAS
#define ISA(ver, desc, is_default)                                               \
	{                                                                        \
		.id = PLAT_ISA, .version_match = ver,                            \
		.default_version = is_default ? ver : NULL, .description = desc, \
		.emit_target = "netsh", .emit_dialect = "isa",                   \
		.ike_versions = BIT(1), .aggressive_mode = false,                \
		.ike_encryption = ENC_CLASSIC, .ike_integrity = INT_OLD,         \
		.esp_encryption = BIT(ENC_NULL) | ENC_CLASSIC,                   \
		.esp_integrity = BIT(INTEG_NONE) | INT_OLD,                      \
		.dh_groups = G(1) | G(2) | G(14), .ah = true,                    \
		.nat_traversal = true, .ipv6 = false, .dynamic_endpoint = false, \
		.selector_ports = false, .route_before_ipsec = true,             \
		.filter_above_ipsec = true, .implicit_own_address = true,        \
		.limits = {.ipv4_selectors = true, .one_port = true,             \
			   .psk_forbidden = "\""},                              \
		.negotiating_message = "Negotiating IP Security",                \
		.ike_rules = &ike_rules_windows_2003,                            \
		.outbound = WIN_OUT, .inbound = WIN_IN,                          \
	}
	ISA("2004", "ISA Server 2004", true),
	ISA("2006", "ISA Server 2006", false),
#undef ISA
	{
		.id = PLAT_LINUX, .version_match = "", .default_version = "6", .device_suffix = "-",
		.version_label = "a kernel version such as 6 or 6.1",
		.description = "Linux (strongSwan)", .emit_target = "swanctl",
		.emit_target_extra = "xfrm",
		.ike_versions = BIT(1) | BIT(2), .aggressive_mode = true,
		.ike_encryption = ENC_CLASSIC | ENC_AES | ENC_GCM,
		.ike_integrity = INT_OLD | INT_SHA2,
		.esp_encryption = BIT(ENC_NULL) | ENC_CLASSIC | ENC_AES | ENC_GCM,
		.esp_integrity = BIT(INTEG_NONE) | INT_OLD | INT_SHA2,
		.dh_groups = GROUPS_ALL, .ah = true, .nat_traversal = true,
		.ipv6 = true, .dynamic_endpoint = true, .selector_ports = true,
		.manual_keying_capable = true, .has_fwd_policy = true, .route_based = true,
		.ikev2_ts_lists = true,
		.filter_form = FILTER_FORM_ACL, .filter_out = true, .filter_port_range = true,
		.filter_ipv6 = true,
		.limits = {.ipv4_nat = true, .manual_one_port = true},
		.negotiating_message = "charon: establishing CHILD_SA failed",
		.dpd_default_s = 10,
		.ike_rules = &ike_rules_strongswan,
		.vocab = &vocab_swan,
		.outbound = LINUX_OUT, .inbound = LINUX_IN,
	},
/* Cloud providers' VPN gateways, peers only (LANGUAGE.md): configured in
 * the provider's console, so nothing is emitted for them but the peer
 * sheet.  What they offer is what the providers document (the vocabularies
 * above and doc/cloud-peers.md, with sources); they have no tunnel
 * interface tunc configures, but they are route-based (a VTI each) and
 * take a policy-based partner within their rules. */
#define CLOUD_PEER(plat, desc, ikev, ienc, iinteg, groups, eenc, einteg, r, voc, msg)   \
	{                                                                        \
		.id = plat, .version_match = "", .default_version = "",          \
		.version_label = "no version", .description = desc,              \
		.ike_versions = ikev, .aggressive_mode = false,                  \
		.ike_encryption = ienc, .ike_integrity = iinteg,                 \
		.esp_encryption = eenc, .esp_integrity = einteg,                 \
		.dh_groups = groups, .ah = false, .nat_traversal = true,         \
		.ipv6 = true, .dynamic_endpoint = false, .selector_ports = false,\
		.route_based = true, .nat_before_crypto = true,                  \
		.peer_only = true, .rules = r, .vocab = voc,                     \
		.negotiating_message = msg,                                      \
		.outbound = CISCO_OUT, .inbound = CISCO_IN,                      \
	}
	CLOUD_PEER(PLAT_AWS, "AWS Site-to-Site VPN", BIT(1) | BIT(2),
		   (ENC_AES | ENC_GCM) & ~BIT(ENC_AES192), INT_SHA2 | BIT(INTEG_SHA1),
		   G(2) | G(14) | G(15) | G(16) | G(19) | G(20) | G(21),
		   (ENC_AES | ENC_GCM) & ~BIT(ENC_AES192), BIT(INTEG_NONE) | INT_SHA2 | BIT(INTEG_SHA1),
		   &rules_aws, &vocab_aws, "AWS tunnel status DOWN (IKE did not complete)"),
	CLOUD_PEER(PLAT_AZURE, "Azure VPN Gateway", BIT(1) | BIT(2),
		   ENC_CLASSIC | ENC_AES, INT_OLD | BIT(INTEG_SHA256) | BIT(INTEG_SHA384),
		   G(1) | G(2) | G(14) | G(19) | G(20),
		   BIT(ENC_NULL) | ENC_CLASSIC | ENC_AES | ENC_GCM,
		   BIT(INTEG_NONE) | INT_OLD | BIT(INTEG_SHA256),
		   &rules_azure, &vocab_azure, "Azure connection status NotConnected"),
	CLOUD_PEER(PLAT_GCP, "Google Cloud VPN", BIT(1) | BIT(2),
		   BIT(ENC_3DES) | ENC_AES | ENC_GCM, INT_OLD | INT_SHA2,
		   G(2) | G(5) | G(14) | G(15) | G(16) | G(19) | G(20) | G(21),
		   BIT(ENC_3DES) | ENC_AES | ENC_GCM, BIT(INTEG_NONE) | INT_OLD | INT_SHA2,
		   &rules_gcp, &vocab_gcp, "Cloud VPN tunnel status: NEGOTIATION_FAILURE"),
#undef CLOUD_PEER
};

/* VERSION names ROW: it starts with a digit, its digits and dots match the row's version ("15"
 * matches 15 and 15.4, not 150), and what follows them, if anything, is
 * the row's device_suffix ("15.4(3)M", "2012r2", "6.1.0-13-amd64"). */
static bool version_matches(const struct platform_info *row, const char *version)
{
	if (version[0] < '0' || version[0] > '9')
		return false;
	size_t digits = strspn(version, "0123456789.");
	const char *rest = version + digits;
	if (*rest == ' ')               /* "2012 R2" */
		rest++;
	if (*rest && !(row->device_suffix &&
		       strncasecmp(rest, row->device_suffix, strlen(row->device_suffix)) == 0))
		return false;
	const char *match = row->version_match;
	size_t n = strlen(match);
	if (!n)
		return true;
	if (digits < n || strncmp(match, version, n) != 0)
		return false;
	return digits == n || version[n] == '.';
}

const struct platform_info *platform_find(enum platform_id platform, const char *version)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const struct platform_info *p = &table[i];
		if (p->id != platform)
			continue;
		if (!version) {
			if (p->default_version)
				return p;
			continue;
		}
		if (version_matches(p, version))
			return p;
	}
	return NULL;
}

/* Dotted version numbers compared field by field ("9.16" after "9.8");
 * what follows the digits ("(1)") does not count. */
static int version_cmp(const char *a, const char *b)
{
	for (;;) {
		char *ea, *eb;
		unsigned long x = strtoul(a, &ea, 10), y = strtoul(b, &eb, 10);
		if (x != y)
			return x < y ? -1 : 1;
		bool more_a = *ea == '.', more_b = *eb == '.';
		if (!more_a && !more_b)
			return 0;
		a = more_a ? ea + 1 : "";
		b = more_b ? eb + 1 : "";
	}
}

bool platform_route_based_at(const struct platform_info *p, const char *version)
{
	if (!p->route_based)
		return false;
	if (!p->route_based_since)
		return true;
	const char *v = version ? version : p->default_version;
	return v && version_cmp(v, p->route_based_since) >= 0;
}

const char *platform_versions_text(enum platform_id platform)
{
	/* Joined from the rows once per platform: "12.4, 15.x". */
	static char text[PLAT__COUNT][160];
	if (platform >= PLAT__COUNT)
		return "";
	char *buf = text[platform];
	if (buf[0])
		return buf;
	size_t used = 0;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const struct platform_info *p = &table[i];
		if (p->id != platform)
			continue;
		const char *label = p->version_label ? p->version_label
				  : *p->version_match ? p->version_match : "any";
		int n = snprintf(buf + used, sizeof(text[0]) - used, "%s%s", used ? ", " : "", label);
		if (n > 0 && (size_t)n < sizeof(text[0]) - used)
			used += (size_t)n;
	}
	return buf;
}

const char *platform_vocab_name(const struct platform_name *list, unsigned id)
{
	for (; list && list->name; list++)
		if (list->id == id)
			return list->name;
	return NULL;
}
