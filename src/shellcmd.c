#include "shellcmd.h"

#include <string.h>
#include <strings.h>

#include "argval.h"
#include "enums.h"
#include "event.h"
#include "escape.h"
#include "local.h"
#include "status.h"
#include "tokenize.h"

_Static_assert(EVENT_DEFS_MAX <= 64, "struct shell's uint64_t sets have a bit for every event type");

static int event_bit(const char *name, size_t n)
{
	const struct event_def *d = event_def_find(name, n);
	return d ? (int)(d - event_defs) : -1;
}

static void print_set(FILE *out, const char *what, uint64_t set)
{
	fprintf(out, "%s:", what);
	if (set == 0)
		fputs(" (none)", out);
	for (size_t i = 0; i < event_def_count; i++)
		if (set & ((uint64_t)1 << i))
			fprintf(out, " %s", event_defs[i].name);
	fputc('\n', out);
}

/* SETEVENTS with exactly the events of `set`. */
static int send_setevents(struct shell *sh, uint64_t set, struct buf *err)
{
	struct buf line = {0};
	buf_append(&line, "SETEVENTS", 9, BUF_NOLIMIT);
	for (size_t i = 0; i < event_def_count; i++)
		if (set & ((uint64_t)1 << i))
			buf_printf(&line, BUF_NOLIMIT, " %s", event_defs[i].name);
	int rc = session_submit(sh->s, line.p, line.len, NULL, 0, false, err);
	if (rc == 0) {
		sh->events_sent = set;
		sh->pending_setevents++;
	}
	buf_free(&line);
	return rc;
}

bool shell_subscribed(const struct shell *sh, const struct event_def *d)
{
	return (sh->events & ((uint64_t)1 << (d - event_defs))) != 0;
}

/* /events [list|clear|+TYPE|-TYPE|TYPE ...] */
int exec_events(struct local_ctx *ctx, const struct local_args *a)
{
	struct shell *sh = ctx->sh;
	FILE *out = ctx->out;
	struct buf *err = ctx->err;
	const char *p = a->args, *end = a->args + a->alen, *w;
	size_t n;
	uint64_t set = sh->events;
	bool any = false;
	while (tok_word(&p, end, &w, &n)) {
		any = true;
		if (n == 4 && strncasecmp(w, "list", 4) == 0) {
			print_set(out, "subscribed", sh->events);
			if (sh->muted)
				print_set(out, "muted", sh->muted);
			return 0;
		}
		if (n == 5 && strncasecmp(w, "clear", 5) == 0) {
			set = 0;
			continue;
		}
		bool del = w[0] == '-', add = w[0] == '+';
		int bit = event_bit(w + (del || add), n - (del || add));
		if (bit < 0) {
			buf_printf(err, BUF_NOLIMIT, "/events: unknown event type '%.*s' (/help SETEVENTS lists them)",
				   (int)n, w);
			return -1;
		}
		if (del)
			set &= ~((uint64_t)1 << bit);
		else
			set |= (uint64_t)1 << bit;
	}
	if (!any) {
		print_set(out, "subscribed", sh->events);
		return 0;
	}
	return send_setevents(sh, set, err);
}

static int mute_types(struct shell *sh, const struct local_args *a, bool mute, struct buf *err)
{
	const char *p = a->args, *end = a->args + a->alen, *w;
	size_t n;
	if (!tok_word(&p, end, &w, &n)) {
		buf_printf(err, BUF_NOLIMIT, "%s: missing TYPE: expected an event type such as BW", mute ? "/mute" : "/unmute");
		return -1;
	}
	do {
		int bit = event_bit(w, n);
		if (bit < 0) {
			buf_printf(err, BUF_NOLIMIT, "%s: unknown event type '%.*s'", mute ? "/mute" : "/unmute", (int)n, w);
			return -1;
		}
		if (mute)
			sh->muted |= (uint64_t)1 << bit;
		else
			sh->muted &= ~((uint64_t)1 << bit);
	} while (tok_word(&p, end, &w, &n));
	return 0;
}

