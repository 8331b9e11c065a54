#!/bin/sh
# tunc lint at scale, side by side with Libreswan's `addconn --checkconfig`.
#
#   tests/scale/bench-lint.sh            (from a build directory holding ./tunc)
#   TUNC=path/to/tunc ADDCONN=path/to/addconn RUNS=5 tests/scale/bench-lint.sh
#
# A benchmark, not a test: it builds nothing and is not run by `make check`.
# For N = 10,000 and 100,000 it writes a hub with N spokes (gen-hub.py) and
# the hub's side of the same N tunnels as a Libreswan ipsec.conf, then runs,
# RUNS times each and alternating, `tunc lint` (text and --format json, the
# report to /dev/null) and `addconn --checkconfig`.  It prints the median
# CPU time (user + system: the 2 vCPUs of the build host are shared, which
# stretches wall time but leaves CPU time nearly alone), the median wall
# time and the largest peak RSS of each as a markdown table, then checks
# the targets of issue 15 (doc/performance.md):
#   - tunc lint (text) of 10,000 spokes in at most half of addconn's CPU
#     on the hub's 10,000 conns (medians of the same run),
#   - its peak RSS at 10,000 spokes under 50 MB (50,000,000 bytes),
#   - at 100,000 spokes under 2 KB (2,000 bytes) of peak RSS a tunnel,
#   - 100,000 spokes in at most 12 times the CPU of 10,000.
# Exit status: 0 all targets met, 1 one missed, 2 a tool is missing or wrong.
#
# Libreswan 4.10 (Debian 12), unpacked rather than installed (it conflicts
# with strongSwan's packages):
#   apt-get download libreswan && dpkg-deb -x libreswan_*.deb /tmp/lsw/root
#   apt-get install --no-install-recommends libldns3 libevent-pthreads-2.1-7 \
#       libunbound8 libcurl3-nss libnss3-tools
# Times come from wait4(2)'s resource usage (microseconds; GNU time prints
# hundredths, too coarse for a 0.08 s run), read by Python.
set -u

here=$(cd "$(dirname "$0")" && pwd)
TUNC=${TUNC:-./tunc}
ADDCONN=${ADDCONN:-/tmp/lsw/root/usr/libexec/ipsec/addconn}
RUNS=${RUNS:-5}
SIZES=${SIZES:-"10000 100000"}
PYTHON=${PYTHON:-python3}

die() {
	echo "bench-lint: $*" >&2
	exit 2
}

[ -x "$TUNC" ] || die "no tunc at '$TUNC' (set TUNC=path)"
[ -x "$ADDCONN" ] || die "no addconn at '$ADDCONN' (set ADDCONN=path; see the comment at the top)"
case $RUNS in
'' | *[!0-9]*) die "RUNS must be a number" ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/bench-lint.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$work"' EXIT INT TERM

# runone NAME N COMMAND...: one timed run, appended to $work/NAME-N.times
# as "CPU_SECONDS PEAK_RSS_KIB WALL_SECONDS".  Standard output goes to /dev/null.
runone() {
	name=$1 n=$2
	shift 2
	"$PYTHON" -c '
import os, sys, time
t0 = time.monotonic()
pid = os.spawnvp(os.P_NOWAIT, sys.argv[2], sys.argv[2:])
_, status, ru = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    f.write("%.4f %d %.4f\n" % (ru.ru_utime + ru.ru_stime, ru.ru_maxrss, time.monotonic() - t0))
sys.exit(os.waitstatus_to_exitcode(status))' "$work/t" "$@" >/dev/null 2>"$work/err"
	rc=$?
	# Both inputs are sound: addconn exits 0, tunc too (notes only).
	if [ "$rc" -ne 0 ]; then
		cat "$work/err" >&2
		die "$name on N=$n exited $rc"
	fi
	cat "$work/t" >>"$work/$name-$n.times"
}

