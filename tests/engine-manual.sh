#!/bin/sh
# Manually keyed tunnels on the engine (doc/engine.md, "Manual keys"): a
# Linux tunnel runs no IKE, and `tunc run` installs the very SAs that
# `tunc compile -t xfrm` writes into the scripts.
#
# (a) the keylog of `tunc run` holds exactly the `ip xfrm state add` lines
#     of both emitted scripts (endpoints, SPI, algorithms, keys), and the
#     trace says no negotiation took place;
# (b) tshark decrypts and authenticates every ESP packet of the captures
#     with that keylog;
# (c) ends whose pre-shared keys differ share the SPIs (they come from the
#     names alone) but not the keys: the packet fails its ICV at DECAP and
#     the hint names the keys, and the scripts `compile --force` writes for
#     them disagree the same way; ends whose first offers differ share the
#     SPIs but not the keys either: the packet fails at DECAP;
# (d) --seed changes the IVs, never these SPIs and keys.
. "$top_srcdir/tests/lib.sh"
ex="$top_srcdir/examples/hq-branch-linux"
[ -f "$ex/hq-branch.tun" ] || skip "examples not present"
cp "$ex/hq-branch.tun" "$ex/hq-branch.psk" "$TMP/"
cd "$TMP"

# ---- (a) keylog = the scripts' states ----
"$TUNC" compile -t xfrm -o xfrm hq-branch.tun > /dev/null 2>&1 || fail "tunc compile -t xfrm failed"
"$TUNC" run hq-branch.tun --pcap pcap --keylog keys > run.txt || fail "tunc run failed"
[ "$(stat -c %a keys)" = 600 ] || fail "the keylog is not mode 0600"
grep -q 'IKE .*manual keys (no negotiation): spi 0x[0-9a-f]\{8\} / 0x[0-9a-f]\{8\}.*(hq-branch.tun:[0-9]*:[0-9]*)$' run.txt ||
	fail "no manual-keys line at the IKE stage: $(grep IKE run.txt)"
grep -q 'IKE_SA_INIT\|main mode\|CREATE_CHILD_SA\|quick mode' run.txt &&
	fail "the trace shows an IKE exchange for a manually keyed tunnel"

# One normal form for both: SRC DST SPI ENC ENCKEY AUTH AUTHKEY (tests/lib.sh).
xfrm_states xfrm/rtr-a.xfrm.sh xfrm/rtr-b.xfrm.sh > states
keylog_states keys > keylog
[ "$(wc -l < states)" -eq 2 ] || fail "expected 2 states in the scripts: $(cat states)"
cmp -s states keylog || fail "keylog and xfrm states differ:
states: $(cat states)
keylog: $(cat keylog)"

# ---- (b) tshark decrypts every ESP packet with the keylog ----
if command -v tshark > /dev/null 2>&1; then
	set --
	while IFS= read -r line; do set -- "$@" -o "uat:esp_sa:$line"; done < keys
	n=0
	for cap in pcap/rtr-a-eth0.pcap pcap/rtr-b-eth0.pcap; do
		[ -f "$cap" ] || fail "no capture $cap"
		tshark -r "$cap" -Y esp -o esp.enable_encryption_decode:TRUE \
			-o esp.enable_authentication_check:TRUE "$@" \
			-T fields -e esp.spi -e esp.icv_good -e esp.icv_bad -e ip.src \
			2>/dev/null > fields
		[ -s fields ] || fail "tshark saw no ESP in $cap"
		# Decrypted: the inner header adds a second ip.src.
		awk -F'\t' '$2 != "1" || $3 != "0" || split($4, a, ",") != 2 { bad = 1 } END { exit bad }' fields ||
			fail "tshark could not authenticate/decrypt every packet of $cap: $(cat fields)"
		n=$((n + $(wc -l < fields)))
	done
	echo "tshark: $n ESP packets decrypted, ICV good"
else
	echo "tshark is not installed: (b) not checked"
fi

