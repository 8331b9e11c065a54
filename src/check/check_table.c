/* The registry of checks: every name that `-W`, `tunc explain`, the SARIF
 * rules and the JUnit testcases know, with its rationale from the seed
 * documents (../../shared/seeds, titled in seed_titles below).
 *
 * The front-end entries come first: the parser and resolver report under
 * these names; they have no function and cannot be disabled.  The checks
 * follow in the order of CHECKS.md, which is also the order they run in.
 *
 * Where a check's severity depends on the case (weak-cipher is an error for
 * DES), the table holds the milder default and the check raises it with
 * check_report_sev(); the explanation says so.
 *
 * .run stays NULL until the check's function exists (src/check/checks_*.c,
 * declared in checks.h): switch it to &check_NAME when it is written. */
#include "config.h"
#include "check/check.h"
#include "check/checks.h"

#include <string.h>

#define FRONT_END(NAME, SUMMARY, EXPLANATION, EXAMPLE, FIX)                    \
	{.name = NAME, .severity = DIAG_ERROR, .summary = SUMMARY,             \
	 .explanation = EXPLANATION, .seeds = "", .example = EXAMPLE,          \
	 .fix = FIX, .run = NULL, .front_end = true}

const struct check_info check_table[] = {
	FRONT_END("syntax",
		  "the text is not valid .tun",
		  "The parser met a token or statement the grammar does not accept. "
		  "It recovers at the next statement boundary, so one run reports every "
		  "syntax error it can find, not only the first. A policy with syntax "
		  "errors is not checked, compiled or run: what it would mean is unknown.",
		  "ike strong {\n"
		  "    encryption aes256      # missing ';'\n"
		  "    group 14;\n"
		  "}\n",
		  "Correct the statement as the message says. Every statement ends with "
		  "';'; a block '{ ... }' takes no ';' after its closing brace."),
	FRONT_END("undefined-name",
		  "a name is used but never defined",
		  "Every gateway, peer, proposal, host and tunnel that is referred to must "
		  "be defined somewhere in the file or its includes (before or after the "
		  "use). An undefined name usually is a typo; the message suggests the "
		  "closest defined name of the same kind when there is one.",
		  "tunnel hq-branch {\n"
		  "    between rtr-a and rtr-bb;      # the gateway is rtr-b\n"
		  "}\n",
		  "Define the name, or correct the reference to an existing one."),
	FRONT_END("duplicate-name",
		  "a name is defined twice",
		  "Names live in one namespace per kind (proposals, sites, gateways and "
		  "peers, hosts, tunnels), and each may be defined once. A second "
		  "definition is an error at its name, with a note at the first.",
		  "ipsec strong { encryption aes256; integrity sha256; }\n"
		  "ipsec strong { encryption aes128; integrity sha256; }\n",
		  "Rename one of the definitions, or remove the one not meant."),
	FRONT_END("host-bits",
		  "a prefix has host bits set",
		  "A prefix such as 192.168.1.5/24 names a network but has bits set past "
		  "its length; a device would either refuse it or silently use "
		  "192.168.1.0/24, and tunc never fixes a description silently. In an "
		  "interface 'address' the same form is allowed: it means an address "
		  "and its prefix length.",
		  "site hq { subnet 192.168.1.5/24; }\n",
		  "Write the network address the message suggests (192.168.1.0/24), or a "
		  "host address without a length if a single host was meant."),
	FRONT_END("invalid-value",
		  "a value is out of range or of the wrong kind",
		  "A value the language does not accept where it is written: a DH group "
		  "tunc does not know, a port above 65535, a zero lifetime, integrity "
		  "'none' without a GCM cipher, an IPv6 selector paired with an IPv4 one. "
		  "The message names the accepted values.",
		  "ike strong { group 3; }          # groups: 1 2 5 14 15 16 19 20 21\n",
		  "Use one of the values the message lists."),
	FRONT_END("unknown-platform",
		  "a platform or platform version tunc does not know",
		  "A gateway's platform decides what it supports, how it processes "
		  "packets and which emitter writes its configuration, so tunc must know "
		  "it. The known platforms are ios (12.4, 15.x), pix (6.3), windows "
		  "(2000 to 2022), isa (2004, 2006) and linux; aws, azure and gcp "
		  "describe a cloud provider's VPN gateway and are taken by a peer only.",
		  "gateway fw { platform asa 9.8; }\n",
		  "Use a known platform and version; describe an unsupported device as a "
		  "peer without a platform."),
	FRONT_END("include-error",
		  "an included file cannot be read, or includes form a cycle",
		  "An include names a file relative to the including one. It must exist "
		  "and be readable, and a file must not include itself directly or "
		  "through others.",
		  "include \"proposals.tun\";          # no such file next to this one\n",
		  "Correct the path (relative to the including file) or break the cycle."),
	FRONT_END("io-error",
		  "a file cannot be read or written",
		  "The policy file, a key file named by 'psk file', or an output file "
		  "could not be opened, read or written; the message gives the "
		  "system's reason.",
		  "tunnel t { between a and b; psk file \"missing.psk\"; }\n",
		  "Check the path and its permissions."),

	{.name = "selector-mirror", .severity = DIAG_ERROR,
	 .summary = "a selector pair at one end has no mirror at the other end",
	 .explanation =
		"In tunnel mode each end's selectors (crypto ACL, filter list, remote "
		"site addresses) must be the mirror image of the other's: what one end "
		"protects from local to remote, the other must protect from remote to "
		"local. Quick mode proposes the selectors of the traffic that triggered "
		"it; when the far end has no matching pair it refuses, so that traffic "
		"never gets an SA, or gets one only when the side that has the pair "
		"starts. Seed 003 lists a non-mirrored ACL as the cause of a failed phase "
		"2 and of a tunnel that works from one side only; seed 001 is the same "
		"failure with ISA Server's filters.",
	 .seeds = "003, 001",
	 .example =
		"tunnel hq-branch {\n"
		"    between rtr-a and rtr-b;\n"
		"    rtr-b { remote 192.168.1.0/25; }   # rtr-a protects 192.168.1.0/24\n"
		"}\n",
	 .fix = "Make the pairs mirror images: add the missing subnet to the other "
		"end's 'local' or 'remote', or drop the per-end override so that both "
		"ends use the sites' subnets.",
	 .run = check_selector_mirror},

	{.name = "gateway-own-traffic", .severity = DIAG_ERROR,
	 .summary = "the gateway's own traffic to the remote site matches a filter at one end only",
	 .explanation =
		"ISA Server adds filters of its own for traffic between its external "
		"address and the remote site (ISA-A > SubnetB, filters A3/A4 in seed "
		"001). A ping from the gateway itself is sourced from that address, "
		"matches that filter and starts quick mode, but the far end has no "
		"filter for it, so negotiation never completes and the gateway shows "
		"\"Negotiating IP Security\" forever. Where neither end covers the "
		"gateway's own traffic, it leaves in clear toward an inner address "
		"instead: that case is reported as a note, because every router that "
		"sources its own pings from its outside address does it on a sound "
		"configuration.",
	 .seeds = "001",
	 .example =
		"site a {\n"
		"    subnet 10.1.0.0/16;\n"
		"    gateway isa-a {\n"
		"        platform isa 2004;\n"
		"        interface ext { address 198.51.100.1/24; outside; }\n"
		"    }\n"
		"}\n"
		"tunnel a-b { between isa-a and isa-b; }   # isa-b's remote lacks 198.51.100.1\n",
	 .fix = "Add this gateway's external address to the far end's 'remote' (and "
		"the far end's external address to this end's), as seed 001 adds the "
		"filters A5/A6 and B5/B6.",
	 .run = check_gateway_own_traffic},

	{.name = "route-missing", .severity = DIAG_ERROR,
	 .summary = "a remote inner subnet is not routed the way the peer is",
	 .explanation =
		"Windows does not implement an IPsec tunnel as a routable interface: the "
		"routing decision is taken before IPsec processing (seed 004). If the "
		"remote inner subnets follow the default route to the Internet router "
		"while the peer is reached over a leased line, the packet is "
		"encapsulated correctly but handed to the wrong router. Seed 002 "
		"likewise requires a static route for the remote network, and seed "
		"003's troubleshooting table names routing when packets are "
		"encapsulated but never decapsulated.",
	 .seeds = "004, 002, 003",
	 .example =
		"gateway w2k {\n"
		"    platform windows 2003;\n"
		"    interface wan  { address 198.51.100.1/24; outside; }\n"
		"    interface line { address 192.0.2.1/30; outside; }\n"
		"    route default via 198.51.100.254;   # the Internet router\n"
		"    route 203.0.113.9 via 192.0.2.2;    # the peer, over the leased line\n"
		"}                                       # nothing routes 10.9.0.0/16 via 192.0.2.2\n",
	 .fix = "Add a static route for each remote inner subnet via the same next hop "
		"(and interface) as the route to the peer, e.g. "
		"'route 10.9.0.0/16 via 192.0.2.2;'.",
	 .run = check_route_missing, .reads_peer_routes = true},

	{.name = "mixed-pair-selectors", .severity = DIAG_WARNING,
	 .summary = "a route-based end and a policy-based end cannot agree on selectors",
	 .explanation =
		"A route-based end (a tunnel interface) proposes 0.0.0.0/0 to 0.0.0.0/0 "
		"and lets routing decide; a policy-based end proposes its access list. "
		"Whether the responder takes the other's proposal depends on its platform "
		"and IKE version: IKEv1 proxy IDs exactly or as a subset of its own, IKEv2 "
		"narrowed to the intersection. So such a tunnel often comes up from one "
		"side only, or never: the most common reason a tunnel to a cloud or a "
		"modern gateway passes nothing (issue 13). The finding says which "
		"initiator succeeds and which fails, by the same answer the engine's "
		"negotiation uses; an error when neither does.",
	 .seeds = "003",
	 .example =
		"tunnel hq-branch {\n"
		"    between rtr-a and rtr-b;    # both IOS, IKEv1\n"
		"    rtr-a { route-based 169.254.20.0/30; }\n"
		"}\n",
	 .fix = "Give the route-based end's block `local` and `remote` matching the "
		"policy-based end's selectors where its platform can (Linux); on IOS and "
		"ASA, whose tunnel interfaces are always any to any, make that end "
		"policy-based; or use IKEv2 where both ends speak it.",
	 .run = check_mixed_pair_selectors},

	{.name = "mtu-overhead", .severity = DIAG_WARNING,
	 .summary = "the tunnel's overhead exceeds the path MTU and TCP is not clamped",
	 .explanation =
		"ESP adds an outer IP header, the ESP header, an IV, padding to the cipher "
		"block, a trailer and an ICV, and with NAT traversal a UDP header: 50 to "
		"90 bytes. A full-size packet from inside then no longer fits the outside "
		"link: with DF set it is dropped with ICMP fragmentation needed (often "
		"filtered on the way: the connection hangs after its handshake), without "
		"DF it is fragmented. Clamping the MSS of TCP SYNs avoids both for TCP. "
		"The overhead is computed for the tunnel end's first offer; the engine "
		"uses the same computation for its PMTU decisions. Reported where sizes "
		"were thought about: a route-based end, a written `mtu`, or `tcp-mss off`.",
	 .seeds = "003",
	 .example =
		"interface Gi0/0 { address 198.51.100.1/30; outside; mtu 1400; }\n"
		"tunnel hq-branch { ... route-based 169.254.20.0/30; }   # no tcp-mss\n",
	 .fix = "Add `tcp-mss auto;` to the tunnel (or to the end).",
	 .run = check_mtu_overhead},

	{.name = "tunnel-route-missing", .severity = DIAG_ERROR,
	 .summary = "a route-based end routes part of the far subnets outside its tunnel",
	 .explanation =
		"A route-based end (a tunnel interface) protects exactly what its routes "
		"send into the interface: its selectors are any to any. The routes to the "
		"far end's subnets through the interface are implied by `route-based`, "
		"but another route of the gateway can win over them: a more specific "
		"route inside a far subnet, or a route to the same prefix written before "
		"it, via the Internet router. That traffic then leaves by the physical "
		"interface in clear (or is dropped on the way), while the tunnel is up "
		"and carries the rest (issue 13). Each far subnet's first host and the "
		"first host of every route inside it are looked up as the engine does; "
		"the engine's fate for a packet from this end's side is quoted.",
	 .seeds = "004, 003",
	 .example =
		"gateway rtr-a {\n"
		"    route default via 198.51.100.2;\n"
		"    route 192.168.2.128/25 via 198.51.100.2;   # inside the far subnet\n"
		"}\n"
		"tunnel hq-branch { between rtr-a and rtr-b; route-based 169.254.20.0/30; }\n",
	 .fix = "Remove the route, or send that prefix into the tunnel with "
		"`route PREFIX via tunnel NAME;`.",
	 .run = check_tunnel_route_missing},

	{.name = "egress-address", .severity = DIAG_WARNING,
	 .summary = "tunnel traffic leaves by an interface whose address is not the tunnel endpoint",
	 .explanation =
		"On a multihomed gateway the source of a tunnelled packet is the address "
		"of the interface it leaves by. When that is not the configured tunnel "
		"endpoint, the far end sees an unexpected source address and does not "
		"establish the tunnel, or drops the packets of one already established; "
		"inbound tunnel traffic may also arrive on another interface (seed 002, "
		"\"How to Configure Static Routes\").",
	 .seeds = "002",
	 .example =
		"gateway w2k {\n"
		"    platform windows 2000;\n"
		"    interface ext1 { address 198.51.100.1/24; outside; }\n"
		"    interface ext2 { address 198.51.100.2/24; outside; }\n"
		"    route default via 198.51.100.254 dev ext1;\n"
		"}\n"
		"tunnel t { between w2k and partner; w2k { local-endpoint 198.51.100.2; } }\n",
	 .fix = "Add a static route that binds the remote network and the peer to the "
		"endpoint's interface ('route ... dev IFNAME'), or use that interface's "
		"address as the endpoint.",
	 .run = check_egress_address, .reads_peer_routes = true},

	{.name = "peer-unreachable", .severity = DIAG_ERROR,
	 .summary = "no route to the peer's tunnel endpoint",
	 .explanation =
		"IKE (UDP 500, and 4500 with NAT-T) and ESP are sent to the peer's "
		"endpoint address, so the gateway needs a route to it, usually its "
		"default route toward the Internet. Without one, phase 1 never starts; "
		"seed 003 lists a routing problem to the peer among the reasons a tunnel "
		"does not come up.",
	 .seeds = "003",
	 .example =
		"gateway rtr-a {\n"
		"    platform ios;\n"
		"    interface Gi0/0 { address 198.51.100.1/30; outside; }\n"
		"}                     # no route toward the peer 203.0.113.1\n",
	 .fix = "Add a route to the peer's endpoint by the outside interface, often "
		"'route default via NEXTHOP;'.",
	 .run = check_peer_unreachable, .reads_peer_routes = true},

	{.name = "nat-not-exempt", .severity = DIAG_ERROR,
	 .summary = "tunnel traffic is translated by NAT before the crypto map sees it",
	 .explanation =
		"On IOS and PIX, NAT is applied before the crypto map. A translating rule "
		"(an overload to the outside address) that matches traffic between the "
		"two sites rewrites its source, so the packet no longer matches the "
		"tunnel's selectors and leaves in clear or not at all. Seed 003 puts a "
		"deny for the VPN traffic ahead of the NAT rule and names a missing NAT "
		"exemption when a tunnel is up but traffic does not flow.",
	 .seeds = "003, 000",
	 .example =
		"gateway rtr-a {\n"
		"    platform ios;\n"
		"    nat { overload 192.168.1.0/24 on GigabitEthernet0/0; }   # no exempt\n"
		"}\n",
	 .fix = "Put 'exempt tunnels;' (or 'exempt SRC -> DST;' for the tunnel's "
		"subnets) ahead of the translating rule.",
	 .run = check_nat_not_exempt},

	{.name = "windows-nat-tunnel", .severity = DIAG_ERROR,
	 .summary = "a Windows 2000/2003 tunnel endpoint also runs RRAS NAT or ISA 2000",
	 .explanation =
		"The NAT driver of Routing and Remote Access, and that of ISA Server "
		"2000, is incompatible with IPsec tunnel mode on Windows 2000 and "
		"Windows Server 2003: tunnel-mode traffic through it does not work. ISA "
		"Server 2004 removed the incompatibility for its own NAT, but RRAS NAT on "
		"those systems keeps it (seed 000); KB 252735 says tunnel mode does not "
		"work directly with an endpoint that runs NAT or ISA (seed 002).",
	 .seeds = "000, 002",
	 .example =
		"gateway w2k {\n"
		"    platform windows 2003;\n"
		"    interface wan { address 198.51.100.1/24; outside; }\n"
		"    nat { overload 10.1.0.0/16 on wan; }\n"
		"}\n",
	 .fix = "Move NAT off the tunnel endpoint, or use ISA Server 2004 or later, or "
		"a Windows version after 2003.",
	 .run = check_windows_nat_tunnel},

	{.name = "tunnel-port-filter", .severity = DIAG_WARNING,
	 .summary = "a tunnel end restricts its selectors by protocol or port",
	 .explanation =
		"Windows IPsec tunnel rules do not support protocol- or port-specific "
		"filters: KB 252735 says to use only address information in a tunnel "
		"rule's filters and to leave the protocol at Any. On Windows and ISA "
		"Server this is an error. Other platforms can restrict a tunnel's "
		"selectors, but both ends must then agree exactly, so elsewhere it is "
		"a warning.",
	 .seeds = "002",
	 .example =
		"tunnel t {\n"
		"    between w2k and partner;\n"
		"    w2k { protocol tcp 443; }\n"
		"}\n",
	 .fix = "Remove 'protocol' from the tunnel end and restrict the traffic with "
		"packet filters instead.",
	 .run = check_tunnel_port_filter},

	{.name = "mirrored-tunnel-filter", .severity = DIAG_ERROR,
	 .summary = "a Windows tunnel filter is marked Mirrored",
	 .explanation =
		"A Windows tunnel is two rules, one per direction, each with its own "
		"one-way filter list and its own tunnel endpoint: the far end's address "
		"for outbound traffic, the gateway's own for inbound. A mirrored filter "
		"makes one rule cover both directions with a single endpoint, which is "
		"wrong for one of them; KB 252735 clears the Mirrored box on both filter "
		"lists.",
	 .seeds = "002",
	 .example =
		"tunnel t {\n"
		"    between w2k and partner;\n"
		"    w2k { mirrored; }\n"
		"}\n",
	 .fix = "Remove 'mirrored;': tunc then emits two one-way filter lists and two "
		"rules with opposite tunnel endpoints.",
	 .run = check_mirrored_tunnel_filter},

	{.name = "accept-unsecured", .severity = DIAG_ERROR,
	 .summary = "a Windows tunnel filter action accepts unsecured communication",
	 .explanation =
		"With \"Accept unsecured communication, but always respond using IPSec\" "
		"set, traffic that matches the tunnel's filters is also accepted in "
		"clear, so anyone on the path can send it unprotected. KB 252735 clears "
		"this box \"to ensure secure operation\", and creates a new filter action "
		"because the default ones allow incoming traffic in the clear.",
	 .seeds = "002",
	 .example =
		"tunnel t {\n"
		"    between w2k and partner;\n"
		"    w2k { accept-unsecured; }\n"
		"}\n",
	 .fix = "Remove 'accept-unsecured;' so that the filter action only negotiates "
		"security.",
	 .run = check_accept_unsecured},

	{.name = "ah-behind-nat", .severity = DIAG_ERROR,
	 .summary = "AH is used where an end is behind NAT",
	 .explanation =
		"AH authenticates the whole packet including the outer IP header; NAT "
		"rewrites that header, so every packet fails the integrity check, and AH "
		"cannot be carried in NAT-T's UDP encapsulation. Seed 003: AH \"breaks "
		"with NAT\"; its troubleshooting table says to switch to ESP.",
	 .seeds = "003",
	 .example =
		"ipsec signed { protocol ah; integrity sha256; }\n"
		"peer branch { address 203.0.113.50; subnet 10.9.0.0/16; behind-nat; }\n"
		"tunnel t { between rtr-a and branch; ipsec signed; }\n",
	 .fix = "Use ESP ('protocol esp;') with NAT traversal for a tunnel with an end "
		"behind NAT.",
	 .run = check_ah_behind_nat},

	{.name = "nat-traversal-off", .severity = DIAG_ERROR,
	 .summary = "an end is behind NAT but NAT traversal is off or unsupported",
	 .explanation =
		"ESP has no ports, so a NAT device that translates ports cannot return "
		"ESP to the right host; NAT-T encapsulates ESP in UDP 4500 once both "
		"ends detect the NAT during IKE (seed 003). IKEv2 has it built in; IKEv1 "
		"needs the RFC 3947 extension configured ('crypto isakmp nat-traversal' "
		"on IOS and PIX 6.3), and Windows 2000 lacks it. With an end behind NAT "
		"and NAT-T off or unsupported, phase 1 may complete but ESP never gets "
		"through.",
	 .seeds = "003",
	 .example =
		"peer branch { address 203.0.113.50; subnet 10.9.0.0/16; behind-nat; }\n"
		"tunnel t { between rtr-a and branch; nat-traversal off; }\n",
	 .fix = "Set 'nat-traversal auto;' (or 'on'), on platforms that support it at "
		"both ends.",
	 .run = check_nat_traversal_off},

	{.name = "pat-no-initiator", .severity = DIAG_WARNING,
	 .summary = "only an end behind PAT can start the tunnel, and nothing from its side does",
	 .explanation =
		"A port-translating NAT (a home router, a carrier-grade NAT: 'behind-nat "
		"ADDR pat;') shares one public address among many inside flows, so it "
		"forwards inward only what answers a flow an inside host opened. IKE "
		"that the far end starts toward it is dropped there (seed 003 names a "
		"NAT device on the path among the reasons a tunnel does not come up): "
		"only the end behind PAT can initiate, and NAT-T keepalives (RFC 3948) "
		"and DPD then hold its mapping open for the far end's traffic. When no "
		"expectation sends traffic from that end's side into the tunnel, nothing "
		"in the description starts it, and the far side's traffic is dropped "
		"until something does. With both ends behind PAT, neither can start it: "
		"that is an error. The finding quotes what the engine does with the far "
		"side's first packet.",
	 .seeds = "003",
	 .example =
		"interface Gi0/0 { address 100.64.0.2/24; outside; behind-nat 192.0.2.200 pat; }\n"
		"expect pc1 -> srv1 protected;      # from the head office only\n",
	 .fix = "Have the PAT'd end's side start the tunnel (and say so with an 'expect' "
		"from its side), or give that end a one-to-one NAT ('behind-nat ADDR;').",
	 .run = check_pat_no_initiator},

	{.name = "ike-mismatch", .severity = DIAG_ERROR,
	 .summary = "the two ends' phase 1 proposals have nothing in common",
	 .explanation =
		"Phase 1 parameters (IKE version, mode, encryption, integrity, DH group) "
		"must match on both peers, or main mode fails at its first exchange. "
		"Seed 003's troubleshooting table lists a mismatched phase 1 policy first "
		"among the reasons a tunnel does not come up. The finding names each "
		"field that differs.",
	 .seeds = "003",
	 .example =
		"ike a { encryption aes256; integrity sha256; group 14; }\n"
		"ike b { encryption aes256; integrity sha256; group 2; }\n"
		"tunnel t { between rtr-a and rtr-b; rtr-a { ike a; } rtr-b { ike b; } }\n",
	 .fix = "Give both ends the same 'ike' proposal, or offers that share at least "
		"one combination.",
	 .run = check_ike_mismatch},

	{.name = "ipsec-mismatch", .severity = DIAG_ERROR,
	 .summary = "the two ends' phase 2 proposals have nothing in common",
	 .explanation =
		"Quick mode fails when the ends disagree on the IPsec protocol (ESP or "
		"AH), the transform (encryption and integrity) or the PFS group, even "
		"with phase 1 up. Seed 003 names mismatched transform sets and a PFS "
		"group mismatch as causes of a failed phase 2.",
	 .seeds = "003",
	 .example =
		"ipsec a { encryption aes256; integrity sha256; pfs 14; }\n"
		"ipsec b { encryption aes256; integrity sha256; pfs none; }\n"
		"tunnel t { between rtr-a and rtr-b; rtr-a { ipsec a; } rtr-b { ipsec b; } }\n",
	 .fix = "Give both ends the same 'ipsec' proposal: protocol, encryption, "
		"integrity and pfs.",
	 .run = check_ipsec_mismatch},

	{.name = "lifetime-mismatch", .severity = DIAG_WARNING,
	 .summary = "phase 1 or phase 2 lifetimes differ between the ends",
	 .explanation =
		"When the lifetimes differ the ends rekey at different times, and "
		"re-keying can collide. Seed 003 lists an SA lifetime mismatch as the "
		"cause of a tunnel that drops periodically and re-establishes; some "
		"implementations accept the lower lifetime, others refuse the proposal.",
	 .seeds = "003",
	 .example =
		"ipsec a { encryption aes256; integrity sha256; lifetime 1h; }\n"
		"ipsec b { encryption aes256; integrity sha256; lifetime 8h; }\n"
		"tunnel t { between rtr-a and rtr-b; rtr-a { ipsec a; } rtr-b { ipsec b; } }\n",
	 .fix = "Use the same 'lifetime' in both ends' proposals (typically 24h for "
		"phase 1 and 1h for phase 2).",
	 .run = check_lifetime_mismatch},

	{.name = "psk-mismatch", .severity = DIAG_ERROR,
	 .summary = "the two ends' pre-shared keys differ",
	 .explanation =
		"Phase 1 authentication with a pre-shared key fails when the keys differ, "
		"even by case or one character: seed 003 says the keys must be identical "
		"on both sides, and names a key entered differently on each side as a "
		"cause of a tunnel that does not come up. tunc compares the keys without "
		"ever printing them.",
	 .seeds = "003",
	 .example =
		"tunnel t {\n"
		"    between rtr-a and rtr-b;\n"
		"    rtr-a { psk file \"a.psk\"; }\n"
		"    rtr-b { psk file \"b.psk\"; }      # a different key\n"
		"}\n",
	 .fix = "Use one key for both ends: a single 'psk' on the tunnel instead of "
		"per-end keys.",
	 .run = check_psk_mismatch},

	{.name = "platform-unsupported", .severity = DIAG_ERROR,
	 .summary = "a gateway's platform cannot do what its tunnel asks",
	 .explanation =
		"Each platform offers a fixed set of features. PIX 6.3 has no IKEv2, no "
		"DH group 14 and no IPv6; Windows 2000 and 2003 have no AES and no "
		"IKEv2; no Windows version does aggressive mode (seed 000); a Windows "
		"tunnel needs static endpoint addresses (seed 002). A configuration "
		"asking for a missing feature cannot be emitted, or the device silently "
		"does something else. The finding names the platform, the feature and "
		"what the platform offers instead.",
	 .seeds = "000, 002, 003",
	 .example =
		"ike modern { version 2; encryption aes256; integrity sha256; group 14; }\n"
		"gateway fw { platform pix 6.3; }   # a tunnel of fw uses 'ike modern'\n",
	 .fix = "Choose what the platform supports (the finding lists it), or upgrade "
		"the platform.",
	 .run = check_platform_unsupported},

	{.name = "platform-limit", .severity = DIAG_ERROR,
	 .summary = "a gateway's configuration cannot hold what its tunnel asks",
	 .explanation =
		"Some limits are not the platform's protocol but the configuration tunc "
		"writes for it: an IOS or PIX crypto map takes an IPv4 peer and an IPv4 "
		"access list; IOS and PIX NAT, and the nftables table tunc writes for "
		"Linux, are IPv4 only; a Windows filter and the xfrm selector of static "
		"SAs name one port, not a range; IOS and PIX take no space, '?' or '\"' in a "
		"pre-shared key, and a netsh argument no '\"'. 'tunc compile' refuses "
		"such a policy; this check reports it first, from the same columns of "
		"the platform table, so that a policy lint passes always compiles.",
	 .seeds = "",
	 .example =
		"gateway rtr { platform ios 15.4;\n"
		"  interface wan { address 2001:db8:1::1/64; outside; } }\n"
		"# a tunnel of rtr to a peer at 2001:db8:2::1: IOS crypto maps take IPv4 peers\n",
	 .fix = "Keep to what the finding says the configuration takes (IPv4 peers and "
		"selectors, one port, a key without the listed characters), or terminate "
		"the tunnel on a platform whose configuration takes it.",
	 .run = check_platform_limit},

	{.name = "keys-unread", .severity = DIAG_NOTE,
	 .summary = "key checks skipped: a pre-shared key could not be read",
	 .explanation =
		"Some checks read the pre-shared keys: weak-psk (length and character "
		"classes), manual-key-entropy (a key that keys SAs by hand), psk-mismatch (the two ends' keys differ) and platform-limit "
		"(characters the configuration cannot hold). Where a key cannot be read "
		"(a 'psk env' variable unset in CI, a key file that is missing, unreadable, "
		"a link or outside the policy's directory: doc/files-and-keys.md), lint "
		"skips them for that key and says so in one note naming the checks, the "
		"keys and why, instead of passing in silence.",
	 .seeds = "",
	 .example = "tunnel t { between a and b; psk env \"VPN_PSK\"; }   # VPN_PSK unset\n",
	 .fix = "Run lint where the keys can be read (set the variable, create the "
		"file with mode 0600 beside the policy, or trust its directory with "
		"--allow-key-path DIR) to have the key checks run.",
	 .run = NULL},

	/* What `tunc import` and lint of configurations report while reading
	 * them (src/import): no function of their own, and like the front end's
	 * they cannot be disabled (they are reported before any check runs). */
	{.name = "not-modelled", .severity = DIAG_NOTE,
	 .summary = "a configuration line bears on IPsec but tunc does not model it",
	 .explanation =
		"Reading a vendor configuration (tunc import, or lint of configurations), "
		"every line that bears on IPsec is either turned into the .tun it stands for "
		"or named in this note at its location, so nothing is dropped in silence: "
		"a statement tunc does not model (a firewall rule restricted by program, "
		"an RRAS demand-dial filter, IKEv1 aggressive mode...) is left out of the "
		"import, and what lint says of the rest does not take it into account. "
		"Lines unrelated to IPsec (logging, SNMP, banners) are skipped quietly. "
		"doc/import.md lists what each reader understands.",
	 .seeds = "",
	 .example = "! rtr-a.cfg\ncrypto isakmp aggressive-mode disable\n",
	 .fix = "Check by hand whether the statement changes what the tunnel does; "
		"where the .tun can say it, write it into the imported .tun.",
	 .run = NULL, .reader = true},

	{.name = "peer-sheet-differs", .severity = DIAG_WARNING,
	 .summary = "a peer's sheet and its configuration say different things",
	 .explanation =
		"Given both a peer's configuration (what tunc wrote for a partner whose "
		"platform it knows) and its peer sheet, tunc import reads them as one "
		"device: the configuration holds the proposals and the key and wins; the "
		"sheet only fills in what the configuration lacks. Where they disagree "
		"(the local endpoint, the selectors, a proposal) or the sheet names a "
		"tunnel the configuration has no entry for, the partner was given two "
		"different instructions.",
	 .seeds = "",
	 .example = "tunc import partner-gw.ios.cfg partner-gw.peer.txt rtr-hq.ios.cfg\n"
		    "# the sheet says group 20, the configuration group 19\n",
	 .fix = "Compile the .tun again and give the partner both files from the same "
		"compile.",
	 .run = NULL, .reader = true},

	{.name = "no-common-proposal", .severity = DIAG_ERROR,
	 .summary = "no proposal that both platforms of a tunnel can run",
	 .explanation =
		"For a tunnel between different platforms, what both support (IKE "
		"version, ciphers, integrity, DH groups) can have nothing in common: "
		"AES and IKEv2 on one end, a Windows 2000 gateway with DES and 3DES on "
		"the other. No proposal can then be negotiated, whatever the file says "
		"(seed 003: phase 1 and phase 2 parameters must match exactly). The "
		"finding lists what each end supports.",
	 .seeds = "003",
	 .example =
		"gateway w2k { platform windows 2000; }\n"
		"peer modern { address 203.0.113.50; subnet 10.9.0.0/16; platform linux; }\n"
		"ike v2 { version 2; encryption aes256; integrity sha256; group 19; }\n",
	 .fix = "Pick a proposal from the intersection the finding lists, or upgrade "
		"one end.",
	 .run = check_no_common_proposal},

	{.name = "weak-dh-group", .severity = DIAG_WARNING,
	 .summary = "a deprecated Diffie-Hellman group (1, 2 or 5)",
	 .explanation =
		"The DH exchange protects every key derived from it. Seed 003 rates "
		"group 1 (768-bit) \"never use\", groups 2 (1024-bit) and 5 (1536-bit) "
		"deprecated, group 14 (2048-bit) the minimum for new deployments, and "
		"groups 19 and 20 (ECDH) recommended. Group 1 is an error, groups 2 and "
		"5 are warnings; the same holds for a PFS group.",
	 .seeds = "003",
	 .example = "ike legacy { version 1; encryption 3des; integrity sha1; group 2; }\n",
	 .fix = "Use 'group 14;' at least, 19 or 20 where both ends support them (and "
		"the same for 'pfs').",
	 .run = check_weak_dh_group},

	{.name = "weak-cipher", .severity = DIAG_WARNING,
	 .summary = "DES, 3DES or null encryption",
	 .explanation =
		"DES (56-bit keys) is broken and 3DES (64-bit blocks) is deprecated; "
		"seed 003 lists both as the legacy choices beside AES. 'null' encryption "
		"gives no confidentiality at all: seed 000 uses it on purpose so that a "
		"capture shows the payload inside ESP, which is fine in a lab and never "
		"in production. DES is an error, 3DES and null are warnings.",
	 .seeds = "003, 000",
	 .example = "ipsec capture { encryption null; integrity sha1; }\n",
	 .fix = "Use AES on both ends: 'encryption aes256;' (or aes256-gcm for ESP).",
	 .run = check_weak_cipher},

	{.name = "weak-integrity", .severity = DIAG_WARNING,
	 .summary = "MD5 or SHA-1 integrity",
	 .explanation =
		"Seed 003 recommends SHA-256 or stronger for IKE and ESP integrity and "
		"lists MD5 and SHA-1 as legacy. HMAC-SHA-1 is not broken as a MAC "
		"today, but both are deprecated for new configurations.",
	 .seeds = "003",
	 .example = "ike legacy { version 1; encryption aes128; integrity md5; group 14; }\n",
	 .fix = "Use 'integrity sha256;' or stronger (or a GCM cipher with "
		"'integrity none;' in phase 2).",
	 .run = check_weak_integrity},

	{.name = "no-pfs", .severity = DIAG_NOTE,
	 .summary = "phase 2 has no perfect forward secrecy",
	 .explanation =
		"Without PFS every phase 2 SA is keyed from the phase 1 Diffie-Hellman "
		"exchange, so compromising that key material exposes past IPsec traffic "
		"as well. With PFS each quick mode performs a fresh DH exchange and one "
		"session's keys reveal nothing about another's (seed 003). Both ends "
		"must agree: a PFS group on one end only is an ipsec-mismatch.",
	 .seeds = "003",
	 .example = "ipsec strong { encryption aes256; integrity sha256; pfs none; }\n",
	 .fix = "Set 'pfs 14;' (or 19, 20) in the 'ipsec' proposal of both ends.",
	 .run = check_no_pfs},

	{.name = "ike-blocked", .severity = DIAG_ERROR,
	 .summary = "a packet filter on the path drops IKE, NAT-T, ESP/AH or the tunnel's traffic",
	 .explanation =
		"The endpoints must be able to exchange IKE (UDP 500), NAT-T (UDP 4500) "
		"and ESP (protocol 50) or AH (51); seed 003 says firewalls must permit "
		"them and names a blocked UDP 500 as a cause of a failed phase 1. On "
		"Windows the RRAS filters sit above IPsec (seed 002), so they see the "
		"inner traffic rather than ESP: there a filter that drops the tunnel's "
		"subnets drops the tunnel's traffic.",
	 .seeds = "002, 003",
	 .example =
		"interface Gi0/0 {\n"
		"    address 198.51.100.1/30; outside;\n"
		"    filter in { permit any -> 198.51.100.1 tcp 22; default drop; }\n"
		"}\n",
	 .fix = "Permit UDP 500, UDP 4500 and ESP between the endpoints ahead of the "
		"filter's drop rules (on Windows: the inner subnets and the endpoint "
		"pair).",
	 .run = check_ike_blocked, .reads_peer_routes = true},

	{.name = "filter-unsupported", .severity = DIAG_ERROR,
	 .summary = "an interface filter that the gateway's platform cannot hold as described",
	 .explanation =
		"tunc writes each interface filter into the gateway's configuration with "
		"the meaning the engine gives it: the first matching rule decides, else "
		"the default. Not every platform can hold every filter. PIX 6.3 binds "
		"access lists to inbound traffic only (access-group ... in interface); "
		"Windows RRAS packet filters are one list per direction whose filters "
		"all take the action opposite to the default (\"drop all packets "
		"except those that meet the criteria below\", seed 002), and match one "
		"port, not a range; ISA Server filters with its own firewall policy; "
		"Windows Firewall (2012 and later) rules have no order (a block rule "
		"wins over an allow rule) and one default per direction for the whole "
		"server. A "
		"filter the configuration cannot hold would leave the interface less "
		"protected (or more closed) than the description says, while lint and "
		"the engine agree with the description.",
	 .seeds = "002",
	 .example =
		"gateway fw {\n"
		"    platform pix 6.3;\n"
		"    interface outside { address 198.51.100.1/30; outside;\n"
		"        filter out { permit any -> any tcp 443; default drop; } }\n"
		"}\n",
	 .fix = "Rewrite the filter in a form the platform takes (for RRAS: all rules "
		"with the action opposite to the default; single ports), move it to an "
		"interface and direction the platform filters, or filter on another device.",
	 .run = check_filter_unsupported},

	{.name = "cleartext-leak", .severity = DIAG_WARNING,
	 .summary = "traffic between the sites that the selectors do not cover goes in clear",
	 .explanation =
		"IPsec protects only the traffic its selectors match; anything else "
		"between the two sites (a subnet left out, another protocol where the "
		"selectors are restricted) is routed normally, in clear. KB 252735 "
		"configures RRAS input and output filters that drop all traffic except "
		"the tunnel's subnets and the IKE exchange between the endpoints, for "
		"exactly this reason.",
	 .seeds = "002",
	 .example =
		"site hq { subnet 192.168.1.0/24, 192.168.5.0/24; }\n"
		"tunnel t { between rtr-a and rtr-b; rtr-a { local 192.168.1.0/24; } }\n",
	 .fix = "Extend the selectors to cover that traffic, or add filters that drop "
		"traffic between the sites outside the tunnel.",
	 .run = check_cleartext_leak},

	{.name = "selector-overlap", .severity = DIAG_ERROR,
	 .summary = "a gateway's tunnels, or one tunnel's two sides, protect overlapping traffic",
	 .explanation =
		"When two tunnels of one gateway toward different peers both match a "
		"packet, which SA it takes depends on the order of the entries (crypto "
		"map sequence, filter order), so part of the traffic goes to the wrong "
		"peer (seed 003: the ACL decides which traffic is interesting for which "
		"peer). A tunnel whose local and remote subnets overlap would capture "
		"traffic that never needs to cross it.",
	 .seeds = "003",
	 .example =
		"tunnel to-b { between rtr-a and rtr-b; rtr-a { remote 10.0.0.0/8; } }\n"
		"tunnel to-c { between rtr-a and rtr-c; rtr-a { remote 10.3.0.0/16; } }\n",
	 .fix = "Make the selectors disjoint: narrow one tunnel's 'remote', or "
		"renumber the overlapping subnet.",
	 .run = check_selector_overlap},

	{.name = "manual-key-aead", .severity = DIAG_ERROR,
	 .summary = "a manually keyed end uses AES-GCM",
	 .explanation =
		"Manually keyed SAs (a tunnel that says 'keying manual;') keep the "
		"same key across restarts, while their sequence numbers, and with them "
		"GCM's nonces, start again from zero. RFC 4106 forbids AES-GCM with "
		"manual keying because a nonce repeated under one key destroys both "
		"confidentiality and integrity.",
	 .seeds = "",
	 .example = "ipsec fast { encryption aes256-gcm; integrity none; }   # in a tunnel with 'keying manual;'\n",
	 .fix = "Use AES-CBC with HMAC ('encryption aes256; integrity sha256;') for a "
		"manually keyed end, or let IKE key the tunnel.",
	 .run = check_manual_key_aead},

	{.name = "manual-keying", .severity = DIAG_NOTE,
	 .summary = "an end uses manually keyed SAs",
	 .explanation =
		"A tunnel keyed by hand ('keying manual;') runs no IKE: its keys are "
		"never renegotiated, so there is no rekeying and no PFS; sequence "
		"numbers restart whenever the gateway restarts, so replays of earlier "
		"traffic are no longer detected; and the SA must be replaced by hand "
		"before its 32-bit sequence number wraps. That is fine for a lab or a "
		"capture; IKE (the default) is the production choice.",
	 .seeds = "",
	 .example = "tunnel t { between rtr-a and rtr-b; keying manual; ... }\n",
	 .fix = "Remove 'keying manual;' so that IKE keys the tunnel, or rotate the "
		"keys by hand on both ends.",
	 .run = check_manual_keying},

	{.name = "manual-key-entropy", .severity = DIAG_ERROR,
	 .summary = "a tunnel keyed by hand from a key of less than 128 bits of entropy",
	 .explanation =
		"A tunnel keyed by hand ('keying manual;') derives its static SA keys "
		"from the pre-shared key alone: no exchange adds randomness. So one "
		"captured packet lets anyone test guesses of the key offline, checking "
		"each against the packet's ICV, and a right guess gives every static key "
		"of both directions. Such a key must be random: at least 128 bits of "
		"entropy, counted conservatively (doc/checks.md says how: words, runs, "
		"repeats and sequences count for little). The finding gives the estimate, "
		"never the key.",
	 .seeds = "",
	 .example = "tunnel t { between rtr-a and rtr-b; keying manual; psk env \"T_PSK\"; }   "
		    "# T_PSK=Branch-Key-2024\n",
	 .fix = "Use a random key, e.g. from 'openssl rand -base64 32' or 'openssl rand "
		"-hex 32', or let IKE key the tunnel.",
	 .run = check_manual_key_entropy},

	{.name = "manual-key-material", .severity = DIAG_ERROR,
	 .summary = "a key file gives SAs keyed by hand that cannot be installed",
	 .explanation =
		"A tunnel end keyed by hand may take its SAs as they are from its key "
		"file instead of deriving them (the form `tunc import` writes for SAs a "
		"configuration keys by hand: doc/files-and-keys.md). Such a file must "
		"give one SA per direction between the tunnel's two gateways, each with "
		"an SPI of at least 0x100 not taken by another SA arriving at the same "
		"gateway, and keys as long as the first offer of the end's ipsec "
		"proposal takes. The finding says what is wrong, never a key.",
	 .seeds = "",
	 .example = "tunc-manual-sa v1\nfrom rtr-a to rtr-b spi 0x100 enc 00112233 auth ...\n"
		    "   # aes128 takes 16 bytes, not 4\n",
	 .fix = "Give one line per direction, 'from GATEWAY to GATEWAY spi SPI enc HEX auth "
		"HEX', with keys of the proposal's lengths and unique SPIs, or a pre-shared "
		"key to derive the SAs from.",
	 .run = check_manual_key_material},

	{.name = "keying-mismatch", .severity = DIAG_ERROR,
	 .summary = "one end is keyed by hand and the other cannot match it",
	 .explanation =
		"An end asked for manually keyed SAs ('keying manual;') runs no IKE, "
		"so its far end must install the very same two SAs: it must be keyed "
		"by hand too, and its platform must be able to. Linux ('ip xfrm'), "
		"Cisco IOS and PIX ('crypto map ... ipsec-manual') can; Windows and ISA "
		"Server only negotiate SAs with IKE, which the manual end never "
		"answers, so the tunnel never comes up. A Cisco manual entry also "
		"carries a single selector pair (its access list takes one permit "
		"line), so a tunnel with several subnet pairs cannot be keyed by hand "
		"toward IOS or PIX either.",
	 .seeds = "",
	 .example =
		"gateway rtr-a { platform windows 2003; ... }\n"
		"gateway rtr-b { platform linux; ... }\n"
		"tunnel t { between rtr-a and rtr-b; rtr-b { keying manual; } ... }\n",
	 .fix = "Key both ends the same way: remove 'keying manual;' (IKE, the default), "
		"or say it at tunnel level where both platforms can be keyed by hand; toward "
		"IOS or PIX, split the tunnel into one tunnel per subnet pair.",
	 .run = check_keying_mismatch},

	{.name = "inline-secret", .severity = DIAG_WARNING,
	 .summary = "a pre-shared key written inline in the policy file",
	 .explanation =
		"A key in the policy file travels with it into version control, "
		"reviews, tickets and backups. A key in a separate file or in the "
		"environment lets the policy be shared without the secret.",
	 .seeds = "",
	 .example = "tunnel t { between rtr-a and rtr-b; psk \"letmein\"; }\n",
	 .fix = "Move the key out of the policy: 'psk file \"secrets/t.psk\";' (a "
		"file of mode 0600) or 'psk env \"T_PSK\";'.",
	 .run = check_inline_secret},

	{.name = "weak-psk", .severity = DIAG_WARNING,
	 .summary = "a pre-shared key shorter than 20 characters or of one character class",
	 .explanation =
		"Whoever captures one IKE exchange authenticated by a pre-shared key (or, "
		"with IKEv1 aggressive mode, merely asks for one) can test guesses of the "
		"key offline, as fast as they can hash. A short key, or one drawn from a "
		"single character class, falls to a dictionary or brute-force search.",
	 .seeds = "",
	 .example = "tunnel t { between rtr-a and rtr-b; psk env \"T_PSK\"; }   # T_PSK=password\n",
	 .fix = "Use a random key of at least 20 characters mixing letters, digits "
		"and symbols, e.g. from 'openssl rand -base64 30'.",
	 .run = check_weak_psk},

	/* Issue 9's checks, after CHECKS.md's table (which does not list them). */
	{.name = "psk-file-mode", .severity = DIAG_WARNING,
	 .summary = "a key file that group or others can read",
	 .explanation =
		"A key named by 'psk file' is as secret as the key itself: anyone who can "
		"read the file can authenticate as either end of the tunnel, and anyone who "
		"can write it can replace the key. tunc writes the files that hold keys with "
		"mode 0600 and expects the same of the ones it reads. Files checked out of "
		"version control are usually 0644.",
	 .seeds = "",
	 .example = "tunnel t { between rtr-a and rtr-b; psk file \"t.psk\"; }   # t.psk is 0644\n",
	 .fix = "chmod 600 the key file, and keep it out of version control.",
	 .run = check_psk_file_mode},

	{.name = "psk-reuse", .severity = DIAG_WARNING,
	 .summary = "one pre-shared key for tunnels to different peers",
	 .explanation =
		"A pre-shared key proves only that a peer knows it. When tunnels to different "
		"peers share one key, whoever learns it at one of them (a stolen branch "
		"router, a partner's administrator) can authenticate as the other peers, or "
		"as the hub toward them, and one leak exposes every tunnel. tunc reads the "
		"keys and compares their SHA-256 digests, never printing a key. Keys that "
		"cannot be read (lint without the secrets, as in CI) are not compared, and "
		"one note says how many were skipped and why.",
	 .seeds = "",
	 .example = "tunnel hq-a { between hub and spoke-a; psk file \"hub.psk\"; }\n"
		    "tunnel hq-b { between hub and spoke-b; psk file \"hub.psk\"; }\n",
	 .fix = "Give each tunnel its own random key, e.g. from 'openssl rand -base64 30', "
		"in its own file of mode 0600.",
	 .run = check_psk_reuse},

	{.name = "aggressive-psk", .severity = DIAG_WARNING,
	 .summary = "IKEv1 aggressive mode with a pre-shared key",
	 .explanation =
		"In IKEv1 aggressive mode the responder sends, in its first message and "
		"without encryption, a hash keyed with the pre-shared key; anyone who starts "
		"an exchange (ike-scan --aggressive) gets it and can search for the key "
		"offline (psk-crack), as fast as they can hash. Main mode protects that hash "
		"with the Diffie-Hellman exchange, and IKEv2 does not expose it either.",
	 .seeds = "",
	 .example = "ike fast { version 1; mode aggressive; encryption aes256; integrity sha256; "
		    "group 14; }\n",
	 .fix = "Use 'mode main;' (or IKEv2 where both ends run it); if aggressive mode must "
		"stay, use a long random key.",
	 .run = check_aggressive_psk},

	/* What a cloud peer's provider documents (checks_cloud.c, the rules of
	 * the aws, azure and gcp rows; doc/cloud-peers.md has the sources). */
	{.name = "lifetime-range", .severity = DIAG_WARNING,
	 .summary = "a lifetime outside what the peer's provider can be set to",
	 .explanation =
		"A cloud provider's VPN gateway takes phase 1 and phase 2 lifetimes "
		"within a documented range (AWS: 900 to 28800 s and 900 to 3600 s) "
		"or has fixed ones (Google Cloud VPN: 36000 s and 10800 s). A value "
		"the console refuses cannot be configured on the provider's side, so "
		"the ends run different lifetimes: re-keying collides and the tunnel "
		"drops periodically, as lifetime-mismatch says. Outside a settable "
		"range it is an error; above a fixed value a warning (the provider "
		"re-keys first).",
	 .seeds = "003",
	 .example = "peer aws1 { address 203.0.113.10; subnet 172.31.0.0/16; platform aws; }\n"
		    "ike slow { version 2; encryption aes256; integrity sha256; group 14; "
		    "lifetime 86400s; }\n",
	 .fix = "Set the proposal's lifetime within the provider's range.",
	 .run = check_lifetime_range},

	{.name = "one-sa-pair", .severity = DIAG_ERROR,
	 .summary = "several selector pairs on a policy-based end facing a peer that takes one SA pair per tunnel",
	 .explanation =
		"AWS Site-to-Site VPN supports one unique SA pair per tunnel. A "
		"policy-based end (a crypto map) negotiates an SA pair for each line "
		"of its access list: with two local or remote subnets it asks for a "
		"second SA pair, which replaces the first or is refused, and the "
		"traffic of one pair or the other is dropped, intermittently. AWS's "
		"guide says to consolidate the rules. An end whose platform puts "
		"all pairs in one IKEv2 CHILD_SA (strongSwan's traffic selector "
		"lists) negotiates one SA pair and is not reported.",
	 .seeds = "",
	 .example = "site hq { subnet 10.1.0.0/16; subnet 10.2.0.0/16; ... }\n"
		    "peer aws1 { address 203.0.113.10; subnet 172.31.0.0/16; platform aws; }\n"
		    "tunnel t1 { between rtr and aws1; }   # rtr: two pairs\n",
	 .fix = "Consolidate the end's selectors into one pair (a prefix covering each side), "
		"make the tunnel route-based (`route-based 169.254.x.y/30;`, any to any), or "
		"describe one tunnel per pair.",
	 .run = check_one_sa_pair},

	{.name = "dpd-required", .severity = DIAG_WARNING,
	 .summary = "the peer's provider expects dead-peer detection and this end has none",
	 .explanation =
		"AWS declares a tunnel dead after its DPD timeout (30 s by default) and "
		"replaces or restarts its endpoint during maintenance. An end without "
		"dead-peer detection does not notice: it keeps sending into an SA the "
		"far end has forgotten until the SA's lifetime ends, and does not fail "
		"over to the connection's other tunnel.",
	 .seeds = "",
	 .example = "tunnel t1 { between rtr and aws1; }   # no dpd\n",
	 .fix = "Add `dpd 10s;` to the tunnel (or the end's block).",
	 .run = check_dpd_required},

	{.name = "tunnel-mss", .severity = DIAG_WARNING,
	 .summary = "TCP MSS not clamped, or clamped above what the peer's provider asks",
	 .explanation =
		"Cloud VPN gateways carry a smaller inner MTU than the Internet path "
		"(AWS 1399 bytes, Azure 1400, Google 1460) and AWS does not rely on "
		"path MTU discovery: the provider asks the other end to clamp the MSS "
		"of TCP SYNs (AWS 1379, Azure 1350). Without it full-size segments "
		"are fragmented after encryption, or dropped where DF is set. `tcp-mss "
		"auto` derives the value from the outside MTU and the overhead and is "
		"accepted.",
	 .seeds = "",
	 .example = "tunnel t1 { between rtr and aws1; tcp-mss 1460; }\n",
	 .fix = "Write `tcp-mss N;` with the provider's value, or `tcp-mss auto;`.",
	 .run = check_tunnel_mss},

	{.name = "inside-cidr", .severity = DIAG_ERROR,
	 .summary = "a route-based tunnel's inside link is not one the peer's provider takes",
	 .explanation =
		"The inside addresses of a tunnel to AWS are a /30 from 169.254.0.0/16 "
		"(169.254.0.0/30 to 169.254.5.0/30 and 169.254.169.252/30 are "
		"reserved); Google Cloud Router's BGP links are /30s of 169.254.0.0/16 "
		"too. The provider's console refuses any other link, so the two ends "
		"of the tunnel interface would not share a subnet.",
	 .seeds = "",
	 .example = "tunnel t1 { between rtr and aws1; route-based 10.255.0.0/30; }\n",
	 .fix = "Choose a /30 from 169.254.0.0/16 that the provider does not reserve, and "
		"give it to the tunnel in the provider's console too.",
	 .run = check_inside_cidr},

	{.name = "second-tunnel", .severity = DIAG_NOTE,
	 .summary = "only one of the two tunnels of a cloud VPN connection is described",
	 .explanation =
		"An AWS Site-to-Site VPN connection always has two tunnels, to two "
		"outside addresses, and AWS moves traffic to the other one while it "
		"maintains the first. A gateway with a tunnel to only one of them "
		"loses the connection during every maintenance. A connection's tunnels "
		"are recognised as the tunnels from the same gateway to peers of the "
		"same provider in front of the same subnets.",
	 .seeds = "",
	 .example = "peer aws1 { address 203.0.113.10; subnet 172.31.0.0/16; platform aws; }\n"
		    "tunnel t1 { between rtr and aws1; }   # and no tunnel to the second address\n",
	 .fix = "Describe the second tunnel: a peer with the connection's second outside address "
		"and the same subnets, and a tunnel to it with its own inside /30.",
	 .run = check_second_tunnel},

	{.name = "responder-only", .severity = DIAG_WARNING,
	 .summary = "a cloud peer that never starts IKE, and nothing from the other side does",
	 .explanation =
		"AWS Site-to-Site VPN waits for the customer gateway to start IKE: its "
		"tunnels' startup action is 'add' unless set to 'start', and the customer "
		"gateway must initiate (AWS user guide, 'Your customer gateway device'). "
		"Traffic from the VPC into a tunnel that is down waits: nothing brings the "
		"tunnel up until the other end's side sends traffic into it. When no "
		"expectation sends traffic from that side, nothing in the description "
		"starts the tunnel. The finding quotes what the engine does with the "
		"provider side's first packet; the engine models the default startup "
		"action.",
	 .seeds = "",
	 .example = "peer aws1 { address 203.0.113.10; subnet 172.31.0.0/16; platform aws; }\n"
		    "expect 172.31.0.10 -> pc1 protected;   # only from the VPC's side\n",
	 .fix = "Have the customer gateway's side start the tunnel (traffic from behind it, "
		"and an 'expect' from its side), with DPD keeping it up; or set the tunnel's "
		"startup action to 'start' in AWS.",
	 .run = check_responder_only},

	{.name = "unused", .severity = DIAG_NOTE,
	 .summary = "a proposal, host or peer defined and never used",
	 .explanation =
		"A definition that nothing refers to is usually a leftover, or a typo "
		"elsewhere: the tunnel meant to use it names another one. tunc emits "
		"nothing for it.",
	 .seeds = "",
	 .example = "ike spare { encryption aes128; integrity sha256; group 14; }   # no tunnel uses it\n",
	 .fix = "Remove the definition, or refer to it where it was meant to be used.",
	 .run = check_unused},
};
const size_t check_count = sizeof(check_table) / sizeof(check_table[0]);

/* The seed documents, titled as in ../../shared/seeds/README.md, so that
 * `tunc explain` needs nothing at run time. */
static const struct {
	const char *number;
	const char *title;
} seed_titles[] = {
	{"000", "IPsec tunnel mode between ISA Server 2004 and Cisco PIX 6.3 "
		"(NAT/IPsec incompatibility, captures with 3DES and NULL encryption)"},
	{"001", "ISA Server: \"Negotiating IP Security\" forever when the gateway "
		"itself sends to the remote subnet (filters A1..A6 / B1..B6)"},
	{"002", "KB 252735: IPsec tunnel between a Windows 2000 gateway and a "
		"third-party gateway"},
	{"003", "IPsec reference: AH and ESP, IKE phases, DH groups, PFS, NAT-T, "
		"Cisco IOS site-to-site configuration and troubleshooting"},
	{"004", "Windows IPsec tunnel mode is not a routable interface: inner "
		"destinations need static routes"},
};

const char *check_seed_title(const char *number)
{
	for (size_t i = 0; i < sizeof(seed_titles) / sizeof(seed_titles[0]); i++)
		if (strcmp(seed_titles[i].number, number) == 0)
			return seed_titles[i].title;
	return NULL;
}
