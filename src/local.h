/* torsh's own commands (those starting with '/'): each cmd_def of one has
 * its exec hook, as tor's have their parser, and the script runner and the
 * REPL both run them through local_exec. What a command may touch is in
 * its context; what only a front end can do (reconnect, show a prompt) it
 * asks of the front end's callbacks. */
#ifndef TORSH_LOCAL_H
#define TORSH_LOCAL_H
#include <stdbool.h>
#include <stdio.h>

#include "buf.h"
#include "cmd.h"
#include "session.h"

struct shell;
struct waiter;
struct flood;

/* A '/' line, split at its command word. */
struct local_args {
	const char *line;      /* the whole line, from the '/' */
	size_t len;
	const char *args;      /* after the command word and the blanks after it */
	size_t alen;
	const char *body;      /* /raw +LINE: the lines up to '.' */
	size_t blen;
	bool has_body;
};

/* What only a front end can do. A NULL member: not here. */
struct local_front {
	/* Send a tor command line (the LINE of /raw, /quit's QUIT): the front
	 * end builds it, confirms it, reports what goes wrong itself. */
	void (*send)(void *ud, const char *line, size_t len, const char *body, size_t blen, bool has_body);
	/* /reconnect: -1 with err when it cannot */
	int (*reconnect)(void *ud, struct buf *err);
	/* /trace: set it on (1) or off (0), or leave it (-1); whether it is on */
	bool (*trace)(void *ud, int on);
	/* /wait is armed and nothing that came already matches: hold the next command */
	void (*waiting)(void *ud);
};

/* Where a torsh command runs. The REPL fills in everything; scripts have no
 * shell (sh NULL: CMD_SHELL_ONLY commands are refused), and /help before
 * connecting has only out and err. */
struct local_ctx {
	struct session *s;
	struct shell *sh;          /* /events, /mute, /format ... */
	struct waiter *wait;       /* /wait */
	struct flood *flood;       /* /scrollback */
	long now_ms;
	bool offline;              /* the connection is lost (CMD_OFFLINE commands run) */
	bool json;                 /* --json / /format json: results as JSON objects */
	bool leave;                /* set by /quit when offline: the front end leaves */
	int status;                /* a verdict for the exit status (/onion check: 1 unreachable) */
	FILE *out;
	struct buf *err;           /* why exec returned -1 */
	const struct local_front *front;
	void *ud;
};

/* The table entry of a '/' line's command word, with `a` filled in; NULL
 * with err set (naming the closest command) when there is none. */
const struct cmd_def *local_find(const char *line, size_t len, const char *body, size_t blen, bool has_body,
				 struct local_args *a, struct buf *err);
/* Runs d (CMD_LOCAL). 0 done, -1 with ctx->err. */
int local_exec(const struct cmd_def *d, struct local_ctx *ctx, const struct local_args *a);
/* What a script can know before connecting: the command exists, is not
 * for the shell only, and its arguments pass its check hook. */
int local_check(const char *line, size_t len, const char *body, size_t blen, bool has_body, struct buf *err);
/* Runs a '/' line that needs no session (/help), as -c does before
 * connecting; anything else is "not available here". */
int local_run(const char *line, size_t len, FILE *out, struct buf *err);
/* The same, results as JSON objects when json (-c with --json). */
int local_run_json(const char *line, size_t len, FILE *out, struct buf *err, bool json);
/* Whether a line is a torsh command that needs no tor at all (CMD_NO_TOR). */
bool local_needs_no_tor(const char *line, size_t len);

/* The exec and check hooks of the table's torsh commands (cmd_table.c):
 * here (local.c) and in shellcmd.c. */
int exec_help(struct local_ctx *ctx, const struct local_args *a);
int exec_raw(struct local_ctx *ctx, const struct local_args *a);
int check_raw(const struct local_args *a, struct buf *err);
int exec_quit(struct local_ctx *ctx, const struct local_args *a);
int exec_wait(struct local_ctx *ctx, const struct local_args *a);
int check_wait(const struct local_args *a, struct buf *err);
int exec_trace(struct local_ctx *ctx, const struct local_args *a);
int exec_reconnect(struct local_ctx *ctx, const struct local_args *a);
int exec_scrollback(struct local_ctx *ctx, const struct local_args *a);
int exec_events(struct local_ctx *ctx, const struct local_args *a);
int exec_mute(struct local_ctx *ctx, const struct local_args *a);
int exec_unmute(struct local_ctx *ctx, const struct local_args *a);
int exec_format(struct local_ctx *ctx, const struct local_args *a);
int exec_explain(struct local_ctx *ctx, const struct local_args *a);
int exec_circuits(struct local_ctx *ctx, const struct local_args *a);
int exec_streams(struct local_ctx *ctx, const struct local_args *a);

/* /help and /help COMMAND, from the command table. */
void help_list(FILE *out);
int help_command(FILE *out, const char *name, size_t len);
/* One name per line: what --list-commands prints (completions, man test). */
void list_commands(FILE *out);
#endif
