/*
 * gen — deterministic test data for torsh's benchmark (tests/bench/).
 *
 *   gen events N [SEED]   N asynchronous event lines ("650 ...\r\n"), a
 *                         realistic mix: CIRC (3-hop paths, keyword fields),
 *                         STREAM, ORCONN, BW, CIRC_BW, STREAM_BW, HS_DESC,
 *                         STATUS_CLIENT, NOTICE. ~168 bytes per event.
 *   gen ns N [SEED]       a whole `GETINFO ns/all` reply for N relays
 *                         (r/s/w/p lines, ~150 bytes each): "250+ns/all=",
 *                         the dot-stuffed lines, ".", "250 OK".
 *
 * Its own PRNG (splitmix64), not rand() or awk's: the bytes must be the same
 * on every machine, as tests/bench/digests.txt depends on them.
 * Self-contained C11; no libraries beyond libc.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NRELAYS 600
#define DEFAULT_SEED 16

struct relay {
	char fp[41];
	char nick[20];
	char id64[28], dig64[28];
	unsigned char ip[4];
	unsigned orport;
};

struct gen {
	uint64_t s;
	struct relay relays[NRELAYS];
	unsigned long next_circ, next_stream, next_orconn;
	char line[2048];
	size_t len;
};

static uint64_t next64(struct gen *g)
{
	uint64_t z = (g->s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* 0 .. n-1 */
static unsigned pick(struct gen *g, unsigned n)
{
	return (unsigned)(next64(g) % n);
}

/* Several draws in order into t[]: C leaves the order in which a call's
 * arguments are evaluated unspecified (gcc and clang differ), so draws
 * never sit side by side in one argument list. */
static void picks(struct gen *g, unsigned *t, int n, ...)
{
	va_list ap;
	va_start(ap, n);
	for (int k = 0; k < n; k++)
		t[k] = pick(g, va_arg(ap, unsigned));
	va_end(ap);
}

