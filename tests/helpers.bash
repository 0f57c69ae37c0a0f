# Shared bats helpers: build paths, a real offline tor per test file, and the
# scripted fake control port.
#
# Every tor started here is offline: DisableNetwork 1, plus a dead loopback
# DirAuthority and no fallback dirs, so even a RESETCONF that clears
# DisableNetwork reaches nothing. Processes are stopped by PID only.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

ROOT="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
TORSH="$ROOT/torsh"
FAKEPORT="$ROOT/build/fakeport"

# torsh --launch writes DisableNetwork 1 but no dead authority (a user may
# go online); every --launch here adds the backstop, as `make run` does.
LAUNCH_BACKSTOP=(--tor-option 'DirAuthority dummy 127.0.0.1:1 ffffffffffffffffffffffffffffffffffffffff'
	--tor-option 'UseDefaultFallbackDirs 0')

# Unix socket paths must stay under 108 bytes: keep temp dirs short.
short_tmpdir() {
	mktemp -d /tmp/torsh-t.XXXXXX
}

# wait_for SECONDS COMMAND [ARG...]: run COMMAND every 0.1 s until it
# succeeds; status 1 when it has not within SECONDS (a whole number).
wait_for() {
	local tries=$(($1 * 10))
	shift
	while :; do
		if "$@"; then
			return 0
		fi
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || return 1
		sleep 0.1
	done
}

# gone PID: the process has ended.
gone() {
	! kill -0 "$1" 2>/dev/null
}

# file_has FILE TEXT: FILE exists and holds TEXT.
file_has() {
	grep -qF -- "$2" "$1" 2>/dev/null
}

# start_tor AUTH TRANSPORT
#   AUTH:      none | cookie | password
#   TRANSPORT: tcp | tcp6 | unix
# Sets TOR_DIR, TOR_PID, TORSH_CONNECT (array of torsh options), TOR_PASSWORD.
start_tor() {
	local auth="$1" transport="$2"
	TOR_DIR="$(short_tmpdir)"
	local controlport
	case "$transport" in
	tcp) controlport="127.0.0.1:auto" ;;
	tcp6) controlport="[::1]:auto" ;;
	unix) controlport="unix:$TOR_DIR/control" ;;
	esac
	mkdir -m 700 "$TOR_DIR/data"
	{
		echo "DataDirectory $TOR_DIR/data"
		echo "DisableNetwork 1"
		echo "DirAuthority dummy 127.0.0.1:1 ffffffffffffffffffffffffffffffffffffffff"
		echo "UseDefaultFallbackDirs 0"
		echo "SocksPort 0"
		echo "ControlPort $controlport"
		echo "ControlPortWriteToFile $TOR_DIR/port"
		echo "Log notice file $TOR_DIR/tor.log"
		echo "RunAsDaemon 0"
		case "$auth" in
		cookie)
			echo "CookieAuthentication 1"
			echo "CookieAuthFile $TOR_DIR/cookie"
			;;
		password)
			TOR_PASSWORD="s3cret pass\"word"
			echo "HashedControlPassword $(tor --quiet --hash-password "$TOR_PASSWORD" | tail -n 1)"
			;;
		esac
	} >"$TOR_DIR/torrc"
	tor -f "$TOR_DIR/torrc" --defaults-torrc /dev/null >/dev/null 2>&1 &
	TOR_PID=$!
	echo "$TOR_PID" >"$TOR_DIR/tor.pid"
	wait_for 30 tor_up_or_gone || true
	if [ ! -s "$TOR_DIR/port" ]; then
		gone "$TOR_PID" && cat "$TOR_DIR/tor.log" >&2 || echo "tor did not start" >&2
		return 1
	fi
	local addr
	addr="$(head -n 1 "$TOR_DIR/port")"
	case "$addr" in
	PORT=*:*:*) # tor writes IPv6 without brackets: ::1:PORT
		addr="${addr#PORT=}"
		TORSH_CONNECT=(-i "[${addr%:*}]:${addr##*:}") ;;
	PORT=*) TORSH_CONNECT=(-i "${addr#PORT=}") ;;
	UNIX_PORT=*) TORSH_CONNECT=(-s "${addr#UNIX_PORT=}") ;;
	esac
	export TOR_DIR TOR_PID TOR_PASSWORD
}

# tor_up_or_gone: our tor wrote its control port, or died trying.
tor_up_or_gone() {
	[ -s "$TOR_DIR/port" ] || gone "$TOR_PID"
}

stop_tor() {
	local dir="${1:-$TOR_DIR}"
	[ -n "$dir" ] && [ -f "$dir/tor.pid" ] || return 0
	local pid
	pid="$(cat "$dir/tor.pid")"
	if kill -0 "$pid" 2>/dev/null; then
		kill "$pid" 2>/dev/null
		wait_for 5 gone "$pid" || true
		kill -9 "$pid" 2>/dev/null || true
	fi
	rm -rf "$dir"
}

# stop_tor_keep_dir: end our tor by its PID, keeping its directory (torrc,
# data, socket path) for restart_tor.
stop_tor_keep_dir() {
	kill "$TOR_PID"
	wait_for 5 gone "$TOR_PID" || true
	rm -f "$TOR_DIR/port"
}

