#!/bin/sh
# tunc run / tunc test outputs: JSON as CLI.md says, JUnit that xmllint
# accepts, usage errors (exit 2), captures and keylog (mode 0600), and
# determinism: the same --seed gives byte-identical captures and keylogs.
. "$top_srcdir/tests/lib.sh"
ex="$top_srcdir/examples/seed000-isa-pix-null"
[ -f "$ex/null-sha1.tun" ] || skip "examples not present"
cd "$ex"

# JSON documents.
"$TUNC" run null-sha1.tun --format json > "$TMP/run.json"
"$TUNC" test null-sha1.tun --format json > "$TMP/test.json"
if command -v python3 >/dev/null 2>&1; then
	python3 - "$TMP/run.json" "$TMP/test.json" <<'PY' || fail "JSON shape"
import json, sys
run = json.load(open(sys.argv[1]))
assert run["version"] == 1 and run["packets"], run
for p in run["packets"]:
    for k in ("send", "verdict", "tunnel", "reason", "reply", "hops"):
        assert k in p, (k, p)
    assert p["verdict"] in ("protected", "clear", "dropped", "unreachable")
    for h in p["hops"]:
        assert set(("node", "stage", "result", "source")) <= set(h), h
        assert h["source"] is None or set(("file", "line", "column")) <= set(h["source"])
test = json.load(open(sys.argv[2]))
assert test["version"] == 1
s = test["summary"]
assert s["passed"] + s["failed"] == len(test["expectations"])
for x in test["expectations"]:
    for k in ("file", "line", "text", "expected", "actual", "tunnel", "pass"):
        assert k in x, (k, x)
PY
fi
if command -v xmllint >/dev/null 2>&1; then
	"$TUNC" test null-sha1.tun --format junit | xmllint --noout - || fail "JUnit is not well-formed XML"
fi

# Usage errors: exit 2 with a message.
for bad in "--send 'nosuch -> pix-fw'" "--send 'a b c'" "--count 0" "--format yaml" "--bogus" \
	"--counters --format json"; do
	set +e
	eval "\"\$TUNC\" run null-sha1.tun $bad" > "$TMP/out" 2> "$TMP/err"; rc=$?
	set -e
	[ $rc -eq 2 ] || fail "run $bad: exit $rc, want 2"
	[ -s "$TMP/err" ] || fail "run $bad: no message"
done
set +e
"$TUNC" test "$TMP/missing.tun" > /dev/null 2>&1; rc=$?
set -e
[ $rc -eq 2 ] || fail "test of a missing file: exit $rc, want 2"

# Captures and keylog; two runs with one seed are byte-identical, another seed differs.
"$TUNC" run null-sha1.tun --pcap "$TMP/p1" --keylog "$TMP/k1" --seed 5 > /dev/null
"$TUNC" run null-sha1.tun --pcap "$TMP/p2" --keylog "$TMP/k2" --seed 5 > /dev/null
"$TUNC" run null-sha1.tun --pcap "$TMP/p3" --keylog "$TMP/k3" --seed 6 > /dev/null
n=0
for f in "$TMP"/p1/*.pcap; do
	cmp "$f" "$TMP/p2/$(basename "$f")" || fail "$(basename "$f") differs between runs with one seed"
	n=$((n + 1))
done
[ $n -ge 4 ] || fail "expected a capture per gateway interface, got $n"
cmp "$TMP/k1" "$TMP/k2" || fail "keylogs differ between runs with one seed"
cmp -s "$TMP/k1" "$TMP/k3" && fail "another seed gave the same keys"
mode=$(stat -c %a "$TMP/k1")
[ "$mode" = 600 ] || fail "keylog mode $mode, want 600"
grep -q '^"IPv4","[0-9.]*","[0-9.]*","0x[0-9a-f]\{8\}","NULL","","HMAC-SHA-1-96 \[RFC2404\]","0x[0-9a-f]\{40\}"$' "$TMP/k1" ||
	fail "keylog lines: $(cat "$TMP/k1")"
# --counters: no trace lines, a tally per packet sent, and the very counters
# the traced run ends with.
"$TUNC" run null-sha1.tun --count 3 > "$TMP/traced"
"$TUNC" run null-sha1.tun --count 3 --counters > "$TMP/counted"
grep -q "verdict:" "$TMP/counted" && fail "--counters printed traces"
grep -q "^client -> server icmp: sent 3 times$" "$TMP/counted" || fail "--counters tally: $(head -3 "$TMP/counted")"
grep -q "^  protected by pix-isa: 3$" "$TMP/counted" || fail "--counters verdicts: $(head -3 "$TMP/counted")"
sed -n '/^security associations:$/,$p' "$TMP/traced" > "$TMP/c1"
sed -n '/^security associations:$/,$p' "$TMP/counted" > "$TMP/c2"
[ -s "$TMP/c1" ] && cmp -s "$TMP/c1" "$TMP/c2" || fail "--counters counters differ from the traced run's"

# Keys never reach standard output.
key=$(head -1 "$TMP/k1" | sed 's/.*"0x\([0-9a-f]*\)"$/\1/')
"$TUNC" run null-sha1.tun --seed 5 | grep -qi "$key" && fail "a key was printed"
exit 0
