/* The command model, table-driven: what the user types -> the exact bytes
 * on the wire, or a specific error and nothing at all. Every control
 * command has valid and invalid rows; injection attempts are among them. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "command.h"
#include "tap.h"

#define ONION "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid"
#define ONION_TYPO "2gzyxa5ihm7nsggfxnu52rck3vv4rvmdlkiu3zzui5du4xyclen53wid"
#define X25519 "x25519:yPGUxgKaC5ACyEzsdANHJEJzt5DIqDRBlAFaAWWQn0o="
#define FP "$0123456789ABCDEF0123456789ABCDEF01234567"
#define ED_KEY "ED25519-V3:0GsZ4tIsvNcSd2vvNU5bXWuV0X0ymfsiHKtCZRlzilcAyvYk9oPLiqdJkeFWwy6dwkvVW5oS5FgotpvsWvUAbA=="
#define NONCE "5A0C1F2E3D4B5A6978877665544332211FFEEDDCCBBAA9988776655443322110"

struct row {
	const char *in;
	const char *body;   /* the lines after it, for body commands */
	const char *want;   /* exact wire bytes, or NULL: must be refused */
	const char *err;    /* refused: a substring of the message */
};

#define OK(i, w) {i, NULL, w, NULL}
#define BAD(i, e) {i, NULL, NULL, e}
#define BODY(i, b, w) {i, b, w, NULL}
#define BODYBAD(i, b, e) {i, b, NULL, e}

