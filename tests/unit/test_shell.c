/* The shell's tables (/circuits, /streams) and completion, fed the replies
 * tor gives (framed by the real reader), checked without a terminal. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complete.h"
#include "flood.h"
#include "local.h"
#include "render.h"
#include "shellcmd.h"
#include "tap.h"
#include "tokenize.h"
#include "trace.h"
#include "waiter.h"

/* Frame one reply; the reader stays alive while the message is used. */
static struct tc_msg *frame(struct reader *r, const char *wire)
{
	struct tc_msg *m = NULL;
	reader_init(r, 1 << 20);
	if (reader_feed(r, wire, strlen(wire)) < 0 || reader_next(r, &m) != 1)
		return NULL;
	return m;
}

static char *table(const char *tag, const char *wire)
{
	struct reader r;
	struct tc_msg *m = frame(&r, wire);
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);
	struct shell sh = {0};
	if (m)
		shell_internal(&sh, tag, m, f);
	fclose(f);
	reader_free(&r);
	return p;
}

static void check_tables(void)
{
	char *t = table("show-circuits",
			"250+circuit-status=\r\n"
			"12 BUILT $0123456789ABCDEF0123456789ABCDEF01234567~guard,$FEDCBA9876543210FEDCBA9876543210FEDCBA98~exit "
			"BUILD_FLAGS=NEED_CAPACITY PURPOSE=GENERAL TIME_CREATED=2025-11-02T10:21:07.1\r\n"
			"13 LAUNCHED PURPOSE=HS_VANGUARDS TIME_CREATED=2025-11-02T10:21:08.1\r\n"
			".\r\n250 OK\r\n");
	CHECK(t && strstr(t, "ID     STATUS     PURPOSE            HS_STATE REND_QUERY PATH\n"), "circuit table header");
	CHECK(t && strstr(t, "12     BUILT      GENERAL            -        -          guard > exit\n"),
	      "a built circuit: nicknames joined by >");
	CHECK(t && strstr(t, "13     LAUNCHED   HS_VANGUARDS       -        -          \n"), "a launched circuit has no path yet");
	free(t);
	t = table("show-circuits", "250-circuit-status=\r\n250 OK\r\n");
	CHECK(t && strstr(t, "(no circuits)"), "no circuits: said so");
	free(t);
	/* one circuit comes as a single line, not a data block */
	t = table("show-circuits", "250-circuit-status=5 EXTENDED $0123456789ABCDEF0123456789ABCDEF01234567 PURPOSE=GENERAL\r\n250 OK\r\n");
	CHECK(t && strstr(t, "5      EXTENDED   GENERAL            -        -          $0123456789ABCDEF0123456789ABCDEF01234567\n"),
	      "a single-line circuit-status; a relay without nickname shows its fingerprint");
	free(t);
	static const char hs[] =
		"250+circuit-status=\r\n"
		"12 BUILT $0123456789ABCDEF0123456789ABCDEF01234567~guard PURPOSE=GENERAL\r\n"
		"14 BUILT $0123456789ABCDEF0123456789ABCDEF01234567~guard,$FEDCBA9876543210FEDCBA9876543210FEDCBA98~rp "
		"BUILD_FLAGS=IS_INTERNAL,NEED_CAPACITY PURPOSE=HS_CLIENT_REND HS_STATE=HSCR_JOINED "
		"REND_QUERY=2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid TIME_CREATED=2025-11-02T10:21:07.1\r\n"
		"15 BUILT $0123456789ABCDEF0123456789ABCDEF01234567~guard PURPOSE=HS_SERVICE_INTRO HS_STATE=HSSI_ESTABLISHED\r\n"
		".\r\n250 OK\r\n";
	t = table("show-circuits", hs);
	CHECK(t && strstr(t, "ID     STATUS     PURPOSE            HS_STATE         REND_QUERY                                               PATH\n") &&
	      strstr(t, "14     BUILT      HS_CLIENT_REND     HSCR_JOINED      2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid guard > rp\n"),
	      "HS_STATE and REND_QUERY columns: %s", t);
	free(t);
	t = table("show-circuits/hs", hs);
	CHECK(t && !strstr(t, "\n12 ") && strstr(t, "\n14 ") && strstr(t, "\n15 "), "/circuits hs: only onion service circuits");
	free(t);
	t = table("show-circuits/HS_CLIENT_REND", hs);
	CHECK(t && !strstr(t, "\n12 ") && strstr(t, "\n14 ") && !strstr(t, "\n15 "), "/circuits HS_CLIENT_REND: that purpose only");
	free(t);
	t = table("show-circuits/CONTROLLER", hs);
	CHECK(t && strstr(t, "(no CONTROLLER circuits)"), "a filter nothing passes says so");
	free(t);
	t = table("show-streams", "250+stream-status=\r\n7 SUCCEEDED 12 example.com:443\r\n.\r\n250 OK\r\n");
	CHECK(t && strstr(t, "7      SUCCEEDED    12     example.com:443\n"), "a stream row");
	free(t);
	t = table("show-streams", "552 Unrecognized key \"stream-status\"\r\n");
	CHECK(t && strstr(t, "tor did not answer (552)"), "an error reply is reported");
	free(t);
	t = table("other", "250 OK\r\n");
	CHECK(t && t[0] == '\0', "other tags are not the shell's: nothing printed");
	free(t);
}

