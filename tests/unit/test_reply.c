/* Framing: every shape of reply and event tor sends, fed whole and one byte
 * at a time, plus the malformed input a hostile peer could send. */
#include <stdlib.h>

#include "reply.h"
#include "tap.h"

/* Feeds `in` in chunks of `step` bytes; collects "E|R code nlines" per message
 * and the text/data of every line into a transcript string. */
static int run(const char *in, size_t len, size_t step, struct buf *out, char *err, size_t errlen)
{
	struct reader r;
	reader_init(&r, 1 << 20);
	int rc = 0;
	for (size_t off = 0; off < len && rc == 0; off += step) {
		size_t n = len - off < step ? len - off : step;
		if (reader_feed(&r, in + off, n) < 0) {
			rc = -1;
			break;
		}
		struct tc_msg *m;
		int k;
		while ((k = reader_next(&r, &m)) > 0) {
			buf_printf(out, BUF_NOLIMIT, "%c%d:", m->event ? 'E' : 'R', m->code);
			for (size_t i = 0; i < m->nlines; i++) {
				size_t tl, dl;
				const char *t = msg_text(m, i, &tl);
				buf_printf(out, BUF_NOLIMIT, "[%c%.*s]", m->lines[i].sep, (int)tl, t);
				const char *d = msg_data(m, i, &dl);
				if (d)
					buf_printf(out, BUF_NOLIMIT, "{%.*s}", (int)dl, d);
			}
			buf_putc(out, ';', BUF_NOLIMIT);
		}
		if (k < 0)
			rc = -1;
	}
	snprintf(err, errlen, "%s", r.err);
	reader_free(&r);
	return rc;
}

static void wire_piece(void *ud, const char *p, size_t n, bool eol)
{
	buf_append(ud, p, n, BUF_NOLIMIT);
	if (eol)
		buf_append(ud, "\r\n", 2, BUF_NOLIMIT);
}

/* Every message of `in` written back out by msg_to_wire, from a msg_copy
 * of it (the reader's own message is reused for the next one). */
static void rewire(const char *in, struct buf *out)
{
	struct reader r;
	struct tc_msg *m, copy = {0};
	reader_init(&r, 1 << 20);
	reader_feed(&r, in, strlen(in));
	while (reader_next(&r, &m) > 0)
		if (msg_copy(&copy, m) == 0)
			msg_to_wire(&copy, wire_piece, out);
	msg_free(&copy);
	reader_free(&r);
}

/* Canonical wire text (CRLF, stuffed dots) comes back byte for byte. */
static void check_to_wire(void)
{
	static const char *const canon[] = {
		"250 OK\r\n",
		"250-version=0.4.9.11\r\n250 OK\r\n",
		"250+config-text=\r\nA 1\r\n..B\r\n\r\n.\r\n250 OK\r\n",
		"250+k=\r\n.\r\n250 OK\r\n",
		"250+a=\r\nx\r\n.\r\n250+b=\r\ny\r\n.\r\n250 OK\r\n",
		"650-CONF_CHANGED\r\n650-SocksPort=0\r\n650 OK\r\n",
		"650+NS\r\nr x\r\n.\r\n650 OK\r\n",
		"512-syntax\r\n250 a=b\r\n",
		"250+k=\r\n..\r\n...x\r\n.\r\n250 OK\r\n650 BW 1 2\r\n",
	};
	for (size_t i = 0; i < sizeof(canon) / sizeof(canon[0]); i++) {
		struct buf out = {0};
		rewire(canon[i], &out);
		CHECK_STR(out.p ? out.p : "", canon[i], "msg_to_wire gives back case %zu", i);
		buf_free(&out);
	}
}

struct ok_case {
	const char *name, *in, *want;
};

