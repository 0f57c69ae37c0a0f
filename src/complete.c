#include "complete.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "enums.h"
#include "event.h"
#include "status.h"
#include "tokenize.h"

#define NO_DESC ((size_t)-1)

/* ---- word lists ---- */

static void wl_reset(struct wordlist *w)
{
	buf_reset(&w->text);
	w->n = 0;
}

static void wl_free(struct wordlist *w)
{
	buf_free(&w->text);
	free(w->word);
	free(w->desc);
	memset(w, 0, sizeof(*w));
}

static void wl_add(struct wordlist *w, const char *word, size_t wl, const char *desc, size_t dl)
{
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;
		size_t *a = realloc(w->word, cap * sizeof(*a));
		if (a == NULL)
			return;
		w->word = a;
		size_t *d = realloc(w->desc, cap * sizeof(*d));
		if (d == NULL)
			return;
		w->desc = d;
		w->cap = cap;
	}
	w->word[w->n] = w->text.len;
	buf_append(&w->text, word, wl, BUF_NOLIMIT);
	buf_putc(&w->text, '\0', BUF_NOLIMIT);
	w->desc[w->n] = NO_DESC;
	if (desc) {
		w->desc[w->n] = w->text.len;
		buf_append(&w->text, desc, dl, BUF_NOLIMIT);
		buf_putc(&w->text, '\0', BUF_NOLIMIT);
	}
	w->n++;
}

/* Live lists follow CIRC and STREAM events: bounded, so that a flood of
 * made-up ids from a hostile peer cannot grow them. */
#define LIVE_MAX 1024
#define LIVE_DESC_MAX 160
#define LIVE_TEXT_MAX ((size_t)2 << 20)

static void wl_remove(struct wordlist *w, size_t i)
{
	memmove(w->word + i, w->word + i + 1, (w->n - i - 1) * sizeof(*w->word));
	memmove(w->desc + i, w->desc + i + 1, (w->n - i - 1) * sizeof(*w->desc));
	w->n--;
}

/* Removed entries leave their text behind; past a bound, copy out what is
 * still referenced. */
static void wl_compact(struct wordlist *w)
{
	if (w->text.len < LIVE_TEXT_MAX)
		return;
	struct wordlist fresh = {0};
	for (size_t i = 0; i < w->n; i++) {
		const char *word = w->text.p + w->word[i];
		const char *desc = w->desc[i] == NO_DESC ? NULL : w->text.p + w->desc[i];
		wl_add(&fresh, word, strlen(word), desc, desc ? strlen(desc) : 0);
	}
	wl_free(w);
	*w = fresh;
}

static const char *wl_word(const struct wordlist *w, size_t i)
{
	return w->text.p + w->word[i];
}

static const char *wl_desc(const struct wordlist *w, size_t i)
{
	return w->desc[i] == NO_DESC ? NULL : w->text.p + w->desc[i];
}

void catalog_free(struct catalog *c)
{
	wl_free(&c->conf);
	wl_free(&c->info);
	wl_free(&c->features);
	wl_free(&c->circuits);
	wl_free(&c->streams);
	wl_free(&c->onions);
	wl_free(&c->client_auth);
	wl_free(&c->relays);
}

/* ---- filling the catalog from tor's replies ---- */

const char *const catalog_static_requests[] = {
	"conf GETINFO config/names",
	"info GETINFO info/names",
	"features GETINFO features/names",
	NULL,
};

/* Indexed by enum cat_source; the tags catalog_take knows. */
static const char *const source_request[CS_COUNT] = {
	"circs GETINFO circuit-status",
	"streams GETINFO stream-status",
	"onions GETINFO onions/current onions/detached",
	"auth ONION_CLIENT_AUTH_VIEW",
	"relays GETINFO ns/all",
};

