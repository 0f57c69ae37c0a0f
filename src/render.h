/* Showing replies and events to the user. */
#ifndef TORSH_RENDER_H
#define TORSH_RENDER_H
#include <stdbool.h>
#include <stdio.h>

#include "reply.h"

enum out_format { FMT_RAW, FMT_PRETTY, FMT_JSON };

struct render_opts {
	enum out_format fmt;
	bool safe;     /* escape control characters: output goes to a terminal */
	bool color;
	bool explain;
};

void render_msg(FILE *out, const struct tc_msg *m, const struct render_opts *o);
#endif
