/* Every form of secret the issue-10 probe found leaking, fed through all
 * three places a line can show up (the history decision, /trace of what is
 * typed and of what is sent, the error message), each grepped for the
 * secret text; then +LOADCONF bodies, tor's replies, -c texts and the
 * credential option list, all judged by the one rule in secret.h. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "local.h"
#include "secret.h"
#include "tap.h"
#include "trace.h"

#define ONION "aaaqeayeaudaocajbifqydiob4ibceqtcqkrmfyydenbwha5dyp3kead"
/* base64 of 64 bytes 00..3f (an expanded ed25519 secret key) */
#define ED64 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw=="
/* base64 of 32 bytes 0x64..0x83 (an x25519 private key) */
#define X25519 "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM="

struct form {
	const char *line;   /* as typed */
	const char *secret; /* must appear nowhere */
};

static const struct form forms[] = {
	{"AUTHENTICATE \"plainpw1\"", "plainpw1"},
	{"SETCONF Socks5ProxyPassword=socks5pw1", "socks5pw1"},
	{"SETCONF Socks5ProxyUsername=alice-user Socks5ProxyPassword=x", "alice-user"},
	{"SETCONF HTTPSProxyAuthenticator=user:httpspw1", "httpspw1"},
	{"SETCONF HTTPProxyAuthenticator=user:httppw1", "httppw1"},
	{"SETCONF BridgePassword=bridgepw1", "bridgepw1"},
	{"SETCONF HashedControlPassword=16:HASHEDPW1", "HASHEDPW1"},
	{"SETCONF __HashedControlSessionPassword=16:SESSIONPW1", "SESSIONPW1"},
	{"RESETCONF Socks5ProxyPassword=resetpw1", "resetpw1"},
	{"SETCONF ContactInfo=x Socks5ProxyPassword=\"quoted socks pw\"", "quoted socks pw"},
	{"setconf socks5proxypassword=lowerpw1", "lowerpw1"},
	{"SETCONF HashedControlPassword 16:SPACEDPW1", "SPACEDPW1"},
	{"SETCNF Socks5ProxyPassword=typopw1", "typopw1"},
	{"/RAW AUTHENTICATE \"rawupperpw\"", "rawupperpw"},
	{" /raw AUTHENTICATE \"rawblankpw\"", "rawblankpw"},
	{"/rwa AUTHENTICATE \"rawtypopw\"", "rawtypopw"},
	{"/authenticate \"slashpw1\"", "slashpw1"},
	{"/raw SETCONF HTTPSProxyAuthenticator=u:rawhttpspw", "rawhttpspw"},
	{"/raw\tAUTHENTICATE \"rawtabpw\"", "rawtabpw"},
	{"ADD_ONION \"ED25519-V3:" ED64 "\" Port=80", "AAECAwQFBgcICQoLDA0O"},
	{"ADD_ONION ED25519-V3:" ED64 " Port=80", "AAECAwQFBgcICQoLDA0O"},
	{"ONION_CLIENT_AUTH_ADD " ONION " x25519:" X25519, "ZGVmZ2hpamtsbW5vcHFy"},
	{"AUTHENTICATE\r\"crpw1\"", "crpw1"},
	{"AUTHENTICATE \"cr\rpw2\"", "pw2"},
	{"SETCONF\rSocks5ProxyPassword=crpw3", "crpw3"},
	{"SETCONF ContactInfo=x\rSocks5ProxyPassword=crpw4", "crpw4"},
	{"\rAUTHENTICATE \"crpw5\"", "crpw5"},
	{"AUTHENTICATE \"my pass\" wordpart7", "wordpart7"},
};

static void hex_of(const char *s, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;
	for (; *s && o + 3 < cap; s++) {
		out[o++] = hex[(unsigned char)*s >> 4];
		out[o++] = hex[*s & 15];
	}
	out[o] = '\0';
}

static bool holds(const struct buf *b, const char *needle)
{
	if (b->len == 0)
		return false;
	/* the buffer may hold escaped control bytes, never NULs */
	char *s = strndup(b->p, b->len);
	bool r = strstr(s, needle) != NULL;
	free(s);
	return r;
}

