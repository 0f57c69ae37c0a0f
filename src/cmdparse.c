#include "cmdparse.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "argval.h"
#include "enums.h"
#include "event.h"
#include "onion.h"

static bool tok_secret(const struct pctx *p, const struct tok *t)
{
	return t->off + t->len > p->secret_from;
}

/* Every '...' in msg that the format did not write itself (a value passed
 * in, as "got '%s'" shows one) becomes '[redacted]'. */
static void redact_quoted(char *msg, size_t cap, const char *fmt)
{
	char out[sizeof(((struct cmd_error *)0)->msg)];
	size_t o = 0;
	for (const char *s = msg; *s && o + 1 < sizeof(out); s++) {
		const char *close = *s == '\'' ? strchr(s + 1, '\'') : NULL;
		size_t n = close ? (size_t)(close - s) + 1 : 0;
		bool constant = false;
		for (const char *f = fmt; close && !constant && (f = strchr(f, '\'')) != NULL; f++)
			constant = strncmp(f, s, n) == 0;
		if (close == NULL || constant) {
			size_t k = close ? n : 1;
			k = k < sizeof(out) - 1 - o ? k : sizeof(out) - 1 - o;
			memcpy(out + o, s, k);
			o += k;
			s += k - 1;
			continue;
		}
		o += (size_t)snprintf(out + o, sizeof(out) - o, "'[redacted]'");
		if (o >= sizeof(out))
			o = sizeof(out) - 1;
		s = close;
	}
	out[o] = '\0';
	snprintf(msg, cap, "%s", out);
}

int p_fail(struct pctx *p, const struct tok *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
	va_end(ap);
	if (t && tok_secret(p, t))
		redact_quoted(p->err->msg, sizeof(p->err->msg), fmt);
	p->err->col = t ? t->off + 1 : p->len + 1;
	return -1;
}

const struct tok *p_peek(const struct pctx *p)
{
	return p->pos < p->toks.n ? &p->toks.v[p->pos] : NULL;
}

const struct tok *p_next(struct pctx *p)
{
	const struct tok *t = p_peek(p);
	if (t)
		p->pos++;
	return t;
}

int p_need(struct pctx *p, const struct tok **t, const char *name, const char *what)
{
	*t = p_next(p);
	if (*t == NULL)
		return p_fail(p, NULL, "missing %s: expected %s", name, what);
	return 0;
}

void p_show(const struct pctx *p, const struct tok *t, char *buf, size_t len)
{
	if (tok_secret(p, t))
		snprintf(buf, len, "[redacted]");
	else
		val_display(p->line + t->off, t->len, buf, len);
}

int p_end(struct pctx *p)
{
	const struct tok *t = p_peek(p);
	if (t == NULL)
		return 0;
	char shown[80];
	p_show(p, t, shown, sizeof(shown));
	return p_fail(p, t, "unexpected argument '%s' (usage: %s %s)", shown, p->out->def->name,
		      p->out->def->usage);
}

const char *p_key(const struct pctx *p, const struct tok *t, char *buf, size_t len)
{
	size_t n = t->key_len < len - 1 ? t->key_len : len - 1;
	memcpy(buf, p->line + t->off, n);
	buf[n] = '\0';
	return buf;
}

bool p_key_is(const struct pctx *p, const struct tok *t, const char *key)
{
	return t->has_eq && t->key_len == strlen(key) && strncasecmp(p->line + t->off, key, t->key_len) == 0;
}

static int add_item(struct pctx *p, enum item_kind kind, const char *key, const char *val, size_t n)
{
	struct cmd *c = p->out;
	if (c->nitems == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		struct cmd_item *v = realloc(c->items, cap * sizeof(*v));
		if (v == NULL)
			return p_fail(p, NULL, "out of memory");
		c->items = v;
		c->cap = cap;
	}
	struct cmd_item *it = &c->items[c->nitems];
	it->kind = kind;
	it->key = key ? strdup(key) : NULL;
	it->val = malloc(n + 1);
	if ((key && it->key == NULL) || it->val == NULL) {
		free(it->key);
		free(it->val);
		return p_fail(p, NULL, "out of memory");
	}
	if (n)
		memcpy(it->val, val, n);
	it->val[n] = '\0';
	it->vlen = n;
	c->nitems++;
	return 0;
}

