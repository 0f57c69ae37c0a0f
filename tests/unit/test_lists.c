/* One list each: an event name, a signal name, a command word or a
 * credential option written out as a string literal anywhere in src/ but
 * where its list is defined is a second copy that will drift. This reads
 * every string literal of the .c and .h files of src/ (comments skipped) and
 * checks each one against the tables themselves:
 *   event names    only in event.c (the schema)
 *   signal names   only in enums.c (the Signal table)
 *   command words  only as a cmd_def's `.name = "..."` (or `.example`)
 *   credentials    only in secret.c (secret_option)
 * A name may stand where any of its lists allows it ("DEBUG" is a signal, an
 * event and a runlevel, all in enums.c or event.c). The few other uses that
 * are not lists are named below, each with its reason.
 * Run from the top of the tree (as `make unit` does). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "enums.h"
#include "event.h"
#include "secret.h"
#include "tap.h"

/* Uses that are not a list of their own. */
static const struct {
	const char *file, *name, *why;
} allowed[] = {
	/* spellings other enumerations share with event types */
	{"src/enums.c", "*", "the enumerations: Runlevel, StatusType, TokenBucket and Signal values"},
	{"src/cmd_circ.c", "STREAM", "the name of an argument in messages (STREAM is a stream id)"},
	{"src/cmd_conf.c", "SIGNAL", "the name of SIGNAL's argument in messages"},
	{"src/shellcmd.c", "CIRC", "the heading of /streams' circuit column"},
	{"src/complete.c", "CIRC", "the event that keeps the circuit list current (catalog_following)"},
	{"src/complete.c", "STREAM", "the event that keeps the stream list current (catalog_following)"},
	{"src/render.c", "WARN", "a log severity, coloured"},
	{"src/render.c", "ERR", "a log severity, coloured"},
	{"src/summary.c", "*", "summaries[] names each row only to check it against event_defs[] (summary_table_ok, a unit test); ERR/NOTICE are also log severities"},
	/* the wire: authentication builds its own requests */
	{"src/auth.c", "AUTHENTICATE", "auth.c writes the request it authenticates with"},
	/* where a command word is written out on purpose */
	{"src/shellcmd.c", "SETEVENTS", "/events builds the SETEVENTS it sends"},
	{"src/session.c", "QUIT", "session_quit sends QUIT at the end"},
	{"src/local.c", "QUIT", "/quit sends QUIT"},
	{"src/command.c", "/raw", "/raw is recognised before parsing"},
	{"src/shellcmd.c", "/mute", "messages naming the command"},
	{"src/shellcmd.c", "/unmute", "messages naming the command"},
	{"src/shellcmd.c", "/circuits", "messages naming the command"},
	{"src/shellcmd.c", "/streams", "messages naming the command"},
	{"src/cmd_onion_local.c", "*", "/onion builds the ADD_ONION, DEL_ONION and ONION_CLIENT_AUTH_* requests it sends"},
	{"src/cmd_onion_live.c", "*", "/onion check and the upload view send SETEVENTS and HSFETCH and follow the HS_DESC, HS_DESC_CONTENT, CIRC, CIRC_MINOR and STREAM events they name"},
	{"src/onion.c", "HS_DESC", "the upload state reads HS_DESC event lines (onion.c is pure: no event table)"},
};

static bool is_allowed(const char *file, const char *name)
{
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (strcmp(allowed[i].file, file) == 0 &&
		    (strcmp(allowed[i].name, name) == 0 || strcmp(allowed[i].name, "*") == 0))
			return true;
	return false;
}

static bool is_event(const char *s)
{
	for (size_t i = 0; i < event_def_count; i++)
		if (strcmp(event_defs[i].name, s) == 0)
			return true;
	return false;
}

static bool is_signal(const char *s)
{
	const struct enum_table *t = ENUM_TABLE(ET_SIGNAL);
	for (size_t i = 0; i < t->count; i++)
		if (strcmp(t->values[i].name, s) == 0)
			return true;
	return false;
}

static bool is_command(const char *s)
{
	for (size_t i = 0; i < cmd_table_len; i++)
		if (strcmp(cmd_table[i]->name, s) == 0)
			return true;
	return false;
}

/* Whether the code right before a literal (blanks aside) is `what`. */
static bool after(const char *text, size_t at, const char *what)
{
	size_t i = at, n = strlen(what);
	for (size_t k = n; k > 0; k--) {
		while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t'))
			i--;
		if (i == 0 || text[i - 1] != what[k - 1])
			return false;
		i--;
	}
	return true;
}