static int source_of(enum hint_kind kind)
{
	switch (kind) {
	case HINT_CIRC_ID:
		return CS_CIRCS;
	case HINT_STREAM_ID:
		return CS_STREAMS;
	case HINT_ONION_ID:
		return CS_ONIONS;
	case HINT_CLIENT_AUTH:
		return CS_AUTH;
	case HINT_RELAY:
		return CS_RELAYS;
	default:
		return -1;
	}
}

static int source_of_tag(const char *tag)
{
	for (int i = 0; i < CS_COUNT; i++) {
		size_t n = strcspn(source_request[i], " ");
		if (strncmp(tag, source_request[i], n) == 0 && tag[n] == '\0')
			return i;
	}
	return -1;
}

/* Whether what the catalog holds for source i will do now. */
static bool fresh_enough(const struct cat_fresh *f, int i, long now_ms)
{
	if (!f->have)
		return false;
	if (i == CS_RELAYS)
		return now_ms - f->asked_ms < CATALOG_RELAYS_MS;
	if (f->followed)
		return true;
	return !f->stale && now_ms - f->asked_ms < CATALOG_LIVE_MS;
}

const char *catalog_fetch(struct catalog *c, enum hint_kind source, long now_ms)
{
	int i = source_of(source);
	if (i < 0)
		return NULL;
	struct cat_fresh *f = &c->fresh[i];
	if (f->asked || fresh_enough(f, i, now_ms))
		return NULL;
	f->asked = true;
	f->stale = false;
	f->asked_ms = now_ms;
	f->followed = (i == CS_CIRCS && c->follow_circ) || (i == CS_STREAMS && c->follow_stream);
	return source_request[i];
}

bool catalog_asking(const struct catalog *c, enum hint_kind source)
{
	int i = source_of(source);
	return i >= 0 && c->fresh[i].asked;
}

void catalog_commanded(struct catalog *c)
{
	for (int i = 0; i < CS_COUNT; i++)
		c->fresh[i].stale = true;
}

static bool has_event(uint64_t set, const char *name)
{
	const struct event_def *d = event_def_find(name, strlen(name));
	return d != NULL && (set & ((uint64_t)1 << (d - event_defs))) != 0;
}

void catalog_following(struct catalog *c, uint64_t subscribed)
{
	bool circ = has_event(subscribed, "CIRC"), stream = has_event(subscribed, "STREAM");
	c->follow_circ = circ;
	c->follow_stream = stream;
	if (!circ)
		c->fresh[CS_CIRCS].followed = false;
	if (!stream)
		c->fresh[CS_STREAMS].followed = false;
}

void catalog_reconnected(struct catalog *c)
{
	for (int i = 0; i < CS_COUNT; i++)
		c->fresh[i] = (struct cat_fresh){0};
	c->follow_circ = c->follow_stream = false;
}

/* The value of KEY in a GETINFO reply, single-line or data block. */
static const char *reply_value(const struct tc_msg *m, const char *key, size_t *len)
{
	size_t kl = strlen(key);
	for (size_t i = 0; i < m->nlines; i++) {
		size_t tl;
		const char *t = msg_text(m, i, &tl);
		if (tl <= kl || memcmp(t, key, kl) != 0 || t[kl] != '=')
			continue;
		if (m->lines[i].sep == '+')
			return msg_data(m, i, len);
		*len = tl - kl - 1;
		return t + kl + 1;
	}
	return NULL;
}

/* Calls fn for each line (or, with by_space, each word) of a value. */
static void each_item(const char *v, size_t n, bool by_space, void (*fn)(void *, const char *, size_t), void *ud)
{
	const char *p = v, *end = v + n;
	while (p < end) {
		const char *q = p;
		while (q < end && *q != '\n' && !(by_space && *q == ' '))
			q++;
		if (q > p)
			fn(ud, p, (size_t)(q - p));
		p = q + 1;
	}
}

/* "Option Type" */
static void add_conf(void *ud, const char *l, size_t n)
{
	const char *sp = memchr(l, ' ', n);
	size_t k = sp ? (size_t)(sp - l) : n;
	wl_add(ud, l, k, sp ? sp + 1 : NULL, sp ? n - k - 1 : 0);
}

