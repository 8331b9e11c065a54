#!/bin/sh
# The PIX and ASA readers (issue 11): a hand-written ASA 9.8 head office and
# PIX 6.3 branch in the style `show running-config` prints, read without
# --from; each broken variant gives its finding at the line at fault; the
# import keeps keys out of the .tun; bad input fails located, exit 2.
. "${top_srcdir}/tests/lib.sh"
src="$top_srcdir/tests/import-asa"

lint_pair() {   # lint of $TMP/hq-asa.cfg and $TMP/branch-pix.cfg into $TMP/out.txt
	set +e
	"$TUNC" lint "$TMP/hq-asa.cfg" "$TMP/branch-pix.cfg" >"$TMP/out.txt" 2>&1
	rc=$?
	set -e
}
fresh() { cp "$src/hq-asa.cfg" "$src/branch-pix.cfg" "$TMP/"; }

# 1. The pair as written: no error; IPsec lines not modelled are noted,
#    unrelated ones (logging, SNMP, fixup) are not.
fresh
lint_pair
[ $rc -le 1 ] || { cat "$TMP/out.txt"; fail "lint of the pair exited $rc"; }
! grep -q 'error:' "$TMP/out.txt" || { cat "$TMP/out.txt"; fail "the sound pair has an error"; }
! grep -q 'hq-asa.cfg:55:.*\[-Wnot-modelled\]' "$TMP/out.txt" ||
	fail "access-group is noted, not read (section 9 reads filters)"
! grep -Eq 'hq-asa.cfg:(47|48|62):|branch-pix.cfg:(10|11|17|32):' "$TMP/out.txt" ||
	fail "a note for a line unrelated to IPsec"
grep -q 'tunnel outside_cryptomap_10' "$TMP/out.txt" || fail "the two ends were not paired"
# PIX 6.3's own nameifs (ethernet0 outside security0, ethernet1 inside
# security100) keep the hardware name, which tunc writes back as those
# lines; another nameif is the interface's name.
sed 's/^nameif ethernet1 inside security100$/nameif ethernet1 lan security100/' \
	"$TMP/branch-pix.cfg" >"$TMP/nameif.cfg"
sed -i 's/(inside)/(lan)/; s/^ip address inside /ip address lan /' "$TMP/nameif.cfg"
"$TUNC" import "$TMP/nameif.cfg" -o "$TMP/nameif.tun" >/dev/null 2>&1
grep -q 'interface "ethernet0" {  # .*nameif.cfg:4' "$TMP/nameif.tun" &&
	grep -q 'interface "lan" {  # .*nameif.cfg:5' "$TMP/nameif.tun" &&
	grep -q 'overload 10.20.0.0/24 on "ethernet0";' "$TMP/nameif.tun" ||
	{ cat "$TMP/nameif.tun"; fail "PIX interface names: hardware for the usual nameifs, else the nameif"; }

# 2. Broken variants: CODE FILE:LINE:COL of the first error, the edit.
variant() {     # NAME CODE LOCATION FILE SED-SCRIPT
	fresh
	sed -i "$5" "$TMP/$4"
	lint_pair
	[ $rc -eq 1 ] || { cat "$TMP/out.txt"; fail "$1: lint exited $rc, not 1"; }
	grep -q "$3: error: .*\[-W$2\]" "$TMP/out.txt" ||
		{ cat "$TMP/out.txt"; fail "$1: no $2 error at $3"; }
}
variant mirror selector-mirror 'branch-pix.cfg:14:1' branch-pix.cfg \
	's/^\(access-list 101 .* 10.1.0.0\) 255.255.0.0/\1 255.255.255.0/'
variant proposal ipsec-mismatch 'branch-pix.cfg:35:43' branch-pix.cfg \
	's/esp-aes-256 esp-sha-hmac/esp-3des esp-md5-hmac/'
variant pfs-one-side ipsec-mismatch 'branch-pix.cfg:36:12' branch-pix.cfg '/set pfs group5/d'
variant pix-nat-not-exempt nat-not-exempt 'branch-pix.cfg:26:1' branch-pix.cfg \
	'/^nat (inside) 0 access-list nonat/d'
