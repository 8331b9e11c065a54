/* The .tun grammar (LANGUAGE.md).  A pure, reentrant parser that builds the
 * IR through the build_* actions of src/ir/build.c and nothing else.  Errors
 * recover at statement boundaries so one run reports every syntax error. */
%require "3.6"
%define api.pure full
%define api.prefix {tunc_yy}
%define parse.error custom
%define parse.lac full
%locations
%expect 0
%param {void *scanner}
%parse-param {struct parse_ctx *ctx}

%code requires {
#include "grammar.h"
#include "ir/build.h"
}

%code {
#include <stdio.h>
#include <string.h>
int tunc_yylex(TUNC_YYSTYPE *lval, YYLTYPE *lloc, void *scanner);
static void tunc_yyerror(YYLTYPE *loc, void *scanner, struct parse_ctx *ctx, const char *msg);

#define YYLLOC_DEFAULT(Cur, Rhs, N)                                            \
	do {                                                                   \
		if (N)                                                         \
			(Cur) = loc_span(YYRHSLOC(Rhs, 1), YYRHSLOC(Rhs, N));  \
		else {                                                         \
			(Cur) = YYRHSLOC(Rhs, 0);                              \
			(Cur).offset += (Cur).length;                          \
			(Cur).length = 0;                                      \
		}                                                              \
	} while (0)

/* Stop after this many syntax errors in one file: the rest is noise. */
#define MAX_SYNTAX_ERRORS 50
#define RECOVERED() do { if (++ctx->errors >= MAX_SYNTAX_ERRORS) YYABORT; yyerrok; } while (0)
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
	int flag;
}

%token <str> STRING "string" UNTERMINATED_STRING "unterminated string"
%token <str> ADDRESS "address" NUMBER "number" DOTTED "version number"
%token <str> QUANTITY "duration or volume" RANGE "port range" WORD "word"
%token <str> NAME "name" INVALID "invalid character"
%token ARROW "'->'"
%token INCLUDE "'include'" IKE "'ike'" IPSEC "'ipsec'" SITE "'site'" PEER "'peer'"
%token TUNNEL "'tunnel'" EXPECT "'expect'" VERSION_KW "'version'" MODE "'mode'"
%token ENCRYPTION "'encryption'" INTEGRITY "'integrity'" GROUP "'group'"
%token LIFETIME "'lifetime'" PROTOCOL "'protocol'" PFS "'pfs'" SUBNET "'subnet'"
%token HOST "'host'" GATEWAY "'gateway'" PLATFORM "'platform'" INTERFACE "'interface'"
%token ADDRESS_KW "'address'" OUTSIDE "'outside'" BEHIND_NAT "'behind-nat'"
%token FILTER "'filter'" IN "'in'" OUT "'out'" PERMIT "'permit'" DROP "'drop'"
%token ROUTE "'route'" VIA "'via'" DEV "'dev'" METRIC "'metric'" NAT "'nat'"
%token EXEMPT "'exempt'" TUNNELS "'tunnels'" OVERLOAD "'overload'" ON "'on'"
%token STATIC "'static'" TO "'to'" DEFAULT "'default'" ANY "'any'"
%token BETWEEN "'between'" AND "'and'" LOCAL "'local'" REMOTE "'remote'"
%token LOCAL_ENDPOINT "'local-endpoint'" REMOTE_ENDPOINT "'remote-endpoint'"
%token PSK "'psk'" FILE_KW "'file'" ENV "'env'" NAT_TRAVERSAL "'nat-traversal'"
%token MIRRORED "'mirrored'" ACCEPT_UNSECURED "'accept-unsecured'" REPLY "'reply'" BY "'by'"
%token KEYING "'keying'"
%token PROTECTED "'protected'" CLEAR "'clear'" DROPPED "'dropped'"
%token UNREACHABLE "'unreachable'"

%type <str> name word version_value proposal_name opt_port proto
%type <pp> opt_proto_port
%type <pfx> prefix route_dst
%type <pfxs> prefix_list
%type <words> word_list
%type <point> point
%type <verdict> verdict
%type <action> action
%type <flag> opt_reply

%%

file
	: %empty
	| file top_stmt
	;

