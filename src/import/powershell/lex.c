/* The tokens of a PowerShell script, as far as the reader needs them:
 * bare words, -Parameters, quoted strings ('' and `" escapes, here-strings),
 * variables with a member or an index ($mmSet.Name, $keys['t']), the
 * brackets of subexpressions, arrays and hash tables, comments (# and
 * <# #>), and the statement ends PowerShell sees: a newline ends a
 * statement unless it follows a backtick, a comma or a pipe, or lies
 * inside ( ), @( ) or $( ). */
#include "config.h"
#include "import/powershell/ps.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#define MAX_DEPTH 64

struct lx {
	struct imp_read *r;
	const char *t;
	size_t n, i;
	ps_token_vec *out;
	char stack[MAX_DEPTH];          /* open brackets: ( [ @( $( ] { or @{ */
	size_t stack_off[MAX_DEPTH];
	size_t depth;
	bool failed;
};

static void mark_keys(struct lx *x, size_t fail_off);

static void fail(struct lx *x, size_t off, size_t len, const char *msg)
{
	if (!x->failed) {
		mark_keys(x, off);
		diag_front(x->r->diags, "syntax", imp_loc(x->r, off, len), "%s", msg);
	}
	x->failed = true;
}

static struct ps_token *emit(struct lx *x, enum ps_tok t, size_t off, size_t len)
{
	struct ps_token k = {.t = t, .loc = imp_loc(x->r, off, len)};
	arena_vec_push(x->r->arena, x->out, k);
	return &x->out->v[x->out->n - 1];
}

static bool in_parens(const struct lx *x)
{
	return x->depth && x->stack[x->depth - 1] == '(';
}

static void open(struct lx *x, char kind, enum ps_tok t, size_t off, size_t len)
{
	if (x->depth == MAX_DEPTH) {
		fail(x, off, len, "brackets nested too deep");
		return;
	}
	x->stack_off[x->depth] = off;
	x->stack[x->depth++] = kind;
	emit(x, t, off, len);
}

static void close(struct lx *x, char kind, enum ps_tok t)
{
	if (!x->depth || x->stack[x->depth - 1] != kind) {
		fail(x, x->i, 1, kind == '(' ? "')' closes nothing" : "'}' closes nothing");
		return;
	}
	x->depth--;
	emit(x, t, x->i, 1);
	x->i++;
}

/* A newline: the end of a statement, unless PowerShell reads on. */
static void newline(struct lx *x)
{
	if (in_parens(x))
		return;
	if (x->out->n) {
		enum ps_tok last = x->out->v[x->out->n - 1].t;
		if (last == PT_COMMA || last == PT_PIPE || last == PT_END || last == PT_LBRACE ||
		    last == PT_HASH || last == PT_EQ)
			return;
	}
	emit(x, PT_END, x->i, 1);
}

static bool word_char(char c)
{
	return c && !strchr(" \t\r\n,;|(){}", c);
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == ':' || c == '?';
}

static bool alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* 'text' ('' is a quote) or "text" (`x and "" escape): the text, unquoted. */
static void string(struct lx *x, struct ps_token *k)
{
	char q = x->t[x->i];
	size_t start = x->i++;
	char *buf = arena_alloc(x->r->arena, x->n - x->i + 1);
	size_t b = 0;
	for (;;) {
		if (x->i >= x->n) {
			fail(x, start, 1, "the string is not closed");
			return;
		}
		char c = x->t[x->i];
		if (c == q && x->i + 1 < x->n && x->t[x->i + 1] == q) {
			buf[b++] = q;
			x->i += 2;
			continue;
		}
		if (c == q)
			break;
		if (q == '"' && c == '`' && x->i + 1 < x->n) {
			buf[b++] = x->t[x->i + 1];
			x->i += 2;
			continue;
		}
		buf[b++] = c;
		x->i++;
	}
	buf[b] = '\0';
	x->i++;
	k->s = buf;
	k->loc = imp_loc(x->r, start, x->i - start);
	k->sloc = imp_loc(x->r, start + 1, x->i - start - 2);
}

/* @'...'@ and @"..."@: the closing quote starts a line. */
static void here_string(struct lx *x)
{
	size_t start = x->i;
	char q = x->t[x->i + 1];
	const char *body = x->t + x->i + 2;
	for (size_t j = x->i + 2; j + 1 < x->n; j++)
		if (x->t[j] == '\n' && x->t[j + 1] == q && j + 2 < x->n && x->t[j + 2] == '@') {
			struct ps_token *k = emit(x, PT_STR, start, j + 3 - start);
			k->s = arena_strndup(x->r->arena, body, (size_t)(x->t + j - body));
			k->sloc = imp_loc(x->r, start + 2, j - start - 2);
			x->i = j + 3;
			return;
		}
	fail(x, start, 2, "the here-string is not closed");
}

