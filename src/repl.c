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

#include "command.h"
#include "complete.h"
#include "shellcmd.h"
#include "flood.h"
#include "linestate.h"
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
	struct linestate ls;       /* lines into commands, bodies collected */
	bool line_shown;          /* a prompt and edit line are on screen */
	const char *cur_prompt;
	struct renderer out;
	char hist_path[PATH_MAX];   /* "" when history is not kept on disk */
	/* a dangerous command waiting for "y" */
	bool confirming;
	struct command pend;
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

static long mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

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

/* The prompt says what the next line is for. */
static void set_prompt(struct repl *r)
{
	if (r->confirming)
		r->cur_prompt = r->confirm_prompt;
	else if (linestate_in_body(&r->ls))
		r->cur_prompt = "... ";
	else if (r->disconnected)
		r->cur_prompt = "disconnected> ";
	else if (r->wait.active)
		r->cur_prompt = r->wait_prompt;
	else
		r->cur_prompt = r->o->prompt;
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
		set_prompt(r);
		clear_edit_area(r);
		render(&r->out, stdout, m, NULL, NULL);
		fputs("/wait: done\n", stdout);
		redraw(r);
		return;
	}
	if (m->event && !flood_admit(&r->flood, mono_ms(), m))
		return;
	const struct pending_cmd *to = r->s->answering;
	if (!m->event)
		shell_on_reply(&r->sh, to ? to->def : NULL, m);
	clear_edit_area(r);
	render(&r->out, stdout, m, to ? to->def : NULL, to ? to->word : NULL);
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
	if (r == NULL || linestate_in_body(&r->ls) || r->confirming)
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

/* The typed line again with a caret under the column the error names,
 * its secret (secret.h) as '*'s. */
