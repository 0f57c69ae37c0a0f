#include "socks.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <poll.h>

static int fail(struct socks *k, const char *what)
{
	snprintf(k->err, sizeof(k->err), "%s", what);
	k->state = SOCKS_FAILED;
	return -1;
}

/* "host:port" (IPv4, [IPv6]) or "unix:/path" into a sockaddr */
static int parse_listener(const char *s, size_t n, struct sockaddr_storage *ss, socklen_t *sl, char *err, size_t cap)
{
	char a[300];
	if (n >= sizeof(a) || n == 0)
		return snprintf(err, cap, "SOCKS listener address too long or empty"), -1;
	memcpy(a, s, n);
	a[n] = '\0';
	memset(ss, 0, sizeof(*ss));
	if (strncmp(a, "unix:", 5) == 0) {
		struct sockaddr_un *u = (struct sockaddr_un *)ss;
		if (strlen(a + 5) >= sizeof(u->sun_path))
			return snprintf(err, cap, "SOCKS socket path too long"), -1;
		u->sun_family = AF_UNIX;
		strcpy(u->sun_path, a + 5);
		*sl = sizeof(*u);
		return 0;
	}
	char *colon = strrchr(a, ':');
	if (colon == NULL)
		return snprintf(err, cap, "SOCKS listener without a port"), -1;
	*colon = '\0';
	unsigned long port = strtoul(colon + 1, NULL, 10);
	char *host = a;
	if (host[0] == '[' && colon > a + 1 && colon[-1] == ']') {
		host++;
		colon[-1] = '\0';
	}
	struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
	if (port == 0 || port > 65535)
		return snprintf(err, cap, "SOCKS listener port not a number 1-65535"), -1;
	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		*sl = sizeof(*v4);
	} else if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		*sl = sizeof(*v6);
	} else {
		return snprintf(err, cap, "SOCKS listener is not an IP address"), -1;
	}
	return 0;
}

