#include "command.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"

#include "secret.h"

static int refuse(struct cmd_error *err, const char *what, size_t col)
{
	err->col = 0; /* named in the message: no caret for these */
	snprintf(err->msg, sizeof(err->msg), "%s at column %zu: refused, nothing was sent", what, col + 1);
	return -1;
}

/* "/raw", matched as local_find matches '/' commands: case-insensitively. */
static bool is_raw(const char *line, size_t len)
{
	size_t w = 0;
	while (w < len && line[w] != ' ' && line[w] != '\t')
		w++;
	const struct cmd_def *d = len > 0 && line[0] == '/' ? cmd_find(line, w) : NULL;
	return d != NULL && (d->flags & CMD_RAW_LINE);
}

/* Where the LINE of "/raw LINE" starts. */
static size_t raw_start(const char *line, size_t len)
{
	size_t i = 0;
	while (i < len && line[i] != ' ' && line[i] != '\t')
		i++;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	return i;
}

bool command_wants_body(const char *line, size_t len)
{
	if (is_raw(line, len)) {
		size_t i = raw_start(line, len);
		return i + 1 < len && line[i] == '+';
	}
	size_t w = 0;
	while (w < len && line[w] != ' ' && line[w] != '\t')
		w++;
	const struct cmd_def *d = cmd_find(line, w);
	if (d == NULL || !(d->flags & CMD_BODY))
		return line[0] == '+' && len > 1;
	/* a final @FILE argument supplies the body instead */
	size_t e = len;
	while (e > 0 && (line[e - 1] == ' ' || line[e - 1] == '\t'))
		e--;
	size_t s = e;
	while (s > w && line[s - 1] != ' ' && line[s - 1] != '\t')
		s--;
	return !(s > w && line[s] == '@');
}

/* Whether a /raw line stops tor or throws state away: as dangerous as the
 * command typed, and when it does not parse, as its command word. */
static bool line_dangerous(const char *line, size_t len)
{
	struct cmd c;
	struct cmd_error e;
	if (cmd_parse(line, len, &c, &e) == 0) {
		bool d = c.dangerous || (c.def->flags & CMD_DANGEROUS);
		cmd_free(&c);
		return d;
	}
	const struct cmd_def *d = cmd_line_def(line, len, false);
	return d != NULL && (d->flags & CMD_DANGEROUS);
}

void command_inspect(const char *line, size_t len, struct command_info *info)
{
	memset(info, 0, sizeof(*info));
	/* judged on the whole line, whatever it starts with: a mistyped
	 * "/rwa AUTHENTICATE ..." holds the password all the same */
	info->secret = secret_in_command(line, len) != SECRET_NONE;
	info->local = len > 0 && line[0] == '/';
}

/* Regular files only: opening a FIFO would block (before torsh even
 * connects, for -c), and a device need never end. O_NONBLOCK keeps the
 * open itself from waiting for a FIFO's writer. */
static FILE *open_body_file(const char *path, struct buf *err)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		buf_printf(err, BUF_NOLIMIT, "@%s: %s: nothing was sent", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		buf_printf(err, BUF_NOLIMIT, "@%s: not a regular file: nothing was sent", path);
		close(fd);
		return NULL;
	}
	FILE *f = fdopen(fd, "rb");
	if (f == NULL) {
		buf_printf(err, BUF_NOLIMIT, "@%s: %s: nothing was sent", path, strerror(errno));
		close(fd);
	}
	return f;
}

static int read_body_file(const char *path, struct buf *body, struct buf *err)
{
	FILE *f = open_body_file(path, err);
	if (f == NULL)
		return -1;
	char chunk[65536];
	size_t n;
	int rc = 0;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_append(body, chunk, n, COMMAND_MAX_WIRE) < 0) {
			buf_printf(err, BUF_NOLIMIT, "@%s: larger than tor's 1 MiB limit: nothing was sent", path);
			rc = -1;
			break;
		}
	fclose(f);
	if (rc == 0 && body->len == 0) {
		buf_printf(err, BUF_NOLIMIT, "@%s: empty file (tor refuses an empty body): nothing was sent", path);
		rc = -1;
	}
	return rc;
}

