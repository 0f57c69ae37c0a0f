#include "typo.h"

#include <stdio.h>
#include <string.h>

#include "argval.h"
#include "escape.h"

/* tor 0.4.9.11's info/names, keys only; a key that takes an argument
 * ("ns/id/<id>") as its prefix. For scripts, which do not ask tor. */
static const char *const info_keys[] = {
	"accounting/bytes", "accounting/bytes-left", "accounting/enabled", "accounting/hibernating",
	"accounting/interval-end", "accounting/interval-start", "accounting/interval-wake", "address",
	"address-mappings/all", "address-mappings/cache", "address-mappings/config", "address-mappings/control",
	"address/v4", "address/v6", "bw-event-cache", "circuit-status", "config-can-saveconf",
	"config-defaults-file", "config-file", "config-text", "config/", "config/defaults", "config/names",
	"consensus/", "current-time/", "current-time/local", "current-time/utc", "desc-annotations/id/",
	"desc/all-recent", "desc/download-enabled", "desc/id/", "desc/name/", "dir/server/",
	"dir/status-vote/current/consensus", "dir/status-vote/current/consensus-microdesc", "dir/status/",
	"dormant", "downloads/bridge/", "downloads/bridge/bridges", "downloads/cert/", "downloads/cert/fp/",
	"downloads/cert/fps", "downloads/desc/", "downloads/desc/descs", "downloads/networkstatus/",
	"downloads/networkstatus/microdesc", "downloads/networkstatus/microdesc/bootstrap",
	"downloads/networkstatus/microdesc/running", "downloads/networkstatus/ns",
	"downloads/networkstatus/ns/bootstrap", "downloads/networkstatus/ns/running", "entry-guards",
	"events/names", "exit-policy/default", "exit-policy/full", "exit-policy/ipv4", "exit-policy/ipv6",
	"exit-policy/reject-private/default", "exit-policy/reject-private/relay", "extra-info/digest/",
	"features/names", "hs/client/desc/id/", "hs/service/desc/id/", "info/names", "ip-to-country/",
	"limits/max-mem-in-queues", "md/all", "md/download-enabled", "md/id/", "md/name/", "net/listeners/",
	"network-liveness", "network-status", "ns/all", "ns/id/", "ns/name/", "ns/purpose/", "onions/current",
	"onions/detached", "orconn-status", "process/descriptor-limit", "process/pid", "process/uid",
	"process/user", "signal/names", "sr/current", "sr/previous", "stats/ntor/", "stats/ntor/assigned",
	"stats/ntor/requested", "stats/tap/", "stats/tap/assigned", "stats/tap/requested",
	"status/bootstrap-phase", "status/circuit-established", "status/clients-seen", "status/enough-dir-info",
	"status/fresh-relay-descs", "status/version/current", "status/version/recommended", "stream-status",
	"traffic/read", "traffic/written", "uptime", "version", NULL,
};

static const char *info_key_at(const void *set, size_t i)
{
	(void)set;
	return info_keys[i];
}

static const char *wordlist_at(const void *set, size_t i)
{
	const struct wordlist *w = set;
	return i < w->n ? w->text.p + w->word[i] : NULL;
}

/* The name tor quotes in its 552: GETINFO's `Unrecognized key "X"`,
 * GETCONF's `Unrecognized configuration key "X"`, SETCONF's `Unknown
 * option 'X'.`: the first quoted span. */
static bool quoted_name(const struct tc_msg *m, const char **name, size_t *len)
{
	size_t n;
	const char *t = msg_first(m, &n);
	for (size_t i = 0; i < n; i++) {
		if (t[i] != '"' && t[i] != '\'')
			continue;
		const char *close = memchr(t + i + 1, t[i], n - i - 1);
		if (close == NULL || close == t + i + 1)
			return false;
		*name = t + i + 1;
		*len = (size_t)(close - *name);
		return true;
	}
	return false;
}

/* Tor's 513 Invalid argument "ADDRESS" for an address torsh checked
 * (length, base32, checksum, version): only the ed25519 point decoding
 * is left, which torsh does not do. */
static bool onion_note(const struct tc_msg *m, const struct cmd_def *def, struct buf *out)
{
	const char *name;
	size_t len;
	char msg[200];
	if (m->code != 513 || def == NULL || def->hints[0].kind != HINT_ONION_ID || !quoted_name(m, &name, &len) ||
	    val_onion_v3(name, len, msg, sizeof(msg)) < 0)
		return false;
	buf_printf(out, BUF_NOLIMIT, "the address is well-formed (its checksum is right) but its public key is not "
		   "a valid ed25519 point: no onion service can have it (a made-up or corrupted address)");
	return true;
}

bool typo_reply_hint(const struct tc_msg *m, const struct cmd_def *def, const struct catalog *c, struct buf *out)
{
	if (!m->event && onion_note(m, def, out))
		return true;
	const char *name, *guess = NULL;
	size_t len;
	if (m->event || m->code != 552 || def == NULL || !quoted_name(m, &name, &len))
		return false;
	enum hint_kind k = def->hints[0].kind;
	if (k == HINT_INFO_KEY)
		guess = c && c->info.n ? name_suggest(name, len, wordlist_at, &c->info)
				       : name_suggest(name, len, info_key_at, NULL);
	else if ((k == HINT_CONF_KEY || k == HINT_CONF_SET) && c && c->conf.n)
		guess = name_suggest(name, len, wordlist_at, &c->conf);
	if (guess == NULL)
		return false;
	/* a name from config/names came from tor: escaped like all it sends */
	buf_printf(out, BUF_NOLIMIT, "did you mean ");
	term_safe_append(out, guess, strlen(guess), BUF_NOLIMIT);
	buf_printf(out, BUF_NOLIMIT, "?");
	return true;
}
