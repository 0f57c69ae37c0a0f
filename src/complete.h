/* Tab completion as data: which words fit the argument under the cursor,
 * from the command table's hints and from what tor told us (option and
 * GETINFO key names, live circuits, streams, onion services). Pure: no
 * terminal, no socket; the REPL feeds it replies and asks it for words. */
#ifndef TORSH_COMPLETE_H
#define TORSH_COMPLETE_H
#include <stdbool.h>
#include <stddef.h>

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
};

void catalog_free(struct catalog *c);

/* The requests that fill the catalog: `static` ones once after connecting,
 * `live` ones whenever circuits, streams or services may have changed.
 * Each line is "TAG COMMAND" (the tag is given back with the reply). */
extern const char *const catalog_static_requests[];
extern const char *const catalog_live_requests[];
/* Take a reply to one of those requests. */
void catalog_take(struct catalog *c, const char *tag, const struct tc_msg *m);
/* Keep circuits and streams current from CIRC and STREAM events between
 * two refreshes (other events are ignored; cheap enough for a flood). */
void catalog_event(struct catalog *c, const struct tc_msg *m);

/* The request ("TAG COMMAND", one of those above) that brings the data
 * of this source up to date, or NULL when it never changes. */
const char *catalog_request_for(enum hint_kind source);

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
