/* Eight bytes at a time: tests on a 64-bit word that tell whether any of
 * its bytes is of some kind, for the scanners of the output path (escapes,
 * tokens), which spend their time on long runs of ordinary ASCII. Plain C
 * (SWAR), any byte order: a word that has such a byte is then looked at a
 * byte at a time, so only "none" needs to be exact, and it is. */
#ifndef TORSH_SWAR_H
#define TORSH_SWAR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SWAR_ONES UINT64_C(0x0101010101010101)
#define SWAR_HIGH UINT64_C(0x8080808080808080)

static inline uint64_t swar_load(const void *p)
{
	uint64_t x;
	memcpy(&x, p, sizeof(x));
	return x;
}

/* Nonzero when a byte of x is below n (n <= 128). */
static inline uint64_t swar_less(uint64_t x, unsigned n)
{
	return (x - SWAR_ONES * n) & ~x & SWAR_HIGH;
}

/* Nonzero when a byte of x is c. */
static inline uint64_t swar_has(uint64_t x, unsigned char c)
{
	return swar_less(x ^ (SWAR_ONES * c), 1);
}

/* Nonzero when a byte of x is not printable ASCII (0x20..0x7e). */
static inline uint64_t swar_unprintable(uint64_t x)
{
	return (x & SWAR_HIGH) | swar_less(x, 0x20) | swar_has(x, 0x7f);
}

/* Whether p[0..n) is all printable ASCII; with `quotes`, also free of '"'
 * and '\\' (what a JSON string can hold as it is). */
static inline bool swar_plain(const char *p, size_t n, bool quotes)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t x = swar_load(p + i);
		if (swar_unprintable(x) || (quotes && (swar_has(x, '"') | swar_has(x, '\\'))))
			return false;
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c < 0x20 || c > 0x7e || (quotes && (c == '"' || c == '\\')))
			return false;
	}
	return true;
}
/* memcpy(o, p, n) for the short pieces of the output path (names,
 * numbers, enum values): a word or two, overlapping, without a call. The
 * two must not overlap. */
static inline void swar_copy(char *o, const char *p, size_t n)
{
	if (n > 16) {
		memcpy(o, p, n);
	} else if (n >= 8) {
		uint64_t a = swar_load(p), b = swar_load(p + n - 8);
		memcpy(o, &a, 8);
		memcpy(o + n - 8, &b, 8);
	} else if (n >= 4) {
		uint32_t a, b;
		memcpy(&a, p, 4);
		memcpy(&b, p + n - 4, 4);
		memcpy(o, &a, 4);
		memcpy(o + n - 4, &b, 4);
	} else if (n > 0) {
		o[0] = p[0];
		o[n / 2] = p[n / 2];
		o[n - 1] = p[n - 1];
	}
}
#endif
