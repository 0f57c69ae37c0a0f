/* Terminal safety: what may reach a screen (or a JSON reader) as it is,
 * and the visible escapes for what may not. The output layer's header; the
 * protocol's own encodings (hex, C quoting) are in encode.h. */
#ifndef TORSH_ESCAPE_H
#define TORSH_ESCAPE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"

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
/* The escaping of the sequences that start in s[0..limit) (limit <= n;
 * the last may run on past it, up to n), into o, which has room for
 * TERM_SAFE_ROOM(limit) bytes; *olen is what was written. Returns how
 * many input bytes it stands for: callers escape a big text a slice at a
 * time without cutting a UTF-8 sequence. */
size_t term_safe_some(const char *s, size_t n, size_t limit, char *o, size_t *olen);
/* Every input byte becomes at most 4 (\xNN); a sequence begun before
 * `limit` may take 3 more. */
#define TERM_SAFE_ROOM(limit) (4 * ((limit) + 3))
/* Same escaping into a buffer (for messages built before printing). */
int term_safe_append(struct buf *b, const char *p, size_t n, size_t limit);
#endif
