/* What may reach a terminal or a JSON reader: the strict UTF-8 validator
 * both share, the terminal-safe escaper, and the JSON renderer's strings. */
#include <stdlib.h>
#include <time.h>

#include "escape.h"
#include "render.h"
#include "reply.h"
#include "tap.h"

#define S(lit) lit, sizeof(lit) - 1

/* Each of these passed through unescaped before the validator was strict
 * and knew the bidi controls. */
static const struct {
	const char *name, *in;
	size_t len;
	const char *want;
} term_cases[] = {
	{"overlong 3-byte CSI (U+009B)", S("\xe0\x82\x9b" "31m"), "\\xE0\\x82\\x9B31m"},
	{"overlong 3-byte ESC", S("\xe0\x80\x9b[2J"), "\\xE0\\x80\\x9B[2J"},
	{"overlong 4-byte CSI", S("\xf0\x80\x82\x9b"), "\\xF0\\x80\\x82\\x9B"},
	{"UTF-16 surrogate U+D800", S("a\xed\xa0\x80z"), "a\\xED\\xA0\\x80z"},
	{"UTF-16 surrogate U+DFFF", S("\xed\xbf\xbf"), "\\xED\\xBF\\xBF"},
	{"above U+10FFFF", S("\xf4\x90\x80\x80"), "\\xF4\\x90\\x80\\x80"},
	{"RLO U+202E reorders a nickname", S("nick\xe2\x80\xae" "evil"), "nick\\u202Eevil"},
	{"LRE U+202A", S("\xe2\x80\xaa"), "\\u202A"},
	{"RLE U+202B", S("\xe2\x80\xab"), "\\u202B"},
	{"PDF U+202C", S("\xe2\x80\xac"), "\\u202C"},
	{"LRO U+202D", S("\xe2\x80\xad"), "\\u202D"},
	{"LRI U+2066", S("\xe2\x81\xa6"), "\\u2066"},
	{"RLI U+2067", S("\xe2\x81\xa7"), "\\u2067"},
	{"FSI U+2068", S("\xe2\x81\xa8"), "\\u2068"},
	{"PDI U+2069", S("x\xe2\x81\xa9y"), "x\\u2069y"},
	{"LRM U+200E", S("\xe2\x80\x8e"), "\\u200E"},
	{"RLM U+200F", S("\xe2\x80\x8f"), "\\u200F"},
	{"ALM U+061C", S("\xd8\x9c"), "\\u061C"},
};

/* Neighbours of what is escaped, which must stay as they are. */
static const struct {
	const char *name, *in;
	size_t len;
} term_kept[] = {
	{"U+00A0 after the C1 range", S("\xc2\xa0")},
	{"U+0800, the first 3-byte code point", S("\xe0\xa0\x80")},
	{"U+D7FF below the surrogates", S("\xed\x9f\xbf")},
	{"U+E000 above the surrogates", S("\xee\x80\x80")},
	{"U+10000, the first 4-byte code point", S("\xf0\x90\x80\x80")},
	{"U+10FFFF, the last code point", S("\xf4\x8f\xbf\xbf")},
	{"U+2029 between the bidi ranges", S("\xe2\x80\xa9")},
	{"U+206A after the isolates", S("\xe2\x81\xaa")},
	{"U+200D zero width joiner (emoji sequences)", S("\xe2\x80\x8d")},
	{"Arabic and Hebrew letters", S("\xd8\xb9\xd7\x90")},
};

