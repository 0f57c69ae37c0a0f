/* Finding and opening a control port: Unix sockets, TCP by address or name,
 * the default candidates, with a connect timeout (tor has none of its own). */
#ifndef TORSH_CONN_H
#define TORSH_CONN_H
#include <stddef.h>

#include "buf.h"

enum ep_kind { EP_UNIX, EP_TCP };

struct endpoint {
	enum ep_kind kind;
	char path[108];        /* EP_UNIX: sizeof(sun_path) */
	char host[256];        /* EP_TCP: without brackets */
	char port[8];
	char display[300];     /* how to name it to the user */
};

/* "PORT", "ADDR:PORT", "[V6]:PORT", "HOST:PORT". -1 with a message on error. */
int endpoint_parse_tcp(const char *spec, struct endpoint *ep, char *err, size_t errlen);
int endpoint_unix(const char *path, struct endpoint *ep, char *err, size_t errlen);
/* A short name for the prompt: a Unix socket by "~/..." when under home and
 * at most two components below it, else by its last two components (a
 * path of two or fewer kept whole); TCP as displayed. home may be NULL. */
void endpoint_short_name(const struct endpoint *ep, const char *home, char *out, size_t n);

#define MAX_CANDIDATES 8
struct candidates {
	struct endpoint ep[MAX_CANDIDATES];
	size_t n;
};

/* What to try when the user named no endpoint: the environment
 * (TOR_CONTROL_IPC_PATH, TOR_CONTROL_HOST/TOR_CONTROL_PORT) when set, else
 * the usual system and Tor Browser locations. -1 with a message when an
 * environment value is invalid. */
int candidates_default(struct candidates *c, char *err, size_t errlen);

/* Connect with a timeout; returns a blocking fd or -1 with `why` set to a
 * short reason (e.g. "Connection refused"). */
int conn_open(const struct endpoint *ep, int timeout_ms, char *why, size_t whylen);

/* Try each candidate in order. On total failure returns -1 and appends one
 * line per candidate with its reason to `report`. `*used` gets the index. */
int conn_open_any(const struct candidates *c, int timeout_ms, size_t *used, struct buf *report);

/* write() all of it, waiting up to timeout_ms for the socket to drain. */
int conn_write_all(int fd, const char *p, size_t n, int timeout_ms);
#endif
