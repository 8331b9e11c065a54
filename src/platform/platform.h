/* The platform table: every fact about a platform that the checks, the
 * emitters and the engine rely on lives in one row here, so no code path
 * asks "is this Windows?" -- it asks the row. */
#ifndef TUNC_PLATFORM_H
#define TUNC_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

#include "ir/enums.h"

/* The engine's processing stages (ENGINE.md).  X(ID, name) */
#define TUNC_STAGES(X)                                                         \
	X(STAGE_ROUTE, "ROUTE")                                                \
	X(STAGE_FILTER, "FILTER")                                              \
	X(STAGE_NAT, "NAT")                                                    \
	X(STAGE_SPD, "SPD")                                                    \
	X(STAGE_IKE, "IKE")                                                    \
	X(STAGE_ESP, "ESP")                                                    \
	X(STAGE_WIRE, "WIRE")                                                  \
	X(STAGE_DECAP, "DECAP")                                                \
	X(STAGE_INBOUND_CHECK, "INBOUND-CHECK")                                \
	X(STAGE_DELIVER, "DELIVER")

#define X_ENUM(id, name) id,
enum stage { TUNC_STAGES(X_ENUM) STAGE__COUNT };
#undef X_ENUM
const char *stage_name(enum stage s);

#define PIPELINE_MAX 10

/* How a platform's configuration writes an interface filter. */
enum filter_form {
	FILTER_FORM_NONE,               /* not written by its emitter (no emitter, or ISA's own
					 * firewall policy, configured in its console) */
	FILTER_FORM_ACL,                /* first match over permit/deny lines, then the default
					 * (IOS/PIX access lists, nftables chains) */
	FILTER_FORM_ONE_ACTION,         /* a list of filters with one action, the opposite of the
					 * default (RRAS packet filters: "drop all except" /
					 * "receive all except") */
	FILTER_FORM_BLOCK_WINS,         /* rules without order: a matching block rule wins over
					 * any matching allow rule, then an allow rule, then the
					 * direction's default, one per device (Windows Firewall:
					 * New-NetFirewallRule, Set-NetFirewallProfile) */
};

/* How a responder answers the traffic selectors (IKEv1: proxy identities)
 * an initiator proposes, by one of its own policies. */
enum ts_accept {
	TS_ACCEPT_EXACT,        /* only the identical pair */
	TS_ACCEPT_SUBSET,       /* a pair inside its own: the crypto ACL permits the flow */
	TS_ACCEPT_NARROW,       /* the intersection with its own, when not empty (RFC 7296 §2.9) */
};

/* Whose phase 1 lifetime counts (IKEv1). */
enum ike_lifetime_rule {
	IKE_LIFETIME_OWN,       /* each end keeps its own and rekeys by it */
	IKE_LIFETIME_NOT_LONGER,        /* a policy matches only if the initiator's lifetime is
					 * no longer than the responder's (Cisco isakmp policy) */
};

/* The failures of a negotiation that each platform names in its own words. */
enum ike_failure {
	IKE_FAIL_PHASE1,        /* no common phase 1 proposal, version or mode: NO_PROPOSAL_CHOSEN */
	IKE_FAIL_AUTH,          /* the pre-shared keys differ */
	IKE_FAIL_TS,            /* no acceptable selectors: TS_UNACCEPTABLE / INVALID_ID_INFORMATION */
	IKE_FAIL_PHASE2,        /* no common phase 2 proposal or PFS group */
	IKE_FAIL_MODE,          /* IKEv1: the responder refuses the initiator's mode
				 * (NULL words: IKE_FAIL_PHASE1's) */
	IKE_FAIL__COUNT
};

/* How a platform's IKE daemon behaves, and what it says when it fails
 * (struct platform_info's ike_rules; NULL: the RFCs' reading, see
 * ike_rules_generic in platform.c). */
struct ike_rules {
	enum ts_accept ts_accept[3];            /* as responder, by IKE version (1, 2) */
	bool responder_order;                   /* a responder picks the first of ITS offers the
						 * initiator also offers, not the initiator's first */
	enum ike_lifetime_rule ike1_lifetime;
	bool answers_either_mode;               /* IKEv1: `mode` only says how it initiates; as a
						 * responder it answers main and aggressive mode
						 * (IOS unless `crypto isakmp aggressive-mode disable`) */
	/* A CHILD_SA (quick mode SA) is rekeyed REKEY_PERCENT % of its lifetime
	 * plus REKEY_BEFORE_S seconds before it ends. */
	unsigned rekey_percent, rekey_before_s;
	/* What the initiator shows, by IKE version and failure; "PEER" stands for
	 * the responder's address.  NULL: negotiating_message. */
	const char *failure[3][IKE_FAIL__COUNT];
	const char *source;                     /* where these facts come from (doc/engine.md) */
};

/* Bit masks over the enums of ir/enums.h. */
#define BIT(n) (1u << (n))

/* One algorithm or group as a platform names it, in a list in the order the
 * platform offers them: ID is an enum encryption / enum integrity value or
 * a DH group number.  A list ends with NAME == NULL. */
struct platform_name {
	unsigned id;
	const char *name;
};

