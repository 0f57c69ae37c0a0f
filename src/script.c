#include "script.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "clock.h"
#include "cmd.h"
#include "command.h"
#include "exitcode.h"
#include "linestate.h"
#include "local.h"
#include "escape.h"
#include "typo.h"
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
	struct lines in;          /* stdin, when there are no -c commands */
	struct linestate ls;      /* its lines into commands */
	bool from_stdin, input_done;
	/* a /wait may come: events are kept for it (commands from -c are
	 * known; stdin's are not) */
	bool may_wait;
	size_t next_cmd;          /* the next -c command */
	long linger_until;        /* --linger: when to stop; -1 not yet */
	struct renderer out;
	struct waiter wait;       /* a /wait holding the next command */
	unsigned long wait_line;
	unsigned long lineno;     /* of the command being run; 0 for -c */
	size_t cmd_index;         /* the -c command being run, from 1 */
	/* where each command in flight came from, oldest first (-k sends up
	 * to the window ahead): whose reply is whose */
	struct { unsigned long lineno; size_t cmd_index; } sent[64];
	size_t sent_first, sent_n;
	unsigned long answered_line; /* of the command being answered */
	size_t answered_cmd;
	struct buf stopped_at;    /* why input stopped: "line 2: 552 ..." */
	bool stopped_by_tor;      /* stopped_at holds tor's words */
};

/* stdout as it stands, what the renderer let wait (a flood's events)
 * first: before anything on stderr and before waiting. */
static void out_flush(struct runner *r)
{
	render_flush(&r->out, stdout);
	fflush(stdout);
}

/* Where the command being run came from: "line 2" or "-c 2". */
static void where(unsigned long lineno, size_t cmd_index, struct buf *b)
{
	if (lineno)
		buf_printf(b, BUF_NOLIMIT, "line %lu", lineno);
	else if (cmd_index)
		buf_printf(b, BUF_NOLIMIT, "-c %zu", cmd_index);
}

/* The reply to the oldest command in flight is in: whose it is. */
static void take_answered(struct runner *r)
{
	r->answered_line = r->answered_cmd = 0;
	if (r->sent_n == 0)
		return;
	r->answered_line = r->sent[r->sent_first].lineno;
	r->answered_cmd = r->sent[r->sent_first].cmd_index;
	r->sent_first = (r->sent_first + 1) % 64;
	r->sent_n--;
}

/* The first error that stops the input, for the word at the end. */
static void note_stop(struct runner *r, unsigned long lineno, size_t cmd_index, const struct tc_msg *m)
{
	if (r->o->keep_going || r->stopped_at.len > 0)
		return;
	where(lineno, cmd_index, &r->stopped_at);
	if (m == NULL)
		return;
	r->stopped_by_tor = true;
	size_t n;
	const char *t = msg_first(m, &n);
	while (n > 0 && (t[n - 1] == '.' || t[n - 1] == ' '))
		n--; /* "...  Failing." before "; stopped" */
	buf_printf(&r->stopped_at, BUF_NOLIMIT, "%s%03d ", r->stopped_at.len ? ": " : "", m->code);
	term_safe_append(&r->stopped_at, t, n, 400);
}

/* A 552 for a GETINFO key (or option name) tor does not know: the one it
 * most likely meant, on stderr. */
static void typo_note(struct runner *r, const struct tc_msg *m, const struct cmd_def *def)
{
	struct buf hint = {0}, at = {0};
	if (typo_reply_hint(m, def, NULL, &hint)) {
		where(r->answered_line, r->answered_cmd, &at);
		out_flush(r);
		fprintf(stderr, "torsh: %s%s%s\n", at.len ? at.p : "", at.len ? ": " : "", hint.p);
	}
	buf_free(&hint);
	buf_free(&at);
}