top_stmt
	: INCLUDE STRING ';'            { grammar_include(ctx, $2, @2); }
	| ike_block
	| ipsec_block
	| site_block
	| peer_block
	| tunnel_block
	| expect_stmt
	| error ';'                     { RECOVERED(); }
	| error '}'                     { RECOVERED(); }
	;

/* Names: a bare name, or any text as a string. */
name
	: NAME
	| STRING
	;

/* Values that are words: algorithm names, 3des, modes, auto/on/off. */
word
	: NAME
	| WORD
	| ON                            { $$ = "on"; }
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

/* [PROTOCOL [PORT]] */
opt_proto_port
	: %empty                        { $$ = (struct protoport){NULL, NULL, @$, @$}; }
	| proto opt_port                { $$ = (struct protoport){$1, $2, @1, @2}; }
	;

opt_port
	: %empty                        { $$ = NULL; }
	| NUMBER
	| RANGE
	;

/* ---- Proposals ---- */

ike_block
	: IKE proposal_name '{'         { build_ike_begin(ctx, $2, @2); }
	  proposal_items '}'            { build_proposal_end(ctx); }
	;

ipsec_block
	: IPSEC proposal_name '{'       { build_ipsec_begin(ctx, $2, @2); }
	  proposal_items '}'            { build_proposal_end(ctx); }
	;

/* `default` names the file's default proposal. */
proposal_name
	: name
	| DEFAULT                       { $$ = "default"; }
	;

proposal_items
	: %empty
	| proposal_items proposal_item
	;

proposal_item
	: VERSION_KW NUMBER ';'            { build_version(ctx, $2, @2); }
	| MODE word ';'                 { build_mode(ctx, $2, @2); }
	| ENCRYPTION word_list ';'      { build_encryption(ctx, &$2, @$); }
	| INTEGRITY word_list ';'       { build_integrity(ctx, &$2, @$); }
	| GROUP word_list ';'           { build_groups(ctx, &$2, @$); }
	| PROTOCOL word ';'             { build_ipsec_protocol(ctx, $2, @2); }
	| PFS word ';'                  { build_pfs(ctx, $2, @2); }
	| PFS NUMBER ';'                { build_pfs(ctx, $2, @2); }
	| LIFETIME duration_value ';'   { build_lifetime(ctx, $<str>2, @2, NULL, NOLOC, @$); }
	| LIFETIME duration_value QUANTITY ';' { build_lifetime(ctx, $<str>2, @2, $3, @3, @$); }
	| error ';'                     { RECOVERED(); }
	;

duration_value
	: NUMBER                        { $<str>$ = $1; }
	| QUANTITY                      { $<str>$ = $1; }
	;

/* ---- Sites ---- */

site_block
	: SITE name '{'                 { build_site_begin(ctx, $2, @2); }
	  site_items '}'                { build_site_end(ctx); }
	;

site_items
	: %empty
	| site_items site_item
	;

site_item
	: SUBNET prefix_list ';'        { build_subnets(ctx, &$2, @$); }
	| HOST name ADDRESS ';'         { build_host(ctx, $2, @2, $3, @3, @$); }
	| gateway_block
	| error ';'                     { RECOVERED(); }
	;

gateway_block
	: GATEWAY name '{'              { build_gateway_begin(ctx, GW_GATEWAY, $2, @2); }
	  gateway_items '}'             { build_gateway_end(ctx); }
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
	;

platform_stmt
	: PLATFORM word ';'             { build_platform(ctx, $2, @2, NULL, NOLOC, @$); }
	| PLATFORM word version_value ';' { build_platform(ctx, $2, @2, $3, @3, @$); }
	;

version_value
	: NUMBER
	| DOTTED
	| STRING
	;

interface_block
	: INTERFACE name '{'            { build_interface_begin(ctx, $2, @2); }
	  interface_items '}'           { build_interface_end(ctx); }
	;

interface_items
	: %empty
	| interface_items interface_item
	;

interface_item
	: ADDRESS_KW ADDRESS ';'        { build_if_address(ctx, $2, @2, @$); }
	| OUTSIDE ';'                   { build_if_outside(ctx, @$); }
	| BEHIND_NAT ADDRESS ';'        { build_if_behind_nat(ctx, $2, @2, @$); }
	| filter_block
	| error ';'                     { RECOVERED(); }
	;

