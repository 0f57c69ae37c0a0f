#!/usr/bin/env bats
# Authentication against real tors: no auth, cookie (SAFECOOKIE chosen),
# HashedControlPassword; cookie diagnostics; tor restarting with a new
# cookie under an open shell. The fake-port file covers what tor cannot be
# made to do (COOKIE only, a spoofed SAFECOOKIE server hash).

setup() {
	load helpers
}

teardown() {
	stop_tmux
	stop_tor
}

@test "no auth configured: METHODS=NULL, AUTHENTICATE still sent, works" {
	start_tor none tcp
	run "$TORSH" -v "${TORSH_CONNECT[@]}" -c 'GETINFO process/pid'
	assert_success
	assert_line --partial 'authenticated with NULL'
}

@test "cookie auth: SAFECOOKIE is chosen over COOKIE and works" {
	start_tor cookie unix
	run "$TORSH" -v "${TORSH_CONNECT[@]}" -c 'GETINFO process/pid'
	assert_success
	assert_line --partial 'authenticated with SAFECOOKIE'
	assert_line "250-process/pid=$TOR_PID"
}

@test "cookie auth over TCP with the cookie named by --cookie" {
	start_tor cookie tcp
	cp "$TOR_DIR/cookie" "$TOR_DIR/copy"
	run "$TORSH" -v "${TORSH_CONNECT[@]}" --cookie "$TOR_DIR/copy" -c 'GETINFO process/pid'
	assert_success
	assert_line --partial 'authenticated with SAFECOOKIE'
}

@test "TOR_CONTROL_COOKIE_AUTH_FILE names the cookie" {
	start_tor cookie tcp
	cp "$TOR_DIR/cookie" "$TOR_DIR/copy"
	TOR_CONTROL_COOKIE_AUTH_FILE="$TOR_DIR/copy" run "$TORSH" -v "${TORSH_CONNECT[@]}" -c 'GETINFO version'
	assert_success
}

@test "a wrong cookie (right size) fails with exit 4 before AUTHENTICATE" {
	start_tor cookie tcp
	head -c 32 /dev/urandom >"$TOR_DIR/wrong"
	run "$TORSH" "${TORSH_CONNECT[@]}" --cookie "$TOR_DIR/wrong" -c 'GETINFO version'
	assert_failure 4
	assert_output --partial 'server hash does not match'
	assert_output --partial "is not the tor that wrote the cookie $TOR_DIR/wrong"
}

@test "a cookie that is not 32 bytes is diagnosed, exit 4" {
	start_tor cookie tcp
	head -c 31 /dev/urandom >"$TOR_DIR/short"
	run "$TORSH" "${TORSH_CONNECT[@]}" --cookie "$TOR_DIR/short" -c 'GETINFO version'
	assert_failure 4
	assert_output --partial "the auth cookie $TOR_DIR/short is 31 bytes; a tor cookie is exactly 32 bytes"
}

@test "an unreadable cookie names owner, group, mode and the usual fix" {
	[ "$(id -u)" = 0 ] || skip "needs root to run torsh as another user"
	command -v setpriv >/dev/null || skip "setpriv not installed"
	start_tor cookie tcp
	chmod 711 "$TOR_DIR"
	chmod 600 "$TOR_DIR/cookie"
	run setpriv --reuid=nobody --regid=nogroup --clear-groups "$TORSH" "${TORSH_CONNECT[@]}" -c 'GETINFO version'
	assert_failure 4
	assert_output --partial "cannot read the auth cookie $TOR_DIR/cookie: Permission denied"
	assert_output --partial 'owner root (uid 0), group root (gid 0), mode 0600'
	assert_output --partial 'you are nobody'
	assert_output --partial 'CookieAuthFileGroupReadable 1'
}

