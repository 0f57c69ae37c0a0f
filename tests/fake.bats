#!/usr/bin/env bats
# What a real tor cannot be made to do, from the scripted fake control port
# (tests/fake/fakeport.c): a spoofed SAFECOOKIE server hash, COOKIE without
# SAFECOOKIE, malformed and truncated replies, NUL bytes, huge data blocks,
# events between a command and its reply, silence.

setup() {
	load helpers
}

teardown() {
	stop_fake
}

hex_of() {
	od -An -tx1 "$1" | tr -d ' \n' | tr a-f A-F
}

@test "a wrong SAFECOOKIE server hash: exit 4, clear message, AUTHENTICATE never sent" {
	head -c 32 /dev/urandom >"$BATS_TEST_TMPDIR/cookie"
	start_fake "$(fake_script <<EOT
expect PROTOCOLINFO
line 250-PROTOCOLINFO 1
line 250-AUTH METHODS=COOKIE,SAFECOOKIE COOKIEFILE="$BATS_TEST_TMPDIR/cookie"
line 250-VERSION Tor="0.4.9.11"
line 250 OK
expect AUTHCHALLENGE SAFECOOKIE
line 250 AUTHCHALLENGE SERVERHASH=$(printf '0%.0s' $(seq 64)) SERVERNONCE=$(printf 'A%.0s' $(seq 64))
drain
EOT
)"
	run "$TORSH" -s "$FAKE_SOCK" -c 'GETINFO version'
	assert_failure 4
	assert_output --partial "the endpoint $FAKE_SOCK is not the tor that wrote the cookie $BATS_TEST_TMPDIR/cookie"
	wait "$FAKE_PID" || true
	run cat "$FAKE_LOG"
	assert_line --regexp '^AUTHCHALLENGE SAFECOOKIE [0-9A-F]{64}\\r$'
	refute_output --partial AUTHENTICATE
	refute_output --partial GETINFO
}

@test "a truncated SERVERNONCE is refused before AUTHENTICATE" {
	head -c 32 /dev/urandom >"$BATS_TEST_TMPDIR/cookie"
	start_fake "$(fake_script <<EOT
expect PROTOCOLINFO
line 250-AUTH METHODS=SAFECOOKIE COOKIEFILE="$BATS_TEST_TMPDIR/cookie"
line 250 OK
expect AUTHCHALLENGE
line 250 AUTHCHALLENGE SERVERHASH=$(printf '0%.0s' $(seq 64)) SERVERNONCE=ABCD
drain
EOT
)"
	run "$TORSH" -s "$FAKE_SOCK" -c 'GETINFO version'
	assert_failure 4
	assert_output --partial 'malformed AUTHCHALLENGE reply'
	wait "$FAKE_PID" || true
	run cat "$FAKE_LOG"
	refute_output --partial AUTHENTICATE
}

@test "COOKIE without SAFECOOKIE: the cookie is sent as 64 hex digits" {
	head -c 32 /dev/urandom >"$BATS_TEST_TMPDIR/cookie"
	start_fake "$(fake_script <<EOT
expect PROTOCOLINFO
line 250-PROTOCOLINFO 1
line 250-AUTH METHODS=COOKIE COOKIEFILE="$BATS_TEST_TMPDIR/cookie"
line 250-VERSION Tor="0.4.9.11"
line 250 OK
expect AUTHENTICATE
line 250 OK
expect GETINFO version
line 250-version=0.4.9.11
line 250 OK
drain
EOT
)"
	run "$TORSH" -v -s "$FAKE_SOCK" -c 'GETINFO version'
	assert_success
	assert_line --partial 'authenticated with COOKIE'
	assert_line '250-version=0.4.9.11'
	wait "$FAKE_PID" || true
	run cat "$FAKE_LOG"
	assert_line "AUTHENTICATE $(hex_of "$BATS_TEST_TMPDIR/cookie")\\r"
}

