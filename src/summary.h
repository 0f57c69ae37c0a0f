/* The one-line human form of an event for pretty mode: per event type, the
 * fields that say what happened make a short sentence (`STREAM 35 SUCCEEDED
 * torproject.org:443 on circuit 12`, `BW read 1.5 KiB/s written 20 KiB/s`),
 * and every field the sentence does not use follows as KEY=VALUE, so nothing
 * tor sent is hidden. Enum values are coloured and, with --explain, followed
 * by their description.
 *
 * Pure: it writes into a buffer (no I/O, no clock), and everything that came
 * from tor goes through the terminal-safe escape when opts->safe is set. It
 * allocates nothing once the buffer is warm: this is the hot path of event
 * floods. */
#ifndef TORSH_SUMMARY_H
#define TORSH_SUMMARY_H
#include <stdbool.h>

#include "buf.h"
#include "event.h"
#include "render.h"

/* Append the event's type, its summary and its remaining fields to `b`
 * (no timestamp, no newline, no data block). */
void summary_write(struct buf *b, const struct event *ev, const struct render_opts *o);

/* Whether summary.c's per-type table lists event_defs[] in its order, one
 * entry each (a unit test holds the two together). */
bool summary_table_ok(void);
#endif
