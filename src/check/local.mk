# src/check: the registry (table + logic) and the checks.
libtunc_a_SOURCES += \
	src/check/check.h \
	src/check/checks.h \
	src/check/check_table.c \
	src/check/registry.c
# The checks (src/check/checks_*.c) are added below, one line each.
libtunc_a_SOURCES += src/check/util.c src/check/util.h src/check/probe.c src/check/probe.h
libtunc_a_SOURCES += src/check/checks_selectors.c
libtunc_a_SOURCES += src/check/checks_routing.c
libtunc_a_SOURCES += src/check/checks_route_based.c
libtunc_a_SOURCES += src/check/checks_nat.c
libtunc_a_SOURCES += src/check/checks_pat.c
libtunc_a_SOURCES += src/check/checks_windows.c
libtunc_a_SOURCES += src/check/proposals.c src/check/proposals.h
libtunc_a_SOURCES += src/check/checks_weak.c
libtunc_a_SOURCES += src/check/checks_mismatch.c
libtunc_a_SOURCES += src/check/checks_platform.c
libtunc_a_SOURCES += src/check/checks_filters.c
libtunc_a_SOURCES += src/check/checks_filter_forms.c
libtunc_a_SOURCES += src/check/checks_keys.c src/check/key_entropy.c src/check/key_entropy.h
libtunc_a_SOURCES += src/check/checks_psk.c
libtunc_a_SOURCES += src/check/checks_misc.c
libtunc_a_SOURCES += src/check/checks_limits.c
libtunc_a_SOURCES += src/check/checks_cloud.c
# Tests of the checks: goldens (a triggering and a sound twin per check), unit tests.
TESTS += tests/golden-checks.sh
EXTRA_DIST += tests/golden-checks.sh tests/golden/checks tests/scale/gen-hub.py doc/checks.md
if HAVE_CHECK
check_PROGRAMS += tests/unit/check_checks
TESTS += tests/unit/check_checks
tests_unit_check_checks_SOURCES = tests/unit/check_checks.c tests/unit/frontend_util.h
tests_unit_check_checks_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_checks_LDADD = $(UNIT_LDADD)
endif
# Lint's packet claims against `tunc run` of the same packets (src/check/probe.c).
TESTS += tests/lint-engine-agree.sh
EXTRA_DIST += tests/lint-engine-agree.sh
