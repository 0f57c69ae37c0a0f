/* /onion's live part: what needs tor's events while it runs. The upload
 * view after /onion new (HS_DESC UPLOAD/UPLOADED/FAILED), /onion check (a
 * client's view of a service, phase by phase: descriptor per HSDir, its
 * decoding, introduction, rendezvous, the stream to the port) and /onion
 * status (the service side). Events the command needs and the user did not
 * subscribe are subscribed for its duration, kept from the user's view,
 * and the user's set is restored after. */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/crypto.h>

#include "clock.h"
#include "escape.h"
#include "event.h"
#include "onion_cmd.h"
#include "session.h"
#include "socks.h"
#include "tokenize.h"

/* ---- what the session saw: services made, uploads per HSDir ---- */

#define WATCH_ADDRS 8
#define WATCH_MADE 16

struct onion_watch {
	struct onion_upload up[WATCH_ADDRS]; /* the most recent addresses uploaded */
	size_t nup, next;
	struct {
		char addr[ONION_ADDR_LEN + 1];
		char ports[400];
	} made[WATCH_MADE];
	size_t nmade;
	struct onion_rend_fail fail[ONION_REND_FAILS]; /* a ring, the latest last */
	size_t nfail, nextfail;
};

/* The address of an "HS_DESC UPLOAD ADDR ..." line, when it is one. */
static bool upload_addr(const char *t, size_t n, char addr[ONION_ADDR_LEN + 1])
{
	static const char pre[] = "HS_DESC UPLOAD ";
	if (n < sizeof(pre) - 1 + ONION_ADDR_LEN || strncmp(t, pre, sizeof(pre) - 1) != 0)
		return false;
	memcpy(addr, t + sizeof(pre) - 1, ONION_ADDR_LEN);
	addr[ONION_ADDR_LEN] = '\0';
	return true;
}

/* "KEY=VALUE" among the words of a line: the value as a C string. */
bool onion_line_kv(const char *t, size_t n, const char *key, char *out, size_t cap)
{
	const char *p = t, *end = t + n, *w;
	size_t wl, kl = strlen(key);
	out[0] = '\0';
	while (tok_word(&p, end, &w, &wl)) {
		if (wl > kl && strncmp(w, key, kl) == 0 && w[kl] == '=') {
			snprintf(out, cap, "%.*s", (int)(wl - kl - 1), w + kl + 1);
			return true;
		}
	}
	return false;
}

/* A service's rendezvous circuit that failed or closed before its end:
 * "CIRC ID FAILED|CLOSED ... PURPOSE=HS_SERVICE_REND ... REASON=R".
 * Every CIRC event of a flood is looked at: the scan is for a 'V', which
 * hex fingerprints, numbers, times and tor's other purposes and flags
 * lack, not for the 'H' that starts a dozen words of each event. */
static bool names_service_rend(const char *t, size_t n)
{
	static const char lit[] = "HS_SERVICE_REND";
	const size_t at = (size_t)(strchr(lit, 'V') - lit);
	const char *end = t + n;
	for (const char *p = t + at; p < end; p++) {
		p = memchr(p, 'V', (size_t)(end - p));
		if (p == NULL)
			return false;
		if ((size_t)(end - (p - at)) >= sizeof(lit) - 1 && memcmp(p - at, lit, sizeof(lit) - 1) == 0)
			return true;
	}
	return false;
}

/* "CIRC ID FAILED ..." or "CIRC ID CLOSED ..." (t starts "CIRC "),
 * looked at in place: tor writes one space between words. */
static bool circ_ended(const char *t, size_t n)
{
	const char *p = t + 5, *end = t + n;
	while (p < end && *p != ' ')
		p++;
	if (end - p < 7 || (memcmp(p + 1, "FAILED", 6) != 0 && memcmp(p + 1, "CLOSED", 6) != 0))
		return false;
	return end - p == 7 || p[7] == ' ';
}

static void watch_circ(struct onion_watch *w, const char *t, size_t n)
{
	char purpose[32], status[16] = "", reason[32], remote[32], addr[ONION_ADDR_LEN + 8], id[24] = "";
	/* every CIRC event of a flood comes here: only a circuit that ended
	 * (its third word FAILED or CLOSED) and one scan for the purpose let
	 * it on to the tokenizing */
	if (!circ_ended(t, n) || !names_service_rend(t, n))
		return;
	if (!onion_line_kv(t, n, "PURPOSE", purpose, sizeof(purpose)) || strcmp(purpose, "HS_SERVICE_REND") != 0)
		return;
	const char *p = t, *end = t + n, *wd;
	size_t wl;
	if (tok_word(&p, end, &wd, &wl) && tok_word(&p, end, &wd, &wl)) {
		snprintf(id, sizeof(id), "%.*s", (int)(wl < 23 ? wl : 23), wd);
		if (tok_word(&p, end, &wd, &wl))
			snprintf(status, sizeof(status), "%.*s", (int)(wl < 15 ? wl : 15), wd);
	}
	onion_line_kv(t, n, "REASON", reason, sizeof(reason));
	onion_line_kv(t, n, "REMOTE_REASON", remote, sizeof(remote));
	if ((strcmp(status, "FAILED") != 0 && strcmp(status, "CLOSED") != 0) || strcmp(reason, "FINISHED") == 0 ||
	    (strcmp(status, "CLOSED") == 0 && reason[0] == '\0'))
		return;
	struct onion_rend_fail *f = &w->fail[w->nextfail];
	w->nextfail = (w->nextfail + 1) % ONION_REND_FAILS;
	if (w->nfail < ONION_REND_FAILS)
		w->nfail++;
	onion_line_kv(t, n, "REND_QUERY", addr, sizeof(addr));
	snprintf(f->addr, sizeof(f->addr), "%.*s", ONION_ADDR_LEN, addr);
	snprintf(f->circ, sizeof(f->circ), "%s", id);
	snprintf(f->reason, sizeof(f->reason), "%s%s%s", reason[0] ? reason : status, remote[0] ? " REMOTE_REASON=" : "",
		 remote);
	f->wall = time(NULL);
}

