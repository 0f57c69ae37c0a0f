/* The command model, table-driven, against the protocol digest
 * (../shared/spec/control-protocol.md §1.3-1.8, §2, §3): for each of the 34
 * control commands, what the user types -> the exact bytes on the wire
 * (CRLF-terminated, bodies dot-stuffed), or a specific error and nothing at
 * all. Injection attempts (CR, LF, NUL, quotes, spaces, '=' smuggled into
 * values, '.' lines in bodies) are among the rows. Then command_inspect,
 * command_wants_body, cmd_find and cmd_suggest, the 1 MiB limit and @FILE
 * bodies. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "command.h"
#include "tap.h"

/* v3 onion address of the ed25519 public key 00 01 02 ... 1f:
 * base32(pubkey || SHA3-256(".onion checksum" || pubkey || 03)[:2] || 03) */
#define ONION "aaaqeayeaudaocajbifqydiob4ibceqtcqkrmfyydenbwha5dyp3kead"
#define ONION_UP "AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQTCQKRMFYYDENBWHA5DYP3KEAD"
/* one character of the public key changed (d -> b at index 10) */
#define ONION_TYPO "aaaqeayeaubaocajbifqydiob4ibceqtcqkrmfyydenbwha5dyp3kead"
/* same key, checksum computed for version byte 4 and version byte 4 */
#define ONION_V4 "aaaqeayeaudaocajbifqydiob4ibceqtcqkrmfyydenbwha5dyp2sxye"
/* torproject.org's address, as a second valid one */
#define ONION_TP "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid"
#define FP "$0123456789ABCDEF0123456789ABCDEF01234567"
#define FP2 "$89ABCDEF0123456789ABCDEF0123456789ABCDEF"
/* base64 of 32 bytes 0x64..0x83 (x25519 private key), padded / unpadded */
#define X25519 "x25519:ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM="
#define X25519_NOPAD "x25519:ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM"
#define X25519_31 "x25519:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg=="
#define X25519_33 "x25519:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g"
/* base64 of 64 bytes 00..3f (expanded ed25519 secret key) */
#define ED64 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw=="
#define ED64_NOPAD "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw"
#define ED63 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+"
/* base32 of 32 bytes 00..1f (x25519 public key for ClientAuthV3), 52 chars */
#define B32KEY "AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQTCQKRMFYYDENBWHA5DYPQ"
#define B32KEY_31 "AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQTCQKRMFYYDENBWHA5DY"
#define NONCE "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F"

struct row {
	const char *in;
	size_t len;         /* 0: strlen(in); explicit when `in` holds a NUL */
	const char *body;   /* the body lines, for body commands; NULL: none */
	size_t blen;        /* 0: strlen(body) */
	const char *want;   /* exact wire bytes, or NULL: must be refused */
	const char *err;    /* refused: a substring of the message */
};

#define OK(i, w) {i, 0, NULL, 0, w, NULL}
#define BAD(i, e) {i, 0, NULL, 0, NULL, e}
#define OKB(i, b, w) {i, 0, b, 0, w, NULL}
#define BADB(i, b, e) {i, 0, b, 0, NULL, e}
/* string literals holding a NUL: their length is explicit */
#define BADN(i, e) {i, sizeof(i) - 1, NULL, 0, NULL, e}
#define BADNB(i, b, e) {i, 0, b, sizeof(b) - 1, NULL, e}

