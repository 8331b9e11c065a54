/* Running a PowerShell script as far as the reader needs: `$var = ...`
 * assignments, comma lists, @( ) arrays, @{ } hash tables and splatting,
 * ( ) and $( ) subexpressions, cmdlets with their -Parameters (each handed
 * to ps_dispatch), pipelines, and the blocks of if / foreach read as if
 * they ran once. */
#include "config.h"
#include "import/powershell/ps.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* ---- tokens to values ---- */

static const struct ps_token *tk(struct ps *s)
{
	return &s->tok.v[s->p];
}

static void advance(struct ps *s)
{
	if (s->tok.v[s->p].t != PT_EOF)
		s->p++;
}

static bool stmt_end(enum ps_tok t)
{
	return t == PT_END || t == PT_EOF || t == PT_RPAREN || t == PT_RBRACE || t == PT_PIPE;
}

static struct val *find_var(struct ps *s, const char *name)
{
	for (size_t i = s->vars.n; i-- > 0;)
		if (strcasecmp(s->vars.v[i].name, name) == 0)
			return &s->vars.v[i].v;
	return NULL;
}

static void set_var(struct ps *s, const char *name, struct val v)
{
	struct val *old = find_var(s, name);
	if (old)
		*old = v;
	else
		arena_vec_push(PS_ARENA(s), &s->vars, ((struct var){name, v}));
}

static struct val pipeline(struct ps *s);

/* Skips a { } block or ( ) group whose opening token is current. */
static void skip_group(struct ps *s)
{
	int depth = 0;
	do {
		enum ps_tok t = tk(s)->t;
		if (t == PT_LBRACE || t == PT_HASH || t == PT_LPAREN || t == PT_ARRAY)
			depth++;
		else if (t == PT_RBRACE || t == PT_RPAREN)
			depth--;
		else if (t == PT_EOF)
			return;
		advance(s);
	} while (depth > 0);
}

static struct val element(struct ps *s);
static struct val command(struct ps *s);

/* A value and the values after its commas: a list. */
static struct val value(struct ps *s)
{
	struct val first = element(s);
	if (tk(s)->t != PT_COMMA)
		return first;
	ARENA_VEC(struct val) items = {0};
	arena_vec_push(PS_ARENA(s), &items, first);
	while (tk(s)->t == PT_COMMA) {
		advance(s);
		arena_vec_push(PS_ARENA(s), &items, element(s));
	}
	struct val v = {.k = V_LIST, .items = items.v, .n = items.n, .loc = first.loc};
	v.loc = loc_span(first.loc, items.v[items.n - 1].loc);
	return v;
}

