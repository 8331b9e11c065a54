#include "config.h"
#include "import/lines.h"

#include <string.h>

bool imp_next_line(const struct imp_read *r, size_t *pos, struct imp_line *l)
{
	const char *t = r->src->text;
	size_t size = r->src->size;
	if (*pos >= size)
		return false;
	size_t start = *pos, end = start;
	while (end < size && t[end] != '\n')
		end++;
	*pos = end < size ? end + 1 : end;
	size_t stop = end;
	if (stop > start && t[stop - 1] == '\r')
		stop--;
	l->off = start;
	l->len = stop - start;
	l->indent = 0;
	l->n = 0;
	size_t i = start;
	while (i < stop && (t[i] == ' ' || t[i] == '\t')) {
		i++;
		l->indent++;
	}
	while (i < stop) {
		while (i < stop && (t[i] == ' ' || t[i] == '\t'))
			i++;
		if (i >= stop)
			break;
		size_t w = i;
		while (i < stop && t[i] != ' ' && t[i] != '\t')
			i++;
		if (l->n == IMP_MAX_WORDS)
			break;          /* no statement a reader models is this long */
		l->w[l->n].s = t + w;
		l->w[l->n].len = i - w;
		l->w[l->n].off = w;
		l->n++;
	}
	return true;
}

bool imp_is(const struct imp_line *l, size_t i, const char *text)
{
	return i < l->n && strlen(text) == l->w[i].len && memcmp(l->w[i].s, text, l->w[i].len) == 0;
}

struct imp_text imp_lw(const struct imp_read *r, const struct imp_line *l, size_t i)
{
	if (i >= l->n)
		return (struct imp_text){NULL, imp_loc(r, l->off + l->len, 1)};
	return imp_word(r, l->w[i].s, l->w[i].len, l->w[i].off);
}

struct tunc_loc imp_lspan(const struct imp_read *r, const struct imp_line *l, size_t i, size_t j)
{
	if (i >= l->n)
		return imp_lloc(r, l);
	if (j >= l->n)
		j = l->n - 1;
	return imp_loc(r, l->w[i].off, l->w[j].off + l->w[j].len - l->w[i].off);
}

struct tunc_loc imp_lloc(const struct imp_read *r, const struct imp_line *l)
{
	if (l->n == 0)
		return imp_loc(r, l->off, 1);
	return imp_lspan(r, l, 0, l->n - 1);
}

void imp_secret_words(const struct imp_read *r, const struct imp_line *l, size_t i, size_t n)
{
	if (i < l->n && n)
		imp_mark_secret(r, imp_lspan(r, l, i, i + n - 1));
}

void imp_secret_rest(const struct imp_read *r, const struct imp_line *l, size_t i)
{
	if (i < l->n)
		imp_mark_secret(r, imp_loc(r, l->w[i].off, l->off + l->len - l->w[i].off));
}

const char *imp_name_from_path(struct arena *a, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strcspn(base, ".");
	return arena_strndup(a, base, n ? n : strlen(base));
}
