#!/usr/bin/env bats
# Every command an offline tor (DisableNetwork 1) can answer, end to end
# through torsh, with tor's reply asserted.

load helpers
shared_tor

ADDR=2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid
X25519=yPGUxgKaC5ACyEzsdANHJEJzt5DIqDRBlAFaAWWQn0o=

t() { "$TORSH" "${TORSH_CONNECT[@]}" --raw "$@"; }

@test "GETCONF, SETCONF, RESETCONF round trip" {
	run t -c 'SETCONF ContactInfo="live test" MaxCircuitDirtiness=321' -c 'GETCONF ContactInfo MaxCircuitDirtiness' \
		-c 'RESETCONF ContactInfo MaxCircuitDirtiness' -c 'GETCONF ContactInfo MaxCircuitDirtiness'
	assert_success
	assert_equal "${lines[0]}" '250 OK'
	assert_equal "${lines[1]}" '250-ContactInfo=live test'
	assert_equal "${lines[2]}" '250 MaxCircuitDirtiness=321'
	assert_equal "${lines[3]}" '250 OK'
	assert_equal "${lines[4]}" '250-ContactInfo'
	assert_equal "${lines[5]}" '250 MaxCircuitDirtiness=600'
}

@test "SAVECONF and SAVECONF FORCE write the torrc, offline settings kept" {
	run t -c 'SETCONF ContactInfo=saved-by-torsh' -c 'SAVECONF' -c 'SAVECONF FORCE' -c 'RESETCONF ContactInfo'
	assert_success
	assert_output "$(printf '250 OK\n250 OK\n250 OK\n250 OK')"
	grep -q '^ContactInfo saved-by-torsh$' "$TOR_DIR/torrc"
	grep -q '^DisableNetwork 1$' "$TOR_DIR/torrc"
	grep -q '^DirAuthority dummy 127.0.0.1:1 ffffffffffffffffffffffffffffffffffffffff$' "$TOR_DIR/torrc"
}

@test "GETINFO: single-line values and data blocks" {
	run t -c 'GETINFO version process/pid config-text'
	assert_success
	assert_line --index 0 --regexp '^250-version=0\.4\.'
	assert_line --index 1 "250-process/pid=$TOR_PID"
	assert_line --index 2 '250+config-text='
	assert_line 'DisableNetwork 1'
	assert_line '.'
	assert_equal "${lines[-1]}" '250 OK'
}

@test "GETINFO of an unknown key: tor's 552" {
	run t -c 'GETINFO no-such-key'
	assert_failure 1
	assert_output '552 Unrecognized key "no-such-key"'
}

@test "SETEVENTS: set and clear" {
	run t -c 'SETEVENTS CIRC STREAM ORCONN' -c 'SETEVENTS'
	assert_success
	assert_output "$(printf '250 OK\n250 OK')"
}

@test "SIGNAL NEWNYM RELOAD CLEARDNSCACHE HEARTBEAT DORMANT ACTIVE, each seen as a SIGNAL event" {
	run bash -c "printf 'SETEVENTS SIGNAL\nSIGNAL NEWNYM\nSIGNAL RELOAD\nSIGNAL CLEARDNSCACHE\nSIGNAL HEARTBEAT\nSIGNAL DORMANT\nSIGNAL ACTIVE\n' | '$TORSH' ${TORSH_CONNECT[*]} --raw --linger 1"
	assert_success
	[ "$(grep -c '^250 OK$' <<<"$output")" -eq 7 ]
	for s in RELOAD CLEARDNSCACHE HEARTBEAT DORMANT ACTIVE; do
		assert_line "650 SIGNAL $s"
	done
	kill -0 "$TOR_PID"
}

@test "MAPADDRESS and the mapping it made" {
	run t -c 'MAPADDRESS 10.40.50.60=live.example' -c 'GETINFO address-mappings/control'
	assert_success
	assert_line --index 0 '250 10.40.50.60=live.example'
	assert_output --partial '10.40.50.60 live.example NEVER'
}

