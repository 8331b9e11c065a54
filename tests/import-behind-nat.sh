#!/bin/sh
# Behind NAT read from a hub's configurations (src/import/behind_nat.c): a
# hub with two spokes, spoke a on a public address, spoke b behind a
# one-to-one NAT that shows 203.0.113.20.  The hub knows b by 203.0.113.20,
# b knows itself as 10.0.0.2, so b's outside interface is behind NAT
# 203.0.113.20: the hub's entry that pairs with no end, not its entry for
# spoke a (which pairs with a exactly; tunc took it, and a's address, before
# the ends were indexed).
. "${top_srcdir}/tests/lib.sh"
cd "$TMP"
cat >hub.tun <<'TUN'
ike strong { version 2; encryption aes256; integrity sha256; group 19; lifetime 24h; }
ipsec strong { protocol esp; encryption aes256-gcm; integrity none; pfs 19; lifetime 1h; }
site hq {
	subnet 192.168.1.0/24;
	gateway hub { platform ios 15.4;
		interface Gi0/0 { address 198.51.100.1/24; outside; }
		interface Gi0/1 { address 192.168.1.1/24; }
		route default via 198.51.100.254; }
}
site a {
	subnet 192.168.2.0/24;
	gateway rtr-a { platform ios 15.4;
		interface Gi0/0 { address 203.0.113.10/24; outside; }
		interface Gi0/1 { address 192.168.2.1/24; }
		route default via 203.0.113.1; }
}
site b {
	subnet 192.168.3.0/24;
	gateway rtr-b { platform ios 15.4;
		interface Gi0/0 { address 10.0.0.2/24; outside; behind-nat 203.0.113.20; }
		interface Gi0/1 { address 192.168.3.1/24; }
		route default via 10.0.0.1; }
}
tunnel hub-a { between hub and rtr-a; ike strong; ipsec strong; psk file "a.psk"; }
tunnel hub-b { between hub and rtr-b; ike strong; ipsec strong; psk file "b.psk"; }
TUN
(umask 077; echo 'not-a-secret-a-Xq9mP2vL7wR4tZ8n' >a.psk; echo 'not-a-secret-b-Yt6sD1fG5hJ0kM3b' >b.psk)
"$TUNC" compile hub.tun -t ios -o out >/dev/null || fail "compile"
"$TUNC" import out/hub.ios.cfg out/rtr-a.ios.cfg out/rtr-b.ios.cfg -o imp/x.tun >/dev/null 2>&1 ||
	fail "import"
n=$(grep -c 'behind-nat' imp/x.tun || true)
[ "$n" -eq 1 ] || { cat imp/x.tun; fail "$n behind-nat lines, not 1"; }
grep -q '^ *behind-nat 203\.0\.113\.20;  # out/hub\.ios\.cfg:' imp/x.tun ||
	{ cat imp/x.tun; fail "rtr-b is not behind NAT 203.0.113.20"; }
# The imported .tun lints as the original does.
"$TUNC" lint hub.tun >orig.txt 2>&1 || true
"$TUNC" lint imp/x.tun >imp.txt 2>&1 || true
[ "$(tail -1 orig.txt)" = "$(tail -1 imp.txt)" ] ||
	{ cat orig.txt imp.txt; fail "lint of the import differs"; }
echo "import-behind-nat: ok"