static const struct ok_case ok_cases[] = {
	{"single end line", "250 OK\r\n", "R250:[ OK];"},
	{"mid lines", "250-version=0.4.9.11\r\n250 OK\r\n", "R250:[-version=0.4.9.11][ OK];"},
	{"bare LF accepted", "250-a=1\n250 OK\n", "R250:[-a=1][ OK];"},
	{"stray CRs stripped at end", "250 OK\r\r\n", "R250:[ OK];"},
	{"data block with dot-unstuffing", "250+config-text=\r\nA 1\r\n..B\r\n.\r\n250 OK\r\n",
	 "R250:[+config-text=]{A 1\n.B\n}[ OK];"},
	{"data block lone CR kept inside", "250+k=\r\na\rb\r\n.\r\n250 OK\r\n", "R250:[+k=]{a\rb\n}[ OK];"},
	{"empty data block", "250+k=\r\n.\r\n250 OK\r\n", "R250:[+k=]{}[ OK];"},
	{"two data blocks", "250+a=\r\nx\r\n.\r\n250+b=\r\ny\r\n.\r\n250 OK\r\n", "R250:[+a=]{x\n}[+b=]{y\n}[ OK];"},
	{"event alone", "650 SIGNAL NEWNYM\r\n", "E650:[ SIGNAL NEWNYM];"},
	{"event before reply", "650 BW 1 2\r\n250 OK\r\n", "E650:[ BW 1 2];R250:[ OK];"},
	{"event inside a reply", "250-a=1\r\n650 BW 1 2\r\n250 OK\r\n", "E650:[ BW 1 2];R250:[-a=1][ OK];"},
	{"multi-line event", "650-CONF_CHANGED\r\n650-SocksPort=0\r\n650 OK\r\n",
	 "E650:[-CONF_CHANGED][-SocksPort=0][ OK];"},
	{"event with data block", "650+NS\r\nr x\r\n.\r\n650 OK\r\n", "E650:[+NS]{r x\n}[ OK];"},
	{"mixed codes (MAPADDRESS)", "512-syntax\r\n250 a=b\r\n", "R250:[-syntax][ a=b];"},
	{"error reply", "552 Unrecognized key \"foo\"\r\n", "R552:[ Unrecognized key \"foo\"];"},
	{"status line of 4 bytes", "250 \r\n", "R250:[ ];"},
	{"data line that is '..' only", "250+k=\r\n..\r\n.\r\n250 OK\r\n", "R250:[+k=]{.\n}[ OK];"},
	{"dot inside data not a terminator", "250+k=\r\n.x\r\n.\r\n250 OK\r\n", "R250:[+k=]{x\n}[ OK];"},
	{"650 line inside a data block is data", "250+k=\r\n650 BW 1 1\r\n.\r\n250 OK\r\n",
	 "R250:[+k=]{650 BW 1 1\n}[ OK];"},
	{"two replies back to back", "250 OK\r\n251 Nothing\r\n", "R250:[ OK];R251:[ Nothing];"},
	{"8-bit text passes", "250 caf\xc3\xa9\r\n", "R250:[ caf\xc3\xa9];"},
};

static const struct {
	const char *name, *in, *errpart;
} bad_cases[] = {
	{"no code", "OK\r\n", "expected a 3-digit code"},
	{"bad separator", "250*OK\r\n", "expected a 3-digit code"},
	{"code only", "250\r\n", "expected a 3-digit code"},
	{"letters in code", "2x0 OK\r\n", "expected a 3-digit code"},
	{"code 099", "099 OK\r\n", "out of range"},
	{"empty line", "\r\n", "expected a 3-digit code"},
	{"NUL in status line", "250 O\0K\r\n", "NUL byte"},
	{"NUL in data", "250+k=\r\na\0b\r\n.\r\n250 OK\r\n", "NUL byte"},
	{"ESC in malformed line is escaped in the error", "\033[31mred\r\n", "\\e[31mred"},
};

