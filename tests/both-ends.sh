#!/bin/sh
# Both ends agree: compile every example and emitter fixture, then read the
# emitted text of both ends of each tunnel back (tests/both-ends.py: one
# small parser per target) and check that selectors mirror, ESP proposals
# are equal, a common IKE proposal exists and keys agree -- except where
# `tunc lint` reports that very mismatch.
. "$top_srcdir/tests/lib.sh"
PY=/usr/bin/python3
[ -x "$PY" ] || skip "no $PY"
TUNC_TEST_PSK=Env-supplied-key-9876543210; export TUNC_TEST_PSK
status=0
n=0
for tun in "$top_srcdir"/examples/*.tun "$top_srcdir"/examples/*/*.tun "$top_srcdir"/tests/emit/*.tun; do
	[ -f "$tun" ] || continue
	dir=$(dirname "$tun"); base=$(basename "$tun")
	out="$TMP/$n"; n=$((n + 1))
	echo "== ${tun#$top_srcdir/}"
	(cd "$dir" && "$TUNC" compile --force "$base" -o "$out") >"$TMP/log" 2>&1 || {
		echo "   (compile refused: $(tail -1 "$TMP/log"))"; continue; }
	(cd "$dir" && "$TUNC" lint --format json "$base") >"$TMP/lint.json" 2>/dev/null || true
	"$PY" "$top_srcdir/tests/both-ends.py" "$TMP/lint.json" "$out" | sed 's/^/   /' >"$TMP/res"
	cat "$TMP/res"
	grep -q '^   FAIL' "$TMP/res" && status=1
done
[ "$n" -gt 0 ] || fail "no policy to compile"

# The comparison must be able to fail: tests/emit/mismatch.tun differs on
# purpose; with a lint report that names nothing, each difference is a FAIL.
echo "== self-check: tests/emit/mismatch.tun with an empty lint report"
(cd "$top_srcdir/tests/emit" && "$TUNC" compile --force mismatch.tun -o "$TMP/mm") >/dev/null 2>&1 ||
	fail "mismatch.tun did not compile"
echo '{"version":1,"findings":[]}' >"$TMP/empty.json"
if "$PY" "$top_srcdir/tests/both-ends.py" "$TMP/empty.json" "$TMP/mm" >"$TMP/mm.res"; then
	cat "$TMP/mm.res"; fail "the deliberate mismatches went unnoticed"
fi
for aspect in selectors esp keys; do
	grep -q "^FAIL one-two: .*: $aspect disagree" "$TMP/mm.res" || {
		cat "$TMP/mm.res"; fail "the $aspect mismatch went unnoticed"; }
done
grep -q "Ex4mple\|A-different-key" "$TMP/mm.res" && fail "a key was printed"
echo "   ok: selectors, esp and keys mismatches detected"

# Static SAs are compared direction by direction: a Cisco ipsec-manual entry
# with inbound and outbound swapped, or one key digit changed, must fail.
echo "== self-check: tests/emit/manual-cisco.tun with tampered session keys"
(cd "$top_srcdir/tests/emit" && "$TUNC" compile --force manual-cisco.tun -o "$TMP/mc") >/dev/null 2>&1 ||
	fail "manual-cisco.tun did not compile"
"$PY" "$top_srcdir/tests/both-ends.py" "$TMP/empty.json" "$TMP/mc" >"$TMP/mc.res" || {
	cat "$TMP/mc.res"; fail "the untouched manual-cisco.tun output disagrees"; }
grep -q "^ok   hq-lab: .*: keys agree" "$TMP/mc.res" || { cat "$TMP/mc.res"; fail "hq-lab's keys were not compared"; }
grep -q "^ok   lab-partner: .*: keys agree" "$TMP/mc.res" || { cat "$TMP/mc.res"; fail "lab-partner's keys were not compared"; }
cp -r "$TMP/mc" "$TMP/swap"
sed -i 's/session-key inbound/session-key SWAP/; s/session-key outbound/session-key inbound/; s/session-key SWAP/session-key outbound/' \
	"$TMP/swap/hq-rtr.ios.cfg"
cp -r "$TMP/mc" "$TMP/digit"
sed -i 's/\(outbound esp [0-9]* cipher [0-9a-f]*\)\([0-9a-f]\) /\1x\2 /; s/x0 /1 /; s/x[1-9a-f] /0 /' \
	"$TMP/digit/partner.pix.cfg"
cmp -s "$TMP/mc/partner.pix.cfg" "$TMP/digit/partner.pix.cfg" && fail "the key digit was not changed"
for t in swap:hq-lab digit:lab-partner; do
	dir=${t%%:*}; tunnel=${t#*:}
	if "$PY" "$top_srcdir/tests/both-ends.py" "$TMP/empty.json" "$TMP/$dir" >"$TMP/$dir.res"; then
		cat "$TMP/$dir.res"; fail "the $dir tampering went unnoticed"
	fi
	grep -q "^FAIL $tunnel: .*: keys disagree" "$TMP/$dir.res" || {
		cat "$TMP/$dir.res"; fail "the $dir tampering was not reported as a keys mismatch"; }
done
key=$(sed -n 's/.*outbound esp [0-9]* cipher \([0-9a-f]\{16\}\).*/\1/p' "$TMP/mc/hq-rtr.ios.cfg")
[ -n "$key" ] || fail "no session key found in hq-rtr.ios.cfg"
grep -q "$key" "$TMP/swap.res" "$TMP/digit.res" && fail "a session key was printed"
echo "   ok: swapped directions and a changed key digit detected"

