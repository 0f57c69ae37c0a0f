/*
 * fakeport — a scripted fake Tor control port for torsh's tests.
 *
 * It listens on a Unix socket or on 127.0.0.1 (kernel-chosen port), accepts
 * exactly one connection, plays a script against it (send bytes, expect
 * lines, send huge data blocks, floods, sleep, close), logs every line the
 * client sent, and exits. See tests/fake/README.md for the script language.
 *
 * Exit status: 0 script done (or client gone while nothing was expected),
 *              1 system error, 2 usage or bad script,
 *              3 unexpected line, or client EOF while expect/recv waited,
 *              4 --timeout expired.
 *
 * Self-contained C11 + POSIX; no libraries beyond libc.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

enum {
	EXIT_OK = 0,
	EXIT_SYS = 1,
	EXIT_USAGE = 2,
	EXIT_UNEXPECTED = 3,
	EXIT_TIMEOUT = 4
};

enum op { OP_EXPECT, OP_RECV, OP_SEND, OP_REPEAT, OP_DATABLOCK, OP_SLEEP, OP_CLOSE, OP_DRAIN, OP_DRIP };

static const char *const op_names[] = {
	"expect", "recv", "send", "repeat", "datablock", "sleep", "close", "drain", "drip"
};

struct directive {
	enum op op;
	unsigned long lineno;    /* line in the script file */
	unsigned long long num;  /* repeat count, datablock size, sleep or drip ms */
	char *text;              /* decoded bytes (expect prefix, send/repeat text) */
	size_t textlen;
};

/* ---- global state ------------------------------------------------------ */

static const char *script_path;
static struct directive *dirs;
static size_t ndirs, capdirs;
static const struct directive *cur; /* directive being run, for messages */

static int log_fd = -1;
static int listen_fd = -1;
static int conn_fd = -1;

static double timeout_s = 15.0;
static int64_t deadline_ms; /* CLOCK_MONOTONIC */

/* Unix socket path to remove on exit (also from signal handlers). */
static char sock_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
static volatile sig_atomic_t sock_path_set;

/* Input: bytes received and not yet consumed. [in_start, in_logged) holds
 * complete lines (already logged); [in_logged, in_scan) holds no LF. */
static char *in_buf;
static size_t in_cap, in_len, in_start, in_logged, in_scan;
static int peer_eof;   /* read() returned 0 (EOF already logged) */

/* Output buffer: one buffer, flushed whenever full and after each directive. */
static char out_buf[1 << 16];
static size_t out_len;

/* ---- messages and exit -------------------------------------------------- */

static char *unescape_buf, *script_buf; /* freed here if a bad script aborts parsing */

static void cleanup(void)
{
	free(unescape_buf);
	unescape_buf = NULL;
	free(script_buf);
	script_buf = NULL;
	if (sock_path_set) {
		sock_path_set = 0;
		(void)unlink(sock_path);
	}
}

static void vmsg(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
static void vmsg(const char *fmt, va_list ap)
{
	char buf[2048];
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	if (n < 0)
		return;
	fprintf(stderr, "fakeport: %s\n", buf);
}

static void msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void msg(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

static _Noreturn void die_status(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static _Noreturn void die_status(int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	cleanup();
	exit(status);
}

#define die_sys(...) die_status(EXIT_SYS, __VA_ARGS__)

static _Noreturn void finish(int status)
{
	cleanup();
	exit(status);
}

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		die_sys("out of memory (%zu bytes)", n);
	return q;
}

/* ---- log ----------------------------------------------------------------- */

static void write_fully_fd(int fd, const char *p, size_t n, const char *what)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			die_sys("writing %s: %s", what, strerror(errno));
		}
		p += w;
		n -= (size_t)w;
	}
}

/* Escapes DATA[0..N) into DST (room for 4*N bytes); returns the length. */
static size_t escape_into(char *dst, const char *data, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)data[i];
		switch (c) {
		case '\r': dst[o++] = '\\'; dst[o++] = 'r'; break;
		case '\n': dst[o++] = '\\'; dst[o++] = 'n'; break;
		case '\0': dst[o++] = '\\'; dst[o++] = '0'; break;
		case '\\': dst[o++] = '\\'; dst[o++] = '\\'; break;
		default:
			if (c < 0x20 || c >= 0x7f) {
				dst[o++] = '\\';
				dst[o++] = 'x';
				dst[o++] = hex[c >> 4];
				dst[o++] = hex[c & 15];
			} else {
				dst[o++] = (char)c;
			}
		}
	}
	return o;
}

