# Runs INSIDE the VM (tests/vm/vm-run.sh -f DIR tests/vm/kernel-esp-rx.sh), under bash.
# For every DIR/<case>.xfrm (lines of `ip xfrm` arguments: the SA and its inbound policies),
# replays DIR/<case>.pcap (good packets) then DIR/<case>-bad.pcap (one packet with a
# corrupted ICV) from netns L into netns R over a veth pair, and checks what the real
# kernel did: every good packet accepted by the SA and its inner ICMP echo delivered,
# the bad one counted as an integrity failure and not delivered.  DIR/<case>.n is the
# number of packets in <case>.pcap.
# DIR/<case>.env, when present, describes the receiver (shell assignments):
#   OUTER_SRC, OUTER_DST  the tunnel endpoints (R owns OUTER_DST on vr)
#   INNER_SRC             the sending side's subnet (routed back toward vr)
#   INNER_DST             the inner destination (R owns it on the dummy d0)
#   MAC                   the frames' destination MAC address (vr takes it)
# Without one: 198.51.100.1 -> 203.0.113.1, 192.168.1.0/24 -> 192.168.2.10,
# 02:00:00:00:00:02 (tests/tools/esp_pcap's packets).
# Each case gets fresh namespaces: cases may reuse SPIs and addresses (two runs of
# tunc with the same --seed), and the counters below start from zero.
# Prints "PASS|FAIL case: ..." per case; exit status 1 if any case failed.
rc=0
echos() { ip netns exec R awk '/^Icmp:/{getline; print $10; exit}' /proc/net/snmp; }
for x in /job/files/*.xfrm; do
  c=$(basename "$x" .xfrm)
  OUTER_SRC=198.51.100.1 OUTER_DST=203.0.113.1 INNER_SRC=192.168.1.0/24 INNER_DST=192.168.2.10
  MAC=02:00:00:00:00:02
  [ -f "/job/files/$c.env" ] && . "/job/files/$c.env"
  ip netns add L; ip netns add R
  ip link add vl netns L type veth peer name vr netns R
  ip -n R link set vr address "$MAC"
  for n in L R; do ip -n $n link set lo up; done
  ip -n L link set vl up; ip -n R link set vr up
  ip -n R link add d0 type dummy; ip -n R link set d0 up
  ip -n R addr add "$OUTER_DST/32" dev vr; ip -n R addr add "$INNER_DST/32" dev d0
  ip -n R route add "$OUTER_SRC/32" dev vr; ip -n R route add "$INNER_SRC" dev vr
  while read -r line; do [ -n "$line" ] && eval "ip -n R xfrm $line"; done < "$x"
  spi=$(sed -n 's/.* spi \(0x[0-9a-f]*\).*/\1/p' "$x" | head -1)
  proto=$(sed -n 's/.* proto \([a-z]*\) spi.*/\1/p' "$x" | head -1)
  want=$(cat "/job/files/$c.n")
  e0=$(echos)
  ip netns exec L tcpreplay -q -i vl "/job/files/$c.pcap" >/dev/null 2>&1
  sleep 0.2
  e1=$(echos)
  ip netns exec L tcpreplay -q -i vl "/job/files/$c-bad.pcap" >/dev/null 2>&1
  sleep 0.2
  e2=$(echos)
  st=$(ip -n R -s xfrm state get src "$OUTER_SRC" dst "$OUTER_DST" proto "$proto" spi "$spi")
  pk=$(echo "$st" | awk '/lifetime current:/{getline; sub(/\(packets\)/,"",$2); print $2; exit}')
  failed=$(echo "$st" | sed -n 's/.*replay-window [0-9]* replay [0-9]* failed \([0-9]*\).*/\1/p' | head -1)
  err=$(ip netns exec R grep -E '^XfrmIn' /proc/net/xfrm_stat | awk '$2!=0{printf " %s=%s", $1, $2}')
  good=$((e1 - e0)); bad=$((e2 - e1))
  if [ "${pk:-0}" -eq "$want" ] && [ "$want" -ge 1 ] && [ "$good" -eq "$want" ] && [ "${failed:-0}" -eq 1 ] && [ "$bad" -eq 0 ]; then
    ok=PASS
  else
    ok=FAIL; rc=1
  fi
  echo "$ok $c: $OUTER_SRC -> $OUTER_DST spi=$spi sent=$want sa_packets=$pk echo_delivered=$good integrity_failed=$failed bad_delivered=$bad xfrm_stat:${err:- none}"
  ip netns del L; ip netns del R
done
exit $rc