variant asa-nat-not-exempt nat-not-exempt 'hq-asa.cfg:53:2' hq-asa.cfg \
	'/^nat (inside,outside) source static/d'
variant psk psk-mismatch 'branch-pix.cfg:44:12' hq-asa.cfg 's/Key-4711$/Key-4712/'
variant ike ike-mismatch 'branch-pix.cfg:47:1' branch-pix.cfg \
	's/^isakmp policy 10 encryption aes-256/isakmp policy 10 encryption 3des/'
grep -q 'branch-pix.cfg:49:1: note: .*ike branch-pix-ikev1' "$TMP/out.txt" ||
	grep -q 'note: .*hq-asa' "$TMP/out.txt" || fail "ike: no related location"

# 3. import of the NAT variant: a commented .tun whose lint finds the same
#    errors; keys in 0600 files beside it, never in it.
mkdir "$TMP/imp"
"$TUNC" import "$TMP/hq-asa.cfg" "$TMP/branch-pix.cfg" -o "$TMP/imp/estate.tun"
grep -q 'platform asa 9.8(4);  # .*hq-asa.cfg:6' "$TMP/imp/estate.tun" || fail "no ASA version from 'ASA Version'"
grep -q 'platform pix 6.3(5);' "$TMP/imp/estate.tun" || fail "no PIX version"
grep -q 'exempt 10.1.0.0/16 -> 10.20.0.0/24;  # .*hq-asa.cfg:51' "$TMP/imp/estate.tun" ||
	fail "twice NAT not read as an exemption"
