#!/bin/sh
# What is emitted works on the device, and what the engine says is what
# the device does (issue 10): one check per defect, each of which failed
# before the fix.
#   - IKEv2 toward Windows 2008+ (netsh consec rules: IKEv1/AuthIP only) is
#     a lint error naming the platform, and the engine refuses the exchange;
#     with IKEv1 the script turns routing on and checks every command.
#   - NAT-T registry value on a Windows end whose peer is behind NAT.
#   - Filters reach IOS (ACL + ip access-group), PIX (access-group), Windows
#     (RRAS filters, one action per list) and Linux (nftables).
#   - IOS routes keep the interface written with `dev`; the IKEv2 lifetime
#     reaches the profile; ISAKMP policies are numbered strongest first;
#     --base offsets the numbers; each uplink's overload has a route-map.
#   - A TCP expectation is a round trip: a SYN-ACK that cannot come back
#     makes it `dropped`; UDP is one way unless `reply` is written.
#   - `--pcap DIR` creates DIR (and its parents) when missing.
. "$top_srcdir/tests/lib.sh"
TUNC_TEST_PSK=Env-supplied-key-9876543210; export TUNC_TEST_PSK
status=0
check() {       # check DESCRIPTION COMMAND...: report and remember a failure
	what=$1; shift
	if "$@"; then echo "ok   $what"; else echo "FAIL $what"; status=1; fi
}
has() { grep -q -e "$2" "$1"; }
hasnt() { ! grep -q -e "$2" "$1"; }

# ---- Windows 2008 R2 (netsh) with IKEv2, then IKEv1 -----------------------------------
win_tun() {     # win_tun VERSION BEHIND_NAT_LINE
	cat <<EOT
ike p1 { version $1; encryption aes256; integrity sha256; group 14; lifetime 8h; }
ipsec p2 { encryption aes256; integrity sha256; pfs 14; lifetime 1h; }
site a {
	subnet 10.1.0.0/16;
	host pc 10.1.0.10;
	gateway win {
		platform windows 2008r2;
		interface ext { address 198.51.100.1/24; outside; }
		interface int { address 10.1.0.1/16; }
		route default via 198.51.100.254;
	}
}
peer far {
	address 203.0.113.1;
	subnet 10.2.0.0/16;
	platform ios 15.4;
	$2
}
tunnel t {
	between win and far;
	ike p1;
	ipsec p2;
	psk env "TUNC_TEST_PSK";
}
EOT
}
win_tun 2 "" >"$TMP/v2.tun"
rc=0; "$TUNC" lint "$TMP/v2.tun" >"$TMP/v2.lint" 2>&1 || rc=$?
check "IKEv2 on Windows Server 2008 R2 (netsh) is a lint error naming the platform" \
	sh -c "[ $rc = 1 ] && grep -q 'error: win (Windows Server 2008) in tunnel t cannot run IKEv2.*platform-unsupported' '$TMP/v2.lint'"
"$TUNC" run "$TMP/v2.tun" --send 'pc -> 10.2.0.10 icmp' >"$TMP/v2.run" 2>&1 || true
check "the engine does not accept an IKEv2 exchange with a Windows netsh end" \
	has "$TMP/v2.run" 'verdict: dropped at win/IKE'
rc=0; "$TUNC" compile --force "$TMP/v2.tun" -o "$TMP/v2" >/dev/null 2>&1 || rc=$?
check "compile refuses IKEv2 on the netsh target even with --force" sh -c "[ $rc = 1 ]"

win_tun 1 "behind-nat;" >"$TMP/v1.tun"
"$TUNC" compile "$TMP/v1.tun" -o "$TMP/v1" >/dev/null 2>&1 || fail "IKEv1 toward Windows 2008 R2 does not compile"
cmd="$TMP/v1/win.netsh.cmd"
check "the Windows script turns IP routing on (IPEnableRouter)" \
	has "$cmd" 'reg add "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters" /v IPEnableRouter /t REG_DWORD /d 1 /f'
check "Windows 2008+ forwards at once on each interface" \
	has "$cmd" 'netsh interface ipv4 set interface "ext" forwarding=enabled'
