#include "summary.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "ansi.h"
#include "enums.h"
#include "escape.h"
#include "swar.h"


/* A summary being written: which fields it has used so far, so that the
 * rest can follow as KEY=VALUE without repeating any. A field past the 64th
 * is never used by a summary; it always follows. */
struct sum {
	struct buf *b;
	const struct event *ev;
	const struct render_opts *o;
	const char *tcolor; /* the type's colour, for summaries that extend it */
	uint64_t used;
	uint64_t names; /* name_bit() of every field's name */
	/* The first line when it is all printable ASCII, as it nearly always
	 * is: text from inside it needs no look. Else an empty range. */
	uintptr_t plain_lo, plain_hi;
};

/* ---- output: trusted text as it is, text from tor escaped ---- */

/* Pieces are small and many: copied straight in while the buffer has
 * room (summary_write reserves some), buf_append grows it otherwise. */
static inline void out(struct sum *s, const char *p, size_t n)
{
	struct buf *b = s->b;
	if (b->cap - b->len > n) {
		swar_copy(b->p + b->len, p, n);
		b->len += n;
		b->p[b->len] = '\0';
	} else {
		buf_append(b, p, n, BUF_NOLIMIT);
	}
}

static inline void outs(struct sum *s, const char *str)
{
	out(s, str, strlen(str));
}

static inline void outc(struct sum *s, char c)
{
	out(s, &c, 1);
}

static void text(struct sum *s, const char *p, size_t n)
{
	if ((uintptr_t)p >= s->plain_lo && (uintptr_t)p + n <= s->plain_hi) {
		out(s, p, n);
		return;
	}
	/* printable ASCII, what tor nearly always sends, needs no escape */
	size_t i = 0;
	while (i < n && (unsigned char)(p[i] - 0x20) < 0x5f)
		i++;
	if (i == n || !s->o->safe)
		out(s, p, n);
	else
		term_safe_append(s->b, p, n, BUF_NOLIMIT);
}

static inline void color(struct sum *s, const char *c)
{
	if (s->o->color && c[0])
		outs(s, c);
}

/* The reset after text shown in colour c, none after plain text. */
static void uncolor(struct sum *s, const char *c)
{
	if (c[0])
		color(s, C_RESET);
}

static void num(struct sum *s, uint64_t v)
{
	char d[20];
	size_t i = sizeof(d);
	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	out(s, d + i, sizeof(d) - i);
}

/* ---- fields ---- */

static bool used(const struct sum *s, size_t i)
{
	return i < 64 && (s->used >> i & 1);
}

/* The first unused field of this name (a literal: its length is known at
 * compile time), or NULL. */
#define find(s, name, keyword) find_n(s, name, sizeof(name) - 1, keyword)
#define kw(s, name) kw_n(s, name, sizeof(name) - 1)

/* A bit per name's length, ends and kind: the names an event has set
 * theirs in sum.names, and a name whose bit is clear is not there. For a
 * literal the bit is known at compile time: most names a summary asks
 * for (REASON, HS_STATE, ...) are absent, and cost a test, not a scan. */
static inline unsigned name_bit(const char *name, size_t n, bool keyword)
{
	size_t h = n * 7 + (keyword ? 1 : 0);
	if (n > 0)
		h += (unsigned char)name[0] + (unsigned char)name[n - 1] * 3u;
	return (unsigned)(h & 63);
}

static const struct ev_field *find_scan(const struct sum *s, const char *name, size_t n, bool keyword)
{
	const struct event *ev = s->ev;
	for (size_t i = 0; i < ev->nfields && i < 64; i++) {
		const struct ev_field *f = &ev->fields[i];
		if (f->keyword == keyword && f->name_len == n && !used(s, i) && memcmp(f->name, name, n) == 0)
			return f;
	}
	return NULL;
}

static inline const struct ev_field *find_n(const struct sum *s, const char *name, size_t n, bool keyword)
{
	if (!(s->names >> name_bit(name, n, keyword) & 1))
		return NULL;
	return find_scan(s, name, n, keyword);
}

static const struct ev_field *use(struct sum *s, const struct ev_field *f)
{
	if (f)
		s->used |= UINT64_C(1) << (size_t)(f - s->ev->fields);
	return f;
}

/* The keyword field of this name, now used; NULL when tor did not send it
 * (or sent it empty, as in tor's "REASON=": then it follows as sent). */
static inline const struct ev_field *kw_n(struct sum *s, const char *name, size_t n)
{
	const struct ev_field *f = find_n(s, name, n, true);
	return f && f->val_len > 0 ? use(s, f) : NULL;
}