/* Escaped copy of at most the first 120 bytes of DATA, for messages. */
static const char *escaped_short(const char *data, size_t n, char buf[static 4 * 120 + 4])
{
	size_t o = escape_into(buf, data, n > 120 ? 120 : n);
	if (n > 120) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

/* Appends PREFIX + escaped DATA + LF to the log, in one write. */
static void log_entry(const char *prefix, const char *data, size_t n)
{
	static char *buf;
	static size_t cap;
	size_t plen, need, o;

	if (log_fd < 0)
		return;
	plen = strlen(prefix);
	if (n > (SIZE_MAX - plen - 1) / 4)
		die_sys("log line too long");
	need = plen + 4 * n + 1;
	if (need > cap) {
		cap = need;
		buf = xrealloc(buf, cap);
	}
	memcpy(buf, prefix, plen);
	o = plen + escape_into(buf + plen, data, n);
	buf[o++] = '\n';
	write_fully_fd(log_fd, buf, o, "the log");
}

static void log_word(const char *word)
{
	log_entry(word, "", 0);
}

/* Logs the unterminated tail of the input (if any) as "PARTIAL: ...". */
static void log_partial(void)
{
	static int done;
	if (!done && in_len > in_logged) {
		log_entry("PARTIAL: ", in_buf + in_logged, in_len - in_logged);
		done = 1;
	}
}

/* ---- time ----------------------------------------------------------------- */

static int64_t now_ms(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		die_sys("clock_gettime: %s", strerror(errno));
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *where(void)
{
	static char buf[PATH_MAX + 64];
	if (!cur)
		return conn_fd < 0 ? "waiting for a connection" : "the end of the script (drain)";
	snprintf(buf, sizeof buf, "%s:%lu (%s)", script_path, cur->lineno, op_names[cur->op]);
	return buf;
}

static _Noreturn void on_timeout(void)
{
	log_partial();
	log_word("TIMEOUT");
	die_status(EXIT_TIMEOUT, "timeout: %g s elapsed at %s", timeout_s, where());
}

/* Milliseconds left before the deadline; times out when none are. */
static int remaining_ms(void)
{
	int64_t r = deadline_ms - now_ms();
	if (r <= 0)
		on_timeout();
	return r > INT_MAX ? INT_MAX : (int)r;
}

/* poll() on one fd, bounded by LIMIT ms (-1: by the deadline only) and by the
 * deadline. Returns revents, or 0 when LIMIT expired first. */
static short poll_one(int fd, short events, int limit)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = events, .revents = 0 };
		int t = remaining_ms();
		int r;
		if (limit >= 0 && limit < t)
			t = limit;
		r = poll(&p, fd >= 0 ? 1 : 0, t);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			die_sys("poll: %s", strerror(errno));
		}
		if (r == 0) {
			if (limit >= 0 && limit <= t)
				return 0;
			continue; /* loop: remaining_ms() fires the timeout */
		}
		return p.revents;
	}
}

/* ---- the connection ------------------------------------------------------ */

/* The client went away while nothing was expected: exit 0. */
static _Noreturn void client_gone(void)
{
	if (!peer_eof) {
		log_partial();
		log_word("EOF");
		peer_eof = 1;
	}
	if (conn_fd >= 0) {
		(void)close(conn_fd);
		conn_fd = -1;
	}
	finish(EXIT_OK);
}

/* Logs every line completed by newly received bytes. */
static void log_new_lines(void)
{
	while (in_scan < in_len) {
		char *lf = memchr(in_buf + in_scan, '\n', in_len - in_scan);
		if (!lf) {
			in_scan = in_len;
			break;
		}
		size_t end = (size_t)(lf - in_buf);
		log_entry("", in_buf + in_logged, end - in_logged);
		in_logged = in_scan = end + 1;
	}
}