static bool watch_observe(void *ud, const struct tc_msg *m)
{
	struct onion_watch *w = ud;
	size_t n;
	const char *t = msg_first(m, &n);
	char addr[ONION_ADDR_LEN + 1];
	if (n >= 5 && memcmp(t, "CIRC ", 5) == 0)
		watch_circ(w, t, n);
	if (n < 8 || memcmp(t, "HS_DESC ", 8) != 0)
		return false;
	if (upload_addr(t, n, addr)) {
		bool known = false;
		for (size_t i = 0; i < w->nup; i++)
			known |= strcmp(w->up[i].addr, addr) == 0;
		if (!known) {
			/* the oldest address makes room */
			onion_upload_init(&w->up[w->next], addr);
			w->next = (w->next + 1) % WATCH_ADDRS;
			if (w->nup < WATCH_ADDRS)
				w->nup++;
		}
	}
	/* the address word picks the one record an event is about (UPLOADED
	 * may say UNKNOWN: then every record looks); a flood of other
	 * services' HS_DESC events costs one scan each, not one per record */
	const char *p = t, *end = t + n, *wd = NULL;
	size_t wl = 0;
	int k = 0;
	while (k < 3 && tok_word(&p, end, &wd, &wl))
		k++;
	if (k < 3)
		return false;
	bool unknown = wl == 7 && memcmp(wd, "UNKNOWN", 7) == 0;
	for (size_t i = 0; i < w->nup; i++)
		if (unknown || (wl == ONION_ADDR_LEN && strncasecmp(wd, w->up[i].addr, ONION_ADDR_LEN) == 0))
			onion_upload_feed(&w->up[i], t, n);
	return false;
}

void onion_watch_install(struct session *s)
{
	struct onion_watch *w = calloc(1, sizeof(*w));
	if (w == NULL)
		return;
	s->observe = watch_observe;
	s->observe_ud = w;
	s->observe_free = free;
}

static struct onion_watch *watch_of(struct session *s)
{
	return s && s->observe == watch_observe ? s->observe_ud : NULL;
}

void onion_watch_made(struct session *s, const char *addr, const char *ports)
{
	struct onion_watch *w = watch_of(s);
	if (w == NULL)
		return;
	size_t i = w->nmade < WATCH_MADE ? w->nmade++ : WATCH_MADE - 1;
	if (i == WATCH_MADE - 1 && w->nmade == WATCH_MADE)
		memmove(&w->made[0], &w->made[1], sizeof(w->made[0]) * (WATCH_MADE - 1));
	snprintf(w->made[i].addr, sizeof(w->made[i].addr), "%s", addr);
	snprintf(w->made[i].ports, sizeof(w->made[i].ports), "%s", ports ? ports : "");
}

const struct onion_upload *onion_watch_upload(struct session *s, const char *addr)
{
	struct onion_watch *w = watch_of(s);
	for (size_t i = 0; w && i < w->nup; i++)
		if (strcmp(w->up[i].addr, addr) == 0)
			return &w->up[i];
	return NULL;
}

const char *onion_watch_ports(struct session *s, const char *addr)
{
	struct onion_watch *w = watch_of(s);
	for (size_t i = w ? w->nmade : 0; i-- > 0;)
		if (strcmp(w->made[i].addr, addr) == 0)
			return w->made[i].ports;
	return NULL;
}

size_t onion_watch_fails(struct session *s, const char *addr, struct onion_rend_fail *out, size_t max)
{
	struct onion_watch *w = watch_of(s);
	size_t k = 0;
	/* oldest first */
	for (size_t i = 0; w && i < w->nfail && k < max; i++) {
		const struct onion_rend_fail *f = &w->fail[(w->nextfail + ONION_REND_FAILS - w->nfail + i) % ONION_REND_FAILS];
		if (strcmp(f->addr, addr) == 0)
			out[k++] = *f;
	}
	return k;
}

/* ---- following events for a command ---- */

struct live {
	struct local_ctx *ctx;
	uint64_t user, added;        /* the user's events; those the command added */
	void (*on)(void *ud, const struct event *ev, const struct tc_msg *m);
	void *ud;
	struct event ev;
};

static bool live_tap(void *ud, const struct tc_msg *m)
{
	struct live *l = ud;
	if (event_parse(m, &l->ev) < 0 || l->ev.def == NULL)
		return false;
	l->on(l->ud, &l->ev, m);
	return (l->added & ((uint64_t)1 << (l->ev.def - event_defs))) != 0;
}

static int setevents(struct local_ctx *ctx, uint64_t set, const char *sub)
{
	struct buf line = {0};
	struct tc_msg m = {0};
	buf_append(&line, "SETEVENTS", 9, BUF_NOLIMIT);
	for (size_t i = 0; i < event_def_count; i++)
		if (set & ((uint64_t)1 << i))
			buf_printf(&line, BUF_NOLIMIT, " %s", event_defs[i].name);
	int rc = oc_call(ctx, line.p, &m, sub);
	if (rc == 0 && !msg_ok(&m))
		rc = oc_refused(ctx, &m, sub, "SETEVENTS");
	buf_free(&line);
	msg_free(&m);
	return rc;
}

/* Follow the events named (space-separated) until live_end. */
static int live_begin(struct live *l, struct local_ctx *ctx, const char *names, const char *sub)
{
	uint64_t want = 0;
	const char *p = names, *end = names + strlen(names), *w;
	size_t n;
	while (tok_word(&p, end, &w, &n)) {
		const struct event_def *d = event_def_find(w, n);
		if (d)
			want |= (uint64_t)1 << (d - event_defs);
	}
	l->ctx = ctx;
	l->user = ctx->s ? ctx->s->events : 0;
	l->added = want & ~l->user;
	if (ctx->s == NULL || ctx->offline) {
		buf_printf(ctx->err, BUF_NOLIMIT, "/onion %s: not connected to tor", sub);
		return -1;
	}
	ctx->s->tap = live_tap;
	ctx->s->tap_ud = l;
	if (l->added && setevents(ctx, l->user | want, sub) < 0) {
		ctx->s->tap = NULL;
		return -1;
	}
	return 0;
}

