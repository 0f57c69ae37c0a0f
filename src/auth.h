/* Authenticating a control connection: PROTOCOLINFO, then the strongest
 * method tor offers that we can satisfy. Cookie authentication is
 * SAFECOOKIE only unless the caller opts in: plain COOKIE hands the cookie
 * to whoever listens on the port, tor or not.
 *
 * Every message built here (auth_result.msg, cookie_read's diag,
 * protocolinfo_parse's err) has the server's bytes and the cookie path
 * already escaped for a terminal; the raw values stay in struct
 * protocolinfo, and a front end escapes them before showing them. */
#ifndef TORSH_AUTH_H
#define TORSH_AUTH_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "ctl.h"

enum auth_method {
	AUTH_NULL = 1 << 0,
	AUTH_HASHEDPASSWORD = 1 << 1,
	AUTH_COOKIE = 1 << 2,
	AUTH_SAFECOOKIE = 1 << 3,
};

/* Values as the server sent them (C-unquoted, not terminal-safe). */
struct protocolinfo {
	unsigned methods;
	char cookiefile[4096]; /* empty when not offered */
	char version[64];      /* tor's version, e.g. 0.4.9.11; empty when not sent */
	char unknown_methods[128];
};

/* 0, or -1 with why in err (one line, no newline, terminal-safe). */
int protocolinfo_parse(const struct tc_msg *m, struct protocolinfo *pi, struct buf *err);
const char *auth_method_name(unsigned method);

/* The spec's SAFECOOKIE HMACs over cookie || client nonce || server nonce. */
void safecookie_hashes(const uint8_t cookie[32], const uint8_t *cnonce, size_t cnlen,
		       const uint8_t snonce[32], uint8_t server_hash[32], uint8_t client_hash[32]);

/* Reads a 32-byte cookie. On failure fills `diag` with why and what to do
 * about it (ownership, mode, the usual group fix). */
int cookie_read(const char *path, uint8_t out[32], struct buf *diag);

/* Supplies the password when tor wants one: 0 with the password (and its
 * length) in buf, -1 with a reason in buf, AUTH_PW_CANCELLED when the
 * person asked for it declined (Ctrl-C, Ctrl-D). */
#define AUTH_PW_CANCELLED (-2)
typedef int (*password_fn)(void *ud, struct buf *out);

struct auth_opts {
	const char *cookie_path;   /* overrides PROTOCOLINFO's COOKIEFILE */
	bool allow_plain_cookie;   /* send the cookie itself to a port without SAFECOOKIE */
	password_fn get_password;
	void *password_ud;
	const char *endpoint;      /* for messages */
	/* How the front end lets a person override a refusal (its own flags,
	 * which auth knows nothing of), ending the sentence that explains it,
	 * e.g. " (--allow-plain-cookie sends it anyway)"; NULL: nothing. */
	const char *plain_cookie_hint; /* cookie_path unset, allow_plain_cookie */
	const char *cookie_path_hint;  /* no cookie file named, cookie_path */
};

struct auth_result {
	struct protocolinfo pi;
	unsigned used;             /* the method that succeeded */
	struct buf msg;            /* why it failed (lines, each ending in \n) */
	struct buf tor_said;       /* tor's own words for it, when torsh's replace them */
};

/* How authenticating ended; a front end maps these to its exit statuses. */
enum auth_status {
	AUTH_OK,        /* authenticated */
	AUTH_REFUSED,   /* tor refused a request (PROTOCOLINFO, AUTHCHALLENGE, AUTHENTICATE) */
	AUTH_UNUSABLE,  /* no offered method could be used: no secret was sent */
	AUTH_BAD_PEER,  /* the peer is not a tor control port, or not the tor that wrote the cookie */
	AUTH_LOST,      /* the connection was lost */
	AUTH_CANCELLED, /* the password prompt was cancelled: nothing was sent */
};

/* AUTH_OK, or why not with res->msg saying so. */
enum auth_status auth_run(struct ctl *c, const struct auth_opts *o, struct auth_result *res);
void auth_result_free(struct auth_result *res);
#endif