static const struct row rows[] = {
	/* ---- SETCONF (§3.1, §1.8): Key=Value, C-quoted when needed, never split ---- */
	OK("SETCONF ContactInfo=hello", "SETCONF ContactInfo=hello\r\n"),
	OK("setconf ContactInfo=hello", "SETCONF ContactInfo=hello\r\n"),
	OK("SetConf MaxCircuitDirtiness=600", "SETCONF MaxCircuitDirtiness=600\r\n"),
	OK("SETCONF Nickname=a SocksPort=9050", "SETCONF Nickname=a SocksPort=9050\r\n"),
	OK("SETCONF SocksPort=127.0.0.1:9050", "SETCONF SocksPort=127.0.0.1:9050\r\n"),
	OK("SETCONF ContactInfo", "SETCONF ContactInfo\r\n"),
	OK("SETCONF ContactInfo=", "SETCONF ContactInfo=\"\"\r\n"),
	OK("SETCONF ContactInfo=\"\"", "SETCONF ContactInfo=\"\"\r\n"),
	OK("SETCONF ContactInfo=\"a b\"", "SETCONF ContactInfo=\"a b\"\r\n"),
	OK("SETCONF ContactInfo=\"plain\"", "SETCONF ContactInfo=plain\r\n"),
	OK("SETCONF ExitPolicy=\"reject *:*\"", "SETCONF ExitPolicy=\"reject *:*\"\r\n"),
	OK("SETCONF ContactInfo=a#b", "SETCONF ContactInfo=\"a#b\"\r\n"),
	OK("SETCONF ContactInfo=#", "SETCONF ContactInfo=\"#\"\r\n"),
	OK("SETCONF ContactInfo=a\"b", "SETCONF ContactInfo=\"a\\\"b\"\r\n"),
	OK("SETCONF ContactInfo=a\\b", "SETCONF ContactInfo=\"a\\\\b\"\r\n"),
	OK("SETCONF ContactInfo=a'b", "SETCONF ContactInfo=\"a'b\"\r\n"),
	OK("SETCONF ContactInfo=x=y", "SETCONF ContactInfo=x=y\r\n"),
	OK("SETCONF ContactInfo=\"x\\\"y\"", "SETCONF ContactInfo=\"x\\\"y\"\r\n"),
	OK("SETCONF ContactInfo=\"back\\\\slash\"", "SETCONF ContactInfo=\"back\\\\slash\"\r\n"),
	OK("SETCONF ContactInfo=\"it\\'s\"", "SETCONF ContactInfo=\"it's\"\r\n"),
	OK("SETCONF ContactInfo=\"tab\\there\"", "SETCONF ContactInfo=\"tab\\there\"\r\n"),
	OK("SETCONF ContactInfo=\"raw\ttab\"", "SETCONF ContactInfo=\"raw\\ttab\"\r\n"),
	OK("SETCONF ContactInfo=\"\\x41\\102C\"", "SETCONF ContactInfo=ABC\r\n"),
	OK("SETCONF ContactInfo=\"\\x01\\177\"", "SETCONF ContactInfo=\"\\x01\\x7f\"\r\n"),
	OK("SETCONF ContactInfo=\"caf\xc3\xa9\"", "SETCONF ContactInfo=\"caf\\xc3\\xa9\"\r\n"),
	OK("SETCONF ContactInfo=caf\xc3\xa9", "SETCONF ContactInfo=\"caf\\xc3\\xa9\"\r\n"),
	/* values trying to add arguments or commands stay one quoted value */
	OK("SETCONF ContactInfo=\"a SocksPort=9999\"", "SETCONF ContactInfo=\"a SocksPort=9999\"\r\n"),
	OK("SETCONF ContactInfo=\"a\\r\\nSIGNAL HALT\"", "SETCONF ContactInfo=\"a\\r\\nSIGNAL HALT\"\r\n"),
	OK("SETCONF ContactInfo=\"a\\nQUIT\"", "SETCONF ContactInfo=\"a\\nQUIT\"\r\n"),
	OK("SETCONF ContactInfo=\"\\\" ControlPort=0 \\\"\"", "SETCONF ContactInfo=\"\\\" ControlPort=0 \\\"\"\r\n"),
	OK("SETCONF ContactInfo=\"x\" ControlPort=9051", "SETCONF ContactInfo=x ControlPort=9051\r\n"),
	OK("SETCONF ContactInfo=x\tSocksPort=0", "SETCONF ContactInfo=x SocksPort=0\r\n"),
	OK("SETCONF __OwningControllerProcess=1234", "SETCONF __OwningControllerProcess=1234\r\n"),
	BAD("SETCONF", "missing OPTION"),
	BAD("SETCONF =x", "OPTION: expected a configuration option name"),
	BAD("SETCONF Contact-Info=1", "OPTION: expected a configuration option name"),
	BAD("SETCONF \"ContactInfo\"=x", "unexpected text after closing quote"),
	BAD("SETCONF \"ContactInfo=a SocksPort=9999\"", "OPTION: expected a configuration option name, got a quoted"),
	BAD("SETCONF ContactInfo=\"unterminated", "column 21: unterminated quoted string"),
	BAD("SETCONF ContactInfo=\"a\"b", "unexpected text after closing quote"),
	BAD("SETCONF ContactInfo=\"\\q\"", "bad escape"),
	BAD("SETCONF ContactInfo=\"\\x4\"", "bad escape"),
	BAD("SETCONF ContactInfo=\"\\400\"", "bad escape"),
	BAD("SETCONF ContactInfo=\"a\\0b\"", "a NUL byte cannot be stored"),
	BAD("SETCONF ContactInfo=\"\\x00\"", "ContactInfo: a NUL byte cannot be stored"),
	BAD("SETCONF ContactInfo=a\nSETCONF SocksPort=9999", "line feed (LF)"),
	BAD("SETCONF ContactInfo=a\rSocksPort=9999", "carriage return (CR)"),
	BAD("SETCONF ContactInfo=\"a\r\nSIGNAL HALT\"", "carriage return (CR) inside the command at column 23"),
	BAD("SETCONF ContactInfo=\"a\nSIGNAL HALT\"", "line feed (LF)"),
	BADN("SETCONF ContactInfo=ab\0cd MaxCircuitDirtiness=800", "NUL byte inside the command"),
	BAD(" SETCONF ContactInfo=x", "leading whitespace"),

	/* ---- RESETCONF (§3.2): same parser ---- */
	OK("RESETCONF ContactInfo", "RESETCONF ContactInfo\r\n"),
	OK("resetconf ContactInfo SocksPort", "RESETCONF ContactInfo SocksPort\r\n"),
	OK("RESETCONF ContactInfo=x", "RESETCONF ContactInfo=x\r\n"),
	OK("RESETCONF ContactInfo=\"x y\"", "RESETCONF ContactInfo=\"x y\"\r\n"),
	OK("RESETCONF __OwningControllerProcess", "RESETCONF __OwningControllerProcess\r\n"),
	OK("RESETCONF ContactInfo=a\\\"b", "RESETCONF ContactInfo=\"a\\\\\\\"b\"\r\n"),
	BAD("RESETCONF", "missing OPTION"),
	BAD("RESETCONF Bad.Name", "OPTION: expected a configuration option name"),
	BAD("RESETCONF ContactInfo\nSIGNAL HALT", "line feed (LF)"),
	BAD("RESETCONF ContactInfo=\"\\x00\"", "NUL byte cannot be stored"),

	/* ---- GETCONF (§3.3): option names only ---- */
	OK("GETCONF ContactInfo", "GETCONF ContactInfo\r\n"),
	OK("getconf socksport ControlPort", "GETCONF socksport ControlPort\r\n"),
	OK("GETCONF HiddenServiceOptions", "GETCONF HiddenServiceOptions\r\n"),
	OK("GETCONF\tSocksPort", "GETCONF SocksPort\r\n"),
	BAD("GETCONF", "missing OPTION"),
	BAD("GETCONF SocksPort=1", "OPTION: expected"),
	BAD("GETCONF \"Socks Port\"", "OPTION: expected"),
	BAD("GETCONF Socks-Port", "OPTION: expected a configuration option name (letters, digits, '_')"),
	BAD("GETCONF Socks\rPort", "carriage return (CR)"),

	/* ---- SETEVENTS (§3.4): known names, upper-cased; EXTENDED kept ---- */
	OK("SETEVENTS", "SETEVENTS\r\n"),
	OK("SETEVENTS CIRC", "SETEVENTS CIRC\r\n"),
	OK("setevents circ stream orconn", "SETEVENTS CIRC STREAM ORCONN\r\n"),
	OK("SETEVENTS extended CIRC", "SETEVENTS EXTENDED CIRC\r\n"),
	OK("SETEVENTS HS_DESC HS_DESC_CONTENT NETWORK_LIVENESS", "SETEVENTS HS_DESC HS_DESC_CONTENT NETWORK_LIVENESS\r\n"),
	OK("SETEVENTS STATUS_GENERAL STATUS_CLIENT STATUS_SERVER BUILDTIMEOUT_SET",
	   "SETEVENTS STATUS_GENERAL STATUS_CLIENT STATUS_SERVER BUILDTIMEOUT_SET\r\n"),
	OK("SETEVENTS DEBUG INFO NOTICE WARN ERR", "SETEVENTS DEBUG INFO NOTICE WARN ERR\r\n"),
	OK("SETEVENTS CONF_CHANGED CONN_BW CELL_STATS CIRC_BW TRANSPORT_LAUNCHED",
	   "SETEVENTS CONF_CHANGED CONN_BW CELL_STATS CIRC_BW TRANSPORT_LAUNCHED\r\n"),
	BAD("SETEVENTS NOPE", "EVENT: expected one of CIRC"),
	BAD("SETEVENTS PT_LOG", "cannot subscribe"),
	BAD("SETEVENTS pt_status", "cannot subscribe"),
	BAD("SETEVENTS TB_EMPTY", "got 'TB_EMPTY'"),
	BAD("SETEVENTS \"CIRC STREAM\"", "EVENT: expected one of"),
	BAD("SETEVENTS CIRC=1", "EVENT: expected one of"),
	BAD("SETEVENTS CIRC\nSIGNAL HALT", "line feed (LF)"),

	/* ---- AUTHENTICATE (§2.3): a quoted password goes as hex ---- */
	OK("AUTHENTICATE", "AUTHENTICATE\r\n"),
	OK("AUTHENTICATE \"secret\"", "AUTHENTICATE 736563726574\r\n"),
	OK("authenticate \"secret\"", "AUTHENTICATE 736563726574\r\n"),
	OK("AUTHENTICATE \"\"", "AUTHENTICATE\r\n"),
	OK("AUTHENTICATE \"a b\"", "AUTHENTICATE 612062\r\n"),
	/* QuotedString: \X is X for any X (no C escapes) */
	OK("AUTHENTICATE \"a\\\"b\"", "AUTHENTICATE 612262\r\n"),
	OK("AUTHENTICATE \"a\\\\b\"", "AUTHENTICATE 615C62\r\n"),
	OK("AUTHENTICATE \"a\\nb\"", "AUTHENTICATE 616E62\r\n"),
	OK("AUTHENTICATE \"\\0\"", "AUTHENTICATE 30\r\n"),
	OK("AUTHENTICATE \"a b\\r\\nQUIT\"", "AUTHENTICATE 612062726E51554954\r\n"),
	OK("AUTHENTICATE \"caf\xc3\xa9\"", "AUTHENTICATE 636166C3A9\r\n"),
	OK("AUTHENTICATE \"pw\" ", "AUTHENTICATE 7077\r\n"),
	OK("AUTHENTICATE 0A0B", "AUTHENTICATE 0A0B\r\n"),
	OK("AUTHENTICATE abcdef0123", "AUTHENTICATE abcdef0123\r\n"),
	/* a stray word may be the rest of a password: never quoted */
	BAD("AUTHENTICATE \"pw\" extra", "unexpected argument '[redacted]'"),
	BAD("AUTHENTICATE \"a\" \"b\"", "unexpected argument '[redacted]'"),
	BAD("AUTHENTICATE 0A0", "SECRET: expected an even number of hex digits"),
	BAD("AUTHENTICATE secret", "put a password in double quotes"),
	BAD("AUTHENTICATE pw=1", "SECRET: expected a \"quoted password\" or hex digits, not KEY=VALUE"),
	BAD("AUTHENTICATE \"x", "column 14: unterminated quoted string"),
	BAD("AUTHENTICATE \"pw\rQUIT\"", "carriage return (CR)"),
	BAD("AUTHENTICATE \"pw\nQUIT\"", "line feed (LF)"),
	BADN("AUTHENTICATE \"a\0b\"", "NUL byte inside the command"),

	/* ---- SAVECONF (§3.6): optional bare FORCE ---- */
	OK("SAVECONF", "SAVECONF\r\n"),
	OK("SAVECONF FORCE", "SAVECONF FORCE\r\n"),
	OK("saveconf force", "SAVECONF FORCE\r\n"),
	BAD("SAVECONF NOW", "FORCE: expected one of FORCE, got 'NOW'"),
	BAD("SAVECONF FORCE=1", "FORCE: expected one of FORCE"),
	BAD("SAVECONF FORCE FORCE", "unexpected argument 'FORCE'"),

	/* ---- SIGNAL (§3.7): one known name, upper-cased ---- */
	OK("SIGNAL NEWNYM", "SIGNAL NEWNYM\r\n"),
	OK("signal newnym", "SIGNAL NEWNYM\r\n"),
	OK("SIGNAL Reload", "SIGNAL RELOAD\r\n"),
	OK("SIGNAL HUP", "SIGNAL HUP\r\n"),
	OK("SIGNAL SHUTDOWN", "SIGNAL SHUTDOWN\r\n"),
	OK("SIGNAL DUMP", "SIGNAL DUMP\r\n"),
	OK("SIGNAL USR1", "SIGNAL USR1\r\n"),
	OK("SIGNAL DEBUG", "SIGNAL DEBUG\r\n"),
	OK("SIGNAL USR2", "SIGNAL USR2\r\n"),
	OK("SIGNAL HALT", "SIGNAL HALT\r\n"),
	OK("SIGNAL TERM", "SIGNAL TERM\r\n"),
	OK("SIGNAL INT", "SIGNAL INT\r\n"),
	OK("SIGNAL CLEARDNSCACHE", "SIGNAL CLEARDNSCACHE\r\n"),
	OK("SIGNAL HEARTBEAT", "SIGNAL HEARTBEAT\r\n"),
	OK("SIGNAL dormant", "SIGNAL DORMANT\r\n"),
	OK("SIGNAL ACTIVE", "SIGNAL ACTIVE\r\n"),
	BAD("SIGNAL", "missing SIGNAL"),
	BAD("SIGNAL BOGUS", "SIGNAL: expected one of RELOAD"),
	BAD("SIGNAL \"NEWNYM\"", "SIGNAL: expected one of"),
	BAD("SIGNAL NEWNYM HALT", "unexpected argument 'HALT'"),
	BAD("SIGNAL NEWNYM\nSIGNAL HALT", "line feed (LF)"),
	BADN("SIGNAL NEWNYM\0HALT", "NUL byte inside the command"),

	/* ---- MAPADDRESS (§3.8): From=To pairs, no quoting ---- */
	OK("MAPADDRESS 1.2.3.4=torproject.org", "MAPADDRESS 1.2.3.4=torproject.org\r\n"),
	OK("MAPADDRESS 0.0.0.0=example.org a.b=c.d", "MAPADDRESS 0.0.0.0=example.org a.b=c.d\r\n"),
	OK("MAPADDRESS .=example.com", "MAPADDRESS .=example.com\r\n"),
	OK("MAPADDRESS ::=example.com", "MAPADDRESS ::=example.com\r\n"),
	OK("mapaddress *.a.com=*.b.com", "MAPADDRESS *.a.com=*.b.com\r\n"),
	BAD("MAPADDRESS", "missing FROM=TO"),
	BAD("MAPADDRESS foo", "FROM=TO: expected an address mapping"),
	BAD("MAPADDRESS a.com=b.com c", "got 'c'"),
	BAD("MAPADDRESS =b", "FROM=TO: expected an address mapping"),
	BAD("MAPADDRESS a=", "TO: expected a host name or address"),
	BAD("MAPADDRESS a=b'c", "TO: expected a host name or address"),
	BAD("MAPADDRESS \"1.2.3.4=a b\"", "FROM=TO: expected an address mapping"),
	BAD("MAPADDRESS 1.2.3.4=\"a b\"", "FROM=TO: expected an address mapping"),
	BAD("MAPADDRESS a=b\rc=d", "carriage return (CR)"),

	/* ---- GETINFO (§3.9): printable keys, no quotes, no '=' ---- */
	OK("GETINFO version", "GETINFO version\r\n"),
	OK("getinfo version process/pid", "GETINFO version process/pid\r\n"),
	OK("GetInfo config-text", "GETINFO config-text\r\n"),
	OK("GETINFO ns/id/" FP, "GETINFO ns/id/" FP "\r\n"),
	OK("GETINFO md/name/relay1 ip-to-country/1.2.3.4", "GETINFO md/name/relay1 ip-to-country/1.2.3.4\r\n"),
	OK("GETINFO  version   ", "GETINFO version\r\n"),
	OK("GETINFO\tversion", "GETINFO version\r\n"),
	BAD("GETINFO", "missing KEY"),
	BAD("GETINFO ver\"sion", "KEY: expected a GETINFO key"),
	BAD("GETINFO \"version\"", "KEY: expected a GETINFO key"),
	BAD("GETINFO a=b", "KEY: expected a GETINFO key"),
	BAD("GETINFO \"version\\r\\nSIGNAL HALT\"", "KEY: expected a GETINFO key"),
	BAD("GETINFO caf\xc3\xa9", "KEY: expected a GETINFO key"),
	BAD("GETINFO version\rSIGNAL HALT", "carriage return (CR) inside the command at column 16"),
	BAD("GETINFO version\nSIGNAL HALT", "line feed (LF) inside the command at column 16"),
	BAD("GETINFO version\r\n", "carriage return (CR)"),
	BADN("GETINFO version\0", "NUL byte inside the command at column 16"),

	/* ---- EXTENDCIRCUIT (§3.10) ---- */
	OK("EXTENDCIRCUIT 0", "EXTENDCIRCUIT 0\r\n"),
	OK("extendcircuit 0 purpose=general", "EXTENDCIRCUIT 0 purpose=general\r\n"),
	/* tor 0.4.9.11 answers 551 and still repurposes a GENERAL circuit */
	BAD("extendcircuit 0 purpose=controller", "without a path is answered 551"),
	OK("EXTENDCIRCUIT 0 nick1 purpose=controller", "EXTENDCIRCUIT 0 nick1 purpose=controller\r\n"),
	BAD("/raw EXTENDCIRCUIT 0 PURPOSE=Controller", "without a path is answered 551"),
	OK("EXTENDCIRCUIT 0 PURPOSE=GENERAL", "EXTENDCIRCUIT 0 purpose=general\r\n"),
	OK("EXTENDCIRCUIT 0 " FP "~nick purpose=general", "EXTENDCIRCUIT 0 " FP "~nick purpose=general\r\n"),
	OK("EXTENDCIRCUIT 0 " FP "," FP2 ",exit1", "EXTENDCIRCUIT 0 " FP "," FP2 ",exit1\r\n"),
	OK("EXTENDCIRCUIT 5 nick1,nick2", "EXTENDCIRCUIT 5 nick1,nick2\r\n"),
	OK("EXTENDCIRCUIT 12 0123456789abcdef0123456789abcdef01234567",
	   "EXTENDCIRCUIT 12 0123456789abcdef0123456789abcdef01234567\r\n"),
	BAD("EXTENDCIRCUIT", "missing CIRCUIT"),
	BAD("EXTENDCIRCUIT abc", "column 15: CIRCUIT: expected a number (digits), got 'abc'"),
	BAD("EXTENDCIRCUIT -1", "CIRCUIT: expected a number"),
	BAD("EXTENDCIRCUIT 18446744073709551616", "CIRCUIT: expected a number below 2^64"),
	BAD("EXTENDCIRCUIT 0 purpose=bogus", "purpose: expected general or controller, got 'bogus'"),
	BAD("EXTENDCIRCUIT 0 purpose=\"general\"", "purpose: expected purpose=general or purpose=controller"),
	BAD("EXTENDCIRCUIT 0 \"a,b c\"", "PATH: expected relays separated by commas"),
	BAD("EXTENDCIRCUIT 0 a,,b", "PATH: hop (empty)"),
	BAD("EXTENDCIRCUIT 0 $0123", "PATH: hop $0123"),
	BAD("EXTENDCIRCUIT 0 averyveryverylongnickname", "PATH: hop averyveryverylongnickname"),
	BAD("EXTENDCIRCUIT 0 " FP "~bad-nick", "PATH: hop"),
	BAD("EXTENDCIRCUIT 0 nick\rpurpose=controller", "carriage return (CR)"),
	/* tor takes the path only as the first item after CIRCUIT and drops
	 * any other bare word without a word (it then builds a circuit of its
	 * own choosing): refused */
	BAD("EXTENDCIRCUIT 0 purpose=general nick1", "column 33: PATH: 'nick1' would be ignored"),
	BAD("EXTENDCIRCUIT 0 nick1 nick2", "PATH: 'nick2' would be ignored"),
	BAD("EXTENDCIRCUIT 0 nick1 purpose=general nick2", "'nick2'"),
	BAD("EXTENDCIRCUIT 0 purpose=general purpose=controller", "purpose: given twice"),
	OK("EXTENDCIRCUIT 5 nick1 purpose=controller", "EXTENDCIRCUIT 5 nick1 purpose=controller\r\n"),
	/* an existing circuit is extended by a path only (tor: 512 path required) */
	BAD("EXTENDCIRCUIT 5", "missing PATH: extending circuit 5 needs the relays to add"),
	BAD("EXTENDCIRCUIT 5 purpose=controller", "missing PATH"),
	/* tor parses $FP=nick but never finds it ('=' asked for a Named relay):
	 * 552 No such router, checked against tor 0.4.9.11 with a known relay */
	BAD("EXTENDCIRCUIT 0 " FP "=nick", "PATH: hop " FP "=nick: tor never matches $FINGERPRINT=nickname"),
	BAD("EXTENDCIRCUIT 0 " FP "=nick," FP2, "use $FINGERPRINT~nickname or $FINGERPRINT"),
	/* after a first hop without '$', tor would read KEY=VALUE and drop it */
	BAD("EXTENDCIRCUIT 0 nick1," FP "=nick", "PATH: hop " FP "=nick"),
	BAD("EXTENDCIRCUIT 0 nick=x", "PATH: hop nick=x: expected a relay"),

	/* ---- SETCIRCUITPURPOSE (§3.11): never without a purpose (tor crashes) ---- */
	OK("SETCIRCUITPURPOSE 5 purpose=controller", "SETCIRCUITPURPOSE 5 purpose=controller\r\n"),
	OK("setcircuitpurpose 5 purpose=general", "SETCIRCUITPURPOSE 5 purpose=general\r\n"),
	OK("SETCIRCUITPURPOSE 7 Purpose=Controller", "SETCIRCUITPURPOSE 7 purpose=controller\r\n"),
	BAD("SETCIRCUITPURPOSE", "missing CIRCUIT"),
	BAD("SETCIRCUITPURPOSE 5", "missing purpose"),
	BAD("SETCIRCUITPURPOSE purpose=general", "CIRCUIT: expected a number"),
	BAD("SETCIRCUITPURPOSE 0 purpose=general", "CIRCUIT: expected an id (digits, not 0)"),
	BAD("SETCIRCUITPURPOSE x purpose=general", "CIRCUIT"),
	BAD("SETCIRCUITPURPOSE 5 general", "purpose: expected purpose=general or purpose=controller"),
	BAD("SETCIRCUITPURPOSE 5 purpose=bogus", "purpose: expected general or controller"),
	BAD("SETCIRCUITPURPOSE 5 purpose=general extra", "unexpected argument 'extra'"),

	/* ---- SETROUTERPURPOSE (§3.12): obsolete, refused ---- */
	BAD("SETROUTERPURPOSE nick general", "obsolete"),
	BAD("SETROUTERPURPOSE", "SETROUTERPURPOSE: obsolete since tor 0.2.0.8-alpha"),
	BAD("setrouterpurpose x", "+POSTDESCRIPTOR purpose="),

	/* ---- ATTACHSTREAM (§3.13) ---- */
	OK("ATTACHSTREAM 1 2", "ATTACHSTREAM 1 2\r\n"),
	OK("ATTACHSTREAM 1 0", "ATTACHSTREAM 1 0\r\n"),
	OK("attachstream 42 12 HOP=3", "ATTACHSTREAM 42 12 HOP=3\r\n"),
	OK("ATTACHSTREAM 1 2 hop=2", "ATTACHSTREAM 1 2 HOP=2\r\n"),
	OK("ATTACHSTREAM 18446744073709551615 2", "ATTACHSTREAM 18446744073709551615 2\r\n"),
	BAD("ATTACHSTREAM", "missing STREAM"),
	BAD("ATTACHSTREAM 1", "missing CIRCUIT"),
	BAD("ATTACHSTREAM 0 2", "STREAM: expected an id (digits, not 0)"),
	BAD("ATTACHSTREAM x 2", "STREAM: expected an id"),
	BAD("ATTACHSTREAM 1 2 HOP=x", "HOP: expected a hop number"),
	BAD("ATTACHSTREAM 1 2 HOP=0", "HOP: expected a hop number 1-255"),
	BAD("ATTACHSTREAM 1 2 HOP=256", "HOP: expected a hop number 1-255"),
	BAD("ATTACHSTREAM 1 2 3", "HOP: expected HOP=N"),
	BAD("ATTACHSTREAM 1 2 HOP=\"2\"", "HOP: expected HOP=N"),
	BAD("ATTACHSTREAM 1 2 HOP=2 HOP=3", "unexpected argument 'HOP=3'"),

	/* ---- +POSTDESCRIPTOR (§3.14): body, dot-stuffed; purpose lower-cased ---- */
	OKB("+POSTDESCRIPTOR", "router a\n", "+POSTDESCRIPTOR\r\nrouter a\r\n.\r\n"),
	OKB("POSTDESCRIPTOR purpose=general", "router a\n", "+POSTDESCRIPTOR purpose=general\r\nrouter a\r\n.\r\n"),
	OKB("+postdescriptor purpose=bridge cache=no", "x\n", "+POSTDESCRIPTOR purpose=bridge cache=no\r\nx\r\n.\r\n"),
	OKB("+POSTDESCRIPTOR purpose=CONTROLLER cache=YES", "x\n",
	    "+POSTDESCRIPTOR purpose=controller cache=yes\r\nx\r\n.\r\n"),
	OKB("+POSTDESCRIPTOR", "router a\n.\nsigning-key\n", "+POSTDESCRIPTOR\r\nrouter a\r\n..\r\nsigning-key\r\n.\r\n"),
	OKB("+POSTDESCRIPTOR", "a\r\n.hidden\r\n", "+POSTDESCRIPTOR\r\na\r\n..hidden\r\n.\r\n"),
	BAD("POSTDESCRIPTOR purpose=general", "POSTDESCRIPTOR needs a body"),
	BADB("+POSTDESCRIPTOR", "", "POSTDESCRIPTOR needs a body"),
	BADB("+POSTDESCRIPTOR purpose=bogus", "x\n", "purpose: expected general, controller or bridge"),
	BADB("+POSTDESCRIPTOR purpose=\"general\"", "x\n", "purpose: expected general, controller or bridge"),
	BADB("+POSTDESCRIPTOR cache=maybe", "x\n", "cache: expected cache=yes or cache=no"),
	BADB("+POSTDESCRIPTOR extra", "x\n", "expected purpose=..., cache=yes|no or @FILE"),
	BADNB("+POSTDESCRIPTOR", "router a\n\0x\n", "NUL byte inside the body"),

	/* ---- REDIRECTSTREAM (§3.15) ---- */
	OK("REDIRECTSTREAM 1 example.com", "REDIRECTSTREAM 1 example.com\r\n"),
	OK("redirectstream 1 example.com 443", "REDIRECTSTREAM 1 example.com 443\r\n"),
	OK("REDIRECTSTREAM 1 10.0.0.1 65535", "REDIRECTSTREAM 1 10.0.0.1 65535\r\n"),
	OK("REDIRECTSTREAM 9 [::1] 1", "REDIRECTSTREAM 9 [::1] 1\r\n"),
	BAD("REDIRECTSTREAM", "missing STREAM"),
	BAD("REDIRECTSTREAM 1", "missing ADDRESS"),
	BAD("REDIRECTSTREAM 1 example.com 0", "PORT: expected a port 1-65535, got '0'"),
	BAD("REDIRECTSTREAM 1 example.com 65536", "PORT: expected a port 1-65535, got '65536'"),
	BAD("REDIRECTSTREAM 1 example.com http", "PORT: expected a port 1-65535"),
	BAD("REDIRECTSTREAM 1 \"a b\"", "ADDRESS: expected a host name or address"),
	BAD("REDIRECTSTREAM 1 a=b", "ADDRESS: expected a host name or address"),
	BAD("REDIRECTSTREAM 1 example.com 80 extra", "unexpected argument 'extra'"),
	BAD("REDIRECTSTREAM x example.com", "STREAM: expected an id"),

	/* ---- CLOSESTREAM (§3.16): reasons by number or RELAY_END name ---- */
	OK("CLOSESTREAM 1 MISC", "CLOSESTREAM 1 1\r\n"),
	OK("CLOSESTREAM 1 resolvefailed", "CLOSESTREAM 1 2\r\n"),
	OK("CLOSESTREAM 1 done", "CLOSESTREAM 1 6\r\n"),
	OK("CLOSESTREAM 1 6", "CLOSESTREAM 1 6\r\n"),
	OK("CLOSESTREAM 7 TORPROTOCOL", "CLOSESTREAM 7 13\r\n"),
	OK("CLOSESTREAM 7 NOTDIRECTORY", "CLOSESTREAM 7 14\r\n"),
	OK("closestream 3 255", "CLOSESTREAM 3 255\r\n"),
	BAD("CLOSESTREAM", "missing STREAM"),
	BAD("CLOSESTREAM 1", "missing REASON"),
	BAD("CLOSESTREAM 1 BOGUS", "REASON: expected a number 1-14 or a reason name"),
	BAD("CLOSESTREAM 1 0", "REASON: expected a number 1-14 or a reason name"),
	BAD("CLOSESTREAM 1 256", "REASON: expected a number 1-14 or a reason name"),
	BAD("CLOSESTREAM 1 DONE extra", "unexpected argument 'extra'"),

	/* ---- CLOSECIRCUIT (§3.17) ---- */
	OK("CLOSECIRCUIT 3", "CLOSECIRCUIT 3\r\n"),
	OK("CLOSECIRCUIT 3 IfUnused", "CLOSECIRCUIT 3 IfUnused\r\n"),
	OK("closecircuit 3 ifunused", "CLOSECIRCUIT 3 IfUnused\r\n"),
	OK("CLOSECIRCUIT 18446744073709551615", "CLOSECIRCUIT 18446744073709551615\r\n"),
	BAD("CLOSECIRCUIT", "missing CIRCUIT"),
	BAD("CLOSECIRCUIT 0", "CIRCUIT: expected an id (digits, not 0)"),
	BAD("CLOSECIRCUIT +5", "CIRCUIT: expected an id (digits)"),
	BAD("CLOSECIRCUIT 3 Now", "flag: expected IfUnused"),
	BAD("CLOSECIRCUIT 3 IfUnused=1", "flag: expected IfUnused"),
	BAD("CLOSECIRCUIT 3 IfUnused IfUnused", "unexpected argument"),

	/* ---- QUIT (§3.18) ---- */
	OK("QUIT", "QUIT\r\n"),
	OK("quit", "QUIT\r\n"),
	OK("QUIT ", "QUIT\r\n"),
	BAD("QUIT now", "unexpected argument 'now'"),

	/* ---- USEFEATURE (§3.19) ---- */
	OK("USEFEATURE VERBOSE_NAMES", "USEFEATURE VERBOSE_NAMES\r\n"),
	OK("usefeature EXTENDED_EVENTS VERBOSE_NAMES", "USEFEATURE EXTENDED_EVENTS VERBOSE_NAMES\r\n"),
	BAD("USEFEATURE", "missing FEATURE"),
	BAD("USEFEATURE \"VERBOSE_NAMES EXTENDED_EVENTS\"", "FEATURE: expected a feature name"),
	BAD("USEFEATURE VERBOSE-NAMES", "FEATURE: expected a feature name such as VERBOSE_NAMES (letters, digits, '_')"),

	/* ---- RESOLVE (§3.20) ---- */
	OK("RESOLVE example.com", "RESOLVE example.com\r\n"),
	OK("RESOLVE mode=reverse 1.2.3.4", "RESOLVE mode=reverse 1.2.3.4\r\n"),
	OK("resolve MODE=Reverse 1.2.3.4", "RESOLVE mode=reverse 1.2.3.4\r\n"),
	OK("RESOLVE a.example b.example", "RESOLVE a.example b.example\r\n"),
	BAD("RESOLVE", "missing ADDRESS"),
	BAD("RESOLVE mode=reverse", "missing ADDRESS"),
	BAD("RESOLVE mode=forward x.org", "mode: expected mode=reverse"),
	BAD("RESOLVE \"a b\"", "ADDRESS: expected a host name"),
	BAD("RESOLVE foo=bar x.org", "ADDRESS: expected a host name or address (or mode=reverse)"),

	/* ---- PROTOCOLINFO (§2.2) ---- */
	OK("PROTOCOLINFO", "PROTOCOLINFO\r\n"),
	OK("PROTOCOLINFO 1", "PROTOCOLINFO 1\r\n"),
	OK("protocolinfo 1", "PROTOCOLINFO 1\r\n"),
	BAD("PROTOCOLINFO x", "VERSION: expected an id (digits), got 'x'"),
	BAD("PROTOCOLINFO \"1\"", "VERSION"),

	/* ---- +LOADCONF (§3.22, §1.2): CRLF, dot-stuffing, '+' optional ---- */
	OKB("+LOADCONF", "SocksPort 0\n", "+LOADCONF\r\nSocksPort 0\r\n.\r\n"),
	OKB("LOADCONF", "SocksPort 0\n", "+LOADCONF\r\nSocksPort 0\r\n.\r\n"),
	OKB("+loadconf", "A 1\r\nB 2\r\n", "+LOADCONF\r\nA 1\r\nB 2\r\n.\r\n"),
	OKB("+LOADCONF", "A 1\nB 2\r\nC 3", "+LOADCONF\r\nA 1\r\nB 2\r\nC 3\r\n.\r\n"),
	OKB("+LOADCONF", "no final newline", "+LOADCONF\r\nno final newline\r\n.\r\n"),
	/* a body line "." must not end the body early (smuggling, §1.8 #3) */
	OKB("+LOADCONF", "NoSuch 1\n.\nGETINFO version\n", "+LOADCONF\r\nNoSuch 1\r\n..\r\nGETINFO version\r\n.\r\n"),
	OKB("+LOADCONF", ".\r\nSIGNAL HALT\r\n", "+LOADCONF\r\n..\r\nSIGNAL HALT\r\n.\r\n"),
	OKB("+LOADCONF", ".", "+LOADCONF\r\n..\r\n.\r\n"),
	OKB("+LOADCONF", ".\n.\n", "+LOADCONF\r\n..\r\n..\r\n.\r\n"),
	OKB("+LOADCONF", "..x\n", "+LOADCONF\r\n...x\r\n.\r\n"),
	OKB("+LOADCONF", ".Hidden 1\n", "+LOADCONF\r\n..Hidden 1\r\n.\r\n"),
	OKB("+LOADCONF", "a\n\nb\n", "+LOADCONF\r\na\r\n\r\nb\r\n.\r\n"),
	OKB("+LOADCONF", "x\r", "+LOADCONF\r\nx\r\n.\r\n"),
	OKB("+LOADCONF", "a . b\n", "+LOADCONF\r\na . b\r\n.\r\n"),
	/* a bare CR ends a line too, and dot-stuffing follows the split */
	OKB("+LOADCONF", "A 1\rB 2\r", "+LOADCONF\r\nA 1\r\nB 2\r\n.\r\n"),
	OKB("+LOADCONF", "a\r.\rb\n", "+LOADCONF\r\na\r\n..\r\nb\r\n.\r\n"),
	OKB("+LOADCONF", "a\r\r\nb", "+LOADCONF\r\na\r\n\r\nb\r\n.\r\n"),
	OKB("+LOADCONF", "a\n\r.x\r\n", "+LOADCONF\r\na\r\n\r\n..x\r\n.\r\n"),
	OKB("/raw +LOADCONF", "a\r.\r", "+LOADCONF\r\na\r\n..\r\n.\r\n"),
	BADB("+LOADCONF", "", "LOADCONF needs a body"),
	BAD("LOADCONF", "LOADCONF needs a body"),
	BAD("+LOADCONF", "LOADCONF needs a body"),
	BADB("+LOADCONF extra", "x\n", "unexpected argument 'extra'"),
	BADB("+LOADCONF\rSIGNAL HALT", "x\n", "carriage return (CR)"),
	BADNB("+LOADCONF", "SocksPort 0\n\0\n", "NUL byte inside the body"),

	/* ---- TAKEOWNERSHIP, DROPOWNERSHIP, DROPGUARDS, DROPTIMEOUTS ---- */
	OK("TAKEOWNERSHIP", "TAKEOWNERSHIP\r\n"),
	OK("takeownership", "TAKEOWNERSHIP\r\n"),
	BAD("TAKEOWNERSHIP x", "unexpected argument 'x'"),
	OK("DROPOWNERSHIP", "DROPOWNERSHIP\r\n"),
	OK("DropOwnership", "DROPOWNERSHIP\r\n"),
	BAD("DROPOWNERSHIP x", "unexpected argument 'x'"),
	OK("DROPGUARDS", "DROPGUARDS\r\n"),
	OK("dropguards", "DROPGUARDS\r\n"),
	BAD("DROPGUARDS now", "unexpected argument 'now'"),
	OK("DROPTIMEOUTS", "DROPTIMEOUTS\r\n"),
	OK("droptimeouts", "DROPTIMEOUTS\r\n"),
	BAD("DROPTIMEOUTS x", "unexpected argument 'x'"),

	/* ---- AUTHCHALLENGE (§2.4): SAFECOOKIE and a 32-byte nonce ---- */
	OK("AUTHCHALLENGE SAFECOOKIE " NONCE, "AUTHCHALLENGE SAFECOOKIE " NONCE "\r\n"),
	OK("authchallenge safecookie " NONCE, "AUTHCHALLENGE SAFECOOKIE " NONCE "\r\n"),
	OK("AUTHCHALLENGE SAFECOOKIE \"0123456789abcdef0123456789abcdef\"",
	   "AUTHCHALLENGE SAFECOOKIE 3031323334353637383961626364656630313233343536373839616263646566\r\n"),
	BAD("AUTHCHALLENGE", "missing METHOD"),
	BAD("AUTHCHALLENGE SAFECOOKIE", "missing NONCE"),
	BAD("AUTHCHALLENGE COOKIE " NONCE, "METHOD: expected one of SAFECOOKIE"),
	BAD("AUTHCHALLENGE SAFECOOKIE 01", "NONCE: expected 64 hex digits"),
	BAD("AUTHCHALLENGE SAFECOOKIE zz0102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
	    "NONCE: expected 64 hex digits"),
	BAD("AUTHCHALLENGE SAFECOOKIE \"short\"", "NONCE: expected 32 bytes, got 5"),
	/* a QuotedString as for AUTHENTICATE: \X is X, no C escapes */
	OK("AUTHCHALLENGE SAFECOOKIE \"0123456789abcdef0123456789abcde\\n\"",
	   "AUTHCHALLENGE SAFECOOKIE 303132333435363738396162636465663031323334353637383961626364656E\r\n"),
	OK("AUTHCHALLENGE SAFECOOKIE \"0123456789abcdef0123456789abcde\\q\"",
	   "AUTHCHALLENGE SAFECOOKIE 3031323334353637383961626364656630313233343536373839616263646571\r\n"),
	OK("AUTHCHALLENGE SAFECOOKIE \"0123456789abcdef0123456789abcd\\\"\\\\\"",
	   "AUTHCHALLENGE SAFECOOKIE 303132333435363738396162636465663031323334353637383961626364225C\r\n"),
	BAD("AUTHCHALLENGE SAFECOOKIE \"0123456789abcdef0123456789abcd\\x41\"", "NONCE: expected 32 bytes, got 33"),
	BAD("AUTHCHALLENGE SAFECOOKIE " NONCE " x", "unexpected argument 'x'"),

	/* ---- HSFETCH (§3.26): v3 address (checksum verified), SERVER= ---- */
	OK("HSFETCH " ONION, "HSFETCH " ONION "\r\n"),
	OK("hsfetch " ONION_TP, "HSFETCH " ONION_TP "\r\n"),
	OK("HSFETCH " ONION ".onion", "HSFETCH " ONION "\r\n"),
	OK("HSFETCH " ONION_UP ".ONION", "HSFETCH " ONION "\r\n"),
	OK("HSFETCH " ONION " SERVER=" FP, "HSFETCH " ONION " SERVER=" FP "\r\n"),
	OK("HSFETCH " ONION " server=" FP " SERVER=" FP2 "~n2", "HSFETCH " ONION " SERVER=" FP " SERVER=" FP2 "~n2\r\n"),
	/* tor looks SERVER= up by identity: a nickname is 552 Server not found */
	BAD("HSFETCH " ONION " SERVER=hsdir1", "SERVER: takes $FINGERPRINT, not a nickname ('hsdir1'"),
	BAD("HSFETCH", "missing ADDRESS"),
	BAD("HSFETCH " ONION_TYPO, "column 9: ADDRESS: checksum mismatch: probably a typo"),
	BAD("HSFETCH " ONION_V4, "version byte is 4, expected 3"),
	BAD("HSFETCH expyuzz4wqqyqhjn", "v2 16-character addresses were removed"),
	BAD("HSFETCH aaaqeayeaudaocajbifqydiob4ibceqtcqkrmfyydenbwha5dyp3kea", "56 base32 characters"),
	BAD("HSFETCH aaaqeayeaudaocajbifqydiob4ibceqtcqkrmfyydenbwha5dyp3ke1d", "not base32 (a-z, 2-7): character 55 is '1'"),
	BAD("HSFETCH \"" ONION "\"", "ADDRESS: expected a v3 onion address"),
	BAD("HSFETCH " ONION " " FP, "expected SERVER=$FINGERPRINT"),
	BAD("HSFETCH " ONION " SERVER=\"x y\"", "SERVER: expected a relay, not a quoted string"),
	BAD("HSFETCH " ONION " SERVER=$0123", "SERVER: expected a relay"),
	BAD("HSFETCH " ONION " SERVER=$0123456789ABCDEF0123456789ABCDEF0123456G", "SERVER: expected a relay"),
	BAD("HSFETCH " ONION " SERVER=", "SERVER: expected a relay"),
	BAD("HSFETCH " ONION " SERVER=" FP "~nick-name", "SERVER: expected a relay"),
	BAD("HSFETCH " ONION " SERVER=" FP "=nick", "SERVER: tor never matches $FINGERPRINT=nickname"),

	/* ---- ADD_ONION (§3.27) ---- */
	OK("ADD_ONION NEW:BEST Port=80", "ADD_ONION NEW:BEST Port=80\r\n"),
	OK("add_onion new:best port=80 flags=discardpk", "ADD_ONION NEW:BEST Port=80 Flags=discardpk\r\n"),
	OK("ADD_ONION NEW:ED25519-V3 Port=80", "ADD_ONION NEW:ED25519-V3 Port=80\r\n"),
	OK("ADD_ONION NEW:ED25519-V3 Flags=DiscardPK,Detach Port=80,127.0.0.1:8080 Port=443,unix:/run/x.sock",
	   "ADD_ONION NEW:ED25519-V3 Flags=DiscardPK,Detach Port=80,127.0.0.1:8080 Port=443,unix:/run/x.sock\r\n"),
	OK("ADD_ONION NEW:ED25519-V3 Port=80,8080", "ADD_ONION NEW:ED25519-V3 Port=80,8080\r\n"),
	OK("ADD_ONION NEW:ED25519-V3 Port=80,[::1]:8080", "ADD_ONION NEW:ED25519-V3 Port=80,[::1]:8080\r\n"),
	OK("ADD_ONION NEW:ED25519-V3 MaxStreams=10 Flags=MaxStreamsCloseCircuit Port=80",
	   "ADD_ONION NEW:ED25519-V3 MaxStreams=10 Flags=MaxStreamsCloseCircuit Port=80\r\n"),
	OK("ADD_ONION NEW:BEST Port=80 MaxStreams=0", "ADD_ONION NEW:BEST Port=80 MaxStreams=0\r\n"),
	OK("ADD_ONION NEW:BEST Port=80 MaxStreams=65535", "ADD_ONION NEW:BEST Port=80 MaxStreams=65535\r\n"),
	OK("ADD_ONION NEW:ED25519-V3 Flags=V3Auth ClientAuthV3=" B32KEY " Port=80",
	   "ADD_ONION NEW:ED25519-V3 Flags=V3Auth ClientAuthV3=" B32KEY " Port=80\r\n"),
	OK("ADD_ONION NEW:BEST Port=80 ClientAuthV3=aaaqeayeaudaocajbifqydiob4ibceqtcqkrmfyydenbwha5dypq",
	   "ADD_ONION NEW:BEST Port=80 ClientAuthV3=aaaqeayeaudaocajbifqydiob4ibceqtcqkrmfyydenbwha5dypq\r\n"),
	OK("ADD_ONION NEW:ED25519-V3 PoWDefensesEnabled=1 PoWQueueRate=250 PoWQueueBurst=2500 Port=80",
	   "ADD_ONION NEW:ED25519-V3 PoWDefensesEnabled=1 PoWQueueRate=250 PoWQueueBurst=2500 Port=80\r\n"),
	OK("ADD_ONION NEW:BEST Port=80 PoWQueueBurst=4294967295", "ADD_ONION NEW:BEST Port=80 PoWQueueBurst=4294967295\r\n"),
	OK("ADD_ONION ED25519-V3:" ED64 " Port=80", "ADD_ONION ED25519-V3:" ED64 " Port=80\r\n"),
	OK("ADD_ONION ED25519-V3:" ED64_NOPAD " Port=80", "ADD_ONION ED25519-V3:" ED64_NOPAD " Port=80\r\n"),
	OK("ADD_ONION NEW:BEST Flags=NonAnonymous Port=22,unix:/run/ssh.sock",
	   "ADD_ONION NEW:BEST Flags=NonAnonymous Port=22,unix:/run/ssh.sock\r\n"),
	BAD("ADD_ONION", "missing KEY"),
	BAD("ADD_ONION Port=80", "KEY: expected NEW:BEST, NEW:ED25519-V3 or ED25519-V3:<base64 key>"),
	BAD("ADD_ONION NEW:RSA1024 Port=80", "KEY: RSA1024 keys are v2 onion services"),
	BAD("ADD_ONION RSA1024:MIICXAIBAAKBgQC Port=80", "RSA1024 keys are v2 onion services"),
	BAD("ADD_ONION ED25519-V3 Port=80", "KEY: expected NEW:BEST"),
	BAD("ADD_ONION \"NEW:BEST\" Port=80", "KEY: expected NEW:BEST"),
	BAD("ADD_ONION ED25519-V3:abc Port=80", "ED25519-V3 key: expected base64 of 64 bytes"),
	BAD("ADD_ONION ED25519-V3:" ED63 " Port=80", "expected base64 of 64 bytes, got 63 bytes"),
	BAD("ADD_ONION ED25519-V3:" ED64 "A Port=80", "ED25519-V3 key"),
	BAD("ADD_ONION NEW:ED25519-V3", "missing Port"),
	BAD("ADD_ONION NEW:ED25519-V3 Flags=Detach", "missing Port"),
	BAD("ADD_ONION NEW:ED25519-V3 Port=0", "Port: virtual port: expected a port 1-65535, got '0'"),
	BAD("ADD_ONION NEW:ED25519-V3 Port=65536", "Port: virtual port: expected a port 1-65535"),
	BAD("ADD_ONION NEW:BEST Port=80,0", "Port: target: expected a port 1-65535, got '0'"),
	BAD("ADD_ONION NEW:BEST Port=80,65536", "Port: target: expected a port 1-65535"),
	BAD("ADD_ONION NEW:BEST Port=80,127.0.0.1:0", "Port: target: expected a port 1-65535"),
	BAD("ADD_ONION NEW:BEST Port=80,[::1", "Port: target"),
	/* an address alone: tor uses the virtual port (checked with tor 0.4.9.11) */
	OK("ADD_ONION NEW:BEST Port=80,127.0.0.1", "ADD_ONION NEW:BEST Port=80,127.0.0.1\r\n"),
	OK("ADD_ONION NEW:BEST Port=80,[::1]", "ADD_ONION NEW:BEST Port=80,[::1]\r\n"),
	OK("ADD_ONION NEW:BEST Port=443,backend.example", "ADD_ONION NEW:BEST Port=443,backend.example\r\n"),
	OK("ADD_ONION NEW:BEST Port=443,backend.example:8443", "ADD_ONION NEW:BEST Port=443,backend.example:8443\r\n"),
	/* tor reads a word without '.' or ':' as a port (512 Invalid VIRTPORT/TARGET) */
	BAD("ADD_ONION NEW:BEST Port=80,localhost", "Port: target: expected PORT, ADDRESS[:PORT]"),
	/* tor takes "::1:8080" as one IPv6 address: brackets say what is meant */
	BAD("ADD_ONION NEW:BEST Port=80,::1:8080", "Port: target: expected an IPv6 address in brackets"),
	BAD("ADD_ONION NEW:BEST Port=80,::1", "in brackets"),
	BAD("ADD_ONION NEW:BEST Port=80,[]:80", "Port: target"),
	BAD("ADD_ONION NEW:BEST Port=80,[::1]x", "Port: target"),
	BAD("ADD_ONION NEW:BEST Port=80,127.0.0.1:", "Port: target: expected a port 1-65535"),
	/* tor refuses a quote in an unquoted keyword value: 512 Cannot parse */
	BAD("ADD_ONION NEW:BEST Port=80,unix:/tmp/a'b", "column 20: Port: tor refuses a quote (' or \") in a keyword value"),
	BAD("ADD_ONION NEW:BEST Port=80,unix:/tmp/a\"b", "Port: tor refuses a quote"),
	BAD("ADD_ONION NEW:BEST Port=80,o'brien.example:80", "Port: tor refuses a quote"),
	BAD("ADD_ONION NEW:BEST Port=", "Port: expected VIRTPORT[,TARGET]"),
	BAD("ADD_ONION NEW:BEST Port=x", "Port: virtual port"),
	BAD("ADD_ONION NEW:ED25519-V3 Port=\"80 Flags=Detach\"", "Port"),
	BAD("ADD_ONION NEW:ED25519-V3 Port=81,\"unix:/a b\"", "Port: target"),
	BAD("ADD_ONION NEW:ED25519-V3 ClientAuth=bob Port=80", "ClientAuth: v2 client authorization was removed"),
	BAD("ADD_ONION NEW:ED25519-V3 Port=80 clientauth=bob:x", "v2 client authorization was removed"),
	BAD("ADD_ONION NEW:ED25519-V3 Flags=Bogus Port=80", "Flags: expected a comma-separated list"),
	BAD("ADD_ONION NEW:ED25519-V3 Flags=BasicAuth Port=80", "Flags: BasicAuth belonged to v2 onion services"),
	BAD("ADD_ONION NEW:BEST Port=80 Flags=", "Flags: expected a comma-separated list"),
	BAD("ADD_ONION NEW:BEST Port=80 MaxStreams=x", "MaxStreams: expected a number 0-65535"),
	BAD("ADD_ONION NEW:BEST Port=80 MaxStreams=65536", "MaxStreams: expected a number 0-65535"),
	BAD("ADD_ONION NEW:BEST Port=80 PoWDefensesEnabled=2", "PoWDefensesEnabled: expected a number 0-1"),
	BAD("ADD_ONION NEW:BEST Port=80 PoWQueueRate=4294967296", "PoWQueueRate: expected a number 0-4294967295"),
	BAD("ADD_ONION NEW:BEST Port=80 PoWQueueBurst=-1", "PoWQueueBurst"),
	BAD("ADD_ONION NEW:BEST Port=80 ClientAuthV3=" B32KEY_31, "ClientAuthV3: x25519 public key in base32: expected base32 of 32 bytes, got 31 bytes"),
	BAD("ADD_ONION NEW:BEST Port=80 ClientAuthV3=descriptor:x25519:" B32KEY, "ClientAuthV3: x25519 public key in base32"),
	BAD("ADD_ONION NEW:BEST Port=80 ClientAuthV3=" X25519_NOPAD, "ClientAuthV3"),
	/* exactly 52 characters: tor refuses padding (512 Cannot decode v3 client auth key) */
	BAD("ADD_ONION NEW:BEST Port=80 ClientAuthV3=" B32KEY "====", "ClientAuthV3: x25519 public key in base32: expected base32 without '=' padding"),
	BAD("ADD_ONION NEW:BEST Port=80 ClientAuthV3=\"" B32KEY "\"", "ClientAuthV3: expected a base32 x25519 public key, not a quoted string"),
	BAD("ADD_ONION NEW:BEST Port=80 Foo=1", "unexpected argument 'Foo=1'"),
	BAD("ADD_ONION NEW:BEST NEW:BEST Port=80", "unexpected argument 'NEW:BEST'"),
	BAD("ADD_ONION NEW:BEST Port=80\nDEL_ONION " ONION, "line feed (LF)"),

	/* ---- DEL_ONION (§3.28) ---- */
	OK("DEL_ONION " ONION, "DEL_ONION " ONION "\r\n"),
	OK("del_onion " ONION_TP, "DEL_ONION " ONION_TP "\r\n"),
	OK("DEL_ONION " ONION ".onion", "DEL_ONION " ONION "\r\n"),
	OK("DEL_ONION " ONION_UP, "DEL_ONION " ONION "\r\n"),
	BAD("DEL_ONION", "missing SERVICE"),
	BAD("DEL_ONION " ONION_TYPO, "SERVICE: checksum mismatch"),
	BAD("DEL_ONION " ONION " extra", "unexpected argument 'extra'"),
	BAD("DEL_ONION ServiceID=" ONION, "SERVICE: expected a v3 onion address"),

	/* ---- +HSPOST (§3.29): HSADDRESS required (tor never replies without) ---- */
	OKB("+HSPOST HSADDRESS=" ONION, "hs-descriptor 3\n", "+HSPOST HSADDRESS=" ONION "\r\nhs-descriptor 3\r\n.\r\n"),
	OKB("HSPOST SERVER=" FP " HSADDRESS=" ONION, "d\n", "+HSPOST SERVER=" FP " HSADDRESS=" ONION "\r\nd\r\n.\r\n"),
	OKB("+hspost hsaddress=" ONION ".onion", "d\n", "+HSPOST HSADDRESS=" ONION "\r\nd\r\n.\r\n"),
	OKB("+HSPOST HSADDRESS=" ONION, "a\n.\nb\n", "+HSPOST HSADDRESS=" ONION "\r\na\r\n..\r\nb\r\n.\r\n"),
	/* sent lower-case, as every other onion address argument */
	OKB("+HSPOST HSADDRESS=" ONION_UP, "d\n", "+HSPOST HSADDRESS=" ONION "\r\nd\r\n.\r\n"),
	OKB("+HSPOST HSADDRESS=" ONION_UP ".Onion", "d\n", "+HSPOST HSADDRESS=" ONION "\r\nd\r\n.\r\n"),
	BADB("+HSPOST", "d\n", "missing HSADDRESS"),
	BADB("+HSPOST SERVER=" FP, "d\n", "missing HSADDRESS"),
	BAD("HSPOST HSADDRESS=" ONION, "HSPOST needs a body"),
	BADB("+HSPOST HSADDRESS=" ONION_TYPO, "d\n", "HSADDRESS: checksum mismatch"),
	BADB("+HSPOST HSADDRESS=\"" ONION "\"", "d\n", "HSADDRESS: expected an onion address"),
	BADB("+HSPOST HSADDRESS=" ONION " SERVER=x y", "d\n", "SERVER: takes $FINGERPRINT, not a nickname"),
	BADB("+HSPOST HSADDRESS=" ONION " SERVER=$0123456789ABCDEF0123456789ABCDEF01234567 y", "d\n",
	     "expected SERVER=..., HSADDRESS=... or @FILE"),
	BADB("+HSPOST HSADDRESS=" ONION " SERVER=$01", "d\n", "SERVER: expected a relay"),

	/* ---- ONION_CLIENT_AUTH_ADD (§3.30): x25519 key, ClientName up to 16 ---- */
	OK("ONION_CLIENT_AUTH_ADD " ONION " " X25519, "ONION_CLIENT_AUTH_ADD " ONION " " X25519 "\r\n"),
	OK("onion_client_auth_add " ONION " " X25519_NOPAD, "ONION_CLIENT_AUTH_ADD " ONION " " X25519_NOPAD "\r\n"),
	/* tor would keep an upper-case address as a second, different entry */
	OK("ONION_CLIENT_AUTH_ADD " ONION_UP " " X25519, "ONION_CLIENT_AUTH_ADD " ONION " " X25519 "\r\n"),
	OK("ONION_CLIENT_AUTH_REMOVE " ONION_UP, "ONION_CLIENT_AUTH_REMOVE " ONION "\r\n"),
	OK("ONION_CLIENT_AUTH_ADD " ONION ".onion X25519:ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM=",
	   "ONION_CLIENT_AUTH_ADD " ONION " " X25519 "\r\n"),
	OK("ONION_CLIENT_AUTH_ADD " ONION " " X25519 " ClientName=bob Flags=Permanent",
	   "ONION_CLIENT_AUTH_ADD " ONION " " X25519 " ClientName=bob Flags=Permanent\r\n"),
	OK("ONION_CLIENT_AUTH_ADD " ONION " " X25519 " ClientName=abcdefghijklmnop",
	   "ONION_CLIENT_AUTH_ADD " ONION " " X25519 " ClientName=abcdefghijklmnop\r\n"),
	OK("ONION_CLIENT_AUTH_ADD " ONION " " X25519 " clientname=x",
	   "ONION_CLIENT_AUTH_ADD " ONION " " X25519 " ClientName=x\r\n"),
	BAD("ONION_CLIENT_AUTH_ADD", "missing ADDRESS"),
	BAD("ONION_CLIENT_AUTH_ADD " ONION, "missing KEY"),
	BAD("ONION_CLIENT_AUTH_ADD " ONION_TYPO " " X25519, "ADDRESS: checksum mismatch"),
	BAD("ONION_CLIENT_AUTH_ADD " ONION " " X25519 " ClientName=abcdefghijklmnopq", "ClientName: expected 1-16"),
	BAD("ONION_CLIENT_AUTH_ADD " ONION " " X25519 " ClientName=", "ClientName: expected 1-16"),
	BAD("ONION_CLIENT_AUTH_ADD " ONION " " X25519 " ClientName=\"a b\"", "ClientName: expected 1-16 printable"),
	BAD("ONION_CLIENT_AUTH_ADD " ONION " " X25519 " ClientName=\"a Flags=Permanent\"", "ClientName"),
	BAD("ONION_CLIENT_AUTH_ADD " ONION " x25519:abc", "KEY: x25519 key: expected base64 of 32 bytes"),
	BAD("ONION_CLIENT_AUTH_ADD " ONION " " X25519_31, "expected base64 of 32 bytes, got 31 bytes"),
	BAD("ONION_CLIENT_AUTH_ADD " ONION " " X25519_33, "expected base64 of 32 bytes, got 33 bytes"),
	BAD("ONION_CLIENT_AUTH_ADD " ONION " " X25519_NOPAD "!", "KEY: x25519 key: expected base64"),
	BAD("ONION_CLIENT_AUTH_ADD " ONION " curve25519:ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM=",
	    "KEY: expected x25519:<base64 private key>"),
	BAD("ONION_CLIENT_AUTH_ADD " ONION " \"" X25519 "\"", "KEY: expected x25519"),
	BAD("ONION_CLIENT_AUTH_ADD " ONION " " X25519 " Flags=Forever", "Flags: expected a comma-separated list of Permanent"),
	BAD("ONION_CLIENT_AUTH_ADD " ONION " " X25519 " Permanent", "expected ClientName=NAME or Flags=Permanent"),
	BAD("ONION_CLIENT_AUTH_ADD " ONION " " X25519 " ClientName=o'hara", "column 132: ClientName: tor refuses a quote"),
	BAD("ONION_CLIENT_AUTH_ADD " ONION " " X25519 " ClientName=a\"b", "ClientName: tor refuses a quote"),

	/* ---- ONION_CLIENT_AUTH_REMOVE / VIEW (§3.31, §3.32) ---- */
	OK("ONION_CLIENT_AUTH_REMOVE " ONION, "ONION_CLIENT_AUTH_REMOVE " ONION "\r\n"),
	OK("onion_client_auth_remove " ONION ".onion", "ONION_CLIENT_AUTH_REMOVE " ONION "\r\n"),
	BAD("ONION_CLIENT_AUTH_REMOVE", "missing ADDRESS"),
	BAD("ONION_CLIENT_AUTH_REMOVE " ONION_TYPO, "ADDRESS: checksum mismatch"),
	BAD("ONION_CLIENT_AUTH_REMOVE " ONION " " ONION_TP, "unexpected argument"),
	OK("ONION_CLIENT_AUTH_VIEW", "ONION_CLIENT_AUTH_VIEW\r\n"),
	OK("ONION_CLIENT_AUTH_VIEW " ONION, "ONION_CLIENT_AUTH_VIEW " ONION "\r\n"),
	OK("onion_client_auth_view " ONION_UP, "ONION_CLIENT_AUTH_VIEW " ONION "\r\n"),
	BAD("ONION_CLIENT_AUTH_VIEW nope", "ADDRESS: expected a v3 onion address"),
	BAD("ONION_CLIENT_AUTH_VIEW " ONION_TYPO, "ADDRESS: checksum mismatch"),

	/* ---- /raw LINE: unchecked but for CR, LF, NUL ---- */
	OK("/raw FOO bar", "FOO bar\r\n"),
	OK("/raw GETINFO version", "GETINFO version\r\n"),
	OK("/raw  SETCONF  X=\"a b\" ", "SETCONF  X=\"a b\" \r\n"),
	OKB("/raw +LOADCONF", "SocksPort 0\n.\n", "+LOADCONF\r\nSocksPort 0\r\n..\r\n.\r\n"),
	OKB("/raw GETINFO version", "ignored\n", "GETINFO version\r\n"),
	BAD("/raw", "/raw needs a LINE"),
	BAD("/raw   ", "/raw needs a LINE"),
	BAD("/raw FOO\rBAR", "carriage return (CR) inside the command at column 9"),
	BAD("/raw FOO\nQUIT", "line feed (LF)"),
	BAD("/raw GETINFO version\r\n", "carriage return (CR)"),
	BADN("/raw GETINFO\0version", "NUL byte inside the command"),
	BADNB("/raw +LOADCONF", "a\n\0\n", "NUL byte inside the body"),
	/* a '+' line without its body would make tor read the next commands as
	 * the body; a lone '.' is the line that ends one */
	BAD("/raw +LOADCONF", "a '+' line without its body (the lines that follow, up to a line '.') at column 6"),
	BAD("/raw +", "'+' without a command word and its body"),
	BADB("/raw +", "x\n", "'+' without a command word"),
	BAD("/raw .", "a lone '.' (the line that ends a body) at column 6: refused, nothing was sent"),
	BAD("/raw   .", "a lone '.'"),
	OK("/raw .x", ".x\r\n"),
	OKB("/raw +FOO", "", "+FOO\r\n.\r\n"),
	OK("/RAW GETINFO version", "GETINFO version\r\n"),
	OK("/raw\tGETINFO version", "GETINFO version\r\n"),

	/* ---- /raw still refuses what crashes or wedges tor 0.4.9.11 (raw_hazards) ---- */
	BAD("/raw SETCIRCUITPURPOSE", "SETCIRCUITPURPOSE without a circuit id crashes tor (SIGSEGV)"),
	BAD("/raw setcircuitpurpose   ", "crashes tor"),
	BAD("/raw SETCIRCUITPURPOSE\v", "crashes tor"),
	BAD("/raw SETCIRCUITPURPOSE\f\t", "crashes tor"),
	BADB("/raw +SETCIRCUITPURPOSE", "x\n", "crashes tor"),
	BAD("/RAW SETCIRCUITPURPOSE", "refused even by /raw, nothing was sent"),
	OK("/raw SETCIRCUITPURPOSE 1", "SETCIRCUITPURPOSE 1\r\n"),
	OK("/raw SETCIRCUITPURPOSE purpose=general", "SETCIRCUITPURPOSE purpose=general\r\n"),
	OK("/raw SETCIRCUITPURPOSEX", "SETCIRCUITPURPOSEX\r\n"),
	BAD("/raw ADD_ONION NEW:BEST Port=80 ClientAuth=alice", "ClientAuth= (v2 client authorization) never gets a reply"),
	BAD("/raw add_onion NEW:BEST Port=80 clientauth=alice:x", "never gets a reply"),
	BAD("/raw ADD_ONION NEW:BEST ClientAuth Port=80", "never gets a reply"),
	OK("/raw ADD_ONION NEW:BEST Port=80 ClientAuthV3=" B32KEY, "ADD_ONION NEW:BEST Port=80 ClientAuthV3=" B32KEY "\r\n"),
	BADB("/raw +HSPOST", "desc\n", "+HSPOST without HSADDRESS= never gets a reply"),
	BADB("/raw +hspost SERVER=" FP, "desc\n", "without HSADDRESS="),
	BAD("/raw HSPOST", "without HSADDRESS="),
	OKB("/raw +HSPOST HSADDRESS=" ONION, "desc\n", "+HSPOST HSADDRESS=" ONION "\r\ndesc\r\n.\r\n"),
	BAD("/raw ONION_CLIENT_AUTH_ADD " ONION " " X25519 " ClientName=abcdefghijklmnopq",
	    "ClientName over 16 characters gets two replies"),
	BAD("/raw ONION_CLIENT_AUTH_ADD " ONION " " X25519 " clientname=\"abcdefghij klmnopq\"", "two replies"),
	OK("/raw ONION_CLIENT_AUTH_ADD " ONION " " X25519 " ClientName=abcdefghijklmnop",
	   "ONION_CLIENT_AUTH_ADD " ONION " " X25519 " ClientName=abcdefghijklmnop\r\n"),

	/* ---- command words: case, '+', unknown, local, empty ---- */
	BAD("GETINF version", "unknown command GETINF; did you mean GETINFO?"),
	BAD("SETCNOF A=1", "did you mean SETCONF?"),
	BAD("ADDONION NEW:BEST Port=80", "did you mean ADD_ONION?"),
	BAD("GETI version", "did you mean GETINFO?"),
	/* a prefix of several names: all of them, not the first */
	BAD("GET version", "ambiguous command GET: could be GETCONF, GETINFO (/raw sends it anyway)"),
	BAD("ONION_CLIENT_AUTH_ x", ": could be ONION_CLIENT_AUTH_ADD, ONION_CLIENT_AUTH_REMOVE, ONION_CLIENT_AUTH_VIEW ("),
	BAD("drop", "ambiguous command drop: could be DROPGUARDS, DROPOWNERSHIP, DROPTIMEOUTS"),
	BAD("FOOBAR", "unknown command FOOBAR (/help lists them"),
	BAD("+GETINFO version", "unknown command +GETINFO; did you mean GETINFO?"),
	BAD("+FOO", "unknown command +FOO"),
	BAD("/help", "/help is a torsh command, not sent to tor"),
	BAD("/quit", "/quit is a torsh command"),
	BAD("/rawx GETINFO", "did you mean /raw?"),
	BAD("", "empty command"),
	BAD("\tGETINFO version", "leading whitespace"),
	BAD("GETINFO\x1b[2J version", "unknown command GETINFO\\x1B[2J"),
};


