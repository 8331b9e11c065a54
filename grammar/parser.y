/* The .tun grammar (LANGUAGE.md).  A pure, reentrant parser that builds the
 * IR through the build_* actions of src/ir/build.c and nothing else.
 *
 * Keywords are names wherever a name is expected (`interface outside`).
 * Errors are repaired or recovered so that one run reports each syntax
 * error once, at its own line (doc/language-decisions.md):
 * - a missing ';' is inserted (`semi: error`), reported after the token it
 *   should follow (grammar/syntax_error.c words it);
 * - a missing '}' closes the block where the next top-level statement or
 *   the end of the file begins (`close: %empty`), reported at its '{';
 * - anything else skips to the end of the statement (`error ';'`), to the
 *   next statement's keyword or to the block's '}' (`error`). */
%require "3.6"
%define api.pure full
%define api.prefix {tunc_yy}
%define parse.error custom
%define parse.lac full
%locations
/* No conflicts but those resolved below by precedence: a block left open
 * closes before a top-level statement (`close: %empty`), except that `ike`
 * and `ipsec` inside a tunnel, and the `error` token of recovery, stay in
 * the block they appear in. */
%expect 0
%param {void *scanner}
%parse-param {struct parse_ctx *ctx}

%code requires {
#include "grammar.h"
#include "ir/build.h"
}

%code {
/* GCC splits the location of the rule being reduced into scalars (SRA) and
 * writes them back with stores that the push of that location then reads
 * across: a failed store-to-load forwarding at every reduction, a third of
 * yyparse's time on a big policy (perf annotate). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-tree-sra")
#endif
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "util/strbuf.h"
#include "util/suggest.h"
int tunc_yylex(TUNC_YYSTYPE *lval, YYLTYPE *lloc, void *scanner);
static void tunc_yyerror(YYLTYPE *loc, void *scanner, struct parse_ctx *ctx, const char *msg);

/* A rule's location spans its symbols'.  One symbol's is its own (most
 * reductions: `name: NAME`); several in one file, the first first, span
 * from the first's start to the last's end, loc_span's answer, made here:
 * loc_span's 12-byte result comes back through memory written 4 bytes at a
 * time and read 8, a stalled load at each reduction. */
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                            \
	do {                                                                   \
		if ((N) == 1)                                                  \
			(Cur) = YYRHSLOC(Rhs, 1);                              \
		else if ((N) && YYRHSLOC(Rhs, 1).file &&                       \
			 YYRHSLOC(Rhs, 1).file == YYRHSLOC(Rhs, N).file &&     \
			 YYRHSLOC(Rhs, 1).offset <= YYRHSLOC(Rhs, N).offset && \
			 YYRHSLOC(Rhs, 1).offset + YYRHSLOC(Rhs, 1).length <=  \
			 YYRHSLOC(Rhs, N).offset + YYRHSLOC(Rhs, N).length) {  \
			(Cur).file = YYRHSLOC(Rhs, 1).file;                    \
			(Cur).offset = YYRHSLOC(Rhs, 1).offset;                \
			(Cur).length = YYRHSLOC(Rhs, N).offset +               \
				       YYRHSLOC(Rhs, N).length -               \
				       YYRHSLOC(Rhs, 1).offset;                \
		} else if (N)                                                  \
			(Cur) = loc_span(YYRHSLOC(Rhs, 1), YYRHSLOC(Rhs, N));  \
		else {                                                         \
			(Cur) = YYRHSLOC(Rhs, 0);                              \
			(Cur).offset += (Cur).length;                          \
			(Cur).length = 0;                                      \
		}                                                              \
	} while (0)

/* Stop after this many syntax errors in one file: the rest is noise. */
#define MAX_SYNTAX_ERRORS 50
/* After recovering at a statement boundary, report the held error and
 * report the next one again (yyerrok). */
#define RECOVERED() do { syntax_error_flush(ctx); if (ctx->errors >= MAX_SYNTAX_ERRORS) YYABORT; yyerrok; } while (0)
#define NOLOC LOC_NONE
}

