#include "reply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Only for `err`: a protocol error quotes the offending line, and front
 * ends print the message as it is. */
#include "escape.h"

const char *msg_text(const struct tc_msg *m, size_t i, size_t *len)
{
	if (len)
		*len = m->lines[i].text_len;
	return m->bytes.p + m->lines[i].text_off;
}

const char *msg_data(const struct tc_msg *m, size_t i, size_t *len)
{
	if (len)
		*len = m->lines[i].data_len;
	if (m->lines[i].sep != '+')
		return NULL;
	return m->bytes.p + m->lines[i].data_off;
}

const char *msg_first(const struct tc_msg *m, size_t *len)
{
	if (m->nlines == 0) {
		if (len)
			*len = 0;
		return "";
	}
	return msg_text(m, 0, len);
}

bool msg_ok(const struct tc_msg *m)
{
	return m->code >= 200 && m->code < 300;
}

void msg_to_wire(const struct tc_msg *m, wire_piece_fn put, void *ud)
{
	for (size_t i = m->resume ? m->resume - 1 : 0; i < m->nlines; i++) {
		size_t len;
		const char *t = msg_text(m, i, &len);
		/* the reader took the code from three digits: it has three */
		int code = m->lines[i].code;
		char head[4] = {(char)('0' + code / 100 % 10), (char)('0' + code / 10 % 10), (char)('0' + code % 10),
				m->lines[i].sep};
		if (i + 1 != m->resume) {
			put(ud, head, code >= 100 && code <= 999 ? sizeof(head) : 0, false);
			put(ud, t, len, true);
		}
		if (m->lines[i].sep != '+')
			continue;
		const char *d = msg_data(m, i, &len), *end = d + len;
		while (d < end) {
			const char *nl = memchr(d, '\n', (size_t)(end - d));
			size_t k = nl ? (size_t)(nl - d) : (size_t)(end - d);
			if (k > 0 && d[0] == '.')
				put(ud, ".", 1, false);
			put(ud, d, k, true);
			d += k + 1;
		}
		if (!(m->partial && i + 1 == m->nlines))
			put(ud, ".", 1, true);
	}
}

int msg_copy(struct tc_msg *dst, const struct tc_msg *src)
{
	if (dst->cap < src->nlines) {
		struct tc_line *l = realloc(dst->lines, src->nlines * sizeof(*l));
		if (l == NULL)
			return -1;
		dst->lines = l;
		dst->cap = src->nlines;
	}
	if (src->nlines > 0)
		memcpy(dst->lines, src->lines, src->nlines * sizeof(*dst->lines));
	dst->nlines = src->nlines;
	dst->event = src->event;
	dst->code = src->code;
	dst->partial = src->partial;
	dst->resume = src->resume;
	buf_reset(&dst->bytes);
	/* the bytes hold NULs between pieces: copied as they are, offsets stay */
	if (buf_append(&dst->bytes, src->bytes.p ? src->bytes.p : "", src->bytes.len, BUF_NOLIMIT) < 0) {
		dst->nlines = 0;
		return -1;
	}
	return 0;
}

static void msg_reset(struct tc_msg *m)
{
	m->nlines = 0;
	m->code = 0;
	m->partial = false;
	m->resume = 0;
	buf_reset(&m->bytes);
}

/* After a piece went out: keep the headers (the final piece is typed by
 * them), drop the open block's data handed out with it. */
static void msg_keep_headers(struct reader *r, struct tc_msg *m)
{
	struct tc_line *open = &m->lines[m->nlines - 1];
	r->streamed += open->data_len;
	m->bytes.len = open->data_off;
	m->bytes.p[m->bytes.len] = '\0';
	open->data_len = 0;
	m->partial = false;
	m->resume = m->nlines;
}

void msg_free(struct tc_msg *m)
{
	free(m->lines);
	m->lines = NULL;
	m->nlines = m->cap = 0;
	buf_free(&m->bytes);
}

void reader_init(struct reader *r, size_t limit)
{
	memset(r, 0, sizeof(*r));
	r->limit = limit;
	r->event.event = true;
}

void reader_free(struct reader *r)
{
	buf_free(&r->in);
	msg_free(&r->reply);
	msg_free(&r->event);
}

bool reader_midway(const struct reader *r)
{
	return (r->reply.nlines > 0 && (r->done != &r->reply || r->reply.partial)) ||
	       (r->event.nlines > 0 && r->done != &r->event) ||
	       r->in.len > r->pos;
}

/* Compact once per read, not once per line: a multi-megabyte block
 * arrives as thousands of lines per read. */
static void compact(struct reader *r)
{
	if (r->pos > 0) {
		buf_consume(&r->in, r->pos);
		r->scan -= r->pos;
		r->clean = r->clean > r->pos ? r->clean - r->pos : 0;
		r->pos = 0;
	}
}

