#include "waiter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tokenize.h"

int waiter_start(struct waiter *w, const char *line, size_t len, long now_ms, struct buf *err)
{
	const char *p = line, *end = line + len, *word;
	size_t n;
	w->active = false;
	w->ncond = 0;
	w->timeout_s = WAIT_DEFAULT_S;
	tok_word(&p, end, &word, &n); /* "/wait" */
	if (!tok_word(&p, end, &word, &n)) {
		buf_printf(err, BUF_NOLIMIT, "/wait: missing EVENT: expected an event type such as CIRC");
		return -1;
	}
	w->def = event_def_find(word, n);
	if (w->def == NULL) {
		buf_printf(err, BUF_NOLIMIT, "/wait: EVENT: unknown event type '%.*s'", (int)n, word);
		return -1;
	}
	while (tok_word(&p, end, &word, &n)) {
		if (n == 9 && strncmp(word, "--timeout", 9) == 0) {
			char num[32];
			char *e;
			if (!tok_word(&p, end, &word, &n) || n >= sizeof(num)) {
				buf_printf(err, BUF_NOLIMIT, "/wait: --timeout: expected seconds");
				return -1;
			}
			memcpy(num, word, n);
			num[n] = '\0';
			w->timeout_s = strtod(num, &e);
			if (*e || w->timeout_s <= 0 || w->timeout_s > 86400) {
				buf_printf(err, BUF_NOLIMIT, "/wait: --timeout: expected seconds (0-86400], got '%s'", num);
				return -1;
			}
			continue;
		}
		const char *eq = memchr(word, '=', n);
		if (eq == NULL || eq == word || w->ncond == WAIT_MAX_CONDS ||
		    (size_t)(eq - word) >= sizeof(w->cond[0].key) || n - (size_t)(eq - word) - 1 >= sizeof(w->cond[0].val)) {
			buf_printf(err, BUF_NOLIMIT, "/wait: expected FIELD=VALUE (at most %d), got '%.*s'", WAIT_MAX_CONDS,
				   (int)n, word);
			return -1;
		}
		struct wait_cond *c = &w->cond[w->ncond++];
		snprintf(c->key, sizeof(c->key), "%.*s", (int)(eq - word), word);
		snprintf(c->val, sizeof(c->val), "%.*s", (int)(n - (size_t)(eq - word) - 1), eq + 1);
	}
	w->deadline_ms = now_ms + (long)(w->timeout_s * 1000);
	w->active = true;
	return 0;
}

/* Field names and enum values match case-insensitively; other values exactly. */
static bool cond_holds(const struct event *ev, const struct wait_cond *c)
{
	for (size_t i = 0; i < ev->nfields; i++) {
		const struct ev_field *f = &ev->fields[i];
		if (f->name_len != strlen(c->key) || strncasecmp(f->name, c->key, f->name_len) != 0)
			continue;
		size_t vl = strlen(c->val);
		if (f->val_len != vl)
			continue;
		if (f->type == FT_ENUM ? strncasecmp(f->val, c->val, vl) == 0 : memcmp(f->val, c->val, vl) == 0)
			return true;
	}
	return false;
}

/* Whether a parsed event is the one awaited. */
static bool matches(const struct waiter *w, const struct event *ev)
{
	if (ev->def != w->def)
		return false;
	for (size_t i = 0; i < w->ncond; i++)
		if (!cond_holds(ev, &w->cond[i]))
			return false;
	return true;
}

/* A slot no longer counts; a big copy is freed, so that what the slots
 * keep allocated stays small however large the events were. */
#define WAIT_SLOT_KEEP 4096
static void drop(struct waiter *w, struct wait_seen *s)
{
	if (s->live)
		w->recent_bytes -= s->msg.bytes.len;
	s->live = false;
	if (s->msg.bytes.cap > WAIT_SLOT_KEEP)
		msg_free(&s->msg);
}

static int type_slot(const struct event_def *d)
{
	return d ? (int)(d - event_defs) : EVENT_DEFS_MAX;
}

/* The remembered copy of m, if it is the latest of its type: a live
 * event is remembered before it is matched. */
static struct wait_seen *remembered(struct waiter *w, const struct tc_msg *m, const struct event_def *d)
{
	int t = type_slot(d);
	unsigned last = (w->next[t] + WAIT_RECENT_PER_TYPE - 1) % WAIT_RECENT_PER_TYPE;
	struct wait_seen *s = &w->recent[t * WAIT_RECENT_PER_TYPE + last];
	if (!s->live || s->msg.bytes.len != m->bytes.len || memcmp(s->msg.bytes.p, m->bytes.p, m->bytes.len) != 0)
		return NULL;
	return s;
}

bool waiter_match(struct waiter *w, const struct tc_msg *m)
{
	if (!w->active || !m->event || event_parse(m, &w->ev) < 0 || !matches(w, &w->ev))
		return false;
	w->active = false;
	struct wait_seen *s = remembered(w, m, w->ev.def);
	if (s)
		drop(w, s);
	return true;
}

void waiter_remember(struct waiter *w, const struct tc_msg *m)
{
	if (!m->event || m->bytes.len > WAIT_RECENT_MSG_MAX)
		return;
	size_t len;
	const char *t = msg_first(m, &len);
	size_t k = 0;
	while (k < len && t[k] != ' ')
		k++;
	int ty = type_slot(event_def_find(t, k));
	struct wait_seen *s = &w->recent[ty * WAIT_RECENT_PER_TYPE + w->next[ty]];
	drop(w, s);
	if (w->recent_bytes + m->bytes.len > WAIT_RECENT_BYTES)
		return;
	w->next[ty] = (unsigned char)((w->next[ty] + 1) % WAIT_RECENT_PER_TYPE);
	if (msg_copy(&s->msg, m) == 0) {
		s->live = true;
		s->seq = ++w->seq;
		w->recent_bytes += s->msg.bytes.len;
	}
}

void waiter_forget(struct waiter *w)
{
	for (size_t i = 0; i < WAIT_RECENT_SLOTS; i++)
		drop(w, &w->recent[i]);
}

/* A kept event, parsed now into the scratch event; one that does not
 * parse no longer counts. */
static bool seen_parsed(struct waiter *w, struct wait_seen *s)
{
	if (event_parse(&s->msg, &w->ev) < 0) {
		drop(w, s);
		return false;
	}
	return true;
}

bool waiter_match_recent(struct waiter *w)
{
	if (!w->active)
		return false;
	struct wait_seen *best = NULL;
	int t = type_slot(w->def);
	for (size_t i = 0; i < WAIT_RECENT_PER_TYPE; i++) {
		struct wait_seen *s = &w->recent[(size_t)t * WAIT_RECENT_PER_TYPE + i];
		if (s->live && (best == NULL || s->seq < best->seq) && seen_parsed(w, s) && matches(w, &w->ev))
			best = s;
	}
	if (best == NULL)
		return false;
	drop(w, best);
	w->active = false;
	return true;
}

bool waiter_expired(struct waiter *w, long now_ms, char *msg, size_t cap)
{
	if (!w->active || now_ms < w->deadline_ms)
		return false;
	w->active = false;
	snprintf(msg, cap, "/wait: no %s event %swithin %g s", w->def->name, w->ncond ? "with those fields " : "",
		 w->timeout_s);
	return true;
}

void waiter_free(struct waiter *w)
{
	event_free(&w->ev);
	for (size_t i = 0; i < WAIT_RECENT_SLOTS; i++)
		msg_free(&w->recent[i].msg);
}