static void take(struct catalog *c, const char *tag, const char *wire)
{
	struct reader r;
	struct tc_msg *m = frame(&r, wire);
	if (m)
		catalog_take(c, tag, m);
	reader_free(&r);
}

/* Completing `line` (cursor at its end) gives exactly `want`
 * (space-separated candidates). */
static void check_complete(const struct catalog *c, const char *line, const char *want)
{
	struct completion out = {0};
	complete(c, line, strlen(line), &out);
	char got[2048] = "";
	for (size_t i = 0; i < out.match.n; i++) {
		size_t l = strlen(got);
		snprintf(got + l, sizeof(got) - l, "%s%s", i ? " " : "", out.match.text.p + out.match.word[i]);
	}
	CHECK_STR(got, want, "complete '%s'", line);
	completion_free(&out);
}

/* The description listed next to candidate `word` when completing `line`. */
static void check_desc(const struct catalog *c, const char *line, const char *word, const char *want)
{
	struct completion out = {0};
	complete(c, line, strlen(line), &out);
	const char *got = NULL;
	for (size_t i = 0; i < out.match.n; i++)
		if (strcmp(out.match.text.p + out.match.word[i], word) == 0 && out.match.desc[i] != (size_t)-1)
			got = out.match.text.p + out.match.desc[i];
	CHECK_STR(got ? got : "(none)", want, "description of %s after '%s'", word, line);
	completion_free(&out);
}

static void check_descs(const struct catalog *c)
{
	check_desc(c, "CLOSECIRCUIT ", "12", "BUILT GENERAL g");
	check_desc(c, "EXTENDCIRCUIT 0 ", "$0123456789ABCDEF0123456789ABCDEF01234567~guard", "Fast Guard Running Valid");
	check_desc(c, "EXTENDCIRCUIT 0 ", "$FEDCBA9876543210FEDCBA9876543210FEDCBA98~exit", "(none)");
	check_desc(c, "SIGNAL NEW", "NEWNYM", "switch to new circuits, so new application requests don't share any circuits with old ones (this also clears our DNS cache)");
	struct completion out = {0};
	complete(c, "CLOSECIRCUIT ", 13, &out);
	CHECK(out.source == HINT_CIRC_ID, "a circuit id completion says where its candidates come from");
	complete(c, "GETINFO ver", 11, &out);
	CHECK(out.source == HINT_INFO_KEY && catalog_fetch((struct catalog *)c, out.source, 0) == NULL,
	      "GETINFO keys are loaded once: nothing to ask on Tab");
	complete(c, "HSFETCH x SERVER=", 17, &out);
	CHECK(out.source == HINT_RELAY, "SERVER= completes relays");
	completion_free(&out);
}

static void feed_event(struct catalog *c, const char *wire)
{
	struct reader r;
	struct tc_msg *m = frame(&r, wire);
	if (m)
		catalog_event(c, m);
	reader_free(&r);
}

/* CIRC and STREAM events keep the live lists current between refreshes. */
static void check_events(struct catalog *c)
{
	feed_event(c, "650 CIRC 14 LAUNCHED BUILD_FLAGS=NEED_CAPACITY PURPOSE=HS_CLIENT_REND TIME_CREATED=2025-11-02T10:21:08.1\r\n");
	check_complete(c, "CLOSECIRCUIT ", "12 14");
	feed_event(c, "650 CIRC 14 EXTENDED $0123456789ABCDEF0123456789ABCDEF01234567~guard,$FEDCBA9876543210FEDCBA9876543210FEDCBA98 PURPOSE=HS_CLIENT_REND\r\n");
	check_desc(c, "CLOSECIRCUIT 1", "14", "EXTENDED HS_CLIENT_REND guard > $FEDCBA9876543210FEDCBA9876543210FEDCBA98");
	feed_event(c, "650 CIRC 12 CLOSED $0123456789ABCDEF0123456789ABCDEF01234567~g PURPOSE=GENERAL REASON=FINISHED\r\n");
	check_complete(c, "CLOSECIRCUIT ", "14");
	feed_event(c, "650 CIRC_MINOR 14 PURPOSE_CHANGED PURPOSE=GENERAL\r\n");
	check_desc(c, "CLOSECIRCUIT ", "14", "EXTENDED HS_CLIENT_REND guard > $FEDCBA9876543210FEDCBA9876543210FEDCBA98");
	feed_event(c, "650 STREAM 21 NEW 0 example.com:443 SOURCE_ADDR=127.0.0.1:4000 PURPOSE=USER\r\n");
	check_complete(c, "CLOSESTREAM ", "21");
	check_desc(c, "ATTACHSTREAM ", "21", "NEW example.com:443 on circuit 0");
	feed_event(c, "650 STREAM 21 FAILED 14 example.com:443 REASON=TIMEOUT\r\n");
	check_complete(c, "CLOSESTREAM ", "");
	/* a flood of made-up ids stays bounded */
	char line[128];
	for (int i = 0; i < 20000; i++) {
		snprintf(line, sizeof(line), "650 CIRC %d LAUNCHED PURPOSE=GENERAL\r\n", 1000 + i);
		feed_event(c, line);
	}
	CHECK(c->circuits.n == 1024 && c->circuits.text.len < ((size_t)4 << 20),
	      "a flood of new circuit ids keeps %zu entries, %zu bytes", c->circuits.n, c->circuits.text.len);
	take(c, "circs", "250-circuit-status=\r\n250 OK\r\n");
	check_complete(c, "CLOSECIRCUIT ", "");
}

