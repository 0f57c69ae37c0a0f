#include "secret.h"

#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "argval.h"
#include "cmd.h"

/* Options whose value is a credential (tor 0.4.9.11's config/names). Not
 * here: Bridge lines (an address and the bridge's public certificate), the
 * *Proxy options (host:port), file names (CookieAuthFile, KeyDirectory,
 * ClientOnionAuthDir): sensitive perhaps, but not something to log in with. */
static const char *const credential_options[] = {
	"HashedControlPassword", "__HashedControlSessionPassword", "HashedControlSessionPassword",
	"Socks5ProxyUsername", "Socks5ProxyPassword", "HTTPProxyAuthenticator", "HTTPSProxyAuthenticator",
	"BridgePassword", NULL,
};

/* Text after which the rest of a line is a private key or a SAFECOOKIE
 * proof, in whatever command or reply it stands. */
static const char *const key_markers[] = {
	"PrivateKey=", "ED25519-V3:", "RSA1024:", "x25519:", "SERVERHASH=", "SERVERNONCE=", NULL,
};

/* How many words that do not name a command are skipped looking for one
 * ("/rwa AUTHENTICATE ..."), and how deep /raw may nest. */
#define SKIP_WORDS 3

static size_t min2(size_t a, size_t b)
{
	return a < b ? a : b;
}

static bool blank(char c)
{
	unsigned char u = (unsigned char)c;
	return u <= 0x20 || u == 0x7f;
}

static size_t skip_blanks(const char *line, size_t len, size_t i)
{
	while (i < len && blank(line[i]))
		i++;
	return i;
}

bool secret_option(const char *name, size_t n)
{
	for (size_t i = 0; credential_options[i]; i++)
		if (strlen(credential_options[i]) == n && strncasecmp(credential_options[i], name, n) == 0)
			return true;
	return false;
}

bool secret_word(const char *line, size_t len, size_t *pos, size_t *off, size_t *n)
{
	size_t i = skip_blanks(line, len, *pos);
	if (i >= len) {
		*pos = len;
		return false;
	}
	size_t s = i;
	while (i < len && !blank(line[i]))
		i++;
	*off = s;
	*n = i - s;
	*pos = i;
	return true;
}

/* Whether the word line[off..off+n) names a credential option, alone or
 * as OPTION=VALUE; *eq tells which, *val where the value starts. */
static bool credential_word(const char *line, size_t off, size_t n, bool *eq, size_t *val)
{
	size_t s = off, e = off + n;
	/* a quote, torrc's '+'/'/' prefixes, a '/' as if it were a command */
	while (s < e && (line[s] == '"' || line[s] == '+' || line[s] == '/'))
		s++;
	size_t k = s;
	while (k < e && line[k] != '=')
		k++;
	if (!secret_option(line + s, k - s))
		return false;
	*eq = k < e;
	*val = *eq ? k + 1 : e;
	return true;
}

size_t secret_conf_words(const char *line, size_t len, size_t from)
{
	size_t pos = from, off, n, val;
	bool eq;
	while (secret_word(line, len, &pos, &off, &n))
		if (credential_word(line, off, n, &eq, &val))
			return eq ? val : skip_blanks(line, len, val);
	return SECRET_NONE;
}

/* OPTION=VALUE naming a credential option, wherever it stands. */
static size_t by_assignment(const char *line, size_t len)
{
	size_t pos = 0, off, n, val;
	bool eq;
	while (secret_word(line, len, &pos, &off, &n))
		if (credential_word(line, off, n, &eq, &val) && eq)
			return val;
	return SECRET_NONE;
}

static size_t by_marker(const char *line, size_t len)
{
	for (size_t j = 0; j < len; j++)
		for (size_t i = 0; key_markers[i]; i++) {
			size_t k = strlen(key_markers[i]);
			/* first letters compared cheaply: replies can be megabytes */
			if ((line[j] | 0x20) == (key_markers[i][0] | 0x20) && k <= len - j &&
			    strncasecmp(line + j, key_markers[i], k) == 0)
				return j + k;
		}
	return SECRET_NONE;
}

/* What the command named by line[w..w+n) says, its arguments at `args`:
 * all of them when it is CMD_SENSITIVE, else what its secret() hook finds. */
static size_t by_command(const char *line, size_t len, size_t w, size_t n, size_t args, bool suggest)
{
	if (n > 1 && line[w] == '+') {
		w++;
		n--;
	}
	const struct cmd_def *d = cmd_find(line + w, n);
	if (d == NULL && suggest)
		d = cmd_suggest(line + w, n);
	if (d == NULL || (d->flags & CMD_LOCAL))
		return SECRET_NONE;
	if (d->flags & CMD_SENSITIVE)
		return args;
	if (d->secret == NULL)
		return SECRET_NONE;
	size_t o = d->secret(line + w, len - w);
	return o == SECRET_NONE ? SECRET_NONE : o + w;
}

static bool exact_command(const char *line, size_t w, size_t n)
{
	if (n > 1 && line[w] == '+') {
		w++;
		n--;
	}
	return cmd_find(line + w, n) != NULL;
}

