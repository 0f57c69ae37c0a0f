#include "render.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "ansi.h"
#include "enums.h"
#include "encode.h"
#include "escape.h"
#include "scan.h"
#include "summary.h"
#include "swar.h"


void renderer_init(struct renderer *r, const struct render_opts *o)
{
	memset(r, 0, sizeof(*r));
	r->o = *o;
}

void renderer_free(struct renderer *r)
{
	event_free(&r->ev);
	buf_free(&r->line);
	free(r->names.v);
	free(r->names.pos);
	render_pieces_drop(r);
	buf_free(&r->pieces.mem);
	buf_free(&r->pieces.segs);
	buf_free(&r->pieces.chunk);
}

void render_pieces_drop(struct renderer *r)
{
	struct render_pieces *p = &r->pieces;
	if (p->f)
		fclose(p->f); /* unlinked: the file goes with it */
	p->f = NULL;
	p->on = p->failed = false;
	p->end = 0;
	buf_reset(&p->mem);
	buf_reset(&p->segs);
	buf_reset(&p->chunk);
}

const char *reply_error_name(int code)
{
	switch (code) {
	case 451: return "OperationFailed";       /* resource exhausted */
	case 500: return "ProtocolError";         /* syntax error in the protocol */
	case 510: case 511: return "InvalidRequest"; /* unrecognized / unimplemented command */
	case 512: case 513: case 552: return "InvalidArguments";
	case 514: return "AuthenticationRequired";
	case 515: return "AuthenticationFailed";
	case 550: case 551: case 555: return "OperationFailed";
	case 553: case 554: return "InvalidRequest";
	default: return code >= 400 ? "OperationFailed" : NULL;
	}
}

/* ---- the output being built ----
 * Every mode builds what it shows in the renderer's scratch buffer and
 * hands it to the FILE in one fwrite per message, or whenever it holds
 * OUT_CHUNK bytes: no stdio call per field, and a data block of 100 MB of
 * control bytes (6 bytes each as \u0001) costs a chunk of memory, not
 * 600 MB. Nothing stays in the buffer after render() returns, so what the
 * callers print themselves comes in order; only an event rendered with
 * `hold` (render.h: the next event is already here) waits for the next
 * render() or render_flush(). */
#define OUT_CHUNK ((size_t)64 << 10)

struct jout {
	struct buf *b;
	FILE *out;
	struct json_names *names;
	/* JSON: bytes known to need no escape (an event's first line, when
	 * it is printable ASCII without '"' or '\\'); else an empty range */
	uintptr_t plain_lo, plain_hi;
	/* JSON of a reply that came in pieces: its blocks are read from here */
	struct render_pieces *spill;
};

static void jflush(struct jout *w)
{
	/* unlocked: torsh has one thread, and the lock was a tenth of a
	 * raw flood's time */
	if (w->b->len)
		fwrite_unlocked(w->b->p, 1, w->b->len, w->out);
	buf_reset(w->b);
}

/* Room for n more bytes at the buffer's end (what it holds goes to the
 * FILE first when it would pass OUT_CHUNK); NULL out of memory. */
static char *jroom_slow(struct jout *w, size_t n)
{
	struct buf *b = w->b;
	if (b->len > 0 && b->len + n > OUT_CHUNK)
		jflush(w);
	if (b->cap - b->len <= n && buf_reserve(b, n, BUF_NOLIMIT) < 0)
		return NULL;
	return b->p + b->len;
}

static inline char *jroom(struct jout *w, size_t n)
{
	struct buf *b = w->b;
	if (b->len + n <= OUT_CHUNK && b->cap - b->len > n)
		return b->p + b->len;
	return jroom_slow(w, n);
}

static inline void jput(struct jout *w, const char *p, size_t n)
{
	struct buf *b = w->b;
	if (b->len + n <= OUT_CHUNK && b->cap - b->len > n) {
		swar_copy(b->p + b->len, p, n);
		b->len += n;
		return;
	}
	if (n > OUT_CHUNK) {
		jflush(w);
		fwrite(p, 1, n, w->out);
		return;
	}
	char *o = jroom(w, n);
	if (o == NULL)
		return;
	memcpy(o, p, n);
	w->b->len += n;
}

static inline void jputc(struct jout *w, char c)
{
	struct buf *b = w->b;
	if (b->len < OUT_CHUNK && b->cap - b->len > 1) {
		b->p[b->len++] = c;
		return;
	}
	char *o = jroom(w, 1);
	if (o == NULL)
		return;
	*o = c;
	b->len++;
}

static void jputs(struct jout *w, const char *s)
{
	jput(w, s, strlen(s));
}

