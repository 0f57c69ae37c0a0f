#include "render.h"

#include <string.h>
#include <strings.h>
#include <time.h>

#include "enums.h"
#include "escape.h"

#define C_RESET "\033[0m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_BLUE "\033[34m"
#define C_MAGENTA "\033[35m"
#define C_CYAN "\033[36m"
#define C_DIM "\033[2m"
#define C_BOLD "\033[1m"

void renderer_init(struct renderer *r, const struct render_opts *o)
{
	memset(r, 0, sizeof(*r));
	r->o = *o;
}

void renderer_free(struct renderer *r)
{
	event_free(&r->ev);
	buf_free(&r->line);
}

const char *reply_error_name(int code)
{
	switch (code) {
	case 451: return "OperationFailed";       /* resource exhausted */
	case 500: return "ProtocolError";         /* syntax error in the protocol */
	case 510: case 511: return "InvalidRequest"; /* unrecognized / unimplemented command */
	case 512: case 513: case 552: return "InvalidArguments";
	case 514: return "AuthenticationRequired";
	case 515: return "AuthenticationFailed";
	case 550: case 551: case 555: return "OperationFailed";
	case 553: case 554: return "InvalidRequest";
	default: return code >= 400 ? "OperationFailed" : NULL;
	}
}

static void put(FILE *out, const char *p, size_t n, const struct render_opts *o)
{
	if (o->safe)
		term_safe_write(out, p, n);
	else
		fwrite(p, 1, n, out);
}

static void color(FILE *out, const struct render_opts *o, const char *c)
{
	if (o->color)
		fputs(c, out);
}

/* ---- raw ---- */

static void render_raw(FILE *out, const struct tc_msg *m, const struct render_opts *o)
{
	for (size_t i = 0; i < m->nlines; i++) {
		const struct tc_line *l = &m->lines[i];
		size_t len;
		const char *t = msg_text(m, i, &len);
		fprintf(out, "%03d%c", l->code, l->sep);
		put(out, t, len, o);
		fputc('\n', out);
		if (l->sep != '+')
			continue;
		const char *d = msg_data(m, i, &len);
		const char *end = d + len;
		while (d < end) {
			const char *nl = memchr(d, '\n', (size_t)(end - d));
			size_t n = nl ? (size_t)(nl - d) : (size_t)(end - d);
			if (n > 0 && d[0] == '.')
				fputc('.', out);
			put(out, d, n, o);
			fputc('\n', out);
			d += n + 1;
		}
		fputs(".\n", out);
	}
}

/* ---- pretty ---- */

/* Red for failure, green for success, yellow for in-between states. */
static const char *value_color(const char *v, size_t n)
{
	static const char *const bad[] = {"FAILED", "CLOSED", "DETACHED", "DOWN", "BAD", "BAD_L2", "DROPPED",
					  "ERR", "UNREACHABLE", "NOT_FOUND", "TIMEOUT", NULL};
	static const char *const good[] = {"BUILT", "SUCCEEDED", "CONNECTED", "UP", "UPLOADED", "RECEIVED",
					   "GOOD", "GOOD_L2", "UP", "NEW", "DONE", "OK", NULL};
	for (size_t i = 0; bad[i]; i++)
		if (strlen(bad[i]) == n && strncasecmp(bad[i], v, n) == 0)
			return C_RED;
	for (size_t i = 0; good[i]; i++)
		if (strlen(good[i]) == n && strncasecmp(good[i], v, n) == 0)
			return C_GREEN;
	return C_YELLOW;
}

static const char *class_color(const char *cls, const char *type)
{
	if (strcmp(type, "ERR") == 0)
		return C_RED C_BOLD;
	if (strcmp(type, "WARN") == 0)
		return C_YELLOW C_BOLD;
	if (cls == NULL)
		return C_BOLD;
	if (strcmp(cls, "circ") == 0)
		return C_CYAN C_BOLD;
	if (strcmp(cls, "stream") == 0)
		return C_BLUE C_BOLD;
	if (strcmp(cls, "hs") == 0)
		return C_MAGENTA C_BOLD;
	if (strcmp(cls, "status") == 0)
		return C_GREEN C_BOLD;
	return C_BOLD;
}

