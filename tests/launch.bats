#!/usr/bin/env bats
# torsh --launch: a throwaway offline tor that lives exactly as long as torsh.

setup() {
	load helpers
}

wait_gone() {
	wait_for 10 gone "$1"
}

# launched_pid FILE: sets pid to the process/pid torsh printed into FILE;
# fails while it has printed none.
launched_pid() {
	pid="$(sed -n 's/^250-process\/pid=//p' "$1")"
	[ -n "$pid" ]
}

@test "--launch starts an offline tor with cookie auth on a Unix socket" {
	run "$TORSH" --launch "${LAUNCH_BACKSTOP[@]}" -v -c 'GETCONF DisableNetwork SocksPort CookieAuthentication' -c 'GETINFO net/listeners/control'
	assert_success
	assert_line --regexp '^torsh: connected to /tmp/torsh-[A-Za-z0-9]+/control \(tor 0\.4\.[0-9.]+\), authenticated with SAFECOOKIE$'
	assert_line '250-DisableNetwork=1'
	assert_line '250-SocksPort=0'
	assert_line '250 CookieAuthentication=1'
	assert_line --regexp '^250-net/listeners/control="unix:/tmp/torsh-'
}

@test "--tor-option gives the launched tor the test suite's backstop: a dead loopback authority, no fallbacks" {
	run "$TORSH" --launch "${LAUNCH_BACKSTOP[@]}" -c 'GETCONF DirAuthority UseDefaultFallbackDirs DisableNetwork'
	assert_success
	assert_line '250-DirAuthority=dummy 127.0.0.1:1 ffffffffffffffffffffffffffffffffffffffff'
	assert_line '250-UseDefaultFallbackDirs=0'
	assert_line '250 DisableNetwork=1'
}

@test "the torrc --launch writes keeps DisableNetwork 1 but no dead authority, so SETCONF DisableNetwork=0 can go online" {
	"$TORSH" --launch "${LAUNCH_BACKSTOP[@]}" -c 'GETINFO config-file' -c 'GETINFO process/pid' --linger 30 \
		>"$BATS_TEST_TMPDIR/out" &
	local torsh_pid=$! torrc=""
	for _ in $(seq 1 100); do
		torrc="$(sed -n 's/^250-config-file=//p' "$BATS_TEST_TMPDIR/out")"
		[ -z "$torrc" ] || break
		sleep 0.1
	done
	cp "$torrc" "$BATS_TEST_TMPDIR/torrc" || true
	kill "$torsh_pid"
	wait "$torsh_pid" || true
	run cat "$BATS_TEST_TMPDIR/torrc"
	assert_success
	assert_line 'DisableNetwork 1'
	refute_line --partial 'DirAuthority'
	refute_line --partial 'FallbackDir'
}

@test "--tor-option: a line break is refused, a tor flag is no key, and it needs --launch" {
	run "$TORSH" --launch "${LAUNCH_BACKSTOP[@]}" --tor-option $'DirAuthority x\nDisableNetwork 0' -c 'GETINFO version'
	assert_failure 2
	assert_output 'torsh: --tor-option: a line break (CR or LF) is not allowed'
	run "$TORSH" --launch "${LAUNCH_BACKSTOP[@]}" --tor-option $'Nickname a\rb' -c 'GETINFO version'
	assert_failure 2
	run "$TORSH" --launch "${LAUNCH_BACKSTOP[@]}" --tor-option '-f /etc/tor/torrc' -c 'GETINFO version'
	assert_failure 2
	assert_output "torsh: --tor-option: expected 'Key Value' as in a torrc; '-f' is no torrc key"
	run "$TORSH" --launch "${LAUNCH_BACKSTOP[@]}" --tor-option '-Socks5ProxyPassword s3cret' -c 'GETINFO version'
	assert_failure 2
	refute_output --partial 's3cret'
	run "$TORSH" --tor-option 'UseDefaultFallbackDirs 0' -c 'GETINFO version'
	assert_failure 2
	assert_output 'torsh: --tor-option is for the tor --launch starts'
}