/* A decimal number, by hand. */
static void jint(struct jout *w, int v)
{
	char d[12];
	size_t i = sizeof(d);
	unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
	do {
		d[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		d[--i] = '-';
	jput(w, d + i, sizeof(d) - i);
}

/* Escaped for a terminal (escape.h), a slice at a time. */
#define TERM_SLICE 4096

static void tput(struct jout *w, const char *s, size_t n)
{
	while (n > 0) {
		size_t take = n < TERM_SLICE ? n : TERM_SLICE;
		char *o = jroom(w, TERM_SAFE_ROOM(take));
		if (o == NULL)
			return;
		size_t olen, used = term_safe_some(s, n, take, o, &olen);
		w->b->len += olen;
		s += used;
		n -= used;
	}
}

/* Text from tor: escaped when the options say so. */
static void put(struct jout *w, const char *p, size_t n, const struct render_opts *o)
{
	if (o->safe)
		tput(w, p, n);
	else
		jput(w, p, n);
}

static void color(struct jout *w, const struct render_opts *o, const char *c)
{
	if (o->color)
		jputs(w, c);
}

/* A data block as lines: each escaped, each ended by a newline (the last
 * too, so what follows starts on a line of its own), `indent` before each. */
static void put_block(struct jout *w, const char *d, size_t len, const struct render_opts *o, const char *indent)
{
	const char *end = d + len;
	size_t il = strlen(indent);
	while (d < end) {
		const char *nl = memchr(d, '\n', (size_t)(end - d));
		size_t n = nl ? (size_t)(nl - d) : (size_t)(end - d);
		jput(w, indent, il);
		put(w, d, n, o);
		jputc(w, '\n');
		d += n + 1;
	}
}

/* ---- raw ---- */

struct raw_out {
	struct jout *w;
	const struct render_opts *o;
};

static void raw_piece(void *ud, const char *p, size_t n, bool eol)
{
	struct raw_out *r = ud;
	put(r->w, p, n, r->o);
	if (eol)
		jputc(r->w, '\n');
}

/* A data block as tor sent it, unescaped: the reader keeps it with '\n'
 * line ends, as raw shows it, so it goes out in spans as long as there is
 * no line to dot-stuff, not a line at a time; then the closing ".". */
static void raw_block(struct jout *w, const char *d, size_t len, bool close)
{
	const char *end = d + len;
	while (d < end) {
		if (d[0] == '.')
			jputc(w, '.');
		const char *next = d + scan_line_start(d, (size_t)(end - d), '.');
		jput(w, d, (size_t)(next - d));
		d = next;
	}
	if (len > 0 && end[-1] != '\n')
		jputc(w, '\n');
	if (close)
		jput(w, ".\n", 2);
}

/* The wire text, a line end for each CRLF. */
static void render_raw(struct jout *w, const struct tc_msg *m, const struct render_opts *o)
{
	struct raw_out r = {w, o};
	if (o->safe) {
		msg_to_wire(m, raw_piece, &r);
		return;
	}
	if (m->nlines == 1 && m->lines[0].sep == ' ' && m->code >= 100 && m->code <= 999) {
		/* one line, as nearly every event: one reservation */
		size_t len;
		const char *t = msg_text(m, 0, &len);
		char *d = jroom(w, len + 5);
		if (d == NULL)
			return;
		char head[4] = {(char)('0' + m->code / 100), (char)('0' + m->code / 10 % 10), (char)('0' + m->code % 10), ' '};
		memcpy(d, head, sizeof(head));
		memcpy(d + sizeof(head), t, len);
		d[len + sizeof(head)] = '\n';
		w->b->len += len + 5;
		return;
	}
	/* a piece of a reply (reply.h): what is new in it */
	for (size_t i = m->resume ? m->resume - 1 : 0; i < m->nlines; i++) {
		size_t len;
		const char *t = msg_text(m, i, &len);
		int code = m->lines[i].code;
		char head[4] = {(char)('0' + code / 100 % 10), (char)('0' + code / 10 % 10), (char)('0' + code % 10),
				m->lines[i].sep};
		if (i + 1 != m->resume) {
			jput(w, head, code >= 100 && code <= 999 ? sizeof(head) : 0);
			jput(w, t, len);
			jputc(w, '\n');
		}
		if (m->lines[i].sep == '+') {
			const char *d = msg_data(m, i, &len);
			raw_block(w, d, len, !(m->partial && i + 1 == m->nlines));
		}
	}
}

/* ---- pretty ---- */

/* "HH:MM:SS " in local time, dim: `at`, or now when it is 0. A flood
 * brings many events a second: the clock is formatted once a second. */
static void timestamp(struct renderer *r, struct buf *b, const struct render_opts *o, time_t at)
{
	if (at == 0) {
		struct timespec ts;
#ifdef CLOCK_REALTIME_COARSE
		/* a few ms behind at most, and a fraction of the cost: the
		 * timestamp shows whole seconds */
		clock_gettime(CLOCK_REALTIME_COARSE, &ts);
#else
		clock_gettime(CLOCK_REALTIME, &ts);
#endif
		at = ts.tv_sec;
	}
	if (!r->ts_valid || r->ts_sec != at || r->ts_color != o->color) {
		struct tm tm;
		localtime_r(&at, &tm);
		char t[9] = {(char)('0' + tm.tm_hour / 10), (char)('0' + tm.tm_hour % 10), ':',
			     (char)('0' + tm.tm_min / 10), (char)('0' + tm.tm_min % 10), ':',
			     (char)('0' + tm.tm_sec / 10 % 10), (char)('0' + tm.tm_sec % 10), ' '};
		/* with its colour around it, ready to copy */
		size_t k = 0;
		if (o->color) {
			memcpy(r->ts, C_DIM, strlen(C_DIM));
			k = strlen(C_DIM);
		}
		memcpy(r->ts + k, t, sizeof(t));
		k += sizeof(t);
		if (o->color) {
			memcpy(r->ts + k, C_RESET, strlen(C_RESET));
			k += strlen(C_RESET);
		}
		r->ts_len = k;
		r->ts_sec = at;
		r->ts_color = o->color;
		r->ts_valid = true;
	}
	buf_append(b, r->ts, r->ts_len, BUF_NOLIMIT);
}

/* The time, the event's one-line summary (summary.c); then its data
 * block, if any, one indented line per line. */
static void render_pretty_event(struct renderer *r, struct jout *w, const struct tc_msg *m,
				const struct render_opts *o)
{
	if (event_parse(m, &r->ev) < 0) {
		render_raw(w, m, o);
		return;
	}
	struct event *ev = &r->ev;
	timestamp(r, w->b, o, r->at);
	/* a log event's lines go under it, not onto its summary line */
	if (ev->message_in_data)
		ev->nfields--;
	summary_write(w->b, ev, o);
	jputc(w, '\n');
	if (ev->data)
		put_block(w, ev->data, ev->data_len, o, "  ");
}

/* Whether the command a reply answers has this shape of reply (cmd.h). */
static bool reply_has(const struct cmd_def *def, unsigned flag)
{
	return def != NULL && (def->flags & flag);
}

/* "KEY:" over the block's lines. */
static void pretty_data(struct jout *w, const struct tc_msg *m, size_t i, const struct render_opts *o)
{
	size_t len;
	const char *t = msg_text(m, i, &len);
	color(w, o, C_BOLD);
	put(w, t, len && t[len - 1] == '=' ? len - 1 : len, o);
	color(w, o, C_RESET);
	jputs(w, ":\n");
	const char *d = msg_data(m, i, &len);
	put_block(w, d, len, o, "");
}

/* One line of an error reply; `head` false: only its block's data (a
 * piece that continues it). */
static void pretty_error_line(struct jout *w, const struct tc_msg *m, size_t i, const struct render_opts *o,
			      bool head)
{
	size_t len;
	const char *t = msg_text(m, i, &len);
	const char *name = reply_error_name(m->lines[i].code);
	if (head) {
		color(w, o, name ? C_RED : C_RESET);
		if (name) {
			jputs(w, "error ");
			jint(w, m->lines[i].code);
			jputs(w, " (");
			jputs(w, name);
			jputs(w, "): ");
		} else {
			jint(w, m->lines[i].code);
			jputc(w, ' ');
		}
		color(w, o, C_RESET);
		put(w, t, len, o);
		jputc(w, '\n');
	}
	if (m->lines[i].sep == '+') {
		const char *d = msg_data(m, i, &len);
		put_block(w, d, len, o, "  ");
	}
}

static void render_pretty_error(struct jout *w, const struct tc_msg *m, const struct render_opts *o)
{
	for (size_t i = 0; i < m->nlines; i++)
		pretty_error_line(w, m, i, o, true);
}

static bool is_word(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((p[i] >= 'A' && p[i] <= 'Z') || p[i] == '_' || (p[i] >= '0' && p[i] <= '9' && i > 0)))
			return false;
	return n > 0;
}

/* WORD ARGS... (PROTOCOLINFO's AUTH and VERSION, CLIENT): the word in bold,
 * the arguments as sent. A KEY=VALUE among them stays one piece: a value
 * may hold '=' (a base64 key's padding) and is copied, never re-spaced. */
static void pretty_record(struct jout *w, const char *t, size_t len, size_t wlen, const struct render_opts *o)
{
	color(w, o, C_BOLD);
	put(w, t, wlen, o);
	color(w, o, C_RESET);
	put(w, t + wlen, len - wlen, o);
}

/* One line of a successful reply. */
static void pretty_line(struct jout *w, const struct tc_msg *m, size_t i, const struct render_opts *o,
			const struct cmd_def *def)
{
	size_t len;
	const char *t = msg_text(m, i, &len);
	bool last = i + 1 == m->nlines;
	const char *eq = memchr(t, '=', len), *sp = memchr(t, ' ', len);
	if (eq && eq != t && (sp == NULL || sp > eq)) {
		/* KEY=VALUE: the value whole after the first '=' */
		color(w, o, C_BOLD);
		put(w, t, (size_t)(eq - t), o);
		color(w, o, C_RESET);
		jputs(w, " = ");
		put(w, eq + 1, len - (size_t)(eq + 1 - t), o);
	} else if (sp && is_word(t, (size_t)(sp - t))) {
		pretty_record(w, t, len, (size_t)(sp - t), o);
	} else if (reply_has(def, CMD_REPLY_KEYS) && sp == NULL && eq == NULL &&
		   !(last && len == 2 && memcmp(t, "OK", 2) == 0)) {
		/* GETCONF answers a bare KEY for an option with no value */
		color(w, o, C_BOLD);
		put(w, t, len, o);
		color(w, o, C_RESET);
		color(w, o, C_DIM);
		jputs(w, " (unset)");
		color(w, o, C_RESET);
	} else {
		color(w, o, C_GREEN);
		put(w, t, len, o);
		color(w, o, C_RESET);
	}
	jputc(w, '\n');
}

/* One line of a successful reply, or (`head` false) the rest of its
 * block. */
static void pretty_ok_line(struct jout *w, const struct tc_msg *m, size_t i, const struct render_opts *o,
			   const struct cmd_def *def, bool head)
{
	size_t len;
	const char *t = msg_text(m, i, &len);
	/* the closing "OK" says nothing after the values it closes */
	if (i + 1 == m->nlines && m->nlines > 1 && len == 2 && memcmp(t, "OK", 2) == 0 && !m->partial)
		return;
	if (!head) {
		const char *d = msg_data(m, i, &len);
		put_block(w, d, len, o, "");
	} else if (m->lines[i].sep == '+') {
		pretty_data(w, m, i, o);
	} else {
		pretty_line(w, m, i, o, def);
	}
}

static void render_pretty_reply(struct jout *w, const struct tc_msg *m, const struct render_opts *o,
				const struct cmd_def *def)
{
	if (!msg_ok(m)) {
		render_pretty_error(w, m, o);
		return;
	}
	for (size_t i = 0; i < m->nlines; i++)
		pretty_ok_line(w, m, i, o, def, true);
}

/* A piece of a reply (reply.h). Whether it is an error is known at its
 * end line only: the pieces take the style of the line that opened the
 * block (what tor sends has one code throughout), and the lines after it
 * in the last piece that of the end line. */
static void render_pretty_piece(struct render_pieces *pc, struct jout *w, const struct tc_msg *m,
				const struct render_opts *o, const struct cmd_def *def)
{
	size_t from = m->resume ? m->resume - 1 : 0;
	if (m->resume == 0)
		pc->ok_style = m->lines[m->nlines - 1].code >= 200 && m->lines[m->nlines - 1].code < 300;
	for (size_t i = from; i < m->nlines; i++) {
		bool head = i + 1 != m->resume;
		bool ok = m->partial || !head ? pc->ok_style : msg_ok(m);
		if (ok)
			pretty_ok_line(w, m, i, o, def, head);
		else
			pretty_error_line(w, m, i, o, head);
	}
}

/* ---- JSON Lines ---- */

/* ---- names given several times ----
 * A JSON object turns a name given several times into an array, in the
 * order of first appearance. Comparing every line with every other would be
 * quadratic: a hostile 1 MB reply of distinct keys took minutes. Sorting by
 * (name, position) puts each name's repeats side by side instead. */

struct json_name {
	const char *name;
	size_t len, idx; /* idx: the line or field it stands for */
};

static bool name_eq(const struct json_name *a, const struct json_name *b)
{
	return a->len == b->len && memcmp(a->name, b->name, a->len) == 0;
}

static int name_cmp(const void *pa, const void *pb)
{
	const struct json_name *a = pa, *b = pb;
	int c = memcmp(a->name, b->name, a->len < b->len ? a->len : b->len);
	if (c == 0)
		c = (a->len > b->len) - (a->len < b->len);
	return c ? c : (a->idx > b->idx) - (a->idx < b->idx);
}

/* Room for names of `total` lines or fields, every pos[] unset. */
static int names_reserve(struct json_names *g, size_t total)
{
	if (total > g->cap) {
		struct json_name *v = realloc(g->v, total * sizeof(*v));
		if (v == NULL)
			return -1;
		g->v = v;
		size_t *pos = realloc(g->pos, total * sizeof(*pos));
		if (pos == NULL)
			return -1;
		g->pos = pos;
		g->cap = total;
	}
	for (size_t i = 0; i < total; i++)
		g->pos[i] = SIZE_MAX;
	return 0;
}

static void names_sort(struct json_names *g, size_t n)
{
	if (n > 1)
		qsort(g->v, n, sizeof(*g->v), name_cmp);
	for (size_t p = 0; p < n; p++)
		g->pos[g->v[p].idx] = p;
}

/* For the first of its name, how many share it (they follow it in v);
 * 0 for a later one or one without a name. */
static size_t names_first(const struct json_names *g, size_t n, size_t idx)
{
	size_t p = g->pos[idx], e;
	if (p == SIZE_MAX || (p > 0 && name_eq(&g->v[p - 1], &g->v[p])))
		return 0;
	for (e = p + 1; e < n && name_eq(&g->v[e], &g->v[p]); e++)
		;
	return e - p;
}

/* The JSON escape for the byte or sequence at p[i], which is not printable
 * ASCII; 0 when it goes out as it is (well-formed UTF-8 that shows as what
 * it is). Else the number of bytes esc stands for: an ill-formed sequence
 * (its maximal subpart) becomes \ufffd, so every line is valid UTF-8;
 * controls, DEL, C1 and bidi controls become \u escapes. */
static size_t json_escape(const unsigned char *p, size_t n, size_t i, char esc[8])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char c = p[i];
	uint32_t cp = c;
	size_t len = 1;
	switch (c) {
	case '"': memcpy(esc, "\\\"", 3); return 1;
	case '\\': memcpy(esc, "\\\\", 3); return 1;
	case '\n': memcpy(esc, "\\n", 3); return 1;
	case '\r': memcpy(esc, "\\r", 3); return 1;
	case '\t': memcpy(esc, "\\t", 3); return 1;
	default: break;
	}
	if (c >= 0x80) {
		size_t bad;
		len = utf8_decode(p + i, n - i, &cp, &bad);
		if (len == 0) {
			cp = 0xfffd;
			len = bad;
		} else if (!unicode_hidden_control(cp)) {
			return 0;
		}
	}
	esc[0] = '\\'; esc[1] = 'u';
	for (int k = 0; k < 4; k++)
		esc[2 + k] = hex[(cp >> (12 - 4 * k)) & 15];
	esc[6] = '\0';
	return len;
}

