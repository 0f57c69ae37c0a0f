/* What is secret: the one rule that history, /trace and error messages
 * follow. A secret is a control password (AUTHENTICATE, HashedControl*
 * Password), a proxy or bridge credential, a private key (ADD_ONION,
 * client authorization) or a SAFECOOKIE proof.
 *
 * Every judge answers the same question: from which byte on must this line
 * not be shown? SECRET_NONE when it holds no secret; the line's length when
 * it names one without giving it ("AUTHENTICATE" alone): such a line is
 * still kept out of history, but /trace has nothing to blank.
 *
 * Lenient on purpose, since a secret typed wrong is a secret all the same:
 * any blank or control byte separates words (a CR before the password),
 * leading blanks are skipped, the command word is matched case-insensitively
 * or, mistyped, as the command it resembles, and a '/' word that is not a
 * torsh command ("/rwa") is judged both as a command word and as a prefix
 * to what follows. Pure: no I/O but secret_warn_exposed. */
#ifndef TORSH_SECRET_H
#define TORSH_SECRET_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define SECRET_NONE ((size_t)-1)

/* Whether a configuration option (tor 0.4.9's config/names) holds a
 * credential: the list is in secret.c. Case-insensitive, as tor is. */
bool secret_option(const char *name, size_t n);

/* A command line as typed (with or without /raw, blanks, '+') or as sent. */
size_t secret_in_command(const char *line, size_t len);
/* A torrc line: a +LOADCONF body line, a line of GETINFO config-text. */
size_t secret_in_conf(const char *line, size_t len);
/* A line from tor: a reply, event or data line (CONF_CHANGED, GETCONF,
 * ADD_ONION's PrivateKey=, ONION_CLIENT_AUTH_VIEW, AUTHCHALLENGE). */
size_t secret_in_reply(const char *line, size_t len);

/* The lines of one direction of the connection, as /trace sees them: a
 * body (after a sent '+' line, up to ".") is judged as torrc lines, and a
 * secret torrc line continued with '\' hides the next line too. */
struct secret_stream {
	bool in_body;
	bool cont;
};
size_t secret_in_stream(struct secret_stream *s, bool sent, const char *line, size_t len);

/* A command with its body, as given to -c: whether a line shows a secret
 * (names one and gives it: "AUTHENTICATE" alone does not). */
bool secret_in_text(const char *text, size_t len);

/* Walking words for the command table's secret() hooks: the next word at
 * or after *pos (split at blanks and control bytes), false at the end. */
bool secret_word(const char *line, size_t len, size_t *pos, size_t *off, size_t *n);
/* The first word from `from` on that names a credential option, bare or as
 * OPTION=VALUE (a leading '"', '+' or '/' skipped): where its value starts. */
size_t secret_conf_words(const char *line, size_t len, size_t from);

/* line[off..off+n) for a message (argval.h val_display), cut where the
 * line's secret starts, "[redacted]" standing for the rest. */
void secret_display(const char *line, size_t len, size_t off, size_t n, char *buf, size_t cap);

/* Warnings on `err` for secrets other users can read: a -c argument (in
 * ps) holding one, a password file readable by group or others. Returns
 * how many warnings were given. */
int secret_warn_exposed(char *const *commands, size_t ncommands, const char *password_file, FILE *err);
#endif
