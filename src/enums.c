/* Sources: descriptions and table summaries are the seed's words, typos
 * included, because tests/unit/test_enums.c holds them to the seed; where
 * the seed is wrong for tor 0.4.9.11 (seed_desc set), its words are kept
 * there, held to the seed the same way, and `note` says what differs. Wire
 * names, ENUM_EXTRA values, ENUM_GONE marks, notes and most `since` versions
 * come from the tor 0.4.9.11 digest (spec/control-protocol.md §3.7, §4,
 * §4.31). A `since` is only given where the seed or the digest names the
 * version for that value or for the whole enumeration; stem's own "changed in
 * version 1.x" lines are stem releases, not tor ones, and are not used. */
#include "enums.h"

#include <string.h>

static const struct enum_value runlevel[] = {
	{ .name = "ERR", .desc = "critical issues that impair tor's ability to function" },
	{ .name = "WARN", .desc = "non-critical issues the user should be aware of" },
	{ .name = "NOTICE", .desc = "information that may be helpful to the user" },
	{ .name = "INFO", .desc = "high level runtime information" },
	{ .name = "DEBUG", .desc = "low level runtime information" },
};

/* The aliases follow tor's `GETINFO signal/names` pairing. SIGNAL events
 * only ever carry the canonical names. */
static const struct enum_value signals[] = {
	{ .name = "RELOAD", .desc = "reloads our torrc" },
	{ .name = "HUP", .desc = "reloads our torrc", .alias_of = "RELOAD" },
	{ .name = "SHUTDOWN", .desc = "shut down, waiting ShutdownWaitLength first if we're a relay", .flags = ENUM_STOPS_TOR },
	/* The seed pairs INT with SHUTDOWN; tor 0.4.9.11 was seen exiting at once
	 * on INT where SHUTDOWN waited, so the alias points where tor does and
	 * the note keeps a renderer from repeating the seed's promise. */
	{ .name = "INT", .desc = "shut down, waiting ShutdownWaitLength first if we're a relay", .alias_of = "HALT", .flags = ENUM_STOPS_TOR,
	  .note = "tor 0.4.9.11 treats INT like HALT/TERM and exits at once, even on a relay; the seed (stem, the spec) pairs it with SHUTDOWN" },
	{ .name = "DUMP", .desc = "dumps information about open connections and circuits to our log" },
	{ .name = "USR1", .desc = "dumps information about open connections and circuits to our log", .alias_of = "DUMP" },
	{ .name = "DEBUG", .desc = "switch our logging to the DEBUG runlevel" },
	{ .name = "USR2", .desc = "switch our logging to the DEBUG runlevel", .alias_of = "DEBUG" },
	{ .name = "HALT", .desc = "exit tor immediately", .flags = ENUM_STOPS_TOR },
	{ .name = "TERM", .desc = "exit tor immediately", .alias_of = "HALT", .flags = ENUM_STOPS_TOR },
	{ .name = "NEWNYM", .desc = "switch to new circuits, so new application requests don't share any circuits with old ones (this also clears our DNS cache)", .since = "0.1.1.x" },
	{ .name = "CLEARDNSCACHE", .desc = "clears cached DNS results", .since = "0.1.2.3-alpha" },
	/* The digest marks this version as unverified. */
	{ .name = "HEARTBEAT", .desc = "trigger a heartbeat log message", .since = "0.2.6.2-alpha" },
	{ .name = "DORMANT", .desc = "enables dormant mode, during which tor will avoid cpu and network usage", .since = "0.4.0.1-alpha" },
	{ .name = "ACTIVE", .desc = "disables dormant mode", .since = "0.4.0.1-alpha" },
};

/* Relay flags appear in mixed case in consensus "s" lines and NS events; the
 * seed only shows stem's upper-case constants. The wire spellings are stem's
 * own enum values. */
