/* Circuits, streams and descriptors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmdparse.h"
#include "enums.h"
#include "argval.h"

/* A circuit's purpose= as EXTENDCIRCUIT and SETCIRCUITPURPOSE take it. */
static const struct arg_word circ_purpose = {.key = "purpose", .values = (const char *const[]){"general", "controller", NULL}};

static int parse_purpose(struct pctx *p, const struct tok *t)
{
	char list[80];
	if (t->quoted || !t->has_eq)
		return p_fail(p, t, "purpose: expected %s", words_or(circ_purpose.values, "purpose=", list, sizeof(list)));
	const char *v = arg_value(t, &circ_purpose);
	if (v)
		return out_kv(p, circ_purpose.key, v, strlen(v));
	char shown[80];
	val_display(t->val, t->val_len, shown, sizeof(shown));
	return p_fail(p, t, "purpose: expected %s, got '%s'", words_or(circ_purpose.values, NULL, list, sizeof(list)),
		      shown);
}

/* PATH: comma-separated relays, checked hop by hop on the text as typed
 * (a "$FP=nick" hop would otherwise be split at its '='). */
static int parse_path(struct pctx *p, const struct tok *t)
{
	const char *v = p->line + t->off;
	char msg[200], shown[80];
	if (t->quoted)
		return p_fail(p, t, "PATH: expected relays separated by commas, or purpose=...");
	size_t start = 0;
	for (size_t i = 0; i <= t->len; i++) {
		if (i < t->len && v[i] != ',')
			continue;
		if (i == start || val_relay(v + start, i - start, msg, sizeof(msg)) < 0) {
			val_display(v + start, i - start, shown, sizeof(shown));
			return p_fail(p, t, "PATH: hop %s: %s", shown[0] ? shown : "(empty)",
				      i == start ? "expected a relay" : msg);
		}
		start = i + 1;
	}
	return out_word(p, v, t->len);
}

/* Tor takes the path only from the first argument after CIRCUIT and
 * ignores any other bare word, so a path after purpose= or a second one
 * would be dropped without a word: refuse them here. */
static int parse_extendcircuit(struct pctx *p)
{
	const struct tok *t;
	uint64_t id;
	bool have_path = false, have_purpose = false;
	if (p_need(p, &t, "CIRCUIT", "a circuit id (0 builds a new circuit)") < 0 ||
	    arg_id(p, t, "CIRCUIT", true, &id) < 0)
		return -1;
	while ((t = p_next(p)) != NULL) {
		char shown[80];
		if (p_key_is(p, t, circ_purpose.key)) {
			if (have_purpose)
				return p_fail(p, t, "purpose: given twice (tor would use the first)");
			if (parse_purpose(p, t) < 0)
				return -1;
			have_purpose = true;
			continue;
		}
		p_show(p, t, shown, sizeof(shown));
		if (have_path || have_purpose)
			return p_fail(p, t, "PATH: '%s' would be ignored: tor reads one comma-separated path, right "
				      "after CIRCUIT (usage: %s %s)", shown, p->out->def->name, p->out->def->usage);
		if (parse_path(p, t) < 0)
			return -1;
		have_path = true;
	}
	/* tor answers 512 "path required" for an existing circuit without one */
	if (id != 0 && !have_path)
		return p_fail(p, NULL, "missing PATH: extending circuit %llu needs the relays to add, RELAY[,RELAY...]",
			      (unsigned long long)id);
	return 0;
}

static int parse_setcircuitpurpose(struct pctx *p)
{
	const struct tok *t;
	if (p_need(p, &t, "CIRCUIT", "a circuit id") < 0 || arg_id(p, t, "CIRCUIT", false, NULL) < 0)
		return -1;
	/* without purpose= tor answers 552 (it crashes without any argument) */
	char list[80];
	words_or(circ_purpose.values, "purpose=", list, sizeof(list));
	if (p_need(p, &t, "purpose", list) < 0)
		return -1;
	if (!p_key_is(p, t, circ_purpose.key))
		return p_fail(p, t, "purpose: expected %s", list);
	if (parse_purpose(p, t) < 0)
		return -1;
	return p_end(p);
}