/* Completion and the parser split a line into the same words: quoted
 * values, quotes inside a word, escapes, tabs. For each word the parser's
 * tokenizer finds, completing at its end replaces exactly that word; after
 * the line and a blank, the next argument's hint is the one for the
 * parser's count of arguments. */
static const struct {
	const char *line;
	size_t words;            /* as the parser splits it, the command word included */
	enum hint_kind next;     /* what completes the next argument */
} boundaries[] = {
	{"SETCONF ContactInfo=a\"b Nick", 3, HINT_CONF_SET},
	{"SETCONF ContactInfo=\"a b\" Nickname=x", 3, HINT_CONF_SET},
	{"SETCONF ContactInfo=\"a \\\"b\\\" c\" Nickname=x", 3, HINT_CONF_SET},
	{"SETCONF x=\"a\\\\\" y", 3, HINT_CONF_SET},
	{"SETCONF a=b\tc=d", 3, HINT_CONF_SET},
	{"AUTHENTICATE \"pass word\"", 2, HINT_NONE},
	{"ATTACHSTREAM a\"b c", 3, HINT_ARGS},
	{"ATTACHSTREAM \"a b\"", 2, HINT_CIRC_ID},
	{"EXTENDCIRCUIT 0 x\"y", 3, HINT_ARGS},
	{"GETINFO \"version\" a=\"b c\"", 3, HINT_INFO_KEY},
};

static void check_word_boundaries(void)
{
	struct catalog c = {0};
	for (size_t i = 0; i < sizeof(boundaries) / sizeof(boundaries[0]); i++) {
		const char *line = boundaries[i].line;
		size_t len = strlen(line);
		const struct cmd_def *d = cmd_line_def(line, len, false);
		struct toklist toks;
		struct tok_error te;
		int rc = tok_split(line, len, d && (d->flags & CMD_QSTRING) ? TOK_QSTRING : TOK_CSTRING, &toks, &te);
		CHECK(rc == 0 && toks.n == boundaries[i].words, "the parser splits '%s' into %zu words (%zu)", line,
		      boundaries[i].words, rc == 0 ? toks.n : 0);
		for (size_t k = 1; rc == 0 && k < toks.n; k++) {
			struct completion out = {0};
			complete(&c, line, toks.v[k].off + toks.v[k].len, &out);
			CHECK(out.start == toks.v[k].off, "'%s': word %zu starts at %zu for completion too (%zu)", line, k,
			      toks.v[k].off, out.start);
			completion_free(&out);
		}
		if (rc == 0)
			toklist_free(&toks);
		char more[256];
		snprintf(more, sizeof(more), "%s ", line);
		struct completion out = {0};
		complete(&c, more, len + 1, &out);
		CHECK(out.start == len + 1 && out.source == boundaries[i].next,
		      "'%s ': the next word is argument %zu for completion too (hint %d, got %d)", line,
		      boundaries[i].words - 1, (int)boundaries[i].next, (int)out.source);
		completion_free(&out);
	}
	catalog_free(&c);
}

/* What a Tab asks of tor: only what it completes from, once, and again
 * only when stale (complete.h's rule). */
