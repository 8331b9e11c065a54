#!/bin/sh
# The engine and route-based ends, sizes and MSS (issue 13):
# - a route into a tunnel interface hands the packet to that tunnel's SA,
#   both ways, and the far end's inbound check takes what its selectors
#   allow; `route PREFIX via tunnel NAME;` adds a route into it;
# - a 1500-byte TCP segment with DF through AES-CBC with NAT-T becomes
#   exactly 1568 bytes: ICMP "fragmentation needed" (next-hop MTU 1422) and
#   the drop; without DF it is fragmented; with `tcp-mss auto` the SYN's
#   MSS is clamped to 1382 and the 1422-byte segment passes;
# - a mixed pair of IOS routers, each direction initiating in its own run:
#   under IKEv1 the route-based end's 0/0 is no subset of the crypto map's
#   ACL (fails), the crypto map's proxy IDs are a subset of 0/0 (passes);
#   under IKEv2 both pass, narrowed to the policy-based end's selectors.
. "$top_srcdir/tests/lib.sh"
ex="$top_srcdir/tests/route-based-engine"
cp "$ex"/*.tun "$ex"/*.psk "$TMP/"
chmod 600 "$TMP"/*.psk
cd "$TMP" || exit 1

run() {  # FILE SEND: the trace of one packet, alone in its run
	"$TUNC" run "$1" --send "$2" >run.out 2>&1 || { cat run.out; fail "$1: run '$2' failed"; }
}
has() {  # PATTERN: in the last trace
	grep -q -- "$1" run.out || { cat run.out; fail "no '$1' in the trace"; }
}

"$TUNC" test pmtu.tun >test.out 2>&1 || { cat test.out; fail "pmtu.tun: tunc test fails"; }

run pmtu.tun 'pc1 -> srv1'
has 'rtr-a  *ROUTE  *192.168.2.10 via the tunnel interface of hq-branch (route 192.168.2.0/24)'
has 'PROTECT hq-branch 0.0.0.0/0 -> 0.0.0.0/0 (route-based: its tunnel interface)'
has 'rtr-b  *INBOUND-CHECK matches SA selectors 0.0.0.0/0 -> 0.0.0.0/0'
has 'round trip: protected by hq-branch'

run pmtu.tun 'pc1 -> srv1 tcp 443 size 1500 df'
has 'round trip: protected by hq-branch'
has 'segment: 192.168.1.10 -> 192.168.2.10 tcp 443 (data, 1500 bytes, DF)'
has 'the 1500-byte packet becomes 1568 bytes (+ 20 IP + 8 UDP + 8 ESP + 16 IV + 2 pad + 2 trailer + 12 ICV), more than the 1500-byte MTU of Gi0/0'
has 'ICMP "fragmentation needed" (type 3 code 4, next-hop MTU 1422) back to 192.168.1.10'
has 'overall: dropped'
grep -q 'TCP MSS' run.out && { cat run.out; fail "an MSS clamped without tcp-mss"; }

run pmtu.tun 'pc1 -> srv1 icmp size 1500'
has 'DF is clear: the outer packet leaves in 2 fragments'
has 'verdict: protected by hq-branch'

# An interface MTU is the path's: 1400 leaves 1326-byte inner packets.
sed 's/^\(\t\tinterface Gi0\/0 { address 198.51.100.1\/30; outside;\) }/\1 mtu 1400; }/' pmtu.tun >mtu.tun
run mtu.tun 'pc1 -> srv1 icmp size 1400 df'
has 'becomes 1472 bytes .*more than the 1400-byte MTU of Gi0/0.*next-hop MTU 1326'

# tcp-mss auto: the SYN is clamped on its way in (and the SYN-ACK's too),
# the sender's segment obeys and passes.
sed 's/^\troute-based 169.254.30.0\/31;/&\n\ttcp-mss auto;/' pmtu.tun >mss.tun
grep -q 'tcp-mss auto' mss.tun || fail "sed did not add tcp-mss"
run mss.tun 'pc1 -> srv1 tcp 443 size 1500 df'
has 'rtr-a  *ESP  *TCP MSS 1460 -> 1382 (auto: 1422-byte inner packets fit the 1500-byte MTU of Gi0/0, less 40 bytes of IP and TCP headers)'
has 'segment: 192.168.1.10 -> 192.168.2.10 tcp 443 (data, 1422 bytes: the MSS allows no more, DF)'
has '1422 -> 1488 bytes'
has 'overall: protected by hq-branch'
sed 's/tcp 443 size 1500 df dropped;/tcp 443 size 1500 df protected;/' mss.tun >mss2.tun
"$TUNC" test mss2.tun >test.out 2>&1 || { cat test.out; fail "mss.tun: tunc test fails"; }
# A fixed clamp.
sed 's/tcp-mss auto;/tcp-mss 1200;/' mss.tun >mss3.tun
run mss3.tun 'pc1 -> srv1 tcp 443 size 1500 df'
has 'TCP MSS 1460 -> 1200 (tcp-mss 1200)'
has '(data, 1240 bytes: the MSS allows no more, DF)'

# route PREFIX via tunnel NAME: 10.9.0.0/24 is in no site of the tunnel.
sed -e 's/^\t\troute default via 198.51.100.2;/&\n\t\troute 10.9.0.0\/24 via tunnel hq-branch;/' pmtu.tun >route.tun
run route.tun 'pc1 -> 10.9.0.10'
has 'rtr-a  *ROUTE  *10.9.0.10 via the tunnel interface of hq-branch (route 10.9.0.0/24)  (route.tun:19:3)'
has 'rtr-b  *DECAP  *ESP spi'
run pmtu.tun 'pc1 -> 10.9.0.10'
grep -q 'tunnel interface' run.out && { cat run.out; fail "10.9.0.10 into the tunnel without a route"; }

# engine.xml carries route-based, tcp-mss, dpd, mtu, `via tunnel` and
# `size`/`df`: the same traces from it as from the .tun file.
sed 's/^\(\t\tinterface Gi0\/0 { address 198.51.100.1\/30; outside;\) }/\1 mtu 1480; }/' mss.tun |
	sed 's/^\t\troute default via 198.51.100.2;/&\n\t\troute 10.9.0.0\/24 via tunnel hq-branch;/' >xml.tun
"$TUNC" compile xml.tun -o out >/dev/null 2>&1 || fail "xml.tun does not compile"
for s in 'pc1 -> srv1 tcp 443 size 1500 df' 'pc1 -> 10.9.0.10' 'srv1 -> pc1 icmp size 1450 df'; do
	run xml.tun "$s"; mv run.out tun.out
	run out/engine.xml "$s"
	cmp -s tun.out run.out || { diff tun.out run.out; fail "engine.xml: '$s' differs"; }
done

run xml.tun 'pc1 -> srv1 tcp 443 size 1500 df'
has 'TCP MSS 1460 -> 1366 (auto: 1406-byte inner packets fit the 1480-byte MTU of Gi0/0'
run xml.tun 'srv1 -> pc1 icmp size 1450 df'
has 'rtr-b  *ESP  *DROP the 1450-byte packet becomes 1520 bytes'

if command -v xmllint >/dev/null 2>&1; then
	xmllint --noout --relaxng "$top_srcdir/data/engine.rng" out/engine.xml 2>xmllint.out ||
		{ cat xmllint.out; fail "engine.xml does not validate"; }
fi

# A mixed pair, each initiator in its own run.
sed 's/version 1;/version 2;/' mixed.tun >mixed2.tun
run mixed.tun 'pc1 -> srv1'
has 'dropped at rtr-a/IKE: .*rtr-b has no policy for 0.0.0.0/0 -> 0.0.0.0/0 from rtr-a (no proxy ID match): it accepts selectors as a subset of its own'
# An IOS VTI answers only its own any-to-any pair (ike_rules: the subset
# rule is exact for a route-based responder), so the policy-based end
# initiating fails too.
run mixed.tun 'srv1 -> pc1'
has 'dropped at rtr-b/IKE: .*rtr-a has no policy for 192.168.2.0/24 -> 192.168.1.0/24 from rtr-b (no proxy ID match): it accepts selectors exactly'
run mixed2.tun 'pc1 -> srv1'
has 'IKE_AUTH 192.168.1.0/24 -> 192.168.2.0/24 (narrowed by rtr-b from 0.0.0.0/0 -> 0.0.0.0/0) accepted by rtr-b'
has 'round trip: protected by hq-branch'
run mixed2.tun 'srv1 -> pc1'
has 'IKE_AUTH 192.168.2.0/24 -> 192.168.1.0/24 accepted by rtr-a'
has 'round trip: protected by hq-branch'

# Lint agrees with the engine, from the same answers (ike_ts_answer,
# ipsec_overhead_of): mixed-pair-selectors names the failing initiator,
# mtu-overhead the exact outer size; neither where the engine passes.
NO_COLOR=1 "$TUNC" lint mixed.tun >lint.out 2>&1 || true
grep -q 'error: .*rtr-a initiating fails: it proposes 0.0.0.0/0 -> 0.0.0.0/0 and rtr-b (Cisco IOS 15) accepts IKEv1 selectors as a subset of its own; rtr-b initiating fails: it proposes 192.168.2.0/24 -> 192.168.1.0/24 and rtr-a (Cisco IOS 15) accepts IKEv1 selectors exactly \[-Wmixed-pair-selectors\]' lint.out ||
	{ cat lint.out; fail "lint does not say which initiator fails"; }
NO_COLOR=1 "$TUNC" lint mixed2.tun >lint.out 2>&1 || true
grep -q 'mixed-pair-selectors' lint.out && { cat lint.out; fail "mixed-pair-selectors under IKEv2"; }
NO_COLOR=1 "$TUNC" lint pmtu.tun >lint.out 2>&1 || true
grep -q 'rtr-a: a 1500-byte packet from inside becomes 1568 bytes in tunnel hq-branch .*next-hop MTU 1422.*\[-Wmtu-overhead\]' lint.out ||
	{ cat lint.out; fail "lint does not report the overhead the engine drops for"; }
grep -q 'clamps the MSS to 1382' lint.out || { cat lint.out; fail "lint's clamp differs from the engine's"; }
NO_COLOR=1 "$TUNC" lint mss.tun >lint.out 2>&1 || true
grep -q 'mtu-overhead' lint.out && { cat lint.out; fail "mtu-overhead with tcp-mss auto"; }

# A route-based end whose block gives `local` and `remote` mirroring the
# crypto map (rtr-a on Linux: an xfrm interface's CHILD_SA takes them; an
# IOS VTI cannot, platform-limit): its pairs are the model's
# (model_tunnel_selectors), and both directions come up under IKEv1.
# selector-mirror used to look for the route-based end's SPD entries, which
# are bound to its tunnel interface, and reported a mirror missing that the
# engine finds.
sed 's/rtr-a { route-based 169.254.31.0\/30; }/rtr-a { route-based 169.254.31.0\/30; local 192.168.1.0\/24; remote 192.168.2.0\/24; }/' \
	mixed.tun | awk '/gateway rtr-a/ { a = 1 } a && /platform ios 15.4;/ { sub(/ios 15.4/, "linux 6"); a = 0 } { print }' >mirror.tun
grep -q 'remote 192.168.2.0/24; }' mirror.tun || fail "sed did not give rtr-a selectors"
grep -q 'platform linux 6;' mirror.tun || fail "awk did not make rtr-a Linux"
# The same on IOS: its static VTI is always any to any (platform-limit).
sed 's/rtr-a { route-based 169.254.31.0\/30; }/rtr-a { route-based 169.254.31.0\/30; local 192.168.1.0\/24; remote 192.168.2.0\/24; }/' \
	mixed.tun >ios-mirror.tun
NO_COLOR=1 "$TUNC" lint ios-mirror.tun >lint.out 2>&1 && fail "ios-mirror.tun: lint passes an IOS VTI with selectors"
grep -q "error: rtr-a (Cisco IOS 15): the configuration tunc writes for it cannot hold a route-based end with selectors other than any to any .*\[-Wplatform-limit\]" lint.out ||
	{ cat lint.out; fail "ios-mirror.tun: no platform-limit"; }
"$TUNC" compile --force ios-mirror.tun -o forced >compile.out 2>&1 && { cat compile.out; fail "ios-mirror.tun: compile --force wrote a VTI without its selectors"; }
grep -q 'narrowed selectors' compile.out || { cat compile.out; fail "ios-mirror.tun: the emitter does not say why"; }
NO_COLOR=1 "$TUNC" lint mirror.tun >lint.out 2>&1 || { cat lint.out; fail "mirror.tun: lint finds an error"; }
grep -q 'selector-mirror\|mixed-pair-selectors' lint.out && { cat lint.out; fail "mirror.tun: a selector finding the engine contradicts"; }
run mirror.tun 'pc1 -> srv1'
has 'quick mode 192.168.1.0/24 -> 192.168.2.0/24 accepted by rtr-b'
has 'round trip: protected by hq-branch'
run mirror.tun 'srv1 -> pc1'
has 'quick mode 192.168.2.0/24 -> 192.168.1.0/24 accepted by rtr-a'
has 'round trip: protected by hq-branch'
# Both ends route-based, one narrowed to a subnet the other's VTI does not
# answer exactly: selector-mirror now sees both ends' pairs and agrees with
# the engine's refusal (before, neither end had SPD entries to compare).
sed 's/rtr-a { route-based 169.254.31.0\/30; }/route-based 169.254.31.0\/30;\n\trtr-a { local 192.168.1.0\/24; remote 192.168.2.0\/24; }/' \
	mixed.tun >both.tun
NO_COLOR=1 "$TUNC" lint both.tun >lint.out 2>&1 || true
grep -q 'error: rtr-a protects 192.168.1.0/24 -> 192.168.2.0/24 in tunnel hq-branch, but rtr-b has no mirror 192.168.2.0/24 -> 192.168.1.0/24.*\[-Wselector-mirror\]' lint.out ||
	{ cat lint.out; fail "both.tun: no selector-mirror for the narrowed route-based end"; }
run both.tun 'pc1 -> srv1'
has 'dropped at rtr-a/IKE: .*rtr-b has no policy for 192.168.1.0/24 -> 192.168.2.0/24 from rtr-a'

# --send's size and df: bad values are usage errors.
for bad in 'pc1 -> srv1 tcp 443 size 40' 'pc1 -> srv1 size 9001' 'pc1 -> srv1 size' \
	   'pc1 -> srv1 df tcp'; do
	rc=0; "$TUNC" run pmtu.tun --send "$bad" >run.out 2>&1 || rc=$?
	[ "$rc" -eq 2 ] || { cat run.out; fail "--send '$bad': exit $rc, expected 2"; }
done
exit 0