static struct val element(struct ps *s)
{
	const struct ps_token *t = tk(s);
	struct val v = {.k = V_NONE, .loc = t->loc, .obj = -1};
	switch (t->t) {
	case PT_STR:
		v.k = V_STR;
		v.s = t->s;
		v.loc = t->sloc.length ? t->sloc : t->loc;
		advance(s);
		return v;
	case PT_WORD:
		v.k = V_STR;
		v.s = t->s;
		advance(s);
		return v;
	case PT_VAR: {
		advance(s);
		if (t->index) {
			v.k = V_KEYREF;
			v.s = t->index;
			v.loc = t->sloc;
			return v;
		}
		const struct val *known = find_var(s, t->s);
		if (!t->member && (strcasecmp(t->s, "true") == 0 || strcasecmp(t->s, "false") == 0)) {
			v.k = V_STR;
			v.s = strcasecmp(t->s, "true") == 0 ? "$true" : "$false";
			return v;
		}
		if (!known) {
			v.k = V_VAR;
			v.s = t->s;
			return v;
		}
		v = *known;
		if (v.k != V_OBJ)
			v.loc = t->loc;
		return v;
	}
	case PT_LPAREN: {
		advance(s);
		while (tk(s)->t == PT_END)
			advance(s);
		v = pipeline(s);
		while (tk(s)->t != PT_RPAREN && tk(s)->t != PT_EOF) {
			/* The rest (`$x in Get-Content (Join-Path ...)`, more
			 * statements in $( )): its cmdlets run, their values unused. */
			enum ps_tok k = tk(s)->t;
			if (k == PT_LPAREN || k == PT_ARRAY || k == PT_HASH)
				element(s);
			else if (k == PT_WORD && strchr(tk(s)->s, '-') && isalpha((unsigned char)tk(s)->s[0]))
				command(s);
			else if (k == PT_LBRACE)
				skip_group(s);
			else
				advance(s);
		}
		advance(s);
		return v;
	}
	case PT_ARRAY: {
		advance(s);
		ARENA_VEC(struct val) items = {0};
		while (tk(s)->t != PT_RPAREN && tk(s)->t != PT_EOF) {
			if (tk(s)->t == PT_COMMA || tk(s)->t == PT_END) {
				advance(s);
				continue;
			}
			size_t at = s->p;
			struct val e = element(s);
			if (s->p == at)
				advance(s);
			if (e.k == V_LIST)
				for (size_t i = 0; i < e.n; i++)
					arena_vec_push(PS_ARENA(s), &items, e.items[i]);
			else
				arena_vec_push(PS_ARENA(s), &items, e);
		}
		advance(s);
		v.k = V_LIST;
		v.items = items.v;
		v.n = items.n;
		return v;
	}
	case PT_HASH: {
		advance(s);
		ARENA_VEC(struct val) items = {0};
		while (tk(s)->t != PT_RBRACE && tk(s)->t != PT_EOF) {
			if (tk(s)->t == PT_END) {
				advance(s);
				continue;
			}
			size_t at = s->p;
			struct val key = element(s);
			if (tk(s)->t != PT_EQ || key.k != V_STR) {
				/* Not KEY = VALUE: skip to the next entry. */
				while (!stmt_end(tk(s)->t) || tk(s)->t == PT_PIPE)
					advance(s);
				if (s->p == at)
					advance(s);     /* a ) in the hash table */
				continue;
			}
			advance(s);
			struct val e = value(s);
			arena_vec_push(PS_ARENA(s), &items, key);
			arena_vec_push(PS_ARENA(s), &items, e);
		}
		advance(s);
		v.k = V_HASH;
		v.items = items.v;
		v.n = items.n;
		return v;
	}
	case PT_LBRACE:
		skip_group(s);          /* a script block */
		return v;
	default:
		return v;
	}
}

/* ---- commands ---- */

static const char *const switches[] = {
	"Machine", "User", "Default", "AsJob", "WhatIf", "Confirm", "Force", "PassThru",
	"Anonymous", "Kerberos", "Ntlm", "Cert", "ForceDiffieHellman", "RequireFipsCompliance",
	"Recurse", "p" /* route -p */,
};

static bool is_switch(const char *name)
{
	for (size_t i = 0; i < sizeof(switches) / sizeof(switches[0]); i++)
		if (strcasecmp(switches[i], name) == 0)
			return true;
	return false;
}

static bool value_start(enum ps_tok t)
{
	return t == PT_STR || t == PT_WORD || t == PT_VAR || t == PT_LPAREN || t == PT_ARRAY ||
	       t == PT_HASH;
}


/* CMDLET ARGS...: the arguments evaluated, @splat expanded. */
static struct val command(struct ps *s)
{
	struct cmd c = {.name = tk(s)->s, .loc = tk(s)->loc};
	struct tunc_loc last = tk(s)->loc;
	advance(s);
	while (!stmt_end(tk(s)->t)) {
		const struct ps_token *t = tk(s);
		struct arg a = {0};
		if (t->t == PT_PARAM) {
			a.name = (struct imp_text){t->s, t->loc};
			last = t->loc;
			advance(s);
			if (!is_switch(a.name.s) && value_start(tk(s)->t)) {
				a.v = value(s);
				a.has_v = true;
				last = s->tok.v[s->p - 1].loc;
			}
		} else if (t->t == PT_SPLAT) {
			const struct val *h = find_var(s, t->s);
			last = t->loc;
			advance(s);
			for (size_t i = 0; h && h->k == V_HASH && i + 1 < h->n; i += 2) {
				struct arg e = {{h->items[i].s, h->items[i].loc}, h->items[i + 1], true};
				arena_vec_push(PS_ARENA(s), &c.a, e);
			}
			continue;
		} else if (value_start(t->t)) {
			a.v = value(s);
			a.has_v = true;
			last = s->tok.v[s->p - 1].loc;
		} else {
			if (t->t == PT_LBRACE)
				skip_group(s);
			else
				advance(s);
			last = s->tok.v[s->p - 1].loc;
			continue;
		}
		arena_vec_push(PS_ARENA(s), &c.a, a);
	}
	if (last.file == c.loc.file && last.offset >= c.loc.offset)
		c.loc = loc_span(c.loc, last);
	struct val v = {.k = V_NONE, .loc = c.loc, .obj = -1};
	ps_dispatch(s, &c, &v);
	return v;
}