/* /mute TYPE ... */
int exec_mute(struct local_ctx *ctx, const struct local_args *a)
{
	return mute_types(ctx->sh, a, true, ctx->err);
}

/* /unmute TYPE ... */
int exec_unmute(struct local_ctx *ctx, const struct local_args *a)
{
	return mute_types(ctx->sh, a, false, ctx->err);
}

/* /format [pretty | raw | json] */
int exec_format(struct local_ctx *ctx, const struct local_args *a)
{
	static const char *const names[] = {"raw", "pretty", "json"};
	struct shell *sh = ctx->sh;
	const char *p = a->args, *end = a->args + a->alen, *w;
	size_t n;
	if (!tok_word(&p, end, &w, &n)) {
		fprintf(ctx->out, "format: %s\n", names[sh->out->o.fmt]);
		return 0;
	}
	for (int i = 0; i < 3; i++) {
		if (strlen(names[i]) == n && strncasecmp(names[i], w, n) == 0) {
			sh->out->o.fmt = (enum out_format)i;
			return 0;
		}
	}
	buf_printf(ctx->err, BUF_NOLIMIT, "/format: expected pretty, raw or json, got '%.*s'", (int)n, w);
	return -1;
}

/* /explain [on | off] */
int exec_explain(struct local_ctx *ctx, const struct local_args *a)
{
	struct shell *sh = ctx->sh;
	const char *p = a->args, *end = a->args + a->alen, *w;
	size_t n;
	if (!tok_word(&p, end, &w, &n)) {
		fprintf(ctx->out, "explain: %s\n", sh->out->o.explain ? "on" : "off");
		return 0;
	}
	if (n == 2 && strncasecmp(w, "on", 2) == 0)
		sh->out->o.explain = true;
	else if (n == 3 && strncasecmp(w, "off", 3) == 0)
		sh->out->o.explain = false;
	else {
		buf_printf(ctx->err, BUF_NOLIMIT, "/explain: expected on or off, got '%.*s'", (int)n, w);
		return -1;
	}
	return 0;
}

/* /circuits and /streams: tor's status, printed when it comes
 * (shell_internal); the tag carries /circuits' filter ("show-circuits/hs"). */
static int show_status(struct local_ctx *ctx, const char *tag, bool circ)
{
	if (session_internal(ctx->sh->s, tag, circ ? "GETINFO circuit-status" : "GETINFO stream-status") < 0) {
		buf_printf(ctx->err, BUF_NOLIMIT, "%s: the connection is gone", circ ? "/circuits" : "/streams");
		return -1;
	}
	return 0;
}

/* "hs", or a value of the entry's enum (CircPurpose), in its wire spelling;
 * NULL when the word is neither. */
static const char *circ_filter_word(const struct cmd_hint *h, const char *w, size_t n)
{
	if (n == strlen(h->words) && strncasecmp(w, h->words, n) == 0)
		return h->words;
	const struct enum_value *v = enum_lookup_n(h->table, w, n);
	return v ? v->name : NULL;
}

/* /circuits [hs | PURPOSE]: the words come from the entry's hint, which
 * completion offers too. */
int exec_circuits(struct local_ctx *ctx, const struct local_args *a)
{
	const struct cmd_hint *h = &cmd_local_circuits.hints[0];
	const char *p = a->args, *end = a->args + a->alen, *w, *w2;
	size_t n, n2;
	if (!tok_word(&p, end, &w, &n))
		return show_status(ctx, "show-circuits", true);
	const char *f = circ_filter_word(h, w, n);
	if (f == NULL || tok_word(&p, end, &w2, &n2)) {
		struct buf list = {0};
		for (size_t i = 0; i < h->table->count; i++)
			if (!(h->table->values[i].flags & ENUM_GONE))
				buf_printf(&list, BUF_NOLIMIT, ", %s", h->table->values[i].name);
		char shown[80];
		val_display(f ? w2 : w, f ? n2 : n, shown, sizeof(shown));
		buf_printf(ctx->err, BUF_NOLIMIT, "/circuits: %s '%s': expected %s (circuits with an HS_STATE or an "
			   "HS_ purpose) or a purpose: %s", f ? "one filter only, got" : "unknown filter", shown, h->words,
			   list.p + 2);
		buf_free(&list);
		return -1;
	}
	char tag[33];
	snprintf(tag, sizeof(tag), "show-circuits/%s", f);
	return show_status(ctx, tag, true);
}