filter_block
	: FILTER IN '{'                 { build_filter_begin(ctx, FILTER_IN, @$); }
	  filter_items '}'              { build_filter_end(ctx); }
	| FILTER OUT '{'                { build_filter_begin(ctx, FILTER_OUT, @$); }
	  filter_items '}'              { build_filter_end(ctx); }
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
	: action prefix ARROW prefix opt_proto_port ';'
	                                { build_filter_rule(ctx, $1, &$2, &$4, $5.proto, $5.proto_loc, $5.port, $5.port_loc, @$); }
	| DEFAULT action ';'            { build_filter_default(ctx, $2, @$); }
	| error ';'                     { RECOVERED(); }
	;

route_stmt
	: ROUTE route_dst VIA ADDRESS ';'
	                                { build_route(ctx, &$2, $4, @4, NULL, NOLOC, NULL, NOLOC, @$); }
	| ROUTE route_dst VIA ADDRESS DEV name ';'
	                                { build_route(ctx, &$2, $4, @4, $6, @6, NULL, NOLOC, @$); }
	| ROUTE route_dst VIA ADDRESS METRIC NUMBER ';'
	                                { build_route(ctx, &$2, $4, @4, NULL, NOLOC, $6, @6, @$); }
	| ROUTE route_dst VIA ADDRESS DEV name METRIC NUMBER ';'
	                                { build_route(ctx, &$2, $4, @4, $6, @6, $8, @8, @$); }
	;

route_dst
	: prefix
	| DEFAULT                       { $$ = build_any(@1); }
	;

nat_block
	: NAT '{'                       { build_nat_begin(ctx, @1); }
	  nat_items '}'
	;

nat_items
	: %empty
	| nat_items nat_item
	;

nat_item
	: EXEMPT prefix ARROW prefix ';'        { build_nat_exempt(ctx, &$2, &$4, @$); }
	| EXEMPT TUNNELS ';'                    { build_nat_exempt_tunnels(ctx, @$); }
	| OVERLOAD prefix ON name ';'           { build_nat_overload(ctx, &$2, $4, @4, @$); }
	| STATIC ADDRESS TO ADDRESS ';'         { build_nat_static(ctx, $2, @2, $4, @4, @$); }
	| error ';'                             { RECOVERED(); }
	;

/* ---- Peers ---- */

peer_block
	: PEER name '{'                 { build_gateway_begin(ctx, GW_PEER, $2, @2); }
	  peer_items '}'                { build_gateway_end(ctx); }
	;

peer_items
	: %empty
	| peer_items peer_item
	;

peer_item
	: ADDRESS_KW ADDRESS ';'        { build_peer_address(ctx, $2, @2, @$); }
	| SUBNET prefix_list ';'        { build_subnets(ctx, &$2, @$); }
	| platform_stmt
	| BEHIND_NAT ';'                { build_peer_behind_nat(ctx, @$); }
	| error ';'                     { RECOVERED(); }
	;

/* ---- Tunnels ---- */

tunnel_block
	: TUNNEL name '{'               { build_tunnel_begin(ctx, $2, @2); }
	  tunnel_items '}'              { build_tunnel_end(ctx); }
	;

tunnel_items
	: %empty
	| tunnel_items tunnel_item
	;

tunnel_item
	: BETWEEN name AND name ';'     { build_between(ctx, $2, @2, $4, @4, @$); }
	| common_end_item
	| NAT_TRAVERSAL word ';'        { build_nat_traversal(ctx, $2, @2); }
	| name '{'                      { build_end_begin(ctx, $1, @1); }
	  end_items '}'                 { build_end_end(ctx); }
	| error ';'                     { RECOVERED(); }
	;