/* The k-th positional field (they come first), or NULL. */
static const struct ev_field *peek_pos(const struct sum *s, size_t k)
{
	const struct event *ev = s->ev;
	if (k >= ev->nfields || k >= 64 || ev->fields[k].keyword)
		return NULL;
	return &ev->fields[k];
}

/* The same, now used. */
static const struct ev_field *pos(struct sum *s, size_t k)
{
	return use(s, peek_pos(s, k));
}

static bool value_is(const struct ev_field *f, const char *w)
{
	return f && f->val_len == strlen(w) && memcmp(f->val, w, f->val_len) == 0;
}

static bool parse_u64(const struct ev_field *f, uint64_t *v)
{
	if (f->val_len == 0 || f->val_len > 19)
		return false;
	uint64_t x = 0;
	for (size_t i = 0; i < f->val_len; i++) {
		if (f->val[i] < '0' || f->val[i] > '9')
			return false;
		x = x * 10 + (uint64_t)(f->val[i] - '0');
	}
	*v = x;
	return true;
}

/* ---- values ---- */

static inline char upper_ascii(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* up (upper case) equals v[0..n), ASCII case aside. */
static bool same_nocase(const char *up, const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (up[i] != upper_ascii(v[i]))
			return false;
	return true;
}

/* v[0..n) is the word w (upper case; a literal), ASCII case aside. */
#define IS(w) same_nocase(w, v, sizeof(w) - 1)

/* Red for failure, green for success, yellow for in-between states. Every
 * enum value of a coloured flood comes here: the length picks the one to
 * three words it can be. */
static const char *value_color(const char *v, size_t n)
{
	bool red = false, green = false;
	switch (n) {
	case 2: green = IS("UP") || IS("OK"); break;
	case 3: red = IS("BAD") || IS("ERR"); green = IS("NEW"); break;
	case 4: red = IS("DOWN"); green = IS("GOOD") || IS("DONE"); break;
	case 5: green = IS("BUILT"); break;
	case 6: red = IS("FAILED") || IS("CLOSED") || IS("BAD_L2"); break;
	case 7: red = IS("DROPPED") || IS("TIMEOUT"); green = IS("GOOD_L2"); break;
	case 8: red = IS("DETACHED"); green = IS("UPLOADED") || IS("RECEIVED"); break;
	case 9: red = IS("NOT_FOUND"); green = IS("SUCCEEDED") || IS("CONNECTED"); break;
	case 11: red = IS("UNREACHABLE"); break;
	default: break;
	}
	return red ? C_RED : green ? C_GREEN : C_YELLOW;
}
#undef IS

static void explain(struct sum *s, const struct enum_value *v)
{
	if (!s->o->explain || v == NULL || v->desc == NULL)
		return;
	color(s, C_DIM);
	out(s, " (", 2);
	outs(s, v->desc);
	outc(s, ')');
	color(s, C_RESET);
}

/* A value coloured by what it means (FAILED red, BUILT green). */
static void colored(struct sum *s, const struct ev_field *f)
{
	if (s->o->color)
		outs(s, value_color(f->val, f->val_len));
	text(s, f->val, f->val_len);
	color(s, C_RESET);
}

static void enum_list(struct sum *s, const struct ev_field *f)
{
	const char *p = f->val, *end = f->val + f->val_len;
	while (p < end) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		size_t n = c ? (size_t)(c - p) : (size_t)(end - p);
		text(s, p, n);
		if (s->o->explain && f->table)
			explain(s, enum_lookup_n(f->table, p, n));
		if (c)
			outc(s, ',');
		p += n + 1;
	}
}

/* A LongName as people know the relay: its nickname, whether tor writes
 * $FP~nick or the older $FP=nick; the fingerprint when it has none (and,
 * with `none_unnamed`, when the nickname is GUARD's placeholder "None"). */
static void relay(struct sum *s, const char *p, size_t n, bool none_unnamed)
{
	if (n > 1 && p[0] == '$') {
		/* tor's $ and 40 hex digits: the separator is nearly always
		 * right after them; the 40 are looked at a word at a time */
		size_t from = 1;
		if (n > 42 && (p[41] == '~' || p[41] == '=')) {
			uint64_t sep = 0;
			for (size_t i = 1; i < 41; i += 8)
				sep |= swar_has(swar_load(p + i), '~') | swar_has(swar_load(p + i), '=');
			from = sep ? 1 : 41;
		}
		for (size_t i = from; i + 1 < n; i++) {
			if (p[i] != '~' && p[i] != '=')
				continue;
			if (none_unnamed && n - i - 1 == 4 && memcmp(p + i + 1, "None", 4) == 0)
				n = i;
			else
				p += i + 1, n -= i + 1;
			break;
		}
	}
	text(s, p, n);
}

