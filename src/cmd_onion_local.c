/* /onion: the onion workbench's offline part. Keys and addresses made and
 * read locally (onion.c), services and client keys over ADD_ONION,
 * DEL_ONION, ONION_CLIENT_AUTH_* and GETINFO, each a request torsh waits
 * for (session_call). Results are text, or one JSON object each. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "argval.h"
#include "command.h"
#include "escape.h"
#include "local.h"
#include "onion.h"
#include "secret.h"
#include "session.h"
#include "tokenize.h"
#include "onion_cmd.h"

int oc_split(const struct local_args *a, struct words *ws, const char *sub, struct buf *err)
{
	const char *p = a->args, *end = a->args + a->alen;
	ws->count = 0;
	while (tok_word(&p, end, &ws->w[ws->count], &ws->n[ws->count])) {
		if (++ws->count == MAX_WORDS) {
			buf_printf(err, BUF_NOLIMIT, "/onion %s: more than %d arguments", sub, MAX_WORDS - 1);
			return -1;
		}
	}
	return 0;
}

bool oc_is(const struct words *ws, size_t i, const char *s)
{
	return i < ws->count && ws->n[i] == strlen(s) && strncasecmp(ws->w[i], s, ws->n[i]) == 0;
}

int oc_seconds(const char *v, double *out)
{
	char *end;
	errno = 0;
	double d = strtod(v, &end);
	if (errno || end == v || *end || !(d >= 0 && d <= 86400))
		return -1;
	*out = d;
	return 0;
}

/* The value after option i, as a C string in buf; -1 when there is none. */
int oc_opt_value(const struct words *ws, size_t i, char *buf, size_t cap, const char *sub, struct buf *err)
{
	if (i + 1 >= ws->count || ws->n[i + 1] >= cap) {
		buf_printf(err, BUF_NOLIMIT, "/onion %s: %.*s: %s", sub, (int)ws->n[i], ws->w[i],
			   i + 1 >= ws->count ? "missing its value" : "value too long");
		return -1;
	}
	memcpy(buf, ws->w[i + 1], ws->n[i + 1]);
	buf[ws->n[i + 1]] = '\0';
	return 0;
}

int oc_unknown_option(const struct words *ws, size_t i, const char *sub, const char *known, struct buf *err)
{
	char shown[80];
	val_display(ws->w[i], ws->n[i], shown, sizeof(shown));
	buf_printf(err, BUF_NOLIMIT, "/onion %s: unexpected argument '%s' (expected %s)", sub, shown, known);
	return -1;
}

/* ---- output ---- */

/* A JSON string of bytes that may come from tor: ASCII printable as is,
 * the rest as \u00XX. */
void oc_json_str(FILE *out, const char *s, size_t n)
{
	fputc('"', out);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

/* {"k":"v",...} from NULL-terminated pairs; a value starting with '\1'
 * is a raw JSON value (number, true, array). */
void oc_json_obj(FILE *out, const char *const *kv)
{
	bool first = true;
	fputc('{', out);
	for (size_t i = 0; kv[i]; i += 2) {
		if (kv[i + 1] == NULL)
			continue;
		/* a left-out first pair leaves no comma behind */
		fprintf(out, "%s\"%s\":", first ? "" : ",", kv[i]);
		first = false;
		if (kv[i + 1][0] == '\1')
			fputs(kv[i + 1] + 1, out);
		else
			oc_json_str(out, kv[i + 1], strlen(kv[i + 1]));
	}
	fputs("}\n", out);
}

/* tor's text, escaped for the terminal */
void oc_tor_text(FILE *out, const char *s, size_t n)
{
	term_safe_write(out, s, n);
}

/* ---- asking tor ---- */

int oc_call(struct local_ctx *ctx, const char *command, struct tc_msg *m, const char *sub)
{
	if (ctx->s == NULL || ctx->offline) {
		buf_printf(ctx->err, BUF_NOLIMIT, "/onion %s: not connected to tor", sub);
		return -1;
	}
	struct buf e = {0};
	int rc = session_call(ctx->s, command, m, &e);
	if (rc < 0)
		buf_printf(ctx->err, BUF_NOLIMIT, "/onion %s: %s", sub, e.p ? e.p : "failed");
	buf_free(&e);
	return rc;
}

/* tor said no: its code and words in the error */
int oc_refused(struct local_ctx *ctx, const struct tc_msg *m, const char *sub, const char *what)
{
	size_t n;
	const char *t = msg_first(m, &n);
	struct buf shown = {0};
	term_safe_append(&shown, t, n > 200 ? 200 : n, BUF_NOLIMIT);
	buf_printf(ctx->err, BUF_NOLIMIT, "/onion %s: %s: tor answered %03d %s", sub, what, m->code,
		   shown.p ? shown.p : "");
	buf_free(&shown);
	return -1;
}

/* The value of KEY= in a reply's lines, or NULL. */
const char *oc_reply_value(const struct tc_msg *m, const char *key, size_t *n)
{
	size_t kl = strlen(key);
	for (size_t i = 0; i < m->nlines; i++) {
		size_t tl;
		const char *t = msg_text(m, i, &tl);
		if (tl >= kl + 1 && strncmp(t, key, kl) == 0 && t[kl] == '=') {
			if (m->lines[i].sep == '+')
				return msg_data(m, i, n);
			*n = tl - kl - 1;
			return t + kl + 1;
		}
	}
	return NULL;
}

/* ---- files ---- */

/* A new file of mode 0600 with these bytes; an existing one is left alone. */
static int write_secret_file(const char *path, const void *p, size_t n, const char *sub, struct buf *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		buf_printf(err, BUF_NOLIMIT, "/onion %s: cannot create %s: %s%s", sub, path, strerror(errno),
			   errno == EEXIST ? " (not overwritten)" : "");
		return -1;
	}
	bool ok = fchmod(fd, 0600) == 0 && write(fd, p, n) == (ssize_t)n;
	ok = close(fd) == 0 && ok;
	if (!ok) {
		buf_printf(err, BUF_NOLIMIT, "/onion %s: cannot write %s: %s", sub, path, strerror(errno));
		unlink(path);
		return -1;
	}
	return 0;
}

/* A regular file's bytes (at most cap): its length, -1 when it is not a
 * readable regular file, -2 when it is bigger than cap. */
ssize_t oc_read_file(const char *path, uint8_t *buf, size_t cap)
{
	struct stat st;
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return -1;
	if ((size_t)st.st_size > cap)
		return -2;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t got = 0;
	ssize_t r;
	while (got < cap && (r = read(fd, buf + got, cap - got)) > 0)
		got += (size_t)r;
	close(fd);
	return (ssize_t)got;
}

/* A word that may name a file: the file's bytes as read_file gives them,
 * -1 when the word is too long to be a path or names no regular file. */
static ssize_t read_word_file(const char *w, size_t n, uint8_t *buf, size_t cap)
{
	char path[1024];
	if (n >= sizeof(path))
		return -1;
	memcpy(path, w, n);
	path[n] = '\0';
	return oc_read_file(path, buf, cap);
}

/* An x25519 key given as text or as a file holding one (.auth_private, a
 * key line). */
