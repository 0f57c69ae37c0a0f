#include "event.h"

#include <stdlib.h>
#include <string.h>

#include "encode.h"
#include "scan.h"
#include "swar.h"

/* ---- the schema: what tor 0.4.9.11 writes, per event type ---- */

#define POS(n, t) { .name = n, .len = sizeof(n) - 1, .type = t }
#define POSE(n, tab) { .name = n, .len = sizeof(n) - 1, .type = FT_ENUM, .table = tab }
#define REST(n, t) { .name = n, .len = sizeof(n) - 1, .type = t, .rest = true }
#define KW(n, t) { .name = n, .len = sizeof(n) - 1, .type = t }
#define KWE(n, tab) { .name = n, .len = sizeof(n) - 1, .type = FT_ENUM, .table = tab }
#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct field_spec circ_pos[] = {
	POS("CircID", FT_INT), POSE("Status", ET_CIRC_STATUS), POS("Path", FT_PATH),
};
static const struct field_spec circ_minor_pos[] = {
	POS("CircID", FT_INT), POSE("Event", ET_CIRC_EVENT), POS("Path", FT_PATH),
};
/* CIRC and CIRC_MINOR share their keywords; the OLD_ ones are CIRC_MINOR's. */
static const struct field_spec circ_kw[] = {
	{ .name = "BUILD_FLAGS", .len = 11, .type = FT_ENUM_LIST, .table = ET_CIRC_BUILD_FLAG },
	KWE("PURPOSE", ET_CIRC_PURPOSE),
	KWE("HS_STATE", ET_HS_STATE),
	KW("REND_QUERY", FT_STRING),
	KW("TIME_CREATED", FT_TIME),
	KW("SOCKS_USERNAME", FT_STRING),
	KW("SOCKS_PASSWORD", FT_STRING),
	KW("HS_POW", FT_LIST),
	KW("CONFLUX_ID", FT_STRING),
	KW("CONFLUX_RTT", FT_INT),
	KWE("REASON", ET_CIRC_CLOSURE_REASON),
	KWE("REMOTE_REASON", ET_CIRC_CLOSURE_REASON),
	KWE("OLD_PURPOSE", ET_CIRC_PURPOSE),
	KWE("OLD_HS_STATE", ET_HS_STATE),
	KW("OLD_TIME_CREATED", FT_TIME),
};

static const struct field_spec stream_pos[] = {
	POS("StreamID", FT_INT), POSE("Status", ET_STREAM_STATUS), POS("CircID", FT_INT), POS("Target", FT_STRING),
};
static const struct field_spec stream_kw[] = {
	KWE("REASON", ET_STREAM_CLOSURE_REASON),
	KWE("REMOTE_REASON", ET_STREAM_CLOSURE_REASON),
	KWE("SOURCE", ET_STREAM_SOURCE),
	KW("SOURCE_ADDR", FT_STRING),
	KWE("PURPOSE", ET_STREAM_PURPOSE),
	KW("SOCKS_USERNAME", FT_STRING),
	KW("SOCKS_PASSWORD", FT_STRING),
	KW("CLIENT_PROTOCOL", FT_STRING),
	KW("NYM_EPOCH", FT_INT),
	KW("SESSION_GROUP", FT_INT),
	KW("ISO_FIELDS", FT_LIST),
};

static const struct field_spec orconn_pos[] = {
	POS("Target", FT_PATH), POSE("Status", ET_OR_STATUS),
};
static const struct field_spec orconn_kw[] = {
	KWE("REASON", ET_OR_CLOSURE_REASON), KW("NCIRCS", FT_INT), KW("ID", FT_INT),
};

static const struct field_spec bw_pos[] = {
	POS("BytesRead", FT_INT), POS("BytesWritten", FT_INT),
};

static const struct field_spec log_pos[] = {
	REST("Message", FT_STRING),
};

static const struct field_spec newdesc_pos[] = {
	REST("Relays", FT_WORDS),
};