static const struct enum_value flag[] = {
	{ .name = "Authority", .desc = "relay is a directory authority" },
	{ .name = "BadExit", .desc = "relay shouldn't be used as an exit due to being either problematic or malicious" },
	{ .name = "BadDirectory", .desc = "relay shouldn't be used for directory information", .flags = ENUM_GONE,
	  .note = "removed from tor" },
	{ .name = "Exit", .desc = "relay's exit policy makes it more useful as an exit rather than middle hop" },
	{ .name = "Fast", .desc = "relay's suitable for high-bandwidth circuits" },
	{ .name = "Guard", .desc = "relay's suitable for being an entry guard (first hop)" },
	{ .name = "HSDir", .desc = "relay is being used as a v2 hidden service directory" },
	{ .name = "Named", .desc = "relay can be referred to by its nickname" },
	{ .name = "NoEdConsensus", .desc = "relay's Ed25519 doesn't reflrect the consensus", .seed_name = "NO_ED_CONSENSUS" },
	{ .name = "Running", .desc = "relay is currently usable" },
	{ .name = "Stable", .desc = "relay's suitable for long-lived circuits" },
	{ .name = "StaleDesc", .desc = "relay descriptor is outdated and should be re-uploaded", .seed_name = "STALE_DESC" },
	{ .name = "Unnamed", .desc = "relay isn't currently bound to a nickname" },
	{ .name = "V2Dir", .desc = "relay supports the v2 directory protocol" },
	{ .name = "Valid", .desc = "relay has been validated" },
};

static const struct enum_value circ_status[] = {
	{ .name = "LAUNCHED", .desc = "new circuit was created" },
	{ .name = "BUILT", .desc = "circuit finished being created and can accept traffic" },
	{ .name = "GUARD_WAIT", .desc = "waiting to see if there's a circuit with a better guard before using",
	  .note = "tor 0.4.9.11 reports it only in GETINFO circuit-status, never in a CIRC event" },
	{ .name = "EXTENDED", .desc = "circuit has been extended by a hop" },
	{ .name = "FAILED", .desc = "circuit construction failed" },
	{ .name = "CLOSED", .desc = "circuit has been closed" },
};

static const struct enum_value circ_build_flag[] = {
	{ .name = "ONEHOP_TUNNEL", .desc = "single hop circuit to fetch directory information", .since = "0.2.3.11" },
	{ .name = "IS_INTERNAL", .desc = "circuit that won't be used for client traffic", .since = "0.2.3.11" },
	{ .name = "NEED_CAPACITY", .desc = "circuit only includes high capacity relays", .since = "0.2.3.11" },
	{ .name = "NEED_UPTIME", .desc = "circuit only includes relays with a high uptime", .since = "0.2.3.11" },
};

static const struct enum_value circ_purpose[] = {
	{ .name = "GENERAL", .desc = "client traffic or fetching directory information", .since = "0.2.1.6" },
	{ .name = "HS_CLIENT_INTRO", .desc = "client side introduction point for a hidden service circuit", .since = "0.2.1.6" },
	{ .name = "HS_CLIENT_REND", .desc = "client side hidden service rendezvous circuit", .since = "0.2.1.6" },
	{ .name = "HS_SERVICE_INTRO", .desc = "server side introduction point for a hidden service circuit", .since = "0.2.1.6" },
	{ .name = "HS_SERVICE_REND", .desc = "server side hidden service rendezvous circuit", .since = "0.2.1.6" },
	{ .name = "TESTING", .desc = "testing to see if we're reachable, so we can be used as a relay", .since = "0.2.1.6" },
	{ .name = "CONTROLLER", .desc = "circuit that was built by a controller", .since = "0.2.1.6" },
	{ .name = "MEASURE_TIMEOUT", .desc = "circuit being kept around to see how long it takes", .since = "0.2.1.6" },
	{ .name = "HS_CLIENT_HSDIR", .desc = "client side circuit to a hidden service directory, fetching a service's descriptor", .flags = ENUM_EXTRA },
	{ .name = "HS_SERVICE_HSDIR", .desc = "server side circuit to a hidden service directory, uploading our service's descriptor", .flags = ENUM_EXTRA },
	{ .name = "PATH_BIAS_TESTING", .desc = "circuit used to probe whether its path still works (path bias detection)", .flags = ENUM_EXTRA },
	{ .name = "HS_VANGUARDS", .desc = "circuit built ahead of time through vanguards, waiting to be used for a hidden service", .flags = ENUM_EXTRA },
	{ .name = "CIRCUIT_PADDING", .desc = "circuit kept open only to carry padding, hiding when it really closed", .flags = ENUM_EXTRA },
	{ .name = "CONFLUX_UNLINKED", .desc = "conflux leg that is built but not yet linked into a multi-path set", .flags = ENUM_EXTRA },
	{ .name = "CONFLUX_LINKED", .desc = "conflux leg linked into a multi-path set, carrying client traffic", .flags = ENUM_EXTRA },
	{ .name = "SERVER", .desc = "circuit that passes through us as a relay; controllers should never see it", .flags = ENUM_EXTRA },
};