int oc_x25519_arg(const char *s, size_t n, uint8_t key[32], char addr[ONION_ADDR_LEN + 1], char *msg, size_t cap)
{
	uint8_t buf[512];
	ssize_t got = read_word_file(s, n, buf, sizeof(buf));
	if (got < 0)
		return onion_x25519_read(s, n, key, addr, msg, cap);
	int rc = onion_x25519_read((const char *)buf, (size_t)got, key, addr, msg, cap);
	OPENSSL_cleanse(buf, sizeof(buf));
	return rc;
}

int oc_addr_arg(const struct words *ws, size_t i, char out[ONION_ADDR_LEN + 1], const char *sub, struct buf *err)
{
	char msg[ONION_ADDR_MSG];
	if (i >= ws->count || ws->w[i][0] == '-') {
		buf_printf(err, BUF_NOLIMIT, "/onion %s: missing ADDR: expected a v3 onion address", sub);
		return -1;
	}
	if (onion_addr_parse(ws->w[i], ws->n[i], NULL, msg, sizeof(msg)) < 0) {
		buf_printf(err, BUF_NOLIMIT, "/onion %s: ADDR: %s", sub, msg);
		return -1;
	}
	onion_addr_bare(ws->w[i], ws->n[i], out);
	return 0;
}

/* ---- keygen ---- */

struct keygen {
	char addr[ONION_ADDR_LEN + 1], dir[900], name[65];
	bool out, show;
	char pub[60], priv32[60], priv64[60], files[2][1024];
};

static int keygen_args(const struct words *ws, struct keygen *k, struct buf *err)
{
	snprintf(k->name, sizeof(k->name), "client");
	for (size_t i = 0; i < ws->count; i++) {
		if (oc_is(ws, i, "--out") || oc_is(ws, i, "--name")) {
			bool out = oc_is(ws, i, "--out");
			if (oc_opt_value(ws, i, out ? k->dir : k->name, out ? sizeof(k->dir) : sizeof(k->name), "keygen", err) < 0)
				return -1;
			k->out = k->out || out;
			i++;
		} else if (oc_is(ws, i, "--show-secrets")) {
			k->show = true;
		} else if (ws->w[i][0] != '-' && k->addr[0] == '\0') {
			if (oc_addr_arg(ws, i, k->addr, "keygen", err) < 0)
				return -1;
		} else {
			return oc_unknown_option(ws, i, "keygen", "ADDR, --out DIR, --name NAME or --show-secrets", err);
		}
	}
	for (const char *c = k->name; *c; c++)
		if (!(isalnum((unsigned char)*c) || *c == '-' || *c == '_')) {
			buf_printf(err, BUF_NOLIMIT, "/onion keygen: --name: letters, digits, '-' and '_' only");
			return -1;
		}
	if (k->out && k->addr[0] == '\0') {
		buf_printf(err, BUF_NOLIMIT, "/onion keygen: --out needs ADDR: the client's .auth_private file names "
			   "the service it is for");
		return -1;
	}
	return 0;
}

static int keygen_write(struct keygen *k, struct buf *err)
{
	char line[200];
	snprintf(k->files[0], sizeof(k->files[0]), "%s/%s.auth", k->dir, k->name);
	snprintf(k->files[1], sizeof(k->files[1]), "%s/%s.auth_private", k->dir, k->addr);
	snprintf(line, sizeof(line), "descriptor:x25519:%s\n", k->pub);
	if (write_secret_file(k->files[0], line, strlen(line), "keygen", err) < 0)
		return -1;
	snprintf(line, sizeof(line), "%s:descriptor:x25519:%s\n", k->addr, k->priv32);
	int rc = write_secret_file(k->files[1], line, strlen(line), "keygen", err);
	OPENSSL_cleanse(line, sizeof(line));
	return rc;
}

static void keygen_show(const struct local_ctx *ctx, const struct keygen *k)
{
	const char *addr = k->addr[0] ? k->addr : "ADDR";
	char b64[80], line[200], auth[120], cav3[80];
	bool show = k->show || !k->out;
	snprintf(b64, sizeof(b64), "x25519:%s", show ? k->priv64 : "[hidden: --show-secrets]");
	snprintf(line, sizeof(line), "%s:descriptor:x25519:%s", addr, show ? k->priv32 : "[hidden: --show-secrets]");
	snprintf(auth, sizeof(auth), "descriptor:x25519:%s", k->pub);
	snprintf(cav3, sizeof(cav3), "ClientAuthV3=%s", k->pub);
	if (ctx->json) {
		char files[2200];
		snprintf(files, sizeof(files), "\1[\"%s\",\"%s\"]", k->files[0], k->files[1]);
		oc_json_obj(ctx->out, (const char *const[]){"address", k->addr[0] ? k->addr : NULL, "public_key", k->pub,
							  "client_auth_v3", cav3, "auth_file_line", auth, "private_key", b64,
							  "auth_private_line", line, "files", k->out ? files : NULL, NULL});
		OPENSSL_cleanse(b64, sizeof(b64));
		OPENSSL_cleanse(line, sizeof(line));
		return;
	}
	fprintf(ctx->out, "service side, the public key:\n  %s\n    (ADD_ONION, /onion new --client-auth %s)\n", cav3, k->pub);
	fprintf(ctx->out, "  authorized_clients/%s.auth: %s\n", k->name, auth);
	fprintf(ctx->out, "client side, the private key (a secret):\n  ONION_CLIENT_AUTH_ADD %s %s\n", addr, b64);
	fprintf(ctx->out, "    (/onion auth add %s %s)\n", addr, b64);
	fprintf(ctx->out, "  %s.auth_private: %s\n", addr, line);
	if (k->out)
		fprintf(ctx->out, "wrote %s and %s (mode 0600)\n", k->files[0], k->files[1]);
	OPENSSL_cleanse(b64, sizeof(b64));
	OPENSSL_cleanse(line, sizeof(line));
}

static int onion_keygen(struct local_ctx *ctx, const struct local_args *a)
{
	struct words ws;
	struct keygen k = {0};
	struct onion_x25519 kp;
	if (oc_split(a, &ws, "keygen", ctx->err) < 0 || keygen_args(&ws, &k, ctx->err) < 0)
		return -1;
	if (onion_x25519_generate(&kp) < 0) {
		buf_printf(ctx->err, BUF_NOLIMIT, "/onion keygen: OpenSSL could not make a key");
		return -1;
	}
	onion_b32_encode(kp.pub, 32, k.pub, sizeof(k.pub));
	onion_b32_encode(kp.priv, 32, k.priv32, sizeof(k.priv32));
	onion_b64_encode(kp.priv, 32, true, k.priv64, sizeof(k.priv64));
	int rc = k.out ? keygen_write(&k, ctx->err) : 0;
	if (rc == 0)
		keygen_show(ctx, &k);
	OPENSSL_cleanse(&kp, sizeof(kp));
	OPENSSL_cleanse(&k, sizeof(k));
	return rc;
}

/* ---- address ---- */

