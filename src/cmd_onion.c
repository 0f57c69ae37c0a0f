/* Onion services: ADD_ONION, DEL_ONION, HSFETCH, +HSPOST and client
 * authorization. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmdparse.h"
#include "argval.h"
#include "secret.h"

static int onion_or_fail(struct pctx *p, const struct tok *t, const char *name)
{
	if (t->has_eq || t->quoted)
		return p_fail(p, t, "%s: expected a v3 onion address (56 base32 characters)", name);
	return arg_onion(p, t, name);
}

/* SERVER=RELAY: an HSDir to ask (HSFETCH) or post to (HSPOST). */
static const struct arg_word onion_server = {.key = "SERVER", .values = NULL};

static int parse_servers(struct pctx *p, const struct tok *t)
{
	char msg[200];
	if (t->quoted || val_relay(t->val, t->val_len, msg, sizeof(msg)) < 0)
		return p_fail(p, t, "SERVER: %s", t->quoted ? "expected a relay, not a quoted string" : msg);
	/* tor looks SERVER= up by identity only: a nickname gets 552 Server
	 * "nick" not found, whether tor knows the relay or not */
	if (t->val[0] != '$' && !(t->val_len == 40 && val_is_hex(t->val, 40))) {
		char shown[80];
		val_display(t->val, t->val_len, shown, sizeof(shown));
		return p_fail(p, t, "SERVER: takes $FINGERPRINT, not a nickname ('%s': tor would answer 552 Server "
			      "not found); Tab completes relays as $FINGERPRINT~nickname", shown);
	}
	return out_kv(p, onion_server.key, t->val, t->val_len);
}

static int parse_hsfetch(struct pctx *p)
{
	const struct tok *t;
	if (p_need(p, &t, "ADDRESS", "a v3 onion address") < 0 || onion_or_fail(p, t, "ADDRESS") < 0)
		return -1;
	while ((t = p_next(p)) != NULL) {
		if (!p_key_is(p, t, onion_server.key))
			return p_fail(p, t, "expected SERVER=$FINGERPRINT (an HSDir to ask)");
		if (parse_servers(p, t) < 0)
			return -1;
	}
	return 0;
}

static const struct arg_word hspost_address = {.key = "HSADDRESS", .values = NULL};

static int parse_hspost(struct pctx *p)
{
	const struct tok *t;
	bool have_addr = false;
	while ((t = p_next(p)) != NULL) {
		if (p_key_is(p, t, onion_server.key)) {
			if (parse_servers(p, t) < 0)
				return -1;
		} else if (p_key_is(p, t, hspost_address.key)) {
			if (arg_onion_kv(p, t, hspost_address.key) < 0)
				return -1;
			have_addr = true;
		} else if (!t->has_eq && !t->quoted && t->val_len > 1 && t->val[0] == '@' && p_peek(p) == NULL) {
			p->out->body_file = strndup(t->val + 1, t->val_len - 1);
		} else {
			return p_fail(p, t, "expected SERVER=..., HSADDRESS=... or @FILE (the descriptor is the body)");
		}
	}
	/* tor 0.4.9.11 sends no reply at all without HSADDRESS */
	if (!have_addr)
		return p_fail(p, NULL, "missing HSADDRESS: expected HSADDRESS=<onion address> (v3 descriptors need it)");
	return 0;
}

/* ADD_ONION's KEY: a new key of a type, or ED25519-V3: and the key (the
 * one value with a blob after it). Read as typed: KEYTYPE:BLOB has no
 * '=', but a base64 blob may end in '=' padding. */
static const char onion_key_blob[] = "ED25519-V3:";
static const struct arg_word onion_key = {.key = NULL, .values = (const char *const[]){"NEW:BEST", "NEW:ED25519-V3", onion_key_blob, NULL}};

/* "NEW:BEST, NEW:ED25519-V3 or ED25519-V3:<base64 key>" */
static const char *onion_key_forms(char *buf, size_t n)
{
	size_t l = strlen(words_or(onion_key.values, NULL, buf, n));
	snprintf(buf + l, n - l, "<base64 key>");
	return buf;
}