/* Items split at `sep`, each shown as a relay, joined by `join`. */
static void relays(struct sum *s, const struct ev_field *f, char sep, const char *join)
{
	const char *p = f->val, *end = f->val + f->val_len;
	bool first = true;
	while (p < end) {
		const char *c = memchr(p, sep, (size_t)(end - p));
		size_t n = c ? (size_t)(c - p) : (size_t)(end - p);
		if (n > 0) {
			if (!first)
				outs(s, join);
			relay(s, p, n, false);
			first = false;
		}
		p += n + 1;
	}
}

/* A value tor quoted is shown quoted again, so its edges stay visible and a
 * quote inside cannot pass for the end of it. */
static void quoted(struct sum *s, const char *p, size_t n)
{
	outc(s, '"');
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] != '"' && p[i] != '\\')
			continue;
		text(s, p + start, i - start);
		outc(s, '\\');
		start = i;
	}
	text(s, p + start, n - start);
	outc(s, '"');
}

static void value(struct sum *s, const struct ev_field *f)
{
	switch (f->type) {
	case FT_ENUM:
		colored(s, f);
		explain(s, f->ev);
		break;
	case FT_ENUM_LIST:
		enum_list(s, f);
		break;
	case FT_PATH:
		relays(s, f, ',', " > ");
		break;
	default:
		if (f->quoted)
			quoted(s, f->val, f->val_len);
		else
			text(s, f->val, f->val_len);
	}
}

/* " VALUE" when tor sent the field. */
static void sp_value(struct sum *s, const struct ev_field *f)
{
	if (f == NULL)
		return;
	outc(s, ' ');
	value(s, f);
}

/* 1536 -> "1.5 KiB": one decimal, left out when it is 0. What is not a
 * number is shown as tor sent it. */
static void bytes(struct sum *s, const struct ev_field *f, bool per_second)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
	uint64_t v, d = 1;
	if (f == NULL)
		return;
	if (!parse_u64(f, &v)) {
		text(s, f->val, f->val_len);
		return;
	}
	size_t u = 0;
	while (u + 1 < sizeof(units) / sizeof(units[0]) && v / d >= 1024) {
		d *= 1024;
		u++;
	}
	uint64_t whole = v / d, tenths = u == 0 ? 0 : ((v % d) * 10 + d / 2) / d;
	if (tenths == 10) {
		whole++;
		tenths = 0;
	}
	if (whole == 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		whole = 1;
		u++;
	}
	num(s, whole);
	if (tenths) {
		outc(s, '.');
		outc(s, (char)('0' + tenths));
	}
	outc(s, ' ');
	outs(s, units[u]);
	if (per_second)
		outs(s, "/s");
}

/* " read R written W" */
static void read_written(struct sum *s, const struct ev_field *r, const struct ev_field *w, bool per_second)
{
	if (r) {
		outs(s, " read ");
		bytes(s, r, per_second);
	}
	if (w) {
		outs(s, " written ");
		bytes(s, w, per_second);
	}
}

/* An onion service address, with .onion when it is a v3 one (56 base32
 * characters), as people type it. */
