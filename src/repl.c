#include "repl.h"

#include <errno.h>
#include <fcntl.h>
#include <histedit.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "command.h"
#include "complete.h"
#include "shellcmd.h"
#include "flood.h"
#include "secret.h"
#include "trace.h"
#include "waiter.h"
#include "escape.h"
#include "exitcode.h"
#include "local.h"

struct repl {
	const struct repl_opts *o;
	struct session *s;
	EditLine *el;
	History *hist;
	bool in_body;
	struct buf first, body;
	bool line_shown;          /* a prompt and edit line are on screen */
	const char *cur_prompt;
	struct renderer out;
	char hist_path[PATH_MAX];   /* "" when history is not kept on disk */
	/* a dangerous command waiting for "y" */
	bool confirming;
	struct buf pend_line, pend_body;
	bool pend_has_body;
	char confirm_prompt[160];
	struct shell sh;           /* /events, /mute, /format ... */
	bool disconnected;         /* lost the connection; retrying */
	bool leave;                /* QUIT or /quit typed while disconnected */
	long next_try_ms;          /* when to retry */
	long backoff_ms;
	bool told_retry;           /* the first failed retry was reported */
	struct flood flood;        /* rate summary and scrollback of events */
	struct waiter wait;        /* /wait in progress */
	char wait_prompt[96];
	struct buf summary;
	bool tracing;              /* /trace on */
	struct tracer tracer;
	struct buf trace_out;
	struct catalog cat;        /* completion data from tor */
	long relays_asked_ms;      /* when ns/all was last requested */
	struct completion comp;
};

#define HISTORY_KEEP 1000

/* mkdir -p with mode 0700 for the components it creates. */
static int make_dirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int rc = mkdir(path, 0700);
		*p = '/';
		if (rc < 0 && errno != EEXIST)
			return -1;
	}
	return mkdir(path, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

/* $XDG_STATE_HOME/torsh/history, by default ~/.local/state/torsh/history. */
static bool history_path(char *out, size_t n)
{
	const char *x = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	int k;
	if (x && x[0] == '/')
		k = snprintf(out, n, "%s/torsh", x);
	else if (home && home[0] == '/')
		k = snprintf(out, n, "%s/.local/state/torsh", home);
	else
		return false;
	if (k < 0 || (size_t)k + sizeof("/history") > n || make_dirs(out) < 0)
		return false;
	strcat(out, "/history");
	return true;
}

/* The file is only ever opened with mode 0600, and an existing one is set
 * back to 0600: a history of control commands is nobody else's business. */
static int history_open(const char *path, int flags)
{
	int fd = open(path, flags | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0)
		(void)fchmod(fd, 0600);
	return fd;
}

/* Load the last entries; when the file has grown well past what is kept,
 * rewrite it with only those. One entry per line. */
static void history_load(struct repl *r)
{
	FILE *f = fopen(r->hist_path, "r");
	if (f == NULL)
		return;
	char *line = NULL;
	size_t cap = 0, n = 0;
	ssize_t len;
	HistEvent ev;
	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (line[0]) {
			history(r->hist, &ev, H_ENTER, line);
			n++;
		}
	}
	free(line);
	fclose(f);
	if (n <= 2 * HISTORY_KEEP)
		return;
	char tmp[PATH_MAX + 8];
	snprintf(tmp, sizeof(tmp), "%s.new", r->hist_path);
	(void)unlink(tmp);
	int fd = history_open(tmp, O_WRONLY | O_EXCL);
	FILE *w = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (w == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	/* oldest first: walk from the last (oldest) entry back to the first */
	int ok = history(r->hist, &ev, H_LAST);
	for (; ok == 0; ok = history(r->hist, &ev, H_PREV))
		fprintf(w, "%s\n", ev.str);
	if (fclose(w) == 0)
		(void)rename(tmp, r->hist_path);
}

/* Remember a line, in memory and on disk, unless it carries a secret. */
static void history_add(struct repl *r, const char *line, size_t len)
{
	struct command_info info;
	command_inspect(line, len, &info);
	if (info.secret)
		return;
	HistEvent ev;
	history(r->hist, &ev, H_ENTER, line);
	if (!r->hist_path[0])
		return;
	int fd = history_open(r->hist_path, O_WRONLY | O_APPEND);
	if (fd < 0)
		return;
	if (write(fd, line, len) < 0 || write(fd, "\n", 1) < 0)
		r->hist_path[0] = '\0'; /* stop trying; the session goes on */
	close(fd);
}

static char *prompt_fn(EditLine *el)
{
	struct repl *r = NULL;
	el_get(el, EL_CLIENTDATA, &r);
	return (char *)(r && r->cur_prompt ? r->cur_prompt : "> ");
}

static int term_cols(void)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

static int term_rows(void)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0)
		return ws.ws_row;
	return 24;
}

