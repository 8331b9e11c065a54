#!/bin/sh
# The acceptance scenarios of CHECKS.md on the engine: each seed example's
# expectations pass (tunc test), and `tunc run` shows the fate the seed
# describes, with the statement that decided it.
. "$top_srcdir/tests/lib.sh"
ex="$top_srcdir/examples"
[ -d "$ex/seed001-isa-own-traffic" ] || skip "examples not present"

# Every example's expectations hold on the engine.
for f in "$ex"/*/*.tun; do
	grep -q '^expect' "$f" || continue
	out=$(cd "$(dirname "$f")" && "$TUNC" test "$(basename "$f")") ||
		fail "tunc test $f: $out"
	echo "$out" | tail -1 | grep -q '^[0-9]* passed, 0 failed$' || fail "$f: $out"
done

# Seed 001: the firewall's own ping never completes negotiation; fixed, it is protected.
cd "$ex/seed001-isa-own-traffic"
out=$("$TUNC" run broken.tun --send 'isa-a -> 10.2.0.10 icmp')
echo "$out" | grep -q 'verdict: dropped at isa-a/IKE: Negotiating IP Security' || fail "seed 001 broken: $out"
echo "$out" | grep -q 'isa-a (198.51.100.1) > 10.2.0.0/16' || fail "seed 001: ISA's implicit filter not shown: $out"
echo "$out" | grep -q 'SPD .*(broken.tun:[0-9]*:[0-9]*)' || fail "seed 001: no source location: $out"
out=$("$TUNC" run fixed.tun --send 'isa-a -> 10.2.0.10 icmp')
echo "$out" | grep -q '^round trip: protected by a-b$' || fail "seed 001 fixed: $out"

# Seed 004: the ESP packet is handed to the Internet router; with the route, protected.
cd "$ex/seed004-windows-static-route"
out=$("$TUNC" run broken.tun --send 'pc1 -> 10.20.0.5')
echo "$out" | grep -q 'dropped at win-gw/WIRE: wrong next hop (ESP handed to 198.51.100.1, peer 203.0.113.10 is reached via 172.16.0.2)' ||
	fail "seed 004 broken: $out"
out=$("$TUNC" run fixed.tun --send 'pc1 -> 10.20.0.5')
echo "$out" | grep -q '^round trip: protected by gw-partner$' || fail "seed 004 fixed: $out"

# Seed 003: without exempt tunnels NAT rewrites the source before the crypto map.
cd "$ex/seed003-ios-hq-branch"
out=$("$TUNC" run no-exempt.tun --send 'pc1 -> srv1')
echo "$out" | grep -q 'NAT .*overload: source 192.168.1.10 -> 198.51.100.1' || fail "seed 003 NAT: $out"
echo "$out" | grep -q 'verdict: clear' || fail "seed 003 no-exempt not clear: $out"
out=$("$TUNC" run hq-branch.tun --send 'pc1 -> srv1')
echo "$out" | grep -q '^round trip: protected by hq-branch$' || fail "seed 003: $out"

# A failed expectation: exit 1, the trace, and the summary line.
cp "$ex/seed001-isa-own-traffic/broken.tun" "$ex/seed001-isa-own-traffic/a-b.psk" "$TMP/"
echo 'expect isa-a -> 10.2.0.10 icmp protected by a-b;' >> "$TMP/broken.tun"
set +e
out=$(cd "$TMP" && "$TUNC" test broken.tun); rc=$?
set -e
[ $rc -eq 1 ] || fail "a failed expectation must exit 1, got $rc"
echo "$out" | tail -1 | grep -q '^4 passed, 1 failed$' || fail "summary: $out"
echo "$out" | grep -q 'expected protected by a-b, got dropped' || fail "failure text: $out"
echo "$out" | grep -q 'Negotiating IP Security' || fail "failure trace: $out"
exit 0