static struct val pipeline(struct ps *s)
{
	struct val v = {.k = V_NONE, .loc = tk(s)->loc, .obj = -1};
	const struct ps_token *t = tk(s);
	if (t->t == PT_WORD && (isalpha((unsigned char)t->s[0]) || t->s[0] == '&'))
		v = command(s);
	else if (value_start(t->t))
		v = value(s);
	while (tk(s)->t == PT_PIPE) {
		advance(s);
		if (tk(s)->t == PT_WORD)
			command(s);     /* | Out-Null, | Remove-NetIPsecRule */
		while (!stmt_end(tk(s)->t))
			advance(s);
	}
	return v;
}

static void statement(struct ps *s)
{
	const struct ps_token *t = tk(s);
	if (t->t == PT_VAR && s->tok.v[s->p + 1].t == PT_EQ) {
		const char *name = t->index ? NULL : t->s;
		advance(s);
		advance(s);
		while (tk(s)->t == PT_END)
			advance(s);
		struct val v = pipeline(s);
		if (name)
			set_var(s, name, v);
		return;
	}
	if (t->t == PT_WORD) {
		static const char *const cond[] = {"foreach", "if", "elseif", "while", "for", "switch"};
		static const char *const bare_kw[] = {"else", "try", "finally", "do", "begin",
						      "process", "end", "catch"};
		for (size_t i = 0; i < sizeof(cond) / sizeof(cond[0]); i++)
			if (strcasecmp(t->s, cond[i]) == 0) {
				advance(s);
				if (tk(s)->t == PT_LPAREN)
					element(s);
				return;
			}
		for (size_t i = 0; i < sizeof(bare_kw) / sizeof(bare_kw[0]); i++)
			if (strcasecmp(t->s, bare_kw[i]) == 0) {
				advance(s);
				if (tk(s)->t == PT_WORD && tk(s)->s[0] == '[')
					advance(s);
				return;
			}
		if (strcasecmp(t->s, "function") == 0 || strcasecmp(t->s, "filter") == 0) {
			advance(s);
			advance(s);
			return;
		}
		if (strcasecmp(t->s, "param") == 0 && s->tok.v[s->p + 1].t == PT_LPAREN) {
			advance(s);
			skip_group(s);
			return;
		}
	}
	if (t->t == PT_PARAM) {
		diag_front(s->r->diags, "syntax", t->loc, "a statement cannot start with -%s: does "
			   "the line before end with a backtick followed by blanks (which does not "
			   "continue a line)?", t->s);
		while (!stmt_end(tk(s)->t))
			advance(s);
		return;
	}
	pipeline(s);
}

/* Every statement of the script, in order. */
void ps_run(struct ps *s)
{
	while (tk(s)->t != PT_EOF) {
		size_t at = s->p;
		enum ps_tok t = tk(s)->t;
		if (t == PT_END || t == PT_LBRACE || t == PT_RBRACE || t == PT_RPAREN || t == PT_PIPE) {
			advance(s);
			continue;
		}
		statement(s);
		/* Whatever the statement left (an expression's operators). */
		while (!stmt_end(tk(s)->t) && tk(s)->t != PT_LBRACE) {
			if (tk(s)->t == PT_HASH)
				skip_group(s);
			else
				advance(s);
		}
		if (s->p == at)
			advance(s);
	}
}