/* Reads what the socket has (non-blocking). Returns 1 if bytes came, 0 on
 * EOF (logged), -1 if nothing is available now. */
static int read_some(void)
{
	ssize_t r;

	if (peer_eof)
		return 0;
	/* Compact consumed input, then make room. */
	if (in_start > 0 && (in_start == in_len || in_start >= in_cap / 2)) {
		memmove(in_buf, in_buf + in_start, in_len - in_start);
		in_len -= in_start;
		in_logged -= in_start;
		in_scan -= in_start;
		in_start = 0;
	}
	if (in_cap - in_len < 65536) {
		if (in_cap > SIZE_MAX / 2)
			die_sys("input too large");
		in_cap = in_cap ? in_cap * 2 : 131072;
		in_buf = xrealloc(in_buf, in_cap);
	}
	for (;;) {
		r = read(conn_fd, in_buf + in_len, in_cap - in_len);
		if (r >= 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return -1;
		if (errno == ECONNRESET || errno == EPIPE) {
			r = 0;
			break;
		}
		die_sys("read: %s", strerror(errno));
	}
	if (r == 0) {
		log_partial();
		log_word("EOF");
		peer_eof = 1;
		return 0;
	}
	in_len += (size_t)r;
	log_new_lines();
	return 1;
}

/* Next complete line (without its LF) into p, n. Returns 0 on EOF. */
static int get_line(const char **p, size_t *n)
{
	for (;;) {
		if (in_start < in_logged) {
			/* in_logged is always just past an LF here */
			char *lf = memchr(in_buf + in_start, '\n', in_logged - in_start);
			if (!lf)
				die_sys("internal error: no LF before in_logged");
			size_t end = (size_t)(lf - in_buf);
			*p = in_buf + in_start;
			*n = end - in_start;
			in_start = end + 1;
			return 1;
		}
		if (peer_eof)
			return 0;
		short rev = poll_one(conn_fd, POLLIN, -1);
		if (rev & (POLLIN | POLLHUP | POLLERR))
			(void)read_some();
	}
}

static void write_all(const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(conn_fd, p, n);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EPIPE || errno == ECONNRESET))
			client_gone();
		if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			die_sys("write: %s", strerror(errno));
		/* Socket full: wait, and keep reading so a client that writes
		 * while we write can never deadlock us. */
		short rev = poll_one(conn_fd, (short)(POLLOUT | (peer_eof ? 0 : POLLIN)), -1);
		if ((rev & POLLIN) || (!peer_eof && (rev & (POLLHUP | POLLERR))))
			(void)read_some();
	}
}

static void flush_out(void)
{
	if (out_len) {
		write_all(out_buf, out_len);
		out_len = 0;
	}
}

static void out(const char *p, size_t n)
{
	if (n > sizeof out_buf - out_len) {
		flush_out();
		if (n >= sizeof out_buf) {
			write_all(p, n);
			return;
		}
	}
	memcpy(out_buf + out_len, p, n);
	out_len += n;
}

/* ---- directives ------------------------------------------------------------ */

static void do_read(const struct directive *d)
{
	const char *line;
	size_t n;

	if (!get_line(&line, &n))
		die_status(EXIT_UNEXPECTED, "%s: the client closed the connection", where());
	if (d->op != OP_EXPECT)
		return;
	size_t cmp = n;
	if (cmp > 0 && line[cmp - 1] == '\r')
		cmp--;
	if (cmp < d->textlen || memcmp(line, d->text, d->textlen) != 0) {
		char want[4 * 120 + 4], got[4 * 120 + 4];
		log_entry("UNEXPECTED: ", line, n);
		die_status(EXIT_UNEXPECTED, "%s: expected a line starting with '%s', got '%s'", where(),
			   escaped_short(d->text, d->textlen, want), escaped_short(line, n, got));
	}
}

