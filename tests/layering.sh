#!/bin/sh
# The layers ARCHITECTURE.md names, as the #include lines and calls show
# them: the diagnostic writers know no check registry (the rules are passed
# in), the library knows no command line, and one entry point (src/policy)
# runs the front end for the commands, the unit tests and the fuzzers.
. "$top_srcdir/tests/lib.sh"
cd "$top_srcdir"

bad=0
# FILES... must not match the extended regex PATTERN (WHY).
forbid() {
	pattern=$1 why=$2
	shift 2
	hits=$(grep -n -E -- "$pattern" "$@" 2>/dev/null || true)
	if [ -n "$hits" ]; then
		echo "FAIL: $why:"
		echo "$hits" | sed 's/^/  | /'
		bad=$((bad + 1))
	fi
}

forbid '#include "(check|cli|engine|emit|ir|model|policy)/' \
	"src/diag reaches above itself (pass rules in: struct diag_rule)" \
	src/diag/*.c src/diag/*.h
lib=$(ls src/*/*.c src/*/*.h emit/*.c emit/*.h | grep -v '^src/cli/')
# shellcheck disable=SC2086
forbid '#include "cli/' "the library includes the command line" $lib
forbid '\b(ir_parse_buffer|ir_parse_file|ir_load_file|ir_load_buffer|ir_resolve|model_build)\(' \
	"a private copy of the load sequence (use policy_load / policy_load_buffer)" \
	src/cli/*.c src/main.c tests/unit/*.c tests/unit/*.h tests/fuzz/*.c

[ $bad -eq 0 ] || exit 1
echo "layering: ok"
