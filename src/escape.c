#include "escape.h"

#include <string.h>

#include "swar.h"

static const char hexdig[] = "0123456789ABCDEF";

size_t utf8_decode(const unsigned char *p, size_t n, uint32_t *cp, size_t *bad)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xbf; /* the second byte's range */
	size_t len;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		lo = c == 0xe0 ? 0xa0 : 0x80; /* below: overlong */
		hi = c == 0xed ? 0x9f : 0xbf; /* above: UTF-16 surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		lo = c == 0xf0 ? 0x90 : 0x80; /* below: overlong */
		hi = c == 0xf4 ? 0x8f : 0xbf; /* above: beyond U+10FFFF */
	} else {
		*bad = 1;
		return 0;
	}
	uint32_t v = c & (0x7fu >> len);
	for (size_t k = 1; k < len; k++) {
		if (k >= n || p[k] < lo || p[k] > hi) {
			*bad = k;
			return 0;
		}
		v = v << 6 | (p[k] & 0x3fu);
		lo = 0x80;
		hi = 0xbf;
	}
	*cp = v;
	return len;
}

/* The embeddings, overrides and isolates (U+202A..E, U+2066..9) reorder
 * everything up to their end: "nick\u202Eevil" shows as "nicklive", and a
 * path "a > b" can be made to read "b > a". The marks LRM, RLM and ALM
 * (U+200E, U+200F, U+061C) embed nothing, but they are invisible and
 * strongly directional, so they still flip the order of the neutral
 * characters around them (digits, '.', '>', ','): one relay's line can
 * look like another's. Tor never needs any of them, so all are escaped. */
bool unicode_hidden_control(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* The visible escape of the byte or sequence at p[i] where a safe run
 * stopped; returns how many input bytes it stands for. */
static size_t term_escape(const unsigned char *p, size_t n, size_t i, char esc[8])
{
	unsigned char c = p[i];
	uint32_t cp;
	size_t bad, len = c >= 0x80 ? utf8_decode(p + i, n - i, &cp, &bad) : 0;
	if (len > 0) {
		/* a hidden control: its code point, \u009B, \u202E */
		esc[0] = '\\'; esc[1] = 'u';
		for (int k = 0; k < 4; k++)
			esc[2 + k] = hexdig[(cp >> (12 - 4 * k)) & 15];
		esc[6] = '\0';
		return len;
	}
	switch (c) {
	case '\n': memcpy(esc, "\\n", 3); break;
	case '\r': memcpy(esc, "\\r", 3); break;
	case 0x1b: memcpy(esc, "\\e", 3); break;
	default:
		/* C0, DEL, and bytes that are not UTF-8, which an 8-bit
		 * terminal may take for C1 */
		esc[0] = '\\'; esc[1] = 'x';
		esc[2] = hexdig[c >> 4]; esc[3] = hexdig[c & 15]; esc[4] = '\0';
	}
	return 1;
}

/* Bytes that may reach a terminal as they are, one lookup each: printable
 * ASCII and tab. The rest (controls, DEL, everything from 0x80) is looked
 * at more closely. */
static const unsigned char ascii_safe[256] = {
	['\t'] = 1,
#define R4(c) [c] = 1, [c + 1] = 1, [c + 2] = 1, [c + 3] = 1
#define R16(c) R4(c), R4(c + 4), R4(c + 8), R4(c + 12)
	R16(0x20), R16(0x30), R16(0x40), R16(0x50), R16(0x60), R4(0x70), R4(0x74), R4(0x78),
	[0x7c] = 1, [0x7d] = 1, [0x7e] = 1,
#undef R16
#undef R4
};

size_t term_safe_some(const char *s, size_t n, size_t limit, char *o, size_t *olen)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k = 0;
	if (limit > n)
		limit = n;
	while (i < limit) {
		/* a run of what passes, the bulk of what tor sends: one copy */
		for (uint64_t x; i + 8 <= limit && !swar_unprintable(x = swar_load(p + i)); i += 8, k += 8)
			memcpy(o + k, &x, 8);
		while (i < limit && ascii_safe[p[i]])
			o[k++] = s[i++];
		if (i >= limit)
			break;
		if (p[i] >= 0x80) {
			uint32_t cp;
			size_t bad, len = utf8_decode(p + i, n - i, &cp, &bad);
			if (len > 0 && !unicode_hidden_control(cp)) {
				memcpy(o + k, s + i, len);
				k += len;
				i += len;
				continue;
			}
		}
		char esc[8];
		i += term_escape(p, n, i, esc);
		size_t el = strlen(esc);
		memcpy(o + k, esc, el);
		k += el;
	}
	*olen = k;
	return i;
}

/* Input escaped per step: its output (at most 4 bytes a byte) fits a
 * stack buffer, and a big block never needs one big copy. */
#define TERM_SLICE 4096

void term_safe_write(FILE *out, const char *s, size_t n)
{
	char o[TERM_SAFE_ROOM(TERM_SLICE)];
	while (n > 0) {
		size_t olen, used = term_safe_some(s, n, TERM_SLICE, o, &olen);
		fwrite(o, 1, olen, out);
		s += used;
		n -= used;
	}
}

int term_safe_append(struct buf *b, const char *s, size_t n, size_t limit)
{
	/* even for nothing: the buffer is left a C string */
	if (buf_reserve(b, 0, limit) < 0)
		return -1;
	while (n > 0) {
		size_t take = n < TERM_SLICE ? n : TERM_SLICE;
		if (buf_reserve(b, TERM_SAFE_ROOM(take), BUF_NOLIMIT) < 0)
			return -1;
		size_t olen, used = term_safe_some(s, n, take, b->p + b->len, &olen);
		if (olen > limit || b->len > limit - olen)
			return -1;
		b->len += olen;
		s += used;
		n -= used;
	}
	b->p[b->len] = '\0';
	return 0;
}
