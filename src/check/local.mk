# src/check: the registry (table + logic) and the checks.
libtunc_a_SOURCES += \
	src/check/check.h \
	src/check/checks.h \
	src/check/check_table.c \
	src/check/registry.c
# The checks (src/check/checks_*.c) are added below, one line each.
