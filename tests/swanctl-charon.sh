#!/bin/sh
# Every Linux-to-Linux example (two Linux gateways whose tunnel is keyed by
# IKE) against the real strongSwan: both ends compiled by tunc, two charon
# daemons in network namespaces started from the emitted swanctl.conf and
# xfrm scripts (tests/charon-pair.sh), the IKE_SA and CHILD_SA established,
# a ping from one site's host to the other's answered, and nothing but IKE,
# ESP-in-UDP or ESP on the link between the gateways (tcpdump).  First,
# every swanctl.conf tunc emits (examples and fixtures) must load into
# charon as written.  SKIP where charon cannot run.  Prints the time each
# pair took.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/charon-pair.sh"
charon_require
command -v tcpdump >/dev/null || skip "tcpdump absent: apt-get install tcpdump"
trap 'cp_cleanup; rm -rf "$TMP"' EXIT

# Every swanctl.conf tunc writes (examples and emitter fixtures) is
# accepted by charon as written: connections, proposals, secrets.
TUNC_TEST_PSK=Env-supplied-key-9876543210; export TUNC_TEST_PSK
cp_loader
loaded=0
for tun in "$top_srcdir"/examples/*.tun "$top_srcdir"/examples/*/*.tun "$top_srcdir"/tests/emit/*.tun \
	   "$top_srcdir"/tests/route-based/emitters.tun; do
	[ -f "$tun" ] || continue
	out=$TMP/load
	rm -rf "$out"
	(cd "$(dirname "$tun")" && "$TUNC" compile --force -t swanctl "$(basename "$tun")" -o "$out") \
		>/dev/null 2>&1 || true
	for f in "$out"/*.swanctl.conf; do
		[ -f "$f" ] || continue
		cp_swanctl L --load-all --clear --file "$f" 2>&1 | grep -v '^opening directory' >"$TMP/load.log"
		grep -q 'failed\|invalid\|error' "$TMP/load.log" &&
			{ cat "$TMP/load.log"; fail "${tun#"$top_srcdir"/}: charon refuses $(basename "$f")"; }
		loaded=$((loaded + 1))
	done
done
[ "$loaded" -gt 0 ] || fail "no swanctl.conf was emitted"
echo "ok: $loaded emitted swanctl.conf files load into charon"
cp_cleanup

pairs=0
for tun in "$top_srcdir"/examples/*.tun "$top_srcdir"/examples/*/*.tun; do
	[ -f "$tun" ] || continue
	rel=${tun#"$top_srcdir"/}
	out=$TMP/files
	rm -rf "$out"
	(cd "$(dirname "$tun")" && "$TUNC" compile "$(basename "$tun")" -o "$out") >/dev/null 2>&1 ||
		continue
	# Linux to Linux: exactly two gateways, both written as swanctl.conf
	# with an IKE connection, nothing else but engine.xml.
	n=0 others=0 gws=""
	for f in "$out"/*; do
		case $f in
		*.swanctl.conf) grep -q '^    version = ' "$f" && { n=$((n + 1)); gws="$gws $(basename "$f" .swanctl.conf)"; } ;;
		*.xfrm.sh | */engine.xml) ;;
		*) others=$((others + 1)) ;;
		esac
	done
	[ "$n" = 2 ] && [ "$others" = 0 ] || continue
	set -- $gws
	pairs=$((pairs + 1))
	t0=$(date +%s.%N)
	cp_pair "$out" "$1" "$2" || fail "$rel: the namespaces or charon did not come up"
	child=$(cp_child_of "$out/$1.swanctl.conf")
	[ -n "$child" ] || fail "$rel: no child in $1.swanctl.conf"
	# The wire between gw-A and the Internet, while the tunnel comes up.
	ip netns exec "cp$$-inet" tcpdump -i A1 -nn -U -w "$TMP/wire.pcap" >/dev/null 2>&1 &
	dump=$!
	CP_PIDS="$CP_PIDS $dump"
	sleep 0.5
	cp_swanctl A --initiate --child "$child" --timeout 20 >"$TMP/initiate.log" 2>&1 ||
		{ cat "$TMP/initiate.log"; tail -20 "$TMP/charon-B/charon.log"; fail "$rel: swanctl --initiate failed"; }
	for tag in A B; do
		cp_swanctl $tag --list-sas >"$TMP/sas.$tag" 2>&1
		grep -q ESTABLISHED "$TMP/sas.$tag" || { cat "$TMP/sas.$tag"; fail "$rel: no IKE_SA on gw-$tag"; }
		grep -q INSTALLED "$TMP/sas.$tag" || { cat "$TMP/sas.$tag"; fail "$rel: no CHILD_SA on gw-$tag"; }
	done
	ip netns exec "cp$$-A-h" ping -c 3 -W 2 "$HOST_B" >"$TMP/ping.log" 2>&1 ||
		{ cat "$TMP/ping.log"; fail "$rel: host-A ($HOST_A) got no answer from host-B ($HOST_B) through the tunnel"; }
	# Let the capture catch up with the last reply before stopping it.
	sleep 1
	kill -INT "$dump" 2>/dev/null || true
	wait "$dump" 2>/dev/null || true
	# Only IKE (UDP 500/4500, ESP-in-UDP) or ESP between the gateways;
	# ARP is not IP; ICMPv6, link-local IPv6 and the unspecified source
	# between the gateways are neighbour discovery and multicast listener
	# reports (an MLD report from :: comes behind a hop-by-hop header, so
	# 'icmp6' alone does not match it).
	tcpdump -nn -r "$TMP/wire.pcap" '(ip and not (udp port 500 or udp port 4500 or ip proto 50)) or
		(ip6 and not src net fe80::/10 and not src host :: and not (udp port 500 or udp port 4500 or ip6 proto 50 or icmp6))' \
		>"$TMP/clear.txt" 2>/dev/null
	[ -s "$TMP/clear.txt" ] && { cat "$TMP/clear.txt"; fail "$rel: clear traffic on the link between the gateways"; }
	# ESP-in-UDP: not the 4 zero bytes of IKE's non-ESP marker (RFC 3948).
	esp=$(tcpdump -nn -r "$TMP/wire.pcap" '(ip and udp port 4500 and udp[8:4] != 0) or (ip6 and udp port 4500 and ip6[48:4] != 0) or ip proto 50 or ip6 proto 50' 2>/dev/null | wc -l)
	# Each answered echo crossed the link twice, as ESP.
	got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$TMP/ping.log")
	[ "$esp" -ge $((2 * got)) ] || { cat "$TMP/ping.log"; tcpdump -nn -r "$TMP/wire.pcap" 2>/dev/null | tail -20
		fail "$rel: only $esp ESP packets on the wire for $got answered pings"; }
	t1=$(date +%s.%N)
	echo "ok: $rel: $1 <-> $2 up, ping $HOST_A -> $HOST_B answered ($got of 3), $esp ESP packets on the wire ($(echo "$t1 - $t0" | bc) s)"
	cp_cleanup
done
[ "$pairs" -gt 0 ] || fail "no Linux-to-Linux example keyed by IKE found"
echo "$pairs pair(s) up through charon"