static void variable(struct lx *x)
{
	size_t start = x->i++;
	size_t nb = x->i, ne;
	if (x->i < x->n && x->t[x->i] == '{') {
		const char *e = memchr(x->t + x->i, '}', x->n - x->i);
		if (!e) {
			fail(x, start, 2, "'${' is not closed");
			return;
		}
		nb = x->i + 1;
		ne = (size_t)(e - x->t);
		x->i = ne + 1;
	} else {
		while (x->i < x->n && name_char(x->t[x->i]))
			x->i++;
		ne = x->i;
	}
	struct ps_token k = {.t = PT_VAR, .s = arena_strndup(x->r->arena, x->t + nb, ne - nb)};
	if (x->i + 1 < x->n && x->t[x->i] == '.' && alpha(x->t[x->i + 1])) {
		size_t mb = ++x->i;
		while (x->i < x->n && name_char(x->t[x->i]))
			x->i++;
		k.member = arena_strndup(x->r->arena, x->t + mb, x->i - mb);
	}
	if (x->i < x->n && x->t[x->i] == '[') {
		size_t ib = x->i + 1, ie = ib;
		while (ie < x->n && x->t[ie] != ']' && x->t[ie] != '\n')
			ie++;
		if (ie >= x->n || x->t[ie] != ']') {
			fail(x, x->i, 1, "'[' is not closed");
			return;
		}
		x->i = ie + 1;
		if (ie - ib >= 2 && (x->t[ib] == '\'' || x->t[ib] == '"') && x->t[ie - 1] == x->t[ib]) {
			ib++;
			ie--;
		}
		k.index = arena_strndup(x->r->arena, x->t + ib, ie - ib);
		k.sloc = imp_loc(x->r, ib, ie - ib);
	}
	/* Whatever else follows ($a.b.c, method calls) is of no interest. */
	while (x->i < x->n && word_char(x->t[x->i]) && x->t[x->i] != '=')
		x->i++;
	k.loc = imp_loc(x->r, start, x->i - start);
	arena_vec_push(x->r->arena, x->out, k);
}

static void bare(struct lx *x, enum ps_tok t, size_t skip)
{
	size_t start = x->i;
	x->i += skip;
	size_t b = x->i;
	if (t == PT_PARAM) {
		while (x->i < x->n && (alpha(x->t[x->i]) || (x->t[x->i] >= '0' && x->t[x->i] <= '9') ||
				       x->t[x->i] == '_'))
			x->i++;
	} else {
		while (x->i < x->n && word_char(x->t[x->i])) {
			if (x->t[x->i] == '`' && x->i + 1 < x->n && x->t[x->i + 1] != '\n' &&
			    x->t[x->i + 1] != '\r')
				x->i++;
			else if (x->t[x->i] == '`')
				break;
			x->i++;
		}
		if (x->i == b)
			x->i++;         /* a lone character no other token takes */
	}
	struct ps_token *k = emit(x, t, start, x->i - start);
	k->s = arena_strndup(x->r->arena, x->t + b, x->i - b);
	if (t == PT_PARAM && x->i < x->n && x->t[x->i] == ':')
		x->i++;         /* -Confirm:$false: the value follows */
}

/* A backtick at the end of a line continues the statement on the next. */
static bool continuation(struct lx *x)
{
	size_t j = x->i + 1;
	if (j < x->n && x->t[j] == '\r')
		j++;
	if (j < x->n && x->t[j] != '\n')
		return false;
	size_t k = j;
	while (k < x->n && strchr(" \t\r\n", x->t[k]))
		k++;
	if (k >= x->n) {
		fail(x, x->i, 1, "the statement continues past the end of the file (a backtick "
				 "ends its last line)");
		return true;
	}
	x->i = j + 1;
	return true;
}

static bool names_key(const struct ps_token *k)
{
	return (k->t == PT_PARAM || k->t == PT_WORD || k->t == PT_STR) &&
	       strcasecmp(k->s, "PreSharedKey") == 0;
}

/* The value of each -PreSharedKey (and of a PreSharedKey = entry of a hash
 * table, for splatting) is secret, before anything is said of its line.
 * FAIL_OFF: where the lexer failed (SIZE_MAX: it did not); a failure right
 * after the key's name (an unclosed string) takes the rest of the file. */
