/* The enumerations of tor's control protocol as data, so the renderers can
 * explain a value and completion can offer one. The descriptions come
 * verbatim from stem's enum reference (the project's seed), except for a
 * few the seed gets wrong, which are corrected with the seed's words kept
 * beside them; values tor 0.4.9.11 emits that stem does not know are added
 * and flagged, because a shell for that tor has to explain what it will
 * actually see.
 *
 * Lookups never treat an unknown value as an error: tor adds values without
 * notice, and callers show whatever tor sent verbatim. */
#ifndef TORSH_ENUMS_H
#define TORSH_ENUMS_H
#include <stddef.h>

enum {
	ENUM_EXTRA = 1u << 0, /* emitted by tor 0.4.9.11, absent from the seed */
	ENUM_GONE = 1u << 1,  /* in the seed, but tor 0.4.9.11 no longer emits it */
	ENUM_STOPS_TOR = 1u << 2, /* a Signal that makes tor exit: confirmed on a terminal */
};

struct enum_value {
	const char *name;     /* as tor writes it on the wire */
	const char *desc;     /* one line; the seed's words unless ENUM_EXTRA or seed_desc */
	/* Where the seed's description is wrong or misleading for tor 0.4.9.11:
	 * the seed's words, kept (and checked against it) while `desc` says
	 * what tor means and `note` says where the two differ. NULL otherwise. */
	const char *seed_desc;
	const char *since;    /* tor version that introduced it, or NULL if unknown */
	const char *alias_of; /* the canonical value this one stands for, or NULL */
	unsigned flags;       /* ENUM_* */
	/* The seed's name for the value when it differs from the wire form by
	 * more than case (e.g. stem's GENERAL for STATUS_GENERAL), else NULL. */
	const char *seed_name;
	/* Where tor 0.4.9.11 departs from what the seed says, or NULL. */
	const char *note;
};

struct enum_table {
	const char *name; /* the seed's enumeration name, e.g. "CircStatus" */
	const struct enum_value *values;
	size_t count;
	const char *desc; /* the seed's summary of the enumeration */
};

extern const struct enum_table enum_tables[];
extern const size_t enum_table_count;

/* Index of each table in enum_tables[], in the seed's order, so code can name
 * a table without a lookup by string (a test checks the two agree). */
enum enum_id {
	ET_RUNLEVEL, ET_SIGNAL, ET_FLAG, ET_CIRC_STATUS, ET_CIRC_BUILD_FLAG, ET_CIRC_PURPOSE,
	ET_CIRC_CLOSURE_REASON, ET_CIRC_EVENT, ET_HS_STATE, ET_RELAY_END_REASON, ET_STREAM_STATUS,
	ET_STREAM_CLOSURE_REASON, ET_STREAM_SOURCE, ET_STREAM_PURPOSE, ET_OR_STATUS, ET_OR_CLOSURE_REASON,
	ET_AUTH_DESCRIPTOR_ACTION, ET_STATUS_TYPE, ET_GUARD_TYPE, ET_GUARD_STATUS, ET_TIMEOUT_SET_TYPE,
	ET_CONNECTION_TYPE, ET_TOKEN_BUCKET, ET_HS_DESC_ACTION, ET_HS_DESC_REASON, ET_HS_AUTH, ET_COUNT
};
#define ENUM_TABLE(id) (&enum_tables[(id)])

/* By table name, ASCII case-insensitive; NULL when there is no such table. */
const struct enum_table *enum_table_find(const char *name);
/* By wire name, ASCII case-insensitive; NULL when unknown (or t is NULL). */
const struct enum_value *enum_lookup(const struct enum_table *t, const char *value);
/* Same for a value that is not NUL-terminated, e.g. a token inside an event
 * line; `value` may contain anything, including NUL bytes. */
const struct enum_value *enum_lookup_n(const struct enum_table *t, const char *value, size_t len);
#endif
