#!/bin/sh
# What the Cisco readers find by name or address (src/import/cisco.c, the
# read's index): each crypto map entry gets the key given for its peer even
# after a wildcard key (0.0.0.0), the wildcard key where no key names the
# peer, and the access list and transform set it names, whatever the order
# they are defined in.
. "${top_srcdir}/tests/lib.sh"
cp "$top_srcdir/tests/import-conf/ios/lookups.cfg" "$TMP/hub.cfg"
cd "$TMP"
mkdir imp
"$TUNC" import hub.cfg -o imp/hub.tun || fail "import failed"
[ "$(cat imp/TO-B.hub.psk)" = specific-key-K3nW8rT5yB1c ] || fail "VPN 10 (198.51.100.2) did not get its own key"
[ "$(cat imp/TO-C.hub.psk)" = wildcard-key-7Hq2mZ9pL4xV ] || fail "VPN 20 (198.51.100.3) did not get the wildcard key"
# VPN 10: TO-B and TS-A (aes256); VPN 20: TO-C and TS-B (3des); the
# tunnels and IPsec proposals take those names (doc/import.md, "Names").
grep -q 'remote 10.2.0.0/24;  # hub.cfg:16$' imp/hub.tun || { cat imp/hub.tun; fail "VPN 10 does not protect TO-B's 10.2.0.0/24"; }
grep -q 'remote 10.3.0.0/24;  # hub.cfg:14$' imp/hub.tun || { cat imp/hub.tun; fail "VPN 20 does not protect TO-C's 10.3.0.0/24"; }
awk '/^ipsec "TS-A"/ { f = 1 } f && /encryption/ { print; exit }' imp/hub.tun | grep -q 'aes256;  # hub.cfg:11$' ||
	fail "VPN 10 does not use TS-A"
awk '/^ipsec "TS-B"/ { f = 1 } f && /encryption/ { print; exit }' imp/hub.tun | grep -q '3des;  # hub.cfg:12$' ||
	fail "VPN 20 does not use TS-B"
echo "import-lookups: ok"
