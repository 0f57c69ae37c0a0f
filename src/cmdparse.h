/* Helpers for the per-command parsers (cmd_*.c): walking tokens, typed
 * arguments, errors with the argument's name and column. */
#ifndef TORSH_CMDPARSE_H
#define TORSH_CMDPARSE_H
#include <stdint.h>

#include "cmd.h"
#include "tokenize.h"

struct pctx {
	const char *line;
	size_t len;
	struct toklist toks;  /* toks.v[0] is the command word */
	size_t pos;           /* next unread token */
	struct cmd *out;
	struct cmd_error *err;
	size_t secret_from;   /* secret_in_command(line): no message shows a byte from here on */
};

/* Always returns -1. `t` positions the column (NULL: end of line). When t
 * holds part of a secret, whatever the message quotes ('...') is replaced
 * by [redacted]: value checks (argval.h) quote what they were given. */
int p_fail(struct pctx *p, const struct tok *t, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
const struct tok *p_next(struct pctx *p);
const struct tok *p_peek(const struct pctx *p);
/* Next token, or an error "missing NAME: expected WHAT". */
int p_need(struct pctx *p, const struct tok **t, const char *name, const char *what);
/* Error unless every token was used. */
int p_end(struct pctx *p);
/* The token's text as typed (raw span), for messages; [redacted] when it
 * holds part of a secret. */
void p_show(const struct pctx *p, const struct tok *t, char *buf, size_t len);
/* The key of key=value, as a C string, in buf. */
const char *p_key(const struct pctx *p, const struct tok *t, char *buf, size_t len);
bool p_key_is(const struct pctx *p, const struct tok *t, const char *key);

int out_word(struct pctx *p, const char *s, size_t n);
/* Refuses a value holding ' or " (tor would): the error names `key` and
 * points at the token read last. */
int out_kv(struct pctx *p, const char *key, const char *val, size_t n);
int out_kv_cquoted(struct pctx *p, const char *key, const char *val, size_t n);
int out_key(struct pctx *p, const char *key);
int out_hex(struct pctx *p, const char *val, size_t n);

/* Typed arguments: validate token t (a bare word unless noted) as NAME and
 * emit it. */
int arg_plain(struct pctx *p, const struct tok *t, const char *name, const char *what);
int arg_id(struct pctx *p, const struct tok *t, const char *name, bool allow_zero, uint64_t *v);
int arg_name(struct pctx *p, const struct tok *t, const char *name, const char *what); /* [A-Za-z0-9_]+ */
int arg_choice(struct pctx *p, const struct tok *t, const char *name, const char *const *choices, bool upcase);
/* name_at_fn (cmd.h) over a NULL-terminated array of strings, and over an
 * enumeration's values (its own names, then aliases). */
const char *strings_name_at(const void *set, size_t i);
const char *enum_name_at(const void *set, size_t i);
/* The name of the set token t most likely meant (name_suggest), or NULL;
 * never for a quoted value or KEY=VALUE. */
const char *p_suggest(const struct tok *t, name_at_fn at, const void *set);
/* One value of an enumeration (enums.h), sent as the table spells it. */
int arg_enum(struct pctx *p, const struct tok *t, const char *name, const struct enum_table *e);
/* An event type of the schema (event.h), sent as it spells it. */
int arg_event(struct pctx *p, const struct tok *t, const char *name);
/* The entry of `args` (NULL-terminated) token t is: KEY=... for an entry
 * with a key, one of its values for one without. NULL when none. */
const struct arg_word *arg_find(const struct pctx *p, const struct tok *t, const struct arg_word *const *args);
/* t's value (unquoted) as a.values spells it, case aside; NULL when it is
 * none of them. */
const char *arg_value(const struct tok *t, const struct arg_word *a);
/* "a, b or c" (each after `prefix`) into buf, for messages. */
const char *words_or(const char *const *w, const char *prefix, char *buf, size_t n);
int arg_onion(struct pctx *p, const struct tok *t, const char *name);
int arg_onion_kv(struct pctx *p, const struct tok *t, const char *key); /* KEY=ADDRESS */
int arg_relay(struct pctx *p, const struct tok *t, const char *name);
#endif
