#!/bin/sh
# The netsh reader (issue 11): tunc's own netsh scripts for Windows 2003
# (ipsec static) and 2008 (advfirewall consec) read back to the same
# findings, a hand-written KB 252735 script against a strongSwan box whose
# selectors do not mirror, the key never shown, and bad input.
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

# 3. Bad input: exit 2 at the location.
bad() {
	name=$1 file=$2 want=$3
	set +e
	"$TUNC" import "$file" -o bad.tun >bad.txt 2>&1; rc=$?
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
echo "import-netsh: ok"
