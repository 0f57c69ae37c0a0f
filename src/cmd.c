#include "cmd.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmdparse.h"
#include "encode.h"
#include "argval.h"
#include "secret.h"

const struct cmd_def *cmd_find(const char *word, size_t len)
{
	bool plus = len > 1 && word[0] == '+';
	if (plus) {
		word++;
		len--;
	}
	for (size_t i = 0; i < cmd_table_len; i++) {
		const struct cmd_def *d = cmd_table[i];
		if (strlen(d->name) == len && strncasecmp(d->name, word, len) == 0)
			return plus && !(d->flags & CMD_BODY) ? NULL : d;
	}
	return NULL;
}

static size_t edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t prev[64], cur[64];
	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			char ca = (char)(a[i - 1] | 0x20), cb = (char)(b[j - 1] | 0x20);
			size_t sub = prev[j - 1] + (ca != cb);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, sizeof(prev));
	}
	return prev[lb];
}

const char *name_suggest(const char *word, size_t len, name_at_fn at, const void *set)
{
	const char *best = NULL, *c;
	size_t best_d = 3;
	for (size_t i = 0; (c = at(set, i)) != NULL; i++) {
		size_t n = strlen(c);
		/* a prefix of a longer name ("GETI") is the likeliest intent */
		if (len >= 3 && len < n && strncasecmp(c, word, len) == 0)
			return c;
		size_t dist = edit_distance(word, len, c, n);
		/* two edits to a two-letter name is any two-letter word */
		if (dist < best_d && dist < n) {
			best_d = dist;
			best = c;
		}
	}
	return best;
}

static const char *cmd_name_at(const void *set, size_t i)
{
	(void)set;
	return i < cmd_table_len ? cmd_table[i]->name : NULL;
}

const struct cmd_def *cmd_suggest(const char *word, size_t len)
{
	const char *name = name_suggest(word, len, cmd_name_at, NULL);
	return name ? cmd_find(name, strlen(name)) : NULL;
}

/* Longer names that start with the word (3 characters at least), in
 * alphabetical order; how many there are, up to cap kept. */
static size_t prefix_of(const char *word, size_t len, const struct cmd_def **v, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < cmd_table_len && len >= 3; i++) {
		const struct cmd_def *d = cmd_table[i];
		if (strlen(d->name) <= len || strncasecmp(d->name, word, len) != 0)
			continue;
		size_t at = n < cap ? n : cap;
		while (at > 0 && strcmp(v[at - 1]->name, d->name) > 0) {
			if (at < cap)
				v[at] = v[at - 1];
			at--;
		}
		if (at < cap)
			v[at] = d;
		n++;
	}
	return n;
}

size_t cmd_guess(const char *word, size_t len, char *out, size_t cap)
{
	const struct cmd_def *v[8];
	size_t n = prefix_of(word, len, v, 8);
	out[0] = '\0';
	if (n > 1) {
		size_t o = (size_t)snprintf(out, cap, ": could be");
		for (size_t i = 0; i < n && i < 8 && o < cap; i++)
			o += (size_t)snprintf(out + o, cap - o, "%s %s", i ? "," : "", v[i]->name);
		if (n > 8 && o < cap)
			snprintf(out + o, cap - o, " and %zu more", n - 8);
		return n;
	}
	const struct cmd_def *s = cmd_suggest(word, len);
	if (s == NULL)
		return 0;
	snprintf(out, cap, "; did you mean %s?", s->name);
	return 1;
}

void cmd_free(struct cmd *c)
{
	for (size_t i = 0; i < c->nitems; i++) {
		free(c->items[i].key);
		if (c->items[i].kind == ITEM_HEX)
			memset(c->items[i].val, 0, c->items[i].vlen);
		free(c->items[i].val);
	}
	free(c->items);
	free(c->body_file);
	memset(c, 0, sizeof(*c));
}

