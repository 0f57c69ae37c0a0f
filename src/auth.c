#include "auth.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "encode.h"
/* The one terminal duty of the protocol core: auth's messages quote what
 * the server sent (and the cookie path it named) and are printed as they
 * are, so they are escaped where they are built (auth.h). */
#include "escape.h"

static const char server_key[] = "Tor safe cookie authentication server-to-controller hash";
static const char client_key[] = "Tor safe cookie authentication controller-to-server hash";

const char *auth_method_name(unsigned method)
{
	switch (method) {
	case AUTH_NULL: return "NULL";
	case AUTH_HASHEDPASSWORD: return "HASHEDPASSWORD";
	case AUTH_COOKIE: return "COOKIE";
	case AUTH_SAFECOOKIE: return "SAFECOOKIE";
	default: return "?";
	}
}

static int starts(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	return len >= n && memcmp(s, prefix, n) == 0;
}

/* METHODS=A,B,C */
static void parse_methods(const char *v, size_t len, struct protocolinfo *pi)
{
	size_t i = 0;
	while (i < len) {
		size_t j = i;
		while (j < len && v[j] != ',')
			j++;
		static const struct { const char *name; unsigned bit; } m[] = {
			{"NULL", AUTH_NULL}, {"HASHEDPASSWORD", AUTH_HASHEDPASSWORD},
			{"COOKIE", AUTH_COOKIE}, {"SAFECOOKIE", AUTH_SAFECOOKIE},
		};
		int known = 0;
		for (size_t k = 0; k < sizeof(m) / sizeof(m[0]); k++) {
			if (strlen(m[k].name) == j - i && memcmp(v + i, m[k].name, j - i) == 0) {
				pi->methods |= m[k].bit;
				known = 1;
			}
		}
		size_t ul = strlen(pi->unknown_methods);
		if (!known && j > i && ul + (j - i) + 2 < sizeof(pi->unknown_methods)) {
			if (ul)
				pi->unknown_methods[ul++] = ',';
			memcpy(pi->unknown_methods + ul, v + i, j - i);
			pi->unknown_methods[ul + j - i] = '\0';
		}
		i = j + 1;
	}
}

/* Reads KEY=VALUE items where VALUE may be a C-quoted string. */
static int next_kv(const char **sp, const char *end, const char **key, size_t *klen, struct buf *val)
{
	const char *s = *sp;
	while (s < end && *s == ' ')
		s++;
	if (s >= end)
		return 0;
	*key = s;
	while (s < end && *s != '=' && *s != ' ')
		s++;
	*klen = (size_t)(s - *key);
	buf_reset(val);
	if (s < end && *s == '=') {
		s++;
		if (s < end && *s == '"') {
			size_t used;
			if (cstring_unquote(s, (size_t)(end - s), val, &used) < 0)
				return -1;
			s += used;
		} else {
			const char *v = s;
			while (s < end && *s != ' ')
				s++;
			buf_append(val, v, (size_t)(s - v), BUF_NOLIMIT);
		}
	}
	*sp = s;
	return 1;
}

/* Server text (or a path it named) in a message: escaped for a terminal,
 * cut at `max` input bytes. A cut inside a UTF-8 sequence is escaped as
 * bytes, so the cut cannot leave a lone lead byte either. */
static void append_shown(struct buf *b, const char *p, size_t n, size_t max)
{
	term_safe_append(b, p, n > max ? max : n, BUF_NOLIMIT);
	if (n > max)
		buf_append(b, "...", 3, BUF_NOLIMIT);
}

static void append_path(struct buf *b, const char *path)
{
	append_shown(b, path, strlen(path), 4096);
}

