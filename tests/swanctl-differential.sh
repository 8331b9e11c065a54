#!/bin/sh
# The differential table (issue 14): two Linux ends differing in one thing,
# each case compiled by tunc and brought up by two real charon daemons
# (tests/charon-pair.sh).  Per row: tunc's verdict (the engine: `tunc run
# --send 'pc1 -> srv1'`, up or the failure; lint's errors) next to charon's
# outcome (IKE_SA and CHILD_SA up, or the notify that refused them).  Every
# row must agree on up/down, or be a documented difference (the `doc`
# column says why, and the row then expects exactly that difference).
# SKIP where charon cannot run.  Prints the table and the time it took.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/charon-pair.sh"
charon_require
trap 'cp_cleanup; rm -rf "$TMP"' EXIT

printf '%s\n' 'Differential-key-A-0123456789' >"$TMP/a.psk"
printf '%s\n' 'Differential-key-B-9876543210' >"$TMP/b.psk"

# case NAME IKE_A IKE_B ESP_A ESP_B EXTRA_A EXTRA_B [DOC [SUITE]]
# (proposal bodies; per-end statements; DOC: why tunc and charon differ;
# SUITE: TUNC_TEXT~CHARON_TEXT, the suite both must name, tunc in its trace
# and charon in `swanctl --list-sas` of the initiator).  A NAME ending in
# -timed waits for charon's own rekey at the time the engine predicts
# instead of forcing one.
I2='version 2; encryption aes256; integrity sha256; group 14;'
E2='encryption aes256; integrity sha256; pfs none;'
I1='version 1; encryption aes256; integrity sha256; group 14;'
cat >"$TMP/cases" <<EOF
identical|$I2|$I2|$E2|$E2|||
ike-encryption|$I2|version 2; encryption aes128; integrity sha256; group 14;|$E2|$E2|||
ike-integrity|$I2|version 2; encryption aes256; integrity sha1; group 14;|$E2|$E2|||
ike-dh-group|$I2|version 2; encryption aes256; integrity sha256; group 19;|$E2|$E2|||
esp-encryption|$I2|$I2|$E2|encryption aes128; integrity sha256; pfs none;|||
esp-integrity|$I2|$I2|$E2|encryption aes256; integrity sha1; pfs none;|||
pfs-one-side|$I2|$I2|$E2|encryption aes256; integrity sha256; pfs 14;|||
pfs-groups-differ|$I2|$I2|encryption aes256; integrity sha256; pfs 19;|encryption aes256; integrity sha256; pfs 14;|||
ike-version|$I2|$I1|$E2|$E2|||
psk|$I2|$I2|$E2|$E2||psk file "b.psk";|
selectors-mirrored|$I2|$I2|$E2|$E2|local 192.168.1.0/24; remote 192.168.2.0/24;|local 192.168.2.0/24; remote 192.168.1.0/24;|
selectors-b-narrower|$I2|$I2|$E2|$E2||remote 192.168.1.0/25;|
selectors-b-wider|$I2|$I2|$E2|$E2||local 192.168.0.0/16;|
selectors-disjoint|$I2|$I2|$E2|$E2||remote 10.9.0.0/24;|
esp-lifetime|$I2|$I2|encryption aes256; integrity sha256; pfs none; lifetime 1h;|encryption aes256; integrity sha256; pfs none; lifetime 2h;|||
ike-lifetime|version 2; encryption aes256; integrity sha256; group 14; lifetime 8h;|$I2|$E2|$E2|||
offers-intersect|version 2; encryption aes256, aes128; integrity sha256, sha1; group 14, 19;|version 2; encryption aes128, 3des; integrity sha1; group 19;|encryption aes256, aes128; integrity sha256; pfs none;|encryption aes128; integrity sha256, sha1; pfs none;|||
offers-disjoint|version 2; encryption aes256, aes192; integrity sha256; group 14;|version 2; encryption aes128, 3des; integrity sha256; group 14;|$E2|$E2|||
legacy|version 2; encryption 3des; integrity sha1; group 2;|version 2; encryption 3des; integrity sha1; group 2;|encryption 3des; integrity sha1; pfs none;|encryption 3des; integrity sha1; pfs none;|||
esp-gcm|$I2|$I2|encryption aes256-gcm; integrity none; pfs none;|encryption aes256-gcm; integrity none; pfs none;|||
esp-gcm-vs-cbc|$I2|$I2|encryption aes256-gcm; integrity none; pfs none;|$E2|||
ikev1|$I1|$I1|$E2|$E2|||
ikev1-pfs-one-side|$I1|$I1|$E2|encryption aes256; integrity sha256; pfs 14;|||
ikev1-psk|$I1|$I1|$E2|$E2||psk file "b.psk";|
ikev1-aggressive|version 1; mode aggressive; encryption aes256; integrity sha256; group 14;|$I1|$E2|$E2|||
ikev1-dh-group|$I1|version 1; encryption aes256; integrity sha256; group 5;|$E2|$E2|||
pfs-one-side-timed|$I2|$I2|encryption aes256; integrity sha256; pfs 14; lifetime 10s;|encryption aes256; integrity sha256; pfs none; lifetime 10s;|||
ikev2-responder-order|version 2; encryption aes256, aes128; integrity sha256; group 14;|version 2; encryption aes128, aes256; integrity sha256; group 14;|encryption aes256, aes128; integrity sha256; pfs none;|encryption aes128, aes256; integrity sha256; pfs none;||||esp aes128 sha256~ESP:AES_CBC-128
ikev2-narrowed|$I2|$I2|$E2|$E2||remote 192.168.1.0/26;|
ikev1-subset|$I1|$I1|$E2|$E2|local 192.168.1.0/25;||
ikev1-wider|$I1|$I1|$E2|$E2|remote 192.168.2.0/23;||
ikev1-responder-order|version 1; encryption aes256, aes128; integrity sha256; group 14;|version 1; encryption aes128, aes256; integrity sha256; group 14;|encryption aes256, aes128; integrity sha256; pfs none;|encryption aes128, aes256; integrity sha256; pfs none;||||esp aes128 sha256~ESP:AES_CBC-128
EOF

