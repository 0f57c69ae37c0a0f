/* Byte-level encodings shared by the protocol core and the renderers. */
#ifndef TORSH_ESCAPE_H
#define TORSH_ESCAPE_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"

/* Upper-case hex, NUL-terminated: out needs 2*n+1 bytes. */
void hex_encode(const uint8_t *in, size_t n, char *out);
/* Exactly 2*n hex digits of either case; -1 otherwise. */
int hex_decode(const char *in, size_t inlen, uint8_t *out, size_t n);

/* Decode a string quoted the way tor quotes its output (esc_for_log: C escapes
 * incl. \' and 1-3 digit octal; any other \X is X). `in` starts at the opening
 * quote; on success *consumed is the number of input bytes up to and including
 * the closing quote. Returns -1 when there is no closing quote. */
int cstring_unquote(const char *in, size_t inlen, struct buf *out, size_t *consumed);

/* Write bytes so that nothing reaches a terminal as a control sequence:
 * C0 controls, DEL and C1 (as UTF-8 U+0080..U+009F) become visible escapes.
 * Printable ASCII and other UTF-8 pass through unchanged. */
void term_safe_write(FILE *out, const char *p, size_t n);
/* Same escaping into a buffer (for messages built before printing). */
int term_safe_append(struct buf *b, const char *p, size_t n, size_t limit);
#endif
