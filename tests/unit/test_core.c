/* Terminal escaping, endpoint parsing and command serialisation. */
#include <stdlib.h>

#include "command.h"
#include "conn.h"
#include "escape.h"
#include "tap.h"

static const char *safe(const char *in, size_t len, struct buf *b)
{
	buf_reset(b);
	term_safe_append(b, in, len, BUF_NOLIMIT);
	return b->p ? b->p : "";
}

/* The prompt's name for an endpoint: short, whatever the path. */
static void check_short_names(void)
{
	static const struct { const char *path, *home, *want; } cases[] = {
		{"/run/tor/control", "/home/u", "tor/control"},
		{"/tmp/torsh-x97fiU/control", NULL, "torsh-x97fiU/control"},
		{"/home/u/.tor/control", "/home/u", "~/.tor/control"},
		{"/home/u/.tor/control", "/home/u/", "~/.tor/control"},
		{"/home/u/control", "/home/u", "~/control"},
		{"/home/u/a/b/control", "/home/u", "b/control"},
		{"/home/ux/s/control", "/home/u", "s/control"},
		{"/tmp/s", "/", "/tmp/s"},
		{"control", "/home/u", "control"},
		{"./x/y/control", "", "y/control"},
	};
	char err[200], out[300];
	struct endpoint ep;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK(endpoint_unix(cases[i].path, &ep, err, sizeof(err)) == 0, "unix %s", cases[i].path);
		endpoint_short_name(&ep, cases[i].home, out, sizeof(out));
		CHECK_STR(out, cases[i].want, "short name of %s (home %s)", cases[i].path,
			  cases[i].home ? cases[i].home : "unset");
	}
	CHECK(endpoint_parse_tcp("[::1]:9051", &ep, err, sizeof(err)) == 0, "tcp endpoint");
	endpoint_short_name(&ep, "/home/u", out, sizeof(out));
	CHECK_STR(out, "[::1]:9051", "a TCP endpoint keeps its whole name");
}

