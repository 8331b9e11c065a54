#!/bin/sh
# The engine predicts the real IKE daemons (issue 14 item 5): one row per
# case of ../shared/reference/ike-behaviour.md (its table's rows, numbered
# 1-10 from the top; "#N" below), each a two-gateway policy differing in one
# thing, with the verdict the real daemon gave (charon, measured) or its
# vendor documents (Cisco, Windows; doc/engine.md "IKE: whose rules").
# Per row: the engine's verdict for the first packet (`tunc run --send`)
# and a substring its output must hold, and lint's error findings, which
# must say the same (the check named, or none).
#
# Columns: case | #N | platform a | platform b | ike a | ike b | ipsec a |
#   ipsec b | statements of a | statements of b | packet | engine | lint
#   engine: up[:TEXT] or down:TEXT (TEXT must appear in tunc run's output)
#   lint:   - (no error) or CHECK[:TEXT] (an error of CHECK, holding TEXT)
. "$top_srcdir/tests/lib.sh"
command -v python3 >/dev/null || skip "python3 is needed to read lint's JSON"

printf '%s\n' 'Behaviour-key-A-0123456789' >"$TMP/a.psk"
printf '%s\n' 'Behaviour-key-B-9876543210' >"$TMP/b.psk"
chmod 600 "$TMP/a.psk" "$TMP/b.psk"