/* Bytes that go into a JSON string as they are: printable ASCII but '"'
 * and '\\'. Everything else is looked at by json_escape. */
static const unsigned char json_plain[256] = {
#define R4(c) [c] = 1, [c + 1] = 1, [c + 2] = 1, [c + 3] = 1
#define R16(c) R4(c), R4(c + 4), R4(c + 8), R4(c + 12)
	[0x20] = 1, [0x21] = 1, R4(0x23), R4(0x27), R4(0x2b), [0x2f] = 1,
	R16(0x30), R16(0x40), R4(0x50), R4(0x54), R4(0x58), [0x5d] = 1, [0x5e] = 1, [0x5f] = 1,
	R16(0x60), R4(0x70), R4(0x74), R4(0x78), [0x7c] = 1, [0x7d] = 1, [0x7e] = 1,
#undef R16
#undef R4
};

/* Nonzero when one of 8 bytes is not plain. */
static inline uint64_t json_special8(uint64_t x)
{
	return swar_unprintable(x) | swar_has(x, '"') | swar_has(x, '\\');
}

/* Input escaped per step; its output, at most 6 bytes a byte (\u0001),
 * is reserved at once. */
#define JSON_SLICE 4096

/* The JSON escaping of the sequences that start in s[0..take) (the last
 * may run on, up to n) into o, which has room for 6 * (take + 3) bytes;
 * *olen is what it wrote. Returns the input bytes it stands for. Runs of
 * plain bytes are copied eight at a time; a run's last few bytes too, by
 * one more (overlapping) word when what precedes them was copied as it
 * is. */