static int onion_address(struct local_ctx *ctx, const struct local_args *a)
{
	struct words ws;
	char msg[300], addr[ONION_ADDR_LEN + 1];
	uint8_t buf[4096];
	struct onion_key k;
	if (oc_split(a, &ws, "address", ctx->err) < 0)
		return -1;
	if (ws.count != 1) {
		buf_printf(ctx->err, BUF_NOLIMIT, "/onion address: expected one KEYFILE or PUBKEY, got %zu arguments", ws.count);
		return -1;
	}
	ssize_t got = read_word_file(ws.w[0], ws.n[0], buf, sizeof(buf));
	int rc = got >= 0 ? onion_key_read(buf, (size_t)got, &k, msg, sizeof(msg))
			  : onion_key_read((const uint8_t *)ws.w[0], ws.n[0], &k, msg, sizeof(msg));
	OPENSSL_cleanse(buf, sizeof(buf));
	if (rc < 0) {
		buf_printf(ctx->err, BUF_NOLIMIT, "/onion address: %s: %s", got >= 0 ? "KEYFILE" : "KEYFILE|PUBKEY", msg);
		return -1;
	}
	onion_addr_from_pubkey(k.pk, addr);
	const char *kind = k.kind == ONION_KEY_SECRET ? "secret" : "public";
	onion_key_wipe(&k);
	if (ctx->json)
		oc_json_obj(ctx->out, (const char *const[]){"address", addr, "key", kind, NULL});
	else
		fprintf(ctx->out, "%s.onion\n", addr);
	return 0;
}

/* ---- new ---- */

struct newsvc {
	struct buf line;           /* the ADD_ONION command */
	struct buf ports;          /* "80 -> 127.0.0.1:8080" lines */
	char save[1024];
	struct onion_key key;      /* --key */
	bool detach, pow, show, have_key;
	unsigned nports, nauth;
	char max_streams[8];
	double timeout;            /* the upload view's; 0 none */
};

static int new_port(struct newsvc *s, const char *w, size_t n, struct buf *err)
{
	char msg[200], virt[8];
	const char *comma = memchr(w, ',', n);
	size_t vl = comma ? (size_t)(comma - w) : n;
	if (vl == 0 || vl >= sizeof(virt)) {
		buf_printf(err, BUF_NOLIMIT, "/onion new: PORT: expected PORT[,TARGET], e.g. 80,127.0.0.1:8080");
		return -1;
	}
	memcpy(virt, w, vl);
	virt[vl] = '\0';
	if (val_port(virt, vl, msg, sizeof(msg)) < 0 || (comma && val_target(comma + 1, n - vl - 1, msg, sizeof(msg)) < 0)) {
		buf_printf(err, BUF_NOLIMIT, "/onion new: PORT %.*s: %s", (int)(n > 60 ? 60 : n), w, msg);
		return -1;
	}
	buf_printf(&s->ports, BUF_NOLIMIT, "%s -> %.*s\n", virt, (int)(comma ? n - vl - 1 : vl), comma ? comma + 1 : w);
	s->nports++;
	return 0;
}

static int new_key(struct newsvc *s, const char *w, size_t n, struct buf *err)
{
	char msg[300];
	uint8_t buf[4096];
	ssize_t got = read_word_file(w, n, buf, sizeof(buf));
	int rc = got >= 0 ? onion_key_read(buf, (size_t)got, &s->key, msg, sizeof(msg))
			  : onion_key_read((const uint8_t *)w, n, &s->key, msg, sizeof(msg));
	OPENSSL_cleanse(buf, sizeof(buf));
	if (rc == 0 && s->key.kind != ONION_KEY_SECRET)
		snprintf(msg, sizeof(msg), "a public key: a service needs its secret key (hs_ed25519_secret_key or "
			 "ED25519-V3:...)"), rc = -1;
	if (rc < 0) {
		buf_printf(err, BUF_NOLIMIT, "/onion new: --key: %s", got == -2 ? "file too big for a key" : msg);
		return -1;
	}
	s->have_key = true;
	return 0;
}

static int new_client(struct newsvc *s, struct buf *auth, const char *w, size_t n, struct buf *err)
{
	uint8_t k[32];
	char msg[300], b32[60];
	if (oc_x25519_arg(w, n, k, NULL, msg, sizeof(msg)) < 0) {
		buf_printf(err, BUF_NOLIMIT, "/onion new: --client-auth: %s", msg);
		return -1;
	}
	onion_b32_encode(k, 32, b32, sizeof(b32));
	buf_printf(auth, BUF_NOLIMIT, " ClientAuthV3=%s", b32);
	s->nauth++;
	return 0;
}

static int new_option(struct newsvc *s, struct buf *auth, const struct words *ws, size_t *i, struct buf *err)
{
	char v[1024];
	if (oc_is(ws, *i, "--detach"))
		s->detach = true;
	else if (oc_is(ws, *i, "--pow"))
		s->pow = true;
	else if (oc_is(ws, *i, "--show-secrets"))
		s->show = true;
	else if (oc_is(ws, *i, "--timeout")) {
		if (oc_opt_value(ws, *i, v, sizeof(v), "new", err) < 0 || oc_seconds(v, &s->timeout) < 0) {
			buf_printf(err, BUF_NOLIMIT, "%s/onion new: --timeout: expected seconds, 0 for no upload view",
				   err->len ? " " : "");
			return -1;
		}
		(*i)++;
	} else if (oc_is(ws, *i, "--key") || oc_is(ws, *i, "--save-key") || oc_is(ws, *i, "--client-auth") ||
		 oc_is(ws, *i, "--max-streams")) {
		if (oc_opt_value(ws, *i, v, sizeof(v), "new", err) < 0)
			return -1;
		int rc = 0;
		if (oc_is(ws, *i, "--key"))
			rc = new_key(s, v, strlen(v), err);
		else if (oc_is(ws, *i, "--save-key"))
			snprintf(s->save, sizeof(s->save), "%s", v);
		else if (oc_is(ws, *i, "--client-auth"))
			rc = new_client(s, auth, v, strlen(v), err);
		else if (strlen(v) > 5 || strspn(v, "0123456789") != strlen(v) || atoi(v) > 65535)
			buf_printf(err, BUF_NOLIMIT, "/onion new: --max-streams: expected a number 0-65535"), rc = -1;
		else
			snprintf(s->max_streams, sizeof(s->max_streams), "%s", v);
		OPENSSL_cleanse(v, sizeof(v));
		(*i)++;
		return rc;
	} else
		return oc_unknown_option(ws, *i, "new", "PORT[,TARGET], --key FILE, --save-key FILE, --detach, "
				      "--client-auth PUBKEY, --max-streams N, --pow, --show-secrets or --timeout S", err);
	return 0;
}

