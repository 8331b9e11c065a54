#!/bin/sh
# pat-no-initiator with route-based ends and dead-peer detection (issue 13):
# - a route-based end behind PAT whose expectation is routed into its
#   tunnel interface starts the tunnel (it has no SPD entries to look up:
#   the check used to miss that and warn);
# - dpd does not start a tunnel: with nothing from the PAT'd side, the
#   warning stays and says what dpd does and does not do;
# - the PAT'd end starts the tunnel but runs no dead-peer detection (a PIX
#   without `dpd`; IOS, ASA and strongSwan run it by default): a note, the
#   far end cannot restart the tunnel through the NAT and the PAT'd end
#   does not notice; `dpd` silences it.
. "$top_srcdir/tests/lib.sh"
ex="$top_srcdir/examples/branch-behind-pat"
cp "$ex"/*.tun "$ex"/*.psk "$TMP/"
chmod 600 "$TMP"/*.psk
cd "$TMP" || exit 1

lint() {  # FILE: lint's text output in lint.out
	NO_COLOR=1 "$TUNC" lint "$1" >lint.out 2>&1 || true
}

# IOS behind PAT runs dead-peer detection by default: nothing to note.
lint hq-branch.tun
grep -q 'pat-no-initiator' lint.out && { cat lint.out; fail "hq-branch.tun: pat-no-initiator"; }

# A PIX 6.3 behind PAT (IKEv1) without dpd: the note, at the tunnel.
sed -e 's/^ike strong .*/ike strong { version 1; encryption aes256; integrity sha1; group 5; lifetime 24h; }/' \
    -e 's/^ipsec strong .*/ipsec strong { protocol esp; encryption aes256; integrity sha1; pfs 5; lifetime 1h; }/' \
    hq-branch.tun | awk '/gateway rtr-b/ { b = 1 } b && /platform ios 15.4;/ { sub(/ios 15.4/, "pix 6.3"); b = 0 } { print }' >pix.tun
grep -q 'platform pix 6.3;' pix.tun || fail "pix.tun: rtr-b is no PIX"
lint pix.tun
grep -q "note: rtr-b starts tunnel hq-branch from behind a port-translating NAT but runs no dead-peer detection (no dpd, and Cisco PIX 6.3 has none by default): when rtr-a loses the SAs (a restart), it cannot start IKE through the NAT, and rtr-b does not notice and goes on sending into the dead SA for up to 3600 s, until its SAs expire \[-Wpat-no-initiator\]" lint.out ||
	{ cat lint.out; fail "pix.tun: no note"; }
grep -q "fix: add 'dpd 10s;' to tunnel hq-branch" lint.out || { cat lint.out; fail "pix.tun: no fix"; }
"$TUNC" test pix.tun >test.out 2>&1 || { cat test.out; fail "pix.tun: tunc test fails"; }
sed 's/^\tpsk file "hq-branch.psk";/&\n\tdpd 10s;/' pix.tun >pix-dpd.tun
lint pix-dpd.tun
grep -q 'pat-no-initiator' lint.out && { cat lint.out; fail "pix-dpd.tun: pat-no-initiator with dpd"; }

# Route-based, rtr-b's expectation routed into its tunnel interface: it
# starts the tunnel.
sed 's/^\tpsk file "hq-branch.psk";/&\n\troute-based 169.254.5.0\/30;\n\ttcp-mss auto;/' hq-branch.tun >vti.tun
grep -q 'route-based 169.254.5.0/30' vti.tun || fail "sed did not make vti.tun"
lint vti.tun
grep -q 'pat-no-initiator' lint.out && { cat lint.out; fail "vti.tun: pat-no-initiator for a route-based end that starts"; }
"$TUNC" test vti.tun >test.out 2>&1 || { cat test.out; fail "vti.tun: tunc test fails"; }

# dpd on a PAT'd end nobody starts: still the warning, saying what dpd does.
sed 's/^\tpsk file "hq-branch.psk";/&\n\tdpd 10s;/' no-initiator.tun >dpd-only.tun
grep -q 'dpd 10s' dpd-only.tun || fail "sed did not add dpd"
lint dpd-only.tun
grep -q "warning: only rtr-b can start tunnel hq-branch: .*into the tunnel (its dpd, every 10 s, keeps an established tunnel and its NAT mapping alive but starts nothing), so nothing brings it up" lint.out ||
	{ cat lint.out; fail "dpd-only.tun: no warning naming dpd"; }
exit 0
