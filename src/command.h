/* Turning what the user typed into exactly one well-formed control command
 * on the wire, or an error and nothing at all. */
#ifndef TORSH_COMMAND_H
#define TORSH_COMMAND_H
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* Tor stops reading a command after about 1 MiB and closes the connection. */
#define COMMAND_MAX_WIRE ((size_t)1 << 20)

/* Whether this command line needs a body (the lines that follow, up to '.'). */
bool command_wants_body(const char *line, size_t len);

/* Serialize one command into `wire` (CRLF-terminated, with its dot-stuffed
 * body when it has one). -1 with a message in `err` when it cannot be carried
 * safely; `wire` is then left empty. */
int command_prepare(const char *line, size_t len, const char *body, size_t blen, bool has_body,
		    struct buf *wire, struct buf *err);

/* Encode a multi-line body: CRLF line ends, a leading '.' doubled, a final
 * CRLF, then the terminating ".\r\n". */
int wire_body(struct buf *wire, const char *body, size_t blen);
#endif