%union {
	char *str;
	struct ir_prefix pfx;
	ir_prefix_vec pfxs;
	word_vec words;
	struct expect_point_src point;
	enum verdict verdict;
	enum filter_action action;
	struct protoport { char *proto, *port; struct tunc_loc proto_loc, port_loc; } pp;
	bool closed;
	int flag;
	struct expect_size_src sizedf;
}

%token <str> STRING "string" UNTERMINATED_STRING "unterminated string"
%token <str> ADDRESS "address" NUMBER "number" DOTTED "version number"
%token <str> QUANTITY "duration or volume" RANGE "port range" WORD "word"
%token <str> NAME "name" INVALID "invalid character"
%token ARROW "'->'"
/* Keywords carry their text: wherever a name is expected they are one. */
%token <str> INCLUDE "'include'" IKE "'ike'" IPSEC "'ipsec'" SITE "'site'" PEER "'peer'"
%token <str> TUNNEL "'tunnel'" EXPECT "'expect'" VERSION_KW "'version'" MODE "'mode'"
%token <str> ENCRYPTION "'encryption'" INTEGRITY "'integrity'" GROUP "'group'"
%token <str> LIFETIME "'lifetime'" PROTOCOL "'protocol'" PFS "'pfs'" SUBNET "'subnet'"
%token <str> HOST "'host'" GATEWAY "'gateway'" PLATFORM "'platform'" INTERFACE "'interface'"
%token <str> ADDRESS_KW "'address'" OUTSIDE "'outside'" BEHIND_NAT "'behind-nat'"
%token <str> FILTER "'filter'" IN "'in'" OUT "'out'" PERMIT "'permit'" DROP "'drop'"
%token <str> ROUTE "'route'" VIA "'via'" DEV "'dev'" METRIC "'metric'" NAT "'nat'"
%token <str> EXEMPT "'exempt'" TUNNELS "'tunnels'" OVERLOAD "'overload'" ON "'on'"
%token <str> STATIC "'static'" TO "'to'" DEFAULT "'default'" ANY "'any'"
%token <str> BETWEEN "'between'" AND "'and'" LOCAL "'local'" REMOTE "'remote'"
%token <str> LOCAL_ENDPOINT "'local-endpoint'" REMOTE_ENDPOINT "'remote-endpoint'"
%token <str> PSK "'psk'" FILE_KW "'file'" ENV "'env'" NAT_TRAVERSAL "'nat-traversal'"
%token <str> MIRRORED "'mirrored'" ACCEPT_UNSECURED "'accept-unsecured'" REPLY "'reply'" BY "'by'"
%token <str> KEYING "'keying'" PAT "'pat'"
%token <str> ROUTE_BASED "'route-based'" MTU "'mtu'" TCP_MSS "'tcp-mss'" DPD "'dpd'"
%token <str> SIZE "'size'" DF "'df'"
%token <str> PROTECTED "'protected'" CLEAR "'clear'" DROPPED "'dropped'"
%token <str> UNREACHABLE "'unreachable'"

%type <str> name end_name keyword end_keyword word version_value opt_port proto
%type <pp> opt_proto_port proto_port
%type <pfx> prefix route_dst
%type <pfxs> prefix_list
%type <words> word_list
%type <point> point
%type <verdict> verdict
%type <action> action
%type <closed> close

/* Lowest first: closing a block implicitly yields to anything the block
 * itself can take: its '}', recovery's `error`, and the statements of a
 * tunnel and its per-end blocks (whose keywords could also name the next
 * end, or, for `ike` and `ipsec`, start the next top-level block). */
%precedence IMPLIED_CLOSE
%precedence '}' error IKE IPSEC PSK PROTOCOL LOCAL REMOTE LOCAL_ENDPOINT REMOTE_ENDPOINT
%precedence MIRRORED ACCEPT_UNSECURED KEYING ROUTE_BASED TCP_MSS DPD
%type <flag> opt_reply
%type <sizedf> opt_size

%%

file
	: %empty
	| file top_stmt
	;