static void check_fetch_rule(void)
{
	struct catalog c = {0};
	const char *req = catalog_fetch(&c, HINT_CIRC_ID, 1000);
	CHECK_STR(req ? req : "(null)", "circs GETINFO circuit-status", "the first Tab on a circuit id asks for circuit-status");
	CHECK(catalog_asking(&c, HINT_CIRC_ID) && catalog_fetch(&c, HINT_CIRC_ID, 1100) == NULL,
	      "not again while it is unanswered");
	take(&c, "circs", "250-circuit-status=\r\n250 OK\r\n");
	CHECK(!catalog_asking(&c, HINT_CIRC_ID) && catalog_fetch(&c, HINT_CIRC_ID, 2000) == NULL,
	      "answered: a second Tab asks nothing");
	CHECK(catalog_fetch(&c, HINT_CIRC_ID, 1000 + CATALOG_LIVE_MS) != NULL, "stale after %d ms: asked again",
	      CATALOG_LIVE_MS);
	take(&c, "circs", "250-circuit-status=\r\n250 OK\r\n");
	catalog_commanded(&c);
	CHECK(catalog_fetch(&c, HINT_CIRC_ID, 1000 + CATALOG_LIVE_MS + 1) != NULL, "stale after a command: asked again");
	take(&c, "circs", "250-circuit-status=\r\n250 OK\r\n");
	uint64_t circ = (uint64_t)1 << (event_def_find("CIRC", 4) - event_defs);
	catalog_following(&c, circ);
	CHECK(catalog_fetch(&c, HINT_CIRC_ID, 100000) != NULL, "subscribing to CIRC after the request does not make it current");
	take(&c, "circs", "250-circuit-status=\r\n250 OK\r\n");
	catalog_commanded(&c);
	CHECK(catalog_fetch(&c, HINT_CIRC_ID, 900000) == NULL, "asked while CIRC is subscribed: events keep it current");
	catalog_following(&c, 0);
	CHECK(catalog_fetch(&c, HINT_CIRC_ID, 900000) != NULL, "unsubscribed: stale again");
	req = catalog_fetch(&c, HINT_STREAM_ID, 0);
	CHECK_STR(req ? req : "(null)", "streams GETINFO stream-status", "streams have their own request");
	req = catalog_fetch(&c, HINT_RELAY, 0);
	CHECK_STR(req ? req : "(null)", "relays GETINFO ns/all", "relays: ns/all, asked only by a Tab");
	CHECK(catalog_fetch(&c, HINT_CONF_KEY, 0) == NULL && catalog_fetch(&c, HINT_EVENT, 0) == NULL,
	      "names and event types: nothing to ask on Tab");
	catalog_free(&c);
}

/* /circuits' filter words come from its table entry: "hs" and the purposes. */
static void check_circuits_filter(void)
{
	struct catalog c = {0};
	check_complete(&c, "/circuits HS_CLIENT_R", "HS_CLIENT_REND");
	check_complete(&c, "/circuits contr", "CONTROLLER");
	struct completion out = {0};
	complete(&c, "/circuits ", 10, &out);
	bool hs = false;
	for (size_t i = 0; i < out.match.n; i++)
		hs = hs || strcmp(out.match.text.p + out.match.word[i], "hs") == 0;
	CHECK(hs && out.match.n > 10, "/circuits <Tab> offers hs and the purposes (%zu)", out.match.n);
	completion_free(&out);
	catalog_free(&c);
}