/* What /trace prints for these bytes in this direction, on a fresh tracer. */
static void trace_of(char dir, const char *wire, size_t n, struct buf *out)
{
	struct tracer t = {0};
	buf_reset(out);
	trace_chunk(&t, dir, wire, n, out);
	tracer_free(&t);
}

static void check_form(const struct form *f)
{
	size_t len = strlen(f->line);
	struct command_info info;
	command_inspect(f->line, len, &info);
	CHECK(info.secret, "history: '%s' is kept out", f->secret);

	/* the typed line as if it went on the wire as it is */
	struct buf typed = {0}, out = {0}, wire = {0}, err = {0};
	buf_append(&typed, f->line, len, BUF_NOLIMIT);
	buf_append(&typed, "\r\n", 2, BUF_NOLIMIT);
	trace_of('>', typed.p, typed.len, &out);
	CHECK(!holds(&out, f->secret), "/trace of the typed line hides '%s'", f->secret);
	if (holds(&out, f->secret))
		printf("#   %.*s", (int)out.len, out.p);

	/* what torsh would send, and what it says when it refuses */
	char hex[256];
	hex_of(f->secret, hex, sizeof(hex));
	if (command_prepare(f->line, len, NULL, 0, false, &wire, &err) == 0) {
		trace_of('>', wire.p, wire.len, &out);
		CHECK(!holds(&out, f->secret) && !holds(&out, hex), "/trace of the wire hides '%s' (and its hex)",
		      f->secret);
	} else {
		CHECK(!holds(&err, f->secret), "the error for '%s' does not quote it: %s", f->secret, err.p);
	}
	buf_free(&typed);
	buf_free(&out);
	buf_free(&wire);
	buf_free(&err);
}

/* Refused lines whose message once quoted the secret argument. */
static const struct form error_forms[] = {
	{"ONION_CLIENT_AUTH_ADD " ONION " x25519:badkey!SECRETPART0123456789abcdefghij=", "SECRETPART"},
	{"ONION_CLIENT_AUTH_ADD " ONION " x25519:SHORTSECRETKEY", "SHORTSECRET"},
	{"ADD_ONION ED25519-V3:bad!EDSECRETPART Port=80", "EDSECRETPART"},
	{"ADD_ONION ED25519V3:TYPEDWRONGSECRET Port=80", "TYPEDWRONGSECRET"},
	{"ADD_ONION \"ED25519-V3:QUOTEDSECRET\" Port=80", "QUOTEDSECRET"},
	{"AUTHENTICATE \"pw\" STRAYSECRET", "STRAYSECRET"},
	{"AUTHENTICATE HEXSECRETNOTHEX", "HEXSECRETNOTHEX"},
	{"SETCONF Socks5ProxyPassword=\"BADESC\\qSECRET\"", "BADESC"},
	{"SETCONF Socks5ProxyPassword=\"UNTERMINATEDSECRET", "UNTERMINATEDSECRET"},
	{"ONION_CLIENT_AUTH_ADD " ONION " x25519:" X25519 " STRAYAUTHSECRET", "STRAYAUTHSECRET"},
	/* the second half of a line split by Enter: an unknown command word */
	{"Socks5ProxyPassword=UNKNOWNCMDSECRET", "UNKNOWNCMDSECRET"},
	{"HTTPSProxyAuthenticator=user:UNKNOWNCMD2", "UNKNOWNCMD2"},
	{"/Socks5ProxyPassword=SLASHWORDSECRET", "SLASHWORDSECRET"},
};

static void check_error_form(const struct form *f)
{
	struct buf wire = {0}, err = {0};
	int rc = command_prepare(f->line, strlen(f->line), NULL, 0, false, &wire, &err);
	CHECK(rc < 0 && err.len > 0 && !holds(&err, f->secret), "refused without quoting '%s': %s", f->secret,
	      err.p ? err.p : "(accepted)");
	buf_free(&wire);
	buf_free(&err);
}

