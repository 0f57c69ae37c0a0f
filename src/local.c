#include "local.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "argval.h"
#include "cmd.h"
#include "command.h"
#include "escape.h"
#include "flood.h"
#include "render.h"
#include "secret.h"
#include "shellcmd.h"
#include "tokenize.h"
#include "waiter.h"

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
	for (const struct cmd_sub *s = d->subs; s && s->name; s++)
		fprintf(out, "  %s %s%s%s\n      %s\n", d->name, s->name, s->usage[0] ? " " : "", s->usage, s->summary);
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

const struct cmd_def *local_find(const char *line, size_t len, const char *body, size_t blen, bool has_body,
				 struct local_args *a, struct buf *err)
{
	size_t w = 0;
	while (w < len && line[w] != ' ' && line[w] != '\t')
		w++;
	size_t at = w;
	while (at < len && (line[at] == ' ' || line[at] == '\t'))
		at++;
	*a = (struct local_args){.line = line, .len = len, .args = line + at, .alen = len - at,
				 .body = body, .blen = blen, .has_body = has_body};
	const struct cmd_def *d = cmd_find(line, w);
	if (d != NULL && (d->flags & CMD_LOCAL))
		return d;
	char shown[80], guess[200];
	secret_display(line, len, 0, w, shown, sizeof(shown));
	size_t n = cmd_guess(line, w, guess, sizeof(guess));
	buf_printf(err, BUF_NOLIMIT, "%s torsh command %s%s (/help lists them)", n > 1 ? "ambiguous" : "unknown", shown,
		   guess);
	return NULL;
}

/* A setter that took its value says what changed, in the table's words:
 * "format: json (...)", "trace on: ...". Its arguments were checked by
 * its exec; only a value in the table is named. */
static void confirm(const struct cmd_def *d, struct local_ctx *ctx, const struct local_args *a)
{
	const char *p = a->args, *end = a->args + a->alen, *w;
	size_t n;
	if (d->said == NULL || !tok_word(&p, end, &w, &n))
		return;
	for (size_t i = 0; d->said[i] && d->said[i + 1]; i += 2) {
		const char *v = d->said[i];
		if (strcmp(v, "*") == 0) {
			/* the words as typed: exec took each as an event type */
			fprintf(ctx->out, "%s ", d->name + 1);
			term_safe_write(ctx->out, w, (size_t)(end - w));
			fprintf(ctx->out, ": %s\n", d->said[i + 1]);
			return;
		}
		if (strlen(v) != n || strncasecmp(v, w, n) != 0)
			continue;
		/* "trace on: ...", but "format: json (...)" */
		if (strcmp(v, "on") == 0 || strcmp(v, "off") == 0)
			fprintf(ctx->out, "%s %s: %s\n", d->name + 1, v, d->said[i + 1]);
		else
			fprintf(ctx->out, "%s: %s (%s)\n", d->name + 1, v, d->said[i + 1]);
		return;
	}
}

int local_exec(const struct cmd_def *d, struct local_ctx *ctx, const struct local_args *a)
{
	if ((d->flags & CMD_SHELL_ONLY) && ctx->sh == NULL) {
		buf_printf(ctx->err, BUF_NOLIMIT, "%s works only in the interactive shell", d->name);
		return -1;
	}
	int rc = d->exec(ctx, a);
	if (rc == 0)
		confirm(d, ctx, a);
	return rc;
}

int local_check(const char *line, size_t len, const char *body, size_t blen, bool has_body, struct buf *err)
{
	struct local_args a;
	const struct cmd_def *d = local_find(line, len, body, blen, has_body, &a, err);
	if (d == NULL)
		return -1;
	if (d->flags & CMD_SHELL_ONLY) {
		buf_printf(err, BUF_NOLIMIT, "%s works only in the interactive shell", d->name);
		return -1;
	}
	return d->check ? d->check(&a, err) : 0;
}

/* CMD_NO_TOR, of the command or of its subcommand (/onion keygen) */
static bool no_tor(const struct cmd_def *d, const char *args, size_t alen)
{
	if (d->flags & CMD_NO_TOR)
		return true;
	const char *p = args, *end = args + alen, *w;
	size_t n;
	if (d->subs == NULL || !tok_word(&p, end, &w, &n))
		return false;
	for (const struct cmd_sub *s = d->subs; s->name; s++)
		if (strlen(s->name) == n && strncasecmp(s->name, w, n) == 0)
			return (s->flags & CMD_NO_TOR) != 0;
	return false;
}

bool local_needs_no_tor(const char *line, size_t len)
{
	struct local_args a;
	struct buf err = {0};
	const struct cmd_def *d = len > 0 && line[0] == '/' ? local_find(line, len, NULL, 0, false, &a, &err) : NULL;
	buf_free(&err);
	return d != NULL && no_tor(d, a.args, a.alen);
}

int local_run(const char *line, size_t len, FILE *out, struct buf *err)
{
	return local_run_json(line, len, out, err, false);
}

int local_run_json(const char *line, size_t len, FILE *out, struct buf *err, bool json)
{
	struct local_args a;
	const struct cmd_def *d = local_find(line, len, NULL, 0, false, &a, err);
	if (d == NULL)
		return -1;
	if (!no_tor(d, a.args, a.alen)) {
		buf_printf(err, BUF_NOLIMIT, "%s %s", d->name,
			   (d->flags & CMD_SHELL_ONLY) ? "works only in the interactive shell" : "is not available here");
		return -1;
	}
	struct local_ctx ctx = {.out = out, .err = err, .json = json};
	return local_exec(d, &ctx, &a);
}