int cmd_parse(const char *line, size_t len, struct cmd *out, struct cmd_error *err)
{
	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	size_t w = 0;
	while (w < len && line[w] != ' ' && line[w] != '\t')
		w++;
	if (w == 0) {
		snprintf(err->msg, sizeof(err->msg), "%s", len ? "leading whitespace before the command word"
							     : "empty command");
		err->col = 1;
		return -1;
	}
	const struct cmd_def *d = cmd_find(line, w);
	if (d == NULL) {
		char shown[80], guess[200];
		secret_display(line, len, 0, w, shown, sizeof(shown));
		size_t n = cmd_guess(line[0] == '+' ? line + 1 : line, line[0] == '+' ? w - 1 : w, guess, sizeof(guess));
		snprintf(err->msg, sizeof(err->msg), "%s command %s%s (%s/raw sends it anyway)", n > 1 ? "ambiguous" : "unknown",
			 shown, guess, n ? "" : "/help lists them; ");
		err->col = 1;
		return -1;
	}
	out->def = d;
	struct pctx p = {.line = line, .len = len, .out = out, .err = err, .pos = 1,
			 .secret_from = secret_in_command(line, len)};
	struct tok_error te;
	enum tok_dialect dialect = (d->flags & CMD_QSTRING) ? TOK_QSTRING : TOK_CSTRING;
	if (tok_split(line, len, dialect, &p.toks, &te) < 0) {
		err->col = te.col + 1;
		snprintf(err->msg, sizeof(err->msg), "%s", te.msg);
		cmd_free(out);
		return -1;
	}
	for (size_t i = 0; i < p.toks.n; i++) {
		if (p.toks.v[i].has_ctl) {
			/* the column first: the token dies with the list */
			err->col = p.toks.v[i].off + 1;
			toklist_free(&p.toks);
			cmd_free(out);
			snprintf(err->msg, sizeof(err->msg), "CR, LF or NUL inside an argument: refused, nothing was sent");
			return -1;
		}
	}
	int rc;
	if (d->flags & CMD_OBSOLETE)
		rc = p_fail(&p, NULL, "%s: %s", d->name, d->help);
	else if (d->flags & CMD_LOCAL)
		rc = 0;
	else
		rc = d->parse(&p);
	toklist_free(&p.toks);
	if (rc < 0) {
		cmd_free(out);
		return -1;
	}
	return 0;
}

const struct cmd_def *cmd_line_def(const char *line, size_t len, bool suggest)
{
	while (len > 0 && (line[0] == ' ' || line[0] == '\t')) {
		line++;
		len--;
	}
	size_t plus = len > 0 && line[0] == '+', w = plus;
	while (w < len && line[w] != ' ' && line[w] != '\t')
		w++;
	const struct cmd_def *d = cmd_find(line + plus, w - plus);
	if (d == NULL && suggest)
		d = cmd_suggest(line + plus, w - plus);
	return d;
}

const char *cmd_raw_hazard(const char *line, size_t len)
{
	char *copy = malloc(len + 1);
	if (copy == NULL)
		return "out of memory";
	/* tor ends the command word and splits arguments at any white space */
	for (size_t i = 0; i < len; i++)
		copy[i] = (line[i] == '\v' || line[i] == '\f' || line[i] == '\r' || line[i] == '\n') ? ' ' : line[i];
	struct toklist toks;
	tok_split_partial(copy, len, &toks);
	const char *reason = NULL;
	if (toks.n > 0) {
		const char *w = copy + toks.v[0].off;
		size_t n = toks.v[0].len;
		if (n > 1 && w[0] == '+') {
			w++;
			n--;
		}
		for (size_t i = 0; i < raw_hazards_len && reason == NULL; i++) {
			const struct raw_hazard *h = &raw_hazards[i];
			/* the name as tor reads it: exactly, whatever torsh takes for it */
			if (strlen(h->def->name) == n && strncasecmp(h->def->name, w, n) == 0 && h->applies(copy, &toks))
				reason = h->reason;
		}
	}
	toklist_free(&toks);
	free(copy);
	return reason;
}

