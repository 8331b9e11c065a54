#!/bin/sh
# The netsh reader (issue 11): tunc's own netsh scripts for Windows 2003
# (ipsec static) and 2008 (advfirewall consec) read back to the same
# findings, a hand-written KB 252735 script against a strongSwan box whose
# selectors do not mirror, a hand-written Windows 2000 gateway with RRAS
# filters and its mistakes, the key never shown, and bad input.
. "${top_srcdir}/tests/lib.sh"
d="$top_srcdir/tests/import-conf/netsh"
cp "$d"/* "$TMP/"
cd "$TMP"
findings() {
	grep -o '\[-W[a-z-]*\]' "$1" | grep -v -e inline-secret -e not-modelled -e psk-file-mode \
		-e gateway-own-traffic | sort | uniq
}

# 1. Round trip of tunc's own output, both dialects.
sed 's/platform windows 2000;/platform windows 2008;/' \
	"$top_srcdir/examples/seed002-w2k-third-party/fixed.tun" >w2008.tun
cp "$top_srcdir/examples/seed002-w2k-third-party/"*.psk . 2>/dev/null || true
for tun in "$top_srcdir/examples/seed002-w2k-third-party/fixed.tun" w2008.tun; do
	rm -rf out
	"$TUNC" compile "$tun" -t netsh -o out >/dev/null 2>&1
	set +e
	"$TUNC" lint "$tun" >orig.txt 2>&1; r1=$?
	"$TUNC" lint out/*.netsh.cmd >rt.txt 2>&1; r2=$?
	set -e
	[ $r1 -eq $r2 ] || { cat rt.txt; fail "$tun: lint exits $r1, then $r2"; }
	[ "$(findings orig.txt)" = "$(findings rt.txt)" ] || { cat rt.txt; fail "$tun: findings differ"; }
	! grep -q 'Ex4mple' rt.txt || fail "lint printed a key from the script"
done
"$TUNC" import out/*.netsh.cmd -o w.tun
grep -q "platform windows 2008;" w.tun || fail "the advfirewall script is not read as Windows 2008"
# A connection security rule's protocol= and port2= are the end's protocol,
# action=requestinrequestout (as tunc writes accept-unsecured: inbound clear
# text accepted) its accept-unsecured: the findings come back at the rule's
# words.
for v in port-filter accept-unsecured; do
	sed 's/platform windows 2000;/platform windows 2008;/' \
		"$top_srcdir/examples/seed002-w2k-third-party/$v.tun" >w2008-$v.tun
	rm -rf out && "$TUNC" compile w2008-$v.tun -t netsh --force -o out >/dev/null 2>&1
	set +e
	"$TUNC" lint w2008-$v.tun >orig.txt 2>&1; r1=$?
	"$TUNC" lint out/*.netsh.cmd >rt.txt 2>&1; r2=$?
	set -e
	[ $r1 -eq $r2 ] && [ "$(findings orig.txt)" = "$(findings rt.txt)" ] ||
		{ cat rt.txt; fail "w2008-$v: findings differ"; }
	"$TUNC" import out/*.netsh.cmd -o w2008-$v.imp.tun
done
grep -q '^        accept-unsecured;  # out/w2k-gw.netsh.cmd:17$' w2008-accept-unsecured.imp.tun ||
	{ cat w2008-accept-unsecured.imp.tun; fail "action=requestinrequestout is not accept-unsecured"; }
# "Require in, request out" requires IPsec inbound: not accept-unsecured
# (tunc wrote it for accept-unsecured before), but outbound may go out in
# clear text, which the language cannot say: a note at the word.
sed 's/action=requestinrequestout/action=requireinrequestout/' out/w2k-gw.netsh.cmd >reqout.netsh.cmd
"$TUNC" import reqout.netsh.cmd -o reqout.tun >/dev/null 2>&1
"$TUNC" lint reqout.netsh.cmd >reqout.err 2>&1 || true
! grep -q 'accept-unsecured;' reqout.tun || { cat reqout.tun; fail "requireinrequestout read as accept-unsecured"; }
grep -q 'reqout.netsh.cmd:17:[0-9]*: note: action=requireinrequestout .*-Wnot-modelled' reqout.err ||
	{ cat reqout.err; fail "requireinrequestout has no located note"; }
# tunc's tunc-iface comment lines give the interfaces their addresses (the
# script sets none); a bad prefix there is an error at the word, exit 2.
sed 's|^REM   tunc-iface "Internal" .*|REM   tunc-iface "Internal" 192.168.10.300/24|' out/w2k-gw.netsh.cmd >badif.netsh.cmd
set +e
"$TUNC" import badif.netsh.cmd -o badif/x.tun >badif.err 2>&1; rc=$?
set -e
[ $rc -eq 2 ] && grep -q "badif.netsh.cmd:[0-9]*:[0-9]*: error: '192.168.10.300/24' is not an address" badif.err &&
	[ ! -e badif/x.tun ] || { cat badif.err; fail "a bad tunc-iface prefix: exit $rc"; }
grep -q '^        protocol tcp;  # out/w2k-gw.netsh.cmd:16$' w2008-port-filter.imp.tun ||
	{ cat w2008-port-filter.imp.tun; fail "protocol= of a consec rule is not the end's protocol"; }

# tunc's header names the platform the commands cannot tell apart: an ISA
# Server script is ISA (its version too), not Windows 2003, and the filters
# from its own address, which ISA adds itself, are not the tunnel's.
sed 's/platform isa 2004;/platform isa 2006;/' \
	"$top_srcdir/examples/seed001-isa-own-traffic/fixed.tun" >isa.tun
cp "$top_srcdir/examples/seed001-isa-own-traffic/a-b.psk" . && chmod 600 a-b.psk
rm -rf isa && "$TUNC" compile isa.tun -t netsh -o isa >/dev/null 2>&1
"$TUNC" import isa/isa-a.netsh.cmd -o isa.imp.tun
grep -q 'platform isa 2006;  # .*isa-a.netsh.cmd:2$' isa.imp.tun || { cat isa.imp.tun; fail "the ISA header is not read"; }
grep -q '^        local 10.1.0.0/16;' isa.imp.tun || { cat isa.imp.tun; fail "ISA's own address or a repeat in the local selectors"; }
grep -q '^        remote 10.2.0.0/16, 203.0.113.1/32;' isa.imp.tun || { cat isa.imp.tun; fail "the remote selectors are not each once"; }

# 2. A hand-written KB 252735 script and a strongSwan box: the mirror
#    mismatch located in both files, and the same from the imported .tun.
set +e
"$TUNC" lint neta.cmd netb.ipsec.conf >pair.txt 2>&1; rc=$?
set -e
[ $rc -eq 1 ] || { cat pair.txt; fail "the pair exited $rc"; }
grep -q 'neta.cmd:4:1: error: .*\[-Wselector-mirror\]' pair.txt || { cat pair.txt; fail "no selector-mirror at the filter list"; }
grep -q "netb.ipsec.conf:8:2: note: netb's selectors" pair.txt || fail "no related location in the ipsec.conf"
! grep -q 'kb252735-not' pair.txt || fail "lint printed a key"
mkdir imp
"$TUNC" import neta.cmd netb.ipsec.conf -o imp/pair.tun
! grep -q 'kb252735-not' imp/pair.tun || fail "a key in the .tun"
set +e
"$TUNC" lint imp/pair.tun >pair2.txt 2>&1
set -e
[ "$(findings pair.txt)" = "$(findings pair2.txt)" ] || { cat pair2.txt; fail "the imported .tun lints differently"; }

# 2b. A hand-written Windows 2000 gateway in KB 252735's steps (w2k-gw.cmd):
#     the two one-way filter lists, the filter action, the rules, the RRAS
#     input/output filters on W2KextIP's "Local Area Connection 2" and the
#     static routes.  Its interface is the one whose RRAS filters name the
#     tunnel endpoint, with those filters; no line is left unread.
"$TUNC" lint w2k-gw.cmd >w2k.txt 2>&1 || { cat w2k.txt; fail "w2k-gw.cmd: lint exits non-zero"; }
! grep -q 'not-modelled' w2k.txt || { cat w2k.txt; fail "w2k-gw.cmd: a line is not read"; }
! grep -q 'kb252735-w2k' w2k.txt || fail "lint printed the key"
"$TUNC" import w2k-gw.cmd -o w2k.tun
grep -q '^        platform windows 2003;' w2k.tun || fail "a script without tunc's header is not Windows Server 2003"
grep -q '^        interface "Local Area Connection 2" {  # w2k-gw.cmd:17$' w2k.tun || { cat w2k.tun; fail "the RRAS interface is not read"; }
grep -q '^            address 198.51.100.10/0;  # w2k-gw.cmd:18$' w2k.tun || fail "the RRAS interface does not hold the endpoint"
grep -q '^                permit 203.0.113.20/32 -> 198.51.100.10/32;  # w2k-gw.cmd:21$' w2k.tun || fail "no input filter"
grep -q '^                default drop;  # w2k-gw.cmd:19$' w2k.tun || fail "set filter action=drop is not the default"
grep -q '^        route 192.168.20.0/24 via 198.51.100.1 metric 1;  # w2k-gw.cmd:25$' w2k.tun || fail "route metric"
# tunc's header line names Windows 2000 (the commands cannot: doc/import.md).
{ echo 'REM Gateway w2k-gw (Windows 2000, site net-a)'; cat w2k-gw.cmd; } >w2k-hdr.cmd
"$TUNC" import w2k-hdr.cmd -o w2k-hdr.tun
grep -q '^        platform windows 2000;  # w2k-hdr.cmd:1$' w2k-hdr.tun || fail "the Windows 2000 header is not read"
# The article's mistakes, each found at the script's line: a tunnel filter
# for one protocol and port, the Mirrored box, "Accept unsecured
# communication"; a source port is noted, not dropped silently.
w2k_finding() {     # NAME SED-SCRIPT EXPECTED
	sed "$2" w2k-hdr.cmd >"$1.cmd"
	set +e
	"$TUNC" lint "$1.cmd" >"$1.txt" 2>&1; rc=$?
	set -e
	[ $rc -eq 1 ] || { cat "$1.txt"; fail "$1: lint exits $rc, not 1"; }
	grep -Eq "$3" "$1.txt" || { cat "$1.txt"; fail "$1: no $3"; }
	"$TUNC" import "$1.cmd" -o "$1.tun"
	set +e
	"$TUNC" lint "$1.tun" >"$1.tun.txt" 2>&1
	set -e
	[ "$(findings "$1.txt")" = "$(findings "$1.tun.txt")" ] ||
		{ cat "$1.tun.txt"; fail "$1: the imported .tun lints differently"; }
}
w2k_finding port '8s/protocol=ANY/protocol=TCP dstport=443/; 10s/protocol=ANY/protocol=TCP srcport=1024/' \
	'port.cmd:8:152: error: w2k-gw restricts tunnel NetA-to-NetB.s selectors to tcp 443, but Windows 2000 .*\[-Wtunnel-port-filter\]'
grep -q 'port.cmd:10:164: note: a tunnel filter on a source port .*\[-Wnot-modelled\]' port.txt || fail "srcport is not noted"
grep -q '^        protocol tcp 443;  # port.cmd:8$' port.tun || { cat port.tun; fail "protocol is not in the .tun"; }
w2k_finding mirrored '8s/mirrored=no/mirrored=yes/; 10s/mirrored=no/mirrored=yes/' \
	'mirrored.cmd:8:165: error: .*marked Mirrored.*\[-Wmirrored-tunnel-filter\]'
w2k_finding inpass 's/inpass=no/inpass=yes/' \
	'inpass.cmd:12:71: error: .*accepts unsecured communication.*\[-Waccept-unsecured\]'
grep -q '^        accept-unsecured;  # inpass.cmd:12$' inpass.tun || fail "accept-unsecured is not in the .tun"
# The article's "How to Configure Static Routes in RRAS" case: a second
# Internet connection carries the default route, none binds NetB to the
# endpoint's interface (seed 002's default-route.tun).  The interfaces'
# addresses from `netsh interface ip set address` (named and positional),
# the default gateway a route through Backup: egress-address at its line.
{ echo 'REM Gateway w2k-gw (Windows 2000, site net-a)'
  echo 'netsh interface ip set address name="Local Area Connection 2" source=static addr=198.51.100.10 mask=255.255.255.0 gateway=none'
  echo 'netsh interface ip set address "Local Area Connection" static 192.168.10.1 255.255.255.0'
  echo 'netsh interface ip set address name="Backup" static 192.0.2.10 255.255.255.0 192.0.2.1 1'
  grep -v '^route' w2k-gw.cmd; } >backup.cmd
"$TUNC" lint backup.cmd >backup.txt 2>&1 || true
grep -q 'backup.cmd:4:1: warning: w2k-gw sends tunnel NetA-to-NetB.s packets to 203.0.113.20 out of Backup (192.0.2.10), but its tunnel endpoint is 198.51.100.10 .*\[-Wegress-address\]' backup.txt ||
	{ cat backup.txt; fail "no egress-address at the Backup interface's line"; }
"$TUNC" import backup.cmd -o backup.tun
grep -q '^            address 198.51.100.10/24;  # backup.cmd:2$' backup.tun || { cat backup.tun; fail "set address (named)"; }
grep -q '^            address 192.168.10.1/24;  # backup.cmd:3$' backup.tun || fail "set address (positional)"
grep -q '^        route 0.0.0.0/0 via 192.0.2.1 dev "Backup" metric 1;  # backup.cmd:4$' backup.tun || fail "gateway= is not the default route"
"$TUNC" lint backup.tun >backup2.txt 2>&1 || true
[ "$(findings backup.txt)" = "$(findings backup2.txt)" ] || { cat backup2.txt; fail "backup: the imported .tun lints differently"; }

# What is not modelled gets its note: soft=yes, a demand-dial filter, an
# ICMP type, a routing command, RRAS filters on an interface that names no
# tunnel endpoint (its address is unknown), route ... IF N.
sed 's/soft=no/soft=yes/' w2k-gw.cmd >notes.cmd
cat >>notes.cmd <<'NOTES'
netsh routing ip add filter name="Local Area Connection 2" filtertype=dial srcaddr=0.0.0.0 srcmask=0.0.0.0 dstaddr=0.0.0.0 dstmask=0.0.0.0 proto=any
netsh routing ip add filter name="Local Area Connection 2" filtertype=input srcaddr=0.0.0.0 srcmask=0.0.0.0 dstaddr=0.0.0.0 dstmask=0.0.0.0 proto=icmp type=8 code=0
netsh routing ip add persistentroute dest=10.9.0.0 mask=255.255.0.0 name="Local Area Connection" nhop=192.168.10.254
netsh routing ip add filter name="Local Area Connection" filtertype=output srcaddr=192.168.10.0 srcmask=255.255.255.0 dstaddr=0.0.0.0 dstmask=0.0.0.0 proto=tcp srcport=0 dstport=25
route -p add 10.8.0.0 mask 255.255.0.0 198.51.100.254 IF 2
netsh interface ip set address name="Local Area Connection 3" source=dhcp
netsh interface ip set address name="Local Area Connection 2" static 198.51.100.10 255.255.255.0
netsh interface ip add address name="Local Area Connection 2" addr=198.51.100.11 mask=255.255.255.0
netsh interface ip set dns name="Local Area Connection 2" static 192.0.2.53
NOTES
"$TUNC" lint --all notes.cmd >notes.txt 2>&1 || true
for want in 'notes.cmd:11:79: note: soft=yes' 'notes.cmd:26:71: note: a demand-dial packet filter' \
	'notes.cmd:27:157: note: a packet filter for one ICMP type' 'notes.cmd:28:1: note: this netsh routing ip command' \
	"notes.cmd:29:1: note: a packet filter list on interface 'Local Area Connection'," \
	'notes.cmd:30:55: note: route -p add ... IF N' 'notes.cmd:31:70: note: an address from DHCP' \
	'notes.cmd:33:68: note: a second address on an interface' 'notes.cmd:34:1: note: this netsh interface ip command'; do
	grep -q "$want.*\[-Wnot-modelled\]" notes.txt || { cat notes.txt; fail "no note: $want"; }
done

# 3. Bad input: exit 2 at the location.
bad() {     # NAME FILE EXPECTED [--from FORMAT]
	name=$1 file=$2 want=$3
	shift 3
	set +e
	"$TUNC" import "$@" "$file" -o bad.tun >bad.txt 2>&1; rc=$?
	set -e
	[ $rc -eq 2 ] || { cat bad.txt; fail "$name: exit $rc, not 2"; }
	grep -Eq "$want" bad.txt || { cat bad.txt; fail "$name: no $want"; }
	[ ! -e bad.tun ] || fail "$name: output written"
}
printf 'netsh ipsec static add filterlist name="a\n' >q.cmd
bad quote q.cmd 'q.cmd:1:35: error: the quote is not closed'
printf 'netsh ipsec static add filter filterlist="x" srcaddr=any dstaddr=any\n' >fl.cmd
bad undefined fl.cmd "fl.cmd:1:43: error: filter list 'x' is not added"
printf 'netsh ipsec static add filterlist name="x"\nnetsh ipsec static add filter filterlist="x" srcaddr=10.0.0.0 srcmask=255.0.255.0 dstaddr=any\n' >mask.cmd
bad mask mask.cmd "mask.cmd:2:71: error: '255.0.255.0' is not a netmask"
printf 'netsh ipsec static add policy name="p" mmsecmethods="AES-SHA1-2"\n' >alg.cmd
bad algorithm alg.cmd "alg.cmd:1:54: error: unknown algorithm 'AES'"
printf 'netsh advfirewall consec add rule name="r" mode=tunnel endpoint1=any\n' >trunc.cmd
bad truncated trunc.cmd 'trunc.cmd:1:1: error: incomplete statement: endpoint2= is missing'
# The RRAS packet filters and the tunnel filters' new forms.
rras='netsh routing ip add filter name="X" filtertype=input srcaddr=10.0.0.0 srcmask=255.0.0.0 dstaddr=0.0.0.0 dstmask=0.0.0.0'
printf '%s proto=bogus\n' "$rras" >rp.cmd
bad rras-proto rp.cmd 'rp.cmd:1:128: error: proto must be any, tcp'
printf '%s\n' "$rras" | sed 's/filtertype=input/filtertype=sideways/' >rt.cmd
bad rras-type rt.cmd 'rt.cmd:1:49: error: filtertype must be input, output or dial'
printf '%s\n' "$rras" | sed 's/ srcmask=255.0.0.0//' >rm.cmd
bad rras-mask rm.cmd 'rm.cmd:1:1: error: incomplete statement: srcmask= is missing'
printf '%s proto=tcp dstport=70000\n' "$rras" >rd.cmd
bad rras-port rd.cmd 'rd.cmd:1:140: error: dstport must be a port number'
printf 'netsh routing ip set filter name="X" filtertype=input action=maybe\n' >ra.cmd
bad rras-action ra.cmd 'ra.cmd:1:62: error: action must be drop or forward'
printf 'netsh ipsec static add filterlist name="x"\nnetsh ipsec static add filter filterlist="x" srcaddr=10.0.0.0 srcmask=255.0.0.0 dstaddr=any protocol=999\n' >fp.cmd
bad filter-protocol fp.cmd 'fp.cmd:2:102: error: protocol must be ANY'
printf 'netsh ipsec static add filterlist name="x"\nnetsh ipsec static add filter filterlist="x" srcaddr=10.0.0.0 srcmask=255.0.0.0 dstaddr=any dstport=80\n' >fd.cmd
bad filter-port fd.cmd 'fd.cmd:2:101: error: dstport= needs protocol=TCP or UDP'
printf 'netsh interface ip set address name="E" static 198.51.100.10 255.0.255.0\n' >im.cmd
bad iface-mask im.cmd "im.cmd:1:62: error: '255.0.255.0' is not a netmask" --from netsh
printf 'netsh interface ip set address name="E" static 198.51.100.10\n' >ia.cmd
bad iface-trunc ia.cmd 'ia.cmd:1:1: error: incomplete statement: mask= is missing' --from netsh
printf 'netsh interface ip set address name="E" static 198.51.100.10 255.255.255.0 gateway=router\n' >ig.cmd
bad iface-gateway ig.cmd "ig.cmd:1:84: error: 'router' is not an IPv4 address" --from netsh
printf 'netsh interface ip set address name="E" static 198.51.100.10 255.255.255.0 color=red\n' >ik.cmd
bad iface-key ik.cmd "ik.cmd:1:76: error: unknown parameter 'color'" --from netsh
echo "import-netsh: ok"