/* Expiry is NEVER or a quoted local time; Error is tor's bare "internal". */
static const struct field_spec addrmap_pos[] = {
	POS("Address", FT_STRING), POS("NewAddress", FT_STRING), POS("Expiry", FT_TIME), POS("Error", FT_STRING),
};
static const struct field_spec addrmap_kw[] = {
	KW("error", FT_STRING), KW("EXPIRES", FT_TIME), KW("CACHED", FT_STRING), KW("STREAMID", FT_INT),
};

static const struct field_spec status_pos[] = {
	POSE("Severity", ET_RUNLEVEL), POS("Action", FT_STRING),
};
/* The arguments of every STATUS_* action tor 0.4.9.11 can write. */
static const struct field_spec status_kw[] = {
	KW("PROGRESS", FT_INT), KW("COUNT", FT_INT), KW("TIME", FT_INT), KW("IDLE", FT_INT),
	KW("SKEW", FT_INT), KW("PORT", FT_INT),
};

static const struct field_spec guard_pos[] = {
	POSE("Type", ET_GUARD_TYPE), POS("Name", FT_PATH), POSE("Status", ET_GUARD_STATUS),
};

static const struct field_spec stream_bw_pos[] = {
	POS("StreamID", FT_INT), POS("BytesWritten", FT_INT), POS("BytesRead", FT_INT), POS("Time", FT_TIME),
};

static const struct field_spec clients_seen_kw[] = {
	KW("TimeStarted", FT_TIME), KW("CountrySummary", FT_LIST), KW("IPVersions", FT_LIST),
};

static const struct field_spec buildtimeout_pos[] = {
	POSE("Type", ET_TIMEOUT_SET_TYPE),
};
static const struct field_spec buildtimeout_kw[] = {
	KW("TOTAL_TIMES", FT_INT), KW("TIMEOUT_MS", FT_INT), KW("XM", FT_INT), KW("ALPHA", FT_INT),
	KW("CUTOFF_QUANTILE", FT_INT), KW("TIMEOUT_RATE", FT_INT), KW("CLOSE_MS", FT_INT), KW("CLOSE_RATE", FT_INT),
};

static const struct field_spec signal_pos[] = {
	POSE("Signal", ET_SIGNAL),
};

static const struct field_spec conn_bw_kw[] = {
	KW("ID", FT_INT), KWE("TYPE", ET_CONNECTION_TYPE), KW("READ", FT_INT), KW("WRITTEN", FT_INT),
};

static const struct field_spec cell_stats_kw[] = {
	KW("ID", FT_INT),
	KW("InboundQueue", FT_INT), KW("InboundConn", FT_INT), KW("InboundAdded", FT_LIST),
	KW("InboundRemoved", FT_LIST), KW("InboundTime", FT_LIST),
	KW("OutboundQueue", FT_INT), KW("OutboundConn", FT_INT), KW("OutboundAdded", FT_LIST),
	KW("OutboundRemoved", FT_LIST), KW("OutboundTime", FT_LIST),
};

static const struct field_spec circ_bw_kw[] = {
	KW("ID", FT_INT), KW("READ", FT_INT), KW("WRITTEN", FT_INT), KW("TIME", FT_TIME),
	KW("DELIVERED_READ", FT_INT), KW("OVERHEAD_READ", FT_INT), KW("DELIVERED_WRITTEN", FT_INT),
	KW("OVERHEAD_WRITTEN", FT_INT), KW("SS", FT_INT), KW("CWND", FT_INT), KW("RTT", FT_INT), KW("MIN_RTT", FT_INT),
};

static const struct field_spec transport_pos[] = {
	POS("Mode", FT_STRING), POS("Transport", FT_STRING), POS("Address", FT_STRING), POS("Port", FT_INT),
};

static const struct field_spec hs_desc_pos[] = {
	POSE("Action", ET_HS_DESC_ACTION), POS("Address", FT_STRING), POSE("AuthType", ET_HS_AUTH),
	POS("HsDir", FT_PATH), POS("DescriptorID", FT_STRING),
};
static const struct field_spec hs_desc_kw[] = {
	KWE("REASON", ET_HS_DESC_REASON), KW("REPLICA", FT_INT), KW("HSDIR_INDEX", FT_STRING),
};

