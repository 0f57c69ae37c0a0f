#include "linestate.h"

#include "command.h"

int linestate_take(struct linestate *ls, const char *line, size_t len, unsigned long lineno,
		   struct line_cmd *out)
{
	if (ls->in_body) {
		if (len == 1 && line[0] == '.') {
			ls->in_body = false;
			*out = (struct line_cmd){.line = ls->first.p, .len = ls->first.len, .body = ls->body.p,
						 .blen = ls->body.len, .has_body = true, .lineno = ls->first_lineno};
			/* an empty body is a body all the same: the command refuses it */
			if (out->body == NULL)
				out->body = "";
			return 1;
		}
		buf_append(&ls->body, line, len, BUF_NOLIMIT);
		buf_putc(&ls->body, '\n', BUF_NOLIMIT);
		return 0;
	}
	if (len == 0 || (ls->comments && line[0] == '#'))
		return 0;
	if (command_wants_body(line, len)) {
		ls->in_body = true;
		ls->first_lineno = lineno;
		buf_reset(&ls->first);
		buf_reset(&ls->body);
		buf_append(&ls->first, line, len, BUF_NOLIMIT);
		return 0;
	}
	*out = (struct line_cmd){.line = line, .len = len, .lineno = lineno};
	return 1;
}

bool linestate_in_body(const struct linestate *ls)
{
	return ls->in_body;
}

void linestate_cancel(struct linestate *ls)
{
	ls->in_body = false;
	buf_reset(&ls->first);
	buf_reset(&ls->body);
}

unsigned long linestate_finish(struct linestate *ls)
{
	unsigned long open = ls->in_body ? ls->first_lineno : 0;
	linestate_cancel(ls);
	return open;
}

void linestate_free(struct linestate *ls)
{
	buf_free(&ls->first);
	buf_free(&ls->body);
	ls->in_body = false;
}
