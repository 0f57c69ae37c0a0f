/* What the /onion subcommands share: cmd_onion_local.c (keys, services,
 * client auth, decode: one request each) and cmd_onion_live.c (upload
 * view, check, status: they follow tor's events while they run). */
#ifndef TORSH_ONION_CMD_H
#define TORSH_ONION_CMD_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include "local.h"
#include "onion.h"
#include "reply.h"

#define MAX_WORDS 40

/* A subcommand's words and options. */
struct words {
	const char *w[MAX_WORDS];
	size_t n[MAX_WORDS], count;
};

int oc_split(const struct local_args *a, struct words *ws, const char *sub, struct buf *err);
bool oc_is(const struct words *ws, size_t i, const char *s);
/* Seconds 0-86400 (fractions allowed): 0, or -1 when v is not that. */
int oc_seconds(const char *v, double *out);
#define ONION_UPLOAD_TIMEOUT 30.0
#define ONION_CHECK_TIMEOUT 60.0
/* The value after option i, as a C string in buf; -1 when there is none. */
int oc_opt_value(const struct words *ws, size_t i, char *buf, size_t cap, const char *sub, struct buf *err);
int oc_unknown_option(const struct words *ws, size_t i, const char *sub, const char *known, struct buf *err);
/* A JSON string of bytes that may come from tor. */
void oc_json_str(FILE *out, const char *s, size_t n);
/* {"k":"v",...} from NULL-terminated pairs; a value starting with '\1' is
 * raw JSON (number, true, array); a NULL value leaves its key out. */
void oc_json_obj(FILE *out, const char *const *kv);
/* tor's text, escaped for the terminal */
void oc_tor_text(FILE *out, const char *s, size_t n);
int oc_call(struct local_ctx *ctx, const char *command, struct tc_msg *m, const char *sub);
int oc_refused(struct local_ctx *ctx, const struct tc_msg *m, const char *sub, const char *what);
const char *oc_reply_value(const struct tc_msg *m, const char *key, size_t *n);
ssize_t oc_read_file(const char *path, uint8_t *buf, size_t cap);
int oc_x25519_arg(const char *s, size_t n, uint8_t key[32], char addr[ONION_ADDR_LEN + 1], char *msg, size_t cap);
int oc_addr_arg(const struct words *ws, size_t i, char out[ONION_ADDR_LEN + 1], const char *sub, struct buf *err);

/* ---- cmd_onion_live.c ---- */
/* What the session saw of onion services since it began (installed on the
 * session by the front end): the services /onion new made and the upload
 * outcome per HSDir of each address HS_DESC events named. */
void onion_watch_install(struct session *s);
/* /onion new made addr with these ports ("80 -> 127.0.0.1:8080" lines). */
void onion_watch_made(struct session *s, const char *addr, const char *ports);
/* /onion new's upload view: follows HS_DESC for addr until every upload
 * answered or timeout_s. */
int onion_upload_view(struct local_ctx *ctx, const char *addr, double timeout_s);
int onion_check(struct local_ctx *ctx, const struct local_args *a);
/* What the watch kept for addr: its upload per HSDir, the ports /onion new
 * gave it ("80 -> 127.0.0.1:8080" lines); NULL when it saw none. */
const struct onion_upload *onion_watch_upload(struct session *s, const char *addr);
const char *onion_watch_ports(struct session *s, const char *addr);
/* A service's rendezvous circuit that failed, as CIRC events showed it
 * (only while the session is subscribed to CIRC). */
#define ONION_REND_FAILS 16
struct onion_rend_fail {
	char addr[ONION_ADDR_LEN + 1], circ[24], reason[80];
	time_t wall;
};
/* The failures seen for addr, oldest first, at most max. */
size_t onion_watch_fails(struct session *s, const char *addr, struct onion_rend_fail *out, size_t max);
/* "KEY=VALUE" among a line's words: true with the value in out. */
bool onion_line_kv(const char *t, size_t n, const char *key, char *out, size_t cap);

/* ---- cmd_onion_status.c ---- */
int onion_status(struct local_ctx *ctx, const struct local_args *a);
#endif
