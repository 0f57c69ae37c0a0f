/* The enum tables against the seed (stem's enum reference), parsed here at run
 * time so that a description can only pass by matching the reference, never
 * by being copied from the table under test; then the integrity rules the
 * renderers rely on, and the lookup API. The seed lives beside the
 * repository (../shared/seeds, as in CI), not in it: where it is absent, as
 * in a fresh clone, the comparison is skipped with the reason; where
 * TORSH_SEEDS names a folder, a missing seed there fails, as asked. */
#include <stdlib.h>

#include "enums.h"
#include "tap.h"

#define SEED_FILE "000_7cde19b1aab479fb.txt"
#define MAX_ENUMS 64
#define MAX_ROWS 64

struct seed_row {
	const char *name;
	const char *alias; /* "RELOAD or HUP ...": HUP, with name RELOAD */
	const char *desc;
};

struct seed_enum {
	const char *name;
	const char *summary;  /* first paragraph after the heading */
	char includes[64];    /* "includes all values in the X enumeration" */
	int in_rows;          /* past the "<name> Description" heading */
	struct seed_row rows[MAX_ROWS];
	size_t nrows;
};

static struct seed_enum seeds[MAX_ENUMS];
static size_t nseeds;
static int parse_errors;

static int ieq(const char *a, const char *b)
{
	if (!a || !b)
		return 0;
	for (; *a && *b; a++, b++) {
		int ca = (unsigned char)*a, cb = (unsigned char)*b;
		if (ca >= 'A' && ca <= 'Z')
			ca += 'a' - 'A';
		if (cb >= 'A' && cb <= 'Z')
			cb += 'a' - 'A';
		if (ca != cb)
			return 0;
	}
	return *a == *b;
}

/* The seed is rendered HTML: runs of blanks and stray CRs are layout, not
 * content. */
static void normalise(char *s)
{
	size_t o = 0;
	int pending = 0;
	for (size_t i = 0; s[i]; i++) {
		char c = s[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f') {
			pending = o > 0;
			continue;
		}
		if (pending)
			s[o++] = ' ';
		pending = 0;
		s[o++] = c;
	}
	s[o] = '\0';
}