static void timestamp(FILE *out, const struct render_opts *o)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	localtime_r(&ts.tv_sec, &tm);
	color(out, o, C_DIM);
	fprintf(out, "%02d:%02d:%02d ", tm.tm_hour, tm.tm_min, tm.tm_sec);
	color(out, o, C_RESET);
}

static void pretty_enum(FILE *out, const struct ev_field *f, const struct render_opts *o)
{
	if (f->type == FT_ENUM) {
		color(out, o, value_color(f->val, f->val_len));
		put(out, f->val, f->val_len, o);
		color(out, o, C_RESET);
		if (o->explain && f->ev && f->ev->desc) {
			color(out, o, C_DIM);
			fprintf(out, " (%s)", f->ev->desc);
			color(out, o, C_RESET);
		}
		return;
	}
	/* a comma-separated list of enum values: explain each */
	const char *p = f->val, *end = f->val + f->val_len;
	while (p < end) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		size_t n = c ? (size_t)(c - p) : (size_t)(end - p);
		put(out, p, n, o);
		const struct enum_value *v = f->table ? enum_lookup_n(f->table, p, n) : NULL;
		if (o->explain && v && v->desc) {
			color(out, o, C_DIM);
			fprintf(out, " (%s)", v->desc);
			color(out, o, C_RESET);
		}
		if (c)
			fputc(',', out);
		p += n + 1;
	}
}

/* $FP~nick,$FP~nick -> nick > nick (the fingerprint when there is no nick) */
static void pretty_path(FILE *out, const struct ev_field *f, const struct render_opts *o)
{
	const char *p = f->val, *end = f->val + f->val_len;
	bool first = true;
	while (p < end) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		size_t n = c ? (size_t)(c - p) : (size_t)(end - p);
		const char *tilde = memchr(p, '~', n);
		if (!first)
			fputs(" > ", out);
		if (tilde)
			put(out, tilde + 1, n - (size_t)(tilde + 1 - p), o);
		else
			put(out, p, n, o);
		first = false;
		p += n + 1;
	}
}

/* A value tor quoted is shown quoted again, so its edges stay visible and a
 * quote inside cannot pass for the end of it. */
static void put_quoted(FILE *out, const char *p, size_t n, const struct render_opts *o)
{
	fputc('"', out);
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] != '"' && p[i] != '\\')
			continue;
		put(out, p + start, i - start, o);
		fputc('\\', out);
		start = i;
	}
	put(out, p + start, n - start, o);
	fputc('"', out);
}

static void pretty_value(FILE *out, const struct ev_field *f, const struct render_opts *o)
{
	switch (f->type) {
	case FT_ENUM:
	case FT_ENUM_LIST:
		pretty_enum(out, f, o);
		break;
	case FT_PATH:
		pretty_path(out, f, o);
		break;
	default:
		if (f->quoted)
			put_quoted(out, f->val, f->val_len, o);
		else
			put(out, f->val, f->val_len, o);
	}
}

static void pretty_keyword(FILE *out, const struct ev_field *f, const struct render_opts *o)
{
	fputc(' ', out);
	color(out, o, C_DIM);
	put(out, f->name, f->name_len, o);
	color(out, o, C_RESET);
	if (f->unset) {
		color(out, o, C_DIM);
		fputs(" (unset)", out);
		color(out, o, C_RESET);
		return;
	}
	fputc('=', out);
	pretty_value(out, f, o);
}

/* The positional fields make the summary, with the keywords the schema
 * promotes into it (CIRC's PURPOSE after the status); the other keywords
 * follow as KEY=VALUE. */
