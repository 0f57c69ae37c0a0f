#!/usr/bin/env bats
# Output modes against a real tor: raw, pretty (enum names, --explain,
# colours), JSON Lines read back with jq; terminal-safety from a hostile port.

load helpers
shared_tor

teardown() {
	stop_fake
}

@test "SETEVENTS with every event type tor offers succeeds" {
	run "$TORSH" "${TORSH_CONNECT[@]}" -c 'GETINFO events/names'
	assert_success
	local names
	names="$(sed -n 's/^250-events\/names=//p' <<<"$output" | tr ' ' '\n' | grep -v -e '^PT_LOG$' -e '^PT_STATUS$' | tr '\n' ' ')"
	[ "$(wc -w <<<"$names")" -eq 31 ]
	run "$TORSH" "${TORSH_CONNECT[@]}" -c "SETEVENTS $names"
	assert_success
	# events may follow the reply before torsh quits
	assert_line --index 0 '250 OK'
}

@test "--json: replies are objects jq can read, values typed" {
	run bash -c "'$TORSH' ${TORSH_CONNECT[*]} --json -c 'GETINFO version process/pid' | jq -c '[.type, .code, .ok, .values.version, .values[\"process/pid\"]]'"
	assert_success
	assert_output --regexp "^\[\"reply\",250,true,\"0\.4\.[0-9.]+\",\"$TOR_PID\"\]$"
}

@test "--json: an error reply names the seed's exception" {
	run bash -c "'$TORSH' ${TORSH_CONNECT[*]} --json -c 'GETINFO no-such-key' | jq -r '.error.name + \" \" + (.code|tostring) + \" \" + .error.message'"
	assert_output 'InvalidArguments 552 Unrecognized key "no-such-key"'
}

@test "--json: a repeated GETCONF key becomes an array; data blocks are strings" {
	run bash -c "'$TORSH' ${TORSH_CONNECT[*]} --json -c 'GETCONF DirAuthority UseDefaultFallbackDirs' -c 'GETINFO config-text' | jq -c '.values'"
	assert_success
	assert_line --index 0 '{"DirAuthority":"dummy 127.0.0.1:1 ffffffffffffffffffffffffffffffffffffffff","UseDefaultFallbackDirs":"0"}'
	[[ "${lines[1]}" == '{"config-text":"'*'DisableNetwork 1\n'* ]]
}

@test "--json: SIGNAL and CONF_CHANGED events from real commands, typed" {
	run bash -c "printf 'SETEVENTS SIGNAL CONF_CHANGED\nSIGNAL HEARTBEAT\nSETCONF ContactInfo=json-test\n' | '$TORSH' ${TORSH_CONNECT[*]} --json --linger 1 | jq -c 'select(.type==\"event\") | [.event, .fields]'"
	assert_success
	assert_line '["SIGNAL",{"Signal":"HEARTBEAT"}]'
	assert_line '["CONF_CHANGED",{"ContactInfo":"json-test"}]'
}

@test "--pretty: a SIGNAL event with a timestamp and its name; --explain adds the description" {
	run bash -c "printf 'SETEVENTS SIGNAL\nSIGNAL CLEARDNSCACHE\n' | '$TORSH' ${TORSH_CONNECT[*]} --pretty --explain --linger 1"
	assert_success
	assert_line --regexp '^[0-9]{2}:[0-9]{2}:[0-9]{2} SIGNAL CLEARDNSCACHE \(.+\)$'
	refute_output --partial $'\033'
}

@test "--pretty: error replies are named" {
	run "$TORSH" "${TORSH_CONNECT[@]}" --pretty -c 'GETINFO no-such-key'
	assert_failure 1
	assert_output 'error 552 (InvalidArguments): Unrecognized key "no-such-key"'
}

@test "--pretty: values as KEY = VALUE, data blocks under their key" {
	run "$TORSH" "${TORSH_CONNECT[@]}" --pretty -c 'GETINFO version config-text'
	assert_success
	assert_line --index 0 --regexp '^version = 0\.4\.'
	assert_line --index 1 'config-text:'
	assert_line 'DisableNetwork 1'
	refute_line '250 OK'
}

