#include "status.h"

#include <string.h>

static bool next_word(const char **p, const char *end, struct span *w)
{
	while (*p < end && **p == ' ')
		(*p)++;
	if (*p >= end)
		return false;
	w->p = *p;
	while (*p < end && **p != ' ')
		(*p)++;
	w->n = (size_t)(*p - w->p);
	return true;
}

/* The '=' of a KEY=VALUE item (KEY in tor's upper-case style), or NULL: a
 * path's "$FP=nick" or a target is not one. */
static const char *keyword_eq(struct span w)
{
	size_t i = 0;
	while (i < w.n && ((w.p[i] >= 'A' && w.p[i] <= 'Z') || w.p[i] == '_' || (i > 0 && w.p[i] >= '0' && w.p[i] <= '9')))
		i++;
	return i > 0 && i < w.n && w.p[i] == '=' ? w.p + i : NULL;
}

static bool is_key(struct span w, const char *eq, const char *key)
{
	size_t n = strlen(key);
	return (size_t)(eq - w.p) == n && memcmp(w.p, key, n) == 0;
}

bool status_row_parse(const char *line, size_t n, bool circ, struct status_row *r)
{
	/* absent parts are empty strings, never NULL: they are printed */
	const struct span none = {"", 0};
	*r = (struct status_row){none, none, none, none, none, none, none, none};
	const char *p = line, *end = line + n;
	struct span pos[4];
	size_t npos = 0;
	struct span w;
	/* Positional words come first; once KEY=VALUE items start, a bare word
	 * can only be part of a quoted value (SOCKS_USERNAME="a b"), not a field. */
	bool keywords = false;
	while (next_word(&p, end, &w)) {
		const char *eq = keyword_eq(w);
		if (eq != NULL)
			keywords = true;
		if (eq != NULL && is_key(w, eq, "PURPOSE"))
			r->purpose = (struct span){eq + 1, w.n - 8};
		else if (eq != NULL && is_key(w, eq, "HS_STATE"))
			r->hs_state = (struct span){eq + 1, w.n - 9};
		else if (eq != NULL && is_key(w, eq, "REND_QUERY"))
			r->rend_query = (struct span){eq + 1, w.n - 11};
		else if (!keywords && npos < 4)
			pos[npos++] = w;
	}
	if (npos < 2)
		return false;
	r->id = pos[0];
	r->status = pos[1];
	if (circ) {
		if (npos > 2)
			r->path = pos[2];
	} else {
		if (npos > 2)
			r->circ = pos[2];
		if (npos > 3)
			r->target = pos[3];
	}
	return true;
}

void status_path_names(struct span path, struct buf *out)
{
	if (path.n == 0)
		return;
	const char *p = path.p, *end = path.p + path.n;
	bool first = true;
	while (p < end) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		const char *he = c ? c : end;
		const char *t = memchr(p, '~', (size_t)(he - p));
		if (t == NULL)
			t = memchr(p, '=', (size_t)(he - p));
		const char *name = t ? t + 1 : p;
		if (!first)
			buf_append(out, " > ", 3, BUF_NOLIMIT);
		buf_append(out, name, (size_t)(he - name), BUF_NOLIMIT);
		first = false;
		p = he + 1;
	}
}

bool status_is_gone(struct span status)
{
	return (status.n == 6 && memcmp(status.p, "CLOSED", 6) == 0) ||
	       (status.n == 6 && memcmp(status.p, "FAILED", 6) == 0);
}
