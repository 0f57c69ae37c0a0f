#!/usr/bin/env bats
# What a real tor cannot be made to do, from the scripted fake control port
# (tests/fake/fakeport.c): a spoofed SAFECOOKIE server hash, COOKIE without
# SAFECOOKIE (refused unless --allow-plain-cookie), malformed and truncated replies, NUL bytes, huge data blocks,
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

# COOKIEFILE names a real 32-byte cookie: what an impostor does to steal
# another tor's cookie. Prints the script's path.
plain_cookie_script() {
	head -c 32 /dev/urandom >"$BATS_TEST_TMPDIR/cookie"
	fake_script <<EOT
expect PROTOCOLINFO
line 250-PROTOCOLINFO 1
line 250-AUTH METHODS=$1 COOKIEFILE="$BATS_TEST_TMPDIR/cookie"
line 250-VERSION Tor="0.4.9.11"
line 250 OK
$2
drain
EOT
}

# The cookie's hex must appear nowhere in what the fake port received.
refute_cookie_sent() {
	local hex
	hex="$(hex_of "$BATS_TEST_TMPDIR/cookie")"
	wait "$FAKE_PID" || true
	run cat "$FAKE_LOG"
	refute_output --partial "$hex"
	refute_output --partial "$(tr A-F a-f <<<"$hex")"
}

@test "COOKIE without SAFECOOKIE is refused: exit 4, the cookie is never sent" {
	start_fake "$(plain_cookie_script COOKIE)"
	run "$TORSH" -s "$FAKE_SOCK" -c 'GETINFO version'
	assert_failure 4
	assert_output --partial 'this port offers only plain COOKIE, which would hand the cookie to whoever listens here'
	assert_output --partial 'tor has offered SAFECOOKIE since 0.2.3.13 (--allow-plain-cookie sends it anyway)'
	refute_cookie_sent
	assert_line --index 0 'PROTOCOLINFO 1\r'
	refute_output --partial AUTHENTICATE
	refute_output --partial GETINFO
}

@test "COOKIE without SAFECOOKIE, but HASHEDPASSWORD too: the password is used, never the cookie" {
	start_fake "$(plain_cookie_script COOKIE,HASHEDPASSWORD 'expect AUTHENTICATE 7077
line 250 OK')"
	TOR_CONTROL_PASSWD=pw run "$TORSH" -v -s "$FAKE_SOCK" </dev/null
	assert_success
	assert_line --partial 'authenticated with HASHEDPASSWORD'
	refute_cookie_sent
	assert_line 'AUTHENTICATE 7077\r'
}

@test "COOKIE without SAFECOOKIE, but NULL too: NULL is used, never the cookie" {
	start_fake "$(plain_cookie_script NULL,COOKIE 'expect AUTHENTICATE
line 250 OK')"
	run "$TORSH" -v -s "$FAKE_SOCK" </dev/null
	assert_success
	assert_line --partial 'authenticated with NULL'
	refute_cookie_sent
	assert_line 'AUTHENTICATE\r'
}

@test "--allow-plain-cookie: COOKIE without SAFECOOKIE sends the cookie as 64 hex digits" {
	start_fake "$(plain_cookie_script COOKIE 'expect AUTHENTICATE
line 250 OK
expect GETINFO version
line 250-version=0.4.9.11
line 250 OK')"
	run "$TORSH" -v --allow-plain-cookie -s "$FAKE_SOCK" -c 'GETINFO version'
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

# logged LINE: the fake port has logged LINE.
logged() {
	grep -qxF -- "$1" "$FAKE_LOG" 2>/dev/null
}

# wait_log LINE: up to 5 s for the fake port to log LINE.
wait_log() {
	wait_for 5 logged "$1" && return 0
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

@test "a failed AUTHENTICATE is reported as a wrong password, tor's reason with -v, exit 4" {
	start_fake "$(fake_script <<'EOT'
expect PROTOCOLINFO
line 250-AUTH METHODS=HASHEDPASSWORD
line 250 OK
expect AUTHENTICATE
line 515 Authentication failed: Password did not match HashedControlPassword value from configuration
close
EOT
)"
	TOR_CONTROL_PASSWD=nope run "$TORSH" -v -s "$FAKE_SOCK" -c 'GETINFO version'
	assert_failure 4
	assert_output --partial 'authentication failed: wrong password'
	assert_output --partial 'tor said: 515 Authentication failed'
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

# --- an impostor's text in torsh's own messages is escaped -----------------

# refute_ctl_bytes FILE: no byte that starts a terminal control sequence
# or rings (ESC, BEL, CSI 0x9b alone or inside U+009B).
refute_ctl_bytes() {
	if LC_ALL=C grep -q $'[\x1b\x07\x9b]' "$1"; then
		echo "raw control bytes in $1:" >&2
		od -c "$1" | head -n 20 >&2
		return 1
	fi
}

# run_split ARGS...: torsh on the fake port, stdout and stderr kept apart
# (and byte-exact) in $OUT and $ERR; $status as with run.
run_split() {
	OUT="$BATS_TEST_TMPDIR/out" ERR="$BATS_TEST_TMPDIR/err"
	status=0
	"$TORSH" -s "$FAKE_SOCK" "$@" </dev/null >"$OUT" 2>"$ERR" || status=$?
	refute_ctl_bytes "$OUT"
	refute_ctl_bytes "$ERR"
	output="$(cat "$ERR")"
}

@test "-v: a VERSION Tor= full of control sequences is printed escaped" {
	start_fake "$(fake_script <<'EOT'
expect PROTOCOLINFO
line 250-PROTOCOLINFO 1
line 250-AUTH METHODS=NULL,EVIL\x1b]2;T\x07
line 250-VERSION Tor="0.4.9.11\\033]0;PWNED\\007\\033[2J\\033[31m\\302\\233\\233"
line 250 OK
expect AUTHENTICATE
line 250 OK
expect QUIT
line 250 closing connection
close
EOT
)"
	run_split -v
	[ "$status" -eq 0 ]
	assert_output --partial 'connected to '"$FAKE_SOCK"' (tor 0.4.9.11\e]0;PWNED'
	assert_output --partial 'authenticated with NULL'
}

