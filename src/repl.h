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
};

/* Returns the exit status (EXIT_*). */
int repl_run(struct session *s, const struct repl_opts *o, volatile sig_atomic_t *stop_flag);
#endif
