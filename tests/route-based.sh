#!/bin/sh
# Route-based tunnels (issue 13): IPv6 between two IOS routers lints clean
# over virtual tunnel interfaces and compiles into them (`tunnel mode ipsec
# ipv6`, a route to the far subnet through the tunnel); the same tunnel as a
# crypto map is refused at lint (platform-limit), as is `route-based`
# on a platform without tunnel interfaces (PIX).  `tunc test` passes on
# the IPv6 VTI pair: the engine routes into the tunnel interface.
. "$top_srcdir/tests/lib.sh"
ex="$top_srcdir/tests/route-based"
cp "$ex"/*.tun "$ex"/*.psk "$TMP/"
chmod 600 "$TMP"/*.psk
cd "$TMP" || exit 1

rc=0; NO_COLOR=1 "$TUNC" lint vti.tun >lint.out 2>&1 || rc=$?
[ "$rc" -eq 0 ] || { cat lint.out; fail "vti.tun: lint exit $rc, expected 0"; }
grep -q 'platform-unsupported\|route-missing' lint.out && { cat lint.out; fail "vti.tun: unexpected finding"; }

"$TUNC" test vti.tun >test.out 2>&1 || { cat test.out; fail "vti.tun: tunc test fails"; }
grep -q 'ROUTE .*via the tunnel interface of hq-branch' test.out ||
	"$TUNC" run vti.tun --send 'pc1 -> srv1' | grep -q 'via the tunnel interface of hq-branch' ||
	fail "vti.tun: the packet does not take the tunnel interface"
"$TUNC" compile vti.tun -o out >/dev/null 2>&1 || fail "vti.tun does not compile"
for gw in rtr-a rtr-b; do
	for line in 'interface Tunnel0' ' tunnel mode ipsec ipv6' ' tunnel protection ipsec profile tunc-hq-branch' \
		    'ipv6 route 2001:db8:[12]::/64 Tunnel0' ' dpd 30 3 periodic'; do
		grep -q "^$line\$" "out/$gw.ios.cfg" || { cat "out/$gw.ios.cfg"; fail "$gw: no '$line'"; }
	done
	grep -q '^crypto map' "out/$gw.ios.cfg" && fail "$gw: a crypto map for a route-based tunnel"
done
# IKEv2 names an IPv6 peer as address/prefix, in the keyring and in the
# profile's match, and no line ends in a blank.
grep -q '^ match identity remote address 2001:db8:ff::3/128$' out/rtr-a.ios.cfg || fail "rtr-a: IPv6 match identity not address/128"
grep -q '^  address 2001:db8:ff::3/128$' out/rtr-a.ios.cfg || fail "rtr-a: IPv6 keyring peer not address/128"
grep -n ' $' out/*.ios.cfg && fail "a line of the IOS output ends in a blank"
grep -q '^ ipv6 address 2001:db8:fe::/127$' out/rtr-a.ios.cfg || fail "rtr-a does not take the link's first address"
grep -q '^ ipv6 address 2001:db8:fe::1/127$' out/rtr-b.ios.cfg || fail "rtr-b does not take the link's second address"

rc=0; NO_COLOR=1 "$TUNC" lint crypto-map.tun >lint.out 2>&1 || rc=$?
[ "$rc" -eq 1 ] || { cat lint.out; fail "crypto-map.tun: lint exit $rc, expected 1"; }
grep -q 'IPv6 tunnel peer.*platform-limit' lint.out ||
	{ cat lint.out; fail "crypto-map.tun: no platform-limit"; }

# PIX has no tunnel interface: route-based there is refused, naming it.
cat > pix.tun <<'EOT'
ike v1 { version 1; encryption aes256; integrity sha1; group 5; }
ipsec v1 { encryption aes256; integrity sha1; }
site a { subnet 10.1.0.0/24;
  gateway ra { platform ios 15.4; interface e0 { address 198.51.100.1/24; outside; } interface e1 { address 10.1.0.1/24; } route default via 198.51.100.254; } }
site b { subnet 10.2.0.0/24;
  gateway rb { platform pix 6.3; interface outside { address 203.0.113.1/24; outside; } interface inside { address 10.2.0.1/24; } route default via 203.0.113.254; } }
tunnel t { between ra and rb; ike v1; ipsec v1; psk file "hq-branch.psk"; route-based 169.254.10.0/30; }
EOT
rc=0; NO_COLOR=1 "$TUNC" lint pix.tun >lint.out 2>&1 || rc=$?
[ "$rc" -eq 1 ] || { cat lint.out; fail "pix.tun: lint exit $rc, expected 1"; }
grep -q 'rb (Cisco PIX 6.3) in tunnel t cannot be route-based' lint.out || { cat lint.out; fail "pix.tun: no platform-unsupported for PIX"; }
grep -q 'ra (Cisco IOS 15) in tunnel t cannot be route-based' lint.out && fail "pix.tun: IOS refused"
# A mixed pair: rtr-a alone route-based (IPv4 /30, IKEv1), rtr-b a crypto
# map whose access list names the subnets.
"$TUNC" compile --force vti-mixed.tun -o mixed >/dev/null 2>&1 || fail "vti-mixed.tun does not compile"
for line in 'interface Tunnel0' ' ip address 169.254.20.1 255.255.255.252' ' ip tcp adjust-mss 1360' \
	    ' tunnel mode ipsec ipv4' 'crypto isakmp keepalive 20 periodic' \
	    'ip route 192.168.3.0 255.255.255.0 Tunnel0'; do
	grep -q "^$line\$" mixed/rtr-a.ios.cfg || { cat mixed/rtr-a.ios.cfg; fail "rtr-a: no '$line'"; }
done
grep -q '^ permit ip 192.168.2.0 0.0.0.255 192.168.1.0 0.0.0.255$' mixed/rtr-b.ios.cfg || fail "rtr-b: no crypto map ACL"
grep -q '^interface Tunnel' mixed/rtr-b.ios.cfg && fail "rtr-b: a tunnel interface for a policy-based end"
exit 0
