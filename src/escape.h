/* Byte-level encodings shared by the protocol core and the renderers. */
#ifndef TORSH_ESCAPE_H
#define TORSH_ESCAPE_H
#include <stdbool.h>
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

/* The well-formed UTF-8 sequence (RFC 3629, Unicode table 3-7) at p, n > 0,
 * p[0] >= 0x80: its length (2..4) with its code point in *cp. 0 when it is
 * ill-formed (overlong, surrogate, above U+10FFFF, truncated, a stray
 * continuation byte); then *bad is the length of its maximal subpart, the
 * bytes one U+FFFD stands for (as Python's errors="replace" and WHATWG do). */
size_t utf8_decode(const unsigned char *p, size_t n, uint32_t *cp, size_t *bad);

/* Code points that must not reach a terminal or a JSON reader raw: the C1
 * controls U+0080..U+009F (CSI, OSC... in 8-bit form) and the bidirectional
 * formatting characters (U+202A..U+202E, U+2066..U+2069, U+200E, U+200F,
 * U+061C), which reorder what a line shows without being visible. */
bool unicode_hidden_control(uint32_t cp);

/* Write bytes so that nothing reaches a terminal as a control sequence:
 * C0 controls but tab, DEL, bytes that are not well-formed UTF-8 (\xNN), and
 * the code points above (\uXXXX). Printable ASCII and other UTF-8 pass
 * through unchanged. */
void term_safe_write(FILE *out, const char *p, size_t n);
/* Same escaping into a buffer (for messages built before printing). */
int term_safe_append(struct buf *b, const char *p, size_t n, size_t limit);
#endif
