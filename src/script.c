#include "script.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "cmd.h"
#include "command.h"
#include "exitcode.h"
#include "local.h"
#include "waiter.h"

/* Lines from a file descriptor, read without blocking the event loop (stdio
 * buffering would hide ready lines from poll). */
struct lines {
	int fd;
	struct buf b;
	size_t pos;
	bool eof;
	unsigned long lineno;
};

static int lines_fill(struct lines *l)
{
	if (l->pos > 0) {
		buf_consume(&l->b, l->pos);
		l->pos = 0;
	}
	char chunk[65536];
	ssize_t n = read(l->fd, chunk, sizeof(chunk));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0) {
		l->eof = true;
		return n < 0 ? -1 : 0;
	}
	/* A line longer than tor accepts can be refused without keeping it. */
	return buf_append(&l->b, chunk, (size_t)n, COMMAND_MAX_WIRE * 2);
}

/* 1 with a line (without its LF and one trailing CR), 0 none buffered. */
static int lines_next(struct lines *l, const char **line, size_t *len)
{
	if (l->pos >= l->b.len)
		return 0;
	char *start = l->b.p + l->pos;
	char *nl = memchr(start, '\n', l->b.len - l->pos);
	if (nl == NULL && !l->eof)
		return 0;
	size_t n = nl ? (size_t)(nl - start) : l->b.len - l->pos;
	l->pos += n + (nl ? 1 : 0);
	if (n > 0 && start[n - 1] == '\r')
		n--;
	*line = start;
	*len = n;
	l->lineno++;
	return 1;
}

struct runner {
	const struct script_opts *o;
	struct session *s;
	int rc;                   /* first failure's exit code */
	bool stop_input;
	struct buf body;          /* multi-line body being collected */
	struct buf first;         /* its command line */
	bool in_body;
	unsigned long body_start;
	struct renderer out;
	struct waiter wait;       /* a /wait holding the next command */
	unsigned long wait_line;
};

static void on_msg(void *ud, const struct tc_msg *m)
{
	struct runner *r = ud;
	render(&r->out, stdout, m, r->s->reply_to);
	if (m->event) {
		waiter_remember(&r->wait, m);
		waiter_match(&r->wait, m);
	}
	if (!m->event && !msg_ok(m)) {
		if (r->rc == EXIT_ALL_OK)
			r->rc = EXIT_TOR_ERROR;
		if (!r->o->keep_going)
			r->stop_input = true;
	}
}

static void refused(struct runner *r, unsigned long lineno, const char *msg)
{
	fflush(stdout);
	if (lineno)
		fprintf(stderr, "torsh: line %lu: %s\n", lineno, msg);
	else
		fprintf(stderr, "torsh: %s\n", msg);
	if (r->rc == EXIT_ALL_OK)
		r->rc = EXIT_USAGE;
	if (!r->o->keep_going)
		r->stop_input = true;
}

static void submit(struct runner *r, const char *line, size_t len, const char *body, size_t blen,
		   bool has_body, unsigned long lineno)
{
	struct buf err = {0};
	if (local_which(line, len) == LC_WAIT) {
		if (waiter_start(&r->wait, line, len, mono_ms(), &err) < 0)
			refused(r, lineno, err.p);
		else if (!waiter_match_recent(&r->wait))
			r->wait_line = lineno;
		buf_free(&err);
		return;
	}
	if (len > 0 && line[0] == '/') {
		switch (local_run(line, len, stdout, &err)) {
		case LOCAL_DONE:
			buf_free(&err);
			return;
		case LOCAL_ERROR:
			refused(r, lineno, err.p);
			buf_free(&err);
			return;
		case LOCAL_QUIT:
			line = "QUIT";
			len = 4;
			break;
		case LOCAL_SEND:
			break;
		}
	}
	waiter_forget(&r->wait);
	if (session_submit(r->s, line, len, body, blen, has_body, &err) < 0 && r->s->ctl.state == CTL_OPEN)
		refused(r, lineno, err.p ? err.p : "refused");
	if (r->s->quit_sent)
		r->stop_input = true;
	buf_free(&err);
}

/* Feeds one input line; collects a body for commands that take one. */
static void take_line(struct runner *r, const char *line, size_t len, unsigned long lineno)
{
	if (r->in_body) {
		if (len == 1 && line[0] == '.') {
			r->in_body = false;
			submit(r, r->first.p, r->first.len, r->body.p, r->body.len, true, r->body_start);
			return;
		}
		buf_append(&r->body, line, len, BUF_NOLIMIT);
		buf_putc(&r->body, '\n', BUF_NOLIMIT);
		return;
	}
	if (len == 0 || line[0] == '#')
		return;
	if (command_wants_body(line, len)) {
		r->in_body = true;
		r->body_start = lineno;
		buf_reset(&r->first);
		buf_reset(&r->body);
		buf_append(&r->first, line, len, BUF_NOLIMIT);
		return;
	}
	submit(r, line, len, NULL, 0, false, lineno);
}