static void add(struct gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct gen *g, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(g->line + g->len, sizeof(g->line) - g->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		g->len += (size_t)n;
	if (g->len >= sizeof(g->line))
		g->len = sizeof(g->line) - 1;
}

static void rand_chars(struct gen *g, char *out, size_t n, const char *alphabet)
{
	size_t an = strlen(alphabet);
	for (size_t i = 0; i < n; i++)
		out[i] = alphabet[pick(g, (unsigned)an)];
	out[n] = '\0';
}

static const char HEX[] = "0123456789ABCDEF";
static const char B32[] = "abcdefghijklmnopqrstuvwxyz234567";
static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char NICKCH[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

static void make_relays(struct gen *g)
{
	static const char *const stems[] = {"relay", "Unnamed", "tor", "exit", "guard", "node", "onion", "freedom"};
	for (int i = 0; i < NRELAYS; i++) {
		struct relay *r = &g->relays[i];
		rand_chars(g, r->fp, 40, HEX);
		char tail[8];
		rand_chars(g, tail, 1 + pick(g, 4), NICKCH);
		snprintf(r->nick, sizeof(r->nick), "%s%s", stems[pick(g, 8)], tail);
		rand_chars(g, r->id64, 27, B64);
		rand_chars(g, r->dig64, 27, B64);
		for (int k = 0; k < 4; k++)
			r->ip[k] = (unsigned char)(1 + pick(g, 254));
		static const unsigned ports[] = {9001, 443, 9001, 9000, 8080, 9001};
		r->orport = ports[pick(g, 6)];
	}
}

static void add_relay(struct gen *g, const struct relay *r)
{
	add(g, "$%s~%s", r->fp, r->nick);
}

static void add_path(struct gen *g, unsigned hops)
{
	add(g, " ");
	for (unsigned i = 0; i < hops; i++) {
		if (i)
			add(g, ",");
		add_relay(g, &g->relays[pick(g, NRELAYS)]);
	}
}

static void add_time(struct gen *g, const char *key)
{
	unsigned t[5];
	picks(g, t, 5, 28, 24, 60, 60, 1000000);
	add(g, " %s=2025-11-%02uT%02u:%02u:%02u.%06u", key, 1 + t[0], t[1], t[2], t[3], t[4]);
}

static void add_onion(struct gen *g)
{
	char a[57];
	rand_chars(g, a, 56, B32);
	add(g, "%s", a);
}

static void ev_circ(struct gen *g)
{
	static const char *const status[] = {"LAUNCHED", "EXTENDED", "EXTENDED", "EXTENDED", "BUILT", "CLOSED", "FAILED"};
	static const char *const reasons[] = {"FINISHED", "DESTROYED", "TIMEOUT", "CHANNEL_CLOSED", "REQUESTED"};
	const char *st = status[pick(g, 13) / 2];
	unsigned long id = g->next_circ - pick(g, 40);
	add(g, "650 CIRC %lu %s", id, st);
	unsigned hops = st[0] == 'L' ? 0 : st[0] == 'E' ? 1 + pick(g, 2) : st[0] == 'F' ? 1 : 3;
	if (hops)
		add_path(g, hops);
	add(g, " BUILD_FLAGS=%s", pick(g, 5) ? "NEED_CAPACITY" : "IS_INTERNAL,NEED_CAPACITY,NEED_UPTIME");
	unsigned kind = pick(g, 10);
	if (kind < 8) {
		add(g, " PURPOSE=GENERAL");
	} else if (kind < 9) {
		add(g, " PURPOSE=HS_CLIENT_REND HS_STATE=HSCR_JOINED REND_QUERY=");
		add_onion(g);
	} else {
		add(g, " PURPOSE=CONFLUX_LINKED");
	}
	add_time(g, "TIME_CREATED");
	if (st[0] == 'C' || st[0] == 'F')
		add(g, " REASON=%s", reasons[pick(g, 5)]);
	if (pick(g, 10) == 0)
	{
		unsigned t[2];
		picks(g, t, 2, 100, 100);
		add(g, " SOCKS_USERNAME=\"user%u\" SOCKS_PASSWORD=\"pw%u\"", t[0], t[1]);
	}
	if (st[0] == 'B')
		g->next_circ++;
}

static void ev_stream(struct gen *g)
{
	static const char *const status[] = {"NEW", "SENTCONNECT", "REMAP", "SUCCEEDED", "CLOSED", "NEWRESOLVE"};
	static const char *const hosts[] = {"www.torproject.org", "example.com", "check.torproject.org",
					    "duckduckgo.com", "151.101.1.69", "en.wikipedia.org"};
	const char *st = status[pick(g, 6)];
	unsigned long id = g->next_stream - pick(g, 50);
	unsigned long circ = st[0] == 'N' ? 0ul : g->next_circ - pick(g, 40);
	const char *host = hosts[pick(g, 6)];
	unsigned port = pick(g, 4) ? 443u : 80u;
	add(g, "650 STREAM %lu %s %lu %s:%u", id, st, circ, host, port);
	if (st[0] == 'C')
		add(g, " REASON=DONE");
	if (st[0] == 'R')
		add(g, " SOURCE=EXIT");
	add(g, " SOURCE_ADDR=127.0.0.1:%u PURPOSE=USER", 30000 + pick(g, 30000));
	if (st[0] == 'N')
	{
		unsigned t[2];
		picks(g, t, 2, 3, 4);
		add(g, " CLIENT_PROTOCOL=SOCKS5 NYM_EPOCH=%u SESSION_GROUP=-%u ISO_FIELDS=SOCKS_USERNAME,"
		       "SOCKS_PASSWORD,CLIENTADDR,SESSION_GROUP,NYM_EPOCH",
		    t[0], 2 + t[1]);
	}
	if (st[0] == 'N' && st[3] == '\0')
		g->next_stream++;
}

static void ev_orconn(struct gen *g)
{
	static const char *const st[] = {"LAUNCHED", "CONNECTED", "CLOSED", "FAILED"};
	unsigned s = pick(g, 4);
	add(g, "650 ORCONN ");
	add_relay(g, &g->relays[pick(g, NRELAYS)]);
	add(g, " %s", st[s]);
	if (s >= 2)
		add(g, " REASON=%s NCIRCS=%u", s == 2 ? "DONE" : "CONNECTREFUSED", pick(g, 6));
	add(g, " ID=%lu", g->next_orconn++);
}

static void ev_bw(struct gen *g)
{
	unsigned t[2];
	picks(g, t, 2, 2000000, 2000000);
	add(g, "650 BW %u %u", t[0], t[1]);
}

static void ev_circ_bw(struct gen *g)
{
	unsigned r = pick(g, 500000), w = pick(g, 500000);
	add(g, "650 CIRC_BW ID=%lu READ=%u WRITTEN=%u", g->next_circ - pick(g, 40), r, w);
	add_time(g, "TIME");
	add(g, " DELIVERED_READ=%u OVERHEAD_READ=%u DELIVERED_WRITTEN=%u OVERHEAD_WRITTEN=%u", r / 2, r - r / 2,
	    w / 2, w - w / 2);
	if (pick(g, 2)) {
		unsigned t[4];
		picks(g, t, 4, 2, 400, 300, 50);
		add(g, " SS=%u CWND=%u RTT=%u MIN_RTT=%u", t[0], 31 + t[1], 20 + t[2], 20 + t[3]);
	}
}

static void ev_stream_bw(struct gen *g)
{
	unsigned t[6];
	picks(g, t, 6, 50, 100000, 100000, 60, 60, 1000000);
	add(g, "650 STREAM_BW %lu %u %u", g->next_stream - t[0], t[1], t[2]);
	add(g, " 2025-11-02T10:%02u:%02u.%06u", t[3], t[4], t[5]);
}

static void ev_hs_desc(struct gen *g)
{
	static const char *const act[] = {"REQUESTED", "RECEIVED", "UPLOAD", "UPLOADED", "FAILED"};
	unsigned a = pick(g, 5);
	char desc[44], idx[65];
	rand_chars(g, desc, 43, B64);
	rand_chars(g, idx, 64, HEX);
	add(g, "650 HS_DESC %s ", act[a]);
	add_onion(g);
	add(g, " NO_AUTH ");
	add_relay(g, &g->relays[pick(g, NRELAYS)]);
	add(g, " %s", desc);
	if (a == 4)
		add(g, " REASON=NOT_FOUND");
	else if (a != 1)
		add(g, " HSDIR_INDEX=%s", idx);
}

static void ev_status_client(struct gen *g)
{
	switch (pick(g, 3)) {
	case 0: add(g, "650 STATUS_CLIENT NOTICE CIRCUIT_ESTABLISHED"); break;
	case 1: add(g, "650 STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=100 TAG=done SUMMARY=\"Done\""); break;
	default: add(g, "650 STATUS_CLIENT WARN DANGEROUS_SOCKS PROTOCOL=SOCKS4 ADDRESS=10.0.0.%u:80", pick(g, 255));
	}
}

static void ev_notice(struct gen *g)
{
	static const char *const msgs[] = {
		"Bootstrapped 100% (done): Done",
		"New control connection opened from 127.0.0.1.",
		NULL, /* a guard, below */
		"Have tried resolving or connecting to address '[scrubbed]' at 3 different places. Giving up.",
	};
	unsigned m = pick(g, 4);
	const struct relay *r = &g->relays[pick(g, NRELAYS)];
	add(g, "650 NOTICE ");
	if (m == 2)
		add(g, "Guard %s ($%s) is failing more circuits than usual. Most likely this means the Tor "
		       "network is overloaded.", r->nick, r->fp);
	else
		add(g, "%s", msgs[m]);
}

/* One event: mostly CIRC and STREAM, the rest a busy relay's other noise. */
static void one_event(struct gen *g)
{
	unsigned k = pick(g, 100);
	g->len = 0;
	if (k < 38)
		ev_circ(g);
	else if (k < 76)
		ev_stream(g);
	else if (k < 80)
		ev_orconn(g);
	else if (k < 84)
		ev_bw(g);
	else if (k < 90)
		ev_circ_bw(g);
	else if (k < 95)
		ev_stream_bw(g);
	else if (k < 97)
		ev_hs_desc(g);
	else if (k < 98)
		ev_status_client(g);
	else
		ev_notice(g);
	add(g, "\r\n");
	fwrite(g->line, 1, g->len, stdout);
}

/* Data-block lines as the wire carries them: a line that starts with '.'
 * gets a second one. No generated line does, but the block stays right if
 * the format changes. */
static void put_stuffed(const char *p, size_t len)
{
	const char *end = p + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		if (*p == '.')
			fputc('.', stdout);
		fwrite(p, 1, n, stdout);
		p += n;
	}
}

static void ns_relay(struct gen *g, unsigned i)
{
	static const char *const flags[] = {
		"Fast Running Stable V2Dir Valid",
		"Fast Guard HSDir Running Stable V2Dir Valid",
		"Exit Fast Running V2Dir Valid",
		"Running Valid",
	};
	const struct relay *r = &g->relays[i % NRELAYS];
	char id[28], dig[28];
	rand_chars(g, id, 27, B64);
	rand_chars(g, dig, 27, B64);
	g->len = 0;
	unsigned t[4];
	picks(g, t, 4, 28, 24, 60, 60);
	add(g, "r %.12s%u %s %s 2025-11-%02u %02u:%02u:%02u %u.%u.%u.%u %u 0\r\n", r->nick, i % 100, id, dig,
	    1 + t[0], t[1], t[2], t[3], r->ip[0], r->ip[1], (i >> 8) & 255, i & 255, r->orport);
	unsigned f = pick(g, 4);
	add(g, "s %s\r\nw Bandwidth=%u\r\n", flags[f], 20 + pick(g, 90000));
	/* tor gives the policy summary of exits only */
	if (f == 2)
		add(g, "p accept 80,443,8080\r\n");
	put_stuffed(g->line, g->len);
}

int main(int argc, char **argv)
{
	if (argc < 3 || (strcmp(argv[1], "events") != 0 && strcmp(argv[1], "ns") != 0)) {
		fprintf(stderr, "usage: gen events|ns N [SEED]\n");
		return 2;
	}
	unsigned long n = strtoul(argv[2], NULL, 10);
	struct gen *g = calloc(1, sizeof(*g));
	if (g == NULL)
		return 1;
	g->s = argc > 3 ? strtoull(argv[3], NULL, 10) : DEFAULT_SEED;
	g->next_circ = 1000;
	g->next_stream = 5000;
	g->next_orconn = 10;
	static char obuf[1 << 16];
	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	make_relays(g);
	if (argv[1][0] == 'e') {
		for (unsigned long i = 0; i < n; i++)
			one_event(g);
	} else {
		fputs("250+ns/all=\r\n", stdout);
		for (unsigned long i = 0; i < n; i++)
			ns_relay(g, (unsigned)i);
		fputs(".\r\n250 OK\r\n", stdout);
	}
	free(g);
	return fflush(stdout) == 0 ? 0 : 1;
}
