/* One line of GETINFO circuit-status or stream-status, which is also the
 * body of a CIRC or STREAM event after the event name: split into the parts
 * the shell shows (tables, completion descriptions). Pure, no allocation:
 * every part points into the line. */
#ifndef TORSH_STATUS_H
#define TORSH_STATUS_H
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

struct span {
	const char *p;
	size_t n;
};

struct status_row {
	struct span id, status;
	struct span path;     /* circuits: $FP~nick,... (may be empty) */
	struct span purpose;  /* circuits: PURPOSE= */
	struct span hs_state; /* circuits: HS_STATE= */
	struct span rend_query; /* circuits: REND_QUERY= (the onion service, without .onion) */
	struct span circ;     /* streams: the circuit id */
	struct span target;   /* streams: host:port */
};

/* false when the line has no id and status. */
bool status_row_parse(const char *line, size_t n, bool circ, struct status_row *r);
/* A path as nicknames joined by " > " ($FP~nick -> nick; a relay without a
 * nickname keeps its fingerprint). */
void status_path_names(struct span path, struct buf *out);
/* Whether a circuit or stream in this status is gone (CLOSED, FAILED). */
bool status_is_gone(struct span status);
#endif