top_stmt
	: INCLUDE STRING semi           { grammar_include(ctx, $2, @2); }
	| ike_block
	| ipsec_block
	| site_block
	| peer_block
	| tunnel_block
	| expect_stmt
	| error ';'                     { RECOVERED(); }
	| error '}'                     { RECOVERED(); }
	;

/* The end of a statement.  A missing one is inserted (the error is worded
 * once the parser has read on, grammar/syntax_error.c). */
semi
	: ';'
	| error                         { syntax_error_repaired(ctx);
	                                  if (ctx->errors >= MAX_SYNTAX_ERRORS) YYABORT;
	                                  yyerrok; }
	;

/* The end of a block.  A missing '}' is implied before the next top-level
 * statement or the end of the file, and reported where the block opened. */
close
	: '}'                           { $$ = true; }
	| %empty %prec IMPLIED_CLOSE    { $$ = false; ctx->implied_close_at = yylloc; }
	;

/* Names: a bare name, any text as a string, or a keyword. */
name
	: NAME
	| STRING
	| keyword
	;

/* A per-end block in a tunnel starts with the end's name; a top-level
 * keyword there is taken as the next statement (a tunnel left open). */
end_name
	: NAME
	| STRING
	| end_keyword
	;

keyword
	: end_keyword
	| INCLUDE | SITE | PEER | TUNNEL | EXPECT
	;

end_keyword
	: IKE | IPSEC | VERSION_KW | MODE | ENCRYPTION | INTEGRITY | GROUP
	| LIFETIME | PROTOCOL | PFS | SUBNET | HOST | GATEWAY | PLATFORM | INTERFACE
	| ADDRESS_KW | OUTSIDE | BEHIND_NAT | FILTER | IN | OUT | PERMIT | DROP
	| ROUTE | VIA | DEV | METRIC | NAT | EXEMPT | TUNNELS | OVERLOAD | ON
	| STATIC | TO | DEFAULT | ANY | BETWEEN | AND | LOCAL | REMOTE
	| LOCAL_ENDPOINT | REMOTE_ENDPOINT | PSK | FILE_KW | ENV | NAT_TRAVERSAL
	| MIRRORED | ACCEPT_UNSECURED | BY | PROTECTED | CLEAR | DROPPED | UNREACHABLE
	| KEYING | REPLY | PAT | ROUTE_BASED | MTU | TCP_MSS | DPD | SIZE | DF
	;

/* Values that are words: algorithm names, 3des, modes, auto/on/off. */
word
	: NAME
	| WORD
	| ON
	;

word_list
	: word                          { $$ = (word_vec){0}; arena_vec_push(&ctx->ir->arena, &$$, ((struct word){$1, @1})); }
	| NUMBER                        { $$ = (word_vec){0}; arena_vec_push(&ctx->ir->arena, &$$, ((struct word){$1, @1})); }
	| word_list ',' word            { $$ = $1; arena_vec_push(&ctx->ir->arena, &$$, ((struct word){$3, @3})); }
	| word_list ',' NUMBER          { $$ = $1; arena_vec_push(&ctx->ir->arena, &$$, ((struct word){$3, @3})); }
	;

prefix
	: ADDRESS                       { build_prefix(ctx, $1, @1, false, &$$); }
	| ANY                           { $$ = build_any(@1); }
	;

prefix_list
	: prefix                        { $$ = (ir_prefix_vec){0}; arena_vec_push(&ctx->ir->arena, &$$, $1); }
	| prefix_list ',' prefix        { $$ = $1; arena_vec_push(&ctx->ir->arena, &$$, $3); }
	;

proto
	: word
	| NUMBER
	;

/* [PROTOCOL [PORT]] before a verdict */
opt_proto_port
	: %empty                        { $$ = (struct protoport){NULL, NULL, @$, @$}; }
	| proto_port
	;

/* PROTOCOL [PORT]: no empty alternative before a ';', so that the state
 * awaiting the ';' is reached before a missing one is noticed. */
proto_port
	: proto                         { $$ = (struct protoport){$1, NULL, @1, @1}; }
	| proto opt_port                { $$ = (struct protoport){$1, $2, @1, @2}; }
	;

