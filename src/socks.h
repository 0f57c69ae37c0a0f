/* A SOCKS5 client connection (RFC 1928, no authentication, a domain name
 * target), non-blocking so a caller can follow tor's events meanwhile, as
 * /onion check does. Reads tor's reply code, including the extended error
 * codes 0xF0-0xF7 of a SocksPort with ExtendedErrors (prop 304). No
 * terminal code: messages are plain text the caller escapes. */
#ifndef TORSH_SOCKS_H
#define TORSH_SOCKS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum socks_state { SOCKS_CONNECTING, SOCKS_GREETING, SOCKS_REQUEST, SOCKS_DONE, SOCKS_FAILED };

struct socks {
	int fd;
	enum socks_state state;
	uint8_t out[300], in[300];
	size_t olen, osent, ilen;
	char host[256];
	uint16_t port;
	int reply;          /* the reply's code (0 succeeded); -1 before it came */
	char err[200];      /* why SOCKS_FAILED, when no reply code says it */
};

/* Parse one of GETINFO net/listeners/socks's entries ("127.0.0.1:9050",
 * "[::1]:9050", "unix:/path", quoted or not) and start connecting to it for
 * host:port. 0 started (poll socks_events, call socks_step), -1 with err. */
int socks_start(struct socks *k, const char *listener, size_t n, const char *host, uint16_t port);
/* The poll events the connection waits for now. */
short socks_events(const struct socks *k);
/* Advances on poll's revents: 0 in progress, 1 SOCKS_DONE (reply 0: the
 * target is connected), -1 SOCKS_FAILED (reply set when tor answered). */
int socks_step(struct socks *k, short revents);
void socks_close(struct socks *k);
/* What a reply code means ("F0 onion service descriptor not found"); tor's
 * meaning for its extended codes. */
const char *socks_reply_text(int code);
/* The first listener in GETINFO net/listeners/socks's value, unquoted, in
 * out: 0, or -1 when there is none. */
int socks_first_listener(const char *v, size_t n, char *out, size_t cap);
#endif