static int line_too_long(struct reader *r)
{
	snprintf(r->err, sizeof(r->err), "line %lu from tor exceeds %zu bytes without a line end", r->lineno + 1,
		 r->limit);
	return -1;
}

/* New bytes at the end of `in`: one look for a NUL per read, not one per
 * line (a data block is thousands of short lines a read). */
static void note_clean(struct reader *r, size_t n)
{
	size_t at = r->in.len - n;
	if (r->clean != at)
		return; /* a NUL before them: every line is looked at */
	const char *nul = memchr(r->in.p + at, '\0', n);
	r->clean = nul ? (size_t)(nul - r->in.p) : r->in.len;
}

int reader_feed(struct reader *r, const char *p, size_t n)
{
	compact(r);
	if (buf_append(&r->in, p, n, r->limit) < 0)
		return line_too_long(r);
	note_clean(r, n);
	return 0;
}

char *reader_space(struct reader *r, size_t want, size_t *room)
{
	compact(r);
	size_t left = r->in.len < r->limit ? r->limit - r->in.len : 0;
	*room = want < left ? want : left;
	if (*room == 0) {
		line_too_long(r);
		return NULL;
	}
	if (buf_reserve(&r->in, *room, r->limit) < 0) {
		snprintf(r->err, sizeof(r->err), "out of memory for what tor sent");
		return NULL;
	}
	return r->in.p + r->in.len;
}

void reader_commit(struct reader *r, size_t n)
{
	r->in.len += n;
	r->in.p[r->in.len] = '\0';
	note_clean(r, n);
}

static int fail(struct reader *r, const char *what, const char *line, size_t len)
{
	struct buf shown = {0};
	term_safe_append(&shown, line, len > 60 ? 60 : len, BUF_NOLIMIT);
	snprintf(r->err, sizeof(r->err), "protocol error at line %lu from tor: %s: '%s%s'",
		 r->lineno, what, shown.p ? shown.p : "", len > 60 ? "..." : "");
	buf_free(&shown);
	return -1;
}

static int too_big(struct reader *r)
{
	snprintf(r->err, sizeof(r->err), "protocol error: a message from tor exceeds %zu bytes", r->limit);
	return -1;
}

/* What a message may still take: the limit counts a reply's pieces
 * together. */
static size_t room_for(const struct reader *r, const struct tc_msg *m)
{
	size_t used = m == &r->reply ? r->streamed : 0;
	return used < r->limit ? r->limit - used : 0;
}

static int add_line(struct reader *r, struct tc_msg *m, int code, char sep, const char *text, size_t len)
{
	if (m->nlines == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 8;
		struct tc_line *l = realloc(m->lines, cap * sizeof(*l));
		if (l == NULL)
			return too_big(r);
		m->lines = l;
		m->cap = cap;
	}
	struct tc_line *l = &m->lines[m->nlines];
	l->code = code;
	l->sep = sep;
	l->text_off = m->bytes.len;
	l->text_len = len;
	l->data_off = l->data_len = 0;
	/* the text and its NUL in one go */
	if (buf_reserve(&m->bytes, len + 1, room_for(r, m)) < 0)
		return too_big(r);
	memcpy(m->bytes.p + m->bytes.len, text, len);
	m->bytes.len += len + 1;
	m->bytes.p[m->bytes.len - 1] = '\0';
	m->bytes.p[m->bytes.len] = '\0';
	m->nlines++;
	if (sep == '+')
		l->data_off = m->bytes.len;
	return 0;
}

static int data_line(struct reader *r, const char *line, size_t len)
{
	struct tc_msg *m = r->data_for;
	struct tc_line *l = &m->lines[r->data_line];
	if (len == 1 && line[0] == '.') {
		r->data_for = NULL;
		return buf_putc(&m->bytes, '\0', room_for(r, m)) < 0 ? too_big(r) : 0;
	}
	if (len > 0 && line[0] == '.') {
		line++;
		len--;
	}
	if (buf_reserve(&m->bytes, len + 1, room_for(r, m)) < 0)
		return too_big(r);
	memcpy(m->bytes.p + m->bytes.len, line, len);
	m->bytes.len += len + 1;
	m->bytes.p[m->bytes.len - 1] = '\n';
	m->bytes.p[m->bytes.len] = '\0';
	l->data_len += len + 1;
	return 0;
}

/* The lines of an open data block, as many as the input holds, in one
 * loop with room made once: a block of ns/all is tens of thousands of
 * short lines. The same as data_line() a line at a time. 1 when the
 * block ended, 0 when the input ran out (or, -2, when the room could not
 * be made at once: data_line() takes it from there), -1 on error. */