I2='version 2; encryption aes256; integrity sha256; group 14;'
I1='version 1; encryption aes256; integrity sha256; group 14;'
E='encryption aes256; integrity sha256; pfs none;'
EP='encryption aes256; integrity sha256; pfs 14;'
W1='version 1; encryption 3des; integrity sha1; group 2;'
WE='encryption 3des; integrity sha1; pfs none;'
L=linux IOS='ios 15.4' PIX='pix 6.3' ASA='asa 9.16' W3='windows 2003' W22='windows 2022'
S='pc1 -> srv1'
cat >"$TMP/cases" <<EOF
pfs-initiator-only|1|$L|$L|$I2|$I2|$EP|$E|||$S|up:rekey (CREATE_CHILD_SA with KE) fails with NO_PROPOSAL_CHOSEN at 3240 s|ipsec-mismatch:at 3240 s
pfs-responder-only|1|$L|$L|$I2|$I2|$E|encryption aes256; integrity sha256; pfs 14; lifetime 2h;|||$S|up:IKE_AUTH 192.168.1.0/24 -> 192.168.2.0/24 accepted|ipsec-mismatch:at 3240 s
pfs-ios-rekeys-first|1|$IOS|$L|$I2|$I2|$EP|$E|||$S|up:NO_PROPOSAL_CHOSEN at 3240 s|ipsec-mismatch:at 3240 s
pfs-ikev1-at-once|1|$L|$L|$I1|$I1|$EP|$E|||$S|down:PFS differs|ipsec-mismatch
ikev1-subset-charon|2|$L|$L|$I1|$I1|$E|$E|local 192.168.1.0/25;||$S|up:quick mode 192.168.1.0/25 -> 192.168.2.0/24 accepted|-
ikev1-subset-ios|2|$L|$IOS|$I1|$I1|$E|$E|local 192.168.1.0/25;||$S|up:accepted by rtr-b|-
ikev1-subset-pix|2|$L|$PIX|version 1; encryption aes256; integrity sha1; group 5;|version 1; encryption aes256; integrity sha1; group 5;|encryption aes256; integrity sha1; pfs none;|encryption aes256; integrity sha1; pfs none;|local 192.168.1.0/25;||$S|up:accepted by rtr-b|-
ikev1-subset-windows|2|$L|$W3|$W1|$W1|$WE|$WE|local 192.168.1.0/25;||$S|down:charon: received INVALID_ID_INFORMATION error notify|selector-mirror:accepts IKEv1 proxy identities exactly
ikev1-wider-charon|3|$L|$L|$I1|$I1|$E|$E|remote 192.168.2.0/23;||$S|up:narrowed by rtr-b from 192.168.1.0/24 -> 192.168.2.0/23|-
ikev1-wider-ios|3|$L|$IOS|$I1|$I1|$E|$E|remote 192.168.2.0/23;||$S|down:charon: received INVALID_ID_INFORMATION error notify|selector-mirror:as a subset of its own
ikev1-responder-narrower-charon|3|$L|$L|$I1|$I1|$E|$E||local 192.168.2.0/25;|$S|up:narrowed by rtr-b|-
ikev1-responder-narrower-asa|3|$L|$ASA|version 1; encryption aes256; integrity sha1; group 14;|version 1; encryption aes256; integrity sha1; group 14;|encryption aes256; integrity sha1; pfs none;|encryption aes256; integrity sha1; pfs none;||local 192.168.2.0/25;|$S|down:INVALID_ID_INFORMATION|selector-mirror
ikev2-narrowed-outside|4|$L|$L|$I2|$I2|$E|$E||remote 192.168.1.0/25;|192.168.1.200 -> srv1|down:rtr-b narrowed the selectors to 192.168.1.0/25 -> 192.168.2.0/24|-
ikev2-narrowed-inside|4|$L|$L|$I2|$I2|$E|$E||remote 192.168.1.0/25;|$S|up:narrowed by rtr-b|-
ikev2-disjoint|4|$L|$L|$I2|$I2|$E|$E||remote 10.9.0.0/24;|$S|down:charon: received TS_UNACCEPTABLE notify, no CHILD_SA built|selector-mirror
offers-responder-order-v2|5|$L|$L|version 2; encryption aes256, aes128; integrity sha256; group 14;|version 2; encryption aes128, aes256; integrity sha256; group 14;|encryption aes256, aes128; integrity sha256; pfs none;|encryption aes128, aes256; integrity sha256; pfs none;|||$S|up:esp aes128 sha256|-
offers-responder-order-ike|5|$L|$L|version 2; encryption aes256, aes128; integrity sha256; group 14;|version 2; encryption aes128, aes256; integrity sha256; group 14;|$E|$E|||$S|up:IKE_SA_INIT with rtr-b (203.0.113.1): aes128 sha256 group 14|-
offers-responder-order-v1-ios|5|$L|$IOS|version 1; encryption aes256, aes128; integrity sha256; group 14;|version 1; encryption aes128, aes256; integrity sha256; group 14;|$E|$E|||$S|up:main mode with rtr-b (203.0.113.1): aes128 sha256 group 14|-
offers-windows-initiator-order|5|$L|$W22|version 1; encryption aes256, aes128; integrity sha256; group 14;|version 1; encryption aes128, aes256; integrity sha256; group 14;|$E|$E|||$S|up:main mode with rtr-b (203.0.113.1): aes256 sha256 group 14|-
windows-words-phase1|-|$W3|$L|$W1|version 1; encryption 3des; integrity sha1; group 14;|$WE|$WE|||$S|down:Negotiating IP Security (event 547: main mode failed, no proposal chosen)|ike-mismatch
ike1-lifetime-charon|6|$L|$L|version 1; encryption aes256; integrity sha256; group 14; lifetime 24h;|version 1; encryption aes256; integrity sha256; group 14; lifetime 8h;|$E|$E|||$S|up|-
ike1-lifetime-ios-refuses|6|$L|$IOS|version 1; encryption aes256; integrity sha256; group 14; lifetime 24h;|version 1; encryption aes256; integrity sha256; group 14; lifetime 8h;|$E|$E|||$S|down:charon: received NO_PROPOSAL_CHOSEN error notify|lifetime-mismatch:only rtr-b can bring the tunnel up
ike1-lifetime-ios-accepts|6|$IOS|$L|version 1; encryption aes256; integrity sha256; group 14; lifetime 8h;|version 1; encryption aes256; integrity sha256; group 14; lifetime 24h;|$E|$E|||$S|up|lifetime-mismatch:started by rtr-b fails
ike1-lifetime-pix-refuses|6|$L|$PIX|version 1; encryption aes256; integrity sha1; group 5; lifetime 24h;|version 1; encryption aes256; integrity sha1; group 5; lifetime 8h;|encryption aes256; integrity sha1; pfs none;|encryption aes256; integrity sha1; pfs none;|||$S|down:no longer than its own|lifetime-mismatch
ikev1-psk|7|$L|$L|$I1|$I1|$E|$E||psk file "b.psk";|$S|down:charon: giving up after 5 retransmits|psk-mismatch
ikev1-psk-ios|7|$IOS|$L|$I1|$I1|$E|$E||psk file "b.psk";|$S|down:%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from 203.0.113.1|psk-mismatch
aggressive-charon|8|$L|$L|version 1; mode aggressive; encryption aes256; integrity sha256; group 14;|$I1|$E|$E|||$S|down:charon: received AUTHENTICATION_FAILED error notify|ike-mismatch
aggressive-to-ios|8|$L|$IOS|version 1; mode aggressive; encryption aes256; integrity sha256; group 14;|$I1|$E|$E|||$S|up:aggressive mode with rtr-b|ike-mismatch
aggressive-ios-both-ways|8|$IOS|$IOS|version 1; mode aggressive; encryption aes256; integrity sha256; group 14;|$I1|$E|$E|||$S|up:aggressive mode with rtr-b|-
ike-version|9|$L|$L|$I2|$I1|$E|$E|||$S|down:charon: received NO_PROPOSAL_CHOSEN notify error|ike-mismatch
ike-version-asa|9|$ASA|$L|version 2; encryption aes256; integrity sha256; group 14;|$I1|$E|$E|||$S|down:%ASA-4-750003: Remote:203.0.113.1:500 IKEv2 Negotiation aborted|ike-mismatch
gcm|10|$L|$L|$I2|$I2|encryption aes256-gcm; integrity none; pfs none;|encryption aes256-gcm; integrity none; pfs none;|||$S|up:esp aes256-gcm|-
legacy|10|$L|$L|version 2; encryption 3des; integrity sha1; group 2;|version 2; encryption 3des; integrity sha1; group 2;|$WE|$WE|||$S|up|-
invalid-ke-retry|10|$L|$L|version 2; encryption aes256; integrity sha256; group 14, 19;|version 2; encryption aes256; integrity sha256; group 19;|$E|$E|||$S|up:group 19|-
ios-words-phase2|-|$IOS|$L|$I1|$I1|$E|encryption aes128; integrity sha256; pfs none;|||$S|down:%CRYPTO-6-IKMP_MODE_FAILURE: Processing of Quick mode failed with peer at 203.0.113.1|ipsec-mismatch
pix-words-phase1|-|$PIX|$L|version 1; encryption aes256; integrity sha1; group 5;|version 1; encryption aes128; integrity sha1; group 5;|encryption aes256; integrity sha1; pfs none;|encryption aes256; integrity sha1; pfs none;|||$S|down:ISAKMP (0): processing NOTIFY payload 14 protocol 1 from 203.0.113.1|ike-mismatch
EOF