static void do_sleep(unsigned long long ms)
{
	int64_t end = now_ms() + (ms > (unsigned long long)INT64_MAX / 2 ? INT64_MAX / 2 : (int64_t)ms);

	for (;;) {
		int64_t left = end - now_ms();
		if (left <= 0)
			break;
		(void)remaining_ms(); /* times out if the deadline passed */
		short rev = poll_one(conn_fd, peer_eof ? 0 : POLLIN,
				     left > INT_MAX ? INT_MAX : (int)left);
		if (rev == 0)
			continue;
		if (rev & POLLIN) {
			(void)read_some();
		} else if (rev & (POLLHUP | POLLERR)) {
			if (!peer_eof)
				(void)read_some();
			else
				client_gone(); /* fully closed: nothing more to do */
		} else if (rev & POLLNVAL) {
			die_sys("poll: invalid descriptor");
		}
	}
}

static void do_datablock(unsigned long long n)
{
	static const char alnum[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	char line[128];
	unsigned long long i = 0;

	while (n > 0) {
		size_t len = n > 100 ? 100 : (size_t)n;
		size_t o = 0, j = 0;
		if (i % 10 == 9) { /* every 10th line starts with '.', dot-stuffed */
			line[o++] = '.';
			line[o++] = '.';
			j = 1;
		}
		for (; j < len; j++)
			line[o++] = alnum[(i + j) % 62];
		line[o++] = '\r';
		line[o++] = '\n';
		out(line, o);
		n -= len;
		i++;
	}
	out(".\r\n", 3);
}

static _Noreturn void do_close(void)
{
	flush_out();
	/* FIN after everything written; then take in what already arrived so
	 * close() does not turn into a TCP reset that could eat our data. */
	if (shutdown(conn_fd, SHUT_WR) != 0 && errno != ENOTCONN)
		die_sys("shutdown: %s", strerror(errno));
	while (read_some() > 0)
		;
	if (close(conn_fd) != 0)
		msg("close: %s", strerror(errno));
	conn_fd = -1;
	log_partial();
	log_word("CLOSED");
	finish(EXIT_OK);
}

static _Noreturn void do_drain(void)
{
	const char *line;
	size_t n;
	while (get_line(&line, &n))
		;
	/* EOF already logged by read_some() */
	client_gone();
}

/* A peer that is never silent and never done: TEXT a byte at a time, over
 * and over, until the client goes (exit 0) or --timeout (exit 4). */
static _Noreturn void do_drip(const struct directive *d)
{
	for (size_t i = 0;; i = (i + 1) % d->textlen) {
		out(d->text + i, 1);
		flush_out();
		do_sleep(d->num);
	}
}

static _Noreturn void run_script(void)
{
	for (size_t i = 0; i < ndirs; i++) {
		const struct directive *d = &dirs[i];
		cur = d;
		switch (d->op) {
		case OP_EXPECT:
		case OP_RECV:
			do_read(d);
			break;
		case OP_SEND:
			out(d->text, d->textlen);
			break;
		case OP_REPEAT:
			for (unsigned long long k = 0; k < d->num; k++)
				out(d->text, d->textlen);
			break;
		case OP_DATABLOCK:
			do_datablock(d->num);
			break;
		case OP_SLEEP:
			do_sleep(d->num);
			break;
		case OP_CLOSE:
			do_close();
		case OP_DRAIN:
			flush_out();
			do_drain();
		case OP_DRIP:
			flush_out();
			do_drip(d);
		}
		flush_out();
	}
	cur = NULL;
	do_drain();
}

/* ---- script parsing -------------------------------------------------------- */

static _Noreturn void bad_script(unsigned long lineno, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static _Noreturn void bad_script(unsigned long lineno, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	(void)vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	die_status(EXIT_USAGE, "%s:%lu: %s", script_path, lineno, buf);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes escapes in [P, P+N) into a new buffer. The buffer under
 * construction is kept in a global that cleanup() frees, so an error exit
 * does not "leak" it (keeps -fsanitize=address builds exiting 2, not 1). */

static char *unescape(const char *p, size_t n, size_t *outlen, unsigned long lineno)
{
	char *r = unescape_buf = xrealloc(NULL, n + 1);
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (p[i] != '\\') {
			r[o++] = p[i];
			continue;
		}
		if (++i >= n)
			bad_script(lineno, "a lone backslash at the end of the line (write \\\\)");
		switch (p[i]) {
		case 'r': r[o++] = '\r'; break;
		case 'n': r[o++] = '\n'; break;
		case 't': r[o++] = '\t'; break;
		case '0': r[o++] = '\0'; break;
		case '\\': r[o++] = '\\'; break;
		case 'x': {
			int h = i + 1 < n ? hexval(p[i + 1]) : -1;
			int l = i + 2 < n ? hexval(p[i + 2]) : -1;
			if (h < 0 || l < 0)
				bad_script(lineno, "\\x needs exactly two hex digits");
			r[o++] = (char)(h * 16 + l);
			i += 2;
			break;
		}
		default:
			if ((unsigned char)p[i] >= 0x20 && (unsigned char)p[i] < 0x7f)
				bad_script(lineno, "unknown escape \\%c (known: \\r \\n \\t \\0 \\\\ \\xHH)", p[i]);
			bad_script(lineno, "unknown escape \\\\x%02x", (unsigned char)p[i]);
		}
	}
	r[o] = '\0';
	*outlen = o;
	unescape_buf = NULL;
	return r;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Parses a decimal number at *P (advancing it); it must be followed by a
 * blank or the end of the line. */
static unsigned long long parse_num(const char **p, const char *end, unsigned long long max,
				    const char *what, unsigned long lineno)
{
	const char *s = *p;
	unsigned long long v = 0;

	if (s >= end || *s < '0' || *s > '9')
		bad_script(lineno, "%s: expected a decimal number", what);
	while (s < end && *s >= '0' && *s <= '9') {
		unsigned d = (unsigned)(*s - '0');
		if (v > (max - d) / 10)
			bad_script(lineno, "%s: number too large (max %llu)", what, max);
		v = v * 10 + d;
		s++;
	}
	if (s < end && !is_blank(*s))
		bad_script(lineno, "%s: expected a decimal number", what);
	*p = s;
	return v;
}

static void add_dir(enum op op, unsigned long lineno, unsigned long long num, char *text, size_t textlen)
{
	if (ndirs == capdirs) {
		capdirs = capdirs ? capdirs * 2 : 64;
		if (capdirs > SIZE_MAX / sizeof *dirs)
			die_sys("script too long");
		dirs = xrealloc(dirs, capdirs * sizeof *dirs);
	}
	dirs[ndirs++] = (struct directive){ .op = op, .lineno = lineno, .num = num,
					    .text = text, .textlen = textlen };
}

static void add_text_dir(enum op op, unsigned long lineno, const char *s)
{
	size_t n = strlen(s);
	char *t = xrealloc(NULL, n + 1);
	memcpy(t, s, n + 1);
	add_dir(op, lineno, 0, t, n);
}

static int word_is(const char *w, size_t wlen, const char *name)
{
	return strlen(name) == wlen && memcmp(w, name, wlen) == 0;
}

static void parse_line(const char *p, const char *end, unsigned long lineno)
{
	const char *w, *arg;
	size_t wlen, tlen;
	char *text;

	while (p < end && is_blank(*p))
		p++;
	if (p == end || *p == '#')
		return;
	w = p;
	while (p < end && !is_blank(*p))
		p++;
	wlen = (size_t)(p - w);
	while (p < end && is_blank(*p))
		p++;
	arg = p; /* rest of the line; trailing blanks are kept */

	if (word_is(w, wlen, "recv") || word_is(w, wlen, "close") || word_is(w, wlen, "drain") ||
	    word_is(w, wlen, "auth-null")) {
		for (const char *q = arg; q < end; q++)
			if (!is_blank(*q))
				bad_script(lineno, "%.*s takes no argument", (int)wlen, w);
		if (word_is(w, wlen, "recv"))
			add_dir(OP_RECV, lineno, 0, NULL, 0);
		else if (word_is(w, wlen, "close"))
			add_dir(OP_CLOSE, lineno, 0, NULL, 0);
		else if (word_is(w, wlen, "drain"))
			add_dir(OP_DRAIN, lineno, 0, NULL, 0);
		else {
			add_text_dir(OP_EXPECT, lineno, "PROTOCOLINFO");
			add_text_dir(OP_SEND, lineno,
				     "250-PROTOCOLINFO 1\r\n"
				     "250-AUTH METHODS=NULL\r\n"
				     "250-VERSION Tor=\"0.4.9.11\"\r\n"
				     "250 OK\r\n");
			add_text_dir(OP_EXPECT, lineno, "AUTHENTICATE");
			add_text_dir(OP_SEND, lineno, "250 OK\r\n");
		}
	} else if (word_is(w, wlen, "expect")) {
		text = unescape(arg, (size_t)(end - arg), &tlen, lineno);
		add_dir(OP_EXPECT, lineno, 0, text, tlen);
	} else if (word_is(w, wlen, "send") || word_is(w, wlen, "line")) {
		int is_line = w[0] == 'l';
		if (arg == end && !is_line)
			bad_script(lineno, "send needs TEXT");
		text = unescape(arg, (size_t)(end - arg), &tlen, lineno);
		if (is_line) {
			text = xrealloc(text, tlen + 3);
			text[tlen++] = '\r';
			text[tlen++] = '\n';
			text[tlen] = '\0';
		}
		add_dir(OP_SEND, lineno, 0, text, tlen);
	} else if (word_is(w, wlen, "repeat")) {
		unsigned long long n = parse_num(&p, end, ULLONG_MAX, "repeat N TEXT", lineno);
		while (p < end && is_blank(*p))
			p++;
		if (p == end)
			bad_script(lineno, "repeat N TEXT: TEXT is missing");
		text = unescape(p, (size_t)(end - p), &tlen, lineno);
		add_dir(OP_REPEAT, lineno, n, text, tlen);
	} else if (word_is(w, wlen, "drip")) {
		unsigned long long ms = parse_num(&p, end, 86400000ULL, "drip MS TEXT", lineno);
		while (p < end && is_blank(*p))
			p++;
		if (p == end)
			bad_script(lineno, "drip MS TEXT: TEXT is missing");
		text = unescape(p, (size_t)(end - p), &tlen, lineno);
		if (tlen == 0)
			bad_script(lineno, "drip MS TEXT: TEXT is empty");
		add_dir(OP_DRIP, lineno, ms, text, tlen);
	} else if (word_is(w, wlen, "datablock") || word_is(w, wlen, "sleep")) {
		int is_sleep = w[0] == 's';
		const char *what = is_sleep ? "sleep MS" : "datablock N";
		unsigned long long n = parse_num(&p, end, is_sleep ? 86400000ULL : ULLONG_MAX, what, lineno);
		while (p < end && is_blank(*p))
			p++;
		if (p != end)
			bad_script(lineno, "%s: unexpected text after the number", what);
		add_dir(is_sleep ? OP_SLEEP : OP_DATABLOCK, lineno, n, NULL, 0);
	} else {
		bad_script(lineno, "unknown directive '%.*s' (known: expect recv send line repeat "
			   "datablock sleep drip close drain auth-null)", (int)(wlen > 40 ? 40 : wlen), w);
	}
}

static void load_script(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	unsigned long lineno = 0;

	if (!f)
		die_status(EXIT_USAGE, "cannot open script %s: %s", path, strerror(errno));
	for (;;) {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 65536;
			buf = script_buf = xrealloc(buf, cap);
		}
		size_t r = fread(buf + len, 1, cap - len, f);
		len += r;
		if (r == 0) {
			if (ferror(f))
				die_status(EXIT_USAGE, "reading script %s: %s", path, strerror(errno));
			break;
		}
	}
	(void)fclose(f);

	for (size_t pos = 0; pos < len;) {
		const char *s = buf + pos;
		const char *lf = memchr(s, '\n', len - pos);
		const char *e = lf ? lf : buf + len;
		pos = (size_t)(e - buf) + (lf ? 1 : 0);
		lineno++;
		if (e > s && e[-1] == '\r') /* tolerate CRLF script files */
			e--;
		parse_line(s, e, lineno);
	}
	free(buf);
	script_buf = NULL;
}

/* ---- listening --------------------------------------------------------------- */

/* Writes CONTENT to PATH atomically (temp file in the same dir + rename). */
static void write_file_atomic(const char *path, const char *content)
{
	size_t n = strlen(path) + 32;
	char *tmp = xrealloc(NULL, n);
	int fd;

	snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die_sys("cannot create %s: %s", tmp, strerror(errno));
	write_fully_fd(fd, content, strlen(content), tmp);
	if (close(fd) != 0) {
		(void)unlink(tmp);
		die_sys("closing %s: %s", tmp, strerror(errno));
	}
	if (rename(tmp, path) != 0) {
		(void)unlink(tmp);
		die_sys("cannot rename %s to %s: %s", tmp, path, strerror(errno));
	}
	free(tmp);
}

static void listen_unix(const char *path)
{
	struct sockaddr_un sa;
	char tmp[sizeof sa.sun_path];
	const char *bindpath = path;
	int n;

	if (strlen(path) >= sizeof sa.sun_path)
		die_status(EXIT_USAGE, "socket path too long (max %zu bytes): %s",
			   sizeof sa.sun_path - 1, path);
	/* Bind under a temporary name, listen, then rename into place, so the
	 * socket file only appears once connections are accepted. If the
	 * temporary name would not fit, bind PATH directly. */
	n = snprintf(tmp, sizeof tmp, "%s.%ld~", path, (long)getpid());
	if (n > 0 && (size_t)n < sizeof tmp)
		bindpath = tmp;

	if (unlink(path) != 0 && errno != ENOENT)
		die_sys("cannot remove %s: %s", path, strerror(errno));
	if (bindpath != path && unlink(bindpath) != 0 && errno != ENOENT)
		die_sys("cannot remove %s: %s", bindpath, strerror(errno));

	listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (listen_fd < 0)
		die_sys("socket(AF_UNIX): %s", strerror(errno));
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, bindpath, strlen(bindpath) + 1);
	if (bind(listen_fd, (struct sockaddr *)&sa, sizeof sa) != 0)
		die_sys("bind %s: %s", bindpath, strerror(errno));
	memcpy(sock_path, bindpath, strlen(bindpath) + 1);
	sock_path_set = 1;
	if (listen(listen_fd, 4) != 0)
		die_sys("listen %s: %s", bindpath, strerror(errno));
	if (bindpath != path) {
		if (rename(bindpath, path) != 0)
			die_sys("cannot rename %s to %s: %s", bindpath, path, strerror(errno));
		sock_path_set = 0;
		memcpy(sock_path, path, strlen(path) + 1);
		sock_path_set = 1;
	}
}

static void listen_tcp(const char *portfile)
{
	struct sockaddr_in sa;
	socklen_t salen = sizeof sa;
	char buf[32];

	listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (listen_fd < 0)
		die_sys("socket(AF_INET): %s", strerror(errno));
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = 0;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(listen_fd, (struct sockaddr *)&sa, sizeof sa) != 0)
		die_sys("bind 127.0.0.1:0: %s", strerror(errno));
	if (listen(listen_fd, 4) != 0)
		die_sys("listen: %s", strerror(errno));
	if (getsockname(listen_fd, (struct sockaddr *)&sa, &salen) != 0)
		die_sys("getsockname: %s", strerror(errno));
	snprintf(buf, sizeof buf, "%u\n", (unsigned)ntohs(sa.sin_port));
	write_file_atomic(portfile, buf);
}

