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
# Keyed by IKE: the scripts set up interfaces, routes and NAT, and each
# gateway's charon (kernel-netlink: the kernel's own ESP) loads its
# swanctl.conf; the first gateway starts the CHILD_SA (tests/charon-kernel.sh).
if ls $F/*.swanctl.conf >/dev/null 2>&1; then
  [ -x /usr/lib/ipsec/charon ] || { echo "FAIL no charon in this VM image"; exit 1; }
  # Each daemon stopped by its PID when this pair is done (the next pair
  # reuses the namespace names and the sockets' paths).
  CHARON_PIDS=""
  trap 'for p in $CHARON_PIDS; do kill $p 2>/dev/null; done; for p in $CHARON_PIDS; do wait $p 2>/dev/null; done; rm -rf /tmp/charon-G1 /tmp/charon-G2' EXIT
  n=0
  for script in "$A" "$B"; do
    n=$((n + 1)); gw=G$n; w=/tmp/charon-$gw; mkdir -p $w
    conf=${script%.xfrm.sh}.swanctl.conf
    cat > $w/strongswan.conf <<EOF_CONF
charon {
  load_modular = no
  load = random nonce openssl aes sha1 sha2 md5 hmac gcm gmp kdf pem pkcs1 x509 pubkey kernel-netlink socket-default vici
  install_routes = no
  retransmit_tries = 2
  retransmit_timeout = 1
  plugins {
    vici {
      socket = unix://$w/charon.vici
    }
  }
  filelog {
    log {
      path = $w/charon.log
      default = 1
      ike = 2
      time_format = %T
      flush_line = yes
    }
  }
}
swanctl {
  load = pem pkcs1 x509 pubkey openssl random
}
EOF_CONF
    ip netns exec $gw unshare -m sh -c "mount -t tmpfs tmpfs /run && mount -t tmpfs tmpfs /var/run && STRONGSWAN_CONF=$w/strongswan.conf exec /usr/lib/ipsec/charon" > $w/stdout 2>&1 &
    CHARON_PIDS="$CHARON_PIDS $!"
    i=0; while [ ! -S $w/charon.vici ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
    [ -S $w/charon.vici ] || { echo "FAIL charon did not start in $gw"; cat $w/stdout; exit 1; }
    if ! STRONGSWAN_CONF=$w/strongswan.conf swanctl --load-all --file "$conf" --uri unix://$w/charon.vici > $w/load.out 2>&1; then
      echo "FAIL swanctl --load-all $(basename "$conf") in $gw"; cat $w/load.out; exit 1
    fi
    echo "PASS charon in $gw loaded $(basename "$conf"): $(grep -c 'loaded connection' $w/load.out) connection(s)"
  done
  child=$(awk '/^    children \{/ { getline; sub(/^ +/, ""); print $1; exit }' "${A%.xfrm.sh}.swanctl.conf")
  w=/tmp/charon-G1
  if STRONGSWAN_CONF=$w/strongswan.conf timeout 20 swanctl --initiate --child "$child" --uri unix://$w/charon.vici > $w/init.out 2>&1; then
    echo "PASS charon in G1 initiated CHILD_SA $child: $(grep -o 'CHILD_SA [^ ]* established.*' $w/init.out | head -1)"
  else
    echo "FAIL charon in G1 could not initiate $child"; tail -20 $w/init.out; tail -20 /tmp/charon-G2/charon.log; exit 1
  fi
  for g in G1 G2; do
    echo "kernel SAs in $g: $(ip -n $g xfrm state | grep -c '^src ') states ($(ip -n $g xfrm state | sed -n 's/^\t*\(aead\|enc\) \([^ ]*\) .*/\2/p' | sort -u | tr '\n' ' '))"
  done
fi
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
