#!/bin/sh
# The acceptance scenarios of the seeds (CHECKS.md), as the examples' READMEs
# state them: for each example, `tunc lint`'s exit status, the checks that
# must be reported (with their severity) and those that must not, and that
# `tunc test` passes every expectation of the file (the broken forms state
# how they fail: dropped, clear...).
. "$top_srcdir/tests/lib.sh"
command -v python3 >/dev/null || skip "python3 is needed to read lint's JSON"
[ -x "$TUNC" ] || skip "tunc is not built"

# file | lint exit status | required check:severity,... | forbidden checks,...
cat > "$TMP/table" <<'EOF'
seed001-isa-own-traffic/broken.tun|1|gateway-own-traffic:error,weak-cipher:warning,weak-integrity:warning|selector-mirror
seed001-isa-own-traffic/fixed.tun|0|weak-cipher:warning,weak-integrity:warning|gateway-own-traffic:error,selector-mirror
seed004-windows-static-route/broken.tun|1|route-missing:error|
seed004-windows-static-route/fixed.tun|0||route-missing,peer-unreachable
seed003-ios-hq-branch/hq-branch.tun|0||nat-not-exempt,selector-mirror,ike-mismatch,ipsec-mismatch,weak-cipher,weak-integrity,weak-dh-group
seed003-ios-hq-branch/no-exempt.tun|1|nat-not-exempt:error|
seed003-ios-hq-branch/ah-behind-nat.tun|1|ah-behind-nat:error|
seed002-w2k-third-party/fixed.tun|0|weak-cipher:warning,weak-integrity:warning,weak-dh-group:warning|tunnel-port-filter,mirrored-tunnel-filter,accept-unsecured,route-missing,egress-address,ike-blocked,cleartext-leak
seed002-w2k-third-party/port-filter.tun|1|tunnel-port-filter:error,cleartext-leak:warning|
seed002-w2k-third-party/mirrored.tun|1|mirrored-tunnel-filter:error|
seed002-w2k-third-party/accept-unsecured.tun|1|accept-unsecured:error|
seed002-w2k-third-party/default-route.tun|0|egress-address:warning|
seed000-isa-pix-null/null-sha1.tun|0|weak-cipher:warning,weak-integrity:warning|gateway-own-traffic:error
seed000-isa-pix-null/3des-sha1.tun|0|weak-cipher:warning,weak-integrity:warning|gateway-own-traffic:error
hq-branch-linux/hq-branch.tun|0|manual-keying:note|manual-key-aead,weak-cipher,weak-integrity
linux-ikev2/site-to-site.tun|0||manual-keying,keying-mismatch,no-pfs,weak-cipher,weak-integrity,weak-dh-group
linux-ikev2/ipv6.tun|0||manual-keying,keying-mismatch,no-pfs,weak-cipher,weak-integrity,weak-dh-group
linux-ikev2/ios-linux.tun|0||manual-keying,keying-mismatch,no-pfs,ike-mismatch,ipsec-mismatch,weak-cipher,weak-integrity
pix-outside-inside/pix-ios.tun|0|weak-integrity:warning,weak-dh-group:warning|platform-unsupported,selector-mirror,nat-not-exempt,ike-mismatch,ipsec-mismatch,unused
asa-branch/asa-hq.tun|0||nat-not-exempt,selector-mirror,ike-mismatch,ipsec-mismatch,weak-cipher,weak-integrity,weak-dh-group,platform-unsupported
asa-branch/no-exempt.tun|1|nat-not-exempt:error|
windows-asa/w2022-asa.tun|0||platform-unsupported,filter-unsupported,ike-blocked,selector-mirror,nat-not-exempt,ike-mismatch,ipsec-mismatch,weak-cipher,weak-integrity,weak-dh-group,route-missing
branch-behind-pat/hq-branch.tun|0||pat-no-initiator,nat-traversal-off,ike-blocked
branch-behind-pat/no-initiator.tun|0|pat-no-initiator:warning|nat-traversal-off
ios-aws/one-pair.tun|0|second-tunnel:note|one-sa-pair,platform-unsupported,lifetime-range,dpd-required,tunnel-mss
ios-aws/two-pairs.tun|1|one-sa-pair:error|platform-unsupported,lifetime-range
ios-aws/vpc.tun|0||one-sa-pair,platform-unsupported,lifetime-range,dpd-required,tunnel-mss,second-tunnel,route-missing,mtu-overhead
ios-vti-pix/vti-pix.tun|1|mixed-pair-selectors:error,weak-integrity:warning,weak-dh-group:warning|selector-mirror,platform-unsupported,platform-limit,route-missing
ios-ipv6-vti/vti.tun|0||platform-unsupported,platform-limit,route-missing
ios-ipv6-vti/crypto-map.tun|1|platform-limit:error|
linux-route-based/hq-branch.tun|0|manual-keying:note|manual-key-aead,manual-key-entropy,weak-cipher,weak-integrity,platform-unsupported
language-tour.tun|0||weak-cipher,weak-integrity,weak-dh-group,inline-secret,weak-psk,unused
EOF

