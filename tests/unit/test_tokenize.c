/* The tokenizer (src/tokenize.h), table-driven, against the argument
 * grammar of the protocol digest (../shared/spec/control-protocol.md §1.3,
 * §1.4): bare words, KEY=VALUE, KEY="C string" (SETCONF), "QuotedString"
 * (AUTHENTICATE), raw spans for carets, and the flags the command parsers
 * rely on to refuse injection (CR/LF/NUL, stray quotes, decoded NULs). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tokenize.h"
#include "tap.h"

/* One token as "OFF+LEN KEY=VALUE {flags}": KEY= only with has_eq, the value
 * decoded with control bytes as \xHH, flags q (quoted), 0 (has_nul),
 * c (has_ctl), " (has_quote_char). Tokens are joined by " | ". */
static void render(const char *line, const struct toklist *l, char *out, size_t cap)
{
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < l->n && o + 1 < cap; i++) {
		const struct tok *t = &l->v[i];
		o += (size_t)snprintf(out + o, cap - o, "%s%zu+%zu ", i ? " | " : "", t->off, t->len);
		if (t->has_eq && o + 1 < cap)
			o += (size_t)snprintf(out + o, cap - o, "%.*s=", (int)t->key_len, line + t->off);
		for (size_t k = 0; k < t->val_len && o + 5 < cap; k++) {
			unsigned char c = (unsigned char)t->val[k];
			if (c < 0x20 || c >= 0x7f)
				o += (size_t)snprintf(out + o, cap - o, "\\x%02X", c);
			else
				out[o++] = (char)c;
		}
		if ((t->quoted || t->has_nul || t->has_ctl || t->has_quote_char) && o + 8 < cap) {
			out[o++] = ' ';
			out[o++] = '{';
			if (t->quoted)
				out[o++] = 'q';
			if (t->has_nul)
				out[o++] = '0';
			if (t->has_ctl)
				out[o++] = 'c';
			if (t->has_quote_char)
				out[o++] = '"';
			out[o++] = '}';
		}
		out[o < cap ? o : cap - 1] = '\0';
	}
}

enum mode { CSTR, QSTR, PARTIAL };

struct row {
	enum mode mode;
	const char *in;
	size_t len;        /* 0: strlen(in) */
	const char *want;  /* rendered tokens, or for errors "ERR <0-based col>: <message substring>" */
};

#define C(i, w) {CSTR, i, 0, w}
#define Q(i, w) {QSTR, i, 0, w}
#define P(i, w) {PARTIAL, i, 0, w}
#define CN(i, w) {CSTR, i, sizeof(i) - 1, w}

