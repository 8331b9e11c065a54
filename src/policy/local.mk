# src/policy: the one entry point that loads a policy (parse, resolve, model)
# for the commands, the unit tests and the fuzzers.
libtunc_a_SOURCES += src/policy/policy.c src/policy/policy.h
libtunc_a_SOURCES += src/policy/policy_import.c src/policy/policy_import.h
