#!/usr/bin/env bats
# Connecting: TCP IPv4, IPv6 loopback, Unix socket, the environment, and the
# candidate list when nothing answers.

setup() {
	load helpers
}

teardown() {
	stop_tor
}

@test "TCP IPv4 with -i ADDR:PORT" {
	start_tor none tcp
	run "$TORSH" -v "${TORSH_CONNECT[@]}" -c 'GETINFO process/pid'
	assert_success
	assert_line "250-process/pid=$TOR_PID"
	assert_line --regexp '^torsh: connected to 127\.0\.0\.1:[0-9]+ \(tor 0\.4\.[0-9.]+\), authenticated with NULL$'
}

@test "TCP with a bare port means 127.0.0.1" {
	start_tor none tcp
	local port="${TORSH_CONNECT[1]##*:}"
	run "$TORSH" -i "$port" -c 'GETINFO process/pid'
	assert_success
	assert_line "250-process/pid=$TOR_PID"
}

@test "TCP by host name (localhost)" {
	start_tor none tcp
	local port="${TORSH_CONNECT[1]##*:}"
	run "$TORSH" -i "localhost:$port" -c 'GETINFO process/pid'
	assert_success
	assert_line "250-process/pid=$TOR_PID"
}

@test "IPv6 loopback with -i [::1]:PORT" {
	start_tor none tcp6
	[[ "${TORSH_CONNECT[1]}" == "[::1]:"* ]]
	run "$TORSH" "${TORSH_CONNECT[@]}" -c 'GETINFO process/pid'
	assert_success
	assert_line "250-process/pid=$TOR_PID"
}

@test "Unix socket with -s PATH" {
	start_tor none unix
	[ "${TORSH_CONNECT[0]}" = -s ]
	run "$TORSH" "${TORSH_CONNECT[@]}" -c 'GETINFO process/pid'
	assert_success
	assert_line "250-process/pid=$TOR_PID"
}

@test "TOR_CONTROL_IPC_PATH is used when no option names the port" {
	start_tor none unix
	TOR_CONTROL_IPC_PATH="${TORSH_CONNECT[1]}" run "$TORSH" -c 'GETINFO process/pid'
	assert_success
	assert_line "250-process/pid=$TOR_PID"
}

@test "TOR_CONTROL_HOST and TOR_CONTROL_PORT are used when no option names the port" {
	start_tor none tcp
	local port="${TORSH_CONNECT[1]##*:}"
	TOR_CONTROL_HOST=127.0.0.1 TOR_CONTROL_PORT="$port" run "$TORSH" -c 'GETINFO process/pid'
	assert_success
	assert_line "250-process/pid=$TOR_PID"
}

@test "nothing answers: exit 3 and every candidate with its reason" {
	local dir
	dir="$(short_tmpdir)"
	: >"$dir/plainfile"
	TOR_CONTROL_IPC_PATH="$dir/plainfile" TOR_CONTROL_PORT=1 run "$TORSH" -c 'GETINFO version'
	assert_failure 3
	assert_line 'torsh: cannot connect to tor; tried:'
	assert_line --regexp "^  $dir/plainfile +(not a socket|Connection refused)"
	assert_line --regexp '^  127\.0\.0\.1:1 +Connection refused$'
	rm -rf "$dir"
}

@test "the default candidates are listed when none answers" {
	if [ -e /run/tor/control ] || [ -e /var/run/tor/control ] || (exec 3<>/dev/tcp/127.0.0.1/9051) 2>/dev/null ||
		(exec 3<>/dev/tcp/127.0.0.1/9151) 2>/dev/null; then
		skip "a system tor answers on a default control port here"
	fi
	run env -u TOR_CONTROL_IPC_PATH -u TOR_CONTROL_HOST -u TOR_CONTROL_PORT "$TORSH" -c 'GETINFO version'
	assert_failure 3
	assert_line --regexp '^  /run/tor/control +No such file or directory$'
	assert_line --regexp '^  /var/run/tor/control +No such file or directory$'
	assert_line --regexp '^  127\.0\.0\.1:9051 +Connection refused$'
	assert_line --regexp '^  127\.0\.0\.1:9151 +Connection refused$'
	assert_line --partial '--launch'
}

@test "a missing socket path says 'No such file or directory', exit 3" {
	run "$TORSH" -s /tmp/torsh-no-such-dir/control -c 'GETINFO version'
	assert_failure 3
	assert_output --partial '/tmp/torsh-no-such-dir/control'
	assert_output --partial 'No such file or directory'
}

@test "an unresolvable host name is explained, exit 3" {
	run "$TORSH" -i no-such-host.invalid:9051 -c 'GETINFO version' --connect-timeout 2
	assert_failure 3
	assert_output --partial "cannot resolve 'no-such-host.invalid'"
}

@test "a listener that never answers PROTOCOLINFO hits --timeout, exit 5" {
	local dir
	dir="$(short_tmpdir)"
	socat UNIX-LISTEN:"$dir/s" SYSTEM:'sleep 10' &
	local pid=$!
	wait_for 3 test -S "$dir/s" || true
	run "$TORSH" -s "$dir/s" --timeout 1 -c 'GETINFO version'
	kill "$pid" 2>/dev/null || true
	rm -rf "$dir"
	assert_failure 5
	assert_output --partial 'no reply to PROTOCOLINFO within 1 s (--timeout)'
}

@test "usage errors exit 2 with a clear message" {
	run "$TORSH" --no-such-option
	assert_failure 2
	assert_output --partial 'unknown option --no-such-option'
	run "$TORSH" -i '::1:9051'
	assert_failure 2
	assert_output --partial 'brackets'
	run "$TORSH" -i 127.0.0.1:99999 -c 'GETINFO version'
	assert_failure 2
	assert_output --partial 'port number 1-65535'
	run "$TORSH" -s /x -i 9051
	assert_failure 2
	assert_output --partial 'exclude each other'
	run "$TORSH" --timeout abc
	assert_failure 2
	assert_output --partial "--timeout: expected a number of seconds, got 'abc'"
	run "$TORSH" mypassword
	assert_failure 2
	assert_output --partial 'passwords never go on the command line'
	run "$TORSH" -c
	assert_failure 2
	assert_output --partial 'needs an argument'
}

@test "--help and --version exit 0" {
	run "$TORSH" --help
	assert_success
	assert_output --partial 'Exit status: 0 all replies 2xx'
	run "$TORSH" --version
	assert_success
	assert_line --index 0 --regexp '^torsh [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "--help ends by pointing at torsh(1) and /help; --version names the libedit and OpenSSL it runs with" {
	run "$TORSH" --help
	assert_success
	assert_equal "${lines[-2]}" "More in torsh(1) (man torsh); at the prompt, /help lists tor's commands"
	assert_equal "${lines[-1]}" 'and /help COMMAND explains one.'
	run "$TORSH" --version
	assert_success
	[ "${#lines[@]}" -eq 3 ]
	assert_line --index 1 "libedit $(pkg-config --modversion libedit) (built against)"
	# the OpenSSL loaded at run time, as its own library reports it
	local lib
	lib="$(ldd "$TORSH" | awk '/libcrypto/ { print $3 }')"
	[ -n "$lib" ]
	assert_line --index 2 --regexp "^OpenSSL $(pkg-config --modversion libcrypto | sed 's/\./\\./g') "
	grep -aqF "${lines[2]}" "$lib"
}
