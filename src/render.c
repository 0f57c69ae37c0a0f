#include "render.h"

#include <string.h>

#include "escape.h"

static void put(FILE *out, const char *p, size_t n, const struct render_opts *o)
{
	if (o->safe)
		term_safe_write(out, p, n);
	else
		fwrite(p, 1, n, out);
}

/* The text tor sent, minus CRLF: data blocks re-stuffed and terminated. */
static void render_raw(FILE *out, const struct tc_msg *m, const struct render_opts *o)
{
	for (size_t i = 0; i < m->nlines; i++) {
		const struct tc_line *l = &m->lines[i];
		size_t len;
		const char *t = msg_text(m, i, &len);
		fprintf(out, "%03d%c", l->code, l->sep);
		put(out, t, len, o);
		fputc('\n', out);
		if (l->sep != '+')
			continue;
		const char *d = msg_data(m, i, &len);
		const char *end = d + len;
		while (d < end) {
			const char *nl = memchr(d, '\n', (size_t)(end - d));
			size_t n = nl ? (size_t)(nl - d) : (size_t)(end - d);
			if (n > 0 && d[0] == '.')
				fputc('.', out);
			put(out, d, n, o);
			fputc('\n', out);
			d += n + 1;
		}
		fputs(".\n", out);
	}
}

void render_msg(FILE *out, const struct tc_msg *m, const struct render_opts *o)
{
	switch (o->fmt) {
	case FMT_RAW:
	case FMT_PRETTY:
	case FMT_JSON:
		render_raw(out, m, o);
		break;
	}
}