/* Clears the prompt and edit line so a message can be printed in their
 * place; libedit redraws them afterwards (EL_REFRESH). */
static void clear_edit_area(struct repl *r)
{
	if (!r->line_shown)
		return;
	const LineInfo *li = el_line(r->el);
	size_t before = strlen(r->cur_prompt) + (size_t)(li->cursor - li->buffer);
	size_t rows = before / (size_t)term_cols();
	for (size_t i = 0; i < rows; i++)
		fputs("\033[A", stdout);
	fputs("\r\033[J", stdout);
	/* messages may follow on stderr, which is not buffered */
	fflush(stdout);
}

static void redraw(struct repl *r)
{
	fflush(stdout);
	if (r->line_shown)
		el_set(r->el, EL_REFRESH);
}

/* One "TAG COMMAND" request of the completion catalog. */
static int request_one(struct repl *r, const char *req)
{
	char tag[16];
	const char *sp = strchr(req, ' ');
	snprintf(tag, sizeof(tag), "%.*s", (int)(sp - req), req);
	return session_internal(r->s, tag, sp + 1);
}

static void request_all(struct repl *r, const char *const *reqs)
{
	for (size_t i = 0; reqs[i]; i++)
		if (request_one(r, reqs[i]) < 0)
			return;
}

/* After a Tab: bring what it completed from up to date for the next one.
 * The relay list (ns/all) can be megabytes: at most once a minute. */
#define RELAYS_REFRESH_MS 60000
static void refresh_source(struct repl *r, enum hint_kind source)
{
	const char *req = catalog_request_for(source);
	if (req == NULL || r->disconnected)
		return;
	if (source == HINT_RELAY) {
		long now = mono_ms();
		if (now - r->relays_asked_ms < RELAYS_REFRESH_MS)
			return;
		r->relays_asked_ms = now;
	}
	request_one(r, req);
}

static void on_internal(void *ud, const char *tag, const struct tc_msg *m)
{
	struct repl *r = ud;
	clear_edit_area(r);
	bool shown = shell_internal(&r->sh, tag, m, stdout);
	redraw(r);
	if (!shown)
		catalog_take(&r->cat, tag, m);
}

static void on_msg(void *ud, const struct tc_msg *m)
{
	struct repl *r = ud;
	/* muted or held back by a flood, a CIRC or STREAM event still counts */
	if (m->event)
		catalog_event(&r->cat, m);
	if (m->event && shell_muted(&r->sh, m))
		return;
	bool awaited = m->event && r->wait.active && waiter_match(&r->wait, m);
	if (awaited) {
		r->cur_prompt = r->disconnected ? "disconnected> " : r->o->prompt;
		clear_edit_area(r);
		render(&r->out, stdout, m, "");
		fputs("/wait: done\n", stdout);
		redraw(r);
		return;
	}
	if (m->event && !flood_admit(&r->flood, mono_ms(), m))
		return;
	if (!m->event)
		shell_on_reply(&r->sh, r->s->reply_to, m);
	clear_edit_area(r);
	render(&r->out, stdout, m, r->s->reply_to);
	redraw(r);
	/* the command may have made or dropped circuits, streams, services */
	if (!m->event)
		request_all(r, catalog_live_requests);
}