opt_port
	: NUMBER
	| RANGE
	;

/* ---- Proposals ---- */

ike_block
	: IKE name '{'                  { build_ike_begin(ctx, $2, @2); syntax_block_open(ctx, "ike proposal", $2, @3); }
	  proposal_items close          { syntax_block_close(ctx, $6, @6);
	                                  build_proposal_end(ctx); }
	;

ipsec_block
	: IPSEC name '{'                { build_ipsec_begin(ctx, $2, @2); syntax_block_open(ctx, "ipsec proposal", $2, @3); }
	  proposal_items close          { syntax_block_close(ctx, $6, @6);
	                                  build_proposal_end(ctx); }
	;

proposal_items
	: %empty
	| proposal_items proposal_item
	;

proposal_item
	: VERSION_KW NUMBER semi        { build_version(ctx, $2, @2); }
	| MODE word semi                { build_mode(ctx, $2, @2); }
	| ENCRYPTION word_list semi     { build_encryption(ctx, &$2, @$); }
	| INTEGRITY word_list semi      { build_integrity(ctx, &$2, @$); }
	| GROUP word_list semi          { build_groups(ctx, &$2, @$); }
	| PROTOCOL word semi            { build_ipsec_protocol(ctx, $2, @2); }
	| PFS word semi                 { build_pfs(ctx, $2, @2); }
	| PFS NUMBER semi               { build_pfs(ctx, $2, @2); }
	| LIFETIME duration_value semi  { build_lifetime(ctx, $<str>2, @2, NULL, NOLOC, @$); }
	| LIFETIME duration_value QUANTITY semi { build_lifetime(ctx, $<str>2, @2, $3, @3, @$); }
	| error ';'                     { RECOVERED(); }
	| error                         { syntax_error_flush(ctx); }
	;

duration_value
	: NUMBER                        { $<str>$ = $1; }
	| QUANTITY                      { $<str>$ = $1; }
	;

/* ---- Sites ---- */

site_block
	: SITE name '{'                 { build_site_begin(ctx, $2, @2); syntax_block_open(ctx, "site", $2, @3); }
	  site_items close              { syntax_block_close(ctx, $6, @6);
	                                  build_site_end(ctx); }
	;

site_items
	: %empty
	| site_items site_item
	;

site_item
	: SUBNET prefix_list semi       { build_subnets(ctx, &$2, @$); }
	| HOST name ADDRESS semi        { build_host(ctx, $2, @2, $3, @3, @$); }
	| gateway_block
	| error ';'                     { RECOVERED(); }
	| error                         { syntax_error_flush(ctx); }
	;

gateway_block
	: GATEWAY name '{'              { build_gateway_begin(ctx, GW_GATEWAY, $2, @2); syntax_block_open(ctx, "gateway", $2, @3); }
	  gateway_items close           { syntax_block_close(ctx, $6, @6);
	                                  build_gateway_end(ctx); }
	;

gateway_items
	: %empty
	| gateway_items gateway_item
	;

gateway_item
	: platform_stmt
	| interface_block
	| route_stmt
	| nat_block
	| error ';'                     { RECOVERED(); }
	| error                         { syntax_error_flush(ctx); }
	;

platform_stmt
	: PLATFORM word semi            { build_platform(ctx, $2, @2, NULL, NOLOC, @$); }
	| PLATFORM word version_value semi { build_platform(ctx, $2, @2, $3, @3, @$); }
	;

/* As devices print it too: 15.4(3)M, 2012r2, 6.1.0-13-amd64. */
version_value
	: NUMBER
	| DOTTED
	| WORD
	| STRING
	;

interface_block
	: INTERFACE name '{'            { build_interface_begin(ctx, $2, @2); syntax_block_open(ctx, "interface", $2, @3); }
	  interface_items close         { syntax_block_close(ctx, $6, @6);
	                                  build_interface_end(ctx); }
	;

interface_items
	: %empty
	| interface_items interface_item
	;