static size_t json_some(const char *s, size_t n, size_t take, char *o, size_t *olen)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k = 0, verbatim = 0; /* output from `verbatim` on is the input as it is */
	while (i < take) {
		uint64_t x;
#ifdef __SSE2__
		/* 16 bytes stored as they are, the output advanced past the
		 * plain ones: o has room for 6 bytes a byte */
		while (i + 16 <= take) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
			__m128i bad = _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
								_mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f))),
						   _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
								_mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
			unsigned m = (unsigned)_mm_movemask_epi8(bad);
			_mm_storeu_si128((__m128i *)(void *)(o + k), v);
			if (m) {
				size_t z = (size_t)__builtin_ctz(m);
				i += z;
				k += z;
				break;
			}
			i += 16;
			k += 16;
		}
#endif
		for (; i + 8 <= take && !json_special8(x = swar_load(p + i)); i += 8, k += 8)
			memcpy(o + k, &x, 8);
		if (i + 8 > take && take >= 8 && take - 8 >= verbatim && !json_special8(x = swar_load(p + take - 8))) {
			memcpy(o + k - (i - (take - 8)), &x, 8);
			k += take - i;
			i = take;
			break;
		}
		while (i < take && json_plain[p[i]])
			o[k++] = s[i++];
		if (i >= take)
			break;
		if (p[i] == '\n') {
			/* a data block's line end, the escape nearly every one
			 * has: written here, not looked up */
			o[k++] = '\\';
			o[k++] = 'n';
			verbatim = ++i;
			continue;
		}
		char esc[8];
		size_t skip = json_escape(p, n, i, esc), len;
		if (skip == 0) {
			/* UTF-8 that shows as what it is */
			uint32_t cp;
			size_t bad;
			len = utf8_decode(p + i, n - i, &cp, &bad);
			memcpy(o + k, s + i, len);
			i += len;
		} else {
			len = strlen(esc);
			memcpy(o + k, esc, len);
			i += skip;
			verbatim = i;
		}
		k += len;
	}
	*olen = k;
	return i;
}

/* The inside of a JSON string, a slice at a time. A piece may end inside a
 * UTF-8 sequence only where the bytes themselves do (callers cut at line
 * ends); a slice never cuts one. */
static void json_chars(struct jout *w, const char *s, size_t n)
{
	if ((uintptr_t)s >= w->plain_lo && (uintptr_t)s + n <= w->plain_hi) {
		jput(w, s, n);
		return;
	}
	while (n > 0) {
		size_t take = n < JSON_SLICE ? n : JSON_SLICE, k;
		char *o = jroom(w, 6 * (take + 3));
		if (o == NULL)
			return;
		size_t used = json_some(s, n, take, o, &k);
		w->b->len += k;
		s += used;
		n -= used;
	}
}

/* A JSON string; a short one (nearly all) in one reservation. */
static void json_str(struct jout *w, const char *s, size_t n)
{
	if ((uintptr_t)s >= w->plain_lo && (uintptr_t)s + n <= w->plain_hi) {
		char *o = jroom(w, n + 2);
		if (o == NULL)
			return;
		o[0] = '"';
		swar_copy(o + 1, s, n);
		o[n + 1] = '"';
		w->b->len += n + 2;
		return;
	}
	if (n > JSON_SLICE) {
		jputc(w, '"');
		json_chars(w, s, n);
		jputc(w, '"');
		return;
	}
	char *o = jroom(w, 6 * (n + 3) + 2);
	if (o == NULL)
		return;
	size_t k;
	o[0] = '"';
	json_some(s, n, n, o + 1, &k);
	o[k + 1] = '"';
	w->b->len += k + 2;
}

/* ---- a reply in pieces, for JSON (render.h) ----
 * Each line's block is one stretch of the file: a block's pieces come in
 * order, one block after another. */
struct spill_seg {
	size_t line, off, len;
};

#define SPILL_CHUNK ((size_t)64 << 10)

static struct spill_seg *spill_find(const struct render_pieces *p, size_t line)
{
	struct spill_seg *s = (struct spill_seg *)(void *)p->segs.p;
	size_t n = p->segs.len / sizeof(*s);
	for (size_t k = n; k-- > 0;)
		if (s[k].line == line)
			return &s[k];
	return NULL;
}