int protocolinfo_parse(const struct tc_msg *m, struct protocolinfo *pi, struct buf *err)
{
	memset(pi, 0, sizeof(*pi));
	if (!msg_ok(m)) {
		size_t len;
		const char *t = msg_text(m, m->nlines - 1, &len);
		buf_printf(err, BUF_NOLIMIT, "PROTOCOLINFO refused: %d ", m->code);
		append_shown(err, t, len, 200);
		return -1;
	}
	int saw_auth = 0;
	struct buf val = {0};
	for (size_t i = 0; i < m->nlines; i++) {
		size_t len;
		const char *t = msg_text(m, i, &len);
		const char *end = t + len, *s;
		const char *key;
		size_t klen;
		int rc;
		if (starts(t, len, "AUTH ")) {
			saw_auth = 1;
			s = t + 5;
			while ((rc = next_kv(&s, end, &key, &klen, &val)) > 0) {
				if (klen == 7 && memcmp(key, "METHODS", 7) == 0)
					parse_methods(val.p ? val.p : "", val.len, pi);
				else if (klen == 10 && memcmp(key, "COOKIEFILE", 10) == 0 && !pi->cookiefile[0] &&
					 val.len < sizeof(pi->cookiefile) && val.len && !memchr(val.p, '\0', val.len))
					memcpy(pi->cookiefile, val.p, val.len + 1);
			}
			if (rc < 0) {
				buf_printf(err, BUF_NOLIMIT, "PROTOCOLINFO: unterminated quoted value in AUTH line");
				buf_free(&val);
				return -1;
			}
		} else if (starts(t, len, "VERSION ")) {
			s = t + 8;
			while (next_kv(&s, end, &key, &klen, &val) > 0)
				if (klen == 3 && memcmp(key, "Tor", 3) == 0 && val.len < sizeof(pi->version))
					memcpy(pi->version, val.p, val.len + 1);
		}
	}
	buf_free(&val);
	if (!saw_auth) {
		buf_printf(err, BUF_NOLIMIT, "PROTOCOLINFO reply has no AUTH line: is this a tor control port?");
		return -1;
	}
	return 0;
}

void safecookie_hashes(const uint8_t cookie[32], const uint8_t *cnonce, size_t cnlen,
		       const uint8_t snonce[32], uint8_t server_hash[32], uint8_t client_hash[32])
{
	uint8_t msg[32 + 64 + 32];
	size_t n = 0;
	memcpy(msg, cookie, 32);
	n += 32;
	if (cnlen > 64)
		cnlen = 64;
	memcpy(msg + n, cnonce, cnlen);
	n += cnlen;
	memcpy(msg + n, snonce, 32);
	n += 32;
	unsigned int outlen = 32;
	HMAC(EVP_sha256(), server_key, (int)strlen(server_key), msg, n, server_hash, &outlen);
	outlen = 32;
	HMAC(EVP_sha256(), client_key, (int)strlen(client_key), msg, n, client_hash, &outlen);
	OPENSSL_cleanse(msg, sizeof(msg));
}

static void describe_owner(const struct stat *st, struct buf *diag)
{
	struct passwd *pw = getpwuid(st->st_uid);
	struct group *gr = getgrgid(st->st_gid);
	char owner[64], group[64];
	snprintf(owner, sizeof(owner), "%s", pw ? pw->pw_name : "?");
	snprintf(group, sizeof(group), "%s", gr ? gr->gr_name : "?");
	buf_printf(diag, BUF_NOLIMIT, "  owner %s (uid %u), group %s (gid %u), mode %04o\n", owner,
		   (unsigned)st->st_uid, group, (unsigned)st->st_gid, (unsigned)(st->st_mode & 07777));
	struct passwd *me = getpwuid(geteuid());
	buf_printf(diag, BUF_NOLIMIT, "  you are %s (uid %u)\n", me ? me->pw_name : "?", (unsigned)geteuid());
	buf_printf(diag, BUF_NOLIMIT,
		   "  the usual fix: 'CookieAuthFileGroupReadable 1' in torrc, and add yourself to group %s\n"
		   "  (sudo adduser $USER %s, then log in again)\n", group, group);
}

int cookie_read(const char *path, uint8_t out[32], struct buf *diag)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;
	if (fd < 0) {
		int e = errno;
		buf_printf(diag, BUF_NOLIMIT, "cannot read the auth cookie ");
		append_path(diag, path);
		buf_printf(diag, BUF_NOLIMIT, ": %s\n", strerror(e));
		if (e == ENOENT)
			buf_printf(diag, BUF_NOLIMIT,
				   "  is tor running with CookieAuthentication 1, and is this its control port?\n");
		else if (stat(path, &st) == 0)
			describe_owner(&st, diag);
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		buf_printf(diag, BUF_NOLIMIT, "the auth cookie ");
		append_path(diag, path);
		buf_printf(diag, BUF_NOLIMIT, " is not a regular file\n");
		close(fd);
		return -1;
	}
	uint8_t tmp[33];
	ssize_t n = read(fd, tmp, sizeof(tmp));
	int e = errno;
	close(fd);
	if (n < 0) {
		buf_printf(diag, BUF_NOLIMIT, "cannot read the auth cookie ");
		append_path(diag, path);
		buf_printf(diag, BUF_NOLIMIT, ": %s\n", strerror(e));
		describe_owner(&st, diag);
		return -1;
	}
	if (n != 32 || st.st_size != 32) {
		buf_printf(diag, BUF_NOLIMIT, "the auth cookie ");
		append_path(diag, path);
		buf_printf(diag, BUF_NOLIMIT, " is %lld bytes; a tor cookie is exactly 32 bytes\n",
			   (long long)st.st_size);
		OPENSSL_cleanse(tmp, sizeof(tmp));
		return -1;
	}
	memcpy(out, tmp, 32);
	OPENSSL_cleanse(tmp, sizeof(tmp));
	return 0;
}

