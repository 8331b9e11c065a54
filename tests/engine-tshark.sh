#!/bin/sh
# Seed 000's captures checked by an independent decoder: tshark decrypts and
# authenticates the engine's ESP with the keylog; with NULL encryption the
# ICMP payload "abcdefghijklmnop" is readable inside ESP on the outside link
# (the seed's Figure 3), with 3DES it is not (Figure 2).
. "$top_srcdir/tests/lib.sh"
ex="$top_srcdir/examples/seed000-isa-pix-null"
[ -f "$ex/null-sha1.tun" ] || skip "examples not present"
cd "$ex"

"$TUNC" run null-sha1.tun --pcap "$TMP/null" --keylog "$TMP/null.keys" > /dev/null
"$TUNC" run 3des-sha1.tun --pcap "$TMP/3des" --keylog "$TMP/3des.keys" > /dev/null
outside=isa-srv-External.pcap
[ -f "$TMP/null/$outside" ] || fail "no capture of isa-srv's External link"
grep -q 'abcdefghijklmnop' "$TMP/null/$outside" || fail "NULL encryption: payload not readable on the outside link"
grep -q 'abcdefghijklmnop' "$TMP/3des/$outside" && fail "3DES: the payload is readable on the outside link"
grep -q 'abcdefghijklmnop' "$TMP/3des/isa-srv-Internal.pcap" || fail "the inside link must carry the clear ping"

command -v tshark >/dev/null 2>&1 || skip "tshark is not installed (apt-get install tshark)"
for alg in null 3des; do
	set --
	while IFS= read -r line; do set -- "$@" -o "uat:esp_sa:$line"; done < "$TMP/$alg.keys"
	tshark -r "$TMP/$alg/$outside" -o esp.enable_encryption_decode:TRUE \
		-o esp.enable_authentication_check:TRUE "$@" \
		-T fields -e esp.spi -e esp.icv_good -e esp.icv_bad -e icmp.type 2>/dev/null > "$TMP/$alg.fields"
	[ -s "$TMP/$alg.fields" ] || fail "$alg: tshark saw no ESP"
	awk -F'\t' '$2 != "1" || $3 != "0" || $4 == "" { bad = 1 } END { exit bad }' "$TMP/$alg.fields" ||
		fail "$alg: tshark could not authenticate/decrypt every packet: $(cat "$TMP/$alg.fields")"
done
exit 0
