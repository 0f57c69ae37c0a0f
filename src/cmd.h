/* The command table: one entry per control command and per torsh command
 * ("/help"). Dispatch, validation, serialisation, /help, completion, the man
 * page's command list and the tests all come from it. */
#ifndef TORSH_CMD_H
#define TORSH_CMD_H
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* The longest command tor takes, CRLF and body included. Tor collects a
 * command in a buffer of at most 1 MiB that also holds a terminating NUL;
 * a command of 1,048,576 bytes gets "500 Line too long." and a closed
 * connection. */
#define COMMAND_MAX_WIRE (((size_t)1 << 20) - 1)

enum cmd_flag {
	CMD_SENSITIVE = 1 << 0, /* carries secrets: kept out of history and traces */
	CMD_DANGEROUS = 1 << 1, /* asks for confirmation on a terminal */
	CMD_BODY = 1 << 2,      /* sent as +NAME with a body */
	CMD_LOCAL = 1 << 3,     /* a torsh command, never sent to tor */
	CMD_OBSOLETE = 1 << 4,  /* refused, with the reason in help */
	CMD_PREAUTH = 1 << 5,   /* part of authentication; torsh does it itself */
	CMD_QSTRING = 1 << 6,   /* "..." is a QuotedString (\X is X), as tor reads it here */
	CMD_SHELL_ONLY = 1 << 7, /* a torsh command for the interactive shell only */
	CMD_OFFLINE = 1 << 8,   /* a torsh command that runs while disconnected */
	CMD_DURING_WAIT = 1 << 9, /* a torsh command that runs while /wait holds the prompt */
	/* what its reply looks like, for the renderer */
	CMD_REPLY_KEYS = 1 << 10,   /* a bare KEY line is an option with no value; values C-quoted (GETCONF) */
	CMD_REPLY_CLIENT = 1 << 11, /* CLIENT lines name HSAddress and PrivateKey (ONION_CLIENT_AUTH_VIEW) */
	/* what sending it does to the session */
	CMD_CLOSES = 1 << 12,       /* tor answers, then closes the connection (QUIT, whatever follows it) */
	CMD_SETS_EVENTS = 1 << 13,  /* replaces the event subscription when tor says OK (SETEVENTS) */
	CMD_RAW_LINE = 1 << 14,     /* a torsh command whose argument is a command line sent as typed (/raw) */
	CMD_NO_TOR = 1 << 15,       /* a torsh command that needs no tor: -c with only these never connects */
	CMD_REPLY_VALUES = 1 << 16, /* every line is KEY=VALUE (GETINFO): one that is not is kept apart, not dropped */
};

/* What completes an argument position. */
enum hint_kind {
	HINT_NONE,
	HINT_WORDS,       /* the words in .words */
	HINT_ARGS,        /* the arguments in .args, which the command's parser reads too */
	HINT_ENUM,        /* the values of .table, which the command's parser reads too */
	HINT_CONF_KEY,    /* config/names */
	HINT_CONF_SET,    /* config/names, completed with '=' */
	HINT_INFO_KEY,    /* info/names */
	HINT_EVENT,       /* event types: the schema's (event.h) */
	HINT_FEATURE,     /* features/names */
	HINT_CIRC_ID,     /* live circuits */
	HINT_STREAM_ID,   /* live streams */
	HINT_ONION_ID,    /* onions/current, onions/detached */
	HINT_CLIENT_AUTH, /* ONION_CLIENT_AUTH_VIEW addresses */
	HINT_RELAY,       /* $fingerprint~nickname */
	HINT_COMMAND,     /* command words */
	HINT_FILE,        /* @FILE */
	HINT_EVENT_FIELD, /* FIELD= of the event named by the first argument, --timeout */
	HINT_PATH,        /* a file name */
};

/* Argument positions with a hint of their own; past them the last repeats
 * (for usages ending in "..."). */
#define CMD_HINTS 4

/* A literal argument: what a parser accepts and completion offers, from
 * one definition so the two cannot drift. */
struct arg_word {
	const char *key;            /* KEY=VALUE; NULL: a bare VALUE */
	const char *const *values;  /* NULL-terminated, as spelled on the wire; NULL: any value */
	const char *const *descs;   /* what each value means, for completion; NULL: none */
};
/* HINT_ARGS lists: ARGS(&a, &b) */
#define ARGS(...) ((const struct arg_word *const[]){__VA_ARGS__, NULL})

struct enum_table;

struct cmd_hint {
	enum hint_kind kind;
	const char *words; /* HINT_WORDS: space-separated; HINT_ENUM: offered besides the table's */
	const struct arg_word *const *args; /* HINT_ARGS: NULL-terminated */
	const struct enum_table *table;     /* HINT_ENUM */
};

struct cmd_error {
	size_t col;        /* 1-based column in the typed line; 0 when none */
	char msg[400];
};

/* An argument as it will be sent: validated, in tor's syntax. */
enum item_kind {
	ITEM_WORD,         /* val */
	ITEM_KV,           /* key=val */
	ITEM_KV_CQUOTED,   /* key="val" with C escapes (SETCONF/RESETCONF) */
	ITEM_KEY,          /* key alone (SETCONF Key resets to default) */
	ITEM_HEX,          /* val as hex digits (AUTHENTICATE secrets) */
};

struct cmd_item {
	enum item_kind kind;
	char *key;
	char *val;
	size_t vlen;
};

