#include "trace.h"

#include <string.h>
#include <time.h>

#include "escape.h"

static void stamp(struct buf *out, char dir)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	localtime_r(&ts.tv_sec, &tm);
	buf_printf(out, BUF_NOLIMIT, "%02d:%02d:%02d.%03ld %c ", tm.tm_hour, tm.tm_min, tm.tm_sec,
		   ts.tv_nsec / 1000000, dir);
}

/* One line, CR LF stripped; from where the secret starts (secret.h: the
 * rule history and error messages follow too), blanked. */
static void emit(struct tracer *t, struct buf *out, char dir, const char *l, size_t n)
{
	while (n > 0 && (l[n - 1] == '\r' || l[n - 1] == '\n'))
		n--;
	size_t cut = secret_in_stream(&t->secrets[dir == '>' ? 0 : 1], dir == '>', l, n);
	if (cut > n)
		cut = n;
	stamp(out, dir);
	if (t->own)
		buf_append(out, "(torsh) ", 8, BUF_NOLIMIT);
	term_safe_append(out, l, cut, BUF_NOLIMIT);
	if (cut < n)
		buf_append(out, "[redacted]", 10, BUF_NOLIMIT);
	buf_putc(out, '\n', BUF_NOLIMIT);
}

void trace_chunk(struct tracer *t, char dir, const char *p, size_t n, struct buf *out)
{
	struct buf *part = &t->partial[dir == '>' ? 0 : 1];
	const char *end = p + n;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL) {
			/* keep at most one line's worth: a flood must not grow it */
			if (part->len < 65536)
				buf_append(part, p, (size_t)(end - p), BUF_NOLIMIT);
			return;
		}
		if (part->len > 0) {
			buf_append(part, p, (size_t)(nl - p), BUF_NOLIMIT);
			emit(t, out, dir, part->p, part->len);
			buf_reset(part);
		} else {
			emit(t, out, dir, p, (size_t)(nl - p));
		}
		p = nl + 1;
	}
}

void tracer_free(struct tracer *t)
{
	buf_free(&t->partial[0]);
	buf_free(&t->partial[1]);
}
