#include "escape.h"

#include <string.h>

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

/* The end of the run from p[i] on that may reach a terminal as it is. */
static size_t term_safe_run(const unsigned char *p, size_t n, size_t i)
{
	for (;;) {
		/* printable ASCII and tab, the bulk of what tor sends: one
		 * compare a byte */
		while (i < n && ((unsigned char)(p[i] - 0x20) < 0x5f || p[i] == '\t'))
			i++;
		if (i == n || p[i] < 0x80)
			return i;
		uint32_t cp;
		size_t bad, len = utf8_decode(p + i, n - i, &cp, &bad);
		if (len == 0 || unicode_hidden_control(cp))
			return i;
		i += len;
	}
}

/* The visible escape of the byte or sequence at p[i] where term_safe_run
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

void term_safe_write(FILE *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		size_t end = term_safe_run(p, n, i);
		if (end > i)
			fwrite(s + i, 1, end - i, out);
		if (end == n)
			break;
		char esc[8];
		i = end + term_escape(p, n, end, esc);
		fputs(esc, out);
	}
}

int term_safe_append(struct buf *b, const char *s, size_t n, size_t limit)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	for (;;) {
		size_t end = term_safe_run(p, n, i);
		/* even an empty run: buf_append leaves the buffer a C string */
		if (buf_append(b, s + i, end - i, limit) < 0)
			return -1;
		if (end == n)
			return 0;
		char esc[8];
		i = end + term_escape(p, n, end, esc);
		if (buf_append(b, esc, strlen(esc), limit) < 0)
			return -1;
	}
}