static void spill_add(struct render_pieces *p, size_t line, const char *d, size_t len)
{
	struct spill_seg *s = spill_find(p, line);
	if (s == NULL) {
		struct spill_seg g = {line, p->end, 0};
		if (buf_append(&p->segs, &g, sizeof(g), BUF_NOLIMIT) < 0) {
			p->failed = true;
			return;
		}
		s = spill_find(p, line);
	}
	if (len == 0)
		return;
	if (p->f ? fwrite(d, 1, len, p->f) != len : buf_append(&p->mem, d, len, BUF_NOLIMIT) < 0)
		p->failed = true;
	s->len += len;
	p->end += len;
}

/* Every block of a piece: the rest of the one it continues, and those
 * that open in it. */
static void spill_piece(struct render_pieces *p, const struct tc_msg *m)
{
	if (m->resume == 0)
		p->f = tmpfile();
	for (size_t i = m->resume ? m->resume - 1 : 0; i < m->nlines; i++) {
		size_t len;
		const char *d = msg_data(m, i, &len);
		if (d)
			spill_add(p, i, d, len);
	}
}

typedef void (*chunk_fn)(void *ud, const char *p, size_t n);

static void spill_chunks(struct render_pieces *p, const struct spill_seg *g, bool trim, chunk_fn fn, void *ud)
{
	if (p->f == NULL) {
		size_t n = g->len;
		if (trim && n > 0 && p->mem.p[g->off + n - 1] == '\n')
			n--;
		if (n > 0)
			fn(ud, p->mem.p + g->off, n);
		return;
	}
	size_t left = g->len;
	buf_reset(&p->chunk);
	if (fflush(p->f) != 0 || fseek(p->f, (long)g->off, SEEK_SET) != 0)
		left = 0;
	while (left > 0 || p->chunk.len > 0) {
		size_t want = left < SPILL_CHUNK ? left : SPILL_CHUNK;
		if (want && buf_reserve(&p->chunk, want, BUF_NOLIMIT) < 0)
			return;
		size_t got = want ? fread(p->chunk.p + p->chunk.len, 1, want, p->f) : 0;
		left = got < want ? 0 : left - got;
		p->chunk.len += got;
		size_t n = p->chunk.len, emit = n;
		if (left > 0) {
			/* whole lines only: a UTF-8 sequence never spans two */
			while (n > 0 && p->chunk.p[n - 1] != '\n')
				n--;
			if (n == 0)
				continue; /* a line longer than a chunk: read on */
			emit = n;
		} else if (trim && n > 0 && p->chunk.p[n - 1] == '\n') {
			emit = n - 1;
		}
		fn(ud, p->chunk.p, emit);
		buf_consume(&p->chunk, n);
	}
	/* reading moved the position: appends go to the end */
	fseek(p->f, 0, SEEK_END);
}

static void chars_chunk(void *ud, const char *p, size_t n)
{
	json_chars(ud, p, n);
}

/* The inside of a JSON string: line i's block, from memory or from the
 * file; `trim` leaves its last line end out. */
static void json_block_chars(struct jout *w, const struct tc_msg *m, size_t i, bool trim)
{
	const struct spill_seg *g = w->spill ? spill_find(w->spill, i) : NULL;
	if (g) {
		spill_chunks(w->spill, g, trim, chars_chunk, w);
		return;
	}
	size_t len;
	const char *d = msg_data(m, i, &len);
	json_chars(w, d, trim && len && d[len - 1] == '\n' ? len - 1 : len);
}

struct json_wire {
	struct jout *w;
	bool eol;              /* a line ended: \n before the next piece */
};

static void json_wire_piece(void *ud, const char *p, size_t n, bool eol)
{
	struct json_wire *j = ud;
	if (j->eol)
		jput(j->w, "\\n", 2);
	/* a piece that does not end a line is a code and separator, or a
	 * dot-stuffing '.' (reply.h): nothing to escape */
	if (eol)
		json_chars(j->w, p, n);
	else
		jput(j->w, p, n);
	j->eol = eol;
}

/* Block lines as on the wire: dot-stuffed. The lines up to the next one
 * to stuff go at once, their line ends escaped as the \n between wire
 * lines; the last one's is the join before the next piece. */
static void wire_chunk(void *ud, const char *d, size_t len)
{
	const char *end = d + len;
	while (d < end) {
		if (d[0] == '.')
			json_wire_piece(ud, ".", 1, false);
		const char *next = d + scan_line_start(d, (size_t)(end - d), '.');
		size_t k = (size_t)(next - d);
		json_wire_piece(ud, d, k > 0 && d[k - 1] == '\n' ? k - 1 : k, true);
		d = next;
	}
}

/* msg_to_wire's text for a reply that came in pieces: every line, the
 * blocks read back from the file. */
static void spilled_wire(struct jout *w, const struct tc_msg *m, struct json_wire *j)
{
	for (size_t i = 0; i < m->nlines; i++) {
		size_t len;
		const char *t = msg_text(m, i, &len);
		int code = m->lines[i].code;
		char head[4] = {(char)('0' + code / 100 % 10), (char)('0' + code / 10 % 10), (char)('0' + code % 10),
				m->lines[i].sep};
		json_wire_piece(j, head, code >= 100 && code <= 999 ? sizeof(head) : 0, false);
		json_wire_piece(j, t, len, true);
		if (m->lines[i].sep != '+')
			continue;
		const struct spill_seg *g = spill_find(w->spill, i);
		if (g)
			spill_chunks(w->spill, g, false, wire_chunk, j);
		json_wire_piece(j, ".", 1, true);
	}
}

/* The wire text, minus CRLF, lines joined by \n; written piece by piece, as
 * a copy of it would be as big as the message. */
static void json_raw(struct jout *w, const struct tc_msg *m)
{
	struct json_wire j = {.w = w};
	size_t len;
	const char *t = m->nlines == 1 && m->lines[0].sep == ' ' ? msg_text(m, 0, &len) : NULL;
	int code = m->code;
	if (t && code >= 100 && code <= 999 && (uintptr_t)t >= w->plain_lo && (uintptr_t)t + len <= w->plain_hi) {
		/* one line known to need no escape, as nearly every event is */
		char *o = jroom(w, len + 6);
		if (o == NULL)
			return;
		char head[5] = {'"', (char)('0' + code / 100), (char)('0' + code / 10 % 10), (char)('0' + code % 10), ' '};
		memcpy(o, head, sizeof(head));
		memcpy(o + sizeof(head), t, len);
		o[len + sizeof(head)] = '"';
		w->b->len += len + 6;
		return;
	}
	jputc(w, '"');
	if (w->spill)
		spilled_wire(w, m, &j);
	else
		msg_to_wire(m, json_wire_piece, &j);
	jputc(w, '"');
}