static void on_msg(void *ud, const struct tc_msg *m)
{
	struct runner *r = ud;
	const struct pending_cmd *to = r->s->answering;
	/* a flood's events go out a buffer at a time: the next is here */
	r->out.hold = m->event && r->s->tap == NULL && reader_next_is_event_line(&r->s->ctl.rd);
	render(&r->out, stdout, m, to ? to->def : NULL, to ? to->word : NULL);
	if (m->partial)
		return; /* a piece of a big reply: the rest is to come */
	if (!m->event)
		take_answered(r);
	if (m->event) {
		if (r->may_wait)
			waiter_remember(&r->wait, m);
		waiter_match(&r->wait, m);
	}
	if (!m->event && !msg_ok(m)) {
		if (r->rc == EXIT_ALL_OK)
			r->rc = EXIT_TOR_ERROR;
		typo_note(r, m, to ? to->def : NULL);
		note_stop(r, r->answered_line, r->answered_cmd, m);
		if (!r->o->keep_going)
			r->stop_input = true;
	}
}

static void refused(struct runner *r, unsigned long lineno, const char *msg)
{
	out_flush(r);
	if (lineno)
		fprintf(stderr, "torsh: line %lu: %s\n", lineno, msg);
	else
		fprintf(stderr, "torsh: %s\n", msg);
	if (r->rc == EXIT_ALL_OK)
		r->rc = EXIT_USAGE;
	note_stop(r, lineno, r->cmd_index, NULL);
	if (!r->o->keep_going)
		r->stop_input = true;
}

/* A tor command (or /raw's LINE): sent, or refused with the reason. */
static void send_tor(struct runner *r, const char *line, size_t len, const char *body, size_t blen, bool has_body)
{
	struct buf err = {0};
	waiter_forget(&r->wait);
	int rc = session_submit(r->s, line, len, body, blen, has_body, &err);
	if (rc == 0 && r->sent_n < 64) {
		size_t at = (r->sent_first + r->sent_n++) % 64;
		r->sent[at].lineno = r->lineno;
		r->sent[at].cmd_index = r->cmd_index;
	} else if (rc < 0 && r->s->ctl.state == CTL_OPEN) {
		refused(r, r->lineno, err.p ? err.p : "refused");
	}
	if (r->s->quit_sent)
		r->stop_input = true;
	buf_free(&err);
}

static void front_send(void *ud, const char *line, size_t len, const char *body, size_t blen, bool has_body)
{
	send_tor(ud, line, len, body, blen, has_body);
}

static void front_waiting(void *ud)
{
	struct runner *r = ud;
	r->wait_line = r->lineno;
}

static const struct local_front script_front = {.send = front_send, .waiting = front_waiting};