static void check_completion(void)
{
	struct catalog c = {0};
	take(&c, "conf", "250+config/names=\r\nContactInfo String\r\nClientOnly Boolean\r\nSocksPort Port\r\n.\r\n250 OK\r\n");
	take(&c, "info", "250+info/names=\r\nversion -- The current version of Tor.\r\nns/id/* -- Brief summary of router status by ID.\r\n"
			 "downloads/desc/<desc> -- Return a download status for a given descriptor digest\r\n.\r\n250 OK\r\n");
	take(&c, "features", "250-features/names=VERBOSE_NAMES EXTENDED_EVENTS\r\n250 OK\r\n");
	take(&c, "circs", "250-circuit-status=12 BUILT $0123456789ABCDEF0123456789ABCDEF01234567~g PURPOSE=GENERAL\r\n250 OK\r\n");
	take(&c, "streams", "250-stream-status=\r\n250 OK\r\n");
	take(&c, "onions", "250-onions/current=abcdefabcdefabcdefabcdefabcdefabcdefabcdefabcdefabcdefab\r\n"
			 "250-onions/detached=\r\n250 OK\r\n");
	take(&c, "auth", "250-ONION_CLIENT_AUTH_VIEW\r\n250-CLIENT 2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid x25519:k\r\n250 OK\r\n");
	take(&c, "relays", "250+ns/all=\r\n"
			   "r guard ASNFZ4mrze8BI0VniavN7wEjRWc AAAAAAAAAAAAAAAAAAAAAAAAAAA 2025-11-02 10:00:00 127.0.0.1 5000 0\r\n"
			   "s Fast Guard Running Valid\r\n"
			   "r exit /ty6mHZUMhD+3LqYdlQyEP7cupg AAAAAAAAAAAAAAAAAAAAAAAAAAA 2025-11-02 10:00:00 127.0.0.2 5000 0\r\n"
			   ".\r\n250 OK\r\n");
	check_complete(&c, "EXTENDCIRCUIT 0 gu", "$0123456789ABCDEF0123456789ABCDEF01234567~guard");
	check_complete(&c, "EXTENDCIRCUIT 0 $FED", "$FEDCBA9876543210FEDCBA9876543210FEDCBA98~exit");
	check_complete(&c, "EXTENDCIRCUIT 0 $0123456789ABCDEF0123456789ABCDEF01234567~guard,ex",
		       "$0123456789ABCDEF0123456789ABCDEF01234567~guard,$FEDCBA9876543210FEDCBA9876543210FEDCBA98~exit");
	check_complete(&c, "HSFETCH 2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid SERVER=ex",
		       "SERVER=$FEDCBA9876543210FEDCBA9876543210FEDCBA98~exit");
	check_complete(&c, "GETI", "GETINFO");
	check_complete(&c, "geti", "GETINFO");
	check_complete(&c, "SETEVENTS CIRC_", "CIRC_BW CIRC_MINOR");
	check_complete(&c, "/events +CIRC_", "+CIRC_BW +CIRC_MINOR");
	check_complete(&c, "/events +SIGNAL -STREAM_", "-STREAM_BW");
	check_complete(&c, "/mute B", "BUILDTIMEOUT_SET BW");
	check_complete(&c, "/wait SIGNAL ", "--timeout Signal=");
	check_complete(&c, "/wait CIRC S", "SOCKS_PASSWORD= SOCKS_USERNAME= Status=");
	check_complete(&c, "/wait CIRC Status=BUILT PU", "PURPOSE=");
	check_complete(&c, "/wait NOSUCH ", "--timeout");
	check_complete(&c, "GETINFO ", "downloads/desc/ ns/id/ version");
	check_complete(&c, "GETINFO version ns", "ns/id/");
	check_complete(&c, "SETCONF Cl", "ClientOnly=");
	check_complete(&c, "SETCONF ClientOnly=", "ClientOnly=0 ClientOnly=1");
	check_complete(&c, "SETCONF ContactInfo=", "");
	check_complete(&c, "GETCONF So", "SocksPort");
	check_complete(&c, "USEFEATURE ", "EXTENDED_EVENTS VERBOSE_NAMES");
	check_complete(&c, "CLOSECIRCUIT ", "12");
	check_complete(&c, "CLOSECIRCUIT 12 ", "IfUnused");
	check_complete(&c, "CLOSECIRCUIT 12 IfUnused ", "");
	check_desc(&c, "CLOSECIRCUIT 12 ", "IfUnused", "close it only if no stream uses it (else tor leaves it open)");
	check_complete(&c, "DEL_ONION ", "abcdefabcdefabcdefabcdefabcdefabcdefabcdefabcdefabcdefab");
	check_complete(&c, "DEL_ONION x ", "");
	check_complete(&c, "ONION_CLIENT_AUTH_REMOVE ", "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid");
	check_complete(&c, "SIGNAL NEWN", "NEWNYM");
	check_complete(&c, "SIGNAL NEWNYM ", "");
	check_complete(&c, "/he", "/help");
	check_complete(&c, "/help ADD_", "ADD_ONION");
	check_complete(&c, "/format ", "json pretty raw");
	check_complete(&c, "ADD_ONION NEW:", "NEW:BEST NEW:ED25519-V3");
	check_complete(&c, "SETROUTER", "");
	check_complete(&c, "NOSUCH ", "");
	check_descs(&c);
	check_events(&c);
	struct completion one = {0};
	complete(&c, "SETCONF Cl", 10, &one);
	CHECK(one.no_space && one.start == 8 && completion_common(&one) == strlen("ClientOnly="),
	      "a KEY= completion wants no space after it, and replaces from the word's start");
	complete(&c, "EXTENDCIRCUIT 0 gu", 18, &one);
	CHECK(one.no_space, "a relay in a path wants no space: a ',' and the next hop may follow");
	complete(&c, "HSFETCH x SERVER=gu", 19, &one);
	CHECK(!one.no_space, "SERVER=relay is a whole argument: a space follows");
	completion_free(&one);
	catalog_free(&c);
}

static void kept_into(void *ud, const char *p, size_t n, long at_ms)
{
	(void)at_ms;
	buf_append(ud, p, n, BUF_NOLIMIT);
}

/* An event kept for /scrollback comes back whole, several lines and all,
 * and renders in the mode of the moment; one too big to keep whole comes
 * back as its first line, marked partial in JSON. */
