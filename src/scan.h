/* Where in a line the bytes of a small set are (a space, a quote, an
 * '='), as bit masks, so that a tokenizer goes from one such byte to the
 * next instead of looking at every byte between them: an event's fields
 * are mostly long runs of plain text (paths of fingerprints, times,
 * addresses). A line of up to SCAN_EAGER bytes, nearly every event, is
 * looked at in one pass that also tells what kinds of bytes it holds (for
 * the renderers); a longer one 64 bytes at a time as the tokenizer goes.
 * SSE2 where the compiler has it, a byte at a time elsewhere: the masks
 * are the same either way. Nothing is read outside p[0..n). */
#ifndef TORSH_SCAN_H
#define TORSH_SCAN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
/* SCAN_NO_SSE2 (tests/unit/test_scan_bytewise.c) builds the byte-at-a-time
 * way on a machine that has SSE2, so that both are tested. */
#if defined(__SSE2__) && !defined(SCAN_NO_SSE2)
#define SCAN_SSE2 1
#include <emmintrin.h>
#endif

#define SCAN_EAGER 512

/* What kinds of bytes a line holds: SCAN_UNPRINTABLE for a byte outside
 * printable ASCII (0x20..0x7e), SCAN_QUOTES for '"' or '\\'. */
#define SCAN_UNPRINTABLE 1u
#define SCAN_QUOTES 2u

struct scan {
	const char *p;
	size_t n;
	unsigned char c[3];
	bool eager;
	unsigned kinds;            /* eager: the line's kinds of bytes */
	size_t base;               /* lazy: the window's first byte, a multiple of 64 */
	uint64_t mask;             /* lazy: bit i: p[base + i] is one of c[] */
	uint64_t w[SCAN_EAGER / 64]; /* eager: bit i of w[k]: p[64k + i] is */
};

static inline unsigned scan_kinds_byte(unsigned char x)
{
	return (x < 0x20 || x > 0x7e ? SCAN_UNPRINTABLE : 0u) | (x == '"' || x == '\\' ? SCAN_QUOTES : 0u);
}

static inline uint32_t scan_bits_byte(const struct scan *s, size_t at)
{
	uint32_t bits = 0;
	for (size_t j = 0; j < 16 && at + j < s->n; j++) {
		unsigned char x = (unsigned char)s->p[at + j];
		if (x == s->c[0] || x == s->c[1] || x == s->c[2])
			bits |= UINT32_C(1) << j;
	}
	return bits;
}

#ifdef SCAN_SSE2
static inline __m128i scan_load(const struct scan *s, size_t at)
{
	return _mm_loadu_si128((const __m128i *)(const void *)(s->p + at));
}

static inline uint32_t scan_bits_sse(const struct scan *s, __m128i v)
{
	__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)s->c[0])),
					      _mm_cmpeq_epi8(v, _mm_set1_epi8((char)s->c[1]))),
				 _mm_cmpeq_epi8(v, _mm_set1_epi8((char)s->c[2])));
	return (uint32_t)_mm_movemask_epi8(m);
}
#endif

/* The bits for p[at..at+16) (fewer at the end), at < n. */
static inline uint32_t scan_chunk(const struct scan *s, size_t at)
{
#ifdef SCAN_SSE2
	if (s->n >= 16) {
		/* the last chunk is loaded ending at p[n-1] and shifted */
		size_t ld = at + 16 <= s->n ? at : s->n - 16;
		return scan_bits_sse(s, scan_load(s, ld)) >> (at - ld);
	}
#endif
	return scan_bits_byte(s, at);
}

static inline void scan_fill(struct scan *s, size_t base)
{
	uint64_t m = 0;
	for (size_t k = 0; k < 64 && base + k < s->n; k += 16)
		m |= (uint64_t)scan_chunk(s, base + k) << k;
	s->base = base;
	s->mask = m;
}

/* The whole line in one pass: its masks and its kinds of bytes. Locals
 * throughout: stores to w[] could alias the struct's other members. */