/* Candidates above the prompt: the word and its description, cut to the
 * terminal's width, as many as a screen holds. */
static void show_candidates(const struct completion *c)
{
	/* room for the list, its "... and N more" line and the prompt */
	size_t rows = (size_t)term_rows(), fit = rows > 8 ? rows - 3 : 5;
	size_t width = 0, shown = c->match.n < fit ? c->match.n : fit - 1;
	for (size_t i = 0; i < shown; i++) {
		size_t n = strlen(c->match.text.p + c->match.word[i]);
		if (n > width)
			width = n;
	}
	size_t cols = (size_t)term_cols();
	fputc('\n', stdout);
	for (size_t i = 0; i < shown; i++) {
		const char *w = c->match.text.p + c->match.word[i];
		size_t d = c->match.desc[i];
		fputs("  ", stdout);
		term_safe_write(stdout, w, strlen(w));
		size_t room = cols > width + 6 ? cols - width - 5 : 0;
		if (d != (size_t)-1 && room >= 10) {
			fprintf(stdout, "%*s  ", (int)(width - strlen(w)), "");
			const char *desc = c->match.text.p + d;
			size_t dl = strlen(desc);
			if (dl > room) {
				/* whole UTF-8 characters only */
				dl = room - 3;
				while (dl > 0 && ((unsigned char)desc[dl] & 0xC0) == 0x80)
					dl--;
				term_safe_write(stdout, desc, dl);
				fputs("...", stdout);
			} else {
				term_safe_write(stdout, desc, dl);
			}
		}
		fputc('\n', stdout);
	}
	if (shown < c->match.n)
		fprintf(stdout, "  ... and %zu more\n", c->match.n - shown);
	fflush(stdout);
}

static unsigned char complete_fn(EditLine *el, int ch)
{
	(void)ch;
	struct repl *r = NULL;
	el_get(el, EL_CLIENTDATA, &r);
	if (r == NULL || r->in_body || r->confirming)
		return CC_ERROR;
	const LineInfo *li = el_line(el);
	size_t cursor = (size_t)(li->cursor - li->buffer);
	complete(&r->cat, li->buffer, cursor, &r->comp);
	refresh_source(r, r->comp.source);
	if (r->comp.match.n == 0)
		return CC_REFRESH_BEEP;
	size_t typed = cursor - r->comp.start, common = completion_common(&r->comp);
	const char *first = r->comp.match.text.p + r->comp.match.word[0];
	if (common >= typed) {
		/* replace the typed word: candidates may differ in case */
		char ins[512];
		snprintf(ins, sizeof(ins), "%.*s%s", (int)common, first,
			 r->comp.match.n == 1 && !r->comp.no_space ? " " : "");
		el_deletestr(el, (int)typed);
		el_insertstr(el, ins);
	}
	if (r->comp.match.n > 1 && common <= typed) {
		show_candidates(&r->comp);
		return CC_REDISPLAY;
	}
	return CC_REFRESH;
}

/* The typed line again with a caret under the column the error names. */
/* The line is shown above a caret, its secret (secret.h) as '*'s. */
static void show_error(const char *line, size_t len, const char *msg)
{
	size_t col = 0;
	if (sscanf(msg, "column %zu:", &col) == 1 && col >= 1 && col <= len + 1 && len < 200) {
		size_t cut = secret_in_command(line, len);
		cut = cut < len ? cut : len;
		fputs("  ", stderr);
		term_safe_write(stderr, line, cut);
		for (size_t i = cut; i < len; i++)
			fputc('*', stderr);
		fprintf(stderr, "\n  %*s^\n", (int)(col - 1), "");
	}
	fprintf(stderr, "torsh: %s\n", msg);
}

