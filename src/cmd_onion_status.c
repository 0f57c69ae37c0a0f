/* /onion status [ADDR]: the service side, on the tor that hosts it. For
 * each service (ADD_ONION ones from onions/current and onions/detached,
 * torrc ones from GETCONF HiddenServiceOptions): its ports and targets,
 * its descriptor's revision and lifetime, the uploads per HSDir the session
 * saw, its intro circuits against those wanted, its rendezvous circuits and
 * the failures seen, and, when the control port is on this machine,
 * whether each loopback or Unix target accepts a connection. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "escape.h"
#include "onion_cmd.h"
#include "session.h"
#include "tokenize.h"

#define STATUS_SVCS 32
#define TARGET_TIMEOUT_MS 1000
#define DEFAULT_INTRO 3 /* tor's HiddenServiceNumIntroductionPoints */

struct svc {
	char addr[ONION_ADDR_LEN + 1]; /* "" when a torrc service's hostname is unreadable */
	const char *source;
	char dir[256];
	struct buf ports;              /* "VIRT -> TARGET\n" lines */
	bool ports_known;
	unsigned want_intro;           /* HiddenServiceNumIntroductionPoints, 0 unset */
};

struct status {
	struct local_ctx *ctx;
	struct svc svc[STATUS_SVCS];
	size_t n;
	char only[ONION_ADDR_LEN + 1];
	bool local;
	struct tc_msg circs;
};

/* ---- which services ---- */

static struct svc *svc_add(struct status *st, const char *addr, size_t n, const char *source)
{
	for (size_t i = 0; n && i < st->n; i++)
		if (strlen(st->svc[i].addr) == n && strncmp(st->svc[i].addr, addr, n) == 0)
			return NULL;
	if (st->n == STATUS_SVCS)
		return NULL;
	struct svc *v = &st->svc[st->n++];
	memset(v, 0, sizeof(*v));
	snprintf(v->addr, sizeof(v->addr), "%.*s", (int)(n < ONION_ADDR_LEN ? n : ONION_ADDR_LEN), addr);
	v->source = source;
	return v;
}

static void added_ids(struct status *st, const char *v, size_t n, const char *source)
{
	const char *p = v, *end = v + n, *w;
	size_t wl;
	while (p < end) {
		while (p < end && (*p == '\r' || *p == '\n' || *p == ' '))
			p++;
		w = p;
		while (p < end && *p != '\r' && *p != '\n' && *p != ' ')
			p++;
		wl = (size_t)(p - w);
		if (wl != ONION_ADDR_LEN || onion_addr_parse(w, wl, NULL, (char[ONION_ADDR_MSG]){0}, ONION_ADDR_MSG) < 0)
			continue;
		struct svc *s = svc_add(st, w, wl, source);
		const char *ports = s ? onion_watch_ports(st->ctx->s, s->addr) : NULL;
		if (ports) {
			buf_append(&s->ports, ports, strlen(ports), BUF_NOLIMIT);
			s->ports_known = true;
		}
	}
}

static int collect_added(struct status *st)
{
	struct tc_msg m = {0};
	size_t n;
	const char *v;
	if (oc_call(st->ctx, "GETINFO onions/current onions/detached", &m, "status") < 0)
		return -1;
	if (!msg_ok(&m)) {
		int rc = oc_refused(st->ctx, &m, "status", "GETINFO onions/current");
		msg_free(&m);
		return rc;
	}
	if ((v = oc_reply_value(&m, "onions/current", &n)) != NULL)
		added_ids(st, v, n, "ADD_ONION, this connection");
	if ((v = oc_reply_value(&m, "onions/detached", &n)) != NULL)
		added_ids(st, v, n, "ADD_ONION, detached");
	msg_free(&m);
	return 0;
}

/* The address in DIR/hostname ("ADDR.onion\n"), when this machine's. */
static void torrc_hostname(struct status *st, struct svc *s)
{
	char path[300];
	uint8_t buf[128];
	if (!st->local)
		return;
	snprintf(path, sizeof(path), "%s/hostname", s->dir);
	ssize_t n = oc_read_file(path, buf, sizeof(buf) - 1);
	if (n >= ONION_ADDR_LEN && onion_addr_parse((const char *)buf, ONION_ADDR_LEN, NULL, (char[ONION_ADDR_MSG]){0},
						    ONION_ADDR_MSG) == 0)
		snprintf(s->addr, sizeof(s->addr), "%.*s", ONION_ADDR_LEN, (const char *)buf);
}