static void submit(struct runner *r, const char *line, size_t len, const char *body, size_t blen,
		   bool has_body, unsigned long lineno)
{
	r->lineno = lineno;
	if (len == 0 || line[0] != '/') {
		send_tor(r, line, len, body, blen, has_body);
		return;
	}
	struct buf err = {0};
	struct local_args a;
	const struct cmd_def *d = local_find(line, len, body, blen, has_body, &a, &err);
	struct local_ctx ctx = {.s = r->s, .wait = &r->wait, .now_ms = mono_ms(), .out = stdout, .err = &err,
				.front = &script_front, .ud = r, .json = r->o->render.fmt == FMT_JSON};
	if (d == NULL || local_exec(d, &ctx, &a) < 0) {
		if (ctx.status != 0 && r->rc == EXIT_ALL_OK)
			r->rc = ctx.status; /* /onion check: 3, no SocksPort */
		refused(r, lineno, err.p ? err.p : "failed");
	} else if (ctx.status != 0 && r->rc == EXIT_ALL_OK)
		r->rc = ctx.status;
	buf_free(&err);
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

int script_precheck(const struct script_opts *o)
{
	int rc = EXIT_ALL_OK;
	struct buf wire = {0}, err = {0};
	for (size_t i = 0; i < o->ncommands; i++) {
		struct split_cmd sc;
		split_command(o->commands[i], &sc);
		buf_reset(&err);
		bool local = sc.len > 0 && sc.line[0] == '/';
		if (local ? local_check(sc.line, sc.len, sc.body, sc.blen, sc.has_body, &err) < 0
			  : command_prepare(sc.line, sc.len, sc.body, sc.blen, sc.has_body, &wire, &err) < 0) {
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

static void feed_commands(struct runner *r)
{
	while (!r->stop_input && !r->wait.active && r->next_cmd < r->o->ncommands && r->s->inflight < window(r)) {
		struct split_cmd sc;
		split_command(r->o->commands[r->next_cmd++], &sc);
		r->cmd_index = r->next_cmd;
		submit(r, sc.line, sc.len, sc.body, sc.blen, sc.has_body, 0);
	}
	if (r->next_cmd >= r->o->ncommands)
		r->input_done = true;
}

/* Lines from stdin, as many as may run now. */
static void feed_lines(struct runner *r)
{
	const char *line;
	size_t len;
	struct line_cmd c;
	while (!r->stop_input && !r->wait.active && r->s->inflight < window(r) && lines_next(&r->in, &line, &len) > 0)
		if (linestate_take(&r->ls, line, len, r->in.lineno, &c) == 1)
			submit(r, c.line, c.len, c.body, c.blen, c.has_body, c.lineno);
	if (r->in.eof && r->in.pos >= r->in.b.len) {
		unsigned long open = r->stop_input ? 0 : linestate_finish(&r->ls);
		if (open)
			refused(r, open, "the body of this command has no terminating '.' line: nothing was sent");
		r->input_done = true;
	}
	if (r->in.b.len - r->in.pos > COMMAND_MAX_WIRE) {
		refused(r, r->in.lineno + 1, "line longer than tor's 1 MiB limit: nothing was sent");
		r->stop_input = true;
	}
}

/* A /wait that timed out is an error, as a failed command is. */
static void expire_wait(struct runner *r)
{
	char msg[160];
	if (!waiter_expired(&r->wait, mono_ms(), msg, sizeof(msg)))
		return;
	out_flush(r);
	if (r->wait_line)
		fprintf(stderr, "torsh: line %lu: %s\n", r->wait_line, msg);
	else
		fprintf(stderr, "torsh: %s\n", msg);
	if (r->rc == EXIT_ALL_OK)
		r->rc = EXIT_TOR_ERROR;
	note_stop(r, r->wait_line, r->cmd_index, NULL);
	if (!r->o->keep_going)
		r->stop_input = true;
}

/* All input run (or stopped), every reply in, no /wait pending; and then
 * --linger's time, when all went well. */
static bool finished(struct runner *r)
{
	bool done = (r->input_done || r->stop_input) && r->s->inflight == 0 && !r->wait.active;
	if (done && r->linger_until < 0 && r->o->linger_s > 0 && r->rc == EXIT_ALL_OK)
		r->linger_until = mono_ms() + (long)(r->o->linger_s * 1000);
	return done && (r->linger_until < 0 || mono_ms() >= r->linger_until);
}

/* Until the reply deadline, the end of --linger or of a /wait. */
static int poll_timeout(const struct runner *r)
{
	long now = mono_ms(), timeout = -1, reply_due = session_deadline(r->s);
	if (reply_due >= 0)
		timeout = reply_due - now;
	if (r->linger_until >= 0 && r->s->inflight == 0)
		timeout = r->linger_until - now;
	if (r->wait.active && (timeout < 0 || r->wait.deadline_ms - now < timeout))
		timeout = r->wait.deadline_ms - now;
	return timeout < -1 ? 0 : (int)timeout;
}

/* Waits for tor, stdin or a deadline, and takes what came. -1: the
 * session is over (connection gone, or a reply overdue). */
static int wait_io(struct runner *r)
{
	struct session *s = r->s;
	out_flush(r);
	struct pollfd p[2] = {{.fd = s->ctl.fd, .events = POLLIN}, {.fd = 0, .events = POLLIN}};
	bool want_input = r->from_stdin && !r->input_done && !r->stop_input && !r->wait.active &&
			  s->inflight < window(r);
	int n = poll(p, want_input ? 2 : 1, poll_timeout(r));
	if (n < 0 && errno != EINTR)
		return -1;
	if (n > 0 && (p[0].revents & (POLLIN | POLLHUP | POLLERR)) && session_pump(s) < 0)
		return -1;
	/* whatever arrived meanwhile, events or a reply a byte at a time */
	if (session_timed_out(s, mono_ms()))
		return -1;
	if (n > 0 && want_input && (p[1].revents & (POLLIN | POLLHUP | POLLERR)))
		lines_fill(&r->in);
	return 0;
}

/* What a lost connection (or a stop) cost: the commands sent and not
 * answered, and what was never sent. Silent when nothing was lost. */
static void report_loss(const struct runner *r, const char *why, bool only_if_lost)
{
	const struct lines *in = &r->in;
	struct buf msg = {0};
	size_t unsent = r->o->ncommands - r->next_cmd;
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

/* The commands in what is left of stdin after a stop, read on while more
 * is ready now (a pipe still open is not waited for); -1 when its end was
 * not reached. */
static long count_unsent_lines(struct runner *r)
{
	struct linestate ls = {.comments = true};
	long n = 0;
	for (int fills = 0; fills < 1024; fills++) {
		const char *line;
		size_t len;
		struct line_cmd c;
		while (lines_next(&r->in, &line, &len) > 0)
			n += linestate_take(&ls, line, len, r->in.lineno, &c) == 1;
		struct pollfd p = {.fd = 0, .events = POLLIN};
		if (r->in.eof || poll(&p, 1, 0) <= 0 || lines_fill(&r->in) < 0)
			break;
	}
	n += linestate_finish(&ls) != 0;
	linestate_free(&ls);
	return r->in.eof && r->in.pos >= r->in.b.len ? n : -1;
}

/* A script stopped by its first error says so, and what it did not send;
 * silent when the error was the last command anyway. */
static void report_stop(struct runner *r)
{
	if (r->stopped_at.len == 0)
		return;
	unsigned long from = r->in.lineno + 1;
	long unsent = r->from_stdin ? count_unsent_lines(r) : (long)(r->o->ncommands - r->next_cmd);
	if (unsent == 0)
		return;
	out_flush(r);
	fprintf(stderr, "torsh: %s%sstopped, ", r->stopped_at.p, r->stopped_by_tor ? "; " : ": ");
	if (unsent < 0)
		fprintf(stderr, "input from line %lu on not sent", from);
	else
		fprintf(stderr, "%ld command%s not sent", unsent, unsent == 1 ? "" : "s");
	fputs(" (-k continues past errors)\n", stderr);
}

/* The end: a lost connection reported, or the goodbye (QUIT) said. */
static void end_session(struct runner *r, bool stopped)
{
	struct session *s = r->s;
	if (s->ctl.state != CTL_OPEN && !s->closed_by_quit) {
		report_loss(r, s->ctl.err, false);
		r->rc = EXIT_LOST;
		return;
	}
	if (stopped)
		report_loss(r, "stopped by a signal", true);
	/* after a signal the goodbye is short: the user wants out */
	session_quit(s, stopped ? SESSION_QUIT_STOP_MS : SESSION_QUIT_MS);
}

/* Whether a command line may be a /wait (any case): cheap and on the safe
 * side, a mention anywhere counts. */
static bool mentions_wait(const char *s)
{
	for (const char *p = strchr(s, '/'); p; p = strchr(p + 1, '/'))
		if (strncasecmp(p + 1, "wait", 4) == 0)
			return true;
	return false;
}

int script_run(struct session *s, const struct script_opts *o, volatile sig_atomic_t *stop_flag)
{
	struct runner r = {.o = o, .s = s, .rc = EXIT_ALL_OK, .in = {.fd = 0}, .ls = {.comments = true},
			   .from_stdin = o->ncommands == 0, .input_done = o->ncommands > 0, .linger_until = -1};
	renderer_init(&r.out, &o->render);
	r.may_wait = r.from_stdin;
	for (size_t i = 0; i < o->ncommands && !r.may_wait; i++)
		r.may_wait = mentions_wait(o->commands[i]);
	s->on_reply = s->on_event = on_msg;
	s->stream_replies = true; /* on_msg renders a big reply piece by piece */
	s->ud = &r;
	for (;;) {
		if (r.from_stdin)
			feed_lines(&r);
		else
			feed_commands(&r);
		if (s->ctl.state != CTL_OPEN)
			break;
		expire_wait(&r);
		if (finished(&r) || (stop_flag && *stop_flag) || wait_io(&r) < 0)
			break;
	}
	out_flush(&r);
	if (s->ctl.state == CTL_OPEN && !(stop_flag && *stop_flag))
		report_stop(&r);
	end_session(&r, stop_flag && *stop_flag);
	buf_free(&r.in.b);
	linestate_free(&r.ls);
	renderer_free(&r.out);
	waiter_free(&r.wait);
	buf_free(&r.stopped_at);
	return r.rc;
}