/* "key -- description"; a prefix key "ns/id/STAR -- ..." completes as "ns/id/" */
static void add_info(void *ud, const char *l, size_t n)
{
	const char *dash = NULL;
	for (size_t i = 0; i + 3 < n && !dash; i++)
		if (memcmp(l + i, " -- ", 4) == 0)
			dash = l + i;
	size_t k = dash ? (size_t)(dash - l) : n;
	if (k > 0 && l[k - 1] == '*')
		k--;
	/* "downloads/desc/<desc>": the part before the placeholder is a prefix */
	const char *ph = memchr(l, '<', k);
	if (ph != NULL)
		k = (size_t)(ph - l);
	wl_add(ud, l, k, dash ? dash + 4 : NULL, dash ? n - k - 4 - (l[k] == '*') : 0);
}

static void add_word(void *ud, const char *l, size_t n)
{
	wl_add(ud, l, n, NULL, 0);
}

/* A circuit's description: "BUILT GENERAL guard > middle > exit"; a
 * stream's: "SUCCEEDED example.com:443 on circuit 12". */
static void row_desc(const struct status_row *r, bool circ, struct buf *d)
{
	buf_reset(d);
	buf_append(d, r->status.p, r->status.n, BUF_NOLIMIT);
	if (circ) {
		if (r->purpose.n) {
			buf_putc(d, ' ', BUF_NOLIMIT);
			buf_append(d, r->purpose.p, r->purpose.n, BUF_NOLIMIT);
		}
		if (r->path.n) {
			buf_putc(d, ' ', BUF_NOLIMIT);
			status_path_names(r->path, d);
		}
	} else {
		buf_printf(d, BUF_NOLIMIT, " %.*s on circuit %.*s", (int)r->target.n, r->target.p, (int)r->circ.n,
			   r->circ.p);
	}
	if (d->len > LIVE_DESC_MAX) {
		d->len = LIVE_DESC_MAX;
		d->p[d->len] = '\0';
	}
}

static size_t wl_find(const struct wordlist *w, const char *word, size_t n)
{
	for (size_t i = 0; i < w->n; i++)
		if (strncmp(wl_word(w, i), word, n) == 0 && wl_word(w, i)[n] == '\0')
			return i;
	return NO_DESC;
}

/* Add, replace or (when the status says it is gone) drop one circuit or
 * stream, from a status line or an event. */
static void live_update(struct wordlist *w, bool circ, const char *l, size_t n)
{
	struct status_row r;
	if (!status_row_parse(l, n, circ, &r))
		return;
	size_t at = wl_find(w, r.id.p, r.id.n);
	if (at != NO_DESC)
		wl_remove(w, at);
	if (status_is_gone(r.status) || w->n >= LIVE_MAX)
		return;
	struct buf d = {0};
	row_desc(&r, circ, &d);
	wl_add(w, r.id.p, r.id.n, d.p, d.len);
	buf_free(&d);
	wl_compact(w);
}

static void add_circuit(void *ud, const char *l, size_t n)
{
	live_update(ud, true, l, n);
}

static void add_stream(void *ud, const char *l, size_t n)
{
	live_update(ud, false, l, n);
}

static void add_client(void *ud, const char *l, size_t n)
{
	/* "CLIENT ADDRESS KEY ..." */
	if (n < 8 || memcmp(l, "CLIENT ", 7) != 0)
		return;
	const char *a = l + 7, *sp = memchr(a, ' ', n - 7);
	wl_add(ud, a, sp ? (size_t)(sp - a) : n - 7, NULL, 0);
}