check "a peer behind NAT gets AssumeUDPEncapsulationContextOnSendRule=1 (PolicyAgent)" \
	has "$cmd" 'Services\\PolicyAgent" /v AssumeUDPEncapsulationContextOnSendRule /t REG_DWORD /d 1 '
# Every command but the cleanup (>nul 2>&1) and the echo/exit lines is
# followed by its errorlevel check.
tr -d '\r' <"$cmd" | awk '
	prev != "" && $0 != "if errorlevel 1 goto tunc_failed" { print "unchecked: " prev; bad = 1 }
	{ prev = "" }
	/^(netsh|reg|if errorlevel 1 route)/ && !/>nul 2>&1$/ { prev = $0 }
	END { if (prev != "") { print "unchecked: " prev; bad = 1 }; exit bad }' >"$TMP/unchecked" || true
check "every command of the Windows script is checked with errorlevel" sh -c "[ ! -s '$TMP/unchecked' ]"
check "routes are added only when absent" \
	has "$cmd" '^route print 0.0.0.0 | findstr /r /c:"^ \*0.0.0.0  \*0.0.0.0  \*198.51.100.254 " >nul'
check "the script ends with its failure label" has "$cmd" '^:tunc_failed'

# ---- the filters fixture ----------------------------------------------------
fx="$top_srcdir/tests/emit/filters.tun"
(cd "$(dirname "$fx")" && "$TUNC" compile filters.tun -o "$TMP/f") >/dev/null 2>&1 ||
	fail "tests/emit/filters.tun does not compile"
ios="$TMP/f/hq-rtr.ios.cfg"; pix="$TMP/f/br-pix.pix.cfg"
win="$TMP/f/dc-win.netsh.cmd"; lnx="$TMP/f/lab-a.xfrm.sh"
check "IOS: a route with dev keeps its interface" has "$ios" '^ip route 0.0.0.0 0.0.0.0 Dialer1 100.64.0.1$'
check "IOS: a route without dev names its next hop only" has "$ios" '^ip route 198.18.0.0 255.254.0.0 192.0.2.1$'
check "IOS: filter in with default drop becomes an ACL ending in deny" \
	sh -c "sed -n '/^ip access-list extended tunc-filter-Dialer1-in/,/^!/p' '$ios' | grep -q '^ deny ip any any'"
check "IOS: the ACL is bound with ip access-group ... in" \
	sh -c "sed -n '/^interface Dialer1/,/^!/p' '$ios' | grep -q '^ ip access-group tunc-filter-Dialer1-in in'"
check "IOS: filter out bound with ip access-group ... out" \
	sh -c "sed -n '/^interface GigabitEthernet0\/2/,/^!/p' '$ios' | grep -q '^ ip access-group tunc-filter-GigabitEthernet0_2-out out'"
check "IOS: the strongest ISAKMP policy is numbered first (aes 128 ahead of 3des)" \
	sh -c "sed -n '/^crypto isakmp policy 10$/,/^ lifetime/p' '$ios' | grep -q '^ encryption aes 128'"
check "IOS: each uplink's overload has a route-map matching its interface" \
	sh -c "grep -q '^ match interface Dialer1' '$ios' && grep -q '^ match interface GigabitEthernet0/2' '$ios' &&
	       grep -q '^ip nat inside source route-map tunc-nat-2 interface GigabitEthernet0/2 overload' '$ios' &&
	       ! grep -q '^ip nat inside source list' '$ios'"
check "PIX: filter in as an access-list bound with access-group" \
	sh -c "grep -q '^access-list tunc-filter-outside-in deny ip any any' '$pix' &&
	       grep -q '^access-group tunc-filter-outside-in in interface outside' '$pix'"
check "Windows: RRAS input filter, drop all except the listed" \
	sh -c "tr -d '\r' <'$win' | grep -q '^netsh routing ip set filter name=\"External\" filtertype=input action=drop$'"
check "Windows: RRAS output filter, receive all except the listed drop" \
	sh -c "tr -d '\r' <'$win' | grep -q '^netsh routing ip add filter name=\"External\" filtertype=output srcaddr=10.3.0.0 srcmask=255.255.0.0 dstaddr=0.0.0.0 dstmask=0.0.0.0 proto=tcp srcport=0 dstport=445$' &&
	       tr -d '\r' <'$win' | grep -q 'filtertype=output action=forward$'"