static const struct arg_word attach_hop = {.key = "HOP", .values = NULL};

static int parse_attachstream(struct pctx *p)
{
	const struct tok *t;
	if (p_need(p, &t, "STREAM", "a stream id") < 0 || arg_id(p, t, "STREAM", false, NULL) < 0 ||
	    p_need(p, &t, "CIRCUIT", "a circuit id (0: let tor choose)") < 0 || arg_id(p, t, "CIRCUIT", true, NULL) < 0)
		return -1;
	if ((t = p_next(p)) != NULL) {
		char msg[200];
		uint64_t hop;
		if (!p_key_is(p, t, attach_hop.key) || t->quoted)
			return p_fail(p, t, "HOP: expected HOP=N (the hop to exit from)");
		if (val_id(t->val, false, &hop, msg, sizeof(msg)) < 0 || hop > 255)
			return p_fail(p, t, "HOP: expected a hop number 1-255");
		if (out_kv(p, attach_hop.key, t->val, t->val_len) < 0)
			return -1;
	}
	return p_end(p);
}

static const struct arg_word postdesc_purpose = {.key = "purpose", .values = (const char *const[]){"general", "controller", "bridge", NULL}};
static const struct arg_word postdesc_cache = {.key = "cache", .values = (const char *const[]){"yes", "no", NULL}};

static int parse_postdescriptor(struct pctx *p)
{
	const struct tok *t;
	while ((t = p_next(p)) != NULL) {
		const struct arg_word *a = arg_find(p, t, ARGS(&postdesc_purpose, &postdesc_cache));
		if (a) {
			const char *v = arg_value(t, a);
			char list[80];
			if (v == NULL)
				return p_fail(p, t, "%s: expected %s", a->key,
					      words_or(a->values, a == &postdesc_cache ? "cache=" : NULL, list, sizeof(list)));
			if (out_kv(p, a->key, v, strlen(v)) < 0)
				return -1;
		} else if (!t->has_eq && !t->quoted && t->val_len > 1 && t->val[0] == '@' && p_peek(p) == NULL) {
			p->out->body_file = strndup(t->val + 1, t->val_len - 1);
		} else {
			return p_fail(p, t, "expected purpose=..., cache=yes|no or @FILE (the descriptor is the body)");
		}
	}
	return 0;
}

static int parse_redirectstream(struct pctx *p)
{
	const struct tok *t;
	if (p_need(p, &t, "STREAM", "a stream id") < 0 || arg_id(p, t, "STREAM", false, NULL) < 0 ||
	    p_need(p, &t, "ADDRESS", "a host name or address") < 0)
		return -1;
	if (t->has_eq || t->quoted || !val_is_printable(t->val, t->val_len))
		return p_fail(p, t, "ADDRESS: expected a host name or address");
	if (out_word(p, t->val, t->val_len) < 0)
		return -1;
	if ((t = p_next(p)) != NULL) {
		char msg[200];
		if (t->has_eq || t->quoted || val_port(t->val, t->val_len, msg, sizeof(msg)) < 0)
			return p_fail(p, t, "PORT: %s", msg);
		if (out_word(p, t->val, t->val_len) < 0)
			return -1;
	}
	return p_end(p);
}