# Filters and routes are read back against the description (engine.xml):
# two ACL lines swapped, an RRAS list's action flipped, a dropped nft rule
# or a route that lost its interface must each fail.
echo "== self-check: tests/emit/filters.tun with tampered filters and routes"
(cd "$top_srcdir/tests/emit" && "$TUNC" compile filters.tun -o "$TMP/fl") >/dev/null 2>&1 ||
	fail "filters.tun did not compile"
"$PY" "$top_srcdir/tests/both-ends.py" "$TMP/empty.json" "$TMP/fl" >"$TMP/fl.res" || {
	cat "$TMP/fl.res"; fail "the untouched filters.tun output disagrees"; }
for g in hq-rtr br-pix dc-win lab-a; do
	grep -q "^ok   $g (.*): [1-9] filter(s)" "$TMP/fl.res" || { cat "$TMP/fl.res"; fail "$g's filters were not compared"; }
done
tamper() {      # tamper NAME FILE SED-SCRIPT
	rm -rf "$TMP/t-$1"; cp -r "$TMP/fl" "$TMP/t-$1"
	sed -i "$3" "$TMP/t-$1/$2"
	cmp -s "$TMP/fl/$2" "$TMP/t-$1/$2" && fail "the $1 tampering changed nothing"
	if "$PY" "$top_srcdir/tests/both-ends.py" "$TMP/empty.json" "$TMP/t-$1" >"$TMP/t-$1.res"; then
		cat "$TMP/t-$1.res"; fail "the $1 tampering went unnoticed"
	fi
	grep -q "^FAIL .*filters/routes differ" "$TMP/t-$1.res" || {
		cat "$TMP/t-$1.res"; fail "the $1 tampering was not reported as a filter/route difference"; }
}
tamper acl-order hq-rtr.ios.cfg '/^ permit udp any host 100.64.0.2 eq 500$/{h;d};/^ permit esp any host 100.64.0.2$/G'
tamper rras-action dc-win.netsh.cmd 's/filtertype=input action=drop/filtertype=input action=forward/'
tamper nft-rule lab-a.xfrm.sh '/tcp dport 22 drop$/d'
tamper route-dev hq-rtr.ios.cfg 's/^ip route 0.0.0.0 0.0.0.0 Dialer1 /ip route 0.0.0.0 0.0.0.0 /'
tamper pix-binding br-pix.pix.cfg '/^access-group /d'
echo "   ok: reordered ACL, flipped RRAS action, missing nft rule, lost route interface, unbound PIX list detected"

echo "== self-check: examples/windows-asa (asa and powershell) with tampered files"
(cd "$top_srcdir/examples/windows-asa" && "$TUNC" compile --force w2022-asa.tun -o "$TMP/wa") >/dev/null 2>&1 ||
	fail "w2022-asa.tun did not compile"
