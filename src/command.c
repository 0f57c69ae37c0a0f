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

static int refuse(struct buf *err, struct buf *wire, const char *what, size_t col)
{
	buf_reset(wire);
	buf_printf(err, BUF_NOLIMIT, "%s at column %zu: refused, nothing was sent", what, col + 1);
	return -1;
}

/* "/raw", matched as local_find matches '/' commands: case-insensitively. */
static bool is_raw(const char *line, size_t len)
{
	return len >= 4 && strncasecmp(line, "/raw", 4) == 0 && (len == 4 || line[4] == ' ' || line[4] == '\t');
}

/* Where the LINE of "/raw LINE" starts. */
static size_t raw_start(const char *line, size_t len)
{
	size_t i = 4;
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

/* Whether a tor command stops tor or throws state away. A line that does
 * not parse is judged by its command word (as /raw may send it anyway). */
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
	if (is_raw(line, len)) {
		/* a torsh command, but what it sends is as dangerous as typed */
		size_t i = raw_start(line, len);
		info->local = true;
		info->dangerous = line_dangerous(line + i, len - i);
		return;
	}
	if (len > 0 && line[0] == '/') {
		info->local = true;
		return;
	}
	info->dangerous = line_dangerous(line, len);
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
static int refuse_hazard(struct buf *wire, struct buf *err)
{
	const char *eol = memchr(wire->p, '\r', wire->len);
	const char *why = cmd_raw_hazard(wire->p, eol ? (size_t)(eol - wire->p) : wire->len);
	if (why == NULL)
		return 0;
	buf_reset(wire);
	buf_printf(err, BUF_NOLIMIT, "refused even by /raw, nothing was sent: in tor 0.4.9.11, %s", why);
	return -1;
}

static int prepare_raw(const char *line, size_t len, const char *body, size_t blen, bool has_body,
		       struct buf *wire, struct buf *err)
{
	size_t i = raw_start(line, len);
	if (i >= len)
		return refuse(err, wire, "/raw needs a LINE to send", len);
	line += i;
	len -= i;
	/* Tor reads a '+' line as the start of a body that runs to a line
	 * ".": sent bare it would swallow the commands after it. A lone "."
	 * is that end line; torsh never sends one outside a body. */
	if (line[0] == '+' && len == 1)
		return refuse(err, wire, "'+' without a command word and its body", i);
	if (line[0] == '+' && !has_body)
		return refuse(err, wire, "a '+' line without its body (the lines that follow, up to a line '.')", i);
	if (line[0] == '.' && len == 1)
		return refuse(err, wire, "a lone '.' (the line that ends a body)", i);
	if (has_body && line[0] != '+')
		has_body = false;
	if (buf_append(wire, line, len, COMMAND_MAX_WIRE) < 0 || buf_append(wire, "\r\n", 2, COMMAND_MAX_WIRE) < 0 ||
	    (has_body && wire_body(wire, body ? body : "", blen) < 0)) {
		buf_reset(wire);
		buf_printf(err, BUF_NOLIMIT, "command longer than tor's 1 MiB limit: refused, nothing was sent");
		return -1;
	}
	return refuse_hazard(wire, err);
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
	if (is_raw(line, len))
		return prepare_raw(line, len, body, blen, has_body, wire, err);

	struct cmd c;
	struct cmd_error e;
	if (cmd_parse(line, len, &c, &e) < 0) {
		if (e.col)
			buf_printf(err, BUF_NOLIMIT, "column %zu: %s", e.col, e.msg);
		else
			buf_printf(err, BUF_NOLIMIT, "%s", e.msg);
		return -1;
	}
	if (c.def->flags & CMD_LOCAL) {
		buf_printf(err, BUF_NOLIMIT, "%s is a torsh command, not sent to tor", c.def->name);
		cmd_free(&c);
		return -1;
	}
	struct buf filebody = {0};
	int rc = 0;
	if (c.body_file) {
		rc = read_body_file(c.body_file, &filebody, err);
		c.body = filebody.p;
		c.blen = filebody.len;
		c.has_body = true;
	} else if (c.def->flags & CMD_BODY) {
		c.body = body;
		c.blen = blen;
		c.has_body = has_body;
	}
	if (rc == 0 && cmd_serialize(&c, wire, &e) < 0) {
		buf_printf(err, BUF_NOLIMIT, "%s: nothing was sent", e.msg);
		rc = -1;
	}
	if (rc == 0 && wire->len > COMMAND_MAX_WIRE) {
		buf_printf(err, BUF_NOLIMIT, "command longer than tor's 1 MiB limit: refused, nothing was sent");
		rc = -1;
	}
	if (rc == 0)
		rc = refuse_hazard(wire, err);
	if (rc < 0)
		buf_reset(wire);
	buf_free(&filebody);
	cmd_free(&c);
	return rc;
}