static void render_pretty_event(struct renderer *r, FILE *out, const struct tc_msg *m)
{
	const struct render_opts *o = &r->o;
	if (event_parse(m, &r->ev) < 0) {
		render_raw(out, m, o);
		return;
	}
	const struct event *ev = &r->ev;
	timestamp(out, o);
	color(out, o, class_color(ev->def ? ev->def->cls : NULL, ev->type));
	put(out, ev->type, ev->type_len, o);
	color(out, o, C_RESET);
	int npos = 0;
	for (size_t i = 0; i < ev->nfields; i++) {
		const struct ev_field *f = &ev->fields[i];
		if (f->keyword)
			continue;
		fputc(' ', out);
		pretty_value(out, f, o);
		npos++;
		for (size_t j = 0; j < ev->nfields; j++) {
			const struct ev_field *k = &ev->fields[j];
			if (k->keyword && k->summary && k->summary_after == npos) {
				fputc(' ', out);
				pretty_value(out, k, o);
			}
		}
	}
	for (size_t i = 0; i < ev->nfields; i++) {
		const struct ev_field *f = &ev->fields[i];
		if (f->keyword && !(f->summary && f->summary_after <= npos))
			pretty_keyword(out, f, o);
	}
	fputc('\n', out);
	if (ev->data) {
		const char *p = ev->data, *end = ev->data + ev->data_len;
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
			fputs("  ", out);
			put(out, p, n, o);
			fputc('\n', out);
			p += n + 1;
		}
	}
}

static void render_pretty_reply(FILE *out, const struct tc_msg *m, const struct render_opts *o,
				const char *command)
{
	if (!msg_ok(m)) {
		for (size_t i = 0; i < m->nlines; i++) {
			size_t len;
			const char *t = msg_text(m, i, &len);
			const char *name = reply_error_name(m->lines[i].code);
			color(out, o, name ? C_RED : C_RESET);
			if (name)
				fprintf(out, "error %d (%s): ", m->lines[i].code, name);
			else
				fprintf(out, "%d ", m->lines[i].code);
			color(out, o, C_RESET);
			put(out, t, len, o);
			fputc('\n', out);
		}
		return;
	}
	for (size_t i = 0; i < m->nlines; i++) {
		size_t len;
		const char *t = msg_text(m, i, &len);
		bool last = i + 1 == m->nlines;
		/* the closing "OK" says nothing after the values it closes */
		if (last && m->nlines > 1 && len == 2 && memcmp(t, "OK", 2) == 0)
			break;
		const char *eq = memchr(t, '=', len);
		if (m->lines[i].sep == '+') {
			color(out, o, C_BOLD);
			put(out, t, len && t[len - 1] == '=' ? len - 1 : len, o);
			color(out, o, C_RESET);
			fputs(":\n", out);
			const char *d = msg_data(m, i, &len);
			put(out, d, len, o);
			continue;
		}
		if (eq) {
			color(out, o, C_BOLD);
			put(out, t, (size_t)(eq - t), o);
			color(out, o, C_RESET);
			fputs(" = ", out);
			put(out, eq + 1, len - (size_t)(eq + 1 - t), o);
		} else if (strcmp(command, "GETCONF") == 0 && !memchr(t, ' ', len) && !(last && len == 2 && memcmp(t, "OK", 2) == 0)) {
			/* GETCONF answers a bare KEY for an option with no value */
			color(out, o, C_BOLD);
			put(out, t, len, o);
			color(out, o, C_RESET);
			color(out, o, C_DIM);
			fputs(" (unset)", out);
			color(out, o, C_RESET);
		} else {
			color(out, o, C_GREEN);
			put(out, t, len, o);
			color(out, o, C_RESET);
		}
		fputc('\n', out);
	}
}

/* ---- JSON Lines ---- */

static void json_str(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	buf_putc(b, '"', BUF_NOLIMIT);
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = NULL;
		char u[7];
		if (c == '"')
			esc = "\\\"";
		else if (c == '\\')
			esc = "\\\\";
		else if (c == '\n')
			esc = "\\n";
		else if (c == '\r')
			esc = "\\r";
		else if (c == '\t')
			esc = "\\t";
		else if (c < 0x20 || c == 0x7f || c >= 0x80) {
			if (c >= 0x80) {
				/* keep valid UTF-8, escape stray bytes as Latin-1 code points */
				size_t k = 1;
				size_t want = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
				if (want && i + want <= n) {
					for (k = 1; k < want && ((unsigned char)s[i + k] & 0xc0) == 0x80; k++)
						;
					if (k == want) {
						i += want - 1;
						continue;
					}
				}
			}
			u[0] = '\\'; u[1] = 'u'; u[2] = '0'; u[3] = '0';
			u[4] = hex[c >> 4]; u[5] = hex[c & 15]; u[6] = '\0';
			esc = u;
		}
		if (esc) {
			buf_append(b, s + start, i - start, BUF_NOLIMIT);
			buf_append(b, esc, strlen(esc), BUF_NOLIMIT);
			start = i + 1;
		}
	}
	buf_append(b, s + start, n - start, BUF_NOLIMIT);
	buf_putc(b, '"', BUF_NOLIMIT);
}