@test "--raw stays byte-exact (minus CRLF) for STATUS events" {
	run bash -c "printf 'SETEVENTS STATUS_GENERAL STATUS_CLIENT SIGNAL\nSIGNAL DORMANT\nSIGNAL ACTIVE\n' | '$TORSH' ${TORSH_CONNECT[*]} --raw --linger 1"
	assert_success
	assert_line '650 SIGNAL DORMANT'
	assert_line '650 SIGNAL ACTIVE'
}

evil_script() {
	fake_script <<'EOT'
auth-null
expect GETINFO
line 650 NOTICE evil \x1b]0;pwned\x07 \x1b[2J text \x9b31m
line 650 CIRC 1 BUILT $AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA~\x1b[31mred PURPOSE=GENERAL
line 250-version=\x1b[5mblink
line 250 OK
drain
EOT
}

# run_on_tty FORMAT: torsh against the evil fake port with stdout on a pty
# (script(1)); the bytes it wrote are in $BATS_TEST_TMPDIR/tty.
run_on_tty() {
	start_fake "$(evil_script)"
	script -qec "'$TORSH' -s '$FAKE_SOCK' --no-color $1 -c 'GETINFO version'" "$BATS_TEST_TMPDIR/tty" >/dev/null
	run cat "$BATS_TEST_TMPDIR/tty"
}

@test "ESC and control characters from tor never reach the terminal: pretty" {
	run_on_tty --pretty
	refute_output --partial $'\033'
	refute_output --partial $'\007'
	assert_output --partial 'evil \e]0;pwned\x07 \e[2J text \x9B31m'
	assert_output --partial 'version = \e[5mblink'
}

@test "ESC and control characters from tor never reach the terminal: raw on a TTY" {
	run_on_tty --raw
	refute_output --partial $'\033'
	assert_output --partial '650 NOTICE evil \e]0;pwned\x07 \e[2J text \x9B31m'
}

@test "raw into a pipe is byte-exact (not escaped)" {
	start_fake "$(evil_script)"
	run bash -c "'$TORSH' -s '$FAKE_SOCK' -c 'GETINFO version' | od -c | grep -c '033'"
	[ "$output" -ge 1 ]
}

# Hostile bytes in an event, a reply line and a data block: ESC sequences,
# an OSC title ending in BEL, a bare BEL, the C1 CSI U+009B (C2 9B) and a
# raw 9B byte.
control_script() {
	fake_script <<'EOT'
auth-null
expect GETINFO
line 650 NOTICE osc=\x1b]0;x\x07 bel=\x07 csi=\xc2\x9b31m esc=\x1b[2J raw=\x9b
line 250-version=\x1b[5mblink\x07
line 250+config-text=
line Nickname \x1b]0;t\x07\xc2\x9b2J
line .
line 250 OK
drain
EOT
}

@test "pretty output into a file or a pipe escapes control bytes from tor: no ESC, BEL or C1" {
	start_fake "$(control_script)"
	"$TORSH" -s "$FAKE_SOCK" --pretty -c 'GETINFO version config-text' >"$BATS_TEST_TMPDIR/out"
	run od -An -tx1 -v "$BATS_TEST_TMPDIR/out"
	refute_output --regexp '(^| )(1b|07|9b)( |$)'
	refute_output --regexp 'c2 +9b'
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line --regexp '^[0-9:]{8} NOTICE osc=\\e\]0;x\\x07 bel=\\x07 csi=\\u009B31m esc=\\e\[2J raw=\\x9B$'
	assert_line 'version = \e[5mblink\x07'
	assert_line 'Nickname \e]0;t\x07\u009B2J'
	# the same through a pipe (tee, less -R)
	start_fake "$(control_script)"
	run bash -c "'$TORSH' -s '$FAKE_SOCK' --pretty -c 'GETINFO version config-text' | tee /dev/null | od -An -tx1 -v"
	assert_success
	refute_output --regexp '(^| )(1b|07|9b)( |$)'
}

# Reply and event shapes JSON must type: an error of several lines, AUTH
# METHODS with two names, a log event of several lines, and GETINFO lines
# that are not KEY=VALUE (one a data block).
typing_script() {
	fake_script <<'EOT'
auth-null
expect GETINFO
line 250-version=1.2.3
line 250-weird line, no equals sign
line 250+odd
line body of it
line .
line 250 OK
expect GETINFO
line 552-Unrecognized key "a"
line 552 Unrecognized key "b"
expect PROTOCOLINFO
line 250-PROTOCOLINFO 1
line 250-AUTH METHODS=COOKIE,SAFECOOKIE COOKIEFILE="/x/cookie"
line 250-VERSION Tor="0.4.9.11"
line 250 OK
line 650+WARN
line first line of the warning
line second line
line .
line 650 OK
drain
EOT
}

run_typing() {
	start_fake "$(typing_script)"
	"$TORSH" -s "$FAKE_SOCK" "$@" -k --linger 1 -c 'GETINFO version' -c 'GETINFO a b' -c PROTOCOLINFO >"$BATS_TEST_TMPDIR/out" || true
}

@test "--json: a multi-line error reply keeps every line in error.message" {
	run_typing --json
	run jq -c 'select(.code==552) | .error' "$BATS_TEST_TMPDIR/out"
	assert_output '{"name":"InvalidArguments","message":"Unrecognized key \"a\"\nUnrecognized key \"b\""}'
}

@test "--json: PROTOCOLINFO's AUTH METHODS is an array of names" {
	run_typing --json
	run jq -c 'select(.command=="PROTOCOLINFO") | .values.AUTH' "$BATS_TEST_TMPDIR/out"
	assert_output '{"METHODS":["COOKIE","SAFECOOKIE"],"COOKIEFILE":"/x/cookie"}'
}

@test "--json: a multi-line log event has its text in fields.Message; pretty shows its lines under it" {
	run_typing --json
	run jq -c 'select(.event=="WARN") | [.fields, .data]' "$BATS_TEST_TMPDIR/out"
	assert_output '[{"Message":"first line of the warning\nsecond line"},"first line of the warning\nsecond line\n"]'
	run_typing --pretty
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line --regexp '^[0-9:]{8} WARN$'
	assert_line '  first line of the warning'
	assert_line '  second line'
}

@test "a GETINFO line that is not KEY=VALUE is kept: under \"(unparsed)\" in JSON, shown in pretty" {
	run_typing --json
	run jq -c 'select(.command=="GETINFO" and .ok) | .values' "$BATS_TEST_TMPDIR/out"
	assert_output '{"version":"1.2.3","(unparsed)":["weird line, no equals sign","odd\nbody of it"]}'
	run_typing --pretty
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line --index 0 'version = 1.2.3'
	assert_line --index 1 'weird line, no equals sign'
	assert_line --index 2 'odd:'
	assert_line --index 3 'body of it'
	assert_line --index 4 'error 552 (InvalidArguments): Unrecognized key "a"'
	assert_line --index 5 'error 552 (InvalidArguments): Unrecognized key "b"'
	assert_line --index 6 'PROTOCOLINFO 1'
	assert_line --index 7 'AUTH METHODS=COOKIE,SAFECOOKIE COOKIEFILE="/x/cookie"'
}

# Bytes that are not UTF-8 (FF, F5, an overlong CSI, a surrogate, a code
# point above U+10FFFF, a truncated sequence, lone continuation bytes), a C1
# control and bidi controls, in events, a reply line and a data block.
bad_utf8_script() {
	fake_script <<'EOT'
auth-null
expect GETINFO
line 650 NOTICE ff=\xff f5=\xf5 overlong=\xe0\x82\x9b31m surrogate=\xed\xa0\x80 big=\xf4\x90\x80\x80
line 650 CIRC 1 BUILT $AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA~n\xe2\x80\xaeick,$BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB~\xc2\x9b PURPOSE=GEN\xe2\x81\xa6ERAL
line 650 WARN cut=\xe2\x80 lone=\x80\xbf nel=\xc2\x85 rlm=\xe2\x80\x8f
line 250+version=
line \xe2\x80\xae\xff\xe0\x80\xaf
line .
line 250-config-text=\xf0\x9f\x98
line 250 OK
drain
EOT
}

@test "--json: every line is valid UTF-8 JSON and hides no C1 or bidi control" {
	start_fake "$(bad_utf8_script)"
	"$TORSH" -s "$FAKE_SOCK" --json -c 'GETINFO version config-text' >"$BATS_TEST_TMPDIR/out.json"
	run python3 -c '
import json, sys, unicodedata
hidden = {chr(c) for c in range(0x80, 0xa0)} | set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
n = 0
for raw in open(sys.argv[1], "rb"):
    line = raw.decode("utf-8")  # strict: ill-formed bytes raise
    assert not hidden & set(line), ascii(line)
    json.loads(line)
    n += 1
print(n)' "$BATS_TEST_TMPDIR/out.json"
	assert_success
	assert_output 4
	run jq -r 'select(.event=="NOTICE") | .raw' "$BATS_TEST_TMPDIR/out.json"
	assert_output $'650 NOTICE ff=\uFFFD f5=\uFFFD overlong=\uFFFD\uFFFD\uFFFD31m surrogate=\uFFFD\uFFFD\uFFFD big=\uFFFD\uFFFD\uFFFD\uFFFD'
	# jq -a: what jq decoded, non-ASCII as \uXXXX again
	run jq -ac 'select(.event=="CIRC") | [.fields.Path, .fields.PURPOSE]' "$BATS_TEST_TMPDIR/out.json"
	assert_output '[["$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA~n\u202eick","$BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB~\u009b"],"GEN\u2066ERAL"]'
	run jq -ac 'select(.type=="reply") | .values' "$BATS_TEST_TMPDIR/out.json"
	assert_output '{"version":"\u202e\ufffd\ufffd\ufffd\ufffd\n","config-text":"\ufffd"}'
}

@test "pretty and raw on a TTY escape overlong UTF-8 and bidi controls" {
	start_fake "$(bad_utf8_script)"
	script -qec "'$TORSH' -s '$FAKE_SOCK' --no-color --pretty -c 'GETINFO version config-text'" "$BATS_TEST_TMPDIR/tty" >/dev/null
	run cat "$BATS_TEST_TMPDIR/tty"
	assert_output --partial 'overlong=\xE0\x82\x9B31m surrogate=\xED\xA0\x80 big=\xF4\x90\x80\x80'
	assert_output --partial 'n\u202Eick > \u009B'
	refute_output --partial $'\u202e'
	refute_output --partial $'\xe0\x82\x9b'
}

# A 20 MB data block of control bytes: \u00XX makes each byte 6 in JSON,
# and "values" and "raw" both carry the block.
@test "--json: a 20 MB data block of control bytes is streamed, not built in memory" {
	local line='\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f\x01'
	fake_script <<EOT >/dev/null
auth-null
expect GETINFO
line 250+blob=
repeat 160000 $line$line$line$line\x01\x02\x03\x04\r\n
line .
line 250 OK
drain
EOT
	start_fake "$BATS_TEST_TMPDIR/fake.script"
	/usr/bin/time -f %M -o "$BATS_TEST_TMPDIR/rss" "$TORSH" -s "$FAKE_SOCK" --json -c 'GETINFO blob' >/dev/null
	local kb block_kb=$((160000 * 124 / 1024))
	kb="$(tail -n 1 "$BATS_TEST_TMPDIR/rss")"
	echo "peak RSS ${kb} KiB for a ${block_kb} KiB block" >&3
	[ "$kb" -lt $((8 * block_kb)) ]
}

# corpus_to_fake: tests/corpus/events.txt as a fake-port script that sends
# every event before answering GETINFO; also writes the expected JSON fields
# (one case per line, keys sorted) and the expected raw text.
corpus_to_fake() {
	local corpus="$BATS_TEST_DIRNAME/corpus/events.txt" d="$BATS_TEST_TMPDIR"
	{
		echo auth-null
		echo 'expect GETINFO'
		sed -n 's/\\/\\\\/g; s/^> /line /p' "$corpus"
		echo 'line 250-version=fake'
		echo 'line 250 OK'
		echo drain
	} >"$d/corpus.script"
	sed -n 's/^J //p' "$corpus" | jq -cS . >"$d/want.json"
	sed -n 's/^= //p' "$corpus" >"$d/want.pretty"
	sed -n 's/^X //p' "$corpus" >"$d/want.explain"
	sed -n 's/^> //p' "$corpus" >"$d/want.raw"
	echo '250-version=fake' >>"$d/want.raw"
	echo '250 OK' >>"$d/want.raw"
}

@test "corpus: every event's JSON fields, read back with jq, are the expected ones" {
	corpus_to_fake
	start_fake "$BATS_TEST_TMPDIR/corpus.script"
	run bash -c "'$TORSH' -s '$FAKE_SOCK' --json -c 'GETINFO version' | jq -cS 'select(.type==\"event\") | .fields'"
	assert_success
	[ "${#lines[@]}" -ge 45 ]
	diff -u "$BATS_TEST_TMPDIR/want.json" <(printf '%s\n' "${lines[@]}")
}

@test "corpus: every JSON line carries type, code and the raw text" {
	corpus_to_fake
	start_fake "$BATS_TEST_TMPDIR/corpus.script"
	"$TORSH" -s "$FAKE_SOCK" --json -c 'GETINFO version' >"$BATS_TEST_TMPDIR/out.json"
	run jq -r '.raw' "$BATS_TEST_TMPDIR/out.json"
	assert_success
	diff -u "$BATS_TEST_TMPDIR/want.raw" <(printf '%s\n' "${lines[@]}")
	run jq -c '[.type, .code, (.event // "-" | type)]' "$BATS_TEST_TMPDIR/out.json"
	assert_success
	[ "$(sort -u <<<"$output")" = "$(printf '%s\n' '["event",650,"string"]' '["reply",250,"string"]')" ]
}

@test "corpus: every event's pretty summary line is the expected one" {
	corpus_to_fake
	start_fake "$BATS_TEST_TMPDIR/corpus.script"
	run "$TORSH" -s "$FAKE_SOCK" --pretty -c 'GETINFO version'
	assert_success
	# the time starts each event line; data block lines are indented
	diff -u "$BATS_TEST_TMPDIR/want.pretty" <(printf '%s\n' "${lines[@]}" | sed '/^version = fake$/d; s/^[0-9][0-9]:[0-9][0-9]:[0-9][0-9] //')
}

@test "corpus: with --explain, enum values are followed by their meaning" {
	corpus_to_fake
	start_fake "$BATS_TEST_TMPDIR/corpus.script"
	"$TORSH" -s "$FAKE_SOCK" --pretty --explain -c 'GETINFO version' | sed 's/^[0-9:]\{8\} //' >"$BATS_TEST_TMPDIR/out"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/want.explain")" -ge 20 ]
	# every X line of the corpus is a line of the output
	run grep -vxF -f "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/want.explain"
	assert_failure 1
	assert_output ''
}

@test "log events on a terminal are coloured by severity: DEBUG and INFO dim, NOTICE plain, WARN yellow, ERR red" {
	start_fake "$(fake_script <<'EOT'
auth-null
expect GETINFO
line 650 DEBUG conn_read_callback(): socket 11 wants to read.
line 650 INFO signewnym_impl(): Ignoring SIGNAL NEWNYM.
line 650 NOTICE Bootstrapped 100% (done): Done
line 650 WARN Problem bootstrapping.
line 650 ERR Error 11 creating a mutex.
line 250-version=fake
line 250 OK
drain
EOT
)"
	script -qec "'$TORSH' -s '$FAKE_SOCK' --pretty -c 'GETINFO version'" "$BATS_TEST_TMPDIR/tty" >/dev/null
	run sed 's/\r$//; s/^\x1b\[2m[0-9:]\{8\} \x1b\[0m//' "$BATS_TEST_TMPDIR/tty"
	assert_line $'\e[2mDEBUG\e[0m \e[2mconn_read_callback(): socket 11 wants to read.\e[0m'
	assert_line $'\e[2mINFO\e[0m \e[2msignewnym_impl(): Ignoring SIGNAL NEWNYM.\e[0m'
	assert_line 'NOTICE Bootstrapped 100% (done): Done'
	assert_line $'\e[33mWARN\e[0m \e[33mProblem bootstrapping.\e[0m'
	assert_line $'\e[31mERR\e[0m \e[31mError 11 creating a mutex.\e[0m'
}