int socks_start(struct socks *k, const char *listener, size_t n, const char *host, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t sl = 0;
	memset(k, 0, sizeof(*k));
	k->fd = -1;
	k->reply = -1;
	k->port = port;
	if (strlen(host) > 255 || host[0] == '\0')
		return fail(k, "target host name empty or longer than 255 bytes");
	snprintf(k->host, sizeof(k->host), "%s", host);
	if (parse_listener(listener, n, &ss, &sl, k->err, sizeof(k->err)) < 0)
		return k->state = SOCKS_FAILED, -1;
	k->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (k->fd < 0)
		return fail(k, strerror(errno));
	k->state = SOCKS_CONNECTING;
	if (connect(k->fd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS) {
		snprintf(k->err, sizeof(k->err), "cannot connect to the SocksPort: %s", strerror(errno));
		k->state = SOCKS_FAILED;
		return -1;
	}
	/* version 5, one method: no authentication */
	memcpy(k->out, "\x05\x01\x00", 3);
	k->olen = 3;
	return 0;
}

short socks_events(const struct socks *k)
{
	if (k->state == SOCKS_DONE || k->state == SOCKS_FAILED)
		return 0;
	return k->osent < k->olen ? POLLOUT : POLLIN;
}

static void request(struct socks *k)
{
	size_t hl = strlen(k->host);
	k->out[0] = 5, k->out[1] = 1, k->out[2] = 0, k->out[3] = 3; /* CONNECT, domain name */
	k->out[4] = (uint8_t)hl;
	memcpy(k->out + 5, k->host, hl);
	k->out[5 + hl] = (uint8_t)(k->port >> 8);
	k->out[6 + hl] = (uint8_t)k->port;
	k->olen = 7 + hl;
	k->osent = 0;
	k->ilen = 0;
}

/* How long the reply to CONNECT is, once its first bytes are in: 0 not known yet. */
static size_t reply_len(const struct socks *k)
{
	if (k->ilen < 5)
		return 0;
	switch (k->in[3]) {
	case 1:
		return 10;
	case 4:
		return 22;
	case 3:
		return 7 + (size_t)k->in[4];
	default:
		return 4; /* unknown type: the code is all we use */
	}
}

static int got_input(struct socks *k)
{
	if (k->state == SOCKS_GREETING) {
		if (k->ilen < 2)
			return 0;
		if (k->in[0] != 5 || k->in[1] != 0)
			return fail(k, k->in[0] != 5 ? "the SocksPort does not speak SOCKS5"
						     : "the SocksPort wants authentication torsh does not offer");
		k->state = SOCKS_REQUEST;
		request(k);
		return 0;
	}
	if (k->ilen >= 2 && k->in[0] != 5)
		return fail(k, "the SocksPort's reply is not SOCKS5");
	size_t want = reply_len(k);
	if (want == 0 || k->ilen < want)
		return 0;
	k->reply = k->in[1];
	if (k->reply != 0) {
		snprintf(k->err, sizeof(k->err), "%s", socks_reply_text(k->reply));
		k->state = SOCKS_FAILED;
		return -1;
	}
	k->state = SOCKS_DONE;
	return 1;
}

static int on_connected(struct socks *k)
{
	int e = 0;
	socklen_t el = sizeof(e);
	if (getsockopt(k->fd, SOL_SOCKET, SO_ERROR, &e, &el) < 0 || e != 0) {
		snprintf(k->err, sizeof(k->err), "cannot connect to the SocksPort: %s", strerror(e ? e : errno));
		k->state = SOCKS_FAILED;
		return -1;
	}
	k->state = SOCKS_GREETING;
	return 0;
}

int socks_step(struct socks *k, short revents)
{
	if (k->state == SOCKS_DONE)
		return 1;
	if (k->state == SOCKS_FAILED)
		return -1;
	if (revents == 0)
		return 0;
	if (k->state == SOCKS_CONNECTING && on_connected(k) < 0)
		return -1;
	if ((revents & POLLOUT) && k->osent < k->olen) {
		ssize_t w = send(k->fd, k->out + k->osent, k->olen - k->osent, MSG_NOSIGNAL);
		if (w < 0 && errno != EAGAIN && errno != EINTR)
			return fail(k, "the SocksPort closed the connection");
		k->osent += w > 0 ? (size_t)w : 0;
		return 0;
	}
	if (revents & (POLLIN | POLLHUP | POLLERR)) {
		/* read only what this step needs: what follows is the target's */
		size_t want = k->state == SOCKS_GREETING ? 2 : reply_len(k) ? reply_len(k) : 5;
		if (want > sizeof(k->in))
			want = sizeof(k->in);
		ssize_t r = want > k->ilen ? recv(k->fd, k->in + k->ilen, want - k->ilen, 0) : 0;
		if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR))
			return fail(k, "the SocksPort closed the connection without a reply");
		k->ilen += r > 0 ? (size_t)r : 0;
		return got_input(k);
	}
	return 0;
}

void socks_close(struct socks *k)
{
	if (k->fd >= 0)
		close(k->fd);
	k->fd = -1;
}

const char *socks_reply_text(int code)
{
	static const struct {
		int code;
		const char *text;
	} t[] = {
		{0x00, "00 succeeded"},
		{0x01, "01 general failure"},
		{0x02, "02 not allowed by the ruleset"},
		{0x03, "03 network unreachable"},
		{0x04, "04 host unreachable"},
		{0x05, "05 connection refused"},
		{0x06, "06 TTL expired (tor: timed out)"},
		{0x07, "07 command not supported"},
		{0x08, "08 address type not supported"},
		{0xF0, "F0 onion service descriptor not found"},
		{0xF1, "F1 onion service descriptor invalid"},
		{0xF2, "F2 onion service introduction failed"},
		{0xF3, "F3 onion service rendezvous failed"},
		{0xF4, "F4 onion service client authorization missing"},
		{0xF5, "F5 onion service client authorization wrong"},
		{0xF6, "F6 onion address invalid"},
		{0xF7, "F7 onion service introduction timed out"},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].code == code)
			return t[i].text;
	return "unknown reply code";
}

int socks_first_listener(const char *v, size_t n, char *out, size_t cap)
{
	size_t i = 0;
	while (i < n && (v[i] == ' ' || v[i] == '\r' || v[i] == '\n'))
		i++;
	bool q = i < n && v[i] == '"';
	i += q;
	size_t start = i;
	while (i < n && (q ? v[i] != '"' : (v[i] != ' ' && v[i] != '\r' && v[i] != '\n')))
		i++;
	/* the listener addresses tor quotes need no unescaping: no '\\' or '"' in them */
	if (i == start || i - start >= cap || memchr(v + start, '\\', i - start))
		return -1;
	memcpy(out, v + start, i - start);
	out[i - start] = '\0';
	return 0;
}