static void onion(struct sum *s, const struct ev_field *f)
{
	text(s, f->val, f->val_len);
	if (f->val_len != 56)
		return;
	for (size_t i = 0; i < 56; i++) {
		char c = f->val[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7')))
			return;
	}
	outs(s, ".onion");
}

/* ", reason R, remote reason RR" */
static void reasons(struct sum *s)
{
	const struct ev_field *r = kw(s, "REASON"), *rr = kw(s, "REMOTE_REASON");
	if (r) {
		outs(s, ", reason ");
		value(s, r);
	}
	if (rr) {
		outs(s, ", remote reason ");
		value(s, rr);
	}
}

/* ---- per event type ---- */

/* CIRC and CIRC_MINOR: id, status or change, purpose, onion-service state,
 * path, the onion address it serves. */
static void circ_head(struct sum *s)
{
	sp_value(s, pos(s, 0));
	sp_value(s, pos(s, 1));
	sp_value(s, kw(s, "PURPOSE"));
	sp_value(s, kw(s, "HS_STATE"));
	sp_value(s, pos(s, 2));
	const struct ev_field *q = kw(s, "REND_QUERY");
	if (q) {
		outs(s, " for ");
		onion(s, q);
	}
}

static void sum_circ(struct sum *s)
{
	circ_head(s);
	reasons(s);
}

static void sum_circ_minor(struct sum *s)
{
	circ_head(s);
	const struct ev_field *op = kw(s, "OLD_PURPOSE"), *os = kw(s, "OLD_HS_STATE");
	if (op || os) {
		outs(s, " (was");
		sp_value(s, op);
		sp_value(s, os);
		outc(s, ')');
	}
}

static void sum_stream(struct sum *s)
{
	const struct ev_field *id = pos(s, 0), *st = pos(s, 1), *circ = pos(s, 2), *target = pos(s, 3);
	sp_value(s, id);
	sp_value(s, st);
	sp_value(s, target);
	if (value_is(circ, "0")) {
		bool yet = value_is(st, "NEW") || value_is(st, "NEWRESOLVE") || value_is(st, "CONTROLLER_WAIT");
		outs(s, yet ? " (not attached yet)" : " (not attached)");
	} else if (circ) {
		outs(s, " on circuit ");
		value(s, circ);
	}
	reasons(s);
	const struct ev_field *src = kw(s, "SOURCE");
	if (src) {
		outs(s, ", source ");
		value(s, src);
	}
}

static void sum_orconn(struct sum *s)
{
	sp_value(s, pos(s, 0));
	sp_value(s, pos(s, 1));
	reasons(s);
	const struct ev_field *n = kw(s, "NCIRCS");
	if (n) {
		outs(s, ", ");
		text(s, n->val, n->val_len);
		outs(s, value_is(n, "1") ? " circuit" : " circuits");
	}
}

static void sum_bw(struct sum *s)
{
	read_written(s, pos(s, 0), pos(s, 1), true);
}

/* The message in the colour of its severity, like the type before it. */
static void sum_log(struct sum *s)
{
	const struct ev_field *m = pos(s, 0);
	if (m == NULL)
		return;
	outc(s, ' ');
	color(s, s->tcolor);
	text(s, m->val, m->val_len);
	uncolor(s, s->tcolor);
}

static void sum_newdesc(struct sum *s)
{
	const struct ev_field *f = pos(s, 0);
	if (f == NULL)
		return;
	outc(s, ' ');
	relays(s, f, ' ', ", ");
}

/* "2025-11-02 11:21:07" (a local time) -> "11:21:07"; the date is in
 * EXPIRES, which follows. */
static void expiry(struct sum *s, const struct ev_field *f)
{
	if (value_is(f, "NEVER")) {
		outs(s, " (never expires)");
		return;
	}
	const char *v = f->val;
	size_t n = f->val_len;
	if (n == 19 && v[4] == '-' && v[7] == '-' && v[10] == ' ' && v[13] == ':' && v[16] == ':')
		v += 11, n -= 11;
	outs(s, " (expires ");
	text(s, v, n);
	outc(s, ')');
}

static void sum_addrmap(struct sum *s)
{
	const struct ev_field *a = pos(s, 0), *to = pos(s, 1), *exp = pos(s, 2), *err = pos(s, 3);
	sp_value(s, a);
	if (to) {
		outs(s, " ->");
		bool failed = value_is(to, "<error>");
		if (failed) {
			outs(s, " error");
			if (value_is(find(s, "error", true), "yes"))
				use(s, find(s, "error", true));
		} else {
			sp_value(s, to);
		}
	}
	if (err) {
		outs(s, ": ");
		value(s, err);
	}
	if (exp)
		expiry(s, exp);
}

static void sum_descchanged(struct sum *s)
{
	outs(s, " our relay descriptor changed");
}

/* BOOTSTRAP_X -> "bootstrap x"; a word that is not tor's style is shown as sent. */
static void action_words(struct sum *s, const struct ev_field *f)
{
	for (size_t i = 0; i < f->val_len; i++) {
		char c = f->val[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
			text(s, f->val, f->val_len);
			return;
		}
	}
	for (size_t i = 0; i < f->val_len; i++) {
		char c = f->val[i];
		outc(s, c == '_' ? ' ' : c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c);
	}
}

/* "bootstrap 45% (loading_descriptors: Loading relay descriptors)", and
 * the problem when tor reports one. */
static void bootstrap(struct sum *s)
{
	const struct ev_field *p = kw(s, "PROGRESS"), *tag = kw(s, "TAG"), *sm = kw(s, "SUMMARY");
	const struct ev_field *w = kw(s, "WARNING");
	outs(s, " bootstrap");
	if (p) {
		outc(s, ' ');
		text(s, p->val, p->val_len);
		outc(s, '%');
	}
	if (tag || sm) {
		outs(s, " (");
		if (tag)
			text(s, tag->val, tag->val_len);
		if (tag && sm)
			outs(s, ": ");
		if (sm)
			text(s, sm->val, sm->val_len);
		outc(s, ')');
	}
	if (w) {
		outs(s, ", problem: ");
		text(s, w->val, w->val_len);
	}
}

/* The clock's jump or skew, in seconds, after its action's words. */
static void seconds(struct sum *s, const struct ev_field *f)
{
	if (f == NULL)
		return;
	outc(s, ' ');
	text(s, f->val, f->val_len);
	outs(s, " s");
}

/* NOTICE is the severity of routine status: only the others are shown. */
static void sum_status(struct sum *s)
{
	const struct ev_field *sev = pos(s, 0), *act = pos(s, 1);
	if (sev && !value_is(sev, "NOTICE"))
		sp_value(s, sev);
	if (value_is(act, "BOOTSTRAP")) {
		bootstrap(s);
		return;
	}
	if (act == NULL)
		return;
	outc(s, ' ');
	action_words(s, act);
	if (value_is(act, "CLOCK_JUMPED"))
		seconds(s, kw(s, "TIME"));
	else if (value_is(act, "CLOCK_SKEW"))
		seconds(s, kw(s, "SKEW"));
}

/* Type is always ENTRY: said only when it is not. Layer-2 guards have no
 * nickname (tor writes $FP~None): their fingerprint is shown. */
static void sum_guard(struct sum *s)
{
	const struct ev_field *type = peek_pos(s, 0), *name = pos(s, 1), *st = pos(s, 2);
	if (value_is(type, "ENTRY"))
		use(s, type);
	if (name) {
		outc(s, ' ');
		relay(s, name->val, name->val_len, true);
	}
	sp_value(s, st);
}

/* NS and NEWCONSENSUS: how many router status entries ("r" lines) follow. */
static void relay_count(struct sum *s, const char *what)
{
	const char *p = s->ev->data, *end = p + s->ev->data_len;
	uint64_t n = 0;
	while (p && p < end) {
		if (end - p >= 2 && p[0] == 'r' && p[1] == ' ')
			n++;
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	outc(s, ' ');
	num(s, n);
	outs(s, n == 1 ? " relay" : " relays");
	outs(s, what);
}

static void sum_ns(struct sum *s)
{
	relay_count(s, " changed");
}

static void sum_newconsensus(struct sum *s)
{
	relay_count(s, "");
}

static void sum_stream_bw(struct sum *s)
{
	const struct ev_field *id = pos(s, 0), *w = pos(s, 1), *r = pos(s, 2), *t = pos(s, 3);
	sp_value(s, id);
	read_written(s, r, w, false);
	if (t) {
		outs(s, " at ");
		value(s, t);
	}
}

/* "a=1,b=2" -> "a=1, b=2" */
static void commas(struct sum *s, const struct ev_field *f)
{
	const char *p = f->val, *end = f->val + f->val_len;
	while (p < end) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		size_t n = c ? (size_t)(c - p) : (size_t)(end - p);
		text(s, p, n);
		if (c)
			outs(s, ", ");
		p += n + 1;
	}
}

static void sum_clients_seen(struct sum *s)
{
	const struct ev_field *t = kw(s, "TimeStarted"), *cs = find(s, "CountrySummary", true);
	const struct ev_field *ip = kw(s, "IPVersions");
	if (t) {
		outs(s, " since ");
		text(s, t->val, t->val_len);
		outc(s, ':');
	}
	if (cs) {
		use(s, cs);
		outc(s, ' ');
		if (cs->val_len == 0)
			outs(s, "no clients");
		else
			commas(s, cs);
	}
	if (ip) {
		outs(s, " (");
		commas(s, ip);
		outc(s, ')');
	}
}

static void sum_buildtimeout(struct sum *s)
{
	const struct ev_field *t = kw(s, "TIMEOUT_MS"), *n = kw(s, "TOTAL_TIMES");
	sp_value(s, pos(s, 0));
	if (t) {
		outs(s, " timeout ");
		text(s, t->val, t->val_len);
		outs(s, " ms");
	}
	if (n) {
		outs(s, " from ");
		text(s, n->val, n->val_len);
		outs(s, value_is(n, "1") ? " build time" : " build times");
	}
}

static void sum_signal(struct sum *s)
{
	sp_value(s, pos(s, 0));
}

/* "SocksPort=9050, ContactInfo unset": every option tor reported. */
static void sum_conf_changed(struct sum *s)
{
	const struct event *ev = s->ev;
	bool first = true;
	for (size_t i = 0; i < ev->nfields && i < 64; i++) {
		const struct ev_field *f = &ev->fields[i];
		if (!f->keyword)
			continue;
		use(s, f);
		outs(s, first ? " " : ", ");
		first = false;
		text(s, f->name, f->name_len);
		if (f->unset) {
			color(s, C_DIM);
			outs(s, " unset");
			color(s, C_RESET);
			continue;
		}
		outc(s, '=');
		value(s, f);
	}
}

static void sum_conn_bw(struct sum *s)
{
	const struct ev_field *id = kw(s, "ID"), *type = kw(s, "TYPE");
	sp_value(s, id);
	sp_value(s, type);
	read_written(s, kw(s, "READ"), kw(s, "WRITTEN"), true);
}

/* The count for cell type t in a "t:n,t:n" list, or NULL. */
static const char *cell_count(const struct ev_field *f, const char *t, size_t tn, size_t *n)
{
	const char *p = f ? f->val : NULL, *end = f ? f->val + f->val_len : NULL;
	while (p && p < end) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		size_t k = c ? (size_t)(c - p) : (size_t)(end - p);
		if (k > tn && p[tn] == ':' && memcmp(p, t, tn) == 0) {
			*n = k - tn - 1;
			return p + tn + 1;
		}
		p += k + 1;
	}
	return NULL;
}