static void json_raw(struct buf *b, const struct tc_msg *m)
{
	/* the wire text, minus CRLF, lines joined by \n */
	struct buf raw = {0};
	for (size_t i = 0; i < m->nlines; i++) {
		size_t len;
		const char *t = msg_text(m, i, &len);
		buf_printf(&raw, BUF_NOLIMIT, "%s%03d%c", i ? "\n" : "", m->lines[i].code, m->lines[i].sep);
		buf_append(&raw, t, len, BUF_NOLIMIT);
		if (m->lines[i].sep != '+')
			continue;
		const char *d = msg_data(m, i, &len), *end = d + len;
		while (d < end) {
			const char *nl = memchr(d, '\n', (size_t)(end - d));
			size_t n = nl ? (size_t)(nl - d) : (size_t)(end - d);
			buf_append(&raw, "\n.", d[0] == '.' ? 2 : 1, BUF_NOLIMIT);
			buf_append(&raw, d, n, BUF_NOLIMIT);
			d += n + 1;
		}
		buf_append(&raw, "\n.", 2, BUF_NOLIMIT);
	}
	json_str(b, raw.p ? raw.p : "", raw.len);
	buf_free(&raw);
}

/* A number JSON can carry exactly: digits, an optional sign and fraction,
 * no leading zeros (which JSON forbids), at most 15 significant digits. */
static bool is_number(const char *s, size_t n)
{
	size_t i = n > 1 && s[0] == '-' ? 1 : 0, digits = 0;
	if (i == n || (s[i] == '0' && i + 1 < n && s[i + 1] != '.'))
		return false;
	bool dot = false;
	for (; i < n; i++) {
		if (s[i] == '.' && !dot && digits > 0 && i + 1 < n) {
			dot = true;
			continue;
		}
		if (s[i] < '0' || s[i] > '9')
			return false;
		digits++;
	}
	return digits > 0 && digits <= 15;
}

static void json_list(struct buf *b, const char *s, size_t n, char sep)
{
	buf_putc(b, '[', BUF_NOLIMIT);
	const char *p = s, *end = s + n;
	bool first = true;
	while (p < end) {
		const char *c = memchr(p, sep, (size_t)(end - p));
		size_t k = c ? (size_t)(c - p) : (size_t)(end - p);
		if (k == 0 && sep == ' ') {
			p++;
			continue;
		}
		if (!first)
			buf_putc(b, ',', BUF_NOLIMIT);
		json_str(b, p, k);
		first = false;
		p += k + 1;
	}
	buf_putc(b, ']', BUF_NOLIMIT);
}

static void json_field_value(struct buf *b, const struct ev_field *f)
{
	if (f->unset) {
		buf_append(b, "null", 4, BUF_NOLIMIT);
		return;
	}
	switch (f->type) {
	case FT_INT:
		if (is_number(f->val, f->val_len)) {
			buf_append(b, f->val, f->val_len, BUF_NOLIMIT);
			return;
		}
		break;
	case FT_ENUM_LIST:
	case FT_PATH:
	case FT_LIST:
		json_list(b, f->val, f->val_len, ',');
		return;
	case FT_WORDS:
		json_list(b, f->val, f->val_len, ' ');
		return;
	default:
		break;
	}
	json_str(b, f->val, f->val_len);
}

static bool same_name(const struct ev_field *a, const struct ev_field *b)
{
	return a->name_len == b->name_len && memcmp(a->name, b->name, a->name_len) == 0;
}

/* A name given several times (CONF_CHANGED of a list option, extra
 * positional words) becomes an array, so no key is lost to jq. */