/* torsh's own '/' commands name an unknown word in their errors. */
static void check_local_errors(void)
{
	const char *lines[] = {"/Socks5ProxyPassword=LOCALSECRET1", "/help Socks5ProxyPassword=LOCALSECRET2"};
	for (size_t i = 0; i < 2; i++) {
		struct buf err = {0};
		FILE *out = tmpfile();
		int r = local_run(lines[i], strlen(lines[i]), out, &err);
		fclose(out);
		CHECK(r < 0 && err.len > 0 && !holds(&err, "LOCALSECRET"), "'%.20s...' refused without "
		      "quoting the secret: %s", lines[i], err.p ? err.p : "");
		buf_free(&err);
	}
}

/* +LOADCONF bodies as /trace sees them: torrc lines up to ".". */
static void check_bodies(void)
{
	static const char sent[] = "+LOADCONF\r\n"
				   "Socks5ProxyPassword bodypw1\r\n"
				   "  HashedControlPassword 16:BODYHASH1\r\n"
				   "HTTPSProxyAuthenticator=user:bodypw2\r\n"
				   "#Socks5ProxyPassword commentpw1\r\n"
				   "+BridgePassword bodypw3\r\n"
				   "Socks5ProxyPassword part1\\\r\n"
				   "contpw1\r\n"
				   "ContactInfo shown-in-clear\r\n"
				   ".\r\n"
				   "GETINFO version\r\n";
	struct buf out = {0};
	trace_of('>', sent, sizeof(sent) - 1, &out);
	const char *hidden[] = {"bodypw1", "BODYHASH1", "bodypw2", "commentpw1", "bodypw3", "contpw1"};
	for (size_t i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++)
		CHECK(!holds(&out, hidden[i]), "/trace of a +LOADCONF body hides '%s'", hidden[i]);
	CHECK(holds(&out, "> Socks5ProxyPassword [redacted]"), "the option name stays, its value is redacted");
	CHECK(holds(&out, "> ContactInfo shown-in-clear"), "other body lines are shown");
	CHECK(holds(&out, "> GETINFO version"), "after the body, commands are commands again");

	/* the same body as torsh sends it, from the shell and through /raw */
	static const char body[] = "Socks5ProxyPassword preparedpw1\nHashedControlPassword 16:PREPAREDHASH\n";
	const char *lines[] = {"+LOADCONF", "LOADCONF", "/raw +LOADCONF", "/RAW +loadconf"};
	for (size_t i = 0; i < 4; i++) {
		struct buf wire = {0}, err = {0};
		int rc = command_prepare(lines[i], strlen(lines[i]), body, sizeof(body) - 1, true, &wire, &err);
		trace_of('>', wire.p, wire.len, &out);
		CHECK(rc == 0 && !holds(&out, "preparedpw1") && !holds(&out, "PREPAREDHASH"),
		      "/trace of '%s' and its body hides the secrets", lines[i]);
		buf_free(&wire);
		buf_free(&err);
	}
	buf_free(&out);
}

/* What tor sends back: GETCONF, CONF_CHANGED, config-text, keys. */
static void check_replies(void)
{
	static const char recv[] = "250-Socks5ProxyPassword=replypw1\r\n"
				   "250 HashedControlPassword=16:REPLYHASH1\r\n"
				   "650-HTTPSProxyAuthenticator=user:eventpw1\r\n"
				   "650 OK\r\n"
				   "250+config-text=\r\n"
				   "Socks5ProxyPassword configtextpw1\r\n"
				   "ContactInfo visible-contact\r\n"
				   ".\r\n"
				   "250-PrivateKey=ED25519-V3:" ED64 "\r\n"
				   "250-CLIENT " ONION " x25519:" X25519 " ClientName=laptop\r\n"
				   "250 AUTHCHALLENGE SERVERHASH=SERVERHASHPW SERVERNONCE=SERVERNONCEPW\r\n";
	struct buf out = {0};
	trace_of('<', recv, sizeof(recv) - 1, &out);
	const char *hidden[] = {"replypw1", "REPLYHASH1", "eventpw1", "configtextpw1", "AAECAwQFBgcICQoLDA0O",
				"ZGVmZ2hpamtsbW5vcHFy", "SERVERHASHPW", "SERVERNONCEPW"};
	for (size_t i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++)
		CHECK(!holds(&out, hidden[i]), "/trace of tor's replies hides '%s'", hidden[i]);
	CHECK(holds(&out, "< 250-Socks5ProxyPassword=[redacted]"), "a GETCONF reply keeps the option name");
	CHECK(holds(&out, "< ContactInfo visible-contact"), "other config-text lines are shown");
	buf_free(&out);
}