/* Each item of a "t:n,t:n" list has its colon. */
static bool cell_list_ok(const struct ev_field *f)
{
	const char *p = f ? f->val : NULL, *end = f ? f->val + f->val_len : NULL;
	while (p && p < end) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		size_t k = c ? (size_t)(c - p) : (size_t)(end - p);
		if (k == 0 || memchr(p, ':', k) == NULL)
			return false;
		p += k + 1;
	}
	return true;
}

/* " create_fast added 1 removed 1 waited 0 ms" for cell type t. */
static void cell_type(struct sum *s, const char *t, size_t tn, const struct ev_field *const l[3])
{
	static const char *const words[3] = {" added ", " removed ", " waited "};
	outc(s, ' ');
	text(s, t, tn);
	for (int i = 0; i < 3; i++) {
		size_t n;
		const char *v = cell_count(l[i], t, tn, &n);
		if (v == NULL)
			continue;
		outs(s, words[i]);
		text(s, v, n);
		if (i == 2)
			outs(s, " ms");
	}
}

/* One direction of CELL_STATS: the queue (a circuit id) on its connection,
 * then per cell type what was added to and removed from it, and how long
 * the removed cells waited. The lists are merged by cell type: those of
 * Added, then those only in Removed. */
static void cell_dir(struct sum *s, const char *word, const char *const keys[5], bool *shown)
{
	const struct ev_field *q = kw_n(s, keys[0], strlen(keys[0])), *c = kw_n(s, keys[1], strlen(keys[1]));
	const struct ev_field *l[3];
	for (int i = 0; i < 3; i++)
		l[i] = find_n(s, keys[2 + i], strlen(keys[2 + i]), true);
	if (!q && !c && !l[0] && !l[1] && !l[2])
		return;
	outs(s, *shown ? "; " : " ");
	*shown = true;
	outs(s, word);
	if (q) {
		outs(s, " circ ");
		text(s, q->val, q->val_len);
	}
	if (c) {
		outs(s, " on conn ");
		text(s, c->val, c->val_len);
	}
	if (!cell_list_ok(l[0]) || !cell_list_ok(l[1]) || !cell_list_ok(l[2]))
		return;
	outc(s, ':');
	bool first = true;
	for (int pass = 0; pass < 2; pass++) {
		const char *p = l[pass] ? l[pass]->val : NULL, *end = p ? p + l[pass]->val_len : NULL;
		while (p && p < end) {
			const char *cm = memchr(p, ',', (size_t)(end - p));
			size_t k = cm ? (size_t)(cm - p) : (size_t)(end - p), n;
			size_t tn = (size_t)((const char *)memchr(p, ':', k) - p);
			if (pass == 0 || cell_count(l[0], p, tn, &n) == NULL) {
				if (!first)
					outc(s, ',');
				first = false;
				cell_type(s, p, tn, l);
			}
			p += k + 1;
		}
	}
	for (int i = 0; i < 3; i++)
		use(s, l[i]);
}