@test "a malformed status line is a protocol error, exit 5" {
	start_fake "$(fake_script <<'EOT'
auth-null
expect GETINFO
line 25x OK
drain
EOT
)"
	run "$TORSH" -s "$FAKE_SOCK" -c 'GETINFO version'
	assert_failure 5
	assert_output --partial "protocol error at line 6 from tor: expected a 3-digit code and '-', '+' or ' ': '25x OK'"
}

@test "garbage instead of the control protocol (an HTTP server) is a protocol error, exit 5" {
	start_fake "$(fake_script <<'EOT'
expect PROTOCOLINFO
line HTTP/1.0 501 Tor ControlPort is not an HTTP proxy
close
EOT
)"
	run "$TORSH" -s "$FAKE_SOCK" -c 'GETINFO version'
	assert_failure 5
	assert_output --partial 'protocol error'
	assert_output --partial 'HTTP/1.0 501'
}

@test "NUL bytes in a reply are a protocol error, exit 5, no crash" {
	start_fake "$(fake_script <<'EOT'
auth-null
expect GETINFO
send 250-version=0.4\0.9\r\n250 OK\r\n
drain
EOT
)"
	run "$TORSH" -s "$FAKE_SOCK" -c 'GETINFO version'
	assert_failure 5
	assert_output --partial 'NUL byte in line'
}

@test "a 20 MB data block arrives whole" {
	start_fake "$(fake_script <<'EOT'
auth-null
expect GETINFO ns/all
line 250+ns/all=
datablock 20000000
line 250 OK
drain
EOT
)"
	run bash -c "'$TORSH' -s '$FAKE_SOCK' -c 'GETINFO ns/all' >'$BATS_TEST_TMPDIR/out'"
	assert_success
	run head -n 1 "$BATS_TEST_TMPDIR/out"
	assert_output '250+ns/all='
	run tail -n 2 "$BATS_TEST_TMPDIR/out"
	assert_line --index 0 '.'
	assert_line --index 1 '250 OK'
	# content bytes between the first line and the final '.', unstuffed
	local body
	body=$(sed '1d;$d' "$BATS_TEST_TMPDIR/out" | sed '$d' | sed 's/^\.\././' | tr -d '\n' | wc -c)
	[ "$body" -eq 20000000 ]
}

@test "an event between a command and its reply is routed apart" {
	start_fake "$(fake_script <<'EOT'
auth-null
expect GETINFO version
line 650 BW 10 20
line 650-CONF_CHANGED
line 650-ContactInfo=x
line 650 OK
line 250-version=0.4.9.11
line 250 OK
drain
EOT
)"
	run "$TORSH" -s "$FAKE_SOCK" -c 'GETINFO version'
	assert_success
	assert_line --index 0 '650 BW 10 20'
	assert_line --index 1 '650-CONF_CHANGED'
	assert_line --index 3 '650 OK'
	assert_line --index 4 '250-version=0.4.9.11'
	assert_line --index 5 '250 OK'
}

@test "the connection dropping in the middle of a reply: exit 5, said plainly" {
	start_fake "$(fake_script <<'EOT'
auth-null
expect GETINFO
line 250-version=0.4.9.11
close
EOT
)"
	run "$TORSH" -s "$FAKE_SOCK" -c 'GETINFO version'
	assert_failure 5
	assert_output --partial 'tor closed the connection in the middle of a reply'
}

@test "the connection dropping between replies: exit 5" {
	start_fake "$(fake_script <<'EOT'
auth-null
expect GETINFO
close
EOT
)"
	run "$TORSH" -s "$FAKE_SOCK" -c 'GETINFO version' -c 'GETINFO config-file' -c 'GETINFO version'
	assert_failure 5
	# what was lost, said plainly
	assert_output 'torsh: tor closed the connection; no reply to: GETINFO version; 2 commands not sent'
}

@test "silence after a command hits --timeout: exit 5" {
	start_fake "$(fake_script <<'EOT'
auth-null
expect GETINFO
sleep 5000
EOT
)"
	run "$TORSH" -s "$FAKE_SOCK" --timeout 1 -c 'GETINFO version'
	assert_failure 5
	assert_output --partial 'no reply to GETINFO version within 1 s (--timeout)'
}

