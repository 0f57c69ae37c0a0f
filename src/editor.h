/* The line editor: libedit behind a small interface of its own, as
 * wpa_cli's edit.c hides its editor (init with callbacks, read, print
 * above the line, deinit). It edits one line at a time on the terminal,
 * recalls history and completes words; it knows nothing of tor, commands
 * or the wire format: the prompt, the candidates for Tab and what becomes
 * of a typed line are the caller's. editor.c is the only file in src/ that
 * includes <histedit.h>; libedit's in-memory history is its too (the
 * history file is history.c's). Writes to stdout; stdin must be a terminal. */
#ifndef TORSH_EDITOR_H
#define TORSH_EDITOR_H
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* The candidates for Tab, laid out as complete.h's struct completion keeps
 * them, so the caller hands its own storage over without copying. */
struct editor_matches {
	size_t start;              /* the word being completed starts here in the line */
	size_t n;                  /* how many candidates, in order */
	const char *text;          /* words and descriptions, NUL-separated */
	const size_t *word, *desc; /* offsets into text; desc (size_t)-1: none */
	size_t common;             /* length of the prefix all candidates share */
	bool no_space;             /* a lone candidate wants more: no blank after it */
};

struct editor_calls {
	/* The prompt to draw now; asked at every redraw, so it may change. */
	const char *(*prompt)(void *ud);
	/* Candidates for the word that ends at `cursor` in `line` (not
	 * NUL-terminated there): 0 with *m filled (m->n may be 0: a beep), or
	 * -1 when Tab does nothing on this line. *m stays valid until the
	 * next call. */
	int (*complete)(void *ud, const char *line, size_t cursor, struct editor_matches *m);
	void *ud;
	int history_size;          /* lines kept in memory */
};

struct editor;

/* NULL when libedit cannot be started. Nothing is drawn yet. */
struct editor *editor_new(const struct editor_calls *calls);
void editor_free(struct editor *ed);

/* Draw the prompt and start a new line: first, and after each line read. */
void editor_prompt(struct editor *ed);

enum editor_got {
	EDITOR_PARTIAL, /* keys taken, no line complete yet */
	EDITOR_LINE,    /* a line, its newline cut off, is in *line; the prompt is off
	                 * the screen until editor_prompt */
	EDITOR_EOF,     /* Ctrl-D on an empty line (the screen line is ended) */
};
/* Take the keys waiting on stdin (call it when stdin is readable). */
enum editor_got editor_read(struct editor *ed, struct buf *line);

/* Output above the line being edited: _begin clears the prompt and line
 * from the screen (flushing stdout: messages may follow on stderr),
 * _end draws them again below what was printed. Both do nothing to the
 * screen while no prompt is shown. */
void editor_print_begin(struct editor *ed);
void editor_print_end(struct editor *ed);
/* The prompt is gone for good (torsh is leaving): printing no longer
 * clears or redraws it. */
void editor_leave(struct editor *ed);

/* Ctrl-C: empty the line, end it with "^C" and draw a fresh prompt. */
void editor_cancel(struct editor *ed);
/* The terminal changed size (SIGWINCH: the caller owns the signals). */
void editor_resize(struct editor *ed);
/* Make a line recallable with Up (what deserves it is the caller's call). */
void editor_history_add(struct editor *ed, const char *line);
#endif