static int parse_closestream(struct pctx *p)
{
	const struct enum_table *rt = ENUM_TABLE(ET_RELAY_END_REASON);
	const struct tok *t;
	char what[80];
	snprintf(what, sizeof(what), "a reason: a number 1-%zu or a name such as DONE, MISC", rt->count);
	if (p_need(p, &t, "STREAM", "a stream id") < 0 || arg_id(p, t, "STREAM", false, NULL) < 0 ||
	    p_need(p, &t, "REASON", what) < 0)
		return -1;
	char num[8];
	uint64_t v;
	char msg[200];
	if (!t->has_eq && !t->quoted && val_id(t->val, false, &v, msg, sizeof(msg)) == 0 && v >= 1 && v <= 255) {
		if (out_word(p, t->val, t->val_len) < 0)
			return -1;
	} else {
		/* names map to the reason numbers of tor's RELAY_END cells,
		 * which the table lists in order from 1 */
		size_t idx = rt->count;
		for (size_t i = 0; i < rt->count; i++)
			if (!t->has_eq && strlen(rt->values[i].name) == t->val_len &&
			    strncasecmp(rt->values[i].name, t->val, t->val_len) == 0)
				idx = i;
		const char *guess = idx == rt->count ? p_suggest(t, enum_name_at, rt) : NULL;
		if (guess) {
			char shown[80];
			p_show(p, t, shown, sizeof(shown));
			return p_fail(p, t, "REASON: unknown reason '%s'; did you mean %s?", shown, guess);
		}
		if (idx == rt->count) {
			char names[400] = "";
			for (size_t i = 0; i < rt->count; i++)
				snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", i ? ", " : "",
					 rt->values[i].name);
			return p_fail(p, t, "REASON: expected a number 1-%zu or a reason name (%s)", rt->count, names);
		}
		int n = snprintf(num, sizeof(num), "%zu", idx + 1);
		if (out_word(p, num, (size_t)n) < 0)
			return -1;
	}
	return p_end(p);
}

static const struct arg_word closecircuit_flag = {.values = (const char *const[]){"IfUnused", NULL},
	.descs = (const char *const[]){"close it only if no stream uses it (else tor leaves it open)"}};

static int parse_closecircuit(struct pctx *p)
{
	const struct tok *t;
	if (p_need(p, &t, "CIRCUIT", "a circuit id") < 0 || arg_id(p, t, "CIRCUIT", false, NULL) < 0)
		return -1;
	if ((t = p_next(p)) != NULL) {
		const char *v = t->has_eq ? NULL : arg_value(t, &closecircuit_flag);
		char list[40], shown[80];
		const char *guess = v ? NULL : p_suggest(t, strings_name_at, closecircuit_flag.values);
		p_show(p, t, shown, sizeof(shown));
		if (guess)
			return p_fail(p, t, "flag: unknown flag '%s'; did you mean %s?", shown, guess);
		if (v == NULL)
			return p_fail(p, t, "flag: expected %s", words_or(closecircuit_flag.values, NULL, list, sizeof(list)));
		if (out_word(p, v, strlen(v)) < 0)
			return -1;
	}
	return p_end(p);
}

static int parse_obsolete(struct pctx *p)
{
	(void)p;
	return 0;
}

