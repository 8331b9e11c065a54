#!/bin/sh
# `tunc graph` of every example renders with Graphviz, and a broken example's
# picture marks the finding (the seed 003 tunnel without a NAT exemption).
. "$top_srcdir/tests/lib.sh"
command -v dot >/dev/null || skip "graphviz (dot) is not installed"
failed=0 passed=0
for tun in "$top_srcdir"/examples/*.tun "$top_srcdir"/examples/*/*.tun; do
	[ -f "$tun" ] || continue
	if (cd "$(dirname "$tun")" && "$TUNC" graph "$(basename "$tun")") >"$TMP/g.dot" &&
	   dot -Tsvg "$TMP/g.dot" -o "$TMP/g.svg" && grep -q '<svg' "$TMP/g.svg"; then
		passed=$((passed + 1))
	else
		echo "FAIL $tun"; failed=$((failed + 1))
	fi
done
broken="$top_srcdir/examples/seed003-ios-hq-branch/no-exempt.tun"
(cd "$(dirname "$broken")" && "$TUNC" graph -o "$TMP/broken.dot" "$(basename "$broken")")
if grep -q 'color=red' "$TMP/broken.dot" && grep -q 'nat-not-exempt' "$TMP/broken.dot"; then
	passed=$((passed + 1))
else
	echo "FAIL: the nat-not-exempt finding is not drawn"; failed=$((failed + 1))
fi
# Bad input: a parse error is exit 2 with a location, and -o leaves no file.
printf 'site x {\n' >"$TMP/bad.tun"
rc=0; "$TUNC" graph -o "$TMP/bad.dot" "$TMP/bad.tun" 2>"$TMP/err" || rc=$?
if [ "$rc" -eq 2 ] && grep -q 'bad.tun:2:1' "$TMP/err" && [ ! -e "$TMP/bad.dot" ]; then
	passed=$((passed + 1))
else
	echo "FAIL: bad input: exit $rc"; cat "$TMP/err"; failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
