#include "ctl.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "conn.h"

void ctl_init(struct ctl *c, int fd, size_t limit, int io_timeout_ms)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->io_timeout_ms = io_timeout_ms;
	reader_init(&c->rd, limit);
}

void ctl_close(struct ctl *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	reader_free(&c->rd);
}

int ctl_fail(struct ctl *c, enum ctl_state st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	c->state = st;
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	return -1;
}


int ctl_send(struct ctl *c, const char *wire, size_t len)
{
	if (c->state != CTL_OPEN)
		return -1;
	if (c->trace)
		c->trace(c->trace_ud, '>', wire, len);
	if (conn_write_all(c->fd, wire, len, c->io_timeout_ms) < 0)
		return ctl_fail(c, errno == ETIMEDOUT ? CTL_TIMEOUT : CTL_IO_ERROR,
			    "cannot send to tor: %s", errno == ETIMEDOUT ? "timed out" : strerror(errno));
	return 0;
}

int ctl_fill(struct ctl *c)
{
	if (c->state != CTL_OPEN)
		return -1;
	/* read straight into the reader's input: no copy of every byte */
	size_t room;
	char *chunk = reader_space(&c->rd, 65536, &room);
	if (chunk == NULL)
		return ctl_fail(c, CTL_PROTO_ERROR, "%s", c->rd.err);
	ssize_t n = recv(c->fd, chunk, room, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return 0;
	if (n < 0)
		return ctl_fail(c, CTL_IO_ERROR, "connection to tor failed: %s", strerror(errno));
	if (n == 0)
		return ctl_fail(c, CTL_EOF, "%s", reader_midway(&c->rd) ?
			    "tor closed the connection in the middle of a reply" : "tor closed the connection");
	if (c->trace)
		c->trace(c->trace_ud, '<', chunk, (size_t)n);
	reader_commit(&c->rd, (size_t)n);
	return 1;
}

int ctl_next(struct ctl *c, struct tc_msg **m)
{
	int rc = reader_next(&c->rd, m);
	if (rc < 0)
		return ctl_fail(c, CTL_PROTO_ERROR, "%s", c->rd.err);
	return rc;
}

int ctl_wait_until(struct ctl *c, struct tc_msg **m, long deadline_ms)
{
	for (;;) {
		int rc = ctl_next(c, m);
		if (rc != 0)
			return rc;
		if (c->state != CTL_OPEN)
			return -1;
		if (c->stop && *c->stop)
			return ctl_fail(c, CTL_IO_ERROR, "interrupted by a signal");
		/* The deadline stays put whatever arrives meanwhile: a peer that
		 * drips a byte at a time, or events, cannot stretch it. */
		long left = deadline_ms < 0 ? -1 : deadline_ms - mono_ms();
		if (deadline_ms >= 0 && left <= 0)
			return 0;
		struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
		int n = poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left);
		if (n < 0 && errno != EINTR)
			return ctl_fail(c, CTL_IO_ERROR, "poll: %s", strerror(errno));
		if (n > 0 && ctl_fill(c) < 0)
			return -1;
	}
}

/* The command word of a wire line, for messages: never its arguments,
 * which may be secret (AUTHENTICATE). */
static int word_len(const char *wire, size_t len)
{
	size_t n = 0;
	while (n < len && n < 32 && wire[n] > ' ' && wire[n] < 0x7f)
		n++;
	return (int)n;
}

int ctl_request(struct ctl *c, const char *wire, size_t len, struct tc_msg **reply,
		ctl_event_fn on_event, void *ud)
{
	if (ctl_send(c, wire, len) < 0)
		return -1;
	long deadline = c->io_timeout_ms > 0 ? mono_ms() + c->io_timeout_ms : -1;
	for (;;) {
		struct tc_msg *m;
		int rc = ctl_wait_until(c, &m, deadline);
		if (rc < 0)
			return -1;
		if (rc == 0)
			return ctl_fail(c, CTL_TIMEOUT, "no reply to %.*s within %g s (--timeout)", word_len(wire, len),
				    wire, c->io_timeout_ms / 1000.0);
		if (!m->event) {
			*reply = m;
			return 1;
		}
		if (on_event)
			on_event(ud, m);
	}
}