static void mark_keys(struct lx *x, size_t fail_off)
{
	const ps_token_vec *v = x->out;
	for (size_t i = 1; i < v->n; i++) {
		bool after = (v->v[i - 1].t == PT_PARAM && names_key(&v->v[i - 1])) ||
			     (i >= 2 && v->v[i - 1].t == PT_EQ && names_key(&v->v[i - 2]));
		/* A literal: a variable or subexpression names a key, it is not one. */
		if (after && (v->v[i].t == PT_STR || v->v[i].t == PT_WORD))
			imp_mark_secret(x->r, v->v[i].loc);
	}
	size_t n = v->n;
	if (fail_off != SIZE_MAX && fail_off < x->n && n &&
	    ((v->v[n - 1].t == PT_PARAM && names_key(&v->v[n - 1])) ||
	     (n >= 2 && v->v[n - 1].t == PT_EQ && names_key(&v->v[n - 2]))))
		imp_mark_secret(x->r, imp_loc(x->r, fail_off, x->n - fail_off));
}

bool ps_lex(struct imp_read *r, ps_token_vec *out)
{
	struct lx x = {.r = r, .t = r->src->text, .n = r->src->size, .out = out};
	while (x.i < x.n && !x.failed) {
		char c = x.t[x.i], d = x.i + 1 < x.n ? x.t[x.i + 1] : '\0';
		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
			x.i++;
		} else if (c == '\n') {
			newline(&x);
			x.i++;
		} else if (c == '#') {
			while (x.i < x.n && x.t[x.i] != '\n')
				x.i++;
		} else if (c == '<' && d == '#') {
			const char *e = NULL;
			for (size_t j = x.i + 2; j + 1 < x.n && !e; j++)
				if (x.t[j] == '#' && x.t[j + 1] == '>')
					e = x.t + j;
			if (!e)
				fail(&x, x.i, 2, "the block comment is not closed");
			else
				x.i = (size_t)(e - x.t) + 2;
		} else if (c == '`') {
			if (!continuation(&x))
				bare(&x, PT_WORD, 0);
		} else if (c == '\'' || c == '"') {
			struct ps_token k = {.t = PT_STR};
			string(&x, &k);
			if (!x.failed)
				arena_vec_push(r->arena, x.out, k);
		} else if (c == '@' && (d == '\'' || d == '"')) {
			here_string(&x);
		} else if (c == '@' && d == '(') {
			open(&x, '(', PT_ARRAY, x.i, 2);
			x.i += 2;
		} else if (c == '@' && d == '{') {
			open(&x, '{', PT_HASH, x.i, 2);
			x.i += 2;
		} else if (c == '@' && name_char(d)) {
			bare(&x, PT_SPLAT, 1);
		} else if (c == '$' && d == '(') {
			open(&x, '(', PT_LPAREN, x.i, 2);
			x.i += 2;
		} else if (c == '$' && (name_char(d) || d == '{')) {
			variable(&x);
		} else if (c == '(') {
			open(&x, '(', PT_LPAREN, x.i, 1);
			x.i++;
		} else if (c == ')') {
			close(&x, '(', PT_RPAREN);
		} else if (c == '{') {
			open(&x, '{', PT_LBRACE, x.i, 1);
			x.i++;
		} else if (c == '}') {
			close(&x, '{', PT_RBRACE);
		} else if (c == ';') {
			emit(&x, PT_END, x.i++, 1);
		} else if (c == ',') {
			emit(&x, PT_COMMA, x.i++, 1);
		} else if (c == '|' && d != '|') {
			emit(&x, PT_PIPE, x.i++, 1);
		} else if (c == '=' && d != '=') {
			emit(&x, PT_EQ, x.i++, 1);
		} else if (c == '-' && alpha(d)) {
			bare(&x, PT_PARAM, 1);
		} else {
			bare(&x, PT_WORD, 0);
		}
	}
	if (!x.failed && x.depth)
		fail(&x, x.stack_off[x.depth - 1], 1,
		     x.stack[x.depth - 1] == '(' ? "'(' is not closed" : "'{' is not closed");
	if (!x.failed)
		mark_keys(&x, SIZE_MAX);
	struct ps_token end = {.t = PT_END, .loc = imp_loc(r, x.n, 1)};
	arena_vec_push(r->arena, out, end);
	end.t = PT_EOF;
	arena_vec_push(r->arena, out, end);
	return !x.failed;
}
