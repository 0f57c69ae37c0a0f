#include "escape.h"

#include <string.h>

static const char hexdig[] = "0123456789ABCDEF";

void hex_encode(const uint8_t *in, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hexdig[in[i] >> 4];
		out[2 * i + 1] = hexdig[in[i] & 15];
	}
	out[2 * n] = '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int hex_decode(const char *in, size_t inlen, uint8_t *out, size_t n)
{
	if (inlen != 2 * n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int hi = hexval(in[2 * i]), lo = hexval(in[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

int cstring_unquote(const char *in, size_t inlen, struct buf *out, size_t *consumed)
{
	if (inlen == 0 || in[0] != '"')
		return -1;
	for (size_t i = 1; i < inlen; i++) {
		char c = in[i];
		if (c == '"') {
			*consumed = i + 1;
			return 0;
		}
		if (c != '\\' || i + 1 >= inlen) {
			if (buf_putc(out, c, BUF_NOLIMIT) < 0)
				return -1;
			continue;
		}
		c = in[++i];
		int v;
		switch (c) {
		case 'n': v = '\n'; break;
		case 'r': v = '\r'; break;
		case 't': v = '\t'; break;
		default:
			if (c >= '0' && c <= '7') {
				v = 0;
				for (int k = 0; k < 3 && i < inlen && in[i] >= '0' && in[i] <= '7'; k++, i++)
					v = v * 8 + (in[i] - '0');
				i--;
				v &= 0xff;
			} else {
				v = (unsigned char)c;
			}
		}
		if (buf_putc(out, (char)v, BUF_NOLIMIT) < 0)
			return -1;
	}
	return -1;
}

/* Length of the valid UTF-8 sequence at p[i], or 0 when it is not one. */
static size_t utf8_len(const unsigned char *p, size_t n, size_t i)
{
	unsigned char c = p[i];
	size_t len = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
	if (len == 0 || c > 0xf4 || i + len > n)
		return 0;
	for (size_t k = 1; k < len; k++)
		if ((p[i + k] & 0xc0) != 0x80)
			return 0;
	return len;
}

/* Fills esc and returns 1 when the byte (or sequence) at p[i] must not reach a
 * terminal raw: C0 controls but tab, DEL, C1 controls (U+0080..U+009F) and
 * bytes that are not valid UTF-8, which 8-bit terminals may take for C1. */
static int escape_one(const unsigned char *p, size_t n, size_t i, char esc[8], size_t *skip)
{
	unsigned char c = p[i];
	*skip = 1;
	if (c == '\t' || (c >= 0x20 && c < 0x7f))
		return 0;
	if (c < 0x80) {
		switch (c) {
		case '\n': memcpy(esc, "\\n", 3); break;
		case '\r': memcpy(esc, "\\r", 3); break;
		case 0x1b: memcpy(esc, "\\e", 3); break;
		default:
			esc[0] = '\\'; esc[1] = 'x';
			esc[2] = hexdig[c >> 4]; esc[3] = hexdig[c & 15]; esc[4] = '\0';
		}
		return 1;
	}
	size_t len = utf8_len(p, n, i);
	if (len == 2 && c == 0xc2 && p[i + 1] <= 0x9f) {
		esc[0] = '\\'; esc[1] = 'u'; esc[2] = '0'; esc[3] = '0';
		esc[4] = hexdig[p[i + 1] >> 4]; esc[5] = hexdig[p[i + 1] & 15]; esc[6] = '\0';
		*skip = 2;
		return 1;
	}
	if (len) {
		*skip = len;
		return 0;
	}
	esc[0] = '\\'; esc[1] = 'x';
	esc[2] = hexdig[c >> 4]; esc[3] = hexdig[c & 15]; esc[4] = '\0';
	return 1;
}

void term_safe_write(FILE *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t start = 0, i = 0;
	while (i < n) {
		char esc[8];
		size_t skip;
		if (!escape_one(p, n, i, esc, &skip)) {
			i += skip;
			continue;
		}
		fwrite(s + start, 1, i - start, out);
		fputs(esc, out);
		i += skip;
		start = i;
	}
	fwrite(s + start, 1, n - start, out);
}

int term_safe_append(struct buf *b, const char *s, size_t n, size_t limit)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t start = 0, i = 0;
	while (i < n) {
		char esc[8];
		size_t skip;
		if (!escape_one(p, n, i, esc, &skip)) {
			i += skip;
			continue;
		}
		if (buf_append(b, s + start, i - start, limit) < 0 ||
		    buf_append(b, esc, strlen(esc), limit) < 0)
			return -1;
		i += skip;
		start = i;
	}
	return buf_append(b, s + start, n - start, limit);
}
