#!/bin/sh
# The IOS reader's route-based and NAT statements (issue 11): a hand-written
# static-VTI pair in the style of Cisco's VTI configuration guide (crypto
# ipsec profile, interface Tunnel, tunnel protection, ip tcp adjust-mss,
# crypto isakmp keepalive, routes into the tunnel, route-map and static
# NAT), its broken variants, and bad input for each statement.
. "${top_srcdir}/tests/lib.sh"
src="$top_srcdir/tests/import-ios"
fresh() { cp "$src/hq-vti.cfg" "$src/branch-vti.cfg" "$TMP/"; }
lint_pair() {
	set +e
	"$TUNC" lint "$TMP/hq-vti.cfg" "$TMP/branch-vti.cfg" >"$TMP/out.txt" 2>&1
	rc=$?
	set -e
}

# 1. The pair as written: no error, nothing noted (every line is read or
#    unrelated), and the import keeps what each router says.
fresh
lint_pair
[ $rc -le 1 ] || { cat "$TMP/out.txt"; fail "lint of the VTI pair exited $rc"; }
! grep -q -e 'error:' -e 'not-modelled' "$TMP/out.txt" ||
	{ cat "$TMP/out.txt"; fail "the sound VTI pair has an error or a note"; }
mkdir "$TMP/imp"
"$TUNC" import "$TMP/hq-vti.cfg" "$TMP/branch-vti.cfg" -o "$TMP/imp/e.tun"
t="$TMP/imp/e.tun"
for want in 'route-based 10.255.0.0/30;  # .*hq-vti.cfg:27' \
	    'route-based 10.255.0.0/30;  # .*branch-vti.cfg:23' \
	    'tcp-mss 1360;  # .*hq-vti.cfg:28' 'dpd 10s;  # .*hq-vti.cfg:17' \
	    'static 10.10.0.25 to 198.51.100.25;  # .*hq-vti.cfg:50' \
	    'exempt 10.10.0.0/16 -> 10.20.0.0/16;  # .*hq-vti.cfg:43' \
	    'overload 10.10.0.0/16 on "GigabitEthernet0/0";  # .*hq-vti.cfg:44' \
	    'pfs 14;  # .*hq-vti.cfg:24'; do
	grep -q "$want" "$t" || { cat "$t"; fail "the import lacks: $want"; }
done
# The tunnel interface is the route-based end's, not one of the gateway's.
! grep -q 'interface "Tunnel0"' "$t" || fail "Tunnel0 imported as a gateway interface"
! grep -q 'Vti-Example-Key' "$t" || fail "a key was written into the .tun"
[ "$(stat -c %a "$TMP/imp/P1.hq-vti.psk")" = 600 ] || fail "key file is not 0600"
"$TUNC" lint "$t" >/dev/null 2>&1 || { "$TUNC" lint "$t"; fail "the imported .tun has findings"; }

# Without `periodic` IOS runs on-demand DPD: at the platform's default
# interval (10 s) that is what a .tun without dpd runs (tunc writes it so), so
# no dpd is imported; another interval is still read.
for ka in '10 3:' '10 3 on-demand:' '30 5:dpd 30s;' '10 3 periodic:dpd 10s;'; do
	sed "s/^crypto isakmp keepalive 10 3 periodic$/crypto isakmp keepalive ${ka%%:*}/" \
		"$top_srcdir/tests/import-ios/hq-vti.cfg" >"$TMP/ka.cfg"
	"$TUNC" import "$TMP/ka.cfg" -o "$TMP/imp/ka.tun"
	got=$(grep -o 'dpd [0-9]*s;' "$TMP/imp/ka.tun" | sort -u)
	[ "$got" = "${ka#*:}" ] || fail "keepalive ${ka%%:*}: imported '$got', not '${ka#*:}'"
done

# hq-vti alone: its far end is a peer that runs what hq-vti runs (route-based
# too), protecting what hq-vti routes into the tunnel.
set +e
"$TUNC" lint "$TMP/hq-vti.cfg" >"$TMP/one.txt" 2>&1; rc=$?
set -e
[ $rc -eq 0 ] || { cat "$TMP/one.txt"; fail "hq-vti alone: lint exited $rc"; }
"$TUNC" import "$TMP/hq-vti.cfg" -o "$TMP/imp/one.tun"
grep -A3 '^peer' "$TMP/imp/one.tun" | grep -q 'subnet 10.20.0.0/16;' ||
	{ cat "$TMP/imp/one.tun"; fail "the far peer does not protect what is routed into Tunnel0"; }

