# Sourced by the charon tests (after tests/lib.sh): two real strongSwan
# charon daemons started from tunc's emitted files, in network namespaces
# this script creates and deletes (validators.md §3 and §5).
#
#   host-A ── inside  gw-A  outside ── inet ── outside  gw-B  inside ── host-B
#
# Each gateway namespace is built from the `tunc-iface` / `tunc-route` lines
# of its GATEWAY.xfrm.sh, then the script itself runs there (forwarding,
# routes, NAT), then charon with kernel-libipsec (user-space ESP: this host
# kernel has no esp4) loads GATEWAY.swanctl.conf.  The "Internet" namespace
# answers for every next hop of the gateways' routes and forwards.  Each
# site's host takes the address 9 above its gateway's inside address (IPv4
# or IPv6).  Every daemon and capture is stopped
# by its own PID; every namespace is deleted on exit.

CHARON=${TUNC_CHARON:-/usr/lib/ipsec/charon}
LIBIPSEC=${TUNC_CHARON_PLUGINS:-/usr/lib/ipsec/plugins}/libstrongswan-kernel-libipsec.so

# Skips (exit 77) with the reason when charon cannot run here.
charon_require() {
	[ "$(id -u)" = 0 ] || skip "needs root for ip netns and charon"
	[ -x "$CHARON" ] || skip "charon absent: apt-get install strongswan-charon strongswan-swanctl libcharon-extra-plugins libstrongswan-standard-plugins"
	command -v swanctl >/dev/null || skip "swanctl absent: apt-get install strongswan-swanctl"
	[ -f "$LIBIPSEC" ] || skip "charon's kernel-libipsec plugin absent: apt-get install libcharon-extra-plugins"
	command -v ping >/dev/null || skip "ping absent: apt-get install iputils-ping"
	command -v unshare >/dev/null || skip "unshare absent"
	ip netns add "tunc-probe-$$" 2>/dev/null || skip "ip netns add is not permitted here"
	ip netns del "tunc-probe-$$"
}

CP_NS=""
CP_PIDS=""
cp_cleanup() {
	for p in $CP_PIDS; do kill "$p" 2>/dev/null || true; done
	for p in $CP_PIDS; do
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 20 ]; do sleep 0.1; i=$((i + 1)); done
		kill -9 "$p" 2>/dev/null || true
	done
	CP_PIDS=""
	for n in $CP_NS; do ip netns del "$n" 2>/dev/null || true; done
	CP_NS=""
}

cp_ns() { ip netns add "$1"; ip -n "$1" link set lo up; CP_NS="$CP_NS $1"; }

# cp_plus9 ADDR: the address 9 above: A.B.C.D+9 (same /24), or for IPv6
# the last group plus 9 (hex).
cp_plus9() {
	case $1 in
	*:*) echo "$1" | awk -F: '{ $NF = sprintf("%x", ("0x" $NF) + 9); print }' OFS=: ;;
	*) echo "$1" | awk -F. '{ printf "%d.%d.%d.%d\n", $1, $2, $3, $4 + 9 }' ;;
	esac
}

# cp_addr NS ADDR/LEN DEV: IPv6 without duplicate address detection (a
# fresh address is unusable until it ends).
cp_addr() {
	case $2 in
	*:*) ip -n "$1" addr add "$2" dev "$3" nodad ;;
	*) ip -n "$1" addr add "$2" dev "$3" ;;
	esac
}

# cp_gateway TAG DIR GW: builds gateway GW (files DIR/GW.*) as netns
# cp$$-TAG, its site host as cp$$-TAG-h, and its links to the Internet
# namespace; sets HOST_TAG to the host's address.
cp_gateway() {
	tag=$1 dir=$2 gw=$3
	ns=cp$$-$tag hns=cp$$-$tag-h inet=cp$$-inet
	script=$dir/$gw.xfrm.sh
	cp_ns "$ns"; cp_ns "$hns"
	k=0
	sed -n 's/^#   tunc-iface //p' "$script" >"$TMP/ifaces.$tag"
	while read -r ifname addr rest; do
		k=$((k + 1))
		peer=$tag$k
		if [ "$rest" = outside ]; then
			ip link add "$ifname" netns "$ns" type veth peer name "$peer" netns "$inet"
			ip -n "$inet" link set "$peer" up
		else
			ip link add "$ifname" netns "$ns" type veth peer name "$peer" netns "$hns"
			ip -n "$hns" link set "$peer" up
			len=${addr#*/} a=${addr%/*}
			h=$(cp_plus9 "$a")
			cp_addr "$hns" "$h/$len" "$peer"
			case $a in
			*:*) ip -n "$hns" -6 route add default via "$a" ;;
			*) ip -n "$hns" route add default via "$a" ;;
			esac
			eval "HOST_$tag=\$h"
		fi
		ip -n "$ns" link set "$ifname" up
		[ "$addr" = - ] || cp_addr "$ns" "$addr" "$ifname"
	done <"$TMP/ifaces.$tag"
	# The next hops of the gateway's routes live in the Internet namespace,
	# on the veth of the outside interface they are reached by.
	sed -n 's/^#   tunc-route //p' "$script" | while read -r dst _via via _dev dev; do
		[ "$via" = - ] && continue
		pk=$(awk -v d="$dev" '$1 == d { print NR }' "$TMP/ifaces.$tag")
		len=$(awk -v d="$dev" '$1 == d { sub(/.*\//, "", $2); print $2 }' "$TMP/ifaces.$tag")
		case $via in
		*:*) ip -n "$inet" addr add "$via/$len" dev "$tag$pk" nodad 2>/dev/null || true ;;
		*) ip -n "$inet" addr add "$via/$len" dev "$tag$pk" 2>/dev/null || true ;;
		esac
		ip -n "$ns" route replace "$dst" via "$via" dev "$dev"
	done
	ip netns exec "$ns" sh "$script" >"$TMP/script.$tag.log" 2>&1 ||
		{ cat "$TMP/script.$tag.log"; return 1; }
}