const struct cmd_def cmd_extendcircuit = {
	.name = "EXTENDCIRCUIT", .usage = "CIRCUIT [RELAY[,RELAY...]] [purpose=general|controller]",
	.since = "0.1.1.1-alpha (path optional since 0.2.2.9)",
	.summary = "build a new circuit (CIRCUIT 0) or extend one, through the given relays",
	.help = "RELAY is $FINGERPRINT, $FINGERPRINT~nickname or a nickname. A CIRCUIT other than 0 needs\n"
		"the relays to add. Tor answers EXTENDED <id> and reports progress as CIRC events.",
	.example = "EXTENDCIRCUIT 0 $AAAA...~guard,$BBBB...~middle purpose=general", .parse = parse_extendcircuit,
	.hints = {{.kind = HINT_CIRC_ID}, {.kind = HINT_RELAY}, {.kind = HINT_ARGS, .args = ARGS(&circ_purpose)}},
};
const struct cmd_def cmd_setcircuitpurpose = {
	.name = "SETCIRCUITPURPOSE", .usage = "CIRCUIT purpose=general|controller", .since = "0.1.1.15-rc",
	.summary = "change a circuit's purpose",
	.help = "Both are required. Without any argument tor 0.4.9.11 crashes (SIGSEGV: it reads the missing\n"
		"circuit id), so torsh never sends that, not even with /raw; without purpose= tor answers 552.",
	.example = "SETCIRCUITPURPOSE 12 purpose=controller", .parse = parse_setcircuitpurpose,
	.hints = {{.kind = HINT_CIRC_ID}, {.kind = HINT_ARGS, .args = ARGS(&circ_purpose)}},
};
const struct cmd_def cmd_setrouterpurpose = {
	.name = "SETROUTERPURPOSE", .usage = "", .since = "0.1.1.15-rc (obsolete since 0.2.0.8-alpha)",
	.flags = CMD_OBSOLETE,
	.summary = "obsolete: tor refuses it",
	.help = "obsolete since tor 0.2.0.8-alpha, tor only answers 511; use +POSTDESCRIPTOR purpose=... instead",
	.example = "", .parse = parse_obsolete,
};
const struct cmd_def cmd_attachstream = {
	.name = "ATTACHSTREAM", .usage = "STREAM CIRCUIT [HOP=N]", .since = "0.1.1.1-alpha",
	.summary = "attach a stream to a circuit (with __LeaveStreamsUnattached 1); CIRCUIT 0 lets tor choose",
	.help = "HOP=N makes the stream exit from the Nth hop.", .example = "ATTACHSTREAM 42 12",
	.parse = parse_attachstream,
	.hints = {{.kind = HINT_STREAM_ID}, {.kind = HINT_CIRC_ID}, {.kind = HINT_ARGS, .args = ARGS(&attach_hop)}},
};
const struct cmd_def cmd_postdescriptor = {
	.name = "POSTDESCRIPTOR", .usage = "[purpose=general|controller|bridge] [cache=yes|no] [@FILE]",
	.since = "0.1.1.1-alpha", .flags = CMD_BODY,
	.summary = "give tor a relay descriptor (the body)",
	.help = "Type the descriptor after the command, then a line '.'; or @FILE.",
	.example = "+POSTDESCRIPTOR purpose=general @desc.txt", .parse = parse_postdescriptor,
	.hints = {{.kind = HINT_ARGS, .args = ARGS(&postdesc_purpose, &postdesc_cache)},
		  {.kind = HINT_ARGS, .args = ARGS(&postdesc_purpose, &postdesc_cache)}},
};
const struct cmd_def cmd_redirectstream = {
	.name = "REDIRECTSTREAM", .usage = "STREAM ADDRESS [PORT]", .since = "0.1.1.1-alpha",
	.summary = "change a stream's destination before it is attached",
	.help = "", .example = "REDIRECTSTREAM 42 example.com 443", .parse = parse_redirectstream,
	.hints = {{.kind = HINT_STREAM_ID}, {.kind = HINT_NONE}},
};
const struct cmd_def cmd_closestream = {
	.name = "CLOSESTREAM", .usage = "STREAM REASON", .since = "0.1.1.1-alpha",
	.summary = "close a stream; REASON is a RELAY_END reason number or name (e.g. DONE, MISC)",
	.help = "Reason names are translated to their numbers: MISC 1 ... NOTDIRECTORY 14.",
	.example = "CLOSESTREAM 42 DONE", .parse = parse_closestream,
	.hints = {{.kind = HINT_STREAM_ID}, {.kind = HINT_ENUM, .table = ENUM_TABLE(ET_RELAY_END_REASON)},
		  {.kind = HINT_NONE}},
};
const struct cmd_def cmd_closecircuit = {
	.name = "CLOSECIRCUIT", .usage = "CIRCUIT [IfUnused]", .since = "0.1.1.1-alpha",
	.summary = "close a circuit (IfUnused: only if no streams use it)",
	.help = "", .example = "CLOSECIRCUIT 12 IfUnused", .parse = parse_closecircuit,
	.hints = {{.kind = HINT_CIRC_ID}, {.kind = HINT_ARGS, .args = ARGS(&closecircuit_flag)}, {.kind = HINT_NONE}},
};