static int parse_key(struct pctx *p, const struct tok *t)
{
	char msg[200], forms[120];
	const char *v = p->line + t->off;
	size_t n = t->len, bl = sizeof(onion_key_blob) - 1;
	if (t->quoted)
		return p_fail(p, t, "KEY: expected %s", onion_key_forms(forms, sizeof(forms)));
	for (size_t i = 0; onion_key.values[i] != onion_key_blob; i++)
		if (n == strlen(onion_key.values[i]) && strncasecmp(v, onion_key.values[i], n) == 0)
			return out_word(p, onion_key.values[i], n);
	if ((n >= 7 && strncasecmp(v, "RSA1024", 7) == 0) || (n == 11 && strncasecmp(v, "NEW:RSA1024", 11) == 0))
		return p_fail(p, t, "KEY: RSA1024 keys are v2 onion services, removed in tor 0.4.6; use NEW:ED25519-V3");
	if (n > bl && strncasecmp(v, onion_key_blob, bl) == 0) {
		if (val_base64(v + bl, n - bl, 64, msg, sizeof(msg)) < 0)
			return p_fail(p, t, "KEY: ED25519-V3 key: %s", msg);
		char buf[128];
		memcpy(buf, onion_key_blob, bl);
		memcpy(buf + bl, v + bl, n - bl < sizeof(buf) - bl - 1 ? n - bl : sizeof(buf) - bl - 1);
		return out_word(p, buf, n < sizeof(buf) - 1 ? n : sizeof(buf) - 1);
	}
	char shown[80];
	p_show(p, t, shown, sizeof(shown));
	return p_fail(p, t, "KEY: expected %s, got '%s'", onion_key_forms(forms, sizeof(forms)), shown);
}

/* Any KEYTYPE:BLOB but NEW:... is a private key, wherever it stands, quoted
 * or not, however mistyped (ED25519-V3:, an RSA1024: blob tor no longer
 * takes): the secret starts after the ':'. */
static size_t onion_key_secret(const char *line, size_t len)
{
	size_t pos = 0, off, n;
	(void)secret_word(line, len, &pos, &off, &n); /* the command word */
	while (secret_word(line, len, &pos, &off, &n)) {
		const char *s = line + off;
		size_t q = 0;
		while (q < n && s[q] == '"')
			q++;
		size_t w = q;
		while (w < n && (isalnum((unsigned char)s[w]) || s[w] == '-'))
			w++;
		if (w > q && w < n && s[w] == ':' && !(w - q == 3 && strncasecmp(s + q, "NEW", 3) == 0))
			return off + w + 1;
	}
	return SECRET_NONE;
}

static int parse_flags(struct pctx *p, const struct tok *t, const char *const *known, const char *removed)
{
	size_t start = 0;
	for (size_t i = 0; i <= t->val_len; i++) {
		if (i < t->val_len && t->val[i] != ',')
			continue;
		size_t n = i - start;
		const char *f = t->val + start;
		bool ok = false;
		for (size_t k = 0; known[k]; k++)
			if (strlen(known[k]) == n && strncasecmp(known[k], f, n) == 0)
				ok = true;
		if (!ok) {
			char shown[80], list[200] = "";
			val_display(f, n, shown, sizeof(shown));
			for (size_t k = 0; known[k]; k++)
				snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", k ? ", " : "", known[k]);
			if (removed && n == strlen(removed) && strncasecmp(f, removed, n) == 0)
				return p_fail(p, t, "Flags: %s belonged to v2 onion services, removed in tor 0.4.6", removed);
			return p_fail(p, t, "Flags: expected a comma-separated list of %s, got '%s'", list,
				      n ? shown : "(empty)");
		}
		start = i + 1;
	}
	return out_kv(p, "Flags", t->val, t->val_len);
}

/* Port=VIRTPORT[,TARGET], TARGET as val_target reads it. */
static int parse_port(struct pctx *p, const struct tok *t)
{
	char msg[200];
	const char *comma = memchr(t->val, ',', t->val_len);
	size_t vlen = comma ? (size_t)(comma - t->val) : t->val_len;
	char virt[8];
	if (vlen == 0 || vlen >= sizeof(virt))
		return p_fail(p, t, "Port: expected VIRTPORT[,TARGET], e.g. Port=80,127.0.0.1:8080");
	memcpy(virt, t->val, vlen);
	virt[vlen] = '\0';
	if (val_port(virt, vlen, msg, sizeof(msg)) < 0)
		return p_fail(p, t, "Port: virtual port: %s", msg);
	if (comma && val_target(comma + 1, t->val_len - vlen - 1, msg, sizeof(msg)) < 0)
		return p_fail(p, t, "Port: target: %s", msg);
	return out_kv(p, "Port", t->val, t->val_len);
}