/* The ADD_ONION line from the arguments. */
static int new_build(struct newsvc *s, const struct words *ws, struct buf *err)
{
	struct buf auth = {0}, ports = {0};
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < ws->count; i++) {
		if (ws->w[i][0] == '-')
			rc = new_option(s, &auth, ws, &i, err);
		else if ((rc = new_port(s, ws->w[i], ws->n[i], err)) == 0)
			buf_printf(&ports, BUF_NOLIMIT, " Port=%.*s", (int)ws->n[i], ws->w[i]);
	}
	if (rc == 0 && s->nports == 0) {
		buf_printf(err, BUF_NOLIMIT, "/onion new: missing PORT: expected PORT[,TARGET], e.g. 80,127.0.0.1:8080");
		rc = -1;
	}
	if (rc == 0) {
		char key[100] = "NEW:ED25519-V3";
		if (s->have_key)
			onion_key_add_onion_form(s->key.esk, key);
		buf_printf(&s->line, BUF_NOLIMIT, "ADD_ONION %s", key);
		OPENSSL_cleanse(key, sizeof(key));
		if (s->detach || s->nauth)
			buf_printf(&s->line, BUF_NOLIMIT, " Flags=%s%s%s", s->detach ? "Detach" : "",
				   s->detach && s->nauth ? "," : "", s->nauth ? "V3Auth" : "");
		if (s->max_streams[0])
			buf_printf(&s->line, BUF_NOLIMIT, " MaxStreams=%s", s->max_streams);
		buf_printf(&s->line, BUF_NOLIMIT, "%s%s%s", ports.p, auth.p ? auth.p : "",
			   s->pow ? " PoWDefensesEnabled=1" : "");
	}
	buf_free(&auth);
	buf_free(&ports);
	return rc;
}

/* --save-key: tor's key file when the name says so, else ED25519-V3: text */
static int new_save(const struct newsvc *s, const uint8_t esk[64], struct buf *err)
{
	const char *base = strrchr(s->save, '/');
	base = base ? base + 1 : s->save;
	if (strcmp(base, "hs_ed25519_secret_key") == 0) {
		uint8_t file[96];
		onion_key_secret_file(esk, file);
		int rc = write_secret_file(s->save, file, sizeof(file), "new", err);
		OPENSSL_cleanse(file, sizeof(file));
		return rc;
	}
	char text[102];
	onion_key_add_onion_form(esk, text);
	strcat(text, "\n");
	int rc = write_secret_file(s->save, text, strlen(text), "new", err);
	OPENSSL_cleanse(text, sizeof(text));
	return rc;
}

static void new_show(const struct local_ctx *ctx, const struct newsvc *s, const char *addr, const char *key)
{
	char shown[120];
	snprintf(shown, sizeof(shown), "%s", key[0] == '\0' ? "" : s->show ? key : "ED25519-V3:[hidden: --show-secrets]");
	if (ctx->json) {
		struct buf ports = {0};
		buf_append(&ports, "\1[", 2, BUF_NOLIMIT);
		for (const char *p = s->ports.p; p && *p;) {
			const char *nl = strchr(p, '\n');
			buf_printf(&ports, BUF_NOLIMIT, "%s\"%.*s\"", ports.len > 2 ? "," : "", (int)(nl - p), p);
			p = nl + 1;
		}
		buf_append(&ports, "]", 2, BUF_NOLIMIT);
		char nauth[24];
		snprintf(nauth, sizeof(nauth), "\1%u", s->nauth);
		oc_json_obj(ctx->out, (const char *const[]){"address", addr, "ports", ports.p, "private_key", key[0] ? shown : NULL,
							  "saved_key", s->save[0] ? s->save : NULL, "detached",
							  s->detach ? "\1true" : "\1false", "client_auth", nauth, NULL});
		buf_free(&ports);
		return;
	}
	fprintf(ctx->out, "created %s.onion\n", addr);
	for (const char *p = s->ports.p; p && *p;) {
		const char *nl = strchr(p, '\n');
		fprintf(ctx->out, "  port %.*s\n", (int)(nl - p), p);
		p = nl + 1;
	}
	if (key[0])
		fprintf(ctx->out, "  key: %s\n", shown);
	if (s->save[0])
		fprintf(ctx->out, "  key saved to %s (mode 0600; /onion new --key %s brings the service back)\n", s->save, s->save);
	else if (!s->have_key)
		fprintf(ctx->out, "  key not saved: --save-key FILE keeps it\n");
	if (s->nauth)
		fprintf(ctx->out, "  client authorization: %u client%s\n", s->nauth, s->nauth == 1 ? "" : "s");
	fprintf(ctx->out, "  %s\n", s->detach ? "detached: stays until /onion del or tor stops"
					      : "lives while this connection does (--detach keeps it)");
	OPENSSL_cleanse(shown, sizeof(shown));
}

/* ServiceID and PrivateKey from ADD_ONION's reply; the expanded key in esk */
static int new_reply(struct local_ctx *ctx, const struct tc_msg *m, struct newsvc *s, char addr[ONION_ADDR_LEN + 1],
		     char key[100], uint8_t esk[64])
{
	size_t n;
	const char *v = oc_reply_value(m, "ServiceID", &n);
	if (v == NULL || n != ONION_ADDR_LEN) {
		buf_printf(ctx->err, BUF_NOLIMIT, "/onion new: tor's reply has no ServiceID");
		return -1;
	}
	memcpy(addr, v, n);
	addr[n] = '\0';
	key[0] = '\0';
	if (s->have_key) {
		memcpy(esk, s->key.esk, 64);
		onion_key_add_onion_form(esk, key);
		return 0;
	}
	v = oc_reply_value(m, "PrivateKey", &n);
	struct onion_key k;
	char msg[200];
	if (v && n < 100 && onion_key_read((const uint8_t *)v, n, &k, msg, sizeof(msg)) == 0 && k.kind == ONION_KEY_SECRET) {
		memcpy(esk, k.esk, 64);
		onion_key_add_onion_form(esk, key);
	}
	onion_key_wipe(&k);
	return 0;
}

static int onion_new(struct local_ctx *ctx, const struct local_args *a)
{
	struct words ws;
	struct newsvc s = {.timeout = ONION_UPLOAD_TIMEOUT};
	struct tc_msg m = {0};
	struct buf wire = {0};
	char addr[ONION_ADDR_LEN + 1], key[100] = "";
	uint8_t esk[64];
	struct stat st;
	int rc = -1;
	if (oc_split(a, &ws, "new", ctx->err) < 0 || new_build(&s, &ws, ctx->err) < 0)
		goto out;
	if (s.save[0] && lstat(s.save, &st) == 0) {
		buf_printf(ctx->err, BUF_NOLIMIT, "/onion new: --save-key: %s exists (not overwritten)", s.save);
		goto out;
	}
	/* the ADD_ONION parser's checks, as if typed */
	if (command_prepare(s.line.p, s.line.len, NULL, 0, false, &wire, ctx->err) < 0 ||
	    oc_call(ctx, s.line.p, &m, "new") < 0)
		goto out;
	if (!msg_ok(&m)) {
		oc_refused(ctx, &m, "new", "ADD_ONION");
		goto out;
	}
	if (new_reply(ctx, &m, &s, addr, key, esk) < 0)
		goto out;
	if (s.save[0] && key[0] && new_save(&s, esk, ctx->err) < 0) {
		buf_printf(ctx->err, BUF_NOLIMIT, " (the service %s.onion was created)", addr);
		goto out;
	}
	new_show(ctx, &s, addr, key);
	onion_watch_made(ctx->s, addr, s.ports.p);
	rc = onion_upload_view(ctx, addr, s.timeout);
out:
	if (s.line.p)
		OPENSSL_cleanse(s.line.p, s.line.len);
	if (wire.p)
		OPENSSL_cleanse(wire.p, wire.len);
	buf_free(&s.line);
	buf_free(&s.ports);
	buf_free(&wire);
	onion_key_wipe(&s.key);
	OPENSSL_cleanse(esk, sizeof(esk));
	OPENSSL_cleanse(key, sizeof(key));
	msg_free(&m);
	return rc;
}

