#include "conn.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "clock.h"

__attribute__((format(printf, 3, 4)))
static void set_err(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
}

int endpoint_unix(const char *path, struct endpoint *ep, char *err, size_t errlen)
{
	memset(ep, 0, sizeof(*ep));
	if (path[0] == '\0') {
		set_err(err, errlen, "empty socket path");
		return -1;
	}
	if (strlen(path) >= sizeof(ep->path)) {
		set_err(err, errlen, "socket path too long (at most 107 bytes): %s", path);
		return -1;
	}
	ep->kind = EP_UNIX;
	snprintf(ep->path, sizeof(ep->path), "%s", path);
	snprintf(ep->display, sizeof(ep->display), "%s", path);
	return 0;
}

/* The start of the last `k` components of path (path itself when it has no
 * more than k). */
static const char *last_components(const char *path, int k)
{
	const char *p = path + strlen(path);
	while (p > path) {
		p--;
		if (*p == '/' && --k == 0)
			return p == path ? path : p + 1;
	}
	return path;
}

void endpoint_short_name(const struct endpoint *ep, const char *home, char *out, size_t n)
{
	if (ep->kind != EP_UNIX) {
		snprintf(out, n, "%s", ep->display);
		return;
	}
	size_t hlen = home ? strlen(home) : 0;
	while (hlen > 0 && home[hlen - 1] == '/')
		hlen--;
	if (hlen > 0 && strncmp(ep->path, home, hlen) == 0 && ep->path[hlen] == '/') {
		const char *rest = ep->path + hlen + 1;
		if (last_components(rest, 2) == rest) {
			snprintf(out, n, "~/%s", rest);
			return;
		}
	}
	snprintf(out, n, "%s", last_components(ep->path, 2));
}

static int valid_port(const char *p)
{
	if (*p == '\0' || strlen(p) > 5)
		return 0;
	long v = 0;
	for (const char *s = p; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		v = v * 10 + (*s - '0');
	}
	return v >= 1 && v <= 65535;
}

int endpoint_parse_tcp(const char *spec, struct endpoint *ep, char *err, size_t errlen)
{
	memset(ep, 0, sizeof(*ep));
	ep->kind = EP_TCP;
	const char *host = "127.0.0.1", *port = spec;
	size_t hostlen = strlen(host);
	if (spec[0] == '[') {
		const char *close = strchr(spec, ']');
		if (close == NULL || close[1] != ':') {
			set_err(err, errlen, "expected [ADDRESS]:PORT, got '%s'", spec);
			return -1;
		}
		host = spec + 1;
		hostlen = (size_t)(close - host);
		port = close + 2;
	} else {
		const char *colon = strrchr(spec, ':');
		if (colon) {
			if (strchr(spec, ':') != colon) {
				set_err(err, errlen, "an IPv6 address needs brackets: [ADDRESS]:PORT, got '%s'", spec);
				return -1;
			}
			host = spec;
			hostlen = (size_t)(colon - spec);
			port = colon + 1;
		}
	}
	if (hostlen == 0 || hostlen >= sizeof(ep->host)) {
		set_err(err, errlen, "expected [ADDRESS:]PORT, got '%s'", spec);
		return -1;
	}
	if (!valid_port(port)) {
		set_err(err, errlen, "expected a port number 1-65535, got '%s'", port);
		return -1;
	}
	memcpy(ep->host, host, hostlen);
	ep->host[hostlen] = '\0';
	snprintf(ep->port, sizeof(ep->port), "%s", port);
	if (strchr(ep->host, ':'))
		snprintf(ep->display, sizeof(ep->display), "[%s]:%s", ep->host, ep->port);
	else
		snprintf(ep->display, sizeof(ep->display), "%s:%s", ep->host, ep->port);
	return 0;
}

int candidates_default(struct candidates *c, char *err, size_t errlen)
{
	c->n = 0;
	const char *ipc = getenv("TOR_CONTROL_IPC_PATH");
	const char *host = getenv("TOR_CONTROL_HOST");
	const char *port = getenv("TOR_CONTROL_PORT");
	char e[200];
	if (ipc && *ipc) {
		if (endpoint_unix(ipc, &c->ep[c->n], e, sizeof(e)) < 0) {
			snprintf(err, errlen, "TOR_CONTROL_IPC_PATH: %s", e);
			return -1;
		}
		c->n++;
	}
	if ((host && *host) || (port && *port)) {
		char spec[300];
		const char *h = host && *host ? host : "127.0.0.1";
		const char *p = port && *port ? port : "9051";
		if (strchr(h, ':') && h[0] != '[')
			snprintf(spec, sizeof(spec), "[%s]:%s", h, p);
		else
			snprintf(spec, sizeof(spec), "%s:%s", h, p);
		if (endpoint_parse_tcp(spec, &c->ep[c->n], e, sizeof(e)) < 0) {
			snprintf(err, errlen, "TOR_CONTROL_HOST/TOR_CONTROL_PORT: %s", e);
			return -1;
		}
		c->n++;
	}
	/* An explicit environment choice is not silently replaced by some other
	 * tor found at a default location. */
	if (c->n > 0)
		return 0;
	static const char *const unix_paths[] = {"/run/tor/control", "/var/run/tor/control"};
	static const char *const tcp[] = {"127.0.0.1:9051", "127.0.0.1:9151"};
	for (size_t i = 0; i < 2; i++)
		endpoint_unix(unix_paths[i], &c->ep[c->n++], e, sizeof(e));
	for (size_t i = 0; i < 2; i++)
		endpoint_parse_tcp(tcp[i], &c->ep[c->n++], e, sizeof(e));
	return 0;
}