static void sum_cell_stats(struct sum *s)
{
	static const char *const in[5] = {"InboundQueue", "InboundConn", "InboundAdded", "InboundRemoved", "InboundTime"};
	static const char *const outb[5] = {"OutboundQueue", "OutboundConn", "OutboundAdded", "OutboundRemoved",
					     "OutboundTime"};
	bool shown = false;
	sp_value(s, kw(s, "ID"));
	cell_dir(s, "inbound", in, &shown);
	cell_dir(s, "outbound", outb, &shown);
}

static void sum_circ_bw(struct sum *s)
{
	sp_value(s, kw(s, "ID"));
	read_written(s, kw(s, "READ"), kw(s, "WRITTEN"), false);
}

/* "client obfs4 at 127.0.0.1:43215"; tor writes an IPv6 address without
 * brackets, which the port would run into. */
static void sum_transport(struct sum *s)
{
	const struct ev_field *mode = pos(s, 0), *name = pos(s, 1), *addr = pos(s, 2), *port = pos(s, 3);
	sp_value(s, mode);
	sp_value(s, name);
	if (addr) {
		bool v6 = memchr(addr->val, ':', addr->val_len) != NULL;
		outs(s, v6 ? " at [" : " at ");
		text(s, addr->val, addr->val_len);
		if (v6)
			outc(s, ']');
	}
	if (port) {
		outc(s, ':');
		text(s, port->val, port->val_len);
	}
}