static void show_error(const char *line, size_t len, const struct cmd_error *e)
{
	size_t col = e->col;
	if (col >= 1 && col <= len + 1 && len < 200) {
		size_t cut = secret_in_command(line, len);
		cut = cut < len ? cut : len;
		fputs("  ", stderr);
		term_safe_write(stderr, line, cut);
		for (size_t i = cut; i < len; i++)
			fputc('*', stderr);
		fprintf(stderr, "\n  %*s^\n", (int)(col - 1), "");
	}
	struct buf msg = {0};
	command_error_text(e, &msg);
	fprintf(stderr, "torsh: %s\n", msg.p);
	buf_free(&msg);
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
	linestate_cancel(&r->ls);
	r->confirming = false;
	set_prompt(r);
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
	set_prompt(r);
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

/* What torsh's own commands ask of the shell (local.h). */
static bool front_trace(void *ud, int on)
{
	struct repl *r = ud;
	if (on >= 0)
		set_trace(r, on == 1);
	return r->tracing;
}

static int front_reconnect(void *ud, struct buf *err)
{
	struct repl *r = ud;
	if (r->o->reconnect == NULL) {
		buf_printf(err, BUF_NOLIMIT, "/reconnect: not for a tor torsh launched itself");
		return -1;
	}
	if (!r->disconnected) {
		ctl_close(&r->s->ctl);
		snprintf(r->s->ctl.err, sizeof(r->s->ctl.err), "closed by /reconnect");
		connection_lost(r);
	}
	try_reconnect(r);
	return 0;
}

static void front_waiting(void *ud)
{
	struct repl *r = ud;
	snprintf(r->wait_prompt, sizeof(r->wait_prompt), "waiting for %s (Ctrl-C stops)> ", r->wait.def->name);
	set_prompt(r);
}

/* On a terminal, a command that stops tor or throws state away waits for
 * a "y" (--yes skips the question); r->pend holds it meanwhile. */
static void ask_first(struct repl *r, const char *line, size_t len)
{
	r->confirming = true;
	/* the question echoes the line, up to its secret (secret.h) */
	size_t cut = secret_in_command(line, len);
	int shown = (int)(cut < len ? cut : len);
	shown = shown > 60 ? 60 : shown;
	snprintf(r->confirm_prompt, sizeof(r->confirm_prompt), "%.*s%s: really send it? [y/N] ", shown, line,
		 shown < (int)len ? "..." : "");
	set_prompt(r);
}

static void send_command(struct repl *r, const struct command *c)
{
	if (session_send(r->s, c) == 0)
		shell_note_sent(&r->sh, c);
}

static void answer_confirm(struct repl *r, const char *line, size_t len)
{
	r->confirming = false;
	set_prompt(r);
	bool yes = (len == 1 && (line[0] == 'y' || line[0] == 'Y')) || (len == 3 && strncasecmp(line, "yes", 3) == 0);
	if (!yes)
		fputs("not sent\n", stdout);
	else
		send_command(r, &r->pend);
	command_free(&r->pend);
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

/* A tor command, or the LINE of /raw: built once, then sent, or held
 * for a "y" first. */
static void send_line(struct repl *r, const char *line, size_t len, const char *body, size_t blen, bool has_body)
{
	struct cmd_error e;
	if (command_build(&r->pend, line, len, body, blen, has_body, &e) < 0) {
		show_error(line, len, &e);
		return;
	}
	if (r->pend.dangerous && !r->o->yes) {
		ask_first(r, line, len);
		return;
	}
	send_command(r, &r->pend);
	command_free(&r->pend);
}

static void front_send(void *ud, const char *line, size_t len, const char *body, size_t blen, bool has_body)
{
	send_line(ud, line, len, body, blen, has_body);
}

static const struct local_front repl_front = {
	.send = front_send, .reconnect = front_reconnect, .trace = front_trace, .waiting = front_waiting,
};

/* A '/' command, run from its entry in the command table. */
static void run_local(struct repl *r, const char *line, size_t len, const char *body, size_t blen, bool has_body)
{
	struct buf err = {0};
	struct local_args a;
	const struct cmd_def *d = local_find(line, len, body, blen, has_body, &a, &err);
	if (d == NULL) {
		fprintf(stderr, "torsh: %s\n", err.p);
	} else if (r->wait.active && !(d->flags & CMD_DURING_WAIT)) {
		still_waiting(r);
	} else if (r->disconnected && !(d->flags & CMD_OFFLINE)) {
		not_connected(r);
	} else {
		struct local_ctx ctx = {.s = r->s, .sh = &r->sh, .wait = &r->wait, .flood = &r->flood,
					.now_ms = mono_ms(), .offline = r->disconnected, .out = stdout, .err = &err,
					.front = &repl_front, .ud = r};
		if (local_exec(d, &ctx, &a) < 0)
			fprintf(stderr, "torsh: %s\n", err.p ? err.p : "failed");
		r->leave = r->leave || ctx.leave;
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
		const struct cmd_def *d = cmd_line_def(line, len, false);
		if (d != NULL && (d->flags & CMD_CLOSES))
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
	if (!linestate_in_body(&r->ls) && len > 0)
		history_add(r, line, len);
	struct line_cmd c;
	if (linestate_take(&r->ls, line, len, 0, &c) == 1)
		submit_now(r, c.line, c.len, c.body, c.blen, c.has_body);
	set_prompt(r);
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

/* Ctrl-C: what the line was for goes too, a body, a question or a /wait. */
static void cancel_input(struct repl *r)
{
	linestate_cancel(&r->ls);
	r->confirming = r->wait.active = false;
	set_prompt(r);
}

static void cancel_line(struct repl *r)
{
	const LineInfo *li = el_line(r->el);
	el_cursor(r->el, (int)(li->lastchar - li->cursor));
	el_deletestr(r->el, (int)(li->lastchar - li->buffer));
	fputs("^C\n", stdout);
	el_set(r->el, EL_REFRESH);
}

/* The line editor and the history, set up for the shell. */
static void setup_editor(struct repl *r)
{
	r->el = el_init("torsh", stdin, stdout, stderr);
	r->hist = history_init();
	HistEvent ev;
	history(r->hist, &ev, H_SETSIZE, HISTORY_KEEP);
	history(r->hist, &ev, H_SETUNIQUE, 1);
	if (history_path(r->hist_path, sizeof(r->hist_path)))
		history_load(r);
	else
		r->hist_path[0] = '\0';
	el_set(r->el, EL_CLIENTDATA, r);
	el_set(r->el, EL_EDITOR, "emacs");
	el_set(r->el, EL_SIGNAL, 0);
	el_set(r->el, EL_HIST, history, r->hist);
	el_set(r->el, EL_PROMPT, prompt_fn);
	el_set(r->el, EL_ADDFN, "torsh-complete", "complete the word under the cursor", complete_fn);
	el_set(r->el, EL_BIND, "^I", "torsh-complete", NULL);
	el_source(r->el, NULL);
}

static void install_signals(void)
{
	struct sigaction sa = {.sa_handler = on_sigint};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	struct sigaction sw = {.sa_handler = on_sigwinch};
	sigemptyset(&sw.sa_mask);
	sigaction(SIGWINCH, &sw, NULL);
}

/* What the signal handlers noted; true when torsh is asked to stop. */
static bool take_signals(struct repl *r, volatile sig_atomic_t *stop_flag)
{
	if (stop_flag && *stop_flag) {
		/* what follows (the shell's prompt) starts on a line of its own */
		fputc('\n', stdout);
		return true;
	}
	if (got_sigwinch) {
		got_sigwinch = 0;
		el_resize(r->el);
	}
	if (got_sigint) {
		got_sigint = 0;
		cancel_input(r);
		cancel_line(r);
	}
	return false;
}

/* A /wait that timed out says so and gives the prompt back. */
static void expire_wait(struct repl *r)
{
	char msg[160];
	if (!waiter_expired(&r->wait, mono_ms(), msg, sizeof(msg)))
		return;
	set_prompt(r);
	clear_edit_area(r);
	fprintf(stderr, "torsh: %s\n", msg);
	redraw(r);
}

/* How long poll may sleep: until the next retry, the flood summary, the
 * reply deadline or the end of a /wait. A flood summary that is due is
 * printed now. */
static int poll_timeout(struct repl *r)
{
	long now = mono_ms(), timeout = -1, flood_wait;
	if (r->disconnected)
		timeout = r->next_try_ms - now < 0 ? 0 : r->next_try_ms - now;
	buf_reset(&r->summary);
	flood_tick(&r->flood, now, &r->summary, &flood_wait);
	if (r->summary.len > 0) {
		clear_edit_area(r);
		fwrite(r->summary.p, 1, r->summary.len, stdout);
		redraw(r);
	}
	if (flood_wait >= 0 && (timeout < 0 || flood_wait < timeout))
		timeout = flood_wait;
	long reply_due = r->disconnected ? -1 : session_deadline(r->s);
	if (reply_due >= 0 && (timeout < 0 || reply_due - now < timeout))
		timeout = reply_due - now < 0 ? 0 : reply_due - now;
	if (r->wait.active && (timeout < 0 || r->wait.deadline_ms - now < timeout))
		timeout = r->wait.deadline_ms - now < 0 ? 0 : r->wait.deadline_ms - now;
	return (int)timeout;
}

/* What tor sent, and whether a reply is overdue (however much else arrived
 * meanwhile). True when the shell ends, with *rc. */
static bool take_tor(struct repl *r, short revents, int *rc)
{
	struct session *s = r->s;
	if (r->disconnected || !((revents && session_pump(s) < 0) || session_timed_out(s, mono_ms())))
		return false;
	if (s->closed_by_quit || r->o->reconnect == NULL) {
		clear_edit_area(r);
		if (!s->closed_by_quit) {
			say_lost(r);
			*rc = EXIT_LOST;
		}
		r->line_shown = false;
		return true;
	}
	/* nothing more is read from it: a late reply would be taken for the
	 * next command's */
	ctl_close(&s->ctl);
	connection_lost(r);
	return false;
}

/* What the editor read; a complete line is run. True when the shell ends
 * (Ctrl-D, QUIT while disconnected, a send that failed), with *rc. */
static bool take_input(struct repl *r, int *rc)
{
	int count = 0;
	const char *line = el_gets(r->el, &count);
	/* In unbuffered mode libedit reports Ctrl-D on an empty line as a
	 * one-character line holding ^D. */
	if ((line == NULL && count == 0) || (count == 1 && line[0] == '\004')) {
		fputc('\n', stdout);
		if (r->disconnected)
			*rc = EXIT_LOST;
		return true;
	}
	if (line == NULL || count <= 0 || line[count - 1] != '\n')
		return false;
	/* libedit leaves the cursor on a fresh line; reset unbuffered mode so
	 * the next el_gets starts a new line. */
	struct buf copy = {0};
	buf_append(&copy, line, (size_t)count - 1, BUF_NOLIMIT);
	r->line_shown = false;
	el_set(r->el, EL_UNBUFFERED, 0);
	take_line(r, copy.p, copy.len);
	buf_free(&copy);
	if (r->leave) {
		*rc = EXIT_LOST;
		return true;
	}
	/* Re-entering unbuffered mode starts a new line and draws the
	 * prompt (which may have changed, e.g. to "... " in a body). */
	el_set(r->el, EL_UNBUFFERED, 1);
	if (!r->disconnected && r->s->ctl.state != CTL_OPEN) {
		/* sending failed: the connection went while we wrote */
		if (!r->o->reconnect || r->s->quit_sent) {
			say_lost(r);
			*rc = EXIT_LOST;
			return true;
		}
		connection_lost(r);
	}
	r->line_shown = true;
	fflush(stdout);
	return false;
}

static void repl_free(struct repl *r)
{
	el_end(r->el);
	history_end(r->hist);
	linestate_free(&r->ls);
	command_free(&r->pend);
	catalog_free(&r->cat);
	tracer_free(&r->tracer);
	flood_free(&r->flood);
	waiter_free(&r->wait);
	buf_free(&r->summary);
	buf_free(&r->trace_out);
	completion_free(&r->comp);
	renderer_free(&r->out);
}

int repl_run(struct session *s, const struct repl_opts *o, volatile sig_atomic_t *stop_flag)
{
	struct repl r = {.o = o, .s = s, .cur_prompt = o->prompt};
	renderer_init(&r.out, &o->render);
	r.sh.s = s;
	r.sh.out = &r.out;
	setup_editor(&r);
	s->on_reply = s->on_event = on_msg;
	s->on_internal = on_internal;
	s->ud = &r;
	request_all(&r, catalog_static_requests);
	request_all(&r, catalog_live_requests);
	r.relays_asked_ms = mono_ms();
	install_signals();

	int rc = EXIT_ALL_OK;
	/* Entering unbuffered mode draws the prompt (libedit's read_prepare);
	 * a refresh here would draw it a second time. */
	el_set(r.el, EL_UNBUFFERED, 1);
	r.line_shown = true;
	fflush(stdout);
	for (;;) {
		if (take_signals(&r, stop_flag))
			break;
		if (r.disconnected && mono_ms() >= r.next_try_ms)
			try_reconnect(&r);
		expire_wait(&r);
		struct pollfd p[2] = {{.fd = 0, .events = POLLIN}, {.fd = s->ctl.fd, .events = POLLIN}};
		int n = poll(p, r.disconnected ? 1 : 2, poll_timeout(&r));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || take_tor(&r, p[1].revents, &rc) || (p[0].revents && take_input(&r, &rc)))
			break;
	}
	if (s->ctl.state == CTL_OPEN && !r.disconnected)
		session_quit(s, stop_flag && *stop_flag ? SESSION_QUIT_STOP_MS : SESSION_QUIT_MS);
	repl_free(&r);
	return rc;
}
