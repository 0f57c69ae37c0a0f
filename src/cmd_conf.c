/* Configuration, information, events, signals and connection-level
 * commands. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cmdparse.h"
#include "enums.h"
#include "argval.h"
#include "secret.h"

/* Values tor would take apart unquoted are sent C-quoted (digest 1.8). */
static bool needs_quotes(const char *v, size_t n)
{
	if (n == 0)
		return true;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '#' || c == '\'')
			return true;
	}
	return false;
}

/* A credential option (secret.c's list) is kept out of history even when
 * the line around it is mistyped: any OPTION or OPTION=... naming one. */
static size_t conf_secret(const char *line, size_t len)
{
	size_t pos = 0, off, n;
	(void)secret_word(line, len, &pos, &off, &n); /* the command word */
	return secret_conf_words(line, len, pos);
}

static int parse_conf_assign(struct pctx *p, bool need_one)
{
	const struct tok *t;
	if (need_one && p_peek(p) == NULL)
		return p_fail(p, NULL, "missing OPTION: expected OPTION or OPTION=VALUE");
	while ((t = p_next(p)) != NULL) {
		char key[128], shown[80];
		size_t klen = t->has_eq ? t->key_len : t->len;
		if (t->quoted && !t->has_eq)
			return p_fail(p, t, "OPTION: expected a configuration option name, got a quoted string");
		if (klen == 0 || klen >= sizeof(key) || !val_is_name(p->line + t->off, klen)) {
			p_show(p, t, shown, sizeof(shown));
			return p_fail(p, t, "OPTION: expected a configuration option name (letters, digits, '_'), got '%s'",
				      shown);
		}
		memcpy(key, p->line + t->off, klen);
		key[klen] = '\0';
		if (!t->has_eq) {
			if (out_key(p, key) < 0)
				return -1;
			continue;
		}
		if (t->has_nul)
			return p_fail(p, t, "%s: a NUL byte cannot be stored in a tor option", key);
		int rc = needs_quotes(t->val, t->val_len) ? out_kv_cquoted(p, key, t->val, t->val_len)
							  : out_kv(p, key, t->val, t->val_len);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int parse_setconf(struct pctx *p)
{
	return parse_conf_assign(p, true);
}

static int parse_names(struct pctx *p, const char *name, const char *what, bool need_one)
{
	const struct tok *t;
	if (need_one && p_peek(p) == NULL)
		return p_fail(p, NULL, "missing %s: expected %s", name, what);
	while ((t = p_next(p)) != NULL)
		if (arg_name(p, t, name, what) < 0)
			return -1;
	return 0;
}

static int parse_getconf(struct pctx *p)
{
	return parse_names(p, "OPTION", "a configuration option name", true);
}

static int parse_getinfo(struct pctx *p)
{
	const struct tok *t;
	if (p_peek(p) == NULL)
		return p_fail(p, NULL, "missing KEY: expected a GETINFO key such as version (GETINFO info/names lists them)");
	while ((t = p_next(p)) != NULL) {
		if (t->has_eq && t->val_len > 0 && !t->quoted) {
			/* keys like ns/name/x can't hold '=', but tor's error is clearer */
		}
		if (arg_plain(p, t, "KEY", "a GETINFO key (printable, no spaces or quotes)") < 0)
			return -1;
	}
	return 0;
}

static int parse_setevents(struct pctx *p)
{
	const struct tok *t;
	while ((t = p_next(p)) != NULL) {
		if (!t->has_eq && !t->quoted && t->val_len == 8 && strncasecmp(t->val, "EXTENDED", 8) == 0) {
			/* accepted for old scripts; tor ignores it since 0.2.2 */
			if (out_word(p, "EXTENDED", 8) < 0)
				return -1;
			continue;
		}
		/* listed by events/names, but tor's SETEVENTS table lacks them */
		bool pt = (t->val_len == 6 && strncasecmp(t->val, "PT_LOG", 6) == 0) ||
			  (t->val_len == 9 && strncasecmp(t->val, "PT_STATUS", 9) == 0);
		if (pt && !t->has_eq && !t->quoted)
			return p_fail(p, t, "EVENT: tor lists %.*s in events/names but cannot subscribe to it",
				      (int)t->val_len, t->val);
		if (arg_event(p, t, "EVENT") < 0)
			return -1;
	}
	return 0;
}

static const struct arg_word saveconf_force = {.key = NULL, .values = (const char *const[]){"FORCE", NULL}};

static int parse_saveconf(struct pctx *p)
{
	const struct tok *t = p_next(p);
	if (t && arg_choice(p, t, "FORCE", saveconf_force.values, true) < 0)
		return -1;
	if (t)
		p->out->dangerous = true;
	return p_end(p);
}

static int parse_signal(struct pctx *p)
{
	const struct enum_table *signals = ENUM_TABLE(ET_SIGNAL);
	const struct tok *t;
	if (p_need(p, &t, "SIGNAL", "a signal name such as NEWNYM or RELOAD") < 0 ||
	    arg_enum(p, t, "SIGNAL", signals) < 0)
		return -1;
	const struct enum_value *v = enum_lookup(signals, p->out->items[0].val);
	if (v && (v->flags & ENUM_STOPS_TOR))
		p->out->dangerous = true;
	return p_end(p);
}

/* An address for MAPADDRESS/RESOLVE: a host name, IPv4/IPv6 address or '.'. */
static int check_host(struct pctx *p, const struct tok *t, const char *name, const char *v, size_t n)
{
	char shown[80];
	if (n == 0 || !val_is_printable(v, n) || memchr(v, '"', n) || memchr(v, '\'', n)) {
		p_show(p, t, shown, sizeof(shown));
		return p_fail(p, t, "%s: expected a host name or address, got '%s'", name, shown);
	}
	return 0;
}

static int parse_mapaddress(struct pctx *p)
{
	const struct tok *t;
	if (p_peek(p) == NULL)
		return p_fail(p, NULL, "missing FROM=TO: expected an address mapping such as 1.2.3.4=torproject.org");
	while ((t = p_next(p)) != NULL) {
		char key[256];
		if (!t->has_eq || t->quoted || t->key_len == 0 || t->key_len >= sizeof(key)) {
			char shown[80];
			p_show(p, t, shown, sizeof(shown));
			return p_fail(p, t, "FROM=TO: expected an address mapping such as 1.2.3.4=torproject.org, got '%s'",
				      shown);
		}
		p_key(p, t, key, sizeof(key));
		if (check_host(p, t, "FROM", key, t->key_len) < 0 || check_host(p, t, "TO", t->val, t->val_len) < 0 ||
		    out_kv(p, key, t->val, t->val_len) < 0)
			return -1;
	}
	return 0;
}

static int parse_usefeature(struct pctx *p)
{
	return parse_names(p, "FEATURE", "a feature name such as VERBOSE_NAMES", true);
}

static const struct arg_word resolve_mode = {.key = "mode", .values = (const char *const[]){"reverse", NULL}};

static int parse_resolve(struct pctx *p)
{
	const struct tok *t;
	bool any = false;
	char modes[40];
	words_or(resolve_mode.values, "mode=", modes, sizeof(modes));
	while ((t = p_next(p)) != NULL) {
		if (p_key_is(p, t, resolve_mode.key)) {
			const char *v = arg_value(t, &resolve_mode);
			if (v == NULL)
				return p_fail(p, t, "mode: expected %s", modes);
			if (out_kv(p, resolve_mode.key, v, strlen(v)) < 0)
				return -1;
			continue;
		}
		if (t->has_eq || t->quoted)
			return p_fail(p, t, "ADDRESS: expected a host name or address (or %s)", modes);
		if (check_host(p, t, "ADDRESS", t->val, t->val_len) < 0 || out_word(p, t->val, t->val_len) < 0)
			return -1;
		any = true;
	}
	if (!any)
		return p_fail(p, NULL, "missing ADDRESS: expected a host name to resolve");
	return 0;
}

static int parse_protocolinfo(struct pctx *p)
{
	const struct tok *t = p_next(p);
	if (t && arg_id(p, t, "VERSION", false, NULL) < 0)
		return -1;
	return p_end(p);
}

static int parse_none(struct pctx *p)
{
	return p_end(p);
}

static int parse_dangerous_none(struct pctx *p)
{
	p->out->dangerous = true;
	return p_end(p);
}

static int parse_loadconf(struct pctx *p)
{
	p->out->dangerous = true;
	const struct tok *t = p_next(p);
	if (t && t->val_len > 1 && t->val[0] == '@' && !t->quoted && !t->has_eq) {
		p->out->body_file = strndup(t->val + 1, t->val_len - 1);
		return p_end(p);
	}
	if (t) {
		char shown[80];
		p_show(p, t, shown, sizeof(shown));
		return p_fail(p, t, "unexpected argument '%s': +LOADCONF takes its configuration as a body "
			      "(the lines that follow, up to '.') or @FILE", shown);
	}
	return 0;
}

/* Secrets go as hex: no quoting rules to get wrong (digest 2.3). */
static int parse_authenticate(struct pctx *p)
{
	const struct tok *t = p_next(p);
	if (t == NULL)
		return 0;
	if (t->has_eq)
		return p_fail(p, t, "SECRET: expected a \"quoted password\" or hex digits, not KEY=VALUE");
	if (!t->quoted) {
		if (!val_is_hex(t->val, t->val_len) || t->val_len % 2)
			return p_fail(p, t, "SECRET: expected an even number of hex digits; put a password in double quotes");
		if (out_word(p, t->val, t->val_len) < 0)
			return -1;
	} else if (out_hex(p, t->val, t->val_len) < 0) {
		return -1;
	}
	return p_end(p);
}

static const struct arg_word authchallenge_method = {.key = NULL, .values = (const char *const[]){"SAFECOOKIE", NULL}};

static int parse_authchallenge(struct pctx *p)
{
	const struct tok *t;
	char methods[40];
	words_or(authchallenge_method.values, NULL, methods, sizeof(methods));
	if (p_need(p, &t, "METHOD", methods) < 0 ||
	    arg_choice(p, t, "METHOD", authchallenge_method.values, true) < 0 ||
	    p_need(p, &t, "NONCE", "a client nonce in hex or \"quoted\"") < 0)
		return -1;
	/* tor answers 513 to any nonce but 32 bytes */
	if (t->quoted) {
		if (t->val_len != 32)
			return p_fail(p, t, "NONCE: expected 32 bytes, got %zu", t->val_len);
		if (out_hex(p, t->val, t->val_len) < 0)
			return -1;
	} else if (!val_is_hex(t->val, t->val_len) || t->val_len != 64) {
		return p_fail(p, t, "NONCE: expected 64 hex digits (32 bytes)");
	} else if (out_word(p, t->val, t->val_len) < 0) {
		return -1;
	}
	return p_end(p);
}

const struct cmd_def cmd_setconf = {
	.name = "SETCONF", .usage = "OPTION[=VALUE] ...", .since = "0.1.1.1-alpha",
	.summary = "change configuration options (OPTION alone resets it to its default)",
	.help = "Values that are empty or hold spaces, quotes, '#', '\\' or non-ASCII bytes are sent C-quoted;\n"
		"type them as OPTION=\"value\" with C escapes (\\n \\t \\\" \\\\ \\xHH). Several options are set atomically.",
	.example = "SETCONF ContactInfo=\"admin at example dot org\" MaxCircuitDirtiness=600",
	.parse = parse_setconf, .secret = conf_secret, .hints = {{.kind = HINT_CONF_SET}},
};
const struct cmd_def cmd_resetconf = {
	.name = "RESETCONF", .usage = "OPTION[=VALUE] ...", .since = "0.1.1.1-alpha",
	.summary = "set options, resetting those given without a value to their defaults",
	.help = "Like SETCONF, but OPTION without '=' returns to its default value.",
	.example = "RESETCONF ContactInfo", .parse = parse_setconf, .secret = conf_secret,
	.hints = {{.kind = HINT_CONF_SET}},
};
const struct cmd_def cmd_getconf = {
	.name = "GETCONF", .usage = "OPTION ...", .since = "0.1.1.1-alpha",
	.summary = "show configuration values",
	.help = "One line per value; options set several times appear several times. An unknown option makes\n"
		"tor answer only 552 for the whole command.",
	.flags = CMD_REPLY_KEYS,
	.example = "GETCONF SocksPort ControlPort", .parse = parse_getconf, .hints = {{.kind = HINT_CONF_KEY}},
};
const struct cmd_def cmd_getinfo = {
	.name = "GETINFO", .usage = "KEY ...", .since = "0.1.1.1-alpha",
	.summary = "ask tor for information (GETINFO info/names lists the keys)",
	.help = "Values come as KEY=VALUE or, when they hold newlines, as a data block. An unknown key makes\n"
		"tor answer only 552 for the whole command.",
	.example = "GETINFO version circuit-status", .parse = parse_getinfo, .hints = {{.kind = HINT_INFO_KEY}},
	.flags = CMD_REPLY_VALUES,
};
const struct cmd_def cmd_setevents = {
	.name = "SETEVENTS", .usage = "[EVENT ...]", .since = "0.1.1.1-alpha",
	.summary = "subscribe to asynchronous events (replaces the set; none clears it)",
	.help = "EVENT is one of GETINFO events/names (CIRC, STREAM, BW, NOTICE, HS_DESC, ...). The optional word\n"
		"EXTENDED is accepted and ignored, as by tor.",
	.flags = CMD_SETS_EVENTS,
	.example = "SETEVENTS CIRC STREAM HS_DESC", .parse = parse_setevents, .hints = {{.kind = HINT_EVENT}},
};
const struct cmd_def cmd_saveconf = {
	.name = "SAVECONF", .usage = "[FORCE]", .since = "0.1.1.1-alpha (FORCE: 0.3.1.1-alpha)",
	.summary = "write the running configuration to the torrc",
	.help = "FORCE writes even when the torrc has %include lines that would be lost.",
	.example = "SAVECONF", .parse = parse_saveconf, .hints = {{.kind = HINT_ARGS, .args = ARGS(&saveconf_force)}},
};
const struct cmd_def cmd_signal = {
	.name = "SIGNAL", .usage = "NAME", .since = "0.1.1.1-alpha",
	.summary = "send tor a signal: NEWNYM, RELOAD, HEARTBEAT, CLEARDNSCACHE, DORMANT, ACTIVE, ...",
	.help = "Names: RELOAD (HUP), SHUTDOWN, DUMP (USR1), DEBUG (USR2), HALT (TERM), CLEARDNSCACHE, NEWNYM,\n"
		"HEARTBEAT, DORMANT, ACTIVE. In tor 0.4.9, INT acts as HALT (immediate exit), not SHUTDOWN.\n"
		"SHUTDOWN, HALT, INT and TERM stop tor and ask for confirmation on a terminal.",
	.example = "SIGNAL NEWNYM", .parse = parse_signal,
	.hints = {{.kind = HINT_ENUM, .table = ENUM_TABLE(ET_SIGNAL)}, {.kind = HINT_NONE}},
};
const struct cmd_def cmd_mapaddress = {
	.name = "MAPADDRESS", .usage = "FROM=TO ...", .since = "0.1.1.1-alpha",
	.summary = "map addresses for SOCKS requests (FROM 0.0.0.0, ::0 or . picks a virtual address)",
	.help = "Each pair is answered on its own line; some may succeed while others fail.",
	.example = "MAPADDRESS 0.0.0.0=torproject.org", .parse = parse_mapaddress,
};
const struct cmd_def cmd_usefeature = {
	.name = "USEFEATURE", .usage = "FEATURE ...", .since = "0.1.2.3-alpha",
	.summary = "enable protocol features (EXTENDED_EVENTS, VERBOSE_NAMES: always on in modern tor)",
	.help = "Kept for old controllers; both known features are permanently enabled.",
	.example = "USEFEATURE VERBOSE_NAMES", .parse = parse_usefeature, .hints = {{.kind = HINT_FEATURE}},
};
const struct cmd_def cmd_resolve = {
	.name = "RESOLVE", .usage = "[mode=reverse] ADDRESS ...", .since = "0.2.0.3-alpha",
	.summary = "resolve host names through tor; answers arrive as ADDRMAP events",
	.help = "mode=reverse looks up the names of IPv4 addresses. Subscribe to ADDRMAP to see results.",
	.example = "RESOLVE torproject.org", .parse = parse_resolve,
	.hints = {{.kind = HINT_ARGS, .args = ARGS(&resolve_mode)}},
};
const struct cmd_def cmd_protocolinfo = {
	.name = "PROTOCOLINFO", .usage = "[VERSION]", .since = "0.2.0.5-alpha",
	.summary = "show the authentication methods, cookie file and tor version",
	.help = "torsh sends it itself before authenticating; afterwards it may be repeated freely.",
	.example = "PROTOCOLINFO 1", .parse = parse_protocolinfo,
};
const struct cmd_def cmd_loadconf = {
	.name = "LOADCONF", .usage = "[@FILE]", .since = "0.2.1.1-alpha", .flags = CMD_BODY | CMD_DANGEROUS,
	.summary = "replace the whole configuration with a torrc given as the body",
	.help = "Type +LOADCONF (the + is optional), then the torrc lines, then a line '.'. Or +LOADCONF @FILE\n"
		"reads the body from FILE (a regular file), where a line '.' is data. Options not in the body return to defaults.",
	.example = "+LOADCONF @/etc/tor/torrc.new", .parse = parse_loadconf, .hints = {{.kind = HINT_FILE}},
};
const struct cmd_def cmd_takeownership = {
	.name = "TAKEOWNERSHIP", .flags = CMD_DANGEROUS, .since = "0.2.2.28-beta", .usage = "",
	.summary = "make tor exit when this control connection closes",
	.help = "torsh --launch does this for the tor it starts.", .example = "TAKEOWNERSHIP",
	.parse = parse_dangerous_none,
};
const struct cmd_def cmd_dropownership = {
	.name = "DROPOWNERSHIP", .since = "0.4.0.1-alpha", .usage = "",
	.summary = "undo TAKEOWNERSHIP: tor keeps running when this connection closes",
	.help = "", .example = "DROPOWNERSHIP", .parse = parse_none,
};
const struct cmd_def cmd_dropguards = {
	.name = "DROPGUARDS", .flags = CMD_DANGEROUS, .since = "0.2.5.2-alpha", .usage = "",
	.summary = "forget all entry guards (weakens anonymity: use with care)",
	.help = "", .example = "DROPGUARDS", .parse = parse_dangerous_none,
};
const struct cmd_def cmd_droptimeouts = {
	.name = "DROPTIMEOUTS", .flags = CMD_DANGEROUS, .since = "0.4.5.1-alpha", .usage = "",
	.summary = "forget circuit build times and reset the build timeout",
	.help = "A BUILDTIMEOUT_SET RESET event follows.", .example = "DROPTIMEOUTS",
	.parse = parse_dangerous_none,
};
const struct cmd_def cmd_quit = {
	.name = "QUIT", .since = "0.1.1.1-alpha", .usage = "",
	.summary = "close the connection (tor answers first)", .help = "", .example = "QUIT",
	.flags = CMD_CLOSES, .parse = parse_none,
};
const struct cmd_def cmd_authenticate = {
	.name = "AUTHENTICATE", .usage = "[\"PASSWORD\" | HEX]", .since = "0.1.1.1-alpha",
	.flags = CMD_SENSITIVE | CMD_PREAUTH | CMD_QSTRING,
	.summary = "authenticate (torsh does this itself; a failure closes the connection)",
	.help = "A quoted password is sent as hex. Never stored in history.", .example = "AUTHENTICATE \"secret\"",
	.parse = parse_authenticate,
};
const struct cmd_def cmd_authchallenge = {
	.name = "AUTHCHALLENGE", .usage = "SAFECOOKIE NONCE", .since = "0.2.3.13-alpha",
	.flags = CMD_PREAUTH | CMD_QSTRING,
	.summary = "start SAFECOOKIE authentication (torsh does this itself)",
	.help = "Only meaningful before AUTHENTICATE.", .example = "AUTHCHALLENGE SAFECOOKIE 5A0C1F2E3D4B5A6978877665544332211FFEEDDCCBBAA9988776655443322110",
	.parse = parse_authchallenge,
	.hints = {{.kind = HINT_ARGS, .args = ARGS(&authchallenge_method)}, {.kind = HINT_NONE}},
};