@test "password from --password-file" {
	start_tor password tcp
	printf '%s\n' "$TOR_PASSWORD" >"$TOR_DIR/pw"
	run "$TORSH" -v "${TORSH_CONNECT[@]}" --password-file "$TOR_DIR/pw" -c 'GETINFO process/pid'
	assert_success
	assert_line --partial 'authenticated with HASHEDPASSWORD'
	assert_line "250-process/pid=$TOR_PID"
}

@test "a --password-file others can read still works, with a warning to chmod 600 it; a 0600 one draws none" {
	start_tor password tcp
	printf '%s\n' "$TOR_PASSWORD" >"$TOR_DIR/pw"
	chmod 644 "$TOR_DIR/pw"
	run "$TORSH" "${TORSH_CONNECT[@]}" --password-file "$TOR_DIR/pw" -c 'GETINFO process/pid'
	assert_success
	assert_line "torsh: warning: --password-file $TOR_DIR/pw is readable by other users (mode 644); chmod 600 it"
	assert_line "250-process/pid=$TOR_PID"
	chmod 640 "$TOR_DIR/pw"
	run "$TORSH" "${TORSH_CONNECT[@]}" --password-file "$TOR_DIR/pw" -c 'GETINFO process/pid'
	assert_success
	assert_line "torsh: warning: --password-file $TOR_DIR/pw is readable by its group (mode 640); chmod 600 it"
	chmod 600 "$TOR_DIR/pw"
	run "$TORSH" "${TORSH_CONNECT[@]}" --password-file "$TOR_DIR/pw" -c 'GETINFO process/pid'
	assert_success
	refute_output --partial 'warning'
}

@test "a secret in a -c argument (visible in ps) draws a warning naming the argument; on stdin it does not" {
	start_tor password tcp
	local quoted="\"${TOR_PASSWORD//\"/\\\"}\""
	TOR_CONTROL_PASSWD="$TOR_PASSWORD" run "$TORSH" "${TORSH_CONNECT[@]}" -c 'GETINFO process/pid' \
		-c "AUTHENTICATE $quoted" -c 'SETCONF Socks5ProxyUsername=psuser Socks5ProxyPassword=pspass'
	assert_success
	assert_line 'torsh: warning: -c argument 2 holds a secret, which other users can read in ps; pipe the command on stdin instead'
	assert_line 'torsh: warning: -c argument 3 holds a secret, which other users can read in ps; pipe the command on stdin instead'
	refute_output --partial 'argument 1 '
	refute_output --partial 's3cret'
	refute_output --partial 'pspass'
	run bash -c "printf '%s\\n' 'AUTHENTICATE $quoted' | TOR_CONTROL_PASSWD='$TOR_PASSWORD' '$TORSH' ${TORSH_CONNECT[*]}"
	assert_success
	assert_output '250 OK'
}

@test "password from TOR_CONTROL_PASSWD (with a space and a quote in it)" {
	start_tor password unix
	TOR_CONTROL_PASSWD="$TOR_PASSWORD" run "$TORSH" "${TORSH_CONNECT[@]}" -c 'GETINFO process/pid'
	assert_success
	assert_line "250-process/pid=$TOR_PID"
}

@test "a wrong password: exit 4, in torsh's words, that tor closed the connection; tor's reason with -v" {
	start_tor password tcp
	TOR_CONTROL_PASSWD=wrong run "$TORSH" "${TORSH_CONNECT[@]}" -c 'GETINFO version'
	assert_failure 4
	assert_line --partial 'authentication failed: wrong password'
	assert_output --partial 'tor closes the connection after a failed AUTHENTICATE'
	# tor's advice to quote a plain-text password is about the raw protocol
	refute_output --partial 'double quotes'
	refute_output --partial 'wrong'$'\n'
	TOR_CONTROL_PASSWD=wrong run "$TORSH" -v "${TORSH_CONNECT[@]}" -c 'GETINFO version'
	assert_failure 4
	assert_line --partial 'authentication failed: wrong password'
	assert_line 'torsh: tor said: 515 Authentication failed: Password did not match HashedControlPassword value from configuration. Maybe you tried a plain text password? If so, the standard requires that you put it in double quotes.'
}