/* The last word on a wire form, whichever path built it: a request known
 * to crash or wedge tor is not sent (cmd.h raw_hazards). */
static int refuse_hazard(const struct buf *wire, struct cmd_error *err)
{
	const char *eol = memchr(wire->p, '\r', wire->len);
	const char *why = cmd_raw_hazard(wire->p, eol ? (size_t)(eol - wire->p) : wire->len);
	if (why == NULL)
		return 0;
	snprintf(err->msg, sizeof(err->msg), "refused even by /raw, nothing was sent: in tor 0.4.9.11, %s", why);
	return -1;
}

/* Tor's word for a /raw line: what it will take the command to be. One of
 * torsh's own '/' words is nothing to tor. */
static const struct cmd_def *raw_def(const char *line, size_t len)
{
	const struct cmd_def *d = cmd_line_def(line, len, false);
	return d != NULL && !(d->flags & CMD_LOCAL) ? d : NULL;
}

static int build_raw(struct command *c, const char *line, size_t len, const char *body, size_t blen,
		     bool has_body, struct cmd_error *err)
{
	size_t i = raw_start(line, len);
	if (i >= len)
		return refuse(err, "/raw needs a LINE to send", len);
	line += i;
	len -= i;
	/* Tor reads a '+' line as the start of a body that runs to a line
	 * ".": sent bare it would swallow the commands after it. A lone "."
	 * is that end line; torsh never sends one outside a body. */
	if (line[0] == '+' && len == 1)
		return refuse(err, "'+' without a command word and its body", i);
	if (line[0] == '+' && !has_body)
		return refuse(err, "a '+' line without its body (the lines that follow, up to a line '.')", i);
	if (line[0] == '.' && len == 1)
		return refuse(err, "a lone '.' (the line that ends a body)", i);
	if (has_body && line[0] != '+')
		has_body = false;
	struct buf *wire = &c->wire;
	if (buf_append(wire, line, len, COMMAND_MAX_WIRE) < 0 || buf_append(wire, "\r\n", 2, COMMAND_MAX_WIRE) < 0 ||
	    (has_body && wire_body(wire, body ? body : "", blen) < 0)) {
		snprintf(err->msg, sizeof(err->msg), "command longer than tor's 1 MiB limit: refused, nothing was sent");
		return -1;
	}
	c->def = raw_def(line, len);
	/* a torsh command, but what it sends is as dangerous as typed */
	c->dangerous = line_dangerous(line, len);
	return refuse_hazard(wire, err);
}

/* A tor command, parsed (once) and serialised from what the parser made. */
static int build_parsed(struct command *c, const char *line, size_t len, const char *body, size_t blen,
			bool has_body, struct cmd_error *err)
{
	struct cmd *p = &c->parsed;
	if (cmd_parse(line, len, p, err) < 0)
		return -1;
	c->def = p->def;
	if (p->def->flags & CMD_LOCAL) {
		snprintf(err->msg, sizeof(err->msg), "%s is a torsh command, not sent to tor", p->def->name);
		return -1;
	}
	c->dangerous = p->dangerous || (p->def->flags & CMD_DANGEROUS);
	struct buf filebody = {0}, msg = {0};
	int rc = 0;
	if (p->body_file) {
		rc = read_body_file(p->body_file, &filebody, &msg);
		p->body = filebody.p;
		p->blen = filebody.len;
		p->has_body = true;
	} else if (p->def->flags & CMD_BODY) {
		p->body = body;
		p->blen = blen;
		p->has_body = has_body;
	}
	if (rc < 0)
		snprintf(err->msg, sizeof(err->msg), "%s", msg.p);
	else if (cmd_serialize(p, &c->wire, err) < 0) {
		size_t n = strlen(err->msg);
		snprintf(err->msg + n, sizeof(err->msg) - n, ": nothing was sent");
		rc = -1;
	} else if (c->wire.len > COMMAND_MAX_WIRE) {
		snprintf(err->msg, sizeof(err->msg), "command longer than tor's 1 MiB limit: refused, nothing was sent");
		rc = -1;
	}
	/* borrowed, and the file's copy goes now */
	p->body = NULL;
	p->blen = 0;
	buf_free(&filebody);
	buf_free(&msg);
	return rc < 0 ? -1 : refuse_hazard(&c->wire, err);
}