interface_item
	: ADDRESS_KW ADDRESS semi       { build_if_address(ctx, $2, @2, @$); }
	| OUTSIDE semi                  { build_if_outside(ctx, @$); }
	| BEHIND_NAT ADDRESS semi       { build_if_behind_nat(ctx, $2, @2, @$); }
	| BEHIND_NAT ADDRESS PAT semi   { build_if_behind_nat(ctx, $2, @2, @$); build_if_behind_pat(ctx); }
	| MTU NUMBER semi               { build_if_mtu(ctx, $2, @2, @$); }
	| filter_block
	| error ';'                     { RECOVERED(); }
	| error                         { syntax_error_flush(ctx); }
	;

filter_block
	: FILTER IN '{'                 { build_filter_begin(ctx, FILTER_IN, @$); syntax_block_open(ctx, "filter in", NULL, @3); }
	  filter_items close            { syntax_block_close(ctx, $6, @6);
	                                  build_filter_end(ctx); }
	| FILTER OUT '{'                { build_filter_begin(ctx, FILTER_OUT, @$); syntax_block_open(ctx, "filter out", NULL, @3); }
	  filter_items close            { syntax_block_close(ctx, $6, @6);
	                                  build_filter_end(ctx); }
	;

filter_items
	: %empty
	| filter_items filter_item
	;

action
	: PERMIT                        { $$ = FILTER_PERMIT; }
	| DROP                          { $$ = FILTER_DROP; }
	;

filter_item
	: action prefix ARROW prefix semi
	                                { build_filter_rule(ctx, $1, &$2, &$4, NULL, @5, NULL, @5, @$); }
	| action prefix ARROW prefix proto_port semi
	                                { build_filter_rule(ctx, $1, &$2, &$4, $5.proto, $5.proto_loc, $5.port, $5.port_loc, @$); }
	| DEFAULT action semi           { build_filter_default(ctx, $2, @$); }
	| error ';'                     { RECOVERED(); }
	| error                         { syntax_error_flush(ctx); }
	;

route_stmt
	: ROUTE route_dst VIA ADDRESS semi
	                                { build_route(ctx, &$2, $4, @4, NULL, NOLOC, NULL, NOLOC, @$); }
	| ROUTE route_dst VIA ADDRESS DEV name semi
	                                { build_route(ctx, &$2, $4, @4, $6, @6, NULL, NOLOC, @$); }
	| ROUTE route_dst VIA ADDRESS METRIC NUMBER semi
	                                { build_route(ctx, &$2, $4, @4, NULL, NOLOC, $6, @6, @$); }
	| ROUTE route_dst VIA ADDRESS DEV name METRIC NUMBER semi
	                                { build_route(ctx, &$2, $4, @4, $6, @6, $8, @8, @$); }
	| ROUTE route_dst VIA TUNNEL name semi
	                                { build_route_tunnel(ctx, &$2, $5, @5, @$); }
	;

route_dst
	: prefix
	| DEFAULT                       { $$ = build_any(@1); }
	;

nat_block
	: NAT '{'                       { build_nat_begin(ctx, @1); syntax_block_open(ctx, "nat", NULL, @2); }
	  nat_items close               { syntax_block_close(ctx, $5, @5); }
	;

nat_items
	: %empty
	| nat_items nat_item
	;

nat_item
	: EXEMPT prefix ARROW prefix semi       { build_nat_exempt(ctx, &$2, &$4, @$); }
	| EXEMPT TUNNELS semi                   { build_nat_exempt_tunnels(ctx, @$); }
	| OVERLOAD prefix ON name semi          { build_nat_overload(ctx, &$2, $4, @4, @$); }
	| STATIC ADDRESS TO ADDRESS semi        { build_nat_static(ctx, $2, @2, $4, @4, @$); }
	| error ';'                             { RECOVERED(); }
	| error                                 { syntax_error_flush(ctx); }
	;

/* ---- Peers ---- */

peer_block
	: PEER name '{'                 { build_gateway_begin(ctx, GW_PEER, $2, @2); syntax_block_open(ctx, "peer", $2, @3); }
	  peer_items close              { syntax_block_close(ctx, $6, @6);
	                                  build_gateway_end(ctx); }
	;

