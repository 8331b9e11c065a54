#!/bin/sh
# Messages are built to their length: names of any length (here 300
# characters) reach the findings and the test results whole, never cut off
# by a fixed buffer.
. "$top_srcdir/tests/lib.sh"
ex="$top_srcdir/examples/seed003-ios-hq-branch"
[ -f "$ex/hq-branch.tun" ] || skip "examples not present"
cp "$ex/hq-branch.psk" "$TMP/"
long=$(printf 'n%.0s' $(seq 1 300))
# rtr-b becomes a PIX 6.3 (no DH group 14: platform-unsupported names the
# proposal and the tunnel), the proposal and the tunnel get the long names,
# and one expectation fails (its message names the tunnel).
sed -e "s/ike strong/ike ike-$long/; s/^ike strong {/ike ike-$long {/" \
	-e "s/tunnel hq-branch {/tunnel t-$long {/; s/protected by hq-branch/protected by t-$long/g" \
	-e "/gateway rtr-b/,/}/s/platform ios 15.4;/platform pix 6.3;/" \
	-e "s/expect pc1 -> 192.0.2.80 tcp 443 clear;/expect pc1 -> 192.0.2.80 tcp 443 protected by t-$long;/" \
	"$ex/hq-branch.tun" > "$TMP/long.tun"
grep -q "pix 6.3" "$TMP/long.tun" || fail "the example changed: no PIX made"
cd "$TMP"

"$TUNC" lint --format json long.tun > lint.json || true
grep -q "use DH group 14 (ike ike-$long)" lint.json ||
	fail "platform-unsupported cut the proposal's name"
grep -q "own proposal in tunnel t-$long)" lint.json ||
	fail "platform-unsupported cut the fix"

"$TUNC" test long.tun > test.txt 2>&1 || true
grep -q "expected protected by t-$long, got " test.txt || fail "tunc test cut the tunnel's name"
"$TUNC" test --format junit long.tun > test.xml 2>&1 || true
grep -q "message=\"expected protected by t-$long, got " test.xml ||
	fail "tunc test --format junit cut the tunnel's name"
echo "PASS: 300-character names reach lint and test whole"