static const struct row rows[] = {
	/* words and separators: SP and TAB, runs collapse */
	C("", ""),
	C("   \t ", ""),
	C("GETINFO", "0+7 GETINFO"),
	C("GETINFO version", "0+7 GETINFO | 8+7 version"),
	C("GETINFO  version\tprocess/pid ", "0+7 GETINFO | 9+7 version | 17+11 process/pid"),
	C("  QUIT", "2+4 QUIT"),
	/* '$', '*', '~', ',' and ':' are literal */
	C("EXTENDCIRCUIT 0 $AB~n,*x:1", "0+13 EXTENDCIRCUIT | 14+1 0 | 16+10 $AB~n,*x:1"),
	/* KEY=VALUE: split at the first '=' only */
	C("SETCONF A=b", "0+7 SETCONF | 8+3 A=b"),
	C("SETCONF A=b=c", "0+7 SETCONF | 8+5 A=b=c"),
	C("SETCONF A=", "0+7 SETCONF | 8+2 A="),
	C("SETCONF =x", "0+7 SETCONF | 8+2 =x"),
	C("X A==b", "0+1 X | 2+4 A==b"),
	/* quoted values: one token, spaces kept, raw span covers the quotes */
	C("SETCONF A=\"x y\"", "0+7 SETCONF | 8+7 A=x y {q}"),
	C("SETCONF A=\"x SocksPort=1\" B=2", "0+7 SETCONF | 8+17 A=x SocksPort=1 {q} | 26+3 B=2"),
	C("SETCONF A=\"\"", "0+7 SETCONF | 8+4 A= {q}"),
	C("X \"a=b c\"", "0+1 X | 2+7 a=b c {q}"),
	C("X \"\"", "0+1 X | 2+2  {q}"),
	C("X \"a\tb\"", "0+1 X | 2+5 a\\x09b {q}"),
	/* a '"' is a quote only at the token's start or right after the first '=' */
	C("X a\"b", "0+1 X | 2+3 a\"b {\"}"),
	C("X A=b\"c d\"", "0+1 X | 2+5 A=b\"c {\"} | 8+2 d\" {\"}"),
	/* CString escapes (SETCONF): \n \r \t \" \\ \' \xHH \ooo */
	C("X A=\"\\n\\r\\t\"", "0+1 X | 2+10 A=\\x0A\\x0D\\x09 {q}"),
	C("X A=\"\\\"\\\\\\'\"", "0+1 X | 2+10 A=\"\\' {q}"),
	C("X A=\"\\x41\\x6a\\x7E\"", "0+1 X | 2+16 A=Aj~ {q}"),
	C("X A=\"\\101\\60\\0619\"", "0+1 X | 2+16 A=A019 {q}"),
	C("X A=\"a\\0b\"", "0+1 X | 2+8 A=a\\x00b {q0}"),
	C("X A=\"\\x00\"", "0+1 X | 2+8 A=\\x00 {q0}"),
	C("X A=\"\\377\"", "0+1 X | 2+8 A=\\xFF {q}"),
	C("X A=\"\\q\"", "ERR 5: bad escape in quoted string"),
	C("X A=\"\\400\"", "ERR 5: bad escape"),
	C("X A=\"\\x4\"", "ERR 5: bad escape"),
	C("X A=\"\\xg0\"", "ERR 5: bad escape"),
	C("X A=\"\\8\"", "ERR 5: bad escape"),
	/* QuotedString (AUTHENTICATE): \X is X, nothing else is special */
	Q("AUTHENTICATE \"a\\nb\\\"c\\\\\"", "0+12 AUTHENTICATE | 13+11 anb\"c\\ {q}"),
	Q("AUTHENTICATE \"\\q\\0\\x41\"", "0+12 AUTHENTICATE | 13+10 q0x41 {q}"),
	Q("AUTHENTICATE \"a b\"", "0+12 AUTHENTICATE | 13+5 a b {q}"),
	/* unterminated quotes and text after the closing quote */
	C("SETCONF A=\"abc", "ERR 10: unterminated quoted string"),
	C("X \"abc\\\"", "ERR 2: unterminated quoted string"),
	Q("AUTHENTICATE \"pw", "ERR 13: unterminated quoted string"),
	C("SETCONF A=\"a\"b", "ERR 13: unexpected text after closing quote"),
	C("SETCONF \"A\"=b", "ERR 11: unexpected text after closing quote"),
	Q("AUTHENTICATE \"a\"\"b\"", "ERR 16: unexpected text after closing quote"),
	/* CR, LF, NUL in the raw span are flagged (never separators) */
	C("GETINFO a\rb", "0+7 GETINFO | 8+3 a\\x0Db {c}"),
	C("SETCONF A=x\nQUIT", "0+7 SETCONF | 8+8 A=x\\x0AQUIT {c}"),
	C("SETCONF A=\"x\r\ny\"", "0+7 SETCONF | 8+8 A=x\\x0D\\x0Ay {qc}"),
	CN("GETINFO a\0b", "0+7 GETINFO | 8+3 a\\x00b {0c}"),
	/* partial (completion): an open quote at the end is not an error */
	P("SETCONF ContactInfo=\"abc de", "0+7 SETCONF | 8+19 ContactInfo=abc de {q}"),
	P("GETINFO \"ver", "0+7 GETINFO | 8+4 ver {q}"),
	P("SETCONF A=\"x\"y", "0+7 SETCONF | 8+5 A=x {q} | 13+1 y"),
	P("SETCONF A=\"\\q", "0+7 SETCONF | 8+5 A= {q}"),
	P("GETINFO ", "0+7 GETINFO"),
};

int main(void)
{
	char got[1024];
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		size_t len = r->len ? r->len : strlen(r->in);
		struct toklist l;
		struct tok_error e = {0};
		int rc = 0;
		memset(&l, 0x5a, sizeof(l));
		if (r->mode == PARTIAL)
			tok_split_partial(r->in, len, &l);
		else
			rc = tok_split(r->in, len, r->mode == QSTR ? TOK_QSTRING : TOK_CSTRING, &l, &e);
		if (rc < 0) {
			snprintf(got, sizeof(got), "ERR %zu: %s", e.col, e.msg);
			/* on error the list is empty and owns nothing */
			if (l.n != 0 || l.v != NULL)
				snprintf(got, sizeof(got), "ERR with %zu tokens left", l.n);
		} else {
			render(r->in, &l, got, sizeof(got));
		}
		bool ok;
		if (strncmp(r->want, "ERR ", 4) == 0) {
			/* "ERR 5: msg" matches when the column is equal and msg is a prefix */
			ok = rc < 0 && strncmp(got, r->want, strlen(r->want)) == 0;
		} else {
			ok = rc == 0 && strcmp(got, r->want) == 0;
		}
		char desc[200];
		size_t d = 0;
		for (size_t k = 0; k < len && d + 5 < sizeof(desc); k++) {
			unsigned char c = (unsigned char)r->in[k];
			if (c < 0x20)
				d += (size_t)snprintf(desc + d, sizeof(desc) - d, "\\x%02X", c);
			else
				desc[d++] = (char)c;
		}
		desc[d] = '\0';
		CHECK(ok, "%s '%s' -> %s", r->mode == QSTR ? "qstring" : r->mode == PARTIAL ? "partial" : "cstring", desc,
		      r->want);
		if (!ok)
			printf("#   got: %s\n", got);
		if (rc == 0)
			toklist_free(&l);
	}
	/* toklist_free leaves an empty list, safe to free again */
	struct toklist l;
	struct tok_error e;
	CHECK(tok_split("A B", 3, TOK_CSTRING, &l, &e) == 0 && l.n == 2, "two tokens");
	toklist_free(&l);
	CHECK(l.n == 0 && l.v == NULL, "toklist_free empties the list");
	toklist_free(&l);
	/* only `len` bytes are read */
	CHECK(tok_split("GETINFO version", 7, TOK_CSTRING, &l, &e) == 0 && l.n == 1 && l.v[0].len == 7,
	      "the length bounds the line");
	toklist_free(&l);
	return tap_done();
}