/* ---- del ---- */

static int onion_del(struct local_ctx *ctx, const struct local_args *a)
{
	struct words ws;
	char addr[ONION_ADDR_LEN + 1], line[80];
	struct tc_msg m = {0};
	if (oc_split(a, &ws, "del", ctx->err) < 0 || oc_addr_arg(&ws, 0, addr, "del", ctx->err) < 0)
		return -1;
	if (ws.count > 1)
		return oc_unknown_option(&ws, 1, "del", "only ADDR", ctx->err);
	snprintf(line, sizeof(line), "DEL_ONION %s", addr);
	int rc = oc_call(ctx, line, &m, "del");
	if (rc == 0 && !msg_ok(&m))
		rc = oc_refused(ctx, &m, "del", m.code == 552 ? "not a service of this tor made by ADD_ONION" : "DEL_ONION");
	if (rc == 0 && ctx->json)
		oc_json_obj(ctx->out, (const char *const[]){"removed", addr, NULL});
	else if (rc == 0)
		fprintf(ctx->out, "removed %s.onion\n", addr);
	msg_free(&m);
	return rc;
}

/* ---- list, auth ---- */

/* Each service id in a value (space or line separated). */
static void each_id(struct local_ctx *ctx, const char *v, size_t n, const char *kind, const char *what)
{
	const char *p = v, *end = v + n, *w;
	size_t wl;
	while (tok_word(&p, end, &w, &wl)) {
		while (wl > 0 && (w[wl - 1] == '\r' || w[wl - 1] == '\n'))
			wl--;
		for (size_t k = 0; k < wl; k++)
			if (w[k] == '\n' || w[k] == '\r') {
				each_id(ctx, w, k, kind, what);
				each_id(ctx, w + k + 1, wl - k - 1, kind, what);
				wl = 0;
			}
		if (wl == 0)
			continue;
		char id[ONION_ADDR_LEN + 8];
		snprintf(id, sizeof(id), "%.*s", (int)(wl < ONION_ADDR_LEN ? wl : ONION_ADDR_LEN), w);
		if (ctx->json)
			oc_json_obj(ctx->out, (const char *const[]){"address", id, "kind", kind, NULL});
		else {
			oc_tor_text(ctx->out, id, strlen(id));
			fprintf(ctx->out, ".onion  %s\n", what);
		}
	}
}

/* CLIENT <addr> x25519:<key>[ Flags=...][ ClientName=...] lines */
static void each_client(struct local_ctx *ctx, const struct tc_msg *m, bool show)
{
	for (size_t i = 0; i < m->nlines; i++) {
		size_t tl;
		const char *t = msg_text(m, i, &tl), *p, *end = t + tl, *w[6];
		size_t n[6], c = 0;
		if (tl < 7 || strncmp(t, "CLIENT ", 7) != 0)
			continue;
		p = t + 7;
		while (c < 6 && tok_word(&p, end, &w[c], &n[c]))
			c++;
		if (c < 2)
			continue;
		char addr[80], key[80], name[80] = "", flags[80] = "";
		snprintf(addr, sizeof(addr), "%.*s", (int)(n[0] < 60 ? n[0] : 60), w[0]);
		snprintf(key, sizeof(key), "%.*s", (int)(n[1] < 70 ? n[1] : 70), show ? w[1] : "x25519:[hidden: --show-secrets]");
		for (size_t k = 2; k < c; k++) {
			if (n[k] > 11 && strncmp(w[k], "ClientName=", 11) == 0)
				snprintf(name, sizeof(name), "%.*s", (int)(n[k] - 11 < 60 ? n[k] - 11 : 60), w[k] + 11);
			else if (n[k] > 6 && strncmp(w[k], "Flags=", 6) == 0)
				snprintf(flags, sizeof(flags), "%.*s", (int)(n[k] - 6 < 60 ? n[k] - 6 : 60), w[k] + 6);
		}
		if (ctx->json) {
			oc_json_obj(ctx->out, (const char *const[]){"address", addr, "kind", "client_auth", "key", show ? key : NULL,
								  "client_name", name[0] ? name : NULL, "flags",
								  flags[0] ? flags : NULL, NULL});
			continue;
		}
		oc_tor_text(ctx->out, addr, strlen(addr));
		fputs(".onion  client authorization", ctx->out);
		if (name[0])
			fputs(" ClientName=", ctx->out), oc_tor_text(ctx->out, name, strlen(name));
		if (flags[0])
			fputs(" Flags=", ctx->out), oc_tor_text(ctx->out, flags, strlen(flags));
		fputs(show ? " " : "\n", ctx->out);
		if (show)
			fprintf(ctx->out, "%s\n", key);
	}
}

static int auth_view(struct local_ctx *ctx, const char *addr, bool show, const char *sub)
{
	char line[100];
	struct tc_msg m = {0};
	snprintf(line, sizeof(line), "ONION_CLIENT_AUTH_VIEW%s%s", addr ? " " : "", addr ? addr : "");
	int rc = oc_call(ctx, line, &m, sub);
	if (rc == 0 && !msg_ok(&m))
		rc = oc_refused(ctx, &m, sub, "ONION_CLIENT_AUTH_VIEW");
	if (rc == 0)
		each_client(ctx, &m, show);
	if (m.bytes.p)
		OPENSSL_cleanse(m.bytes.p, m.bytes.len);
	msg_free(&m);
	return rc;
}

static int onion_list(struct local_ctx *ctx, const struct local_args *a)
{
	struct words ws;
	struct tc_msg m = {0};
	if (oc_split(a, &ws, "list", ctx->err) < 0)
		return -1;
	bool show = oc_is(&ws, 0, "--show-secrets");
	if (ws.count > (size_t)show)
		return oc_unknown_option(&ws, show, "list", "nothing, or --show-secrets", ctx->err);
	int rc = oc_call(ctx, "GETINFO onions/current onions/detached", &m, "list");
	if (rc == 0 && !msg_ok(&m))
		rc = oc_refused(ctx, &m, "list", "GETINFO onions/current");
	size_t n;
	const char *v;
	if (rc == 0 && (v = oc_reply_value(&m, "onions/current", &n)) != NULL)
		each_id(ctx, v, n, "current", "this connection's (ADD_ONION)");
	if (rc == 0 && (v = oc_reply_value(&m, "onions/detached", &n)) != NULL)
		each_id(ctx, v, n, "detached", "detached (ADD_ONION Flags=Detach)");
	msg_free(&m);
	return rc < 0 ? rc : auth_view(ctx, NULL, show, "list");
}

