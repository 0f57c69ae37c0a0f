#!/usr/bin/env bats
# Scripting: -c, piped stdin, exit codes, --linger, multi-line bodies, all
# against a real offline tor.

load helpers
shared_tor

@test "-c runs one command and prints tor's reply" {
	run "$TORSH" "${TORSH_CONNECT[@]}" -c 'GETINFO version'
	assert_success
	assert_line --index 0 --regexp '^250-version=0\.4\.'
	assert_line --index 1 '250 OK'
}

@test "-c is repeatable and runs in order" {
	run "$TORSH" "${TORSH_CONNECT[@]}" -c 'SETCONF ContactInfo=first' -c 'GETCONF ContactInfo' -c 'SETCONF ContactInfo=second' -c 'GETCONF ContactInfo'
	assert_success
	assert_equal "${lines[1]}" '250 ContactInfo=first'
	assert_equal "${lines[3]}" '250 ContactInfo=second'
}

@test "piped stdin: each line sent in order, no banner, no prompt" {
	run bash -c "printf 'GETINFO process/pid\nGETCONF DisableNetwork\n' | '$TORSH' ${TORSH_CONNECT[*]}"
	assert_success
	assert_equal "${#lines[@]}" 3
	assert_line --index 0 "250-process/pid=$TOR_PID"
	assert_line --index 2 '250 DisableNetwork=1'
}

@test "blank lines and # comments in a script are skipped" {
	run bash -c "printf '# a comment\n\nGETCONF DisableNetwork\n' | '$TORSH' ${TORSH_CONNECT[*]}"
	assert_success
	assert_output '250 DisableNetwork=1'
}

@test "CRLF line endings in a script are accepted" {
	run bash -c "printf 'GETCONF DisableNetwork\r\n' | '$TORSH' ${TORSH_CONNECT[*]}"
	assert_success
	assert_output '250 DisableNetwork=1'
}

@test "exit 1 at the first error reply; later commands are not sent" {
	run bash -c "printf 'SETCONF ContactInfo=before\nGETINFO no-such-key\nSETCONF ContactInfo=after\n' | '$TORSH' ${TORSH_CONNECT[*]}"
	assert_failure 1
	assert_line '552 Unrecognized key "no-such-key"'
	run "$TORSH" "${TORSH_CONNECT[@]}" -c 'GETCONF ContactInfo'
	assert_output '250 ContactInfo=before'
}

@test "-k keeps going after an error reply and still exits 1" {
	run bash -c "printf 'SETCONF ContactInfo=k1\nGETINFO no-such-key\nSETCONF ContactInfo=k2\nGETCONF ContactInfo\n' | '$TORSH' -k ${TORSH_CONNECT[*]}"
	assert_failure 1
	assert_line '552 Unrecognized key "no-such-key"'
	assert_line '250 ContactInfo=k2'
}

@test "a line with a CR is refused, nothing is sent, exit 2" {
	run bash -c "printf 'SETCONF ContactInfo=cr1\nSETCONF ContactInfo=x\rMaxCircuitDirtiness=777\n' | '$TORSH' ${TORSH_CONNECT[*]}"
	assert_failure 2
	assert_output --partial 'line 2: carriage return (CR) inside the command'
	assert_output --partial 'nothing was sent'
	run "$TORSH" "${TORSH_CONNECT[@]}" -c 'GETCONF ContactInfo MaxCircuitDirtiness'
	assert_line '250-ContactInfo=cr1'
	assert_line '250 MaxCircuitDirtiness=600'
}

@test "a line with a NUL is refused, nothing is sent, exit 2" {
	run bash -c "printf 'SETCONF ContactInfo=ab\0cd MaxCircuitDirtiness=801\n' | '$TORSH' ${TORSH_CONNECT[*]}"
	assert_failure 2
	assert_output --partial 'NUL byte inside the command'
	run "$TORSH" "${TORSH_CONNECT[@]}" -c 'GETCONF MaxCircuitDirtiness'
	assert_output '250 MaxCircuitDirtiness=600'
}

@test "an LF inside a -c command is refused (no smuggled second command)" {
	run "$TORSH" "${TORSH_CONNECT[@]}" -c "$(printf 'SETCONF ContactInfo=lf\nSETCONF MaxCircuitDirtiness=778')"
	assert_failure 2
	assert_output --partial 'line feed (LF) inside the command'
	run "$TORSH" "${TORSH_CONNECT[@]}" -c 'GETCONF MaxCircuitDirtiness'
	assert_output '250 MaxCircuitDirtiness=600'
}

@test "events subscribed in a script are printed; --linger keeps them coming" {
	run bash -c "printf 'SETEVENTS SIGNAL\nSIGNAL HEARTBEAT\n' | '$TORSH' --linger 1 ${TORSH_CONNECT[*]}"
	assert_success
	assert_line '650 SIGNAL HEARTBEAT'
}

@test "--linger prints events caused by another controller" {
	"$TORSH" "${TORSH_CONNECT[@]}" -c 'SETEVENTS CONF_CHANGED' --linger 3 >"$BATS_TEST_TMPDIR/out" &
	local pid=$!
	sleep 1
	"$TORSH" "${TORSH_CONNECT[@]}" -c 'SETCONF ContactInfo=lingered'
	wait "$pid"
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line '650-CONF_CHANGED'
	assert_line '650-ContactInfo=lingered'
}