static int parse_uint_kv(struct pctx *p, const struct tok *t, const char *key, uint64_t max)
{
	char msg[200];
	uint64_t v;
	if (t->quoted || val_id(t->val, true, &v, msg, sizeof(msg)) < 0 || v > max)
		return p_fail(p, t, "%s: expected a number 0-%llu", key, (unsigned long long)max);
	return out_kv(p, key, t->val, t->val_len);
}

/* ADD_ONION's keyword arguments, in the order help and completion give them. */
static const struct arg_word onion_port = {.key = "Port", .values = NULL};
static const struct arg_word onion_flags = {
	.key = "Flags", .values = (const char *const[]){"DiscardPK", "Detach", "V3Auth", "NonAnonymous", "MaxStreamsCloseCircuit", NULL},
};
static const struct arg_word onion_max_streams = {.key = "MaxStreams", .values = NULL};
static const struct arg_word onion_client_auth = {.key = "ClientAuthV3", .values = NULL};
static const struct arg_word onion_pow = {.key = "PoWDefensesEnabled", .values = NULL};
static const struct arg_word onion_pow_rate = {.key = "PoWQueueRate", .values = NULL};
static const struct arg_word onion_pow_burst = {.key = "PoWQueueBurst", .values = NULL};
#define ADD_ONION_KEYWORDS ARGS(&onion_port, &onion_flags, &onion_max_streams, &onion_client_auth, &onion_pow, \
				&onion_pow_rate, &onion_pow_burst)

/* One keyword argument a, which token t is. */
static int parse_onion_keyword(struct pctx *p, const struct tok *t, const struct arg_word *a)
{
	char msg[200];
	if (a == &onion_port)
		return parse_port(p, t);
	if (a == &onion_flags)
		return parse_flags(p, t, onion_flags.values, "BasicAuth");
	if (a == &onion_max_streams)
		return parse_uint_kv(p, t, a->key, 65535);
	if (a == &onion_pow)
		return parse_uint_kv(p, t, a->key, 1);
	if (a == &onion_pow_rate || a == &onion_pow_burst)
		return parse_uint_kv(p, t, a->key, 0xffffffffu);
	if (t->quoted)
		return p_fail(p, t, "ClientAuthV3: expected a base32 x25519 public key, not a quoted string");
	if (val_base32(t->val, t->val_len, 32, msg, sizeof(msg)) < 0)
		return p_fail(p, t, "ClientAuthV3: x25519 public key in base32: %s", msg);
	return out_kv(p, a->key, t->val, t->val_len);
}

static int parse_add_onion(struct pctx *p)
{
	const struct arg_word *const *keywords = ADD_ONION_KEYWORDS;
	const struct tok *t;
	char forms[120];
	if (p_need(p, &t, "KEY", onion_key_forms(forms, sizeof(forms))) < 0 || parse_key(p, t) < 0)
		return -1;
	bool have_port = false;
	while ((t = p_next(p)) != NULL) {
		const struct arg_word *a = arg_find(p, t, keywords);
		if (a == NULL && p_key_is(p, t, "ClientAuth")) {
			/* v2 syntax: tor 0.4.9.11 logs a bug and never replies */
			return p_fail(p, t, "ClientAuth: v2 client authorization was removed in tor 0.4.6; "
				      "use ClientAuthV3=<base32 x25519 public key>");
		}
		if (a == NULL) {
			char shown[80], list[200] = "";
			p_show(p, t, shown, sizeof(shown));
			for (size_t i = 0; keywords[i]; i++)
				snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s=",
					 i == 0 ? "" : keywords[i + 1] ? ", " : " or ", keywords[i]->key);
			return p_fail(p, t, "unexpected argument '%s': expected %s", shown, list);
		}
		if (parse_onion_keyword(p, t, a) < 0)
			return -1;
		have_port = have_port || a == &onion_port;
	}
	if (!have_port)
		return p_fail(p, NULL, "missing Port: expected Port=VIRTPORT[,TARGET], e.g. Port=80,127.0.0.1:8080");
	return 0;
}