@test "unknown METHODS= names full of control sequences are named escaped, exit 4" {
	start_fake "$(fake_script <<'EOT'
expect PROTOCOLINFO
line 250-AUTH METHODS=EVIL\x1b]0;PWNED\x07\x1b[2J\x9b,\xc2\x9bX
line 250 OK
drain
EOT
)"
	run_split -c 'GETINFO version'
	[ "$status" -eq 4 ]
	assert_output --partial 'no authentication method torsh knows (EVIL\e]0;PWNED'
}

@test "a PROTOCOLINFO error text full of control sequences is shown escaped, exit 4" {
	start_fake "$(fake_script <<'EOT'
expect PROTOCOLINFO
line 515 \x1b]0;PWNED\x07\x1b[2J\x1b[31m\x9b
drain
EOT
)"
	run_split -c 'GETINFO version'
	[ "$status" -eq 4 ]
	assert_output --partial 'PROTOCOLINFO refused: 515 \e]0;PWNED'
}

@test "a COOKIEFILE path full of control sequences is shown escaped when it cannot be read, exit 4" {
	start_fake "$(fake_script <<'EOT'
expect PROTOCOLINFO
line 250-AUTH METHODS=SAFECOOKIE COOKIEFILE="/nonexistent/\\033]0;PWNED\\007\\033[2J\\233"
line 250 OK
drain
EOT
)"
	run_split -c 'GETINFO version'
	[ "$status" -eq 4 ]
	assert_output --partial 'cannot read the auth cookie /nonexistent/\e]0;PWNED'
}

@test "a SAFECOOKIE mismatch names a hostile COOKIEFILE path escaped, exit 4" {
	head -c 32 /dev/urandom >"$BATS_TEST_TMPDIR/c"$'\e]0;PWNED\a'
	start_fake "$(fake_script <<EOT
expect PROTOCOLINFO
line 250-AUTH METHODS=SAFECOOKIE COOKIEFILE="$BATS_TEST_TMPDIR/c\\\\033]0;PWNED\\\\007"
line 250 OK
expect AUTHCHALLENGE SAFECOOKIE
line 250 AUTHCHALLENGE SERVERHASH=$(printf '0%.0s' $(seq 64)) SERVERNONCE=$(printf 'A%.0s' $(seq 64))
drain
EOT
)"
	run_split -c 'GETINFO version'
	[ "$status" -eq 4 ]
	assert_output --partial "is not the tor that wrote the cookie $BATS_TEST_TMPDIR/c\\e]0;PWNED"
}

