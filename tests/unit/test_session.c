/* The session over a socketpair, the test playing tor on the other end:
 * replies matched to the commands that await them, a reply no command
 * awaits caught as a protocol error, a reply deadline that events cannot
 * move, and how unanswered commands are named (never with their secret). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "ctl.h"
#include "session.h"
#include "tap.h"

struct seen {
	int replies, events;
	struct session *s;
	const struct cmd_def *def; /* what the last reply answered */
	char word[33];
};

static void on_reply(void *ud, const struct tc_msg *m)
{
	struct seen *s = ud;
	(void)m;
	s->replies++;
	if (s->s && s->s->answering) {
		s->def = s->s->answering->def;
		snprintf(s->word, sizeof(s->word), "%s", s->s->answering->word);
	}
}

static void on_event(void *ud, const struct tc_msg *m)
{
	struct seen *s = ud;
	(void)m;
	s->events++;
}

/* A session on one end of a socketpair; *tor gets the other end. */
static void open_session(struct session *s, struct seen *seen, int *tor, int timeout_ms)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		abort();
	ctl_init(&s->ctl, sv[0], CTL_DEFAULT_LIMIT, timeout_ms);
	session_init(s, on_reply, on_event, seen);
	*tor = sv[1];
}

static void tor_says(int tor, const char *text)
{
	if (write(tor, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
}

static int submit(struct session *s, const char *line)
{
	struct buf err = {0};
	int rc = session_submit(s, line, strlen(line), NULL, 0, false, &err);
	buf_free(&err);
	return rc;
}

static void check_matching(void)
{
	struct session s;
	struct seen seen = {0};
	int tor;
	open_session(&s, &seen, &tor, 30000);
	CHECK(submit(&s, "GETINFO version") == 0 && s.inflight == 1, "a command is sent and awaited");
	tor_says(tor, "650 BW 1 1\r\n250-version=x\r\n250 OK\r\n");
	CHECK(session_pump(&s) == 0 && seen.replies == 1 && seen.events == 1 && s.inflight == 0,
	      "its reply goes to it, the event apart");
	CHECK(session_deadline(&s) == -1, "nothing awaited: no deadline");
	tor_says(tor, "250 OK\r\n");
	CHECK(session_pump(&s) < 0 && s.ctl.state == CTL_PROTO_ERROR && seen.replies == 1,
	      "a reply while nothing is awaited: protocol error, not delivered");
	CHECK(strstr(s.ctl.err, "no command was waiting") != NULL, "said so: %s", s.ctl.err);
	close(tor);
	session_free(&s);
}

/* Received with the authentication's replies, before any command: caught
 * when the first command is about to be sent, and that is not sent. */
static void check_early_reply(void)
{
	struct session s;
	struct seen seen = {0};
	int tor;
	open_session(&s, &seen, &tor, 30000);
	struct tc_msg *m;
	/* one read brings both; the first is AUTHENTICATE's, the second stays */
	tor_says(tor, "250 OK\r\n250 OK\r\n");
	CHECK(ctl_wait_until(&s.ctl, &m, -1) == 1, "(AUTHENTICATE's reply)");
	CHECK(submit(&s, "GETINFO version") < 0 && s.ctl.state == CTL_PROTO_ERROR,
	      "the extra reply is caught before the command is sent");
	char got[64];
	CHECK(recv(tor, got, sizeof(got), MSG_DONTWAIT) < 0, "nothing was sent");
	close(tor);
	session_free(&s);
}

static void check_deadline(void)
{
	struct session s;
	struct seen seen = {0};
	int tor;
	open_session(&s, &seen, &tor, 1000);
	long before = mono_ms();
	submit(&s, "GETINFO version");
	long due = session_deadline(&s);
	CHECK(due >= before + 1000 && due <= mono_ms() + 1000, "due %ld ms after sending", due - before);
	submit(&s, "GETINFO config-file");
	CHECK(session_deadline(&s) == due, "the oldest command sets the deadline");
	tor_says(tor, "650 BW 1 1\r\n650 BW");
	session_pump(&s);
	CHECK(session_deadline(&s) == due && !session_timed_out(&s, due - 1), "events do not move it");
	CHECK(session_timed_out(&s, due) && s.ctl.state == CTL_TIMEOUT, "at the deadline: timed out");
	CHECK_STR(s.ctl.err, "no reply to GETINFO version within 1 s (--timeout)", "the message names the command");
	struct buf lost = {0};
	session_describe_unanswered(&s, &lost);
	CHECK_STR(lost.p, "nor to: GETINFO config-file", "and the others unanswered");
	buf_free(&lost);
	close(tor);
	session_free(&s);
}

static void check_labels(void)
{
	struct session s;
	struct seen seen = {0};
	int tor;
	open_session(&s, &seen, &tor, 0);
	submit(&s, "AUTHENTICATE \"hunter2\"");
	submit(&s, "/raw SETCONF ContactInfo=\033[2Jx");
	CHECK(session_internal(&s, "names", "GETINFO info/names") == 0, "(torsh's own request)");
	submit(&s, "SETCONF ContactInfo=a");
	submit(&s, "GETINFO version");
	CHECK(session_deadline(&s) == -1, "--timeout 0: no deadline");
	struct buf lost = {0};
	session_describe_unanswered(&s, &lost);
	CHECK_STR(lost.p, "no reply to: AUTHENTICATE, SETCONF ContactInfo=?[2Jx, SETCONF ContactInfo=a and 1 more",
		  "unanswered named: a secret by its word only, printable ASCII, torsh's own left out");
	buf_free(&lost);
	close(tor);
	session_free(&s);
}

/* The command a reply answers travels with it from the parse: its table
 * entry, also for /raw (QUIT closes, GETCONF's bare keys are typed). */
static void check_carried(void)
{
	struct session s;
	struct seen seen = {.s = &s};
	int tor;
	open_session(&s, &seen, &tor, 0);
	submit(&s, "/raw getconf Nickname");
	submit(&s, "/raw NOSUCHCOMMAND x");
	submit(&s, "GETINFO version");
	tor_says(tor, "250 Nickname\r\n");
	session_pump(&s);
	CHECK(seen.def && (seen.def->flags & CMD_REPLY_KEYS) && strcmp(seen.word, "getconf") == 0,
	      "/raw getconf: answered as GETCONF, its word as sent");
	tor_says(tor, "510 Unrecognized command \"NOSUCHCOMMAND\"\r\n");
	session_pump(&s);
	CHECK(seen.def == NULL && strcmp(seen.word, "NOSUCHCOMMAND") == 0, "a word torsh does not know: no entry");
	tor_says(tor, "250-version=x\r\n250 OK\r\n");
	session_pump(&s);
	CHECK(seen.def && strcmp(seen.def->name, "GETINFO") == 0 && s.answering == NULL,
	      "a typed command: its entry; nothing answered outside the callback");
	CHECK(!s.quit_sent, "no QUIT yet");
	submit(&s, "/raw quit");
	CHECK(s.quit_sent, "/raw quit: tor will close, the session knows");
	tor_says(tor, "250 closing connection\r\n");
	char sent[512];
	while (recv(tor, sent, sizeof(sent), MSG_DONTWAIT) > 0)
		; /* read, or closing would reset the connection */
	close(tor);
	int rc = 0;
	for (int i = 0; i < 3 && rc == 0; i++)
		rc = session_pump(&s);
	CHECK(rc < 0 && s.closed_by_quit, "closed by QUIT, not lost");
	session_free(&s);
}

int main(void)
{
	check_matching();
	check_early_reply();
	check_deadline();
	check_labels();
	check_carried();
	return tap_done();
}
