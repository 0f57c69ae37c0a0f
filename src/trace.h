/* The protocol trace behind /trace: what went over the control connection,
 * line by line, timestamped, with secrets blanked out. Pure formatting; the
 * REPL decides where it goes. */
#ifndef TORSH_TRACE_H
#define TORSH_TRACE_H
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "secret.h"

struct tracer {
	struct buf partial[2];   /* an incomplete line per direction (0: sent, 1: received) */
	struct secret_stream secrets[2]; /* a body being sent is judged as torrc lines */
	bool own;                /* the chunk is torsh's own request: its lines say "(torsh)" */
};

/* Append the complete lines in this chunk to `out`, each as
 * "HH:MM:SS.mmm > LINE" or "... < LINE" ("> (torsh) LINE" for a request
 * torsh made by itself, t->own): control characters escaped,
 * whatever secret.h calls secret (passwords, credential options in
 * commands, bodies and replies, private keys, SAFECOOKIE proofs) replaced
 * by [redacted]. */
void trace_chunk(struct tracer *t, char dir, const char *p, size_t n, struct buf *out);
void tracer_free(struct tracer *t);
#endif
