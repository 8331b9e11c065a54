#!/bin/sh
# Interface filters of a Windows Server 2012+ gateway are Windows Firewall
# rules (New-NetFirewallRule), and lint, the engine and the script agree on
# what they do:
#  - the rules have no order: a matching drop rule wins over a permit rule
#    ahead of it ([MS-FASP] 2.2.34); the engine decides so on this platform,
#    and lint refuses a filter whose order would matter (filter-unsupported),
#    which compile refuses too;
#  - the default is the firewall profile's, one per direction for the whole
#    server: `default drop` with an interface that has no filter is refused;
#  - the firewall filters traffic to and from the server, not what it routes:
#    the engine lets routed traffic past the filter, and lint's probes agree.
. "$top_srcdir/tests/lib.sh"
[ -x "$TUNC" ] || skip "tunc is not built"
cd "$TMP"
TUNC_TEST_PSK=Ps-test-key-5550123-long; export TUNC_TEST_PSK
write() {
	cat > "$1" <<EOT
ike v2 { version 2; encryption aes256; integrity sha256; group 14; lifetime 8h; }
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
		platform windows ${3:-2022};
		interface ext { address 192.0.2.1/24; outside;
			filter in { $2 } }
		interface int { address 10.4.0.1/16; }
		route default via 192.0.2.254;
	}
}
tunnel hq-dc { between hq-rtr and dc-win; ike v2; ipsec p2; psk env "TUNC_TEST_PSK"; }
EOT
}

# A filter whose order does not matter: written rule for rule.
write ok.tun 'drop any -> 192.0.2.1 tcp 23; permit 10.1.0.0/16 -> 192.0.2.1 tcp 3389-3390; default permit;'
rc=0; "$TUNC" lint ok.tun >lint.out 2>&1 || rc=$?
[ "$rc" -le 1 ] && ! grep -q 'error:' lint.out || { cat lint.out; fail "an order-free filter does not lint clean"; }
"$TUNC" compile ok.tun -o out >compile.out 2>&1 || { cat compile.out; fail "an order-free filter does not compile"; }
grep -q "^New-NetFirewallRule -DisplayName 'tunc-dc-win-in-1' -Group 'tunc' -Direction Inbound -Action Block -InterfaceAlias 'ext' -Protocol TCP -LocalAddress '192.0.2.1' -LocalPort 23 | Out-Null" out/dc-win.ps1 ||
	{ cat out/dc-win.ps1; fail "no Block rule for the drop rule"; }
grep -q "^New-NetFirewallRule -DisplayName 'tunc-dc-win-in-2' -Group 'tunc' -Direction Inbound -Action Allow -InterfaceAlias 'ext' -Protocol TCP -RemoteAddress '10.1.0.0/16' -LocalAddress '192.0.2.1' -LocalPort 3389-3390 | Out-Null" out/dc-win.ps1 ||
	{ cat out/dc-win.ps1; fail "no Allow rule with the port range"; }
grep -q "^Set-NetFirewallProfile -Profile Domain,Private,Public -Enabled True -DefaultInboundAction Allow" out/dc-win.ps1 ||
	fail "the default is not the profile's"
grep -q "^Get-NetFirewallRule -Group 'tunc' .*| Remove-NetFirewallRule" out/dc-win.ps1 ||
	fail "a second run would add the rules again"
! grep -q 'filter-unsupported' compile.out || fail "compile still refuses the filter"

# Order matters: permit ahead of an overlapping drop.  Windows drops
# (block wins), so does the engine; lint and compile refuse the filter.
write order.tun 'permit 10.1.0.0/16 -> any; drop any -> any tcp 22; default permit;'
rc=0; NO_COLOR=1 "$TUNC" lint order.tun >lint2.out 2>&1 || rc=$?
[ "$rc" = 1 ] || { cat lint2.out; fail "order-dependent filter: lint exit $rc, want 1"; }
grep -q 'order.tun:17:.*error: .*block rule wins over an allow rule.*\[-Wfilter-unsupported\]' lint2.out ||
	{ cat lint2.out; fail "no filter-unsupported error on the drop rule"; }
rc=0; "$TUNC" compile order.tun -o out2 >compile2.out 2>&1 || rc=$?
[ "$rc" != 0 ] || fail "compile writes an order-dependent filter"
"$TUNC" run order.tun --send '10.1.0.5 -> 192.0.2.1 tcp 22' >run.out 2>&1 || true
grep -q 'dc-win *FILTER *DROP filter in on ext drops it (rule)  (order.tun:17:' run.out ||
	{ cat run.out; fail "the engine does not let the drop rule win on Windows 2022"; }
# The same filter on 2008 R2 (RRAS filters, first match is not the
# question there): the engine takes the first matching rule.
write order8.tun 'permit 10.1.0.0/16 -> any; drop any -> any tcp 22; default permit;' 2008r2
sed -i 's/version 2;/version 1;/' order8.tun
"$TUNC" run order8.tun --send '10.1.0.5 -> 192.0.2.1 tcp 22' >run8.out 2>&1 || true
grep -q 'dc-win *FILTER *permit (rule, filter in on ext)' run8.out ||
	{ cat run8.out; fail "the engine does not take the first match on Windows 2008 R2"; }

# One default per direction for the whole server.
write dflt.tun 'permit any -> 192.0.2.1 tcp 3389; default drop;'
rc=0; NO_COLOR=1 "$TUNC" lint dflt.tun >lint3.out 2>&1 || rc=$?
grep -q "error: .*one default action for inbound traffic.*would close int too.*\[-Wfilter-unsupported\]" lint3.out ||
	{ cat lint3.out; fail "default drop with an unfiltered interface is not refused"; }

# Routed traffic: Windows Firewall does not see it, nor does the engine.
write routed.tun 'drop any -> 10.4.0.0/16 tcp 22; default permit;'
"$TUNC" run routed.tun --send '10.1.0.5 -> 10.4.0.5 tcp 22' >run3.out 2>&1 || true
grep -q 'dc-win *FILTER *not checked (routed traffic' run3.out && grep -q '10.4.0.5 *DELIVER' run3.out ||
	{ cat run3.out; fail "the engine filters routed traffic on Windows 2022"; }
"$TUNC" run routed.tun --send '10.1.0.5 -> 192.0.2.1 tcp 22' >run4.out 2>&1 || true
grep -q 'dc-win *FILTER *permit (default, filter in on ext)' run4.out ||
	{ cat run4.out; fail "traffic to the server is not filtered"; }
echo "PASS: Windows Firewall filters: order, default, host traffic only"