static int parse_del_onion(struct pctx *p)
{
	const struct tok *t;
	if (p_need(p, &t, "SERVICE", "a service id (v3 onion address without .onion)") < 0 ||
	    onion_or_fail(p, t, "SERVICE") < 0)
		return -1;
	return p_end(p);
}

/* ONION_CLIENT_AUTH_ADD's key, the one key type tor takes there, and its
 * keyword arguments. */
static const struct arg_word auth_key = {.key = NULL, .values = (const char *const[]){"x25519:", NULL}};
static const struct arg_word auth_client_name = {.key = "ClientName", .values = NULL};
static const struct arg_word auth_flags = {.key = "Flags", .values = (const char *const[]){"Permanent", NULL}};

static int parse_auth_add(struct pctx *p)
{
	char msg[200];
	const struct tok *t;
	if (p_need(p, &t, "ADDRESS", "a v3 onion address") < 0 || onion_or_fail(p, t, "ADDRESS") < 0 ||
	    p_need(p, &t, "KEY", "x25519:<base64 private key>") < 0)
		return -1;
	const char *v = p->line + t->off, *type = auth_key.values[0];
	if (t->quoted || t->len < 8 || strncasecmp(v, type, 7) != 0)
		return p_fail(p, t, "KEY: expected %s<base64 private key>", type);
	if (val_base64(v + 7, t->len - 7, 32, msg, sizeof(msg)) < 0)
		return p_fail(p, t, "KEY: x25519 key: %s", msg);
	char key[64];
	memcpy(key, type, 7);
	memcpy(key + 7, v + 7, t->len - 7 < sizeof(key) - 8 ? t->len - 7 : sizeof(key) - 8);
	if (out_word(p, key, t->len < sizeof(key) - 1 ? t->len : sizeof(key) - 1) < 0)
		return -1;
	while ((t = p_next(p)) != NULL) {
		if (p_key_is(p, t, auth_client_name.key)) {
			/* tor stores longer names but answers twice: refuse them */
			if (t->quoted || t->val_len == 0 || t->val_len > 16 || !val_is_printable(t->val, t->val_len))
				return p_fail(p, t, "ClientName: expected 1-16 printable characters without spaces");
			if (out_kv(p, auth_client_name.key, t->val, t->val_len) < 0)
				return -1;
		} else if (p_key_is(p, t, auth_flags.key)) {
			if (parse_flags(p, t, auth_flags.values, NULL) < 0)
				return -1;
		} else {
			return p_fail(p, t, "expected ClientName=NAME or Flags=Permanent");
		}
	}
	return 0;
}

static int parse_auth_remove(struct pctx *p)
{
	const struct tok *t;
	if (p_need(p, &t, "ADDRESS", "a v3 onion address") < 0 || onion_or_fail(p, t, "ADDRESS") < 0)
		return -1;
	return p_end(p);
}

static int parse_auth_view(struct pctx *p)
{
	const struct tok *t = p_next(p);
	if (t && onion_or_fail(p, t, "ADDRESS") < 0)
		return -1;
	return p_end(p);
}

