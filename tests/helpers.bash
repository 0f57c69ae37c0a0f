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
	local i
	for i in $(seq 1 300); do
		[ -s "$TOR_DIR/port" ] && break
		kill -0 "$TOR_PID" 2>/dev/null || { cat "$TOR_DIR/tor.log" >&2; return 1; }
		sleep 0.1
	done
	[ -s "$TOR_DIR/port" ] || { echo "tor did not start" >&2; return 1; }
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

stop_tor() {
	local dir="${1:-$TOR_DIR}"
	[ -n "$dir" ] && [ -f "$dir/tor.pid" ] || return 0
	local pid
	pid="$(cat "$dir/tor.pid")"
	if kill -0 "$pid" 2>/dev/null; then
		kill "$pid" 2>/dev/null
		for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$pid" 2>/dev/null || true
	fi
	rm -rf "$dir"
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

# start_fake SCRIPTFILE: the fake control port on a Unix socket. Sets FAKE_DIR,
# FAKE_SOCK, FAKE_LOG, FAKE_PID.
start_fake() {
	FAKE_DIR="$(short_tmpdir)"
	FAKE_SOCK="$FAKE_DIR/s"
	FAKE_LOG="$FAKE_DIR/log"
	"$FAKEPORT" --unix "$FAKE_SOCK" --script "$1" --log "$FAKE_LOG" --timeout 20 &
	FAKE_PID=$!
	echo "$FAKE_PID" >"$FAKE_DIR/pid"
	for _ in $(seq 1 100); do [ -S "$FAKE_SOCK" ] && return 0; sleep 0.05; done
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
