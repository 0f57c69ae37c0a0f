/* The one list of commands. Order is the order of /help and the man page. */
#include "cmd.h"

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
	X(cmd_local_explain) X(cmd_local_circuits) X(cmd_local_streams) X(cmd_local_reconnect) X(cmd_local_trace) X(cmd_local_scrollback) X(cmd_local_wait) X(cmd_local_raw) X(cmd_local_quit)
COMMANDS
#undef X

#define X(n) &n,
const struct cmd_def *const cmd_table[] = {COMMANDS};
#undef X
const size_t cmd_table_len = sizeof(cmd_table) / sizeof(cmd_table[0]);

const struct cmd_def cmd_local_help = {
	.name = "/help", .usage = "[COMMAND]", .flags = CMD_LOCAL | CMD_OFFLINE | CMD_DURING_WAIT, .local = LC_HELP,
	.summary = "list commands, or show one command's usage, arguments and an example",
	.help = "", .example = "/help ADD_ONION", .hints = {{HINT_COMMAND, NULL}, {HINT_NONE, NULL}},
};
const struct cmd_def cmd_local_raw = {
	.name = "/raw", .usage = "LINE", .flags = CMD_LOCAL, .local = LC_RAW,
	.summary = "send LINE as typed, unchecked (for commands newer than torsh); CR, LF, NUL still refused",
	.help = "A LINE starting with + takes a body, as +LOADCONF does, and is refused without one (tor would\n"
		"read the commands that follow as its body); so is a lone '.', the line that ends a body.",
	.example = "/raw GETINFO version",
};
const struct cmd_def cmd_local_quit = {
	.name = "/quit", .usage = "", .flags = CMD_LOCAL | CMD_OFFLINE, .local = LC_QUIT,
	.summary = "leave torsh (sends QUIT)", .help = "", .example = "/quit",
};
const struct cmd_def cmd_local_events = {
	.name = "/events", .usage = "[list | clear | +TYPE | -TYPE | TYPE ...]", .flags = CMD_LOCAL | CMD_SHELL_ONLY, .local = LC_EVENTS,
	.summary = "add or remove event subscriptions (SETEVENTS replaces the whole set; torsh keeps track)",
	.help = "Without arguments or with list: the current set (and what is muted). TYPE or +TYPE adds,\n"
		"-TYPE removes, clear empties the set; torsh then sends one SETEVENTS with the result.",
	.example = "/events +CIRC +STREAM -BW", .hints = {{HINT_EVENT, NULL}},
};
const struct cmd_def cmd_local_mute = {
	.name = "/mute", .usage = "TYPE ...", .flags = CMD_LOCAL | CMD_SHELL_ONLY | CMD_OFFLINE, .local = LC_MUTE,
	.summary = "stop showing events of a type (still subscribed; /unmute shows them again)",
	.help = "", .example = "/mute BW", .hints = {{HINT_EVENT, NULL}},
};
const struct cmd_def cmd_local_unmute = {
	.name = "/unmute", .usage = "TYPE ...", .flags = CMD_LOCAL | CMD_SHELL_ONLY | CMD_OFFLINE, .local = LC_UNMUTE,
	.summary = "show events of a muted type again",
	.help = "", .example = "/unmute BW", .hints = {{HINT_EVENT, NULL}},
};
const struct cmd_def cmd_local_format = {
	.name = "/format", .usage = "[pretty | raw | json]", .flags = CMD_LOCAL | CMD_SHELL_ONLY | CMD_OFFLINE, .local = LC_FORMAT,
	.summary = "switch the output mode (as --pretty, --raw, --json); alone, show it",
	.help = "", .example = "/format json", .hints = {{HINT_WORDS, "pretty raw json"}, {HINT_NONE, NULL}},
};
const struct cmd_def cmd_local_explain = {
	.name = "/explain", .usage = "[on | off]", .flags = CMD_LOCAL | CMD_SHELL_ONLY | CMD_OFFLINE, .local = LC_EXPLAIN,
	.summary = "follow enum values with their description in pretty mode (as --explain)",
	.help = "", .example = "/explain on", .hints = {{HINT_WORDS, "on off"}, {HINT_NONE, NULL}},
};
const struct cmd_def cmd_local_circuits = {
	.name = "/circuits", .usage = "", .flags = CMD_LOCAL | CMD_SHELL_ONLY, .local = LC_CIRCUITS,
	.summary = "table of tor's circuits: id, status, purpose, path (from GETINFO circuit-status)",
	.help = "", .example = "/circuits",
};
const struct cmd_def cmd_local_streams = {
	.name = "/streams", .usage = "", .flags = CMD_LOCAL | CMD_SHELL_ONLY, .local = LC_STREAMS,
	.summary = "table of tor's streams: id, status, circuit, target (from GETINFO stream-status)",
	.help = "", .example = "/streams",
};
const struct cmd_def cmd_local_reconnect = {
	.name = "/reconnect", .usage = "", .flags = CMD_LOCAL | CMD_SHELL_ONLY | CMD_OFFLINE | CMD_DURING_WAIT, .local = LC_RECONNECT,
	.summary = "connect and authenticate again now (after a lost connection torsh also retries by itself)",
	.help = "Events subscribed before are subscribed again. Not for a tor started by --launch.",
	.example = "/reconnect",
};
const struct cmd_def cmd_local_trace = {
	.name = "/trace", .usage = "[on | off]", .flags = CMD_LOCAL | CMD_SHELL_ONLY | CMD_OFFLINE | CMD_DURING_WAIT, .local = LC_TRACE,
	.summary = "show every line sent (>) and received (<), timestamped, secrets replaced by [redacted]",
	.help = "Redacted: AUTHENTICATE secrets, SAFECOOKIE hashes and nonces, private keys (ADD_ONION,\n"
		"client authorization), and the arguments of any other line kept out of history (SETCONF\n"
		"HashedControlPassword=...). Control characters are escaped.",
	.example = "/trace on", .hints = {{HINT_WORDS, "on off"}, {HINT_NONE, NULL}},
};
const struct cmd_def cmd_local_scrollback = {
	.name = "/scrollback", .usage = "[N]", .flags = CMD_LOCAL | CMD_SHELL_ONLY | CMD_OFFLINE | CMD_DURING_WAIT, .local = LC_SCROLLBACK,
	.summary = "the last N events (default 20, up to 1000), including those a flood summary held back",
	.help = "Past 50 events in a second the rest are not printed but summarised per type once the\n"
		"second is over (\"... 4,211 BW events in the last second\").",
	.example = "/scrollback 100",
};
const struct cmd_def cmd_local_wait = {
	.name = "/wait", .usage = "EVENT [FIELD=VALUE ...] [--timeout S]", .flags = CMD_LOCAL, .local = LC_WAIT,
	.summary = "hold the next command until such an event arrives (default timeout 30 s; scripts too)",
	.help = "FIELD is a schema name (Status, CircID, Signal...) or a keyword (PURPOSE, REASON...);\n"
		"names and enum values match case-insensitively. The event must be subscribed (SETEVENTS).\n"
		"One that arrived since the previous command was sent counts. A timeout is an error (exit 1).",
	.example = "/wait SIGNAL Signal=NEWNYM --timeout 5", .hints = {{HINT_EVENT, NULL}, {HINT_EVENT_FIELD, NULL}},
};
