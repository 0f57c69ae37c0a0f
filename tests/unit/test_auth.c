/* SAFECOOKIE arithmetic against the digest's vector, PROTOCOLINFO parsing,
 * and the cookie file diagnostics. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth.h"
#include "encode.h"
#include "tap.h"

static void feed_msg(struct reader *r, const char *text, struct tc_msg **m)
{
	reader_feed(r, text, strlen(text));
	if (reader_next(r, m) != 1)
		*m = NULL;
}

int main(void)
{
	uint8_t cookie[32], cn[32], sn[32], sh[32], ch[32];
	for (int i = 0; i < 32; i++) {
		cookie[i] = (uint8_t)i;
		cn[i] = (uint8_t)(0x20 + i);
		sn[i] = (uint8_t)(0x40 + i);
	}
	safecookie_hashes(cookie, cn, 32, sn, sh, ch);
	char hex[65];
	hex_encode(sh, 32, hex);
	CHECK_STR(hex, "3C8780AB52365C0D080750447E5F64DABC00428C6C434579C2043E18C1F85389", "server hash vector");
	hex_encode(ch, 32, hex);
	CHECK_STR(hex, "B47642DF2D5ABB84F69E6D02D41BED6B44AEE33E69562528A82166FC98BC0B1E", "client hash vector");
	sn[0] ^= 1;
	uint8_t sh2[32], ch2[32];
	safecookie_hashes(cookie, cn, 32, sn, sh2, ch2);
	CHECK(memcmp(sh, sh2, 32) != 0 && memcmp(ch, ch2, 32) != 0, "server nonce changes both hashes");

	uint8_t bytes[4];
	CHECK(hex_decode("00fFa0", 6, bytes, 3) == 0 && bytes[1] == 0xff && bytes[2] == 0xa0, "hex decode, mixed case");
	CHECK(hex_decode("0g", 2, bytes, 1) < 0, "hex decode refuses non-hex");
	CHECK(hex_decode("abc", 3, bytes, 2) < 0, "hex decode refuses the wrong length");

	struct reader r;
	reader_init(&r, 1 << 16);
	struct tc_msg *m;
	struct protocolinfo pi;
	struct buf err = {0};
	feed_msg(&r, "250-PROTOCOLINFO 1\r\n250-AUTH METHODS=COOKIE,SAFECOOKIE,HASHEDPASSWORD "
		     "COOKIEFILE=\"/var/lib/tor/a \\\"b\\\"\\\\c\\303\\251\"\r\n250-VERSION Tor=\"0.4.9.11\"\r\n250 OK\r\n", &m);
	CHECK(m && protocolinfo_parse(m, &pi, &err) == 0, "protocolinfo parses");
	CHECK(pi.methods == (AUTH_COOKIE | AUTH_SAFECOOKIE | AUTH_HASHEDPASSWORD), "methods");
	CHECK_STR(pi.cookiefile, "/var/lib/tor/a \"b\"\\c\xc3\xa9", "COOKIEFILE C-unescaped (octal, quotes, backslash)");
	CHECK_STR(pi.version, "0.4.9.11", "version");

	feed_msg(&r, "250-PROTOCOLINFO 1\r\n250-AUTH METHODS=NULL\r\n250-VERSION Tor=\"0.4.9.11\"\r\n"
		     "250-SOMETHINGNEW x=y\r\n250 OK\r\n", &m);
	CHECK(m && protocolinfo_parse(m, &pi, &err) == 0 && pi.methods == AUTH_NULL && !pi.cookiefile[0],
	      "NULL method, unknown line ignored");
	feed_msg(&r, "250-PROTOCOLINFO 1\r\n250-AUTH METHODS=FUTURE,COOKIE COOKIEFILE=/x/y\r\n250 OK\r\n", &m);
	CHECK(m && protocolinfo_parse(m, &pi, &err) == 0 && pi.methods == AUTH_COOKIE,
	      "unknown method kept apart");
	CHECK_STR(pi.unknown_methods, "FUTURE", "unknown method named");
	CHECK_STR(pi.cookiefile, "/x/y", "unquoted cookie file");
	feed_msg(&r, "250-PROTOCOLINFO 1\r\n250 OK\r\n", &m);
	CHECK(m && protocolinfo_parse(m, &pi, &err) < 0 && strstr(err.p, "no AUTH line"), "no AUTH line: %s", err.p);
	buf_reset(&err);
	feed_msg(&r, "250-AUTH METHODS=COOKIE COOKIEFILE=\"/never/closed\r\n250 OK\r\n", &m);
	CHECK(m && protocolinfo_parse(m, &pi, &err) < 0 && strstr(err.p, "unterminated"), "unterminated quote: %s", err.p);
	buf_reset(&err);
	feed_msg(&r, "513 No such version \"x\"\r\n", &m);
	CHECK(m && protocolinfo_parse(m, &pi, &err) < 0 && strstr(err.p, "513"), "error reply: %s", err.p);
	buf_reset(&err);
	feed_msg(&r, "515 \x1b]0;owned\x07\x9b\xc2\x9b" "2J\r\n", &m);
	CHECK(m && protocolinfo_parse(m, &pi, &err) < 0 && !strpbrk(err.p, "\x1b\x07\x9b") &&
	      strstr(err.p, "515 \\e]0;owned"), "error text escaped: %s", err.p);
	buf_reset(&err);
	feed_msg(&r, "250-AUTH METHODS=NULL,X\x1b[2J COOKIEFILE=\"/a\\033]0;t\\007\"\r\n"
		     "250-VERSION Tor=\"0.4\\033[31m\"\r\n250 OK\r\n", &m);
	CHECK(m && protocolinfo_parse(m, &pi, &err) == 0 && strcmp(pi.unknown_methods, "X\x1b[2J") == 0 &&
	      strcmp(pi.cookiefile, "/a\x1b]0;t\x07") == 0 && strcmp(pi.version, "0.4\x1b[31m") == 0,
	      "protocolinfo keeps the raw values (the front end escapes them)");
	buf_free(&err);
	reader_free(&r);

	char dir[] = "/tmp/torsh-test-XXXXXX";
	CHECK(mkdtemp(dir) != NULL, "temp dir");
	char path[64];
	snprintf(path, sizeof(path), "%s/cookie", dir);
	FILE *f = fopen(path, "wb");
	fwrite(cookie, 1, 32, f);
	fclose(f);
	uint8_t got[32];
	struct buf diag = {0};
	CHECK(cookie_read(path, got, &diag) == 0 && memcmp(got, cookie, 32) == 0, "32-byte cookie read");
	f = fopen(path, "ab");
	fputc('x', f);
	fclose(f);
	CHECK(cookie_read(path, got, &diag) < 0 && strstr(diag.p, "33 bytes") && strstr(diag.p, "exactly 32"),
	      "33-byte cookie refused");
	buf_reset(&diag);
	unlink(path);
	CHECK(cookie_read(path, got, &diag) < 0 && strstr(diag.p, "No such file"), "missing cookie");
	buf_reset(&diag);
	CHECK(cookie_read(dir, got, &diag) < 0 && strstr(diag.p, "not a regular file"), "directory as cookie");
	buf_reset(&diag);
	snprintf(path, sizeof(path), "%s/\x1b]0;x\x07", dir);
	CHECK(cookie_read(path, got, &diag) < 0 && !strpbrk(diag.p, "\x1b\x07") && strstr(diag.p, "\\e]0;x"),
	      "the cookie path is escaped in the diagnosis: %s", diag.p);
	buf_free(&diag);
	rmdir(dir);
	return tap_done();
}