/* -c '+LOADCONF<newline>body' carries its body inline; an optional final
 * "." line ends it, as in a pipe. */
struct split_cmd {
	const char *line, *body;
	size_t len, blen;
	bool has_body;
};

static void split_command(const char *c, struct split_cmd *sc)
{
	const char *nl = strchr(c, '\n');
	memset(sc, 0, sizeof(*sc));
	sc->line = c;
	sc->len = strlen(c);
	if (nl == NULL || !command_wants_body(c, (size_t)(nl - c)))
		return;
	sc->len = (size_t)(nl - c);
	sc->body = nl + 1;
	sc->blen = strlen(sc->body);
	sc->has_body = true;
	if (sc->blen > 0 && sc->body[sc->blen - 1] == '\n')
		sc->blen--;
	if (sc->blen >= 1 && sc->body[sc->blen - 1] == '.' && (sc->blen == 1 || sc->body[sc->blen - 2] == '\n'))
		sc->blen--;
}

/* A torsh command a script can run: those not marked shell-only. */
static int script_local_ok(const char *line, size_t len, struct buf *err)
{
	size_t a;
	const struct cmd_def *d = local_find(line, len, &a, err);
	if (d == NULL)
		return -1;
	if (d->flags & CMD_SHELL_ONLY) {
		buf_printf(err, BUF_NOLIMIT, "%s works only in the interactive shell", d->name);
		return -1;
	}
	return 0;
}

int script_precheck(const struct script_opts *o)
{
	int rc = EXIT_ALL_OK;
	struct buf wire = {0}, err = {0};
	for (size_t i = 0; i < o->ncommands; i++) {
		struct split_cmd sc;
		split_command(o->commands[i], &sc);
		buf_reset(&err);
		enum local_cmd lc = local_which(sc.line, sc.len);
		if (lc == LC_WAIT) {
			struct waiter w = {0};
			if (waiter_start(&w, sc.line, sc.len, 0, &err) < 0) {
				fprintf(stderr, "torsh: %s\n", err.p);
				rc = EXIT_USAGE;
			}
			waiter_free(&w);
			continue;
		}
		if (sc.len > 0 && sc.line[0] == '/' && lc != LC_RAW) {
			if (script_local_ok(sc.line, sc.len, &err) < 0) {
				fprintf(stderr, "torsh: %s\n", err.p);
				rc = EXIT_USAGE;
			}
			continue;
		}
		if (command_prepare(sc.line, sc.len, sc.body, sc.blen, sc.has_body, &wire, &err) < 0) {
			fprintf(stderr, "torsh: %s\n", err.p);
			rc = EXIT_USAGE;
		}
	}
	buf_free(&wire);
	buf_free(&err);
	return rc;
}

/* How many commands may be in flight: one at a time unless -k, so that
 * nothing after a failed command is sent. */
static size_t window(const struct runner *r)
{
	return r->o->keep_going ? 64 : 1;
}

static void feed_commands(struct runner *r, size_t *next)
{
	while (!r->stop_input && !r->wait.active && *next < r->o->ncommands && r->s->inflight < window(r)) {
		struct split_cmd sc;
		split_command(r->o->commands[(*next)++], &sc);
		submit(r, sc.line, sc.len, sc.body, sc.blen, sc.has_body, 0);
	}
}

/* What a lost connection (or a stop) cost: the commands sent and not
 * answered, and what was never sent. Silent when nothing was lost. */
static void report_loss(const struct runner *r, const char *why, bool only_if_lost, const struct lines *in,
			size_t next_cmd)
{
	struct buf msg = {0};
	size_t unsent = r->o->ncommands - next_cmd;
	session_describe_unanswered(r->s, &msg);
	if (r->o->ncommands > 0 && unsent > 0)
		buf_printf(&msg, BUF_NOLIMIT, "%s%zu command%s not sent", msg.len ? "; " : "", unsent,
			   unsent == 1 ? "" : "s");
	else if (r->o->ncommands == 0 && (!in->eof || in->pos < in->b.len))
		buf_printf(&msg, BUF_NOLIMIT, "%sinput from line %lu on not run", msg.len ? "; " : "",
			   in->lineno + 1);
	if (msg.len > 0 || !only_if_lost)
		fprintf(stderr, "torsh: %s%s%s\n", why, msg.len ? "; " : "", msg.len ? msg.p : "");
	buf_free(&msg);
}

