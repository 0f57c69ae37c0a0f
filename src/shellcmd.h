/* The interactive shell's own commands, those that change how the session
 * looks rather than what tor does: /events, /mute, /unmute, /format,
 * /explain, /circuits, /streams. No terminal handling here: the REPL calls
 * in and prints where it is told. */
#ifndef TORSH_SHELLCMD_H
#define TORSH_SHELLCMD_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "cmd.h"
#include "command.h"
#include "render.h"
#include "session.h"

struct shell {
	struct session *s;
	struct renderer *out;
	uint64_t events;          /* subscribed, one bit per event_defs[] entry */
	uint64_t events_sent;     /* asked for by the SETEVENTS awaiting its reply */
	unsigned pending_setevents;
	uint64_t muted;           /* subscribed but not shown */
	unsigned long muted_count;
};

/* The shell's commands are run by local_exec (local.h: exec_events ...). */

/* Whether events of this type are subscribed. */
bool shell_subscribed(const struct shell *sh, const struct event_def *d);
/* After a reconnect: subscribe to the same events again. */
int shell_resubscribe(struct shell *sh, struct buf *err);
/* Whether an event is muted (it is then counted, not shown). */
bool shell_muted(struct shell *sh, const struct tc_msg *m);
/* A SETEVENTS the user typed: its set takes effect when tor says OK, in
 * shell_on_reply (`def`: the command a reply answers, NULL if unknown). */
void shell_note_sent(struct shell *sh, const struct command *c);
void shell_on_reply(struct shell *sh, const struct cmd_def *def, const struct tc_msg *m);
/* Replies to the shell's own requests (tags "show-circuits", "show-streams"). */
bool shell_internal(struct shell *sh, const char *tag, const struct tc_msg *m, FILE *out);
#endif