# ---- (c) different keys, different proposals ----
sed 's|^\tpsk file "hq-branch.psk";$|&\n\trtr-b { psk file "other.psk"; }|' hq-branch.tun > psk-diff.tun
grep -q 'rtr-b { psk file' psk-diff.tun || fail "could not write the test policy"
printf '%s\n' 'another-key-of-rtr-b-Q7!x' > other.psk
"$TUNC" run psk-diff.tun --send 'pc1 -> srv1' --keylog diff.keys > diff.txt || fail "tunc run psk-diff failed"
grep -q 'verdict: dropped at rtr-b/DECAP: ESP spi 0x[0-9a-f]* seq 1: bad-icv (tunnel hq-branch is keyed by hand and the pre-shared keys of rtr-a and rtr-b differ' diff.txt ||
	fail "different keys must drop at DECAP: $(grep verdict diff.txt)"
grep -q 'IKE .*manual keys' diff.txt || fail "different keys: not keyed by hand: $(cat diff.txt)"
grep -q 'another-key' diff.txt && fail "a key was printed"
# The scripts for these two ends disagree the same way.
"$TUNC" compile --force -t xfrm -o diffx psk-diff.tun > /dev/null 2>&1 || fail "compile --force psk-diff failed"
sent=$(sed -n 's/.*rtr-a  ESP  *ESP spi \(0x[0-9a-f]*\) .*/\1/p' diff.txt | head -1)
[ -n "$sent" ] || fail "no ESP from rtr-a: $(cat diff.txt)"
grep -q "^xfrm state add src 198.51.100.1 dst 203.0.113.1 proto esp spi $sent " diffx/rtr-a.xfrm.sh ||
	fail "rtr-a's script does not send with $sent"
a_sa=$(grep "^xfrm state add src 198.51.100.1 dst 203.0.113.1 proto esp spi $sent " diffx/rtr-a.xfrm.sh)
b_sa=$(grep "^xfrm state add src 198.51.100.1 dst 203.0.113.1 proto esp spi $sent " diffx/rtr-b.xfrm.sh) ||
	fail "rtr-b's script has no SA for $sent: the SPIs must not depend on the keys"
[ "$a_sa" != "$b_sa" ] || fail "rtr-a and rtr-b derive the same SA keys from different pre-shared keys"
# The receiver's own SA is in the keylog too (its SPI, its keys).
rb_in=$(awk '/^xfrm state add src 198.51.100.1 dst 203.0.113.1 /{ for (i = 1; i < NF; i++) if ($i == "spi") print $(i + 1) }' diffx/rtr-b.xfrm.sh)
grep -q "\"$rb_in\"" diff.keys || fail "the keylog lacks rtr-b's own inbound SA $rb_in"

sed 's|^\tpsk file "hq-branch.psk";$|&\n\trtr-b { ipsec aes256-end; }|
     s|^ipsec manual-cbc {|ipsec aes256-end { protocol esp; encryption aes256; integrity sha256; pfs none; }\n&|' \
	hq-branch.tun > prop-diff.tun
"$TUNC" run prop-diff.tun --send 'pc1 -> srv1' > prop.txt || fail "tunc run prop-diff failed"
grep -q "verdict: dropped at rtr-b/DECAP: ESP spi $sent seq 1: bad-\(icv\|padding\) (tunnel hq-branch is keyed by hand: rtr-a sends esp aes128 sha256, rtr-b's SA has esp aes256 sha256" prop.txt ||
	fail "different first offers must fail at DECAP: $(grep verdict prop.txt)"

# ---- (d) the seed: IVs only ----
"$TUNC" run hq-branch.tun --pcap pcap2 --keylog keys2 --seed 2 > run2.txt || fail "tunc run --seed 2 failed"
cmp -s keys keys2 || fail "--seed changed the manually keyed SAs"
cmp -s pcap/rtr-a-eth0.pcap pcap2/rtr-a-eth0.pcap && fail "--seed 2 gave the same IVs"
exit 0