check "Windows 2003: a peer behind NAT gets the NAT-T value under the IPSec service" \
	has "$win" 'Services\\IPSec" /v AssumeUDPEncapsulationContextOnSendRule /t REG_DWORD /d 1 '
check "Linux: the filters as an nftables table" \
	sh -c "grep -q '^table inet tunc_filter_lab_a {' '$lnx' && grep -q 'iifname \"eth0\" jump in_eth0' '$lnx'"
(cd "$(dirname "$fx")" && "$TUNC" test filters.tun) >"$TMP/f.test" 2>&1 ||
	{ cat "$TMP/f.test"; fail "the filters fixture's expectations fail"; }

# ---- --base ---------------------------------------------------------------
(cd "$(dirname "$fx")" && "$TUNC" compile --base 1000 -t ios -t pix filters.tun -o "$TMP/b") >/dev/null 2>&1 ||
	fail "compile --base 1000 failed"
check "--base 1000 offsets ISAKMP policies and map entries (IOS)" \
	sh -c "grep -q '^crypto isakmp policy 1010$' '$TMP/b/hq-rtr.ios.cfg' && grep -q '^crypto map tunc-Dialer1 1010 ipsec-isakmp$' '$TMP/b/hq-rtr.ios.cfg' &&
	       ! grep -q '^crypto isakmp policy 10$' '$TMP/b/hq-rtr.ios.cfg'"
check "--base 1000 offsets ISAKMP policies and map entries (PIX)" \
	sh -c "grep -q '^isakmp policy 1010 encryption' '$TMP/b/br-pix.pix.cfg' && grep -q '^crypto map tunc-outside 1010 ipsec-isakmp$' '$TMP/b/br-pix.pix.cfg'"
rc=0; "$TUNC" compile --base 99999 "$fx" -o "$TMP/bad" >/dev/null 2>"$TMP/bad.err" || rc=$?
check "--base out of range is a usage error (exit 2)" sh -c "[ $rc = 2 ] && [ ! -d '$TMP/bad' ]"

# ---- ASA (issue 12): --base and IKEv1 policies strongest first -------------
cat >"$TMP/asa.tun" <<'EOT'
ike old { version 1; encryption 3des, aes256; integrity sha1; group 14; lifetime 8h; }
ike v2 { version 2; encryption aes256; integrity sha256; group 14; lifetime 8h; }
ipsec p2 { encryption aes256; integrity sha1; pfs 14; lifetime 1h; }
site a {
	subnet 10.1.0.0/16;
	gateway fw {
		platform asa 9.16;
		interface outside { address 198.51.100.1/24; outside; }
		interface inside { address 10.1.0.1/16; }
		route default via 198.51.100.254;
	}
}
peer p1 { address 203.0.113.5; subnet 10.9.0.0/16; }
peer p2 { address 203.0.113.6; subnet 10.8.0.0/16; }
tunnel t1 { between fw and p1; ike old; ipsec p2; psk env "TUNC_TEST_PSK"; }
tunnel t2 { between fw and p2; ike v2; ipsec p2; psk env "TUNC_TEST_PSK"; }
EOT
(cd "$TMP" && "$TUNC" compile --base 1000 -t asa asa.tun -o "$TMP/asa") >/dev/null 2>&1 ||
	fail "compile --base 1000 -t asa failed"
asa=$TMP/asa/fw.asa.cfg
check "ASA: the strongest IKEv1 policy is numbered first (aes-256 ahead of 3des)" \
	sh -c "sed -n '/^crypto ikev1 policy 1010$/,/^ lifetime/p' '$asa' | grep -q '^ encryption aes-256' &&
	       sed -n '/^crypto ikev1 policy 1020$/,/^ lifetime/p' '$asa' | grep -q '^ encryption 3des'"
check "--base 1000 offsets IKEv1 and IKEv2 policies and map entries (ASA)" \
	sh -c "grep -q '^crypto ikev2 policy 1030$' '$asa' && grep -q '^crypto map tunc-outside 1010 match address' '$asa' &&
	       grep -q '^crypto map tunc-outside 1020 match address' '$asa' && ! grep -q '^crypto map tunc-outside 10 ' '$asa'"

