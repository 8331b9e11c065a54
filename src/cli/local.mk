libtunc_a_SOURCES += \
	src/cli/cli.h \
	src/cli/load.c src/cli/load.h
