libtunc_a_SOURCES += src/model/model.h
libtunc_a_SOURCES += src/model/model.c
# The one filter matcher and the one NAT matcher (engine and lint alike).
libtunc_a_SOURCES += src/model/match.h src/model/filter_match.c src/model/nat_match.c
libtunc_a_SOURCES += src/model/filters.c src/model/filters.h
if HAVE_CHECK
check_PROGRAMS += tests/unit/check_model
TESTS += tests/unit/check_model
tests_unit_check_model_SOURCES = tests/unit/check_model.c tests/unit/frontend_util.h
tests_unit_check_model_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_model_LDADD = $(UNIT_LDADD)
endif
