#include "session.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "command.h"
#include "event.h"

void session_init(struct session *s, session_msg_fn on_reply, session_msg_fn on_event, void *ud)
{
	s->inflight = 0;
	s->quit_sent = s->closed_by_quit = false;
	s->on_reply = on_reply;
	s->on_event = on_event;
	s->ud = ud;
	memset(&s->wire, 0, sizeof(s->wire));
	memset(&s->pending, 0, sizeof(s->pending));
	s->answering = NULL;
	s->on_internal = NULL;
	s->call_reply = NULL;
	s->call_done = false;
	s->dispatching = false;
	s->stream_replies = false;
	s->events = 0;
	s->tap = NULL;
	s->tap_ud = NULL;
	s->observe = NULL;
	s->observe_ud = NULL;
	s->observe_free = NULL;
}

void session_free(struct session *s)
{
	buf_free(&s->wire);
	buf_free(&s->pending);
	if (s->observe_free)
		s->observe_free(s->observe_ud);
	s->observe_ud = NULL;
	ctl_close(&s->ctl);
}

/* Remember which command the next unanswered reply belongs to, so replies
 * can be typed (ONION_CLIENT_AUTH_VIEW's CLIENT lines, GETCONF's bare keys)
 * and an overdue one named. */
static void push_pending(struct session *s, const struct cmd_def *def, bool internal, const char *word,
			 const char *label)
{
	struct pending_cmd pc = {.sent_ms = mono_ms(), .internal = internal, .def = def};
	snprintf(pc.word, sizeof(pc.word), "%s", word);
	snprintf(pc.label, sizeof(pc.label), "%s", label);
	buf_append(&s->pending, &pc, sizeof(pc), BUF_NOLIMIT);
}

#define SESSION_WAIT_TICK_MS 200
#define SESSION_CALL_TAG "call"

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
	s->sending_internal = true;
	int rc = ctl_send(&s->ctl, s->wire.p, s->wire.len);
	s->sending_internal = false;
	if (rc < 0)
		return -1;
	push_pending(s, NULL, true, tag, command);
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
	s->answering = NULL;
	s->events = 0; /* a new connection starts with none */
}

/* A parsed SETEVENTS: the set it asks for, taken when tor says OK. */
static void note_setevents(struct session *s, const struct command *c)
{
	const struct cmd *p = &c->parsed;
	if (p->def == NULL || !(p->def->flags & CMD_SETS_EVENTS) || npending(s) == 0)
		return;
	struct pending_cmd *pc = (struct pending_cmd *)(void *)(s->pending.p + s->pending.len) - 1;
	pc->sets_events = true;
	for (size_t i = 0; i < p->nitems; i++) {
		const struct event_def *d = event_def_find(p->items[i].val, p->items[i].vlen);
		if (d)
			pc->events |= (uint64_t)1 << (d - event_defs);
	}
}

int session_send(struct session *s, const struct command *c)
{
	if (deliver_received(s) < 0 || ctl_send(&s->ctl, c->wire.p, c->wire.len) < 0)
		return -1;
	s->inflight++;
	push_pending(s, c->def, false, c->word, c->label);
	note_setevents(s, c);
	/* tor closes after answering, whatever follows QUIT on the line */
	if (c->def && (c->def->flags & CMD_CLOSES))
		s->quit_sent = true;
	return 0;
}

