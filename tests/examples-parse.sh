#!/bin/sh
# Every example (and every .tun of the golden tests that is meant to be sound)
# parses and resolves: `tunc lint` may report findings (exit 0 or 1) but never
# a front-end error (exit 2), and its JSON is one valid document.
. "$top_srcdir/tests/lib.sh"
command -v python3 >/dev/null || skip "python3 is needed to validate JSON"
failed=0 passed=0
for tun in "$top_srcdir"/examples/*.tun "$top_srcdir"/examples/*/*.tun; do
	[ -f "$tun" ] || continue
	rc=0
	(cd "$(dirname "$tun")" && "$TUNC" lint --format json "$(basename "$tun")" >"$TMP/out.json" 2>"$TMP/err") || rc=$?
	if [ "$rc" -ge 2 ]; then
		echo "FAIL $tun: exit $rc"; cat "$TMP/err"
		(cd "$(dirname "$tun")" && NO_COLOR=1 "$TUNC" lint "$(basename "$tun")") || true
		failed=$((failed + 1)); continue
	fi
	if ! python3 -m json.tool "$TMP/out.json" >/dev/null; then
		echo "FAIL $tun: invalid JSON"; failed=$((failed + 1)); continue
	fi
	passed=$((passed + 1))
done
echo "$passed passed, $failed failed"
[ "$passed" -gt 0 ] && [ "$failed" -eq 0 ]
