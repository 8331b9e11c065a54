# Shared by the shell tests: strict mode, a scratch directory, SKIP (77).
set -eu
LC_ALL=C; export LC_ALL
: "${TUNC:?TUNC must name the built tunc}"
: "${top_srcdir:?top_srcdir must be set}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tunc-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

# The SAs of `ip xfrm state add` lines in FILE..., one normal form a line,
# sorted: SRC DST SPI ENC ENCKEY AUTH AUTHKEY (tests of manual keying).
xfrm_states() {
	awk '$1 == "xfrm" && $2 == "state" && $3 == "add" {
		src = dst = spi = enc = ek = auth = ak = "-"
		for (i = 4; i <= NF; i++) {
			if ($i == "src") src = $(i + 1)
			else if ($i == "dst") dst = $(i + 1)
			else if ($i == "spi") spi = $(i + 1)
			else if ($i == "enc") { enc = $(i + 1); ek = $(i + 2) }
			else if ($i == "auth-trunc") { auth = $(i + 1); ak = $(i + 2) }
		}
		gsub("\047", "", enc); gsub("\047", "", auth)
		print src, dst, spi, enc, ek, auth, ak
	}' "$@" | sort -u
}

# The same form from the engine's --keylog FILE (Wireshark's esp_sa
# strings turned into the kernel's algorithm names).
keylog_states() {
	sed -e 's/^"//; s/"$//' "$1" | awk -F'","' '{
		enc = $5; auth = $7
		if (enc ~ /^AES-CBC/) enc = "cbc(aes)"
		else if (enc ~ /^TripleDES-CBC/) enc = "cbc(des3_ede)"
		else if (enc == "NULL") enc = "ecb(cipher_null)"
		if (auth ~ /^HMAC-SHA-256-/) auth = "hmac(sha256)"
		else if (auth ~ /^HMAC-SHA-1-/) auth = "hmac(sha1)"
		print $2, $3, $4, enc, $6, auth, $8
	}' | sort -u
}
