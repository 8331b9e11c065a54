libtunc_a_SOURCES += \
	src/diag/diag.c src/diag/diag.h src/diag/text.c
libtunc_a_SOURCES += \
	src/diag/write.c src/diag/write.h src/diag/write_impl.h \
	src/diag/write_text.c \
	src/diag/repeats.c \
	src/diag/write_json.c \
	src/diag/write_sarif.c \
	src/diag/write_junit.c
EXTRA_DIST += doc/diagnostics.md

# diag_dump writes a hand-built list for the shell tests to validate with
# jq, python3 (jsonschema) and xmllint.
check_PROGRAMS += tests/unit/diag_dump
tests_unit_diag_dump_SOURCES = tests/unit/diag_dump.c
tests_unit_diag_dump_LDADD = $(TUNC_LIBS)
TESTS += tests/diag-formats.sh tests/lint-formats.sh
EXTRA_DIST += tests/diag-formats.sh tests/lint-formats.sh

if HAVE_CHECK
check_PROGRAMS += tests/unit/check_diag
TESTS += tests/unit/check_diag
tests_unit_check_diag_SOURCES = tests/unit/check_diag.c
tests_unit_check_diag_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_diag_LDADD = $(UNIT_LDADD)
endif