@test "--tor-option with a key tor does not know: tor's own complaint is shown, exit 3" {
	run "$TORSH" --launch "${LAUNCH_BACKSTOP[@]}" --tor-option 'NoSuchOption 1' -c 'GETINFO version'
	assert_failure 3
	assert_output --partial 'tor exited during startup (exit status 1)'
	assert_output --partial "Unknown option 'NoSuchOption'"
}

@test "on a terminal the prompt names a launched tor in few words: tor VERSION (launched)>" {
	local t="$BATS_TEST_TMPDIR/tmux"
	tmux -S "$t" new-session -d -s t -x 120 -y 20 \
		"XDG_STATE_HOME='$BATS_TEST_TMPDIR/state' '$TORSH' --launch ${LAUNCH_BACKSTOP[*]@Q}; sleep 30"
	for _ in $(seq 1 100); do tmux -S "$t" capture-pane -p -t t | grep -q '(launched)>' && break; sleep 0.1; done
	run tmux -S "$t" capture-pane -p -t t
	tmux -S "$t" send-keys -t t C-d
	sleep 0.5
	tmux -S "$t" kill-server
	assert_line --regexp '^tor 0\.4\.[0-9.]+ \(launched\)> ?$'
}

@test "the launched tor exits when torsh exits, and its directory is removed" {
	run "$TORSH" --launch "${LAUNCH_BACKSTOP[@]}" -c 'GETINFO process/pid' -c 'GETCONF DataDirectory'
	assert_success
	local pid dir
	pid="$(sed -n 's/^250-process\/pid=//p' <<<"$output")"
	dir="$(sed -n 's/^250 DataDirectory=//p' <<<"$output")"
	[ -n "$pid" ] && [ -n "$dir" ]
	wait_gone "$pid"
	[ ! -e "$dir" ]
}

@test "the launched tor exits even when torsh is killed with SIGKILL (TAKEOWNERSHIP)" {
	"$TORSH" --launch "${LAUNCH_BACKSTOP[@]}" -c 'GETCONF DataDirectory' -c 'GETINFO process/pid' --linger 60 >"$BATS_TEST_TMPDIR/out" &
	local torsh_pid=$! pid=""
	wait_for 10 launched_pid "$BATS_TEST_TMPDIR/out" || true
	[ -n "$pid" ]
	kill -0 "$pid"
	kill -9 "$torsh_pid"
	wait "$torsh_pid" || true
	wait_gone "$pid"
	# torsh had no chance to remove the directory; the test does
	local dir
	dir="$(sed -n 's/^250 DataDirectory=//p' "$BATS_TEST_TMPDIR/out")"
	[[ "$dir" == /tmp/torsh-* ]] && rm -rf "$dir"
}

@test "SIGTERM to torsh ends the launched tor too" {
	"$TORSH" --launch "${LAUNCH_BACKSTOP[@]}" -c 'GETINFO process/pid' --linger 60 >"$BATS_TEST_TMPDIR/out" &
	local torsh_pid=$! pid=""
	wait_for 10 launched_pid "$BATS_TEST_TMPDIR/out" || true
	[ -n "$pid" ]
	kill -TERM "$torsh_pid"
	wait "$torsh_pid" || true
	wait_gone "$pid"
}

@test "--launch with a tor that does not exist: exit 3 and why" {
	run "$TORSH" --launch "${LAUNCH_BACKSTOP[@]}" --tor /nonexistent/tor -c 'GETINFO version'
	assert_failure 3
	assert_output --partial "cannot run '/nonexistent/tor'"
}

@test "--launch with a tor that fails at startup shows its log" {
	printf '#!/bin/sh\necho "[err] simulated startup failure" >&2\nexit 1\n' >"$BATS_TEST_TMPDIR/badtor"
	chmod +x "$BATS_TEST_TMPDIR/badtor"
	run "$TORSH" --launch "${LAUNCH_BACKSTOP[@]}" --tor "$BATS_TEST_TMPDIR/badtor" -c 'GETINFO version'
	assert_failure 3
	assert_output --partial 'tor exited during startup (exit status 1)'
	assert_output --partial '[err] simulated startup failure'
}
