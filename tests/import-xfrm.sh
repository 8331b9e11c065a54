#!/bin/sh
# The Linux xfrm reader (issue 11): a hand-written pair of `ip xfrm`
# scripts keyed by hand, in the style of ip-xfrm(8) (states with `enc aes`
# / `auth sha256`, policies in, out and fwd, backslash continuations), read
# without --from; the keys never shown nor written into the .tun; each broken
# variant's finding; tunc's own xfrm.sh folded into the host's swanctl.conf;
# bad input located, exit 2.
. "${top_srcdir}/tests/lib.sh"
src="$top_srcdir/tests/import-xfrm"
fresh() { cp "$src/west.sh" "$src/east.sh" "$TMP/"; }
lint_pair() {
	set +e
	"$TUNC" lint "$TMP/west.sh" "$TMP/east.sh" >"$TMP/out.txt" 2>&1
	rc=$?
	set -e
}

# 1. The pair: keyed by hand (manual-keying), no error, no key shown.
fresh
lint_pair
[ $rc -eq 0 ] || { cat "$TMP/out.txt"; fail "lint of the xfrm pair exited $rc"; }
grep -q 'west.sh:12:1: note: west is keyed by hand .*\[-Wmanual-keying\]' "$TMP/out.txt" ||
	{ cat "$TMP/out.txt"; fail "no manual-keying at west's outbound state"; }
! grep -q -e 'error:' -e 'not-modelled' "$TMP/out.txt" || { cat "$TMP/out.txt"; fail "an error or a note"; }
! grep -q -e '00112233' -e '6b8f0c3d' -e 'ffeeddcc' "$TMP/out.txt" || fail "lint printed a key"
mkdir "$TMP/imp"
"$TUNC" import "$TMP/west.sh" "$TMP/east.sh" -o "$TMP/imp/e.tun"
t="$TMP/imp/e.tun"
for want in 'keying manual;  # .*west.sh:12' 'encryption aes128;  # .*west.sh:14' \
	    'integrity sha256;  # .*west.sh:13' 'address 10.1.0.1/24;  # .*west.sh:6' \
	    'route 0.0.0.0/0 via 192.0.2.254;  # .*west.sh:7' 'local 10.1.0.0/24;  # .*west.sh:18' \
	    'remote 10.2.0.0/24;  # .*west.sh:18' 'psk file "[^"]*.west.psk";'; do
	grep -q "$want" "$t" || { cat "$t"; fail "the import lacks: $want"; }
done
! grep -q -e '00112233' -e '6b8f0c3d' "$t" || fail "a key was written into the .tun"
k=$(ls "$TMP/imp/"*.west.psk)
[ "$(stat -c %a "$k")" = 600 ] || fail "key file is not 0600"
# Both ends hold the same SAs: the same key file content, so no psk-mismatch.
cmp -s "$k" "$(ls "$TMP/imp/"*.east.psk)" || fail "the two ends' keys differ"

# 2. Broken variants.
variant() {     # NAME CODE LOCATION SED-SCRIPT (on east.sh) SEVERITY EXIT
	fresh
	sed -i "$4" "$TMP/east.sh"
	lint_pair
	[ $rc -eq "$6" ] || { cat "$TMP/out.txt"; fail "$1: lint exited $rc, not $6"; }
	grep -q "$3: $5: .*\[-W$2\]" "$TMP/out.txt" ||
		{ cat "$TMP/out.txt"; fail "$1: no $2 $5 at $3"; }
}
variant key psk-mismatch 'east.sh:17:10' 's/enc aes 0x00112233445566778899aabbccddeeff/enc aes 0x00112233445566778899aabbccddeefe/' error 1
variant mirror selector-mirror 'east.sh:18:1' 's/^ip xfrm policy add src 10.2.0.0\/24 dst 10.1.0.0\/24 dir out/ip xfrm policy add src 10.2.0.0\/24 dst 10.1.0.0\/25 dir out/' \
	warning 0

# 3. tunc's own output: GW.xfrm.sh and GW.swanctl.conf are one host; the
#    script gives its interfaces and routes (tests/import.sh round-trips
#    the examples).
"$TUNC" compile "$top_srcdir/examples/linux-ikev2/site-to-site.tun" -t swanctl -t xfrm \
	-o "$TMP/s2s" >/dev/null
"$TUNC" import "$TMP/s2s/"* -o "$TMP/imp/s2s.tun"
[ "$(grep -c '^site ' "$TMP/imp/s2s.tun")" = 2 ] || { cat "$TMP/imp/s2s.tun"; fail "a host's two files are not one site"; }
grep -q 'address 198.51.100.1/30;  # .*rtr-a.xfrm.sh:' "$TMP/imp/s2s.tun" ||
	fail "the script's interfaces did not replace the swanctl.conf's"

# 4. Keyed by hand across formats: east as an IOS router with ipsec-manual
#    (`set session-key`, decimal SPIs, keys without 0x) holds the same SAs
#    as west's script: the same imported key, no psk-mismatch, no key shown.
cp "$src/east-ios.cfg" "$TMP/"
set +e
"$TUNC" lint "$TMP/west.sh" "$TMP/east-ios.cfg" >"$TMP/out.txt" 2>&1
rc=$?
set -e
[ $rc -eq 0 ] || { cat "$TMP/out.txt"; fail "lint of west.sh and east-ios.cfg exited $rc"; }
grep -q 'east-ios.cfg:15:2: note: east is keyed by hand .*\[-Wmanual-keying\]' "$TMP/out.txt" ||
	{ cat "$TMP/out.txt"; fail "no manual-keying at the IOS outbound session key"; }