@test "RESOLVE: accepted, and the resolve shows as a stream event" {
	run bash -c "printf 'SETEVENTS STREAM\nRESOLVE live-resolve.example\n' | '$TORSH' ${TORSH_CONNECT[*]} --raw --linger 1"
	assert_success
	assert_line --index 1 '250 OK'
	assert_line --regexp '^650 STREAM [0-9]+ NEWRESOLVE 0 live-resolve\.example:0 '
}

@test "ADD_ONION / DEL_ONION: a new v3 service, gone after DEL_ONION" {
	run t -c 'ADD_ONION NEW:ED25519-V3 Flags=DiscardPK Port=80,127.0.0.1:8080'
	assert_success
	local id="${lines[0]#250-ServiceID=}"
	[ "${#id}" -eq 56 ]
	assert_equal "${lines[1]}" '250 OK'
	# DiscardPK: no key in the reply. Detach keeps it after this connection
	run t -c 'ADD_ONION NEW:ED25519-V3 Flags=Detach Port=81' -c 'GETINFO onions/detached'
	assert_success
	local det="${lines[0]#250-ServiceID=}"
	assert_line --index 1 --regexp '^250-PrivateKey=ED25519-V3:'
	assert_output --partial "onions/detached=$det"
	run t -c "DEL_ONION $det" -c "DEL_ONION $det"
	assert_failure 1
	assert_line --index 0 '250 OK'
	assert_line --index 1 '552 Unknown Onion Service id'
}

@test "ONION_CLIENT_AUTH_ADD / VIEW / REMOVE" {
	run t -c "ONION_CLIENT_AUTH_ADD $ADDR x25519:$X25519 ClientName=alice" -c "ONION_CLIENT_AUTH_VIEW $ADDR" \
		-c "ONION_CLIENT_AUTH_REMOVE $ADDR" -c "ONION_CLIENT_AUTH_VIEW $ADDR"
	assert_success
	# a private key in -c is visible in ps: said once, on stderr
	assert_line --index 0 'torsh: warning: -c argument 1 holds a secret, which other users can read in ps; pipe the command on stdin instead'
	assert_line --index 1 '250 OK'
	assert_line "250-CLIENT $ADDR x25519:$X25519 ClientName=alice"
	[ "$(grep -c "^250-CLIENT" <<<"$output")" -eq 1 ]
}

@test "a refused secret argument is never quoted in the error; the session goes on" {
	run bash -c "printf '%s\\n' 'ONION_CLIENT_AUTH_ADD $ADDR x25519:BADKEY!0123456789abcdefghijklmnopqrstu=' \
		'ADD_ONION ED25519V3:TYPOKEYSECRET Port=80' 'AUTHENTICATE \"pw\" STRAYWORDSECRET' \
		\$'SETCONF ContactInfo=x\\rSocks5ProxyPassword=CRSECRET' 'Socks5ProxyPassword=SPLITSECRET' \
		'GETINFO process/pid' | '$TORSH' ${TORSH_CONNECT[*]} --raw -k"
	assert_output --partial 'KEY: x25519 key: expected base64 (A-Z a-z 0-9 + /), character 7 is not'
	assert_output --partial 'carriage return (CR) inside the command'
	assert_output --partial 'unknown command Socks5ProxyPassword=[redacted]'
	assert_line "250-process/pid=$TOR_PID"
	for s in BADKEY TYPOKEYSECRET STRAYWORDSECRET CRSECRET SPLITSECRET; do
		refute_output --partial "$s"
	done
}

