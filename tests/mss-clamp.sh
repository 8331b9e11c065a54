#!/bin/sh
# MSS clamping as emitted for Linux (`tcp-mss`, issue 13), on this host's
# real nftables: the tunc_mss table of an emitted xfrm script is loaded
# into a gateway namespace between a client and a server, the client opens
# a TCP connection (its SYN offers MSS 1460 on a 1500-byte link) and the
# server must see the SYN with the tunnel's MSS; the server's SYN-ACK,
# forwarded back, must reach the client lowered too.  Two forms: a
# policy-based tunnel (rules on the far subnet) and a route-based one (rules
# on the xfrm interface's name: here a veth of that name, since the host
# kernel may lack xfrm interfaces; ESP itself is xfrm-kernel.sh's).
. "$top_srcdir/tests/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root for ip netns"
command -v nft >/dev/null || skip "no nft(8)"
command -v tcpdump >/dev/null || skip "tcpdump absent: apt-get install tcpdump"
command -v python3 >/dev/null || skip "no python3"
P=tunc-mss-$$
ip netns add "$P-probe" 2>/dev/null || skip "ip netns add is not permitted here"
ip netns del "$P-probe"
NSLIST=""
cleanup() { for n in $NSLIST; do ip netns del "$n" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT
TUNC_TEST_PSK=Env-supplied-key-9876543210; export TUNC_TEST_PSK
cp "$top_srcdir"/tests/route-based/emitters.tun "$top_srcdir"/tests/route-based/other.psk "$TMP/"
(cd "$TMP" && "$TUNC" compile --force -t xfrm emitters.tun -o out) >/dev/null 2>&1 ||
	fail "emitters.tun does not compile"

# clamp LABEL SCRIPT CLIENT/LEN SERVER/LEN SERVER-SIDE-IFNAME WANT
clamp() {
	label=$1 script=$2 c=$3 sv=$4 ifname=$5 want=$6
	g=$P-g-$label; cl=$P-c-$label; s=$P-s-$label
	NSLIST="$NSLIST $g $cl $s"
	for n in $g $cl $s; do ip netns add $n; ip -n $n link set lo up; done
	ip link add in0 netns $g type veth peer name c0 netns $cl
	ip link add "$ifname" netns $g type veth peer name s0 netns $s
	caddr=${c%/*}; saddr=${sv%/*}
	cgw=$(echo "$caddr" | sed 's/\.[0-9]*$/.1/'); sgw=$(echo "$saddr" | sed 's/\.[0-9]*$/.1/')
	ip -n $g addr add "$cgw/${c#*/}" dev in0; ip -n $g addr add "$sgw/${sv#*/}" dev "$ifname"
	ip -n $cl addr add "$c" dev c0; ip -n $s addr add "$sv" dev s0
	for x in "$g in0" "$g $ifname" "$cl c0" "$s s0"; do set -- $x; ip -n $1 link set $2 up; done
	ip -n $cl route add default via "$cgw"; ip -n $s route add default via "$sgw"
	ip netns exec $g sysctl -qw net.ipv4.ip_forward=1
	# The script's MSS table, exactly as emitted.
	sed -n "/^nft -f - <<'TUNC_NFT'\$/,/^TUNC_NFT\$/p" "$script" | sed '1d;$d' >"$TMP/$label.nft"
	grep -q 'tcp option maxseg size set' "$TMP/$label.nft" || fail "$label: no MSS table in $(basename "$script")"
	ip netns exec $g nft -f "$TMP/$label.nft" || fail "$label: nft refuses the emitted table"
	ip netns exec $s python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 8080)); s.listen(1); s.settimeout(10)
c, _ = s.accept(); c.close()' &
	srv=$!
	ip netns exec $s tcpdump -Z root -n -U -c 1 -i s0 'tcp[tcpflags] == tcp-syn' >"$TMP/$label.s" 2>/dev/null &
	td1=$!
	ip netns exec $cl tcpdump -Z root -n -U -c 1 -i c0 'tcp[tcpflags] == (tcp-syn|tcp-ack)' >"$TMP/$label.c" 2>/dev/null &
	td2=$!
	sleep 1
	ip netns exec $cl python3 -c "
import socket
c = socket.create_connection(('$saddr', 8080), timeout=5); c.close()" ||
		{ kill $srv $td1 $td2 2>/dev/null; fail "$label: no TCP connection through the gateway"; }
	wait $srv || true
	i=0; while { kill -0 $td1 || kill -0 $td2; } 2>/dev/null && [ $i -lt 30 ]; do sleep 0.1; i=$((i + 1)); done
	kill $td1 $td2 2>/dev/null || true
	grep -q "mss $want," "$TMP/$label.s" ||
		{ cat "$TMP/$label.s"; fail "$label: the server saw no SYN with mss $want"; }
	grep -q "mss $want," "$TMP/$label.c" ||
		{ cat "$TMP/$label.c"; fail "$label: the client saw no SYN-ACK with mss $want"; }
	echo "ok   $label: SYN and SYN-ACK through the gateway carry mss $want ($(basename "$script"))"
}
# edge-c -> br-ios (policy-based, `tcp-mss 1360`): rules on 10.2.0.0/24.
clamp policy "$TMP/out/edge-c.xfrm.sh" 10.6.0.10/24 10.2.0.10/24 eth0 1360
# lab-a -> dc-b over ipsec1 (route-based, `tcp-mss auto` on a 1500-byte
# outside link, AES-256-CBC with HMAC-SHA-256: 1438-byte inner packets
# fit, less 40 bytes of IP and TCP headers: 1398, as the engine clamps).
clamp route "$TMP/out/lab-a.xfrm.sh" 10.4.0.10/24 10.5.0.10/24 ipsec1 1398