static void on_trace(void *ud, char dir, const char *p, size_t n)
{
	struct repl *r = ud;
	buf_reset(&r->trace_out);
	trace_chunk(&r->tracer, dir, p, n, &r->trace_out);
	if (r->trace_out.len == 0)
		return;
	clear_edit_area(r);
	fwrite(r->trace_out.p, 1, r->trace_out.len, stdout);
	redraw(r);
}

static void set_trace(struct repl *r, bool on)
{
	r->tracing = on;
	r->s->ctl.trace = on ? on_trace : NULL;
	r->s->ctl.trace_ud = on ? r : NULL;
}

#define BACKOFF_FIRST_MS 500
#define BACKOFF_MAX_MS 10000

/* The connection is gone: say so once, then retry in the background; the
 * editor, history and scrollback stay. */
/* Why the connection is gone, and which commands it took unanswered. */
static void say_lost(const struct repl *r)
{
	struct buf lost = {0};
	session_describe_unanswered(r->s, &lost);
	fprintf(stderr, "torsh: %s%s%s\n", r->s->ctl.err[0] ? r->s->ctl.err : "connection lost", lost.len ? "; " : "",
		lost.len ? lost.p : "");
	buf_free(&lost);
}

static void connection_lost(struct repl *r)
{
	clear_edit_area(r);
	say_lost(r);
	if (r->o->reconnect)
		fprintf(stderr, "torsh: reconnecting (/reconnect retries now; Ctrl-D leaves)\n");
	r->disconnected = true;
	r->backoff_ms = BACKOFF_FIRST_MS;
	r->next_try_ms = mono_ms() + r->backoff_ms;
	r->told_retry = false;
	r->in_body = r->confirming = false;
	r->cur_prompt = "disconnected> ";
	redraw(r);
}

static void try_reconnect(struct repl *r)
{
	struct buf why = {0};
	clear_edit_area(r);
	if (r->o->reconnect(r->o->reconnect_ud, r->s, &why) < 0) {
		if (!r->told_retry)
			fprintf(stderr, "torsh: still disconnected: %s%s", why.p ? why.p : "?",
				why.len && why.p[why.len - 1] == '\n' ? "" : "\n");
		r->told_retry = true;
		r->backoff_ms = r->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : r->backoff_ms * 2;
		r->next_try_ms = mono_ms() + r->backoff_ms;
		buf_free(&why);
		redraw(r);
		return;
	}
	buf_free(&why);
	r->disconnected = false;
	r->cur_prompt = r->o->prompt;
	set_trace(r, r->tracing);
	fprintf(stderr, "torsh: reconnected\n");
	struct buf err = {0};
	if (shell_resubscribe(&r->sh, &err) < 0)
		fprintf(stderr, "torsh: could not subscribe to events again: %s\n", err.p ? err.p : "?");
	buf_free(&err);
	request_all(r, catalog_static_requests);
	request_all(r, catalog_live_requests);
	redraw(r);
}

/* /trace [on|off] */
static void trace_command(struct repl *r, const char *a, size_t n)
{
	if (n == 0)
		printf("trace: %s\n", r->tracing ? "on" : "off");
	else if (n == 2 && strncasecmp(a, "on", 2) == 0)
		set_trace(r, true);
	else if (n == 3 && strncasecmp(a, "off", 3) == 0)
		set_trace(r, false);
	else
		fprintf(stderr, "torsh: /trace: expected on or off, got '%.*s'\n", (int)n, a);
}

static void reconnect_command(struct repl *r)
{
	if (r->o->reconnect == NULL) {
		fputs("torsh: /reconnect: not for a tor torsh launched itself\n", stderr);
		return;
	}
	if (!r->disconnected) {
		ctl_close(&r->s->ctl);
		snprintf(r->s->ctl.err, sizeof(r->s->ctl.err), "closed by /reconnect");
		connection_lost(r);
	}
	try_reconnect(r);
}