static void check_scrollback_kept(void)
{
	struct flood *f = calloc(1, sizeof(*f));
	struct reader r;
	struct tc_msg *m = frame(&r, "650-CONF_CHANGED\r\n650-SocksPort=9050\r\n650 OK\r\n");
	flood_admit(f, 5000, m);
	reader_free(&r);
	struct buf big = {0};
	static const char head[] = "650+NS\r\n", line[] = "r nick AAAAAAAAAAAAAAAAAAAAAAAAAAA BBBBBBBBBBBBBBBBBBBBBBBBBBB 2025-01-01\r\n",
			  tail[] = ".\r\n650 OK\r\n";
	buf_append(&big, head, strlen(head), BUF_NOLIMIT);
	for (int i = 0; i < 100; i++)
		buf_append(&big, line, strlen(line), BUF_NOLIMIT);
	buf_append(&big, tail, strlen(tail), BUF_NOLIMIT);
	m = frame(&r, big.p);
	flood_admit(f, 5001, m);
	reader_free(&r);
	buf_free(&big);
	struct buf kept = {0};
	flood_scrollback(f, 2, kept_into, &kept);
	CHECK(kept.p && strncmp(kept.p, "650-CONF_CHANGED\r\n650-SocksPort=9050\r\n650 OK\r\n650-NS (+1 lines)", 63) == 0,
	      "kept: the wire text, or the first line and a count: '%s'", kept.p ? kept.p : "");
	struct renderer rd;
	char *p = NULL;
	size_t n = 0;
	FILE *mf = open_memstream(&p, &n);
	renderer_init(&rd, &(struct render_opts){.fmt = FMT_JSON});
	render_kept(&rd, mf, kept.p, 46, 1000);
	render_kept(&rd, mf, kept.p + 46, kept.len - 46, 1000);
	rd.o.fmt = FMT_PRETTY;
	render_kept(&rd, mf, kept.p, 46, 1000);
	fclose(mf);
	CHECK(p && strstr(p, "\"event\":\"CONF_CHANGED\",\"fields\":{\"SocksPort\":\"9050\"}") != NULL,
	      "a kept event rendered as JSON: '%s'", p ? p : "");
	CHECK(p && strstr(p, "{\"type\":\"event\",\"code\":650,\"partial\":true,\"raw\":\"650-NS (+1 lines)\"}\n") != NULL,
	      "a partial one is marked so: '%s'", p ? p : "");
	CHECK(p && strstr(p, " CONF_CHANGED SocksPort=9050\n") != NULL, "and pretty: '%s'", p ? p : "");
	free(p);
	renderer_free(&rd);
	buf_free(&kept);
	flood_free(f);
	free(f);
}

static void check_flood(void)
{
	struct flood *f = calloc(1, sizeof(*f));
	struct reader r;
	struct tc_msg *bw = frame(&r, "650 BW 1 2\r\n");
	unsigned shown = 0;
	for (int i = 0; i < 5000; i++)
		shown += flood_admit(f, 10000 + i / 10, bw); /* 5000 events within 0.5 s */
	CHECK(shown == FLOOD_SHOWN_PER_SECOND, "%u of 5000 events shown in the first second", shown);
	struct buf out = {0};
	long wait;
	flood_tick(f, 10400, &out, &wait);
	CHECK(out.len == 0 && wait == 600, "no summary before the second is over (wakes in %ld ms)", wait);
	flood_tick(f, 11000, &out, &wait);
	CHECK_STR(out.p, "... 4,950 BW events in the last second (not shown; /scrollback lists them)\n", "the summary");
	CHECK(flood_admit(f, 11001, bw), "a new second shows events again");
	buf_reset(&out);
	flood_tick(f, 12500, &out, &wait);
	CHECK(out.len == 0 && wait == -1, "nothing held: no summary, no wake-up");
	CHECK(f->count == FLOOD_SCROLLBACK, "the scrollback holds at most %d events", FLOOD_SCROLLBACK);
	buf_reset(&out);
	flood_scrollback(f, 2, kept_into, &out);
	CHECK_STR(out.p, "650 BW 1 2\r\n650 BW 1 2\r\n", "the last two events from the scrollback, as sent");
	buf_free(&out);
	flood_free(f);
	free(f);
	reader_free(&r);
}