static const struct {
	const char *name, *in;
	size_t len, want_len, want_bad;
	uint32_t want_cp;
} decode_cases[] = {
	{"2-byte", S("\xc3\xa9"), 2, 0, 0xe9},
	{"C1 is well-formed", S("\xc2\x9b"), 2, 0, 0x9b},
	{"3-byte", S("\xe2\x80\xae"), 3, 0, 0x202e},
	{"4-byte", S("\xf0\x9f\x98\x80"), 4, 0, 0x1f600},
	{"stray continuation", S("\x80"), 0, 1, 0},
	{"C0 lead (overlong 2-byte)", S("\xc0\x9b"), 0, 1, 0},
	{"C1 lead (overlong 2-byte)", S("\xc1\xbf"), 0, 1, 0},
	{"E0 overlong: E0 alone is the subpart", S("\xe0\x82\x9b"), 0, 1, 0},
	{"ED surrogate", S("\xed\xa0\x80"), 0, 1, 0},
	{"F0 overlong", S("\xf0\x8f\xbf\xbf"), 0, 1, 0},
	{"F4 above U+10FFFF", S("\xf4\x90\x80\x80"), 0, 1, 0},
	{"F5 lead", S("\xf5\x80\x80\x80"), 0, 1, 0},
	{"FF", S("\xff"), 0, 1, 0},
	{"truncated 3-byte at the end", S("\xe2\x80"), 0, 2, 0},
	{"truncated 3-byte before ASCII", S("\xe2\x80 "), 0, 2, 0},
	{"truncated 4-byte", S("\xf0\x9f\x98"), 0, 3, 0},
	{"4-byte cut by a bad third byte", S("\xf0\x9f\x41\x80"), 0, 2, 0},
};

/* JSON strings: each line must be valid UTF-8 (Python's json.loads rejects
 * it otherwise) and hide no control. Ill-formed input becomes one \ufffd
 * per maximal subpart, as Python's bytes.decode(errors="replace"). */
static const struct {
	const char *name, *in;
	size_t len;
	const char *want;
} json_cases[] = {
	{"byte FF", S("a\xff" "b"), "a\\ufffdb"},
	{"bytes F5..FE", S("\xf5\xfe"), "\\ufffd\\ufffd"},
	{"overlong CSI", S("\xe0\x82\x9b"), "\\ufffd\\ufffd\\ufffd"},
	{"overlong 2-byte", S("\xc0\xaf"), "\\ufffd\\ufffd"},
	{"surrogate", S("\xed\xa0\x80"), "\\ufffd\\ufffd\\ufffd"},
	{"above U+10FFFF", S("\xf4\x90\x80\x80"), "\\ufffd\\ufffd\\ufffd\\ufffd"},
	{"truncated sequence", S("\xe2\x80 x"), "\\ufffd x"},
	{"truncated at the end", S("x\xf0\x9f\x98"), "x\\ufffd"},
	{"lone continuation bytes", S("\x80\xbf"), "\\ufffd\\ufffd"},
	{"C1 CSI as UTF-8", S("\xc2\x9b" "31m"), "\\u009b31m"},
	{"C1 NEL", S("\xc2\x85"), "\\u0085"},
	{"RLO", S("\xe2\x80\xae"), "\\u202e"},
	{"LRI..PDI", S("\xe2\x81\xa6\xe2\x81\xa9"), "\\u2066\\u2069"},
	{"RLM and ALM", S("\xe2\x80\x8f\xd8\x9c"), "\\u200f\\u061c"},
};

static const char *safe(const char *in, size_t len, struct buf *b)
{
	buf_reset(b);
	term_safe_append(b, in, len, BUF_NOLIMIT);
	return b->p ? b->p : "";
}

/* term_safe_write must give what term_safe_append gives. */
static char *safe_written(const char *in, size_t len)
{
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);
	term_safe_write(f, in, len);
	fclose(f);
	return out;
}

/* The JSON line torsh writes for one message that arrives as `wire`. */
static char *json_of(const char *wire, size_t len, const char *command)
{
	struct reader rd;
	reader_init(&rd, 1 << 24);
	struct renderer r;
	const struct render_opts o = {.fmt = FMT_JSON};
	renderer_init(&r, &o);
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);
	struct tc_msg *m;
	if (reader_feed(&rd, wire, len) == 0 && reader_next(&rd, &m) == 1)
		render(&r, f, m, command ? cmd_find(command, strlen(command)) : NULL, command);
	fclose(f);
	renderer_free(&r);
	reader_free(&rd);
	return out;
}

