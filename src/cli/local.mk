libtunc_a_SOURCES += \
	src/cli/cli.h src/cli/key_path.c \
	src/cli/print_errors.c src/cli/options.c src/cli/options.h \
	src/cli/from_option.c
libtunc_a_SOURCES += src/cli/cmd_lint.c src/cli/cmd_explain.c
libtunc_a_SOURCES += src/cli/cmd_graph.c
libtunc_a_SOURCES += src/cli/cmd_compile.c
libtunc_a_SOURCES += src/cli/cmd_run.c src/cli/cmd_test.c
libtunc_a_SOURCES += src/cli/cmd_bench.c
TESTS += tests/cli-bad-input.sh
EXTRA_DIST += tests/cli-bad-input.sh
libtunc_a_SOURCES += src/cli/cmd_import.c