int out_word(struct pctx *p, const char *s, size_t n)
{
	return add_item(p, ITEM_WORD, NULL, s, n);
}

/* Every KEY=VALUE torsh sends unquoted lies in tor's keyword section,
 * which refuses a whole item holding ' or " (512 Cannot parse keyword
 * argument(s), digest 1.3): say which argument, before sending. */
int out_kv(struct pctx *p, const char *key, const char *val, size_t n)
{
	if (memchr(val, '\'', n) || memchr(val, '"', n))
		return p_fail(p, p->pos > 1 ? &p->toks.v[p->pos - 1] : NULL,
			      "%s: tor refuses a quote (' or \") in a keyword value", key);
	return add_item(p, ITEM_KV, key, val, n);
}

int out_kv_cquoted(struct pctx *p, const char *key, const char *val, size_t n)
{
	return add_item(p, ITEM_KV_CQUOTED, key, val, n);
}

int out_key(struct pctx *p, const char *key)
{
	return add_item(p, ITEM_KEY, key, "", 0);
}

int out_hex(struct pctx *p, const char *val, size_t n)
{
	return add_item(p, ITEM_HEX, NULL, val, n);
}

/* A plain token: no quotes, no '=', nothing but printable ASCII. */
static int plain(struct pctx *p, const struct tok *t, const char *name, const char *what)
{
	char shown[80];
	if (t->quoted || t->has_quote_char || t->has_eq || !val_is_printable(t->val, t->val_len)) {
		p_show(p, t, shown, sizeof(shown));
		return p_fail(p, t, "%s: expected %s, got '%s'", name, what, shown);
	}
	return 0;
}

int arg_plain(struct pctx *p, const struct tok *t, const char *name, const char *what)
{
	if (plain(p, t, name, what) < 0)
		return -1;
	return out_word(p, t->val, t->val_len);
}

int arg_id(struct pctx *p, const struct tok *t, const char *name, bool allow_zero, uint64_t *v)
{
	char msg[200];
	uint64_t tmp;
	if (plain(p, t, name, "a number") < 0)
		return -1;
	if (val_id(t->val, allow_zero, v ? v : &tmp, msg, sizeof(msg)) < 0)
		return p_fail(p, t, "%s: %s", name, msg);
	return out_word(p, t->val, t->val_len);
}

int arg_name(struct pctx *p, const struct tok *t, const char *name, const char *what)
{
	char shown[80];
	if (plain(p, t, name, what) < 0)
		return -1;
	if (!val_is_name(t->val, t->val_len)) {
		p_show(p, t, shown, sizeof(shown));
		return p_fail(p, t, "%s: expected %s (letters, digits, '_'), got '%s'", name, what, shown);
	}
	return out_word(p, t->val, t->val_len);
}

const char *strings_name_at(const void *set, size_t i)
{
	return ((const char *const *)set)[i];
}

static const char *nth_event(const void *set, size_t i)
{
	(void)set;
	return i < event_def_count ? event_defs[i].name : NULL;
}

/* An enumeration's own names first, then their aliases (HUP after RELOAD's
 * kin): the order an error message lists them in. */
const char *enum_name_at(const void *set, size_t i)
{
	const struct enum_table *e = set;
	for (int alias = 0; alias < 2; alias++)
		for (size_t k = 0; k < e->count; k++)
			if ((e->values[k].alias_of != NULL) == alias && i-- == 0)
				return e->values[k].name;
	return NULL;
}

const char *p_suggest(const struct tok *t, name_at_fn at, const void *set)
{
	if (t->quoted || t->has_eq || t->val_len == 0)
		return NULL;
	return name_suggest(t->val, t->val_len, at, set);
}

static int choose(struct pctx *p, const struct tok *t, const char *name, name_at_fn nth, const void *set, bool upcase)
{
	char shown[80], list[640] = "";
	const char *c;
	for (size_t i = 0; (c = nth(set, i)) != NULL; i++) {
		if (strlen(c) == t->val_len && strncasecmp(c, t->val, t->val_len) == 0 && !t->quoted && !t->has_eq)
			return upcase ? out_word(p, c, strlen(c)) : out_word(p, t->val, t->val_len);
		size_t l = strlen(list);
		snprintf(list + l, sizeof(list) - l, "%s%s", i ? ", " : "", c);
	}
	p_show(p, t, shown, sizeof(shown));
	/* one likely name says more than the list of all */
	const char *guess = p_suggest(t, nth, set);
	if (guess)
		return p_fail(p, t, "%s: unknown value '%s'; did you mean %s?", name, shown, guess);
	return p_fail(p, t, "%s: expected one of %s, got '%s'", name, list, shown);
}