int exec_streams(struct local_ctx *ctx, const struct local_args *a)
{
	(void)a;
	return show_status(ctx, "show-streams", false);
}

int shell_resubscribe(struct shell *sh, struct buf *err)
{
	sh->pending_setevents = 0;
	return sh->events ? send_setevents(sh, sh->events, err) : 0;
}

bool shell_muted(struct shell *sh, const struct tc_msg *m)
{
	if (!m->event || sh->muted == 0)
		return false;
	size_t len;
	const char *t = msg_first(m, &len);
	size_t k = 0;
	while (k < len && t[k] != ' ')
		k++;
	int bit = event_bit(t, k);
	if (bit >= 0 && (sh->muted & ((uint64_t)1 << bit))) {
		sh->muted_count++;
		return true;
	}
	return false;
}

void shell_note_sent(struct shell *sh, const struct command *c)
{
	/* a /raw SETEVENTS is not parsed, and not followed */
	const struct cmd *p = &c->parsed;
	if (p->def == NULL || !(p->def->flags & CMD_SETS_EVENTS))
		return;
	uint64_t set = 0;
	for (size_t i = 0; i < p->nitems; i++) {
		int bit = event_bit(p->items[i].val, p->items[i].vlen);
		if (bit >= 0)
			set |= (uint64_t)1 << bit;
	}
	sh->events_sent = set;
	sh->pending_setevents++;
}

void shell_on_reply(struct shell *sh, const struct cmd_def *def, const struct tc_msg *m)
{
	if (def == NULL || !(def->flags & CMD_SETS_EVENTS) || sh->pending_setevents == 0)
		return;
	sh->pending_setevents--;
	if (msg_ok(m))
		sh->events = sh->events_sent;
}

/* Whether a circuit passes /circuits' filter: NULL (all), "hs" (an
 * HS_STATE or an HS_ purpose), or a purpose. */
static bool circ_wanted(const struct status_row *r, const char *filter)
{
	if (filter == NULL)
		return true;
	if (strcmp(filter, "hs") == 0)
		return r->hs_state.n > 0 || (r->purpose.n > 3 && memcmp(r->purpose.p, "HS_", 3) == 0);
	return r->purpose.n == strlen(filter) && strncasecmp(r->purpose.p, filter, r->purpose.n) == 0;
}

/* Calls fn for each row of a status value that passes the filter. */
static size_t each_row(const char *v, size_t n, bool circ, const char *filter,
		       void (*fn)(void *, const struct status_row *), void *ud)
{
	const char *p = v, *end = v + n;
	size_t rows = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		struct status_row r;
		if (status_row_parse(p, (size_t)(le - p), circ, &r) && (!circ || circ_wanted(&r, filter))) {
			rows++;
			fn(ud, &r);
		}
		p = le + 1;
	}
	return rows;
}

#define COL_MAX 60
struct circ_cols {
	int w[4];          /* widths: ID, STATUS, PURPOSE, HS_STATE */
	int rq;            /* REND_QUERY's */
	FILE *out;
	struct buf names, row;
};

static int col(size_t n, int min)
{
	int v = n > COL_MAX ? COL_MAX : (int)n;
	return v > min ? v : min;
}

static void measure(void *ud, const struct status_row *r)
{
	struct circ_cols *c = ud;
	c->w[0] = col(r->id.n, c->w[0]);
	c->w[1] = col(r->status.n, c->w[1]);
	c->w[2] = col(r->purpose.n, c->w[2]);
	c->w[3] = col(r->hs_state.n, c->w[3]);
	c->rq = col(r->rend_query.n, c->rq);
}

static const char *or_dash(struct span s, int *n)
{
	*n = s.n ? (int)s.n : 1;
	return s.n ? s.p : "-";
}