@test "corpus: --raw prints exactly what tor sent, minus CRLF" {
	corpus_to_fake
	start_fake "$BATS_TEST_TMPDIR/corpus.script"
	run "$TORSH" -s "$FAKE_SOCK" --raw -c 'GETINFO version'
	assert_success
	diff -u "$BATS_TEST_TMPDIR/want.raw" <(printf '%s\n' "${lines[@]}")
}

@test "--json: typed replies: PROTOCOLINFO, GETCONF unset key, MAPADDRESS, EXTENDCIRCUIT error" {
	run bash -c "'$TORSH' ${TORSH_CONNECT[*]} --json -k -c PROTOCOLINFO -c 'GETCONF HTTPSProxy SocksPort' -c 'MAPADDRESS 10.1.2.3=example.org' -c 'EXTENDCIRCUIT 0' | jq -c '[.command, .values]'"
	assert_line --index 0 --regexp '^\["PROTOCOLINFO",\{"PROTOCOLINFO":1,"AUTH":\{"METHODS":\["NULL"\]\},"VERSION":\{"Tor":"0\.4\.[0-9.]+"\}\}\]$'
	assert_line --index 1 '["GETCONF",{"HTTPSProxy":null,"SocksPort":"0"}]'
	assert_line --index 2 '["MAPADDRESS",{"10.1.2.3":"example.org"}]'
	assert_line --index 3 '["EXTENDCIRCUIT",{}]'
}

