#include "repl.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "command.h"
#include "complete.h"
#include "editor.h"
#include "histfile.h"
#include "shellcmd.h"
#include "flood.h"
#include "linestate.h"
#include "secret.h"
#include "trace.h"
#include "typo.h"
#include "waiter.h"
#include "escape.h"
#include "exitcode.h"
#include "local.h"

/* A command typed while /wait holds the prompt. */
struct held_line {
	char *line, *body;
	size_t len, blen;
	bool has_body;
};
#define REPL_HELD_MAX 16

struct repl {
	const struct repl_opts *o;
	struct session *s;
	struct editor *ed;
	struct linestate ls;       /* lines into commands, bodies collected */
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
	/* lines typed during a /wait, run when the event comes */
	struct held_line held[REPL_HELD_MAX];
	size_t nheld;
	bool release;              /* the wait is over: run them (from the loop) */
	struct buf summary;
	bool tracing;              /* /trace on */
	struct tracer tracer;
	struct buf trace_out;
	struct catalog cat;        /* completion data from tor */
	struct completion comp;
	bool pump_failed;          /* the connection failed while a Tab waited */
};

/* Remember a line, for Up and on disk, unless it carries a secret. */
static void history_add(struct repl *r, const char *line, size_t len)
{
	struct command_info info;
	command_inspect(line, len, &info);
	if (info.secret)
		return;
	editor_history_add(r->ed, line);
	if (!r->hist_path[0])
		return;
	if (histfile_add(r->hist_path, line, len) < 0)
		r->hist_path[0] = '\0'; /* stop trying; the session goes on */
}

static void history_add_loaded(void *ud, const char *line)
{
	editor_history_add(ud, line);
}

