#include "ctl.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

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

__attribute__((format(printf, 3, 4)))
static int lost(struct ctl *c, enum ctl_state st, const char *fmt, ...)
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
		return lost(c, errno == ETIMEDOUT ? CTL_TIMEOUT : CTL_IO_ERROR,
			    "cannot send to tor: %s", errno == ETIMEDOUT ? "timed out" : strerror(errno));
	return 0;
}

int ctl_fill(struct ctl *c)
{
	char chunk[65536];
	if (c->state != CTL_OPEN)
		return -1;
	ssize_t n = recv(c->fd, chunk, sizeof(chunk), MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return 0;
	if (n < 0)
		return lost(c, CTL_IO_ERROR, "connection to tor failed: %s", strerror(errno));
	if (n == 0)
		return lost(c, CTL_EOF, "%s", reader_midway(&c->rd) ?
			    "tor closed the connection in the middle of a reply" : "tor closed the connection");
	if (c->trace)
		c->trace(c->trace_ud, '<', chunk, (size_t)n);
	if (reader_feed(&c->rd, chunk, (size_t)n) < 0)
		return lost(c, CTL_PROTO_ERROR, "%s", c->rd.err);
	return 1;
}

int ctl_next(struct ctl *c, struct tc_msg **m)
{
	int rc = reader_next(&c->rd, m);
	if (rc < 0)
		return lost(c, CTL_PROTO_ERROR, "%s", c->rd.err);
	return rc;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int ctl_wait(struct ctl *c, struct tc_msg **m, int timeout_ms)
{
	long deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
	for (;;) {
		int rc = ctl_next(c, m);
		if (rc != 0)
			return rc;
		if (c->state != CTL_OPEN)
			return -1;
		long left = deadline < 0 ? -1 : deadline - now_ms();
		if (deadline >= 0 && left <= 0)
			return 0;
		struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
		int n = poll(&pfd, 1, (int)left);
		if (n < 0 && errno != EINTR)
			return lost(c, CTL_IO_ERROR, "poll: %s", strerror(errno));
		if (n > 0) {
			if (ctl_fill(c) < 0)
				return -1;
			/* A read timeout measures silence, not the size of a reply. */
			if (deadline >= 0)
				deadline = now_ms() + timeout_ms;
		}
	}
}

int ctl_request(struct ctl *c, const char *wire, size_t len, struct tc_msg **reply,
		ctl_event_fn on_event, void *ud)
{
	if (ctl_send(c, wire, len) < 0)
		return -1;
	for (;;) {
		struct tc_msg *m;
		int rc = ctl_wait(c, &m, c->io_timeout_ms > 0 ? c->io_timeout_ms : -1);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			return lost(c, CTL_TIMEOUT, "no reply from tor within %.1f s (--timeout)",
				    c->io_timeout_ms / 1000.0);
		}
		if (!m->event) {
			*reply = m;
			return 1;
		}
		if (on_event)
			on_event(ud, m);
	}
}
