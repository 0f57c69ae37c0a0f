/* Minimal TAP harness for the C unit tests: each CHECK is one TAP test line,
 * and the binary's exit status is non-zero when any failed. SKIP is one
 * line too, "ok N # SKIP reason", for a test whose input is absent. */
#ifndef TORSH_TAP_H
#define TORSH_TAP_H
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define CHECK(cond, ...) do { \
	tap_n++; \
	if (cond) { printf("ok %d - ", tap_n); } \
	else { tap_failed++; printf("not ok %d - %s:%d: ", tap_n, __FILE__, __LINE__); } \
	printf(__VA_ARGS__); putchar('\n'); \
} while (0)

#define CHECK_STR(got, want, ...) do { \
	const char *g_ = (got), *w_ = (want); \
	int ok_ = (g_ && w_) ? strcmp(g_, w_) == 0 : g_ == w_; \
	CHECK(ok_, __VA_ARGS__); \
	if (!ok_) printf("#   got:  '%s'\n#   want: '%s'\n", g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
} while (0)

#define SKIP(...) do { \
	tap_n++; \
	printf("ok %d # SKIP ", tap_n); \
	printf(__VA_ARGS__); putchar('\n'); \
} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}
#endif