# cp_charon TAG DIR GW: starts charon in cp$$-TAG with a private /run and
# loads DIR/GW.swanctl.conf.
cp_charon() {
	cp_charon_only "$1" || return 1
	cp_swanctl "$1" --load-all --file "$2/$3.swanctl.conf" >"$TMP/charon-$1/load.log" 2>&1 ||
		{ cat "$TMP/charon-$1/load.log"; return 1; }
}

# cp_charon_only TAG: starts charon in cp$$-TAG, nothing loaded.
cp_charon_only() {
	tag=$1
	w=$TMP/charon-$tag
	rm -rf "$w"
	mkdir -p "$w"
	cat >"$w/strongswan.conf" <<EOF
charon {
  load_modular = no
  load = random nonce openssl aes sha1 sha2 md5 hmac gcm gmp kdf pem pkcs1 x509 pubkey kernel-libipsec kernel-netlink socket-default vici updown
  install_routes = yes
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
      cfg = 2
      time_format = %T
      flush_line = yes
    }
  }
  syslog {
    daemon {
      default = -1
    }
  }
}
swanctl {
  load = pem pkcs1 x509 pubkey openssl random
}
EOF
	ip netns exec "cp$$-$tag" unshare -m sh -c \
		"mount -t tmpfs tmpfs /run && STRONGSWAN_CONF=$w/strongswan.conf exec $CHARON" \
		>"$w/stdout" 2>&1 &
	CP_PIDS="$CP_PIDS $!"
	i=0
	while [ ! -S "$w/charon.vici" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	[ -S "$w/charon.vici" ] || { cat "$w/stdout"; return 1; }
}

cp_swanctl() {
	tag=$1; shift
	STRONGSWAN_CONF=$TMP/charon-$tag/strongswan.conf swanctl "$@" \
		--uri "unix://$TMP/charon-$tag/charon.vici"
}

# cp_pair DIR GW_A GW_B: the whole topology for two gateways compiled into
# DIR, both charons up.
cp_pair() {
	cp_ns "cp$$-inet"
	ip netns exec "cp$$-inet" sysctl -qw net.ipv4.ip_forward=1
	ip netns exec "cp$$-inet" sysctl -qw net.ipv6.conf.all.forwarding=1
	cp_gateway A "$1" "$2" && cp_gateway B "$1" "$3" &&
		cp_charon A "$1" "$2" && cp_charon B "$1" "$3"
}

# cp_child_of FILE: the first child's name in a swanctl.conf.
cp_child_of() { awk '/^    children \{/ { getline; sub(/^ +/, ""); print $1; exit }' "$1"; }

# What charon says happened, as one word: the first notify or failure in
# either log (NO_PROPOSAL_CHOSEN, TS_UNACCEPTABLE, AUTHENTICATION_FAILED,
# ...), or "established".
cp_outcome() {
	up_a=$(cp_swanctl A --list-sas 2>/dev/null | grep -c 'INSTALLED' || true)
	up_b=$(cp_swanctl B --list-sas 2>/dev/null | grep -c 'INSTALLED' || true)
	ike_a=$(cp_swanctl A --list-sas 2>/dev/null | grep -c 'ESTABLISHED' || true)
	if [ "$up_a" -gt 0 ] && [ "$up_b" -gt 0 ]; then echo established; return; fi
	for n in NO_PROPOSAL_CHOSEN TS_UNACCEPTABLE AUTHENTICATION_FAILED INVALID_KE_PAYLOAD \
		INVALID_ID_INFORMATION; do
		if grep -q "$n" "$TMP/charon-A/charon.log" "$TMP/charon-B/charon.log" 2>/dev/null; then
			echo "$n"; return
		fi
	done
	if [ "$ike_a" -gt 0 ]; then echo ike-only; return; fi
	echo failed
}

# cp_loader: one charon (netns cp$$-L) that only loads configurations, to
# check that every emitted swanctl.conf is accepted as written.
cp_loader() {
	cp_ns "cp$$-L"
	cp_charon_only L
}