static void live_end(struct live *l, const char *sub)
{
	struct session *s = l->ctx->s;
	/* the tap stays until tor stops sending what the user did not ask for */
	if (l->added && s->ctl.state == CTL_OPEN) {
		struct buf keep = {0};
		struct buf *err = l->ctx->err;
		l->ctx->err = &keep;
		setevents(l->ctx, l->user, sub);
		l->ctx->err = err;
		buf_free(&keep);
	}
	s->tap = NULL;
	s->tap_ud = NULL;
	event_free(&l->ev);
}

/* A field's value as a C string ("" when absent). */
static const char *fv(const struct event *ev, const char *name, char *buf, size_t cap)
{
	const struct ev_field *f = event_get(ev, name);
	size_t n = f ? (f->val_len < cap ? f->val_len : cap - 1) : 0;
	if (n)
		memcpy(buf, f->val, n);
	buf[n] = '\0';
	return buf;
}

static bool fis(const struct event *ev, const char *name, const char *val)
{
	const struct ev_field *f = event_get(ev, name);
	return f && f->val_len == strlen(val) && strncasecmp(f->val, val, f->val_len) == 0;
}

static bool is_event(const struct event *ev, const char *type)
{
	return ev->type_len == strlen(type) && strncmp(ev->type, type, ev->type_len) == 0;
}

/* "$FP~nick" -> "nick" */
static const char *nick(const char *name)
{
	const char *t = strchr(name, '~');
	return t ? t + 1 : name;
}