static void accept_one(int tcp)
{
	int flags;

	for (;;) {
		short rev = poll_one(listen_fd, POLLIN, -1);
		if (rev & (POLLERR | POLLNVAL))
			die_sys("poll on the listening socket: error");
		conn_fd = accept(listen_fd, NULL, NULL);
		if (conn_fd >= 0)
			break;
		if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK || errno == ECONNABORTED)
			continue;
		die_sys("accept: %s", strerror(errno));
	}
	/* Exactly one connection: stop listening right away. */
	if (close(listen_fd) != 0)
		msg("closing the listening socket: %s", strerror(errno));
	listen_fd = -1;
	flags = fcntl(conn_fd, F_GETFL);
	if (flags < 0 || fcntl(conn_fd, F_SETFL, flags | O_NONBLOCK) < 0)
		die_sys("fcntl(O_NONBLOCK): %s", strerror(errno));
	if (fcntl(conn_fd, F_SETFD, FD_CLOEXEC) < 0)
		die_sys("fcntl(FD_CLOEXEC): %s", strerror(errno));
	if (tcp) {
		/* Each send directive goes out now: split replies stay split. */
		int one = 1;
		if (setsockopt(conn_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0)
			die_sys("setsockopt(TCP_NODELAY): %s", strerror(errno));
	}
}