/* A number JSON can carry exactly: digits, an optional sign and fraction,
 * no leading zeros (which JSON forbids), at most 15 significant digits. */
static bool is_number(const char *s, size_t n)
{
	size_t i = n > 1 && s[0] == '-' ? 1 : 0, digits = 0;
	if (i == n || (s[i] == '0' && i + 1 < n && s[i + 1] != '.'))
		return false;
	bool dot = false;
	for (; i < n; i++) {
		if (s[i] == '.' && !dot && digits > 0 && i + 1 < n) {
			dot = true;
			continue;
		}
		if (s[i] < '0' || s[i] > '9')
			return false;
		digits++;
	}
	return digits > 0 && digits <= 15;
}

static void json_list(struct jout *w, const char *s, size_t n, char sep)
{
	if (sep == ',' && n > 0 && s[n - 1] != ',' && (uintptr_t)s >= w->plain_lo && (uintptr_t)s + n <= w->plain_hi) {
		/* text that needs no escape: each comma becomes "," (a
		 * trailing one, an item dropped, goes the long way) */
		jput(w, "[\"", 2);
		for (const char *p = s, *end = s + n;;) {
			const char *c = memchr(p, ',', (size_t)(end - p));
			if (c == NULL) {
				jput(w, p, (size_t)(end - p));
				break;
			}
			jput(w, p, (size_t)(c - p));
			jput(w, "\",\"", 3);
			p = c + 1;
		}
		jput(w, "\"]", 2);
		return;
	}
	jputc(w, '[');
	const char *p = s, *end = s + n;
	bool first = true;
	while (p < end) {
		const char *c = memchr(p, sep, (size_t)(end - p));
		size_t k = c ? (size_t)(c - p) : (size_t)(end - p);
		if (k == 0 && sep == ' ') {
			p++;
			continue;
		}
		if (!first)
			jputc(w, ',');
		json_str(w, p, k);
		first = false;
		p += k + 1;
	}
	jputc(w, ']');
}

static void json_field_value(struct jout *w, const struct ev_field *f)
{
	if (f->unset) {
		jput(w, "null", 4);
		return;
	}
	switch (f->type) {
	case FT_INT:
		if (is_number(f->val, f->val_len)) {
			jput(w, f->val, f->val_len);
			return;
		}
		break;
	case FT_ENUM_LIST:
	case FT_PATH:
	case FT_LIST:
		json_list(w, f->val, f->val_len, ',');
		return;
	case FT_WORDS:
		json_list(w, f->val, f->val_len, ' ');
		return;
	default:
		break;
	}
	json_str(w, f->val, f->val_len);
}

/* Whether no two fields share a name, as in nearly every event: a bit
 * per name's length and ends says which names may; only those are
 * compared, and a sort is left for the rare event that has a repeat. */
static bool names_distinct(const struct event *ev)
{
	if (ev->nfields > 16)
		return false;
	uint64_t seen = 0;
	for (size_t i = 0; i < ev->nfields; i++) {
		const struct ev_field *a = &ev->fields[i];
		size_t n = a->name_len, h = n * 31;
		if (n > 0)
			h += (unsigned char)a->name[0] + (unsigned char)a->name[n - 1] * 7u;
		uint64_t bit = UINT64_C(1) << (h & 63);
		if (!(seen & bit)) {
			seen |= bit;
			continue;
		}
		for (size_t j = 0; j < i; j++) {
			const struct ev_field *b = &ev->fields[j];
			if (a->name_len == b->name_len && a->name[0] == b->name[0] &&
			    memcmp(a->name, b->name, a->name_len) == 0)
				return false;
		}
	}
	return true;
}

static void json_field(struct jout *w, const struct ev_field *f, bool first)
{
	if (!first)
		jputc(w, ',');
	bool plain_name = (uintptr_t)f->name >= w->plain_lo && (uintptr_t)f->name + f->name_len <= w->plain_hi;
	if (f->keyword && !plain_name) {
		json_str(w, f->name, f->name_len);
		jputc(w, ':');
	} else {
		/* a positional field's name is the schema's (or "arg"):
		 * letters only, nothing to escape; a keyword's from a line
		 * known to need none */
		char *o = jroom(w, f->name_len + 3);
		if (o == NULL)
			return;
		o[0] = '"';
		swar_copy(o + 1, f->name, f->name_len);
		memcpy(o + 1 + f->name_len, "\":", 2);
		w->b->len += f->name_len + 3;
	}
	json_field_value(w, f);
}

/* A name given several times (CONF_CHANGED of a list option, extra
 * positional words) becomes an array, so no key is lost to jq. */
static void json_fields(struct jout *w, const struct event *ev)
{
	if (names_distinct(ev)) {
		for (size_t i = 0; i < ev->nfields; i++)
			json_field(w, &ev->fields[i], i == 0);
		return;
	}
	struct json_names *g = w->names;
	if (names_reserve(g, ev->nfields) < 0)
		return;
	for (size_t i = 0; i < ev->nfields; i++)
		g->v[i] = (struct json_name){ev->fields[i].name, ev->fields[i].name_len, i};
	names_sort(g, ev->nfields);
	bool first = true;
	for (size_t i = 0; i < ev->nfields; i++) {
		size_t n = names_first(g, ev->nfields, i);
		if (n == 0)
			continue;
		if (n == 1) {
			json_field(w, &ev->fields[i], first);
			first = false;
			continue;
		}
		if (!first)
			jputc(w, ',');
		first = false;
		json_str(w, ev->fields[i].name, ev->fields[i].name_len);
		jput(w, ":[", 2);
		for (size_t k = 0, p = g->pos[i]; k < n; k++) {
			if (k)
				jputc(w, ',');
			json_field_value(w, &ev->fields[g->v[p + k].idx]);
		}
		jputc(w, ']');
	}
}

static void render_json_event(struct renderer *r, struct jout *w, const struct tc_msg *m)
{
	jput(w, "{\"type\":\"event\",\"code\":", 23);
	jint(w, m->code);
	if (event_parse(m, &r->ev) == 0) {
		const struct event *ev = &r->ev;
		if (ev->line_plain & EVENT_LINE_JSON_PLAIN) {
			w->plain_lo = (uintptr_t)ev->line;
			w->plain_hi = w->plain_lo + ev->line_len;
		}
		jput(w, ",\"event\":", 9);
		json_str(w, ev->type, ev->type_len);
		jput(w, ",\"fields\":{", 11);
		json_fields(w, ev);
		jputc(w, '}');
		if (ev->data) {
			jput(w, ",\"data\":", 8);
			json_str(w, ev->data, ev->data_len);
		}
	}
	jput(w, ",\"raw\":", 7);
	json_raw(w, m);
	jput(w, "}\n", 2);
}

/* How one reply line contributes to "values". */
enum line_kind { L_NONE, L_KV, L_RECORD, L_UNSET, L_OTHER };

