#!/usr/bin/env bats
# A real tor killed by PID (SIGKILL) under a running script: torsh exits 5
# and says what was lost. (The shell's side is in interactive.bats.)

setup() {
	load helpers
	start_tor none unix
}

teardown() {
	[ -z "${TORSH_PID:-}" ] || { kill "$TORSH_PID" 2>/dev/null; wait "$TORSH_PID" 2>/dev/null; } || true
	exec 5>&- || true
	stop_tor
}

# wait_file FILE TEXT: up to 5 s for TEXT to appear in FILE.
wait_file() {
	wait_for 5 file_has "$1" "$2" && return 0
	echo "$1 never held: $2" >&2
	return 1
}

@test "tor killed with a command in flight: exit 5, the unanswered command and the input not run are named" {
	local in="$BATS_TEST_TMPDIR/in" out="$BATS_TEST_TMPDIR/out" err="$BATS_TEST_TMPDIR/err" rc=0
	mkfifo "$in"
	"$TORSH" "${TORSH_CONNECT[@]}" --raw <"$in" >"$out" 2>"$err" &
	TORSH_PID=$!
	exec 5>"$in"
	echo 'GETINFO version' >&5
	wait_file "$out" '250-version='
	# stopped, tor takes the next command but never answers; then it dies
	kill -STOP "$TOR_PID"
	printf 'GETINFO config-file\nGETINFO process/pid\nGETINFO version\n' >&5
	sleep 1
	kill -KILL "$TOR_PID"
	wait "$TORSH_PID" || rc=$?
	TORSH_PID=
	[ "$rc" -eq 5 ]
	run cat "$err"
	assert_output --regexp '^torsh: (tor closed the connection|connection to tor failed: Connection reset by peer); no reply to: GETINFO config-file; input from line 3 on not run$'
	run cat "$out"
	refute_output --partial 'config-file='
}

@test "tor killed between commands of a pipeline: exit 5, the rest of the input not run" {
	local rc=0
	{ echo 'GETINFO version'; sleep 2; kill -KILL "$TOR_PID"; sleep 5; echo 'GETINFO version'; } |
		"$TORSH" "${TORSH_CONNECT[@]}" --raw >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" || rc=$?
	[ "$rc" -eq 5 ]
	run cat "$BATS_TEST_TMPDIR/err"
	assert_output --regexp '^torsh: (tor closed the connection|connection to tor failed: .*); input from line 2 on not run$'
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line --partial '250-version='
}
