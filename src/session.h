/* An authenticated control session as the front ends (script runner, REPL)
 * see it: submit what the user typed, get replies and events back in order. */
#ifndef TORSH_SESSION_H
#define TORSH_SESSION_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "cmd.h"
#include "ctl.h"

struct session;
typedef void (*session_msg_fn)(void *ud, const struct tc_msg *m);
/* A reply's data block goes to on_reply in pieces of about this much. */
#define SESSION_STREAM_MIN ((size_t)64 << 10)

struct command;

/* A command sent and not yet answered: what its reply will answer. */
struct pending_cmd {
	long sent_ms;              /* mono_ms() when it was sent */
	bool internal;             /* torsh's own (session_internal) */
	const struct cmd_def *def; /* its table entry; NULL when torsh does not
				    * know the word (/raw) and for internal ones */
	char word[33];             /* its command word as sent; for internal ones the tag */
	char label[72];            /* how messages name it (struct command) */
	bool sets_events;          /* a parsed SETEVENTS: `events` when tor says OK */
	uint64_t events;
};

/* A torsh command watching events while it runs: sees every event first;
 * returning true keeps it from on_event (one the user did not ask for). */
typedef bool (*session_tap_fn)(void *ud, const struct tc_msg *m);

struct session {
	struct ctl ctl;
	size_t inflight;           /* commands sent and not yet answered */
	bool quit_sent;
	bool closed_by_quit;       /* tor closed after answering our QUIT */
	session_msg_fn on_reply, on_event;
	void *ud;
	struct buf wire;           /* scratch for serialising */
	struct buf pending;        /* struct pending_cmd array, oldest first */
	bool dispatching;          /* inside dispatch: no nested delivery */
	bool sending_internal;     /* inside session_internal's send (a trace can say whose it is) */
	const struct pending_cmd *answering; /* during on_reply: the command it answers */
	/* replies to session_internal() requests go here, not to on_reply */
	void (*on_internal)(void *ud, const char *tag, const struct tc_msg *m);
	/* session_call's reply, when it has come */
	struct tc_msg *call_reply;
	bool call_done;
	/* the user's event subscription: a bit per event_defs[] index, as
	 * the last SETEVENTS tor accepted set it (a /raw one is not parsed) */
	uint64_t events;
	/* on_reply takes a reply's big data block in pieces (tc_msg.partial;
	 * render() does): set by the front end. torsh's own requests always
	 * get their reply whole. */
	bool stream_replies;
	session_tap_fn tap;
	void *tap_ud;
	/* a record kept for the whole session (what /onion status shows):
	 * sees every event, hides none; observe_free(observe_ud) at the end */
	session_tap_fn observe;
	void *observe_ud;
	void (*observe_free)(void *ud);
};

void session_init(struct session *s, session_msg_fn on_reply, session_msg_fn on_event, void *ud);
void session_free(struct session *s);
/* After a lost connection: carry on over a new, not yet authenticated
 * socket. Nothing is in flight any more; callbacks are kept. */
void session_reset(struct session *s, int fd);
/* Send a built command and await its reply. 0 sent; -1 the send failed
 * (ctl.state is then no longer CTL_OPEN). */
int session_send(struct session *s, const struct command *c);
/* command_build, then session_send. 0 sent; -1 refused (err says why,
 * nothing sent) or send failed (ctl.state is then no longer CTL_OPEN). */
int session_submit(struct session *s, const char *line, size_t len, const char *body, size_t blen,
		   bool has_body, struct buf *err);
/* Send a command of torsh's own (completion data): its reply goes to
 * on_internal with `tag`, in order with the user's replies, and does not
 * count in inflight. The command is trusted text, CRLF added here. */
int session_internal(struct session *s, const char *tag, const char *command);
/* A command of torsh's own whose reply its caller waits for (a torsh
 * command's request: /onion's ADD_ONION). Events and replies to earlier
 * commands are delivered meanwhile, as ever. 0 with *reply a copy (the
 * caller msg_frees it); -1 with err when the connection is gone or the
 * reply is overdue (--timeout), or when called while delivering. The
 * command is trusted text, CRLF added here. */
int session_call(struct session *s, const char *command, struct tc_msg *reply, struct buf *err);
/* Deliver events and replies until step(ud, revents) returns true, the
 * mono_ms deadline passes, the connection ends or a stop is asked. step
 * runs after every wake-up; *extra_events on extra_fd (-1: none) are
 * polled too and step gets their revents (0 when not ready); step may
 * change *extra_events. 0 step said done, 1 deadline, -1 with err (the
 * connection is gone, or stopped). */
int session_wait(struct session *s, long deadline_ms, int extra_fd, short *extra_events,
		 bool (*step)(void *ud, short revents), void *ud, struct buf *err);
/* Read what the socket has and dispatch it. 0 fine, -1 connection gone
 * (check closed_by_quit: not an error then). A reply while no command
 * awaits one is a protocol error. */
int session_pump(struct session *s);
/* When the reply to the oldest unanswered command is overdue (its send
 * time + ctl.io_timeout_ms, mono_ms clock); -1 when none is awaited or
 * there is no timeout. */
long session_deadline(const struct session *s);
/* Past session_deadline: marks the connection failed (CTL_TIMEOUT, err
 * names the command) and returns true. */
bool session_timed_out(struct session *s, long now_ms);
/* What a lost connection cost: "no reply to: A, B" for the user's
 * unanswered commands (torsh's own left out; after a timeout "nor to: B"
 * for those after the one it names), appended to out; nothing when every
 * command was answered. */
void session_describe_unanswered(const struct session *s, struct buf *out);
#define SESSION_QUIT_MS 2000       /* the goodbye at the end of a session */
#define SESSION_QUIT_STOP_MS 1000  /* ... when a signal asked torsh to stop */
/* Send QUIT (unless sent) and wait for tor to answer, timeout_ms at most
 * all told, whatever arrives meanwhile. */
void session_quit(struct session *s, int timeout_ms);
#endif