static const struct row rows[] = {
	/* SETCONF: bare values, C-quoting whatever needs it, never a split */
	OK("SETCONF ContactInfo=hello", "SETCONF ContactInfo=hello\r\n"),
	OK("setconf ContactInfo=hello", "SETCONF ContactInfo=hello\r\n"),
	OK("SetConf Nickname=relay1", "SETCONF Nickname=relay1\r\n"),
	OK("SETCONF ContactInfo=\"a b\"", "SETCONF ContactInfo=\"a b\"\r\n"),
	OK("SETCONF ContactInfo=", "SETCONF ContactInfo=\"\"\r\n"),
	OK("SETCONF ContactInfo", "SETCONF ContactInfo\r\n"),
	OK("SETCONF ContactInfo=a#b", "SETCONF ContactInfo=\"a#b\"\r\n"),
	OK("SETCONF ContactInfo=a\"b", "SETCONF ContactInfo=\"a\\\"b\"\r\n"),
	OK("SETCONF ContactInfo=a\\b", "SETCONF ContactInfo=\"a\\\\b\"\r\n"),
	OK("SETCONF ContactInfo=\"x\\\"y\"", "SETCONF ContactInfo=\"x\\\"y\"\r\n"),
	OK("SETCONF ContactInfo=\"tab\\there\"", "SETCONF ContactInfo=\"tab\\there\"\r\n"),
	OK("SETCONF ContactInfo=\"a\" SocksPort=9050", "SETCONF ContactInfo=a SocksPort=9050\r\n"),
	OK("SETCONF Nickname=a SocksPort=9050", "SETCONF Nickname=a SocksPort=9050\r\n"),
	OK("SETCONF ContactInfo=\"a\\r\\nSETCONF SocksPort=1\"", "SETCONF ContactInfo=\"a\\r\\nSETCONF SocksPort=1\"\r\n"),
	OK("SETCONF ContactInfo=\"a SocksPort=9999\"", "SETCONF ContactInfo=\"a SocksPort=9999\"\r\n"),
	OK("SETCONF ContactInfo=\"\\\"\"", "SETCONF ContactInfo=\"\\\"\"\r\n"),
	OK("SETCONF MaxCircuitDirtiness=600", "SETCONF MaxCircuitDirtiness=600\r\n"),
	OK("SETCONF SocksPort=127.0.0.1:9050", "SETCONF SocksPort=127.0.0.1:9050\r\n"),
	OK("SETCONF ExitPolicy=\"reject *:*\"", "SETCONF ExitPolicy=\"reject *:*\"\r\n"),
	BAD("   SETCONF   ContactInfo=x", "leading whitespace"),
	BAD("SETCONF", "missing OPTION"),
	BAD("SETCONF =x", "OPTION: expected a configuration option name"),
	BAD("SETCONF Contact?Info=1", "OPTION"),
	BAD("SETCONF ContactInfo=\"unterminated", "unterminated quoted string"),
	BAD("SETCONF \"ContactInfo=a SocksPort=9999\"", "OPTION"),
	BAD("SETCONF ContactInfo=a\rSocksPort=9999", "CR"),
	BAD("SETCONF ContactInfo=a\nSETCONF SocksPort=9999", "LF"),
	BAD("SETCONF ContactInfo=a\r\nSIGNAL HALT", "CR"),
	/* RESETCONF */
	OK("RESETCONF ContactInfo", "RESETCONF ContactInfo\r\n"),
	OK("resetconf ContactInfo SocksPort", "RESETCONF ContactInfo SocksPort\r\n"),
	OK("RESETCONF ContactInfo=x", "RESETCONF ContactInfo=x\r\n"),
	OK("RESETCONF ContactInfo=\"x y\"", "RESETCONF ContactInfo=\"x y\"\r\n"),
	BAD("RESETCONF", "missing OPTION"),
	BAD("RESETCONF Bad-Name", "OPTION"),
	BAD("RESETCONF ContactInfo\nSIGNAL HALT", "LF"),
	/* GETCONF */
	OK("GETCONF ContactInfo", "GETCONF ContactInfo\r\n"),
	OK("getconf ContactInfo SocksPort", "GETCONF ContactInfo SocksPort\r\n"),
	OK("GETCONF HiddenServiceOptions", "GETCONF HiddenServiceOptions\r\n"),
	BAD("GETCONF", "missing OPTION"),
	BAD("GETCONF SocksPort=1", "OPTION"),
	BAD("GETCONF \"Socks Port\"", "OPTION"),
	BAD("GETCONF Socks\rPort", "CR"),
	/* SETEVENTS */
	OK("SETEVENTS", "SETEVENTS\r\n"),
	OK("SETEVENTS CIRC", "SETEVENTS CIRC\r\n"),
	OK("setevents circ stream", "SETEVENTS CIRC STREAM\r\n"),
	OK("SETEVENTS EXTENDED CIRC", "SETEVENTS EXTENDED CIRC\r\n"),
	OK("SETEVENTS HS_DESC HS_DESC_CONTENT NETWORK_LIVENESS", "SETEVENTS HS_DESC HS_DESC_CONTENT NETWORK_LIVENESS\r\n"),
	OK("SETEVENTS STATUS_GENERAL STATUS_CLIENT STATUS_SERVER", "SETEVENTS STATUS_GENERAL STATUS_CLIENT STATUS_SERVER\r\n"),
	BAD("SETEVENTS NOPE", "EVENT: expected one of"),
	BAD("SETEVENTS PT_LOG", "cannot subscribe"),
	BAD("SETEVENTS pt_status", "cannot subscribe"),
	BAD("SETEVENTS \"CIRC STREAM\"", "EVENT"),
	BAD("SETEVENTS CIRC=1", "EVENT"),
	/* AUTHENTICATE: secrets always hex */
	OK("AUTHENTICATE", "AUTHENTICATE\r\n"),
	OK("AUTHENTICATE \"secret\"", "AUTHENTICATE 736563726574\r\n"),
	OK("AUTHENTICATE \"a\\\"b\"", "AUTHENTICATE 612262\r\n"),
	/* QuotedString, as tor reads AUTHENTICATE: \X is X, so no CR or LF */
	OK("AUTHENTICATE \"a b\\r\\nQUIT\"", "AUTHENTICATE 612062726E51554954\r\n"),
	OK("AUTHENTICATE 0A0B", "AUTHENTICATE 0A0B\r\n"),
	BAD("AUTHENTICATE \"pw\" extra", "unexpected argument"),
	BAD("AUTHENTICATE 0A0", "hex"),
	BAD("AUTHENTICATE secret\rQUIT", "CR"),
	/* SAVECONF */
	OK("SAVECONF", "SAVECONF\r\n"),
	OK("SAVECONF FORCE", "SAVECONF FORCE\r\n"),
	OK("saveconf force", "SAVECONF FORCE\r\n"),
	BAD("SAVECONF NOW", "FORCE: expected one of FORCE"),
	BAD("SAVECONF FORCE FORCE", "unexpected argument"),
	/* SIGNAL: names and aliases */
	OK("SIGNAL NEWNYM", "SIGNAL NEWNYM\r\n"),
	OK("signal newnym", "SIGNAL NEWNYM\r\n"),
	OK("SIGNAL RELOAD", "SIGNAL RELOAD\r\n"),
	OK("SIGNAL HUP", "SIGNAL HUP\r\n"),
	OK("SIGNAL CLEARDNSCACHE", "SIGNAL CLEARDNSCACHE\r\n"),
	OK("SIGNAL HEARTBEAT", "SIGNAL HEARTBEAT\r\n"),
	OK("SIGNAL DORMANT", "SIGNAL DORMANT\r\n"),
	OK("SIGNAL ACTIVE", "SIGNAL ACTIVE\r\n"),
	OK("SIGNAL DUMP", "SIGNAL DUMP\r\n"),
	OK("SIGNAL USR1", "SIGNAL USR1\r\n"),
	OK("SIGNAL DEBUG", "SIGNAL DEBUG\r\n"),
	OK("SIGNAL USR2", "SIGNAL USR2\r\n"),
	OK("SIGNAL SHUTDOWN", "SIGNAL SHUTDOWN\r\n"),
	OK("SIGNAL HALT", "SIGNAL HALT\r\n"),
	OK("SIGNAL INT", "SIGNAL INT\r\n"),
	OK("SIGNAL TERM", "SIGNAL TERM\r\n"),
	BAD("SIGNAL", "missing SIGNAL"),
	BAD("SIGNAL BOGUS", "SIGNAL: expected one of"),
	BAD("SIGNAL \"NEWNYM\"", "SIGNAL"),
	BAD("SIGNAL NEWNYM HALT", "unexpected argument 'HALT'"),
	BAD("SIGNAL NEWNYM\nSIGNAL HALT", "LF"),
	/* MAPADDRESS */
	OK("MAPADDRESS 1.2.3.4=torproject.org", "MAPADDRESS 1.2.3.4=torproject.org\r\n"),
	OK("MAPADDRESS 0.0.0.0=example.org a.b=c.d", "MAPADDRESS 0.0.0.0=example.org a.b=c.d\r\n"),
	BAD("MAPADDRESS", "missing FROM=TO"),
	BAD("MAPADDRESS foo", "FROM=TO: expected an address mapping"),
	BAD("MAPADDRESS \"1.2.3.4=a b\"", "FROM=TO"),
	BAD("MAPADDRESS 1.2.3.4=\"a b\"", "FROM=TO"),
	/* GETINFO */
	OK("GETINFO version", "GETINFO version\r\n"),
	OK("getinfo version process/pid", "GETINFO version process/pid\r\n"),
	OK("GETINFO ns/id/" FP, "GETINFO ns/id/" FP "\r\n"),
	OK("GETINFO md/name/relay1", "GETINFO md/name/relay1\r\n"),
	BAD("GETINFO", "missing KEY"),
	BAD("GETINFO ver\"sion", "KEY: expected a GETINFO key"),
	BAD("GETINFO \"version\\r\\nSIGNAL HALT\"", "KEY"),
	BAD("GETINFO version\rSIGNAL HALT", "CR"),
	/* EXTENDCIRCUIT */
	OK("EXTENDCIRCUIT 0", "EXTENDCIRCUIT 0\r\n"),
	OK("EXTENDCIRCUIT 0 " FP "~nick purpose=general", "EXTENDCIRCUIT 0 " FP "~nick purpose=general\r\n"),
	OK("EXTENDCIRCUIT 5 nick1,nick2", "EXTENDCIRCUIT 5 nick1,nick2\r\n"),
	OK("EXTENDCIRCUIT 0 purpose=controller", "EXTENDCIRCUIT 0 purpose=controller\r\n"),
	BAD("EXTENDCIRCUIT", "missing CIRCUIT"),
	BAD("EXTENDCIRCUIT abc", "CIRCUIT: expected a number"),
	BAD("EXTENDCIRCUIT -1", "CIRCUIT"),
	BAD("EXTENDCIRCUIT 0 purpose=bogus", "purpose: expected general or controller"),
	BAD("EXTENDCIRCUIT 0 \"a,b c\"", "PATH"),
	/* SETCIRCUITPURPOSE: never without a purpose (tor 0.4.9.11 crashes) */
	OK("SETCIRCUITPURPOSE 5 purpose=controller", "SETCIRCUITPURPOSE 5 purpose=controller\r\n"),
	OK("setcircuitpurpose 5 purpose=general", "SETCIRCUITPURPOSE 5 purpose=general\r\n"),
	BAD("SETCIRCUITPURPOSE 5", "missing purpose"),
	BAD("SETCIRCUITPURPOSE", "CIRCUIT"),
	BAD("SETCIRCUITPURPOSE x purpose=general", "CIRCUIT"),
	BAD("SETCIRCUITPURPOSE 5 purpose=bogus", "purpose"),
	/* SETROUTERPURPOSE: obsolete */
	BAD("SETROUTERPURPOSE nick general", "obsolete"),
	BAD("SETROUTERPURPOSE", "obsolete"),
	/* ATTACHSTREAM */
	OK("ATTACHSTREAM 1 2", "ATTACHSTREAM 1 2\r\n"),
	OK("ATTACHSTREAM 1 0", "ATTACHSTREAM 1 0\r\n"),
	OK("ATTACHSTREAM 1 2 HOP=3", "ATTACHSTREAM 1 2 HOP=3\r\n"),
	BAD("ATTACHSTREAM 1", "missing CIRCUIT"),
	BAD("ATTACHSTREAM x 2", "STREAM: expected an id"),
	BAD("ATTACHSTREAM 1 2 HOP=x", "HOP"),
	BAD("ATTACHSTREAM 1 2 3", "HOP: expected HOP=N"),
	/* +POSTDESCRIPTOR */
	BODY("+POSTDESCRIPTOR", "router a\n", "+POSTDESCRIPTOR\r\nrouter a\r\n.\r\n"),
	BODY("POSTDESCRIPTOR purpose=general", "router a\n", "+POSTDESCRIPTOR purpose=general\r\nrouter a\r\n.\r\n"),
	BODY("+POSTDESCRIPTOR purpose=bridge cache=no", "x\n", "+POSTDESCRIPTOR purpose=bridge cache=no\r\nx\r\n.\r\n"),
	BAD("POSTDESCRIPTOR purpose=general", "needs a body"),
	BODYBAD("+POSTDESCRIPTOR purpose=bogus", "x\n", "purpose"),
	BODYBAD("+POSTDESCRIPTOR cache=maybe", "x\n", "cache"),
	/* REDIRECTSTREAM */
	OK("REDIRECTSTREAM 1 example.com", "REDIRECTSTREAM 1 example.com\r\n"),
	OK("REDIRECTSTREAM 1 example.com 443", "REDIRECTSTREAM 1 example.com 443\r\n"),
	OK("REDIRECTSTREAM 1 10.0.0.1 65535", "REDIRECTSTREAM 1 10.0.0.1 65535\r\n"),
	BAD("REDIRECTSTREAM 1 example.com 0", "PORT: expected a port 1-65535"),
	BAD("REDIRECTSTREAM 1 example.com 65536", "PORT"),
	BAD("REDIRECTSTREAM 1", "missing ADDRESS"),
	BAD("REDIRECTSTREAM 1 \"a b\"", "ADDRESS"),
	/* CLOSESTREAM: reasons by number or name */
	OK("CLOSESTREAM 1 MISC", "CLOSESTREAM 1 1\r\n"),
	OK("CLOSESTREAM 1 done", "CLOSESTREAM 1 6\r\n"),
	OK("CLOSESTREAM 1 6", "CLOSESTREAM 1 6\r\n"),
	OK("CLOSESTREAM 7 TORPROTOCOL", "CLOSESTREAM 7 13\r\n"),
	BAD("CLOSESTREAM 1 BOGUS", "REASON: expected a number 1-14 or a reason name"),
	BAD("CLOSESTREAM 1 0", "REASON"),
	BAD("CLOSESTREAM 1", "missing REASON"),
	BAD("CLOSESTREAM", "STREAM"),
	/* CLOSECIRCUIT */
	OK("CLOSECIRCUIT 3", "CLOSECIRCUIT 3\r\n"),
	OK("CLOSECIRCUIT 3 IfUnused", "CLOSECIRCUIT 3 IfUnused\r\n"),
	OK("closecircuit 3 ifunused", "CLOSECIRCUIT 3 IfUnused\r\n"),
	BAD("CLOSECIRCUIT 3 Now", "flag: expected IfUnused"),
	BAD("CLOSECIRCUIT 3 IfUnused=1", "IfUnused"),
	BAD("CLOSECIRCUIT", "missing CIRCUIT"),
	/* QUIT */
	OK("QUIT", "QUIT\r\n"),
	OK("quit", "QUIT\r\n"),
	BAD("QUIT now", "unexpected argument 'now'"),
	/* USEFEATURE */
	OK("USEFEATURE VERBOSE_NAMES", "USEFEATURE VERBOSE_NAMES\r\n"),
	OK("USEFEATURE EXTENDED_EVENTS VERBOSE_NAMES", "USEFEATURE EXTENDED_EVENTS VERBOSE_NAMES\r\n"),
	BAD("USEFEATURE", "missing FEATURE"),
	BAD("USEFEATURE \"VERBOSE_NAMES EXTENDED_EVENTS\"", "FEATURE"),
	/* RESOLVE */
	OK("RESOLVE example.com", "RESOLVE example.com\r\n"),
	OK("RESOLVE mode=reverse 1.2.3.4", "RESOLVE mode=reverse 1.2.3.4\r\n"),
	OK("RESOLVE a.example b.example", "RESOLVE a.example b.example\r\n"),
	BAD("RESOLVE", "missing ADDRESS"),
	BAD("RESOLVE \"a b\"", "ADDRESS"),
	/* PROTOCOLINFO */
	OK("PROTOCOLINFO", "PROTOCOLINFO\r\n"),
	OK("PROTOCOLINFO 1", "PROTOCOLINFO 1\r\n"),
	BAD("PROTOCOLINFO x", "VERSION"),
	/* +LOADCONF: CRLF, dot-stuffing, the '+' optional */
	BODY("+LOADCONF", "SocksPort 0\n", "+LOADCONF\r\nSocksPort 0\r\n.\r\n"),
	BODY("LOADCONF", "SocksPort 0\n", "+LOADCONF\r\nSocksPort 0\r\n.\r\n"),
	BODY("+loadconf", "A 1\r\nB 2\r\n", "+LOADCONF\r\nA 1\r\nB 2\r\n.\r\n"),
	BODY("+LOADCONF", ".\nSocksPort 9999\n", "+LOADCONF\r\n..\r\nSocksPort 9999\r\n.\r\n"),
	BODY("+LOADCONF", "..x\n", "+LOADCONF\r\n...x\r\n.\r\n"),
	BODY("+LOADCONF", "no final newline", "+LOADCONF\r\nno final newline\r\n.\r\n"),
	/* an empty LOADCONF would reset every option to its default */
	BODYBAD("+LOADCONF", "", "needs a body"),
	BAD("LOADCONF", "needs a body"),
	BODYBAD("+LOADCONF extra", "x\n", "unexpected argument"),
	/* TAKEOWNERSHIP, DROPOWNERSHIP, DROPGUARDS, DROPTIMEOUTS */
	OK("TAKEOWNERSHIP", "TAKEOWNERSHIP\r\n"),
	BAD("TAKEOWNERSHIP x", "unexpected argument"),
	OK("DROPOWNERSHIP", "DROPOWNERSHIP\r\n"),
	BAD("DROPOWNERSHIP x", "unexpected argument"),
	OK("DROPGUARDS", "DROPGUARDS\r\n"),
	BAD("DROPGUARDS now", "unexpected argument"),
	OK("DROPTIMEOUTS", "DROPTIMEOUTS\r\n"),
	BAD("DROPTIMEOUTS x", "unexpected argument"),
	/* AUTHCHALLENGE: a 32-byte nonce */
	OK("AUTHCHALLENGE SAFECOOKIE " NONCE, "AUTHCHALLENGE SAFECOOKIE " NONCE "\r\n"),
	OK("AUTHCHALLENGE SAFECOOKIE \"0123456789abcdef0123456789abcdef\"",
	   "AUTHCHALLENGE SAFECOOKIE 3031323334353637383961626364656630313233343536373839616263646566\r\n"),
	BAD("AUTHCHALLENGE SAFECOOKIE 01", "NONCE: expected 64 hex digits"),
	BAD("AUTHCHALLENGE COOKIE " NONCE, "METHOD"),
	BAD("AUTHCHALLENGE", "missing METHOD"),
	/* HSFETCH */
	OK("HSFETCH " ONION, "HSFETCH " ONION "\r\n"),
	OK("HSFETCH " ONION ".onion", "HSFETCH " ONION "\r\n"),
	OK("HSFETCH " ONION " SERVER=" FP, "HSFETCH " ONION " SERVER=" FP "\r\n"),
	OK("HSFETCH " ONION " SERVER=" FP " SERVER=" FP "~n2", "HSFETCH " ONION " SERVER=" FP " SERVER=" FP "~n2\r\n"),
	BAD("HSFETCH " ONION_TYPO, "checksum mismatch: probably a typo"),
	BAD("HSFETCH expyuzz4wqqyqhjn", "v2 16-character addresses were removed"),
	BAD("HSFETCH", "missing ADDRESS"),
	BAD("HSFETCH " ONION " SERVER=\"x y\"", "SERVER"),
	BAD("HSFETCH " ONION " SERVER=$0123", "SERVER"),
	/* ADD_ONION */
	OK("ADD_ONION NEW:BEST Port=80", "ADD_ONION NEW:BEST Port=80\r\n"),
	OK("ADD_ONION NEW:ED25519-V3 Port=80", "ADD_ONION NEW:ED25519-V3 Port=80\r\n"),
	OK("ADD_ONION NEW:ED25519-V3 Flags=DiscardPK,Detach Port=80,127.0.0.1:8080 Port=443,unix:/run/x.sock",
	   "ADD_ONION NEW:ED25519-V3 Flags=DiscardPK,Detach Port=80,127.0.0.1:8080 Port=443,unix:/run/x.sock\r\n"),
	OK("ADD_ONION NEW:ED25519-V3 MaxStreams=10 Flags=MaxStreamsCloseCircuit Port=80",
	   "ADD_ONION NEW:ED25519-V3 MaxStreams=10 Flags=MaxStreamsCloseCircuit Port=80\r\n"),
	OK("ADD_ONION NEW:ED25519-V3 Flags=V3Auth ClientAuthV3=2B7IHG7VGH5SIVHNIRKJ53VVSPG2XPWKKSJXFHYSDA5PLJUCWZ3Q Port=80",
	   "ADD_ONION NEW:ED25519-V3 Flags=V3Auth ClientAuthV3=2B7IHG7VGH5SIVHNIRKJ53VVSPG2XPWKKSJXFHYSDA5PLJUCWZ3Q Port=80\r\n"),
	OK("ADD_ONION NEW:ED25519-V3 PoWDefensesEnabled=1 PoWQueueRate=250 PoWQueueBurst=2500 Port=80",
	   "ADD_ONION NEW:ED25519-V3 PoWDefensesEnabled=1 PoWQueueRate=250 PoWQueueBurst=2500 Port=80\r\n"),
	OK("ADD_ONION " ED_KEY " Port=80", "ADD_ONION " ED_KEY " Port=80\r\n"),
	OK("ADD_ONION NEW:ED25519-V3 Port=80,8080", "ADD_ONION NEW:ED25519-V3 Port=80,8080\r\n"),
	BAD("ADD_ONION NEW:RSA1024 Port=80", "RSA1024 keys are v2 onion services"),
	BAD("ADD_ONION NEW:ED25519-V3 Port=0", "virtual port: expected a port 1-65535"),
	BAD("ADD_ONION NEW:ED25519-V3 Port=65536", "port"),
	BAD("ADD_ONION NEW:ED25519-V3", "missing Port"),
	BAD("ADD_ONION NEW:ED25519-V3 ClientAuth=bob Port=80", "v2 client authorization was removed"),
	BAD("ADD_ONION NEW:ED25519-V3 Flags=Bogus Port=80", "Flags: expected a comma-separated list"),
	BAD("ADD_ONION ED25519-V3:abc Port=80", "expected base64 of 64 bytes"),
	BAD("ADD_ONION NEW:ED25519-V3 Port=\"80 Flags=Detach\"", "Port"),
	BAD("ADD_ONION NEW:ED25519-V3 Port=81,\"unix:/a b\"", "target"),
	BAD("ADD_ONION NEW:ED25519-V3 MaxStreams=x Port=80", "MaxStreams"),
	BAD("ADD_ONION Port=80", "KEY"),
	/* DEL_ONION */
	OK("DEL_ONION " ONION, "DEL_ONION " ONION "\r\n"),
	OK("del_onion " ONION, "DEL_ONION " ONION "\r\n"),
	BAD("DEL_ONION", "missing SERVICE"),
	BAD("DEL_ONION " ONION_TYPO, "checksum mismatch"),
	BAD("DEL_ONION " ONION " extra", "unexpected argument"),
	/* +HSPOST: never without HSADDRESS (tor never replies) */
	BODY("+HSPOST HSADDRESS=" ONION, "hs-descriptor 3\n", "+HSPOST HSADDRESS=" ONION "\r\nhs-descriptor 3\r\n.\r\n"),
	BODY("HSPOST SERVER=" FP " HSADDRESS=" ONION, "d\n", "+HSPOST SERVER=" FP " HSADDRESS=" ONION "\r\nd\r\n.\r\n"),
	BODYBAD("+HSPOST", "d\n", "HSADDRESS"),
	BAD("HSPOST HSADDRESS=" ONION, "needs a body"),
	BODYBAD("+HSPOST HSADDRESS=" ONION_TYPO, "d\n", "checksum mismatch"),
	/* ONION_CLIENT_AUTH_ADD: x25519 key, ClientName up to 16 */
	OK("ONION_CLIENT_AUTH_ADD " ONION " " X25519, "ONION_CLIENT_AUTH_ADD " ONION " " X25519 "\r\n"),
	OK("ONION_CLIENT_AUTH_ADD " ONION " " X25519 " ClientName=bob Flags=Permanent",
	   "ONION_CLIENT_AUTH_ADD " ONION " " X25519 " ClientName=bob Flags=Permanent\r\n"),
	OK("ONION_CLIENT_AUTH_ADD " ONION " " X25519 " ClientName=abcdefghijklmnop",
	   "ONION_CLIENT_AUTH_ADD " ONION " " X25519 " ClientName=abcdefghijklmnop\r\n"),
	BAD("ONION_CLIENT_AUTH_ADD " ONION " " X25519 " ClientName=abcdefghijklmnopq", "ClientName: expected 1-16"),
	BAD("ONION_CLIENT_AUTH_ADD " ONION " " X25519 " ClientName=\"a b\"", "ClientName"),
	BAD("ONION_CLIENT_AUTH_ADD " ONION " x25519:abc", "expected base64 of 32 bytes"),
	BAD("ONION_CLIENT_AUTH_ADD " ONION, "missing KEY"),
	BAD("ONION_CLIENT_AUTH_ADD " ONION " " X25519 " Flags=Forever", "Flags"),
	BAD("ONION_CLIENT_AUTH_ADD " ONION_TYPO " " X25519, "checksum mismatch"),
	/* ONION_CLIENT_AUTH_REMOVE / VIEW */
	OK("ONION_CLIENT_AUTH_REMOVE " ONION, "ONION_CLIENT_AUTH_REMOVE " ONION "\r\n"),
	BAD("ONION_CLIENT_AUTH_REMOVE", "missing ADDRESS"),
	OK("ONION_CLIENT_AUTH_VIEW", "ONION_CLIENT_AUTH_VIEW\r\n"),
	OK("ONION_CLIENT_AUTH_VIEW " ONION, "ONION_CLIENT_AUTH_VIEW " ONION "\r\n"),
	BAD("ONION_CLIENT_AUTH_VIEW nope", "ADDRESS"),
	/* /raw, unknown words */
	OK("/raw FOO bar", "FOO bar\r\n"),
	OK("/raw GETINFO version", "GETINFO version\r\n"),
	BAD("/raw", "/raw needs a LINE"),
	BAD("/raw FOO\rBAR", "CR"),
	BAD("/raw FOO\nQUIT", "LF"),
	BAD("GETINF version", "did you mean GETINFO?"),
	BAD("FOOBAR", "unknown command FOOBAR"),
	BAD("", "empty"),
};