# took T0 T1 LOW HIGH: T1 - T0 (from date +%s.%N) is within [LOW, HIGH) seconds.
took() {
	awk -v a="$1" -v b="$2" -v lo="$3" -v hi="$4" 'BEGIN { d = b - a; print "took " d " s" > "/dev/stderr"; exit !(d >= lo && d < hi) }'
}

# wait_log LINE: up to 5 s for the fake port to log LINE.
wait_log() {
	for _ in $(seq 1 100); do
		grep -qxF -- "$1" "$FAKE_LOG" 2>/dev/null && return 0
		sleep 0.05
	done
	echo "the fake port never logged: $1" >&2
	return 1
}

# The fake port answers PROTOCOLINFO and AUTHENTICATE, then on a command
# never answers but sends event bytes one at a time, 20 a second.
drip_events() {
	start_fake "$(fake_script <<'EOT'
auth-null
expect GETINFO
drip 50 650 BW 1 1\r\n
EOT
)"
}

@test "--timeout is the longest a reply may take: events dripping in a byte at a time do not stretch it" {
	drip_events
	local t0 t1
	t0="$(date +%s.%N)"
	run "$TORSH" -s "$FAKE_SOCK" --raw --timeout 2 -c 'GETINFO version'
	t1="$(date +%s.%N)"
	assert_failure 5
	assert_output --partial 'torsh: no reply to GETINFO version within 2 s (--timeout)'
	# the events were shown meanwhile
	assert_line '650 BW 1 1'
	# about 2 s, not the fake port's 20
	took "$t0" "$t1" 1.9 8
}

@test "--timeout during authentication: a PROTOCOLINFO reply that never ends, a byte at a time" {
	start_fake "$(fake_script <<'EOT'
expect PROTOCOLINFO
drip 50 250-AUTH METHODS=NULL\r\n
EOT
)"
	local t0 t1
	t0="$(date +%s.%N)"
	run "$TORSH" -s "$FAKE_SOCK" --timeout 2 -c 'GETINFO version'
	t1="$(date +%s.%N)"
	assert_failure 5
	assert_output --partial 'no reply to PROTOCOLINFO within 2 s (--timeout)'
	took "$t0" "$t1" 1.9 8
}

@test "SIGTERM while a reply is overdue and bytes keep coming: QUIT, at most a second's wait, then torsh ends by the signal" {
	drip_events
	"$TORSH" -s "$FAKE_SOCK" --raw --timeout 60 -c 'GETINFO version' >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" &
	local pid=$! rc=0 t0 t1
	wait_log 'GETINFO version\r'
	t0="$(date +%s.%N)"
	kill -TERM "$pid"
	wait "$pid" || rc=$?
	t1="$(date +%s.%N)"
	# 128 + SIGTERM: a shell sees how it ended
	[ "$rc" -eq 143 ]
	took "$t0" "$t1" 0 3
	run cat "$BATS_TEST_TMPDIR/err"
	assert_output 'torsh: stopped by a signal; no reply to: GETINFO version'
	wait "$FAKE_PID" || true
	run cat "$FAKE_LOG"
	assert_line 'QUIT\r'
}

@test "a second signal ends torsh at once: no QUIT, no waiting" {
	drip_events
	"$TORSH" -s "$FAKE_SOCK" --raw --timeout 60 -c 'GETINFO version' >"$BATS_TEST_TMPDIR/out" 2>&1 &
	local pid=$! rc=0
	wait_log 'GETINFO version\r'
	# both signals are pending when torsh runs on: it handles them before
	# anything else, so the second is the second without any timing
	kill -STOP "$pid"
	kill -HUP "$pid"
	kill -TERM "$pid"
	kill -CONT "$pid"
	wait "$pid" || rc=$?
	[ "$rc" -eq 129 ] || [ "$rc" -eq 143 ]
	wait "$FAKE_PID" || true
	run cat "$FAKE_LOG"
	refute_line 'QUIT\r'
	assert_line 'EOF'
}