@test "--json: ADD_ONION and ONION_CLIENT_AUTH_VIEW replies are typed" {
	local addr=2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid key=yPGUxgKaC5ACyEzsdANHJEJzt5DIqDRBlAFaAWWQn0o=
	# the private key goes on stdin: in -c it would be visible in ps (and warned about)
	run bash -c "printf '%s\\n' 'ADD_ONION NEW:ED25519-V3 Port=80,127.0.0.1:8080' 'ONION_CLIENT_AUTH_ADD $addr x25519:$key ClientName=bob' 'ONION_CLIENT_AUTH_VIEW $addr' 'ONION_CLIENT_AUTH_REMOVE $addr' | '$TORSH' ${TORSH_CONNECT[*]} --json"
	assert_success
	run jq -r 'select(.command=="ADD_ONION") | (.values.ServiceID|length|tostring) + " " + (.values.PrivateKey|startswith("ED25519-V3:")|tostring)' <<<"$output"
	assert_output '56 true'
	run bash -c "printf '%s\\n' 'ONION_CLIENT_AUTH_ADD $addr x25519:$key ClientName=bob' 'ONION_CLIENT_AUTH_VIEW $addr' 'ONION_CLIENT_AUTH_REMOVE $addr' | '$TORSH' ${TORSH_CONNECT[*]} --json | jq -c 'select(.command==\"ONION_CLIENT_AUTH_VIEW\") | .values.CLIENT'"
	assert_output "[{\"HSAddress\":\"$addr\",\"PrivateKey\":\"x25519:$key\",\"ClientName\":\"bob\"}]"
}

