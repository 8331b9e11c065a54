#!/bin/sh
# Lint knows what compile knows.  For every example and every .tun of the
# tests (tests/limits holds one policy per emitter limit):
#  - "tunc lint" exits 0  =>  "tunc compile" exits 0 and writes every file
#    it lists;
#  - "tunc lint" exits 1  =>  for every refusal of an emitter under
#    "tunc compile --force", lint reported an error on that line or naming
#    that gateway (compile refuses only what lint already reported).
# Files that do not load (lint exit 2: the reject goldens) are skipped, and
# so is a key compile cannot read when lint said so (keys-unread).
. "$top_srcdir/tests/lib.sh"
TUNC_TEST_PSK=Env-supplied-key-9876543210; export TUNC_TEST_PSK

files=$(cd "$top_srcdir" && find examples tests -name '*.tun' | sort)
[ -n "$files" ] || skip "no .tun files"
checked=0
failed=0
for f in $files; do
	dir=$top_srcdir/$(dirname "$f")
	base=$(basename "$f")
	out=$TMP/out
	rm -rf "$out"
	set +e
	(cd "$dir" && "$TUNC" lint "$base") > "$TMP/lint" 2>&1
	lint=$?
	set -e
	case $lint in
	0)
		set +e
		(cd "$dir" && "$TUNC" compile "$base" -o "$out") > "$TMP/list" 2> "$TMP/err"
		rc=$?
		set -e
		if [ $rc -eq 2 ] && grep -q 'cannot use the pre-shared key' "$TMP/err" &&
			grep -q 'keys-unread' "$TMP/lint"; then
			:       # no secret here, and lint said which checks it skipped
		elif [ $rc -ne 0 ]; then
			echo "FAIL: $f: lint exits 0, compile exits $rc"
			grep 'error' "$TMP/err" | head -3 | sed 's/^/  | /'
			failed=$((failed + 1))
		fi
		while read -r path; do
			[ -s "$path" ] || {
				echo "FAIL: $f: compile listed $path but did not write it"
				failed=$((failed + 1))
			}
		done < "$TMP/list"
		;;
	1)
		set +e
		(cd "$dir" && "$TUNC" compile --force "$base" -o "$out") > /dev/null 2> "$TMP/err"
		set -e
		# "FILE:LINE:COL: error: the E emitter cannot write WHAT for GATEWAY
		# [(PLATFORM)] [-WCHECK]": lint reported it when it has an error on
		# that line or one naming that gateway.
		# A refusal that names no gateway ("cannot write filter out on IF")
		# must sit on a line lint reported.
		grep ': error: the [a-z]* emitter cannot' "$TMP/err" |
			sed -e 's/^\([^:]*:[0-9]*\):.* for \([^ ]*\)\( (.*)\)\{0,1\} \[-W.*/\1 \2/' \
			    -e 't' -e 's/^\([^:]*:[0-9]*\):.*/\1 -/' |
			sort -u > "$TMP/refused" || true
		grep ': error: ' "$TMP/lint" > "$TMP/lint-errors" || true
		while read -r at gw; do
			grep -q -F -- "$at:" "$TMP/lint-errors" ||
			{ [ "$gw" != - ] && grep -q -w -F -- "$gw" "$TMP/lint-errors"; } || {
				echo "FAIL: $f: compile refuses $gw at $at, lint reported no error for it"
				grep ': error: the [a-z]* emitter cannot' "$TMP/err" | head -3 |
					sed 's/^/  | /'
				failed=$((failed + 1))
			}
		done < "$TMP/refused"
		;;
	*)
		continue
		;;
	esac
	checked=$((checked + 1))
done

# run and test keep running a policy lint rejects, and say so first.
lim=$top_srcdir/tests/limits
rm -rf "$TMP/out"       # the last policy's compile output, if it compiled
for cmd in "test" "run --send pc1->srv1"; do
	set +e
	# shellcheck disable=SC2086
	(cd "$lim" && "$TUNC" $cmd ios-ipv6-peer.tun) > "$TMP/out" 2> "$TMP/err"
	rc=$?
	set -e
	if [ $rc -gt 1 ] || ! head -1 "$TMP/err" | grep -q \
		"^tunc: note: lint reports 4 errors in this policy (see 'tunc lint ios-ipv6-peer.tun'); running anyway$"; then
		echo "FAIL: tunc $cmd: exit $rc, no lint note on the first line"
		sed 's/^/  | /' "$TMP/err" | head -3
		failed=$((failed + 1))
	fi
	(cd "$top_srcdir/examples/seed003-ios-hq-branch" && "$TUNC" $cmd hq-branch.tun) \
		> /dev/null 2> "$TMP/err" || true
	if grep -q 'lint reports' "$TMP/err"; then
		echo "FAIL: tunc $cmd: a lint note for a policy without errors"
		failed=$((failed + 1))
	fi
done

echo "$checked policies: lint and compile agree ($failed failed)"
[ $failed -eq 0 ]