static void test_term(void)
{
	struct buf b = {0};
	for (size_t i = 0; i < sizeof(term_cases) / sizeof(term_cases[0]); i++) {
		CHECK_STR(safe(term_cases[i].in, term_cases[i].len, &b), term_cases[i].want, "escaped: %s",
			  term_cases[i].name);
		char *w = safe_written(term_cases[i].in, term_cases[i].len);
		CHECK_STR(w, term_cases[i].want, "term_safe_write agrees: %s", term_cases[i].name);
		free(w);
	}
	for (size_t i = 0; i < sizeof(term_kept) / sizeof(term_kept[0]); i++) {
		safe(term_kept[i].in, term_kept[i].len, &b);
		CHECK(b.len == term_kept[i].len && memcmp(b.p, term_kept[i].in, b.len) == 0, "kept: %s",
		      term_kept[i].name);
	}
	buf_free(&b);
	/* found by fuzz_render: reply.c prints the result as a C string */
	struct buf fresh = {0};
	CHECK(term_safe_append(&fresh, "", 0, BUF_NOLIMIT) == 0 && fresh.p && fresh.p[0] == '\0',
	      "nothing appended to a new buffer still makes a C string");
	buf_free(&fresh);
}

/* The escapers go by slices of 4096 bytes and words of 8: a UTF-8
 * sequence across a slice's end stays whole, and a byte to escape is found
 * wherever it falls in a word, the last few bytes of a run included. */
static void test_slices(void)
{
	struct buf b = {0}, want = {0};
	for (size_t k = 4088; k <= 4100; k++) {
		char in[4200];
		memset(in, 'a', k);
		memcpy(in + k, "\xe2\x82\xac\xe2\x80\xae" "bbb", 9);
		buf_reset(&want);
		buf_append(&want, in, k + 3, BUF_NOLIMIT);
		buf_append(&want, "\\u202E", 6, BUF_NOLIMIT);
		buf_append(&want, "bbb", 3, BUF_NOLIMIT);
		CHECK_STR(safe(in, k + 9, &b), want.p, "a sequence at %zu of a long text is kept whole", k);
		char *w = safe_written(in, k + 9);
		CHECK_STR(w, want.p, "term_safe_write agrees at %zu", k);
		free(w);
	}
	for (size_t len = 1; len <= 20; len++) {
		for (size_t j = 0; j < len; j++) {
			char wire[64], text[24], want_j[128];
			for (size_t i = 0; i < len; i++)
				text[i] = (char)('a' + i);
			text[j] = '"';
			snprintf(wire, sizeof(wire), "650 NOTICE %.*s\r\n", (int)len, text);
			snprintf(want_j, sizeof(want_j), "\"Message\":\"%.*s\\\"%.*s\"", (int)j, text, (int)(len - j - 1),
				 text + j + 1);
			char *js = json_of(wire, strlen(wire), NULL);
			CHECK(js && strstr(js, want_j), "a quote at %zu of %zu is escaped: %s", j, len, js ? js : "(none)");
			free(js);
		}
	}
	buf_free(&b);
	buf_free(&want);
}

static void test_decode(void)
{
	for (size_t i = 0; i < sizeof(decode_cases) / sizeof(decode_cases[0]); i++) {
		uint32_t cp = 0;
		size_t bad = 0;
		size_t len = utf8_decode((const unsigned char *)decode_cases[i].in, decode_cases[i].len, &cp, &bad);
		if (decode_cases[i].want_len)
			CHECK(len == decode_cases[i].want_len && cp == decode_cases[i].want_cp,
			      "utf8_decode %s: len %zu, U+%04X", decode_cases[i].name, len, (unsigned)cp);
		else
			CHECK(len == 0 && bad == decode_cases[i].want_bad, "utf8_decode %s: ill-formed, subpart %zu",
			      decode_cases[i].name, bad);
	}
}

static void test_json(void)
{
	for (size_t i = 0; i < sizeof(json_cases) / sizeof(json_cases[0]); i++) {
		char wire[128], want[256];
		int n = snprintf(wire, sizeof(wire), "650 NOTICE %.*s\r\n", (int)json_cases[i].len, json_cases[i].in);
		snprintf(want, sizeof(want), ",\"raw\":\"650 NOTICE %s\"}\n", json_cases[i].want);
		char *out = json_of(wire, (size_t)n, NULL);
		const char *raw = out ? strstr(out, ",\"raw\":") : NULL;
		CHECK_STR(raw, want, "JSON: %s", json_cases[i].name);
		free(out);
	}
}

/* A data block far larger than the JSON writer's chunk comes out whole, its
 * escapes not cut at chunk edges, in "values" and in "raw". */