# The branch behind NAT: the head office knows it by the address its NAT
# shows, which is not the branch's own; the import says so at the line that
# shows it.
fresh
sed -i 's/192\.0\.2\.20/203.0.113.9/' "$TMP/hq-vti.cfg"
"$TUNC" import "$TMP/hq-vti.cfg" "$TMP/branch-vti.cfg" -o "$TMP/imp/nat.tun"
grep -q 'behind-nat 203.0.113.9;  # .*hq-vti.cfg:31' "$TMP/imp/nat.tun" ||
	{ cat "$TMP/imp/nat.tun"; fail "the branch behind NAT is not recognised"; }
! grep -q 'behind-nat' "$t" || fail "behind-nat where both know each other by their own addresses"

# A volume lifetime beside the time lifetime (a profile's, like a map entry's).
fresh
sed -i 's/^ set pfs group14$/&\n set security-association lifetime seconds 1800\n set security-association lifetime kilobytes 4608000/' \
	"$TMP/hq-vti.cfg"
"$TUNC" import "$TMP/hq-vti.cfg" "$TMP/branch-vti.cfg" -o "$TMP/imp/kb.tun"
grep -q 'lifetime 1800s 4608000K;  # .*hq-vti.cfg:25' "$TMP/imp/kb.tun" ||
	{ cat "$TMP/imp/kb.tun"; fail "the volume lifetime is not read"; }

# An interface filter (ip access-group: ports by name as `show running-config`
# prints them, the last line `deny ip any any` the default), a static route
# with its interface and distance, an entry offering two transform sets.
fresh
sed -i -e 's/^ ip nat outside$/&\n ip access-group EDGE-IN in/' \
	-e 's/^ set transform-set TS$/ set transform-set TS TS2/' \
	-e 's/^crypto ipsec transform-set TS .*/&\ncrypto ipsec transform-set TS2 esp-aes esp-sha-hmac/' \
	"$TMP/hq-vti.cfg"
cat >>"$TMP/hq-vti.cfg" <<'CFG'
ip access-list extended EDGE-IN
 deny   tcp any host 198.51.100.10 eq telnet
 permit udp any host 198.51.100.10 eq isakmp
 permit esp any host 198.51.100.10
 permit tcp any host 198.51.100.25 range 8000 8080
 permit tcp any eq www host 198.51.100.25
 deny   ip any any
ip route 10.50.0.0 255.255.0.0 GigabitEthernet0/1 10.10.0.254 5
CFG
lint_pair
[ $rc -le 1 ] || { cat "$TMP/out.txt"; fail "lint with a filter exited $rc"; }
grep -q "hq-vti.cfg:62:2: note: .*an access-list entry for a source port .*\[-Wnot-modelled\]" "$TMP/out.txt" ||
	{ cat "$TMP/out.txt"; fail "no note for the source-port entry"; }
"$TUNC" import "$TMP/hq-vti.cfg" "$TMP/branch-vti.cfg" -o "$TMP/imp/f.tun"
for want in 'filter in {  # .*hq-vti.cfg:38' \
	    'drop any -> 198.51.100.10/32 tcp 23;  # .*hq-vti.cfg:58' \
	    'permit any -> 198.51.100.10/32 udp 500;  # .*hq-vti.cfg:59' \
	    'permit any -> 198.51.100.10/32 esp;  # .*hq-vti.cfg:60' \
	    'permit any -> 198.51.100.25/32 tcp 8000-8080;  # .*hq-vti.cfg:61' \
	    'default drop;  # .*hq-vti.cfg:63' \
	    'route 10.50.0.0/16 via 10.10.0.254 dev "GigabitEthernet0/1" metric 5;' \
	    'encryption aes256, aes128;' 'integrity sha256, sha1;'; do
	grep -q "$want" "$TMP/imp/f.tun" || { cat "$TMP/imp/f.tun"; fail "the import lacks: $want"; }
