/* Prints the man page's command list from the command table, so the two
 * cannot drift: `make man` splices it into torsh.1 between the markers, and
 * tests/docs.bats checks that the page holds exactly this output. */
#include <stdio.h>

#include "cmd.h"

/* roff: backslashes and hyphens escaped, newlines as spaces */
static void roff(const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", stdout);
		else if (*s == '-')
			fputs("\\-", stdout);
		else if (*s == '\n')
			putchar(' ');
		else
			putchar(*s);
	}
}

int main(void)
{
	for (size_t i = 0; i < cmd_table_len; i++) {
		const struct cmd_def *d = cmd_table[i];
		const char *plus = (d->flags & CMD_BODY) ? "+" : "";
		if (d->usage[0]) {
			printf(".TP\n.BI \"%s%s \" \"", plus, d->name);
			roff(d->usage);
			puts("\"");
		} else {
			printf(".TP\n.B %s%s\n", plus, d->name);
		}
		roff(d->summary);
		puts(".");
		if (d->help && d->help[0]) {
			puts(".br");
			roff(d->help);
			putchar('\n');
		}
		for (const struct cmd_sub *s = d->subs; s && s->name; s++) {
			printf(".br\n\\fB%s %s\\fR \\fI", d->name, s->name);
			roff(s->usage);
			fputs("\\fR: ", stdout);
			roff(s->summary);
			puts("");
		}
		if (d->example && d->example[0]) {
			fputs(".br\nExample: \\fB", stdout);
			roff(d->example);
			puts("\\fR");
		}
		if (d->since) {
			fputs(".br\nSince tor ", stdout);
			roff(d->since);
			puts(".");
		}
		if (d->flags & CMD_DANGEROUS)
			puts(".br\nAsks for confirmation on a terminal.");
		if (d->flags & CMD_SENSITIVE)
			puts(".br\nNever stored in history.");
		if (d->flags & CMD_SHELL_ONLY)
			puts(".br\nInteractive shell only.");
	}
	return 0;
}
