/* /wait EVENT [FIELD=VALUE ...] [--timeout S]: hold the next command until
 * an event of that type with those fields arrives, or say it did not in
 * time. Shared by the script runner and the REPL; pure matching. */
#ifndef TORSH_WAITER_H
#define TORSH_WAITER_H
#include <stdbool.h>

#include "buf.h"
#include "event.h"
#include "reply.h"

#define WAIT_DEFAULT_S 30
#define WAIT_MAX_CONDS 8
/* Events kept for a /wait typed after them: the last few of each type, so
 * a flood of one type cannot push out a rare one; bounded in bytes too. */
#define WAIT_RECENT_PER_TYPE 8
#define WAIT_RECENT_SLOTS ((EVENT_DEFS_MAX + 1) * WAIT_RECENT_PER_TYPE)
#define WAIT_RECENT_MSG_MAX 65536
#define WAIT_RECENT_BYTES ((size_t)4 << 20)

struct wait_cond {
	char key[64];
	char val[256];
};

/* An event kept: `msg`, a copy it owns; `ev`, once parsed, points into
 * it. Parsed only when a /wait looks: a flood of events nobody waits for
 * costs a copy each, not a parse. */
/* Only the message: a /wait parses the few of its type when it starts (a
 * parsed event per slot made the waiter 1.5 MB, zeroed and freed by
 * every run of torsh, a third of a one-shot's time). */
struct wait_seen {
	bool live;                   /* holds an event not yet matched by a /wait */
	unsigned long seq;           /* arrival order */
	struct tc_msg msg;
};

struct waiter {
	bool active;
	const struct event_def *def;
	struct wait_cond cond[WAIT_MAX_CONDS];
	size_t ncond;
	double timeout_s;
	long deadline_ms;
	struct event ev;                 /* scratch for parsing */
	/* events since the last command was sent and not yet matched by a
	 * /wait: the one awaited may come before its command's reply, or
	 * before the person types /wait. A ring of WAIT_RECENT_PER_TYPE per
	 * event_defs[] index (the last: types torsh does not know). */
	struct wait_seen recent[WAIT_RECENT_SLOTS];
	unsigned char next[EVENT_DEFS_MAX + 1];
	unsigned long seq;
	size_t recent_bytes;
};

/* Parse the /wait line and arm the waiter. -1 with err for a usage error. */
int waiter_start(struct waiter *w, const char *line, size_t len, long now_ms, struct buf *err);
/* Whether this event is the one awaited (disarms the waiter when it is;
 * the event, if remembered, is then used up). */
bool waiter_match(struct waiter *w, const struct tc_msg *m);
/* Remember an event that arrived; forget them all when a command is sent. */
void waiter_remember(struct waiter *w, const struct tc_msg *m);
void waiter_forget(struct waiter *w);
/* After waiter_start: whether a remembered event already matches (the
 * oldest that does is used up: a second /wait needs another event). */
bool waiter_match_recent(struct waiter *w);
/* Past its timeout: disarms the waiter, says so in msg ("/wait: no SIGNAL
 * event within 5 s") and returns true. */
bool waiter_expired(struct waiter *w, long now_ms, char *msg, size_t cap);
void waiter_free(struct waiter *w);
#endif