/* "r NICK IDENTITY-BASE64 ..." -> "$HEXFINGERPRINT~NICK" */
static bool add_relay_line(struct wordlist *w, const char *l, size_t n)
{
	if (n < 4 || l[0] != 'r' || l[1] != ' ')
		return false;
	const char *nick = l + 2, *sp = memchr(nick, ' ', n - 2);
	if (sp == NULL)
		return false;
	const char *id = sp + 1, *end = l + n, *ie = memchr(id, ' ', (size_t)(end - id));
	size_t il = ie ? (size_t)(ie - id) : (size_t)(end - id);
	/* 27 base64 characters (unpadded) are the 20-byte identity */
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned char raw[21];
	size_t nraw = 0;
	unsigned acc = 0;
	int bits = 0;
	for (size_t i = 0; i < il && id[i] != '='; i++) {
		const char *q = memchr(b64, id[i], 64);
		if (q == NULL)
			return false;
		acc = (acc << 6) | (unsigned)(q - b64);
		bits += 6;
		if (bits >= 8 && nraw < sizeof(raw)) {
			bits -= 8;
			raw[nraw++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	if (nraw != 20)
		return false;
	char word[64] = "$";
	for (size_t i = 0; i < 20; i++)
		snprintf(word + 1 + 2 * i, 3, "%02X", raw[i]);
	snprintf(word + 41, sizeof(word) - 41, "~%.*s", (int)(sp - nick) > 19 ? 19 : (int)(sp - nick), nick);
	wl_add(w, word, strlen(word), NULL, 0);
	return true;
}

/* ns/all line by line: an "r" line is a relay, the "s" line after it its
 * flags, shown as its description ("Fast Guard Running Stable Valid"). */
struct relay_ctx {
	struct wordlist *w;
	bool last_added;      /* the latest "r" line became an entry */
};

static void add_relay(void *ud, const char *l, size_t n)
{
	struct relay_ctx *rc = ud;
	if (n >= 2 && l[0] == 'r' && l[1] == ' ') {
		rc->last_added = add_relay_line(rc->w, l, n);
		return;
	}
	if (!rc->last_added || n < 3 || l[0] != 's' || l[1] != ' ')
		return;
	struct wordlist *w = rc->w;
	size_t dl = n - 2 > 100 ? 100 : n - 2;
	w->desc[w->n - 1] = w->text.len;
	buf_append(&w->text, l + 2, dl, BUF_NOLIMIT);
	buf_putc(&w->text, '\0', BUF_NOLIMIT);
	rc->last_added = false;
}

/* circuit-status, stream-status, onions/...: each list whose key the
 * reply has is replaced. */
static void take_live(struct catalog *c, const struct tc_msg *m)
{
	size_t len;
	const char *v;
	if ((v = reply_value(m, "circuit-status", &len))) {
		wl_reset(&c->circuits);
		each_item(v, len, false, add_circuit, &c->circuits);
	}
	if ((v = reply_value(m, "stream-status", &len))) {
		wl_reset(&c->streams);
		each_item(v, len, false, add_stream, &c->streams);
	}
	const char *cur = reply_value(m, "onions/current", &len);
	size_t dlen;
	const char *det = reply_value(m, "onions/detached", &dlen);
	if (cur || det)
		wl_reset(&c->onions);
	if (cur)
		each_item(cur, len, true, add_word, &c->onions);
	if (det)
		each_item(det, dlen, true, add_word, &c->onions);
}

void catalog_take(struct catalog *c, const char *tag, const struct tc_msg *m)
{
	size_t len;
	const char *v;
	int src = source_of_tag(tag);
	if (src >= 0) {
		/* answered, even by an error: a later Tab may ask again */
		c->fresh[src].asked = false;
		c->fresh[src].have = c->fresh[src].have || msg_ok(m);
	}
	if (!msg_ok(m))
		return;
	if (strcmp(tag, "conf") == 0 && (v = reply_value(m, "config/names", &len))) {
		wl_reset(&c->conf);
		each_item(v, len, false, add_conf, &c->conf);
	} else if (strcmp(tag, "info") == 0 && (v = reply_value(m, "info/names", &len))) {
		wl_reset(&c->info);
		each_item(v, len, false, add_info, &c->info);
	} else if (strcmp(tag, "features") == 0 && (v = reply_value(m, "features/names", &len))) {
		wl_reset(&c->features);
		each_item(v, len, true, add_word, &c->features);
	} else if (strcmp(tag, "relays") == 0 && (v = reply_value(m, "ns/all", &len))) {
		wl_reset(&c->relays);
		struct relay_ctx rc = {.w = &c->relays};
		each_item(v, len, false, add_relay, &rc);
	} else if (src == CS_CIRCS || src == CS_STREAMS || src == CS_ONIONS) {
		take_live(c, m);
	} else if (strcmp(tag, "auth") == 0) {
		wl_reset(&c->client_auth);
		for (size_t i = 0; i < m->nlines; i++) {
			const char *t = msg_text(m, i, &len);
			add_client(&c->client_auth, t, len);
		}
	}
}

void catalog_event(struct catalog *c, const struct tc_msg *m)
{
	size_t n;
	const char *t = msg_first(m, &n);
	if (n > 5 && memcmp(t, "CIRC ", 5) == 0)
		live_update(&c->circuits, true, t + 5, n - 5);
	else if (n > 7 && memcmp(t, "STREAM ", 7) == 0)
		live_update(&c->streams, false, t + 7, n - 7);
}

/* ---- completing ---- */

struct query {
	const char *word;      /* the partial word */
	size_t len;
	struct completion *out;
	bool upcase;           /* complete in upper case (command words, enum values) */
	const char *arg1;      /* the command's first argument, when typed */
	size_t arg1_len;
};

static bool has_prefix_ci(const char *s, const char *p, size_t n)
{
	return strncasecmp(s, p, n) == 0;
}

static void offer(struct query *q, const char *w, const char *desc)
{
	size_t n = strlen(w);
	if (n < q->len || !has_prefix_ci(w, q->word, q->len))
		return;
	for (size_t i = 0; i < q->out->match.n; i++)
		if (strcmp(wl_word(&q->out->match, i), w) == 0)
			return;
	wl_add(&q->out->match, w, n, desc, desc ? strlen(desc) : 0);
}

static void offer_list(struct query *q, const struct wordlist *w)
{
	for (size_t i = 0; i < w->n; i++)
		offer(q, wl_word(w, i), wl_desc(w, i));
}

static void offer_words(struct query *q, const char *words)
{
	const char *p = words;
	char one[128];
	while (*p) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " ");
		if (n == 0)
			break;
		if (n < sizeof(one)) {
			memcpy(one, p, n);
			one[n] = '\0';
			offer(q, one, NULL);
		}
		p += n;
	}
}

/* KEY=VALUE for each value of a keyed argument, "KEY=" for one that takes
 * any value, the values themselves for a bare one. */
static void offer_args(struct query *q, const struct arg_word *const *args)
{
	char v[160];
	for (size_t i = 0; args[i]; i++) {
		const struct arg_word *a = args[i];
		if (a->key && a->values == NULL) {
			snprintf(v, sizeof(v), "%s=", a->key);
			offer(q, v, NULL);
		}
		for (size_t k = 0; a->values && a->values[k]; k++) {
			snprintf(v, sizeof(v), "%s%s%s", a->key ? a->key : "", a->key ? "=" : "", a->values[k]);
			offer(q, v, a->descs ? a->descs[k] : NULL);
		}
	}
}

static void offer_enum(struct query *q, const struct enum_table *t)
{
	for (size_t i = 0; i < t->count; i++)
		if (!(t->values[i].flags & ENUM_GONE))
			offer(q, t->values[i].name, t->values[i].desc);
}

/* SETCONF Key=<TAB>: a Boolean takes 0 or 1. */
static void offer_conf_value(struct query *q, const struct catalog *c)
{
	const char *eq = memchr(q->word, '=', q->len);
	size_t kl = (size_t)(eq - q->word);
	for (size_t i = 0; i < c->conf.n; i++) {
		const char *name = wl_word(&c->conf, i), *type = wl_desc(&c->conf, i);
		if (strlen(name) != kl || strncasecmp(name, q->word, kl) != 0 || type == NULL)
			continue;
		if (strcmp(type, "Boolean") == 0 || strcmp(type, "Autobool") == 0) {
			char v[160];
			snprintf(v, sizeof(v), "%s=0", name);
			offer(q, v, NULL);
			snprintf(v, sizeof(v), "%s=1", name);
			offer(q, v, NULL);
			if (type[0] == 'A') {
				snprintf(v, sizeof(v), "%s=auto", name);
				offer(q, v, NULL);
			}
		}
	}
}

/* A relay, after whatever fixed text precedes it in the word: earlier
 * hops of a path ("$A~a,$B~b,") or "SERVER=". Matched on fingerprint or
 * nickname. */
static void offer_relays_after(struct query *q, const struct catalog *c, size_t fixed)
{
	for (size_t i = 0; i < c->relays.n; i++) {
		const char *w = wl_word(&c->relays, i), *tilde = strchr(w, '~');
		const char *part = q->word + fixed;
		size_t pl = q->len - fixed;
		bool hit = strncasecmp(w, part, pl) == 0 || strncasecmp(w + 1, part, pl) == 0 ||
			   (tilde && strncasecmp(tilde + 1, part, pl) == 0);
		if (!hit)
			continue;
		char full[320];
		snprintf(full, sizeof(full), "%.*s%s", (int)fixed, q->word, w);
		/* offer() checks the typed prefix; nickname matches are offered as is */
		for (size_t k = 0; k < q->out->match.n; k++)
			if (strcmp(wl_word(&q->out->match, k), full) == 0)
				goto next;
		const char *desc = wl_desc(&c->relays, i);
		wl_add(&q->out->match, full, strlen(full), desc, desc ? strlen(desc) : 0);
	next:;
	}
}

static void offer_relays(struct query *q, const struct catalog *c)
{
	size_t fixed = 0;
	for (size_t i = 0; i < q->len; i++)
		if (q->word[i] == ',')
			fixed = i + 1;
	offer_relays_after(q, c, fixed);
}

/* /wait EVENT <TAB>: the event's field names (positional and keyword) as
 * NAME=, and the --timeout option. */
static void offer_event_fields(struct query *q)
{
	offer(q, "--timeout", NULL);
	const struct event_def *d = event_def_find(q->arg1, q->arg1_len);
	if (d == NULL)
		return;
	char v[80];
	for (size_t i = 0; i < d->npos; i++) {
		snprintf(v, sizeof(v), "%s=", d->pos[i].name);
		offer(q, v, NULL);
	}
	for (size_t i = 0; i < d->nkw; i++) {
		snprintf(v, sizeof(v), "%s=", d->kw[i].name);
		offer(q, v, NULL);
	}
}

/* File names: the directory part of the word as typed, its entries that
 * start with the rest; a directory ends in '/' so the next Tab goes in. */
static void offer_paths(struct query *q)
{
	char dir[1024], base[256], v[1400];
	size_t dl = q->len;
	while (dl > 0 && q->word[dl - 1] != '/')
		dl--;
	if (dl >= sizeof(dir) || q->len - dl >= sizeof(base))
		return;
	memcpy(dir, q->word, dl);
	dir[dl] = '\0';
	memcpy(base, q->word + dl, q->len - dl);
	base[q->len - dl] = '\0';
	DIR *d = opendir(dl ? dir : ".");
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, base, strlen(base)) != 0 || strcmp(e->d_name, ".") == 0 ||
		    strcmp(e->d_name, "..") == 0 || (e->d_name[0] == '.' && base[0] != '.'))
			continue;
		struct stat st;
		snprintf(v, sizeof(v), "%s%s", dir, e->d_name);
		bool isdir = stat(dl ? v : e->d_name, &st) == 0 && S_ISDIR(st.st_mode);
		snprintf(v, sizeof(v), "%s%s%s", dir, e->d_name, isdir ? "/" : "");
		offer(q, v, NULL);
	}
	if (d)
		closedir(d);
}