/* One GETCONF HiddenServiceOptions line into the services. */
static struct svc *torrc_line(struct status *st, struct svc *cur, const char *t, size_t tl)
{
	const char *eq = memchr(t, '=', tl);
	if (eq == NULL)
		return cur;
	size_t kl = (size_t)(eq - t), vl = tl - kl - 1;
	const char *v = eq + 1;
	if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"')
		v++, vl -= 2;
	if (kl == 16 && strncmp(t, "HiddenServiceDir", kl) == 0) {
		cur = svc_add(st, "", 0, "torrc");
		if (cur)
			snprintf(cur->dir, sizeof(cur->dir), "%.*s", (int)(vl < 255 ? vl : 255), v);
	} else if (cur && kl == 17 && strncmp(t, "HiddenServicePort", kl) == 0) {
		const char *sp = memchr(v, ' ', vl);
		size_t virt = sp ? (size_t)(sp - v) : vl;
		buf_printf(&cur->ports, BUF_NOLIMIT, "%.*s -> %.*s\n", (int)virt, v, (int)(sp ? vl - virt - 1 : virt),
			   sp ? sp + 1 : v);
		cur->ports_known = true;
	} else if (cur && kl == 34 && strncmp(t, "HiddenServiceNumIntroductionPoints", kl) == 0) {
		cur->want_intro = (unsigned)strtoul(v, NULL, 10);
	}
	return cur;
}

static int collect_torrc(struct status *st)
{
	struct tc_msg m = {0};
	size_t first = st->n;
	if (oc_call(st->ctx, "GETCONF HiddenServiceOptions", &m, "status") < 0)
		return -1;
	struct svc *cur = NULL;
	for (size_t i = 0; msg_ok(&m) && i < m.nlines; i++) {
		size_t tl;
		const char *t = msg_text(&m, i, &tl);
		cur = torrc_line(st, cur, t, tl);
	}
	msg_free(&m);
	for (size_t i = first; i < st->n; i++)
		torrc_hostname(st, &st->svc[i]);
	return 0;
}

/* ---- is the control port on this machine ---- */

static bool control_is_local(const struct session *s)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	if (s == NULL || getpeername(s->ctl.fd, (struct sockaddr *)&ss, &sl) < 0)
		return false;
	if (ss.ss_family == AF_UNIX)
		return true;
	if (ss.ss_family == AF_INET)
		return (ntohl(((struct sockaddr_in *)&ss)->sin_addr.s_addr) >> 24) == 127;
	if (ss.ss_family == AF_INET6) {
		const struct in6_addr *a = &((struct sockaddr_in6 *)&ss)->sin6_addr;
		return IN6_IS_ADDR_LOOPBACK(a) || (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
	}
	return false;
}

/* ---- targets ---- */

/* tor's reading of a target: PORT, ADDR, ADDR:PORT, [V6]:PORT, unix:PATH;
 * the port defaults to the virtual one. */
static void target_norm(const char *virt, const char *raw, char *out, size_t cap)
{
	size_t n = strlen(raw);
	if (strncmp(raw, "unix:", 5) == 0)
		snprintf(out, cap, "%s", raw);
	else if (n && strspn(raw, "0123456789") == n)
		snprintf(out, cap, "127.0.0.1:%s", raw);
	else if (raw[0] == '[' ? strstr(raw, "]:") == NULL : strchr(raw, ':') == NULL)
		snprintf(out, cap, "%s:%s", raw, virt);
	else
		snprintf(out, cap, "%s", raw);
}