static enum auth_status fail(struct auth_result *res, enum auth_status code, struct ctl *c, const char *what)
{
	if (what)
		buf_printf(&res->msg, BUF_NOLIMIT, "%s\n", what);
	if (c && c->state != CTL_OPEN)
		buf_printf(&res->msg, BUF_NOLIMIT, "%s\n", c->err);
	return code;
}

/* A reply's last line in a message, after `what`. */
static enum auth_status refused(struct auth_result *res, const char *what, const struct tc_msg *m)
{
	size_t len;
	const char *t = msg_text(m, m->nlines - 1, &len);
	buf_printf(&res->msg, BUF_NOLIMIT, "%s: %d ", what, m->code);
	append_shown(&res->msg, t, len, 400);
	buf_putc(&res->msg, '\n', BUF_NOLIMIT);
	return AUTH_REFUSED;
}

/* Sends AUTHENTICATE with a hex secret and judges the reply. */
static enum auth_status send_authenticate(struct ctl *c, const uint8_t *secret, size_t n, struct auth_result *res)
{
	struct buf wire = {0};
	char hex[2 * 64 + 1];
	buf_append(&wire, "AUTHENTICATE", 12, BUF_NOLIMIT);
	for (size_t i = 0; i < n; i += 64) {
		size_t k = n - i < 64 ? n - i : 64;
		if (i == 0)
			buf_putc(&wire, ' ', BUF_NOLIMIT);
		hex_encode(secret + i, k, hex);
		buf_append(&wire, hex, 2 * k, BUF_NOLIMIT);
		OPENSSL_cleanse(hex, sizeof(hex));
	}
	buf_append(&wire, "\r\n", 2, BUF_NOLIMIT);
	struct tc_msg *m;
	int rc = ctl_request(c, wire.p, wire.len, &m, NULL, NULL);
	OPENSSL_cleanse(wire.p, wire.len);
	buf_free(&wire);
	if (rc < 0)
		return fail(res, AUTH_LOST, c, "connection lost during AUTHENTICATE");
	if (!msg_ok(m)) {
		refused(res, "authentication failed", m);
		buf_printf(&res->msg, BUF_NOLIMIT,
			   "  tor closes the connection after a failed AUTHENTICATE; nothing more was sent\n");
		return AUTH_REFUSED;
	}
	return AUTH_OK;
}

/* The server's half of AUTHCHALLENGE: 0 with its hash and nonce, or -1. */
static int parse_challenge(const char *t, size_t len, uint8_t server_hash[32], uint8_t snonce[32])
{
	const char *sh = strstr(t, "SERVERHASH="), *sn = strstr(t, "SERVERNONCE=");
	if (!starts(t, len, "AUTHCHALLENGE ") || sh == NULL || sn == NULL ||
	    hex_decode(sh + 11, strcspn(sh + 11, " "), server_hash, 32) < 0 ||
	    hex_decode(sn + 12, strcspn(sn + 12, " "), snonce, 32) < 0)
		return -1;
	return 0;
}

