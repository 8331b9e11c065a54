# Shared by the shell tests: strict mode, a scratch directory, SKIP (77).
set -eu
LC_ALL=C; export LC_ALL
: "${TUNC:?TUNC must name the built tunc}"
: "${top_srcdir:?top_srcdir must be set}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tunc-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