int main(void)
{
	struct buf b = {0};
	CHECK_STR(safe("plain text", 10, &b), "plain text", "printable ASCII unchanged");
	CHECK_STR(safe("\033[2J", 4, &b), "\\e[2J", "ESC escaped");
	CHECK_STR(safe("a\rb\nc", 5, &b), "a\\rb\\nc", "CR LF escaped");
	CHECK_STR(safe("\x07\x7f", 2, &b), "\\x07\\x7F", "BEL and DEL escaped");
	CHECK_STR(safe("a\tb", 3, &b), "a\tb", "tab kept");
	CHECK_STR(safe("caf\xc3\xa9 \xe2\x80\x99", 9, &b), "caf\xc3\xa9 \xe2\x80\x99", "UTF-8 kept");
	CHECK_STR(safe("\xc2\x9b" "31m", 5, &b), "\\u009B31m", "C1 CSI as UTF-8 escaped");
	CHECK_STR(safe("\x9b" "31m", 4, &b), "\\x9B31m", "raw C1 byte escaped");
	CHECK_STR(safe("\xff\xfe", 2, &b), "\\xFF\\xFE", "invalid UTF-8 escaped");
	CHECK_STR(safe("\xe2\x80", 2, &b), "\\xE2\\x80", "truncated UTF-8 escaped");
	CHECK_STR(safe("a\0b", 3, &b), "a\\x00b", "NUL escaped");

	struct endpoint ep;
	char err[200];
	CHECK(endpoint_parse_tcp("9051", &ep, err, sizeof(err)) == 0, "bare port");
	CHECK_STR(ep.display, "127.0.0.1:9051", "bare port means 127.0.0.1");
	CHECK(endpoint_parse_tcp("[::1]:9051", &ep, err, sizeof(err)) == 0, "IPv6 in brackets");
	CHECK_STR(ep.host, "::1", "IPv6 host without brackets");
	CHECK_STR(ep.display, "[::1]:9051", "IPv6 display");
	CHECK(endpoint_parse_tcp("localhost:9151", &ep, err, sizeof(err)) == 0, "hostname");
	CHECK_STR(ep.host, "localhost", "hostname kept");
	CHECK(endpoint_parse_tcp("::1:9051", &ep, err, sizeof(err)) < 0 && strstr(err, "brackets"), "bare IPv6: %s", err);
	CHECK(endpoint_parse_tcp("127.0.0.1:0", &ep, err, sizeof(err)) < 0 && strstr(err, "1-65535"), "port 0: %s", err);
	CHECK(endpoint_parse_tcp("127.0.0.1:65536", &ep, err, sizeof(err)) < 0, "port 65536");
	CHECK(endpoint_parse_tcp("127.0.0.1:90x1", &ep, err, sizeof(err)) < 0, "port with letters");
	CHECK(endpoint_parse_tcp(":9051", &ep, err, sizeof(err)) < 0, "empty host");
	CHECK(endpoint_parse_tcp("[::1]9051", &ep, err, sizeof(err)) < 0, "bracket without colon");
	CHECK(endpoint_unix("/run/tor/control", &ep, err, sizeof(err)) == 0 && ep.kind == EP_UNIX, "unix path");
	check_short_names();
	char longpath[200];
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[199] = '\0';
	CHECK(endpoint_unix(longpath, &ep, err, sizeof(err)) < 0 && strstr(err, "too long"), "long unix path");

	unsetenv("TOR_CONTROL_IPC_PATH");
	unsetenv("TOR_CONTROL_HOST");
	unsetenv("TOR_CONTROL_PORT");
	struct candidates c;
	CHECK(candidates_default(&c, err, sizeof(err)) == 0 && c.n == 4, "four default candidates");
	CHECK_STR(c.ep[0].display, "/run/tor/control", "first default");
	CHECK_STR(c.ep[3].display, "127.0.0.1:9151", "last default");
	setenv("TOR_CONTROL_PORT", "9999", 1);
	CHECK(candidates_default(&c, err, sizeof(err)) == 0 && c.n == 1, "env port replaces defaults");
	CHECK_STR(c.ep[0].display, "127.0.0.1:9999", "env port on 127.0.0.1");
	setenv("TOR_CONTROL_HOST", "::1", 1);
	setenv("TOR_CONTROL_IPC_PATH", "/tmp/s", 1);
	CHECK(candidates_default(&c, err, sizeof(err)) == 0 && c.n == 2, "ipc then host/port");
	CHECK_STR(c.ep[0].display, "/tmp/s", "ipc first");
	CHECK_STR(c.ep[1].display, "[::1]:9999", "bare IPv6 host from env");
	setenv("TOR_CONTROL_PORT", "x", 1);
	CHECK(candidates_default(&c, err, sizeof(err)) < 0 && strstr(err, "TOR_CONTROL_PORT"), "bad env port: %s", err);

	struct buf wire = {0}, e = {0};
	CHECK(command_prepare("GETINFO version", 15, NULL, 0, false, &wire, &e) == 0, "plain command");
	CHECK_STR(wire.p, "GETINFO version\r\n", "CRLF appended");
	static const struct { const char *name; const char *in; size_t len; const char *err; } refuse[] = {
		{"LF", "SETCONF a=b\nSIGNAL HALT", 23, "line feed"},
		{"CR", "GETINFO a\rb", 11, "carriage return"},
		{"NUL", "SETCONF ContactInfo=ab\0cd MaxCircuitDirtiness=800", 49, "NUL"},
		{"leading space", " GETINFO version", 16, "leading whitespace"},
		{"empty", "", 0, "empty"},
	};
	for (size_t i = 0; i < sizeof(refuse) / sizeof(refuse[0]); i++) {
		buf_reset(&e);
		int rc = command_prepare(refuse[i].in, refuse[i].len, NULL, 0, false, &wire, &e);
		CHECK(rc < 0 && wire.len == 0, "%s refused, nothing serialised", refuse[i].name);
		CHECK(e.p && strstr(e.p, refuse[i].err) && strstr(e.p, "nothing was sent"), "%s: %s", refuse[i].name, e.p);
	}
	const char body[] = "DisableNetwork 1\n.\n..x\r\nlast";
	CHECK(command_prepare("+LOADCONF", 9, body, sizeof(body) - 1, true, &wire, &e) == 0, "body command");
	CHECK_STR(wire.p, "+LOADCONF\r\nDisableNetwork 1\r\n..\r\n...x\r\nlast\r\n.\r\n", "body CRLF, dot-stuffed, terminated");
	buf_reset(&e);
	CHECK(command_prepare("+LOADCONF", 9, "a\0b", 3, true, &wire, &e) < 0 && wire.len == 0, "NUL in body refused");
	char *huge = malloc(COMMAND_MAX_WIRE + 10);
	memset(huge, 'a', COMMAND_MAX_WIRE + 9);
	memcpy(huge, "GETINFO ", 8);
	buf_reset(&e);
	CHECK(command_prepare(huge, COMMAND_MAX_WIRE + 9, NULL, 0, false, &wire, &e) < 0 && strstr(e.p, "1 MiB"),
	      "over 1 MiB refused");
	free(huge);
	buf_free(&wire);
	buf_free(&e);
	buf_free(&b);
	return tap_done();
}
