#include "repl.h"

#include <errno.h>
#include <histedit.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "command.h"
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
};

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
}

static void redraw(struct repl *r)
{
	fflush(stdout);
	if (r->line_shown)
		el_set(r->el, EL_REFRESH);
}

static void on_msg(void *ud, const struct tc_msg *m)
{
	struct repl *r = ud;
	clear_edit_area(r);
	render(&r->out, stdout, m, r->s->reply_to);
	redraw(r);
}

/* The typed line again with a caret under the column the error names. */
static void show_error(const char *line, size_t len, const char *msg)
{
	size_t col = 0;
	if (sscanf(msg, "column %zu:", &col) == 1 && col >= 1 && col <= len + 1 && len < 200) {
		fputs("  ", stderr);
		term_safe_write(stderr, line, len);
		fprintf(stderr, "\n  %*s^\n", (int)(col - 1), "");
	}
	fprintf(stderr, "torsh: %s\n", msg);
}

static void submit(struct repl *r, const char *line, size_t len, const char *body, size_t blen, bool has_body)
{
	struct buf err = {0};
	if (len > 0 && line[0] == '/') {
		enum local_result lr = local_run(line, len, stdout, &err);
		if (lr == LOCAL_ERROR)
			fprintf(stderr, "torsh: %s\n", err.p);
		if (lr == LOCAL_QUIT) {
			line = "QUIT";
			len = 4;
		}
		if (lr == LOCAL_DONE || lr == LOCAL_ERROR) {
			fflush(stdout);
			buf_free(&err);
			return;
		}
	}
	if (session_submit(r->s, line, len, body, blen, has_body, &err) < 0 && r->s->ctl.state == CTL_OPEN)
		show_error(line, len, err.p ? err.p : "refused");
	buf_free(&err);
}

static void take_line(struct repl *r, const char *line, size_t len)
{
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
	HistEvent ev;
	history(r->hist, &ev, H_ENTER, line);
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

static volatile sig_atomic_t got_sigint;
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
	if (r->in_body) {
		r->in_body = false;
		r->cur_prompt = r->o->prompt;
	}
	fputs("^C\n", stdout);
	el_set(r->el, EL_REFRESH);
}

int repl_run(struct session *s, const struct repl_opts *o, volatile sig_atomic_t *stop_flag)
{
	struct repl r = {.o = o, .s = s, .cur_prompt = o->prompt};
	renderer_init(&r.out, &o->render);
	r.el = el_init("torsh", stdin, stdout, stderr);
	r.hist = history_init();
	HistEvent ev;
	history(r.hist, &ev, H_SETSIZE, 1000);
	el_set(r.el, EL_CLIENTDATA, &r);
	el_set(r.el, EL_EDITOR, "emacs");
	el_set(r.el, EL_SIGNAL, 0);
	el_set(r.el, EL_HIST, history, r.hist);
	el_set(r.el, EL_PROMPT, prompt_fn);
	el_source(r.el, NULL);
	s->on_reply = s->on_event = on_msg;
	s->ud = &r;

	struct sigaction sa = {.sa_handler = on_sigint};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);

	int rc = EXIT_ALL_OK;
	/* Entering unbuffered mode draws the prompt (libedit's read_prepare);
	 * a refresh here would draw it a second time. */
	el_set(r.el, EL_UNBUFFERED, 1);
	r.line_shown = true;
	fflush(stdout);
	for (;;) {
		if (stop_flag && *stop_flag)
			break;
		if (got_sigint) {
			got_sigint = 0;
			cancel_line(&r);
		}
		struct pollfd p[2] = {{.fd = 0, .events = POLLIN}, {.fd = s->ctl.fd, .events = POLLIN}};
		int n = poll(p, 2, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		if (p[1].revents) {
			if (session_pump(s) < 0) {
				clear_edit_area(&r);
				if (!s->closed_by_quit) {
					fprintf(stderr, "torsh: %s\n", s->ctl.err);
					rc = EXIT_LOST;
				}
				r.line_shown = false;
				break;
			}
		}
		if (!p[0].revents)
			continue;
		int count = 0;
		const char *line = el_gets(r.el, &count);
		/* In unbuffered mode libedit reports Ctrl-D on an empty line as a
		 * one-character line holding ^D. */
		if ((line == NULL && count == 0) || (count == 1 && line[0] == '\004')) {
			fputc('\n', stdout);
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
		/* Re-entering unbuffered mode starts a new line and draws the
		 * prompt (which may have changed, e.g. to "... " in a body). */
		el_set(r.el, EL_UNBUFFERED, 1);
		buf_free(&copy);
		if (s->ctl.state != CTL_OPEN) {
			fprintf(stderr, "torsh: %s\n", s->ctl.err);
			rc = EXIT_LOST;
			break;
		}
		r.line_shown = true;
		fflush(stdout);
	}
	if (s->ctl.state == CTL_OPEN)
		session_quit(s, 2000);
	el_end(r.el);
	history_end(r.hist);
	buf_free(&r.first);
	buf_free(&r.body);
	renderer_free(&r.out);
	return rc;
}
