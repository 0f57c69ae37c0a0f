#include "session.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "command.h"

void session_init(struct session *s, session_msg_fn on_reply, session_msg_fn on_event, void *ud)
{
	s->inflight = 0;
	s->quit_sent = s->closed_by_quit = false;
	s->on_reply = on_reply;
	s->on_event = on_event;
	s->ud = ud;
	memset(&s->wire, 0, sizeof(s->wire));
	memset(&s->pending, 0, sizeof(s->pending));
	s->reply_to = "";
	s->on_internal = NULL;
	s->dispatching = false;
}

void session_free(struct session *s)
{
	buf_free(&s->wire);
	buf_free(&s->pending);
	ctl_close(&s->ctl);
}

/* Printable ASCII only: a label goes into messages on a terminal. */
static void set_label(char *dst, size_t cap, const char *p, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 1 < cap; i++)
		dst[o++] = p[i] >= ' ' && p[i] < 0x7f ? p[i] : '?';
	if (o + 1 == cap && n > o)
		memcpy(dst + cap - 4, "...", 3);
	dst[o] = '\0';
}

/* Remember which command the next unanswered reply belongs to, so replies
 * can be typed (ONION_CLIENT_AUTH_VIEW's CLIENT lines, GETCONF's bare keys)
 * and an overdue one named; `secret`: name it by its word only. */
static void push_pending(struct session *s, const char *wire, size_t len, bool internal, const char *tag,
			 bool secret)
{
	struct pending_cmd pc = {.sent_ms = mono_ms(), .internal = internal};
	const char *line = wire;
	size_t n = 0, first = 0;
	if (len > 0 && line[0] == '+') {
		line++;
		len--;
	}
	while (n < len && n < sizeof(pc.word) - 1 && line[n] != ' ' && line[n] != '\r')
		n++;
	while (first < len && line[first] != '\r')
		first++;
	if (internal)
		snprintf(pc.word, sizeof(pc.word), "%s", tag);
	else
		memcpy(pc.word, line, n);
	set_label(pc.label, sizeof(pc.label), line, secret ? n : first);
	buf_append(&s->pending, &pc, sizeof(pc), BUF_NOLIMIT);
}

static struct pending_cmd *oldest(const struct session *s)
{
	return s->pending.len >= sizeof(struct pending_cmd) ? (struct pending_cmd *)(void *)s->pending.p : NULL;
}

static size_t npending(const struct session *s)
{
	return s->pending.len / sizeof(struct pending_cmd);
}

static int dispatch(struct session *s);

/* Replies already received when a command is sent cannot be its reply
 * (they came with the authentication's, say): deliver them first, so one
 * that no command awaits is caught as such. */
static int deliver_received(struct session *s)
{
	return s->dispatching ? 0 : dispatch(s);
}

int session_internal(struct session *s, const char *tag, const char *command)
{
	/* after QUIT tor closes: a write now would only fail (EPIPE) and make
	 * the orderly end look like a lost connection */
	if (s->quit_sent || deliver_received(s) < 0)
		return -1;
	buf_reset(&s->wire);
	buf_printf(&s->wire, BUF_NOLIMIT, "%s\r\n", command);
	if (ctl_send(&s->ctl, s->wire.p, s->wire.len) < 0)
		return -1;
	push_pending(s, s->wire.p, s->wire.len, true, tag, false);
	return 0;
}

static void pop_pending(struct session *s)
{
	if (oldest(s))
		buf_consume(&s->pending, sizeof(struct pending_cmd));
}

void session_reset(struct session *s, int fd)
{
	size_t limit = s->ctl.rd.limit;
	int timeout = s->ctl.io_timeout_ms;
	volatile sig_atomic_t *stop = s->ctl.stop;
	ctl_close(&s->ctl);
	ctl_init(&s->ctl, fd, limit, timeout);
	s->ctl.stop = stop;
	s->inflight = 0;
	s->quit_sent = s->closed_by_quit = false;
	buf_reset(&s->pending);
	s->reply_to = "";
}

static bool is_quit(const char *line, size_t len)
{
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	return len == 4 && strncasecmp(line, "QUIT", 4) == 0;
}