static void json_fields(struct buf *b, const struct event *ev)
{
	bool first = true;
	for (size_t i = 0; i < ev->nfields; i++) {
		const struct ev_field *f = &ev->fields[i];
		bool seen = false;
		size_t n = 0;
		for (size_t j = 0; j < i && !seen; j++)
			seen = same_name(&ev->fields[j], f);
		if (seen)
			continue;
		for (size_t j = i; j < ev->nfields; j++)
			n += same_name(&ev->fields[j], f);
		if (!first)
			buf_putc(b, ',', BUF_NOLIMIT);
		first = false;
		json_str(b, f->name, f->name_len);
		buf_putc(b, ':', BUF_NOLIMIT);
		if (n > 1)
			buf_putc(b, '[', BUF_NOLIMIT);
		for (size_t j = i, k = 0; j < ev->nfields; j++) {
			if (!same_name(&ev->fields[j], f))
				continue;
			if (k++)
				buf_putc(b, ',', BUF_NOLIMIT);
			json_field_value(b, &ev->fields[j]);
		}
		if (n > 1)
			buf_putc(b, ']', BUF_NOLIMIT);
	}
}

static void render_json_event(struct renderer *r, FILE *out, const struct tc_msg *m)
{
	struct buf *b = &r->line;
	buf_reset(b);
	buf_append(b, "{\"type\":\"event\",\"code\":", 23, BUF_NOLIMIT);
	buf_printf(b, BUF_NOLIMIT, "%d", m->code);
	if (event_parse(m, &r->ev) == 0) {
		const struct event *ev = &r->ev;
		buf_append(b, ",\"event\":", 9, BUF_NOLIMIT);
		json_str(b, ev->type, ev->type_len);
		buf_append(b, ",\"fields\":{", 11, BUF_NOLIMIT);
		json_fields(b, ev);
		buf_putc(b, '}', BUF_NOLIMIT);
		if (ev->data) {
			buf_append(b, ",\"data\":", 8, BUF_NOLIMIT);
			json_str(b, ev->data, ev->data_len);
		}
	}
	buf_append(b, ",\"raw\":", 7, BUF_NOLIMIT);
	json_raw(b, m);
	buf_append(b, "}\n", 2, BUF_NOLIMIT);
	fwrite(b->p, 1, b->len, out);
}

/* How one reply line contributes to "values". */
enum line_kind { L_NONE, L_KV, L_RECORD, L_UNSET };

struct line_key {
	enum line_kind kind;
	const char *key;
	size_t klen;
};

static bool is_word(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((p[i] >= 'A' && p[i] <= 'Z') || p[i] == '_' || (p[i] >= '0' && p[i] <= '9' && i > 0)))
			return false;
	return n > 0;
}

/* KEY=VALUE (GETINFO, GETCONF, ADD_ONION, MAPADDRESS), WORD ARGS... (the
 * PROTOCOLINFO, CLIENT and EXTENDED lines), or GETCONF's bare KEY for an
 * option with no value. */
static struct line_key classify(const struct tc_msg *m, size_t i, const char *command)
{
	struct line_key k = {L_NONE, NULL, 0};
	size_t len;
	const char *t = msg_text(m, i, &len);
	const char *eq = memchr(t, '=', len), *sp = memchr(t, ' ', len);
	if (eq && eq != t && (sp == NULL || sp > eq)) {
		k = (struct line_key){L_KV, t, (size_t)(eq - t)};
	} else if (sp && is_word(t, (size_t)(sp - t))) {
		k = (struct line_key){L_RECORD, t, (size_t)(sp - t)};
	} else if (sp == NULL && eq == NULL && strcmp(command, "GETCONF") == 0 &&
		   !(i + 1 == m->nlines && len == 2 && memcmp(t, "OK", 2) == 0)) {
		k = (struct line_key){L_UNSET, t, len};
	}
	return k;
}

/* The positional arguments of a record line, named where the command says
 * what they are. */