! grep -q -i -e 'ffeeddcc' -e '0f1e2d3c' -e 'not-modelled' "$TMP/out.txt" ||
	{ cat "$TMP/out.txt"; fail "a key shown, or a session key noted"; }
rm -rf "$TMP/x" && mkdir "$TMP/x"
"$TUNC" import "$TMP/west.sh" "$TMP/east-ios.cfg" -o "$TMP/x/e.tun"
cmp -s "$TMP/x/"*.west.psk "$TMP/x/"*.east.psk || fail "the two formats' keys differ"
grep -q 'keying manual;  # .*east-ios.cfg:15' "$TMP/x/e.tun" || { cat "$TMP/x/e.tun"; fail "no keying manual from ipsec-manual"; }
sed -i 's/outbound esp 4098 cipher ffeeddcc/outbound esp 4098 cipher ffeeddcd/' "$TMP/east-ios.cfg"
set +e
"$TUNC" lint "$TMP/west.sh" "$TMP/east-ios.cfg" >"$TMP/out.txt" 2>&1
rc=$?
set -e
[ $rc -eq 1 ] && grep -q 'east-ios.cfg:15:43: error: .*\[-Wpsk-mismatch\]' "$TMP/out.txt" ||
	{ cat "$TMP/out.txt"; fail "a different session key is not a psk-mismatch"; }

# 5. Bad input: located, exit 2, nothing written.
bad() {         # NAME EXPECTED-LOCATION CONTENT
	printf '%b' "$3" >"$TMP/bad.sh"
	set +e
	"$TUNC" import "$TMP/bad.sh" -o "$TMP/bad.tun" >"$TMP/bad.txt" 2>&1
	rc=$?
	set -e
	[ $rc -eq 2 ] || { cat "$TMP/bad.txt"; fail "$1: exit $rc, not 2"; }
	grep -Eq "$2" "$TMP/bad.txt" || { cat "$TMP/bad.txt"; fail "$1: no error at $2"; }
	[ ! -e "$TMP/bad.tun" ] || fail "$1: output written"
}
bad heredoc 'bad.sh:2:1: error: the here-document opened here is not closed' \
	'#!/bin/sh\nip -batch - <<EOF\nxfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 1 mode tunnel\n'
bad no-spi 'bad.sh:2:1: error: incomplete statement' \
	'#!/bin/sh\nip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp mode tunnel\n'
bad algorithm 'bad.sh:2:.*error: unknown algorithm' \
	'#!/bin/sh\nip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 1 mode tunnel enc blowfish 0x00\nip xfrm state add src 192.0.2.2 dst 192.0.2.1 proto esp spi 2 mode tunnel enc blowfish 0x00\nip xfrm policy add src 10.1.0.0/24 dst 10.2.0.0/24 dir out tmpl src 192.0.2.1 dst 192.0.2.2 proto esp mode tunnel\n'
bad no-tmpl 'bad.sh:2:1: error: incomplete statement' \
	'#!/bin/sh\nip xfrm policy add src 10.1.0.0/24 dst 10.2.0.0/24 dir out\n'
bad prefix "bad.sh:2:24: error: '10.1.0.0/33' is not an address prefix" \
	'#!/bin/sh\nip xfrm policy add src 10.1.0.0/33 dst 10.2.0.0/24 dir out tmpl src 192.0.2.1 dst 192.0.2.2 proto esp mode tunnel\n'
bad link 'bad.sh:2:1: error: incomplete statement' \
	'#!/bin/sh\nip link add ipsec1 type xfrm dev eth0\n'
printf 'hostname r\ninterface Gi0/0\n ip address 192.0.2.1 255.255.255.0\n crypto map M\naccess-list 101 permit ip any any\ncrypto ipsec transform-set T esp-aes esp-sha-hmac\ncrypto map M 10 ipsec-manual\n set peer 192.0.2.2\n set transform-set T\n match address 101\n set session-key inbound esp 300 cipher 00 authenticator 00\n' >"$TMP/bad.cfg"
set +e
"$TUNC" import "$TMP/bad.cfg" -o "$TMP/bad.tun" >"$TMP/bad.txt" 2>&1; rc=$?
set -e
[ $rc -eq 2 ] && grep -q "bad.cfg:7:12: error: a manually keyed entry lacks 'set session-key outbound'" "$TMP/bad.txt" ||
	{ cat "$TMP/bad.txt"; fail "ios-manual: exit $rc"; }
printf 'PIX Version 6.3(5)\nnameif ethernet0 outside security0\nip address outside 192.0.2.1 255.255.255.0\ncrypto map M 10 set session-key sideways esp 300 cipher 00\n' >"$TMP/bad.cfg"
set +e
"$TUNC" import "$TMP/bad.cfg" -o "$TMP/bad.tun" >"$TMP/bad.txt" 2>&1; rc=$?
set -e
[ $rc -eq 2 ] && grep -q "bad.cfg:4:33: error: 'sideways' is not a direction" "$TMP/bad.txt" ||
	{ cat "$TMP/bad.txt"; fail "pix-manual: exit $rc"; }
echo "import-xfrm: ok"
