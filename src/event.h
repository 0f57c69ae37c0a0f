/* Asynchronous events as typed data: a schema per event type (what tor
 * 0.4.9.11 writes, field by field) and a tolerant parser that splits a 650
 * message into named fields. Pure: no I/O, nothing about terminals.
 *
 * Tolerance is the rule: a field tor adds later, a value no table knows, or a
 * known quirk of tor's output (REASON= UNKNOWN_n, a bare "internal" in
 * ADDRMAP, an unquoted path with spaces in CLOCK_SKEW) is kept and shown,
 * never an error. Only a message that is not an event at all fails. */
#ifndef TORSH_EVENT_H
#define TORSH_EVENT_H
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "enums.h"
#include "reply.h"

enum field_type {
	FT_STRING,    /* text as sent (unquoted if tor quoted it) */
	FT_INT,       /* a decimal number, possibly negative or fractional */
	FT_ENUM,      /* one value of `table` */
	FT_ENUM_LIST, /* comma-separated values of `table` */
	FT_PATH,      /* comma-separated $FP~nick relays */
	FT_TIME,      /* ISO time, as sent */
	FT_LIST,      /* comma-separated items */
	FT_WORDS,     /* space-separated items (the rest of the line) */
};

/* One field of the schema. Positional fields are matched in order; keyword
 * fields by name. */
struct field_spec {
	const char *name;
	size_t len;           /* strlen(name) */
	enum field_type type;
	enum enum_id table;   /* FT_ENUM, FT_ENUM_LIST */
	bool rest;            /* positional: takes the rest of the line verbatim */
};

struct event_def {
	const char *name;      /* as in SETEVENTS */
	size_t name_len;
	const char *cls;       /* colour class: circ, stream, conn, bw, log, status, hs, dir, conf, misc */
	const char *since;     /* tor version that introduced it */
	const char *summary;   /* one line, for /help and listings */
	const struct field_spec *pos;
	size_t npos;
	const struct field_spec *kw;
	size_t nkw;
};

struct ev_field {
	const char *name;      /* the schema's name, or the keyword as tor sent it */
	size_t name_len;
	bool keyword;          /* KEY=VALUE (or a bare KEY in CONF_CHANGED) */
	bool unset;            /* CONF_CHANGED: a bare KEY, the option became unset */
	bool quoted;           /* tor quoted the value; val is unescaped */
	const char *val;       /* not NUL-terminated; may hold any byte once unescaped */
	size_t val_len;
	enum field_type type;
	const struct enum_table *table;
	const struct enum_value *ev; /* FT_ENUM: the value's entry, NULL when unknown */
};

struct event {
	const char *line;      /* the first line's text as sent: type, words and keywords point into it */
	size_t line_len;
	/* What the first line is known to be free of, looked at once here for
	 * the renderers: EVENT_LINE_PRINTABLE (all printable ASCII: pretty
	 * copies text from it as it is), EVENT_LINE_JSON_PLAIN (that, and no
	 * '"' or '\\': JSON does too). 0 knows nothing. */
	unsigned line_plain;
	const char *type;      /* the event name as sent */
	size_t type_len;
	const struct event_def *def; /* NULL for an event type torsh does not know */
	struct ev_field *fields;
	size_t nfields, cap;
	const char *data;      /* a data block (NS, NEWCONSENSUS, HS_DESC_CONTENT), '\n' line ends */
	size_t data_len;
	bool message_in_data;  /* a log event of several lines: its last field, Message, is the data block */
	struct buf store;      /* unescaped values live here */
	/* Enum values looked up before, by table and value as sent: a
	 * flood repeats a handful of them (enum_lookup_n compares names one
	 * by one). Only a cache: the result is the same without it. */
	struct enum_memo {
		const struct enum_table *table;
		const struct enum_value *ev;
		unsigned char len;
		char val[23];
	} memo[64];
	/* The same for event types: a def by the type's bytes as sent. */
	const struct event_def *def_memo[16];
	size_t kw_next;        /* the schema keyword after the last one found */
};

#define EVENT_LINE_PRINTABLE 1u
#define EVENT_LINE_JSON_PLAIN 2u

/* Parse an event message into `ev`, reusing its storage (so a flood costs no
 * allocations once warm). Names and values point into `m` or ev->store: the
 * result is valid while both are. 0, or -1 when `m` is not an event. */
int event_parse(const struct tc_msg *m, struct event *ev);
void event_free(struct event *ev);

/* The first field with this name (schema or keyword name), or NULL. */
const struct ev_field *event_get(const struct event *ev, const char *name);

/* Tor's token rules for a line of KEY=VALUE and bare words, shared with the
 * reply renderers: the length of the token at p (a space outside quotes
 * ends it) and, via *klen, the length of its KEY when it is KEY=VALUE (0
 * when it is a bare word). */
size_t event_token(const char *p, size_t n, size_t *klen);

/* How many event types torsh can know: a set of them is one uint64_t, a bit
 * per event_defs[] index (shellcmd.h), and the flood counters (flood.h)
 * keep one slot more for types torsh does not know. */
#define EVENT_DEFS_MAX 63

extern const struct event_def event_defs[];
extern const size_t event_def_count;
/* Case-insensitive; NULL for an event type torsh has no schema for. */
const struct event_def *event_def_find(const char *name, size_t len);
#endif
