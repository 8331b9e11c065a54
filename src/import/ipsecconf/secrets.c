/* ipsec.secrets (strongSwan, Libreswan, Openswan): entries
 * `[ID...] : PSK "KEY"`, continued on indented lines, `include FILE`,
 * comments from '#'.  Only PSK entries matter to tunc. */
#include "config.h"
#include "import/ipsecconf/ipsecconf.h"

#include <errno.h>
#include <glob.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

/* A ':' followed by a secret type, outside quotes, on a line not indented. */
bool ipsecsecrets_detect(const char *text, size_t size)
{
	static const char *const kinds[] = {"PSK", "RSA", "XAUTH", "EAP", "ECDSA", "PIN", "P12", "NTLM"};
	const char *t = text, *end = text + size;
	while (t < end) {
		const char *nl = memchr(t, '\n', (size_t)(end - t));
		const char *le = nl ? nl : end;
		if (le - t >= 5 && strncmp(t, "conn ", 5) == 0)
			return false;
		const char *c = *t != '#' ? memchr(t, ':', (size_t)(le - t)) : NULL;
		if (c && !memchr(t, '"', (size_t)(c - t))) {
			c++;
			while (c < le && (*c == ' ' || *c == '\t'))
				c++;
			for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
				size_t n = strlen(kinds[k]);
				if ((size_t)(le - c) > n && strncmp(c, kinds[k], n) == 0 &&
				    (c[n] == ' ' || c[n] == '\t'))
					return true;
			}
		}
		t = le + 1;
	}
	return false;
}

void ipsecconf_include(struct imp_read *r, const char *path, struct tunc_loc from,
		       void (*fn)(struct imp_read *r, uint32_t file, void *arg), void *arg)
{
	const char *full = path;
	if (path[0] != '/') {
		char *dir = arena_strdup(r->arena, source_path(r->sources, from));
		full = arena_printf(r->arena, "%s/%s", dirname(dir), path);
	}
	if (!strpbrk(full, "*?[")) {
		uint32_t f = source_load(r->sources, full, from);
		if (!f) {
			diag_front(r->diags, "io-error", from, "cannot read '%s': %s", full,
				   r->sources->error[0] ? r->sources->error : strerror(errno));
			return;
		}
		fn(r, f, arg);
		return;
	}
	glob_t g;
	if (glob(full, 0, NULL, &g) != 0)
		return;         /* a pattern that matches nothing: as the daemons do */
	for (size_t i = 0; i < g.gl_pathc; i++) {
		uint32_t f = source_load(r->sources, g.gl_pathv[i], from);
		if (!f)
			diag_front(r->diags, "io-error", from, "cannot read '%s': %s", g.gl_pathv[i],
				   r->sources->error[0] ? r->sources->error : strerror(errno));
		else
			fn(r, f, arg);
	}
	globfree(&g);
}

struct sread {
	ipsec_secret_vec *out;
	unsigned depth;
};