/* ---- signals ------------------------------------------------------------------- */

static _Noreturn void on_alarm(int sig)
{
	/* Backstop for the poll()-based deadline: only async-signal-safe calls. */
	static const char logmsg[] = "TIMEOUT\n";
	static const char errmsg[] = "fakeport: timeout (hard limit)\n";
	(void)sig;
	if (log_fd >= 0)
		(void)!write(log_fd, logmsg, sizeof logmsg - 1);
	(void)!write(STDERR_FILENO, errmsg, sizeof errmsg - 1);
	if (sock_path_set)
		(void)unlink(sock_path);
	_exit(EXIT_TIMEOUT);
}

static void on_term(int sig)
{
	if (sock_path_set)
		(void)unlink(sock_path);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void set_handler(int sig, void (*fn)(int))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL) != 0)
		die_sys("sigaction: %s", strerror(errno));
}

/* ---- main -------------------------------------------------------------------------- */

static _Noreturn void usage(void)
{
	fprintf(stderr,
		"usage: fakeport (--unix PATH | --tcp PORTFILE) --script FILE\n"
		"                [--log FILE] [--timeout SECONDS] [--pidfile FILE]\n"
		"Accepts one connection and plays FILE against it; see tests/fake/README.md.\n");
	exit(EXIT_USAGE);
}

