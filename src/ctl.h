/* A control connection: bytes in and out, framed into messages. Knows the
 * wire, nothing of terminals or of what commands mean. */
#ifndef TORSH_CTL_H
#define TORSH_CTL_H
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
	int io_timeout_ms;     /* longest wait for a reply or a write; <=0 waits forever */
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
/* Wait for the next message while tor stays silent less than timeout_ms
 * (<0: forever). 1, 0 timeout, -1. */
int ctl_wait(struct ctl *c, struct tc_msg **m, int timeout_ms);
/* Send a command and wait for its reply (io_timeout_ms of silence at most);
 * events arriving first go to on_event. 1 with *reply set, -1 on failure. */
int ctl_request(struct ctl *c, const char *wire, size_t len, struct tc_msg **reply,
		ctl_event_fn on_event, void *ud);
#endif
