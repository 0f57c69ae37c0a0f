/* Byte encodings of the control protocol: hex (AUTHENTICATE secrets,
 * SAFECOOKIE nonces) and tor's C-style quoted strings, both ways. Pure and
 * knowing nothing of terminals: the wire layer (cmd, auth, reply, event)
 * needs these, and only the output layer needs escape.h. */
#ifndef TORSH_ENCODE_H
#define TORSH_ENCODE_H
#include <stddef.h>
#include <stdint.h>

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
/* Append n bytes as a quoted string tor's SETCONF reads back byte for byte
 * (\" \\ \n \r \t, other controls and non-ASCII as \xhh). -1 for a NUL,
 * which no escape can carry. */
int cstring_quote(struct buf *w, const char *s, size_t n);
/* The value of one hex digit of either case, or -1. */
int hex_digit(char c);
#endif