static int auth_add(struct local_ctx *ctx, const struct words *ws)
{
	char addr[ONION_ADDR_LEN + 1] = "", from_key[ONION_ADDR_LEN + 1], msg[300], b64[60], name[20] = "", line[200];
	uint8_t k[32];
	bool perm = false;
	size_t i = 1, keyi;
	if (ws->count >= 3 && ws->w[2][0] != '-' && oc_addr_arg(ws, i++, addr, "auth add", ctx->err) < 0)
		return -1;
	keyi = i++;
	if (keyi >= ws->count || oc_x25519_arg(ws->w[keyi], ws->n[keyi], k, from_key, msg, sizeof(msg)) < 0) {
		buf_printf(ctx->err, BUF_NOLIMIT, "/onion auth add: KEY: %s", keyi >= ws->count ? "missing: expected x25519:<base64>, base32 or an .auth_private file" : msg);
		return -1;
	}
	for (; i < ws->count; i++) {
		if (oc_is(ws, i, "--permanent"))
			perm = true;
		else if (!oc_is(ws, i, "--name") || oc_opt_value(ws, i++, name, sizeof(name) - 3, "auth add", ctx->err) < 0)
			return ctx->err->len ? -1 : oc_unknown_option(ws, i, "auth add", "--name NAME or --permanent", ctx->err);
	}
	if (addr[0] == '\0')
		memcpy(addr, from_key, sizeof(addr));
	if (addr[0] == '\0') {
		buf_printf(ctx->err, BUF_NOLIMIT, "/onion auth add: missing ADDR (the key does not name its service)");
		return -1;
	}
	onion_b64_encode(k, 32, true, b64, sizeof(b64));
	snprintf(line, sizeof(line), "ONION_CLIENT_AUTH_ADD %s x25519:%s%s%s%s", addr, b64, name[0] ? " ClientName=" : "", name,
		 perm ? " Flags=Permanent" : "");
	struct buf wire = {0};
	struct tc_msg m = {0};
	int rc = command_prepare(line, strlen(line), NULL, 0, false, &wire, ctx->err);
	if (rc == 0)
		rc = oc_call(ctx, line, &m, "auth add");
	if (rc == 0 && !msg_ok(&m))
		rc = oc_refused(ctx, &m, "auth add", "ONION_CLIENT_AUTH_ADD");
	const char *note = m.code == 251 ? "replaced the key it had" : m.code == 252 ? "and decrypted its cached descriptor" : "";
	if (rc == 0 && ctx->json)
		oc_json_obj(ctx->out, (const char *const[]){"added", addr, "note", note[0] ? note : NULL, NULL});
	else if (rc == 0)
		fprintf(ctx->out, "client key added for %s.onion%s%s\n", addr, note[0] ? ": " : "", note);
	OPENSSL_cleanse(line, sizeof(line));
	OPENSSL_cleanse(b64, sizeof(b64));
	OPENSSL_cleanse(k, sizeof(k));
	if (wire.p)
		OPENSSL_cleanse(wire.p, wire.len);
	buf_free(&wire);
	msg_free(&m);
	return rc;
}

static int auth_remove(struct local_ctx *ctx, const struct words *ws)
{
	char addr[ONION_ADDR_LEN + 1], line[100];
	struct tc_msg m = {0};
	if (oc_addr_arg(ws, 1, addr, "auth remove", ctx->err) < 0)
		return -1;
	if (ws->count > 2)
		return oc_unknown_option(ws, 2, "auth remove", "only ADDR", ctx->err);
	snprintf(line, sizeof(line), "ONION_CLIENT_AUTH_REMOVE %s", addr);
	int rc = oc_call(ctx, line, &m, "auth remove");
	if (rc == 0 && !msg_ok(&m))
		rc = oc_refused(ctx, &m, "auth remove", "ONION_CLIENT_AUTH_REMOVE");
	const char *note = m.code == 251 ? "it had none" : "";
	if (rc == 0 && ctx->json)
		oc_json_obj(ctx->out, (const char *const[]){"removed", addr, "note", note[0] ? note : NULL, NULL});
	else if (rc == 0)
		fprintf(ctx->out, "client key removed for %s.onion%s%s\n", addr, note[0] ? ": " : "", note);
	msg_free(&m);
	return rc;
}

static int onion_auth(struct local_ctx *ctx, const struct local_args *a)
{
	struct words ws;
	if (oc_split(a, &ws, "auth", ctx->err) < 0)
		return -1;
	if (oc_is(&ws, 0, "add"))
		return auth_add(ctx, &ws);
	if (oc_is(&ws, 0, "remove"))
		return auth_remove(ctx, &ws);
	if (oc_is(&ws, 0, "list")) {
		char addr[ONION_ADDR_LEN + 1];
		bool show = false, have = false;
		for (size_t i = 1; i < ws.count; i++) {
			if (oc_is(&ws, i, "--show-secrets"))
				show = true;
			else if (!have && oc_addr_arg(&ws, i, addr, "auth list", ctx->err) == 0)
				have = true;
			else
				return ctx->err->len ? -1 : oc_unknown_option(&ws, i, "auth list", "ADDR or --show-secrets", ctx->err);
		}
		return auth_view(ctx, have ? addr : NULL, show, "auth list");
	}
	buf_printf(ctx->err, BUF_NOLIMIT, "/onion auth: expected add, remove or list");
	return -1;
}

/* ---- decode ---- */

#define DECODE_KEYS 16
struct decode {
	char addr[ONION_ADDR_LEN + 1], file[1024];
	uint8_t keys[DECODE_KEYS][32];
	size_t nkeys;
	char *text;
	size_t tlen;
	const char *source;
};

static int decode_args(struct local_ctx *ctx, const struct words *ws, struct decode *d)
{
	char msg[ONION_ADDR_MSG];
	if (oc_addr_arg(ws, 0, d->addr, "decode", ctx->err) < 0)
		return -1;
	for (size_t i = 1; i < ws->count; i++) {
		if (oc_is(ws, i, "--file")) {
			if (oc_opt_value(ws, i++, d->file, sizeof(d->file), "decode", ctx->err) < 0)
				return -1;
		} else if (oc_is(ws, i, "--key") && i + 1 < ws->count && d->nkeys < DECODE_KEYS) {
			i++;
			if (oc_x25519_arg(ws->w[i], ws->n[i], d->keys[d->nkeys], NULL, msg, sizeof(msg)) < 0) {
				buf_printf(ctx->err, BUF_NOLIMIT, "/onion decode: --key: %s", msg);
				return -1;
			}
			d->nkeys++;
		} else {
			return oc_unknown_option(ws, i, "decode", "--key KEY or --file FILE", ctx->err);
		}
	}
	return 0;
}