peer_items
	: %empty
	| peer_items peer_item
	;

peer_item
	: ADDRESS_KW ADDRESS semi       { build_peer_address(ctx, $2, @2, @$); }
	| SUBNET prefix_list semi       { build_subnets(ctx, &$2, @$); }
	| platform_stmt
	| BEHIND_NAT semi               { build_peer_behind_nat(ctx, @$); }
	| BEHIND_NAT PAT semi           { build_peer_behind_nat(ctx, @$); build_peer_behind_pat(ctx); }
	| error ';'                     { RECOVERED(); }
	| error                         { syntax_error_flush(ctx); }
	;

/* ---- Tunnels ---- */

tunnel_block
	: TUNNEL name '{'               { build_tunnel_begin(ctx, $2, @2); syntax_block_open(ctx, "tunnel", $2, @3); }
	  tunnel_items close            { syntax_block_close(ctx, $6, @6);
	                                  build_tunnel_end(ctx); }
	;

tunnel_items
	: %empty
	| tunnel_items tunnel_item
	;

tunnel_item
	: BETWEEN name AND name semi    { build_between(ctx, $2, @2, $4, @4, @$); }
	| common_end_item
	| NAT_TRAVERSAL word semi       { build_nat_traversal(ctx, $2, @2); }
	| end_name '{'                  { build_end_begin(ctx, $1, @1); syntax_block_open(ctx, "tunnel end", $1, @2); }
	  end_items close               { syntax_block_close(ctx, $5, @5);
	                                  build_end_end(ctx); }
	| error ';'                     { RECOVERED(); }
	| error                         { syntax_error_flush(ctx); }
	;

/* Statements a tunnel and a per-end block share. */
common_end_item
	: IKE name semi                 { build_proposal_ref(ctx, true, $2, @2); }
	| IPSEC name semi               { build_proposal_ref(ctx, false, $2, @2); }
	| PSK FILE_KW STRING semi       { build_psk(ctx, PSK_FILE, $3, @$); }
	| PSK ENV STRING semi           { build_psk(ctx, PSK_ENV, $3, @$); }
	| PSK STRING semi               { build_psk(ctx, PSK_INLINE, $2, @$); }
	| KEYING word semi              { build_keying(ctx, $2, @2, @$); }
	| KEYING IKE semi               { build_keying(ctx, "ike", @2, @$); }
	| ROUTE_BASED ADDRESS semi      { build_route_based(ctx, $2, @2, @$); }
	| TCP_MSS word semi             { build_tcp_mss(ctx, $2, @2, @$); }
	| TCP_MSS NUMBER semi           { build_tcp_mss(ctx, $2, @2, @$); }
	| DPD duration_value semi       { build_dpd(ctx, $<str>2, @2, @$); }
	;

end_items
	: %empty
	| end_items end_item
	;

end_item
	: LOCAL prefix_list semi        { build_end_selectors(ctx, true, &$2, @$); }
	| REMOTE prefix_list semi       { build_end_selectors(ctx, false, &$2, @$); }
	| PROTOCOL proto semi           { build_end_protocol(ctx, $2, @2, NULL, @2, @$); }
	| PROTOCOL proto opt_port semi  { build_end_protocol(ctx, $2, @2, $3, @3, @$); }
	| LOCAL_ENDPOINT ADDRESS semi   { build_end_endpoint(ctx, true, $2, @2, @$); }
	| REMOTE_ENDPOINT ADDRESS semi  { build_end_endpoint(ctx, false, $2, @2, @$); }
	| common_end_item
	| MIRRORED semi                 { build_end_flag(ctx, true, @$); }
	| ACCEPT_UNSECURED semi         { build_end_flag(ctx, false, @$); }
	| error ';'                     { RECOVERED(); }
	| error                         { syntax_error_flush(ctx); }
	;

/* ---- Expectations ---- */