@test "on a terminal: a hostile VERSION reaches the banner and prompt escaped; the pane title and screen stay" {
	start_fake "$(fake_script <<'EOT'
expect PROTOCOLINFO
line 250-PROTOCOLINFO 1
line 250-AUTH METHODS=NULL
line 250-VERSION Tor="0.4.9.11\\033]0;PWNED\\007\\033[2J\\033[31m\\302\\233\\233"
line 250 OK
expect AUTHENTICATE
line 250 OK
drain
EOT
)"
	local t="$FAKE_DIR/tmux" bytes="$FAKE_DIR/bytes"
	# torsh starts only once every byte it writes to the pane is recorded
	tmux -S "$t" new-session -d -s t -x 160 -y 20 \
		"while [ ! -e '$FAKE_DIR/go' ]; do sleep 0.05; done; XDG_STATE_HOME='$FAKE_DIR/state' '$TORSH' -s '$FAKE_SOCK'; sleep 30"
	tmux -S "$t" pipe-pane -t t -o "cat >'$bytes'"
	touch "$FAKE_DIR/go"
	# the prompt names the socket by its last two components
	local short="${FAKE_SOCK#/tmp/}"
	TMUX_SOCK="$t" wait_for 5 screen_has "$short>" || true
	run tmux -S "$t" capture-pane -p -t t
	local title
	title="$(tmux -S "$t" display-message -p -t t '#{pane_title}')"
	tmux -S "$t" kill-server
	assert_line --index 0 --partial 'connected to tor 0.4.9.11\e]0;PWNED\x07\e[2J\e[31m'
	assert_line --regexp "^tor 0\.4\.9\.11.* ${short//./\\.}> ?$"
	[ "$title" != PWNED ]
	# the line editor writes control sequences of its own; none of the
	# server's may reach the terminal
	run bash -c "LC_ALL=C grep -c \$'\\e]0;PWNED\\|\\a\\|\\e\\\\[2J\\|\\e\\\\[31m\\|\\x9b' '$bytes'"
	assert_output 0
}

# A block of 3,000 lines (about 330 KB), then a pause before its end.
stalled_block() {
	start_fake "$(fake_script <<EOT
auth-null
expect GETINFO ns/all
line $1+ns/all=
repeat 3000 r relay\x1b[31mRED AAAA 2026-12-03 10.0.0.1 9001 0\r\n
sleep 2500
line .
line $2
drain
EOT
)"
}

@test "a big data block is shown as it comes, not held until its end" {
	stalled_block 250 '250 OK'
	"$TORSH" -s "$FAKE_SOCK" --raw -c 'GETINFO ns/all' >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" &
	local pid=$!
	# while tor has not ended the block, most of it is out already: all
	# but its last piece, under 64 KiB, whatever sizes the reads had (of
	# 3,000 lines of 48 bytes, at least 1,634; a CI run on a loaded
	# machine had fewer than the 2,500 asked before)
	wait_for 2 bash -c "[ \$(grep -c '^r relay' '$BATS_TEST_TMPDIR/out') -ge 1600 ]"
	run grep -c '^250 OK' "$BATS_TEST_TMPDIR/out"
	assert_output 0
	wait "$pid"
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line --index 0 '250+ns/all='
	assert_line --index 3001 '.'
	assert_line --index 3002 '250 OK'
	[ "${#lines[@]}" -eq 3003 ]
	[ "$(grep -c $'^r relay\033\\[31mRED AAAA' "$BATS_TEST_TMPDIR/out")" -eq 3000 ]
}

@test "a big block in pieces: pretty escapes each piece, JSON still comes whole and right" {
	stalled_block 250 '250 OK'
	"$TORSH" -s "$FAKE_SOCK" --pretty --color -c 'GETINFO ns/all' >"$BATS_TEST_TMPDIR/out" &
	local pid=$!
	wait_for 2 bash -c "[ \$(grep -c '^r relay' '$BATS_TEST_TMPDIR/out') -ge 2500 ]"
	wait "$pid"
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line --index 0 $'\033[1mns/all\033[0m:'
	[ "$(grep -cF 'r relay\e[31mRED AAAA' "$BATS_TEST_TMPDIR/out")" -eq 3000 ]
	[ "${#lines[@]}" -eq 3001 ]
	refute_output --partial $'\033[31m'
	stop_fake
	stalled_block 250 '250 OK'
	run bash -c "'$TORSH' -s '$FAKE_SOCK' --json -c 'GETINFO ns/all' | jq -r '[.ok, .code, (.values[\"ns/all\"] | split(\"\n\") | length), (.raw | split(\"\n\") | length), (.raw | split(\"\n\")[-2:] | join(\"|\"))] | @tsv'"
	assert_success
	assert_output $'true\t250\t3001\t3003\t.|250 OK'
}