/* A flood of one type leaves every other type its own budget. */
static void check_flood_per_type(void)
{
	struct flood *f = calloc(1, sizeof(*f));
	struct reader r1, r2, r3;
	struct tc_msg *circ = frame(&r1, "650 CIRC 1 LAUNCHED\r\n");
	struct tc_msg *hs = frame(&r2, "650 HS_DESC UPLOADED abc UNKNOWN $AA~x\r\n");
	struct tc_msg *warn = frame(&r3, "650 WARN something broke\r\n");
	unsigned shown_hs = 0, shown_circ = 0;
	bool warn_shown = false;
	for (int i = 0; i < 5000; i++) {
		shown_circ += flood_admit(f, 10000 + i / 10, circ);
		if (i == 100 || i == 2500 || i == 4999)
			shown_hs += flood_admit(f, 10000 + i / 10, hs);
		if (i == 3000)
			warn_shown = flood_admit(f, 10000 + i / 10, warn);
	}
	CHECK(shown_circ == FLOOD_SHOWN_PER_SECOND, "%u CIRC events shown", shown_circ);
	CHECK(shown_hs == 3, "all 3 HS_DESC events shown amid 5000 CIRC (%u)", shown_hs);
	CHECK(warn_shown, "a WARN amid a CIRC flood is shown");
	struct buf out = {0};
	long wait;
	flood_tick(f, 11000, &out, &wait);
	CHECK_STR(out.p, "... 4,950 CIRC events in the last second (not shown; /scrollback lists them)\n",
		  "only the flooding type is summarised");
	buf_free(&out);
	flood_free(f);
	free(f);
	reader_free(&r1);
	reader_free(&r2);
	reader_free(&r3);
}

/* /wait after the events: a flood of one type keeps a rare one; each
 * event ends one /wait only. */
static void check_wait_recent(void)
{
	struct waiter *w = calloc(1, sizeof(*w));
	struct reader r1, r2;
	struct tc_msg *hs = frame(&r1, "650 HS_DESC UPLOADED abc UNKNOWN $AA~x\r\n");
	struct tc_msg *circ = frame(&r2, "650 CIRC 1 LAUNCHED\r\n");
	struct buf err = {0};
	waiter_remember(w, hs);
	for (int i = 0; i < 5000; i++)
		waiter_remember(w, circ);
	const char *line = "/wait HS_DESC Action=UPLOADED";
	CHECK(waiter_start(w, line, strlen(line), 0, &err) == 0 && waiter_match_recent(w),
	      "an HS_DESC before 5000 CIRC events still ends a /wait typed after them");
	CHECK(waiter_start(w, line, strlen(line), 0, &err) == 0 && !waiter_match_recent(w),
	      "the same event does not end a second /wait");
	waiter_remember(w, hs);
	waiter_forget(w);
	CHECK(waiter_start(w, line, strlen(line), 0, &err) == 0 && !waiter_match_recent(w),
	      "events before a command sent do not count");
	waiter_remember(w, hs);
	CHECK(waiter_match(w, hs), "a live event ends the /wait");
	CHECK(waiter_start(w, line, strlen(line), 0, &err) == 0 && !waiter_match_recent(w),
	      "and is used up by it");
	buf_free(&err);
	waiter_free(w);
	free(w);
	reader_free(&r1);
	reader_free(&r2);
}

/* What /trace prints for one chunk, without the timestamps. */
static void check_trace_line(char dir, const char *wire, const char *want)
{
	struct tracer t = {0};
	struct buf out = {0};
	trace_chunk(&t, dir, wire, strlen(wire), &out);
	const char *got = out.p ? out.p : "";
	/* "HH:MM:SS.mmm > " */
	CHECK(strlen(got) > 15 && strcmp(got + 13, want) == 0, "trace of '%s': got '%s'", wire, got);
	buf_free(&out);
	tracer_free(&t);
}

static void check_trace(void)
{
	check_trace_line('>', "GETINFO version\r\n", "> GETINFO version\n");
	check_trace_line('>', "AUTHENTICATE 68756E74657232\r\n", "> AUTHENTICATE [redacted]\n");
	check_trace_line('>', "SETCONF HashedControlPassword=\"16:ABCDEF\"\r\n", "> SETCONF HashedControlPassword=[redacted]\n");
	check_trace_line('>', "SETCONF ContactInfo=x\r\n", "> SETCONF ContactInfo=x\n");
	check_trace_line('<', "250-PrivateKey=ED25519-V3:abc\r\n", "< 250-PrivateKey=[redacted]\n");
	check_trace_line('<', "650 LOG \x1b[2Jhi\r\n", "< 650 LOG \\e[2Jhi\n");
}

/* torsh's own commands run from the table: what a front end sees. */
struct front_log {
	char sent[64];
	int trace;
};

static void log_send(void *ud, const char *line, size_t len, const char *body, size_t blen, bool has_body)
{
	struct front_log *f = ud;
	(void)body, (void)blen, (void)has_body;
	snprintf(f->sent, sizeof(f->sent), "%.*s", (int)len, line);
}

static bool log_trace(void *ud, int on)
{
	struct front_log *f = ud;
	if (on >= 0)
		f->trace = on;
	return f->trace == 1;
}

static const struct local_front log_front = {.send = log_send, .trace = log_trace};