static inline void scan_eager(struct scan *s)
{
	const char *p = s->p;
	const size_t n = s->n;
	uint64_t w[SCAN_EAGER / 64] = {0};
	size_t at = 0;
#ifdef SCAN_SSE2
	if (n >= 16) {
		const __m128i c0 = _mm_set1_epi8((char)s->c[0]), c1 = _mm_set1_epi8((char)s->c[1]),
			      c2 = _mm_set1_epi8((char)s->c[2]);
		__m128i u = _mm_setzero_si128(), q = _mm_setzero_si128();
#define SCAN_SSE_BITS(v)                                                                                    \
	(u = _mm_or_si128(u, _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),                             \
					  _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f)))),                            \
	 q = _mm_or_si128(q, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),                              \
					  _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')))),                          \
	 (uint64_t)(uint32_t)_mm_movemask_epi8(                                                               \
		 _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, c0), _mm_cmpeq_epi8(v, c1)), _mm_cmpeq_epi8(v, c2))))
		/* whole 64-byte words first, their four masks put together
		 * in a register; signed compares: 0x80..0xff are below 0x20 */
		for (; at + 64 <= n; at += 64) {
			uint64_t m = 0;
			for (size_t k = 0; k < 64; k += 16) {
				__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + at + k));
				m |= SCAN_SSE_BITS(v) << k;
			}
			w[at / 64] = m;
		}
		/* then 16 bytes at a time, the last 16 loaded ending at p[n-1]
		 * (no tail loop) and their bits shifted into place */
		for (; at < n; at += 16) {
			size_t ld = at + 16 <= n ? at : n - 16;
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + ld));
			w[at / 64] |= SCAN_SSE_BITS(v) >> (at - ld) << (at % 64);
		}
#undef SCAN_SSE_BITS
		memcpy(s->w, w, sizeof(w));
		s->kinds = (_mm_movemask_epi8(u) ? SCAN_UNPRINTABLE : 0u) | (_mm_movemask_epi8(q) ? SCAN_QUOTES : 0u);
		return;
	}
#endif
	unsigned kinds = 0;
	for (; at < n; at += 16)
		w[at / 64] |= (uint64_t)scan_bits_byte(s, at) << (at % 64);
	for (size_t i = 0; i < n; i++)
		kinds |= scan_kinds_byte((unsigned char)p[i]);
	memcpy(s->w, w, sizeof(w));
	s->kinds = kinds;
}

static inline void scan_init(struct scan *s, const char *p, size_t n, char a, char b, char c)
{
	s->p = p;
	s->n = n;
	s->c[0] = (unsigned char)a;
	s->c[1] = (unsigned char)b;
	s->c[2] = (unsigned char)c;
	s->eager = n <= SCAN_EAGER;
	s->kinds = SCAN_UNPRINTABLE | SCAN_QUOTES;
	s->base = 0;
	s->mask = 0;
	if (s->eager)
		scan_eager(s);
	else
		scan_fill(s, 0);
}

/* The first index >= from that holds one of the bytes, or n. */
__attribute__((always_inline)) static inline size_t scan_next(struct scan *s, size_t from)
{
	if (from >= s->n)
		return s->n;
	if (s->eager) {
		size_t k = from / 64;
		uint64_t m = s->w[k] & (~UINT64_C(0) << (from % 64));
		while (m == 0) {
			if (++k >= (s->n + 63) / 64)
				return s->n;
			m = s->w[k];
		}
		return k * 64 + (size_t)__builtin_ctzll(m);
	}
	if (from - s->base >= 64) /* before the window wraps round too */
		scan_fill(s, from & ~(size_t)63);
	uint64_t m = s->mask & (~UINT64_C(0) << (from - s->base));
	while (m == 0) {
		if (s->base + 64 >= s->n)
			return s->n;
		scan_fill(s, s->base + 64);
		m = s->mask;
	}
	return s->base + (size_t)__builtin_ctzll(m);
}

/* The kinds of bytes in p[0..n), for a line too long to scan eagerly. */
static inline unsigned scan_kinds(const char *p, size_t n)
{
	unsigned k = 0;
	for (size_t i = 0; i < n; i++)
		k |= scan_kinds_byte((unsigned char)p[i]);
	return k;
}
/* The first index i in [1, n) where a line starts with c (p[i-1] is '\n'
 * and p[i] is c), or n: where a data block's next dot-stuffed line is,
 * found without a look at each line end. */
static inline size_t scan_line_start(const char *p, size_t n, char c)
{
	size_t i = 0;
#ifdef SCAN_SSE2
	const __m128i nl = _mm_set1_epi8('\n'), cc = _mm_set1_epi8(c);
	for (; i + 17 <= n; i += 16) {
		__m128i a = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 1));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, nl), _mm_cmpeq_epi8(b, cc)));
		if (m)
			return i + (size_t)__builtin_ctz(m) + 1;
	}
#endif
	for (; i + 1 < n; i++)
		if (p[i] == '\n' && p[i + 1] == c)
			return i + 1;
	return n;
}
#endif