static const struct enum_value circ_closure_reason[] = {
	{ .name = "NONE", .desc = "no reason given" },
	{ .name = "TORPROTOCOL", .desc = "violation in the tor protocol" },
	{ .name = "INTERNAL", .desc = "internal error" },
	{ .name = "REQUESTED", .desc = "closed on request: by a controller (CLOSECIRCUIT) or by the client via a TRUNCATE command",
	  .seed_desc = "requested by the client via a TRUNCATE command",
	  .note = "tor 0.4.9.11 also gives this reason for a circuit a controller closed with CLOSECIRCUIT; the seed names only TRUNCATE" },
	{ .name = "HIBERNATING", .desc = "relay is currently hibernating" },
	{ .name = "RESOURCELIMIT", .desc = "relay is out of memory, sockets, or circuit IDs" },
	{ .name = "CONNECTFAILED", .desc = "unable to contact the relay" },
	{ .name = "OR_IDENTITY", .desc = "relay had the wrong OR identification" },
	{ .name = "OR_CONN_CLOSED", .desc = "connection failed after being established", .flags = ENUM_GONE,
	  .note = "tor 0.4.9.11 names this reason (code 8) CHANNEL_CLOSED" },
	{ .name = "FINISHED", .desc = "circuit has expired (see tor's MaxCircuitDirtiness config option)" },
	{ .name = "TIMEOUT", .desc = "circuit construction timed out" },
	{ .name = "DESTROYED", .desc = "circuit unexpectedly closed" },
	{ .name = "NOPATH", .desc = "not enough relays to make a circuit" },
	{ .name = "NOSUCHSERVICE", .desc = "requested hidden service does not exist" },
	{ .name = "MEASUREMENT_EXPIRED", .desc = "same as TIMEOUT except that it was left open for measurement purposes" },
	{ .name = "CHANNEL_CLOSED", .desc = "connection to the next relay closed after being established (what the seed calls OR_CONN_CLOSED)", .flags = ENUM_EXTRA },
	{ .name = "IP_NOW_REDUNDANT", .desc = "introduction point circuit closed because it is no longer needed", .flags = ENUM_EXTRA },
	{ .name = "ORIGIN", .desc = "tor's internal mark for a circuit closed at its origin; should never appear in an event", .flags = ENUM_EXTRA },
};

static const struct enum_value circ_event[] = {
	{ .name = "PURPOSE_CHANGED", .desc = "circuit purpose or hidden service state has changed", .since = "0.2.3.11-alpha" },
	{ .name = "CANNIBALIZED", .desc = "circuit connections are being reused for a different circuit", .since = "0.2.3.11-alpha" },
};

