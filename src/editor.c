#include "editor.h"

#include <histedit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "escape.h"

struct editor {
	struct editor_calls calls;
	EditLine *el;
	History *hist;
	bool shown;                /* a prompt and edit line are on screen */
};

static char *prompt_fn(EditLine *el)
{
	struct editor *ed = NULL;
	el_get(el, EL_CLIENTDATA, &ed);
	const char *p = ed ? ed->calls.prompt(ed->calls.ud) : NULL;
	return (char *)(p ? p : "> ");
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
void editor_print_begin(struct editor *ed)
{
	if (!ed->shown)
		return;
	const LineInfo *li = el_line(ed->el);
	const char *prompt = ed->calls.prompt(ed->calls.ud);
	size_t before = strlen(prompt ? prompt : "> ") + (size_t)(li->cursor - li->buffer);
	size_t rows = before / (size_t)term_cols();
	for (size_t i = 0; i < rows; i++)
		fputs("\033[A", stdout);
	fputs("\r\033[J", stdout);
	/* messages may follow on stderr, which is not buffered */
	fflush(stdout);
}

void editor_print_end(struct editor *ed)
{
	fflush(stdout);
	if (ed->shown)
		el_set(ed->el, EL_REFRESH);
}

void editor_leave(struct editor *ed)
{
	ed->shown = false;
}

/* A candidate's description in `room` columns: when longer, cut to whole
 * UTF-8 characters with "..." after them. */
static void put_cut(const char *desc, size_t room)
{
	size_t dl = strlen(desc);
	if (dl <= room) {
		term_safe_write(stdout, desc, dl);
		return;
	}
	dl = room - 3;
	while (dl > 0 && ((unsigned char)desc[dl] & 0xC0) == 0x80)
		dl--;
	term_safe_write(stdout, desc, dl);
	fputs("...", stdout);
}

/* Candidates above the prompt: the word and its description, cut to the
 * terminal's width, as many as a screen holds. They may come from tor:
 * escaped. */
static void show_candidates(const struct editor_matches *m)
{
	/* room for the list, its "... and N more" line and the prompt */
	size_t rows = (size_t)term_rows(), fit = rows > 8 ? rows - 3 : 5;
	size_t width = 0, shown = m->n < fit ? m->n : fit - 1;
	for (size_t i = 0; i < shown; i++) {
		size_t n = strlen(m->text + m->word[i]);
		if (n > width)
			width = n;
	}
	size_t cols = (size_t)term_cols();
	fputc('\n', stdout);
	for (size_t i = 0; i < shown; i++) {
		const char *w = m->text + m->word[i];
		size_t d = m->desc[i];
		fputs("  ", stdout);
		term_safe_write(stdout, w, strlen(w));
		size_t room = cols > width + 6 ? cols - width - 5 : 0;
		if (d != (size_t)-1 && room >= 10) {
			fprintf(stdout, "%*s  ", (int)(width - strlen(w)), "");
			put_cut(m->text + d, room);
		}
		fputc('\n', stdout);
	}
	if (shown < m->n)
		fprintf(stdout, "  ... and %zu more\n", m->n - shown);
	fflush(stdout);
}

/* Tab: the common prefix of the candidates replaces the typed word (they
 * may differ from it in case); more than one are listed above the line. */
static unsigned char complete_fn(EditLine *el, int ch)
{
	(void)ch;
	struct editor *ed = NULL;
	el_get(el, EL_CLIENTDATA, &ed);
	if (ed == NULL || ed->calls.complete == NULL)
		return CC_ERROR;
	const LineInfo *li = el_line(el);
	size_t cursor = (size_t)(li->cursor - li->buffer);
	struct editor_matches m = {0};
	if (ed->calls.complete(ed->calls.ud, li->buffer, cursor, &m) < 0)
		return CC_ERROR;
	if (m.n == 0)
		return CC_REFRESH_BEEP;
	size_t typed = cursor - m.start;
	if (m.common >= typed) {
		char ins[512];
		snprintf(ins, sizeof(ins), "%.*s%s", (int)m.common, m.text + m.word[0],
			 m.n == 1 && !m.no_space ? " " : "");
		el_deletestr(el, (int)typed);
		el_insertstr(el, ins);
	}
	if (m.n > 1 && m.common <= typed) {
		show_candidates(&m);
		return CC_REDISPLAY;
	}
	return CC_REFRESH;
}

struct editor *editor_new(const struct editor_calls *calls)
{
	struct editor *ed = calloc(1, sizeof(*ed));
	if (ed == NULL)
		return NULL;
	ed->calls = *calls;
	ed->el = el_init("torsh", stdin, stdout, stderr);
	ed->hist = history_init();
	if (ed->el == NULL || ed->hist == NULL) {
		editor_free(ed);
		return NULL;
	}
	HistEvent ev;
	history(ed->hist, &ev, H_SETSIZE, calls->history_size);
	history(ed->hist, &ev, H_SETUNIQUE, 1);
	el_set(ed->el, EL_CLIENTDATA, ed);
	el_set(ed->el, EL_EDITOR, "emacs");
	/* torsh owns its signals: SIGINT and SIGWINCH reach the editor
	 * through editor_cancel and editor_resize */
	el_set(ed->el, EL_SIGNAL, 0);
	el_set(ed->el, EL_HIST, history, ed->hist);
	el_set(ed->el, EL_PROMPT, prompt_fn);
	el_set(ed->el, EL_ADDFN, "torsh-complete", "complete the word under the cursor", complete_fn);
	el_set(ed->el, EL_BIND, "^I", "torsh-complete", NULL);
	el_source(ed->el, NULL);
	return ed;
}

void editor_free(struct editor *ed)
{
	if (ed == NULL)
		return;
	if (ed->el)
		el_end(ed->el);
	if (ed->hist)
		history_end(ed->hist);
	free(ed);
}

/* Entering unbuffered mode starts a new line and draws the prompt
 * (libedit's read_prepare); a refresh here would draw it a second time. */
void editor_prompt(struct editor *ed)
{
	el_set(ed->el, EL_UNBUFFERED, 1);
	ed->shown = true;
	fflush(stdout);
}

enum editor_got editor_read(struct editor *ed, struct buf *line)
{
	int count = 0;
	const char *s = el_gets(ed->el, &count);
	/* In unbuffered mode libedit reports Ctrl-D on an empty line as a
	 * one-character line holding ^D. */
	if ((s == NULL && count == 0) || (count == 1 && s[0] == '\004')) {
		fputc('\n', stdout);
		return EDITOR_EOF;
	}
	if (s == NULL || count <= 0 || s[count - 1] != '\n')
		return EDITOR_PARTIAL;
	buf_reset(line);
	buf_append(line, s, (size_t)count - 1, BUF_NOLIMIT);
	/* libedit leaves the cursor on a fresh line; leaving unbuffered mode
	 * makes the next el_gets (after editor_prompt) start a new line. */
	ed->shown = false;
	el_set(ed->el, EL_UNBUFFERED, 0);
	return EDITOR_LINE;
}

void editor_cancel(struct editor *ed)
{
	const LineInfo *li = el_line(ed->el);
	el_cursor(ed->el, (int)(li->lastchar - li->cursor));
	el_deletestr(ed->el, (int)(li->lastchar - li->buffer));
	fputs("^C\n", stdout);
	el_set(ed->el, EL_REFRESH);
}

void editor_resize(struct editor *ed)
{
	el_resize(ed->el);
}

void editor_history_add(struct editor *ed, const char *line)
{
	HistEvent ev;
	history(ed->hist, &ev, H_ENTER, line);
}