expect_stmt
	: EXPECT point ARROW point opt_proto_port opt_size opt_reply verdict semi
	        { build_expect(ctx, &$2, &$4, $5.proto, $5.proto_loc, $5.port, $5.port_loc, $7, @7, $8, NULL, NOLOC, @$);
	          build_expect_size(ctx, &$6); }
	| EXPECT point ARROW point opt_proto_port opt_size opt_reply verdict BY name semi
	        { build_expect(ctx, &$2, &$4, $5.proto, $5.proto_loc, $5.port, $5.port_loc, $7, @7, $8, $10, @10, @$);
	          build_expect_size(ctx, &$6); }
	;

/* `size N` (the inner IP packet's length) and `df` (Don't Fragment). */
opt_size
	: %empty                        { $$ = (struct expect_size_src){NULL, NOLOC, false}; }
	| SIZE NUMBER                   { $$ = (struct expect_size_src){$2, @2, false}; }
	| SIZE NUMBER DF                { $$ = (struct expect_size_src){$2, @2, true}; }
	| DF                            { $$ = (struct expect_size_src){NULL, NOLOC, true}; }
	;

/* `reply`: the destination answers a UDP datagram (ICMP echo and TCP SYN
 * are always round trips). */
opt_reply
	: %empty                        { $$ = 0; }
	| REPLY                         { $$ = 1; }
	;

point
	: name                          { $$ = (struct expect_point_src){$1, @1, false}; }
	| ADDRESS                       { $$ = (struct expect_point_src){$1, @1, true}; }
	;

verdict
	: PROTECTED                     { $$ = VERDICT_PROTECTED; }
	| CLEAR                         { $$ = VERDICT_CLEAR; }
	| DROPPED                       { $$ = VERDICT_DROPPED; }
	| UNREACHABLE                   { $$ = VERDICT_UNREACHABLE; }
	;

%%

static void tunc_yyerror(YYLTYPE *loc, void *scanner, struct parse_ctx *ctx, const char *msg)
{
	(void)scanner;
	syntax_error_flush(ctx);
	diag_front(ctx->diags, "syntax", *loc, "%s", msg);
	ctx->errors++;
}

/* Punctuation symbols by their names ("';'"): bison numbers them itself. */
static bool is_symbol(yysymbol_kind_t sym, const char *name)
{
	return strcmp(yysymbol_name(sym), name) == 0;
}

/* 'ike' -> ike; NULL for a token that is not a keyword. */
static const char *keyword_text(yysymbol_kind_t sym, char *buf, size_t size)
{
	const char *n = yysymbol_name(sym);
	size_t len = strlen(n);
	if (len < 3 || n[0] != '\'' || n[len - 1] != '\'' || !isalpha((unsigned char)n[1]) ||
	    len - 2 >= size)
		return NULL;
	memcpy(buf, n + 1, len - 2);
	buf[len - 2] = '\0';
	return buf;
}

static bool is_top_level_start(yysymbol_kind_t sym)
{
	switch (sym) {
	case YYSYMBOL_INCLUDE: case YYSYMBOL_IKE: case YYSYMBOL_IPSEC: case YYSYMBOL_SITE:
	case YYSYMBOL_PEER: case YYSYMBOL_TUNNEL: case YYSYMBOL_EXPECT: case YYSYMBOL_YYEOF:
		return true;
	default:
		return false;
	}
}

/* The text of the token at LOC as written. */
static const char *token_source(struct parse_ctx *ctx, struct tunc_loc loc)
{
	const struct source_file *f = source_get(ctx->ir->sources, loc.file);
	return arena_strndup(&ctx->ir->arena, f->text + loc.offset, loc.length);
}

/* The keyword closest to WORD among EXPECTED (all keywords when N is 0). */
static const char *near_keyword(struct parse_ctx *ctx, const char *word,
				const yysymbol_kind_t *expected, int n)
{
	struct suggest s;
	suggest_init(&s, word);
	char buf[64];
	int count = n ? n : YYNTOKENS;
	for (int i = 0; i < count; i++) {
		const char *k = keyword_text(n ? expected[i] : (yysymbol_kind_t)i, buf, sizeof(buf));
		if (k)
			suggest_consider(&s, arena_strdup(&ctx->ir->arena, k));
	}
	return suggest_text(&s, &ctx->ir->arena);
}