static const struct enum_value hs_state[] = {
	{ .name = "HSCI_CONNECTING", .desc = "connecting to the introductory point", .since = "0.2.3.11",
	  .note = "tor 0.4.9.11 also uses it for HS_CLIENT_HSDIR circuits" },
	{ .name = "HSCI_INTRO_SENT", .desc = "sent INTRODUCE1 and awaiting a reply", .since = "0.2.3.11" },
	{ .name = "HSCI_DONE", .desc = "received a reply, circuit is closing", .since = "0.2.3.11" },
	{ .name = "HSCR_CONNECTING", .desc = "connecting to the rendezvous point", .since = "0.2.3.11",
	  .seed_desc = "connecting to the introductory point",
	  .note = "an HSCR_ state is the client's rendezvous circuit: tor is establishing the rendezvous point, not reaching an introduction point as the seed says" },
	{ .name = "HSCR_ESTABLISHED_IDLE", .desc = "rendezvous-point established, awaiting an introduction", .since = "0.2.3.11" },
	{ .name = "HSCR_ESTABLISHED_WAITING", .desc = "introduction received, awaiting a rend", .since = "0.2.3.11" },
	{ .name = "HSCR_JOINED", .desc = "connected to the hidden service", .since = "0.2.3.11" },
	{ .name = "HSSI_CONNECTING", .desc = "connecting to the introductory point", .since = "0.2.3.11",
	  .note = "tor 0.4.9.11 also uses it for HS_SERVICE_HSDIR circuits" },
	{ .name = "HSSI_ESTABLISHED", .desc = "established introductory point", .since = "0.2.3.11" },
	{ .name = "HSSR_CONNECTING", .desc = "connecting to the rendezvous point", .since = "0.2.3.11",
	  .seed_desc = "connecting to the introductory point",
	  .note = "an HSSR_ state is the service's rendezvous circuit: tor is connecting to the client's rendezvous point, not to an introduction point as the seed says" },
	{ .name = "HSSR_JOINED", .desc = "connected to the rendezvous-point", .since = "0.2.3.11" },
	/* Tor has names for the relay side of these circuits too; listed so that
	 * nothing tor can print goes unexplained, although origin circuits
	 * (the only ones a controller sees) never carry them. */
	{ .name = "OR_HSSI_ESTABLISHED", .desc = "relay side: we are an introduction point for a hidden service", .flags = ENUM_EXTRA },
	{ .name = "OR_HSCR_ESTABLISHED", .desc = "relay side: we are a rendezvous point waiting for the hidden service", .flags = ENUM_EXTRA },
	{ .name = "OR_HS_R_JOINED", .desc = "relay side: we are a rendezvous point that joined client and hidden service", .flags = ENUM_EXTRA },
};

/* StreamClosureReason includes every RelayEndReason (the seed says so); one
 * list keeps the two from drifting apart. Order is the RELAY_END code order
 * (1..14), which CLOSESTREAM takes as a number. */
#define RELAY_END_REASONS \
	{ .name = "MISC", .desc = "none of the following reasons" }, \
	{ .name = "RESOLVEFAILED", .desc = "unable to resolve the hostname" }, \
	{ .name = "CONNECTREFUSED", .desc = "remote host refused the connection" }, \
	{ .name = "EXITPOLICY", .desc = "OR refuses to connect to the destination" }, \
	{ .name = "DESTROY", .desc = "circuit is being shut down" }, \
	{ .name = "DONE", .desc = "connection has been closed" }, \
	{ .name = "TIMEOUT", .desc = "connection timed out" }, \
	{ .name = "NOROUTE", .desc = "routing error while contacting the destination" }, \
	{ .name = "HIBERNATING", .desc = "relay is temporarily hibernating" }, \
	{ .name = "INTERNAL", .desc = "internal error at the relay" }, \
	{ .name = "RESOURCELIMIT", .desc = "relay has insufficient resources to service the request" }, \
	{ .name = "CONNRESET", .desc = "connection was unexpectedly reset" }, \
	{ .name = "TORPROTOCOL", .desc = "violation in the tor protocol" }, \
	{ .name = "NOTDIRECTORY", .desc = "directory information requested from a relay that isn't mirroring it" }

static const struct enum_value relay_end_reason[] = {
	RELAY_END_REASONS,
};

static const struct enum_value stream_status[] = {
	{ .name = "NEW", .desc = "request for a new connection" },
	{ .name = "NEWRESOLVE", .desc = "request to resolve an address" },
	{ .name = "REMAP", .desc = "address is being re-mapped to another" },
	{ .name = "SENTCONNECT", .desc = "sent a connect cell along a circuit" },
	{ .name = "SENTRESOLVE", .desc = "sent a resolve cell along a circuit" },
	{ .name = "SUCCEEDED", .desc = "stream has been established" },
	{ .name = "FAILED", .desc = "stream is detached, and won't be re-established" },
	{ .name = "DETACHED", .desc = "stream is detached, but might be re-established" },
	{ .name = "CLOSED", .desc = "stream has closed" },
	{ .name = "CONTROLLER_WAIT", .desc = "stream is waiting for the controller to attach it with ATTACHSTREAM", .since = "0.4.5.1-alpha", .flags = ENUM_EXTRA },
	{ .name = "XOFF_SENT", .desc = "flow control: we asked the other end to stop sending on this stream", .since = "0.4.7.5-alpha", .flags = ENUM_EXTRA },
	{ .name = "XOFF_RECV", .desc = "flow control: the other end asked us to stop sending on this stream", .since = "0.4.7.5-alpha", .flags = ENUM_EXTRA },
	{ .name = "XON_SENT", .desc = "flow control: we asked the other end to resume sending on this stream", .since = "0.4.7.5-alpha", .flags = ENUM_EXTRA },
	{ .name = "XON_RECV", .desc = "flow control: the other end asked us to resume sending on this stream", .since = "0.4.7.5-alpha", .flags = ENUM_EXTRA },
};

