#!/usr/bin/env bats
# The interactive prompt, driven through tmux as a person would: replies,
# events printed above a half-typed line that stays intact, Ctrl-C, Ctrl-D.

setup() {
	load helpers
	start_tor none unix
	TMUX_DIR="$(short_tmpdir)"
	TMUX_SOCK="$TMUX_DIR/tmux"
	tmux -S "$TMUX_SOCK" new-session -d -s t -x 120 -y 40 \
		"'$TORSH' ${TORSH_CONNECT[*]}; echo \"EXITED rc=\$?\"; sleep 60"
	wait_screen 'Ctrl-D or QUIT leaves'
}

teardown() {
	tmux -S "$TMUX_SOCK" kill-server 2>/dev/null || true
	rm -rf "$TMUX_DIR"
	stop_tor
}

screen() {
	tmux -S "$TMUX_SOCK" capture-pane -p -t t
}

# wait_screen TEXT: up to 5 s for TEXT to appear on the screen.
wait_screen() {
	for _ in $(seq 1 50); do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	echo "screen never showed: $1" >&2
	screen >&2
	return 1
}

keys() {
	tmux -S "$TMUX_SOCK" send-keys -t t "$@"
}

@test "banner and a prompt naming tor's version and the endpoint" {
	run screen
	assert_line --index 0 --regexp "^torsh [0-9.]+: connected to tor 0\.4\.[0-9.]+ at ${TORSH_CONNECT[1]} \(NULL\)$"
	assert_line --regexp "^tor 0\.4\.[0-9.]+ ${TORSH_CONNECT[1]}> ?$"
}

@test "a typed command gets its reply" {
	keys 'GETINFO process/pid' Enter
	# pretty is the default on a terminal
	wait_screen "process/pid = $TOR_PID"
	run screen
	refute_line --partial '250'
}

@test "an event arriving while typing prints above the prompt; the half-typed line stays intact and is what is sent" {
	keys 'SETEVENTS SIGNAL' Enter
	wait_screen 'OK'
	keys 'GETCONF Conta'
	wait_screen '> GETCONF Conta'
	"$TORSH" "${TORSH_CONNECT[@]}" -c 'SIGNAL HEARTBEAT'
	wait_screen 'SIGNAL HEARTBEAT'
	run screen
	# the event line stands alone, and the prompt with the typed text follows it
	assert_line --regexp '^[0-9]{2}:[0-9]{2}:[0-9]{2} SIGNAL HEARTBEAT$'
	assert_line --regexp '> GETCONF Conta$'
	keys 'ctInfo' Enter
	wait_screen 'ContactInfo (unset)'
}

@test "Ctrl-C clears the line; nothing is sent" {
	keys 'SETCONF ContactInfo=never-sent'
	wait_screen 'never-sent'
	keys C-c
	wait_screen '^C'
	keys 'GETCONF ContactInfo' Enter
	wait_screen 'ContactInfo (unset)'
	run screen
	refute_line 'ContactInfo = never-sent'
}

@test "a +LOADCONF body is read with a continuation prompt until '.'" {
	keys '+LOADCONF' Enter
	wait_screen '...'
	keys 'ThisIsNotAnOption 1' Enter '.' Enter
	wait_screen "Unknown option 'ThisIsNotAnOption'"
}

@test "Ctrl-D on an empty line leaves with status 0" {
	keys C-d
	wait_screen 'EXITED rc=0'
}

@test "the connection dropping is reported, exit 5" {
	stop_tor
	wait_screen 'EXITED rc=5'
	run screen
	assert_output --partial 'torsh: tor closed the connection'
}

@test "a typo gets a caret under the argument and nothing is sent" {
	keys 'EXTENDCIRCUIT abc' Enter
	wait_screen 'CIRCUIT: expected a number'
	run screen
	assert_line '  EXTENDCIRCUIT abc'
	assert_line '                ^'
	assert_line 'torsh: column 15: CIRCUIT: expected a number (digits), got '"'abc'"
}

@test "/help COMMAND works at the prompt" {
	keys '/help SIGNAL' Enter
	wait_screen 'example: SIGNAL NEWNYM'
}