/* /scrollback [N] */
static void scrollback_command(struct repl *r, const char *a, size_t n)
{
	char num[16];
	long count = 20;
	if (n > 0) {
		char *end = NULL;
		snprintf(num, sizeof(num), "%.*s", (int)(n < sizeof(num) - 1 ? n : sizeof(num) - 1), a);
		count = strtol(num, &end, 10);
		if (n >= sizeof(num) || end == num || *end != '\0' || count <= 0 || count > FLOOD_SCROLLBACK) {
			fprintf(stderr, "torsh: /scrollback: N: expected a number 1-%d, got '%.*s'\n", FLOOD_SCROLLBACK,
				(int)(n > 40 ? 40 : n), a);
			return;
		}
	}
	flood_scrollback(&r->flood, (size_t)count, stdout);
}

/* /wait EVENT [FIELD=VALUE ...] [--timeout S] */
static void wait_command(struct repl *r, const char *line, size_t len)
{
	struct buf werr = {0};
	if (waiter_start(&r->wait, line, len, mono_ms(), &werr) < 0) {
		fprintf(stderr, "torsh: %s\n", werr.p);
	} else if (!(r->sh.events & ((uint64_t)1 << (r->wait.def - event_defs)))) {
		r->wait.active = false;
		fprintf(stderr, "torsh: /wait: not subscribed to %s; /events +%s first\n", r->wait.def->name,
			r->wait.def->name);
	} else {
		snprintf(r->wait_prompt, sizeof(r->wait_prompt), "waiting for %s (Ctrl-C stops)> ", r->wait.def->name);
		r->cur_prompt = r->wait_prompt;
	}
	buf_free(&werr);
}

static void submit_now(struct repl *r, const char *line, size_t len, const char *body, size_t blen, bool has_body);

/* On a terminal, a command that stops tor or throws state away waits for
 * a "y" (--yes skips the question). */
static bool ask_first(struct repl *r, const char *line, size_t len, const char *body, size_t blen, bool has_body)
{
	struct command_info info;
	command_inspect(line, len, &info);
	if (!info.dangerous || r->o->yes)
		return false;
	buf_reset(&r->pend_line);
	buf_reset(&r->pend_body);
	buf_append(&r->pend_line, line, len, BUF_NOLIMIT);
	if (body)
		buf_append(&r->pend_body, body, blen, BUF_NOLIMIT);
	r->pend_has_body = has_body;
	r->confirming = true;
	/* the question echoes the line, up to its secret (secret.h) */
	size_t cut = secret_in_command(line, len);
	int shown = (int)(cut < len ? cut : len);
	shown = shown > 60 ? 60 : shown;
	snprintf(r->confirm_prompt, sizeof(r->confirm_prompt), "%.*s%s: really send it? [y/N] ", shown, line,
		 shown < (int)len ? "..." : "");
	r->cur_prompt = r->confirm_prompt;
	return true;
}

static void answer_confirm(struct repl *r, const char *line, size_t len)
{
	r->confirming = false;
	r->cur_prompt = r->o->prompt;
	bool yes = (len == 1 && (line[0] == 'y' || line[0] == 'Y')) || (len == 3 && strncasecmp(line, "yes", 3) == 0);
	if (!yes) {
		fputs("not sent\n", stdout);
		return;
	}
	submit_now(r, r->pend_line.p, r->pend_line.len, r->pend_body.p, r->pend_body.len, r->pend_has_body);
}

static void submit(struct repl *r, const char *line, size_t len, const char *body, size_t blen, bool has_body)
{
	if (ask_first(r, line, len, body, blen, has_body))
		return;
	submit_now(r, line, len, body, blen, has_body);
}

static void still_waiting(const struct repl *r)
{
	fprintf(stderr, "torsh: still waiting for %s (Ctrl-C stops waiting); nothing was sent\n", r->wait.def->name);
}

