/* The one list of commands. Order is the order of /help and the man page. */
#include "cmd.h"

#include <string.h>
#include <strings.h>

#include "enums.h"
#include "local.h"
#include "tokenize.h"

#define X(n) extern const struct cmd_def n;
#define COMMANDS \
	X(cmd_getinfo) X(cmd_getconf) X(cmd_setconf) X(cmd_resetconf) X(cmd_saveconf) X(cmd_loadconf) \
	X(cmd_setevents) X(cmd_signal) X(cmd_mapaddress) X(cmd_resolve) X(cmd_extendcircuit) \
	X(cmd_setcircuitpurpose) X(cmd_closecircuit) X(cmd_attachstream) X(cmd_redirectstream) \
	X(cmd_closestream) X(cmd_postdescriptor) X(cmd_add_onion) X(cmd_del_onion) X(cmd_hsfetch) \
	X(cmd_hspost) X(cmd_onion_client_auth_add) X(cmd_onion_client_auth_remove) \
	X(cmd_onion_client_auth_view) X(cmd_usefeature) X(cmd_protocolinfo) X(cmd_takeownership) \
	X(cmd_dropownership) X(cmd_dropguards) X(cmd_droptimeouts) X(cmd_authenticate) X(cmd_authchallenge) \
	X(cmd_quit) X(cmd_setrouterpurpose) \
	X(cmd_local_help) X(cmd_local_events) X(cmd_local_mute) X(cmd_local_unmute) X(cmd_local_format) \
	X(cmd_local_explain) X(cmd_local_circuits) X(cmd_local_streams) X(cmd_local_reconnect) X(cmd_local_trace) X(cmd_local_scrollback) X(cmd_local_wait) X(cmd_local_onion) X(cmd_local_raw) X(cmd_local_quit)
COMMANDS
#undef X

#define X(n) &n,
const struct cmd_def *const cmd_table[] = {COMMANDS};
#undef X
const size_t cmd_table_len = sizeof(cmd_table) / sizeof(cmd_table[0]);

/* Whether a token is KEY=... or a bare KEY (tor reads both as the keyword). */
static bool tok_is_key(const char *line, const struct tok *t, const char *key)
{
	size_t n = strlen(key), klen = t->has_eq ? t->key_len : t->len;
	return klen == n && strncasecmp(line + t->off, key, n) == 0;
}

static bool has_key(const char *line, const struct toklist *toks, const char *key)
{
	for (size_t i = 1; i < toks->n; i++)
		if (tok_is_key(line, &toks->v[i], key))
			return true;
	return false;
}

static bool no_arguments(const char *line, const struct toklist *toks)
{
	(void)line;
	return toks->n == 1;
}

static bool v2_client_auth(const char *line, const struct toklist *toks)
{
	return has_key(line, toks, "ClientAuth");
}

static bool no_hsaddress(const char *line, const struct toklist *toks)
{
	return !has_key(line, toks, "HSADDRESS");
}

static bool long_client_name(const char *line, const struct toklist *toks)
{
	for (size_t i = 1; i < toks->n; i++)
		if (toks->v[i].has_eq && tok_is_key(line, &toks->v[i], "ClientName") && toks->v[i].val_len > 16)
			return true;
	return false;
}

/* EXTENDCIRCUIT 0 with purpose= other than general and no path: tor
 * reads a bare word after the circuit id as the path, so none means no
 * word without '=' after it. */
static bool purpose_without_path(const char *line, const struct toklist *toks)
{
	if (toks->n < 2 || toks->v[1].has_eq || toks->v[1].len != 1 || line[toks->v[1].off] != '0')
		return false;
	bool purpose = false;
	for (size_t i = 2; i < toks->n; i++) {
		const struct tok *t = &toks->v[i];
		if (!t->has_eq)
			return false;
		if (tok_is_key(line, t, "purpose"))
			purpose = purpose || !(t->val_len == 7 && strncasecmp(t->val, "general", 7) == 0);
	}
	return purpose;
}

/* tor 0.4.9.11, checked against a live tor (control-protocol.md §1.5).
 * Not here, since torsh cannot tell: HSFETCH SERVER= naming a relay tor
 * knows only from +POSTDESCRIPTOR (an assertion in hs_client.c kills tor). */
const struct raw_hazard raw_hazards[] = {
	{&cmd_setcircuitpurpose, no_arguments, "SETCIRCUITPURPOSE without a circuit id crashes tor (SIGSEGV)"},
	{&cmd_extendcircuit, purpose_without_path,
	 "EXTENDCIRCUIT 0 purpose=controller without a path is answered 551, and an existing GENERAL circuit "
	 "still becomes a CONTROLLER one: give the path (RELAY[,RELAY...])"},
	{&cmd_add_onion, v2_client_auth, "ADD_ONION with ClientAuth= (v2 client authorization) never gets a reply"},
	{&cmd_hspost, no_hsaddress, "+HSPOST without HSADDRESS= never gets a reply"},
	{&cmd_onion_client_auth_add, long_client_name,
	 "ONION_CLIENT_AUTH_ADD with a ClientName over 16 characters gets two replies, the second taken for the "
	 "next command's"},
};
const size_t raw_hazards_len = sizeof(raw_hazards) / sizeof(raw_hazards[0]);