static void circ_row(void *ud, const struct status_row *r)
{
	struct circ_cols *c = ud;
	int hn, qn;
	const char *hs = or_dash(r->hs_state, &hn), *rq = or_dash(r->rend_query, &qn);
	buf_reset(&c->names);
	status_path_names(r->path, &c->names);
	buf_reset(&c->row);
	buf_printf(&c->row, BUF_NOLIMIT, "%-*.*s %-*.*s %-*.*s %-*.*s %-*.*s %s", c->w[0], (int)r->id.n, r->id.p, c->w[1],
		   (int)r->status.n, r->status.p, c->w[2], (int)r->purpose.n, r->purpose.p, c->w[3], hn, hs, c->rq, qn,
		   rq, c->names.p ? c->names.p : "");
	/* tor's text (nicknames, states) never reaches the terminal raw */
	term_safe_write(c->out, c->row.p, c->row.len);
	fputc('\n', c->out);
}

/* The circuits table: columns as wide as their widest value. */
static size_t print_circuits(FILE *out, const char *v, size_t n, const char *filter)
{
	struct circ_cols c = {.w = {6, 10, 18, 8}, .rq = 10, .out = out};
	size_t rows = each_row(v, n, true, filter, measure, &c);
	fprintf(out, "%-*s %-*s %-*s %-*s %-*s %s\n", c.w[0], "ID", c.w[1], "STATUS", c.w[2], "PURPOSE", c.w[3],
		"HS_STATE", c.rq, "REND_QUERY", "PATH");
	each_row(v, n, true, filter, circ_row, &c);
	buf_free(&c.names);
	buf_free(&c.row);
	return rows;
}

static void stream_row(void *ud, const struct status_row *r)
{
	FILE *out = ud;
	struct buf row = {0};
	buf_printf(&row, BUF_NOLIMIT, "%-6.*s %-12.*s %-6.*s %.*s", (int)r->id.n, r->id.p, (int)r->status.n,
		   r->status.p, (int)r->circ.n, r->circ.p, (int)r->target.n, r->target.p);
	term_safe_write(out, row.p, row.len);
	fputc('\n', out);
	buf_free(&row);
}

/* One row per circuit or stream from a GETINFO circuit-status/stream-status
 * value: "ID STATUS PATH PURPOSE=..." or "ID STATUS CIRC TARGET". */
static void print_table(FILE *out, bool circ, const char *filter, const char *v, size_t n)
{
	size_t rows;
	if (circ) {
		rows = print_circuits(out, v, n, filter);
	} else {
		fprintf(out, "%-6s %-12s %-6s %s\n", "ID", "STATUS", "CIRC", "TARGET");
		rows = each_row(v, n, false, NULL, stream_row, out);
	}
	if (rows == 0 && filter)
		fprintf(out, "(no %s circuits)\n", strcmp(filter, "hs") == 0 ? "onion service" : filter);
	else if (rows == 0)
		fprintf(out, "(no %s)\n", circ ? "circuits" : "streams");
}

bool shell_internal(struct shell *sh, const char *tag, const struct tc_msg *m, FILE *out)
{
	(void)sh;
	bool circ = strncmp(tag, "show-circuits", 13) == 0 && (tag[13] == '\0' || tag[13] == '/');
	if (!circ && strcmp(tag, "show-streams") != 0)
		return false;
	const char *filter = circ && tag[13] == '/' ? tag + 14 : NULL;
	const char *key = circ ? "circuit-status" : "stream-status";
	size_t kl = strlen(key);
	for (size_t i = 0; i < m->nlines; i++) {
		size_t tl;
		const char *t = msg_text(m, i, &tl);
		if (tl < kl + 1 || memcmp(t, key, kl) != 0 || t[kl] != '=')
			continue;
		size_t dl;
		const char *d = m->lines[i].sep == '+' ? msg_data(m, i, &dl) : (dl = tl - kl - 1, t + kl + 1);
		print_table(out, circ, filter, d, dl);
		return true;
	}
	fprintf(out, "%s: tor did not answer (%d)\n", circ ? "/circuits" : "/streams", m->code);
	return true;
}
