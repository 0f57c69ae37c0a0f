/*
 * standin — a stand-in Tor control port for torsh's benchmark.
 *
 *   standin [-p PORT | -u PATH] [-a PORTFILE] [-P PIDFILE] [-e EVENTS]
 *           [-d DATABLOCK] [-r RATE] [-l REQLOG]
 *
 * Listens on 127.0.0.1:PORT (0: the kernel's choice, written to PORTFILE)
 * or on a Unix socket, and serves one client after another until SIGTERM
 * or SIGINT. NULL authentication:
 *   PROTOCOLINFO          METHODS=NULL
 *   AUTHENTICATE          250 OK
 *   GETINFO version       a version line
 *   GETINFO ns/all        the DATABLOCK file as it is: a whole reply,
 *                         "250+ns/all=" ... "." "250 OK" (tests/bench/gen ns)
 *   SETEVENTS X ...       250 OK, then the EVENTS file ("650 ...\r\n" lines):
 *                         without -r as fast as the socket takes it, then
 *                         the write side is shut (EOF tells the client the
 *                         flood is over); with -r RATE, RATE events a second
 *                         from the file, round and round, while commands are
 *                         still answered, until the client leaves
 *   QUIT                  250 closing connection, and the connection closes
 *   other GETINFO keys    552; other commands 250 OK (SETCONF, USEFEATURE...)
 * -l appends every byte received to REQLOG: the runner replays what torsh
 * sent through socat, so the floor does the same exchange.
 * The files are read whole into memory once: the port is never the
 * bottleneck. PIDFILE is written when the socket listens.
 *
 * Self-contained C11 + POSIX; no libraries beyond libc.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

struct blob {
	char *p;
	size_t len;
};

struct opts {
	long port;
	const char *unix_path, *portfile, *pidfile, *reqlog;
	struct blob events, block;
	double rate;
};

struct client {
	int fd;
	FILE *log;
	char in[65536];
	size_t inlen;
	bool streaming;    /* -r: the paced flood runs */
	size_t ev_off;     /* next event's offset in the file */
	double ev_due;     /* events owed since the flood began */
	double start;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int slurp(const char *path, struct blob *b)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return -1;
	struct stat st;
	if (fstat(fileno(f), &st) < 0 || (b->p = malloc((size_t)st.st_size + 1)) == NULL) {
		fclose(f);
		return -1;
	}
	b->len = fread(b->p, 1, (size_t)st.st_size, f);
	fclose(f);
	return b->len == (size_t)st.st_size ? 0 : -1;
}

/* All of it, in as few writes as the socket allows. */
static int put(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int puts_fd(int fd, const char *s)
{
	return put(fd, s, strlen(s));
}

static bool word_is(const char *line, size_t len, const char *w)
{
	size_t n = strlen(w);
	return len >= n && strncasecmp(line, w, n) == 0 && (len == n || line[n] == ' ');
}

/* The flood at full speed, then EOF; what the client still sends is read
 * and dropped so that closing does not reset the connection under data. */
static int flood(struct client *c, const struct opts *o)
{
	if (put(c->fd, o->events.p, o->events.len) < 0)
		return -1;
	shutdown(c->fd, SHUT_WR);
	char sink[4096];
	struct pollfd p = {.fd = c->fd, .events = POLLIN};
	while (!stop && poll(&p, 1, 10000) > 0 && read(c->fd, sink, sizeof(sink)) > 0)
		;
	return -1;
}

static int answer_getinfo(struct client *c, const struct opts *o, const char *key, size_t klen)
{
	if (klen == 7 && memcmp(key, "version", 7) == 0)
		return puts_fd(c->fd, "250-version=0.4.9.11 (git-benchstandin)\r\n250 OK\r\n");
	if (klen == 6 && memcmp(key, "ns/all", 6) == 0 && o->block.p)
		return put(c->fd, o->block.p, o->block.len);
	char msg[160];
	snprintf(msg, sizeof(msg), "552 Unrecognized key \"%.*s\"\r\n", (int)(klen > 100 ? 100 : klen), key);
	return puts_fd(c->fd, msg);
}

/* One command line (without CRLF). -1: the connection is over. */
static int command(struct client *c, const struct opts *o, const char *line, size_t len)
{
	if (word_is(line, len, "PROTOCOLINFO"))
		return puts_fd(c->fd, "250-PROTOCOLINFO 1\r\n250-AUTH METHODS=NULL\r\n"
				      "250-VERSION Tor=\"0.4.9.11\"\r\n250 OK\r\n");
	if (word_is(line, len, "GETINFO") && len > 8)
		return answer_getinfo(c, o, line + 8, len - 8);
	if (word_is(line, len, "QUIT")) {
		puts_fd(c->fd, "250 closing connection\r\n");
		return -1;
	}
	if (word_is(line, len, "SETEVENTS")) {
		if (puts_fd(c->fd, "250 OK\r\n") < 0)
			return -1;
		if (len <= 10 || o->events.len == 0)
			return 0;
		if (o->rate <= 0)
			return flood(c, o);
		c->streaming = true;
		c->start = now_s();
		return 0;
	}
	return puts_fd(c->fd, "250 OK\r\n");
}

static int take_input(struct client *c, const struct opts *o)
{
	ssize_t n = read(c->fd, c->in + c->inlen, sizeof(c->in) - c->inlen);
	if (n <= 0)
		return -1;
	if (c->log)
		fwrite(c->in + c->inlen, 1, (size_t)n, c->log);
	c->inlen += (size_t)n;
	size_t start = 0;
	for (char *nl; (nl = memchr(c->in + start, '\n', c->inlen - start)) != NULL;) {
		size_t end = (size_t)(nl - c->in), len = end - start;
		if (len > 0 && c->in[start + len - 1] == '\r')
			len--;
		if (command(c, o, c->in + start, len) < 0)
			return -1;
		start = end + 1;
	}
	memmove(c->in, c->in + start, c->inlen - start);
	c->inlen -= start;
	return c->inlen == sizeof(c->in) ? -1 : 0;
}

/* -r: the events owed by now, whole lines, the file read round and round. */
static int paced(struct client *c, const struct opts *o)
{
	double owed = (now_s() - c->start) * o->rate - c->ev_due;
	size_t from = c->ev_off, n = 0;
	for (; owed >= 1; owed--, n++) {
		const char *nl = memchr(o->events.p + c->ev_off, '\n', o->events.len - c->ev_off);
		c->ev_off = nl ? (size_t)(nl - o->events.p) + 1 : o->events.len;
		if (c->ev_off >= o->events.len) {
			if (put(c->fd, o->events.p + from, c->ev_off - from) < 0)
				return -1;
			c->ev_off = from = 0;
		}
	}
	c->ev_due += (double)n;
	return put(c->fd, o->events.p + from, c->ev_off - from);
}

static void serve(int fd, const struct opts *o)
{
	struct client *c = calloc(1, sizeof(*c));
	if (c == NULL)
		return;
	c->fd = fd;
	c->log = o->reqlog ? fopen(o->reqlog, "ab") : NULL;
	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int n = poll(&p, 1, c->streaming ? 5 : 1000);
		if (stop || (n < 0 && errno != EINTR))
			break;
		if (n > 0 && take_input(c, o) < 0)
			break;
		if (c->streaming && paced(c, o) < 0)
			break;
	}
	if (c->log)
		fclose(c->log);
	close(fd);
	free(c);
}

