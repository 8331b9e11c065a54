#!/bin/sh
# Findings at scale: a hub with 10,000 spokes (tests/scale/gen-hub.py, every
# 1000th spoke overlapping its predecessor) lints to under 200 lines of text,
# where each finding repeated for many gateways is shown 3 times and then
# counted, while JSON holds every finding and `--all` shows every one.
. "$top_srcdir/tests/lib.sh"
command -v python3 >/dev/null || skip "python3 is needed to generate the hub"
[ -x "$TUNC" ] || skip "tunc is not built"

n=10000
python3 "$top_srcdir/tests/scale/gen-hub.py" "$n" --overlap -o "$TMP/hub.tun" || fail "gen-hub.py failed"
echo 'not-a-secret-scale-test-key-Kq7#pL2@xZ9' >"$TMP/hub.psk"
chmod 600 "$TMP/hub.psk"

cd "$TMP"
rc=0
NO_COLOR=1 "$TUNC" lint hub.tun >text.out 2>text.err || rc=$?
[ "$rc" -le 1 ] || { cat text.err; fail "tunc lint exited $rc"; }
NO_COLOR=1 "$TUNC" lint --all hub.tun >all.out 2>/dev/null || true
"$TUNC" lint --format json hub.tun >lint.json 2>/dev/null || true

lines=$(wc -l <text.out)
[ "$lines" -lt 200 ] || fail "text output has $lines lines (want < 200)"
grep -q "more gateway-own-traffic notes like the 3 above.*'tunc lint --all' shows every one" text.out ||
	fail "text output does not count the gateway-own-traffic notes it does not show"

python3 - "$n" <<'PY' || exit 1
import json, re, sys
n = int(sys.argv[1])
findings = json.load(open("lint.json"))["findings"]
own = sum(f["check"] == "gateway-own-traffic" for f in findings)
if own != 2 * n:
    sys.exit(f"FAIL: JSON holds {own} gateway-own-traffic findings, want {2 * n}")
text, full = open("text.out").read(), open("all.out").read()
# Every format counts the same findings: JSON's, the text summary, --all's.
summary = text.rstrip().splitlines()[-1]
if summary != full.rstrip().splitlines()[-1]:
    sys.exit(f"FAIL: the summaries differ: '{summary}' / '{full.rstrip().splitlines()[-1]}'")
total = sum(int(x) for x in re.findall(r"(\d+) (?:error|warning|note)s?", summary))
shown_all = len(re.findall(r"\[-W[a-z-]+\]$", full, re.M))
if not (total == len(findings) == shown_all):
    sys.exit(f"FAIL: summary {total}, JSON {len(findings)}, --all shows {shown_all}")
# What text folds, it counts: shown + counted = every finding.
shown = len(re.findall(r"\[-W[a-z-]+\]$", text, re.M))
counted = sum(int(x) for x in re.findall(r"^\S+: note: (\d+) more ", text, re.M))
if shown + counted != total:
    sys.exit(f"FAIL: text shows {shown} and counts {counted} more, of {total}")
print(f"PASS: {total} findings; text {len(text.splitlines())} lines, --all {len(full.splitlines())}")
PY