static const char *record_arg_name(const char *command, const char *word, size_t wlen, size_t idx)
{
	if (strcmp(command, "ONION_CLIENT_AUTH_VIEW") == 0 && wlen == 6 && memcmp(word, "CLIENT", 6) == 0)
		return idx == 0 ? "HSAddress" : idx == 1 ? "PrivateKey" : NULL;
	return NULL;
}

static bool record_always_array(const char *command, const char *word, size_t wlen)
{
	return record_arg_name(command, word, wlen, 0) != NULL;
}

static void json_unquoted(struct buf *b, const char *v, size_t n)
{
	struct buf tmp = {0};
	size_t used = 0;
	if (n >= 2 && v[0] == '"' && cstring_unquote(v, n, &tmp, &used) == 0 && used == n)
		json_str(b, tmp.p ? tmp.p : "", tmp.len);
	else
		json_str(b, v, n);
	buf_free(&tmp);
}

/* WORD a b K=V -> {"args":["a","b"],"K":"V"}; WORD 5 -> 5; WORD x -> "x". */
static void json_record(struct buf *b, const char *command, const char *t, size_t len, size_t wlen)
{
	const char *p = t + wlen, *end = t + len;
	size_t nargs = 0, nkw = 0, klen;
	const char *only = NULL;
	size_t only_len = 0;
	for (const char *q = p; q < end;) {
		while (q < end && *q == ' ')
			q++;
		if (q >= end)
			break;
		size_t tl = event_token(q, (size_t)(end - q), &klen);
		if (klen)
			nkw++;
		else if (nargs++ == 0) {
			only = q;
			only_len = tl;
		}
		q += tl;
	}
	if (nargs == 1 && nkw == 0 && !record_arg_name(command, t, wlen, 0)) {
		if (is_number(only, only_len))
			buf_append(b, only, only_len, BUF_NOLIMIT);
		else
			json_unquoted(b, only, only_len);
		return;
	}
	buf_putc(b, '{', BUF_NOLIMIT);
	bool first = true, args_open = false;
	size_t idx = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (const char *q = p; q < end;) {
			while (q < end && *q == ' ')
				q++;
			if (q >= end)
				break;
			size_t tl = event_token(q, (size_t)(end - q), &klen);
			const char *name = klen ? NULL : record_arg_name(command, t, wlen, idx);
			bool now = pass == 0 ? (klen == 0) : (klen > 0);
			if (now && klen == 0 && name == NULL) {
				/* unnamed positionals gather in "args" */
				buf_append(b, args_open ? "," : first ? "\"args\":[" : ",\"args\":[",
					   args_open ? 1 : first ? 8 : 9, BUF_NOLIMIT);
				args_open = true;
				first = false;
				json_unquoted(b, q, tl);
			} else if (now) {
				if (args_open) {
					buf_putc(b, ']', BUF_NOLIMIT);
					args_open = false;
				}
				if (!first)
					buf_putc(b, ',', BUF_NOLIMIT);
				first = false;
				if (klen) {
					json_str(b, q, klen);
					buf_putc(b, ':', BUF_NOLIMIT);
					json_unquoted(b, q + klen + 1, tl - klen - 1);
				} else {
					json_str(b, name, strlen(name));
					buf_putc(b, ':', BUF_NOLIMIT);
					json_unquoted(b, q, tl);
				}
			}
			if (klen == 0 && pass == 0)
				idx++;
			q += tl;
		}
		if (args_open) {
			buf_putc(b, ']', BUF_NOLIMIT);
			args_open = false;
		}
	}
	buf_putc(b, '}', BUF_NOLIMIT);
}

static void json_line_value(struct buf *b, const struct tc_msg *m, size_t i, const struct line_key *k,
			    const char *command)
{
	size_t len;
	const char *t = msg_text(m, i, &len);
	switch (k->kind) {
	case L_KV:
		if (m->lines[i].sep == '+') {
			const char *d = msg_data(m, i, &len);
			json_str(b, d, len);
		} else if (strcmp(command, "GETCONF") == 0) {
			/* GETCONF quotes a value (C escapes) only when it must */
			json_unquoted(b, t + k->klen + 1, len - k->klen - 1);
		} else {
			json_str(b, t + k->klen + 1, len - k->klen - 1);
		}
		break;
	case L_RECORD:
		json_record(b, command, t, len, k->klen);
		break;
	default:
		buf_append(b, "null", 4, BUF_NOLIMIT);
	}
}

