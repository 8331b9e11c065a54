#!/bin/sh
# Builds every tests/fuzz/fuzz_*.c with clang's libFuzzer and the address and
# undefined-behaviour sanitizers, and runs each for FUZZ_SECONDS (default 60)
# from its seed corpus.  Exits 1 on the first crash, leak or sanitizer report.
#
#   FUZZ_SECONDS=300 tests/fuzz/run-fuzzers.sh [NAME...]
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${FUZZ_SECONDS:-60}
work=${FUZZ_WORK:-/tmp/tunc-fuzz}
command -v clang >/dev/null || { echo "SKIP: clang is not installed (apt-get install clang)"; exit 0; }

rm -rf "$work" && mkdir -p "$work"
git clone -q "$top" "$work/src" 2>/dev/null || cp -a "$top" "$work/src"
cd "$work/src"
[ -x configure ] || autoreconf -fi >/dev/null 2>&1
flags="-g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all"
./configure -q CC=clang CFLAGS="$flags" >/dev/null
make -j"$(nproc)" libtunc.a libtuncgrammar.a >/dev/null

names=${*:-$(cd tests/fuzz && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')}
status=0
for name in $names; do
	bin="$work/fuzz_$name"
	clang $flags -fsanitize=fuzzer -std=c11 -D_GNU_SOURCE -I. -Isrc -Igrammar -Iemit \
		$(pkg-config --cflags libxml-2.0) \
		"tests/fuzz/fuzz_$name.c" libtunc.a libtuncgrammar.a libtunc.a \
		$(pkg-config --libs libxml-2.0 libcrypto libpcap) -o "$bin"
	corpus="$work/corpus-$name"
	mkdir -p "$corpus"
	[ -d "tests/fuzz/corpus-$name" ] && cp tests/fuzz/corpus-"$name"/* "$corpus"/ 2>/dev/null || true
	# Inputs that once found a defect (tests/fuzz/crashers/NAME/, replayed by
	# `make check` too: tests/fuzz-replay.sh).
	[ -d "tests/fuzz/crashers/$name" ] && cp tests/fuzz/crashers/"$name"/* "$corpus"/ 2>/dev/null || true
	# The parser starts from every example and golden input.
	[ "$name" = parser ] && find examples tests/golden -name '*.tun' -exec cp {} "$corpus"/ \; 2>/dev/null || true
	# A dictionary of the format's words, where the target has one.
	dict=
	[ -f "tests/fuzz/$name.dict" ] && dict="-dict=$work/src/tests/fuzz/$name.dict"
	echo "fuzz_$name: ${seconds}s${dict:+ (with a dictionary)}"
	if ! (cd "$work" && "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 $dict "$corpus" >"$work/fuzz_$name.log" 2>&1); then
		tail -60 "$work/fuzz_$name.log"
		echo "fuzz_$name: FAILED (reproducer in $work: fix the defect, then keep the input in tests/fuzz/crashers/$name/, see its README)"
		status=1
	else
		grep -E 'stat::number_of_executed_units|Done' "$work/fuzz_$name.log" | tail -2
	fi
done
exit $status