@test "+LOADCONF: a body from the pipe and from @FILE, offline settings kept" {
	local conf="$BATS_TEST_TMPDIR/torrc.new"
	cat >"$conf" <<-EOT
	DataDirectory $TOR_DIR/data
	DisableNetwork 1
	DirAuthority dummy 127.0.0.1:1 ffffffffffffffffffffffffffffffffffffffff
	UseDefaultFallbackDirs 0
	SocksPort 0
	ControlPort unix:${TORSH_CONNECT[1]}
	ControlPortWriteToFile $TOR_DIR/port
	Log notice file $TOR_DIR/tor.log
	ContactInfo from-file
	EOT
	run t -c "+LOADCONF @$conf" -c 'GETCONF ContactInfo DisableNetwork'
	assert_success
	assert_line --index 0 '250 OK'
	assert_line --index 1 '250-ContactInfo=from-file'
	assert_line --index 2 '250 DisableNetwork=1'
	run bash -c "{ echo +LOADCONF; sed 's/from-file/from-pipe/' '$conf'; echo .; echo 'GETCONF ContactInfo'; } | '$TORSH' ${TORSH_CONNECT[*]}"
	assert_success
	assert_line --index 1 '250 ContactInfo=from-pipe'
	run t -c 'GETCONF DisableNetwork'
	assert_output '250 DisableNetwork=1'
}

@test "USEFEATURE, PROTOCOLINFO, DROPGUARDS, DROPTIMEOUTS" {
	run t -c 'USEFEATURE VERBOSE_NAMES EXTENDED_EVENTS' -c 'PROTOCOLINFO 1' -c 'DROPGUARDS' -c 'DROPTIMEOUTS'
	assert_success
	assert_line --index 0 '250 OK'
	assert_line --index 1 '250-PROTOCOLINFO 1'
	assert_line --index 2 '250-AUTH METHODS=NULL'
	assert_line --index 3 --regexp '^250-VERSION Tor="0\.4\.'
	assert_line --index 4 '250 OK'
	assert_line --index 5 '250 OK'
	assert_line --index 6 '250 OK'
}

@test "TAKEOWNERSHIP / DROPOWNERSHIP" {
	run t -c 'TAKEOWNERSHIP' -c 'DROPOWNERSHIP'
	assert_success
	assert_output "$(printf '250 OK\n250 OK')"
	kill -0 "$TOR_PID"
}

@test "circuit and stream commands on ids that do not exist: tor's own errors" {
	run t -k -c 'EXTENDCIRCUIT 0' -c 'CLOSECIRCUIT 4242' -c 'SETCIRCUITPURPOSE 4242 purpose=controller' \
		-c 'ATTACHSTREAM 4242 0' -c 'REDIRECTSTREAM 4242 example.com' -c 'CLOSESTREAM 4242 DONE'
	assert_failure 1
	assert_line --index 0 "551 Couldn't start circuit"
	assert_line --index 1 '552 Unknown circuit "4242"'
	assert_line --index 2 '552 Unknown circuit "4242"'
	assert_line --index 3 '552 Unknown stream "4242"'
	assert_line --index 4 '552 Unknown stream "4242"'
	assert_line --index 5 '552 Unknown stream "4242"'
}

@test "HSFETCH of a valid address is accepted offline; HSPOST of a bad descriptor is refused by tor" {
	run t -c "HSFETCH $ADDR"
	assert_success
	assert_output '250 OK'
	printf 'hs-descriptor 3\nnot a descriptor\n' >"$BATS_TEST_TMPDIR/desc"
	run t -c "+HSPOST HSADDRESS=$ADDR @$BATS_TEST_TMPDIR/desc"
	assert_failure 1
	assert_output --regexp '^55[0-9] '
}

@test "+POSTDESCRIPTOR of garbage: tor's error, tor still running" {
	printf 'router garbage\n' >"$BATS_TEST_TMPDIR/rd"
	run t -c "+POSTDESCRIPTOR purpose=general @$BATS_TEST_TMPDIR/rd"
	assert_failure 1
	assert_output --regexp '^55[0-9] '
	kill -0 "$TOR_PID"
}

