/* The interactive front end: a line editor and the control socket in one
 * poll loop, events printed above the line being typed. */
#ifndef TORSH_REPL_H
#define TORSH_REPL_H
#include <signal.h>

#include "render.h"
#include "session.h"

struct repl_opts {
	struct render_opts render;
	const char *prompt;       /* e.g. "tor 0.4.9.11 /run/tor/control> " */
	bool yes;                 /* send dangerous commands without asking */
	/* Connect and authenticate again after the connection was lost: 0 with
	 * the session reset onto the new connection, or -1 with why. */
	int (*reconnect)(void *ud, struct session *s, struct buf *why);
	void *reconnect_ud;
};

/* Returns the exit status (EXIT_*): EXIT_LOST when left while disconnected. */
int repl_run(struct session *s, const struct repl_opts *o, volatile sig_atomic_t *stop_flag);
#endif
