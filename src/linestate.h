/* Input lines into commands, for the REPL and the script runner alike: a
 * line is one command, unless a command that takes a body began (+LOADCONF,
 * "/raw +..."): the lines after it, up to a line '.', are then its body.
 * Knows no terminal and no wire format: a complete command goes back to
 * the caller, which runs it. (A /wait holding the next command is the
 * waiter's, waiter.h.) */
#ifndef TORSH_LINESTATE_H
#define TORSH_LINESTATE_H
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

struct linestate {
	bool comments;            /* '#' lines are comments (scripts) */
	bool in_body;
	struct buf first, body;   /* the command line and its body so far */
	unsigned long first_lineno;
};

/* A complete command; it points into the linestate (or the line given)
 * until the next call. */
struct line_cmd {
	const char *line;
	size_t len;
	const char *body;
	size_t blen;
	bool has_body;
	unsigned long lineno;     /* of its first line */
};

/* Takes one line (without its line end). 1: a command is complete, in
 * *out; 0: the line was taken (blank, a comment, a body line, or a
 * command whose body follows). */
int linestate_take(struct linestate *ls, const char *line, size_t len, unsigned long lineno,
		   struct line_cmd *out);
/* Whether the next line is a body line (the REPL prompts "... "). */
bool linestate_in_body(const struct linestate *ls);
/* Drops a body being collected (Ctrl-C, a lost connection). */
void linestate_cancel(struct linestate *ls);
/* At the end of input: the line number of a command whose body never got
 * its '.' (dropped now), 0 when there is none. */
unsigned long linestate_finish(struct linestate *ls);
void linestate_free(struct linestate *ls);
#endif