/* How a platform's configuration (or its provider's console) names what it
 * offers, for the peer sheet: the partner reads its own words.  Each list
 * is in the platform's order of preference; NULL: not known. */
struct platform_vocab {
	const char *label;              /* "AWS tunnel options", "Cisco IOS", "strongSwan" */
	const struct platform_name *ike_enc, *ike_integ, *ike_groups;
	const struct platform_name *esp_enc, *esp_integ, *pfs_groups;
	/* A whole IKE/ESP proposal as one string (strongSwan "aes256-sha256-
	 * modp2048"): joined with JOIN; NULL: each column on its own line. */
	const char *join;
};

/* What a provider documents for the tunnels it terminates (cloud peers:
 * aws, azure, gcp; doc/cloud-peers.md).  Zero or NULL: no such rule known. */
struct platform_peer_rules {
	uint32_t ike_lifetime_min, ike_lifetime_max;    /* phase 1, seconds */
	uint32_t esp_lifetime_min, esp_lifetime_max;    /* phase 2, seconds */
	uint64_t pfs_groups;            /* BIT(group) its phase 2 accepts, 0: dh_groups */
	bool one_sa_pair;               /* one SA pair (one selector pair) per tunnel: a
					 * policy-based end that makes an SA per pair fails */
	bool dpd_required;              /* it expects the other end to answer and send DPD */
	unsigned dpd_timeout_s;         /* after which it declares the other end dead */
	bool responder_only;            /* by default it waits for the other end to start IKE */
	const char *initiator_note;     /* how to make it initiate, for the sheet */
	const char *inside_range;       /* route-based inside addresses come from this prefix */
	unsigned inside_len;            /* ... with this length */
	bool inside_first;              /* the provider takes the link's first address */
	const char *const *inside_reserved;     /* prefixes it refuses, NULL-ended */
	unsigned tunnel_mtu;            /* the largest tunnel (inner) MTU it carries */
	unsigned tcp_mss;               /* the MSS it asks the other end to clamp to */
	unsigned tunnels;               /* tunnels per connection (AWS: 2) */
	/* What its console takes as a pre-shared key: MIN_LEN to MAX_LEN
	 * characters, letters, digits and EXTRA, not starting with one of
	 * BAD_FIRST.  max_len 0: no rule known. */
	struct {
		unsigned min_len, max_len;
		const char *extra, *bad_first;
	} psk;
	const char *selector_note;      /* how its console names the selectors, for the sheet */
	const char *source;             /* where the rules are documented (URL) */
};

struct platform_info {
	enum platform_id id;
	const char *version_match;      /* "15" matches 15.x; "" matches any */
	const char *version_label;      /* for messages, when not version_match itself */
	const char *device_suffix;      /* what the device prints after the version, which is
					 * accepted and ignored: "(" an IOS/PIX release
					 * (15.4(3)M, 6.3(5)), "r2" Windows Server 2012 R2,
					 * "-" a Linux kernel release (6.1.0-13-amd64) */
	const char *default_version;    /* NULL on rows that are not the default */
	const char *description;        /* "Cisco PIX 6.3" */
	const char *emit_target;        /* emitter name, NULL: not emitted */
	const char *emit_target_extra;  /* a second file the gateway needs, NULL: none
					 * (Linux: the xfrm script beside swanctl.conf) */
	const char *emit_dialect;       /* the emitter's variant: netsh "ipsec-static" (2000/2003),
					 * "advfirewall" (2008+), "isa"; NULL: the only one */

	/* What the platform can negotiate. */
	unsigned ike_versions;          /* BIT(1) | BIT(2) */
	bool aggressive_mode;
	uint32_t ike_encryption, ike_integrity;         /* BIT(enum ...) */
	uint32_t esp_encryption, esp_integrity;
	uint64_t dh_groups;                             /* BIT(group number), 64-bit */
	bool ah, nat_traversal, ipv6, dynamic_endpoint;
	bool manual_keying_capable;     /* can be configured with static SAs, emitted that
					 * way where a tunnel says `keying manual;` (Linux
					 * `ip xfrm state`, IOS/PIX `crypto map ... ipsec-manual`) */
	bool manual_one_flow;           /* a static SA pair covers one selector pair only
					 * (an ipsec-manual ACL takes a single permit entry) */

	/* What its tunnel policy can express. */
	bool selector_ports;            /* protocol/port in tunnel selectors */
	bool ikev2_ts_lists;            /* IKEv2: a tunnel's selector pairs ride in one
					 * CHILD_SA as traffic selector lists (one SA pair),
					 * not an SA per pair as a crypto map's ACL lines */
	/* What its emitted configuration cannot hold: the emitter (emit/)
	 * refuses it, and lint's platform-limit check reports it first, so
	 * that a policy lint passes always compiles.  Zero: no limit. */
	struct platform_limits {
		bool ipv4_peer;         /* the peer is an IPv4 address (an IOS crypto map's
					 * `set peer`, the PIX's `crypto map ... set peer`) */
		bool ipv4_selectors;    /* the selectors are an IPv4 access list (crypto
					 * map ACL, Windows 2000/2003 filter list) */
		bool ipv4_nat;          /* NAT rules are IPv4 only (`ip nat`, PIX `nat`/
					 * `static`, nftables `table ip`) */
		bool one_port;          /* a selector names one port, not a range
					 * (netsh `dstport`) */
		bool manual_one_port;   /* so does a selector of its static SAs
					 * (`keying manual;`: xfrm `dport`) */
		bool route_based_any;   /* a route-based end's selectors are any to any:
					 * no `local`/`remote` in its block (an IOS static
					 * VTI's IPsec SA is always "ip any any", Cisco's
					 * IPsec VTI guide; an ASA VTI the same) */
		const char *psk_forbidden;      /* non-NULL: a pre-shared key is printable
						 * ASCII without these characters */
	} limits;