done

# 2. Broken variants: the finding at the line at fault.
variant() {     # NAME CODE LOCATION SED-SCRIPT (on branch-vti.cfg)
	fresh
	sed -i "$4" "$TMP/branch-vti.cfg"
	lint_pair
	[ $rc -eq 1 ] || { cat "$TMP/out.txt"; fail "$1: lint exited $rc, not 1"; }
	grep -q "$3: error: .*\[-W$2\]" "$TMP/out.txt" ||
		{ cat "$TMP/out.txt"; fail "$1: no $2 error at $3"; }
}
variant proposal ipsec-mismatch 'branch-vti.cfg:15:31' \
	's/^crypto ipsec transform-set TS esp-aes 256/crypto ipsec transform-set TS esp-aes 128/'
variant psk psk-mismatch 'branch-vti.cfg:12:19' 's/Vti-Example-Key-7731/Vti-Example-Key-7732/'

# 3. Bad input: a located error, exit 2, nothing written.
bad() {         # NAME EXPECTED-LOCATION SED-SCRIPT (on hq-vti.cfg)
	fresh
	sed -i "$3" "$TMP/hq-vti.cfg"
	set +e
	"$TUNC" import "$TMP/hq-vti.cfg" "$TMP/branch-vti.cfg" -o "$TMP/bad.tun" >"$TMP/bad.txt" 2>&1
	rc=$?
	set -e
	[ $rc -eq 2 ] || { cat "$TMP/bad.txt"; fail "$1: exit $rc, not 2"; }
	grep -Eq "$2" "$TMP/bad.txt" || { cat "$TMP/bad.txt"; fail "$1: no error at $2"; }
	[ ! -e "$TMP/bad.tun" ] || fail "$1: output written"
}
bad undefined-profile 'hq-vti.cfg:32:34: error: IPsec profile .P2. is not defined' \
	's/protection ipsec profile P1/protection ipsec profile P2/'
bad profile-no-tset 'hq-vti.cfg:22:22: error: IPsec profile .P1. lacks .set transform-set.' \
	'/^ set transform-set TS/d'
bad vti-no-destination 'hq-vti.cfg:26:11: error: tunnel interface .* lacks' \
	'/^ tunnel destination/d'
bad keepalive 'hq-vti.cfg:17:1: error: dead-peer detection needs an interval' \
	's/^crypto isakmp keepalive 10 3 periodic/crypto isakmp keepalive/'
bad keepalive-word 'hq-vti.cfg:17:25: error: dead-peer detection needs an interval' \
	's/^crypto isakmp keepalive 10/crypto isakmp keepalive ten/'
bad ipv6-route 'hq-vti.cfg:52:12: error: .2001:db8::zz/64. is not an IPv6 prefix' \
	's/^ip route 10.20.0.0 255.255.0.0 Tunnel0/ipv6 route 2001:db8::zz\/64 Tunnel0/'
bad route-map 'hq-vti.cfg:49:32: error: route map .NOSUCH.' \
	's/source route-map NAT interface/source route-map NOSUCH interface/'
bad access-group 'hq-vti.cfg:36:18: error: access list .NOPE. is not defined' \
	's/^ ip nat outside$/ ip access-group NOPE in/'
bad access-group-dir "hq-vti.cfg:36:26: error: 'sideways' is not a direction" \
	's/^ ip nat outside$/ ip access-group NAT-ACL sideways/'
bad acl-port "hq-vti.cfg:43:24: error: 'nosuchport' is not a port" \
	's/^ deny   ip 10.10.0.0 0.0.255.255 10.20.0.0 0.0.255.255/ deny   tcp any any eq nosuchport/'
bad tset-second "hq-vti.cfg:23:23: error: transform set 'TS9' is not defined" \
	's/^ set transform-set TS$/ set transform-set TS TS9/'
bad adjust-mss 'hq-vti.cfg:28:2: error: incomplete statement' \
	's/^ ip tcp adjust-mss 1360/ ip tcp adjust-mss/'
bad mss-range 'hq-vti.cfg:28:2: error: a TCP MSS of 12 is below' \
	's/^ ip tcp adjust-mss 1360/ ip tcp adjust-mss 12/'
echo "import-ios: ok"
