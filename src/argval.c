#include "argval.h"
#include "onion.h"

#include <stdio.h>
#include <string.h>


void val_display(const char *s, size_t n, char *buf, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (o + 8 >= len) {
			if (len >= 4) {
				o = o + 4 <= len - 1 ? o : len - 4;
				memcpy(buf + o, "...", 3);
				o += 3;
			}
			break;
		}
		if (c < 0x20 || c == 0x7f) {
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[c >> 4];
			buf[o++] = hex[c & 15];
		} else {
			buf[o++] = (char)c;
		}
	}
	if (len)
		buf[o < len ? o : len - 1] = '\0';
}

bool val_is_printable(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return false;
	return n > 0;
}

static bool alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool val_is_name(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!alnum(s[i]) && s[i] != '_')
			return false;
	return n > 0;
}

bool val_is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') || (s[i] >= 'A' && s[i] <= 'F')))
			return false;
	return true;
}

static int bad(char *msg, size_t len, const char *what, const char *s, size_t n)
{
	char shown[80];
	val_display(s, n, shown, sizeof(shown));
	snprintf(msg, len, "expected %s, got '%s'", what, shown);
	return -1;
}

int val_id(const char *s, bool allow_zero, uint64_t *v, char *msg, size_t len)
{
	size_t n = strlen(s);
	uint64_t x = 0;
	if (n == 0 || n > 20)
		return bad(msg, len, "a number", s, n);
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return bad(msg, len, allow_zero ? "a number (digits)" : "an id (digits)", s, n);
		uint64_t d = (uint64_t)(s[i] - '0');
		if (x > (UINT64_MAX - d) / 10)
			return bad(msg, len, "a number below 2^64", s, n);
		x = x * 10 + d;
	}
	if (x == 0 && !allow_zero)
		return bad(msg, len, "an id (digits, not 0)", s, n);
	*v = x;
	return 0;
}

int val_port(const char *s, size_t n, char *msg, size_t len)
{
	unsigned long v = 0;
	if (n == 0 || n > 5)
		return bad(msg, len, "a port 1-65535", s, n);
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return bad(msg, len, "a port 1-65535", s, n);
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v < 1 || v > 65535)
		return bad(msg, len, "a port 1-65535", s, n);
	return 0;
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

/* As tor reads a TARGET (hs_parse_port_config): unix:PATH; a word with a
 * '.' or ':' is an address, its port optional (the virtual port then);
 * any other word is a port. IPv6 must be bracketed here: "::1:8080" would
 * be one address to tor, not ::1 port 8080. */
int val_target(const char *s, size_t n, char *msg, size_t len)
{
	const char *what = "PORT, ADDRESS[:PORT], [IPv6][:PORT] or unix:PATH (a word without '.' or ':' is a port)";
	if (n > 5 && strncmp(s, "unix:", 5) == 0) {
		if (!val_is_printable(s + 5, n - 5))
			return bad(msg, len, "unix:PATH without spaces or control characters", s, n);
		return 0;
	}
	if (!memchr(s, '.', n) && !memchr(s, ':', n))
		return all_digits(s, n) ? val_port(s, n, msg, len) : bad(msg, len, what, s, n);
	size_t hl;
	if (s[0] == '[') {
		const char *close = memchr(s, ']', n);
		if (close == NULL)
			return bad(msg, len, "[IPv6] or [IPv6]:PORT", s, n);
		hl = (size_t)(close - s) + 1;
	} else {
		const char *colon = memchr(s, ':', n);
		hl = colon ? (size_t)(colon - s) : n;
		if (colon && memchr(colon + 1, ':', n - hl - 1))
			return bad(msg, len, "an IPv6 address in brackets, [IPv6] or [IPv6]:PORT", s, n);
	}
	if (hl == 0 || (s[0] == '[' && hl == 2) || !val_is_printable(s, hl) || memchr(s, ',', hl))
		return bad(msg, len, what, s, n);
	if (hl == n)
		return 0;
	if (s[hl] != ':')
		return bad(msg, len, what, s, n);
	return val_port(s + hl + 1, n - hl - 1, msg, len);
}

int val_relay(const char *s, size_t n, char *msg, size_t len)
{
	const char *what = "a relay: $FINGERPRINT (40 hex digits), $FINGERPRINT~nickname or a nickname";
	if (n > 0 && s[0] == '$') {
		if (n < 41 || !val_is_hex(s + 1, 40))
			return bad(msg, len, what, s, n);
		if (n == 41)
			return 0;
		/* tor still parses "$FP=nick", but '=' asks for a Named relay and
		 * none exist any more: tor answers "No such router" every time */
		if (s[41] == '=') {
			snprintf(msg, len, "tor never matches $FINGERPRINT=nickname ('=' meant a Named relay): "
				 "use $FINGERPRINT~nickname or $FINGERPRINT");
			return -1;
		}
		if (s[41] != '~' || n - 42 < 1 || n - 42 > 19)
			return bad(msg, len, what, s, n);
		for (size_t i = 42; i < n; i++)
			if (!alnum(s[i]))
				return bad(msg, len, what, s, n);
		return 0;
	}
	if (n == 40 && val_is_hex(s, 40))
		return 0;
	if (n < 1 || n > 19)
		return bad(msg, len, what, s, n);
	for (size_t i = 0; i < n; i++)
		if (!alnum(s[i]))
			return bad(msg, len, what, s, n);
	return 0;
}

/* A command argument is the bare 56 characters (tor refuses ".onion" there);
 * the checks after the length are onion.c's, the one address validator. */
int val_onion_v3(const char *s, size_t n, char *msg, size_t len)
{
	if (n != ONION_ADDR_LEN)
		return bad(msg, len, n == 16 ? "a v3 onion address (v2 16-character addresses were removed in tor 0.4.6)"
					     : "a v3 onion address (56 base32 characters)", s, n);
	uint8_t pk[32];
	return onion_addr_parse(s, n, pk, msg, len);
}

int val_base64(const char *s, size_t n, size_t want, char *msg, size_t len)
{
	size_t pad = 0, data = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '=') {
			pad++;
			continue;
		}
		/* only keys come in base64 here: say where, never what */
		if (pad || !(alnum(c) || c == '+' || c == '/')) {
			snprintf(msg, len, "expected base64 (A-Z a-z 0-9 + /), character %zu is not", i + 1);
			return -1;
		}
		data++;
	}
	size_t bytes = data * 6 / 8;
	if (pad > 2 || bytes != want || (pad && (data + pad) % 4)) {
		snprintf(msg, len, "expected base64 of %zu bytes, got %zu bytes", want, bytes);
		return -1;
	}
	return 0;
}

int val_base32(const char *s, size_t n, size_t want, char *msg, size_t len)
{
	uint8_t out[128];
	size_t ol;
	/* tor wants the exact unpadded length: "AAAA====" is refused */
	if (memchr(s, '=', n))
		return bad(msg, len, "base32 without '=' padding", s, n);
	if (onion_b32_decode(s, n, out, sizeof(out), &ol) < 0)
		return bad(msg, len, "base32 (a-z 2-7)", s, n);
	if (ol != want) {
		snprintf(msg, len, "expected base32 of %zu bytes, got %zu bytes", want, ol);
		return -1;
	}
	return 0;
}
