/* Showing replies and events to the user: raw (what tor sent), pretty
 * (timestamps, colours, enum names, one-line summaries, data blocks as
 * lines) and JSON Lines. */
#ifndef TORSH_RENDER_H
#define TORSH_RENDER_H
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "cmd.h"
#include "event.h"
#include "reply.h"

enum out_format { FMT_RAW, FMT_PRETTY, FMT_JSON };

struct render_opts {
	enum out_format fmt;
	bool safe;     /* raw: escape control characters (output goes to a
	                * terminal); pretty always escapes, JSON always does */
	bool color;
	bool explain;  /* follow enum values with their description */
};

/* JSON objects: names sorted to find the repeats (render.c). */
struct json_names {
	struct json_name *v;
	size_t *pos, cap;
};

/* A reply while it comes in pieces (reply.h). Raw and pretty write each
 * piece as it comes. JSON shows the data blocks after "ok" (known at the
 * end) and twice ("values" and "raw"): they are kept in an unlinked
 * temporary file as they come, not in memory, and read back twice when
 * the reply has ended. */
struct render_pieces {
	bool on;            /* a reply is in pieces */
	bool ok_style;      /* pretty: its first piece's style (the block line's code) */
	FILE *f;            /* JSON: tmpfile(); NULL with `on`: none could be made, `mem` holds them */
	struct buf mem;
	struct buf segs;    /* JSON: where each line's block is (render.c) */
	struct buf chunk;   /* JSON: reading back */
	size_t end;
	bool failed;        /* JSON: a write to the file failed */
};

/* Scratch kept between calls so that rendering a flood allocates nothing. */
struct renderer {
	struct render_opts o;
	struct event ev;
	struct buf line;
	struct json_names names;
	time_t at;       /* pretty's timestamp: 0 is now (render_kept sets it) */
	time_t ts_sec;   /* the second ts shows, when ts_valid */
	char ts[24];     /* "HH:MM:SS ", dim when ts_color */
	size_t ts_len;
	bool ts_valid, ts_color;
	struct render_pieces pieces;
	/* The caller's word for the next render(): an event follows at once
	 * (reader_next_is_event_line), so an event's output may wait in the
	 * buffer and go out with the next ones, in one write, instead of one
	 * stdio call per event. Output never waits past a render() without
	 * it, nor past render_flush(). */
	bool hold;
	bool held; /* output is waiting */
};

void renderer_init(struct renderer *r, const struct render_opts *o);
void renderer_free(struct renderer *r);
/* For a reply, `def` is the command it answers (NULL when unknown): its
 * reply flags (cmd.h) type the lines, GETCONF's bare keys and
 * ONION_CLIENT_AUTH_VIEW's CLIENT records; `word` is that command's word as
 * sent, for JSON's "command" (NULL or "": none). */
void render(struct renderer *r, FILE *out, const struct tc_msg *m, const struct cmd_def *def, const char *word);
/* What render() let wait (`hold`) goes to `out` now. */
void render_flush(struct renderer *r, FILE *out);
/* A reply in pieces (tc_msg.partial) is rendered piece by piece, each
 * piece passed to render() as it comes; one that never ends (the
 * connection lost) is dropped by the next reply's first piece, or here. */
void render_pieces_drop(struct renderer *r);

/* An event flood.c kept for /scrollback (flood.h: the wire text, or a
 * partial line for one too big to keep), rendered in the current mode as
 * when it came, `at` (a wall-clock time). */
void render_kept(struct renderer *r, FILE *out, const char *p, size_t n, time_t at);

/* The seed's exception name for an error reply code, e.g. 552 ->
 * "InvalidArguments"; NULL for success codes. */
const char *reply_error_name(int code);
#endif
