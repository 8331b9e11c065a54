#!/bin/sh
# Cloud VPN peers and the peer sheet (issue 12): a policy-based IOS end with
# two selector pairs toward `platform aws` is a lint error (one-sa-pair);
# with one pair it lints, compiles and passes `tunc test`, and the sheet
# aws-t1.peer.txt lists what AWS needs in AWS's names, from AWS's side,
# each line citing its .tun line, naming the key file and never the key.
# Both tunnels route-based (examples/ios-aws/vpc.tun) lint clean, pass `tunc
# test`, and the sheets give each
# end's inside address (AWS the link's first).  `-t peer-sheet` writes the
# sheets alone.
# The engine negotiates with AWS as AWS documents it: AWS does not start IKE
# (its side's first packet waits until the customer's side starts the
# tunnel; lint's responder-only says so where nothing from the customer's
# side does), a second SA pair of other selectors on the same tunnel is
# refused (a crypto map's second ACL line), not so for an end that carries
# both pairs in one CHILD_SA (strongSwan, IKEv2); and a pre-shared key AWS's
# console does not take is a platform-limit error that never shows the key.
. "$top_srcdir/tests/lib.sh"
ex="$top_srcdir/examples/ios-aws"
cp "$ex"/*.tun "$ex"/*.psk "$TMP/"
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

rc=0; NO_COLOR=1 "$TUNC" lint vpc.tun >lint.out 2>&1 || rc=$?
[ "$rc" -eq 0 ] || { cat lint.out; fail "vpc.tun: lint exit $rc, expected 0"; }
grep -q 'error\|warning' lint.out && { cat lint.out; fail "vpc.tun: not clean"; }
"$TUNC" test vpc.tun >test.out 2>&1 || { cat test.out; fail "vpc.tun: tunc test fails"; }
"$TUNC" compile vpc.tun -o vpc >/dev/null 2>&1 || fail "vpc.tun does not compile"
grep -q 'Tunnel inside addresses  *169.254.10.1/30 (aws-t1), 169.254.10.2/30 (rtr)' vpc/aws-t1.peer.txt ||
	{ cat vpc/aws-t1.peer.txt; fail "aws-t1's sheet: inside addresses"; }
grep -q 'Tunnel inside addresses  *169.254.11.1/30 (aws-t2), 169.254.11.2/30 (rtr)' vpc/aws-t2.peer.txt ||
	fail "aws-t2's sheet: inside addresses"

"$TUNC" compile vpc.tun -t peer-sheet -o sheets >/dev/null 2>&1 || fail "-t peer-sheet fails"
[ "$(ls sheets | tr '\n' ' ')" = "aws-t1.peer.txt aws-t2.peer.txt " ] ||
	fail "-t peer-sheet wrote: $(ls sheets | tr '\n' ' ')"

# AWS waits for the customer gateway.
"$TUNC" run one-pair.tun --send '172.31.0.10 -> pc1' >run1.out 2>&1 || true
grep -q "verdict: dropped at aws-t1/IKE: .*aws-t1 (AWS Site-to-Site VPN) does not start IKE: it waits for rtr to start tunnel vpc-t1" run1.out ||
	{ cat run1.out; fail "AWS starts IKE"; }
"$TUNC" run one-pair.tun --send 'pc1 -> 172.31.0.10' --send '172.31.0.10 -> pc1' >run2.out 2>&1 || true
[ "$(grep -c 'verdict: protected by vpc-t1' run2.out)" -ge 2 ] ||
	{ cat run2.out; fail "once the customer side started it, the VPC side's traffic is not protected"; }
grep -v '^expect' one-pair.tun >vpc-first.tun
echo 'expect 172.31.0.10 -> pc1 icmp dropped;' >>vpc-first.tun
NO_COLOR=1 "$TUNC" lint vpc-first.tun >lint.out 2>&1 || true
grep -q "warning: only rtr can start tunnel vpc-t1: aws-t1 (AWS Site-to-Site VPN) waits for the other end to start IKE.*\[-Wresponder-only\]" lint.out ||
	{ cat lint.out; fail "vpc-first.tun: no responder-only warning"; }
"$TUNC" test vpc-first.tun >test.out 2>&1 || { cat test.out; fail "vpc-first.tun: the VPC's first packet is not dropped"; }
NO_COLOR=1 "$TUNC" lint one-pair.tun 2>&1 | grep -q 'responder-only' && fail "one-pair.tun: responder-only reported"

# One SA pair per tunnel: the second pair of a crypto map is refused.
"$TUNC" run two-pairs.tun --send '10.1.0.5 -> 172.31.0.10' --send '10.2.0.5 -> 172.31.0.10' >run3.out 2>&1 || true
grep -q 'verdict: protected by vpc-t1' run3.out || { cat run3.out; fail "two-pairs.tun: the first pair is not protected"; }
grep -q "verdict: dropped at rtr/IKE: .*aws-t1 (AWS Site-to-Site VPN) takes one SA pair per tunnel and vpc-t1 already has one for 10.1.0.0/16 -> 172.31.0.0/16: the second, for 10.2.0.0/16 -> 172.31.0.0/16, is refused" run3.out ||
	{ cat run3.out; fail "two-pairs.tun: the second SA pair is not refused"; }
# strongSwan with IKEv2 carries both pairs in one CHILD_SA: lint and the
# engine let it be.
sed 's/platform ios 15.4;/platform linux;/; s/GigabitEthernet0\/\([01]\)/eth\1/g' two-pairs.tun >swan.tun
NO_COLOR=1 "$TUNC" lint swan.tun >lint.out 2>&1 || true
grep -q 'one-sa-pair' lint.out && { cat lint.out; fail "swan.tun: one-sa-pair reported for IKEv2 TS lists"; }
"$TUNC" run swan.tun --send '10.1.0.5 -> 172.31.0.10' --send '10.2.0.5 -> 172.31.0.10' >run4.out 2>&1 || true
[ "$(grep -c 'verdict: protected by vpc-t1' run4.out)" -ge 2 ] ||
	{ cat run4.out; fail "swan.tun: the engine refuses the second pair lint lets be"; }

# AWS's pre-shared key rules: 8 to 64 letters, digits, '.', '_', not '0' first.
for k in 'Has+plus/and=equals0123456789' '0starts.with.zero_123456789' 'Short1'; do
	printf '%s' "$k" >bad.psk; chmod 600 bad.psk
	sed 's/psk file "vpc-t1.psk"/psk file "bad.psk"/' one-pair.tun >badkey.tun
	rc=0; NO_COLOR=1 "$TUNC" lint badkey.tun >lint.out 2>&1 || rc=$?
	[ "$rc" -eq 1 ] || { cat lint.out; fail "key '$k': lint exit $rc, expected 1"; }
	grep -q "error: aws-t1 (AWS Site-to-Site VPN) does not take tunnel vpc-t1's pre-shared key.*8 to 64 characters: letters, digits, '.' and '_', not starting with '0'.*\[-Wplatform-limit\]" lint.out ||
		{ cat lint.out; fail "key '$k': no platform-limit error"; }
	grep -qF -- "$k" lint.out && fail "key '$k' printed by lint"
	"$TUNC" compile badkey.tun -o badout >/dev/null 2>&1 && fail "key '$k': compiled"
done
NO_COLOR=1 "$TUNC" lint one-pair.tun 2>&1 | grep -q 'platform-limit' && fail "one-pair.tun's key refused"
# weak-psk's fix toward AWS suggests a key AWS takes (no base64 symbols).
printf 'Short1' >bad.psk; chmod 600 bad.psk
sed 's/psk file "vpc-t1.psk"/psk file "bad.psk"/' one-pair.tun >badkey.tun
NO_COLOR=1 "$TUNC" lint badkey.tun >lint.out 2>&1 || true
grep -q "note: fix: use a random key of at least 20 letters and digits, which aws-t1's console takes too, e.g. from 'openssl rand -hex 24' (draw again if it starts with '0')" lint.out &&
	! grep -q 'base64' lint.out || { cat lint.out; fail "weak-psk suggests a key AWS refuses"; }
echo ok
