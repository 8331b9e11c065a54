#!/bin/sh
# The emitted xfrm scripts against this host's real kernel, each in a
# network namespace of its own built from the script's `tunc-iface` /
# `tunc-route` lines: the policies, routes and NAT table load, `ip xfrm
# policy` lists every policy back, a second run succeeds and replaces only
# what the script installed (a foreign policy and a foreign nft table
# survive).  A kernel without ESP (validators.md: this host) cannot hold the
# states: each state line is then run on its own and must fail in the
# kernel, not in iproute2's parser; the states are proven in xfrm-kernel.sh.
. "$top_srcdir/tests/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root for ip netns"
command -v ip >/dev/null || skip "no ip(8)"
NS=tunc-emit-$$
ip netns add "$NS" 2>/dev/null || skip "ip netns add is not permitted here"
ip netns del "$NS"
NSLIST=""
cleanup() { for n in $NSLIST; do ip netns del "$n" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT
TUNC_TEST_PSK=Env-supplied-key-9876543210; export TUNC_TEST_PSK
state_refused_for_esp_only() {
	grep -q 'Requested type not found\|Protocol not supported' "$1" &&
		! grep -q 'is wrong\|Usage\|algorithm not found' "$1"
}
# The classifier itself: a malformed line and an unknown algorithm must not
# pass for "no ESP here".
ip netns add "$NS"; NSLIST="$NS"
ip -n "$NS" xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi zz 2>"$TMP/e1" || true
ip -n "$NS" xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x100 \
	enc 'cbc(nosuch)' 0x000102030405060708090a0b0c0d0e0f 2>"$TMP/e2" || true
if state_refused_for_esp_only "$TMP/e1" || state_refused_for_esp_only "$TMP/e2"; then
	fail "the state-line classifier accepts a malformed line"
fi
# Route-based scripts create xfrm interfaces (Linux 4.19+, module
# xfrm_interface): where this kernel has none they are left to
# xfrm-kernel.sh, visibly.
xfrmi=yes
ip -n "$NS" link add tunc-probe type xfrm dev lo if_id 9 2>/dev/null || xfrmi=no
ip netns del "$NS"; NSLIST=""

status=0
scripts=0
i=0
for tun in "$top_srcdir"/examples/*.tun "$top_srcdir"/examples/*/*.tun "$top_srcdir"/tests/emit/*.tun \
	   "$top_srcdir"/tests/route-based/linux-xfrmi.tun; do
	[ -f "$tun" ] || continue
	out="$TMP/c$i"; i=$((i + 1))
	(cd "$(dirname "$tun")" && "$TUNC" compile --force -t xfrm "$(basename "$tun")" -o "$out") \
		>/dev/null 2>&1 || continue
	for script in "$out"/*.xfrm.sh; do
		[ -f "$script" ] || continue
		scripts=$((scripts + 1))
		ns=$NS-$scripts
		NSLIST="$NSLIST $ns"
		label="${tun#"$top_srcdir"/}: $(basename "$script")"
		if [ $xfrmi = no ] && grep -q '^ip link add .* type xfrm ' "$script"; then
			echo "SKIP-PART $label: this kernel has no xfrm interfaces (tests/xfrm-kernel.sh loads them)"
			continue
		fi
		# No key material on a command line: outside the here-documents
		# that feed `ip -batch` and nft, no line holds a key (a long hex
		# number) or an `enc`/`auth` keyword.
		awk '/<<.TUNC_[A-Z]*.$/ { print; body = 1; next } body && /^TUNC_[A-Z]*$/ { body = 0; next }
			!body && !/^#/' "$script" >"$TMP/commands"
		if grep -E "0x[0-9a-f]{16,}| (enc|auth|auth-trunc|aead) " "$TMP/commands" >"$TMP/cmdline"; then
			echo "FAIL $label: key material on a command line:"; sed 's/^/    /' "$TMP/cmdline"
			status=1; continue
		fi
		ip netns add "$ns"
		ip -n "$ns" link set lo up
		# The gateway as described: each interface a veth end (no dummy here).
		k=0
		sed -n 's/^#   tunc-iface //p' "$script" | while read -r ifname addr rest; do
			k=$((k + 1))
			ip -n "$ns" link add "$ifname" type veth peer name "tp$k"
			ip -n "$ns" link set "$ifname" up
			ip -n "$ns" link set "tp$k" up
			# nodad: a fresh IPv6 address is not usable as a route's
			# source until duplicate address detection ends.
			case $addr in
			-) ;;
			*:*) ip -n "$ns" addr add "$addr" dev "$ifname" nodad ;;
			*) ip -n "$ns" addr add "$addr" dev "$ifname" ;;
			esac
		done
		sed -n 's/^#   tunc-route //p' "$script" | while read -r dst _via via _dev dev; do
			if [ "$via" = - ]; then ip -n "$ns" route add "$dst" dev "$dev"
			else ip -n "$ns" route add "$dst" via "$via" dev "$dev"; fi
		done
		# Does this kernel hold ESP states at all?
		if ip -n "$ns" xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x100 \
			enc 'cbc(aes)' 0x000102030405060708090a0b0c0d0e0f \
			auth-trunc 'hmac(sha1)' 0x000102030405060708090a0b0c0d0e0f10111213 96 2>"$TMP/probe"; then
			ip -n "$ns" xfrm state flush
			run="$script"
			esp=yes
		else
			esp=no
			run="$TMP/nostates.sh"
			sed "s/^ip -batch - <<'TUNC_SA'\$/cat >\/dev\/null <<'TUNC_SA'/" "$script" >"$run"
			grep '^xfrm state add ' "$script" | while IFS= read -r line; do
				if printf '%s\n' "$line" | ip -n "$ns" -batch - 2>"$TMP/err"; then
					echo "FAIL $label: a state loaded although the probe failed"; exit 1
				fi
				# Only the missing ESP type may refuse it: iproute2's parse
				# errors, unknown algorithms ("Requested CRYPT algorithm not
				# found") and the like fail the test.
				if ! state_refused_for_esp_only "$TMP/err"; then
					echo "FAIL $label: a state line was rejected: $(cat "$TMP/err")"
					exit 1
				fi
			done || { status=1; continue; }
		fi
		# Something that is not the script's: it must survive two runs.
		ip -n "$ns" xfrm policy add src 10.250.0.0/24 dst 10.251.0.0/24 dir out priority 7
		has_nat=no
		if grep -q '^nft ' "$script"; then
			command -v nft >/dev/null || { echo "SKIP-PART $label: no nft for its NAT table"; sed -i 's/^nft -f -/cat >\/dev\/null/' "$run"; }
			command -v nft >/dev/null && has_nat=yes
			[ $has_nat = no ] || ip netns exec "$ns" nft add table ip foreign_keep
		fi
		for pass in 1 2; do
			if ! ip netns exec "$ns" sh "$run" >"$TMP/run.out" 2>&1; then
				echo "FAIL $label: run $pass exited non-zero:"; sed 's/^/    /' "$TMP/run.out"
				status=1; continue 2
			fi
		done
		# Every policy the script writes is listed back by the kernel.
		ip -n "$ns" xfrm policy list >"$TMP/pol"
		want=$(grep -c '^ip xfrm policy update ' "$script" || true)
		have=$(grep -c '^src ' "$TMP/pol")
		grep '^ip xfrm policy update ' "$script" | while read -r _ip _x _p _u _s src _d dst rest; do
			dir=$(echo "$rest" | sed -n 's/.*dir \([a-z]*\).*/\1/p')
			reqid=$(echo "$rest" | sed -n 's/.*reqid \([0-9]*\).*/\1/p')
			awk -v s="src $src dst $dst" -v d="dir $dir " -v r="reqid $reqid " '
				index($0, s) == 1 { sel = 1; next }
				/^src / { sel = 0 }
				sel && index($0, d) { dd = 1 }
				sel && dd && index($0, r) { found = 1 }
				END { exit !found }' "$TMP/pol" || { echo "FAIL $label: policy $src -> $dst dir $dir reqid $reqid not listed"; exit 1; }
		done || { status=1; continue; }
		if [ "$have" -ne $((want + 1)) ]; then
			echo "FAIL $label: $have policies listed, expected $want from the script and 1 foreign"
			sed 's/^/    /' "$TMP/pol"; status=1; continue
		fi
		grep -q '^src 10.250.0.0/24 dst 10.251.0.0/24' "$TMP/pol" ||
			{ echo "FAIL $label: the foreign policy did not survive"; status=1; continue; }
		# Routes with their source hint.
		grep '^ip route replace ' "$script" | while read -r _ip _r _rep dst rest; do
			hint=$(echo "$rest" | sed -n 's/.*src \([^ ]*\).*/\1/p')
			case $dst in *:*) fam=-6 ;; *) fam=-4 ;; esac
			got=$(ip -n "$ns" $fam route show "$dst")
			[ -n "$got" ] || { echo "FAIL $label: no route to $dst"; exit 1; }
			[ -z "$hint" ] || echo "$got" | grep -q "src $hint" ||
				{ echo "FAIL $label: route to $dst lacks src $hint: $got"; exit 1; }
		done || { status=1; continue; }
		nat=""
		if [ $has_nat = yes ]; then
			# Each of the script's tables (NAT: ip tunc_GW; filters:
			# inet tunc_filter_GW) is loaded, with as many rules in each
			# chain as the script writes.
			sed -n 's/^table \(ip\|inet\) \(tunc_[A-Za-z0-9_]*\) {$/\1 \2/p' "$script" >"$TMP/tables"
			while read -r fam table; do
				ip netns exec "$ns" nft list table "$fam" "$table" >"$TMP/listed" 2>&1 ||
					{ echo "FAIL $label: nft table $fam $table not loaded"; exit 1; }
				# A rule: a line inside a chain that is not its `type` line
				# nor a comment.
				want_r=$(sed -n "/^table $fam $table {\$/,/^}\$/p" "$script" |
					grep -c '^		[a-z]' | tr -d ' ')
				want_t=$(sed -n "/^table $fam $table {\$/,/^}\$/p" "$script" | grep -c '^		type ')
				want_r=$((want_r - want_t))
				have_r=$(grep '^		[a-z]' "$TMP/listed" | grep -vc '^		type ')
				[ "$want_r" -eq "$have_r" ] ||
					{ echo "FAIL $label: nft table $fam $table lists $have_r rules, the script writes $want_r"; sed 's/^/    /' "$TMP/listed"; exit 1; }
				echo " nft table $fam $table loaded ($have_r rules);"
			done <"$TMP/tables" >"$TMP/nat" || { cat "$TMP/nat"; status=1; continue; }
			ip netns exec "$ns" nft list table ip foreign_keep >/dev/null 2>&1 ||
				{ echo "FAIL $label: a foreign nft table did not survive"; status=1; continue; }
			nat=$(tr -d '\n' <"$TMP/nat")
		fi
		if [ $esp = yes ]; then
			states=$(ip -n "$ns" xfrm state list | grep -c '^src ')
			[ "$states" -eq "$(grep -c '^xfrm state add ' "$script")" ] ||
				{ echo "FAIL $label: $states states after two runs"; status=1; continue; }
			st="states loaded"
		else
			st="states: the kernel refused them (no ESP here; see xfrm-kernel.sh), iproute2 parsed them"
		fi
		echo "ok   $label: $want policies listed back, routes with src hint,$nat run twice; $st"
		ip netns del "$ns"
	done
done
[ "$scripts" -gt 0 ] || fail "no xfrm script was emitted"
exit $status
