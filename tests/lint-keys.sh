#!/bin/sh
# The key checks on what the goldens cannot hold: file modes set here
# (psk-file-mode), keys in environment variables that are set or not
# (psk-reuse compares what it can read and says what it skipped), and no
# key ever in any output format.
. "$top_srcdir/tests/lib.sh"
[ -x "$TUNC" ] || skip "tunc is not built"

cd "$TMP"
sed -e 's|psk file "golden.psk";|psk file "keys/hq-branch.psk";|' \
    -e 's|psk file "other.psk";|psk env "TUNC_LINT_KEYS_SHOP";|' \
	"$top_srcdir/tests/golden/checks/psk-reuse.sound.tun" >hub.tun
mkdir keys
key='Zx4!Lm8@Qp2#Wr6$Ty0%Uv3^'
printf '%s\n' "$key" >keys/hq-branch.psk

lint() {  # lint FORMAT: the report on standard output, status in $rc
	rc=0
	NO_COLOR=1 "$TUNC" lint --format "$1" hub.tun 2>&1 || rc=$?
}

# psk-file-mode: each mode that lets group or others in, and 0600.
for mode in 600 640 604 620 644; do
	chmod "$mode" keys/hq-branch.psk
	out=$(TUNC_LINT_KEYS_SHOP=other-key-Hj5^Kl9 lint text)
	case $mode in
	600) want='' ;;
	640) want='mode 0640: its group can read it' ;;
	604) want='mode 0604: others can read it' ;;
	620) want='mode 0620: its group can change it' ;;
	644) want='mode 0644: group and others can read it' ;;
	esac
	if [ -z "$want" ]; then
		if printf '%s\n' "$out" | grep -q 'psk-file-mode'; then
			printf '%s\n' "$out"; fail "psk-file-mode on a key file of mode 0600"
		fi
	else
		printf '%s\n' "$out" | grep -q "keys/hq-branch.psk\" of tunnel hq-branch is not private ($want).*\[-Wpsk-file-mode\]" ||
			{ printf '%s\n' "$out"; fail "psk-file-mode does not say '$want'"; }
		printf '%s\n' "$out" | grep -q "fix: chmod 600 'keys/hq-branch.psk'" ||
			fail "psk-file-mode's fix does not name the file"
	fi
done
chmod 600 keys/hq-branch.psk

# psk-reuse without the second key: skipped, visibly, and nothing else.
out=$(unset TUNC_LINT_KEYS_SHOP; lint text)
printf '%s\n' "$out" | grep -q 'note: 1 pre-shared key could not be read, so lint skipped .*psk-reuse.*: the environment variable TUNC_LINT_KEYS_SHOP is not set \[-Wkeys-unread\]' ||
	{ printf '%s\n' "$out"; fail "lint does not say that psk-reuse skipped a key, and why"; }
printf '%s\n' "$out" | grep -q 'warning:.*\[-Wpsk-reuse\]' && fail "psk-reuse warned without the second key"

# The same key in the variable: reused, in every format, never printed.
for fmt in text json sarif junit; do
	out=$(TUNC_LINT_KEYS_SHOP=$key lint "$fmt")
	printf '%s\n' "$out" | grep -q "tunnel hq-shop's pre-shared key (env .*TUNC_LINT_KEYS_SHOP.*) is also the key of tunnel hq-branch" ||
		{ printf '%s\n' "$out"; fail "psk-reuse ($fmt) does not report the key shared by hq-branch and hq-shop"; }
	printf '%s\n' "$out" | grep -q -F "$key" && fail "the key appears in the $fmt report"
	printf '%s\n' "$out" | grep -q 'could not be read, so lint skipped' && fail "lint ($fmt) says it skipped a readable key"
done
# A different key: nothing to report.
out=$(TUNC_LINT_KEYS_SHOP=another-Key-9f8e7d6c5b4a lint text)
printf '%s\n' "$out" | grep -q 'psk-reuse' && { printf '%s\n' "$out"; fail "psk-reuse on two different keys"; }
echo "PASS: psk-file-mode and psk-reuse"