# An ASA's access-group is for traffic through the box: its own IKE and
# ESP pass an outside filter that drops everything else (platform row
# filters_skip_own); traffic through the box is still filtered.
sed -e 's|interface outside { address 198.51.100.1/24; outside; }|interface outside { address 198.51.100.1/24; outside; filter in { permit any -> 10.1.0.0/16 tcp 443; default drop; } }|' \
	-e 's|interface inside { address 10.1.0.1/16; }|interface inside { address 10.1.0.1/16; filter in { drop any -> 192.0.2.53; default permit; } }|' \
	"$TMP/asa.tun" >"$TMP/asa-acl.tun"
grep -q 'default drop' "$TMP/asa-acl.tun" || fail "the ASA filter fixture was not written"
(cd "$TMP" && "$TUNC" lint asa-acl.tun) >"$TMP/asa-acl.lint" 2>&1 || true
check "ASA: an outside filter does not block the ASA's own IKE and ESP (no ike-blocked)" \
	hasnt "$TMP/asa-acl.lint" 'ike-blocked'
# The asa target writes access-lists with access-group, so the platform row
# has the ACL form: lint does not call the filters unsupported.
check "ASA: filters are supported (no filter-unsupported)" \
	hasnt "$TMP/asa-acl.lint" 'filter-unsupported'
(cd "$TMP" && "$TUNC" compile -t asa asa-acl.tun -o "$TMP/asa-acl") >/dev/null 2>&1 ||
	fail "the ASA filter fixture does not compile"
check "ASA: each filter is an access-list bound with access-group" \
	sh -c "grep -q '^access-group tunc-filter-outside-in in interface outside$' '$TMP/asa-acl/fw.asa.cfg' &&
	       grep -q '^access-list tunc-filter-outside-in extended deny ip any any$' '$TMP/asa-acl/fw.asa.cfg' &&
	       grep -q '^access-group tunc-filter-inside-in in interface inside$' '$TMP/asa-acl/fw.asa.cfg'"
(cd "$TMP" && "$TUNC" run asa-acl.tun --send '10.1.0.10 -> 10.9.0.10' --send '10.1.0.10 -> 10.8.0.10' \
	--send '10.1.0.10 -> 192.0.2.53 udp 53') >"$TMP/asa-acl.run" 2>&1 || true
check "ASA: the engine brings both tunnels up through the filter, the to-the-box ACL is not checked" \
	sh -c "[ \$(grep -c '^round trip: protected by t[12]$' '$TMP/asa-acl.run') = 2 ] &&
	       grep -q 'not checked (to-the-box traffic' '$TMP/asa-acl.run'"
check "ASA: traffic through the box is still filtered" \
	has "$TMP/asa-acl.run" 'verdict: dropped at fw/FILTER: filter in on inside drops it (rule)'

# ---- IKEv2 lifetime in the IOS profile --------------------------------------
tour="$top_srcdir/examples/language-tour.tun"
(cd "$top_srcdir/examples" && "$TUNC" compile -t ios language-tour.tun -o "$TMP/t") >/dev/null 2>&1 ||
	fail "the language tour does not compile"
check "IOS: the IKEv2 lifetime (8h) is in the profile" \
	sh -c "sed -n '/^crypto ikev2 profile tunc-hq-partner/,/^!/p' '$TMP/t/rtr-hq.ios.cfg' | grep -q '^ lifetime 28800$'"

# ---- --pcap into a directory that does not exist yet ----------------------
(cd "$top_srcdir/examples/seed003-ios-hq-branch" &&
	"$TUNC" run hq-branch.tun --send 'pc1 -> 192.168.2.10 icmp' --pcap "$TMP/new/pcaps") >/dev/null 2>&1 || true
check "--pcap DIR creates DIR and its parents" sh -c "ls '$TMP/new/pcaps/'*.pcap >/dev/null 2>&1"
: >"$TMP/plainfile"
rc=0; (cd "$top_srcdir/examples/seed003-ios-hq-branch" &&
	"$TUNC" run hq-branch.tun --send 'pc1 -> 192.168.2.10 icmp' --pcap "$TMP/plainfile/x") >/dev/null 2>"$TMP/pcap.err" || rc=$?
check "--pcap under a file is an error (exit 2) naming the path" \
	sh -c "[ $rc = 2 ] && grep -q 'cannot create .*plainfile/x: Not a directory' '$TMP/pcap.err'"