# real_events FORMAT: events a real offline tor produces for real commands.
# ContactInfo gets a value unique to the run, so CONF_CHANGED always fires.
real_events() {
	printf 'SETEVENTS SIGNAL CONF_CHANGED STREAM BUILDTIMEOUT_SET\nSIGNAL CLEARDNSCACHE\nSETCONF ContactInfo="a %s"\nRESETCONF ContactInfo\nRESOLVE example.com\nDROPTIMEOUTS\n' "$RUN_ID" |
		"$TORSH" "${TORSH_CONNECT[@]}" "$@" --linger 1
}

@test "real events in each mode: raw" {
	RUN_ID=$RANDOM
	run real_events --raw
	assert_success
	assert_line '650 SIGNAL CLEARDNSCACHE'
	assert_line '650-CONF_CHANGED'
	# tor writes CONF_CHANGED values unquoted, spaces and all
	assert_line "650-ContactInfo=a $RUN_ID"
	assert_line '650-ContactInfo'
	assert_line --regexp '^650 STREAM [0-9]+ NEWRESOLVE 0 example\.com:0 PURPOSE=DNS_REQUEST '
	assert_line --regexp '^650 BUILDTIMEOUT_SET RESET TOTAL_TIMES=0 '
}

@test "real events in each mode: pretty, with --explain" {
	RUN_ID=$RANDOM
	run real_events --pretty
	assert_success
	assert_line --regexp '^[0-9:]{8} SIGNAL CLEARDNSCACHE$'
	assert_line --regexp "^[0-9:]{8} CONF_CHANGED ContactInfo=a $RUN_ID\$"
	assert_line --regexp '^[0-9:]{8} CONF_CHANGED ContactInfo unset$'
	assert_line --regexp '^[0-9:]{8} STREAM [0-9]+ NEWRESOLVE example\.com:0 \(not attached yet\) PURPOSE=DNS_REQUEST '
	assert_line --regexp '^[0-9:]{8} BUILDTIMEOUT_SET RESET timeout [0-9]+ ms from 0 build times XM=0 '
	RUN_ID=$RANDOM
	run real_events --pretty --explain
	assert_line --regexp '^[0-9:]{8} SIGNAL CLEARDNSCACHE \(.*DNS.*\)$'
	assert_line --regexp '^[0-9:]{8} STREAM [0-9]+ NEWRESOLVE \(request to resolve an address\) example\.com:0 \(not attached yet\) PURPOSE=DNS_REQUEST \(user initiated DNS request\) '
	assert_line --regexp '^[0-9:]{8} BUILDTIMEOUT_SET RESET \(timeout reverted to its default\) timeout [0-9]+ ms '
}