int arg_choice(struct pctx *p, const struct tok *t, const char *name, const char *const *choices, bool upcase)
{
	return choose(p, t, name, strings_name_at, choices, upcase);
}

int arg_enum(struct pctx *p, const struct tok *t, const char *name, const struct enum_table *e)
{
	return choose(p, t, name, enum_name_at, e, true);
}

int arg_event(struct pctx *p, const struct tok *t, const char *name)
{
	return choose(p, t, name, nth_event, NULL, true);
}

const struct arg_word *arg_find(const struct pctx *p, const struct tok *t, const struct arg_word *const *args)
{
	for (size_t i = 0; args[i]; i++) {
		const struct arg_word *a = args[i];
		if (a->key && p_key_is(p, t, a->key))
			return a;
		for (size_t k = 0; !a->key && a->values && a->values[k]; k++)
			if (!t->has_eq && !t->quoted && strlen(a->values[k]) == t->val_len &&
			    strncasecmp(a->values[k], t->val, t->val_len) == 0)
				return a;
	}
	return NULL;
}

const char *arg_value(const struct tok *t, const struct arg_word *a)
{
	for (size_t k = 0; a->values && a->values[k]; k++)
		if (!t->quoted && strlen(a->values[k]) == t->val_len && strncasecmp(a->values[k], t->val, t->val_len) == 0)
			return a->values[k];
	return NULL;
}

const char *words_or(const char *const *w, const char *prefix, char *buf, size_t n)
{
	size_t count = 0, o = 0;
	while (w[count])
		count++;
	buf[0] = '\0';
	for (size_t i = 0; i < count && o < n; i++) {
		const char *sep = i == 0 ? "" : i + 1 == count ? " or " : ", ";
		int k = snprintf(buf + o, n - o, "%s%s%s", sep, prefix ? prefix : "", w[i]);
		o += k > 0 ? (size_t)k : 0;
	}
	return buf;
}

/* A v3 address as tor keeps it: ".onion" dropped, lower case (tor stores
 * an upper-case ONION_CLIENT_AUTH_ADD address as a different entry). */
static int onion_value(struct pctx *p, const struct tok *t, const char *name, char out[57])
{
	char msg[ONION_ADDR_MSG];
	size_t n = t->val_len;
	if (n > 6 && strcasecmp(t->val + n - 6, ".onion") == 0)
		n -= 6;
	if (val_onion_v3(t->val, n, msg, sizeof(msg)) < 0)
		return p_fail(p, t, "%s: %s", name, msg);
	for (size_t i = 0; i < n; i++)
		out[i] = (char)(t->val[i] >= 'A' && t->val[i] <= 'Z' ? t->val[i] + 32 : t->val[i]);
	out[n] = '\0';
	return 0;
}

int arg_onion(struct pctx *p, const struct tok *t, const char *name)
{
	char addr[57];
	if (plain(p, t, name, "a v3 onion address (56 base32 characters)") < 0 || onion_value(p, t, name, addr) < 0)
		return -1;
	return out_word(p, addr, strlen(addr));
}

int arg_onion_kv(struct pctx *p, const struct tok *t, const char *key)
{
	char addr[57];
	if (t->quoted)
		return p_fail(p, t, "%s: expected an onion address, not a quoted string", key);
	if (onion_value(p, t, key, addr) < 0)
		return -1;
	return out_kv(p, key, addr, strlen(addr));
}

int arg_relay(struct pctx *p, const struct tok *t, const char *name)
{
	char msg[200];
	if (plain(p, t, name, "a relay ($FINGERPRINT[~nick] or nickname)") < 0)
		return -1;
	if (val_relay(t->val, t->val_len, msg, sizeof(msg)) < 0)
		return p_fail(p, t, "%s: %s", name, msg);
	return out_word(p, t->val, t->val_len);
}
