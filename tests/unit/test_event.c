/* The event parser and the pretty and JSON renderers against the corpus in
 * tests/corpus/events.txt (format described at its top), plus the schema's
 * own consistency. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "event.h"
#include "render.h"
#include "reply.h"
#include "summary.h"
#include "tap.h"

#define CORPUS "tests/corpus/events.txt"
#define EVENT_DEFS_COVER 64

struct kase {
	unsigned long line;    /* of its first '>' */
	struct buf wire, pretty, explain, json, checks;
	bool has_explain;      /* an X line: the --explain rendering is checked */
};

/* Which event types (by event_defs[] index) the corpus covers, pretty and
 * with --explain. */
struct coverage {
	bool pretty[EVENT_DEFS_COVER], explain[EVENT_DEFS_COVER];
};

static void kase_reset(struct kase *k)
{
	buf_reset(&k->wire);
	buf_reset(&k->pretty);
	buf_reset(&k->explain);
	k->has_explain = false;
	buf_reset(&k->json);
	buf_reset(&k->checks);
	k->line = 0;
}

/* Frame the case's wire bytes into one message. */
static int frame(struct reader *r, const struct kase *k, struct tc_msg **m)
{
	reader_init(r, 1 << 20);
	if (reader_feed(r, k->wire.p, k->wire.len) < 0)
		return -1;
	return reader_next(r, m) == 1 ? 0 : -1;
}

static char *render_opts_string(const struct tc_msg *m, const struct render_opts *o)
{
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);
	struct renderer rd;
	renderer_init(&rd, o);
	render(&rd, f, m, NULL, NULL);
	renderer_free(&rd);
	fclose(f);
	return p;
}

static char *render_to_string(const struct tc_msg *m, enum out_format fmt)
{
	struct render_opts o = {.fmt = fmt};
	return render_opts_string(m, &o);
}

/* "HH:MM:SS " starts every pretty event line. */
static const char *strip_time(const char *s)
{
	bool ts = strlen(s) > 9 && s[2] == ':' && s[5] == ':' && s[8] == ' ';
	return ts ? s + 9 : s;
}

/* The "fields" object of a JSON line: from "fields": to its matching brace
 * (strings are skipped so braces inside values do not count). */
static char *json_fields(const char *j)
{
	const char *p = strstr(j, "\"fields\":");
	if (p == NULL)
		return strdup("(no fields)");
	p += 9;
	int depth = 0;
	bool str = false;
	const char *q = p;
	for (; *q; q++) {
		if (str) {
			if (*q == '\\' && q[1])
				q++;
			else if (*q == '"')
				str = false;
		} else if (*q == '"') {
			str = true;
		} else if (*q == '{') {
			depth++;
		} else if (*q == '}' && --depth == 0) {
			break;
		}
	}
	return strndup(p, (size_t)(q - p + (*q ? 1 : 0)));
}

static void check_fields(const struct kase *k, const struct event *ev)
{
	const char *p = k->checks.p, *end = p + k->checks.len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)(nl - p);
		char kind = p[0];
		char spec[512];
		snprintf(spec, sizeof(spec), "%.*s", (int)(n - 2), p + 2);
		p = nl + 1;
		char *eq = strchr(spec, '=');
		size_t sl = strlen(spec);
		bool absent = spec[sl - 1] == '!', unknown = spec[sl - 1] == '?';
		if (absent || unknown)
			spec[sl - 1] = '\0';
		else if (eq)
			*eq = '\0';
		const struct ev_field *f = event_get(ev, spec);
		if (absent) {
			CHECK(f == NULL, "line %lu: field %s absent", k->line, spec);
		} else if (kind == 'F') {
			bool ok = f && eq && f->val_len == strlen(eq + 1) && memcmp(f->val, eq + 1, f->val_len) == 0;
			CHECK(ok, "line %lu: %s is '%s'", k->line, spec, eq ? eq + 1 : "");
			if (!ok && f)
				printf("#   got: '%.*s'\n", (int)f->val_len, f->val);
		} else if (unknown) {
			CHECK(f && f->type == FT_ENUM && f->table && f->ev == NULL && f->val_len > 0,
			      "line %lu: %s is an enum value no table knows, kept", k->line, spec);
		} else {
			CHECK(f && f->ev && eq && strcmp(f->ev->name, eq + 1) == 0 && f->ev->desc,
			      "line %lu: %s is %s of %s, with a description", k->line, spec, eq ? eq + 1 : "?",
			      f && f->table ? f->table->name : "(no table)");
		}
	}
}