static int is_ident(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

static void parse_row(struct seed_enum *e, char *line)
{
	if (e->nrows == MAX_ROWS) {
		parse_errors++;
		printf("# %s: more than %d rows\n", e->name, MAX_ROWS);
		return;
	}
	struct seed_row *r = &e->rows[e->nrows];
	char *sp = strchr(line, ' ');
	if (!sp) {
		parse_errors++;
		printf("# %s: row without description: '%s'\n", e->name, line);
		return;
	}
	*sp = '\0';
	r->name = line;
	r->alias = NULL;
	char *rest = sp + 1;
	if (strncmp(rest, "or ", 3) == 0) {
		char *alias = rest + 3, *end = strchr(alias, ' ');
		if (end && is_ident(alias, (size_t)(end - alias))) {
			*end = '\0';
			r->alias = alias;
			rest = end + 1;
		}
	}
	r->desc = rest;
	e->nrows++;
}

static void parse_seed(char *text)
{
	struct seed_enum *cur = NULL;
	for (char *line = text, *next; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		normalise(line);
		size_t len = strlen(line);
		const char *suffix = "(enum)";
		if (strncmp(line, "stem.", 5) == 0 && len > 5 + strlen(suffix) &&
		    strcmp(line + len - strlen(suffix), suffix) == 0) {
			if (nseeds == MAX_ENUMS) {
				parse_errors++;
				cur = NULL;
				continue;
			}
			cur = &seeds[nseeds++];
			line[len - strlen(suffix)] = '\0';
			cur->name = line + 5;
			continue;
		}
		if (strncmp(line, "exception ", 10) == 0) {
			cur = NULL;
			continue;
		}
		if (!cur || len == 0)
			continue;
		if (cur->in_rows) {
			parse_row(cur, line);
			continue;
		}
		if (!cur->summary) {
			cur->summary = line;
			const char *k = strstr(line, "includes all values in the ");
			if (k) {
				k += strlen("includes all values in the ");
				const char *end = strchr(k, ' ');
				if (end && strncmp(end, " enumeration", 12) == 0 && (size_t)(end - k) < sizeof cur->includes)
					snprintf(cur->includes, sizeof cur->includes, "%.*s", (int)(end - k), k);
			}
		}
		/* HiddenServiceState has a "Prefix Description" table before its
		 * own; only the heading naming the enum starts the values. */
		size_t nl = strlen(cur->name);
		if (strncmp(line, cur->name, nl) == 0 && strcmp(line + nl, " Description") == 0)
			cur->in_rows = 1;
	}
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	for (;;) {
		if (!buf)
			break;
		if (len + 1 >= cap) {
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		size_t n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
	}
	if (buf)
		buf[len] = '\0';
	fclose(f);
	return buf;
}

static const struct seed_enum *seed_find(const char *name)
{
	for (size_t i = 0; i < nseeds; i++)
		if (strcmp(seeds[i].name, name) == 0)
			return &seeds[i];
	return NULL;
}

/* A seed value is found by its wire name or, where tor spells it otherwise
 * (STATUS_GENERAL for GENERAL), by the name the seed uses. */
static const struct enum_value *find_seed_value(const struct enum_table *t, const char *seed_name)
{
	const struct enum_value *v = enum_lookup(t, seed_name);
	if (v)
		return v;
	for (size_t i = 0; i < t->count; i++)
		if (t->values[i].seed_name && strcmp(t->values[i].seed_name, seed_name) == 0)
			return &t->values[i];
	return NULL;
}

static int seed_has(const struct seed_enum *e, const struct enum_value *v)
{
	for (size_t i = 0; i < e->nrows; i++) {
		const struct seed_row *r = &e->rows[i];
		const char *names[2] = { r->name, r->alias };
		for (size_t k = 0; k < 2; k++)
			if (names[k] && (ieq(names[k], v->name) || (v->seed_name && strcmp(names[k], v->seed_name) == 0)))
				return 1;
	}
	return 0;
}

static void check_seed_value(const struct enum_table *t, const char *name, const char *desc, const char *seed_alias_of)
{
	const struct enum_value *v = find_seed_value(t, name);
	CHECK(v != NULL, "%s.%s from the seed is in the table", t->name, name);
	if (!v)
		return;
	/* A corrected description keeps the seed's words beside it. */
	CHECK_STR(v->seed_desc ? v->seed_desc : v->desc, desc, "%s.%s has the seed's description", t->name, name);
	CHECK(!(v->flags & ENUM_EXTRA), "%s.%s is not marked extra", t->name, name);
	if (!seed_alias_of) {
		CHECK(v->alias_of == NULL, "%s.%s is not an alias", t->name, name);
		return;
	}
	/* An alias may point elsewhere than the seed says only with a note
	 * saying why (INT: tor does HALT, the seed says SHUTDOWN). */
	int ok = v->alias_of && (strcmp(v->alias_of, seed_alias_of) == 0 || (v->note && *v->note));
	CHECK(ok, "%s.%s is an alias of %s (or notes why not): alias_of=%s", t->name, name, seed_alias_of,
	      v->alias_of ? v->alias_of : "(null)");
}

static void check_against_seed(void)
{
	const char *dir = getenv("TORSH_SEEDS");
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "../shared/seeds", SEED_FILE);
	char *text = slurp(path);
	if (!text && !(dir && *dir)) {
		SKIP("seed %s is absent (it sits beside the repository; set TORSH_SEEDS to its folder)", path);
		return;
	}
	CHECK(text != NULL, "seed %s is readable", path);
	if (!text)
		return;
	parse_seed(text);
	CHECK(parse_errors == 0, "seed parsed without errors");
	CHECK(nseeds > 0, "seed has enumerations (%zu)", nseeds);
	CHECK(nseeds == enum_table_count, "one table per seed enumeration (%zu seed, %zu tables)", nseeds,
	      enum_table_count);

	size_t nvalues = 0;
	for (size_t i = 0; i < nseeds; i++) {
		const struct seed_enum *e = &seeds[i];
		const struct enum_table *t = enum_table_find(e->name);
		CHECK(t != NULL, "seed enumeration %s has a table", e->name);
		if (!t)
			continue;
		CHECK_STR(t->name, e->name, "table %s is spelled as in the seed", e->name);
		CHECK_STR(t->desc, e->summary, "table %s has the seed's summary", e->name);
		CHECK(e->nrows > 0, "seed enumeration %s has values", e->name);
		for (size_t j = 0; j < e->nrows; j++) {
			const struct seed_row *r = &e->rows[j];
			check_seed_value(t, r->name, r->desc, NULL);
			nvalues++;
			if (r->alias) {
				check_seed_value(t, r->alias, r->desc, r->name);
				nvalues++;
			}
		}
		if (e->includes[0]) {
			const struct seed_enum *inc = seed_find(e->includes);
			CHECK(inc != NULL, "%s includes %s, which the seed defines", e->name, e->includes);
			for (size_t j = 0; inc && j < inc->nrows; j++)
				check_seed_value(t, inc->rows[j].name, inc->rows[j].desc, NULL);
		}
	}
	CHECK(nvalues >= 100, "seed yielded %zu values", nvalues);

	/* The other direction: a value the seed lacks must say so. */
	for (size_t i = 0; i < enum_table_count; i++) {
		const struct enum_table *t = &enum_tables[i];
		const struct seed_enum *e = seed_find(t->name);
		CHECK(e != NULL, "table %s is a seed enumeration", t->name);
		if (!e)
			continue;
		const struct seed_enum *inc = e->includes[0] ? seed_find(e->includes) : NULL;
		int bad = 0;
		for (size_t j = 0; j < t->count; j++) {
			const struct enum_value *v = &t->values[j];
			if (v->flags & ENUM_EXTRA)
				continue;
			if (!seed_has(e, v) && !(inc && seed_has(inc, v))) {
				printf("# %s.%s is neither in the seed nor marked ENUM_EXTRA\n", t->name, v->name);
				bad++;
			}
		}
		CHECK(bad == 0, "every non-extra value of %s is in the seed", t->name);
	}
	free(text);
}

static int normalised_line(const char *s)
{
	if (!s || !*s || *s == ' ')
		return 0;
	for (const char *p = s; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return 0;
		if (*p == ' ' && (p[1] == ' ' || p[1] == '\0'))
			return 0;
	}
	return 1;
}

static void check_integrity(void)
{
	CHECK(enum_table_count > 0, "there are tables");
	for (size_t i = 0; i < enum_table_count; i++) {
		const struct enum_table *t = &enum_tables[i];
		int dup = 0;
		for (size_t k = 0; k < i; k++)
			dup |= ieq(enum_tables[k].name, t->name);
		CHECK(!dup, "table %s is not duplicated", t->name);
		CHECK(t->count >= 1 && t->values != NULL, "%s has values (%zu)", t->name, t->count);
		CHECK(normalised_line(t->desc), "%s has a one-line summary", t->name);
		int bad = 0;
		for (size_t j = 0; j < t->count; j++) {
			const struct enum_value *v = &t->values[j];
			const char *why = NULL;
			size_t nl = v->name ? strlen(v->name) : 0;
			int name_ok = nl > 0;
			for (size_t c = 0; c < nl; c++) {
				char ch = v->name[c];
				if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'))
					name_ok = 0;
			}
			if (!name_ok)
				why = "name is not a wire token";
			else if (!normalised_line(v->desc))
				why = "description is empty or not one normalised line";
			else if ((v->flags & ENUM_EXTRA) && (v->flags & ENUM_GONE))
				why = "both extra and gone";
			else if (v->flags & ~(unsigned)(ENUM_EXTRA | ENUM_GONE | ENUM_STOPS_TOR))
				why = "unknown flag bits";
			else if ((v->flags & ENUM_STOPS_TOR) && t != ENUM_TABLE(ET_SIGNAL))
				why = "only a signal stops tor";
			else if (v->since && !*v->since)
				why = "empty since";
			else if (v->note && !normalised_line(v->note))
				why = "note is empty or not one normalised line";
			else if (v->seed_name && ieq(v->seed_name, v->name))
				why = "seed_name only differs by case";
			if (!why && v->alias_of) {
				const struct enum_value *a = enum_lookup(t, v->alias_of);
				if (!a || a == v)
					why = "alias_of names no other value of the table";
				else if (a->alias_of)
					why = "alias of an alias";
			}
			for (size_t k = 0; !why && k < j; k++)
				if (ieq(t->values[k].name, v->name))
					why = "duplicate name";
			if (why) {
				printf("# %s.%s: %s\n", t->name, v->name ? v->name : "(null)", why);
				bad++;
			}
		}
		CHECK(bad == 0, "%s: names unique, descriptions one line, flags and aliases consistent", t->name);
	}
}

static void check_lookup(void)
{
	const struct enum_table *cs = enum_table_find("CircStatus");
	CHECK(cs != NULL, "CircStatus found");
	CHECK(enum_table_find("circstatus") == cs && enum_table_find("CIRCSTATUS") == cs, "table lookup ignores case");
	CHECK(enum_table_find("CircStatu") == NULL, "table prefix is not a match");
	CHECK(enum_table_find("NoSuchEnum") == NULL, "unknown table is NULL");
	CHECK(enum_table_find(NULL) == NULL, "NULL table name is NULL");
	if (!cs)
		return;

	const struct enum_value *v = enum_lookup(cs, "built");
	CHECK(v != NULL && strcmp(v->name, "BUILT") == 0, "lookup ignores case (built)");
	CHECK(enum_lookup(cs, "BuIlT") == v, "lookup ignores case (BuIlT)");
	CHECK(enum_lookup(cs, "BUILDING") == NULL, "unknown value is NULL");
	CHECK(enum_lookup(cs, "BUIL") == NULL, "prefix is not a match");
	CHECK(enum_lookup(cs, "BUILT ") == NULL, "trailing space is not a match");
	CHECK(enum_lookup(cs, "") == NULL, "empty value is NULL");
	CHECK(enum_lookup(cs, NULL) == NULL, "NULL value is NULL");
	CHECK(enum_lookup(NULL, "BUILT") == NULL, "NULL table is NULL");
	CHECK(enum_lookup_n(cs, "BUILTxyz", 5) == v, "lookup_n stops at len");
	CHECK(enum_lookup_n(cs, "BUILT", 4) == NULL, "lookup_n needs the whole name");
	CHECK(enum_lookup_n(cs, "BUILT\0", 6) == NULL, "lookup_n does not stop at NUL");
	CHECK(enum_lookup_n(cs, "x", 0) == NULL, "lookup_n of nothing is NULL");

	/* Lookups are by wire name: tor writes NoEdConsensus, stem says
	 * NO_ED_CONSENSUS. */
	const struct enum_table *fl = enum_table_find("Flag");
	CHECK(fl && enum_lookup(fl, "noedconsensus") && !enum_lookup(fl, "NO_ED_CONSENSUS"), "flags by wire name");
	const struct enum_table *st = enum_table_find("StatusType");
	CHECK(st && enum_lookup(st, "STATUS_CLIENT") && !enum_lookup(st, "CLIENT"), "status types by wire name");
}

/* Values the digest (§4, §4.31) says tor 0.4.9.11 emits and stem lacks. */
static void check_extras(void)
{
	static const char *const extras[][2] = {
		{ "CircPurpose", "HS_CLIENT_HSDIR" },      { "CircPurpose", "HS_SERVICE_HSDIR" },
		{ "CircPurpose", "PATH_BIAS_TESTING" },    { "CircPurpose", "HS_VANGUARDS" },
		{ "CircPurpose", "CIRCUIT_PADDING" },      { "CircPurpose", "CONFLUX_UNLINKED" },
		{ "CircPurpose", "CONFLUX_LINKED" },       { "CircClosureReason", "CHANNEL_CLOSED" },
		{ "CircClosureReason", "IP_NOW_REDUNDANT" }, { "StreamStatus", "CONTROLLER_WAIT" },
		{ "StreamStatus", "XOFF_SENT" },           { "StreamStatus", "XOFF_RECV" },
		{ "StreamStatus", "XON_SENT" },            { "StreamStatus", "XON_RECV" },
		{ "StreamClosureReason", "CANT_ATTACH" },  { "StreamClosureReason", "NET_UNREACHABLE" },
		{ "StreamClosureReason", "SOCKS_PROTOCOL" }, { "StreamClosureReason", "HTTP_PROTOCOL" },
		{ "ORClosureReason", "TLS_ERROR" },        { "ORClosureReason", "UNKNOWN" },
		{ "GuardStatus", "BAD_L2" },               { "GuardStatus", "GOOD_L2" },
	};
	for (size_t i = 0; i < sizeof extras / sizeof extras[0]; i++) {
		const struct enum_value *v = enum_lookup(enum_table_find(extras[i][0]), extras[i][1]);
		CHECK(v && (v->flags & ENUM_EXTRA) && v->desc && *v->desc, "%s.%s is an extra with a description",
		      extras[i][0], extras[i][1]);
	}
	for (size_t i = 0; i < enum_table_count; i++)
		for (size_t j = 0; j < enum_tables[i].count; j++) {
			const struct enum_value *v = &enum_tables[i].values[j];
			if (v->flags & ENUM_EXTRA)
				CHECK(v->desc && *v->desc, "%s.%s (extra) has a description", enum_tables[i].name, v->name);
		}

	/* Digest §3.7: tor treats INT as HALT, not as the seed's SHUTDOWN. */
	const struct enum_value *v = enum_lookup(enum_table_find("Signal"), "INT");
	CHECK(v && v->alias_of && strcmp(v->alias_of, "HALT") == 0 && v->note, "Signal INT is an alias of HALT");
	v = enum_lookup(enum_table_find("CircClosureReason"), "OR_CONN_CLOSED");
	CHECK(v && (v->flags & ENUM_GONE), "CircClosureReason OR_CONN_CLOSED is marked gone");
}

/* Descriptions torsh corrects on purpose, and why: each keeps the seed's
 * words in seed_desc, says what tor means in desc, and where the two differ
 * in note. No other value may depart from the seed. */
static void check_corrections(void)
{
	static const char *const fixed[][3] = {
		/* the HSCR_ and HSSR_ states are rendezvous circuits' */
		{ "HiddenServiceState", "HSCR_CONNECTING", "rendezvous point" },
		{ "HiddenServiceState", "HSSR_CONNECTING", "rendezvous point" },
		/* a service publishing its own descriptor uploads too */
		{ "HSDescAction", "UPLOAD", "publishing its own" },
		{ "HSDescAction", "UPLOADED", "publishing its own" },
		/* FAILED with REASON=UPLOAD_REJECTED is a failed upload */
		{ "HSDescAction", "FAILED", "UPLOAD_REJECTED" },
		/* CLOSECIRCUIT closes with REASON=REQUESTED */
		{ "CircClosureReason", "REQUESTED", "controller" },
	};
	size_t n = sizeof fixed / sizeof fixed[0], seen = 0;
	for (size_t i = 0; i < n; i++) {
		const struct enum_value *v = enum_lookup(enum_table_find(fixed[i][0]), fixed[i][1]);
		CHECK(v && v->seed_desc && v->note && strcmp(v->desc, v->seed_desc) != 0 && strstr(v->desc, fixed[i][2]),
		      "%s.%s corrects the seed (says '%s'), keeps its words and notes why", fixed[i][0], fixed[i][1],
		      fixed[i][2]);
	}
	for (size_t i = 0; i < enum_table_count; i++)
		for (size_t j = 0; j < enum_tables[i].count; j++) {
			const struct enum_value *v = &enum_tables[i].values[j];
			if (v->seed_desc == NULL)
				continue;
			seen++;
			CHECK(normalised_line(v->seed_desc) && !(v->flags & ENUM_EXTRA),
			      "%s.%s: the seed's words are one line, of a seed value", enum_tables[i].name, v->name);
		}
	CHECK(seen == n, "exactly the listed corrections depart from the seed (%zu, %zu listed)", seen, n);
}

int main(void)
{
	check_against_seed();
	check_integrity();
	check_lookup();
	check_extras();
	check_corrections();
	return tap_done();
}
