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
	X(cmd_local_help) X(cmd_local_raw) X(cmd_local_quit)
COMMANDS
#undef X

#define X(n) &n,
const struct cmd_def *const cmd_table[] = {COMMANDS};
#undef X
const size_t cmd_table_len = sizeof(cmd_table) / sizeof(cmd_table[0]);

const struct cmd_def cmd_local_help = {
	.name = "/help", .usage = "[COMMAND]", .flags = CMD_LOCAL,
	.summary = "list commands, or show one command's usage, arguments and an example",
	.help = "", .example = "/help ADD_ONION", .hints = {{HINT_COMMAND, NULL}, {HINT_NONE, NULL}},
};
const struct cmd_def cmd_local_raw = {
	.name = "/raw", .usage = "LINE", .flags = CMD_LOCAL,
	.summary = "send LINE as typed, unchecked (for commands newer than torsh); CR, LF, NUL still refused",
	.help = "A LINE starting with + takes a body, as +LOADCONF does.", .example = "/raw GETINFO version",
};
const struct cmd_def cmd_local_quit = {
	.name = "/quit", .usage = "", .flags = CMD_LOCAL,
	.summary = "leave torsh (sends QUIT)", .help = "", .example = "/quit",
};