/* "unexpected X, expected A, B or C"; "unknown keyword 'encrption'; did you
 * mean 'encryption'?"; or a missing ';' (held, grammar/syntax_error.c). */
static int yyreport_syntax_error(const yypcontext_t *pctx, void *scanner, struct parse_ctx *ctx)
{
	(void)scanner;
	yysymbol_kind_t all[YYNTOKENS];
	int n_all = yypcontext_expected_tokens(pctx, all, YYNTOKENS);
	if (n_all < 0)
		n_all = 0;
	yysymbol_kind_t got = yypcontext_token(pctx);
	YYLTYPE loc = *yypcontext_location(pctx);
	bool name_fits = false, close_fits = false, semicolon_fits = false;
	for (int i = 0; i < n_all; i++) {
		name_fits |= all[i] == YYSYMBOL_NAME;
		close_fits |= is_symbol(all[i], "'}'");
		semicolon_fits |= is_symbol(all[i], "';'");
	}
	/* What to list: a keyword where a name fits is a name; the top-level
	 * statements after a block only fit by closing it implicitly. */
	yysymbol_kind_t shown[YYNTOKENS];
	int n = 0;
	char buf[64];
	for (int i = 0; i < n_all; i++) {
		if (name_fits && keyword_text(all[i], buf, sizeof(buf)))
			continue;
		if (close_fits && is_top_level_start(all[i]))
			continue;
		shown[n++] = all[i];
	}

	struct strbuf msg = STRBUF_INIT;
	if (got == YYSYMBOL_NAME && !name_fits) {
		const char *word = token_source(ctx, loc);
		const char *near = near_keyword(ctx, word, all, n_all);
		if (near) {
			strbuf_printf(&msg, "unknown keyword '%s'; %s", word, near);
			syntax_error_report(ctx, loc, strbuf_cstr(&msg), NULL, false);
			strbuf_free(&msg);
			return 0;
		}
	}
	/* `betwen a and b;` in a tunnel: 'betwen' was taken for an end's name. */
	if (n == 1 && is_symbol(shown[0], "'{'") && ctx->token_before.length) {
		const char *word = token_source(ctx, ctx->token_before);
		const char *near = isalpha((unsigned char)word[0]) ? near_keyword(ctx, word, NULL, 0) : NULL;
		if (near) {
			strbuf_printf(&msg, "unknown keyword '%s'; %s", word, near);
			syntax_error_report(ctx, ctx->token_before, strbuf_cstr(&msg), NULL, false);
			strbuf_free(&msg);
			return 0;
		}
	}

	if (got == YYSYMBOL_UNTERMINATED_STRING && strchr(token_source(ctx, loc), '}'))
		ctx->swallowed_brace = loc;
	if (got == YYSYMBOL_UNTERMINATED_STRING)
		strbuf_puts(&msg, "missing closing '\"' in this string");
	else if (got == YYSYMBOL_INVALID)
		strbuf_puts(&msg, "invalid character");
	else if (got == YYSYMBOL_YYEOF)
		strbuf_puts(&msg, "unexpected end of file");
	else
		strbuf_printf(&msg, "unexpected %s", yysymbol_name(got));
	enum { MAX_LISTED = 6 };
	if (n > 0 && n <= MAX_LISTED && got != YYSYMBOL_UNTERMINATED_STRING) {
		strbuf_puts(&msg, ", expected ");
		for (int i = 0; i < n; i++)
			strbuf_printf(&msg, "%s%s", i == 0 ? "" : i == n - 1 ? " or " : ", ",
				      yysymbol_name(shown[i]));
	}
	syntax_error_report(ctx, loc, strbuf_cstr(&msg),
			    semicolon_fits ? "a statement ends with ';'" : NULL,
			    semicolon_fits && got != YYSYMBOL_UNTERMINATED_STRING &&
			    got != YYSYMBOL_INVALID);
	strbuf_free(&msg);
	return 0;
}
