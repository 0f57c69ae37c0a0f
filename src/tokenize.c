#include "tokenize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "encode.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static int octal(char c)
{
	return c >= '0' && c <= '7' ? c - '0' : -1;
}

static int fail(struct tok_error *err, size_t col, const char *msg)
{
	if (err) {
		err->col = col;
		snprintf(err->msg, sizeof(err->msg), "%s", msg);
	}
	return -1;
}

/* Decodes a quoted string starting at line[i] == '"'. Sets *end past the
 * closing quote. -1: unterminated (partial=true tolerates it) or bad escape. */
static int unquote(const char *line, size_t len, size_t i, enum tok_dialect d, struct buf *out, size_t *end,
		   struct tok_error *err, bool partial)
{
	size_t open = i++;
	while (i < len) {
		char c = line[i];
		if (c == '"') {
			*end = i + 1;
			return 0;
		}
		if (c != '\\') {
			buf_putc(out, c, BUF_NOLIMIT);
			i++;
			continue;
		}
		if (i + 1 >= len)
			break;
		char e = line[i + 1];
		if (d == TOK_QSTRING) {
			buf_putc(out, e, BUF_NOLIMIT);
			i += 2;
			continue;
		}
		int v = -1;
		size_t used = 2;
		switch (e) {
		case 'n': v = '\n'; break;
		case 'r': v = '\r'; break;
		case 't': v = '\t'; break;
		case '"': case '\\': case '\'': v = e; break;
		case 'x':
			if (i + 3 < len && hex_digit(line[i + 2]) >= 0 && hex_digit(line[i + 3]) >= 0) {
				v = hex_digit(line[i + 2]) * 16 + hex_digit(line[i + 3]);
				used = 4;
			}
			break;
		default:
			if (octal(e) >= 0) {
				v = 0;
				used = 1;
				for (int k = 0; k < 3 && i + used < len && octal(line[i + used]) >= 0; k++)
					v = v * 8 + octal(line[i + used++]);
				if (v > 255)
					v = -1;
			}
		}
		if (v < 0) {
			if (partial) {
				i += 2;
				continue;
			}
			return fail(err, i, "bad escape in quoted string (use \\n \\r \\t \\\" \\\\ \\' \\xHH or \\ooo)");
		}
		buf_putc(out, (char)v, BUF_NOLIMIT);
		i += used;
	}
	*end = len;
	if (partial)
		return 0;
	return fail(err, open, "unterminated quoted string");
}

static int push(struct toklist *l, const struct tok *t)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct tok *v = realloc(l->v, cap * sizeof(*v));
		if (v == NULL)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *t;
	return 0;
}

static int split(const char *line, size_t len, enum tok_dialect d, struct toklist *out, struct tok_error *err,
		 bool partial)
{
	memset(out, 0, sizeof(*out));
	size_t i = 0;
	for (;;) {
		while (i < len && is_space(line[i]))
			i++;
		if (i >= len)
			return 0;
		struct tok t = {.off = i};
		struct buf val = {0};
		size_t j = i;
		/* a quote opens only at the token's start or right after the first '=' */
		while (j < len && !is_space(line[j])) {
			char c = line[j];
			bool at_value = j == i || (t.has_eq && j == i + t.key_len + 1);
			if (c == '"' && at_value) {
				size_t end;
				t.quoted = true;
				if (unquote(line, len, j, d, &val, &end, err, partial) < 0) {
					buf_free(&val);
					toklist_free(out);
					return -1;
				}
				j = end;
				if (j < len && !is_space(line[j]) && !partial) {
					buf_free(&val);
					toklist_free(out);
					return fail(err, j, "unexpected text after closing quote");
				}
				break;
			}
			if (c == '=' && !t.has_eq && !t.quoted) {
				t.has_eq = true;
				t.key_len = j - i;
				buf_reset(&val);
				j++;
				continue;
			}
			if (c == '"')
				t.has_quote_char = true;
			buf_putc(&val, c, BUF_NOLIMIT);
			j++;
		}
		t.len = j - i;
		for (size_t k = i; k < j; k++)
			if (line[k] == '\r' || line[k] == '\n' || line[k] == '\0')
				t.has_ctl = true;
		if (val.p == NULL)
			buf_append(&val, "", 0, BUF_NOLIMIT);
		t.val = val.p;
		t.val_len = val.len;
		t.has_nul = memchr(t.val, '\0', t.val_len) != NULL;
		if (push(out, &t) < 0) {
			buf_free(&val);
			toklist_free(out);
			return fail(err, i, "out of memory");
		}
		i = j;
	}
}

int tok_split(const char *line, size_t len, enum tok_dialect d, struct toklist *out, struct tok_error *err)
{
	return split(line, len, d, out, err, false);
}

void tok_split_partial(const char *line, size_t len, struct toklist *out)
{
	split(line, len, TOK_CSTRING, out, NULL, true);
}

void toklist_free(struct toklist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].val);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

bool tok_word(const char **p, const char *end, const char **w, size_t *n)
{
	while (*p < end && (**p == ' ' || **p == '\t'))
		(*p)++;
	if (*p >= end)
		return false;
	*w = *p;
	while (*p < end && **p != ' ' && **p != '\t')
		(*p)++;
	*n = (size_t)(*p - *w);
	return true;
}
