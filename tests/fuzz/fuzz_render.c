/* libFuzzer target: whatever bytes a hostile control port sends, every
 * message the reply reader frames is rendered by each renderer into memory
 * and checked. Terminal-safe output (raw with safe on, pretty, pretty with
 * --explain) holds no control character but \n and \t: no C0, no DEL, no
 * ESC, no C1 and no bidi control, and is well-formed UTF-8. Each JSON line
 * is well-formed UTF-8 with no such control either, and parses as JSON.
 * PROTOCOLINFO's parser sees every reply too.
 *
 * The checkers decode UTF-8 their own way (any lead byte, then reject
 * overlong, surrogate and out-of-range results), so that a mistake in the
 * product's table-driven validator does not hide itself. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "render.h"
#include "reply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The checkers read every output byte: instrumenting their compares for
 * coverage would cost most of the run and steer the fuzzer by the output's
 * bytes rather than by the code under test. */
#define ORACLE __attribute__((no_sanitize("coverage")))

/* Decodes one code point at p; its length, or 0 when ill-formed. */
ORACLE static size_t oracle_utf8(const unsigned char *p, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t v, min;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	} else if ((p[0] & 0xe0) == 0xc0) {
		len = 2, v = p[0] & 0x1fu, min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		len = 3, v = p[0] & 0x0fu, min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		len = 4, v = p[0] & 0x07u, min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((p[k] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (p[k] & 0x3fu);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

ORACLE static bool oracle_hidden(uint32_t cp)
{
	static const uint32_t bidi[] = {0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d,
					0x202e, 0x2066, 0x2067, 0x2068, 0x2069};
	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
		return true;
	for (size_t i = 0; i < sizeof(bidi) / sizeof(bidi[0]); i++)
		if (cp == bidi[i])
			return true;
	return false;
}

/* Well-formed UTF-8 with no hidden control but the ASCII ones in `allow`. */
ORACLE static void check_text(const char *s, size_t n, const char *allow, const char *what)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = oracle_utf8(p + i, n - i, &cp);
		if (len == 0 || (oracle_hidden(cp) && !(cp < 0x80 && cp && strchr(allow, (int)cp)))) {
			fprintf(stderr, "%s: byte %zu (0x%02x) of %zu: %.*s\n", what, i, p[i], n, (int)n, s);
			abort();
		}
		i += len;
	}
}

/* ---- a JSON grammar checker (RFC 8259), enough to catch a bad escape,
 * an unclosed string or a missing comma ---- */

struct jp {
	const char *p, *end;
	int depth;
};

static bool jp_value(struct jp *j);

ORACLE static void jp_ws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

ORACLE static bool jp_lit(struct jp *j, const char *lit)
{
	size_t n = strlen(lit);
	if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n) != 0)
		return false;
	j->p += n;
	return true;
}

ORACLE static bool jp_hex4(struct jp *j)
{
	for (int k = 0; k < 4; k++, j->p++)
		if (j->p >= j->end || !strchr("0123456789abcdefABCDEF", *j->p) || *j->p == '\0')
			return false;
	return true;
}

ORACLE static bool jp_string(struct jp *j)
{
	if (!jp_lit(j, "\""))
		return false;
	while (j->p < j->end) {
		unsigned char c = (unsigned char)*j->p++;
		if (c == '"')
			return true;
		if (c < 0x20)
			return false;
		if (c != '\\')
			continue;
		if (j->p >= j->end)
			return false;
		c = (unsigned char)*j->p++;
		if (c == 'u') {
			if (!jp_hex4(j))
				return false;
		} else if (!strchr("\"\\/bfnrt", c) || c == '\0') {
			return false;
		}
	}
	return false;
}

ORACLE static bool jp_digits(struct jp *j)
{
	const char *s = j->p;
	while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
		j->p++;
	return j->p > s;
}

ORACLE static bool jp_number(struct jp *j)
{
	jp_lit(j, "-");
	if (jp_lit(j, "0")) {
		/* no leading zeros */
	} else if (!jp_digits(j)) {
		return false;
	}
	if (jp_lit(j, ".") && !jp_digits(j))
		return false;
	if (jp_lit(j, "e") || jp_lit(j, "E")) {
		if (!jp_lit(j, "+"))
			jp_lit(j, "-");
		if (!jp_digits(j))
			return false;
	}
	return true;
}

/* object or array: open, values (members "key": value), close */
ORACLE static bool jp_compound(struct jp *j, bool object)
{
	j->p++;
	if (++j->depth > 64)
		return false;
	jp_ws(j);
	if (jp_lit(j, object ? "}" : "]"))
		return j->depth--, true;
	for (;;) {
		jp_ws(j);
		if (object) {
			if (!jp_string(j))
				return false;
			jp_ws(j);
			if (!jp_lit(j, ":"))
				return false;
		}
		if (!jp_value(j))
			return false;
		jp_ws(j);
		if (jp_lit(j, object ? "}" : "]"))
			return j->depth--, true;
		if (!jp_lit(j, ","))
			return false;
	}
}