@test "a reply no command was waiting for (sent with AUTHENTICATE's): protocol error, exit 5, nothing sent" {
	start_fake "$(fake_script <<'EOT'
expect PROTOCOLINFO
line 250-PROTOCOLINFO 1
line 250-AUTH METHODS=NULL
line 250 OK
expect AUTHENTICATE
send 250 OK\r\n250 OK\r\n
expect GETINFO version
line 250-version=0.4.9.11
line 250 OK
drain
EOT
)"
	run "$TORSH" -s "$FAKE_SOCK" --raw -c 'GETINFO version'
	assert_failure 5
	assert_output --partial 'protocol error: a reply (status 250) arrived when no command was waiting for one'
	refute_output --partial 'version='
	wait "$FAKE_PID" || true
	run cat "$FAKE_LOG"
	refute_output --partial 'GETINFO'
}

@test "a reply no command was waiting for (while idle): protocol error, exit 5, not taken for the next command's" {
	start_fake "$(fake_script <<'EOT'
auth-null
sleep 200
line 250 OK
expect GETINFO version
line 250-version=0.4.9.11
line 250 OK
drain
EOT
)"
	run bash -c "{ sleep 2; echo 'GETINFO version'; } | '$TORSH' -s '$FAKE_SOCK' --raw"
	assert_failure 5
	assert_output --partial 'protocol error: a reply (status 250) arrived when no command was waiting for one'
	assert_output --partial 'input from line 1 on not run'
	refute_output --partial 'version='
	wait "$FAKE_PID" || true
	run cat "$FAKE_LOG"
	refute_output --partial 'GETINFO'
}

@test "refused input sends nothing: the fake port sees no command after AUTHENTICATE but QUIT" {
	start_fake "$(fake_script <<'EOT'
auth-null
expect QUIT
line 250 closing connection
close
EOT
)"
	run bash -c "printf 'SETCONF ContactInfo=a\rb\n' | '$TORSH' -s '$FAKE_SOCK'"
	assert_failure 2
	wait "$FAKE_PID" || true
	run cat "$FAKE_LOG"
	assert_line --index 0 'PROTOCOLINFO 1\r'
	assert_line --index 1 'AUTHENTICATE\r'
	assert_line --index 2 'QUIT\r'
	refute_output --partial SETCONF
}

@test "a failed AUTHENTICATE is reported with tor's reason, exit 4" {
	start_fake "$(fake_script <<'EOT'
expect PROTOCOLINFO
line 250-AUTH METHODS=HASHEDPASSWORD
line 250 OK
expect AUTHENTICATE
line 515 Authentication failed: Password did not match HashedControlPassword value from configuration
close
EOT
)"
	TOR_CONTROL_PASSWD=nope run "$TORSH" -s "$FAKE_SOCK" -c 'GETINFO version'
	assert_failure 4
	assert_output --partial '515 Authentication failed'
	assert_output --partial 'tor closes the connection after a failed AUTHENTICATE'
}

@test "a password is sent hex-encoded, never as typed" {
	start_fake "$(fake_script <<'EOT'
expect PROTOCOLINFO
line 250-AUTH METHODS=HASHEDPASSWORD
line 250 OK
expect AUTHENTICATE
line 250 OK
drain
EOT
)"
	TOR_CONTROL_PASSWD='pa"ss' run "$TORSH" -s "$FAKE_SOCK" </dev/null
	assert_success
	wait "$FAKE_PID" || true
	run cat "$FAKE_LOG"
	assert_line 'AUTHENTICATE 7061227373\r'
}

@test "an unknown auth method is named when nothing usable is offered, exit 4" {
	start_fake "$(fake_script <<'EOT'
expect PROTOCOLINFO
line 250-AUTH METHODS=QUANTUMKEY
line 250 OK
drain
EOT
)"
	run "$TORSH" -s "$FAKE_SOCK" -c 'GETINFO version'
	assert_failure 4
	assert_output --partial 'no authentication method torsh knows (QUANTUMKEY)'
}
