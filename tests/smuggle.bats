#!/usr/bin/env bats
# Smuggling attempts against a real offline tor (digest §1.8). Each one is
# refused by torsh or carried as data; afterwards GETCONF proves the
# smuggled setting was not applied and tor is still running.

load helpers
shared_tor

# untouched: the settings a smuggled command would change are still at
# their defaults, and tor answers.
untouched() {
	run "$TORSH" "${TORSH_CONNECT[@]}" --raw -c 'GETCONF MaxCircuitDirtiness SocksPort DisableNetwork' -c 'GETINFO process/pid'
	assert_success
	assert_line --index 0 '250-MaxCircuitDirtiness=600'
	assert_line --index 1 '250-SocksPort=0'
	assert_line --index 2 '250 DisableNetwork=1'
	assert_line --index 3 "250-process/pid=$TOR_PID"
	kill -0 "$TOR_PID"
}

@test "LF inside a -c value: refused, nothing sent" {
	run "$TORSH" "${TORSH_CONNECT[@]}" -c $'SETCONF ContactInfo=abc\nSETCONF MaxCircuitDirtiness=777'
	assert_failure 2
	assert_output --partial 'LF'
	untouched
}

@test "LF inside quotes: refused (tor splits lines before it reads quotes)" {
	run "$TORSH" "${TORSH_CONNECT[@]}" -c $'SETCONF ContactInfo="a\nSIGNAL HALT"'
	assert_failure 2
	untouched
}

@test "CR inside a value: refused" {
	run "$TORSH" "${TORSH_CONNECT[@]}" -c $'SETCONF ContactInfo=a\rMaxCircuitDirtiness=777'
	assert_failure 2
	assert_output --partial 'CR'
	untouched
}

@test "NUL in piped input: refused, the rest of the line never sent" {
	run bash -c "printf 'SETCONF ContactInfo=a\\000 MaxCircuitDirtiness=777\\n' | '$TORSH' ${TORSH_CONNECT[*]}"
	assert_failure 2
	assert_output --partial 'NUL'
	untouched
}

@test "a value with a space cannot add an assignment: it is quoted and stored whole" {
	run "$TORSH" "${TORSH_CONNECT[@]}" --raw -c 'SETCONF ContactInfo="x MaxCircuitDirtiness=777"' -c 'GETCONF ContactInfo'
	assert_success
	assert_line --index 1 '250 ContactInfo=x MaxCircuitDirtiness=777'
	untouched
}

@test "quotes and backslashes round-trip exactly" {
	# typed quoted with C escapes; tor answers it C-quoted, --json decodes it
	run "$TORSH" "${TORSH_CONNECT[@]}" --json -c 'SETCONF ContactInfo="a\"b\\c#d"' -c 'GETCONF ContactInfo'
	assert_success
	run jq -r 'select(.command=="GETCONF") | .values.ContactInfo' <<<"$output"
	assert_output 'a"b\c#d'
	# a bare value is taken literally, backslashes and all
	run "$TORSH" "${TORSH_CONNECT[@]}" --json -c 'SETCONF ContactInfo=x\y' -c 'GETCONF ContactInfo'
	run jq -r 'select(.command=="GETCONF") | .values.ContactInfo' <<<"$output"
	assert_output 'x\y'
	untouched
}

@test "C escapes in a quoted SETCONF value stay data, never a second command" {
	run "$TORSH" "${TORSH_CONNECT[@]}" --raw -c 'SETCONF ContactInfo="a\r\nSETCONF MaxCircuitDirtiness=777"' -c 'GETCONF ContactInfo'
	assert_success
	assert_line --index 0 '250 OK'
	untouched
}

@test "a smuggled +LOADCONF cannot swallow later commands" {
	run "$TORSH" "${TORSH_CONNECT[@]}" -c $'SETCONF ContactInfo=x\n+LOADCONF' -c 'GETINFO version'
	assert_failure 2
	untouched
}

@test "a LOADCONF body line '.' is data (dot-stuffed), not the end of the body" {
	local conf="$BATS_TEST_TMPDIR/torrc.dot"
	{
		echo "DataDirectory $TOR_DIR/data"
		echo "DisableNetwork 1"
		echo "DirAuthority dummy 127.0.0.1:1 ffffffffffffffffffffffffffffffffffffffff"
		echo "UseDefaultFallbackDirs 0"
		echo "SocksPort 0"
		echo "ControlPort unix:${TORSH_CONNECT[1]}"
		echo "ControlPortWriteToFile $TOR_DIR/port"
		echo "Log notice file $TOR_DIR/tor.log"
		echo "."
		echo "SETCONF MaxCircuitDirtiness=777"
	} >"$conf"
	run "$TORSH" "${TORSH_CONNECT[@]}" --raw -c "+LOADCONF @$conf"
	# tor reads "." and "SETCONF ..." as config lines and rejects the body
	assert_failure 1
	assert_output --regexp '^55[0-9] '
	untouched
}

@test "GETINFO key with CR or a quote: refused" {
	run "$TORSH" "${TORSH_CONNECT[@]}" -c $'GETINFO version\rSIGNAL HALT'
	assert_failure 2
	run "$TORSH" "${TORSH_CONNECT[@]}" -c 'GETINFO "version SIGNAL"'
	assert_failure 2
	untouched
}

@test "MAPADDRESS with an embedded space: refused" {
	run "$TORSH" "${TORSH_CONNECT[@]}" -c 'MAPADDRESS 1.2.3.4="a MaxCircuitDirtiness=777"'
	assert_failure 2
	untouched
}

@test "ADD_ONION Port with a space cannot add Flags: refused, no service made" {
	run "$TORSH" "${TORSH_CONNECT[@]}" -c 'ADD_ONION NEW:ED25519-V3 Port="80 Flags=Detach"'
	assert_failure 2
	run "$TORSH" "${TORSH_CONNECT[@]}" --raw -c 'GETINFO onions/detached'
	refute_output --regexp 'onions/detached=[a-z2-7]{56}'
	untouched
}

@test "AUTHENTICATE with quotes and escapes is sent as hex, never as a second command" {
	run "$TORSH" "${TORSH_CONNECT[@]}" --raw -c 'AUTHENTICATE "x\" SETCONF MaxCircuitDirtiness=777 \""'
	untouched
}

@test "/raw refuses CR and LF too" {
	run "$TORSH" "${TORSH_CONNECT[@]}" -c $'/raw GETINFO version\nSETCONF MaxCircuitDirtiness=777'
	assert_failure 2
	run "$TORSH" "${TORSH_CONNECT[@]}" -c $'/raw GETINFO version\rX'
	assert_failure 2
	untouched
}

@test "/raw: a '+' line without its body and a lone '.' are refused (tor would read on as a body)" {
	run "$TORSH" "${TORSH_CONNECT[@]}" -c '/raw +LOADCONF'
	assert_failure 2
	assert_output --partial "a '+' line without its body"
	run "$TORSH" "${TORSH_CONNECT[@]}" -c '/raw .'
	assert_failure 2
	assert_output --partial "a lone '.'"
	untouched
}

@test "SETCIRCUITPURPOSE without arguments (crashes tor 0.4.9.11) or without a purpose (552) is never sent" {
	run "$TORSH" "${TORSH_CONNECT[@]}" -c 'SETCIRCUITPURPOSE'
	assert_failure 2
	run "$TORSH" "${TORSH_CONNECT[@]}" -c 'SETCIRCUITPURPOSE 1'
	assert_failure 2
	untouched
}