static size_t command_rule(const char *line, size_t len, size_t from, int depth)
{
	size_t pos = from, w, n;
	if (depth > SKIP_WORDS || !secret_word(line, len, &pos, &w, &n))
		return SECRET_NONE;
	size_t args = skip_blanks(line, len, pos), r;
	if (line[w] == '/') {
		const struct cmd_def *d = cmd_find(line + w, n);
		if (d != NULL && (d->flags & CMD_RAW_LINE))
			return command_rule(line, len, args, depth + 1);
		if (d != NULL && d->secret) { /* a torsh command that takes keys (/onion) */
			size_t o = d->secret(line + w, len - w);
			return o == SECRET_NONE ? SECRET_NONE : o + w;
		}
		if (d != NULL)
			return SECRET_NONE; /* a torsh command: it sends nothing of the rest */
		/* "/authenticate ..." or "/rwa AUTHENTICATE ..." */
		r = n > 1 ? by_command(line, len, w + 1, n - 1, args, true) : SECRET_NONE;
	} else if (exact_command(line, w, n)) {
		return by_command(line, len, w, n, args, false);
	} else {
		r = by_command(line, len, w, n, args, true);
	}
	return min2(r, command_rule(line, len, args, depth + 1));
}

size_t secret_in_command(const char *line, size_t len)
{
	return min2(command_rule(line, len, 0, 0), min2(by_marker(line, len), by_assignment(line, len)));
}

size_t secret_in_conf(const char *line, size_t len)
{
	/* a commented-out password is still a password */
	size_t i = 0;
	while (i < len && (blank(line[i]) || line[i] == '#'))
		i++;
	/* torrc's "+Option" appends, "/Option" clears */
	if (i < len && (line[i] == '+' || line[i] == '/'))
		i++;
	size_t k = i, r = SECRET_NONE;
	while (k < len && !blank(line[k]) && line[k] != '=')
		k++;
	if (k > i && secret_option(line + i, k - i)) {
		while (k < len && (blank(line[k]) || line[k] == '='))
			k++;
		r = k;
	}
	return min2(r, min2(by_marker(line, len), by_assignment(line, len)));
}

size_t secret_in_reply(const char *line, size_t len)
{
	size_t p = 0;
	if (len >= 4 && line[0] >= '0' && line[0] <= '9' && line[1] >= '0' && line[1] <= '9' && line[2] >= '0' &&
	    line[2] <= '9' && (line[3] == ' ' || line[3] == '-' || line[3] == '+'))
		p = 4;
	/* "250 HashedControlPassword=...", "650-Socks5ProxyPassword=..."
	 * (CONF_CHANGED), and config-text data lines, are torrc lines */
	size_t r = secret_in_conf(line + p, len - p);
	return r == SECRET_NONE ? SECRET_NONE : r + p;
}

size_t secret_in_stream(struct secret_stream *s, bool sent, const char *line, size_t len)
{
	if (!sent)
		return secret_in_reply(line, len);
	if (!s->in_body) {
		s->in_body = len > 0 && line[0] == '+';
		s->cont = false;
		return secret_in_command(line, len);
	}
	if (len == 1 && line[0] == '.') {
		s->in_body = s->cont = false;
		return SECRET_NONE;
	}
	size_t r = s->cont ? 0 : secret_in_conf(line, len);
	s->cont = r != SECRET_NONE && len > 0 && line[len - 1] == '\\';
	return r;
}

/* Whether bytes other than blanks stand from `off` on: "AUTHENTICATE" alone
 * names a secret but shows none. */
static bool shows(const char *line, size_t len, size_t off)
{
	return off != SECRET_NONE && skip_blanks(line, len, off) < len;
}

bool secret_in_text(const char *text, size_t len)
{
	size_t i = 0;
	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - text) : len, n = e - i;
		/* the first line is a command, the others its body: judge each
		 * as both, which costs nothing but a needless warning */
		if (shows(text + i, n, secret_in_command(text + i, n)) || shows(text + i, n, secret_in_conf(text + i, n)))
			return true;
		i = e + 1;
	}
	return false;
}

void secret_display(const char *line, size_t len, size_t off, size_t n, char *buf, size_t cap)
{
	size_t cut = secret_in_command(line, len);
	if (cut >= off + n) {
		val_display(line + off, n, buf, cap);
		return;
	}
	size_t keep = cut > off ? cut - off : 0;
	if (cap == 0)
		return;
	buf[0] = '\0';
	if (cap > 11)
		val_display(line + off, keep, buf, cap - 11);
	snprintf(buf + strlen(buf), cap - strlen(buf), "[redacted]");
}

int secret_warn_exposed(char *const *commands, size_t ncommands, const char *password_file, FILE *err)
{
	int n = 0;
	for (size_t i = 0; i < ncommands; i++) {
		if (!secret_in_text(commands[i], strlen(commands[i])))
			continue;
		fprintf(err, "torsh: warning: -c argument %zu holds a secret, which other users can read in ps; "
			"pipe the command on stdin instead\n", i + 1);
		n++;
	}
	struct stat st;
	if (password_file != NULL && stat(password_file, &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH))) {
		fprintf(err, "torsh: warning: --password-file %s is readable by %s (mode %03o); chmod 600 it\n",
			password_file, (st.st_mode & S_IROTH) ? "other users" : "its group",
			(unsigned)(st.st_mode & 0777));
		n++;
	}
	return n;
}