static enum auth_status do_safecookie(struct ctl *c, const uint8_t cookie[32], const char *cookie_path,
				    const char *endpoint, struct auth_result *res)
{
	uint8_t cnonce[32], snonce[32], want_server[32], client[32], got_server[32];
	char hex[65];
	if (RAND_bytes(cnonce, sizeof(cnonce)) != 1)
		return fail(res, AUTH_UNUSABLE, NULL, "cannot get random bytes from OpenSSL");
	hex_encode(cnonce, 32, hex);
	char wire[128];
	int wl = snprintf(wire, sizeof(wire), "AUTHCHALLENGE SAFECOOKIE %s\r\n", hex);
	struct tc_msg *m;
	if (ctl_request(c, wire, (size_t)wl, &m, NULL, NULL) < 0)
		return fail(res, AUTH_LOST, c, "connection lost during AUTHCHALLENGE");
	if (!msg_ok(m))
		return refused(res, "AUTHCHALLENGE refused", m);
	size_t len;
	const char *t = msg_text(m, m->nlines - 1, &len);
	if (parse_challenge(t, len, got_server, snonce) < 0) {
		buf_printf(&res->msg, BUF_NOLIMIT, "malformed AUTHCHALLENGE reply: ");
		append_shown(&res->msg, t, len, 200);
		buf_putc(&res->msg, '\n', BUF_NOLIMIT);
		return AUTH_BAD_PEER;
	}
	safecookie_hashes(cookie, cnonce, 32, snonce, want_server, client);
	/* Only a peer that knows the cookie can produce this hash; answering an
	 * impostor would hand it something derived from our cookie. */
	int same = CRYPTO_memcmp(want_server, got_server, 32) == 0;
	OPENSSL_cleanse(want_server, sizeof(want_server));
	if (!same) {
		OPENSSL_cleanse(client, sizeof(client));
		buf_printf(&res->msg, BUF_NOLIMIT, "SAFECOOKIE: the server hash does not match: the endpoint ");
		append_path(&res->msg, endpoint ? endpoint : "?");
		buf_printf(&res->msg, BUF_NOLIMIT, " is not the tor that wrote the cookie ");
		append_path(&res->msg, cookie_path);
		buf_printf(&res->msg, BUF_NOLIMIT, "\n  (or the cookie file changed). Nothing derived from the "
			   "cookie was sent; closing.\n");
		return AUTH_BAD_PEER;
	}
	enum auth_status rc = send_authenticate(c, client, 32, res);
	OPENSSL_cleanse(client, sizeof(client));
	return rc;
}

/* Plain COOKIE proves nothing about the server: the cookie itself goes to
 * whoever answers, and an impostor that named another tor's cookie file can
 * replay it there. SAFECOOKIE makes the server prove it knows the cookie
 * first, and every tor since 0.2.3.13 offers it next to COOKIE. */
static const char plain_cookie_refused[] =
	"this port offers only plain COOKIE, which would hand the cookie to whoever listens here;\n"
	"  tor has offered SAFECOOKIE since 0.2.3.13";

/* Cookie authentication when offered and allowed: 1 tried (*rc is the
 * outcome), 0 not possible (diag says why, nothing was sent). */
static int try_cookie(struct ctl *c, const struct auth_opts *o, struct auth_result *res, struct buf *diag,
		      enum auth_status *rc)
{
	unsigned offered = res->pi.methods;
	if (!(offered & (AUTH_SAFECOOKIE | AUTH_COOKIE)))
		return 0;
	if (!(offered & AUTH_SAFECOOKIE) && !o->allow_plain_cookie) {
		buf_printf(diag, BUF_NOLIMIT, "%s%s\n", plain_cookie_refused,
			   o->plain_cookie_hint ? o->plain_cookie_hint : "");
		return 0;
	}
	const char *path = o->cookie_path && *o->cookie_path ? o->cookie_path : res->pi.cookiefile;
	if (!path[0]) {
		buf_printf(diag, BUF_NOLIMIT, "tor offers cookie authentication but names no cookie file%s\n",
			   o->cookie_path_hint ? o->cookie_path_hint : "");
		return 0;
	}
	uint8_t cookie[32];
	if (cookie_read(path, cookie, diag) < 0)
		return 0;
	if (offered & AUTH_SAFECOOKIE) {
		res->used = AUTH_SAFECOOKIE;
		*rc = do_safecookie(c, cookie, path, o->endpoint, res);
	} else {
		res->used = AUTH_COOKIE;
		*rc = send_authenticate(c, cookie, 32, res);
	}
	OPENSSL_cleanse(cookie, sizeof(cookie));
	return 1;
}

/* Tor's 515 for a wrong password adds "Maybe you tried a plain text
 * password? If so, the standard requires that you put it in double
 * quotes": true of the raw protocol, misleading for torsh, which sends
 * the password hex-encoded. torsh's words; tor's kept for -v. */
