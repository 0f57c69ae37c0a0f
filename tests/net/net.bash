# Helpers for the tests on the private network (tests/net_*.bats; `load
# net/net` after `load helpers`).
#
# One network serves every net_*.bats file of a run: `make check` (and
# `make net-up`) start it with tests/net/net and export TORSH_NET_ENV, the
# path of its env file. A file run alone (bats tests/net_circ.bats) starts
# its own network in setup_file and stops it in teardown_file.
#
# Sessions: torsh in the background, fed through a FIFO, its output in a
# file the test reads while torsh runs (ts_open, ts_send, ts_wait...), so
# that a test can act on what tor answered (a circuit's ID, a stream's).

NET_TOOL="$ROOT/tests/net/net"

net_setup_file() {
	if [ -n "${TORSH_NET_ENV:-}" ]; then
		[ -s "$TORSH_NET_ENV" ] || {
			echo "TORSH_NET_ENV=$TORSH_NET_ENV: no such env file (the network did not start)" >&2
			return 1
		}
		return 0
	fi
	local d
	d="$(mktemp -d /tmp/torsh-net.XXXXXX)"
	echo "$d" >"$BATS_FILE_TMPDIR/own-net"
	"$NET_TOOL" up "$d" >&2 || {
		"$NET_TOOL" down "$d" >&2
		return 1
	}
}

net_teardown_file() {
	[ -f "$BATS_FILE_TMPDIR/own-net" ] || return 0
	"$NET_TOOL" down "$(cat "$BATS_FILE_TMPDIR/own-net")" >&2
}

# net_load: the network's env (NET_*, <node>_CTL, _FP, _NICK, _SOCKS...).
net_load() {
	local env="${TORSH_NET_ENV:-}"
	[ -n "$env" ] || env="$(cat "$BATS_FILE_TMPDIR/own-net")/env"
	# shellcheck disable=SC1090
	source "$env"
}

# A file that uses the network: `net_file` at its top level defines
# setup_file, teardown_file, setup and teardown (sessions and background
# processes of a test are always stopped, even when it fails).
net_file() {
	setup_file() { net_setup_file; }
	teardown_file() { net_teardown_file; }
	setup() { net_load; }
	teardown() {
		ts_close_all
		stop_tmux
	}
}

# relay NODE: NODE as an EXTENDCIRCUIT path element, $FP~nick.
relay() {
	local fp="${1}_FP"
	printf '$%s~%s' "${!fp}" "$1"
}

# path NODE...: a comma-separated path of relays.
path() {
	local out="" n
	for n in "$@"; do out+="${out:+,}$(relay "$n")"; done
	printf '%s' "$out"
}

# ---- sessions ------------------------------------------------------------