static const struct field_spec hs_desc_content_pos[] = {
	POS("Address", FT_STRING), POS("DescriptorID", FT_STRING), POS("HsDir", FT_PATH),
};

static const struct field_spec liveness_pos[] = {
	POS("Status", FT_STRING),
};

#define DEF(n, c, s, sum, p, k) { .name = n, .name_len = sizeof(n) - 1, .cls = c, .since = s, .summary = sum, .pos = p, .npos = N(p), .kw = k, .nkw = N(k) }
#define DEFP(n, c, s, sum, p) { .name = n, .name_len = sizeof(n) - 1, .cls = c, .since = s, .summary = sum, .pos = p, .npos = N(p) }
#define DEFK(n, c, s, sum, k) { .name = n, .name_len = sizeof(n) - 1, .cls = c, .since = s, .summary = sum, .kw = k, .nkw = N(k) }
#define DEF0(n, c, s, sum) { .name = n, .name_len = sizeof(n) - 1, .cls = c, .since = s, .summary = sum }

/* In the order of tor's `GETINFO events/names`. */
const struct event_def event_defs[] = {
	DEF("CIRC", "circ", "0.1.1.1-alpha", "circuit status changed", circ_pos, circ_kw),
	DEF("CIRC_MINOR", "circ", "0.2.3.11-alpha", "circuit purpose changed or cannibalized", circ_minor_pos, circ_kw),
	DEF("STREAM", "stream", "0.1.1.1-alpha", "stream status changed", stream_pos, stream_kw),
	DEF("ORCONN", "conn", "0.1.1.1-alpha", "OR connection status changed", orconn_pos, orconn_kw),
	DEFP("BW", "bw", "0.1.1.1-alpha", "bytes read and written in the last second", bw_pos),
	DEFP("DEBUG", "log", "0.1.1.1-alpha", "log message, severity debug", log_pos),
	DEFP("INFO", "log", "0.1.1.1-alpha", "log message, severity info", log_pos),
	DEFP("NOTICE", "log", "0.1.1.1-alpha", "log message, severity notice", log_pos),
	DEFP("WARN", "log", "0.1.1.1-alpha", "log message, severity warn", log_pos),
	DEFP("ERR", "log", "0.1.1.1-alpha", "log message, severity err", log_pos),
	DEFP("NEWDESC", "dir", "0.1.1.1-alpha", "new relay descriptors arrived", newdesc_pos),
	DEF("ADDRMAP", "stream", "0.1.1.1-alpha", "address mapping added or changed", addrmap_pos, addrmap_kw),
	DEF0("DESCCHANGED", "dir", "0.1.2.2-alpha", "our own relay descriptor changed"),
	DEF("STATUS_GENERAL", "status", "0.1.2.3-alpha", "general status (clock, version, bugs)", status_pos, status_kw),
	DEF("STATUS_CLIENT", "status", "0.1.2.3-alpha", "client status (bootstrap, circuits, SOCKS)", status_pos, status_kw),
	DEF("STATUS_SERVER", "status", "0.1.2.3-alpha", "relay status (reachability, descriptors, DNS)", status_pos, status_kw),
	DEFP("GUARD", "conn", "0.1.2.5-alpha", "guard set changed", guard_pos),
	DEF0("NS", "dir", "0.1.2.3-alpha", "router status entries changed"),
	DEFP("STREAM_BW", "bw", "0.1.2.8-beta", "bytes on one stream since the last event", stream_bw_pos),
	DEFK("CLIENTS_SEEN", "misc", "0.2.1.10-alpha", "bridge: client countries seen", clients_seen_kw),
	DEF0("NEWCONSENSUS", "dir", "0.2.1.13-alpha", "a new consensus arrived"),
	DEF("BUILDTIMEOUT_SET", "circ", "0.2.2.7-alpha", "circuit build timeout changed", buildtimeout_pos, buildtimeout_kw),
	DEFP("SIGNAL", "misc", "0.2.3.1-alpha", "tor acted on a signal", signal_pos),
	DEF0("CONF_CHANGED", "conf", "0.2.3.3-alpha", "configuration options changed"),
	DEFK("CONN_BW", "bw", "0.2.5.2-alpha", "bytes on one connection in the last second", conn_bw_kw),
	DEFK("CELL_STATS", "bw", "0.2.5.2-alpha", "cell statistics per circuit (testing networks)", cell_stats_kw),
	DEFK("CIRC_BW", "bw", "0.2.5.2-alpha", "bytes on one circuit since the last event", circ_bw_kw),
	DEFP("TRANSPORT_LAUNCHED", "misc", "0.2.5.0-alpha", "a pluggable transport was launched", transport_pos),
	DEF("HS_DESC", "hs", "0.2.5.2-alpha", "onion service descriptor fetched or uploaded", hs_desc_pos, hs_desc_kw),
	DEFP("HS_DESC_CONTENT", "hs", "0.2.7.1-alpha", "text of a fetched onion service descriptor", hs_desc_content_pos),
	DEFP("NETWORK_LIVENESS", "misc", "0.2.7.2-alpha", "network went up or down", liveness_pos),
};