/* Where a GETINFO line that is not KEY=VALUE goes (a tor quirk, a future
 * format): a name no GETINFO key can have, so it is kept, never dropped
 * while the reply says ok, and never taken for a key. */
#define OTHER_LINES "(unparsed)"

struct line_key {
	enum line_kind kind;
	const char *key;
	size_t klen;
};


/* KEY=VALUE (GETINFO, GETCONF, ADD_ONION, MAPADDRESS), WORD ARGS... (the
 * PROTOCOLINFO, CLIENT and EXTENDED lines), or GETCONF's bare KEY for an
 * option with no value. */
static struct line_key classify(const struct tc_msg *m, size_t i, const struct cmd_def *def)
{
	struct line_key k = {L_NONE, NULL, 0};
	size_t len;
	const char *t = msg_text(m, i, &len);
	const char *eq = memchr(t, '=', len), *sp = memchr(t, ' ', len);
	bool closing_ok = i + 1 == m->nlines && len == 2 && memcmp(t, "OK", 2) == 0;
	if (eq && eq != t && (sp == NULL || sp > eq)) {
		k = (struct line_key){L_KV, t, (size_t)(eq - t)};
	} else if (reply_has(def, CMD_REPLY_VALUES)) {
		if (!closing_ok)
			k = (struct line_key){L_OTHER, OTHER_LINES, strlen(OTHER_LINES)};
	} else if (sp && is_word(t, (size_t)(sp - t))) {
		k = (struct line_key){L_RECORD, t, (size_t)(sp - t)};
	} else if (sp == NULL && eq == NULL && reply_has(def, CMD_REPLY_KEYS) && !closing_ok) {
		k = (struct line_key){L_UNSET, t, len};
	}
	return k;
}

/* The positional arguments of a record line, named where the command says
 * what they are. */
static const char *record_arg_name(const struct cmd_def *def, const char *word, size_t wlen, size_t idx)
{
	if (reply_has(def, CMD_REPLY_CLIENT) && wlen == 6 && memcmp(word, "CLIENT", 6) == 0)
		return idx == 0 ? "HSAddress" : idx == 1 ? "PrivateKey" : NULL;
	return NULL;
}

static bool record_always_array(const struct cmd_def *def, const char *word, size_t wlen)
{
	return record_arg_name(def, word, wlen, 0) != NULL;
}

/* PROTOCOLINFO's AUTH METHODS=A,B: a list of names. */
static bool record_kw_is_list(const char *word, size_t wlen, const char *key, size_t klen)
{
	return wlen == 4 && memcmp(word, "AUTH", 4) == 0 && klen == 7 && memcmp(key, "METHODS", 7) == 0;
}

static void json_unquoted(struct jout *w, const char *v, size_t n)
{
	struct buf tmp = {0};
	size_t used = 0;
	if (n >= 2 && v[0] == '"' && cstring_unquote(v, n, &tmp, &used) == 0 && used == n)
		json_str(w, tmp.p ? tmp.p : "", tmp.len);
	else
		json_str(w, v, n);
	buf_free(&tmp);
}

/* WORD a b K=V -> {"args":["a","b"],"K":"V"}; WORD 5 -> 5; WORD x -> "x". */
static void json_record(struct jout *w, const struct cmd_def *def, const char *t, size_t len, size_t wlen)
{
	const char *p = t + wlen, *end = t + len;
	size_t nargs = 0, nkw = 0, klen;
	const char *only = NULL;
	size_t only_len = 0;
	for (const char *q = p; q < end;) {
		while (q < end && *q == ' ')
			q++;
		if (q >= end)
			break;
		size_t tl = event_token(q, (size_t)(end - q), &klen);
		if (klen)
			nkw++;
		else if (nargs++ == 0) {
			only = q;
			only_len = tl;
		}
		q += tl;
	}
	if (nargs == 1 && nkw == 0 && !record_arg_name(def, t, wlen, 0)) {
		if (is_number(only, only_len))
			jput(w, only, only_len);
		else
			json_unquoted(w, only, only_len);
		return;
	}
	jputc(w, '{');
	bool first = true, args_open = false;
	size_t idx = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (const char *q = p; q < end;) {
			while (q < end && *q == ' ')
				q++;
			if (q >= end)
				break;
			size_t tl = event_token(q, (size_t)(end - q), &klen);
			const char *name = klen ? NULL : record_arg_name(def, t, wlen, idx);
			bool now = pass == 0 ? (klen == 0) : (klen > 0);
			if (now && klen == 0 && name == NULL) {
				/* unnamed positionals gather in "args" */
				jputs(w, args_open ? "," : first ? "\"args\":[" : ",\"args\":[");
				args_open = true;
				first = false;
				json_unquoted(w, q, tl);
			} else if (now) {
				if (args_open) {
					jputc(w, ']');
					args_open = false;
				}
				if (!first)
					jputc(w, ',');
				first = false;
				if (klen) {
					json_str(w, q, klen);
					jputc(w, ':');
					if (record_kw_is_list(t, wlen, q, klen))
						json_list(w, q + klen + 1, tl - klen - 1, ',');
					else
						json_unquoted(w, q + klen + 1, tl - klen - 1);
				} else {
					json_str(w, name, strlen(name));
					jputc(w, ':');
					json_unquoted(w, q, tl);
				}
			}
			if (klen == 0 && pass == 0)
				idx++;
			q += tl;
		}
		if (args_open) {
			jputc(w, ']');
			args_open = false;
		}
	}
	jputc(w, '}');
}

/* A line's text, and its data block after a newline (without the block's
 * last line end); the inside of a JSON string. */
static void json_text_data_chars(struct jout *w, const struct tc_msg *m, size_t i)
{
	size_t len;
	const char *t = msg_text(m, i, &len);
	json_chars(w, t, len);
	if (m->lines[i].sep != '+')
		return;
	jput(w, "\\n", 2);
	json_block_chars(w, m, i, true);
}

static void json_text_data(struct jout *w, const struct tc_msg *m, size_t i)
{
	jputc(w, '"');
	json_text_data_chars(w, m, i);
	jputc(w, '"');
}

/* An error's every line, joined by newlines: "552-..." lines say as much
 * as the last. */
static void json_message(struct jout *w, const struct tc_msg *m)
{
	jputc(w, '"');
	for (size_t i = 0; i < m->nlines; i++) {
		if (i)
			jput(w, "\\n", 2);
		json_text_data_chars(w, m, i);
	}
	jputc(w, '"');
}

