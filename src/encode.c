#include "encode.h"

static const char hexdig[] = "0123456789ABCDEF";

void hex_encode(const uint8_t *in, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hexdig[in[i] >> 4];
		out[2 * i + 1] = hexdig[in[i] & 15];
	}
	out[2 * n] = '\0';
}

int hex_digit(char c)
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
		int hi = hex_digit(in[2 * i]), lo = hex_digit(in[2 * i + 1]);
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

int cstring_quote(struct buf *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	buf_putc(w, '"', BUF_NOLIMIT);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': buf_append(w, "\\\"", 2, BUF_NOLIMIT); break;
		case '\\': buf_append(w, "\\\\", 2, BUF_NOLIMIT); break;
		case '\n': buf_append(w, "\\n", 2, BUF_NOLIMIT); break;
		case '\r': buf_append(w, "\\r", 2, BUF_NOLIMIT); break;
		case '\t': buf_append(w, "\\t", 2, BUF_NOLIMIT); break;
		default:
			if (c == 0)
				return -1;
			if (c < 0x20 || c >= 0x7f) {
				char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
				buf_append(w, e, 4, BUF_NOLIMIT);
			} else {
				buf_putc(w, (char)c, BUF_NOLIMIT);
			}
		}
	}
	return buf_putc(w, '"', BUF_NOLIMIT);
}