const size_t event_def_count = N(event_defs);
_Static_assert(N(event_defs) <= EVENT_DEFS_MAX, "event sets and flood counters have room for every type");

static char upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
}

/* a (alen bytes) equals the string b, ASCII case aside; stops at the
 * first difference, so a scan of the table costs a byte or two a name. */
static bool eq_ascii_n(const char *a, size_t alen, const char *b)
{
	for (size_t i = 0; i < alen; i++)
		if (b[i] == '\0' || upper(a[i]) != upper(b[i]))
			return false;
	return b[alen] == '\0';
}

const struct event_def *event_def_find(const char *name, size_t len)
{
	for (size_t i = 0; i < event_def_count; i++)
		if (eq_ascii_n(name, len, event_defs[i].name))
			return &event_defs[i];
	return NULL;
}

/* ---- the parser ---- */

/* a[0..n) == b[0..n), for the short names of keywords: a word or two
 * compared, overlapping at the end, without a call. */
static inline bool same_bytes(const char *a, const char *b, size_t n)
{
	if (n >= 8) {
		for (size_t i = 0; i + 8 < n; i += 8)
			if (swar_load(a + i) != swar_load(b + i))
				return false;
		return swar_load(a + n - 8) == swar_load(b + n - 8);
	}
	if (n >= 4) {
		uint32_t x, y, z, w;
		memcpy(&x, a, 4), memcpy(&y, b, 4), memcpy(&z, a + n - 4, 4), memcpy(&w, b + n - 4, 4);
		return x == y && z == w;
	}
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* Tor writes keywords in the schema's order: the search starts after the
 * last one found, and the length and first byte rule out most names
 * before a compare. */
static inline const struct field_spec *kw_spec(struct event *ev, const char *k, size_t klen)
{
	const struct event_def *d = ev->def;
	if (d == NULL || d->nkw == 0)
		return NULL;
	size_t i = ev->kw_next < d->nkw ? ev->kw_next : 0;
	for (size_t n = 0; n < d->nkw; n++, i = i + 1 == d->nkw ? 0 : i + 1) {
		const struct field_spec *f = &d->kw[i];
		if (f->len == klen && f->name[0] == k[0] && same_bytes(f->name, k, klen)) {
			ev->kw_next = i + 1;
			return f;
		}
	}
	return NULL;
}

/* event_def_find through the event's memo of types seen. */
static const struct event_def *def_lookup(struct event *ev, const char *t, size_t n)
{
	size_t h = (n * 7 + (unsigned char)t[0] + (unsigned char)t[n - 1] * 3u) % 16;
	_Static_assert(sizeof(ev->def_memo) / sizeof(ev->def_memo[0]) == 16, "the memo has 16 slots");
	const struct event_def *d = ev->def_memo[h];
	if (d && d->name_len == n && same_bytes(d->name, t, n))
		return d;
	d = event_def_find(t, n);
	/* only a type as the schema spells it: a hit must be an exact match */
	if (d && memcmp(d->name, t, n) == 0)
		ev->def_memo[h] = d;
	return d;
}

static struct ev_field *new_field(struct event *ev)
{
	if (ev->nfields == ev->cap) {
		size_t cap = ev->cap ? ev->cap * 2 : 16;
		struct ev_field *f = realloc(ev->fields, cap * sizeof(*f));
		if (f == NULL)
			return NULL;
		ev->fields = f;
		ev->cap = cap;
	}
	struct ev_field *f = &ev->fields[ev->nfields++];
	memset(f, 0, sizeof(*f));
	return f;
}

static void set_type(struct ev_field *f, const struct field_spec *s)
{
	if (s == NULL)
		return;
	f->type = s->type;
	if (s->type == FT_ENUM || s->type == FT_ENUM_LIST)
		f->table = ENUM_TABLE(s->table);
}

/* A value exactly one quoted string is unescaped into the store (reserved in
 * advance, so pointers into it stay valid); anything else is kept as sent. */
static void set_value(struct event *ev, struct ev_field *f, const char *v, size_t n)
{
	f->val = v;
	f->val_len = n;
	if (n < 2 || v[0] != '"')
		return;
	size_t start = ev->store.len, used = 0;
	if (cstring_unquote(v, n, &ev->store, &used) == 0 && used == n) {
		f->val = ev->store.p + start;
		f->val_len = ev->store.len - start;
		f->quoted = true;
		return;
	}
	ev->store.len = start;
}

/* Letters, digits and '_': what a KEY of KEY=VALUE is made of. */
static const unsigned char key_char[256] = {
#define R6(c) [c] = 1, [c + 1] = 1, [c + 2] = 1, [c + 3] = 1, [c + 4] = 1, [c + 5] = 1
#define R10(c) R6(c), [c + 6] = 1, [c + 7] = 1, [c + 8] = 1, [c + 9] = 1
	R10('0'), R10('A'), R10('K'), R6('U'), ['_'] = 1, R10('a'), R10('k'), R6('u'),
#undef R10
#undef R6
};

/* The rest of a token from p[i], inside quotes when `q`: up to a space
 * outside quotes. An unterminated quote runs to the end of the line. */
static size_t token_end(const char *p, size_t n, size_t i, bool q)
{
	for (; i < n; i++) {
		if (q) {
			if (p[i] == '\\' && i + 1 < n)
				i++;
			else if (p[i] == '"')
				q = false;
		} else if (p[i] == '"') {
			q = true;
		} else if (p[i] == ' ') {
			break;
		}
	}
	return i;
}

/* One token and, via *klen, the length of its KEY when it is KEY=...
 * with KEY made of letters, digits and '_' (tor's keyword syntax; $FP=nick,
 * an old LongName form, is positional), else 0. One pass: the key, then
 * the plain bytes up to a space, and only a quote needs the slow way. */
static inline size_t token_scan(const char *p, size_t n, size_t *klen)
{
	size_t i = 0;
	while (i < n && key_char[(unsigned char)p[i]])
		i++;
	*klen = i > 0 && i < n && p[i] == '=' ? i : 0;
	while (i + 8 <= n && !(swar_has(swar_load(p + i), ' ') | swar_has(swar_load(p + i), '"')))
		i += 8;
	while (i < n && p[i] != ' ' && p[i] != '"')
		i++;
	return i < n && p[i] == '"' ? token_end(p, n, i, false) : i;
}

size_t event_token(const char *p, size_t n, size_t *klen)
{
	return token_scan(p, n, klen);
}

static int add_keyword(struct event *ev, const char *t, size_t tl, size_t k, const struct field_spec *spec)
{
	struct ev_field *f = new_field(ev);
	if (f == NULL)
		return -1;
	f->name = t;
	f->name_len = k;
	f->keyword = true;
	set_type(f, spec);
	set_value(ev, f, t + k + 1, tl - k - 1);
	return 0;
}

static int add_positional(struct event *ev, const struct field_spec *s, const char *v, size_t n)
{
	struct ev_field *f = new_field(ev);
	if (f == NULL)
		return -1;
	f->name = s ? s->name : "arg";
	f->name_len = s ? s->len : 3;
	set_type(f, s);
	set_value(ev, f, v, n);
	return 0;
}

static bool all_key_chars(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!key_char[(unsigned char)p[i]])
			return false;
	return true;
}

