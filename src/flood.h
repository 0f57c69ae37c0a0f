/* Keeping a person's screen readable under an event flood: past a number of
 * events of one type per second the rest of that type are held back and
 * summarised ("... 4,211 BW events in the last second"), and every event is
 * kept in a bounded scrollback. The budget is per type, so a BW or CIRC
 * flood never hides a rare HS_DESC or a WARN. Memory stays flat whatever
 * tor sends (fixed tables indexed like event_defs[]). Pure: no I/O but
 * formatting into buffers and FILEs the caller gives. */
#ifndef TORSH_FLOOD_H
#define TORSH_FLOOD_H
#include <stdbool.h>
#include <stdio.h>

#include "buf.h"
#include "event.h"
#include "reply.h"

#define FLOOD_SHOWN_PER_SECOND 50
#define FLOOD_SCROLLBACK 1000
#define FLOOD_LINE_MAX 1024
#define FLOOD_ENTRY_MAX 4096 /* an event kept whole for /scrollback */

struct flood {
	long win_start;                  /* ms; the current one-second window */
	/* per event_defs[] index; the last slot: types torsh does not know */
	unsigned shown[EVENT_DEFS_MAX + 1];     /* shown in the window */
	unsigned long held[EVENT_DEFS_MAX + 1]; /* held back in it */
	unsigned long held_total;
	struct buf ring[FLOOD_SCROLLBACK];
	long kept_ms[FLOOD_SCROLLBACK];  /* when each came, on the clock of flood_admit */
	size_t head, count;
};

/* Whether to show this event now: up to FLOOD_SHOWN_PER_SECOND of its
 * type per window; when not, it is counted. Every event goes to the
 * scrollback either way. */
bool flood_admit(struct flood *f, long now_ms, const struct tc_msg *m);
/* When the window is over and events were held: the summary lines into
 * `out` (appended) and a fresh window. The ms until the window ends is
 * written to *wait_ms (-1: nothing held, no need to wake up). */
void flood_tick(struct flood *f, long now_ms, struct buf *out, long *wait_ms);
/* The last n events, oldest first, each handed to `show` with when it
 * came: as tor sent it (CRLF line ends) when it fit in FLOOD_ENTRY_MAX
 * bytes; else its code, first line (cut at FLOOD_LINE_MAX) and
 * " (+N lines)", no CRLF. Nothing escaped: the caller renders. */
typedef void (*flood_show_fn)(void *ud, const char *p, size_t n, long at_ms);
void flood_scrollback(const struct flood *f, size_t n, flood_show_fn show, void *ud);
void flood_free(struct flood *f);
#endif