static int listen_on(const struct opts *o)
{
	int fd;
	if (o->unix_path) {
		struct sockaddr_un a = {.sun_family = AF_UNIX};
		if (strlen(o->unix_path) >= sizeof(a.sun_path))
			return -1;
		strcpy(a.sun_path, o->unix_path);
		unlink(o->unix_path);
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
			return -1;
	} else {
		struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)o->port)};
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		int one = 1;
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
		    bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
			return -1;
	}
	return listen(fd, 16) < 0 ? -1 : fd;
}

static int write_file(const char *path, long value)
{
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (f == NULL)
		return -1;
	fprintf(f, "%ld\n", value);
	/* renamed into place: a reader never sees it half written */
	return fclose(f) == 0 && rename(tmp, path) == 0 ? 0 : -1;
}

static int announce(int lfd, const struct opts *o)
{
	if (o->portfile && !o->unix_path) {
		struct sockaddr_in a;
		socklen_t alen = sizeof(a);
		if (getsockname(lfd, (struct sockaddr *)&a, &alen) < 0 || write_file(o->portfile, ntohs(a.sin_port)) < 0)
			return -1;
	}
	return o->pidfile ? write_file(o->pidfile, (long)getpid()) : 0;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	int ch;
	while ((ch = getopt(argc, argv, "p:u:a:P:e:d:r:l:")) != -1) {
		switch (ch) {
		case 'p': o->port = strtol(optarg, NULL, 10); break;
		case 'u': o->unix_path = optarg; break;
		case 'a': o->portfile = optarg; break;
		case 'P': o->pidfile = optarg; break;
		case 'e': if (slurp(optarg, &o->events) < 0) { perror(optarg); return -1; } break;
		case 'd': if (slurp(optarg, &o->block) < 0) { perror(optarg); return -1; } break;
		case 'r': o->rate = strtod(optarg, NULL); break;
		case 'l': o->reqlog = optarg; break;
		default: return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = {0};
	if (parse_args(argc, argv, &o) < 0) {
		fprintf(stderr, "usage: standin [-p PORT | -u PATH] [-a PORTFILE] [-P PIDFILE] [-e EVENTS] "
				"[-d DATABLOCK] [-r RATE] [-l REQLOG]\n");
		return 2;
	}
	struct sigaction sa = {.sa_handler = on_signal};
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	int lfd = listen_on(&o);
	if (lfd < 0 || announce(lfd, &o) < 0) {
		perror("standin");
		return 1;
	}
	while (!stop) {
		int fd = accept(lfd, NULL, NULL);
		if (fd >= 0)
			serve(fd, &o);
	}
	if (o.unix_path)
		unlink(o.unix_path);
	if (o.pidfile)
		unlink(o.pidfile);
	free(o.events.p);
	free(o.block.p);
	return 0;
}
