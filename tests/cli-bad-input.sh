#!/bin/sh
# Bad input on every path of the command line: each case must end with its
# exit status (2 for usage, I/O and parse errors), a message naming the
# problem (with its location for files), no sanitizer report, within the
# time limit, and for the file-writing cases nothing half-written.
. "$top_srcdir/tests/lib.sh"
ex="$top_srcdir/examples/seed003-ios-hq-branch"
[ -f "$ex/hq-branch.tun" ] || skip "examples not present"

cp "$ex/hq-branch.tun" "$ex/hq-branch.psk" "$TMP/"
cd "$TMP"
F=hq-branch.tun

# Inputs.
: > empty.tun
printf 'site a {\n\tsubnet 10.0.0.0/8;\n\thost h1 10.0.0.1;\0\n}\n' > nul.tun
printf 'site a {\n\tsubnet 10.0.0.0/8;\n' > truncated.tun
mkdir adir
: > afile
# One 8 MB comment line: flex rescanned such a token from its start on each
# 8 KiB refill (quadratic: minutes under the sanitizers).
awk 'BEGIN { printf "# "; for (i = 0; i < 8192; i++) printf "%01024d", 0; printf "\n" }' \
	> longline.tun
sed 's/psk file "hq-branch.psk"/psk file "missing.psk"/' $F > nopsk.tun
sed 's/psk file "hq-branch.psk"/psk file "adir"/' $F > dirpsk.tun
sed 's/psk file "hq-branch.psk"/psk env "TUNC_TEST_UNSET_PSK"/' $F > envpsk.tun
unset TUNC_TEST_UNSET_PSK
grep -q 'psk file "missing.psk"' nopsk.tun || fail "the example no longer has 'psk file'"
"$TUNC" compile $F -t engine -o eng > /dev/null || fail "cannot compile engine.xml"
cp eng/engine.xml engine-as.tun
cp $F policy-as.xml

if command -v timeout > /dev/null 2>&1; then
	limit="timeout 20"
else
	limit=""
fi