@test "a multi-line +LOADCONF body is sent up to the '.' line" {
	cat >"$BATS_TEST_TMPDIR/in" <<-EOT
	+LOADCONF
	DataDirectory $TOR_DIR/data
	DisableNetwork 1
	DirAuthority dummy 127.0.0.1:1 ffffffffffffffffffffffffffffffffffffffff
	UseDefaultFallbackDirs 0
	SocksPort 0
	ControlPort unix:${TORSH_CONNECT[1]}
	ControlPortWriteToFile $TOR_DIR/port
	Log notice file $TOR_DIR/tor.log
	ContactInfo loaded-from-body
	.
	GETCONF ContactInfo
	EOT
	run bash -c "'$TORSH' ${TORSH_CONNECT[*]} <'$BATS_TEST_TMPDIR/in'"
	assert_success
	assert_line --index 0 '250 OK'
	assert_line --index 1 '250 ContactInfo=loaded-from-body'
}

@test "a body without its terminating '.' is refused and nothing is sent" {
	run bash -c "printf '+LOADCONF\nContactInfo=never\n' | '$TORSH' ${TORSH_CONNECT[*]}"
	assert_failure 2
	assert_output --partial "no terminating '.' line"
}

@test "QUIT in a script ends it cleanly with exit 0" {
	run bash -c "printf 'GETCONF DisableNetwork\nQUIT\nGETINFO version\n' | '$TORSH' ${TORSH_CONNECT[*]}"
	assert_success
	assert_line --index 0 '250 DisableNetwork=1'
	assert_line --index 1 '250 closing connection'
	assert_equal "${#lines[@]}" 2
}

@test "data blocks are printed as sent (dot-stuffed) in raw mode" {
	run "$TORSH" "${TORSH_CONNECT[@]}" -c 'GETINFO config-text'
	assert_success
	assert_line --index 0 '250+config-text='
	assert_line 'DisableNetwork 1'
	assert_line '.'
	assert_line '250 OK'
}

@test "a large reply (config/names, info/names) arrives whole" {
	run "$TORSH" "${TORSH_CONNECT[@]}" -c 'GETINFO config/names info/names'
	assert_success
	assert_line 'DisableNetwork Boolean'
	assert_line --partial 'version -- The current version of Tor.'
	[ "${#lines[@]}" -gt 400 ]
}

@test "empty stdin sends nothing and exits 0" {
	run bash -c "'$TORSH' ${TORSH_CONNECT[*]} </dev/null"
	assert_success
	assert_output ''
}

@test "/wait holds the next command until the event, also one that came before the reply" {
	run "$TORSH" "${TORSH_CONNECT[@]}" --raw -c 'SETEVENTS SIGNAL CONF_CHANGED' -c "SETCONF ContactInfo=wait-$BATS_TEST_NUMBER" \
		-c "/wait CONF_CHANGED ContactInfo=wait-$BATS_TEST_NUMBER --timeout 5" -c 'SIGNAL HEARTBEAT' \
		-c '/wait SIGNAL Signal=heartbeat' -c 'GETINFO process/pid'
	assert_success
	assert_equal "${lines[-2]}" "250-process/pid=$TOR_PID"
	# the GETINFO came after the awaited SIGNAL event
	local sig pid
	sig="$(grep -n '^650 SIGNAL HEARTBEAT$' <<<"$output" | cut -d: -f1)"
	pid="$(grep -n '^250-process/pid=' <<<"$output" | cut -d: -f1)"
	[ "$sig" -lt "$pid" ]
}

@test "/wait that times out: error, exit 1, nothing after it is sent" {
	run "$TORSH" "${TORSH_CONNECT[@]}" --raw -c 'SETEVENTS SIGNAL' -c '/wait SIGNAL Signal=NEWNYM --timeout 0.5' -c 'SETCONF ContactInfo=after-wait'
	assert_failure 1
	assert_output --partial '/wait: no SIGNAL event with those fields within 0.5 s'
	run "$TORSH" "${TORSH_CONNECT[@]}" --raw -c 'GETCONF ContactInfo'
	refute_output --partial 'after-wait'
}

@test "an ambiguous command prefix names the candidates; a unique one is only suggested; nothing is sent" {
	run bash -c "printf 'GET version\nGETINFO version\n' | '$TORSH' ${TORSH_CONNECT[*]}"
	assert_failure 2
	assert_line --index 0 'torsh: line 1: column 1: ambiguous command GET: could be GETCONF, GETINFO (/raw sends it anyway)'
	assert_line --index 1 'torsh: line 1: stopped, 1 command not sent (-k continues past errors)'
	run "$TORSH" -s /nonexistent -c 'GETI version'
	assert_failure 2
	assert_output 'torsh: column 1: unknown command GETI; did you mean GETINFO? (/raw sends it anyway)'
	run "$TORSH" -c '/help DROP'
	assert_failure 2
	assert_output 'torsh: /help: ambiguous command DROP: could be DROPGUARDS, DROPOWNERSHIP, DROPTIMEOUTS'
}

@test "/wait usage errors are caught before connecting" {
	run "$TORSH" -s /nonexistent -c '/wait NOSUCH'
	assert_failure 2
	assert_output --partial "unknown event type 'NOSUCH'"
	run "$TORSH" -s /nonexistent -c '/wait SIGNAL --timeout x'
	assert_failure 2
	assert_output --partial '--timeout'
}