static int connect_wait(int fd, const struct sockaddr *sa, socklen_t sl, char *why, size_t cap)
{
	int rc = connect(fd, sa, sl);
	if (rc < 0 && errno == EINPROGRESS) {
		struct pollfd p = {.fd = fd, .events = POLLOUT};
		int err = 0;
		socklen_t el = sizeof(err);
		rc = poll(&p, 1, TARGET_TIMEOUT_MS);
		if (rc == 0) {
			snprintf(why, cap, "no answer within %d ms", TARGET_TIMEOUT_MS);
			return -1;
		}
		if (rc < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0)
			err = errno;
		errno = err;
		rc = err ? -1 : 0;
	}
	if (rc < 0)
		snprintf(why, cap, "%s", strerror(errno));
	return rc;
}

/* 1 accepts, 0 refuses (why says how), -1 not checked (why says why). */
static int target_probe(const char *t, char *why, size_t cap)
{
	struct sockaddr_storage ss = {0};
	socklen_t sl;
	char host[80];
	const char *colon = strrchr(t, ':');
	if (strncmp(t, "unix:", 5) == 0) {
		struct sockaddr_un *u = (struct sockaddr_un *)&ss;
		if (strlen(t + 5) >= sizeof(u->sun_path))
			return snprintf(why, cap, "path too long"), -1;
		u->sun_family = AF_UNIX;
		memcpy(u->sun_path, t + 5, strlen(t + 5) + 1);
		sl = sizeof(*u);
	} else {
		size_t hl = colon ? (size_t)(colon - t) : 0;
		if (hl >= 2 && t[0] == '[')
			t++, hl -= 2;
		snprintf(host, sizeof(host), "%.*s", (int)(hl < sizeof(host) ? hl : sizeof(host) - 1), t);
		unsigned port = colon ? (unsigned)strtoul(colon + 1, NULL, 10) : 0;
		struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
		if (strcmp(host, "localhost") == 0)
			snprintf(host, sizeof(host), "127.0.0.1");
		if (inet_pton(AF_INET, host, &a4->sin_addr) == 1 && (ntohl(a4->sin_addr.s_addr) >> 24) == 127) {
			a4->sin_family = AF_INET, a4->sin_port = htons((uint16_t)port), sl = sizeof(*a4);
		} else if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1 && IN6_IS_ADDR_LOOPBACK(&a6->sin6_addr)) {
			a6->sin6_family = AF_INET6, a6->sin6_port = htons((uint16_t)port), sl = sizeof(*a6);
		} else {
			return snprintf(why, cap, "not checked: not a loopback or Unix target"), -1;
		}
	}
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return snprintf(why, cap, "not checked: %s", strerror(errno)), -1;
	int rc = connect_wait(fd, (struct sockaddr *)&ss, sl, why, cap);
	close(fd);
	return rc == 0 ? 1 : 0;
}

/* ---- what tor says of a service ---- */

/* 1 decoded into o, 0 no descriptor (tor has built none yet). */
static int service_desc(struct status *st, const char *addr, struct onion_desc *o)
{
	char line[120], msg[300];
	struct tc_msg m = {0};
	size_t n;
	uint8_t pk[32];
	int rc = 0;
	snprintf(line, sizeof(line), "GETINFO hs/service/desc/id/%s", addr);
	if (oc_call(st->ctx, line, &m, "status") < 0)
		return -1;
	const char *v = msg_ok(&m) ? oc_reply_value(&m, line + 8, &n) : NULL;
	if (v && n && onion_addr_parse(addr, ONION_ADDR_LEN, pk, msg, sizeof(msg)) == 0 &&
	    onion_desc_decode(v, n, pk, NULL, 0, o, msg, sizeof(msg)) == ONION_DESC_OK)
		rc = 1;
	msg_free(&m);
	return rc;
}

struct circs {
	size_t est, connecting;
	struct buf last_hops; /* the established intro circuits' last hops, "HEX\n" */
	struct buf rend;    /* "ID STATE" lines */
	size_t nrend;
};

/* The last hop of a circuit-status line's path ("ID STATUS $FP~n,...") */
static void last_hop(const char *t, size_t n, struct buf *out)
{
	const char *p = t, *end = t + n, *w = NULL;
	size_t wl = 0;
	for (int i = 0; i < 3 && tok_word(&p, end, &w, &wl); i++)
		;
	if (w == NULL || w[0] != '$')
		return;
	const char *h = w + wl;
	while (h > w && h[-1] != ',')
		h--;
	if (w + wl - h >= 41 && h[0] == '$')
		buf_printf(out, BUF_NOLIMIT, "%.40s\n", h + 1);
}

