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
	run "$TORSH" --launch -v -c 'GETCONF DisableNetwork SocksPort CookieAuthentication' -c 'GETINFO net/listeners/control'
	assert_success
	assert_line --regexp '^torsh: connected to /tmp/torsh-[A-Za-z0-9]+/control \(tor 0\.4\.[0-9.]+\), authenticated with SAFECOOKIE$'
	assert_line '250-DisableNetwork=1'
	assert_line '250-SocksPort=0'
	assert_line '250 CookieAuthentication=1'
	assert_line --regexp '^250-net/listeners/control="unix:/tmp/torsh-'
}

@test "the launched tor keeps a dead loopback authority as a backstop" {
	run "$TORSH" --launch -c 'GETCONF DirAuthority UseDefaultFallbackDirs'
	assert_success
	assert_line '250-DirAuthority=dummy 127.0.0.1:1 ffffffffffffffffffffffffffffffffffffffff'
	assert_line '250 UseDefaultFallbackDirs=0'
}

@test "the launched tor exits when torsh exits, and its directory is removed" {
	run "$TORSH" --launch -c 'GETINFO process/pid' -c 'GETCONF DataDirectory'
	assert_success
	local pid dir
	pid="$(sed -n 's/^250-process\/pid=//p' <<<"$output")"
	dir="$(sed -n 's/^250 DataDirectory=//p' <<<"$output")"
	[ -n "$pid" ] && [ -n "$dir" ]
	wait_gone "$pid"
	[ ! -e "$dir" ]
}

@test "the launched tor exits even when torsh is killed with SIGKILL (TAKEOWNERSHIP)" {
	"$TORSH" --launch -c 'GETCONF DataDirectory' -c 'GETINFO process/pid' --linger 60 >"$BATS_TEST_TMPDIR/out" &
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
	"$TORSH" --launch -c 'GETINFO process/pid' --linger 60 >"$BATS_TEST_TMPDIR/out" &
	local torsh_pid=$! pid=""
	wait_for 10 launched_pid "$BATS_TEST_TMPDIR/out" || true
	[ -n "$pid" ]
	kill -TERM "$torsh_pid"
	wait "$torsh_pid" || true
	wait_gone "$pid"
}

@test "--launch with a tor that does not exist: exit 3 and why" {
	run "$TORSH" --launch --tor /nonexistent/tor -c 'GETINFO version'
	assert_failure 3
	assert_output --partial "cannot run '/nonexistent/tor'"
}

@test "--launch with a tor that fails at startup shows its log" {
	printf '#!/bin/sh\necho "[err] simulated startup failure" >&2\nexit 1\n' >"$BATS_TEST_TMPDIR/badtor"
	chmod +x "$BATS_TEST_TMPDIR/badtor"
	run "$TORSH" --launch --tor "$BATS_TEST_TMPDIR/badtor" -c 'GETINFO version'
	assert_failure 3
	assert_output --partial 'tor exited during startup'
}