/* A line of text that holds tor's words: escaped as a whole. */
static void out_line(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out_line(FILE *out, const char *fmt, ...)
{
	char line[1200];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	term_safe_write(out, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
	fputc('\n', out);
}

static char *num(char *buf, size_t cap, double v)
{
	snprintf(buf, cap, "\1%.3f", v);
	return buf;
}

/* ---- /onion new's upload view ---- */

#define UPLOAD_SETTLE_MS 1500 /* after the last answer: the other descriptor's uploads may follow */

struct upview {
	struct local_ctx *ctx;
	struct onion_upload u;
	long t0, last_ms;
};

static void upview_on(void *ud, const struct event *ev, const struct tc_msg *m)
{
	struct upview *v = ud;
	size_t n;
	const char *t = msg_first(m, &n);
	char act[16], dir[80], reason[32], el[24];
	if (!is_event(ev, "HS_DESC") || !onion_upload_feed(&v->u, t, n))
		return;
	v->last_ms = mono_ms();
	fv(ev, "Action", act, sizeof(act));
	fv(ev, "HsDir", dir, sizeof(dir));
	fv(ev, "REASON", reason, sizeof(reason));
	double s = (double)(v->last_ms - v->t0) / 1000.0;
	if (v->ctx->json) {
		oc_json_obj(v->ctx->out, (const char *const[]){"address", v->u.addr, "upload", act, "hsdir", dir[0] ? dir : NULL,
								"reason", reason[0] ? reason : NULL, "seconds",
								num(el, sizeof(el), s), NULL});
		return;
	}
	if (strcmp(act, "CREATED") == 0)
		out_line(v->ctx->out, "  %5.1fs descriptor built", s);
	else if (strcmp(act, "UPLOAD") == 0)
		out_line(v->ctx->out, "  %5.1fs uploading to %s", s, nick(dir));
	else if (strcmp(act, "FAILED") == 0)
		out_line(v->ctx->out, "  %5.1fs upload to %s FAILED: %s", s, nick(dir), reason[0] ? reason : "no reason");
	else
		out_line(v->ctx->out, "  %5.1fs uploaded to %s", s, nick(dir));
}

static bool upview_step(void *ud, short revents)
{
	struct upview *v = ud;
	(void)revents;
	return onion_upload_done(&v->u) && mono_ms() - v->last_ms >= UPLOAD_SETTLE_MS;
}

static void upview_summary(struct upview *v, bool timed_out, double timeout_s)
{
	char sum[400], n[24], ok[24], failed[24];
	size_t nok = 0, nfail = 0;
	onion_upload_summary(&v->u, sum, sizeof(sum));
	for (size_t i = 0; i < v->u.n; i++) {
		nok += v->u.dir[i].state == HSDIR_UPLOADED;
		nfail += v->u.dir[i].state == HSDIR_FAILED;
	}
	if (v->ctx->json) {
		snprintf(n, sizeof(n), "\1%zu", v->u.n);
		snprintf(ok, sizeof(ok), "\1%zu", nok);
		snprintf(failed, sizeof(failed), "\1%zu", nfail);
		oc_json_obj(v->ctx->out, (const char *const[]){"address", v->u.addr, "summary", sum, "hsdirs", n, "uploaded", ok,
								"failed", failed, "complete", timed_out ? "\1false" : "\1true",
								NULL});
		return;
	}
	if (timed_out && v->u.n == 0)
		out_line(v->ctx->out, "  no upload within %g s (tor uploads once its intro points are established; "
			 "/onion status %s shows later ones)", timeout_s, v->u.addr);
	else
		out_line(v->ctx->out, "  %s%s", sum, timed_out ? " (--timeout reached)" : "");
}

/* A tor with DisableNetwork uploads nothing: no view to wait for. */
static bool network_disabled(struct local_ctx *ctx)
{
	struct tc_msg m = {0};
	struct buf e = {0};
	size_t n;
	const char *v;
	bool off = ctx->s && session_call(ctx->s, "GETCONF DisableNetwork", &m, &e) == 0 && msg_ok(&m) &&
		   (v = oc_reply_value(&m, "DisableNetwork", &n)) && n == 1 && v[0] == '1';
	if (off && !ctx->json)
		out_line(ctx->out, "  no upload: this tor has DisableNetwork 1");
	msg_free(&m);
	buf_free(&e);
	return off;
}

int onion_upload_view(struct local_ctx *ctx, const char *addr, double timeout_s)
{
	struct upview v = {.ctx = ctx, .t0 = mono_ms()};
	struct live l = {.on = upview_on, .ud = &v};
	struct buf e = {0};
	onion_upload_init(&v.u, addr);
	if (timeout_s <= 0 || network_disabled(ctx))
		return 0;
	if (live_begin(&l, ctx, "HS_DESC", "new") < 0)
		return -1;
	if (!ctx->json)
		out_line(ctx->out, "  waiting for the descriptor uploads (up to %g s)", timeout_s);
	int rc = session_wait(ctx->s, v.t0 + (long)(timeout_s * 1000), -1, NULL, upview_step, &v, &e);
	if (rc < 0)
		buf_printf(ctx->err, BUF_NOLIMIT, "/onion new: %s", e.p ? e.p : "failed");
	live_end(&l, "new");
	if (rc >= 0)
		upview_summary(&v, rc == 1, timeout_s);
	buf_free(&e);
	return rc < 0 ? -1 : 0;
}

/* ---- /onion check ---- */

#define CHECK_DIRS 24
#define CHECK_KEYS 8
#define CHECK_FETCHES 2          /* a second HSFETCH only after a timeout */
#define CHECK_SETTLE_MS 800      /* after an answer: tor may ask the next HSDir */
#define CHECK_NO_REQUEST_MS 3000 /* HSFETCH asked nobody: every responsible HSDir was asked lately */

struct dirtry {
	char name[80], result[12], reason[24];
	long ms;
	/* what its HS_DESC_CONTENT held: tor sends one for a descriptor it
	 * then rejects (FAILED REASON=BAD_DESC) too */
	char *content;
	size_t content_len;
};

/* What a phase saw, as milliseconds since the check began (-1: not seen). */
struct check {
	struct local_ctx *ctx;
	char addr[ONION_ADDR_LEN + 1], target[80];
	unsigned port;
	double timeout;
	uint8_t keys[CHECK_KEYS][32];
	size_t nkeys;
	long t0, deadline;
	/* descriptor */
	struct dirtry dirs[CHECK_DIRS];
	size_t ndirs, answered;
	long received, last_request;
	const char *desc;      /* the content decoded: one of dirs[].content */
	size_t desc_len;
	/* connection */
	struct socks k;
	bool socks_started;
	long stream_id, done_ms;
	long intro_sent, intro_acked, rend_ready, rend_waiting, rend_joined, sent_connect, connected, failed_ms;
	char reason[32], remote_reason[32], intro_fail[32];
	char rend_dir[80];
};

static long since(const struct check *c)
{
	return mono_ms() - c->t0;
}

static struct dirtry *check_dir(struct check *c, const char *name)
{
	for (size_t i = 0; i < c->ndirs; i++)
		if (strcmp(c->dirs[i].name, name) == 0)
			return &c->dirs[i];
	if (c->ndirs == CHECK_DIRS)
		return NULL;
	struct dirtry *d = &c->dirs[c->ndirs++];
	snprintf(d->name, sizeof(d->name), "%s", name);
	snprintf(d->result, sizeof(d->result), "requested");
	d->ms = since(c);
	return d;
}

/* The HSDir an event names, by its fingerprint: "$FP~nick", "$FP=nick"
 * and "$FP" are one relay. Added when it is new. */
static struct dirtry *dir_by_fp(struct check *c, const char *name)
{
	size_t n = strcspn(name, "~=");
	for (size_t i = 0; i < c->ndirs; i++) {
		const char *d = c->dirs[i].name;
		if (strncmp(d, name, n) == 0 && (d[n] == '\0' || d[n] == '~' || d[n] == '='))
			return &c->dirs[i];
	}
	return check_dir(c, name);
}

static void check_hs_desc(struct check *c, const struct event *ev)
{
	char dir[80], reason[24];
	if (!fis(ev, "Address", c->addr))
		return;
	fv(ev, "HsDir", dir, sizeof(dir));
	if (fis(ev, "Action", "REQUESTED")) {
		struct dirtry *d = dir_by_fp(c, dir);
		if (d && strcmp(d->result, "requested") != 0) {
			snprintf(d->result, sizeof(d->result), "requested");
			d->ms = since(c);
			c->answered--; /* asked again: its answer is to come */
		}
		c->last_request = since(c);
		return;
	}
	bool got = fis(ev, "Action", "RECEIVED"), failed = fis(ev, "Action", "FAILED");
	struct dirtry *d = got || failed ? dir_by_fp(c, dir) : NULL;
	if (d == NULL)
		return;
	snprintf(d->result, sizeof(d->result), "%s", got ? "received" : "failed");
	snprintf(d->reason, sizeof(d->reason), "%s", fv(ev, "REASON", reason, sizeof(reason)));
	d->ms = since(c);
	c->answered++;
	if (got && c->received < 0)
		c->received = since(c);
}

/* Each HSDir's content is kept: a rejected one may come before a good one. */
static void check_content(struct check *c, const struct event *ev)
{
	char dir[80];
	if (!fis(ev, "Address", c->addr) || ev->data_len == 0)
		return;
	struct dirtry *d = dir_by_fp(c, fv(ev, "HsDir", dir, sizeof(dir)));
	if (d == NULL || d->content)
		return;
	d->content = malloc(ev->data_len + 1);
	if (d->content) {
		memcpy(d->content, ev->data, ev->data_len);
		d->content[ev->data_len] = '\0';
		d->content_len = ev->data_len;
	}
}

/* The content to decode: one from an HSDir tor said it received from,
 * else (to say why it is unreadable) any, else NULL. */
static const struct dirtry *check_content_pick(const struct check *c, bool received_only)
{
	for (size_t i = 0; i < c->ndirs; i++)
		if (c->dirs[i].content && strcmp(c->dirs[i].result, "received") == 0)
			return &c->dirs[i];
	for (size_t i = 0; !received_only && i < c->ndirs; i++)
		if (c->dirs[i].content)
			return &c->dirs[i];
	return NULL;
}

static void set_once(long *t, long now)
{
	if (*t < 0)
		*t = now;
}

static void check_circ(struct check *c, const struct event *ev)
{
	char st[40], purpose[32], reason[32], dir[80];
	if (!fis(ev, "REND_QUERY", c->addr))
		return;
	fv(ev, "HS_STATE", st, sizeof(st));
	fv(ev, "PURPOSE", purpose, sizeof(purpose));
	long now = since(c);
	bool closing = fis(ev, "Status", "FAILED") || fis(ev, "Status", "CLOSED");
	if (closing)
		st[0] = '\0'; /* the state it had: not news */
	if (strcmp(st, "HSCI_INTRO_SENT") == 0)
		set_once(&c->intro_sent, now);
	else if (strcmp(st, "HSCI_DONE") == 0 || strcmp(st, "HSCR_ESTABLISHED_WAITING") == 0)
		set_once(&c->intro_acked, now);
	if (strcmp(st, "HSCR_ESTABLISHED_IDLE") == 0)
		set_once(&c->rend_ready, now);
	else if (strcmp(st, "HSCR_JOINED") == 0) {
		set_once(&c->rend_joined, now);
		const struct ev_field *p = event_get(ev, "Path");
		if (p && p->val_len) {
			/* the last hop of the client's half: the rendezvous point */
			const char *s = p->val + p->val_len;
			while (s > p->val && s[-1] != ',')
				s--;
			snprintf(dir, sizeof(dir), "%.*s", (int)(p->val + p->val_len - s), s);
			snprintf(c->rend_dir, sizeof(c->rend_dir), "%s", dir);
		}
	}
	if (strcmp(purpose, "HS_CLIENT_INTRO") == 0 && closing &&
	    c->intro_acked < 0 && fv(ev, "REASON", reason, sizeof(reason))[0] && strcmp(reason, "FINISHED") != 0)
		snprintf(c->intro_fail, sizeof(c->intro_fail), "%s", reason);
}

static void check_stream(struct check *c, const struct event *ev)
{
	char id[24];
	if (c->stream_id < 0 && fis(ev, "Status", "NEW") && fis(ev, "Target", c->target) && c->socks_started)
		c->stream_id = strtol(fv(ev, "StreamID", id, sizeof(id)), NULL, 10);
	if (c->stream_id < 0 || strtol(fv(ev, "StreamID", id, sizeof(id)), NULL, 10) != c->stream_id)
		return;
	long now = since(c);
	if (fis(ev, "Status", "SENTCONNECT"))
		set_once(&c->sent_connect, now);
	else if (fis(ev, "Status", "SUCCEEDED"))
		set_once(&c->connected, now);
	else if (fis(ev, "Status", "FAILED") || fis(ev, "Status", "CLOSED")) {
		set_once(&c->failed_ms, now);
		if (!c->reason[0])
			fv(ev, "REASON", c->reason, sizeof(c->reason));
		if (!c->remote_reason[0])
			fv(ev, "REMOTE_REASON", c->remote_reason, sizeof(c->remote_reason));
	}
}

static void check_on(void *ud, const struct event *ev, const struct tc_msg *m)
{
	struct check *c = ud;
	(void)m;
	if (is_event(ev, "HS_DESC"))
		check_hs_desc(c, ev);
	else if (is_event(ev, "HS_DESC_CONTENT"))
		check_content(c, ev);
	else if (is_event(ev, "CIRC") || is_event(ev, "CIRC_MINOR"))
		check_circ(c, ev);
	else if (is_event(ev, "STREAM"))
		check_stream(c, ev);
}

static int check_args(struct local_ctx *ctx, const struct words *ws, struct check *c)
{
	char v[200], msg[300];
	if (oc_addr_arg(ws, 0, c->addr, "check", ctx->err) < 0)
		return -1;
	for (size_t i = 1; i < ws->count; i++) {
		if (oc_is(ws, i, "--port") || oc_is(ws, i, "--timeout") || oc_is(ws, i, "--key")) {
			if (oc_opt_value(ws, i, v, sizeof(v), "check", ctx->err) < 0)
				return -1;
			bool port = oc_is(ws, i, "--port"), timeout = oc_is(ws, i, "--timeout");
			i++;
			if (port && (strspn(v, "0123456789") != strlen(v) || strlen(v) > 5 || atoi(v) < 1 || atoi(v) > 65535)) {
				buf_printf(ctx->err, BUF_NOLIMIT, "/onion check: --port: expected a port 1-65535");
				return -1;
			} else if (port) {
				c->port = (unsigned)atoi(v);
			} else if (timeout && (oc_seconds(v, &c->timeout) < 0 || c->timeout == 0)) {
				buf_printf(ctx->err, BUF_NOLIMIT, "/onion check: --timeout: expected seconds (more than 0)");
				return -1;
			} else if (!timeout && c->nkeys < CHECK_KEYS) {
				if (oc_x25519_arg(v, strlen(v), c->keys[c->nkeys], NULL, msg, sizeof(msg)) < 0) {
					OPENSSL_cleanse(v, sizeof(v));
					buf_printf(ctx->err, BUF_NOLIMIT, "/onion check: --key: %s", msg);
					return -1;
				}
				c->nkeys++;
			}
			OPENSSL_cleanse(v, sizeof(v));
		} else {
			return oc_unknown_option(ws, i, "check", "--port P, --timeout S or --key KEY", ctx->err);
		}
	}
	snprintf(c->target, sizeof(c->target), "%s.onion:%u", c->addr, c->port);
	return 0;
}

/* ---- the descriptor phase ---- */

struct fetch_wait {
	struct check *c;
	size_t ndirs_before, answered_before;
	long started;
};

static bool fetch_step(void *ud, short revents)
{
	struct fetch_wait *f = ud;
	struct check *c = f->c;
	(void)revents;
	if (c->received >= 0)
		return check_content_pick(c, true) != NULL || since(c) - c->received > 2000;
	bool requested = c->ndirs > f->ndirs_before;
	if (!requested)
		return since(c) - f->started > CHECK_NO_REQUEST_MS;
	/* every HSDir asked so far answered, and tor tries no other */
	return c->answered >= c->ndirs && since(c) - c->dirs[c->ndirs - 1].ms > CHECK_SETTLE_MS;
}

/* HSFETCH until one HSDir has it, or tor has asked every HSDir it would. */
static int check_fetch(struct check *c)
{
	char line[100];
	struct buf e = {0};
	int rc = 0;
	for (int i = 0; rc == 0 && i < CHECK_FETCHES && c->received < 0 && mono_ms() < c->deadline; i++) {
		struct tc_msg m = {0};
		struct fetch_wait f = {.c = c, .ndirs_before = c->ndirs, .answered_before = c->answered, .started = since(c)};
		snprintf(line, sizeof(line), "HSFETCH %s", c->addr);
		if (oc_call(c->ctx, line, &m, "check") < 0)
			return -1;
		if (!msg_ok(&m)) {
			oc_refused(c->ctx, &m, "check", "HSFETCH");
			msg_free(&m);
			return -1;
		}
		msg_free(&m);
		rc = session_wait(c->ctx->s, c->deadline, -1, NULL, fetch_step, &f, &e);
		if (rc == 0)
			break; /* tor itself goes on to the next HSDir after a NOT_FOUND */
	}
	if (rc < 0)
		buf_printf(c->ctx->err, BUF_NOLIMIT, "/onion check: %s", e.p ? e.p : "failed");
	buf_free(&e);
	return rc < 0 ? -1 : 0;
}

/* ---- the connection phase ---- */

struct conn_wait {
	struct check *c;
	short *want;
};

static bool conn_step(void *ud, short revents)
{
	struct conn_wait *w = ud;
	struct check *c = w->c;
	int r = socks_step(&c->k, revents);
	*w->want = socks_events(&c->k);
	if (r != 0 && c->done_ms < 0)
		c->done_ms = since(c);
	/* the stream's last events follow tor's SOCKS reply closely */
	bool stream_over = c->connected >= 0 || c->failed_ms >= 0;
	return r != 0 && (stream_over || since(c) - c->done_ms > 1500);
}

/* 0 ran (the outcome is in c), -1 with ctx->err, -3 no SocksPort to use. */
static int check_connect(struct check *c)
{
	struct tc_msg m = {0};
	char listener[300], host[80];
	size_t n;
	const char *v;
	if (oc_call(c->ctx, "GETINFO net/listeners/socks", &m, "check") < 0)
		return -1;
	v = msg_ok(&m) ? oc_reply_value(&m, "net/listeners/socks", &n) : NULL;
	if (v == NULL || socks_first_listener(v, n, listener, sizeof(listener)) < 0) {
		buf_printf(c->ctx->err, BUF_NOLIMIT, "/onion check: this tor has no SocksPort listening (GETINFO "
			   "net/listeners/socks is empty): --port needs one");
		msg_free(&m);
		return -3;
	}
	msg_free(&m);
	snprintf(host, sizeof(host), "%s.onion", c->addr);
	c->socks_started = true;
	if (socks_start(&c->k, listener, strlen(listener), host, (uint16_t)c->port) < 0) {
		buf_printf(c->ctx->err, BUF_NOLIMIT, "/onion check: SocksPort %s: %s", listener, c->k.err);
		socks_close(&c->k);
		return -3;
	}
	struct buf e = {0};
	short want;
	int rc;
	want = socks_events(&c->k);
	struct conn_wait w = {.c = c, .want = &want};
	rc = session_wait(c->ctx->s, c->deadline, c->k.fd, &want, conn_step, &w, &e);
	socks_close(&c->k);
	if (rc < 0)
		buf_printf(c->ctx->err, BUF_NOLIMIT, "/onion check: %s", e.p ? e.p : "failed");
	buf_free(&e);
	if (rc == 0 && c->k.state == SOCKS_FAILED && c->k.reply < 0 && c->sent_connect < 0 && c->stream_id < 0) {
		buf_printf(c->ctx->err, BUF_NOLIMIT, "/onion check: SocksPort %s: %s", listener, c->k.err);
		return -3;
	}
	return rc < 0 ? -1 : 0;
}

/* ---- reporting ---- */

static void phase(struct check *c, const char *name, bool ok, long ms, const char *detail, const char *extra_json)
{
	char secs[24];
	if (c->ctx->json) {
		oc_json_obj(c->ctx->out, (const char *const[]){"address", c->addr, "phase", name, "ok", ok ? "\1true" : "\1false",
								"seconds", ms >= 0 ? num(secs, sizeof(secs), (double)ms / 1000.0) : NULL,
								"detail", detail, "hsdirs", extra_json, NULL});
		return;
	}
	if (ms >= 0)
		out_line(c->ctx->out, "  %-12s %s %s (%.1f s)", name, ok ? "ok  " : "FAIL", detail, (double)ms / 1000.0);
	else
		out_line(c->ctx->out, "  %-12s %s %s", name, ok ? "ok  " : "FAIL", detail);
}

static void dirs_report(struct check *c, struct buf *json)
{
	buf_append(json, "\1[", 2, BUF_NOLIMIT);
	for (size_t i = 0; i < c->ndirs; i++) {
		struct dirtry *d = &c->dirs[i];
		if (!c->ctx->json) {
			out_line(c->ctx->out, "    HSDir %-10s %s%s%s (%.1f s)", nick(d->name), d->result, d->reason[0] ? " " : "",
				 d->reason, (double)d->ms / 1000.0);
			continue;
		}
		struct buf one = {0};
		buf_printf(&one, BUF_NOLIMIT, "%s{\"hsdir\":", i ? "," : "");
		buf_append(json, one.p, one.len, BUF_NOLIMIT);
		buf_free(&one);
		/* tor's relay names: only [$A-Za-z0-9~] in a valid one; anything else dropped */
		char safe[80];
		size_t k = 0;
		for (const char *p = d->name; *p && k + 1 < sizeof(safe); p++)
			if (strchr("$~", *p) || (*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
				safe[k++] = *p;
		safe[k] = '\0';
		buf_printf(json, BUF_NOLIMIT, "\"%s\",\"result\":\"%s\",\"reason\":\"%s\",\"seconds\":%.3f}", safe, d->result,
			   d->reason, (double)d->ms / 1000.0);
	}
	buf_append(json, "]", 2, BUF_NOLIMIT);
}

/* The verdict: exit status 0 reachable, 1 not. */
static int verdict(struct check *c, bool ok, const char *failed_phase, const char *why)
{
	char secs[24];
	if (c->ctx->json)
		oc_json_obj(c->ctx->out, (const char *const[]){"address", c->addr, "verdict", ok ? "reachable" : "unreachable",
								"reachable", ok ? "\1true" : "\1false", "failed_phase",
								failed_phase, "detail", why, "seconds",
								num(secs, sizeof(secs), (double)since(c) / 1000.0), NULL});
	else
		out_line(c->ctx->out, "verdict: %s: %s", ok ? "reachable" : "NOT reachable", why);
	c->ctx->status = ok ? 0 : 1;
	return 0;
}

static const char *dirs_reasons(const struct check *c, char *out, size_t cap)
{
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < c->ndirs && o < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%s%s %s", i ? ", " : "", nick(c->dirs[i].name),
				      c->dirs[i].reason[0] ? c->dirs[i].reason : c->dirs[i].result);
	return out;
}

/* The descriptor phase's outcome: 1 readable, 0 verdict given. */
static int check_descriptor(struct check *c, struct onion_desc *o)
{
	char detail[700], reasons[500], msg[300];
	struct buf json = {0};
	uint8_t pk[32];
	dirs_report(c, &json);
	const struct dirtry *from = check_content_pick(c, false);
	if (from) {
		c->desc = from->content;
		c->desc_len = from->content_len;
	}
	if (c->received < 0 || c->desc == NULL) {
		snprintf(detail, sizeof(detail), c->ndirs ? "not found: %s" : "no HSDir asked%s", c->ndirs ? dirs_reasons(c, reasons, sizeof(reasons))
			 : " (tor asked every responsible HSDir in the last 15 minutes, or has no consensus yet)");
		phase(c, "descriptor", false, since(c), detail, json.p);
		buf_free(&json);
		return verdict(c, false, "descriptor", detail);
	}
	onion_addr_parse(c->addr, ONION_ADDR_LEN, pk, msg, sizeof(msg));
	enum onion_desc_err e = onion_desc_decode(c->desc, c->desc_len, pk, (const uint8_t(*)[32])c->keys, c->nkeys, o, msg,
						  sizeof(msg));
	bool readable = e == ONION_DESC_OK && o->inner == ONION_INNER_OK;
	if (e != ONION_DESC_OK)
		snprintf(detail, sizeof(detail), "unreadable: %s", msg);
	else if (o->inner == ONION_INNER_AUTH_NEEDED)
		snprintf(detail, sizeof(detail), "unreadable: client authorization required and no key known "
			 "(/onion auth add %s KEY, or --key KEY)", c->addr);
	else if (o->inner == ONION_INNER_AUTH_WRONG)
		snprintf(detail, sizeof(detail), "unreadable: client authorization required; no known key is among the "
			 "authorized clients");
	else if (o->inner != ONION_INNER_OK)
		snprintf(detail, sizeof(detail), "unreadable: the inner layer does not parse");
	else
		snprintf(detail, sizeof(detail), "received, revision %llu, lifetime %u min, %zu intro point%s, client "
			 "authorization %s", (unsigned long long)o->revision, o->lifetime, o->nintro,
			 o->nintro == 1 ? "" : "s", o->auth_used ? "required, a known key opens it" : "not required");
	phase(c, "descriptor", readable, c->received, detail, json.p);
	buf_free(&json);
	if (!readable)
		return verdict(c, false, "descriptor", detail);
	return 1;
}

static void check_phases(struct check *c)
{
	char d[300];
	bool acked = c->intro_acked >= 0, joined = c->rend_joined >= 0;
	if (c->intro_sent >= 0 || acked || c->intro_fail[0]) {
		snprintf(d, sizeof(d), acked ? "the service's intro point acknowledged (INTRODUCE_ACK)"
			 : c->intro_fail[0] ? "intro circuit closed: %s" : "INTRODUCE1 sent, no acknowledgement", c->intro_fail);
		phase(c, "introduction", acked, acked ? c->intro_acked : c->intro_sent, d, NULL);
	}
	if (!joined && c->rend_ready < 0 && c->intro_sent < 0 && (c->sent_connect >= 0 || c->remote_reason[0]))
		phase(c, "rendezvous", true, c->sent_connect, "an open rendezvous circuit reused (no new introduction)", NULL);
	if (c->rend_ready >= 0 || joined)
		phase(c, "rendezvous", joined, joined ? c->rend_joined : c->rend_ready,
		      joined ? "joined: the service came to the rendezvous point" : "rendezvous point ready, the service never came",
		      NULL);
	if (c->stream_id >= 0) {
		snprintf(d, sizeof(d), c->connected >= 0 ? "connected to port %u" : "port %u: REASON=%s%s%s", c->port,
			 c->reason[0] ? c->reason : "none", c->remote_reason[0] ? " REMOTE_REASON=" : "", c->remote_reason);
		phase(c, "stream", c->connected >= 0, c->connected >= 0 ? c->connected : c->failed_ms, d, NULL);
	}
}

static int check_conclude(struct check *c)
{
	char why[400], socks[120] = "";
	check_phases(c);
	if (c->k.reply >= 0)
		snprintf(socks, sizeof(socks), "; SOCKS reply %s", socks_reply_text(c->k.reply));
	if (c->k.state == SOCKS_DONE || c->connected >= 0) {
		snprintf(why, sizeof(why), "%s connected in %.1f s", c->target, (double)c->connected / 1000.0);
		return verdict(c, true, NULL, why);
	}
	const char *failed = "introduction";
	if (c->remote_reason[0]) { /* the service's own answer: rendezvous worked */
		failed = "stream";
		if (strcmp(c->remote_reason, "DONE") == 0)
			snprintf(why, sizeof(why), "service reached, but it has no port %u (REMOTE_REASON=DONE: unmapped)%s",
				 c->port, socks);
		else
			snprintf(why, sizeof(why), "service reached, but its port %u refused: REMOTE_REASON=%s (the target "
				 "behind it is down or refuses)%s", c->port, c->remote_reason, socks);
	} else if (c->rend_joined >= 0) {
		failed = "stream";
		snprintf(why, sizeof(why), "rendezvous joined, then the stream failed: REASON=%s%s", c->reason[0] ? c->reason : "none", socks);
	} else if (c->intro_acked >= 0) {
		failed = "rendezvous";
		snprintf(why, sizeof(why), "introduction acknowledged, the service never joined the rendezvous point%s%s",
			 c->done_ms < 0 ? " (--timeout reached)" : "", socks);
	} else {
		snprintf(why, sizeof(why), "no intro point acknowledged the introduction%s%s%s%s",
			 c->intro_fail[0] ? " (" : "", c->intro_fail, c->intro_fail[0] ? ")" : "",
			 c->done_ms < 0 ? " (--timeout reached)" : socks);
	}
	return verdict(c, false, failed, why);
}

static void check_keys(struct check *c)
{
	char line[100], msg[200];
	struct tc_msg m = {0};
	struct buf e = {0};
	snprintf(line, sizeof(line), "ONION_CLIENT_AUTH_VIEW %s", c->addr);
	if (session_call(c->ctx->s, line, &m, &e) == 0 && msg_ok(&m)) {
		for (size_t i = 0; i < m.nlines && c->nkeys < CHECK_KEYS; i++) {
			size_t tl, wn;
			const char *t = msg_text(&m, i, &tl), *p, *end = t + tl, *w;
			if (tl < 7 || strncmp(t, "CLIENT ", 7) != 0)
				continue;
			p = t + 7;
			if (tok_word(&p, end, &w, &wn) && tok_word(&p, end, &w, &wn) &&
			    onion_x25519_read(w, wn, c->keys[c->nkeys], NULL, msg, sizeof(msg)) == 0)
				c->nkeys++;
		}
	}
	if (m.bytes.p)
		OPENSSL_cleanse(m.bytes.p, m.bytes.len);
	msg_free(&m);
	buf_free(&e);
}

static int check_run(struct check *c, struct onion_desc *o)
{
	struct live l = {.on = check_on, .ud = c};
	int rc = -1;
	if (!c->ctx->json)
		out_line(c->ctx->out, "check %s%s", c->port ? c->target : c->addr, c->port ? "" : ".onion (descriptor only: --port P connects)");
	phase(c, "address", true, -1, "valid v3 address (length, base32, version, checksum)", NULL);
	if (live_begin(&l, c->ctx, c->port ? "HS_DESC HS_DESC_CONTENT CIRC CIRC_MINOR STREAM" : "HS_DESC HS_DESC_CONTENT",
		       "check") < 0)
		return -1;
	check_keys(c);
	if (check_fetch(c) < 0)
		goto out;
	rc = 0;
	if (check_descriptor(c, o) != 1)
		goto out;
	if (c->port == 0) {
		verdict(c, true, NULL, "descriptor published and readable (--port P tries a connection)");
		goto out;
	}
	rc = check_connect(c);
	if (rc == 0)
		check_conclude(c);
out:
	live_end(&l, "check");
	return rc;
}

int onion_check(struct local_ctx *ctx, const struct local_args *a)
{
	struct words ws;
	struct check *c = calloc(1, sizeof(*c));
	struct onion_desc *o = calloc(1, sizeof(*o));
	int rc = -1;
	if (c == NULL || o == NULL)
		goto out;
	*c = (struct check){.ctx = ctx, .timeout = ONION_CHECK_TIMEOUT, .received = -1, .last_request = -1, .stream_id = -1,
			    .done_ms = -1, .intro_sent = -1, .intro_acked = -1, .rend_ready = -1, .rend_waiting = -1,
			    .rend_joined = -1, .sent_connect = -1, .connected = -1, .failed_ms = -1};
	c->k.fd = -1;
	c->k.reply = -1;
	if (oc_split(a, &ws, "check", ctx->err) < 0 || check_args(ctx, &ws, c) < 0)
		goto out;
	c->t0 = mono_ms();
	c->deadline = c->t0 + (long)(c->timeout * 1000);
	rc = check_run(c, o);
	if (rc == -3) {
		ctx->status = 3;
		rc = -1;
	}
out:
	if (c) {
		for (size_t i = 0; i < c->ndirs; i++)
			free(c->dirs[i].content);
		OPENSSL_cleanse(c, sizeof(*c));
	}
	free(c);
	free(o);
	return rc;
}

