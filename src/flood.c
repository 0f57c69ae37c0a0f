#include "flood.h"

#include <string.h>


#define OTHER EVENT_DEFS_MAX

static int type_slot(const struct tc_msg *m)
{
	size_t len;
	const char *t = msg_first(m, &len);
	size_t k = 0;
	while (k < len && t[k] != ' ')
		k++;
	const struct event_def *d = event_def_find(t, k);
	return d ? (int)(d - event_defs) : OTHER;
}

struct wire_keep {
	struct buf *b;
	bool over;
};

static void keep_piece(void *ud, const char *p, size_t n, bool eol)
{
	struct wire_keep *k = ud;
	if (k->over || k->b->len + n + 2 > FLOOD_ENTRY_MAX) {
		k->over = true;
		return;
	}
	buf_append(k->b, p, n, BUF_NOLIMIT);
	if (eol)
		buf_append(k->b, "\r\n", 2, BUF_NOLIMIT);
}

/* The event as tor sent it (CRLF line ends), so /scrollback can render it
 * in the mode of the moment; one too big for that, its first line and how
 * many followed (no CRLF: flood.h). */
static void keep(struct flood *f, long now_ms, const struct tc_msg *m)
{
	struct buf *b = &f->ring[f->head];
	buf_reset(b);
	struct wire_keep k = {b, false};
	msg_to_wire(m, keep_piece, &k);
	f->kept_ms[f->head] = now_ms;
	if (k.over) {
		buf_reset(b);
		size_t len;
		const char *t = msg_first(m, &len);
		buf_printf(b, BUF_NOLIMIT, "%d%c", m->code, m->nlines > 1 ? '-' : ' ');
		buf_append(b, t, len < FLOOD_LINE_MAX ? len : FLOOD_LINE_MAX, BUF_NOLIMIT);
		if (m->nlines > 1)
			buf_printf(b, BUF_NOLIMIT, " (+%zu lines)", m->nlines - 1);
	}
	f->head = (f->head + 1) % FLOOD_SCROLLBACK;
	if (f->count < FLOOD_SCROLLBACK)
		f->count++;
}

bool flood_admit(struct flood *f, long now_ms, const struct tc_msg *m)
{
	keep(f, now_ms, m);
	/* with events held, the window ends in flood_tick, which says so */
	if (now_ms - f->win_start >= 1000 && f->held_total == 0) {
		f->win_start = now_ms;
		memset(f->shown, 0, sizeof(f->shown));
	}
	int slot = type_slot(m);
	/* once a type is held back, the rest of it waits for the summary:
	 * shown events of a type stay in the order tor sent them */
	if (f->shown[slot] < FLOOD_SHOWN_PER_SECOND && f->held[slot] == 0) {
		f->shown[slot]++;
		return true;
	}
	f->held[slot]++;
	f->held_total++;
	return false;
}

/* 4211 -> "4,211" */
static void thousands(struct buf *out, unsigned long v)
{
	char d[32];
	int n = snprintf(d, sizeof(d), "%lu", v);
	for (int i = 0; i < n; i++) {
		buf_putc(out, d[i], BUF_NOLIMIT);
		if ((n - i - 1) % 3 == 0 && i < n - 1)
			buf_putc(out, ',', BUF_NOLIMIT);
	}
}

void flood_tick(struct flood *f, long now_ms, struct buf *out, long *wait_ms)
{
	*wait_ms = -1;
	if (f->held_total == 0)
		return;
	long left = f->win_start + 1000 - now_ms;
	if (left > 0) {
		*wait_ms = left;
		return;
	}
	for (int i = 0; i <= OTHER; i++) {
		if (f->held[i] == 0)
			continue;
		buf_append(out, "... ", 4, BUF_NOLIMIT);
		thousands(out, f->held[i]);
		buf_printf(out, BUF_NOLIMIT, " %s event%s in the last second (not shown; /scrollback lists them)\n",
			   i == OTHER ? "other" : event_defs[i].name, f->held[i] == 1 ? "" : "s");
		f->held[i] = 0;
	}
	f->held_total = 0;
	f->win_start = now_ms;
	memset(f->shown, 0, sizeof(f->shown));
}

void flood_scrollback(const struct flood *f, size_t n, flood_show_fn show, void *ud)
{
	if (n > f->count)
		n = f->count;
	size_t start = (f->head + FLOOD_SCROLLBACK - n) % FLOOD_SCROLLBACK;
	for (size_t i = 0; i < n; i++) {
		size_t k = (start + i) % FLOOD_SCROLLBACK;
		const struct buf *b = &f->ring[k];
		show(ud, b->p ? b->p : "", b->len, f->kept_ms[k]);
	}
}

void flood_free(struct flood *f)
{
	for (size_t i = 0; i < FLOOD_SCROLLBACK; i++)
		buf_free(&f->ring[i]);
}