median() {  # median of field F (default 1: CPU seconds) of a .times file
	cut -d' ' -f"${2:-1}" "$1" | sort -n | awk '{ v[NR] = $1 } END {
		if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

peak_kib() {  # the largest peak RSS of .times files, in KiB
	cut -d' ' -f2 "$@" | sort -n | tail -n 1
}

peak_mib() {  # the largest peak RSS of a .times file, in MiB
	cut -d' ' -f2 "$1" | sort -n | tail -n 1 | awk '{ printf "%.1f\n", $1 / 1024 }'
}

for n in $SIZES; do
	"$PYTHON" "$here/gen-hub.py" "$n" -o "$work/hub-$n.tun" \
		--libreswan "$work/hub-$n.conf" --secrets "$work/ipsec.secrets" ||
		die "gen-hub.py $n failed"
	echo 'not-a-secret-benchmark-key-0123456789' >"$work/hub.psk"
	chmod 600 "$work/hub.psk"

	# Does each tool really read all N tunnels?  tunc: one note on each
	# end's own traffic, 2N in all.  addconn: a bad keyword in the last
	# conn must be reported, with the line it is on.
	notes=$("$TUNC" lint --format json "$work/hub-$n.tun" | grep -c '"check": *"gateway-own-traffic"')
	[ "$notes" -eq $((2 * n)) ] ||
		die "tunc lint reported $notes gateway-own-traffic notes on N=$n, expected $((2 * n))"
	"$PYTHON" "$here/gen-hub.py" "$n" -o /dev/null --libreswan "$work/broken-$n.conf" \
		--secrets "$work/broken.secrets" --break-last || die "gen-hub.py --break-last failed"
	last=$(wc -l <"$work/broken-$n.conf")
	if "$ADDCONN" --checkconfig --config "$work/broken-$n.conf" >"$work/out" 2>&1; then
		die "addconn accepted a bad keyword in conn t$((n - 1))"
	fi
	grep -q "broken-$n.conf:$last: syntax error" "$work/out" ||
		die "addconn did not report line $last of broken-$n.conf: $(cat "$work/out")"
	"$ADDCONN" --checkconfig --verbose --config "$work/hub-$n.conf" 2>&1 |
		grep -c '^Loading conn t' >"$work/loaded"
	[ "$(cat "$work/loaded")" -eq "$n" ] ||
		die "addconn --verbose loaded $(cat "$work/loaded") conns of $n"

	i=0
	while [ "$i" -lt "$RUNS" ]; do
		# Alternate which tool goes first, so neither always runs on a
		# warmer (or busier) machine.
		if [ $((i % 2)) -eq 0 ]; then
			runone tunc "$n" "$TUNC" lint "$work/hub-$n.tun"
			runone tunc-json "$n" "$TUNC" lint --format json "$work/hub-$n.tun"
			runone addconn "$n" "$ADDCONN" --checkconfig --config "$work/hub-$n.conf"
		else
			runone addconn "$n" "$ADDCONN" --checkconfig --config "$work/hub-$n.conf"
			runone tunc-json "$n" "$TUNC" lint --format json "$work/hub-$n.tun"
			runone tunc "$n" "$TUNC" lint "$work/hub-$n.tun"
		fi
		i=$((i + 1))
	done
done

echo "| N | command | median CPU s | median wall s | peak RSS MiB |"
echo "|---:|---|---:|---:|---:|"
for n in $SIZES; do
	for row in "tunc:\`tunc lint\` (text)" "tunc-json:\`tunc lint --format json\`" \
		"addconn:\`addconn --checkconfig\`"; do
		f=$work/${row%%:*}-$n.times
		echo "| $n | ${row#*:} | $(median "$f") | $(median "$f" 3) | $(peak_mib "$f") |"
	done
done
echo

status=0
verdict() {  # verdict TEXT CONDITION(awk expression, true = met)
	if awk "BEGIN { exit !($2) }"; then
		echo "- met: $1"
	else
		echo "- MISSED: $1"
		status=1
	fi
}
has() {  # has N: was size N measured?
	case " $SIZES " in *" $1 "*) return 0 ;; esac
	return 1
}
if has 10000; then
	t=$(median "$work/tunc-10000.times")
	j=$(median "$work/tunc-json-10000.times")
	a=$(median "$work/addconn-10000.times")
	m=$(peak_kib "$work/tunc-10000.times")
	r=$(awk "BEGIN { printf \"%.2f\", $t / $a }")
	verdict "10,000 spokes: tunc lint ${t} CPU s against addconn's ${a} s = ${r}x (at most half; --format json, which keeps every finding: ${j} s)" \
		"$t <= $a / 2"
	verdict "10,000 spokes: tunc lint peak RSS $m KiB = $((m * 1024)) bytes (under 50 MB)" \
		"$m * 1024 < 50000000"
fi
if has 100000; then
	m=$(peak_kib "$work/tunc-100000.times")
	verdict "100,000 spokes: tunc lint peak RSS $m KiB = $((m * 1024 / 100000)) bytes a tunnel (under 2 KB)" \
		"$m * 1024 / 100000 < 2000"
fi
if has 10000 && has 100000; then
	for name in tunc tunc-json addconn; do
		s=$(median "$work/$name-10000.times")
		l=$(median "$work/$name-100000.times")
		r=$(awk "BEGIN { printf \"%.1f\", $l / $s }")
		case $name in
		addconn) echo "- for comparison: addconn 100,000 / 10,000 = ${r}x" ;;
		*) verdict "$name: 100,000 / 10,000 spokes = ${r}x CPU (at most 12x)" "$l <= 12 * $s" ;;
		esac
	done
fi
exit $status
