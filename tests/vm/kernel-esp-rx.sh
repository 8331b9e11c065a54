# Runs INSIDE the VM (tests/vm/vm-run.sh -f DIR tests/vm/kernel-esp-rx.sh), under bash.
# For every DIR/<case>.xfrm (lines of `ip xfrm` arguments: the SA and an inbound policy),
# replays DIR/<case>.pcap (good packets) then DIR/<case>-bad.pcap (one packet with a
# corrupted ICV) from netns L into netns R over a veth pair, and checks what the real
# kernel did: every good packet accepted by the SA and its inner ICMP echo delivered,
# the bad one counted as an integrity failure and not delivered.
# One network setup for all cases (each case has its own SPI), to keep the TCG boot short.
# Prints "PASS|FAIL case: ..." per case; exit status 1 if any case failed.
rc=0
ip netns add L; ip netns add R
ip link add vl netns L type veth peer name vr netns R
ip -n R link set vr address 02:00:00:00:00:02
for n in L R; do ip -n $n link set lo up; done
ip -n L link set vl up; ip -n R link set vr up
ip -n R link add d0 type dummy; ip -n R link set d0 up
ip -n R addr add 203.0.113.1/32 dev vr; ip -n R addr add 192.168.2.10/24 dev d0
ip -n R route add 198.51.100.0/24 dev vr; ip -n R route add 192.168.1.0/24 dev vr
echos() { ip netns exec R awk '/^Icmp:/{getline; print $10; exit}' /proc/net/snmp; }
for x in /job/files/*.xfrm; do
  c=$(basename "$x" .xfrm)
  while read -r line; do [ -n "$line" ] && eval "ip -n R xfrm $line"; done < "$x"
  spi=$(sed -n 's/.* spi \(0x[0-9a-f]*\).*/\1/p' "$x" | head -1)
  want=$(cat "/job/files/$c.n")
  e0=$(echos)
  ip netns exec L tcpreplay -q -i vl "/job/files/$c.pcap" >/dev/null 2>&1
  sleep 0.2
  e1=$(echos)
  ip netns exec L tcpreplay -q -i vl "/job/files/$c-bad.pcap" >/dev/null 2>&1
  sleep 0.2
  e2=$(echos)
  st=$(ip -n R -s xfrm state get src 198.51.100.1 dst 203.0.113.1 proto "$(sed -n 's/.* proto \([a-z]*\) spi.*/\1/p' "$x" | head -1)" spi "$spi")
  pk=$(echo "$st" | awk '/lifetime current:/{getline; sub(/\(packets\)/,"",$2); print $2; exit}')
  failed=$(echo "$st" | sed -n 's/.*replay-window [0-9]* replay [0-9]* failed \([0-9]*\).*/\1/p' | head -1)
  good=$((e1 - e0)); bad=$((e2 - e1))
  if [ "${pk:-0}" -eq "$want" ] && [ "$want" -ge 1 ] && [ "$good" -eq "$want" ] && [ "${failed:-0}" -eq 1 ] && [ "$bad" -eq 0 ]; then
    ok=PASS
  else
    ok=FAIL; rc=1
  fi
  echo "$ok $c: spi=$spi sent=$want sa_packets=$pk echo_delivered=$good integrity_failed=$failed bad_delivered=$bad"
done
err=$(ip netns exec R grep -E '^XfrmIn' /proc/net/xfrm_stat | awk '$2!=0{printf "%s=%s ", $1, $2}')
echo "xfrm_stat: ${err:-none}"
exit $rc
