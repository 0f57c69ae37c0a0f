#include "local.h"

#include <string.h>
#include <strings.h>

#include "argval.h"
#include "cmd.h"
#include "secret.h"

void help_list(FILE *out)
{
	fputs("Tor control commands (case-insensitive; /help COMMAND for details):\n", out);
	for (size_t i = 0; i < cmd_table_len; i++) {
		const struct cmd_def *d = cmd_table[i];
		if (!(d->flags & CMD_LOCAL))
			fprintf(out, "  %-26s %s\n", d->name, d->summary);
	}
	fputs("torsh commands:\n", out);
	for (size_t i = 0; i < cmd_table_len; i++) {
		const struct cmd_def *d = cmd_table[i];
		if (d->flags & CMD_LOCAL)
			fprintf(out, "  %-26s %s\n", d->name, d->summary);
	}
}

int help_command(FILE *out, const char *name, size_t len)
{
	const struct cmd_def *d = cmd_find(name, len);
	if (d == NULL && len > 0 && name[0] != '/') {
		char slash[64];
		if (len < sizeof(slash) - 1) {
			slash[0] = '/';
			memcpy(slash + 1, name, len);
			d = cmd_find(slash, len + 1);
		}
	}
	if (d == NULL)
		return -1;
	fprintf(out, "%s%s%s%s\n", (d->flags & CMD_BODY) ? "+" : "", d->name, d->usage[0] ? " " : "", d->usage);
	fprintf(out, "  %s\n", d->summary);
	if (d->help && d->help[0]) {
		const char *p = d->help;
		while (*p) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			fprintf(out, "  %.*s\n", (int)n, p);
			p += n + (nl ? 1 : 0);
		}
	}
	if (d->example && d->example[0])
		fprintf(out, "  example: %s\n", d->example);
	if (d->since)
		fprintf(out, "  since tor %s\n", d->since);
	if (d->flags & CMD_DANGEROUS)
		fputs("  asks for confirmation on a terminal\n", out);
	if (d->flags & CMD_SENSITIVE)
		fputs("  never stored in history\n", out);
	if (d->flags & CMD_SHELL_ONLY)
		fputs("  interactive shell only\n", out);
	return 0;
}

void list_commands(FILE *out)
{
	for (size_t i = 0; i < cmd_table_len; i++)
		fprintf(out, "%s\n", cmd_table[i]->name);
}

const struct cmd_def *local_find(const char *line, size_t len, size_t *args, struct buf *err)
{
	size_t w = 0;
	while (w < len && line[w] != ' ' && line[w] != '\t')
		w++;
	size_t a = w;
	while (a < len && (line[a] == ' ' || line[a] == '\t'))
		a++;
	*args = a;
	const struct cmd_def *d = cmd_find(line, w);
	if (d != NULL && (d->flags & CMD_LOCAL))
		return d;
	const struct cmd_def *s = cmd_suggest(line, w);
	char shown[80];
	secret_display(line, len, 0, w, shown, sizeof(shown));
	buf_printf(err, BUF_NOLIMIT, "unknown torsh command %s%s%s%s (/help lists them)", shown,
		   s ? "; did you mean " : "", s ? s->name : "", s ? "?" : "");
	return NULL;
}

enum local_cmd local_which(const char *line, size_t len)
{
	if (len == 0 || line[0] != '/')
		return LC_NONE;
	struct buf ignored = {0};
	size_t a;
	const struct cmd_def *d = local_find(line, len, &a, &ignored);
	buf_free(&ignored);
	return d ? d->local : LC_NONE;
}

static enum local_result help(const char *a, size_t n, FILE *out, struct buf *err)
{
	if (n == 0) {
		help_list(out);
		return LOCAL_DONE;
	}
	size_t e = 0;
	while (e < n && a[e] != ' ')
		e++;
	if (help_command(out, a, e) == 0)
		return LOCAL_DONE;
	const struct cmd_def *s = cmd_suggest(a, e);
	char shown[80];
	secret_display(a, n, 0, e, shown, sizeof(shown));
	buf_printf(err, BUF_NOLIMIT, "/help: no command %s%s%s%s", shown, s ? "; did you mean " : "",
		   s ? s->name : "", s ? "?" : "");
	return LOCAL_ERROR;
}

enum local_result local_run(const char *line, size_t len, FILE *out, struct buf *err)
{
	size_t a;
	const struct cmd_def *d = local_find(line, len, &a, err);
	if (d == NULL)
		return LOCAL_ERROR;
	switch (d->local) {
	case LC_RAW:
		return LOCAL_SEND;
	case LC_QUIT:
		return LOCAL_QUIT;
	case LC_HELP:
		return help(line + a, len - a, out, err);
	default:
		break;
	}
	buf_printf(err, BUF_NOLIMIT, "%s %s", d->name,
		   (d->flags & CMD_SHELL_ONLY) ? "works only in the interactive shell" : "is not available here");
	return LOCAL_ERROR;
}
