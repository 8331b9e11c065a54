/* Shared between the scanner, the parser and src/ir/parse.c. */
#ifndef TUNC_GRAMMAR_H
#define TUNC_GRAMMAR_H

#include <stdbool.h>
#include <stdint.h>

#include "diag/diag.h"
#include "ir/ir.h"
#include "util/source.h"

#define YYLTYPE struct tunc_loc
#define YYLTYPE_IS_DECLARED 1
#define YYLTYPE_IS_TRIVIAL 1
#define TUNC_YYLTYPE struct tunc_loc
#define TUNC_YYLTYPE_IS_DECLARED 1
#define TUNC_YYLTYPE_IS_TRIVIAL 1

/* The scanner's state (yyextra). */
struct scan_state {
	uint32_t file;
	uint32_t offset;                /* of the next character */
	struct parse_ctx *ctx;
	/* The input: the source text, handed to the scanner a block at a
	 * time (YY_INPUT) rather than copied whole. */
	const char *text;
	size_t size, pos;
};

/* One parse of one file; includes nest a new parse_ctx. */
struct parse_ctx {
	struct ir *ir;
	struct diag_list *diags;
	uint32_t file;
	const char *dir;                /* directory of this file, for includes */
	struct parse_ctx *parent;       /* the including file's parse */
	unsigned errors;                /* syntax errors in this file */
	bool allow_include;
	/* The block being parsed (NULL outside it). */
	struct ir_ike *cur_ike;
	struct ir_ipsec *cur_ipsec;
	struct ir_site *cur_site;
	struct ir_gateway *cur_gw;
	struct ir_interface *cur_iface;
	struct ir_filter *cur_filter;
	struct ir_tunnel *cur_tunnel;
	struct ir_tunnel_end *cur_end;
};

/* Parses the file already loaded as source FILE into CTX->ir. */
bool grammar_parse(struct parse_ctx *ctx);

/* Called by the parser for `include "PATH";` at LOC. */
void grammar_include(struct parse_ctx *ctx, const char *path, struct tunc_loc loc);

#endif
