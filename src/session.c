#include "session.h"

#include <string.h>
#include <strings.h>

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
}

void session_free(struct session *s)
{
	buf_free(&s->wire);
	buf_free(&s->pending);
	ctl_close(&s->ctl);
}

/* Remember which command the next unanswered reply belongs to, so replies
 * can be typed (ONION_CLIENT_AUTH_VIEW's CLIENT lines, GETCONF's bare keys). */
static void push_pending(struct session *s, const char *wire, size_t len)
{
	size_t n = 0;
	if (len > 0 && wire[0] == '+') {
		wire++;
		len--;
	}
	while (n < len && n < 32 && wire[n] != ' ' && wire[n] != '\r')
		n++;
	buf_append(&s->pending, wire, n, BUF_NOLIMIT);
	buf_putc(&s->pending, '\0', BUF_NOLIMIT);
}

/* Internal entries are "\x01TAG". */
#define INTERNAL_MARK '\x01'

int session_internal(struct session *s, const char *tag, const char *command)
{
	/* after QUIT tor closes: a write now would only fail (EPIPE) and make
	 * the orderly end look like a lost connection */
	if (s->quit_sent)
		return -1;
	buf_reset(&s->wire);
	buf_printf(&s->wire, BUF_NOLIMIT, "%s\r\n", command);
	if (ctl_send(&s->ctl, s->wire.p, s->wire.len) < 0)
		return -1;
	buf_putc(&s->pending, INTERNAL_MARK, BUF_NOLIMIT);
	buf_append(&s->pending, tag, strlen(tag), BUF_NOLIMIT);
	buf_putc(&s->pending, '\0', BUF_NOLIMIT);
	return 0;
}

static void pop_pending(struct session *s)
{
	if (s->pending.len > 0)
		buf_consume(&s->pending, strlen(s->pending.p) + 1);
}

void session_reset(struct session *s, int fd)
{
	size_t limit = s->ctl.rd.limit;
	int timeout = s->ctl.io_timeout_ms;
	ctl_close(&s->ctl);
	ctl_init(&s->ctl, fd, limit, timeout);
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
	if (ctl_send(&s->ctl, s->wire.p, s->wire.len) < 0)
		return -1;
	s->inflight++;
	push_pending(s, s->wire.p, s->wire.len);
	if (is_quit(line, len))
		s->quit_sent = true;
	return 0;
}

static int dispatch(struct session *s)
{
	struct tc_msg *m;
	int rc;
	while ((rc = ctl_next(&s->ctl, &m)) > 0) {
		if (m->event) {
			if (s->on_event)
				s->on_event(s->ud, m);
			continue;
		}
		if (s->pending.len > 0 && s->pending.p[0] == INTERNAL_MARK) {
			if (s->on_internal)
				s->on_internal(s->ud, s->pending.p + 1, m);
			pop_pending(s);
			continue;
		}
		if (s->inflight > 0)
			s->inflight--;
		s->reply_to = s->pending.len > 0 ? s->pending.p : "";
		if (s->on_reply)
			s->on_reply(s->ud, m);
		s->reply_to = "";
		pop_pending(s);
	}
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
		push_pending(s, quit, sizeof(quit) - 1);
		/* Our own QUIT's reply is not the user's business. */
		s->on_reply = NULL;
		s->on_event = NULL;
	}
	/* every reply still owed, ours and the user's, comes before QUIT's */
	size_t owed = s->inflight;
	for (size_t i = 0; i < s->pending.len; i += strlen(s->pending.p + i) + 1)
		owed += s->pending.p[i] == INTERNAL_MARK;
	struct tc_msg *m;
	while (owed > 0 && ctl_wait(&s->ctl, &m, timeout_ms) > 0)
		if (!m->event)
			owed--;
	s->inflight = 0;
}