/* Reason codes tor has no name for come out as a separate UNKNOWN_<n> token;
 * that is a pattern, not a value, so it is left to the caller. */
static const struct enum_value stream_closure_reason[] = {
	RELAY_END_REASONS,
	{ .name = "END", .desc = "endpoint has sent a RELAY_END cell" },
	{ .name = "PRIVATE_ADDR", .desc = "endpoint was a private address (127.0.0.1, 10.0.0.1, etc)" },
	{ .name = "CANT_ATTACH", .desc = "tor could not attach the stream to a circuit", .flags = ENUM_EXTRA },
	{ .name = "NET_UNREACHABLE", .desc = "the destination network was unreachable", .flags = ENUM_EXTRA },
	{ .name = "SOCKS_PROTOCOL", .desc = "the application broke the SOCKS protocol", .flags = ENUM_EXTRA },
	{ .name = "HTTP_PROTOCOL", .desc = "the application broke the HTTP CONNECT protocol", .flags = ENUM_EXTRA },
};

static const struct enum_value stream_source[] = {
	{ .name = "CACHE", .desc = "tor is remapping because of a cached answer" },
	{ .name = "EXIT", .desc = "exit relay requested the remap" },
};

static const struct enum_value stream_purpose[] = {
	{ .name = "DIR_FETCH", .desc = "fetching directory information (descriptors, consensus, etc)" },
	{ .name = "DIR_UPLOAD", .desc = "uploading our descriptor to an authority" },
	{ .name = "DNS_REQUEST", .desc = "user initiated DNS request" },
	{ .name = "DIRPORT_TEST", .desc = "checking that our directory port is reachable externally", .flags = ENUM_GONE,
	  .note = "no longer produced by tor 0.4.9.11" },
	{ .name = "USER", .desc = "either relaying user traffic or not one of the above categories" },
};

static const struct enum_value or_status[] = {
	{ .name = "NEW", .desc = "received OR connection, starting server-side handshake" },
	{ .name = "LAUNCHED", .desc = "launched outbound OR connection, starting client-side handshake" },
	{ .name = "CONNECTED", .desc = "OR connection has been established" },
	{ .name = "FAILED", .desc = "attempt to establish OR connection failed" },
	{ .name = "CLOSED", .desc = "OR connection has been closed" },
};

static const struct enum_value or_closure_reason[] = {
	{ .name = "DONE", .desc = "OR connection shut down cleanly" },
	{ .name = "CONNECTREFUSED", .desc = "got a ECONNREFUSED when connecting to the relay" },
	{ .name = "IDENTITY", .desc = "identity of the relay wasn't what we expected" },
	{ .name = "CONNECTRESET", .desc = "got a ECONNRESET or similar error from relay" },
	{ .name = "TIMEOUT", .desc = "got a ETIMEOUT or similar error from relay" },
	{ .name = "NOROUTE", .desc = "got a ENOTCONN, ENETUNREACH, ENETDOWN, EHOSTUNREACH, or similar error from relay" },
	{ .name = "IOERROR", .desc = "got a different kind of error from relay" },
	{ .name = "RESOURCELIMIT", .desc = "relay has insufficient resources to service the request" },
	{ .name = "MISC", .desc = "connection refused for another reason" },
	{ .name = "PT_MISSING", .desc = "no pluggable transport was available" },
	{ .name = "TLS_ERROR", .desc = "TLS error on the connection to the relay", .flags = ENUM_EXTRA },
	{ .name = "UNKNOWN", .desc = "tor could not classify why the connection closed", .flags = ENUM_EXTRA },
};