int main(void)
{
	char err[256];
	check_to_wire();
	for (size_t i = 0; i < sizeof(ok_cases) / sizeof(ok_cases[0]); i++) {
		const struct ok_case *c = &ok_cases[i];
		size_t len = strlen(c->in);
		struct buf whole = {0}, bytewise = {0};
		int rc1 = run(c->in, len, len, &whole, err, sizeof(err));
		int rc2 = run(c->in, len, 1, &bytewise, err, sizeof(err));
		CHECK(rc1 == 0 && rc2 == 0, "%s: parses", c->name);
		CHECK_STR(whole.p, c->want, "%s: whole", c->name);
		CHECK_STR(bytewise.p, c->want, "%s: byte at a time", c->name);
		buf_free(&whole);
		buf_free(&bytewise);
	}
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const char *in = bad_cases[i].in;
		/* the NUL cases have explicit lengths */
		size_t len = strlen(in);
		if (strstr(bad_cases[i].name, "NUL"))
			len = strlen(in) + 1 + strlen(in + strlen(in) + 1);
		struct buf out = {0};
		int rc = run(in, len, len, &out, err, sizeof(err));
		CHECK(rc < 0, "%s: protocol error", bad_cases[i].name);
		CHECK(strstr(err, bad_cases[i].errpart) != NULL, "%s: message names the problem (%s)",
		      bad_cases[i].name, err);
		CHECK(strchr(err, '\033') == NULL, "%s: no raw ESC in the message", bad_cases[i].name);
		buf_free(&out);
	}

	/* Limits: a line longer than the limit fails cleanly, without a line end. */
	{
		struct reader r;
		reader_init(&r, 1000);
		char big[600];
		memset(big, 'x', sizeof(big));
		int a = reader_feed(&r, "250-", 4), b = reader_feed(&r, big, sizeof(big));
		int c = reader_feed(&r, big, sizeof(big));
		CHECK(a == 0 && b == 0 && c < 0, "an endless line hits the limit");
		CHECK(strstr(r.err, "exceeds 1000 bytes") != NULL, "limit message: %s", r.err);
		reader_free(&r);
	}
	{
		struct reader r;
		reader_init(&r, 1000);
		reader_feed(&r, "250+k=\r\n", 8);
		struct tc_msg *m;
		int rc = 0;
		char line[102];
		memset(line, 'y', 100);
		line[100] = '\r';
		line[101] = '\n';
		for (int i = 0; i < 20 && rc == 0; i++) {
			reader_feed(&r, line, sizeof(line));
			rc = reader_next(&r, &m);
		}
		CHECK(rc < 0 && strstr(r.err, "exceeds") != NULL, "a data block larger than the limit fails: %s", r.err);
		reader_free(&r);
	}
	/* A large block (8 MB) in 64 KiB reads parses and keeps every byte. */
	{
		struct reader r;
		reader_init(&r, (size_t)64 << 20);
		struct buf in = {0};
		buf_append(&in, "250+ns/all=\r\n", 13, BUF_NOLIMIT);
		size_t lines = 80000;
		for (size_t i = 0; i < lines; i++)
			buf_printf(&in, BUF_NOLIMIT, "%s%099zu\r\n", i % 7 == 0 ? ".." : "", i);
		buf_append(&in, ".\r\n250 OK\r\n", 11, BUF_NOLIMIT);
		struct tc_msg *m = NULL;
		int got = 0;
		for (size_t off = 0; off < in.len; off += 65536) {
			size_t n = in.len - off < 65536 ? in.len - off : 65536;
			reader_feed(&r, in.p + off, n);
			if (reader_next(&r, &m) > 0)
				got = 1;
		}
		size_t dl = 0;
		if (got)
			msg_data(m, 0, &dl);
		CHECK(got && dl == lines * 100 + (lines + 6) / 7, "8 MB data block assembled (%zu bytes)", dl);
		buf_free(&in);
		reader_free(&r);
	}
	/* In pieces (stream_min): every piece's new wire text, put together,
	 * is the input; the message never holds much; an event between two
	 * blocks comes whole, apart. */
	{
		struct reader r;
		reader_init(&r, (size_t)64 << 20);
		r.stream_min = 65536;
		struct buf in = {0}, out = {0}, events = {0};
		buf_append(&in, "250+ns/all=\r\n", 13, BUF_NOLIMIT);
		for (size_t i = 0; i < 40000; i++)
			buf_printf(&in, BUF_NOLIMIT, "%s%099zu\r\n", i % 7 == 0 ? ".." : "", i);
		buf_append(&in, ".\r\n", 3, BUF_NOLIMIT);
		size_t ev_at = in.len;
		buf_append(&in, "650 BW 1 2\r\n250+md/all=\r\n", 25, BUF_NOLIMIT);
		for (size_t i = 0; i < 30000; i++)
			buf_printf(&in, BUF_NOLIMIT, "m%099zu\r\n", i);
		buf_append(&in, ".\r\n250 OK\r\n", 11, BUF_NOLIMIT);
		size_t pieces = 0, most = 0, finals = 0;
		bool midway = true, ordered = true, whole_headers = false;
		struct tc_msg *m;
		for (size_t off = 0; off < in.len; off += 65536) {
			size_t n = in.len - off < 65536 ? in.len - off : 65536;
			reader_feed(&r, in.p + off, n);
			while (reader_next(&r, &m) > 0) {
				if (m->event) {
					msg_to_wire(m, wire_piece, &events);
					ordered = ordered && off + n > ev_at;
					continue;
				}
				pieces++;
				finals += !m->partial;
				if (!m->partial)
					whole_headers = m->code == 250 && m->nlines == 3 && m->resume == 2;
				most = m->bytes.len > most ? m->bytes.len : most;
				msg_to_wire(m, wire_piece, &out);
				if (m->partial)
					midway = midway && reader_midway(&r);
			}
		}
		/* the event is not part of the reply's text */
		struct buf want = {0};
		buf_append(&want, in.p, ev_at, BUF_NOLIMIT);
		buf_append(&want, in.p + ev_at + 12, in.len - ev_at - 12, BUF_NOLIMIT);
		CHECK(pieces > 20 && finals == 1, "a 7 MB reply comes in pieces (%zu), one final", pieces);
		CHECK(out.len == want.len && memcmp(out.p, want.p, want.len) == 0, "the pieces make the wire text (%zu of %zu)",
		      out.len, want.len);
		CHECK(most < (size_t)256 << 10, "a piece holds little (at most %zu bytes)", most);
		CHECK_STR(events.p, "650 BW 1 2\r\n", "the event between the blocks comes apart");
		CHECK(ordered && midway, "the event in its place; midway between pieces");
		CHECK(whole_headers, "the final piece has every header and the code");
		buf_free(&in);
		buf_free(&out);
		buf_free(&want);
		buf_free(&events);
		reader_free(&r);
	}
	/* The limit holds for the pieces together. */
	{
		struct reader r;
		reader_init(&r, 1000);
		r.stream_min = 200;
		reader_feed(&r, "250+k=\r\n", 8);
		struct tc_msg *m;
		int rc = 0;
		size_t pieces = 0;
		char line[102];
		memset(line, 'y', 100);
		line[100] = '\r';
		line[101] = '\n';
		for (int i = 0; i < 20 && rc >= 0; i++) {
			reader_feed(&r, line, sizeof(line));
			while ((rc = reader_next(&r, &m)) > 0)
				pieces++;
		}
		CHECK(pieces > 0 && rc < 0 && strstr(r.err, "exceeds 1000 bytes") != NULL,
		      "a block in pieces larger than the limit fails (%zu pieces first): %s", pieces, r.err);
		reader_free(&r);
	}
	/* midway: EOF after a partial reply is detectable. */
	{
		struct reader r;
		reader_init(&r, 1000);
		struct tc_msg *m;
		reader_feed(&r, "250-a=1\r\n", 9);
		reader_next(&r, &m);
		CHECK(reader_midway(&r), "partial reply is midway");
		reader_feed(&r, "250 OK\r\n", 8);
		CHECK(reader_next(&r, &m) == 1 && !reader_midway(&r), "complete reply is not midway");
		reader_free(&r);
	}
	return tap_done();
}
