/* Lines into commands (linestate.c), as the REPL and the script runner
 * feed them: plain commands, bodies up to '.', comments in scripts, a
 * body left open at the end, Ctrl-C in the middle of one. */
#include <stdio.h>
#include <string.h>

#include "linestate.h"
#include "tap.h"

/* Feeds the lines of `text` (split at '\n'); what came out, one command a
 * line: "LINE" or "LINE {BODY}" with the body's newlines as '|', each
 * followed by "@N" (its line number). */
static void feed(struct linestate *ls, const char *text, char *out, size_t cap)
{
	size_t o = 0;
	unsigned long lineno = 0;
	out[0] = '\0';
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		struct line_cmd c;
		if (linestate_take(ls, p, n, ++lineno, &c) == 1) {
			o += (size_t)snprintf(out + o, cap - o, "%s%.*s", o ? "; " : "", (int)c.len, c.line);
			if (c.has_body) {
				o += (size_t)snprintf(out + o, cap - o, " {");
				for (size_t i = 0; i < c.blen && o + 2 < cap; i++)
					out[o++] = c.body[i] == '\n' ? '|' : c.body[i];
				o += (size_t)snprintf(out + o, cap - o, "}");
			}
			o += (size_t)snprintf(out + o, cap - o, "@%lu", c.lineno);
		}
		p += n + (nl ? 1 : 0);
	}
}

struct row {
	bool comments;
	const char *in, *want;
	bool open;  /* a body is still being collected at the end */
};

static const struct row rows[] = {
	{false, "GETINFO version\nGETCONF Nickname", "GETINFO version@1; GETCONF Nickname@2", false},
	{false, "\n\nGETINFO version\n", "GETINFO version@3", false},
	{false, "+LOADCONF\nSocksPort 0\n\n.\nGETINFO version",
	 "+LOADCONF {SocksPort 0||}@1; GETINFO version@5", false},
	/* a '.' is only the end of a body; '..' is body text (dot-stuffed later) */
	{false, "+LOADCONF\n..\n.", "+LOADCONF {..|}@1", false},
	{false, "+LOADCONF\n.", "+LOADCONF {}@1", false},
	/* the '+' is optional before a body command; @FILE brings its own */
	{false, "LOADCONF\nA 1\n.", "LOADCONF {A 1|}@1", false},
	{false, "+LOADCONF @/tmp/x\nGETINFO version", "+LOADCONF @/tmp/x@1; GETINFO version@2", false},
	{false, "/raw +POSTDESCRIPTOR\nrouter x\n.", "/raw +POSTDESCRIPTOR {router x|}@1", false},
	/* a line that looks like a command inside a body is body text */
	{false, "+LOADCONF\nSIGNAL HALT\n.", "+LOADCONF {SIGNAL HALT|}@1", false},
	{false, "+LOADCONF\nA 1", "", true},
	/* '#' lines: comments in scripts, commands (an error) at the prompt */
	{true, "# setup\nGETINFO version\n#GETINFO x", "GETINFO version@2", false},
	{false, "# setup", "# setup@1", false},
	{true, "+LOADCONF\n# a torrc comment\n.", "+LOADCONF {# a torrc comment|}@1", false},
};

static void check_rows(void)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct linestate ls = {.comments = rows[i].comments};
		char got[512];
		feed(&ls, rows[i].in, got, sizeof(got));
		CHECK(strcmp(got, rows[i].want) == 0 && linestate_in_body(&ls) == rows[i].open, "row %zu: %s", i,
		      rows[i].want);
		if (strcmp(got, rows[i].want) != 0)
			printf("#   got: %s\n", got);
		linestate_free(&ls);
	}
}

static void check_end_and_cancel(void)
{
	struct linestate ls = {.comments = true};
	char got[256];
	feed(&ls, "GETINFO version\n+LOADCONF\nA 1", got, sizeof(got));
	CHECK(linestate_in_body(&ls), "a body is open");
	CHECK(linestate_finish(&ls) == 2 && !linestate_in_body(&ls), "the end names the line of its command");
	CHECK(linestate_finish(&ls) == 0, "then nothing is open");
	feed(&ls, "+LOADCONF\nA 1", got, sizeof(got));
	linestate_cancel(&ls);
	feed(&ls, ".\nGETINFO version", got, sizeof(got));
	CHECK(strcmp(got, ".@1; GETINFO version@2") == 0, "after a cancel, lines are commands again: %s", got);
	linestate_free(&ls);
}

int main(void)
{
	check_rows();
	check_end_and_cancel();
	return tap_done();
}