static void not_connected(struct repl *r)
{
	long left = r->next_try_ms - mono_ms();
	fprintf(stderr, "torsh: not connected, nothing was sent; retrying in %ld s (/reconnect retries now)\n",
		left > 0 ? (left + 999) / 1000 : 0);
}

static void send_line(struct repl *r, const char *line, size_t len, const char *body, size_t blen, bool has_body)
{
	struct buf err = {0};
	if (session_submit(r->s, line, len, body, blen, has_body, &err) == 0)
		shell_note_submit(&r->sh, line, len);
	else if (r->s->ctl.state == CTL_OPEN)
		show_error(line, len, err.p ? err.p : "refused");
	buf_free(&err);
}

/* A '/' command, dispatched on its entry in the command table. */
static void run_local(struct repl *r, const char *line, size_t len, const char *body, size_t blen, bool has_body)
{
	struct buf err = {0};
	size_t a;
	const struct cmd_def *d = local_find(line, len, &a, &err);
	const char *args = line + a;
	size_t alen = len - a;
	if (d == NULL) {
		fprintf(stderr, "torsh: %s\n", err.p);
	} else if (r->wait.active && !(d->flags & CMD_DURING_WAIT)) {
		still_waiting(r);
	} else if (r->disconnected && !(d->flags & CMD_OFFLINE)) {
		not_connected(r);
	} else {
		switch (d->local) {
		case LC_RECONNECT:
			reconnect_command(r);
			break;
		case LC_SCROLLBACK:
			scrollback_command(r, args, alen);
			break;
		case LC_WAIT:
			wait_command(r, line, len);
			break;
		case LC_TRACE:
			trace_command(r, args, alen);
			break;
		case LC_QUIT:
			if (r->disconnected)
				r->leave = true;
			else
				send_line(r, "QUIT", 4, NULL, 0, false);
			break;
		case LC_RAW:
			send_line(r, line, len, body, blen, has_body);
			break;
		case LC_HELP:
			if (local_run(line, len, stdout, &err) == LOCAL_ERROR)
				fprintf(stderr, "torsh: %s\n", err.p);
			break;
		default:
			if (shell_run(&r->sh, d->local, args, alen, stdout, &err) == SHELL_ERROR)
				fprintf(stderr, "torsh: %s\n", err.p ? err.p : "failed");
			break;
		}
	}
	fflush(stdout);
	buf_free(&err);
}

static void submit_now(struct repl *r, const char *line, size_t len, const char *body, size_t blen, bool has_body)
{
	if (len > 0 && line[0] == '/') {
		run_local(r, line, len, body, blen, has_body);
		return;
	}
	if (r->wait.active) {
		still_waiting(r);
		return;
	}
	if (r->disconnected) {
		/* QUIT leaves, as Ctrl-D does */
		if (len == 4 && strncasecmp(line, "QUIT", 4) == 0)
			r->leave = true;
		else
			not_connected(r);
		return;
	}
	send_line(r, line, len, body, blen, has_body);
}

static void take_line(struct repl *r, const char *line, size_t len)
{
	if (r->confirming) {
		answer_confirm(r, line, len);
		return;
	}
	if (r->in_body) {
		if (len == 1 && line[0] == '.') {
			r->in_body = false;
			r->cur_prompt = r->o->prompt;
			submit(r, r->first.p, r->first.len, r->body.p, r->body.len, true);
		} else {
			buf_append(&r->body, line, len, BUF_NOLIMIT);
			buf_putc(&r->body, '\n', BUF_NOLIMIT);
		}
		return;
	}
	if (len == 0)
		return;
	history_add(r, line, len);
	if (command_wants_body(line, len)) {
		r->in_body = true;
		r->cur_prompt = "... ";
		buf_reset(&r->first);
		buf_reset(&r->body);
		buf_append(&r->first, line, len, BUF_NOLIMIT);
		return;
	}
	submit(r, line, len, NULL, 0, false);
}

static volatile sig_atomic_t got_sigint, got_sigwinch;

