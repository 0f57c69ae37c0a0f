/* The byte scanners of src/scan.h against a byte-at-a-time reference, on
 * lines of every length around the 16- and 64-byte steps and the eager
 * limit, made of the bytes they look for and their neighbours. Built twice:
 * as it is (SSE2 on x86-64) and by test_scan_bytewise.c without SSE2. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan.h"
#include "tap.h"

#ifndef SCAN_WAY
#ifdef SCAN_SSE2
#define SCAN_WAY "SSE2"
#else
#define SCAN_WAY "a byte at a time"
#endif
#endif

static uint64_t rng = 0x9e3779b97f4a7c15u;

static unsigned next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng >> 32);
}

/* Mostly plain letters, with the bytes that matter and the ones next to
 * them in value, so that a compare that is off by one shows. */
static char some_byte(void)
{
	static const char special[] = {' ', '"', '=', '\\', '\n', '.', '\r', '\t', 0x1f, 0x20, 0x21,
				       0x7e, 0x7f, (char)0x80, (char)0xff, 0x00, '<', '>'};
	unsigned r = next_rand() % 8;
	if (r < 5)
		return (char)('a' + next_rand() % 26);
	return special[next_rand() % sizeof(special)];
}

static size_t ref_next(const char *p, size_t n, size_t from)
{
	for (size_t i = from; i < n; i++)
		if (p[i] == ' ' || p[i] == '"' || p[i] == '=')
			return i;
	return n;
}

static unsigned ref_kinds(const char *p, size_t n)
{
	unsigned k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char x = (unsigned char)p[i];
		if (x < 0x20 || x > 0x7e)
			k |= SCAN_UNPRINTABLE;
		if (x == '"' || x == '\\')
			k |= SCAN_QUOTES;
	}
	return k;
}

static size_t ref_line_start(const char *p, size_t n, char c)
{
	for (size_t i = 1; i < n; i++)
		if (p[i - 1] == '\n' && p[i] == c)
			return i;
	return n;
}

/* One line: every scan_next from every place, the kinds, the line starts.
 * The line is copied into a block of exactly n bytes, so that a read past
 * its end is one for ASan and valgrind. */
static int check_line(const char *src, size_t n)
{
	char *p = malloc(n ? n : 1);
	if (p == NULL)
		return 0;
	memcpy(p, src, n);
	int bad = 0;
	struct scan sc;
	scan_init(&sc, p, n, ' ', '"', '=');
	for (size_t from = 0; from <= n + 1; from++)
		bad += scan_next(&sc, from) != ref_next(p, n, from);
	/* again, jumping from one mark to the next, as the tokenizer does */
	scan_init(&sc, p, n, ' ', '"', '=');
	for (size_t at = scan_next(&sc, 0), want = ref_next(p, n, 0); want < n; at = scan_next(&sc, at + 1)) {
		bad += at != want;
		want = ref_next(p, n, want + 1);
	}
	if (sc.eager)
		bad += sc.kinds != ref_kinds(p, n);
	bad += scan_kinds(p, n) != ref_kinds(p, n);
	bad += scan_line_start(p, n, '.') != ref_line_start(p, n, '.');
	free(p);
	return bad;
}

int main(void)
{
	char line[2 * SCAN_EAGER];
	int bad = 0, lines = 0;
	for (size_t n = 0; n < sizeof(line); n += n < 200 ? 1 : 7) {
		for (int round = 0; round < 6; round++, lines++) {
			for (size_t i = 0; i < n; i++)
				line[i] = some_byte();
			bad += check_line(line, n);
		}
	}
	CHECK(bad == 0, "scan (%s): scan_next, the kinds and line starts agree with a byte-at-a-time look on %d lines "
			"of 0 to %zu bytes (%d disagreements)", SCAN_WAY, lines, sizeof(line) - 1, bad);

	/* the lines the scanner was made for: long plain runs, few marks */
	bad = 0;
	for (int round = 0; round < 400; round++) {
		size_t n = next_rand() % sizeof(line);
		for (size_t i = 0; i < n; i++)
			line[i] = next_rand() % 23 == 0 ? " \"=\n."[next_rand() % 5] : (char)('A' + next_rand() % 26);
		bad += check_line(line, n);
	}
	CHECK(bad == 0, "scan (%s): the same on 400 lines of long plain runs (%d disagreements)", SCAN_WAY, bad);

	/* the edges: a mark as the first and the last byte, at each step */
	bad = 0;
	for (size_t n = 1; n < 140; n++) {
		memset(line, 'x', n);
		line[n - 1] = '=';
		bad += check_line(line, n);
		line[n - 1] = 'x';
		line[0] = ' ';
		bad += check_line(line, n);
	}
	CHECK(bad == 0, "scan (%s): a mark as the first or the last byte of lines of 1 to 139 bytes", SCAN_WAY);
	return tap_done();
}