int script_run(struct session *s, const struct script_opts *o, volatile sig_atomic_t *stop_flag)
{
	struct runner r = {.o = o, .s = s, .rc = EXIT_ALL_OK};
	renderer_init(&r.out, &o->render);
	struct lines in = {.fd = 0};
	size_t next_cmd = 0;
	bool from_stdin = o->ncommands == 0;
	bool input_done = !from_stdin;
	long linger_until = -1;
	s->on_reply = s->on_event = on_msg;
	s->ud = &r;

	for (;;) {
		if (!from_stdin)
			feed_commands(&r, &next_cmd);
		else {
			const char *line;
			size_t len;
			while (!r.stop_input && !r.wait.active && s->inflight < window(&r) && lines_next(&in, &line, &len) > 0)
				take_line(&r, line, len, in.lineno);
			if (in.eof && in.pos >= in.b.len) {
				if (r.in_body && !r.stop_input) {
					r.in_body = false;
					refused(&r, r.body_start, "the body of this command has no terminating '.' line: nothing was sent");
				}
				input_done = true;
			}
			if (in.b.len - in.pos > COMMAND_MAX_WIRE) {
				refused(&r, in.lineno + 1, "line longer than tor's 1 MiB limit: nothing was sent");
				r.stop_input = true;
			}
		}
		if (!from_stdin && next_cmd >= o->ncommands)
			input_done = true;
		if (s->ctl.state != CTL_OPEN)
			break;
		if (r.wait.active && mono_ms() >= r.wait.deadline_ms) {
			r.wait.active = false;
			char msg[160];
			snprintf(msg, sizeof(msg), "/wait: no %s event %swithin %g s", r.wait.def->name,
				 r.wait.ncond ? "with those fields " : "", r.wait.timeout_s);
			fflush(stdout);
			if (r.wait_line)
				fprintf(stderr, "torsh: line %lu: %s\n", r.wait_line, msg);
			else
				fprintf(stderr, "torsh: %s\n", msg);
			if (r.rc == EXIT_ALL_OK)
				r.rc = EXIT_TOR_ERROR;
			if (!o->keep_going)
				r.stop_input = true;
		}
		bool finished = (input_done || r.stop_input) && s->inflight == 0 && !r.wait.active;
		if (finished && linger_until < 0 && o->linger_s > 0 && r.rc == EXIT_ALL_OK)
			linger_until = mono_ms() + (long)(o->linger_s * 1000);
		if (finished && (linger_until < 0 || mono_ms() >= linger_until))
			break;
		if (stop_flag && *stop_flag)
			break;

		fflush(stdout);
		struct pollfd p[2] = {{.fd = s->ctl.fd, .events = POLLIN}, {.fd = 0, .events = POLLIN}};
		bool want_input = from_stdin && !input_done && !r.stop_input && !r.wait.active && s->inflight < window(&r);
		int timeout = -1;
		long reply_due = session_deadline(s);
		if (reply_due >= 0)
			timeout = (int)(reply_due - mono_ms());
		if (linger_until >= 0 && s->inflight == 0)
			timeout = (int)(linger_until - mono_ms());
		if (r.wait.active && (timeout < 0 || r.wait.deadline_ms - mono_ms() < timeout))
			timeout = (int)(r.wait.deadline_ms - mono_ms());
		if (timeout < -1)
			timeout = 0;
		int n = poll(p, want_input ? 2 : 1, timeout);
		if (n < 0 && errno != EINTR)
			break;
		if (n > 0 && (p[0].revents & (POLLIN | POLLHUP | POLLERR)) && session_pump(s) < 0)
			break;
		/* whatever arrived meanwhile, events or a reply a byte at a time */
		if (session_timed_out(s, mono_ms()))
			break;
		if (n > 0 && want_input && (p[1].revents & (POLLIN | POLLHUP | POLLERR)))
			lines_fill(&in);
	}
	fflush(stdout);
	bool stopped = stop_flag && *stop_flag;
	if (s->ctl.state != CTL_OPEN && !s->closed_by_quit) {
		report_loss(&r, s->ctl.err, false, &in, next_cmd);
		r.rc = EXIT_LOST;
	} else {
		if (stopped)
			report_loss(&r, "stopped by a signal", true, &in, next_cmd);
		/* after a signal the goodbye is short: the user wants out */
		session_quit(s, stopped ? SESSION_QUIT_STOP_MS : SESSION_QUIT_MS);
	}
	buf_free(&in.b);
	buf_free(&r.body);
	buf_free(&r.first);
	renderer_free(&r.out);
	waiter_free(&r.wait);
	return r.rc;
}