#define AUTHDIR_GONE "the AUTHDIR_NEWDESCS event that carried it was removed in tor 0.3.2.1-alpha"
static const struct enum_value auth_descriptor_action[] = {
	{ .name = "ACCEPTED", .desc = "accepting the descriptor as the newest version", .flags = ENUM_GONE, .note = AUTHDIR_GONE },
	{ .name = "DROPPED", .desc = "descriptor rejected without notifying the relay", .flags = ENUM_GONE, .note = AUTHDIR_GONE },
	{ .name = "REJECTED", .desc = "relay notified that its descriptor has been rejected", .flags = ENUM_GONE, .note = AUTHDIR_GONE },
};

/* Tor sends the event name itself (650 STATUS_CLIENT ...); stem strips the
 * prefix in its constants. */
static const struct enum_value status_type[] = {
	{ .name = "STATUS_GENERAL", .desc = "general tor activity, not specifically as a client or relay", .since = "0.1.2.3-alpha", .seed_name = "GENERAL" },
	{ .name = "STATUS_CLIENT", .desc = "related to our activity as a tor client", .since = "0.1.2.3-alpha", .seed_name = "CLIENT" },
	{ .name = "STATUS_SERVER", .desc = "related to our activity as a tor relay", .since = "0.1.2.3-alpha", .seed_name = "SERVER" },
};

static const struct enum_value guard_type[] = {
	{ .name = "ENTRY", .desc = "used to connect to the tor network" },
};

static const struct enum_value guard_status[] = {
	{ .name = "NEW", .desc = "new guard that we weren't previously using" },
	{ .name = "DROPPED", .desc = "removed from use as one of our guards" },
	{ .name = "UP", .desc = "guard is now reachable" },
	{ .name = "DOWN", .desc = "guard is now unreachable" },
	{ .name = "BAD", .desc = "consensus or relay considers this relay to be unusable as a guard", .flags = ENUM_GONE,
	  .note = "no longer produced by tor 0.4.9.11" },
	{ .name = "GOOD", .desc = "consensus or relay considers this relay to be usable as a guard", .flags = ENUM_GONE,
	  .note = "no longer produced by tor 0.4.9.11" },
	/* Layer-2 guards have no nickname in these events: tor writes $FP~None. */
	{ .name = "BAD_L2", .desc = "relay removed from our layer-2 (vanguards-lite) guards", .flags = ENUM_EXTRA },
	{ .name = "GOOD_L2", .desc = "relay added to our layer-2 (vanguards-lite) guards", .flags = ENUM_EXTRA },
};

static const struct enum_value timeout_set_type[] = {
	{ .name = "COMPUTED", .desc = "tor has computed a new timeout based on prior circuits" },
	{ .name = "RESET", .desc = "timeout reverted to its default" },
	{ .name = "SUSPENDED", .desc = "timeout reverted to its default until network connectivity has recovered" },
	{ .name = "DISCARD", .desc = "throwing out timeout value from when the network was down" },
	{ .name = "RESUME", .desc = "resumed calculations to determine the proper timeout" },
};

/* Only CONN_BW carries these, so they date from that event. */
static const struct enum_value connection_type[] = {
	{ .name = "OR", .desc = "carrying traffic within the tor network", .since = "0.2.5.2-alpha" },
	{ .name = "DIR", .desc = "fetching or sending tor descriptor data", .since = "0.2.5.2-alpha" },
	{ .name = "EXIT", .desc = "carrying traffic between the tor network and an external destination", .since = "0.2.5.2-alpha" },
};

#define TB_EMPTY_GONE "the TB_EMPTY event was removed in tor 0.3.4.1-alpha"
static const struct enum_value token_bucket[] = {
	{ .name = "GLOBAL", .desc = "global token bucket", .flags = ENUM_GONE, .note = TB_EMPTY_GONE },
	{ .name = "RELAY", .desc = "relay token bucket", .flags = ENUM_GONE, .note = TB_EMPTY_GONE },
	{ .name = "ORCONN", .desc = "bucket used for OR connections", .flags = ENUM_GONE, .note = TB_EMPTY_GONE },
};