static bool same_key(const struct line_key *a, const struct line_key *b)
{
	return a->kind != L_NONE && b->kind != L_NONE && a->klen == b->klen && memcmp(a->key, b->key, a->klen) == 0;
}

/* Lines as an object; a key given several times (GETCONF of a repeated
 * option, several CLIENT lines) becomes an array. */
static void json_values(struct buf *b, const struct tc_msg *m, const char *command)
{
	bool first = true;
	for (size_t i = 0; i < m->nlines; i++) {
		struct line_key k = classify(m, i, command);
		if (k.kind == L_NONE)
			continue;
		bool seen = false;
		size_t n = 0;
		for (size_t j = 0; j < i && !seen; j++) {
			struct line_key kj = classify(m, j, command);
			seen = same_key(&kj, &k);
		}
		if (seen)
			continue;
		for (size_t j = i; j < m->nlines; j++) {
			struct line_key kj = classify(m, j, command);
			n += same_key(&kj, &k);
		}
		bool array = n > 1 || (k.kind == L_RECORD && record_always_array(command, k.key, k.klen));
		if (!first)
			buf_putc(b, ',', BUF_NOLIMIT);
		first = false;
		json_str(b, k.key, k.klen);
		buf_putc(b, ':', BUF_NOLIMIT);
		if (array)
			buf_putc(b, '[', BUF_NOLIMIT);
		for (size_t j = i, c = 0; j < m->nlines; j++) {
			struct line_key kj = classify(m, j, command);
			if (!same_key(&kj, &k))
				continue;
			if (c++)
				buf_putc(b, ',', BUF_NOLIMIT);
			json_line_value(b, m, j, &kj, command);
		}
		if (array)
			buf_putc(b, ']', BUF_NOLIMIT);
	}
}

static void render_json_reply(struct renderer *r, FILE *out, const struct tc_msg *m, const char *command)
{
	struct buf *b = &r->line;
	buf_reset(b);
	buf_append(b, "{\"type\":\"reply\"", 15, BUF_NOLIMIT);
	if (command[0]) {
		buf_append(b, ",\"command\":", 11, BUF_NOLIMIT);
		json_str(b, command, strlen(command));
	}
	buf_printf(b, BUF_NOLIMIT, ",\"code\":%d,\"ok\":%s", m->code, msg_ok(m) ? "true" : "false");
	const char *name = reply_error_name(m->code);
	if (name) {
		size_t len;
		const char *t = msg_text(m, m->nlines - 1, &len);
		buf_printf(b, BUF_NOLIMIT, ",\"error\":{\"name\":\"%s\",\"message\":", name);
		json_str(b, t, len);
		buf_putc(b, '}', BUF_NOLIMIT);
	}
	buf_append(b, ",\"values\":{", 11, BUF_NOLIMIT);
	if (msg_ok(m))
		json_values(b, m, command);
	buf_append(b, "},\"lines\":[", 11, BUF_NOLIMIT);
	for (size_t i = 0; i < m->nlines; i++) {
		size_t len;
		const char *t = msg_text(m, i, &len);
		if (i)
			buf_putc(b, ',', BUF_NOLIMIT);
		json_str(b, t, len);
	}
	buf_append(b, "],\"raw\":", 8, BUF_NOLIMIT);
	json_raw(b, m);
	buf_append(b, "}\n", 2, BUF_NOLIMIT);
	fwrite(b->p, 1, b->len, out);
}

void render(struct renderer *r, FILE *out, const struct tc_msg *m, const char *command)
{
	if (command == NULL)
		command = "";
	switch (r->o.fmt) {
	case FMT_RAW:
		render_raw(out, m, &r->o);
		break;
	case FMT_PRETTY:
		if (m->event)
			render_pretty_event(r, out, m);
		else
			render_pretty_reply(out, m, &r->o, command);
		break;
	case FMT_JSON:
		if (m->event)
			render_json_event(r, out, m);
		else
			render_json_reply(r, out, m, command);
		break;
	}
}
