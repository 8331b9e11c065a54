libtunc_a_SOURCES += src/model/model.h
libtunc_a_SOURCES += src/model/model.c
# The bytes IPsec adds, for the engine and the checks alike
libtunc_a_SOURCES += src/model/overhead.c src/model/overhead.h
# The one filter matcher and the one NAT matcher (engine and lint alike).
libtunc_a_SOURCES += src/model/match.h src/model/filter_match.c src/model/nat_match.c
# Manually keyed SA pairs, for the emitters and the engine alike
libtunc_a_SOURCES += src/model/manual_keys.c src/model/manual_keys.h src/model/manual_given.c
# How an IKE responder answers (engine and lint alike)
libtunc_a_SOURCES += src/model/ike_answer.h src/model/ike_answer.c
# SPD lookup index
libtunc_a_SOURCES += src/model/spd_index.h src/model/spd_index.c
if HAVE_CHECK
check_PROGRAMS += tests/unit/check_spd_index
TESTS += tests/unit/check_spd_index
tests_unit_check_spd_index_SOURCES = tests/unit/check_spd_index.c
tests_unit_check_spd_index_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_spd_index_LDADD = $(UNIT_LDADD)
endif
libtunc_a_SOURCES += src/model/filters.c src/model/filters.h
if HAVE_CHECK
check_PROGRAMS += tests/unit/check_model
TESTS += tests/unit/check_model
tests_unit_check_model_SOURCES = tests/unit/check_model.c tests/unit/frontend_util.h
tests_unit_check_model_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_model_LDADD = $(UNIT_LDADD)
endif