# restart_tor: our tor again, from the same torrc (same socket), with a new
# PID; waits up to 10 s for its control port.
restart_tor() {
	tor -f "$TOR_DIR/torrc" --defaults-torrc /dev/null >/dev/null 2>&1 &
	TOR_PID=$!
	echo "$TOR_PID" >"$TOR_DIR/tor.pid"
	wait_for 10 test -s "$TOR_DIR/port" || true
}

# Files persist across the tests of one file; bats runs setup_file in a
# subshell, so the connection options are saved and reloaded.
save_tor_env() {
	declare -p TOR_DIR TOR_PID TORSH_CONNECT | sed "s/^declare -/declare -g/" >"$BATS_FILE_TMPDIR/tor.env"
	[ -z "${TOR_PASSWORD:-}" ] || declare -p TOR_PASSWORD | sed "s/^declare -/declare -g/" >>"$BATS_FILE_TMPDIR/tor.env"
}
load_tor_env() {
	# shellcheck disable=SC1091
	source "$BATS_FILE_TMPDIR/tor.env"
}

# shared_tor: one offline tor (no auth, Unix socket) for every test of a
# file. Called at the top level of a file, after `load helpers`, it defines
# the file's setup_file, teardown_file and setup; a teardown stays the
# file's own.
shared_tor() {
	setup_file() {
		start_tor none unix
		save_tor_env
	}
	teardown_file() {
		load_tor_env
		stop_tor
	}
	setup() {
		load_tor_env
	}
}

# start_fake SCRIPTFILE: the fake control port on a Unix socket. Sets FAKE_DIR,
# FAKE_SOCK, FAKE_LOG, FAKE_PID.
start_fake() {
	FAKE_DIR="$(short_tmpdir)"
	FAKE_SOCK="$FAKE_DIR/s"
	FAKE_LOG="$FAKE_DIR/log"
	"$FAKEPORT" --unix "$FAKE_SOCK" --script "$1" --log "$FAKE_LOG" --timeout 20 &
	FAKE_PID=$!
	echo "$FAKE_PID" >"$FAKE_DIR/pid"
	wait_for 5 test -S "$FAKE_SOCK" && return 0
	echo "fake port did not start" >&2
	return 1
}

stop_fake() {
	[ -n "${FAKE_DIR:-}" ] || return 0
	if [ -f "$FAKE_DIR/pid" ]; then
		local pid
		pid="$(cat "$FAKE_DIR/pid")"
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$FAKE_DIR"
}

# Writes a fake-port script from stdin into the test's temp dir; prints its path.
fake_script() {
	local f="$BATS_TEST_TMPDIR/fake.script"
	cat >"$f"
	echo "$f"
}

# ---- tmux: the interactive shell as a person sees it ----
# A test's tmux servers and torsh's history (XDG_STATE_HOME=$STATE) live
# under TMUX_DIR; stop_tmux ends the server and removes it.
tmux_init() {
	TMUX_DIR="$(short_tmpdir)"
	TMUX_SOCK=
	STATE="$TMUX_DIR/state"
}

stop_tmux() {
	[ -z "${TMUX_SOCK:-}" ] || tmux -S "$TMUX_SOCK" kill-server 2>/dev/null || true
	[ -z "${TMUX_DIR:-}" ] || rm -rf "$TMUX_DIR"
}

# new_tmux: end the tmux server of this test, if any, and use a fresh
# socket: a server being killed still answers on its socket for a moment,
# and a new session there dies with it.
new_tmux() {
	[ -z "${TMUX_SOCK:-}" ] || tmux -S "$TMUX_SOCK" kill-server 2>/dev/null || true
	TMUX_N=$((${TMUX_N:-0} + 1))
	TMUX_SOCK="$TMUX_DIR/tmux.$TMUX_N"
}

# tmux_start COMMAND [COLUMNS ROWS]: COMMAND in window t of a fresh server.
tmux_start() {
	new_tmux
	tmux -S "$TMUX_SOCK" new-session -d -s t -x "${2:-200}" -y "${3:-40}" "$1"
}

# start_shell [ARGS...]: torsh on our tor in tmux; when it ends, the window
# shows "EXITED rc=STATUS".
start_shell() {
	tmux_start "XDG_STATE_HOME='$STATE' '$TORSH' ${TORSH_CONNECT[*]} $*; echo \"EXITED rc=\$?\"; sleep 60"
	wait_screen 'Ctrl-D or QUIT leaves'
}

screen() {
	tmux -S "$TMUX_SOCK" capture-pane -p -t t
}

# screen_has TEXT: the screen shows TEXT now.
screen_has() {
	screen | grep -qF -- "$1"
}

# wait_screen TEXT [SECONDS]: up to SECONDS (default 5) for TEXT to appear
# on the screen.
wait_screen() {
	wait_for "${2:-5}" screen_has "$1" && return 0
	echo "screen never showed: $1" >&2
	screen >&2
	return 1
}

keys() {
	tmux -S "$TMUX_SOCK" send-keys -t t "$@"
}
