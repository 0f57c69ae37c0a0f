/* A control connection: bytes in and out, framed into messages. Knows the
 * wire, nothing of terminals or of what commands mean. */
#ifndef TORSH_CTL_H
#define TORSH_CTL_H
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "reply.h"

enum ctl_state { CTL_OPEN, CTL_EOF, CTL_PROTO_ERROR, CTL_IO_ERROR, CTL_TIMEOUT };

/* Called with every chunk sent ('>') or received ('<'), for protocol traces. */
typedef void (*ctl_trace_fn)(void *ud, char dir, const char *p, size_t n);
typedef void (*ctl_event_fn)(void *ud, const struct tc_msg *m);

struct ctl {
	int fd;
	enum ctl_state state;
	struct reader rd;
	/* the longest a reply may take after its command was sent, whatever
	 * else arrives meanwhile; also bounds a write. <=0 waits forever */
	int io_timeout_ms;
	/* when set and nonzero (a signal asked torsh to stop), waits give up */
	volatile sig_atomic_t *stop;
	char err[320];
	ctl_trace_fn trace;
	void *trace_ud;
};

#define CTL_DEFAULT_LIMIT ((size_t)256 << 20)

void ctl_init(struct ctl *c, int fd, size_t limit, int io_timeout_ms);
void ctl_close(struct ctl *c);
int ctl_send(struct ctl *c, const char *wire, size_t len);
/* One read(): 1 bytes were added, 0 nothing available now, -1 EOF or error
 * (state and err set). */
int ctl_fill(struct ctl *c);
/* Next complete message already received: 1, 0 none yet, -1 protocol error. */
int ctl_next(struct ctl *c, struct tc_msg **m);
/* Mark the connection unusable: state st, err the message. Returns -1. */
int ctl_fail(struct ctl *c, enum ctl_state st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Wait for the next message until deadline_ms (mono_ms clock; <0:
 * forever), however many bytes or events arrive before it. 1, 0 when the
 * deadline passed, -1 on failure or when *stop was set. */
int ctl_wait_until(struct ctl *c, struct tc_msg **m, long deadline_ms);
/* Send a command and wait for its reply, io_timeout_ms after sending at
 * most; events arriving first go to on_event. 1 with *reply set, -1 on
 * failure (err names the command word on a timeout). */
int ctl_request(struct ctl *c, const char *wire, size_t len, struct tc_msg **reply,
		ctl_event_fn on_event, void *ud);
#endif
