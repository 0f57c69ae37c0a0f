/* Growable byte buffer with a hard size limit, so a hostile peer cannot make
 * torsh allocate without bound. */
#ifndef TORSH_BUF_H
#define TORSH_BUF_H
#include <stddef.h>

struct buf {
	char *p;
	size_t len, cap;
};

/* 0 on success, -1 when the result would exceed `limit` bytes or malloc fails.
 * The buffer always stays NUL-terminated past len. */
int buf_reserve(struct buf *b, size_t extra, size_t limit);
int buf_append(struct buf *b, const void *p, size_t n, size_t limit);
int buf_putc(struct buf *b, char c, size_t limit);
int buf_printf(struct buf *b, size_t limit, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Drop the first n bytes. */
void buf_consume(struct buf *b, size_t n);
void buf_reset(struct buf *b);
void buf_free(struct buf *b);

#define BUF_NOLIMIT ((size_t)-1 / 2)
#endif