/* Non-blocking connect bounded by a deadline, then back to blocking mode. */
static int connect_timeout(int fd, const struct sockaddr *sa, socklen_t salen, long deadline)
{
	int flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		return -1;
	if (connect(fd, sa, salen) < 0) {
		if (errno != EINPROGRESS)
			return -1;
		struct pollfd pfd = {.fd = fd, .events = POLLOUT};
		for (;;) {
			long left = deadline - mono_ms();
			if (left <= 0) {
				errno = ETIMEDOUT;
				return -1;
			}
			int n = poll(&pfd, 1, (int)left);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return -1;
			if (n > 0)
				break;
		}
		int soerr = 0;
		socklen_t l = sizeof(soerr);
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &l) < 0)
			return -1;
		if (soerr) {
			errno = soerr;
			return -1;
		}
	}
	return fcntl(fd, F_SETFL, flags);
}

/* endpoint_unix's length check is what keeps the memcpy below in bounds. */
_Static_assert(sizeof(((struct endpoint *)0)->path) <= sizeof(((struct sockaddr_un *)0)->sun_path),
	       "a socket path that fits struct endpoint fits sun_path");

static int open_unix(const struct endpoint *ep, long deadline, char *why, size_t whylen)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	memcpy(sun.sun_path, ep->path, strlen(ep->path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		return -1;
	}
	if (connect_timeout(fd, (struct sockaddr *)&sun, sizeof(sun), deadline) < 0) {
		int e = errno;
		struct stat st;
		if (e == ECONNREFUSED && stat(ep->path, &st) == 0 && !S_ISSOCK(st.st_mode))
			snprintf(why, whylen, "not a socket");
		else if (e == ECONNREFUSED)
			snprintf(why, whylen, "Connection refused (stale socket: nothing listens there)");
		else
			snprintf(why, whylen, "%s", strerror(e));
		close(fd);
		return -1;
	}
	return fd;
}

static int open_tcp(const struct endpoint *ep, long deadline, char *why, size_t whylen)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_family = AF_UNSPEC}, *res = NULL;
	int rc = getaddrinfo(ep->host, ep->port, &hints, &res);
	if (rc != 0) {
		snprintf(why, whylen, "cannot resolve '%s': %s", ep->host, gai_strerror(rc));
		return -1;
	}
	int fd = -1;
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0) {
			snprintf(why, whylen, "%s", strerror(errno));
			continue;
		}
		if (connect_timeout(fd, ai->ai_addr, ai->ai_addrlen, deadline) == 0)
			break;
		snprintf(why, whylen, "%s", errno == ETIMEDOUT ? "timed out" : strerror(errno));
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

int conn_open(const struct endpoint *ep, int timeout_ms, char *why, size_t whylen)
{
	long deadline = mono_ms() + (timeout_ms > 0 ? timeout_ms : 1000L * 3600 * 24);
	return ep->kind == EP_UNIX ? open_unix(ep, deadline, why, whylen)
				   : open_tcp(ep, deadline, why, whylen);
}

int conn_open_any(const struct candidates *c, int timeout_ms, size_t *used, struct buf *report)
{
	for (size_t i = 0; i < c->n; i++) {
		char why[200];
		int fd = conn_open(&c->ep[i], timeout_ms, why, sizeof(why));
		if (fd >= 0) {
			*used = i;
			return fd;
		}
		buf_printf(report, BUF_NOLIMIT, "  %-28s %s\n", c->ep[i].display, why);
	}
	return -1;
}

int conn_write_all(int fd, const char *p, size_t n, int timeout_ms)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd pfd = {.fd = fd, .events = POLLOUT};
			int r = poll(&pfd, 1, timeout_ms > 0 ? timeout_ms : -1);
			if (r == 0) {
				errno = ETIMEDOUT;
				return -1;
			}
			if (r < 0 && errno != EINTR)
				return -1;
			continue;
		}
		return -1;
	}
	return 0;
}