/* Runs a '/' line; what it printed or the error, in out. */
static int run(struct local_ctx *ctx, const char *line, char *out, size_t cap)
{
	struct buf err = {0};
	char *p = NULL;
	size_t n = 0;
	ctx->out = open_memstream(&p, &n);
	ctx->err = &err;
	struct local_args a;
	const struct cmd_def *d = local_find(line, strlen(line), NULL, 0, false, &a, &err);
	int rc = d ? local_exec(d, ctx, &a) : -1;
	fclose(ctx->out);
	snprintf(out, cap, "%s", rc < 0 ? (err.p ? err.p : "") : p);
	free(p);
	buf_free(&err);
	return rc;
}

static void check_local(void)
{
	for (size_t i = 0; i < cmd_table_len; i++) {
		const struct cmd_def *d = cmd_table[i];
		CHECK(((d->flags & CMD_LOCAL) != 0) == (d->exec != NULL), "%s: an exec hook exactly when local",
		      d->name);
	}
	struct front_log log = {.trace = 0};
	struct renderer rd;
	const struct render_opts ro = {.fmt = FMT_PRETTY};
	renderer_init(&rd, &ro);
	struct shell sh = {.out = &rd};
	struct local_ctx script = {.front = &log_front, .ud = &log};
	char out[256];
	CHECK(run(&script, "/mute BW", out, sizeof(out)) < 0 && strcmp(out, "/mute works only in the interactive shell") == 0,
	      "a script has no shell: %s", out);
	CHECK(run(&script, "/raw GETINFO version", out, sizeof(out)) == 0 && strcmp(log.sent, "/raw GETINFO version") == 0,
	      "/raw hands its whole line to the front end to build and send");
	CHECK(run(&script, "/quit", out, sizeof(out)) == 0 && strcmp(log.sent, "QUIT") == 0 && !script.leave,
	      "/quit sends QUIT");
	script.offline = true;
	CHECK(run(&script, "/quit", out, sizeof(out)) == 0 && script.leave, "/quit while offline leaves");
	CHECK(run(&script, "/help /quit", out, sizeof(out)) == 0 && strncmp(out, "/quit\n", 6) == 0, "/help COMMAND");
	CHECK(run(&script, "/nosuch", out, sizeof(out)) < 0 && strstr(out, "unknown torsh command /nosuch"),
	      "an unknown one: %s", out);

	struct local_ctx shell = {.sh = &sh, .front = &log_front, .ud = &log};
	CHECK(run(&shell, "/format json", out, sizeof(out)) == 0 && rd.o.fmt == FMT_JSON, "/format json");
	CHECK(run(&shell, "/format", out, sizeof(out)) == 0 && strcmp(out, "format: json\n") == 0, "/format alone");
	CHECK(run(&shell, "/format yaml", out, sizeof(out)) < 0 &&
	      strcmp(out, "/format: expected pretty, raw or json, got 'yaml'") == 0, "/format yaml: %s", out);
	CHECK(run(&shell, "/explain on", out, sizeof(out)) == 0 && rd.o.explain, "/explain on");
	CHECK(run(&shell, "/mute BW\tCIRC", out, sizeof(out)) == 0 && sh.muted != 0, "/mute, words split at blanks");
	CHECK(run(&shell, "/unmute BW CIRC", out, sizeof(out)) == 0 && sh.muted == 0, "/unmute");
	CHECK(run(&shell, "/mute NOPE", out, sizeof(out)) < 0 && strcmp(out, "/mute: unknown event type 'NOPE'") == 0,
	      "/mute NOPE: %s", out);
	CHECK(run(&shell, "/trace on", out, sizeof(out)) == 0 && log.trace == 1, "/trace on asks the front end");
	CHECK(run(&shell, "/trace", out, sizeof(out)) == 0 && strcmp(out, "trace: on\n") == 0, "/trace alone");
	CHECK(run(&shell, "/circuits nope", out, sizeof(out)) < 0 &&
	      strstr(out, "/circuits: unknown filter 'nope': expected hs (") && strstr(out, "HS_CLIENT_REND, "),
	      "/circuits nope: %s", out);
	CHECK(run(&shell, "/circuits hs GENERAL", out, sizeof(out)) < 0 && strstr(out, "one filter only, got 'GENERAL'"),
	      "/circuits hs GENERAL: %s", out);
	CHECK(run(&shell, "/trace maybe", out, sizeof(out)) < 0 &&
	      strcmp(out, "/trace: expected on or off, got 'maybe'") == 0, "/trace maybe: %s", out);
	CHECK(run(&shell, "/scrollback 0", out, sizeof(out)) < 0 &&
	      strcmp(out, "/scrollback: N: expected a number 1-1000, got '0'") == 0, "/scrollback 0: %s", out);
	renderer_free(&rd);
}

int main(void)
{
	check_word_boundaries();
	check_flood();
	check_scrollback_kept();
	check_flood_per_type();
	check_wait_recent();
	check_tables();
	check_trace();
	check_completion();
	check_circuits_filter();
	check_fetch_rule();
	check_local();
	return tap_done();
}