/* A cmd_def's own name, or the example of a command without arguments. */
static bool cmd_def_field(const char *text, size_t at)
{
	return after(text, at, ".name=") || after(text, at, ".example=");
}

/* Whether literal `s` of `file` (at byte `at` of `text`) is a copy of a
 * list; with `report`, a failed CHECK says so. */
static int judge(const char *file, const char *text, size_t at, unsigned line, const char *s, bool report)
{
	bool ev = is_event(s), sig = is_signal(s), cmd = is_command(s);
	bool cred = secret_option(s, strlen(s));
	if (!ev && !sig && !cmd && !cred)
		return 0;
	bool ok = is_allowed(file, s);
	ok = ok || (ev && strcmp(file, "src/event.c") == 0);
	ok = ok || (sig && strcmp(file, "src/enums.c") == 0);
	ok = ok || (cmd && cmd_def_field(text, at));
	ok = ok || after(text, at, "getenv("); /* TERM is a signal, and the terminal's type */
	ok = ok || (cred && strcmp(file, "src/secret.c") == 0);
	if (!ok && report)
		CHECK(false, "%s:%u: \"%s\" is a %s written out again: use the table", file, line, s,
		      ev ? "event name" : sig ? "signal name" : cmd ? "command word" : "credential option");
	return ok ? 0 : 1;
}

/* Walks the string literals of one file, comments and character
 * constants skipped. */
static int scan(const char *file, const char *text, bool report)
{
	int bad = 0;
	unsigned line = 1;
	for (size_t i = 0; text[i]; i++) {
		char c = text[i];
		if (c == '\n') {
			line++;
		} else if (c == '/' && text[i + 1] == '/') {
			while (text[i + 1] && text[i + 1] != '\n')
				i++;
		} else if (c == '/' && text[i + 1] == '*') {
			for (i += 2; text[i] && !(text[i] == '*' && text[i + 1] == '/'); i++)
				line += text[i] == '\n';
			if (text[i])
				i++;
		} else if (c == '\'') {
			for (i++; text[i] && text[i] != '\''; i++)
				if (text[i] == '\\' && text[i + 1])
					i++;
		} else if (c == '"') {
			size_t start = ++i;
			while (text[i] && text[i] != '"' && text[i] != '\n')
				i += text[i] == '\\' && text[i + 1] ? 2 : 1;
			char lit[128];
			size_t n = i - start;
			if (n < sizeof(lit)) {
				memcpy(lit, text + start, n);
				lit[n] = '\0';
				bad += judge(file, text, start - 1, line, lit, report);
			}
			if (!text[i])
				break;
		}
	}
	return bad;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	char *p = NULL;
	size_t n = 0, cap = 0, k;
	char chunk[8192];
	while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (n + k + 1 > cap) {
			cap = (n + k + 1) * 2;
			char *q = realloc(p, cap);
			if (q == NULL)
				break;
			p = q;
		}
		memcpy(p + n, chunk, k);
		n += k;
	}
	fclose(f);
	if (p)
		p[n] = '\0';
	return p;
}

/* The scanner itself finds what it must, and skips comments. */
static void check_scanner(void)
{
	const char *text = "/* \"CIRC\" */ // \"HALT\"\nchar c = '\"'; x = \"STREAM_BW\"; y.name = \"GETINFO\"; z = \"GETINFO\";";
	int bad = scan("src/x.c", text, false);
	CHECK(bad == 2, "a made-up file: STREAM_BW and the second GETINFO found, comments skipped (%d)", bad);
}

int main(void)
{
	check_scanner();
	DIR *d = opendir("src");
	CHECK(d != NULL, "src/ is readable (run from the top of the tree)");
	size_t files = 0;
	int bad = 0;
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (n < 3 || e->d_name[n - 2] != '.' || (e->d_name[n - 1] != 'c' && e->d_name[n - 1] != 'h'))
			continue;
		char path[300];
		snprintf(path, sizeof(path), "src/%s", e->d_name);
		char *text = slurp(path);
		CHECK(text != NULL, "%s is readable", path);
		if (text)
			bad += scan(path, text, true);
		free(text);
		files++;
	}
	if (d)
		closedir(d);
	CHECK(files > 40 && bad == 0, "%zu files: every event, signal, command and credential name comes from its table",
	      files);
	return tap_done();
}