static void run_case(const struct kase *k, struct event *ev, struct coverage *cov)
{
	struct reader r;
	struct tc_msg *m = NULL;
	if (frame(&r, k, &m) < 0) {
		CHECK(0, "line %lu: frames as one message: %s", k->line, r.err);
		reader_free(&r);
		return;
	}
	CHECK(event_parse(m, ev) == 0, "line %lu: %.*s parses", k->line, (int)(ev->type_len), ev->type);
	check_fields(k, ev);

	char *pretty = render_to_string(m, FMT_PRETTY);
	CHECK_STR(strip_time(pretty), k->pretty.p, "line %lu: pretty", k->line);
	free(pretty);
	size_t d = ev->def ? (size_t)(ev->def - event_defs) : EVENT_DEFS_COVER;
	if (d < EVENT_DEFS_COVER)
		cov->pretty[d] = true;
	if (k->has_explain) {
		struct render_opts o = {.fmt = FMT_PRETTY, .explain = true};
		char *ex = render_opts_string(m, &o);
		CHECK_STR(strip_time(ex), k->explain.p, "line %lu: pretty with --explain", k->line);
		free(ex);
		if (d < EVENT_DEFS_COVER)
			cov->explain[d] = true;
	}

	char *json = render_to_string(m, FMT_JSON);
	char *fields = json_fields(json);
	CHECK_STR(fields, k->json.p, "line %lu: JSON fields", k->line);
	free(fields);
	free(json);

	char *raw = render_to_string(m, FMT_RAW);
	struct buf want = {0};
	for (size_t i = 0; i < k->wire.len; i++)
		if (k->wire.p[i] != '\r')
			buf_putc(&want, k->wire.p[i], BUF_NOLIMIT);
	CHECK_STR(raw, want.p, "line %lu: raw is the wire text minus CR", k->line);
	buf_free(&want);
	free(raw);
	reader_free(&r);
}

static size_t run_corpus(struct coverage *cov)
{
	FILE *f = fopen(CORPUS, "r");
	CHECK(f != NULL, "open %s", CORPUS);
	if (!f)
		return 0;
	struct kase k = {0};
	struct event ev = {0};
	char *line = NULL;
	size_t cap = 0, ncases = 0;
	unsigned long lineno = 0;
	ssize_t n;
	for (;;) {
		n = getline(&line, &cap, f);
		lineno++;
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (n <= 0) {
			if (k.wire.len > 0) {
				run_case(&k, &ev, cov);
				ncases++;
			}
			kase_reset(&k);
			if (n < 0)
				break;
			continue;
		}
		if (line[0] == '#')
			continue;
		const char *v = n >= 2 ? line + 2 : "";
		size_t vl = n >= 2 ? (size_t)n - 2 : 0;
		switch (line[0]) {
		case '>':
			if (k.line == 0)
				k.line = lineno;
			buf_append(&k.wire, v, vl, BUF_NOLIMIT);
			buf_append(&k.wire, "\r\n", 2, BUF_NOLIMIT);
			break;
		case '=':
			buf_append(&k.pretty, v, vl, BUF_NOLIMIT);
			buf_putc(&k.pretty, '\n', BUF_NOLIMIT);
			break;
		case 'X':
			buf_append(&k.explain, v, vl, BUF_NOLIMIT);
			buf_putc(&k.explain, '\n', BUF_NOLIMIT);
			k.has_explain = true;
			break;
		case 'J':
			buf_append(&k.json, v, vl, BUF_NOLIMIT);
			break;
		case 'F':
		case 'E':
			buf_append(&k.checks, line, (size_t)n, BUF_NOLIMIT);
			buf_putc(&k.checks, '\n', BUF_NOLIMIT);
			break;
		default:
			CHECK(0, "%s:%lu: unknown line kind '%c'", CORPUS, lineno, line[0]);
		}
	}
	free(line);
	event_free(&ev);
	buf_free(&k.wire);
	buf_free(&k.pretty);
	buf_free(&k.explain);
	buf_free(&k.json);
	buf_free(&k.checks);
	fclose(f);
	return ncases;
}

/* Every schema is complete and found by its own name, and every enum field
 * points at the right kind of table. That tor's events/names has no type
 * without a schema is render.bats' business: it sends all of them from a
 * real tor through SETEVENTS, whose parser knows the schema's names only. */