/* How many of the descriptor's intro points have an established circuit
 * (matched by their legacy-id link specifier): tor keeps a second set for
 * the next time period's descriptor, not in this one. */
static size_t intro_matched(const struct onion_desc *o, const struct buf *hops)
{
	size_t k = 0;
	for (size_t i = 0; i < o->nintro; i++) {
		for (size_t j = 0; j < o->intro[i].nls; j++) {
			const struct onion_lspec *l = &o->intro[i].ls[j];
			char hex[41];
			if (l->type != 2 || l->len != 20)
				continue;
			for (size_t b = 0; b < 20; b++)
				snprintf(hex + 2 * b, 3, "%02X", l->data[b]);
			k += hops->p && strstr(hops->p, hex) != NULL;
			break;
		}
	}
	return k;
}

static void count_circs(const struct status *st, const char *addr, struct circs *c)
{
	size_t n;
	const char *v = oc_reply_value(&st->circs, "circuit-status", &n), *end = v ? v + n : NULL;
	for (const char *p = v; p && p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end;
		char q[ONION_ADDR_LEN + 8], purpose[32], hs[32], id[24] = "";
		size_t ln = (size_t)(e - p);
		if (onion_line_kv(p, ln, "REND_QUERY", q, sizeof(q)) && strcmp(q, addr) == 0 &&
		    onion_line_kv(p, ln, "PURPOSE", purpose, sizeof(purpose))) {
			onion_line_kv(p, ln, "HS_STATE", hs, sizeof(hs));
			for (size_t k = 0; k < ln && k + 1 < sizeof(id) && p[k] >= '0' && p[k] <= '9'; k++)
				id[k] = p[k], id[k + 1] = '\0';
			if (strcmp(purpose, "HS_SERVICE_INTRO") == 0) {
				bool est = strcmp(hs, "HSSI_ESTABLISHED") == 0;
				c->est += est;
				if (est)
					last_hop(p, ln, &c->last_hops);
				c->connecting += strcmp(hs, "HSSI_CONNECTING") == 0;
			} else if (strcmp(purpose, "HS_SERVICE_REND") == 0) {
				buf_printf(&c->rend, BUF_NOLIMIT, "%s %s\n", id, hs[0] ? hs : "?");
				c->nrend++;
			}
		}
		p = e + 1;
	}
}

/* ---- reporting ---- */

static const char *const hsdir_state[] = {"UPLOADING", "UPLOADED", "FAILED"};

/* One port line "VIRT -> RAW": the target as tor reads it, and the probe. */
struct port {
	char virt[8], target[300], probe[160];
	int ok; /* 1 accepts, 0 refuses, -1 not checked */
};

static void port_of(const struct status *st, const char *line, size_t n, struct port *pt)
{
	char l[400], raw[280];
	snprintf(l, sizeof(l), "%.*s", (int)(n < sizeof(l) ? n : sizeof(l) - 1), line);
	line = l;
	n = strlen(l);
	const char *arrow = strstr(l, " -> ");
	size_t vl = arrow ? (size_t)(arrow - line) : n;
	snprintf(pt->virt, sizeof(pt->virt), "%.*s", (int)(vl < 7 ? vl : 7), line);
	snprintf(raw, sizeof(raw), "%.*s", arrow ? (int)(n - vl - 4) : (int)vl, arrow ? arrow + 4 : line);
	target_norm(pt->virt, raw, pt->target, sizeof(pt->target));
	if (st->local) {
		pt->ok = target_probe(pt->target, pt->probe, sizeof(pt->probe));
		if (pt->ok == 1)
			snprintf(pt->probe, sizeof(pt->probe), "accepts connections");
		else if (pt->ok == 0) {
			char why[140];
			snprintf(why, sizeof(why), "%.*s", (int)sizeof(why) - 1, pt->probe);
			snprintf(pt->probe, sizeof(pt->probe), "REFUSES: %s", why);
		}
	} else {
		pt->ok = -1;
		snprintf(pt->probe, sizeof(pt->probe), "not checked: the control port is not on this machine");
	}
}