@test "Ctrl-C at the password prompt: cancelled, exit 4, nothing sent" {
	start_tor password unix
	tmux_init
	tmux_start "trap '' INT; XDG_STATE_HOME='$STATE' '$TORSH' ${TORSH_CONNECT[*]}; echo \"EXITED rc=\$?\"; sleep 60"
	wait_screen 'tor control password:'
	keys 'abc'
	keys C-c
	wait_screen 'EXITED rc=4'
	run screen
	assert_line 'torsh: cancelled'
	refute_output --partial 'no offered method'
	refute_output --partial 'abc'
	# Ctrl-D on an empty prompt too
	tmux_start "trap '' INT; XDG_STATE_HOME='$STATE' '$TORSH' ${TORSH_CONNECT[*]}; echo \"EXITED rc=\$?\"; sleep 60"
	wait_screen 'tor control password:'
	keys C-d
	wait_screen 'EXITED rc=4'
	run screen
	assert_line 'torsh: cancelled'
	# tor saw no AUTHENTICATE: it logs nothing of a failed one, so ask it
	# for the count of control connections instead: the prompt comes first
	refute_output --partial 'authentication failed'
}

@test "no password available: exit 4 naming the ways to give one" {
	start_tor password tcp
	run env -u TOR_CONTROL_PASSWD "$TORSH" "${TORSH_CONNECT[@]}" -c 'GETINFO version' </dev/null
	assert_failure 4
	assert_output --partial '--password-file FILE or TOR_CONTROL_PASSWD'
}

@test "an unreadable --password-file is reported, exit 4" {
	start_tor password tcp
	run "$TORSH" "${TORSH_CONNECT[@]}" --password-file /nonexistent/pw -c 'GETINFO version'
	assert_failure 4
	assert_output --partial 'cannot read --password-file /nonexistent/pw: No such file or directory'
}

@test "the password prompt does not echo (HashedControlPassword, on a terminal)" {
	start_tor password unix
	tmux_init
	tmux_start "env -u TOR_CONTROL_PASSWD XDG_STATE_HOME='$STATE' '$TORSH' ${TORSH_CONNECT[*]}; echo EXITED rc=\$?; sleep 30" 120 20
	wait_for 5 screen_has 'tor control password:' || true
	keys "$TOR_PASSWORD" Enter
	wait_for 5 screen_has 'HASHEDPASSWORD' || true
	run screen
	stop_tmux
	assert_output --partial 'tor control password:'
	assert_output --partial '(HASHEDPASSWORD)'
	refute_output --partial "$TOR_PASSWORD"
}

@test "tor restarted with a new cookie: the shell reconnects, re-reads the cookie, SAFECOOKIE works" {
	start_tor cookie unix
	tmux_init
	tmux_start "XDG_STATE_HOME='$STATE' '$TORSH' ${TORSH_CONNECT[*]}; echo EXITED rc=\$?; sleep 30" 160 30
	wait_screen '(SAFECOOKIE)' 10
	keys 'GETINFO process/pid' Enter
	wait_screen "process/pid = $TOR_PID" 10
	local old_cookie
	old_cookie="$(od -An -tx1 "$TOR_DIR/cookie")"
	# the same tor, stopped by its PID and started again on the same socket
	stop_tor_keep_dir
	wait_screen 'disconnected>' 10
	restart_tor
	[ "$(od -An -tx1 "$TOR_DIR/cookie")" != "$old_cookie" ]
	keys '/reconnect' Enter
	wait_screen 'torsh: reconnected' 10
	keys 'GETINFO process/pid' Enter
	wait_screen "process/pid = $TOR_PID" 10
	run screen
	refute_output --partial 'server hash does not match'
	refute_output --partial 'EXITED'
}