static int data_lines(struct reader *r)
{
	struct tc_msg *m = r->data_for;
	struct tc_line *l = &m->lines[r->data_line];
	size_t avail = r->in.len - r->pos;
	if (buf_reserve(&m->bytes, avail + 1, room_for(r, m)) < 0)
		return -2;
	char *o = m->bytes.p + m->bytes.len;
	const char *p = r->in.p + r->pos, *end = r->in.p + r->in.len;
	int rc = 0;
	for (;;) {
		const char *lf = memchr(p, '\n', (size_t)(end - p));
		if (lf == NULL)
			break;
		size_t len = (size_t)(lf - p);
		r->lineno++;
		while (len > 0 && p[len - 1] == '\r')
			len--;
		if ((size_t)(p + len - r->in.p) > r->clean && memchr(p, '\0', len)) {
			rc = fail(r, "NUL byte in line", p, len);
			break;
		}
		r->pos = r->scan = (size_t)(lf - r->in.p) + 1;
		if (len == 1 && p[0] == '.') {
			*o++ = '\0';
			r->data_for = NULL;
			rc = 1;
			break;
		}
		if (len > 0 && p[0] == '.')
			p++, len--;
		memcpy(o, p, len);
		o[len] = '\n';
		o += len + 1;
		l->data_len += len + 1;
		p = lf + 1;
	}
	m->bytes.len = (size_t)(o - m->bytes.p);
	m->bytes.p[m->bytes.len] = '\0';
	return rc;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* 1 when `m` is complete, 0 when it continues, -1 on error. */
static int status_line(struct reader *r, const char *line, size_t len, struct tc_msg **out)
{
	if (len < 4 || !is_digit(line[0]) || !is_digit(line[1]) || !is_digit(line[2]) ||
	    (line[3] != '-' && line[3] != '+' && line[3] != ' '))
		return fail(r, "expected a 3-digit code and '-', '+' or ' '", line, len);
	int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
	if (code < 100)
		return fail(r, "reply code out of range", line, len);
	/* Events are told apart by code alone so that one arriving between a
	 * command and its reply (or, in theory, inside it) is routed apart. */
	struct tc_msg *m = line[0] == '6' ? &r->event : &r->reply;
	if (add_line(r, m, code, line[3], line + 4, len - 4) < 0)
		return -1;
	if (line[3] == '+') {
		r->data_for = m;
		r->data_line = m->nlines - 1;
		return 0;
	}
	if (line[3] == '-')
		return 0;
	m->code = code;
	*out = m;
	return 1;
}

/* Out of whole lines: 1 with the reply so far when its open block is
 * worth a piece, else 0. */
static int stream_piece(struct reader *r, struct tc_msg **out)
{
	struct tc_msg *m = &r->reply;
	if (r->stream_min == 0 || r->data_for != m || m->lines[r->data_line].data_len < r->stream_min)
		return 0;
	m->partial = true;
	*out = r->done = m;
	return 1;
}

bool reader_next_is_event_line(struct reader *r)
{
	if (r->data_for || r->in.p == NULL || r->in.len - r->pos < 5 || r->in.p[r->pos] != '6' ||
	    r->in.p[r->pos + 3] != ' ')
		return false;
	if (r->scan < r->pos)
		r->scan = r->pos;
	const char *lf = memchr(r->in.p + r->scan, '\n', r->in.len - r->scan);
	if (lf == NULL) {
		r->scan = r->in.len;
		return false;
	}
	r->scan = (size_t)(lf - r->in.p); /* reader_next finds it at once */
	return true;
}

int reader_next(struct reader *r, struct tc_msg **out)
{
	if (r->done) {
		if (r->done->partial) {
			msg_keep_headers(r, r->done);
		} else {
			if (r->done == &r->reply)
				r->streamed = 0;
			msg_reset(r->done);
		}
		r->done = NULL;
	}
	if (r->in.p == NULL)
		return 0;
	for (;;) {
		if (r->data_for) {
			int rc = data_lines(r);
			if (rc < 0 && rc != -2)
				return -1;
			if (rc == 0)
				return stream_piece(r, out);
			/* 1: the block ended, the lines after it follow */
		}
		char *start = r->in.p + r->pos;
		char *lf = r->scan < r->in.len ? memchr(r->in.p + r->scan, '\n', r->in.len - r->scan) : NULL;
		if (lf == NULL) {
			r->scan = r->in.len;
			return stream_piece(r, out);
		}
		size_t len = (size_t)(lf - start);
		r->pos = r->scan = (size_t)(lf - r->in.p) + 1;
		r->lineno++;
		/* Tor ends lines with CRLF but lets stray CRs through in data. */
		while (len > 0 && start[len - 1] == '\r')
			len--;
		if ((size_t)(start + len - r->in.p) > r->clean && memchr(start, '\0', len))
			return fail(r, "NUL byte in line", start, len);
		int rc = r->data_for ? data_line(r, start, len) : status_line(r, start, len, out);
		if (rc < 0)
			return -1;
		if (rc == 1) {
			r->done = *out;
			return 1;
		}
	}
}