static const char *prompt_cb(void *ud)
{
	const struct repl *r = ud;
	return r->cur_prompt;
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

/* CIRC and STREAM events keep the catalog's circuits and streams current
 * while they are subscribed. */
static void tell_following(struct repl *r)
{
	catalog_following(&r->cat, r->sh.events);
}

/* A Tab needs what tor has not told yet: wait for the answer, briefly;
 * what else arrives meanwhile is handled as usual. A failed connection is
 * left for the loop to handle. */
#define TAB_WAIT_MS 2000
static void await_catalog(struct repl *r, enum hint_kind source)
{
	long until = mono_ms() + TAB_WAIT_MS;
	while (catalog_asking(&r->cat, source) && r->s->ctl.state == CTL_OPEN && !r->pump_failed) {
		long left = until - mono_ms();
		struct pollfd p = {.fd = r->s->ctl.fd, .events = POLLIN};
		int n = left > 0 ? poll(&p, 1, (int)left) : 0;
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		if (session_pump(r->s) < 0)
			r->pump_failed = true;
	}
}

/* Before completing from tor's data: ask for it if it is missing or stale
 * (complete.h's rule), and wait for the answer. True when it was asked. */
static bool fetch_for_tab(struct repl *r, enum hint_kind source)
{
	if (r->disconnected)
		return false;
	const char *req = catalog_fetch(&r->cat, source, mono_ms());
	if (req && request_one(r, req) < 0)
		return false;
	if (!catalog_asking(&r->cat, source))
		return false;
	await_catalog(r, source);
	return true;
}

static void on_internal(void *ud, const char *tag, const struct tc_msg *m)
{
	struct repl *r = ud;
	editor_print_begin(r->ed);
	bool shown = shell_internal(&r->sh, tag, m, stdout);
	editor_print_end(r->ed);
	if (!shown)
		catalog_take(&r->cat, tag, m);
}

/* A 552 for an unknown GETINFO key or option: what was likely meant. */
static void typo_print(const struct repl *r, const struct tc_msg *m, const struct cmd_def *def)
{
	struct buf hint = {0};
	if (!m->event && typo_reply_hint(m, def, &r->cat, &hint)) {
		fflush(stdout);
		fprintf(stderr, "torsh: %s\n", hint.p);
	}
	buf_free(&hint);
}

static void on_msg(void *ud, const struct tc_msg *m)
{
	struct repl *r = ud;
	/* muted or held back by a flood, a CIRC or STREAM event still counts */
	if (m->event)
		catalog_event(&r->cat, m);
	/* kept for a /wait typed later; a muted event still ends a /wait */
	if (m->event)
		waiter_remember(&r->wait, m);
	bool awaited = m->event && r->wait.active && waiter_match(&r->wait, m);
	if (awaited) {
		r->release = true;
		set_prompt(r);
		editor_print_begin(r->ed);
		render(&r->out, stdout, m, NULL, NULL);
		fputs("/wait: done\n", stdout);
		editor_print_end(r->ed);
		return;
	}
	if (m->event && shell_muted(&r->sh, m))
		return;
	if (m->event && !flood_admit(&r->flood, mono_ms(), m))
		return;
	const struct pending_cmd *to = r->s->answering;
	if (!m->event && !m->partial) {
		uint64_t before = r->sh.events;
		shell_on_reply(&r->sh, to ? to->def : NULL, m);
		if (r->sh.events != before)
			tell_following(r);
	}
	editor_print_begin(r->ed);
	/* a big reply comes in pieces (reply.h), each shown as it comes */
	render(&r->out, stdout, m, to ? to->def : NULL, to ? to->word : NULL);
	if (!m->partial)
		typo_print(r, m, to ? to->def : NULL);
	editor_print_end(r->ed);
}

/* Tab, from the editor: candidates from complete.h, from data asked of tor
 * now when it is missing or stale. No completion in a body or at a
 * confirmation question. */
static int complete_cb(void *ud, const char *line, size_t cursor, struct editor_matches *m)
{
	struct repl *r = ud;
	if (linestate_in_body(&r->ls) || r->confirming)
		return -1;
	complete(&r->cat, line, cursor, &r->comp);
	if (fetch_for_tab(r, r->comp.source))
		complete(&r->cat, line, cursor, &r->comp);
	const struct wordlist *w = &r->comp.match;
	*m = (struct editor_matches){.start = r->comp.start, .n = w->n, .text = w->text.p, .word = w->word,
				     .desc = w->desc, .common = completion_common(&r->comp),
				     .no_space = r->comp.no_space};
	return 0;
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
	/* what torsh asks by itself is marked as such */
	r->tracer.own = dir == '>' && r->s->sending_internal;
	trace_chunk(&r->tracer, dir, p, n, &r->trace_out);
	if (r->trace_out.len == 0)
		return;
	editor_print_begin(r->ed);
	fwrite(r->trace_out.p, 1, r->trace_out.len, stdout);
	editor_print_end(r->ed);
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
	editor_print_begin(r->ed);
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
	editor_print_end(r->ed);
}

static void try_reconnect(struct repl *r)
{
	struct buf why = {0};
	editor_print_begin(r->ed);
	if (r->o->reconnect(r->o->reconnect_ud, r->s, &why) < 0) {
		if (!r->told_retry)
			fprintf(stderr, "torsh: still disconnected: %s%s", why.p ? why.p : "?",
				why.len && why.p[why.len - 1] == '\n' ? "" : "\n");
		r->told_retry = true;
		r->backoff_ms = r->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : r->backoff_ms * 2;
		r->next_try_ms = mono_ms() + r->backoff_ms;
		buf_free(&why);
		editor_print_end(r->ed);
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
	catalog_reconnected(&r->cat);
	tell_following(r);
	request_all(r, catalog_static_requests);
	editor_print_end(r->ed);
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

/* A command of the user's: events before it no longer count for /wait
 * (waiter.h), and what torsh knows of circuits may change with it. */
static void send_command(struct repl *r, const struct command *c)
{
	waiter_forget(&r->wait);
	catalog_commanded(&r->cat);
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
	/* lines a /wait held after this one */
	r->release = r->nheld > 0 && !r->wait.active;
}

/* A line typed during a /wait: kept, and run when the event comes. */
static void hold(struct repl *r, const char *line, size_t len, const char *body, size_t blen, bool has_body)
{
	if (r->nheld == REPL_HELD_MAX) {
		fprintf(stderr, "torsh: %d commands are held already; not taken (Ctrl-C stops waiting)\n",
			REPL_HELD_MAX);
		return;
	}
	struct held_line *h = &r->held[r->nheld];
	h->line = malloc(len + 1);
	h->body = malloc(blen + 1);
	if (h->line == NULL || h->body == NULL) {
		free(h->line);
		free(h->body);
		fputs("torsh: out of memory; not taken\n", stderr);
		return;
	}
	memcpy(h->line, line, len);
	if (blen)
		memcpy(h->body, body, blen);
	h->len = len;
	h->blen = blen;
	h->has_body = has_body;
	r->nheld++;
	fprintf(stderr, "torsh: held; runs when the %s event comes (Ctrl-C stops waiting and drops it)\n",
		r->wait.def->name);
}

static void free_held(struct held_line *h)
{
	free(h->line);
	free(h->body);
	*h = (struct held_line){0};
}

/* The wait ended without its event: what was held is not run. */
static void drop_held(struct repl *r)
{
	if (r->nheld)
		fprintf(stderr, "torsh: %zu held command%s not sent (Up recalls %s)\n", r->nheld,
			r->nheld == 1 ? "" : "s", r->nheld == 1 ? "it" : "them");
	for (size_t i = 0; i < r->nheld; i++)
		free_held(&r->held[i]);
	r->nheld = 0;
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
		hold(r, line, len, body, blen, has_body);
	} else if (r->disconnected && !(d->flags & CMD_OFFLINE)) {
		not_connected(r);
	} else {
		struct local_ctx ctx = {.s = r->s, .sh = &r->sh, .wait = &r->wait, .flood = &r->flood,
					.now_ms = mono_ms(), .offline = r->disconnected, .out = stdout, .err = &err,
					.front = &repl_front, .ud = r, .json = r->out.o.fmt == FMT_JSON};
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
		hold(r, line, len, body, blen, has_body);
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

/* Ctrl-C: what the line was for goes too, a body, a question or a /wait
 * with the commands it held. */
static void cancel_input(struct repl *r)
{
	linestate_cancel(&r->ls);
	r->confirming = r->wait.active = false;
	drop_held(r);
	set_prompt(r);
}

/* The awaited event came: the held lines run in the order typed, until
 * one of them is a /wait again (the rest then wait for that one) or asks
 * "really send it?" (the rest follow the answer). */
static void release_held(struct repl *r)
{
	if (!r->release)
		return;
	r->release = false;
	size_t done = 0;
	editor_print_begin(r->ed);
	while (done < r->nheld && !r->wait.active && !r->confirming) {
		struct held_line *h = &r->held[done++];
		submit_now(r, h->line, h->len, h->body, h->blen, h->has_body);
		free_held(h);
	}
	memmove(r->held, r->held + done, (r->nheld - done) * sizeof(r->held[0]));
	r->nheld -= done;
	set_prompt(r);
	editor_print_end(r->ed);
}

static void cancel_line(struct repl *r)
{
	editor_cancel(r->ed);
}

/* The line editor and the history, set up for the shell. -1 when the
 * editor cannot start. */
static int setup_editor(struct repl *r)
{
	struct editor_calls calls = {.prompt = prompt_cb, .complete = complete_cb, .ud = r,
				     .history_size = HISTFILE_KEEP};
	r->ed = editor_new(&calls);
	if (r->ed == NULL)
		return -1;
	if (histfile_path(r->hist_path, sizeof(r->hist_path)))
		histfile_load(r->hist_path, history_add_loaded, r->ed);
	else
		r->hist_path[0] = '\0';
	return 0;
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
		editor_resize(r->ed);
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
	editor_print_begin(r->ed);
	fprintf(stderr, "torsh: %s\n", msg);
	drop_held(r);
	editor_print_end(r->ed);
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
		editor_print_begin(r->ed);
		fwrite(r->summary.p, 1, r->summary.len, stdout);
		editor_print_end(r->ed);
	}
	if (flood_wait >= 0 && (timeout < 0 || flood_wait < timeout))
		timeout = flood_wait;
	long reply_due = r->disconnected ? -1 : session_deadline(r->s);
	if (reply_due >= 0 && (timeout < 0 || reply_due - now < timeout))
		timeout = reply_due - now < 0 ? 0 : reply_due - now;
	if (r->wait.active && (timeout < 0 || r->wait.deadline_ms - now < timeout))
		timeout = r->wait.deadline_ms - now < 0 ? 0 : r->wait.deadline_ms - now;
	/* the connection failed while a Tab waited: take_tor says so now */
	if (r->pump_failed || r->release)
		timeout = 0;
	return (int)timeout;
}

/* What tor sent, and whether a reply is overdue (however much else arrived
 * meanwhile). True when the shell ends, with *rc. */
static bool take_tor(struct repl *r, short revents, int *rc)
{
	struct session *s = r->s;
	bool failed = r->pump_failed || (revents && session_pump(s) < 0) || session_timed_out(s, mono_ms());
	r->pump_failed = false;
	if (r->disconnected || !failed)
		return false;
	if (s->closed_by_quit || r->o->reconnect == NULL) {
		editor_print_begin(r->ed);
		if (!s->closed_by_quit) {
			say_lost(r);
			*rc = EXIT_LOST;
		}
		editor_leave(r->ed);
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
	struct buf copy = {0};
	enum editor_got got = editor_read(r->ed, &copy);
	if (got == EDITOR_EOF) {
		if (r->disconnected)
			*rc = EXIT_LOST;
		return true;
	}
	if (got != EDITOR_LINE)
		return false;
	take_line(r, copy.p, copy.len);
	buf_free(&copy);
	if (r->leave) {
		*rc = EXIT_LOST;
		return true;
	}
	if (!r->disconnected && r->s->ctl.state != CTL_OPEN) {
		/* sending failed: the connection went while we wrote */
		if (!r->o->reconnect || r->s->quit_sent) {
			say_lost(r);
			*rc = EXIT_LOST;
			return true;
		}
		connection_lost(r);
	}
	/* a new line, under a prompt that may have changed (to "... " in a
	 * body, to "disconnected> ") */
	editor_prompt(r->ed);
	return false;
}

static void repl_free(struct repl *r)
{
	editor_free(r->ed);
	linestate_free(&r->ls);
	command_free(&r->pend);
	catalog_free(&r->cat);
	tracer_free(&r->tracer);
	flood_free(&r->flood);
	waiter_free(&r->wait);
	for (size_t i = 0; i < r->nheld; i++)
		free_held(&r->held[i]);
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
	if (setup_editor(&r) < 0) {
		fputs("torsh: cannot start the line editor\n", stderr);
		renderer_free(&r.out);
		return EXIT_USAGE;
	}
	s->on_reply = s->on_event = on_msg;
	s->stream_replies = true; /* on_msg renders a big reply piece by piece */
	s->on_internal = on_internal;
	s->ud = &r;
	/* the small name lists; the rest when a Tab needs it */
	request_all(&r, catalog_static_requests);
	install_signals();

	int rc = EXIT_ALL_OK;
	editor_prompt(r.ed);
	for (;;) {
		if (take_signals(&r, stop_flag))
			break;
		if (r.disconnected && mono_ms() >= r.next_try_ms)
			try_reconnect(&r);
		expire_wait(&r);
		release_held(&r);
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