static void json_line_value(struct jout *w, const struct tc_msg *m, size_t i, const struct line_key *k,
			    const struct cmd_def *def)
{
	size_t len;
	const char *t = msg_text(m, i, &len);
	switch (k->kind) {
	case L_KV:
		if (m->lines[i].sep == '+' && w->spill) {
			jputc(w, '"');
			json_block_chars(w, m, i, false);
			jputc(w, '"');
		} else if (m->lines[i].sep == '+') {
			const char *d = msg_data(m, i, &len);
			json_str(w, d, len);
		} else if (reply_has(def, CMD_REPLY_KEYS)) {
			/* GETCONF quotes a value (C escapes) only when it must */
			json_unquoted(w, t + k->klen + 1, len - k->klen - 1);
		} else {
			json_str(w, t + k->klen + 1, len - k->klen - 1);
		}
		break;
	case L_RECORD:
		json_record(w, def, t, len, k->klen);
		break;
	case L_OTHER:
		json_text_data(w, m, i);
		break;
	default:
		jput(w, "null", 4);
	}
}

/* Lines as an object; a key given several times (GETCONF of a repeated
 * option, several CLIENT lines) becomes an array. */
static void json_values(struct jout *w, const struct tc_msg *m, const struct cmd_def *def)
{
	struct json_names *g = w->names;
	if (names_reserve(g, m->nlines) < 0)
		return;
	size_t n = 0;
	for (size_t i = 0; i < m->nlines; i++) {
		struct line_key k = classify(m, i, def);
		if (k.kind != L_NONE)
			g->v[n++] = (struct json_name){k.key, k.klen, i};
	}
	names_sort(g, n);
	bool first = true;
	for (size_t i = 0; i < m->nlines; i++) {
		size_t count = names_first(g, n, i);
		if (count == 0)
			continue;
		struct line_key k = classify(m, i, def);
		bool array = count > 1 || k.kind == L_OTHER ||
			     (k.kind == L_RECORD && record_always_array(def, k.key, k.klen));
		if (!first)
			jputc(w, ',');
		first = false;
		json_str(w, k.key, k.klen);
		jputc(w, ':');
		if (array)
			jputc(w, '[');
		for (size_t c = 0, p = g->pos[i]; c < count; c++) {
			size_t j = g->v[p + c].idx;
			struct line_key kj = classify(m, j, def);
			if (c)
				jputc(w, ',');
			json_line_value(w, m, j, &kj, def);
		}
		if (array)
			jputc(w, ']');
	}
}

static void render_json_reply(struct jout *w, const struct tc_msg *m, const struct cmd_def *def, const char *word)
{
	jput(w, "{\"type\":\"reply\"", 15);
	if (word && word[0]) {
		jput(w, ",\"command\":", 11);
		json_str(w, word, strlen(word));
	}
	jputs(w, ",\"code\":");
	jint(w, m->code);
	jputs(w, msg_ok(m) ? ",\"ok\":true" : ",\"ok\":false");
	const char *name = reply_error_name(m->code);
	if (name) {
		jputs(w, ",\"error\":{\"name\":\"");
		jputs(w, name);
		jputs(w, "\",\"message\":");
		json_message(w, m);
		jputc(w, '}');
	}
	jput(w, ",\"values\":{", 11);
	if (msg_ok(m))
		json_values(w, m, def);
	jput(w, "},\"lines\":[", 11);
	for (size_t i = 0; i < m->nlines; i++) {
		size_t len;
		const char *t = msg_text(m, i, &len);
		if (i)
			jputc(w, ',');
		json_str(w, t, len);
	}
	jput(w, "],\"raw\":", 8);
	json_raw(w, m);
	jput(w, "}\n", 2);
}

void render(struct renderer *r, FILE *out, const struct tc_msg *m, const struct cmd_def *def, const char *word)
{
	struct jout w = {.b = &r->line, .out = out, .names = &r->names};
	/* output that waited goes first; before anything but an event at once */
	if (r->held && !m->event)
		jflush(&w);
	if (!r->held)
		buf_reset(w.b);
	bool hold = r->hold && m->event;
	r->hold = r->held = false;
	bool piece = !m->event && (m->partial || m->resume);
	if (!m->event && m->resume == 0 && r->pieces.on)
		render_pieces_drop(r); /* one that never ended */
	if (piece)
		r->pieces.on = true;
	if (piece && r->o.fmt == FMT_JSON) {
		spill_piece(&r->pieces, m);
		if (m->partial)
			return;
		w.spill = &r->pieces;
	}
	switch (r->o.fmt) {
	case FMT_RAW:
		render_raw(&w, m, &r->o);
		break;
	case FMT_PRETTY: {
		/* pretty is for people, whatever stdout is (a file read with
		 * less -R, a tee): it always escapes; only raw into a pipe or
		 * file is byte-exact */
		struct render_opts o = r->o;
		o.safe = true;
		if (m->event)
			render_pretty_event(r, &w, m, &o);
		else if (piece)
			render_pretty_piece(&r->pieces, &w, m, &o, def);
		else
			render_pretty_reply(&w, m, &o, def);
		break;
	}
	case FMT_JSON:
		if (m->event)
			render_json_event(r, &w, m);
		else
			render_json_reply(&w, m, def, word);
		break;
	}
	if (hold && w.b->len < OUT_CHUNK)
		r->held = true;
	else
		jflush(&w);
	if (piece && !m->partial)
		render_pieces_drop(r);
}

void render_flush(struct renderer *r, FILE *out)
{
	if (r->held) {
		struct jout w = {.b = &r->line, .out = out, .names = &r->names};
		jflush(&w);
		r->held = false;
	}
}

/* What /scrollback shows when an event was too big to keep whole: the
 * text flood.c kept, escaped; for JSON an object marked partial. */
static void render_partial(struct renderer *r, FILE *out, const char *p, size_t n)
{
	if (r->o.fmt != FMT_JSON) {
		if (r->o.fmt == FMT_PRETTY || r->o.safe)
			term_safe_write(out, p, n);
		else
			fwrite(p, 1, n, out);
		fputc('\n', out);
		return;
	}
	struct jout jo = {.b = &r->line, .out = out, .names = &r->names}, *w = &jo;
	buf_reset(w->b);
	jputs(w, "{\"type\":\"event\",\"code\":");
	jint(w, atoi(p));
	jputs(w, ",\"partial\":true,\"raw\":");
	json_str(w, p, n);
	jput(w, "}\n", 2);
	jflush(w);
}

void render_kept(struct renderer *r, FILE *out, const char *p, size_t n, time_t at)
{
	render_flush(r, out);
	struct reader rd;
	struct tc_msg *m = NULL;
	reader_init(&rd, n + 1);
	if (n >= 2 && p[n - 2] == '\r' && p[n - 1] == '\n' && reader_feed(&rd, p, n) == 0 &&
	    reader_next(&rd, &m) == 1) {
		r->at = at;
		render(r, out, m, NULL, NULL);
		r->at = 0;
	} else {
		render_partial(r, out, p, n);
	}
	reader_free(&rd);
}