/* The input for a TAP description: control bytes shown as \r \n \t \0 \xHH. */
static const char *shown(const char *in, size_t len)
{
	static char bufs[2][700];
	static int which;
	char *out = bufs[which ^= 1];
	const size_t cap = sizeof(bufs[0]);
	size_t o = 0;
	for (size_t i = 0; i < len && o + 8 < cap; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c == '\r' || c == '\n' || c == '\t' || c == '\0') {
			out[o++] = '\\';
			out[o++] = c == '\r' ? 'r' : c == '\n' ? 'n' : c == '\t' ? 't' : '0';
		} else if (c < 0x20 || c >= 0x7f) {
			o += (size_t)snprintf(out + o, cap - o, "\\x%02X", c);
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
	return out;
}

static void check_row(const struct row *r)
{
	struct buf wire = {0}, err = {0};
	size_t len = r->len ? r->len : strlen(r->in);
	size_t blen = r->body ? (r->blen ? r->blen : strlen(r->body)) : 0;
	/* the wire buffer is reused between commands: stale bytes must go */
	buf_append(&wire, "stale", 5, BUF_NOLIMIT);
	int rc = command_prepare(r->in, len, r->body, blen, r->body != NULL, &wire, &err);
	if (r->want) {
		bool ok = rc == 0 && wire.len == strlen(r->want) && memcmp(wire.p, r->want, wire.len) == 0;
		CHECK(ok, "'%s'%s is sent as '%s'", shown(r->in, len), r->body ? " + body" : "",
		      shown(r->want, strlen(r->want)));
		if (rc != 0)
			printf("#   refused: %s\n", err.p ? err.p : "?");
		else if (!ok)
			printf("#   got:  '%s'\n", shown(wire.p, wire.len));
	} else {
		bool ok = rc < 0 && wire.len == 0 && err.p && strstr(err.p, r->err);
		CHECK(ok, "'%s'%s is refused (%s), nothing serialized", shown(r->in, len), r->body ? " + body" : "",
		      r->err);
		if (!ok)
			printf("#   rc=%d wire='%s' err='%s'\n", rc, shown(wire.p ? wire.p : "", wire.len),
			       err.p ? err.p : "");
	}
	buf_free(&wire);
	buf_free(&err);
}

/* What the front end must know before sending: command_inspect for the
 * history (whether the line parses or not), command_build for the rest. */
struct inspect_row {
	const char *in;
	bool local, secret, dangerous;
};
static const struct inspect_row inspect_rows[] = {
	{"GETINFO version", false, false, false},
	{"AUTHENTICATE \"secret\"", false, true, false},
	{"authenticate 0A0B", false, true, false},
	{"SETCONF HashedControlPassword=16:0011", false, true, false},
	{"RESETCONF hashedcontrolpassword", false, true, false},
	{"SETCONF ContactInfo=x", false, false, false},
	{"ONION_CLIENT_AUTH_ADD " ONION " " X25519, false, true, false},
	{"ADD_ONION ED25519-V3:" ED64 " Port=80", false, true, false},
	{"ADD_ONION NEW:BEST Port=80", false, false, false},
	{"SIGNAL HALT", false, false, true},
	{"SIGNAL shutdown", false, false, true},
	{"SIGNAL INT", false, false, true},
	{"SIGNAL TERM", false, false, true},
	{"SIGNAL NEWNYM", false, false, false},
	{"SIGNAL RELOAD", false, false, false},
	{"+LOADCONF", false, false, true},
	{"SAVECONF FORCE", false, false, true},
	{"DROPGUARDS", false, false, true},
	{"DROPTIMEOUTS", false, false, true},
	{"TAKEOWNERSHIP", false, false, true},
	{"DROPOWNERSHIP", false, false, false},
	{"/help", true, false, false},
	/* CR/LF/NUL reach cmd_parse only through command_inspect (command_prepare
	 * refuses them first); it once read a freed token here */
	{"GETINFO a\rb", false, false, false},
	{"SETCONF ContactInfo=a\nSIGNAL HALT", false, false, false},
	/* secrets stay out of history even when the line does not parse */
	{"AUTHENTICATE \"my password", false, true, false},
	{"AUTHENTICATE \"pw\rx\"", false, true, false},
	{"AUTHENTICATE my password", false, true, false},
	{"  AUTHENTICATE \"pw\"", false, true, false},
	{"SETCONF HashedControlPassword=\"16:00", false, true, false},
	{"SETCONF Bad-Name=1 HashedControlPassword=16:0011", false, true, false},
	{"SETCONF HashedControlPassword=16:0011 ContactInfo=\"\\q\"", false, true, false},
	{"resetconf __hashedcontrolsessionpassword=16:00 x\"", false, true, false},
	{"ADD_ONION ED25519-V3:" ED64, false, true, false},
	{"ADD_ONION ED25519-V3:abc Port=80", false, true, false},
	{"ADD_ONION Port=80 ed25519-v3:" ED64, false, true, false},
	{"ADD_ONION RSA1024:MIICXAIBAAKBgQC Port=80", false, true, false},
	{"ADD_ONION NEW:ED25519-V3 Port=80,unix:/run/x", false, false, false},
	{"ONION_CLIENT_AUTH_ADD nope", false, true, false},
	/* /raw is local, but sends what follows: as secret as that command */
	{"/raw GETINFO version", true, false, false},
	{"/raw AUTHENTICATE \"my password\"", true, true, false},
	{"/raw AUTHENTICATE 00", true, true, false},
	/* /raw sends what it is given: as dangerous as the command itself */
	{"/raw SIGNAL HALT", true, false, true},
	{"/raw DROPGUARDS now", true, false, true},
	{"/raw SIGNAL NEWNYM", true, false, false},
	/* a mistyped command word is judged as the command it resembles */
	{"AUTHENTICAT \"pw\"", false, true, false},
	{"SETCNF HashedControlPassword=16:00", false, true, false},
	{"GETINF version", false, false, false},
	{"/raw   authenticate", true, true, false},
	{"/raw SETCONF HashedControlPassword=16:0011", true, true, false},
	{"/raw ADD_ONION ED25519-V3:" ED64 " Port=80", true, true, false},
	{"/raw +ADD_ONION ED25519-V3:" ED64 " Port=80", true, true, false},
	{"/raw ONION_CLIENT_AUTH_ADD " ONION " " X25519, true, true, false},
};


static void check_inspect(const struct inspect_row *r)
{
	struct command_info info;
	memset(&info, 0xff, sizeof(info));
	command_inspect(r->in, strlen(r->in), &info);
	/* a line that is refused is sent nowhere: not dangerous; a body
	 * command gets one */
	struct command c = {0};
	struct cmd_error e;
	bool built = command_build(&c, r->in, strlen(r->in), "x", 1, true, &e) == 0;
	bool dangerous = built && c.dangerous;
	CHECK(info.local == r->local && info.secret == r->secret && dangerous == r->dangerous &&
	      (!built || c.secret == r->secret),
	      "inspect '%s': local=%d secret=%d dangerous=%d", shown(r->in, strlen(r->in)), r->local, r->secret,
	      r->dangerous);
	if (info.local != r->local || info.secret != r->secret || dangerous != r->dangerous)
		printf("#   got local=%d secret=%d dangerous=%d\n", info.local, info.secret, dangerous);
	command_free(&c);
}

/* command_wants_body: whether the next lines are this command's body. */
struct body_row {
	const char *in;
	bool wants;
};
static const struct body_row body_rows[] = {
	{"+LOADCONF", true},
	{"LOADCONF", true},
	{"+loadconf", true},
	{"+LOADCONF @/etc/tor/torrc.new", false},
	{"+POSTDESCRIPTOR purpose=general", true},
	{"+POSTDESCRIPTOR purpose=general @desc.txt", false},
	{"+HSPOST HSADDRESS=" ONION, true},
	{"HSPOST HSADDRESS=" ONION " @desc.txt  ", false},
	{"GETINFO version", false},
	{"+GETINFO version", true}, /* unknown, but tor would read a body: collect it */
	{"/raw +LOADCONF", true},
	{"/raw GETINFO version", false},
	{"/help LOADCONF", false},
};

static void check_find_suggest(void)
{
	const struct cmd_def *d;
	d = cmd_find("getinfo", 7);
	CHECK(d && strcmp(d->name, "GETINFO") == 0, "cmd_find is case-insensitive");
	d = cmd_find("+LOADCONF", 9);
	CHECK(d && strcmp(d->name, "LOADCONF") == 0, "cmd_find takes '+' before a body command");
	d = cmd_find("+hspost", 7);
	CHECK(d && strcmp(d->name, "HSPOST") == 0 && (d->flags & CMD_BODY), "cmd_find +hspost is a body command");
	CHECK(cmd_find("+GETINFO", 8) == NULL, "cmd_find refuses '+' before a single-line command");
	CHECK(cmd_find("GETINFOX", 8) == NULL, "cmd_find matches whole words only");
	CHECK(cmd_find("GETINFO version", 7) != NULL, "cmd_find honours the length");
	CHECK(cmd_find("+", 1) == NULL, "cmd_find '+' alone");
	d = cmd_find("SETROUTERPURPOSE", 16);
	CHECK(d && (d->flags & CMD_OBSOLETE), "SETROUTERPURPOSE is marked obsolete");
	char guess[200];
	CHECK(cmd_guess("SET", 3, guess, sizeof(guess)) == 4 &&
	      strcmp(guess, ": could be SETCIRCUITPURPOSE, SETCONF, SETEVENTS, SETROUTERPURPOSE") == 0,
	      "cmd_guess SET: every command it begins, in order: %s", guess);
	CHECK(cmd_guess("GETINF", 6, guess, sizeof(guess)) == 1 && strcmp(guess, "; did you mean GETINFO?") == 0,
	      "cmd_guess GETINF: one prefix, a suggestion: %s", guess);
	CHECK(cmd_guess("/trce", 5, guess, sizeof(guess)) == 1 && strcmp(guess, "; did you mean /trace?") == 0,
	      "cmd_guess /trce: by spelling: %s", guess);
	CHECK(cmd_guess("GE", 2, guess, sizeof(guess)) == 0 && guess[0] == '\0', "cmd_guess GE: too short to guess");
	d = cmd_suggest("GETINF", 6);
	CHECK(d && strcmp(d->name, "GETINFO") == 0, "cmd_suggest GETINF -> GETINFO");
	d = cmd_suggest("del_onoin", 9);
	CHECK(d && strcmp(d->name, "DEL_ONION") == 0, "cmd_suggest del_onoin -> DEL_ONION");
	d = cmd_suggest("SIGNALL", 7);
	CHECK(d && strcmp(d->name, "SIGNAL") == 0, "cmd_suggest SIGNALL -> SIGNAL");
	CHECK(cmd_suggest("xyzzyplugh", 10) == NULL, "cmd_suggest has nothing for nonsense");

	/* every control command of the digest's index is in the table, and
	 * nothing else that is not local */
	static const char *const words[] = {
		"SETCONF", "RESETCONF", "GETCONF", "SETEVENTS", "AUTHENTICATE", "SAVECONF", "SIGNAL",
		"MAPADDRESS", "GETINFO", "EXTENDCIRCUIT", "SETCIRCUITPURPOSE", "SETROUTERPURPOSE",
		"ATTACHSTREAM", "POSTDESCRIPTOR", "REDIRECTSTREAM", "CLOSESTREAM", "CLOSECIRCUIT", "QUIT",
		"USEFEATURE", "RESOLVE", "PROTOCOLINFO", "LOADCONF", "TAKEOWNERSHIP", "AUTHCHALLENGE",
		"DROPGUARDS", "HSFETCH", "ADD_ONION", "DEL_ONION", "HSPOST", "ONION_CLIENT_AUTH_ADD",
		"ONION_CLIENT_AUTH_REMOVE", "ONION_CLIENT_AUTH_VIEW", "DROPOWNERSHIP", "DROPTIMEOUTS", NULL,
	};
	size_t found = 0, nwords = 0, nremote = 0;
	for (size_t i = 0; words[i]; i++, nwords++)
		if (cmd_find(words[i], strlen(words[i])) != NULL)
			found++;
	for (size_t t = 0; t < cmd_table_len; t++)
		if (!(cmd_table[t]->flags & CMD_LOCAL))
			nremote++;
	CHECK(nwords == 34 && found == 34 && nremote == 34, "the table has the 34 control commands (%zu found, %zu)",
	      found, nremote);
	/* the body commands are exactly the digest's three */
	size_t nbody = 0;
	for (size_t t = 0; t < cmd_table_len; t++)
		if (cmd_table[t]->flags & CMD_BODY)
			nbody++;
	CHECK(nbody == 3, "three body commands (+LOADCONF, +POSTDESCRIPTOR, +HSPOST)");
}

/* Tor takes a command of 1,048,575 bytes on the wire (CRLF and body
 * included) and refuses one of 1,048,576 (tests/commands_live.bats shows
 * both against tor). `line` and `body` have room for 1.2 MB. */
static void check_limit_boundary(char *line, char *body)
{
	struct buf wire = {0}, err = {0};
	const size_t max = 1048575;
	memcpy(line, "SETCONF ContactInfo=", 20);
	memset(line + 20, 'a', max);
	int rc = command_prepare(line, max - 2, NULL, 0, false, &wire, &err);
	CHECK(rc == 0 && wire.len == max, "a SETCONF of exactly %zu bytes on the wire is sent", max);
	rc = command_prepare(line, max - 1, NULL, 0, false, &wire, &err);
	CHECK(rc < 0 && wire.len == 0 && err.p && strstr(err.p, "1 MiB"),
	      "one byte more (1,048,576 on the wire) is refused");
	memcpy(line, "/raw GETINFO ", 13);
	buf_reset(&err);
	rc = command_prepare(line, max - 2 + 5, NULL, 0, false, &wire, &err);
	CHECK(rc == 0 && wire.len == max, "/raw: %zu bytes on the wire are sent", max);
	rc = command_prepare(line, max - 1 + 5, NULL, 0, false, &wire, &err);
	CHECK(rc < 0 && wire.len == 0, "/raw: 1,048,576 bytes are refused");
	/* "+LOADCONF\r\n" + one body line + CRLF + ".\r\n" */
	memset(body, 'x', max);
	buf_reset(&err);
	rc = command_prepare("+LOADCONF", 9, body, max - 16, true, &wire, &err);
	CHECK(rc == 0 && wire.len == max, "+LOADCONF: %zu bytes on the wire, body included, are sent", max);
	rc = command_prepare("+LOADCONF", 9, body, max - 15, true, &wire, &err);
	CHECK(rc < 0 && wire.len == 0 && err.p && strstr(err.p, "1 MiB"), "+LOADCONF: 1,048,576 bytes are refused");
	buf_free(&wire);
	buf_free(&err);
}

/* Tor stops reading after about 1 MiB and closes the connection. */
static void check_limits(void)
{
	struct buf wire = {0}, err = {0};
	size_t n = 1200000;
	char *line = malloc(n + 1), *body = malloc(n + 1);
	if (line == NULL || body == NULL)
		abort();
	memcpy(line, "SETCONF ContactInfo=", 20);
	memset(line + 20, 'a', n - 20);
	line[n] = '\0';
	/* test_core.c has the refusal over 1 MiB; this is the other side */
	int rc = command_prepare(line, 1000000, NULL, 0, false, &wire, &err);
	CHECK(rc == 0 && wire.len == 1000002 && memcmp(wire.p + 1000000, "\r\n", 2) == 0,
	      "a 1 MB SETCONF is still sent");
	buf_reset(&err);
	memcpy(line, "/raw GETINFO ", 13);
	rc = command_prepare(line, n, NULL, 0, false, &wire, &err);
	CHECK(rc < 0 && wire.len == 0 && err.p && strstr(err.p, "1 MiB"), "a 1.2 MB /raw line is refused");
	buf_reset(&err);
	for (size_t i = 0; i < n; i++)
		body[i] = i % 100 == 99 ? '\n' : 'x';
	rc = command_prepare("+LOADCONF", 9, body, n, true, &wire, &err);
	CHECK(rc < 0 && wire.len == 0 && err.p && strstr(err.p, "1 MiB"), "a 1.2 MB body is refused");
	buf_reset(&err);
	rc = command_prepare("+LOADCONF", 9, body, 500000, true, &wire, &err);
	CHECK(rc == 0 && wire.len == 11 + 500000 + 5000 + 3, "a 500 kB body is sent, CRLF-terminated");
	check_limit_boundary(line, body);
	free(line);
	free(body);
	buf_free(&wire);
	buf_free(&err);
}

/* +LOADCONF @FILE: the body comes from the file, where '.' is data. */
static void check_files(void)
{
	char dir[] = "/tmp/torsh-test-cmd-XXXXXX";
	if (mkdtemp(dir) == NULL) {
		CHECK(0, "mkdtemp");
		return;
	}
	char path[200], empty[200], line[300];
	snprintf(path, sizeof(path), "%s/torrc", dir);
	snprintf(empty, sizeof(empty), "%s/empty", dir);
	FILE *f = fopen(path, "wb");
	if (f) {
		fputs("SocksPort 0\n.\n..x\r\nlast", f);
		fclose(f);
	}
	f = fopen(empty, "wb");
	if (f)
		fclose(f);
	struct buf wire = {0}, err = {0};
	int n = snprintf(line, sizeof(line), "+LOADCONF @%s", path);
	int rc = command_prepare(line, (size_t)n, NULL, 0, false, &wire, &err);
	const char *want = "+LOADCONF\r\nSocksPort 0\r\n..\r\n...x\r\nlast\r\n.\r\n";
	CHECK(rc == 0 && wire.len == strlen(want) && memcmp(wire.p, want, wire.len) == 0,
	      "+LOADCONF @FILE: file body dot-stuffed and CRLF-terminated");
	n = snprintf(line, sizeof(line), "POSTDESCRIPTOR purpose=bridge @%s", path);
	rc = command_prepare(line, (size_t)n, NULL, 0, false, &wire, &err);
	want = "+POSTDESCRIPTOR purpose=bridge\r\nSocksPort 0\r\n..\r\n...x\r\nlast\r\n.\r\n";
	CHECK(rc == 0 && wire.len == strlen(want) && memcmp(wire.p, want, wire.len) == 0,
	      "+POSTDESCRIPTOR purpose=bridge @FILE");
	n = snprintf(line, sizeof(line), "+HSPOST HSADDRESS=%s @%s", ONION, path);
	rc = command_prepare(line, (size_t)n, NULL, 0, false, &wire, &err);
	want = "+HSPOST HSADDRESS=" ONION "\r\nSocksPort 0\r\n..\r\n...x\r\nlast\r\n.\r\n";
	CHECK(rc == 0 && wire.len == strlen(want) && memcmp(wire.p, want, wire.len) == 0, "+HSPOST ... @FILE");
	n = snprintf(line, sizeof(line), "+POSTDESCRIPTOR @%s purpose=general", path);
	buf_reset(&err);
	rc = command_prepare(line, (size_t)n, NULL, 0, false, &wire, &err);
	CHECK(rc < 0 && wire.len == 0 && err.p && strstr(err.p, "@FILE"), "@FILE must come last");
	n = snprintf(line, sizeof(line), "+LOADCONF @%s", empty);
	buf_reset(&err);
	rc = command_prepare(line, (size_t)n, NULL, 0, false, &wire, &err);
	CHECK(rc < 0 && wire.len == 0 && err.p && strstr(err.p, "empty file"), "+LOADCONF @empty is refused");
	n = snprintf(line, sizeof(line), "+LOADCONF @%s/missing", dir);
	buf_reset(&err);
	rc = command_prepare(line, (size_t)n, NULL, 0, false, &wire, &err);
	CHECK(rc < 0 && wire.len == 0 && err.p && strstr(err.p, "No such file"), "+LOADCONF @missing is refused");
	/* a NUL inside the file is as bad as one typed */
	f = fopen(path, "wb");
	if (f) {
		fwrite("a\n\0b\n", 1, 5, f);
		fclose(f);
	}
	n = snprintf(line, sizeof(line), "+LOADCONF @%s", path);
	buf_reset(&err);
	rc = command_prepare(line, (size_t)n, NULL, 0, false, &wire, &err);
	CHECK(rc < 0 && wire.len == 0 && err.p && strstr(err.p, "NUL"), "+LOADCONF @FILE holding a NUL is refused");
	/* opening a FIFO for reading waits for a writer: never done */
	char fifo[200];
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	CHECK(mkfifo(fifo, 0600) == 0, "mkfifo");
	n = snprintf(line, sizeof(line), "+LOADCONF @%s", fifo);
	buf_reset(&err);
	alarm(10); /* a hang here ends the test run (SIGALRM) instead of stalling it */
	rc = command_prepare(line, (size_t)n, NULL, 0, false, &wire, &err);
	alarm(0);
	CHECK(rc < 0 && wire.len == 0 && err.p && strstr(err.p, "not a regular file"),
	      "+LOADCONF @FIFO is refused at once: not a regular file");
	n = snprintf(line, sizeof(line), "+LOADCONF @%s", dir);
	buf_reset(&err);
	rc = command_prepare(line, (size_t)n, NULL, 0, false, &wire, &err);
	CHECK(rc < 0 && wire.len == 0 && err.p && strstr(err.p, "not a regular file"),
	      "+LOADCONF @DIRECTORY is refused: not a regular file");
	remove(fifo);
	remove(path);
	remove(empty);
	rmdir(dir);
	buf_free(&wire);
	buf_free(&err);
}

/* Every control command of the table has rows above. */
static void check_coverage(void)
{
	const size_t n = sizeof(rows) / sizeof(rows[0]);
	for (size_t t = 0; t < cmd_table_len; t++) {
		const struct cmd_def *d = cmd_table[t];
		if (d->flags & CMD_LOCAL)
			continue;
		size_t nl = strlen(d->name);
		bool seen = false;
		for (size_t i = 0; i < n && !seen; i++) {
			const char *in = rows[i].in;
			while (*in == ' ')
				in++;
			if (*in == '+')
				in++;
			seen = strncasecmp(in, d->name, nl) == 0 && (in[nl] == ' ' || in[nl] == '\0');
		}
		CHECK(seen, "%s has rows in the table", d->name);
	}
	CHECK(n >= 400, "%zu rows (at least 400)", n);
}

/* Every entry of raw_hazards has a /raw row refused with its reason. */
static void check_hazard_coverage(void)
{
	const size_t n = sizeof(rows) / sizeof(rows[0]);
	CHECK(raw_hazards_len >= 4, "%zu requests known to break tor", raw_hazards_len);
	for (size_t h = 0; h < raw_hazards_len; h++) {
		bool seen = false;
		for (size_t i = 0; i < n && !seen; i++)
			seen = rows[i].err && strncmp(rows[i].in, "/raw", 4) == 0 && strstr(raw_hazards[h].reason, rows[i].err);
		CHECK(seen, "/raw refuses %s, with the reason (a row shows it)", raw_hazards[h].def->name);
		const struct cmd_def *raw = cmd_find("/raw", 4);
		CHECK(raw && strstr(raw->help, raw_hazards[h].def->name), "/help /raw names %s", raw_hazards[h].def->name);
	}
}

int main(void)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		check_row(&rows[i]);
	for (size_t i = 0; i < sizeof(inspect_rows) / sizeof(inspect_rows[0]); i++)
		check_inspect(&inspect_rows[i]);
	for (size_t i = 0; i < sizeof(body_rows) / sizeof(body_rows[0]); i++)
		CHECK(command_wants_body(body_rows[i].in, strlen(body_rows[i].in)) == body_rows[i].wants,
		      "'%s' %s a body", body_rows[i].in, body_rows[i].wants ? "takes" : "takes no");
	check_coverage();
	check_hazard_coverage();
	check_find_suggest();
	check_limits();
	check_files();
	return tap_done();
}