"$PY" "$top_srcdir/tests/both-ends.py" "$TMP/empty.json" "$TMP/wa" >"$TMP/wa.res" || {
	cat "$TMP/wa.res"; fail "the untouched windows-asa output disagrees"; }
for aspect in selectors esp ike peer lifetime pfs keys; do
	grep -q "^ok   dc-branch: br-asa <-> dc-win: $aspect agree" "$TMP/wa.res" || {
		cat "$TMP/wa.res"; fail "windows-asa: $aspect not compared"; }
done
# One change per copy, on either end, each must be caught as its aspect.
tamper() {  # NAME ASPECT FILE SED-EXPRESSION
	rm -rf "$TMP/t-$1"; cp -r "$TMP/wa" "$TMP/t-$1"
	sed -i "$4" "$TMP/t-$1/$3"
	cmp -s "$TMP/wa/$3" "$TMP/t-$1/$3" && fail "tamper $1: $3 unchanged"
	if "$PY" "$top_srcdir/tests/both-ends.py" "$TMP/empty.json" "$TMP/t-$1" >"$TMP/t-$1.res"; then
		cat "$TMP/t-$1.res"; fail "tamper $1 went unnoticed"
	fi
	grep -q "^FAIL dc-branch: .*: $2 disagree" "$TMP/t-$1.res" || {
		cat "$TMP/t-$1.res"; fail "tamper $1 was not reported as a $2 mismatch"; }
}
tamper ps-remote selectors dc-win.ps1 "s/-RemoteAddress '10.20.0.0\/24'/-RemoteAddress '10.21.0.0\/24'/"
tamper asa-acl selectors br-asa.asa.cfg "s/ subnet 10.4.0.0 255.255.0.0/ subnet 10.4.0.0 255.255.255.0/"
tamper ps-esp esp dc-win.ps1 "s/-Encryption AES256 -ESPHash/-Encryption AES128 -ESPHash/"
tamper asa-ike ike br-asa.asa.cfg "s/^ group 14$/ group 19/"
tamper ps-keymodule ike dc-win.ps1 "s/-KeyModule IKEv2/-KeyModule IKEv1/"
tamper asa-peer peer br-asa.asa.cfg "s/set peer 192.0.2.1/set peer 192.0.2.9/"
tamper ps-peer peer dc-win.ps1 "s/-RemoteTunnelEndpoint 203.0.113.10/-RemoteTunnelEndpoint 203.0.113.11/"
tamper asa-life lifetime br-asa.asa.cfg "s/lifetime seconds 3600/lifetime seconds 7200/"
tamper ps-pfs pfs dc-win.ps1 "s/-PerfectForwardSecrecyGroup DH14/-PerfectForwardSecrecyGroup None/"
tamper ps-key keys dc-win.keys "s/^dc-branch ./dc-branch x/"
# The firewall rule and its default, read back against the description.
for t in "s/-Action Block -InterfaceAlias 'ext'/-Action Allow -InterfaceAlias 'ext'/" \
	 "s/-DefaultInboundAction Allow/-DefaultInboundAction Block/" \
	 "s/-LocalPort 3389/-LocalPort 3390/"; do
	rm -rf "$TMP/t-fw"; cp -r "$TMP/wa" "$TMP/t-fw"
	sed -i "$t" "$TMP/t-fw/dc-win.ps1"
	cmp -s "$TMP/wa/dc-win.ps1" "$TMP/t-fw/dc-win.ps1" && fail "firewall tamper '$t': unchanged"
	if "$PY" "$top_srcdir/tests/both-ends.py" "$TMP/empty.json" "$TMP/t-fw" >"$TMP/t-fw.res"; then
		cat "$TMP/t-fw.res"; fail "firewall tamper '$t' went unnoticed"
	fi
	grep -q "^FAIL dc-win (dc-win.ps1): filters/routes differ" "$TMP/t-fw.res" || {
		cat "$TMP/t-fw.res"; fail "firewall tamper '$t' not reported as a filter difference"; }
done
key=$(cut -d' ' -f2 "$TMP/wa/dc-win.keys")
grep -q -- "$key" "$TMP"/t-*.res && fail "a key was printed"
echo "   ok: selectors, esp, ike, peer, lifetime, pfs, keys and firewall-rule mismatches detected in asa and powershell files"
exit $status