	/* How its emitter writes interface filters (`filter in/out`). */
	enum filter_form filter_form;
	bool filter_out;                /* outbound filters exist (PIX 6.3: access-group ... in only) */
	bool filter_port_range;         /* a rule can name a port range (ACL `range LO HI`) */
	bool filter_ipv6;               /* rules on IPv6 addresses can be written */
	bool route_based;               /* a tunnel interface routing decides for (`route-based`):
					 * IOS virtual tunnel interfaces, Linux xfrm interfaces */
	const char *route_based_since;  /* route_based only from this version on (ASA 9.8);
					 * named in the finding of older rows too */

	/* How it processes packets. */
	bool route_before_ipsec;        /* the tunnel is not an interface (seed 004) */
	bool nat_before_crypto;         /* NAT runs before the crypto map (IOS, PIX) */
	bool filter_above_ipsec;        /* interface filters see the clear packet (seed 002) */
	bool nat_breaks_tunnel;         /* its own NAT on the tunnel interface breaks tunnel mode */
	bool implicit_own_address;      /* protects its external address to the remote subnets (ISA, seed 001) */
	bool sysopt_permit_ipsec;       /* decrypted traffic bypasses interface ACLs (PIX) */
	bool filters_skip_own;          /* interface filters do not see traffic to or from the
					 * device itself: its IKE, ESP, NAT-T (ASA: access-group
					 * is for through-the-box traffic) */
	bool filters_host_only;         /* interface filters see only traffic to or from the
					 * device itself, not what it routes (Windows Firewall
					 * is a host firewall) */
	bool has_fwd_policy;            /* a separate forward SPD direction (Linux) */
	bool crypto_per_interface;      /* the policy is applied on the egress interface (a crypto
					 * map): traffic routed out of another one is not protected */
	const char *negotiating_message;        /* what it shows while IKE never completes */
	unsigned dpd_default_s;         /* dead-peer detection its configuration runs without
					 * `dpd` (seconds, 0: none): what its emitter writes
					 * (IOS keepalives and IKEv2 profile dpd, strongSwan
					 * dpd_delay) or the device's own default (ASA) */
	const struct ike_rules *ike_rules;      /* its IKE daemon's behaviour (NULL: the RFCs') */

	/* Peers only (aws, azure, gcp): refused on a gateway, nothing emitted but
	 * the peer sheet; RULES say what the provider documents. */
	bool peer_only;
	const struct platform_peer_rules *rules;        /* NULL: none */
	const struct platform_vocab *vocab;             /* NULL: tunc's own words */

	enum stage outbound[PIPELINE_MAX];      /* in order, ended by STAGE__COUNT */
	enum stage inbound[PIPELINE_MAX];
};

/* The row for PLATFORM at VERSION (NULL version: the default), or NULL when
 * the version is unknown.  VERSION may be written as the device prints it
 * (device_suffix). */
const struct platform_info *platform_find(enum platform_id platform, const char *version);
/* Can P at VERSION (as written; NULL: the row's default) be route-based? */
bool platform_route_based_at(const struct platform_info *p, const char *version);
/* The versions a platform accepts, for error messages ("12.4, 15.x"). */
const char *platform_versions_text(enum platform_id platform);
/* P's IKE behaviour: its row's, or the RFCs' reading where it has none. */
const struct ike_rules *platform_ike_rules(const struct platform_info *p);

static inline bool platform_has_enc_ike(const struct platform_info *p, enum encryption e)
{
	return p->ike_encryption & BIT(e);
}
static inline bool platform_has_enc_esp(const struct platform_info *p, enum encryption e)
{
	return p->esp_encryption & BIT(e);
}
static inline bool platform_has_group(const struct platform_info *p, unsigned g)
{
	return g < 64 && (p->dh_groups & (UINT64_C(1) << g));
}
/* A PFS group its phase 2 accepts (the phase 1 groups unless its rules
 * list others). */
static inline bool platform_has_pfs_group(const struct platform_info *p, unsigned g)
{
	uint64_t m = p->rules && p->rules->pfs_groups ? p->rules->pfs_groups : p->dh_groups;
	return g < 64 && (m & (UINT64_C(1) << g));
}
/* The name PLATFORM's vocabulary gives ID in LIST, or NULL. */
const char *platform_vocab_name(const struct platform_name *list, unsigned id);

#endif