struct cmd_def;

struct cmd {
	const struct cmd_def *def;
	struct cmd_item *items;
	size_t nitems, cap;
	char *body_file;   /* "@FILE" given: the caller reads it */
	const char *body;  /* borrowed */
	size_t blen;
	bool has_body;
	bool dangerous;    /* this instance stops tor or loses state: confirm */
};

struct pctx;
struct toklist;
struct local_ctx;
struct local_args;

/* A subcommand of a torsh command ("/onion keygen"): its own usage, help
 * and completion, listed by /help and the man page under its command. */
struct cmd_sub {
	const char *name;     /* NULL ends a table */
	const char *usage;
	const char *summary;
	int (*exec)(struct local_ctx *ctx, const struct local_args *a); /* a->args: after the subcommand word */
	unsigned flags;       /* CMD_NO_TOR: runs without a tor (ctx->s NULL) */
	struct cmd_hint hints[CMD_HINTS];
};

struct cmd_def {
	const char *name;     /* as typed and sent (upper case), or "/help" */
	const char *usage;    /* arguments only */
	const char *summary;  /* one line */
	const char *help;     /* details: arguments and notes */
	const char *example;
	const char *since;    /* tor version that introduced it */
	unsigned flags;
	int (*parse)(struct pctx *p);
	/* CMD_LOCAL: runs it, its arguments its own to read (local.h); -1 with
	 * ctx->err. Optional check: what a script can know of its arguments
	 * before connecting. */
	int (*exec)(struct local_ctx *ctx, const struct local_args *a);
	int (*check)(const struct local_args *a, struct buf *err);
	/* For commands not CMD_SENSITIVE as a whole: where the secret in this
	 * line (a password, a private key) starts, or SECRET_NONE (secret.h).
	 * `line` starts at the command word and may not parse. Only secret.c
	 * calls it: history, /trace and error messages ask secret_in_command. */
	size_t (*secret)(const char *line, size_t len);
	struct cmd_hint hints[CMD_HINTS]; /* per argument position; the last repeats */
	/* A torsh setter (/trace on): what each value does from now on, as
	 * pairs {VALUE, WHAT, ..., NULL}, "*" for any value (event types).
	 * Once set, the shell says "trace on: WHAT" (local_exec). */
	const char *const *said;
	const struct cmd_sub *subs;       /* a torsh command with subcommands: its table */
};

extern const struct cmd_def *const cmd_table[];
extern const struct cmd_def cmd_local_circuits; /* its filter words: hints[0] */
extern const size_t cmd_table_len;

/* Requests that crash or wedge tor 0.4.9.11 (no reply ever, or two). The
 * parsers never build them; /raw, which skips the parsers, refuses them
 * all the same, and so does a last check on every wire line. */
struct raw_hazard {
	const struct cmd_def *def; /* its command word; a '+' before it counts too */
	/* whether the line is the hazard; toks->v[0] is the command word */
	bool (*applies)(const char *line, const struct toklist *toks);
	const char *reason;   /* what tor does with it */
};
extern const struct raw_hazard raw_hazards[];
extern const size_t raw_hazards_len;

/* Case-insensitive, an optional leading '+' ignored for body commands. */
const struct cmd_def *cmd_find(const char *word, size_t len);
/* The i-th name of a set (commands, an enumeration, event types, option
 * names), NULL past the end. */
typedef const char *(*name_at_fn)(const void *set, size_t i);
/* The name of a set a typo most likely meant, or NULL: the first that the
 * word (3 characters at least) begins, else the closest within two edits
 * (case aside). The one "did you mean" of command words and arguments. */
const char *name_suggest(const char *word, size_t len, name_at_fn at, const void *set);
/* The closest known name to a typo, or NULL. */
const struct cmd_def *cmd_suggest(const char *word, size_t len);
/* What an unknown word may have meant, for its error message, in out:
 * ": could be A, B" (alphabetical) when it begins several names, 3
 * characters at least (an ambiguous prefix: returns their number); else
 * "; did you mean X?" (1) or "" (0), as cmd_suggest finds. */
size_t cmd_guess(const char *word, size_t len, char *out, size_t cap);

/* Parse a typed line into `out` (pure: no I/O). 0, or -1 with err filled
 * and out empty. A body, when the command takes one, is given separately. */
int cmd_parse(const char *line, size_t len, struct cmd *out, struct cmd_error *err);
/* The command a line starts with (leading blanks and a '+' skipped), or with
 * `suggest` the closest one to a mistyped word; NULL when none. */
const struct cmd_def *cmd_line_def(const char *line, size_t len, bool suggest);
/* The reason tor must never get this command line (its first line, without
 * CRLF), or NULL. Words are split as tor splits them, at any white space. */
const char *cmd_raw_hazard(const char *line, size_t len);
/* Serialise a parsed command, body included. -1 (err) if anything could
 * split into a second command or argument: checked again here. */
int cmd_serialize(const struct cmd *c, struct buf *wire, struct cmd_error *err);
void cmd_free(struct cmd *c);
/* Encode a multi-line body: every line end (LF, CRLF, CR) as CRLF, a
 * leading '.' doubled, a final CRLF, then the terminating ".\r\n";
 * -1 past COMMAND_MAX_WIRE. */
int wire_body(struct buf *wire, const char *body, size_t blen);
#endif