passed=0
failed=0
# t STATUS FRAGMENT ARGS...: tunc ARGS exits STATUS, its output (standard
# error, then standard output) contains FRAGMENT (grep -F), and no
# sanitizer spoke.
t() {
	want=$1 frag=$2
	shift 2
	set +e
	$limit "$TUNC" "$@" > out 2> err
	rc=$?
	set -e
	why=""
	if [ $rc -ne "$want" ]; then
		why="exit $rc, want $want"
	elif ! cat err out | grep -F -q -- "$frag"; then
		why="no '$frag' in the output"
	elif grep -E -q 'Sanitizer|runtime error:' err; then
		why="sanitizer report"
	fi
	if [ -z "$why" ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL: tunc $*: $why"
		sed 's/^/  | /' err | head -5
	fi
}
# Like t, and standard output must stay empty (no results before the error).
tq() {
	t "$@"
	if [ -s out ] && [ $rc -eq "$1" ]; then
		shift 2
		passed=$((passed - 1))
		failed=$((failed + 1))
		echo "FAIL: tunc $*: wrote results before failing"
	fi
}

# Files given as FILE.tun.
for cmd in lint compile test graph run; do
	t 2 "cannot read 'missing.tun': No such file or directory" $cmd missing.tun
	t 2 "cannot read 'adir': Is a directory" $cmd adir
	t 2 "nul.tun:3:19: error: NUL byte" $cmd nul.tun
	t 2 "truncated.tun:1:8: error: site 'a' is not closed" $cmd truncated.tun
done
for cmd in lint compile test graph; do
	t 2 "engine-as.tun:1:1: error: invalid character" $cmd engine-as.tun
	t 2 "is an engine model: only 'tunc run' reads it" $cmd eng/engine.xml
done
t 2 "policy-as.xml:1:1: error: policy-as.xml is not well-formed XML" run policy-as.xml
t 0 "no findings" lint longline.tun

# Pre-shared keys the engine needs: an input error, not a dropped packet.
t 2 "nopsk.tun:90:2: error: cannot use the pre-shared key of tunnel hq-branch: cannot read 'missing.psk'" \
	run nopsk.tun --send 'pc1 -> srv1'
t 2 "nopsk.tun:90:2: error: cannot use the pre-shared key" test nopsk.tun
t 2 "nopsk.tun:90:2: error: cannot use the pre-shared key" compile nopsk.tun -o nopsk-out
[ ! -e nopsk-out ] || { failed=$((failed + 1)); echo "FAIL: compile nopsk.tun wrote nopsk-out"; }
t 2 "cannot read 'adir': Is a directory" test dirpsk.tun
t 2 "the environment variable TUNC_TEST_UNSET_PSK is not set" run envpsk.tun
t 2 "the environment variable TUNC_TEST_UNSET_PSK is not set" test envpsk.tun --format json

# Command line.
t 2 "no command given"
t 2 "unknown command 'nosuch'" nosuch
t 2 "unknown command 'nosuch'" help nosuch
t 0 "usage: tunc lint" help lint
for cmd in lint compile run test graph explain bench; do
	t 2 "unknown option '--bogus'" $cmd --bogus
	t 0 "usage: tunc $cmd" $cmd --help
done
t 2 "unexpected argument 'hq-branch.tun'" bench $F
t 2 "no FILE given" lint
t 2 "no FILE given" compile
t 2 "no policy file given" run
t 2 "no policy file given" test
t 2 "no policy file given" graph
t 2 "more than one FILE given" lint $F $F
t 2 "option '-o' needs a value" lint $F -o
t 2 "option '--format' needs a value" lint $F --format
t 2 "option '--allow-key-path' needs a directory" lint $F --allow-key-path
t 2 "unknown format 'xml'" lint $F --format=xml
# --from FORMAT: an unknown format is named, with the formats there are.
for cmd in lint import run test graph; do
	tq 2 "tunc: unknown format 'cisco' for --from; the formats are ios, swanctl, pix, asa, ipsecconf" \
		$cmd --from cisco $F
	tq 2 "option '--from' needs a value" $cmd $F --from
done
t 2 "unknown check 'nosuch'" lint $F -Wnosuch
t 2 "cannot be disabled" lint $F -Wno-syntax
t 2 "cannot write 'afile/x.json': Not a directory" lint $F --format json -o afile/x.json
t 2 "cannot write 'adir': Is a directory" lint $F -o adir
t 2 "option '-t' needs a value" compile $F -t
t 2 "unknown target 'nosuch'" compile $F -t nosuch
t 2 "no gateway or peer named 'nosuch'" compile $F -g nosuch -o nosuch-out
t 2 "cannot create 'afile/out': Not a directory" compile $F -o afile/out
t 0 "nothing to write" compile $F -t xfrm -o xfrm-out
[ ! -e xfrm-out ] || { failed=$((failed + 1)); echo "FAIL: compile -t xfrm created xfrm-out"; }
t 2 "--output needs a file name" graph $F --output
t 2 "cannot write 'afile/g.dot'" graph $F -o afile/g.dot
t 2 "unknown check 'nosuch'" explain nosuch
t 2 "--list takes no NAME" explain --list gateway-own-traffic
t 0 "gateway-own-traffic:" explain -Wgateway-own-traffic
# Options come from tables parsed by getopt_long: grouped short options,
# unambiguous abbreviations of long ones, "--" before a file named like an
# option, tunc's own options before the command.
t 0 "selector-mirror " explain -lv
t 0 "usage: tunc lint" lint --he
t 2 "unknown option '--bogus'" --bogus
t 0 "tunc " -V
t 2 "cannot read '-o': No such file or directory" lint -- -o
t 2 "unknown option '-x'" graph -x $F

# run --send, --count, --seed, --format, --pcap, --keylog.
tq 2 "the destination is missing" run $F --send 'pc1 ->'
tq 2 "the source is missing" run $F --send '-> srv1'
tq 2 "'nosuch' is not a host, a gateway, an address or a prefix" run $F --send 'nosuch -> srv1'
tq 2 "'70000' is not a port" run $F --send 'pc1 -> srv1 tcp 70000'
tq 2 "unknown protocol 'bogus'" run $F --send 'pc1 -> srv1 bogus'
tq 2 "unexpected 'extra' after the port" run $F --send 'pc1 -> srv1 tcp 80 extra'
tq 2 "--send needs a value" run $F --send
for n in 0 -1 65536 99999999999999999999999 0x10 abc ''; do
	tq 2 "--count: '$n' is not a number from 1 to 65535" run $F --count "$n"
done
for n in abc -5 1e3 0x10 99999999999999999999999; do
	tq 2 "--seed: '$n' is not a number" run $F --seed "$n"
done
tq 2 "--format: 'xml' is not text or json" run $F --format xml
tq 2 "--pcap needs a directory" run $F --pcap ''
tq 2 "cannot create afile/caps: Not a directory" run $F --pcap afile/caps
tq 2 "--keylog needs a file name" run $F --keylog=
tq 2 "cannot write missing-dir/esp_sa: No such file or directory" run $F --keylog missing-dir/esp_sa
tq 2 "cannot write adir: Is a directory" run $F --keylog adir
t 2 "--format: 'xml' is not text, json or junit" test $F --format xml

# bench (small, so that the good cases are quick).
for v in -1 50000001 abc 1e3; do
	tq 2 "--spd: '$v' is not a number from 0 to 50000000" bench --spd="$v" --packets 1
done
tq 2 "--spd needs a value" bench --spd
tq 2 "--spd needs a value" bench --spd=
tq 2 "--size: '19' is not a size from 20 to 65000 bytes" bench --size 19
tq 2 "--size: '65001' is not a size" bench --size 65001
tq 2 "--packets: '0' is not a number from 1" bench --packets 0
tq 2 "--alg: 'des-sha1' is not an ESP suite" bench --alg des-sha1
tq 2 "--format: 'yaml' is not text or json" bench --format yaml
tq 2 "unknown option '--bogus=1'" bench --bogus=1
t 0 "null-sha1" bench --spd 0 --packets 2 --size 20 --alg null-sha1
t 0 "aes128-gcm" bench --spd=10 --packets=2 --size=65000 --alg=aes128-gcm

# Results that cannot be written are a failure.
if [ -w /dev/full ]; then
	for args in "explain --list" "test $F" "run $F --send pc1->srv1" "lint $F" "graph $F"; do
		set +e
		# shellcheck disable=SC2086
		$limit "$TUNC" $args > /dev/full 2> err
		rc=$?
		set -e
		if [ $rc -eq 2 ] && grep -q 'No space left on device' err; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
			echo "FAIL: tunc $args > /dev/full: exit $rc"
		fi
	done
fi

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