static void include_one(struct imp_read *r, uint32_t file, void *arg)
{
	struct sread *s = arg;
	ipsecsecrets_read(r, file, s->out, s->depth + 1);
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* One entry: the text from OFF to END (an unindented line and the indented
 * lines that continue it), comments already cut. */
static void entry(struct imp_read *r, uint32_t file, const char *t, size_t off, size_t end,
		  ipsec_secret_vec *out, unsigned depth)
{
	struct tunc_loc loc = {file, (uint32_t)off, (uint32_t)(end - off)};
	if (end - off > 8 && strncmp(t + off, "include", 7) == 0 && blank(t[off + 7])) {
		size_t b = off + 8;
		while (b < end && blank(t[b]))
			b++;
		size_t e = end;
		while (e > b && blank(t[e - 1]))
			e--;
		if (depth >= IPSECCONF_MAX_INCLUDE) {
			diag_front(r->diags, "syntax", loc, "includes nest too deep");
			return;
		}
		if (!source_get(r->sources, file)->ino)
			return;         /* in memory (tests, fuzzing): no disk */
		struct sread s = {out, depth};
		ipsecconf_include(r, arena_strndup(r->arena, t + b, e - b),
				  (struct tunc_loc){file, (uint32_t)b, (uint32_t)(e - b ? e - b : 1)},
				  include_one, &s);
		return;
	}
	/* The ':' that ends the identities (outside quotes). */
	size_t colon = off;
	bool q = false;
	while (colon < end && (q || t[colon] != ':')) {
		if (t[colon] == '"')
			q = !q;
		colon++;
	}
	if (colon == end) {
		/* Where the key starts is unknown: none of the entry is shown. */
		imp_mark_secret(r, loc);
		diag_front(r->diags, "syntax", loc, "expected 'IDS : TYPE SECRET' (no ':')");
		return;
	}
	size_t k = colon + 1;
	while (k < end && (blank(t[k]) || t[k] == '\n'))
		k++;
	size_t kt = k;
	while (k < end && !blank(t[k]) && t[k] != '\n')
		k++;
	bool psk = k - kt == 3 && strncmp(t + kt, "PSK", 3) == 0;
	while (k < end && (blank(t[k]) || t[k] == '\n'))
		k++;
	/* All after the type is the secret (a key, a passphrase), whatever is
	 * wrong with it: marked before anything is said of the entry. */
	if (k < end)
		imp_mark_secret(r, (struct tunc_loc){file, (uint32_t)k, (uint32_t)(end - k)});
	if (!psk)
		return;         /* RSA, EAP, XAUTH...: not a pre-shared key */
	struct ipsec_secret s = {{0}, {0}};
	if (k < end && (t[k] == '"' || t[k] == '\'')) {
		const char *close = memchr(t + k + 1, t[k], end - k - 1);
		if (!close) {
			diag_front(r->diags, "syntax", (struct tunc_loc){file, (uint32_t)k, 1},
				   "the key's quote is not closed");
			return;
		}
		s.key = (struct imp_text){arena_strndup(r->arena, t + k + 1, (size_t)(close - t) - k - 1),
					  {file, (uint32_t)k + 1, (uint32_t)((size_t)(close - t) - k - 1)}};
	} else {
		size_t e = k;
		while (e < end && !blank(t[e]) && t[e] != '\n')
			e++;
		s.key = (struct imp_text){arena_strndup(r->arena, t + k, e - k),
					  {file, (uint32_t)k, (uint32_t)(e - k)}};
	}
	if (!s.key.s[0]) {
		diag_front(r->diags, "syntax", (struct tunc_loc){file, (uint32_t)k, 1}, "an empty pre-shared key");
		return;
	}
	if (s.key.loc.length == 0)
		s.key.loc.length = 1;
	for (size_t i = off; i < colon;) {
		while (i < colon && (blank(t[i]) || t[i] == '\n'))
			i++;
		size_t w = i;
		while (i < colon && !blank(t[i]) && t[i] != '\n')
			i++;
		if (i > w)
			arena_vec_push(r->arena, &s.ids, ((struct imp_text){arena_strndup(r->arena, t + w, i - w),
					{file, (uint32_t)w, (uint32_t)(i - w)}}));
	}
	arena_vec_push(r->arena, out, s);
}

void ipsecsecrets_read(struct imp_read *r, uint32_t file, ipsec_secret_vec *out, unsigned depth)
{
	const struct source_file *f = source_get(r->sources, file);
	if (memchr(f->text, '\0', f->size)) {
		diag_front(r->diags, "syntax", (struct tunc_loc){file, (uint32_t)((const char *)memchr(f->text, '\0', f->size) - f->text), 1},
			   "NUL byte in the file: is this a secrets file?");
		return;
	}
	/* A copy with comments blanked, so that entries can span lines. */
	char *t = arena_strndup(r->arena, f->text, f->size);
	size_t n = f->size;
	bool q = false;
	for (size_t i = 0; i < n; i++) {
		if (t[i] == '\n')
			q = false;
		else if (t[i] == '"')
			q = !q;
		else if (t[i] == '#' && !q)
			while (i < n && t[i] != '\n')
				t[i++] = ' ';
	}
	size_t i = 0;
	while (i < n) {
		size_t start = i;
		/* An entry: this line and the indented (or blank) lines after it. */
		size_t e = i;
		for (;;) {
			while (e < n && t[e] != '\n')
				e++;
			if (e >= n || e + 1 >= n || !(blank(t[e + 1]) || t[e + 1] == '\n'))
				break;
			e++;
		}
		size_t b = start, stop = e;
		while (b < stop && (blank(t[b]) || t[b] == '\n'))
			b++;
		while (stop > b && (blank(t[stop - 1]) || t[stop - 1] == '\n'))
			stop--;
		if (stop > b)
			entry(r, file, t, b, stop, out, depth);
		i = e + 1;
	}
}