@test "/raw refuses SETCIRCUITPURPOSE without arguments (it kills tor 0.4.9.11); tor lives on and answers" {
	# -c lines are checked before connecting
	run t -c '/raw SETCIRCUITPURPOSE'
	assert_failure 2
	assert_output --partial 'SETCIRCUITPURPOSE without a circuit id crashes tor (SIGSEGV)'
	kill -0 "$TOR_PID"
	# on stdin, on a live connection: refused there too, the next line answered
	run bash -c "printf '/raw setcircuitpurpose\\n/raw SETCIRCUITPURPOSE 1\\nGETINFO process/pid\\n' | '$TORSH' ${TORSH_CONNECT[*]} --raw -k"
	assert_output --partial 'refused even by /raw, nothing was sent'
	assert_line --regexp '^552 '
	assert_line "250-process/pid=$TOR_PID"
	kill -0 "$TOR_PID"
	run t -c 'GETINFO process/pid'
	assert_success
	assert_line "250-process/pid=$TOR_PID"
}

@test "AUTHENTICATE and AUTHCHALLENGE after authentication: tor's answers" {
	run t -k -c 'AUTHENTICATE' -c 'AUTHCHALLENGE SAFECOOKIE 5A0C1F2E3D4B5A6978877665544332211FFEEDDCCBBAA9988776655443322110'
	assert_line --index 0 '250 OK'
	assert_line --index 1 --regexp '^5[0-9][0-9] '
}

@test "SETROUTERPURPOSE is refused locally: usage error, nothing sent" {
	run t -c 'SETROUTERPURPOSE nick general'
	assert_failure 2
	assert_output --partial 'obsolete'
}

@test "QUIT ends the session with tor's 250 closing" {
	run t -c 'QUIT'
	assert_success
	assert_output '250 closing connection'
}

# bees N: N bytes of 'b'
bees() { head -c "$1" /dev/zero | tr '\0' b; }

@test "the 1 MiB limit, exactly: tor takes 1,048,575 bytes on the wire; torsh refuses one more, sends nothing" {
	local sock="${TORSH_CONNECT[1]}" out="$BATS_TEST_TMPDIR/out" in="$BATS_TEST_TMPDIR/in"
	# tor itself, no torsh: 8 + N + 2 bytes with CRLF
	{ printf 'AUTHENTICATE\r\nGETINFO '; bees 1048565; printf '\r\nGETINFO version\r\n'; sleep 1; } |
		socat - UNIX-CONNECT:"$sock" | tr -d '\r' | cut -c 1-30 >"$out"
	run cat "$out"
	assert_line --index 1 --partial '552 Unrecognized key "bbb'
	assert_line --index 2 --partial '250-version='
	# tor answers and closes at once; the next command follows late, so that
	# socat has passed the answer on before its write fails (EPIPE ends it)
	{ printf 'AUTHENTICATE\r\nGETINFO '; bees 1048566; printf '\r\n'; sleep 0.5; printf 'GETINFO version\r\n'; sleep 1; } |
		socat - UNIX-CONNECT:"$sock" | tr -d '\r' | cut -c 1-30 >"$out"
	run cat "$out"
	assert_line --index 1 '500 Line too long.'
	refute_output --partial 'version='
	# torsh: the longest is carried, tor answers it and then the next command
	{ printf 'GETINFO '; bees 1048565; printf '\nGETINFO version\n'; } >"$in"
	t -k <"$in" | cut -c 1-30 >"$out"
	run cat "$out"
	assert_line --index 0 --partial '552 Unrecognized key "bbb'
	assert_line --index 1 --partial '250-version='
	# one byte more: refused by torsh, exit 2, tor never sees it
	{ printf 'GETINFO '; bees 1048566; printf '\nGETINFO version\n'; } >"$in"
	run t <"$in"
	assert_failure 2
	assert_output --partial '1 MiB'
	refute_output --partial 'version='
	kill -0 "$TOR_PID"
}
