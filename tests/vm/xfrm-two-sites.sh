# Runs INSIDE the VM (tests/xfrm-kernel.sh), under bash: two sites joined by
# the two emitted xfrm scripts of one tunnel, on a real kernel with ESP.
#
#   H1 ── A (gateway) ══ R (router) ══ B (gateway) ── H2
#
# Each gateway namespace is built from its script's `tunc-iface` and
# `tunc-route` lines; R answers on the gateways' default next hops; each
# host takes address .10 of its gateway's inside subnet.  Both scripts run
# twice (re-running must replace, not fail); then H1 pings H2 while tcpdump
# on R's link to A records what crosses the Internet.  A route-based pair
# (xfrm interfaces, issue 13) must also have sent the ping through them.
# F (the scripts' directory) and OUT (where the capture goes) default to
# /job/files and /out; tests/vm/xfrm-pairs.sh runs this once per pair.
set -u
F=${F:-/job/files}; OUT=${OUT:-/out}
A=$(ls $F/*.xfrm.sh | head -1); B=$(ls $F/*.xfrm.sh | tail -1)
sysctl -q -w net.ipv4.ip_forward=1 >/dev/null 2>&1 || true
ip netns add R
ip netns exec R sysctl -w net.ipv4.ip_forward=1 >/dev/null
n=0
for script in "$A" "$B"; do
  n=$((n + 1)); gw=G$n; host=H$n
  ip netns add $gw; ip netns add $host
  ip -n $gw link set lo up; ip -n $host link set lo up
  via=$(sed -n 's/^#   tunc-route 0.0.0.0\/0 via \([^ ]*\) dev \([^ ]*\)$/\1 \2/p' "$script")
  set -- $via; nh=$1; wan=$2
  sed -n 's/^#   tunc-iface //p' "$script" > /tmp/ifaces
  while read -r ifname addr rest; do
    if [ "$ifname" = "$wan" ]; then
      ip link add "$ifname" netns $gw type veth peer name r$n netns R
      plen=${addr#*/}
      ip -n R addr add "$nh/$plen" dev r$n; ip -n R link set r$n up
    else
      ip link add "$ifname" netns $gw type veth peer name hv netns $host
      hostaddr=$(echo "${addr%/*}" | awk -F. '{print $1"."$2"."$3".10"}')
      ip -n $host addr add "$hostaddr/${addr#*/}" dev hv; ip -n $host link set hv up
      ip -n $host route add default via "${addr%/*}"
      echo "$hostaddr" > /tmp/host$n
    fi
    ip -n $gw addr add "$addr" dev "$ifname"; ip -n $gw link set "$ifname" up
  done < /tmp/ifaces
  ip -n $gw route add default via "$nh" dev "$wan"
  for pass in 1 2; do
    if ! ip netns exec $gw bash "$script" > /tmp/run.out 2>&1; then
      echo "FAIL $(basename "$script"): run $pass exited non-zero"; cat /tmp/run.out; exit 1
    fi
  done
  states=$(ip -n $gw xfrm state | grep -c '^src ')
  pols=$(ip -n $gw xfrm policy | grep -c '^src ')
  echo "PASS $(basename "$script"): ran twice in $gw; $states states, $pols policies loaded"
