/* Non-interactive use: commands from -c or from a pipe, replies to stdout,
 * an exit status a script can trust. */
#ifndef TORSH_SCRIPT_H
#define TORSH_SCRIPT_H
#include <stdbool.h>
#include <stddef.h>

#include <signal.h>

#include "render.h"
#include "session.h"

struct script_opts {
	char **commands;          /* -c values; NULL/0: read stdin */
	size_t ncommands;
	bool keep_going;
	double linger_s;
	struct render_opts render;
};

/* Checks every -c command before connecting: EXIT_USAGE (reported on
 * stderr) when one is invalid, so nothing at all is sent. */
int script_precheck(const struct script_opts *o);

/* Runs to completion and returns the exit status (EXIT_*). */
int script_run(struct session *s, const struct script_opts *o, volatile sig_atomic_t *stop_flag);
#endif
