/* Where in a line the bytes of a small set are (a space, a quote, an
 * '='), 64 bytes at a time as a bit mask, so that a tokenizer goes from
 * one such byte to the next instead of looking at every byte between
 * them: an event's fields are mostly long runs of plain text (paths of
 * fingerprints, times, addresses). SSE2 where the compiler has it, a byte
 * at a time elsewhere: the masks are the same either way. Nothing is read
 * outside p[0..n). */
#ifndef TORSH_SCAN_H
#define TORSH_SCAN_H
#include <stddef.h>
#include <stdint.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

struct scan {
	const char *p;
	size_t n;
	size_t base;   /* the window's first byte: a multiple of 64 */
	uint64_t mask; /* bit i: p[base + i] is one of c[] */
	unsigned char c[3];
};

/* The bits for p[at..at+16) (fewer at the end), at < n. */
static inline uint32_t scan_chunk(const struct scan *s, size_t at)
{
#ifdef __SSE2__
	if (s->n >= 16) {
		/* the last chunk is loaded ending at p[n-1] and shifted */
		size_t ld = at + 16 <= s->n ? at : s->n - 16;
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s->p + ld));
		__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)s->c[0])),
						      _mm_cmpeq_epi8(v, _mm_set1_epi8((char)s->c[1]))),
					 _mm_cmpeq_epi8(v, _mm_set1_epi8((char)s->c[2])));
		return (uint32_t)_mm_movemask_epi8(m) >> (at - ld);
	}
#endif
	uint32_t bits = 0;
	for (size_t j = 0; j < 16 && at + j < s->n; j++) {
		unsigned char x = (unsigned char)s->p[at + j];
		if (x == s->c[0] || x == s->c[1] || x == s->c[2])
			bits |= UINT32_C(1) << j;
	}
	return bits;
}

static inline void scan_fill(struct scan *s, size_t base)
{
	uint64_t m = 0;
	for (size_t k = 0; k < 64 && base + k < s->n; k += 16)
		m |= (uint64_t)scan_chunk(s, base + k) << k;
	s->base = base;
	s->mask = m;
}

static inline void scan_init(struct scan *s, const char *p, size_t n, char a, char b, char c)
{
	s->p = p;
	s->n = n;
	s->c[0] = (unsigned char)a;
	s->c[1] = (unsigned char)b;
	s->c[2] = (unsigned char)c;
	scan_fill(s, 0);
}

/* The first index >= from that holds one of the bytes, or n. */
static inline size_t scan_next(struct scan *s, size_t from)
{
	if (from >= s->n)
		return s->n;
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
/* What kinds of bytes p[0..n) holds, in one pass: SCAN_UNPRINTABLE for a
 * byte outside printable ASCII (0x20..0x7e), SCAN_QUOTES for '"' or '\\'.
 * 0 is text the pretty and JSON writers copy as it is. */
#define SCAN_UNPRINTABLE 1u
#define SCAN_QUOTES 2u

static inline unsigned scan_kinds_byte(unsigned char x)
{
	return (x < 0x20 || x > 0x7e ? SCAN_UNPRINTABLE : 0u) | (x == '"' || x == '\\' ? SCAN_QUOTES : 0u);
}

static inline unsigned scan_kinds(const char *p, size_t n)
{
	unsigned k = 0;
	size_t i = 0;
#ifdef __SSE2__
	if (n >= 16) {
		__m128i u = _mm_setzero_si128(), q = _mm_setzero_si128();
		for (;; i += 16) {
			/* the last 16 bytes once more, overlapping: no tail loop */
			size_t at = i + 16 <= n ? i : n - 16;
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + at));
			/* signed: 0x80..0xff are below 0x20 too */
			u = _mm_or_si128(u, _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
							 _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f))));
			q = _mm_or_si128(q, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
							 _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
			if (at + 16 >= n)
				break;
		}
		return (_mm_movemask_epi8(u) ? SCAN_UNPRINTABLE : 0u) | (_mm_movemask_epi8(q) ? SCAN_QUOTES : 0u);
	}
#endif
	for (; i < n; i++)
		k |= scan_kinds_byte((unsigned char)p[i]);
	return k;
}
#endif
