# Test harness: Check unit tests and shell tests, run by `make check`.
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
UNIT_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
UNIT_LDADD = $(TUNC_LIBS) $(CHECK_LIBS)
EXTRA_DIST += tests/lib.sh