policy() { # IKE_A IKE_B ESP_A ESP_B EXTRA_A EXTRA_B
	cat <<EOF
ike ka { $1 }
ike kb { $2 }
ipsec pa { $3 }
ipsec pb { $4 }
site hq {
	subnet 192.168.1.0/24;
	host pc1 192.168.1.10;
	gateway rtr-a {
		platform linux;
		interface eth0 { address 198.51.100.1/30; outside; }
		interface eth1 { address 192.168.1.1/24; }
		route default via 198.51.100.2;
	}
}
site branch {
	subnet 192.168.2.0/24;
	host srv1 192.168.2.10;
	gateway rtr-b {
		platform linux;
		interface eth0 { address 203.0.113.1/30; outside; }
		interface eth1 { address 192.168.2.1/24; }
		route default via 203.0.113.2;
	}
}
tunnel t {
	between rtr-a and rtr-b;
	psk file "a.psk";
	rtr-a { ike ka; ipsec pa; $5 }
	rtr-b { ike kb; ipsec pb; $6 }
}
EOF
}

t0=$(date +%s.%N)
rows=0 bad=0
printf '%-22s %-44s %-30s %s\n' case "tunc (engine; lint errors)" charon agree >"$TMP/table"
while IFS='|' read -r name ia ib ea eb xa xb doc suite; do
	rows=$((rows + 1))
	policy "$ia" "$ib" "$ea" "$eb" "$xa" "$xb" >"$TMP/case.tun"
	# tunc: the engine's verdict for the first packet, and lint's errors.
	(cd "$TMP" && "$TUNC" run case.tun --send 'pc1 -> srv1') >"$TMP/run.txt" 2>&1 || true
	v=$(sed -n 's/^  verdict: //p' "$TMP/run.txt" | head -1)
	case $v in
	protected*)
		tunc=up
		# A PFS mismatch under IKEv2: up, and the trace says the rekey fails.
		grep -q 'PFS differs.*rekey.*fails' "$TMP/run.txt" && tunc="up, rekey fails"
		;;
	*) tunc="down: $(echo "$v" | sed "s/^dropped at //; s/charon: establishing CHILD_SA failed (//" | cut -c1-60)" ;;
	esac
	errs=$(cd "$TMP" && "$TUNC" lint --format json case.tun 2>/dev/null |
		python3 -c 'import json,sys; print(",".join(sorted({f["check"] for f in json.load(sys.stdin)["findings"] if f["severity"] == "error"})))' || true)
	# charon: both ends from tunc's files.
	rm -rf "$TMP/out"
	(cd "$TMP" && "$TUNC" compile --force case.tun -o out) >/dev/null 2>&1 ||
		fail "$name: compile failed"
	cp_pair "$TMP/out" rtr-a rtr-b || fail "$name: the namespaces or charon did not come up"
	cp_swanctl A --initiate --child t --timeout 8 >"$TMP/initiate.log" 2>&1 || true
	charon=$(cp_outcome)
	if [ "$charon" = established ] &&
		! ip netns exec "cp$$-A-h" ping -c 1 -W 2 "$HOST_B" >/dev/null 2>&1; then
		charon="established, no ping"
	fi
	# The suite both name (the responder's order).
	if [ -n "$suite" ] && [ "$charon" = established ]; then
		grep -qF -- "${suite%%~*}" "$TMP/run.txt" || tunc="$tunc, not ${suite%%~*}"
		cp_swanctl A --list-sas 2>/dev/null | grep -qF -- "${suite#*~}" ||
			charon="$charon, not ${suite#*~}"
	fi
	# Where tunc predicts a failing rekey, force one (validators.md §5), or,
	# for a -timed row, wait for charon's own at the time tunc gives.
	if [ "$charon" = established ] && [ "$tunc" = "up, rekey fails" ]; then
		case $name in
		*-timed)
			at=$(sed -n 's/.*fails with NO_PROPOSAL_CHOSEN at \([0-9]*\) s.*/\1/p' "$TMP/run.txt" | head -1)
			sleep $((${at:-0} + 3))
			;;
		*)
			cp_swanctl A --rekey --child t >/dev/null 2>&1 || true
			sleep 1
			;;
		esac
		grep -q 'NO_PROPOSAL_CHOSEN' "$TMP/charon-A/charon.log" "$TMP/charon-B/charon.log" &&
			charon="established, rekey fails"
	fi
	cp_cleanup
	tu=${tunc%%:*} cu=down
	case $charon in established) cu=up ;; "established, rekey fails") cu="up, rekey fails" ;; esac
	if [ "$tu" = "$cu" ]; then
		agree=yes
		[ -z "$doc" ] || { agree="NO (documented difference no longer seen: $doc)"; bad=$((bad + 1)); }
	elif [ -n "$doc" ]; then
		agree="documented: $doc"
	else
		agree=NO
		bad=$((bad + 1))
	fi
	printf '%-22s %-44s %-30s %s\n' "$name" "$(echo "$tunc" | cut -c1-38)${errs:+; $errs}" \
		"$charon" "$agree" >>"$TMP/table"
	[ "$agree" = NO ] && sed -n '/IKE/p' "$TMP/run.txt" | head -3 >>"$TMP/table"
done <"$TMP/cases"
cat "$TMP/table"
t1=$(date +%s.%N)
echo "$rows cases, $bad disagreement(s), $(echo "$t1 - $t0" | bc) s"
[ "$bad" -eq 0 ] || fail "$bad row(s) where tunc and charon disagree without a documented reason"
