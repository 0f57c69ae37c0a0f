#include "shellcmd.h"

#include <string.h>
#include <strings.h>

#include "event.h"
#include "escape.h"
#include "status.h"

_Static_assert(EVENT_DEFS_MAX <= 64, "struct shell's uint64_t sets have a bit for every event type");

static int event_bit(const char *name, size_t n)
{
	const struct event_def *d = event_def_find(name, n);
	return d ? (int)(d - event_defs) : -1;
}

/* Words after the command word, one at a time. */
static bool next_word(const char **p, const char *end, const char **w, size_t *n)
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

/* /events [list|clear|+TYPE|-TYPE|TYPE ...] */
static enum shell_result cmd_events(struct shell *sh, const char *p, const char *end, FILE *out, struct buf *err)
{
	const char *w;
	size_t n;
	uint64_t set = sh->events;
	bool any = false;
	while (next_word(&p, end, &w, &n)) {
		any = true;
		if (n == 4 && strncasecmp(w, "list", 4) == 0) {
			print_set(out, "subscribed", sh->events);
			if (sh->muted)
				print_set(out, "muted", sh->muted);
			return SHELL_DONE;
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
			return SHELL_ERROR;
		}
		if (del)
			set &= ~((uint64_t)1 << bit);
		else
			set |= (uint64_t)1 << bit;
	}
	if (!any) {
		print_set(out, "subscribed", sh->events);
		return SHELL_DONE;
	}
	return send_setevents(sh, set, err) == 0 ? SHELL_DONE : SHELL_ERROR;
}

static enum shell_result cmd_mute(struct shell *sh, const char *p, const char *end, bool mute, struct buf *err)
{
	const char *w;
	size_t n;
	if (!next_word(&p, end, &w, &n)) {
		buf_printf(err, BUF_NOLIMIT, "%s: missing TYPE: expected an event type such as BW", mute ? "/mute" : "/unmute");
		return SHELL_ERROR;
	}
	do {
		int bit = event_bit(w, n);
		if (bit < 0) {
			buf_printf(err, BUF_NOLIMIT, "%s: unknown event type '%.*s'", mute ? "/mute" : "/unmute", (int)n, w);
			return SHELL_ERROR;
		}
		if (mute)
			sh->muted |= (uint64_t)1 << bit;
		else
			sh->muted &= ~((uint64_t)1 << bit);
	} while (next_word(&p, end, &w, &n));
	return SHELL_DONE;
}

static enum shell_result cmd_format(struct shell *sh, const char *p, const char *end, FILE *out, struct buf *err)
{
	static const char *const names[] = {"raw", "pretty", "json"};
	const char *w;
	size_t n;
	if (!next_word(&p, end, &w, &n)) {
		fprintf(out, "format: %s\n", names[sh->out->o.fmt]);
		return SHELL_DONE;
	}
	for (int i = 0; i < 3; i++) {
		if (strlen(names[i]) == n && strncasecmp(names[i], w, n) == 0) {
			sh->out->o.fmt = (enum out_format)i;
			return SHELL_DONE;
		}
	}
	buf_printf(err, BUF_NOLIMIT, "/format: expected pretty, raw or json, got '%.*s'", (int)n, w);
	return SHELL_ERROR;
}

static enum shell_result cmd_explain(struct shell *sh, const char *p, const char *end, FILE *out, struct buf *err)
{
	const char *w;
	size_t n;
	if (!next_word(&p, end, &w, &n)) {
		fprintf(out, "explain: %s\n", sh->out->o.explain ? "on" : "off");
		return SHELL_DONE;
	}
	if (n == 2 && strncasecmp(w, "on", 2) == 0)
		sh->out->o.explain = true;
	else if (n == 3 && strncasecmp(w, "off", 3) == 0)
		sh->out->o.explain = false;
	else {
		buf_printf(err, BUF_NOLIMIT, "/explain: expected on or off, got '%.*s'", (int)n, w);
		return SHELL_ERROR;
	}
	return SHELL_DONE;
}