# close_session_fds: in a child, the write ends of the other sessions' FIFOs
# are closed, or those sessions would never see the end of their input.
close_session_fds() {
	local f fd
	for f in "$BATS_TEST_TMPDIR"/*.fd; do
		[ -f "$f" ] || continue
		fd="$(cat "$f")"
		exec {fd}>&-
	done
}

# ts_open NAME NODE [TORSH OPTIONS...]: torsh on NODE's control socket,
# reading commands from a FIFO; output in $BATS_TEST_TMPDIR/NAME.out.
ts_open() {
	local name="$1" node="$2" ctl
	shift 2
	ctl="${node}_CTL"
	local d="$BATS_TEST_TMPDIR"
	mkfifo "$d/$name.in"
	(
		close_session_fds
		exec "$TORSH" -s "${!ctl}" --timeout 30 "$@" <"$d/$name.in" >"$d/$name.out" 2>"$d/$name.err"
	) &
	echo "$!" >"$d/$name.pid"
	local fd
	exec {fd}>"$d/$name.in"
	echo "$fd" >"$d/$name.fd"
	echo "$name" >>"$d/sessions"
}

# ts_send NAME LINE...: each LINE to the session, as typed.
ts_send() {
	local name="$1" fd
	shift
	fd="$(cat "$BATS_TEST_TMPDIR/$name.fd")"
	printf '%s\n' "$@" >&"$fd"
}

ts_out() {
	cat "$BATS_TEST_TMPDIR/$1.out"
}

# ts_grep NAME ERE: the session's output lines matching ERE (status 1: none).
ts_grep() {
	grep -E -- "$2" "$BATS_TEST_TMPDIR/$1.out"
}

# ts_wait NAME ERE [SECONDS]: until a line matches (default 20 s); prints
# the first such line. On timeout, shows the output and fails.
ts_wait() {
	local name="$1" ere="$2" secs="${3:-20}"
	if wait_for "$secs" ts_grep "$name" "$ere" >/dev/null; then
		ts_grep "$name" "$ere" | head -n 1
		return 0
	fi
	echo "session $name never printed a line matching: $ere" >&2
	tail -n 40 "$BATS_TEST_TMPDIR/$name.out" "$BATS_TEST_TMPDIR/$name.err" >&2
	return 1
}

# ts_jq NAME FILTER: FILTER over the session's JSON lines (a line still
# being written is skipped).
ts_jq() {
	jq -rcR "fromjson? | $2" "$BATS_TEST_TMPDIR/$1.out"
}

ts_jq_some() {
	[ -n "$(ts_jq "$1" "$2")" ]
}

# ts_jwait NAME FILTER [SECONDS]: until FILTER yields something; prints the
# first result.
ts_jwait() {
	local name="$1" filter="$2" secs="${3:-20}"
	if wait_for "$secs" ts_jq_some "$name" "$filter"; then
		ts_jq "$name" "$filter" | head -n 1
		return 0
	fi
	echo "session $name never printed JSON matching: $filter" >&2
	tail -n 40 "$BATS_TEST_TMPDIR/$name.out" "$BATS_TEST_TMPDIR/$name.err" >&2
	return 1
}

# ts_close NAME: end of input; torsh answers what is pending, sends QUIT and
# ends (its status in $BATS_TEST_TMPDIR/NAME.rc). Killed by PID after 10 s.
ts_close() {
	local d="$BATS_TEST_TMPDIR" name="$1" fd pid
	[ -f "$d/$name.fd" ] || return 0
	fd="$(cat "$d/$name.fd")"
	exec {fd}>&-
	rm -f "$d/$name.fd"
	pid="$(cat "$d/$name.pid")"
	wait_for 10 net_gone "$pid" || kill "$pid" 2>/dev/null || true
	local rc=0
	wait "$pid" 2>/dev/null || rc=$?
	echo "$rc" >"$d/$name.rc"
	return 0
}

# net_tmux_start COMMAND: tmux_start (helpers.bash), without the sessions'
# FIFO ends: the tmux server outlives the test's sessions otherwise.
net_tmux_start() {
	new_tmux
	(
		close_session_fds
		exec tmux -S "$TMUX_SOCK" new-session -d -s t -x 200 -y 40 "$1"
	)
}

# bg NAME COMMAND...: COMMAND in the background, stdout and stderr in
# $BATS_TEST_TMPDIR/NAME.out; stopped by PID at teardown if still running.
bg() {
	local name="$1"
	shift
	(
		close_session_fds
		# a command replaces the subshell, so that its PID is the command's
		if [ "$(type -t "$1")" = function ]; then
			"$@" >"$BATS_TEST_TMPDIR/$name.out" 2>&1
		else
			exec "$@" >"$BATS_TEST_TMPDIR/$name.out" 2>&1
		fi
	) &
	echo "$!" >"$BATS_TEST_TMPDIR/$name.bgpid"
}

# bg_wait NAME [SECONDS]: the background command's status (killed after
# SECONDS, default 30).
bg_wait() {
	local pid
	pid="$(cat "$BATS_TEST_TMPDIR/$1.bgpid")"
	wait_for "${2:-30}" net_gone "$pid" || kill "$pid" 2>/dev/null || true
	rm -f "$BATS_TEST_TMPDIR/$1.bgpid"
	wait "$pid"
}

ts_close_all() {
	local d="$BATS_TEST_TMPDIR" name f
	if [ -f "$d/sessions" ]; then
		while IFS= read -r name; do ts_close "$name"; done <"$d/sessions"
		rm -f "$d/sessions"
	fi
	for f in "$d"/*.bgpid; do
		[ -f "$f" ] || continue
		kill "$(cat "$f")" 2>/dev/null || true
		rm -f "$f"
	done
}

# http_via CLIENT URL: the page, fetched through CLIENT's SocksPort (the
# host name resolved by tor, as a Tor Browser would).
http_via() {
	# exec: in bg (and in run), the PID is curl's; never call it bare
	local socks="${1}_SOCKS"
	exec curl -sS --max-time 30 --socks5-hostname "127.0.0.1:${!socks}" "$2"
}

# net_gone PID: ended (a child not yet reaped is a zombie, which kill -0
# still finds).
net_gone() {
	kill -0 "$1" 2>/dev/null || return 0
	[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" = Z ]
}