/* Printable ASCII only: a label goes into messages on a terminal. */
static void set_label(char *dst, size_t cap, const char *p, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 1 < cap; i++)
		dst[o++] = p[i] >= ' ' && p[i] < 0x7f ? p[i] : '?';
	if (o + 1 == cap && n > o)
		memcpy(dst + cap - 4, "...", 3);
	dst[o] = '\0';
}

/* The word and the label, from the wire form: what tor is sent is what
 * messages name. */
static void name_command(struct command *c)
{
	const char *line = c->wire.p;
	size_t len = c->wire.len, n = 0, first = 0;
	if (len > 0 && line[0] == '+') {
		line++;
		len--;
	}
	while (n < len && n < sizeof(c->word) - 1 && line[n] != ' ' && line[n] != '\r')
		n++;
	while (first < len && line[first] != '\r')
		first++;
	memcpy(c->word, line, n);
	c->word[n] = '\0';
	set_label(c->label, sizeof(c->label), line, c->secret ? n : first);
}

int command_build(struct command *c, const char *line, size_t len, const char *body, size_t blen, bool has_body,
		  struct cmd_error *err)
{
	memset(err, 0, sizeof(*err));
	command_free(c);
	for (size_t i = 0; i < len; i++) {
		/* LF would start a second command with our privileges, CR is
		 * echoed back raw and breaks framing, NUL silently truncates. */
		if (line[i] == '\n')
			return refuse(err, "line feed (LF) inside the command", i);
		if (line[i] == '\r')
			return refuse(err, "carriage return (CR) inside the command", i);
		if (line[i] == '\0')
			return refuse(err, "NUL byte inside the command", i);
	}
	if (len == 0)
		return refuse(err, "empty command", 0);
	if (line[0] == ' ' || line[0] == '\t')
		return refuse(err, "leading whitespace (tor reads an empty command word)", 0);
	if (has_body && body && memchr(body, '\0', blen))
		return refuse(err, "NUL byte inside the body", (size_t)((const char *)memchr(body, '\0', blen) - body));
	int rc = is_raw(line, len) ? build_raw(c, line, len, body, blen, has_body, err)
				   : build_parsed(c, line, len, body, blen, has_body, err);
	if (rc < 0) {
		command_free(c);
		return -1;
	}
	c->secret = secret_in_command(line, len) != SECRET_NONE;
	name_command(c);
	return 0;
}

void command_free(struct command *c)
{
	cmd_free(&c->parsed);
	buf_free(&c->wire);
	memset(c, 0, sizeof(*c));
}

void command_error_text(const struct cmd_error *e, struct buf *out)
{
	if (e->col)
		buf_printf(out, BUF_NOLIMIT, "column %zu: %s", e->col, e->msg);
	else
		buf_printf(out, BUF_NOLIMIT, "%s", e->msg);
}

int command_prepare(const char *line, size_t len, const char *body, size_t blen, bool has_body,
		    struct buf *wire, struct buf *err)
{
	struct command c = {0};
	struct cmd_error e;
	buf_reset(wire);
	int rc = command_build(&c, line, len, body, blen, has_body, &e);
	if (rc == 0)
		buf_append(wire, c.wire.p, c.wire.len, BUF_NOLIMIT);
	else
		command_error_text(&e, err);
	command_free(&c);
	return rc;
}