/* token_scan at t[i], the scanner (' ', '"' and '=') finding the ends:
 * the same token in a jump or two instead of a look at each byte. *klen
 * is what may be its KEY: the bytes before an '=' that comes before any
 * space or quote (the caller checks they are a KEY's). */
static size_t token_at(struct scan *sc, const char *t, size_t len, size_t i, size_t *klen)
{
	size_t j = scan_next(sc, i);
	*klen = j < len && t[j] == '=' && j > i ? j - i : 0;
	while (j < len && t[j] == '=')
		j = scan_next(sc, j + 1);
	return (j < len && t[j] == '"' ? token_end(t, len, j, false) : j) - i;
}

/* The first line: the type, then positional fields in the schema's order,
 * then KEY=VALUE fields in any order. */
static int parse_first(struct event *ev, struct scan *sc, size_t from)
{
	const char *t = sc->p;
	size_t i = from, npos = 0, len = sc->n;
	bool kw_seen = false;
	const struct event_def *d = ev->def;
	while (i < len) {
		while (i < len && t[i] == ' ')
			i++;
		if (i >= len)
			break;
		const struct field_spec *s = d && npos < d->npos ? &d->pos[npos] : NULL;
		if (s && s->rest && !kw_seen) {
			npos++;
			if (add_positional(ev, s, t + i, len - i) < 0)
				return -1;
			break;
		}
		size_t k, tl = token_at(sc, t, len, i, &k);
		/* a name the schema has is a KEY: only others are looked at */
		const struct field_spec *ks = k > 0 ? kw_spec(ev, t + i, k) : NULL;
		if (k > 0 && ks == NULL && !all_key_chars(t + i, k))
			k = 0;
		if (k > 0) {
			kw_seen = true;
			if (add_keyword(ev, t + i, tl, k, ks) < 0)
				return -1;
		} else if (kw_seen) {
			/* tor's quirks: "REASON= UNKNOWN_7" and CLOCK_SKEW's unquoted
			 * SOURCE path with spaces. The bare word belongs to the
			 * keyword before it: extend that value to cover it. */
			struct ev_field *f = &ev->fields[ev->nfields - 1];
			const char *v = f->name + f->name_len + 1;
			f->quoted = false;
			f->val = f->val_len == 0 ? t + i : v;
			f->val_len = (size_t)(t + i + tl - f->val);
			if (f->type == FT_ENUM)
				f->ev = NULL;
		} else {
			if (add_positional(ev, s, t + i, tl) < 0)
				return -1;
			npos++;
		}
		i += tl;
	}
	return 0;
}