/* The descriptor: the file, or tor's client cache, or its own service's. */
static int decode_fetch(struct local_ctx *ctx, struct decode *d)
{
	static const char *const keys[] = {"hs/client/desc/id/", "hs/service/desc/id/"};
	static const char *const names[] = {"tor's client cache", "tor's own service"};
	if (d->file[0]) {
		d->text = malloc(200001);
		ssize_t n = d->text ? oc_read_file(d->file, (uint8_t *)d->text, 200000) : -1;
		if (n < 0) {
			buf_printf(ctx->err, BUF_NOLIMIT, "/onion decode: --file %s: %s", d->file,
				   n == -2 ? "too big for a descriptor" : "not a readable file");
			return -1;
		}
		d->tlen = (size_t)n;
		d->source = "the file";
		return 0;
	}
	for (size_t i = 0; i < 2; i++) {
		char line[120];
		struct tc_msg m = {0};
		size_t n;
		const char *v;
		snprintf(line, sizeof(line), "GETINFO %s%s", keys[i], d->addr);
		if (oc_call(ctx, line, &m, "decode") < 0)
			return -1;
		if (msg_ok(&m) && (v = oc_reply_value(&m, line + 8, &n)) != NULL && n > 0 && (d->text = malloc(n + 1))) {
			memcpy(d->text, v, n);
			d->tlen = n;
			d->source = names[i];
		}
		msg_free(&m);
		if (d->text)
			return 0;
	}
	buf_printf(ctx->err, BUF_NOLIMIT, "/onion decode: no descriptor of %s in tor's caches (HSFETCH %s fetches it "
		   "when tor is online; --file FILE reads one)", d->addr, d->addr);
	return -1;
}

/* Keys tor has for the address (ONION_CLIENT_AUTH_VIEW), after the given ones. */
static void decode_known_keys(struct local_ctx *ctx, struct decode *d)
{
	char line[100], msg[200];
	struct tc_msg m = {0};
	if (ctx->s == NULL || ctx->offline)
		return;
	snprintf(line, sizeof(line), "ONION_CLIENT_AUTH_VIEW %s", d->addr);
	struct buf e = {0};
	if (session_call(ctx->s, line, &m, &e) == 0 && msg_ok(&m)) {
		for (size_t i = 0; i < m.nlines && d->nkeys < DECODE_KEYS; i++) {
			size_t tl;
			const char *t = msg_text(&m, i, &tl), *p, *end = t + tl, *w;
			size_t wn;
			if (tl < 7 || strncmp(t, "CLIENT ", 7) != 0)
				continue;
			p = t + 7;
			if (tok_word(&p, end, &w, &wn) && tok_word(&p, end, &w, &wn) &&
			    onion_x25519_read(w, wn, d->keys[d->nkeys], NULL, msg, sizeof(msg)) == 0)
				d->nkeys++;
		}
	}
	if (m.bytes.p)
		OPENSSL_cleanse(m.bytes.p, m.bytes.len);
	msg_free(&m);
	buf_free(&e);
}

static const char *inner_text(const struct onion_desc *o, size_t nkeys)
{
	switch (o->inner) {
	case ONION_INNER_OK:
		return o->auth_used ? "required; a known key opens it" : "not required";
	case ONION_INNER_AUTH_NEEDED:
		return "required; no key known (/onion auth add, or --key KEY)";
	case ONION_INNER_AUTH_WRONG:
		return nkeys == 1 ? "required; the known key is not among the authorized clients"
				  : "required; none of the known keys is among the authorized clients";
	case ONION_INNER_BAD:
		return "the inner layer decrypted but does not parse";
	case ONION_INNER_NOT_TRIED:
		break;
	}
	return "unknown";
}

static void decode_intro_text(FILE *out, const struct onion_intro *ip, size_t idx)
{
	char s[600];
	fprintf(out, "  intro point %zu:", idx + 1);
	if (ip->bad_lspec)
		fputs(" (link specifiers do not parse)", out);
	for (size_t k = 0; k < ip->nls; k++) {
		onion_lspec_format(&ip->ls[k], s, sizeof(s));
		fprintf(out, "%s %s", k ? "," : "", s);
	}
	fputc('\n', out);
}

static void decode_show(struct local_ctx *ctx, const struct decode *d, const struct onion_desc *o)
{
	char expiry[40] = "?";
	time_t t = (time_t)o->cert_expiry_hours * 3600;
	struct tm tm;
	if (gmtime_r(&t, &tm))
		strftime(expiry, sizeof(expiry), "%Y-%m-%d %H:%M UTC", &tm);
	const char *auth = inner_text(o, d->nkeys);
	if (ctx->json) {
		char lt[24], rev[32], nintro[24];
		snprintf(lt, sizeof(lt), "\1%u", o->lifetime);
		snprintf(rev, sizeof(rev), "\1%llu", (unsigned long long)o->revision);
		snprintf(nintro, sizeof(nintro), "\1%zu", o->nintro);
		bool need = o->auth_used || o->inner == ONION_INNER_AUTH_NEEDED || o->inner == ONION_INNER_AUTH_WRONG;
		oc_json_obj(ctx->out, (const char *const[]){"address", d->addr, "source", d->source, "lifetime_minutes", lt,
							  "revision", rev, "signing_cert_expires", expiry, "signature_valid",
							  o->sig_ok ? "\1true" : "\1false", "client_auth_required",
							  need ? "\1true" : "\1false", "client_auth", auth,
							  "readable", o->inner == ONION_INNER_OK ? "\1true" : "\1false",
							  "intro_points", nintro, NULL});
		for (size_t i = 0; i < o->nintro; i++) {
			struct buf ls = {0};
			char s[600];
			buf_append(&ls, "\1[", 2, BUF_NOLIMIT);
			for (size_t k = 0; k < o->intro[i].nls; k++) {
				onion_lspec_format(&o->intro[i].ls[k], s, sizeof(s));
				buf_printf(&ls, BUF_NOLIMIT, "%s\"%s\"", k ? "," : "", s);
			}
			buf_append(&ls, "]", 2, BUF_NOLIMIT);
			char idx[24];
			snprintf(idx, sizeof(idx), "\1%zu", i + 1);
			oc_json_obj(ctx->out, (const char *const[]){"address", d->addr, "intro_point", idx, "link_specifiers", ls.p, NULL});
			buf_free(&ls);
		}
		return;
	}
	fprintf(ctx->out, "descriptor of %s.onion (from %s)\n", d->addr, d->source);
	fprintf(ctx->out, "  lifetime %u min, revision counter %llu, signing key certified until %s, signature %s\n",
		o->lifetime, (unsigned long long)o->revision, expiry, o->sig_ok ? "valid" : "NOT valid");
	fprintf(ctx->out, "  client authorization: %s\n", auth);
	if (o->inner != ONION_INNER_OK)
		return;
	fprintf(ctx->out, "  %zu intro point%s%s%s%s\n", o->nintro, o->nintro == 1 ? "" : "s",
		o->single_onion ? ", single onion service (not anonymous)" : "", o->pow[0] ? ", pow-params " : "", o->pow);
	for (size_t i = 0; i < o->nintro; i++)
		decode_intro_text(ctx->out, &o->intro[i], i);
}

static int onion_decode(struct local_ctx *ctx, const struct local_args *a)
{
	struct words ws;
	struct decode *d = calloc(1, sizeof(*d));
	struct onion_desc *o = calloc(1, sizeof(*o));
	char msg[ONION_ADDR_MSG];
	uint8_t pk[32];
	int rc = -1;
	if (d == NULL || o == NULL || oc_split(a, &ws, "decode", ctx->err) < 0 || decode_args(ctx, &ws, d) < 0 ||
	    decode_fetch(ctx, d) < 0)
		goto out;
	decode_known_keys(ctx, d);
	onion_addr_parse(d->addr, ONION_ADDR_LEN, pk, msg, sizeof(msg));
	if (onion_desc_decode(d->text, d->tlen, pk, (const uint8_t(*)[32])d->keys, d->nkeys, o, msg, sizeof(msg)) !=
	    ONION_DESC_OK) {
		buf_printf(ctx->err, BUF_NOLIMIT, "/onion decode: %s", msg);
		goto out;
	}
	decode_show(ctx, d, o);
	rc = 0;
out:
	if (d) {
		free(d->text);
		OPENSSL_cleanse(d, sizeof(*d));
	}
	free(d);
	free(o);
	return rc;
}