static void test_json_big_block(void)
{
	const size_t lines = 20000;
	struct buf wire = {0}, val = {0}, raw = {0};
	buf_append(&wire, S("250+k=\r\n"), BUF_NOLIMIT);
	for (size_t i = 0; i < lines; i++) {
		buf_append(&wire, S("..\x01\xff\xe2\x80\xae\"x\r\n"), BUF_NOLIMIT);
		buf_append(&val, S(".\\u0001\\ufffd\\u202e\\\"x\\n"), BUF_NOLIMIT);
		buf_append(&raw, S("\\n..\\u0001\\ufffd\\u202e\\\"x"), BUF_NOLIMIT);
	}
	buf_append(&wire, S(".\r\n250 OK\r\n"), BUF_NOLIMIT);
	char *out = json_of(wire.p, wire.len, "GETINFO");
	struct buf want = {0};
	buf_printf(&want, BUF_NOLIMIT,
		   "{\"type\":\"reply\",\"command\":\"GETINFO\",\"code\":250,\"ok\":true,\"values\":{\"k\":\"%s\"},"
		   "\"lines\":[\"k=\",\"OK\"],\"raw\":\"250+k=%s\\n.\\n250 OK\"}\n",
		   val.p, raw.p);
	CHECK(out && strcmp(out, want.p) == 0, "a %zu-byte data block in JSON, whole (%zu bytes of JSON)", wire.len,
	      out ? strlen(out) : 0);
	free(out);
	buf_free(&want);
	buf_free(&wire);
	buf_free(&val);
	buf_free(&raw);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Repeated names become arrays in order of first appearance; finding them
 * must not compare every line with every other (a hostile reply of 50,000
 * distinct keys took over 10 s, a 1 MB one minutes). */
static void test_json_names(void)
{
	char *out = json_of(S("250-a=1\r\n250-b=2\r\n250-a=3\r\n250-c=4\r\n250-b=5\r\n250-a=6\r\n250 OK\r\n"), "GETINFO");
	const char *v = out ? strstr(out, "\"values\":") : NULL, *want = "\"values\":{\"a\":[\"1\",\"3\",\"6\"],\"b\":[\"2\",\"5\"],\"c\":\"4\"},";
	CHECK(v && strncmp(v, want, strlen(want)) == 0,
	      "repeated keys: arrays, first-appearance order: %.60s", v ? v : "(none)");
	free(out);
	out = json_of(S("650-CONF_CHANGED\r\n650-X=1\r\n650-Y\r\n650-X=2\r\n650 OK\r\n"), NULL);
	v = out ? strstr(out, "\"fields\":") : NULL;
	want = "\"fields\":{\"X\":[\"1\",\"2\"],\"Y\":null},";
	CHECK(v && strncmp(v, want, strlen(want)) == 0,
	      "repeated event fields: an array: %.40s", v ? v : "(none)");
	free(out);

	struct buf wire = {0};
	for (int i = 0; i < 50000; i++)
		buf_printf(&wire, BUF_NOLIMIT, "250-key%d=v\r\n", i);
	buf_append(&wire, S("250 OK\r\n"), BUF_NOLIMIT);
	double t0 = now_s();
	out = json_of(wire.p, wire.len, "GETINFO");
	double took = now_s() - t0;
	CHECK(out && strstr(out, "\"key49999\":\"v\"}") && took < 3.0, "50,000 distinct keys in %.2f s", took);
	free(out);
	buf_reset(&wire);
	buf_append(&wire, S("650 CONF_CHANGED"), BUF_NOLIMIT);
	for (int i = 0; i < 50000; i++)
		buf_printf(&wire, BUF_NOLIMIT, " k%d=v", i);
	buf_append(&wire, S("\r\n"), BUF_NOLIMIT);
	t0 = now_s();
	out = json_of(wire.p, wire.len, NULL);
	took = now_s() - t0;
	CHECK(out && strstr(out, "\"k49999\":\"v\"}") && took < 3.0, "an event of 50,000 fields in %.2f s", took);
	free(out);
	buf_free(&wire);
}

int main(void)
{
	test_decode();
	test_term();
	test_slices();
	test_json();
	test_json_big_block();
	test_json_names();
	return tap_done();
}