/* CONF_CHANGED style: each further line is KEY=VALUE, or a bare KEY when the
 * option became unset. The value runs to the end of the line. */
static int parse_more(struct event *ev, const char *t, size_t len)
{
	struct ev_field *f = new_field(ev);
	if (f == NULL)
		return -1;
	const char *eq = memchr(t, '=', len);
	f->keyword = true;
	f->name = t;
	f->name_len = eq ? (size_t)(eq - t) : len;
	set_type(f, kw_spec(ev, t, f->name_len));
	if (eq)
		set_value(ev, f, eq + 1, len - f->name_len - 1);
	else
		f->unset = true;
	return 0;
}

/* enum_lookup_n through the event's memo. */
static const struct enum_value *lookup(struct event *ev, const struct enum_table *t, const char *v, size_t n)
{
	if (n == 0 || n > sizeof(ev->memo[0].val))
		return enum_lookup_n(t, v, n);
	size_t h = ((size_t)(t - enum_tables) * 7 + n * 5 + (unsigned char)v[0] + (unsigned char)v[n - 1] * 3) %
		   (sizeof(ev->memo) / sizeof(ev->memo[0]));
	struct enum_memo *m = &ev->memo[h];
	if (m->table == t && m->len == n && same_bytes(m->val, v, n))
		return m->ev;
	m->table = t;
	m->len = (unsigned char)n;
	memcpy(m->val, v, n);
	m->ev = enum_lookup_n(t, v, n);
	return m->ev;
}

