libtunc_a_SOURCES += \
	src/diag/diag.c src/diag/diag.h
