#!/bin/sh
# Windows Server 2012 and later are written as PowerShell (GW.ps1, the
# NetSecurity cmdlets) with the keys in GW.keys beside it: an IOS-to-
# Windows-2022 tunnel with IKEv2 gives a rule with `-KeyModule IKEv2`, the
# key never appears in the script, and the key file is 0600.  The same
# tunnel with a Windows 2008 R2 end (netsh advfirewall: IKEv1/AuthIP only)
# is a lint error naming the platform.
. "$top_srcdir/tests/lib.sh"
[ -x "$TUNC" ] || skip "tunc is not built"
cd "$TMP"
TUNC_TEST_PSK=Ps-test-key-5550123; export TUNC_TEST_PSK
write() {
	cat > "$1" <<EOT
ike v$2 { version $2; encryption aes256; integrity sha256; group 14; lifetime 8h; }
ipsec p2 { encryption aes256; integrity sha256; pfs 14; lifetime 1h; }
site hq {
	subnet 10.1.0.0/16;
	gateway hq-rtr {
		platform ios 15.4;
		interface GigabitEthernet0/0 { address 198.51.100.1/30; outside; }
		interface GigabitEthernet0/1 { address 10.1.0.1/16; }
		route default via 198.51.100.2;
	}
}
site dc {
	subnet 10.4.0.0/16;
	gateway dc-win {
		platform windows $3;
		interface ext { address 192.0.2.1/24; outside; }
		interface int { address 10.4.0.1/16; }
		route default via 192.0.2.254;
	}
}
tunnel hq-dc { between hq-rtr and dc-win; ike v$2; ipsec p2; psk env "TUNC_TEST_PSK"; }
expect 10.1.0.5 -> 10.4.0.5 icmp protected by hq-dc;
EOT
}

write w2022.tun 2 2022
"$TUNC" lint w2022.tun >lint.out 2>&1 || { cat lint.out; fail "IKEv2 to Windows 2022 does not lint clean"; }
"$TUNC" test w2022.tun >test.out 2>&1 || { cat test.out; fail "tunc test fails for IKEv2 to Windows 2022"; }
"$TUNC" compile w2022.tun -o out >/dev/null 2>&1 || fail "IKEv2 to Windows 2022 does not compile"
[ -f out/dc-win.ps1 ] || fail "no dc-win.ps1 written"
[ ! -e out/dc-win.netsh.cmd ] || fail "Windows 2022 still written as netsh"
grep -q '^New-NetIPsecRule .*-Mode Tunnel .*-LocalTunnelEndpoint 192.0.2.1 -RemoteTunnelEndpoint 198.51.100.1 .*-KeyModule IKEv2' out/dc-win.ps1 ||
	{ cat out/dc-win.ps1; fail "the tunnel rule does not use -KeyModule IKEv2"; }
grep -q -- '-PerfectForwardSecrecyGroup DH14' out/dc-win.ps1 || fail "no PFS group in the quick-mode set"
grep -q "PreSharedKey \$tuncKeys\['hq-dc'\]" out/dc-win.ps1 || fail "the auth proposal does not take the key from the key file"
! grep -q "$TUNC_TEST_PSK" out/dc-win.ps1 || fail "the key is written in the script"
[ "$(stat -c %a out/dc-win.keys)" = 600 ] || fail "dc-win.keys is not mode 0600"
[ "$(cat out/dc-win.keys)" = "hq-dc $TUNC_TEST_PSK" ] || fail "dc-win.keys does not hold 'hq-dc KEY'"

# IKEv1 on the same platform: the rule says so.
write w2022v1.tun 1 2022
"$TUNC" compile w2022v1.tun -o out1 >/dev/null 2>&1 || fail "IKEv1 to Windows 2022 does not compile"
grep -q -- '-KeyModule IKEv1' out1/dc-win.ps1 || fail "an IKEv1 tunnel rule does not say -KeyModule IKEv1"

# Windows 2008 R2 keeps netsh advfirewall, which has no IKEv2.
write w2008.tun 2 2008r2
rc=0
NO_COLOR=1 "$TUNC" lint w2008.tun >lint8.out 2>&1 || rc=$?
[ "$rc" = 1 ] || { cat lint8.out; fail "IKEv2 to Windows 2008 R2: lint exit $rc, want 1"; }
grep -q 'error: dc-win (Windows Server 2008) in tunnel hq-dc cannot run IKEv2.*\[-Wplatform-unsupported\]' lint8.out ||
	{ cat lint8.out; fail "no platform-unsupported error naming Windows Server 2008"; }
write w2008v1.tun 1 2008r2
"$TUNC" compile w2008v1.tun -o out8 >/dev/null 2>&1 || fail "IKEv1 to Windows 2008 R2 does not compile"
[ -f out8/dc-win.netsh.cmd ] || fail "Windows 2008 R2 is not written as netsh"
echo "PASS: powershell target and the Windows 2008 IKEv2 refusal"