@test "real events in each mode: JSON" {
	RUN_ID=$RANDOM
	real_events --json >"$BATS_TEST_TMPDIR/out.json"
	run jq -c 'select(.type=="event") | [.event, .fields]' "$BATS_TEST_TMPDIR/out.json"
	assert_success
	assert_line '["SIGNAL",{"Signal":"CLEARDNSCACHE"}]'
	assert_line "[\"CONF_CHANGED\",{\"ContactInfo\":\"a $RUN_ID\"}]"
	assert_line '["CONF_CHANGED",{"ContactInfo":null}]'
	assert_line --regexp '^\["STREAM",\{"StreamID":[0-9]+,"Status":"NEWRESOLVE","CircID":0,"Target":"example.com:0","PURPOSE":"DNS_REQUEST",'
	assert_line --regexp '^\["BUILDTIMEOUT_SET",\{"Type":"RESET","TOTAL_TIMES":0,"TIMEOUT_MS":[0-9]+,'
}

@test "colours on a terminal; none with --no-color, NO_COLOR, or into a pipe" {
	local cmd="'$TORSH' ${TORSH_CONNECT[*]} -c 'GETINFO no-such-key'"
	script -qec "$cmd" "$BATS_TEST_TMPDIR/tty" >/dev/null || true
	run cat "$BATS_TEST_TMPDIR/tty"
	assert_output --partial $'\033[31merror 552 (InvalidArguments): '
	script -qec "NO_COLOR=1 $cmd" "$BATS_TEST_TMPDIR/tty2" >/dev/null || true
	run cat "$BATS_TEST_TMPDIR/tty2"
	assert_output --partial 'error 552 (InvalidArguments): '
	refute_output --partial $'\033'
	script -qec "$cmd --no-color" "$BATS_TEST_TMPDIR/tty3" >/dev/null || true
	run cat "$BATS_TEST_TMPDIR/tty3"
	refute_output --partial $'\033'
	run bash -c "$cmd --pretty"
	assert_output 'error 552 (InvalidArguments): Unrecognized key "no-such-key"'
}

@test "--color colours into a pipe too; --no-color and NO_COLOR win over it" {
	local cmd="'$TORSH' ${TORSH_CONNECT[*]} -c 'GETINFO no-such-key'"
	run bash -c "$cmd --pretty --color"
	assert_output $'\033[31merror 552 (InvalidArguments): \033[0mUnrecognized key "no-such-key"'
	# pretty by default only on a terminal: --color alone leaves raw raw
	run bash -c "$cmd --color"
	assert_output '552 Unrecognized key "no-such-key"'
	run bash -c "$cmd --pretty --color --no-color"
	refute_output --partial $'\033'
	run bash -c "$cmd --pretty --no-color --color"
	refute_output --partial $'\033'
	run bash -c "NO_COLOR=1 $cmd --pretty --color"
	assert_output 'error 552 (InvalidArguments): Unrecognized key "no-such-key"'
}