enum shell_result shell_run(struct shell *sh, enum local_cmd which, const char *args, size_t alen, FILE *out,
			    struct buf *err)
{
	const char *p = args, *end = args + alen;
	switch (which) {
	case LC_EVENTS:
		return cmd_events(sh, p, end, out, err);
	case LC_MUTE:
	case LC_UNMUTE:
		return cmd_mute(sh, p, end, which == LC_MUTE, err);
	case LC_FORMAT:
		return cmd_format(sh, p, end, out, err);
	case LC_EXPLAIN:
		return cmd_explain(sh, p, end, out, err);
	case LC_CIRCUITS:
	case LC_STREAMS: {
		bool circ = which == LC_CIRCUITS;
		if (session_internal(sh->s, circ ? "show-circuits" : "show-streams",
				     circ ? "GETINFO circuit-status" : "GETINFO stream-status") < 0) {
			buf_printf(err, BUF_NOLIMIT, "%s: the connection is gone", circ ? "/circuits" : "/streams");
			return SHELL_ERROR;
		}
		return SHELL_DONE;
	}
	default:
		return SHELL_NOT_MINE;
	}
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

void shell_note_submit(struct shell *sh, const char *line, size_t len)
{
	const char *p = line, *end = line + len, *w;
	size_t n;
	if (!next_word(&p, end, &w, &n) || n != 9 || strncasecmp(w, "SETEVENTS", 9) != 0)
		return;
	uint64_t set = 0;
	while (next_word(&p, end, &w, &n)) {
		int bit = event_bit(w, n);
		if (bit >= 0)
			set |= (uint64_t)1 << bit;
	}
	sh->events_sent = set;
	sh->pending_setevents++;
}

void shell_on_reply(struct shell *sh, const char *reply_to, const struct tc_msg *m)
{
	if (strcmp(reply_to, "SETEVENTS") != 0 || sh->pending_setevents == 0)
		return;
	sh->pending_setevents--;
	if (msg_ok(m))
		sh->events = sh->events_sent;
}

/* One row per circuit or stream from a GETINFO circuit-status/stream-status
 * value: "ID STATUS PATH PURPOSE=..." or "ID STATUS CIRC TARGET". */
static void print_table(FILE *out, bool circ, const char *v, size_t n)
{
	if (circ)
		fprintf(out, "%-6s %-10s %-18s %s\n", "ID", "STATUS", "PURPOSE", "PATH");
	else
		fprintf(out, "%-6s %-12s %-6s %s\n", "ID", "STATUS", "CIRC", "TARGET");
	const char *p = v, *end = v + n;
	size_t rows = 0;
	struct buf names = {0}, row = {0};
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		struct status_row r;
		if (status_row_parse(p, (size_t)(le - p), circ, &r)) {
			rows++;
			buf_reset(&row);
			if (circ) {
				buf_reset(&names);
				status_path_names(r.path, &names);
				buf_printf(&row, BUF_NOLIMIT, "%-6.*s %-10.*s %-18.*s %s", (int)r.id.n, r.id.p, (int)r.status.n,
					   r.status.p, (int)r.purpose.n, r.purpose.p, names.p ? names.p : "");
			} else {
				buf_printf(&row, BUF_NOLIMIT, "%-6.*s %-12.*s %-6.*s %.*s", (int)r.id.n, r.id.p, (int)r.status.n,
					   r.status.p, (int)r.circ.n, r.circ.p, (int)r.target.n, r.target.p);
			}
			/* tor's text (nicknames, targets) never reaches the terminal raw */
			term_safe_write(out, row.p, row.len);
			fputc('\n', out);
		}
		p = le + 1;
	}
	buf_free(&names);
	buf_free(&row);
	if (rows == 0)
		fprintf(out, "(no %s)\n", circ ? "circuits" : "streams");
}

bool shell_internal(struct shell *sh, const char *tag, const struct tc_msg *m, FILE *out)
{
	(void)sh;
	bool circ = strcmp(tag, "show-circuits") == 0;
	if (!circ && strcmp(tag, "show-streams") != 0)
		return false;
	const char *key = circ ? "circuit-status" : "stream-status";
	size_t kl = strlen(key);
	for (size_t i = 0; i < m->nlines; i++) {
		size_t tl;
		const char *t = msg_text(m, i, &tl);
		if (tl < kl + 1 || memcmp(t, key, kl) != 0 || t[kl] != '=')
			continue;
		size_t dl;
		const char *d = m->lines[i].sep == '+' ? msg_data(m, i, &dl) : (dl = tl - kl - 1, t + kl + 1);
		print_table(out, circ, d, dl);
		return true;
	}
	fprintf(out, "%s: tor did not answer (%d)\n", circ ? "/circuits" : "/streams", m->code);
	return true;
}
