#include "command.h"

#include <string.h>

#include "escape.h"

bool command_wants_body(const char *line, size_t len)
{
	return len > 1 && line[0] == '+';
}

static int refuse(struct buf *err, struct buf *wire, const char *what, size_t col)
{
	buf_reset(wire);
	buf_printf(err, BUF_NOLIMIT, "%s at column %zu: refused, nothing was sent", what, col + 1);
	return -1;
}

int wire_body(struct buf *wire, const char *body, size_t blen)
{
	size_t i = 0;
	while (i < blen) {
		const char *nl = memchr(body + i, '\n', blen - i);
		size_t end = nl ? (size_t)(nl - body) : blen;
		size_t len = end - i;
		if (len > 0 && body[i + len - 1] == '\r')
			len--;
		if (len > 0 && body[i] == '.' && buf_putc(wire, '.', COMMAND_MAX_WIRE) < 0)
			return -1;
		if (buf_append(wire, body + i, len, COMMAND_MAX_WIRE) < 0 ||
		    buf_append(wire, "\r\n", 2, COMMAND_MAX_WIRE) < 0)
			return -1;
		i = end + 1;
	}
	return buf_append(wire, ".\r\n", 3, COMMAND_MAX_WIRE);
}

int command_prepare(const char *line, size_t len, const char *body, size_t blen, bool has_body,
		    struct buf *wire, struct buf *err)
{
	buf_reset(wire);
	for (size_t i = 0; i < len; i++) {
		/* LF would start a second command with our privileges, CR is
		 * echoed back raw and breaks framing, NUL silently truncates. */
		if (line[i] == '\n')
			return refuse(err, wire, "line feed (LF) inside the command", i);
		if (line[i] == '\r')
			return refuse(err, wire, "carriage return (CR) inside the command", i);
		if (line[i] == '\0')
			return refuse(err, wire, "NUL byte inside the command", i);
	}
	if (len == 0)
		return refuse(err, wire, "empty command", 0);
	if (line[0] == ' ' || line[0] == '\t')
		return refuse(err, wire, "leading whitespace (tor reads an empty command word)", 0);
	if (has_body && body && memchr(body, '\0', blen))
		return refuse(err, wire, "NUL byte inside the body", (size_t)((const char *)memchr(body, '\0', blen) - body));
	if (buf_append(wire, line, len, COMMAND_MAX_WIRE) < 0 || buf_append(wire, "\r\n", 2, COMMAND_MAX_WIRE) < 0 ||
	    (has_body && wire_body(wire, body ? body : "", blen) < 0)) {
		buf_reset(wire);
		buf_printf(err, BUF_NOLIMIT, "command longer than tor's 1 MiB limit: refused, nothing was sent");
		return -1;
	}
	return 0;
}