/* "to" an HSDir for uploads (a failed one too), "from" it for fetches.
 * Placeholders (UNKNOWN for the address or the HSDir) follow as fields. */
static void sum_hs_desc(struct sum *s)
{
	const struct ev_field *act = pos(s, 0), *addr = find(s, "Address", false), *dir = find(s, "HsDir", false);
	sp_value(s, act);
	if (addr && !value_is(addr, "UNKNOWN")) {
		outc(s, ' ');
		onion(s, use(s, addr));
	}
	if (dir && !value_is(dir, "UNKNOWN")) {
		bool up = value_is(act, "UPLOAD") || value_is(act, "UPLOADED") ||
			  value_is(find(s, "REASON", true), "UPLOAD_REJECTED");
		outs(s, up ? " to " : " from ");
		value(s, use(s, dir));
	}
	reasons(s);
}

static void sum_hs_desc_content(struct sum *s)
{
	const struct ev_field *addr = find(s, "Address", false), *dir = find(s, "HsDir", false);
	if (addr && !value_is(addr, "UNKNOWN")) {
		outc(s, ' ');
		onion(s, use(s, addr));
	}
	if (dir && !value_is(dir, "UNKNOWN")) {
		outs(s, " from ");
		value(s, use(s, dir));
	}
	if (s->ev->data && s->ev->data_len == 0)
		outs(s, " (empty: the fetch failed)");
}

static void sum_liveness(struct sum *s)
{
	const struct ev_field *st = pos(s, 0);
	if (st == NULL)
		return;
	outs(s, " network is ");
	colored(s, st);
}

typedef void (*summary_fn)(struct sum *s);

struct summary_def {
	const char *name;  /* event_defs[] has the same type at the same index */
	summary_fn fn;
	const char *color; /* the type's colour; NULL: its class colour */
};

/* Log messages are coloured by severity: DEBUG and INFO dim, NOTICE plain,
 * WARN yellow, ERR red. */
static const struct summary_def summaries[] = {
	{"CIRC", sum_circ, NULL},
	{"CIRC_MINOR", sum_circ_minor, NULL},
	{"STREAM", sum_stream, NULL},
	{"ORCONN", sum_orconn, NULL},
	{"BW", sum_bw, NULL},
	{"DEBUG", sum_log, C_DIM},
	{"INFO", sum_log, C_DIM},
	{"NOTICE", sum_log, ""},
	{"WARN", sum_log, C_YELLOW},
	{"ERR", sum_log, C_RED},
	{"NEWDESC", sum_newdesc, NULL},
	{"ADDRMAP", sum_addrmap, NULL},
	{"DESCCHANGED", sum_descchanged, NULL},
	{"STATUS_GENERAL", sum_status, NULL},
	{"STATUS_CLIENT", sum_status, NULL},
	{"STATUS_SERVER", sum_status, NULL},
	{"GUARD", sum_guard, NULL},
	{"NS", sum_ns, NULL},
	{"STREAM_BW", sum_stream_bw, NULL},
	{"CLIENTS_SEEN", sum_clients_seen, NULL},
	{"NEWCONSENSUS", sum_newconsensus, NULL},
	{"BUILDTIMEOUT_SET", sum_buildtimeout, NULL},
	{"SIGNAL", sum_signal, NULL},
	{"CONF_CHANGED", sum_conf_changed, NULL},
	{"CONN_BW", sum_conn_bw, NULL},
	{"CELL_STATS", sum_cell_stats, NULL},
	{"CIRC_BW", sum_circ_bw, NULL},
	{"TRANSPORT_LAUNCHED", sum_transport, NULL},
	{"HS_DESC", sum_hs_desc, NULL},
	{"HS_DESC_CONTENT", sum_hs_desc_content, NULL},
	{"NETWORK_LIVENESS", sum_liveness, NULL},
};

#define NSUMMARIES (sizeof(summaries) / sizeof(summaries[0]))

bool summary_table_ok(void)
{
	if (NSUMMARIES != event_def_count)
		return false;
	for (size_t i = 0; i < NSUMMARIES; i++)
		if (strcmp(summaries[i].name, event_defs[i].name) != 0)
			return false;
	return true;
}

/* cls equals the word w, without a call: every coloured event asks. */
static bool same_word(const char *cls, const char *w)
{
	size_t i = 0;
	for (; w[i]; i++)
		if (cls[i] != w[i])
			return false;
	return cls[i] == '\0';
}