ORACLE static bool jp_value(struct jp *j)
{
	jp_ws(j);
	if (j->p >= j->end)
		return false;
	switch (*j->p) {
	case '{': return jp_compound(j, true);
	case '[': return jp_compound(j, false);
	case '"': return jp_string(j);
	case 't': return jp_lit(j, "true");
	case 'f': return jp_lit(j, "false");
	case 'n': return jp_lit(j, "null");
	default: return jp_number(j);
	}
}

/* One message's JSON: exactly one line, an object, valid UTF-8 without
 * hidden controls. */
ORACLE static void check_json(const char *s, size_t n)
{
	if (n == 0 || s[n - 1] != '\n' || memchr(s, '\n', n - 1)) {
		fprintf(stderr, "JSON: not one line: %.*s\n", (int)n, s);
		abort();
	}
	check_text(s, n - 1, "", "JSON");
	struct jp j = {s, s + n - 1, 0};
	if (*s != '{' || !jp_value(&j) || j.p != j.end) {
		fprintf(stderr, "JSON: invalid at byte %zu: %.*s\n", (size_t)(j.p - s), (int)n, s);
		abort();
	}
}

enum { R_RAW, R_PRETTY, R_EXPLAIN, R_JSON, NREND };

/* A renderer and the memory FILE it writes to; `checked` bytes of it have
 * passed their check. */
struct sink {
	struct renderer r;
	char *mem;
	size_t len, checked;
	FILE *f;
};

static void render_checked(struct sink *s, int kind, const struct tc_msg *m, const char *command)
{
	render(&s->r, s->f, m, cmd_find(command, strlen(command)), command);
	if (fflush(s->f) != 0)
		abort();
	const char *out = s->mem + s->checked;
	size_t n = s->len - s->checked;
	if (kind == R_JSON && m->partial) {
		/* JSON keeps a reply's pieces until its end: nothing yet */
		if (n != 0) {
			fprintf(stderr, "JSON: output before a reply ended: %.*s\n", (int)n, out);
			abort();
		}
	} else if (kind == R_JSON)
		check_json(out, n);
	else
		check_text(out, n, "\n\t", kind == R_RAW ? "raw" : kind == R_PRETTY ? "pretty" : "explain");
	s->checked = s->len;
}

static void check_protocolinfo(const struct tc_msg *m)
{
	struct protocolinfo pi;
	struct buf err = {0};
	protocolinfo_parse(m, &pi, &err);
	if (!memchr(pi.cookiefile, '\0', sizeof(pi.cookiefile)) || !memchr(pi.version, '\0', sizeof(pi.version)) ||
	    !memchr(pi.unknown_methods, '\0', sizeof(pi.unknown_methods)))
		abort();
	/* the error is shown to the user as it is: it must be terminal-safe */
	if (err.len)
		check_text(err.p, err.len, "\n\t", "protocolinfo error"); /* tab: as every terminal text */
	buf_free(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const commands[] = {"", "GETCONF", "GETINFO", "ONION_CLIENT_AUTH_VIEW", "PROTOCOLINFO",
						"ADD_ONION", "EXTENDCIRCUIT", "MAPADDRESS"};
	const struct render_opts ro[NREND] = {
		[R_RAW] = {.fmt = FMT_RAW, .safe = true},
		[R_PRETTY] = {.fmt = FMT_PRETTY, .safe = true},
		[R_EXPLAIN] = {.fmt = FMT_PRETTY, .safe = true, .explain = true},
		[R_JSON] = {.fmt = FMT_JSON},
	};
	struct sink out[NREND];
	for (int i = 0; i < NREND; i++) {
		renderer_init(&out[i].r, &ro[i]);
		out[i].checked = 0;
		if ((out[i].f = open_memstream(&out[i].mem, &out[i].len)) == NULL)
			abort();
	}
	struct reader r;
	reader_init(&r, 1 << 16);
	/* half the inputs hand a reply's block out in small pieces, as the
	 * session does for the user's replies */
	r.stream_min = size > 1 && (data[1] & 1) ? 1 + data[1] % 64 : 0;
	const char *command = size > 0 ? commands[data[0] % (sizeof(commands) / sizeof(commands[0]))] : "";
	size_t step = size > 0 ? (data[0] >> 3) % 7 + 1 : 1;
	for (size_t off = 0; off < size; off += step) {
		size_t n = size - off < step ? size - off : step;
		if (reader_feed(&r, (const char *)data + off, n) < 0)
			break;
		struct tc_msg *m;
		int rc;
		while ((rc = reader_next(&r, &m)) > 0) {
			for (int i = 0; i < NREND; i++)
				render_checked(&out[i], i, m, m->event ? "" : command);
			if (!m->event && !m->partial)
				check_protocolinfo(m);
		}
		if (rc < 0)
			break;
	}
	reader_free(&r);
	for (int i = 0; i < NREND; i++) {
		fclose(out[i].f);
		free(out[i].mem);
		renderer_free(&out[i].r);
	}
	return 0;
}