static void check_schema(void)
{
	CHECK(event_def_count == 31, "31 event types, as tor 0.4.9.11 lists (schema has %zu)", event_def_count);
	for (size_t i = 0; i < event_def_count; i++) {
		const struct event_def *d = &event_defs[i];
		CHECK(event_def_find(d->name, strlen(d->name)) == d && d->summary && d->since && d->cls,
		      "%s has a schema with summary, version, class", d->name);
	}
	CHECK(event_def_find("circ", 4) == event_def_find("CIRC", 4), "event names are case-insensitive");
	const char *tables[ET_COUNT] = {
		[ET_RUNLEVEL] = "Runlevel", [ET_SIGNAL] = "Signal", [ET_CIRC_STATUS] = "CircStatus",
		[ET_CIRC_PURPOSE] = "CircPurpose", [ET_HS_DESC_ACTION] = "HSDescAction", [ET_HS_AUTH] = "HSAuth",
		[ET_STREAM_CLOSURE_REASON] = "StreamClosureReason", [ET_OR_CLOSURE_REASON] = "ORClosureReason",
	};
	for (int i = 0; i < ET_COUNT; i++)
		if (tables[i])
			CHECK(strcmp(ENUM_TABLE(i)->name, tables[i]) == 0, "enum id %d is %s", i, tables[i]);
	CHECK((size_t)ET_COUNT == enum_table_count, "enum ids cover the %zu tables", enum_table_count);
}

/* Not an event, or an empty one: refused, not crashed. */
static void check_refusals(void)
{
	struct tc_msg m = {0};
	struct event ev = {0};
	CHECK(event_parse(&m, &ev) < 0, "a message with no lines is not an event");
	m.event = false;
	CHECK(event_parse(&m, &ev) < 0, "a reply is not an event");
	event_free(&ev);
}

/* Whether an event type has a field whose values --explain describes. */
static bool has_enum_field(const struct event_def *d)
{
	for (size_t i = 0; i < d->npos; i++)
		if (d->pos[i].type == FT_ENUM || d->pos[i].type == FT_ENUM_LIST)
			return true;
	for (size_t i = 0; i < d->nkw; i++)
		if (d->kw[i].type == FT_ENUM || d->kw[i].type == FT_ENUM_LIST)
			return true;
	return false;
}

/* Every event type renders to an expected pretty line in the corpus, and
 * with --explain too when it has enum values; summary.c has a summary for
 * each, in event_defs[] order. */
static void check_coverage(const struct coverage *cov)
{
	CHECK(event_def_count <= EVENT_DEFS_COVER, "coverage table holds the %zu types", event_def_count);
	for (size_t i = 0; i < event_def_count && i < EVENT_DEFS_COVER; i++) {
		const struct event_def *d = &event_defs[i];
		CHECK(cov->pretty[i], "corpus: %s has a pretty case", d->name);
		if (has_enum_field(d))
			CHECK(cov->explain[i], "corpus: %s (enum fields) has an --explain case", d->name);
	}
	CHECK(summary_table_ok(), "summary.c has one summary per event type, in event_defs[] order");
}

/* A log event with colour on: DEBUG and INFO dim, NOTICE plain, WARN
 * yellow, ERR red; the type and the message alike. */
static void check_log_colours(void)
{
	static const struct {
		const char *type, *want;
	} cases[] = {
		{"DEBUG", "\033[2mDEBUG\033[0m \033[2mconn_read_callback(): x\033[0m\n"},
		{"INFO", "\033[2mINFO\033[0m \033[2mconn_read_callback(): x\033[0m\n"},
		{"NOTICE", "NOTICE conn_read_callback(): x\n"},
		{"WARN", "\033[33mWARN\033[0m \033[33mconn_read_callback(): x\033[0m\n"},
		{"ERR", "\033[31mERR\033[0m \033[31mconn_read_callback(): x\033[0m\n"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char wire[128];
		snprintf(wire, sizeof(wire), "650 %s conn_read_callback(): x\r\n", cases[i].type);
		struct reader r;
		struct tc_msg *m = NULL;
		reader_init(&r, 1 << 20);
		if (reader_feed(&r, wire, strlen(wire)) < 0 || reader_next(&r, &m) != 1) {
			CHECK(0, "%s frames", cases[i].type);
			reader_free(&r);
			continue;
		}
		struct render_opts o = {.fmt = FMT_PRETTY, .color = true, .safe = true};
		char *got = render_opts_string(m, &o);
		/* after the dim "HH:MM:SS " */
		const char *ts = "\033[2m00:00:00 \033[0m";
		bool stamp = strlen(got) > strlen(ts) && strncmp(got, ts, 4) == 0 && got[6] == ':' && got[12] == ' ' &&
			     strncmp(got + 13, ts + 13, 4) == 0;
		CHECK(stamp, "%s: a dim timestamp first", cases[i].type);
		CHECK_STR(stamp ? got + strlen(ts) : got, cases[i].want, "%s in its severity's colour", cases[i].type);
		free(got);
		reader_free(&r);
	}
}

int main(void)
{
	struct coverage cov = {0};
	size_t n = run_corpus(&cov);
	CHECK(n >= 60, "corpus has %zu cases", n);
	check_coverage(&cov);
	check_log_colours();
	check_schema();
	check_refusals();
	return tap_done();
}