# platform-line NAME PLATFORM -> the gateway's platform statement
policy() { # PA PB IKE_A IKE_B ESP_A ESP_B EXTRA_A EXTRA_B
	cat <<EOF
ike ka { $3 }
ike kb { $4 }
ipsec pa { $5 }
ipsec pb { $6 }
site hq {
	subnet 192.168.1.0/24;
	host pc1 192.168.1.10;
	gateway rtr-a {
		platform $1;
		interface eth0 { address 198.51.100.1/30; outside; }
		interface eth1 { address 192.168.1.1/24; }
		route default via 198.51.100.2;
	}
}
site branch {
	subnet 192.168.2.0/24;
	host srv1 192.168.2.10;
	gateway rtr-b {
		platform $2;
		interface eth0 { address 203.0.113.1/30; outside; }
		interface eth1 { address 192.168.2.1/24; }
		route default via 203.0.113.2;
	}
}
tunnel t {
	between rtr-a and rtr-b;
	psk file "a.psk";
	rtr-a { ike ka; ipsec pa; $7 }
	rtr-b { ike kb; ipsec pb; $8 }
}
EOF
}

rows=0 bad=0
while IFS='|' read -r name ref pa pb ia ib ea eb xa xb send eng lnt; do
	rows=$((rows + 1))
	policy "$pa" "$pb" "$ia" "$ib" "$ea" "$eb" "$xa" "$xb" >"$TMP/case.tun"
	(cd "$TMP" && "$TUNC" run case.tun --send "$send") >"$TMP/run.txt" 2>&1 || true
	v=$(sed -n 's/^  verdict: //p' "$TMP/run.txt" | head -1)
	want=${eng%%:*} text=
	case $eng in *:*) text=${eng#*:} ;; esac
	case $v in protected*) got=up ;; *) got=down ;; esac
	why=
	[ "$got" = "$want" ] || why="engine $got, the daemon $want ($v)"
	[ -z "$why" ] && [ -n "$text" ] && ! grep -qF -- "$text" "$TMP/run.txt" &&
		why="engine output lacks '$text'"
	# lint: the error findings, as CHECK<TAB>message lines
	(cd "$TMP" && "$TUNC" lint --format json case.tun 2>/dev/null) | python3 -c '
import json, sys
for f in json.load(sys.stdin)["findings"]:
    if f["severity"] == "error":
        print(f["check"] + "\t" + f["message"])' >"$TMP/lint.txt" || true
	if [ -z "$why" ]; then
		if [ "$lnt" = - ]; then
			[ ! -s "$TMP/lint.txt" ] || why="lint errors where the daemon agrees: $(cut -f1 "$TMP/lint.txt" | tr '\n' ' ')"
		else
			chk=${lnt%%:*} ltext=
			case $lnt in *:*) ltext=${lnt#*:} ;; esac
			grep "^$chk	" "$TMP/lint.txt" | grep -qF -- "$ltext" ||
				why="no $chk error${ltext:+ holding '$ltext'} ($(cut -f1 "$TMP/lint.txt" | tr '\n' ' '))"
		fi
	fi
	if [ -n "$why" ]; then
		bad=$((bad + 1))
		echo "FAIL: $name (ike-behaviour.md #$ref): $why"
		grep -E 'IKE|verdict' "$TMP/run.txt" | head -4 | sed 's/^/    /'
		sed 's/^/    lint: /' "$TMP/lint.txt" | cut -c1-300
	fi
done <"$TMP/cases"
echo "$rows cases, $bad disagreeing with the real daemons"
[ "$bad" -eq 0 ] || fail "$bad case(s) where the engine or lint does not predict the daemon"