static void resolve_enums(struct event *ev)
{
	for (size_t i = 0; i < ev->nfields; i++) {
		struct ev_field *f = &ev->fields[i];
		if (f->type == FT_ENUM && f->table && f->val)
			f->ev = lookup(ev, f->table, f->val, f->val_len);
	}
}

/* A log event of several lines ("650+WARN", the lines, ".") has its text
 * in the data block, not on the first line: it is the Message all the
 * same, lines joined by '\n' (the block's last line end dropped). */
static int message_from_data(struct event *ev)
{
	const struct event_def *d = ev->def;
	if (ev->data == NULL || d == NULL || d->npos != 1 || d->pos != log_pos || ev->nfields > 0)
		return 0;
	struct ev_field *f = new_field(ev);
	if (f == NULL)
		return -1;
	f->name = log_pos[0].name;
	f->name_len = log_pos[0].len;
	set_type(f, &log_pos[0]);
	/* as sent: no unquoting, a block line is not a quoted string */
	f->val = ev->data;
	f->val_len = ev->data_len && ev->data[ev->data_len - 1] == '\n' ? ev->data_len - 1 : ev->data_len;
	ev->message_in_data = true;
	return 0;
}

int event_parse(const struct tc_msg *m, struct event *ev)
{
	ev->nfields = 0;
	ev->kw_next = 0;
	ev->def = NULL;
	ev->data = NULL;
	ev->data_len = 0;
	ev->message_in_data = false;
	ev->type = NULL;
	ev->type_len = 0;
	ev->line = NULL;
	ev->line_len = 0;
	ev->line_plain = 0;
	buf_reset(&ev->store);
	if (!m->event || m->nlines == 0)
		return -1;
	/* Unescaping never lengthens a value, so this much room means the
	 * store never moves while fields point into it. */
	if (buf_reserve(&ev->store, m->bytes.len + 1, BUF_NOLIMIT) < 0)
		return -1;
	size_t len;
	const char *t = msg_text(m, 0, &len);
	struct scan sc;
	scan_init(&sc, t, len, ' ', '"', '=');
	size_t tl = scan_next(&sc, 0);
	while (tl < len && t[tl] != ' ')
		tl = scan_next(&sc, tl + 1);
	if (tl == 0)
		return -1;
	ev->line = t;
	ev->line_len = len;
	unsigned kinds = sc.eager ? sc.kinds : scan_kinds(t, len);
	ev->line_plain = kinds & SCAN_UNPRINTABLE ? 0
			 : kinds & SCAN_QUOTES	  ? EVENT_LINE_PRINTABLE
						  : EVENT_LINE_PRINTABLE | EVENT_LINE_JSON_PLAIN;
	ev->type = t;
	ev->type_len = tl;
	ev->def = def_lookup(ev, t, tl);
	if (parse_first(ev, &sc, tl) < 0)
		return -1;
	size_t last = m->nlines;
	if (last > 1) {
		const char *e = msg_text(m, last - 1, &len);
		if (len == 2 && memcmp(e, "OK", 2) == 0)
			last--;
	}
	for (size_t i = 1; i < last; i++) {
		t = msg_text(m, i, &len);
		if (len > 0 && parse_more(ev, t, len) < 0)
			return -1;
	}
	for (size_t i = 0; i < m->nlines && ev->data == NULL; i++)
		if (m->lines[i].sep == '+')
			ev->data = msg_data(m, i, &ev->data_len);
	if (message_from_data(ev) < 0)
		return -1;
	resolve_enums(ev);
	return 0;
}

void event_free(struct event *ev)
{
	free(ev->fields);
	buf_free(&ev->store);
	memset(ev, 0, sizeof(*ev));
}

const struct ev_field *event_get(const struct event *ev, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < ev->nfields; i++)
		if (ev->fields[i].name_len == n && memcmp(ev->fields[i].name, name, n) == 0)
			return &ev->fields[i];
	return NULL;
}