/* Rows whose input holds a NUL: lengths are explicit. */
struct nulrow {
	const char *in;
	size_t len;
};
static const struct nulrow nulrows[] = {
	{"SETCONF ContactInfo=a\0SocksPort=1", 33},
	{"GETINFO version\0", 16},
	{"SIGNAL NEWNYM\0HALT", 18},
	{"/raw GETINFO\0version", 20},
	{"AUTHENTICATE \"a\0b\"", 19},
};

/* The input for a TAP description: CR and LF shown as \r \n. */
static const char *shown(const char *in)
{
	static char out[600];
	size_t o = 0;
	for (; *in && o + 3 < sizeof(out); in++) {
		if (*in == '\r' || *in == '\n') {
			out[o++] = '\\';
			out[o++] = *in == '\r' ? 'r' : 'n';
		} else {
			out[o++] = *in;
		}
	}
	out[o] = '\0';
	return out;
}

static void check_row(const struct row *r)
{
	struct buf wire = {0}, err = {0};
	size_t len = strlen(r->in);
	int rc = command_prepare(r->in, len, r->body, r->body ? strlen(r->body) : 0, r->body != NULL, &wire, &err);
	if (r->want) {
		CHECK(rc == 0 && wire.len == strlen(r->want) && memcmp(wire.p, r->want, wire.len) == 0,
		      "'%s' is sent as expected", shown(r->in));
		if (rc != 0)
			printf("#   refused: %s\n", err.p ? err.p : "?");
		else if (wire.len != strlen(r->want) || memcmp(wire.p, r->want, wire.len) != 0)
			printf("#   got:  '%.*s'\n#   want: '%s'\n", (int)wire.len, wire.p, r->want);
	} else {
		bool ok = rc < 0 && wire.len == 0 && err.p && strstr(err.p, r->err);
		CHECK(ok, "'%s' is refused (%s), nothing serialized", shown(r->in), r->err);
		if (!ok)
			printf("#   rc=%d wire='%.*s' err='%s'\n", rc, (int)wire.len, wire.p ? wire.p : "",
			       err.p ? err.p : "");
	}
	buf_free(&wire);
	buf_free(&err);
}

int main(void)
{
	size_t n = sizeof(rows) / sizeof(rows[0]), ncases = 0;
	for (size_t i = 0; i < n; i++) {
		if (rows[i].want == NULL && rows[i].err == NULL)
			continue;
		check_row(&rows[i]);
		ncases++;
	}
	for (size_t i = 0; i < sizeof(nulrows) / sizeof(nulrows[0]); i++) {
		struct buf wire = {0}, err = {0};
		int rc = command_prepare(nulrows[i].in, nulrows[i].len, NULL, 0, false, &wire, &err);
		CHECK(rc < 0 && wire.len == 0 && err.p && strstr(err.p, "NUL"), "a NUL in '%s' is refused", nulrows[i].in);
		buf_free(&wire);
		buf_free(&err);
		ncases++;
	}
	/* every command word of the table is covered by at least one row */
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
		CHECK(seen, "%s has rows in this table", d->name);
	}
	CHECK(ncases >= 200, "%zu cases (at least 200)", ncases);
	return tap_done();
}
