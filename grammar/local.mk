# The generated scanner and parser are compiled apart from the strict-warning
# code: flex and bison output does not meet -Wextra/-Wmissing-prototypes.
libtuncgrammar_a_SOURCES = grammar/parser.y grammar/scanner.l grammar/grammar.h
libtuncgrammar_a_CFLAGS = -std=c11 -D_GNU_SOURCE -w
libtuncgrammar_a_YFLAGS = -d -Wall
AM_YFLAGS = -d
BUILT_SOURCES += grammar/libtuncgrammar_a-parser.h