/* libedit's own handlers are off (EL_SIGNAL 0: torsh owns its signals), so
 * a resize is passed on to it from the loop. */
static void on_sigwinch(int sig)
{
	(void)sig;
	got_sigwinch = 1;
}
static void on_sigint(int sig)
{
	(void)sig;
	got_sigint = 1;
}

static void cancel_line(struct repl *r)
{
	const LineInfo *li = el_line(r->el);
	el_cursor(r->el, (int)(li->lastchar - li->cursor));
	el_deletestr(r->el, (int)(li->lastchar - li->buffer));
	if (r->in_body || r->confirming || r->wait.active) {
		r->in_body = r->confirming = r->wait.active = false;
		r->cur_prompt = r->disconnected ? "disconnected> " : r->o->prompt;
	}
	fputs("^C\n", stdout);
	el_set(r->el, EL_REFRESH);
}

int repl_run(struct session *s, const struct repl_opts *o, volatile sig_atomic_t *stop_flag)
{
	struct repl r = {.o = o, .s = s, .cur_prompt = o->prompt};
	renderer_init(&r.out, &o->render);
	r.sh.s = s;
	r.sh.out = &r.out;
	r.el = el_init("torsh", stdin, stdout, stderr);
	r.hist = history_init();
	HistEvent ev;
	history(r.hist, &ev, H_SETSIZE, HISTORY_KEEP);
	history(r.hist, &ev, H_SETUNIQUE, 1);
	if (history_path(r.hist_path, sizeof(r.hist_path)))
		history_load(&r);
	else
		r.hist_path[0] = '\0';
	el_set(r.el, EL_CLIENTDATA, &r);
	el_set(r.el, EL_EDITOR, "emacs");
	el_set(r.el, EL_SIGNAL, 0);
	el_set(r.el, EL_HIST, history, r.hist);
	el_set(r.el, EL_PROMPT, prompt_fn);
	el_set(r.el, EL_ADDFN, "torsh-complete", "complete the word under the cursor", complete_fn);
	el_set(r.el, EL_BIND, "^I", "torsh-complete", NULL);
	el_source(r.el, NULL);
	s->on_reply = s->on_event = on_msg;
	s->on_internal = on_internal;
	s->ud = &r;
	request_all(&r, catalog_static_requests);
	request_all(&r, catalog_live_requests);
	r.relays_asked_ms = mono_ms();

	struct sigaction sa = {.sa_handler = on_sigint};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	struct sigaction sw = {.sa_handler = on_sigwinch};
	sigemptyset(&sw.sa_mask);
	sigaction(SIGWINCH, &sw, NULL);

	int rc = EXIT_ALL_OK;
	/* Entering unbuffered mode draws the prompt (libedit's read_prepare);
	 * a refresh here would draw it a second time. */
	el_set(r.el, EL_UNBUFFERED, 1);
	r.line_shown = true;
	fflush(stdout);
	for (;;) {
		if (stop_flag && *stop_flag) {
			/* what follows (the shell's prompt) starts on a line of its own */
			fputc('\n', stdout);
			break;
		}
		if (got_sigwinch) {
			got_sigwinch = 0;
			el_resize(r.el);
		}
		if (got_sigint) {
			got_sigint = 0;
			cancel_line(&r);
		}
		if (r.disconnected && mono_ms() >= r.next_try_ms)
			try_reconnect(&r);
		struct pollfd p[2] = {{.fd = 0, .events = POLLIN}, {.fd = s->ctl.fd, .events = POLLIN}};
		int timeout = -1;
		if (r.disconnected) {
			long left = r.next_try_ms - mono_ms();
			timeout = left < 0 ? 0 : (int)left;
		}
		long flood_wait;
		buf_reset(&r.summary);
		flood_tick(&r.flood, mono_ms(), &r.summary, &flood_wait);
		if (r.summary.len > 0) {
			clear_edit_area(&r);
			fwrite(r.summary.p, 1, r.summary.len, stdout);
			redraw(&r);
		}
		if (flood_wait >= 0 && (timeout < 0 || flood_wait < timeout))
			timeout = (int)flood_wait;
		long reply_due = r.disconnected ? -1 : session_deadline(s);
		if (reply_due >= 0 && (timeout < 0 || reply_due - mono_ms() < timeout))
			timeout = reply_due - mono_ms() < 0 ? 0 : (int)(reply_due - mono_ms());
		if (r.wait.active) {
			long left = r.wait.deadline_ms - mono_ms();
			if (left <= 0) {
				r.wait.active = false;
				r.cur_prompt = r.disconnected ? "disconnected> " : o->prompt;
				clear_edit_area(&r);
				fprintf(stderr, "torsh: /wait: no %s event %swithin %g s\n", r.wait.def->name,
					r.wait.ncond ? "with those fields " : "", r.wait.timeout_s);
				redraw(&r);
				continue;
			}
			if (timeout < 0 || left < timeout)
				timeout = (int)left;
		}
		int n = poll(p, r.disconnected ? 1 : 2, timeout);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		/* a reply is overdue however much else arrived meanwhile */
		if (!r.disconnected && ((p[1].revents && session_pump(s) < 0) || session_timed_out(s, mono_ms()))) {
			if (s->closed_by_quit || r.o->reconnect == NULL) {
				clear_edit_area(&r);
				if (!s->closed_by_quit) {
					say_lost(&r);
					rc = EXIT_LOST;
				}
				r.line_shown = false;
				break;
			}
			/* nothing more is read from it: a late reply would
			 * be taken for the next command's */
			ctl_close(&s->ctl);
			connection_lost(&r);
		}
		if (!p[0].revents)
			continue;
		int count = 0;
		const char *line = el_gets(r.el, &count);
		/* In unbuffered mode libedit reports Ctrl-D on an empty line as a
		 * one-character line holding ^D. */
		if ((line == NULL && count == 0) || (count == 1 && line[0] == '\004')) {
			fputc('\n', stdout);
			if (r.disconnected)
				rc = EXIT_LOST;
			break;
		}
		if (line == NULL || count <= 0 || line[count - 1] != '\n')
			continue;
		/* libedit leaves the cursor on a fresh line; reset unbuffered mode so
		 * the next el_gets starts a new line. */
		struct buf copy = {0};
		buf_append(&copy, line, (size_t)count - 1, BUF_NOLIMIT);
		r.line_shown = false;
		el_set(r.el, EL_UNBUFFERED, 0);
		take_line(&r, copy.p, copy.len);
		if (r.leave) {
			buf_free(&copy);
			rc = EXIT_LOST;
			break;
		}
		/* Re-entering unbuffered mode starts a new line and draws the
		 * prompt (which may have changed, e.g. to "... " in a body). */
		el_set(r.el, EL_UNBUFFERED, 1);
		buf_free(&copy);
		if (!r.disconnected && s->ctl.state != CTL_OPEN) {
			/* sending failed: the connection went while we wrote */
			if (o->reconnect && !s->quit_sent) {
				connection_lost(&r);
			} else {
				say_lost(&r);
				rc = EXIT_LOST;
				break;
			}
		}
		r.line_shown = true;
		fflush(stdout);
	}
	if (s->ctl.state == CTL_OPEN && !r.disconnected)
		session_quit(s, stop_flag && *stop_flag ? SESSION_QUIT_STOP_MS : SESSION_QUIT_MS);
	el_end(r.el);
	history_end(r.hist);
	buf_free(&r.first);
	buf_free(&r.body);
	buf_free(&r.pend_line);
	catalog_free(&r.cat);
	tracer_free(&r.tracer);
	flood_free(&r.flood);
	waiter_free(&r.wait);
	buf_free(&r.summary);
	buf_free(&r.trace_out);
	completion_free(&r.comp);
	buf_free(&r.pend_body);
	renderer_free(&r.out);
	return rc;
}
