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

/* What the front end must know before sending. */
struct command_info {
	bool local;        /* starts with '/': a torsh command */
	bool secret;       /* keep out of history */
	bool dangerous;    /* confirm on a terminal */
};
void command_inspect(const char *line, size_t len, struct command_info *info);

/* Serialize one command into `wire` (CRLF-terminated, with its dot-stuffed
 * body when it has one). -1 with a message in `err` (naming the argument and
 * its column) when it is invalid or cannot be carried safely; `wire` is then
 * empty. "/raw LINE" sends LINE unchecked but for CR, LF and NUL. */
int command_prepare(const char *line, size_t len, const char *body, size_t blen, bool has_body,
		    struct buf *wire, struct buf *err);
#endif
