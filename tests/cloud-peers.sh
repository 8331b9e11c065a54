#!/bin/sh
# Cloud VPN peers and the peer sheet (issue 12): a policy-based IOS end with
# two selector pairs toward `platform aws` is a lint error (one-sa-pair);
# with one pair it lints, compiles and passes `tunc test`, and the sheet
# aws-t1.peer.txt lists what AWS needs in AWS's names, from AWS's side,
# each line citing its .tun line, naming the key file and never the key.
# Both tunnels route-based (tests/cloud-peers/aws-vpc.tun) lint clean and the sheets give each
# end's inside address (AWS the link's first).  `-t peer-sheet` writes the
# sheets alone.
. "$top_srcdir/tests/lib.sh"
ex="$top_srcdir/examples/ios-aws"
cp "$ex"/*.tun "$ex"/*.psk "$TMP/"
cp "$top_srcdir"/tests/cloud-peers/* "$TMP/"
chmod 600 "$TMP"/*.psk
cd "$TMP" || exit 1

rc=0; NO_COLOR=1 "$TUNC" lint two-pairs.tun >lint.out 2>&1 || rc=$?
[ "$rc" -eq 1 ] || { cat lint.out; fail "two-pairs.tun: lint exit $rc, expected 1"; }
grep -q 'error: .*2 selector pairs.*one SA pair per tunnel.*\[-Wone-sa-pair\]' lint.out ||
	{ cat lint.out; fail "two-pairs.tun: no one-sa-pair error"; }
"$TUNC" compile two-pairs.tun -o refused >/dev/null 2>&1 && fail "two-pairs.tun compiled"
[ -e refused ] && fail "two-pairs.tun: compile wrote something"

rc=0; NO_COLOR=1 "$TUNC" lint one-pair.tun >lint.out 2>&1 || rc=$?
[ "$rc" -eq 0 ] || { cat lint.out; fail "one-pair.tun: lint exit $rc, expected 0"; }
grep -q 'one-sa-pair' lint.out && { cat lint.out; fail "one-pair.tun: one-sa-pair reported"; }
"$TUNC" test one-pair.tun >test.out 2>&1 || { cat test.out; fail "one-pair.tun: tunc test fails"; }
"$TUNC" compile one-pair.tun -o out >/dev/null 2>&1 || fail "one-pair.tun does not compile"
sheet=out/aws-t1.peer.txt
[ -f "$sheet" ] || fail "no $sheet"
[ "$(stat -c %a "$sheet")" = 644 ] || fail "$sheet: mode $(stat -c %a "$sheet"), it holds no key"
for want in \
	'Local endpoint  *203.0.113.10 (aws-t1)  (one-pair.tun:23)' \
	'Remote endpoint  *198.51.100.2 (rtr)' \
	'IKE version  *IKEv2  (one-pair.tun:8)' \
	'Phase 1 encryption  *AES256  (one-pair.tun:8)' \
	'Phase 1 integrity  *SHA2-256 ' \
	'Phase 1 DH groups  *14 ' \
	'Phase 1 lifetime  *28800 s' \
	'Phase 2 encryption  *AES256-GCM-16 ' \
	'PFS  *14 ' \
	'Phase 2 lifetime  *3600 s' \
	'Traffic selectors  *172.31.0.0/16 -> 10.1.0.0/16  (one-pair.tun:' \
	'LocalIpv4NetworkCidr' \
	'Dead-peer detection  *every 10 s.*timeout: 30 s' \
	'Pre-shared key  *in the file "vpc-t1.psk"' \
	'TCP MSS  *rtr clamps TCP MSS to 1379' \
	'Who starts IKE  *the customer gateway starts IKE'; do
	grep -q "$want" "$sheet" || { cat "$sheet"; fail "$sheet: no '$want'"; }
done
grep -qF "$(cat vpc-t1.psk)" "$sheet" && fail "$sheet shows the key"
# Every parameter line cites its source line, but for the provider's notes.
grep '^  [A-Z]' "$sheet" | grep -v 'Who starts IKE\|NAT traversal' | grep -vq '(one-pair.tun:[0-9]*)$' &&
	{ cat "$sheet"; fail "$sheet: a parameter without its source line"; }

rc=0; NO_COLOR=1 "$TUNC" lint aws-vpc.tun >lint.out 2>&1 || rc=$?
[ "$rc" -eq 0 ] || { cat lint.out; fail "aws-vpc.tun: lint exit $rc, expected 0"; }
grep -q 'error\|warning' lint.out && { cat lint.out; fail "aws-vpc.tun: not clean"; }
"$TUNC" compile aws-vpc.tun -o vpc >/dev/null 2>&1 || fail "aws-vpc.tun does not compile"
grep -q 'Tunnel inside addresses  *169.254.10.1/30 (aws-t1), 169.254.10.2/30 (rtr)' vpc/aws-t1.peer.txt ||
	{ cat vpc/aws-t1.peer.txt; fail "aws-t1's sheet: inside addresses"; }
grep -q 'Tunnel inside addresses  *169.254.11.1/30 (aws-t2), 169.254.11.2/30 (rtr)' vpc/aws-t2.peer.txt ||
	fail "aws-t2's sheet: inside addresses"

"$TUNC" compile aws-vpc.tun -t peer-sheet -o sheets >/dev/null 2>&1 || fail "-t peer-sheet fails"
[ "$(ls sheets | tr '\n' ' ')" = "aws-t1.peer.txt aws-t2.peer.txt " ] ||
	fail "-t peer-sheet wrote: $(ls sheets | tr '\n' ' ')"
echo ok