static void wrong_password(struct auth_result *res)
{
	static const char pre[] = "authentication failed: ";
	const char *t = res->msg.p, *nl = memchr(t, '\n', res->msg.len);
	size_t n = nl ? (size_t)(nl - t) + 1 : res->msg.len;
	if (n > sizeof(pre) - 1 && memcmp(t, pre, sizeof(pre) - 1) == 0) {
		t += sizeof(pre) - 1;
		n -= sizeof(pre) - 1;
	}
	buf_reset(&res->tor_said);
	buf_append(&res->tor_said, t, n, BUF_NOLIMIT);
	buf_reset(&res->msg);
	buf_printf(&res->msg, BUF_NOLIMIT, "authentication failed: wrong password\n"
		   "  (tor closes the connection after a failed AUTHENTICATE; nothing more was sent)\n");
}

/* HASHEDPASSWORD when offered and a password is at hand (or its prompt
 * cancelled): 1 tried, 0 not. */
static int try_password(struct ctl *c, const struct auth_opts *o, struct auth_result *res, struct buf *diag,
			enum auth_status *rc)
{
	if (!(res->pi.methods & AUTH_HASHEDPASSWORD))
		return 0;
	struct buf pw = {0};
	int got = o->get_password ? o->get_password(o->password_ud, &pw) : -1;
	if (got == AUTH_PW_CANCELLED) {
		buf_printf(&res->msg, BUF_NOLIMIT, "cancelled\n");
		*rc = AUTH_CANCELLED;
	} else if (got == 0) {
		res->used = AUTH_HASHEDPASSWORD;
		*rc = send_authenticate(c, (const uint8_t *)pw.p, pw.len, res);
		/* 515 is tor's "bad authentication"; any other refusal keeps tor's words */
		if (*rc == AUTH_REFUSED && res->msg.len > 27 && memcmp(res->msg.p, "authentication failed: 515 ", 27) == 0)
			wrong_password(res);
	} else {
		buf_append(diag, pw.p ? pw.p : "", pw.len, BUF_NOLIMIT);
	}
	if (pw.p)
		OPENSSL_cleanse(pw.p, pw.cap);
	buf_free(&pw);
	return got == 0 || got == AUTH_PW_CANCELLED;
}

static enum auth_status nothing_usable(struct auth_result *res, const struct buf *diag)
{
	const struct protocolinfo *pi = &res->pi;
	if (pi->methods == 0) {
		buf_printf(&res->msg, BUF_NOLIMIT, "tor offers no authentication method torsh knows (");
		if (pi->unknown_methods[0])
			append_shown(&res->msg, pi->unknown_methods, strlen(pi->unknown_methods), 200);
		else
			buf_printf(&res->msg, BUF_NOLIMIT, "none");
		buf_printf(&res->msg, BUF_NOLIMIT, ")\n");
	} else if (diag->len == 0) {
		buf_printf(&res->msg, BUF_NOLIMIT, "cannot authenticate: no offered method could be used\n");
	} else {
		buf_printf(&res->msg, BUF_NOLIMIT, "cannot authenticate: %s", diag->p);
	}
	return AUTH_UNUSABLE;
}

enum auth_status auth_run(struct ctl *c, const struct auth_opts *o, struct auth_result *res)
{
	memset(res, 0, sizeof(*res));
	static const char pinfo[] = "PROTOCOLINFO 1\r\n";
	struct tc_msg *m;
	if (ctl_request(c, pinfo, sizeof(pinfo) - 1, &m, NULL, NULL) < 0)
		return fail(res, AUTH_LOST, c, "connection lost during PROTOCOLINFO");
	if (protocolinfo_parse(m, &res->pi, &res->msg) < 0) {
		buf_putc(&res->msg, '\n', BUF_NOLIMIT);
		return msg_ok(m) ? AUTH_BAD_PEER : AUTH_REFUSED;
	}
	struct buf diag = {0};
	enum auth_status rc = AUTH_UNUSABLE;
	if (try_cookie(c, o, res, &diag, &rc) || try_password(c, o, res, &diag, &rc)) {
		buf_free(&diag);
		return rc;
	}
	if (res->pi.methods & AUTH_NULL) {
		res->used = AUTH_NULL;
		/* Tor requires AUTHENTICATE even without credentials, to stop
		 * cross-protocol attacks. */
		buf_free(&diag);
		return send_authenticate(c, NULL, 0, res);
	}
	rc = nothing_usable(res, &diag);
	buf_free(&diag);
	return rc;
}

void auth_result_free(struct auth_result *res)
{
	buf_free(&res->msg);
	buf_free(&res->tor_said);
}