int session_submit(struct session *s, const char *line, size_t len, const char *body, size_t blen,
		   bool has_body, struct buf *err)
{
	if (command_prepare(line, len, body, blen, has_body, &s->wire, err) < 0)
		return -1;
	if (deliver_received(s) < 0 || ctl_send(&s->ctl, s->wire.p, s->wire.len) < 0)
		return -1;
	struct command_info info;
	command_inspect(line, len, &info);
	s->inflight++;
	push_pending(s, s->wire.p, s->wire.len, false, NULL, info.secret);
	if (is_quit(line, len))
		s->quit_sent = true;
	return 0;
}

/* One reply: to torsh's own request, or to the user's oldest command. */
static int dispatch_reply(struct session *s, const struct tc_msg *m)
{
	if (oldest(s) == NULL)
		return ctl_fail(&s->ctl, CTL_PROTO_ERROR,
				"protocol error: a reply (status %03d) arrived when no command was waiting for one",
				m->code);
	/* a copy: a callback that sends a command may move the queue */
	struct pending_cmd pc = *oldest(s);
	if (pc.internal) {
		if (s->on_internal)
			s->on_internal(s->ud, pc.word, m);
	} else {
		if (s->inflight > 0)
			s->inflight--;
		s->reply_to = pc.word;
		if (s->on_reply)
			s->on_reply(s->ud, m);
		s->reply_to = "";
	}
	/* the callbacks may have queued commands: the oldest is still first */
	pop_pending(s);
	return 0;
}

static int dispatch(struct session *s)
{
	struct tc_msg *m;
	int rc;
	s->dispatching = true;
	while ((rc = ctl_next(&s->ctl, &m)) > 0) {
		if (m->event) {
			if (s->on_event)
				s->on_event(s->ud, m);
		} else if (dispatch_reply(s, m) < 0) {
			rc = -1;
			break;
		}
	}
	s->dispatching = false;
	return rc;
}

int session_pump(struct session *s)
{
	int rc = ctl_fill(&s->ctl);
	/* Deliver whatever arrived complete, even when the read also hit EOF. */
	if (dispatch(s) < 0)
		return -1;
	if (rc < 0) {
		if (s->ctl.state == CTL_EOF && s->quit_sent && s->inflight == 0)
			s->closed_by_quit = true;
		return -1;
	}
	return 0;
}

long session_deadline(const struct session *s)
{
	const struct pending_cmd *pc = oldest(s);
	if (pc == NULL || s->ctl.io_timeout_ms <= 0)
		return -1;
	return pc->sent_ms + s->ctl.io_timeout_ms;
}

bool session_timed_out(struct session *s, long now_ms)
{
	long deadline = session_deadline(s);
	if (deadline < 0 || now_ms < deadline || s->ctl.state != CTL_OPEN)
		return false;
	ctl_fail(&s->ctl, CTL_TIMEOUT, "no reply to %s within %g s (--timeout)", oldest(s)->label,
		 s->ctl.io_timeout_ms / 1000.0);
	return true;
}

void session_describe_unanswered(const struct session *s, struct buf *out)
{
	const struct pending_cmd *pc = oldest(s);
	/* a timeout's message names the oldest already */
	bool timeout = s->ctl.state == CTL_TIMEOUT;
	size_t shown = 0, user = 0;
	for (size_t i = timeout ? 1 : 0; i < npending(s); i++) {
		if (pc[i].internal)
			continue;
		if (user++ < 3)
			buf_printf(out, BUF_NOLIMIT, "%s%s", shown++ ? ", " : timeout ? "nor to: " : "no reply to: ",
				   pc[i].label);
	}
	if (user > shown)
		buf_printf(out, BUF_NOLIMIT, " and %zu more", user - shown);
}

void session_quit(struct session *s, int timeout_ms)
{
	if (s->ctl.state != CTL_OPEN)
		return;
	if (!s->quit_sent) {
		static const char quit[] = "QUIT\r\n";
		if (ctl_send(&s->ctl, quit, sizeof(quit) - 1) < 0)
			return;
		s->quit_sent = true;
		s->inflight++;
		push_pending(s, quit, sizeof(quit) - 1, false, NULL, false);
		/* Our own QUIT's reply is not the user's business. */
		s->on_reply = NULL;
		s->on_event = NULL;
	}
	/* Every reply still owed, ours and the user's, comes before QUIT's.
	 * This runs after a stop request too: its own deadline bounds it. */
	size_t owed = npending(s);
	long deadline = mono_ms() + timeout_ms;
	struct tc_msg *m;
	s->ctl.stop = NULL;
	while (owed > 0 && ctl_wait_until(&s->ctl, &m, deadline) > 0)
		if (!m->event)
			owed--;
	s->inflight = 0;
}