/* LF, CRLF and a bare CR each end a line (tor would keep a bare CR as
 * data); dot-stuffing comes after the split, so a "." hidden behind a CR
 * is doubled too. */
int wire_body(struct buf *wire, const char *body, size_t blen)
{
	size_t i = 0;
	while (i < blen) {
		size_t end = i;
		while (end < blen && body[end] != '\n' && body[end] != '\r')
			end++;
		size_t next = end + (end + 1 < blen && body[end] == '\r' && body[end + 1] == '\n' ? 2 : 1);
		if (end > i && body[i] == '.' && buf_putc(wire, '.', COMMAND_MAX_WIRE) < 0)
			return -1;
		if (buf_append(wire, body + i, end - i, COMMAND_MAX_WIRE) < 0 ||
		    buf_append(wire, "\r\n", 2, COMMAND_MAX_WIRE) < 0)
			return -1;
		i = next;
	}
	return buf_append(wire, ".\r\n", 3, COMMAND_MAX_WIRE);
}

/* Bytes that can stand in a word without splitting it or the command:
 * printable ASCII but space and double quote. */
static bool safe_word(const char *s, size_t n, bool allow_eq)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c >= 0x7f || c == '"' || (!allow_eq && c == '='))
			return false;
	}
	return n > 0;
}

static int unsafe(struct cmd_error *err, const char *what)
{
	snprintf(err->msg, sizeof(err->msg), "refusing to send %s that could split the command", what);
	return -1;
}

int cmd_serialize(const struct cmd *c, struct buf *wire, struct cmd_error *err)
{
	buf_reset(wire);
	if (c->def->flags & CMD_BODY)
		buf_putc(wire, '+', BUF_NOLIMIT);
	buf_append(wire, c->def->name, strlen(c->def->name), BUF_NOLIMIT);
	for (size_t i = 0; i < c->nitems; i++) {
		const struct cmd_item *it = &c->items[i];
		buf_putc(wire, ' ', BUF_NOLIMIT);
		if (it->key) {
			if (!safe_word(it->key, strlen(it->key), false))
				return unsafe(err, "a keyword");
			buf_append(wire, it->key, strlen(it->key), BUF_NOLIMIT);
			if (it->kind != ITEM_KEY)
				buf_putc(wire, '=', BUF_NOLIMIT);
		}
		switch (it->kind) {
		case ITEM_WORD:
		case ITEM_KV:
			/* '=' inside a value is harmless: tor splits at the first */
			if (!safe_word(it->val, it->vlen, true))
				return unsafe(err, "a value");
			buf_append(wire, it->val, it->vlen, BUF_NOLIMIT);
			break;
		case ITEM_KV_CQUOTED:
			if (cstring_quote(wire, it->val, it->vlen) < 0)
				return unsafe(err, "a NUL byte");
			break;
		case ITEM_KEY:
			break;
		case ITEM_HEX: {
			char h[3];
			for (size_t k = 0; k < it->vlen; k++) {
				hex_encode((const uint8_t *)it->val + k, 1, h);
				buf_append(wire, h, 2, BUF_NOLIMIT);
			}
			break;
		}
		}
	}
	if (wire->len && wire->p[wire->len - 1] == ' ')
		wire->len--;
	buf_append(wire, "\r\n", 2, BUF_NOLIMIT);
	if (c->def->flags & CMD_BODY) {
		if (!c->has_body || c->blen == 0) {
			snprintf(err->msg, sizeof(err->msg), "%s needs a body: the lines that follow, up to a line '.', "
				 "or @FILE", c->def->name);
			return -1;
		}
		if (memchr(c->body, '\0', c->blen))
			return unsafe(err, "a NUL byte in the body");
		if (wire_body(wire, c->body, c->blen) < 0) {
			snprintf(err->msg, sizeof(err->msg), "body longer than tor's 1 MiB limit");
			return -1;
		}
	}
	return 0;
}
