#!/bin/sh
# Every fuzz target (tests/fuzz/fuzz_NAME.c) replays, without libFuzzer, its
# seed corpus (tests/fuzz/corpus-NAME/) and every input that once found a
# defect (tests/fuzz/crashers/NAME/), through tests/fuzz/replay_NAME built
# by `make check` -- so under the sanitizer build too.  The parser's corpus
# is every example and golden .tun, as in run-fuzzers.sh.  A crash, an
# abort (a target's own check) or a sanitizer report fails the test.
. "$top_srcdir/tests/lib.sh"
: "${top_builddir:?top_builddir must be set}"
fz="$top_srcdir/tests/fuzz"
status=0
# The engine.xml target needs the schema; an uninstalled build finds it here.
TUNC_SCHEMA_DIR="$top_srcdir/data"; export TUNC_SCHEMA_DIR
for src in "$fz"/fuzz_*.c; do
	name=$(basename "$src" .c); name=${name#fuzz_}
	bin="$top_builddir/tests/fuzz/replay_$name"
	[ -x "$bin" ] || { echo "FAIL $name: $bin was not built (tests/local.mk)"; status=1; continue; }
	set --
	[ -d "$fz/corpus-$name" ] && set -- "$@" "$fz/corpus-$name"
	[ -d "$fz/crashers/$name" ] && set -- "$@" "$fz/crashers/$name"
	if [ "$name" = parser ]; then
		for f in $(cd "$top_srcdir" && find examples tests/golden -name '*.tun' | LC_ALL=C sort); do
			set -- "$@" "$top_srcdir/$f"
		done
	fi
	if [ $# -eq 0 ]; then
		echo "--   $name: no corpus and no crashers"
		continue
	fi
	rc=0
	"$bin" "$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "FAIL $name: exit $rc on $(grep '^replay: ' "$TMP/err" | tail -1 | sed 's/^replay: //')"
		tail -30 "$TMP/err"
		status=1
		continue
	fi
	echo "ok   $name: $(cat "$TMP/out")"
done
# The replay itself must notice a defect: an unreadable input fails it.
rc=0
"$top_builddir/tests/fuzz/replay_parser" "$TMP/nosuch" >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || { echo "FAIL replay of a missing file: exit $rc, not 2"; status=1; }
exit $status