static void offer_hint(struct query *q, const struct catalog *c, const struct cmd_hint *h)
{
	q->out->source = h->kind;
	if (q->len >= 7 && strncasecmp(q->word, "SERVER=", 7) == 0) {
		q->out->source = HINT_RELAY;
		offer_relays_after(q, c, 7);
		return;
	}
	switch (h->kind) {
	case HINT_WORDS:
		offer_words(q, h->words);
		break;
	case HINT_ARGS:
		offer_args(q, h->args);
		break;
	case HINT_ENUM:
		if (h->words)
			offer_words(q, h->words);
		offer_enum(q, h->table);
		break;
	case HINT_CONF_KEY:
		offer_list(q, &c->conf);
		break;
	case HINT_CONF_SET:
		if (memchr(q->word, '=', q->len)) {
			offer_conf_value(q, c);
			break;
		}
		for (size_t i = 0; i < c->conf.n; i++) {
			char v[160];
			snprintf(v, sizeof(v), "%s=", wl_word(&c->conf, i));
			offer(q, v, wl_desc(&c->conf, i));
		}
		break;
	case HINT_INFO_KEY:
		offer_list(q, &c->info);
		break;
	case HINT_EVENT: {
		/* /events +TYPE -TYPE: the sign stays */
		char sign = q->len > 0 && (q->word[0] == '+' || q->word[0] == '-') ? q->word[0] : 0;
		for (size_t i = 0; i < event_def_count; i++) {
			char v[64];
			snprintf(v, sizeof(v), "%s%s", sign ? (sign == '+' ? "+" : "-") : "", event_defs[i].name);
			offer(q, v, event_defs[i].summary);
		}
		break;
	}
	case HINT_FEATURE:
		offer_list(q, &c->features);
		break;
	case HINT_CIRC_ID:
		offer_list(q, &c->circuits);
		break;
	case HINT_STREAM_ID:
		offer_list(q, &c->streams);
		break;
	case HINT_ONION_ID:
		offer_list(q, &c->onions);
		break;
	case HINT_CLIENT_AUTH:
		offer_list(q, &c->client_auth);
		break;
	case HINT_RELAY:
		offer_relays(q, c);
		break;
	case HINT_COMMAND:
		for (size_t i = 0; i < cmd_table_len; i++)
			offer(q, cmd_table[i]->name, cmd_table[i]->summary);
		break;
	case HINT_EVENT_FIELD:
		offer_event_fields(q);
		break;
	case HINT_PATH:
		offer_paths(q);
		break;
	case HINT_FILE:
	case HINT_NONE:
		break;
	}
}