/* ---- the command ---- */

static const struct cmd_sub onion_subs[] = {
	{"keygen", "[ADDR] [--out DIR] [--name NAME] [--show-secrets]",
	 "a new x25519 client-authorization key pair, in every form tor uses", onion_keygen, CMD_NO_TOR,
	 {{.kind = HINT_ONION_ID}, {.kind = HINT_WORDS, .words = "--out --name --show-secrets"}, {.kind = HINT_PATH}}},
	{"address", "KEYFILE|PUBKEY", "the onion address of a key (tor's key files, base32/base64 public key)",
	 onion_address, CMD_NO_TOR, {{.kind = HINT_PATH}}},
	{"new", "PORT[,TARGET] ... [--key FILE] [--save-key FILE] [--detach] [--client-auth PUBKEY ...] "
		"[--max-streams N] [--pow] [--show-secrets] [--timeout S]",
	 "create an onion service (ADD_ONION), then follow its descriptor uploads per HSDir (HS_DESC) until each "
	 "answered or --timeout S (30; 0 skips); the private key masked unless --show-secrets", onion_new, 0,
	 {{.kind = HINT_WORDS, .words = "--key --save-key --detach --client-auth --max-streams --pow --show-secrets "
					"--timeout"}}},
	{"del", "ADDR", "remove an onion service made by ADD_ONION (DEL_ONION)", onion_del, 0, {{.kind = HINT_ONION_ID}}},
	{"list", "[--show-secrets]", "this tor's ADD_ONION services and client authorization keys", onion_list, 0,
	 {{.kind = HINT_WORDS, .words = "--show-secrets"}}},
	{"auth", "add [ADDR] KEY [--name NAME] [--permanent] | remove ADDR | list [ADDR] [--show-secrets]",
	 "client authorization keys (ONION_CLIENT_AUTH_*); KEY in any form, or an .auth_private file", onion_auth, 0,
	 {{.kind = HINT_WORDS, .words = "add remove list"}, {.kind = HINT_CLIENT_AUTH}, {.kind = HINT_PATH}}},
	{"decode", "ADDR [--key KEY ...] [--file FILE]",
	 "decrypt a descriptor tor has (client cache or own service) or a file: lifetime, revision, client auth, "
	 "intro points", onion_decode, 0, {{.kind = HINT_CLIENT_AUTH}, {.kind = HINT_WORDS, .words = "--key --file"}}},
	{"check", "ADDR [--port P] [--timeout S] [--key KEY ...]",
	 "is the service reachable from this tor? descriptor per HSDir (HSFETCH), its decoding, and with --port "
	 "introduction, rendezvous and the stream through the SocksPort; the verdict names the phase that failed "
	 "(exit 0 reachable, 1 not, 3 no SocksPort)", onion_check, 0,
	 {{.kind = HINT_CLIENT_AUTH}, {.kind = HINT_WORDS, .words = "--port --timeout --key"}}},
	{"status", "[ADDR]",
	 "the service side, on the tor that hosts it: each service's ports and targets (and, with a control port "
	 "on this machine, whether each loopback/Unix target accepts a connection), descriptor revision and "
	 "lifetime, uploads per HSDir since torsh connected, intro circuits established/wanted, rendezvous "
	 "circuits and failures seen", onion_status, 0, {{.kind = HINT_ONION_ID}}},
	{NULL, NULL, NULL, NULL, 0, {{.kind = HINT_NONE}}},
};

static int exec_onion(struct local_ctx *ctx, const struct local_args *a)
{
	const char *p = a->args, *end = a->args + a->alen, *w;
	size_t n;
	if (!tok_word(&p, end, &w, &n)) {
		buf_printf(ctx->err, BUF_NOLIMIT, "/onion: missing subcommand: keygen, address, new, del, list, auth, "
			   "decode, check or status (/help /onion)");
		return -1;
	}
	for (const struct cmd_sub *s = onion_subs; s->name; s++) {
		if (strlen(s->name) != n || strncasecmp(s->name, w, n) != 0)
			continue;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		struct local_args sa = *a;
		sa.args = p;
		sa.alen = (size_t)(end - p);
		return s->exec(ctx, &sa);
	}
	char shown[80];
	val_display(w, n, shown, sizeof(shown));
	buf_printf(ctx->err, BUF_NOLIMIT, "/onion: unknown subcommand '%s': expected keygen, address, new, del, list, "
		   "auth, decode, check or status", shown);
	return -1;
}

/* Private keys typed in an /onion line: /onion auth add's KEY (and what
 * follows), /onion decode's first --key value (/onion new's --key is a file). ED25519-V3: and x25519:
 * anywhere are the rule's own markers. */
static size_t onion_secret(const char *line, size_t len)
{
	size_t pos = 0, off, n, idx = 0;
	bool auth = false, add = false, decode = false;
	while (secret_word(line, len, &pos, &off, &n)) {
		if (idx == 1) {
			auth = n == 4 && strncasecmp(line + off, "auth", 4) == 0;
			decode = n == 6 && strncasecmp(line + off, "decode", 6) == 0;
		}
		if (idx == 2 && auth)
			add = n == 3 && strncasecmp(line + off, "add", 3) == 0;
		/* the key after an optional ADDR; a file path is no secret */
		if (idx >= 3 && add && n != ONION_ADDR_LEN && n < 60 + 7 &&
		    (memchr(line + off, '/', n) == NULL || n == 43 || n == 44))
			return off;
		if (idx >= 3 && add && n != ONION_ADDR_LEN)
			return SECRET_NONE;
		if (decode && n == 5 && strncasecmp(line + off, "--key", 5) == 0) {
			size_t p2 = pos, o2, n2;
			return secret_word(line, len, &p2, &o2, &n2) ? o2 : len;
		}
		idx++;
	}
	return SECRET_NONE;
}

const struct cmd_def cmd_local_onion = {
	.name = "/onion", .usage = "SUBCOMMAND ...", .flags = CMD_LOCAL, .exec = exec_onion, .secret = onion_secret,
	.summary = "onion service workbench: keys, addresses, descriptors, services, client authorization",
	.help = "Keys and addresses are made and read here (OpenSSL), offline: keygen and address need no tor.\n"
		"Private keys are shown masked unless --show-secrets (keygen shows the one it makes unless --out\n"
		"writes it to a file); files are written mode 0600 and never overwritten. --json: one object per\n"
		"result.",
	.example = "/onion new 80,127.0.0.1:8080 --save-key web.key",
	.hints = {{.kind = HINT_WORDS, .words = "keygen address new del list auth decode check status"}},
	.subs = onion_subs,
};