grep -q 'static 10.1.0.80 to 198.51.100.2;' "$TMP/imp/estate.tun" || fail "object static NAT not read"
! grep -q 'Key-47' "$TMP/imp/estate.tun" || fail "a key was written into the .tun"
for k in "$TMP"/imp/*.psk; do
	[ "$(stat -c %a "$k")" = 600 ] || fail "$k is not 0600"
done
set +e
"$TUNC" lint "$TMP/imp/estate.tun" >"$TMP/tun.txt" 2>&1
set -e
a=$(grep -o 'error: .*\[-W[a-z-]*\]' "$TMP/out.txt" | grep -o '\[-W.*' | sort)
b=$(grep -o 'error: .*\[-W[a-z-]*\]' "$TMP/tun.txt" | grep -o '\[-W.*' | sort)
[ -n "$a" ] && [ "$a" = "$b" ] || { cat "$TMP/tun.txt"; fail "lint of the imported .tun: $b, not $a"; }

# 4. Bad input: exit 2, located, nothing written.
bad() {         # NAME FILE-SUFFIX CONTENT EXPECTED-REGEX
	printf "$3" >"$TMP/bad.$2"
	set +e
	"$TUNC" import "$TMP/bad.$2" -o "$TMP/bad.tun" >"$TMP/bad.txt" 2>&1
	rc=$?
	set -e
	[ $rc -eq 2 ] || { cat "$TMP/bad.txt"; fail "$1: exit $rc, not 2"; }
	grep -Eq "$4" "$TMP/bad.txt" || { cat "$TMP/bad.txt"; fail "$1: not $4"; }
	[ ! -e "$TMP/bad.tun" ] || fail "$1: output written"
}
pix='PIX Version 6.3(5)\nnameif ethernet0 outside security0\nip address outside 192.0.2.1 255.255.255.0\n'
asa='ASA Version 9.8(4)\ninterface G1\n nameif outside\n security-level 0\n ip address 192.0.2.1 255.255.255.0\n'
bad pix-truncated cfg "${pix}crypto map M 10 set peer\n" 'bad.cfg:4:1: error: incomplete statement'
bad pix-mask cfg "${pix}ip address inside 10.0.0.1 255.0.255.0\n" 'bad.cfg:4:28: error: .*not a netmask'
bad pix-alg cfg "${pix}crypto ipsec transform-set T esp-aes-512 esp-sha-hmac\n" \
	'bad.cfg:4:30: error: unknown algorithm'
bad pix-nat cfg "${pix}nat inside 1 10.0.0.0 255.0.0.0\n" 'bad.cfg:4:5: error: expected .\(INSIDE,OUTSIDE\)'
bad pix-acl cfg "${pix}crypto map M 10 ipsec-isakmp\ncrypto map M 10 match address NOPE\ncrypto map M 10 set peer 198.51.100.1\ncrypto map M 10 set transform-set T\ncrypto map M interface outside\n" \
	"bad.cfg:5:31: error: access list 'NOPE' is not defined"
bad asa-object cfg "${asa}access-list A extended permit ip object NOPE any\n" \
	"bad.cfg:6:41: error: object 'NOPE' is not defined"
bad asa-tset cfg "${asa}access-list A extended permit ip any any\ncrypto map M 10 match address A\ncrypto map M 10 set peer 198.51.100.1\ncrypto map M 10 set ikev2 ipsec-proposal P\ncrypto map M interface outside\n" \
	"bad.cfg:9:42: error: IPsec proposal 'P' is not defined"
bad asa-alg cfg "${asa}crypto ikev2 policy 10\n encryption aes-1024\n" 'bad.cfg:7:13: error: unknown algorithm'
bad asa-peer cfg "${asa}crypto map M 10 set peer\n" 'bad.cfg:6:1: error: incomplete statement'

# 5. --from forces the reader; a key `show running-config` masks is noted.
printf "${asa}tunnel-group 198.51.100.1 ipsec-attributes\n ikev1 pre-shared-key *****\n" >"$TMP/masked.txt"
set +e
"$TUNC" lint --from asa "$TMP/masked.txt" >"$TMP/masked.out" 2>&1
set -e
grep -q 'masked.txt:7:23: note: a pre-shared key hidden as asterisks' "$TMP/masked.out" ||
	{ cat "$TMP/masked.out"; fail "no note for a masked key"; }
# 6. run, test and graph take the configurations as lint does.
fresh
"$TUNC" run "$TMP/hq-asa.cfg" "$TMP/branch-pix.cfg" --send '10.20.0.5 -> 10.1.0.9 icmp' >"$TMP/run.txt" 2>&1 ||
	{ cat "$TMP/run.txt"; fail "run of the configurations failed"; }
grep -q 'branch-pix: sent [0-9]*, .*encapsulated 1,' "$TMP/run.txt" || { cat "$TMP/run.txt"; fail "run: not encapsulated"; }
grep -q 'hq-asa: .*decapsulated 1, delivered 1' "$TMP/run.txt" || { cat "$TMP/run.txt"; fail "run: not delivered"; }
"$TUNC" graph "$TMP/hq-asa.cfg" "$TMP/branch-pix.cfg" >"$TMP/graph.dot" || fail "graph of the configurations failed"
grep -q '"branch-pix"\|branch-pix' "$TMP/graph.dot" && grep -q 'hq-asa' "$TMP/graph.dot" || fail "graph: no gateways"
"$TUNC" test "$TMP/hq-asa.cfg" "$TMP/branch-pix.cfg" >/dev/null || fail "test of the configurations failed"
set +e
"$TUNC" graph "$TMP/hq-asa.cfg" "$top_srcdir/examples/asa-branch/asa-hq.tun" >/dev/null 2>&1; rc=$?
set -e
[ $rc -eq 2 ] || fail "graph of a .tun among configurations: exit $rc, not 2"

# 7. Without -o, keys would land in the current directory: refused, nothing written.
mkdir "$TMP/cwd"
set +e
(cd "$TMP/cwd" && "$TUNC" import "$src/hq-asa.cfg" "$src/branch-pix.cfg" >"$TMP/stdout.txt" 2>"$TMP/stderr.txt")
rc=$?
set -e
[ $rc -eq 2 ] && grep -q 'give -o FILE.tun' "$TMP/stderr.txt" || fail "import without -o and with keys: exit $rc"
[ -z "$(ls "$TMP/cwd")" ] && [ ! -s "$TMP/stdout.txt" ] || fail "import without -o wrote something"
# 8. The MSS clamp and dead-peer detection: ASA `sysopt connection tcpmss`
#    and a tunnel group's `isakmp keepalive threshold`, PIX `isakmp keepalive`.
fresh
sed -i 's/^sysopt connection permit-vpn$/&\nsysopt connection tcpmss 1350/; s/^ ikev1 pre-shared-key Hq-Branch-Key-4711$/&\n isakmp keepalive threshold 20 retry 5/' "$TMP/hq-asa.cfg"
sed -i 's/^isakmp identity address$/&\nisakmp keepalive 30 5/' "$TMP/branch-pix.cfg"
lint_pair
! grep -Eq 'hq-asa.cfg:(63|87):.*not-modelled|branch-pix.cfg:46:.*not-modelled' "$TMP/out.txt" ||
	{ cat "$TMP/out.txt"; fail "tcpmss or a keepalive is noted, not read"; }
rm -rf "$TMP/ka" && mkdir "$TMP/ka"
"$TUNC" import "$TMP/hq-asa.cfg" "$TMP/branch-pix.cfg" -o "$TMP/ka/e.tun"
for want in 'tcp-mss 1350;  # .*hq-asa.cfg:63' 'dpd 20s;  # .*hq-asa.cfg:87' \
	    'dpd 30s;  # .*branch-pix.cfg:46'; do
	grep -q "$want" "$TMP/ka/e.tun" || { cat "$TMP/ka/e.tun"; fail "the import lacks: $want"; }
done
bad asa-keepalive cfg "${asa}tunnel-group 198.51.100.1 ipsec-attributes\n isakmp keepalive threshold ten retry 2\n" \
	"bad.cfg:7:29: error: 'ten' is not a number of seconds"
bad pix-keepalive cfg "${pix}isakmp keepalive\n" 'bad.cfg:4:1: error: incomplete statement'
bad asa-tcpmss cfg "${asa}sysopt connection tcpmss\n" 'bad.cfg:6:1: error: incomplete statement'
# 9. Interface filters: `access-group ACL in|out interface NAMEIF` with
#    entries for one protocol and port (named as the devices print them).
fresh
cat >>"$TMP/hq-asa.cfg" <<'CFG'
access-list EDGE extended deny tcp any host 198.51.100.1 eq telnet
access-list EDGE extended permit udp any host 198.51.100.1 eq isakmp
access-list EDGE extended permit esp any host 198.51.100.1
access-list EDGE extended permit tcp any eq www any
access-group EDGE out interface outside
CFG
cat >>"$TMP/branch-pix.cfg" <<'CFG'
access-list egress permit tcp 10.20.0.0 255.255.255.0 any range 8000 8080
access-list egress deny ip any any
access-group egress out interface outside
CFG
n=$(wc -l <"$TMP/hq-asa.cfg") m=$(wc -l <"$TMP/branch-pix.cfg")
lint_pair
grep -q "hq-asa.cfg:$((n - 1)):1: note: an access-list entry for a source port .*\[-Wnot-modelled\]" \
	"$TMP/out.txt" || { cat "$TMP/out.txt"; fail "no note for the source-port entry"; }
"$TUNC" import "$TMP/hq-asa.cfg" "$TMP/branch-pix.cfg" -o "$TMP/ka/f.tun"
for want in "filter out {  # .*hq-asa.cfg:$n" \
	    "filter in {  # .*hq-asa.cfg:55" "permit any -> 10.1.0.80/32 tcp 443;  # .*hq-asa.cfg:44" \
	    "drop any -> 198.51.100.1/32 tcp 23;  # .*hq-asa.cfg:$((n - 4))" \
	    "permit any -> 198.51.100.1/32 udp 500;  # .*hq-asa.cfg:$((n - 3))" \
	    "permit any -> 198.51.100.1/32 esp;  # .*hq-asa.cfg:$((n - 2))" \
	    "default drop;  # .*hq-asa.cfg:$n" \
	    "filter out {  # .*branch-pix.cfg:$m" \
	    "permit 10.20.0.0/24 -> any tcp 8000-8080;  # .*branch-pix.cfg:$((m - 2))" \
	    "default drop;  # .*branch-pix.cfg:$((m - 1))"; do
	grep -q "$want" "$TMP/ka/f.tun" || { cat "$TMP/ka/f.tun"; fail "the import lacks: $want"; }
done
bad asa-access-group cfg "${asa}access-group NOPE in interface outside\n" \
	"bad.cfg:6:14: error: access list 'NOPE' is not defined"
bad asa-access-group-if cfg "${asa}access-list A extended permit ip any any\naccess-group A in interface dmz\n" \
	"bad.cfg:7:29: error: interface 'dmz' is not defined"
bad pix-acl-port cfg "${pix}access-list A permit tcp any any eq nosuchport\n" \
	"bad.cfg:4:37: error: 'nosuchport' is not a port"
# 10. An ASA VTI (ASA 9.7+: interface Tunnel, crypto ipsec profile) toward a
#     third site: a route-based end on the tunnel interface's network; the
#     tunnel interface and the route into it are the end's, not the gateway's.
fresh
cat >>"$TMP/hq-asa.cfg" <<'CFG'
crypto ipsec profile VTI-PROFILE
 set ikev1 transform-set ESP-AES256-SHA
 set pfs group14
 set security-association lifetime seconds 28800
interface Tunnel1
 nameif vti-dc
 ip address 169.254.0.1 255.255.255.252
 tunnel source interface outside
 tunnel destination 192.0.2.99
 tunnel mode ipsec ipv4
 tunnel protection ipsec profile VTI-PROFILE
route vti-dc 10.99.0.0 255.255.0.0 169.254.0.2 1
tunnel-group 192.0.2.99 type ipsec-l2l
tunnel-group 192.0.2.99 ipsec-attributes
 ikev1 pre-shared-key Dc-Vti-Key-0815
CFG
n=$(wc -l <"$TMP/hq-asa.cfg")
lint_pair
! grep -Eq "hq-asa.cfg:($((n - 14))|$((n - 10))|$((n - 8))|$((n - 3))):.*not-modelled" "$TMP/out.txt" ||
	{ cat "$TMP/out.txt"; fail "the VTI is noted, not read"; }
"$TUNC" import "$TMP/hq-asa.cfg" "$TMP/branch-pix.cfg" -o "$TMP/ka/vti.tun"
for want in "route-based 169.254.0.0/30;  # .*hq-asa.cfg:$((n - 8))" \
	    "remote-endpoint 192.0.2.99;  # .*hq-asa.cfg:$((n - 6))" \
	    "pfs 14;  # .*hq-asa.cfg:$((n - 12))" "lifetime 28800s;  # .*hq-asa.cfg:$((n - 11))" \
	    "subnet 10.99.0.0/16;"; do
	grep -q "$want" "$TMP/ka/vti.tun" || { cat "$TMP/ka/vti.tun"; fail "the import lacks: $want"; }
done
! grep -q -e 'interface "Tunnel1"' -e 'route 10.99.0.0/16' "$TMP/ka/vti.tun" ||
	fail "the tunnel interface or its route written as the gateway's"
bad asa-vti-profile cfg "${asa}interface Tunnel1\n nameif vti\n ip address 169.254.0.1 255.255.255.252\n tunnel source interface outside\n tunnel destination 192.0.2.99\n tunnel protection ipsec profile NOPE\n" \
	"bad.cfg:11:34: error: IPsec profile 'NOPE' is not defined"
bad asa-vti-dest cfg "${asa}crypto ipsec ikev1 transform-set T esp-aes-256 esp-sha-hmac\ncrypto ipsec profile P\n set ikev1 transform-set T\ninterface Tunnel1\n nameif vti\n ip address 169.254.0.1 255.255.255.252\n tunnel source interface outside\n tunnel protection ipsec profile P\n" \
	"bad.cfg:9:11: error: tunnel interface Tunnel1 lacks 'tunnel destination'"
echo "import-asa: ok"
