/* libFuzzer target: any bytes typed as a command line (and body) must give
 * either an error and no wire bytes, or exactly one command whose wire form
 * has no stray CR/LF/NUL that could start a second command; inspecting the
 * line for history must not crash either. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "tokenize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	const char *sep = memchr(p, '\n', size);
	size_t len = sep ? (size_t)(sep - p) : size;
	const char *body = sep ? sep + 1 : NULL;
	size_t blen = sep ? size - len - 1 : 0;

	struct toklist tl;
	struct tok_error te;
	if (tok_split(p, len, TOK_CSTRING, &tl, &te) == 0)
		toklist_free(&tl);
	tok_split_partial(p, len, &tl);
	toklist_free(&tl);
	/* the history check parses lines command_prepare would refuse first */
	struct command_info info;
	command_inspect(p, len, &info);

	struct buf wire = {0}, err = {0};
	int rc = command_prepare(p, len, body, blen, body != NULL, &wire, &err);
	if (rc == 0) {
		/* The first line of the wire form ends at its only CRLF; a body
		 * command ends with ".\r\n" and no line of it is a lone ".". */
		const char *crlf = strstr(wire.p, "\r\n");
		if (crlf == NULL || memchr(wire.p, '\0', wire.len) ||
		    memchr(wire.p, '\n', (size_t)(crlf - wire.p)) || memchr(wire.p, '\r', (size_t)(crlf - wire.p)))
			abort();
		if (wire.p[0] == '+') {
			const char *q = crlf + 2;
			const char *end = wire.p + wire.len;
			while (q < end) {
				const char *nl = strstr(q, "\r\n");
				if (nl == NULL)
					abort();
				if (nl - q == 1 && q[0] == '.' && nl + 2 != end)
					abort();
				q = nl + 2;
			}
		} else if ((size_t)(crlf - wire.p) + 2 != wire.len) {
			abort();
		}
	} else if (wire.len != 0) {
		abort();
	}
	buf_free(&wire);
	buf_free(&err);
	return 0;
}