/* The hint for argument `arg` (0-based). The last hint repeats for
 * commands whose usage says so ("..."); others end there. */
static const struct cmd_hint *hint_in(const struct cmd_hint *hints, const char *usage, size_t arg)
{
	size_t n = 0;
	while (n < CMD_HINTS && hints[n].kind != HINT_NONE)
		n++;
	if (arg < n)
		return &hints[arg];
	if (n > 0 && usage && strstr(usage, "..."))
		return &hints[n - 1];
	return NULL;
}

/* A command with subcommands: the first argument is one of them, the
 * others as that subcommand's hints say. */
static const struct cmd_hint *hint_for(const struct cmd_def *d, size_t arg, struct query *q)
{
	if (d->subs == NULL)
		return hint_in(d->hints, d->usage, arg);
	if (arg == 0) {
		q->out->source = HINT_WORDS;
		for (const struct cmd_sub *s = d->subs; s->name; s++)
			offer(q, s->name, s->summary);
		return NULL;
	}
	for (const struct cmd_sub *s = d->subs; s->name; s++)
		if (strlen(s->name) == q->arg1_len && strncasecmp(s->name, q->arg1, q->arg1_len) == 0)
			return hint_in(s->hints, s->usage, arg - 1);
	return NULL;
}

/* Whether candidate a goes before b: case aside, and numbers (circuit and
 * stream ids) by value, 9 before 10. */
