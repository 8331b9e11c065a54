#!/bin/sh
# Writes what `tunc lint`, `tunc run`, `tunc test`, `tunc graph` and `tunc compile` print for
# every .tun file in the tree into DIR, one file per command and format, so two
# builds can be compared byte for byte (`diff -r BEFORE AFTER`).  Used to show
# that a speed change leaves every output as it was.
#
#   tests/scale/snapshot-outputs.sh DIR      (from the source tree; TUNC=./tunc)
#
# A tool, not a test: `make check` does not run it.
set -u
TUNC=$(cd "$(dirname "${TUNC:-./tunc}")" && pwd)/$(basename "${TUNC:-./tunc}")
out=${1:?usage: snapshot-outputs.sh DIR}
mkdir -p "$out" || exit 2
find . -name '*.tun' -not -path './.git/*' | LC_ALL=C sort | while read -r f; do
	key=$(printf '%s' "$f" | sed 's|^\./||; s|/|__|g')
	for fmt in text json sarif junit; do
		"$TUNC" lint "$f" --format "$fmt" >"$out/$key.lint.$fmt" 2>&1
		echo "exit $?" >>"$out/$key.lint.$fmt"
	done
	"$TUNC" lint "$f" --all -Werror >"$out/$key.lint.all" 2>&1
	echo "exit $?" >>"$out/$key.lint.all"
	for fmt in text json; do
		"$TUNC" run "$f" --format "$fmt" >"$out/$key.run.$fmt" 2>&1
		echo "exit $?" >>"$out/$key.run.$fmt"
		"$TUNC" run "$f" --count 3 --format "$fmt" >"$out/$key.run3.$fmt" 2>&1
		echo "exit $?" >>"$out/$key.run3.$fmt"
	done
	for fmt in text json junit; do
		"$TUNC" test "$f" --format "$fmt" >"$out/$key.test.$fmt" 2>&1
		echo "exit $?" >>"$out/$key.test.$fmt"
	done
	"$TUNC" graph "$f" >"$out/$key.graph" 2>&1
	echo "exit $?" >>"$out/$key.graph"
	# compile: every file written, with its mode, then its content
	tmp=$(mktemp -d) || exit 2
	(cd "$(dirname "$f")" && "$TUNC" compile "$(basename "$f")" -o "$tmp/o" --force) \
		>/dev/null 2>"$out/$key.compile"
	echo "exit $?" >>"$out/$key.compile"
	if [ -d "$tmp/o" ]; then
		(cd "$tmp/o" && for g in $(ls | LC_ALL=C sort); do
			echo "== $g $(stat -c %a "$g")"; cat "$g"; done) >>"$out/$key.compile"
	fi
	rm -rf "$tmp"
done