int main(int argc, char **argv)
{
	const char *unix_path = NULL, *portfile = NULL, *log_path = NULL, *pidfile = NULL;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		const char *eq = strchr(a, '=');
		size_t klen = eq && strncmp(a, "--", 2) == 0 ? (size_t)(eq - a) : strlen(a);
		static const char *const opts[] = { "--unix", "--tcp", "--script", "--log",
						    "--timeout", "--pidfile" };
		size_t k;

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
			usage();
		for (k = 0; k < sizeof opts / sizeof *opts; k++)
			if (strlen(opts[k]) == klen && strncmp(a, opts[k], klen) == 0)
				break;
		if (k == sizeof opts / sizeof *opts) {
			msg("unknown option: %s", a);
			usage();
		}
		if (klen < strlen(a)) {
			v = a + klen + 1;
		} else {
			if (i + 1 >= argc) {
				msg("%s needs a value", a);
				usage();
			}
			v = argv[++i];
		}
		switch (k) {
		case 0: unix_path = v; break;
		case 1: portfile = v; break;
		case 2: script_path = v; break;
		case 3: log_path = v; break;
		case 4: {
			char *e;
			errno = 0;
			timeout_s = strtod(v, &e);
			if (errno || e == v || *e || !(timeout_s > 0) || timeout_s > 86400) {
				msg("--timeout: expected seconds in (0, 86400], got '%s'", v);
				usage();
			}
			break;
		}
		default: pidfile = v; break;
		}
	}
	if (!script_path || (!unix_path) == (!portfile)) {
		msg("need --script and exactly one of --unix / --tcp");
		usage();
	}

	deadline_ms = now_ms() + (int64_t)(timeout_s * 1000.0);

	set_handler(SIGPIPE, SIG_IGN);
	set_handler(SIGTERM, on_term);
	set_handler(SIGINT, on_term);
	set_handler(SIGHUP, on_term);
	set_handler(SIGALRM, on_alarm);
	alarm((unsigned)timeout_s + 3); /* hard backstop if a syscall ever blocks */

	load_script(script_path); /* exits 2 on a bad script, before listening */

	if (log_path) {
		log_fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (log_fd < 0)
			die_sys("cannot open log %s: %s", log_path, strerror(errno));
	}
	if (pidfile) {
		char buf[32];
		snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
		write_file_atomic(pidfile, buf);
	}

	if (unix_path)
		listen_unix(unix_path);
	else
		listen_tcp(portfile);

	accept_one(portfile != NULL);
	run_script();
}