const struct cmd_def cmd_local_help = {
	.name = "/help", .usage = "[COMMAND]", .flags = CMD_LOCAL | CMD_OFFLINE | CMD_DURING_WAIT | CMD_NO_TOR, .exec = exec_help,
	.summary = "list commands, or show one command's usage, arguments and an example",
	.help = "", .example = "/help ADD_ONION", .hints = {{.kind = HINT_COMMAND}, {.kind = HINT_NONE}},
};
const struct cmd_def cmd_local_raw = {
	.name = "/raw", .usage = "LINE", .flags = CMD_LOCAL | CMD_RAW_LINE, .exec = exec_raw, .check = check_raw,
	.summary = "send LINE as typed, unchecked (for commands newer than torsh); CR, LF, NUL still refused",
	.help = "A LINE starting with + takes a body, as +LOADCONF does, and is refused without one (tor would\n"
		"read the commands that follow as its body); so is a lone '.', the line that ends a body. Also\n"
		"refused, as they crash or wedge tor 0.4.9.11: SETCIRCUITPURPOSE without arguments (crash),\n"
		"ADD_ONION with ClientAuth= and +HSPOST without HSADDRESS= (no reply ever), ONION_CLIENT_AUTH_ADD\n"
		"with a ClientName over 16 characters (two replies), EXTENDCIRCUIT 0 purpose=controller without a\n"
		"path (551, yet an existing circuit changes purpose). The line is as secret as the command it\n"
		"sends: kept out of history the same way.",
	.example = "/raw GETINFO version",
};
const struct cmd_def cmd_local_quit = {
	.name = "/quit", .usage = "", .flags = CMD_LOCAL | CMD_OFFLINE, .exec = exec_quit,
	.summary = "leave torsh (sends QUIT)", .help = "", .example = "/quit",
};
const struct cmd_def cmd_local_events = {
	.name = "/events", .usage = "[list | clear | +TYPE | -TYPE | TYPE ...]", .flags = CMD_LOCAL | CMD_SHELL_ONLY, .exec = exec_events,
	.summary = "add or remove event subscriptions (SETEVENTS replaces the whole set; torsh keeps track)",
	.help = "Without arguments or with list: the current set (and what is muted). TYPE or +TYPE adds,\n"
		"-TYPE removes, clear empties the set; torsh then sends one SETEVENTS with the result.",
	.example = "/events +CIRC +STREAM -BW", .hints = {{.kind = HINT_EVENT}},
};
const struct cmd_def cmd_local_mute = {
	.name = "/mute", .usage = "TYPE ...", .flags = CMD_LOCAL | CMD_SHELL_ONLY | CMD_OFFLINE, .exec = exec_mute,
	.said = (const char *const[]){"*", "no longer shown, still subscribed (/unmute shows them again)", NULL},
	.summary = "stop showing events of a type (still subscribed; /unmute shows them again)",
	.help = "", .example = "/mute BW", .hints = {{.kind = HINT_EVENT}},
};
const struct cmd_def cmd_local_unmute = {
	.name = "/unmute", .usage = "TYPE ...", .flags = CMD_LOCAL | CMD_SHELL_ONLY | CMD_OFFLINE, .exec = exec_unmute,
	.said = (const char *const[]){"*", "shown again", NULL},
	.summary = "show events of a muted type again",
	.help = "", .example = "/unmute BW", .hints = {{.kind = HINT_EVENT}},
};
const struct cmd_def cmd_local_format = {
	.name = "/format", .usage = "[pretty | raw | json]", .flags = CMD_LOCAL | CMD_SHELL_ONLY | CMD_OFFLINE, .exec = exec_format,
	.said = (const char *const[]){"pretty", "replies and events aligned, coloured on a terminal, enum names shown",
				      "raw", "replies and events as tor sent them (escaped)",
				      "json", "one JSON object per reply and per event", NULL},
	.summary = "switch the output mode (as --pretty, --raw, --json); alone, show it",
	.help = "", .example = "/format json", .hints = {{.kind = HINT_WORDS, .words = "pretty raw json"}, {.kind = HINT_NONE}},
};
const struct cmd_def cmd_local_explain = {
	.name = "/explain", .usage = "[on | off]", .flags = CMD_LOCAL | CMD_SHELL_ONLY | CMD_OFFLINE, .exec = exec_explain,
	.said = (const char *const[]){"on", "enum values are followed by their description (pretty format)",
				      "off", "enum values without their description", NULL},
	.summary = "follow enum values with their description in pretty mode (as --explain)",
	.help = "", .example = "/explain on", .hints = {{.kind = HINT_WORDS, .words = "on off"}, {.kind = HINT_NONE}},
};
/* its filter words are the hint's: "hs" and the CircPurpose values */
const struct cmd_def cmd_local_circuits = {
	.name = "/circuits", .usage = "[hs | PURPOSE]", .flags = CMD_LOCAL | CMD_SHELL_ONLY, .exec = exec_circuits,
	.summary = "table of tor's circuits: id, status, purpose, HS_STATE, REND_QUERY, path (GETINFO circuit-status)",
	.help = "hs: only onion service circuits (those with an HS_STATE or an HS_ purpose); PURPOSE (any\n"
		"circuit purpose, e.g. HS_CLIENT_REND, case-insensitive): only circuits with that purpose.\n"
		"Asks tor for circuit-status each time; the path is shown as nicknames.",
	.example = "/circuits HS_CLIENT_REND",
	.hints = {{.kind = HINT_ENUM, .words = "hs", .table = &enum_tables[ET_CIRC_PURPOSE]}, {.kind = HINT_NONE}},
};
const struct cmd_def cmd_local_streams = {
	.name = "/streams", .usage = "", .flags = CMD_LOCAL | CMD_SHELL_ONLY, .exec = exec_streams,
	.summary = "table of tor's streams: id, status, circuit, target (from GETINFO stream-status)",
	.help = "", .example = "/streams",
};
const struct cmd_def cmd_local_reconnect = {
	.name = "/reconnect", .usage = "", .flags = CMD_LOCAL | CMD_SHELL_ONLY | CMD_OFFLINE | CMD_DURING_WAIT, .exec = exec_reconnect,
	.summary = "connect and authenticate again now (after a lost connection torsh also retries by itself)",
	.help = "Events subscribed before are subscribed again. Not for a tor started by --launch.",
	.example = "/reconnect",
};
const struct cmd_def cmd_local_trace = {
	.name = "/trace", .usage = "[on | off]", .flags = CMD_LOCAL | CMD_SHELL_ONLY | CMD_OFFLINE | CMD_DURING_WAIT, .exec = exec_trace,
	.said = (const char *const[]){"on", "commands and replies are printed with > and <",
				      "off", "commands and replies are no longer printed", NULL},
	.summary = "show every line sent (>) and received (<), timestamped, secrets replaced by [redacted]",
	.help = "Redacted by the rule that keeps lines out of history: AUTHENTICATE secrets, SAFECOOKIE hashes\n"
		"and nonces, private keys (ADD_ONION, client authorization), and the values of credential\n"
		"options (HashedControlPassword, Socks5ProxyUsername/Password, HTTP(S)ProxyAuthenticator,\n"
		"BridgePassword) in SETCONF/RESETCONF, +LOADCONF bodies, GETCONF replies, config-text and\n"
		"CONF_CHANGED events. Control characters are escaped.",
	.example = "/trace on", .hints = {{.kind = HINT_WORDS, .words = "on off"}, {.kind = HINT_NONE}},
};
const struct cmd_def cmd_local_scrollback = {
	.name = "/scrollback", .usage = "[N]", .flags = CMD_LOCAL | CMD_SHELL_ONLY | CMD_OFFLINE | CMD_DURING_WAIT, .exec = exec_scrollback,
	.summary = "the last N events (default 20, up to 1000), including those a flood summary held back",
	.help = "Shown in the current output mode (pretty with the time each came, JSON, raw).\n"
		"Past 50 events of one type in a second the rest of that type are not printed but summarised\n"
		"once the second is over (\"... 4,211 BW events in the last second\"). Each type has its own\n"
		"budget: a BW or CIRC flood never hides an HS_DESC or a WARN.",
	.example = "/scrollback 100",
};
const struct cmd_def cmd_local_wait = {
	.name = "/wait", .usage = "EVENT [FIELD=VALUE ...] [--timeout S]", .flags = CMD_LOCAL, .exec = exec_wait, .check = check_wait,
	.summary = "hold the next command until such an event arrives (default timeout 30 s; scripts too)",
	.help = "FIELD is a schema name (Status, CircID, Signal...) or a keyword (PURPOSE, REASON...);\n"
		"names and enum values match case-insensitively. The event must be subscribed (SETEVENTS).\n"
		"One that arrived since the previous command was sent counts (each event ends one /wait).\n"
		"At the prompt, commands typed during the wait are held and sent, in order, after the\n"
		"event; a timeout or Ctrl-C drops them (Up recalls them). In a script a timeout is an\n"
		"error (exit 1) and nothing after it is sent.",
	.example = "/wait SIGNAL Signal=NEWNYM --timeout 5", .hints = {{.kind = HINT_EVENT}, {.kind = HINT_EVENT_FIELD}},
};