const struct cmd_def cmd_hsfetch = {
	.name = "HSFETCH", .usage = "ADDRESS [SERVER=RELAY ...]", .since = "0.2.7.1-alpha (v3: 0.4.1.1-alpha)",
	.summary = "fetch an onion service's descriptor; results arrive as HS_DESC / HS_DESC_CONTENT events",
	.help = "ADDRESS is the 56-character v3 address (.onion is dropped). SERVER= picks HSDirs to ask.",
	.example = "HSFETCH 2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid",
	.parse = parse_hsfetch, .hints = {{.kind = HINT_ONION_ID}, {.kind = HINT_ARGS, .args = ARGS(&onion_server)}},
};
const struct cmd_def cmd_add_onion = {
	.name = "ADD_ONION",
	.usage = "KEY [Flags=F,...] [MaxStreams=N] Port=VIRT[,TARGET] ... [ClientAuthV3=KEY ...] "
		 "[PoWDefensesEnabled=0|1] [PoWQueueRate=N] [PoWQueueBurst=N]",
	.since = "0.2.7.1-alpha (v3: 0.3.3.1-alpha; ClientAuthV3: 0.4.6.1-alpha; PoW: 0.4.9.2-alpha)",
	.summary = "create an onion service for this connection (Flags=Detach keeps it after)",
	.help = "KEY: NEW:BEST or NEW:ED25519-V3 (tor returns the new private key unless Flags=DiscardPK), or\n"
		"ED25519-V3:<base64 of the 64-byte expanded key>. Flags: DiscardPK, Detach, V3Auth, NonAnonymous,\n"
		"MaxStreamsCloseCircuit. TARGET: PORT, ADDRESS[:PORT] (the port defaults to VIRT), [IPv6][:PORT] or\n"
		"unix:PATH. ClientAuthV3: base32 x25519 public key of an authorized client (52 characters).\n"
		"RSA1024 and ClientAuth= (v2) are refused: tor 0.4.6 removed v2.",
	.example = "ADD_ONION NEW:ED25519-V3 Flags=Detach Port=80,127.0.0.1:8080",
	.parse = parse_add_onion, .secret = onion_key_secret,
	.hints = {{.kind = HINT_ARGS, .args = ARGS(&onion_key)}, {.kind = HINT_ARGS, .args = ADD_ONION_KEYWORDS}},
};
const struct cmd_def cmd_del_onion = {
	.name = "DEL_ONION", .usage = "SERVICE", .since = "0.2.7.1-alpha",
	.summary = "remove an onion service created by ADD_ONION",
	.help = "SERVICE is the service id ADD_ONION returned (the address without .onion).",
	.example = "DEL_ONION 2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid",
	.parse = parse_del_onion, .hints = {{.kind = HINT_ONION_ID}, {.kind = HINT_NONE}},
};
const struct cmd_def cmd_hspost = {
	.name = "HSPOST", .usage = "[SERVER=RELAY ...] HSADDRESS=ADDRESS [@FILE]",
	.since = "0.2.7.1-alpha (HSADDRESS: 0.3.3.1-alpha)", .flags = CMD_BODY,
	.summary = "upload an onion service descriptor (the body) to HSDirs",
	.help = "HSADDRESS is required: without it tor 0.4.9.11 never replies, so torsh refuses.",
	.example = "+HSPOST HSADDRESS=2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid @desc.txt",
	.parse = parse_hspost, .hints = {{.kind = HINT_ARGS, .args = ARGS(&hspost_address, &onion_server)}},
};
const struct cmd_def cmd_onion_client_auth_add = {
	.name = "ONION_CLIENT_AUTH_ADD", .usage = "ADDRESS x25519:KEY [ClientName=NAME] [Flags=Permanent]",
	.since = "0.4.3.1-alpha", .flags = CMD_SENSITIVE,
	.summary = "add a client authorization key for a v3 onion service",
	.help = "KEY is the base64 x25519 private key. ClientName is at most 16 characters (tor misbehaves\n"
		"with longer ones). Flags=Permanent stores it in ClientOnionAuthDir. Never stored in history.",
	.example = "ONION_CLIENT_AUTH_ADD 2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid x25519:... "
		   "ClientName=laptop",
	.parse = parse_auth_add,
	.hints = {{.kind = HINT_CLIENT_AUTH}, {.kind = HINT_ARGS, .args = ARGS(&auth_key)},
		  {.kind = HINT_ARGS, .args = ARGS(&auth_client_name, &auth_flags)}},
};
const struct cmd_def cmd_onion_client_auth_remove = {
	.name = "ONION_CLIENT_AUTH_REMOVE", .usage = "ADDRESS", .since = "0.4.3.1-alpha",
	.summary = "remove a client authorization key", .help = "",
	.example = "ONION_CLIENT_AUTH_REMOVE 2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid",
	.parse = parse_auth_remove, .hints = {{.kind = HINT_CLIENT_AUTH}, {.kind = HINT_NONE}},
};
const struct cmd_def cmd_onion_client_auth_view = {
	.name = "ONION_CLIENT_AUTH_VIEW", .usage = "[ADDRESS]", .since = "0.4.3.1-alpha",
	.summary = "list client authorization keys (all, or one service's)",
	.help = "The reply contains private keys.", .example = "ONION_CLIENT_AUTH_VIEW",
	.flags = CMD_REPLY_CLIENT, .parse = parse_auth_view, .hints = {{.kind = HINT_CLIENT_AUTH}, {.kind = HINT_NONE}},
};