static const struct enum_value hs_desc_action[] = {
	{ .name = "REQUESTED", .desc = "uncached hidden service descriptor is being requested" },
	{ .name = "UPLOAD", .desc = "descriptor is being uploaded, by the service publishing its own or with HSPOST",
	  .seed_desc = "descriptor is being uploaded with HSPOST",
	  .note = "tor 0.4.9.11 reports every upload, most often an onion service publishing its own descriptor; the seed names only HSPOST" },
	{ .name = "RECEIVED", .desc = "hidden service descriptor has been retrieved" },
	{ .name = "UPLOADED", .desc = "descriptor was uploaded, by the service publishing its own or with HSPOST",
	  .seed_desc = "descriptor was uploaded with HSPOST",
	  .note = "tor 0.4.9.11 reports every upload, most often an onion service publishing its own descriptor; the seed names only HSPOST" },
	{ .name = "IGNORE", .desc = "fetched descriptor was ignored because we already have its v0 descriptor", .flags = ENUM_GONE,
	  .note = "v2 only; no longer produced by tor 0.4.9.11" },
	{ .name = "FAILED", .desc = "we were unable to retrieve the descriptor, or, with REASON=UPLOAD_REJECTED, to upload it",
	  .seed_desc = "we were unable to retrieve the descriptor",
	  .note = "tor 0.4.9.11 also reports failed uploads this way, with REASON=UPLOAD_REJECTED or UNEXPECTED" },
	{ .name = "CREATED", .desc = "hidden service descriptor was just created" },
};

static const struct enum_value hs_desc_reason[] = {
	{ .name = "BAD_DESC", .desc = "descriptor was unparseable" },
	{ .name = "QUERY_REJECTED", .desc = "hidden service directory refused to provide the descriptor" },
	{ .name = "UPLOAD_REJECTED", .desc = "descriptor was rejected by the hidden service directory" },
	{ .name = "NOT_FOUND", .desc = "descriptor with the given identifier wasn't found" },
	{ .name = "QUERY_NO_HSDIR", .desc = "no hidden service directory was found", .flags = ENUM_GONE,
	  .note = "no longer produced by tor 0.4.9.11" },
	{ .name = "QUERY_RATE_LIMITED", .desc = "request was throttled", .flags = ENUM_GONE,
	  .note = "no longer produced by tor 0.4.9.11" },
	{ .name = "UNEXPECTED", .desc = "failure type is unknown" },
};

static const struct enum_value hs_auth[] = {
	{ .name = "NO_AUTH", .desc = "no authentication" },
	{ .name = "BASIC_AUTH", .desc = "general hidden service authentication", .flags = ENUM_GONE,
	  .note = "v2 only; no longer produced by tor 0.4.9.11" },
	{ .name = "STEALTH_AUTH", .desc = "authentication method that hides service activity from unauthorized clients", .flags = ENUM_GONE,
	  .note = "v2 only; no longer produced by tor 0.4.9.11" },
	{ .name = "UNKNOWN", .desc = "unrecognized method of authentication",
	  .note = "tor 0.4.9.11 writes it for CREATED, UPLOAD and UPLOADED events, where no client authentication applies" },
};

#define TABLE(n, v, d) { .name = n, .values = v, .count = sizeof(v) / sizeof((v)[0]), .desc = d }

