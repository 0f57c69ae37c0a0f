/* Tab completion as data: which words fit the argument under the cursor,
 * from the command table's hints and from what tor told us (option and
 * GETINFO key names, live circuits, streams, onion services). Pure: no
 * terminal, no socket; the REPL feeds it replies and asks it for words. */
#ifndef TORSH_COMPLETE_H
#define TORSH_COMPLETE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "cmd.h"
#include "reply.h"

/* A list of words with optional one-line descriptions, NUL-separated in
 * `text`; entries index it. */
struct wordlist {
	struct buf text;
	size_t *word, *desc;   /* offsets into text; desc == (size_t)-1: none */
	size_t n, cap;
};

/* Which request fills which part of the catalog. */
enum cat_source { CS_CIRCS, CS_STREAMS, CS_ONIONS, CS_AUTH, CS_RELAYS, CS_COUNT };

/* When a part was last asked for, so that it is asked for only when a Tab
 * needs it and what is held is stale. */
struct cat_fresh {
	bool have;       /* a reply has filled it */
	bool asked;      /* a request is out, not yet answered */
	bool stale;      /* the user sent a command since it was asked for */
	bool followed;   /* CIRC or STREAM events keep it current since then */
	long asked_ms;
};

/* What tor has told us, kept current by the REPL. */
struct catalog {
	struct wordlist conf;        /* option names; desc: the type ("Boolean", ...) */
	struct wordlist info;        /* GETINFO keys; prefix keys end in '/' */
	struct wordlist features;
	struct wordlist circuits;    /* id; desc: status, purpose, path */
	struct wordlist streams;     /* id; desc: status, target, circuit */
	struct wordlist onions;      /* service ids (ours and detached) */
	struct wordlist client_auth; /* addresses with client authorization */
	struct wordlist relays;      /* $fingerprint~nickname */
	struct cat_fresh fresh[CS_COUNT];
	bool follow_circ, follow_stream; /* CIRC, STREAM subscribed now */
};

void catalog_free(struct catalog *c);

/* The requests sent once after connecting: the small name lists. Each line
 * is "TAG COMMAND" (the tag is given back with the reply). Nothing else is
 * asked for until a Tab needs it (catalog_fetch). */
extern const char *const catalog_static_requests[];
/* Take a reply to one of torsh's catalog requests. */
void catalog_take(struct catalog *c, const char *tag, const struct tc_msg *m);
/* Keep circuits and streams current from CIRC and STREAM events between
 * two requests (other events are ignored; cheap enough for a flood). */
void catalog_event(struct catalog *c, const struct tc_msg *m);

/* Before completing from `source`: the request ("TAG COMMAND") to send
 * first, or NULL when what the catalog holds will do (or one is out
 * already). The rule: a part never asked for is asked for; circuits and
 * streams followed by events since they were asked for stay current;
 * otherwise a part is asked for again after a command of the user's or
 * CATALOG_LIVE_MS, the relay list (ns/all, megabytes) after
 * CATALOG_RELAYS_MS. */
#define CATALOG_LIVE_MS 10000
#define CATALOG_RELAYS_MS 300000
const char *catalog_fetch(struct catalog *c, enum hint_kind source, long now_ms);
/* Whether the request for `source` is still unanswered. */
bool catalog_asking(const struct catalog *c, enum hint_kind source);
/* The user sent a command: what it may have changed is stale. */
void catalog_commanded(struct catalog *c);
/* The events subscribed now, a bit per event_defs[] index (shellcmd.h),
 * after every change: whether CIRC and STREAM keep the lists current. */
void catalog_following(struct catalog *c, uint64_t subscribed);
/* A new connection: nothing is out, everything is to be asked again. */
void catalog_reconnected(struct catalog *c);

struct completion {
	size_t start;          /* where the word being completed starts in the line */
	struct wordlist match; /* candidates, in order */
	bool no_space;         /* the completed word wants more (ends in '=', '/', ':') */
	enum hint_kind source; /* where the candidates came from */
};

/* Candidates for the word that ends at `cursor` in `line`. */
void complete(const struct catalog *c, const char *line, size_t cursor, struct completion *out);
void completion_free(struct completion *out);
/* Length of the longest prefix all candidates share. */
size_t completion_common(const struct completion *out);
#endif