int session_submit(struct session *s, const char *line, size_t len, const char *body, size_t blen,
		   bool has_body, struct buf *err)
{
	struct command c = {0};
	struct cmd_error e;
	int rc = command_build(&c, line, len, body, blen, has_body, &e);
	if (rc < 0)
		command_error_text(&e, err);
	else
		rc = session_send(s, &c);
	command_free(&c);
	return rc;
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
	if (m->partial) {
		/* a piece of the user's reply: more of it follows */
		s->answering = &pc;
		if (s->on_reply)
			s->on_reply(s->ud, m);
		s->answering = NULL;
		return 0;
	}
	if (pc.internal && strcmp(pc.word, SESSION_CALL_TAG) == 0) {
		if (s->call_reply && msg_copy(s->call_reply, m) == 0)
			s->call_done = true;
	} else if (pc.internal) {
		if (s->on_internal)
			s->on_internal(s->ud, pc.word, m);
	} else {
		if (s->inflight > 0)
			s->inflight--;
		if (pc.sets_events && msg_ok(m))
			s->events = pc.events;
		s->answering = &pc;
		if (s->on_reply)
			s->on_reply(s->ud, m);
		s->answering = NULL;
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
	for (;;) {
		/* replies come in order: the oldest command's is the one arriving */
		const struct pending_cmd *to = oldest(s);
		s->ctl.rd.stream_min = s->stream_replies && to && !to->internal ? SESSION_STREAM_MIN : 0;
		if ((rc = ctl_next(&s->ctl, &m)) <= 0)
			break;
		if (m->event) {
			if (s->observe)
				s->observe(s->observe_ud, m);
			if (s->tap && s->tap(s->tap_ud, m))
				continue;
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

int session_call(struct session *s, const char *command, struct tc_msg *reply, struct buf *err)
{
	if (s->dispatching) {
		buf_printf(err, BUF_NOLIMIT, "cannot ask tor now (a reply is being delivered)");
		return -1;
	}
	if (session_internal(s, SESSION_CALL_TAG, command) < 0) {
		buf_printf(err, BUF_NOLIMIT, "the connection is gone");
		return -1;
	}
	s->call_reply = reply;
	s->call_done = false;
	while (!s->call_done && s->ctl.state == CTL_OPEN) {
		struct pollfd p = {.fd = s->ctl.fd, .events = POLLIN};
		long due = session_deadline(s), now = mono_ms();
		int n = poll(&p, 1, due < 0 ? -1 : due > now ? (int)(due - now) : 0);
		if (n < 0 && errno != EINTR)
			break;
		if ((n > 0 && session_pump(s) < 0) || session_timed_out(s, mono_ms()))
			break;
		if (s->ctl.stop && *s->ctl.stop)
			break;
	}
	s->call_reply = NULL;
	if (s->call_done)
		return 0;
	buf_printf(err, BUF_NOLIMIT, "%s", s->ctl.state != CTL_OPEN ? s->ctl.err : "stopped");
	return -1;
}

int session_wait(struct session *s, long deadline_ms, int extra_fd, short *extra_events,
		 bool (*step)(void *ud, short revents), void *ud, struct buf *err)
{
	if (s->dispatching) {
		buf_printf(err, BUF_NOLIMIT, "cannot wait now (a reply is being delivered)");
		return -1;
	}
	if (step(ud, 0))
		return 0;
	while (s->ctl.state == CTL_OPEN && !(s->ctl.stop && *s->ctl.stop)) {
		struct pollfd p[2] = {{.fd = s->ctl.fd, .events = POLLIN},
				      {.fd = extra_fd, .events = extra_events ? *extra_events : 0}};
		long now = mono_ms(), due = session_deadline(s);
		if (now >= deadline_ms)
			return 1;
		if (due < 0 || due > deadline_ms)
			due = deadline_ms;
		if (due > now + SESSION_WAIT_TICK_MS)
			due = now + SESSION_WAIT_TICK_MS; /* step sees time pass */
		int n = poll(p, extra_fd >= 0 ? 2 : 1, due > now ? (int)(due - now) : 0);
		if (n < 0 && errno != EINTR)
			break;
		if ((n > 0 && p[0].revents && session_pump(s) < 0) || session_timed_out(s, mono_ms()))
			break;
		if (step(ud, n > 0 && extra_fd >= 0 ? p[1].revents : 0))
			return 0;
	}
	buf_printf(err, BUF_NOLIMIT, "%s", s->ctl.state != CTL_OPEN ? s->ctl.err : "stopped");
	return -1;
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
		push_pending(s, cmd_find("QUIT", 4), false, "QUIT", "QUIT");
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