done
H2ADDR=$(cat /tmp/host2)
ip netns exec R tcpdump -Z root -n -U -i r1 -w $OUT/wire.pcap ip 2>/tmp/tcpdump.err & TP=$!
sleep 2
PRC=0
ip netns exec H1 ping -c 3 -W 3 "$H2ADDR" > /tmp/ping.out 2>&1 || PRC=$?
sleep 1; kill $TP 2>/dev/null; wait $TP 2>/dev/null
cat /tmp/ping.out | tail -2
tcpdump -Z root -n -r $OUT/wire.pcap > /tmp/wire.txt 2>/tmp/read.err || { cat /tmp/tcpdump.err /tmp/read.err; }
esp=$(grep -c 'ESP(spi=' /tmp/wire.txt)
clear=$(grep -vc 'ESP(spi=' /tmp/wire.txt)
echo "wire between A and R: $esp ESP packets, $clear other IP packets"
grep -v 'ESP(spi=' /tmp/wire.txt | head -5
rc=0
[ "$PRC" -eq 0 ] && echo "PASS ping H1 -> $H2ADDR answered" || { echo "FAIL ping H1 -> $H2ADDR: rc=$PRC"; rc=1; }
[ "$esp" -ge 6 ] && [ "$clear" -eq 0 ] && echo "PASS the link carries only ESP" || { echo "FAIL the link does not carry only ESP"; rc=1; }
for g in G1 G2; do
  for i in $(ip -n $g -o link show type xfrm | sed -n 's/^[0-9]*: \([^:@]*\)[:@].*/\1/p'); do
    tx=$(ip -n $g -s link show "$i" | awk '/TX:/ { getline; print $2 }')
    rx=$(ip -n $g -s link show "$i" | awk '/RX:/ { getline; print $2 }')
    if [ "${tx:-0}" -ge 3 ] && [ "${rx:-0}" -ge 3 ]; then
      echo "PASS xfrm interface $i of $g: $tx packets sent into it, $rx came out of it"
    else
      echo "FAIL xfrm interface $i of $g: $tx packets sent into it, $rx came out of it"; rc=1
    fi
  done
done
# MSS clamping (tcp-mss): where the scripts clamp, a SYN from H1 (MSS 1460
# from its 1500-byte link) must reach H2 with the MSS the script sets, and
# the SYN-ACK must come back clamped too; tcpdump on both hosts' links
# shows the option before and after the gateways.
MSS=$(sed -n 's/.*tcp option maxseg size set \([0-9]*\) .*/\1/p' "$A" | head -1)
if [ -n "$MSS" ]; then
  H1ADDR=$(cat /tmp/host1)
  for h in H1 H2; do
    ip netns exec $h tcpdump -Z root -n -U -i hv -w $OUT/syn-$h.pcap 'tcp[tcpflags] & tcp-syn != 0' 2>/dev/null & eval "T$h=\$!"
  done
  ip netns exec H2 busybox nc -l -p 8080 >/dev/null 2>&1 & NC=$!
  sleep 2
  ip netns exec H1 busybox timeout 5 bash -c "exec 3<>/dev/tcp/$H2ADDR/8080" 2>/dev/null
  sleep 1; kill $TH1 $TH2 $NC 2>/dev/null; wait $TH1 $TH2 2>/dev/null
  for h in H1 H2; do tcpdump -Z root -n -v -r $OUT/syn-$h.pcap 2>/dev/null | grep -o '^.*> [0-9.]*: Flags \[S\.*\].*mss [0-9]*' | sed "s/^/$h: /" | sed 's/Flags \(\[[^]]*\]\).*\(mss [0-9]*\)/\1 \2/'; done > /tmp/syn.txt
  cat /tmp/syn.txt
  sent=$(grep -c "^H1: .*$H1ADDR\.[0-9]* > $H2ADDR\.8080: \[S\] mss 1460$" /tmp/syn.txt)
  got=$(grep -c "^H2: .*$H1ADDR\.[0-9]* > $H2ADDR\.8080: \[S\] mss $MSS$" /tmp/syn.txt)
  back=$(grep -c "^H1: .*$H2ADDR\.8080 > $H1ADDR\.[0-9]*: \[S\.\] mss $MSS$" /tmp/syn.txt)
  if [ "$sent" -ge 1 ] && [ "$got" -ge 1 ] && [ "$back" -ge 1 ]; then
    echo "PASS tcp-mss: the SYN left H1 with mss 1460 and reached H2 with mss $MSS; the SYN-ACK came back with mss $MSS"
  else
    echo "FAIL tcp-mss: expected the SYN clamped from 1460 to $MSS both ways (sent $sent, clamped $got, SYN-ACK $back)"
    for g in G1 G2; do ip netns exec $g nft list ruleset; done; rc=1
  fi
fi
for g in G1 G2; do ip -n $g -s xfrm state | grep -E '^src|lifetime current' -A1 | grep -E '^src|bytes' ; done | head -8
exit $rc
