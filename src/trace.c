#include "trace.h"

#include <string.h>
#include <strings.h>
#include <time.h>

#include "cmd.h"
#include "escape.h"

/* Words after which the rest of the line is a secret. */
static const char *const secret_after[] = {
	"AUTHENTICATE ", "PrivateKey=", "x25519:", "SERVERHASH=", "SERVERNONCE=", "ED25519-V3:", NULL,
};

static void stamp(struct buf *out, char dir)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	localtime_r(&ts.tv_sec, &tm);
	buf_printf(out, BUF_NOLIMIT, "%02d:%02d:%02d.%03ld %c ", tm.tm_hour, tm.tm_min, tm.tm_sec,
		   ts.tv_nsec / 1000000, dir);
}

/* One line, CR LF stripped; the part after a secret marker is blanked. */
static void emit(struct buf *out, char dir, const char *l, size_t n)
{
	while (n > 0 && (l[n - 1] == '\r' || l[n - 1] == '\n'))
		n--;
	size_t cut = n;
	for (size_t i = 0; secret_after[i]; i++) {
		size_t k = strlen(secret_after[i]);
		for (size_t j = 0; j + k <= n; j++) {
			if (strncasecmp(l + j, secret_after[i], k) == 0 && j + k < cut) {
				cut = j + k;
				break;
			}
		}
	}
	if (dir == '>' && cut == n && cmd_line_secret(l, n)) {
		/* a secret the markers do not know (SETCONF HashedControlPassword=,
		 * whatever the table's secret() hooks find): all but the command */
		cut = 0;
		while (cut < n && l[cut] != ' ')
			cut++;
		cut += cut < n;
	}
	stamp(out, dir);
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
			emit(out, dir, part->p, part->len);
			buf_reset(part);
		} else {
			emit(out, dir, p, (size_t)(nl - p));
		}
		p = nl + 1;
	}
}

void tracer_free(struct tracer *t)
{
	buf_free(&t->partial[0]);
	buf_free(&t->partial[1]);
}