/* In the seed's order, so listings read like the reference. */
const struct enum_table enum_tables[] = {
	TABLE("Runlevel", runlevel, "Rating of importance used for event logging."),
	TABLE("Signal", signals, "Signals that the tor process will accept."),
	TABLE("Flag", flag, "Flag assigned to tor relays by the authorities to indicate various characteristics."),
	TABLE("CircStatus", circ_status, "Statuses that a circuit can be in. Tor may provide statuses not in this enum."),
	TABLE("CircBuildFlag", circ_build_flag, "Attributes about how a circuit is built. These were introduced in tor version 0.2.3.11. Tor may provide flags not in this enum."),
	TABLE("CircPurpose", circ_purpose, "Description of what a circuit is intended for. These were introduced in tor version 0.2.1.6. Tor may provide purposes not in this enum."),
	TABLE("CircClosureReason", circ_closure_reason, "Reason that a circuit is being closed or failed to be established. Tor may provide reasons not in this enum."),
	TABLE("CircEvent", circ_event, "Type of change reflected in a circuit by a CIRC_MINOR event. Tor may provide event types not in this enum."),
	TABLE("HiddenServiceState", hs_state, "State that a hidden service circuit can have. These were introduced in tor version 0.2.3.11. Tor may provide states not in this enum."),
	TABLE("RelayEndReason", relay_end_reason, "Reasons why the stream is to be closed."),
	TABLE("StreamStatus", stream_status, "State that a stream going through tor can have. Tor may provide states not in this enum."),
	TABLE("StreamClosureReason", stream_closure_reason, "Reason that a stream is being closed or failed to be established. This includes all values in the RelayEndReason enumeration as well as the following. Tor may provide reasons not in this enum."),
	TABLE("StreamSource", stream_source, "Cause of a stream being remapped to another address. Tor may provide sources not in this enum."),
	TABLE("StreamPurpose", stream_purpose, "Purpsoe of the stream. This is only provided with new streams and tor may provide purposes not in this enum."),
	TABLE("ORStatus", or_status, "State that an OR connection can have. Tor may provide states not in this enum."),
	TABLE("ORClosureReason", or_closure_reason, "Reason that an OR connection is being closed or failed to be established. Tor may provide reasons not in this enum."),
	TABLE("AuthDescriptorAction", auth_descriptor_action, "Actions that directory authorities might take with relay descriptors. Tor may provide reasons not in this enum."),
	TABLE("StatusType", status_type, "Sources for tor status events. Tor may provide types not in this enum."),
	TABLE("GuardType", guard_type, "Use a guard relay can be for. Tor may provide types not in this enum."),
	TABLE("GuardStatus", guard_status, "Status a guard relay can have. Tor may provide types not in this enum."),
	TABLE("TimeoutSetType", timeout_set_type, "Way in which the timeout value of a circuit is changing. Tor may provide types not in this enum."),
	TABLE("ConnectionType", connection_type, "Purpose for a tor connection. Tor may provide types not in this enum."),
	TABLE("TokenBucket", token_bucket, "Bucket categories of TB_EMPTY events."),
	TABLE("HSDescAction", hs_desc_action, "Action beeing taken in a HS_DESC event."),
	TABLE("HSDescReason", hs_desc_reason, "Reason for the hidden service descriptor to fail to be fetched."),
	TABLE("HSAuth", hs_auth, "Type of authentication being used for a HS_DESC event."),
};

const size_t enum_table_count = sizeof(enum_tables) / sizeof(enum_tables[0]);
_Static_assert(sizeof(enum_tables) / sizeof(enum_tables[0]) == ET_COUNT, "an enum_id for every table");

/* ASCII only: tor's names are ASCII, and the C library's case functions
 * depend on the locale. */
static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* True when `a` (NUL-terminated) equals the `len` bytes at `b`, ignoring case. */
static int eq_n(const char *a, const char *b, size_t len)
{
	size_t i = 0;
	for (; i < len; i++) {
		unsigned char ca = (unsigned char)a[i];
		if (ca == '\0' || lower(ca) != lower((unsigned char)b[i]))
			return 0;
	}
	return a[i] == '\0';
}

const struct enum_table *enum_table_find(const char *name)
{
	if (!name)
		return NULL;
	size_t len = strlen(name);
	for (size_t i = 0; i < enum_table_count; i++)
		if (eq_n(enum_tables[i].name, name, len))
			return &enum_tables[i];
	return NULL;
}

const struct enum_value *enum_lookup_n(const struct enum_table *t, const char *value, size_t len)
{
	if (!t || !value)
		return NULL;
	for (size_t i = 0; i < t->count; i++)
		if (eq_n(t->values[i].name, value, len))
			return &t->values[i];
	return NULL;
}

const struct enum_value *enum_lookup(const struct enum_table *t, const char *value)
{
	if (!value)
		return NULL;
	return enum_lookup_n(t, value, strlen(value));
}
