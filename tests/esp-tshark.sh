#!/bin/sh
# tshark, an independent ESP implementation, decrypts and authenticates the
# ESP packets the engine's data plane makes, for every algorithm suite
# (IPv4 and IPv6 outer headers, NAT-T UDP 4500), and sees the corrupted ones
# as bad ICVs.  Harness rule (validators.md §1): icv_good==1, icv_bad==0,
# next header 4 and the inner ICMP echo present, for every packet.
. "$top_srcdir/tests/lib.sh"
command -v tshark >/dev/null 2>&1 || skip "tshark not installed (apt-get install tshark)"
TOOL=${top_builddir:-.}/tests/tools/esp_pcap
[ -x "$TOOL" ] || fail "$TOOL not built"

"$TOOL" "$TMP" || fail "esp_pcap failed"
esp_cases=$(awk '$2 == "esp"' "$TMP/cases.txt" | wc -l)
[ "$esp_cases" -ge 14 ] || fail "expected at least 14 ESP cases, got $esp_cases"

# One invocation for all cases: each has its own SPI and esp_sa record.
set --
while IFS= read -r rec; do set -- "$@" -o "uat:esp_sa:$rec"; done < "$TMP/all.uat"
ts() {
	f=$1; shift
	tshark -r "$f" -o esp.enable_encryption_decode:TRUE \
		-o esp.enable_authentication_check:TRUE "$@" -T fields -E separator=' ' \
		-e esp.spi -e esp.sequence -e esp.icv_good -e esp.icv_bad -e esp.protocol \
		-e icmp.type 2>"$TMP/tshark.err"
}
pcap=$TMP/all.pcap; ts "$pcap" "$@" > "$TMP/good.txt" || fail "tshark failed: $(cat "$TMP/tshark.err")"
pcap=$TMP/all-bad.pcap; ts "$pcap" "$@" > "$TMP/bad.txt" || fail "tshark failed: $(cat "$TMP/tshark.err")"
if grep -q 'Dissector bug' "$TMP/tshark.err"; then fail "tshark: $(grep 'Dissector bug' "$TMP/tshark.err" | head -1)"; fi

n=$(wc -l < "$TMP/good.txt")
[ "$n" -eq $((esp_cases * 3)) ] || fail "expected $((esp_cases * 3)) ESP packets, tshark saw $n"
awk '!($3 == 1 && $4 == 0 && $5 == "0x04" && $6 == 8) { print "bad: " $0; bad = 1 } END { exit bad }' \
	"$TMP/good.txt" || fail "tshark did not authenticate/decrypt every packet (spi seq good bad nh icmp above)"
# every case's SPI, with sequence numbers 1, 2, 3
spis=$(awk '{ print $1 }' "$TMP/good.txt" | sort -u | wc -l)
[ "$spis" -eq "$esp_cases" ] || fail "expected $esp_cases SPIs, saw $spis"
awk '{ s[$1] = s[$1] " " $2 } END { for (k in s) if (s[k] != " 1 2 3") { print k s[k]; exit 1 } }' \
	"$TMP/good.txt" || fail "sequence numbers are not 1 2 3"

nb=$(wc -l < "$TMP/bad.txt")
[ "$nb" -eq "$esp_cases" ] || fail "expected $esp_cases corrupted packets, tshark saw $nb"
awk '!($3 == 0 && $4 == 1) { print "accepted: " $0; bad = 1 } END { exit bad }' "$TMP/bad.txt" \
	|| fail "tshark accepted a corrupted ICV"
echo "tshark: $n packets of $esp_cases ESP suites authenticated and decrypted, $nb corrupted ones rejected"

# The same check on what `tunc run` writes for a whole topology (engine
# pipeline + data plane): every ESP packet on the outside links authenticated
# and decrypted with the keylog it wrote.
EX=$top_srcdir/examples/hq-branch-linux/hq-branch.tun
[ -f "$EX" ] || { echo "tunc run part skipped: $EX missing"; exit 0; }
mkdir "$TMP/run"
"$TUNC" run "$EX" --seed 7 --pcap "$TMP/run" --keylog "$TMP/run/keys.uat" \
	--send 'pc1 -> srv1 icmp' > "$TMP/run.out" 2>&1 || fail "tunc run failed: $(cat "$TMP/run.out")"
[ "$(stat -c %a "$TMP/run/keys.uat")" = 600 ] || fail "keylog file is not mode 0600"
set --
while IFS= read -r rec; do set -- "$@" -o "uat:esp_sa:$rec"; done < "$TMP/run/keys.uat"
[ $# -ge 2 ] || fail "tunc run wrote no esp_sa record"
total=0
for p in "$TMP"/run/*.pcap; do
	ts "$p" "$@" | awk 'NF && $1 != ""' > "$TMP/run.txt" || fail "tshark failed on $p"
	n=$(awk '$1 ~ /^0x/' "$TMP/run.txt" | wc -l)
	awk '$1 ~ /^0x/ && !($3 == 1 && $4 == 0 && $5 == "0x04" && $6 != "") { print "bad: " $0; bad = 1 } END { exit bad }' \
		"$TMP/run.txt" || fail "tshark did not authenticate/decrypt the ESP of $(basename "$p")"
	total=$((total + n))
done
[ "$total" -ge 2 ] || fail "expected ESP packets (request and reply) in tunc run's captures, saw $total"
echo "tunc run: $total ESP packets in its captures authenticated and decrypted by tshark"