/* /help [COMMAND] */
int exec_help(struct local_ctx *ctx, const struct local_args *a)
{
	const char *p = a->args, *end = a->args + a->alen, *w;
	size_t n;
	if (!tok_word(&p, end, &w, &n)) {
		help_list(ctx->out);
		return 0;
	}
	if (help_command(ctx->out, w, n) == 0)
		return 0;
	char shown[80], guess[200];
	secret_display(a->args, a->alen, 0, n, shown, sizeof(shown));
	size_t k = cmd_guess(w, n, guess, sizeof(guess));
	buf_printf(ctx->err, BUF_NOLIMIT, "/help: %s command %s%s", k > 1 ? "ambiguous" : "no", shown, guess);
	return -1;
}

/* /raw LINE: the LINE is built (command_build knows /raw) and sent by the
 * front end, as a typed command is. */
int exec_raw(struct local_ctx *ctx, const struct local_args *a)
{
	ctx->front->send(ctx->ud, a->line, a->len, a->body, a->blen, a->has_body);
	return 0;
}

int check_raw(const struct local_args *a, struct buf *err)
{
	struct buf wire = {0};
	int rc = command_prepare(a->line, a->len, a->body, a->blen, a->has_body, &wire, err);
	buf_free(&wire);
	return rc;
}

/* /quit: QUIT, or when the connection is gone already, just leave. */
int exec_quit(struct local_ctx *ctx, const struct local_args *a)
{
	(void)a;
	if (ctx->offline)
		ctx->leave = true;
	else
		ctx->front->send(ctx->ud, "QUIT", 4, NULL, 0, false);
	return 0;
}

/* /wait EVENT [FIELD=VALUE ...] [--timeout S]: arms the waiter, unless an
 * event since the last command sent already matches (waiter.h). At the
 * prompt the event must be subscribed, or it could never come. */
int exec_wait(struct local_ctx *ctx, const struct local_args *a)
{
	struct waiter *w = ctx->wait;
	if (waiter_start(w, a->line, a->len, ctx->now_ms, ctx->err) < 0)
		return -1;
	if (ctx->sh && !shell_subscribed(ctx->sh, w->def)) {
		w->active = false;
		buf_printf(ctx->err, BUF_NOLIMIT, "/wait: not subscribed to %s; /events +%s first", w->def->name,
			   w->def->name);
		return -1;
	}
	if (waiter_match_recent(w)) {
		/* the REPL says so; a script just goes on */
		if (ctx->sh)
			fprintf(ctx->out, "/wait: done (a matching %s event had come already)\n", w->def->name);
		return 0;
	}
	if (ctx->front->waiting)
		ctx->front->waiting(ctx->ud);
	return 0;
}

int check_wait(const struct local_args *a, struct buf *err)
{
	struct waiter w = {0};
	int rc = waiter_start(&w, a->line, a->len, 0, err);
	waiter_free(&w);
	return rc;
}

/* on, off, or nothing (-1); -2 for anything else */
static int on_off(const char *p, size_t n)
{
	if (n == 0)
		return -1;
	if (n == 2 && strncasecmp(p, "on", 2) == 0)
		return 1;
	if (n == 3 && strncasecmp(p, "off", 3) == 0)
		return 0;
	return -2;
}

/* /trace [on | off] */
int exec_trace(struct local_ctx *ctx, const struct local_args *a)
{
	int on = on_off(a->args, a->alen);
	if (on == -2) {
		buf_printf(ctx->err, BUF_NOLIMIT, "/trace: expected on or off, got '%.*s'", (int)a->alen, a->args);
		return -1;
	}
	bool now = ctx->front->trace(ctx->ud, on);
	if (on == -1)
		fprintf(ctx->out, "trace: %s\n", now ? "on" : "off");
	return 0;
}

int exec_reconnect(struct local_ctx *ctx, const struct local_args *a)
{
	(void)a;
	return ctx->front->reconnect(ctx->ud, ctx->err);
}

struct scroll_out {
	struct renderer *r;
	FILE *out;
	long now_ms;           /* flood's clock (monotonic) */
	long long wall_ms;     /* the wall clock at the same moment */
};

/* One kept event, in the mode of the moment, stamped with when it came
 * (the age on the monotonic clock, taken from the wall clock's now). */
static void scroll_show(void *ud, const char *p, size_t n, long at_ms)
{
	struct scroll_out *so = ud;
	long long at = (so->wall_ms - (so->now_ms - at_ms)) / 1000;
	render_kept(so->r, so->out, p, n, at > 0 ? (time_t)at : 1);
}

/* /scrollback [N] */
int exec_scrollback(struct local_ctx *ctx, const struct local_args *a)
{
	const char *p = a->args;
	size_t n = a->alen;
	char num[16];
	long count = 20;
	if (n > 0) {
		char *end = NULL;
		snprintf(num, sizeof(num), "%.*s", (int)(n < sizeof(num) - 1 ? n : sizeof(num) - 1), p);
		count = strtol(num, &end, 10);
		if (n >= sizeof(num) || end == num || *end != '\0' || count <= 0 || count > FLOOD_SCROLLBACK) {
			buf_printf(ctx->err, BUF_NOLIMIT, "/scrollback: N: expected a number 1-%d, got '%.*s'",
				   FLOOD_SCROLLBACK, (int)(n > 40 ? 40 : n), p);
			return -1;
		}
	}
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct scroll_out so = {ctx->sh->out, ctx->out, ctx->now_ms, (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000};
	flood_scrollback(ctx->flood, (size_t)count, scroll_show, &so);
	return 0;
}