/* Calls fn for each port line of s. */
static void each_port(const struct status *st, const struct svc *s, void (*fn)(void *, const struct port *), void *ud)
{
	for (const char *p = s->ports.p; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		struct port pt;
		port_of(st, p, n, &pt);
		fn(ud, &pt);
		p += n + (nl != NULL);
	}
}

static void text_port(void *ud, const struct port *pt)
{
	FILE *out = ud;
	char line[600];
	int n = snprintf(line, sizeof(line), "  port %s -> %s: target %s", pt->virt, pt->target, pt->probe);
	term_safe_write(out, line, n < 0 ? 0 : (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
	fputc('\n', out);
}

struct view {
	const struct svc *s;
	struct onion_desc *o;
	int have_desc;
	unsigned want;
	size_t matched; /* established intro points of the descriptor */
	bool by_desc;   /* matched against the descriptor's intro points */
	const struct onion_upload *up;
	struct circs c;
	struct onion_rend_fail fail[ONION_REND_FAILS];
	size_t nfail;
};

static void text_upload(FILE *out, const struct onion_upload *up)
{
	char sum[400];
	if (up == NULL) {
		fputs("  uploads: none seen since torsh connected (HS_DESC events tell them; tor uploads again within "
		      "the hour)\n", out);
		return;
	}
	onion_upload_summary(up, sum, sizeof(sum));
	fprintf(out, "  uploads since torsh connected: ");
	oc_tor_text(out, sum, strlen(sum));
	fputc('\n', out);
	for (size_t i = 0; i < up->n; i++) {
		const char *nick = strchr(up->dir[i].name, '~');
		char line[200];
		int n = snprintf(line, sizeof(line), "    HSDir %-10s %s%s%s", nick ? nick + 1 : up->dir[i].name,
				 hsdir_state[up->dir[i].state], up->dir[i].reason[0] ? " " : "", up->dir[i].reason);
		term_safe_write(out, line, n < 0 ? 0 : (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
		fputc('\n', out);
	}
}

static void text_rend(FILE *out, const struct view *v)
{
	fprintf(out, "  rendezvous circuits now: %zu", v->c.nrend);
	for (const char *p = v->c.rend.p; p && *p;) {
		const char *nl = strchr(p, '\n');
		fputs(p == v->c.rend.p ? " (" : ", ", out);
		oc_tor_text(out, p, (size_t)(nl - p));
		p = nl + 1;
	}
	fputs(v->c.nrend ? ")\n" : "\n", out);
	fprintf(out, "  rendezvous failures seen: %s\n", v->nfail ? "" : "none (CIRC events tell them: /events CIRC)");
	for (size_t i = 0; i < v->nfail; i++) {
		char when[16] = "?";
		struct tm tm;
		if (localtime_r(&v->fail[i].wall, &tm))
			strftime(when, sizeof(when), "%H:%M:%S", &tm);
		fprintf(out, "    %s circuit ", when);
		oc_tor_text(out, v->fail[i].circ, strlen(v->fail[i].circ));
		fputs(": ", out);
		oc_tor_text(out, v->fail[i].reason, strlen(v->fail[i].reason));
		fputc('\n', out);
	}
}

static void text_view(struct status *st, const struct view *v)
{
	FILE *out = st->ctx->out;
	const struct svc *s = v->s;
	fprintf(out, "%s%s (%s)\n", s->addr[0] ? s->addr : "address unknown", s->addr[0] ? ".onion" : "", s->source);
	if (s->dir[0]) {
		fputs("  directory ", out);
		oc_tor_text(out, s->dir, strlen(s->dir));
		fputs(s->addr[0] ? "\n" : " (its hostname file is not readable here)\n", out);
	}
	if (s->ports_known)
		each_port(st, s, text_port, out);
	else
		fputs("  ports: unknown (created by another controller)\n", out);
	if (s->addr[0] == '\0')
		return;
	if (v->have_desc == 1)
		fprintf(out, "  descriptor: revision %llu, lifetime %u min%s\n", (unsigned long long)v->o->revision,
			v->o->lifetime, v->o->inner == ONION_INNER_OK ? "" : ", client authorization required");
	else
		fputs("  descriptor: none built yet (GETINFO hs/service/desc/id is empty)\n", out);
	text_upload(out, v->up);
	fprintf(out, "  intro points: %zu/%u established", v->matched, v->want);
	if (v->c.connecting)
		fprintf(out, ", %zu circuit%s connecting", v->c.connecting, v->c.connecting == 1 ? "" : "s");
	if (v->by_desc && v->c.est > v->matched)
		fprintf(out, " (and %zu for the next time period's descriptor)", v->c.est - v->matched);
	fputc('\n', out);
	text_rend(out, v);
}

/* ---- --json: one object per service ---- */

static void json_port(void *ud, const struct port *pt)
{
	FILE *f = ud;
	fprintf(f, "%s{\"virtual_port\":%s,\"target\":", ftell(f) > 2 ? "," : "", pt->virt);
	oc_json_str(f, pt->target, strlen(pt->target));
	fprintf(f, ",\"target_accepts\":%s,\"target_check\":", pt->ok == 1 ? "true" : pt->ok == 0 ? "false" : "null");
	oc_json_str(f, pt->probe, strlen(pt->probe));
	fputc('}', f);
}

/* A raw JSON array ("\1[...]", malloc'd) of what fill writes. */
static char *json_array(void (*fill)(FILE *, const struct status *, const struct view *), const struct status *st,
			const struct view *v)
{
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);
	if (f == NULL)
		return NULL;
	fputs("\1[", f);
	fill(f, st, v);
	fputc(']', f);
	fclose(f);
	return p;
}

static void fill_ports(FILE *f, const struct status *st, const struct view *v)
{
	each_port(st, v->s, json_port, f);
}

static void fill_uploads(FILE *f, const struct status *st, const struct view *v)
{
	(void)st;
	for (size_t i = 0; v->up && i < v->up->n; i++) {
		fputs(i ? ",{\"hsdir\":" : "{\"hsdir\":", f);
		oc_json_str(f, v->up->dir[i].name, strlen(v->up->dir[i].name));
		fprintf(f, ",\"result\":\"%s\",\"reason\":", hsdir_state[v->up->dir[i].state]);
		oc_json_str(f, v->up->dir[i].reason, strlen(v->up->dir[i].reason));
		fputc('}', f);
	}
}

static void fill_rend(FILE *f, const struct status *st, const struct view *v)
{
	(void)st;
	for (const char *p = v->c.rend.p; p && *p;) {
		const char *nl = strchr(p, '\n'), *sp = memchr(p, ' ', (size_t)(nl - p));
		fputs(p == v->c.rend.p ? "{\"circuit\":" : ",{\"circuit\":", f);
		oc_json_str(f, p, (size_t)(sp - p));
		fputs(",\"hs_state\":", f);
		oc_json_str(f, sp + 1, (size_t)(nl - sp - 1));
		fputc('}', f);
		p = nl + 1;
	}
}

static void fill_fails(FILE *f, const struct status *st, const struct view *v)
{
	(void)st;
	for (size_t i = 0; i < v->nfail; i++) {
		fprintf(f, "%s{\"circuit\":", i ? "," : "");
		oc_json_str(f, v->fail[i].circ, strlen(v->fail[i].circ));
		fputs(",\"reason\":", f);
		oc_json_str(f, v->fail[i].reason, strlen(v->fail[i].reason));
		fprintf(f, ",\"time\":%lld}", (long long)v->fail[i].wall);
	}
}

static void json_view(struct status *st, const struct view *v)
{
	const struct svc *s = v->s;
	char rev[32], lt[24], est[24], all[24], conn[24], want[24], sum[400] = "";
	char *ports = s->ports_known ? json_array(fill_ports, st, v) : NULL;
	char *ups = v->up ? json_array(fill_uploads, st, v) : NULL;
	char *rend = json_array(fill_rend, st, v), *fails = json_array(fill_fails, st, v);
	bool desc = v->have_desc == 1, known = s->addr[0] != '\0';
	snprintf(rev, sizeof(rev), "\1%llu", desc ? (unsigned long long)v->o->revision : 0ULL);
	snprintf(lt, sizeof(lt), "\1%u", desc ? v->o->lifetime : 0);
	snprintf(est, sizeof(est), "\1%zu", v->matched);
	snprintf(all, sizeof(all), "\1%zu", v->c.est);
	snprintf(conn, sizeof(conn), "\1%zu", v->c.connecting);
	snprintf(want, sizeof(want), "\1%u", v->want);
	if (v->up)
		onion_upload_summary(v->up, sum, sizeof(sum));
	oc_json_obj(st->ctx->out, (const char *const[]){
		"address", known ? s->addr : NULL, "source", s->source, "directory", s->dir[0] ? s->dir : NULL,
		"ports", ports ? ports : "\1null", "revision", desc ? rev : NULL, "lifetime_minutes", desc ? lt : NULL,
		"uploads", ups ? ups : known ? "\1[]" : NULL, "uploads_summary", sum[0] ? sum : NULL,
		"intro_established", known ? est : NULL, "intro_circuits_established", known ? all : NULL, "intro_connecting", known ? conn : NULL,
		"intro_wanted", known ? want : NULL, "rendezvous_circuits", known ? rend : NULL,
		"rendezvous_failures", known ? fails : NULL, NULL});
	free(ports);
	free(ups);
	free(rend);
	free(fails);
}

/* ---- the command ---- */

static int status_one(struct status *st, const struct svc *s)
{
	struct view v = {.s = s};
	int rc = 0;
	v.o = calloc(1, sizeof(*v.o));
	if (v.o == NULL)
		return -1;
	if (s->addr[0]) {
		v.have_desc = service_desc(st, s->addr, v.o);
		rc = v.have_desc < 0 ? -1 : 0;
		v.up = onion_watch_upload(st->ctx->s, s->addr);
		count_circs(st, s->addr, &v.c);
		v.nfail = onion_watch_fails(st->ctx->s, s->addr, v.fail, ONION_REND_FAILS);
	}
	v.by_desc = v.have_desc == 1 && v.o->inner == ONION_INNER_OK && v.o->nintro > 0;
	v.want = v.by_desc ? (unsigned)v.o->nintro : s->want_intro ? s->want_intro : DEFAULT_INTRO;
	v.matched = v.by_desc ? intro_matched(v.o, &v.c.last_hops) : v.c.est;
	if (rc == 0 && st->ctx->json)
		json_view(st, &v);
	else if (rc == 0)
		text_view(st, &v);
	buf_free(&v.c.rend);
	buf_free(&v.c.last_hops);
	free(v.o);
	return rc;
}

static int status_run(struct status *st)
{
	if (collect_added(st) < 0 || collect_torrc(st) < 0 ||
	    oc_call(st->ctx, "GETINFO circuit-status", &st->circs, "status") < 0)
		return -1;
	size_t shown = 0;
	for (size_t i = 0; i < st->n; i++) {
		if (st->only[0] && strcmp(st->svc[i].addr, st->only) != 0)
			continue;
		if (status_one(st, &st->svc[i]) < 0)
			return -1;
		shown++;
	}
	if (shown == 0 && st->only[0]) {
		buf_printf(st->ctx->err, BUF_NOLIMIT, "/onion status: %s.onion is not a service of this tor (not in "
			   "onions/current, onions/detached or HiddenServiceOptions)", st->only);
		return -1;
	}
	if (shown == 0 && !st->ctx->json)
		fputs("no onion services on this tor (/onion new makes one)\n", st->ctx->out);
	return 0;
}

int onion_status(struct local_ctx *ctx, const struct local_args *a)
{
	struct words ws;
	struct status *st = calloc(1, sizeof(*st));
	int rc = -1;
	if (st == NULL)
		return -1;
	st->ctx = ctx;
	if (oc_split(a, &ws, "status", ctx->err) < 0)
		goto out;
	if (ws.count > 0 && oc_addr_arg(&ws, 0, st->only, "status", ctx->err) < 0)
		goto out;
	if (ws.count > 1) {
		rc = oc_unknown_option(&ws, 1, "status", "only ADDR", ctx->err);
		goto out;
	}
	st->local = control_is_local(ctx->s);
	rc = status_run(st);
out:
	for (size_t i = 0; i < st->n; i++)
		buf_free(&st->svc[i].ports);
	msg_free(&st->circs);
	free(st);
	return rc;
}