static bool before(const char *a, const char *b)
{
	size_t da = strspn(a, "0123456789"), db = strspn(b, "0123456789");
	if (da > 0 && db > 0 && a[da] == '\0' && b[db] == '\0' && da != db)
		return da < db;
	int c = strcasecmp(a, b);
	return c < 0 || (c == 0 && strcmp(a, b) < 0);
}

/* Sorted for the list under the prompt (insertion sort: a screenful is
 * shown, and even ns/all's few thousand relays come nearly sorted). */
static void sort_matches(struct wordlist *w)
{
	for (size_t i = 1; i < w->n; i++) {
		size_t word = w->word[i], desc = w->desc[i], j = i;
		while (j > 0 && before(w->text.p + word, w->text.p + w->word[j - 1])) {
			w->word[j] = w->word[j - 1];
			w->desc[j] = w->desc[j - 1];
			j--;
		}
		w->word[j] = word;
		w->desc[j] = desc;
	}
}

void complete(const struct catalog *c, const char *line, size_t cursor, struct completion *out)
{
	wl_reset(&out->match);
	out->no_space = false;
	out->source = HINT_NONE;
	/* what is before the cursor, in words as the command's parser splits
	 * it (an open quote runs to the cursor) */
	struct toklist toks;
	tok_split_partial(line, cursor, &toks);
	/* a new word starts at the cursor unless the last one reaches it */
	bool fresh = toks.n == 0 || toks.v[toks.n - 1].off + toks.v[toks.n - 1].len < cursor;
	size_t argi = fresh ? toks.n : toks.n - 1; /* index of the word being completed */
	size_t start = fresh ? cursor : toks.v[argi].off;
	out->start = start;
	struct query q = {.word = line + start, .len = cursor - start, .out = out, .arg1 = ""};
	if (toks.n > 1) {
		q.arg1 = line + toks.v[1].off;
		q.arg1_len = toks.v[1].len;
	}
	const char *first = toks.n ? line + toks.v[0].off : "";
	size_t first_len = toks.n ? toks.v[0].len : 0;
	toklist_free(&toks);
	if (argi == 0) {
		out->source = HINT_COMMAND;
		for (size_t t = 0; t < cmd_table_len; t++)
			if (!(cmd_table[t]->flags & CMD_OBSOLETE))
				offer(&q, cmd_table[t]->name, cmd_table[t]->summary);
	} else {
		const struct cmd_def *d = cmd_find(first, first_len);
		const struct cmd_hint *h = d ? hint_for(d, argi - 1, &q) : NULL;
		if (h)
			offer_hint(&q, c, h);
	}
	for (size_t m = 0; m < out->match.n; m++) {
		const char *w = wl_word(&out->match, m);
		char last = w[0] ? w[strlen(w) - 1] : 0;
		if (out->match.n == 1 && (last == '=' || last == '/' || last == ':'))
			out->no_space = true;
	}
	sort_matches(&out->match);
	/* a path may go on with ",NEXT": the relay wants no space after it */
	if (out->source == HINT_RELAY && !(q.len >= 7 && strncasecmp(q.word, "SERVER=", 7) == 0))
		out->no_space = true;
}

void completion_free(struct completion *out)
{
	wl_free(&out->match);
}

size_t completion_common(const struct completion *out)
{
	if (out->match.n == 0)
		return 0;
	const char *a = wl_word(&out->match, 0);
	size_t n = strlen(a);
	for (size_t i = 1; i < out->match.n; i++) {
		const char *b = wl_word(&out->match, i);
		size_t k = 0;
		while (k < n && b[k] && b[k] == a[k])
			k++;
		n = k;
	}
	return n;
}