failed=0 passed=0
while IFS='|' read -r file want_rc required forbidden; do
	dir="$top_srcdir/examples/$(dirname "$file")"
	base=$(basename "$file")
	rc=0
	(cd "$dir" && "$TUNC" lint --format json "$base") >"$TMP/lint.json" 2>"$TMP/err" || rc=$?
	if [ "$rc" != "$want_rc" ]; then
		echo "FAIL $file: tunc lint exit $rc, want $want_rc"
		(cd "$dir" && NO_COLOR=1 "$TUNC" lint "$base") 2>&1 | sed 's/^/    /'
		failed=$((failed + 1))
		continue
	fi
	if ! python3 - "$TMP/lint.json" "$required" "$forbidden" "$file" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
found = {(f["check"], f["severity"]) for f in doc["findings"]}
names = {c for c, _ in found}
ok = True
for item in filter(None, sys.argv[2].split(",")):
    check, sev = item.split(":")
    if (check, sev) not in found:
        print(f"FAIL {sys.argv[4]}: no {sev} {check} (found: {sorted(found)})")
        ok = False
for item in filter(None, sys.argv[3].split(",")):
    check, _, sev = item.partition(":")
    if any(c == check and (not sev or s == sev) for c, s in found):
        print(f"FAIL {sys.argv[4]}: unexpected {check} {sev}".rstrip())
        ok = False
sys.exit(0 if ok else 1)
EOF
	then
		failed=$((failed + 1))
		continue
	fi
	trc=0
	(cd "$dir" && NO_COLOR=1 "$TUNC" test "$base") >"$TMP/test.out" 2>&1 || trc=$?
	if [ "$trc" -ne 0 ] || ! tail -1 "$TMP/test.out" | grep -q '^[1-9][0-9]* passed, 0 failed$'; then
		echo "FAIL $file: tunc test exit $trc"
		sed 's/^/    /' "$TMP/test.out"
		failed=$((failed + 1))
		continue
	fi
	passed=$((passed + 1))
done < "$TMP/table"

# Seed 001: the finding names ISA's own filter and puts the fix on the far end.
(cd "$top_srcdir/examples/seed001-isa-own-traffic" && NO_COLOR=1 "$TUNC" lint broken.tun) >"$TMP/s1" 2>&1 || true
if grep -q 'isa-a (198.51.100.1) > 10.2.0.0/16' "$TMP/s1" && grep -q "add 198.51.100.1 to isa-b's remote" "$TMP/s1"; then
	passed=$((passed + 1))
else
	echo "FAIL seed001: the finding does not name isa-a's filter and the fix on isa-b"; cat "$TMP/s1"
	failed=$((failed + 1))
fi
# Seed 002's multihomed gateway: a warning, so -Werror makes it fail.
rc=0
(cd "$top_srcdir/examples/seed002-w2k-third-party" && "$TUNC" lint -Werror default-route.tun) >/dev/null 2>&1 || rc=$?
if [ "$rc" -eq 1 ]; then passed=$((passed + 1)); else echo "FAIL default-route.tun -Werror: exit $rc"; failed=$((failed + 1)); fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