# ---- TCP round trip ---------------------------------------------------------
# lab-b's inside filter lets out only web's answers to high ports (as a
# stateless filter passes return traffic): a connection to web comes back,
# one to srv2 gets out, but its SYN-ACK is dropped on the way back.  (Linux
# ends: the engine filters what enters eth1 before the SPD there.)
cat >"$TMP/rt.tun" <<'EOT'
ike p1 { version 1; encryption aes256; integrity sha256; group 14; lifetime 8h; }
ipsec p2 { encryption aes256; integrity sha256; pfs 14; lifetime 1h; }
site a {
	subnet 10.4.0.0/16;
	host probe 10.4.0.10;
	gateway lab-a {
		platform linux 6;
		interface eth0 { address 203.0.113.130/30; outside; }
		interface eth1 { address 10.4.0.1/16; }
		route default via 203.0.113.129;
	}
}
site b {
	subnet 10.5.0.0/16;
	host web 10.5.0.10;
	host srv2 10.5.0.20;
	gateway lab-b {
		platform linux 6;
		interface eth0 { address 203.0.113.134/30; outside; }
		interface eth1 {
			address 10.5.0.1/16;
			filter in {
				permit 10.5.0.10 -> 10.4.0.0/16 tcp 49152-65535;
				permit 10.5.0.10 -> 10.4.0.0/16 udp 49152-65535;
				default drop;
			}
		}
		route default via 203.0.113.133;
	}
}
tunnel ab {
	between lab-a and lab-b;
	ike p1;
	ipsec p2;
	psk env "TUNC_TEST_PSK";
}
expect probe -> web tcp 80 protected by ab;
expect probe -> srv2 tcp 80 dropped;
expect probe -> srv2 udp 53 protected by ab;
expect probe -> web udp 53 reply protected by ab;
expect probe -> srv2 udp 53 reply dropped;
EOT
rc=0; "$TUNC" test "$TMP/rt.tun" >"$TMP/rt.out" 2>&1 || rc=$?
check "TCP: the SYN-ACK returns through the tunnel (round trip protected)" \
	has "$TMP/rt.out" 'pass: expect probe -> web tcp 80 protected by ab'
check "TCP: a SYN-ACK that cannot come back makes the expectation dropped" \
	sh -c "grep -q 'pass: expect probe -> srv2 tcp 80 dropped' '$TMP/rt.out' && [ $rc = 0 ]"
check "UDP stays one-way" has "$TMP/rt.out" 'pass: expect probe -> srv2 udp 53 protected by ab'
check "UDP with reply: the answer comes back" has "$TMP/rt.out" 'pass: expect probe -> web udp 53 reply protected by ab'
check "UDP with reply: an answer that cannot come back makes it dropped" \
	has "$TMP/rt.out" 'pass: expect probe -> srv2 udp 53 reply dropped'
# engine.xml keeps `reply`: the loaded topology gives the same verdicts.
"$TUNC" compile --force -t engine "$TMP/rt.tun" -o "$TMP/rtx" >/dev/null 2>&1 || fail "rt.tun: no engine.xml"
check "engine.xml carries reply=\"true\"" has "$TMP/rtx/engine.xml" 'reply="true"'
"$TUNC" run "$TMP/rtx/engine.xml" >"$TMP/rtx.out" 2>&1 || true
check "engine.xml: TCP and UDP-with-reply expectations are round trips when loaded" \
	sh -c "[ \$(grep -c '^round trip:' '$TMP/rtx.out') = 4 ] && grep -q '^reply: 10.5.0.10 -> 10.4.0.10 udp 49153 (reply)' '$TMP/rtx.out'"
sed 's/^expect probe -> web tcp 80 protected by ab;$/expect probe -> web tcp 80 reply protected by ab;/' \
	"$TMP/rt.tun" >"$TMP/rt-bad.tun"
rc=0; "$TUNC" lint "$TMP/rt-bad.tun" >"$TMP/rt-bad.out" 2>&1 || rc=$?
check "reply on TCP is an error with its location (exit 2)" \
	sh -c "[ $rc = 2 ] && grep -q 'rt-bad.tun:[0-9]*:[0-9]*: error: .reply. applies to UDP only' '$TMP/rt-bad.out'"
exit $status
