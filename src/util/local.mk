libtunc_a_SOURCES += \
	src/util/arena.c src/util/arena.h \
	src/util/outfile.c src/util/outfile.h \
	src/util/outset.c src/util/outset.h \
	src/util/source.c src/util/source.h \
	src/util/secret.c src/util/secret.h \
	src/util/strbuf.c src/util/strbuf.h \
	src/util/suggest.c src/util/suggest.h \
	src/util/symtab.c src/util/symtab.h \
	src/util/u64map.c src/util/u64map.h
if HAVE_CHECK
check_PROGRAMS += tests/unit/check_u64map
TESTS += tests/unit/check_u64map
tests_unit_check_u64map_SOURCES = tests/unit/check_u64map.c
tests_unit_check_u64map_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_u64map_LDADD = $(UNIT_LDADD)
check_PROGRAMS += tests/unit/check_symtab
TESTS += tests/unit/check_symtab
tests_unit_check_symtab_SOURCES = tests/unit/check_symtab.c
tests_unit_check_symtab_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_symtab_LDADD = $(UNIT_LDADD)
endif
