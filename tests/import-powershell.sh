#!/bin/sh
# The PowerShell reader (issue 11): tunc's own Windows Server 2012+ output
# (GW.ps1 with its keys in GW.keys) reads back to the same findings and
# files; a hand-written script in Microsoft's documented style against an
# IOS router gives each broken variant's finding at the line at fault; keys
# are never shown nor written into the .tun; bad input exits 2, located.
. "${top_srcdir}/tests/lib.sh"
d="$top_srcdir/tests/import-conf/powershell"
ex="$top_srcdir/examples/seed004-windows-static-route"
cp "$d"/* "$ex"/*.psk "$TMP/"
cd "$TMP"
findings() {
	grep -o '\[-W[a-z-]*\]' "$1" | grep -v -e inline-secret -e not-modelled -e psk-file-mode | sort | uniq
}

# 1. Round trip of tunc's output: seed 004 on Windows Server 2022 and 2012 R2
#    (examples/windows-asa is a row of import-roundtrip.list), fixed and
#    broken; the key file is read from beside the script, given on the
#    command line or not.
for v in 2022 2012r2; do
	for ex_tun in fixed broken; do
		tun=w$v-$ex_tun.tun
		sed "s/platform windows 2003;/platform windows $v;/" "$ex/$ex_tun.tun" >"$tun"
		rm -rf out back && mkdir back
		"$TUNC" compile "$tun" -t powershell -t powershell-keys --force -o out >/dev/null 2>&1
		[ -f out/win-gw.ps1 ] && [ -f out/win-gw.keys ] || fail "$tun: no win-gw.ps1 and win-gw.keys"
		set +e
		"$TUNC" lint "$tun" >orig.txt 2>&1; r1=$?
		"$TUNC" lint out/* >rt.txt 2>&1; r2=$?
		"$TUNC" lint out/win-gw.ps1 >rt1.txt 2>&1; r3=$?
		set -e
		[ $r1 -eq $r2 ] && [ $r1 -eq $r3 ] || { cat rt.txt; fail "$tun: lint exits $r1, then $r2 and $r3"; }
		[ "$(findings orig.txt)" = "$(findings rt.txt)" ] || { cat orig.txt rt.txt; fail "$tun: findings differ"; }
		[ "$(findings rt.txt)" = "$(findings rt1.txt)" ] || fail "$tun: the key file given or not differs"
		! grep -q 'Ex4mple' rt.txt || fail "$tun: lint printed a key from win-gw.keys"
		"$TUNC" import out/win-gw.ps1 -o back/estate.tun
		grep -q "platform windows ${v%r2};  # out/win-gw.ps1:2" back/estate.tun ||
			{ cat back/estate.tun; fail "$tun: the version is not read from the script's header"; }
		! grep -q 'Ex4mple' back/estate.tun || fail "$tun: a key in the imported .tun"
		[ "$(stat -c %a back/gw-partner.psk)" = 600 ] || fail "$tun: the key file is not 0600"
		"$TUNC" compile back/estate.tun -t powershell -t powershell-keys --force -o back/out >/dev/null 2>&1 ||
			fail "$tun: the imported .tun does not compile"
		[ "$(ls out)" = "$(ls back/out)" ] || fail "$tun: compile wrote $(ls out), then $(ls back/out)"
		cmp -s out/win-gw.keys back/out/win-gw.keys || fail "$tun: the key does not survive the round trip"
	done
done
# The key file names what it holds: its key comes out located in it, masked.
"$TUNC" lint out/* >keys.txt 2>&1 || true
grep -q 'out/win-gw.keys:1:12: ' keys.txt && grep -q '| gw-partner \*\*\*\*' keys.txt ||
	{ cat keys.txt; fail "the key is not located, masked, in win-gw.keys"; }

# The Windows Firewall rules the target writes for interface filters
# (examples/windows-asa) are the filters of the interface they name (its
# alias is the one whose route reaches the peer), the profile's default
# action the filter's default; what a filter cannot hold gets a note.
cp "$top_srcdir/examples/windows-asa/"* .
"$TUNC" compile w2022-asa.tun -t powershell -t powershell-keys -o fw >/dev/null 2>&1
"$TUNC" lint fw/dc-win.ps1 >fw.txt 2>&1 || true
! grep -q 'firewall.*\[-Wnot-modelled\]' fw.txt || { cat fw.txt; fail "a note for a firewall rule that is read"; }
"$TUNC" import fw/dc-win.ps1 -o fw.tun
rl=$(grep -n 'New-NetFirewallRule' fw/dc-win.ps1 | cut -d: -f1)
pl=$(grep -n 'Set-NetFirewallProfile' fw/dc-win.ps1 | cut -d: -f1)
grep -A3 'interface "ext"' fw.tun | grep -q 'filter in {' &&
	grep -q "drop any -> 192.0.2.1/32 tcp 3389;  # .*dc-win.ps1:$rl\$" fw.tun &&
	grep -q "default permit;  # .*dc-win.ps1:$pl\$" fw.tun ||
	{ cat fw.tun; fail "the firewall rule is not ext's filter in"; }
# The interfaces as tunc's comment lines describe them (issue 11's round
# trip): the inner one, named otherwise only by Set-NetIPInterface, too.
grep -A1 'interface "int" {  # .*dc-win.ps1:[0-9]*$' fw.tun | grep -q 'address 10.4.0.1/16;' &&
	grep -A2 'interface "ext"' fw.tun | grep -q 'address 192.0.2.1/24;' ||
	{ cat fw.tun; fail "the interfaces of the tunc-iface lines are not read"; }
sed -e "s|^#   tunc-iface int 10.4.0.1/16|#   tunc-iface int 10.4.0.1/99|" fw/dc-win.ps1 >fw/badif.ps1
cp fw/dc-win.keys fw/badif.keys && sed -i 's/dc-win.keys/badif.keys/' fw/badif.ps1
il=$(grep -n '^#   tunc-iface int ' fw/badif.ps1 | cut -d: -f1)
set +e
"$TUNC" import fw/badif.ps1 -o fw/badif.tun >fw.txt 2>&1
rc=$?
set -e
[ $rc -eq 2 ] && grep -q "fw/badif.ps1:$il:20: error: '10.4.0.1/99' is not an address and prefix length" fw.txt &&
	[ ! -e fw/badif.tun ] || { cat fw.txt; fail "a bad tunc-iface address is not a located error"; }
# (int's address is tunc's comment line, after the rule: without it the
# script gives int no address.)
sed -e "s/-InterfaceAlias 'ext' -Protocol/-InterfaceAlias 'int' -Protocol/" \
	-e '/^#   tunc-iface int /d' fw/dc-win.ps1 >fw/int.ps1
sed -e "s/-InterfaceAlias 'ext' -Protocol/-Program 'x.exe' -InterfaceAlias 'ext' -Protocol/" fw/dc-win.ps1 >fw/prog.ps1
cp fw/dc-win.keys fw/int.keys && cp fw/dc-win.keys fw/prog.keys
sed -i 's/dc-win.keys/int.keys/' fw/int.ps1 && sed -i 's/dc-win.keys/prog.keys/' fw/prog.ps1
"$TUNC" lint fw/int.ps1 >fw.txt 2>&1 || true
grep -q "fw/int.ps1:$rl:1: note: a firewall rule on an interface the script gives no address" fw.txt ||
	{ cat fw.txt; fail "no note for a rule on an interface with no address"; }
"$TUNC" lint fw/prog.ps1 >fw.txt 2>&1 || true
grep -q "fw/prog.ps1:$rl:1: note: a firewall rule restricted by -Program" fw.txt ||
	{ cat fw.txt; fail "no note for a rule restricted by -Program"; }

# Set-NetFirewallRule turns a named rule off or changes its action (read,
# not noted); one that names no rule, or changes what it cannot, is noted.
set_rule() {    # NAME ARGS...: fw/NAME.ps1 is dc-win.ps1 and one Set line
	n=$1; shift
	cp fw/dc-win.ps1 "fw/$n.ps1" && cp fw/dc-win.keys "fw/$n.keys"
	sed -i "s/dc-win.keys/$n.keys/" "fw/$n.ps1"
	echo "Set-NetFirewallRule $*" >>"fw/$n.ps1"
	"$TUNC" import "fw/$n.ps1" -o "fw/$n.tun" >/dev/null 2>&1 || fail "import of fw/$n.ps1"
}
set_rule off "-DisplayName 'tunc-dc-win-in-1' -Enabled False"
! grep -q 'tcp 3389' fw/off.tun || { cat fw/off.tun; fail "a rule turned off still filters"; }
set_rule allow "-DisplayName 'tunc-dc-win-in-1' -Action Allow"
sl=$(wc -l <fw/allow.ps1)
grep -q "permit any -> 192.0.2.1/32 tcp 3389;  # .*allow.ps1:$sl\$" fw/allow.tun ||
	{ cat fw/allow.tun; fail "Set-NetFirewallRule -Action Allow is not the rule's action"; }
set_rule other "-DisplayName 'no-such-rule' -Enabled False -RemoteAddress 192.0.2.9"
"$TUNC" lint fw/other.ps1 >fw.txt 2>&1 || true
grep -q "other.ps1:$sl:1: note: Set-NetFirewallRule of 'no-such-rule', which no New-NetFirewallRule" fw.txt &&
	grep -q "other.ps1:$sl:[0-9]*: note: -RemoteAddress of Set-NetFirewallRule" fw.txt &&
	grep -q 'tcp 3389' fw/other.tun || { cat fw.txt; fail "Set-NetFirewallRule of no rule is not noted"; }

# 2. The hand-written pair as written: no error; the not-modelled IPsec
#    line gets a note, unrelated lines none.
printf '$p2 = New-NetIPsecPhase2AuthSet -DisplayName "user auth" -Proposal $psk\n' >>dc-win.ps1
set +e
"$TUNC" lint rtr-hq.cfg dc-win.ps1 >pair.txt 2>&1; rc=$?
set -e
[ $rc -eq 0 ] || { cat pair.txt; fail "the sound pair exited $rc"; }
grep -q 'dc-win.ps1:48:7: note: New-NetIPsecPhase2AuthSet bears on IPsec .*\[-Wnot-modelled\]' pair.txt ||
	{ cat pair.txt; fail "no note for New-NetIPsecPhase2AuthSet"; }
! grep -Eq 'dc-win.ps1:(4|44|45|46):' pair.txt || fail "a note for a line unrelated to IPsec"
grep -q "tunnel Tunnel-DC-to-HQ" pair.txt || fail "the ends were not paired"
! grep -q 'Dc-Win-Shared' pair.txt || fail "lint printed a key"

# 3. Broken variants: the finding at the line at fault.
variant() {     # NAME CODE LOCATION SED-SCRIPT (on dc-win.ps1)
	cp "$d/dc-win.ps1" dc-win.ps1
	sed -i "$4" dc-win.ps1
	set +e
	"$TUNC" lint rtr-hq.cfg dc-win.ps1 >v.txt 2>&1; rc=$?
	set -e
	[ $rc -eq 1 ] || { cat v.txt; fail "$1: lint exited $rc, not 1"; }
	grep -q "$3: error: .*\[-W$2\]" v.txt || { cat v.txt; fail "$1: no $2 error at $3"; }
}
variant mirror selector-mirror 'dc-win.ps1:28:29' "s|= '10.1.0.0/16'|= '10.11.0.0/16'|"
grep -q "rtr-hq.cfg:43:2: note: rtr-hq's selectors" v.txt || fail "mirror: no related location at the ACL"
variant proposal ipsec-mismatch 'dc-win.ps1:14:17' 's/-Encryption AES256 -ESPHash/-Encryption AES128 -ESPHash/'
variant pfs-one-side ipsec-mismatch 'dc-win.ps1:16:58' 's/-PerfectForwardSecrecyGroup DH14/-PerfectForwardSecrecyGroup None/'
variant psk psk-mismatch 'dc-win.ps1:18:57' 's/Key-2019"/Key-2020"/'
variant ike-version ike-mismatch 'dc-win.ps1:10:10' "s/'IKEv2'/'IKEv1'/"
# The import of the PSK variant: a .tun whose lint finds the same error,
# keys in 0600 files beside it, never in it.
mkdir imp
"$TUNC" import rtr-hq.cfg dc-win.ps1 -o imp/pair.tun
! grep -q 'Dc-Win-Shared' imp/pair.tun || fail "a key in the imported .tun"
grep -q 'local 10.4.0.0/16;  # dc-win.ps1:27' imp/pair.tun || fail "no origin comment for the splatted -LocalAddress"
set +e
"$TUNC" lint imp/pair.tun >imp.txt 2>&1
set -e
[ "$(findings v.txt)" = "$(findings imp.txt)" ] || { cat imp.txt; fail "the imported .tun lints differently"; }

# Microsoft's tunnel example (no main-mode rule): Windows' default main
# mode, with a note at the rule that relies on it.
cat >ms.ps1 <<'END'
$qMProposal = New-NetIPsecQuickModeCryptoProposal -Encapsulation ESP -ESPHash SHA1 -Encryption DES3
$qMCryptoSet = New-NetIPsecQuickModeCryptoSet -DisplayName "esp:sha1-des3" -Proposal $qMProposal
$p1 = New-NetIPsecPhase1AuthSet -DisplayName "psk" -Proposal (New-NetIPsecAuthProposal -Machine -PreSharedKey 'Ms-Example-Key')
New-NetIPSecRule -DisplayName "Tunnel from HQ to Dallas Branch" -Mode Tunnel -LocalAddress 192.168.0.0/16 -RemoteAddress 192.157.0.0/16 -LocalTunnelEndpoint 1.1.1.1 -RemoteTunnelEndpoint 2.2.2.2 -InboundSecurity Require -OutboundSecurity Require -QuickModeCryptoSet $qMCryptoSet.Name -Phase1AuthSet $p1.Name
route -p add 192.157.0.0 mask 255.255.0.0 1.1.1.254
New-NetRoute -DestinationPrefix 0.0.0.0/0 -InterfaceAlias "Ethernet" -NextHop 1.1.1.254
END
"$TUNC" lint ms.ps1 >ms.txt 2>&1 || true
grep -q "ms.ps1:4:1: note: no main-mode crypto set applies to this tunnel rule: Windows' default" ms.txt ||
	{ cat ms.txt; fail "no note for Windows' default main mode"; }
"$TUNC" import ms.ps1 -o imp/ms.tun
grep -q 'encryption aes128, 3des;  # ms.ps1:4' imp/ms.tun || { cat imp/ms.tun; fail "the default main mode is not imported"; }
grep -q 'route 192.157.0.0/16 via 1.1.1.254;  # ms.ps1:5' imp/ms.tun || fail "route -p add is not read"
grep -q 'route 0.0.0.0/0 via 1.1.1.254;  # ms.ps1:6' imp/ms.tun || fail "New-NetRoute is not read"

# 4. Bad input: exit 2, located, nothing written.
bad() {         # NAME FILE EXPECTED-REGEX [--from FORMAT]
	name=$1 file=$2 want=$3
	shift 3
	set +e
	"$TUNC" import "$@" "$file" -o bad.tun >bad.txt 2>&1; rc=$?
	set -e
	[ $rc -eq 2 ] || { cat bad.txt; fail "$name: exit $rc, not 2"; }
	grep -Eq "$want" bad.txt || { cat bad.txt; fail "$name: not $want"; }
	[ ! -e bad.tun ] || fail "$name: output written"
}
printf 'New-NetIPsecRule -DisplayName x -Mode Tunnel `\n' >trunc.ps1
bad truncated trunc.ps1 'trunc.ps1:1:46: error: the statement continues past the end of the file'
printf 'New-NetIPsecRule -DisplayName x -Mode Tunnel ` \n    -LocalTunnelEndpoint 192.0.2.1\n' >blank.ps1
bad blank-after-backtick blank.ps1 'blank.ps1:2:5: error: a statement cannot start with -LocalTunnelEndpoint'
printf '$mm = New-NetIPsecMainModeCryptoProposal -Encryption AES512 -Hash SHA1 -KeyExchange DH14\n' >enc.ps1
bad encryption enc.ps1 "enc.ps1:1:54: error: unknown value 'AES512' for -Encryption"
printf 'New-NetIPsecRule -DisplayName x -Mode Tunnel -KeyModule IKEv3 -LocalTunnelEndpoint 192.0.2.1 -RemoteTunnelEndpoint 192.0.2.2\n' >km.ps1
bad key-module km.ps1 "km.ps1:1:57: error: unknown value 'IKEv3' for -KeyModule"
printf "New-NetIPsecRule -DisplayName 'x -Mode Tunnel\n" >quote.ps1
bad quote quote.ps1 'quote.ps1:1:31: error: the string is not closed'
printf 'New-NetIPsecRule -DisplayName x -Mode Tunnel -LocalTunnelEndpoint 192.0.2.1 -RemoteTunnelEndpoint 192.0.2.2 -QuickModeCryptoSet nosuch\n' >undef.ps1
bad undefined-set undef.ps1 'undef.ps1:1:129: error: -QuickModeCryptoSet names no set'
printf '$s = New-NetIPsecQuickModeCryptoSet -DisplayName q -Proposal $nope\n' >novar.ps1
bad unset-variable novar.ps1 'novar.ps1:1:62: error: \$nope is not set before'
printf 'New-NetIPsecRule -DisplayName x\0\001\002' >bin.ps1
bad binary bin.ps1 'bin.ps1:1:32: error: NUL byte'
mkfifo fifo.ps1
bad fifo fifo.ps1 "cannot read 'fifo.ps1': it is a FIFO"
# An entry of a hash table that is not KEY = VALUE and ends in a bracket
# (found by fuzz_import_powershell: the reader looped on the ')').
printf '$h = @{\n  $x = @(1)\n}\nNew-NetIPsecRule -DisplayName x\n' >hash.ps1
set +e
timeout 20 "$TUNC" lint hash.ps1 >hash.txt 2>&1; rc=$?
set -e
[ $rc -le 1 ] || { cat hash.txt; fail "a hash table entry with a bracket: exit $rc"; }
# --from powershell reads a script with no NetIPsec cmdlet in it.
printf 'New-NetRoute -DestinationPrefix 10.9.0.0/16 -InterfaceAlias e -NextHop 10.9.9\n' >route.txt
bad from-powershell route.txt "route.txt:1:72: error: '10.9.9' is not an address" --from powershell
bad no-format route.txt 'route.txt:1:1: error: .*no configuration format'
echo "import-powershell: ok"
