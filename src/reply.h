/* Framing of what tor sends: status lines, data blocks and asynchronous
 * events, assembled into messages. Pure: no I/O, fed bytes by the caller. */
#ifndef TORSH_REPLY_H
#define TORSH_REPLY_H
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

struct tc_line {
	int code;
	char sep;              /* '-', '+' or ' ' as sent */
	size_t text_off, text_len;
	size_t data_off, data_len; /* data block ('+' lines): unstuffed, each line ended by '\n' */
};

/* One complete reply or event. Text and data live in `bytes`, NUL-separated,
 * so every piece can also be used as a C string. */
struct tc_msg {
	bool event;            /* asynchronous (6xx) */
	int code;              /* the code of the end line */
	struct tc_line *lines;
	size_t nlines, cap;
	struct buf bytes;
	/* A reply handed out in pieces (reader.stream_min): `partial` says
	 * more follows; a piece holds the lines received so far, the last an
	 * open data block with only the data lines that came since the
	 * previous piece. `resume` is 0 on the first piece (and on a message
	 * handed out whole); on a later one, lines before resume - 1 and the
	 * header of line resume - 1, whose data block continues, came in an
	 * earlier piece. The final piece (!partial) has every line's header
	 * and the end line's code. */
	bool partial;
	size_t resume;
};

const char *msg_text(const struct tc_msg *m, size_t i, size_t *len);
const char *msg_data(const struct tc_msg *m, size_t i, size_t *len);
/* The first line's text, which for events starts with the event name. */
const char *msg_first(const struct tc_msg *m, size_t *len);
bool msg_ok(const struct tc_msg *m);
/* The message as tor wrote it: status lines, and data blocks dot-stuffed
 * and ended by ".". Handed to `put` piece by piece, so a caller escapes as
 * it goes and a big message is never copied whole; `eol` marks the end of
 * a wire line (its CRLF is not passed). */
/* A piece of a reply in pieces gives only what is new in it (tc_msg).
 * A piece with !eol is only ever a line's code and separator ("650-") or
 * a data line's stuffing ".": printable ASCII. */
typedef void (*wire_piece_fn)(void *ud, const char *p, size_t n, bool eol);
void msg_to_wire(const struct tc_msg *m, wire_piece_fn put, void *ud);
/* A copy that owns its storage (dst's is reused): 0, or -1 out of memory. */
int msg_copy(struct tc_msg *dst, const struct tc_msg *src);
void msg_free(struct tc_msg *m);

struct reader {
	struct buf in;
	size_t pos;            /* first unconsumed byte of `in` */
	size_t scan;           /* where to resume looking for LF */
	size_t clean;          /* `in` holds no NUL before this offset */
	struct tc_msg reply, event;
	struct tc_msg *data_for; /* message whose data block is open */
	size_t data_line;      /* its line index */
	struct tc_msg *done;   /* handed out by the previous reader_next */
	size_t limit;          /* max bytes of one message or pending line */
	/* >0: a reply's data block is handed out in pieces once it holds this
	 * many bytes and the input has no more whole lines (tc_msg.partial);
	 * the caller decides per reply (session.c). The limit holds for the
	 * pieces together. */
	size_t stream_min;
	size_t streamed;       /* bytes of the current reply handed out in pieces */
	unsigned long lineno;
	char err[256];
};

void reader_init(struct reader *r, size_t limit);
void reader_free(struct reader *r);
/* Append bytes read from the socket. -1 when the unconsumed input would exceed
 * the limit (err set). */
int reader_feed(struct reader *r, const char *p, size_t n);
/* The same without a copy: room for up to `want` bytes at the end of the
 * input (*room of them, within the limit), to read into and then
 * reader_commit. NULL (err set) when the unconsumed input is at the limit
 * already, or out of memory. */
char *reader_space(struct reader *r, size_t want, size_t *room);
void reader_commit(struct reader *r, size_t n);
/* 1 with *out set to a complete message (valid until the next call), 0 when
 * more input is needed, -1 on a protocol error (err set; the stream cannot be
 * resynchronised after that). */
int reader_next(struct reader *r, struct tc_msg **out);
/* Whether the next message is here whole already and is a one-line event
 * ("6xx " and its line end): a front end may let output wait for it. The
 * line end found is remembered, not looked for again. */
bool reader_next_is_event_line(struct reader *r);
/* True when a reply or event has started but not ended (EOF now = truncated). */
bool reader_midway(const struct reader *r);
#endif
