/* Splitting a typed command line into tokens, in Tor's argument grammar:
 * bare words, KEY=VALUE, KEY="quoted", "quoted". Every token keeps its raw
 * span for error carets and completion. '$', '*' and '~' are literal. */
#ifndef TORSH_TOKENIZE_H
#define TORSH_TOKENIZE_H
#include <stdbool.h>
#include <stddef.h>

enum tok_dialect {
	TOK_CSTRING,  /* tor's SETCONF rule: \n \r \t \" \\ \' \xHH \ooo; others are errors */
	TOK_QSTRING,  /* QuotedString (AUTHENTICATE): \X is X */
};

struct tok {
	size_t off, len;      /* raw span in the line */
	size_t key_len;       /* KEY=...: the key is line[off .. off+key_len) */
	bool has_eq;          /* KEY=VALUE form */
	bool quoted;          /* the value was in double quotes */
	bool has_nul;         /* the decoded value holds a NUL (from an escape) */
	bool has_ctl;         /* the raw span holds CR, LF or NUL */
	bool has_quote_char;  /* a '"' inside a bare word */
	char *val;            /* decoded value (whole token without '='), owned */
	size_t val_len;
};

struct toklist {
	struct tok *v;
	size_t n, cap;
};

struct tok_error {
	size_t col;           /* 0-based byte offset */
	char msg[160];
};

/* 0, or -1 with err (unterminated quote, bad escape, text after a quote). */
int tok_split(const char *line, size_t len, enum tok_dialect d, struct toklist *out, struct tok_error *err);
/* For completion: never fails on an unterminated quote at the end. */
void tok_split_partial(const char *line, size_t len, struct toklist *out);
void toklist_free(struct toklist *l);

/* torsh's own commands take plain words: the next one from *p (blanks
 * skipped, no quoting), false when none is left before end. */
bool tok_word(const char **p, const char *end, const char **w, size_t *n);
#endif