/* Statements a tunnel and a per-end block share. */
common_end_item
	: IKE name ';'                  { build_proposal_ref(ctx, true, $2, @2); }
	| IKE DEFAULT ';'               { build_proposal_ref(ctx, true, "default", @2); }
	| IPSEC name ';'                { build_proposal_ref(ctx, false, $2, @2); }
	| IPSEC DEFAULT ';'             { build_proposal_ref(ctx, false, "default", @2); }
	| PSK FILE_KW STRING ';'        { build_psk(ctx, PSK_FILE, $3, @$); }
	| PSK ENV STRING ';'            { build_psk(ctx, PSK_ENV, $3, @$); }
	| PSK STRING ';'                { build_psk(ctx, PSK_INLINE, $2, @$); }
	| KEYING word ';'               { build_keying(ctx, $2, @2, @$); }
	| KEYING IKE ';'                { build_keying(ctx, "ike", @2, @$); }
	;

end_items
	: %empty
	| end_items end_item
	;

end_item
	: LOCAL prefix_list ';'         { build_end_selectors(ctx, true, &$2, @$); }
	| REMOTE prefix_list ';'        { build_end_selectors(ctx, false, &$2, @$); }
	| PROTOCOL proto opt_port ';'   { build_end_protocol(ctx, $2, @2, $3, @3, @$); }
	| LOCAL_ENDPOINT ADDRESS ';'    { build_end_endpoint(ctx, true, $2, @2, @$); }
	| REMOTE_ENDPOINT ADDRESS ';'   { build_end_endpoint(ctx, false, $2, @2, @$); }
	| common_end_item
	| MIRRORED ';'                  { build_end_flag(ctx, true, @$); }
	| ACCEPT_UNSECURED ';'          { build_end_flag(ctx, false, @$); }
	| error ';'                     { RECOVERED(); }
	;

/* ---- Expectations ---- */

expect_stmt
	: EXPECT point ARROW point opt_proto_port opt_reply verdict ';'
	        { build_expect(ctx, &$2, &$4, $5.proto, $5.proto_loc, $5.port, $5.port_loc, $6, @6, $7, NULL, NOLOC, @$); }
	| EXPECT point ARROW point opt_proto_port opt_reply verdict BY name ';'
	        { build_expect(ctx, &$2, &$4, $5.proto, $5.proto_loc, $5.port, $5.port_loc, $6, @6, $7, $9, @9, @$); }
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
	diag_front(ctx->diags, "syntax", *loc, "%s", msg);
}

/* "unexpected X, expected A, B or C", with hints for the usual slips. */
static int yyreport_syntax_error(const yypcontext_t *pctx, void *scanner, struct parse_ctx *ctx)
{
	(void)scanner;
	enum { MAX_EXPECTED = 6 };
	yysymbol_kind_t expected[MAX_EXPECTED];
	int n = yypcontext_expected_tokens(pctx, expected, MAX_EXPECTED);
	yysymbol_kind_t got = yypcontext_token(pctx);
	YYLTYPE loc = *yypcontext_location(pctx);
	char msg[512];
	size_t len = 0;
	if (got == YYSYMBOL_UNTERMINATED_STRING)
		len = (size_t)snprintf(msg, sizeof(msg), "missing closing '\"' in this string");
	else if (got == YYSYMBOL_INVALID)
		len = (size_t)snprintf(msg, sizeof(msg), "invalid character");
	else if (got == YYSYMBOL_YYEOF)
		len = (size_t)snprintf(msg, sizeof(msg), "unexpected end of file");
	else
		len = (size_t)snprintf(msg, sizeof(msg), "unexpected %s", yysymbol_name(got));
	if (n > 0 && got != YYSYMBOL_UNTERMINATED_STRING) {
		len += (size_t)snprintf(msg + len, sizeof(msg) - len, ", expected ");
		for (int i = 0; i < n && len < sizeof(msg); i++)
			len += (size_t)snprintf(msg + len, sizeof(msg) - len, "%s%s",
						i == 0 ? "" : i == n - 1 ? " or " : ", ",
						yysymbol_name(expected[i]));
	}
	struct diag *d = diag_front(ctx->diags, "syntax", loc, "%s", msg);
	/* A missing ';' shows up at the next line's first token. */
	for (int i = 0; i < n; i++)
		if (strcmp(yysymbol_name(expected[i]), "';'") == 0) {
			diag_fix(d, "a statement ends with ';'");
			break;
		}
	return 0;
}
