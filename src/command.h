/* Turning what the user typed into exactly one well-formed control command
 * on the wire, or an error and nothing at all. Built on the command table
 * (cmd.h); this layer adds what is not pure parsing: @FILE bodies, /raw. */
#ifndef TORSH_COMMAND_H
#define TORSH_COMMAND_H
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "cmd.h"

/* Whether the lines after this one are its body, up to a line '.': a body
 * command (+LOADCONF, +POSTDESCRIPTOR, +HSPOST, '+' optional) without @FILE,
 * or /raw +ANYTHING. */
bool command_wants_body(const char *line, size_t len);

/* What the history must know of a line, whether it parses or not (a
 * secret in a mistyped line is a secret all the same). Cheap: no parsing;
 * whether to confirm comes with the built command (struct command). */
struct command_info {
	bool local;        /* starts with '/': a torsh command */
	bool secret;       /* keep out of history */
};
void command_inspect(const char *line, size_t len, struct command_info *info);

/* A typed line made into exactly one control command, parsed once: what the
 * session sends and remembers until the reply, what the front end asks
 * about it (confirm? history?) and what the renderer types the reply by. */
struct command {
	/* the command sent: for "/raw LINE" the entry of LINE's word, NULL
	 * when torsh does not know that word */
	const struct cmd_def *def;
	struct cmd parsed;    /* its arguments; empty for /raw, which is not parsed */
	bool secret;          /* the line holds a secret: not in history, named by its word */
	bool dangerous;       /* stops tor or throws state away: confirm on a terminal */
	char word[33];        /* the command word as sent, without '+' */
	char label[72];       /* how messages name it: its first line, cut, printable
			       * ASCII only; only its word when the line holds a secret */
	struct buf wire;      /* CRLF-terminated, with its dot-stuffed body */
};

/* Turn a typed line (and its body) into `c`, which must be zeroed or
 * command_free()d. -1 with `err` when it is invalid or cannot be carried
 * safely (err->col, when not 0, is the column of the typed line at fault);
 * `c` is then empty. "/raw LINE" sends LINE unchecked but for CR, LF and
 * NUL and the requests that crash tor. */
int command_build(struct command *c, const char *line, size_t len, const char *body, size_t blen, bool has_body,
		  struct cmd_error *err);
void command_free(struct command *c);
/* An error as torsh prints it: "column N: MESSAGE", or MESSAGE. */
void command_error_text(const struct cmd_error *e, struct buf *out);

/* command_build for callers that want the wire form only: `wire` holds it
 * (emptied first), or `err` says why not and `wire` is empty. */
int command_prepare(const char *line, size_t len, const char *body, size_t blen, bool has_body,
		    struct buf *wire, struct buf *err);
#endif
