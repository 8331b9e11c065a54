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

/* A power of two; a hub's shared names (about ten) rarely meet a
 * spoke's own in a table this size. */
#define SCAN_RECENT_SLOTS 512
#define SCAN_ADDRESS_SLOTS 8            /* a power of two */
#define SCAN_ADDRESS_LEN 64             /* longer texts (bad input) go to the arena */

/* The scanner's state (yyextra). */
struct scan_state {
	uint32_t file;
	uint32_t offset;                /* of the next character */
	struct parse_ctx *ctx;
	/* The input: the source text, handed to the scanner a block at a
	 * time (YY_INPUT) rather than copied whole. */
	const char *text;
	size_t size, pos;
	/* The text of a recent name or string by a hash of it (scanner.l,
	 * shared_text): a hub's 100,000 spokes name the same hub, proposals,
	 * key file and interface names again and again, and each copy took
	 * room in the IR's arena.  Direct-mapped: a collision only replaces. */
	struct scan_recent { const char *text; size_t n; } recent[SCAN_RECENT_SLOTS];
	/* The text of an address or prefix token (scanner.l, address_text):
	 * the action that takes it parses it into the IR and keeps no
	 * pointer to it, so it need not stay in the arena (a spoke writes
	 * four, some 55 bytes).  A ring, not one buffer: the parser holds a
	 * token's value until its rule is reduced, having read on (`nat
	 * static A to B;`, `expect A -> B ...`: two addresses and a lookahead
	 * at most). */
	unsigned address_next;
	char address_ring[SCAN_ADDRESS_SLOTS][SCAN_ADDRESS_LEN];
};

/* A syntax error held back until the parser's repair shows how to word it
 * (grammar/syntax_error.c): "expected ';' after '14'" when inserting the ';'
 * let the parse go on, else "unexpected X, expected ...". */
struct held_error {
	bool active;
	bool repaired;                  /* the parser inserted the missing ';' */
	struct tunc_loc at;             /* the unexpected token */
	struct tunc_loc after;          /* the token before it */
	char *message;                  /* "unexpected X, expected ..." */
	char *fix;                      /* for message, or NULL */
};

/* A block being parsed, or the last one closed at its depth, for placing
 * a missing '}' (grammar/syntax_error.c). */
struct block_mark {
	const char *kind, *name;        /* "site", "hq"; name NULL for nat, filter */
	struct tunc_loc open, close;    /* its '{' and '}' */
};
#define MAX_MARKED_DEPTH 8              /* deeper blocks are not marked */

/* One parse of one file; includes nest a new parse_ctx. */
struct parse_ctx {
	struct ir *ir;
	struct diag_list *diags;
	uint32_t file;
	const char *dir;                /* directory of this file, for includes */
	struct parse_ctx *parent;       /* the including file's parse */
	unsigned errors;                /* syntax errors in this file */
	struct held_error held;
	struct tunc_loc token, token_before;    /* the last two tokens read */
	struct tunc_loc implied_close_at;       /* where a block was closed for want of '}' */
	struct tunc_loc swallowed_brace;        /* an unterminated string holding a '}' */
	unsigned depth;                         /* blocks open */
	struct block_mark open_blocks[MAX_MARKED_DEPTH];
	struct block_mark last_closed[MAX_MARKED_DEPTH];        /* by depth */
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

/* Syntax errors (grammar/syntax_error.c).  The parser reports AT, its
 * MESSAGE and FIX; SEMICOLON_FITS when a ';' could come before AT, so the
 * error is held until the parser has tried inserting one. */
void syntax_error_report(struct parse_ctx *ctx, struct tunc_loc at, const char *message,
			 const char *fix, bool semicolon_fits);
/* The parser inserted the missing ';' (its `semi: error` rule). */
void syntax_error_repaired(struct parse_ctx *ctx);
/* The scanner is about to read a token: the one after the inserted ';' was
 * taken, so the held error is a missing ';'. */
void syntax_error_next_token(struct parse_ctx *ctx);
/* Words and reports a held error (at a recovery rule, at the end). */
void syntax_error_flush(struct parse_ctx *ctx);
/* A block KIND NAME opens at the '{' at OPEN. */
void syntax_block_open(struct parse_ctx *ctx, const char *kind, const char *name,
		       struct tunc_loc open);
/* It ends: with its '}' at CLOSE, or (!CLOSED) for want of one, where the
 * next top-level statement or the end of the file (ctx->implied_close_at)
 * begins: an error at the '{' left open. */
void syntax_block_close(struct parse_ctx *ctx, bool closed, struct tunc_loc close);

/* Called by the parser for `include "PATH";` at LOC. */
void grammar_include(struct parse_ctx *ctx, const char *path, struct tunc_loc loc);

#endif