static const char *class_color(const char *cls)
{
	if (same_word(cls, "circ"))
		return C_CYAN C_BOLD;
	if (same_word(cls, "stream"))
		return C_BLUE C_BOLD;
	if (same_word(cls, "hs"))
		return C_MAGENTA C_BOLD;
	if (same_word(cls, "status"))
		return C_GREEN C_BOLD;
	return C_BOLD;
}

/* Whether `f` shows as tor wrote it, KEY=VALUE, when there is no colour
 * nor explanation: a keyword whose value follows its '=' in plain text,
 * neither quoted (shown quoted again, its escapes redone) nor a path
 * (shown by nickname). */
static bool as_sent(const struct sum *s, const struct ev_field *f)
{
	return f->keyword && !f->unset && !f->quoted && f->type != FT_PATH && f->val == f->name + f->name_len + 1 &&
	       (uintptr_t)f->name >= s->plain_lo && (uintptr_t)(f->val + f->val_len) <= s->plain_hi;
}

/* The fields no summary used, in tor's order: KEY=VALUE, a positional one
 * by its schema name; the words of a type torsh does not know as sent. */
static void rest(struct sum *s)
{
	const struct event *ev = s->ev;
	size_t npos = ev->def ? ev->def->npos : 0;
	bool verbatim = !s->o->color && !s->o->explain;
	for (size_t i = 0; i < ev->nfields; i++) {
		if (used(s, i))
			continue;
		const struct ev_field *f = &ev->fields[i];
		if (!verbatim && s->o->color && !s->o->explain && f->type != FT_ENUM && as_sent(s, f)) {
			/* coloured: the name dim, the value as sent, in one go */
			static const char pre[] = " " C_DIM, mid[] = C_RESET "=";
			size_t n = sizeof(pre) - 1 + f->name_len + sizeof(mid) - 1 + f->val_len;
			if (buf_reserve(s->b, n + 1, BUF_NOLIMIT) == 0) {
				char *o = s->b->p + s->b->len;
				memcpy(o, pre, sizeof(pre) - 1);
				o += sizeof(pre) - 1;
				memcpy(o, f->name, f->name_len);
				o += f->name_len;
				memcpy(o, mid, sizeof(mid) - 1);
				o += sizeof(mid) - 1;
				memcpy(o, f->val, f->val_len);
				s->b->len += n;
				s->b->p[s->b->len] = '\0';
				continue;
			}
		}
		if (verbatim && as_sent(s, f)) {
			/* and the ones after it, one space apart in the line
			 * and as sent too: one copy */
			const char *start = f->name, *end = f->val + f->val_len;
			while (i + 1 < ev->nfields && !used(s, i + 1) && ev->fields[i + 1].name == end + 1 &&
			       as_sent(s, &ev->fields[i + 1])) {
				f = &ev->fields[++i];
				end = f->val + f->val_len;
			}
			outc(s, ' ');
			out(s, start, (size_t)(end - start));
			continue;
		}
		if (!(f->keyword || i < npos)) {
			outc(s, ' ');
		} else {
			if (s->o->color)
				out(s, " " C_DIM, sizeof(" " C_DIM) - 1);
			else
				outc(s, ' ');
			text(s, f->name, f->name_len);
			color(s, C_RESET);
			if (f->unset) {
				color(s, C_DIM);
				outs(s, " (unset)");
				color(s, C_RESET);
				continue;
			}
			outc(s, '=');
		}
		value(s, f);
	}
}

void summary_write(struct buf *b, const struct event *ev, const struct render_opts *o)
{
	struct sum s = {.b = b, .ev = ev, .o = o, .tcolor = ""};
	if (ev->line && (ev->line_plain & EVENT_LINE_PRINTABLE)) {
		s.plain_lo = (uintptr_t)ev->line;
		s.plain_hi = s.plain_lo + ev->line_len;
	}
	for (size_t i = 0; i < ev->nfields; i++)
		s.names |= UINT64_C(1) << name_bit(ev->fields[i].name, ev->fields[i].name_len, ev->fields[i].keyword);
	buf_reserve(b, 512, BUF_NOLIMIT);
	const struct summary_def *d = NULL;
	if (ev->def) {
		size_t i = (size_t)(ev->def - event_defs);
		d = i < NSUMMARIES ? &summaries[i] : NULL;
	}
	if (o->color)
		s.tcolor = d && d->color ? d->color : d ? class_color(ev->def->cls) : C_BOLD;
	color(&s, s.tcolor);
	text(&s, ev->type, ev->type_len);
	uncolor(&s, s.tcolor);
	if (d)
		d->fn(&s);
	rest(&s);
}
