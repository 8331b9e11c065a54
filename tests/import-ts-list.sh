#!/bin/sh
# strongSwan traffic-selector lists (issue 11): swanctl.conf's local_ts /
# remote_ts and ipsec.conf's leftsubnet / rightsubnet are read by one
# function (src/import/ts_list.c): the same words give the same selectors
# and the same located notes in both readers, and a line that many conns
# inherit (%default, also=) is noted once.
. "${top_srcdir}/tests/lib.sh"
cd "$TMP"

cat >gw.swanctl.conf <<'CONF'
connections {
    site {
        version = 2
        local_addrs = 192.0.2.10
        remote_addrs = 198.51.100.20
        children {
            lan {
                local_ts = 10.1.0.0/16[tcp/80], 10.3.0.5 dynamic
                remote_ts = 10.20.0.0/16
            }
        }
    }
}
secrets {
    ike-site {
        id-site = 198.51.100.20
        secret = "n0t-a-real-key-ts"
    }
}
CONF
printf '%s\n' '192.0.2.10 198.51.100.20 : PSK "n0t-a-real-key-1"' \
	'192.0.2.10 198.51.100.30 : PSK "n0t-a-real-key-2"' >gw.ipsec.secrets
cat >gw.ipsec.conf <<'CONF'
conn %default
	keyexchange=ikev2
	leftsubnet=10.1.0.0/16[tcp/80], 10.3.0.5 dynamic

conn one
	left=192.0.2.10
	right=198.51.100.20
	rightsubnet=10.20.0.0/16

conn two
	left=192.0.2.10
	right=198.51.100.30
	rightsubnet=10.30.0.0/16
CONF

"$TUNC" import --from swanctl gw.swanctl.conf -o sw.tun >sw.out 2>&1 || { cat sw.out; fail "swanctl import failed"; }
"$TUNC" import --from ipsecconf gw.ipsec.conf -o ic.tun >ic.out 2>&1 || { cat ic.out; fail "ipsec.conf import failed"; }
for f in sw.tun ic.tun; do
	grep -q 'local 10.1.0.0/16, 10.3.0.5/32;' $f || { cat $f; fail "$f: the list is not 10.1.0.0/16, 10.3.0.5/32"; }
done

"$TUNC" lint gw.swanctl.conf >sw.txt 2>&1 || true
"$TUNC" lint gw.ipsec.conf >ic.txt 2>&1 || true
port='note: a traffic selector restricted to a protocol or port bears on IPsec'
dyn="note: a 'dynamic' traffic selector bears on IPsec"
grep -q "gw.swanctl.conf:8:28: $port" sw.txt || { cat sw.txt; fail "swanctl: no located note for [tcp/80]"; }
grep -q "gw.swanctl.conf:8:58: $dyn" sw.txt || { cat sw.txt; fail "swanctl: no located note for dynamic"; }
# Two conns inherit the %default line: one note per place.
[ "$(grep -c "gw.ipsec.conf:3:13: $port" ic.txt)" = 1 ] || { cat ic.txt; fail "ipsec.conf: not one note for [tcp/80]"; }
[ "$(grep -c "gw.ipsec.conf:3:43: $dyn" ic.txt)" = 1 ] || { cat ic.txt; fail "ipsec.conf: not one note for dynamic"; }
echo "import-ts-list: ok"