@test "a big error block in pieces: error style and status; one that never ends: exit 5" {
	stalled_block 552 '552 No such thing'
	run "$TORSH" -s "$FAKE_SOCK" --pretty --no-color -c 'GETINFO ns/all'
	assert_failure 1
	assert_line --index 0 'error 552 (InvalidArguments): ns/all='
	assert_line --index 1 '  r relay\e[31mRED AAAA 2026-12-03 10.0.0.1 9001 0'
	assert_line --index 3001 'error 552 (InvalidArguments): No such thing'
	stop_fake
	start_fake "$(fake_script <<'EOT'
auth-null
expect GETINFO ns/all
line 250+ns/all=
repeat 3000 r relay AAAA 2026-12-03 10.0.0.1 9001 0\r\n
close
EOT
)"
	run "$TORSH" -s "$FAKE_SOCK" --raw -c 'GETINFO ns/all'
	assert_failure 5
	assert_output --partial 'tor closed the connection in the middle of a reply'
}

# A script's events go out a buffer at a time while more are already here
# (render.h, hold): the last one that came is written before anything
# else, so a command's own output after a /wait comes after the events.
@test "events that came together are written before a later command's own output, in every mode" {
	local mode
	for mode in --raw --json "--pretty --no-color" "--pretty --color"; do
		start_fake "$(fake_script <<'EOT'
auth-null
expect SETEVENTS
line 250 OK
send 650 BW 1 1\r\n650 BW 2 2\r\n650 CIRC 7 BUILT $AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA~relay PURPOSE=GENERAL\r\n
expect QUIT
line 250 closing connection
close
EOT
)"
		# shellcheck disable=SC2086
		run "$TORSH" -s "$FAKE_SOCK" $mode -c 'SETEVENTS BW CIRC' -c '/wait CIRC' -c '/help QUIT' -c 'QUIT'
		assert_success
		# the three events, then /help's text
		run grep -n -e 'BW' -e 'relay' -e 'close the connection' <<<"$output"
		assert_equal "${#lines[@]}" 4
		assert_line --index 3 --partial 'close the connection (tor answers first)'
		stop_fake
	done
}

# tor sends an HS_DESC_CONTENT for a descriptor it then rejects (HS_DESC
# FAILED REASON=BAD_DESC) as well as for a good one: /onion check decodes the
# content of an HSDir tor received from, whichever came first. Seen on the
# private network once (an HSDir's copy rejected); a real tor cannot be made
# to serve a bad descriptor on purpose.
@test "/onion check decodes the descriptor tor received, not an earlier one it rejected as BAD_DESC" {
	local addr=bssl4tlb6lhguiypvieiqfeaczrcxzr66flkv56l4iwmaqr7ayfrlyad
	local bad='$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA~auth3' good='$BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB~auth1'
	local id=DMbxljFFO+YJjDGNSfv5fAzpP2XpuCT2Wmzw8ZGSUeb
	{
		echo auth-null
		echo 'expect SETEVENTS HS_DESC HS_DESC_CONTENT'
		echo 'line 250 OK'
		echo "expect ONION_CLIENT_AUTH_VIEW $addr"
		echo 'line 250 OK'
		echo "expect HSFETCH $addr"
		echo 'line 250 OK'
		echo "line 650 HS_DESC REQUESTED $addr NO_AUTH $bad $id"
		echo "line 650 HS_DESC REQUESTED $addr NO_AUTH $good $id"
		echo "line 650+HS_DESC_CONTENT $addr $id $bad"
		echo 'line hs-descriptor 3'
		echo 'line this copy is damaged'
		echo 'line .'
		echo 'line 650 OK'
		# the good one comes before tor's verdict on the bad one
		echo "line 650+HS_DESC_CONTENT $addr $id ${good%~*}"
		sed 's/^\./../; s/^/line /' "$ROOT/tests/unit/vectors/desc-clientauth.txt"
		echo 'line .'
		echo 'line 650 OK'
		echo "line 650 HS_DESC FAILED $addr NO_AUTH $bad $id REASON=BAD_DESC"
		echo "line 650 HS_DESC RECEIVED $addr NO_AUTH $good $id"
		echo 'expect SETEVENTS'
		echo 'line 250 OK'
		echo 'expect QUIT'
		echo 'line 250 closing connection'
		echo close
	} >"$BATS_TEST_TMPDIR/check.script"
	start_fake "$BATS_TEST_TMPDIR/check.script"
	# the key on stdin, as torsh asks of a secret
	run "$TORSH" -s "$FAKE_SOCK" <<<"/onion check $addr --timeout 10 --key x25519:mEmmaDhY0EwqbCjEEzM+XzFWdh1VTPYS9Q980+wow2U="
	assert_success
	assert_line --regexp '^ +HSDir auth3 +failed BAD_DESC'
	assert_line --regexp '^ +HSDir auth1 +received'
	assert_line --regexp '^ +descriptor +ok '
	refute_output --partial 'unreadable'
	refute_output --partial 'warning'
}