/* The rule itself: offsets, the list of credential options, and what is
 * not a secret. */
static void check_rule(void)
{
	const char *options[] = {"HashedControlPassword", "__HashedControlSessionPassword", "Socks5ProxyUsername",
				 "Socks5ProxyPassword", "HTTPProxyAuthenticator", "HTTPSProxyAuthenticator",
				 "BridgePassword", "socks5proxypassword"};
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		CHECK(secret_option(options[i], strlen(options[i])), "%s holds a credential", options[i]);
	const char *not_options[] = {"Socks5Proxy", "HTTPSProxy", "Bridge", "ContactInfo", "CookieAuthFile",
				     "ClientOnionAuthDir", "Socks5ProxyPasswordX"};
	for (size_t i = 0; i < sizeof(not_options) / sizeof(not_options[0]); i++)
		CHECK(!secret_option(not_options[i], strlen(not_options[i])), "%s holds no credential", not_options[i]);

	struct {
		const char *line;
		size_t want;
	} offsets[] = {
		{"AUTHENTICATE \"pw\"", 13},
		{"AUTHENTICATE", 12},
		{"SETCONF Socks5ProxyPassword=pw", 28},
		{"SETCONF HashedControlPassword 16:00", 30},
		{"ADD_ONION ED25519-V3:abc Port=80", 21},
		{"/raw AUTHENTICATE \"pw\"", 18},
		{"GETINFO version", SECRET_NONE},
		{"SETCONF ContactInfo=x", SECRET_NONE},
		{"ADD_ONION NEW:ED25519-V3 Port=80,unix:/run/x", SECRET_NONE},
		{"/help AUTHENTICATE", SECRET_NONE},
		{"GETCONF Socks5ProxyPassword", SECRET_NONE},
		{"SETEVENTS CIRC", SECRET_NONE},
	};
	for (size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		size_t got = secret_in_command(offsets[i].line, strlen(offsets[i].line));
		CHECK(got == offsets[i].want, "secret_in_command('%s') = %zd", offsets[i].line, (ssize_t)offsets[i].want);
		if (got != offsets[i].want)
			printf("#   got %zd\n", (ssize_t)got);
	}
}

/* -c arguments: visible in ps, so torsh warns about those with secrets. */
static void check_texts(void)
{
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		CHECK(secret_in_text(forms[i].line, strlen(forms[i].line)), "-c '%s...' holds a secret", forms[i].secret);
	const char *loadconf = "+LOADCONF\nContactInfo x\nSocks5ProxyPassword textpw\n.";
	CHECK(secret_in_text(loadconf, strlen(loadconf)), "-c with a +LOADCONF body holding a password");
	const char *plain[] = {"GETINFO version", "+LOADCONF\nContactInfo x\n.", "SETCONF ContactInfo=x",
			       "/help AUTHENTICATE", "AUTHENTICATE", "AUTHENTICATE  ", "RESETCONF HashedControlPassword"};
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		CHECK(!secret_in_text(plain[i], strlen(plain[i])), "-c text %zu holds no secret", i);
	char *cmds[] = {(char *)"GETINFO version", (char *)"AUTHENTICATE \"cpw\""};
	FILE *f = tmpfile();
	int n = secret_warn_exposed(cmds, 2, NULL, f);
	char text[400] = "";
	rewind(f);
	size_t got = fread(text, 1, sizeof(text) - 1, f);
	text[got] = '\0';
	fclose(f);
	CHECK(n == 1 && strstr(text, "-c argument 2 holds a secret") && !strstr(text, "cpw"),
	      "one warning, naming the argument, not quoting it: %s", text);
}

int main(void)
{
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		check_form(&forms[i]);
	for (size_t i = 0; i < sizeof(error_forms) / sizeof(error_forms[0]); i++)
		check_error_form(&error_forms[i]);
	check_local_errors();
	check_bodies();
	check_replies();
	check_rule();
	check_texts();
	return tap_done();
}
