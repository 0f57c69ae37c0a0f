#!/usr/bin/env bats
# The interactive prompt, driven through tmux as a person would: replies,
# events printed above a half-typed line that stays intact, Ctrl-C, Ctrl-D.

# The tmux helpers (start_shell, keys, screen, wait_screen) are in helpers.bash.
setup() {
	load helpers
	start_tor none unix
	tmux_init
	start_shell
}

teardown() {
	stop_tmux
	stop_tor
}

@test "banner and a prompt naming tor's version and the endpoint" {
	run screen
	assert_line --index 0 --regexp "^torsh [0-9.]+: connected to tor 0\.4\.[0-9.]+ at ${TORSH_CONNECT[1]} \(NULL\)$"
	# the socket /tmp/torsh-t.XXXXXX/control by its last two components
	local short="${TORSH_CONNECT[1]#/tmp/}"
	[[ "$short" == torsh-t.*/control ]]
	assert_line --regexp "^tor 0\.4\.[0-9.]+ ${short//./\\.}> ?$"
}

@test "a socket under \$HOME is named from ~ in the prompt" {
	mkdir "$TMUX_DIR/home"
	ln -s "${TORSH_CONNECT[1]}" "$TMUX_DIR/home/control"
	new_tmux
	tmux -S "$TMUX_SOCK" new-session -d -s t -x 200 -y 40 \
		"HOME='$TMUX_DIR/home' XDG_STATE_HOME='$STATE' '$TORSH' -s '$TMUX_DIR/home/control'; sleep 60"
	wait_screen 'Ctrl-D or QUIT leaves'
	run screen
	assert_line --regexp '^tor 0\.4\.[0-9.]+ ~/control> ?$'
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

@test "a +LOADCONF body is read with a continuation prompt until '.', then confirmed" {
	keys '+LOADCONF' Enter
	wait_screen '...'
	# the body keeps the offline settings; the unknown option makes tor
	# reject all of it
	keys 'DisableNetwork 1' Enter
	keys 'DirAuthority dummy 127.0.0.1:1 ffffffffffffffffffffffffffffffffffffffff' Enter
	keys 'UseDefaultFallbackDirs 0' Enter
	keys 'ThisIsNotAnOption 1' Enter '.' Enter
	wait_screen '+LOADCONF: really send it? [y/N]'
	keys 'y' Enter
	wait_screen "Unknown option 'ThisIsNotAnOption'"
}

@test "Ctrl-D on an empty line leaves with status 0" {
	keys C-d
	wait_screen 'EXITED rc=0'
}

@test "the connection dropping is reported; the shell stays, disconnected; Ctrl-D then exits 5" {
	stop_tor
	wait_screen 'torsh: tor closed the connection'
	wait_screen 'reconnecting (/reconnect retries now; Ctrl-D leaves)'
	wait_screen 'disconnected>'
	keys 'GETINFO version' Enter
	wait_screen 'not connected, nothing was sent'
	# the shell is still there: shell commands work, tor commands are refused
	keys '/format raw' Enter
	keys '/events +CIRC' Enter
	wait_screen 'not connected, nothing was sent; retrying'
	run screen
	[ "$(grep -c 'not connected, nothing was sent' <<<"$output")" -eq 2 ]
	refute_output --partial 'EXITED'
	keys C-d
	wait_screen 'EXITED rc=5'
}

@test "QUIT or /quit while disconnected leaves at once with status 5" {
	stop_tor
	wait_screen 'disconnected>'
	keys 'QUIT' Enter
	wait_screen 'EXITED rc=5'
	start_fake_shell 'close'
	wait_screen 'disconnected>'
	keys '/quit' Enter
	wait_screen 'EXITED rc=5'
	stop_fake
}

@test "a mistyped / command names the closest one; nothing is sent" {
	keys '/evnts +SIGNAL' Enter
	wait_screen 'torsh: unknown torsh command /evnts; did you mean /events? (/help lists them)'
	keys '/events list' Enter
	wait_screen 'subscribed: (none)'
}

@test "reconnect: tor restarts on the same socket; the shell reconnects, resubscribes, events resume" {
	keys '/events +SIGNAL' Enter
	wait_screen 'OK'
	keys 'GETINFO version' Enter
	wait_screen 'version = '
	stop_tor_keep_dir
	wait_screen 'disconnected>'
	restart_tor
	keys '/reconnect' Enter
	wait_screen 'torsh: reconnected'
	keys 'GETINFO process/pid' Enter
	wait_screen "process/pid = $TOR_PID"
	"$TORSH" "${TORSH_CONNECT[@]}" -c 'SIGNAL HEARTBEAT'
	wait_screen 'SIGNAL HEARTBEAT'
	# the history of the first session is still there
	keys Up Up
	wait_screen '> GETINFO version'
}

@test "reconnect: retried by itself with backoff, without /reconnect" {
	stop_tor_keep_dir
	wait_screen 'disconnected>'
	restart_tor
	wait_screen 'torsh: reconnected' 20
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

@test "history: kept in \$XDG_STATE_HOME/torsh/history, mode 0600, without secrets" {
	local addr=2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid
	keys 'GETINFO version' Enter
	wait_screen 'version = '
	keys 'AUTHENTICATE "hunter2-secret"' Enter
	keys 'ADD_ONION ED25519-V3:0GsZ4tIsvNcSd2vvNU5bXWuV0X0ymfsiHKtCZRlzilcAyvYk9oPLiqdJkeFWwy6dwkvVW5oS5FgotpvsWvUAbA== Port=80' Enter
	keys "ONION_CLIENT_AUTH_ADD $addr x25519:yPGUxgKaC5ACyEzsdANHJEJzt5DIqDRBlAFaAWWQn0o=" Enter
	# an invalid hash: tor refuses it, but the line still must not be kept
	keys 'SETCONF HashedControlPassword=16:NOTAHASHsecretish' Enter
	# a mistyped command word: judged as the command it resembles
	keys 'AUTHENTICAT "typo-secret"' Enter
	# nor one that does not parse, nor one sent through /raw
	keys 'AUTHENTICATE "unterminated-hunter3' Enter
	keys '/raw SETCONF HashedControlPassword=16:RAWsecretish' Enter
	keys 'GETCONF ContactInfo' Enter
	wait_screen 'ContactInfo (unset)'
	local h="$STATE/torsh/history"
	[ -f "$h" ]
	[ "$(stat -c %a "$h")" = 600 ]
	[ "$(stat -c %a "$STATE/torsh")" = 700 ]
	run cat "$h"
	assert_line 'GETINFO version'
	assert_line 'GETCONF ContactInfo'
	refute_output --partial 'hunter2'
	refute_output --partial '0GsZ4tIsvNcSd2vvNU5b'
	refute_output --partial 'yPGUxgKaC5ACyEzsdANHJEJzt5DIqDRBlAFaAWWQn0o'
	refute_output --partial 'AUTHENTICATE'
	refute_output --partial 'NOTAHASHsecretish'
	refute_output --partial 'typo-secret'
	refute_output --partial 'hunter3'
	refute_output --partial 'RAWsecretish'
	# nor recalled with Up
	keys Up
	wait_screen '> GETCONF ContactInfo'
	keys Up
	sleep 0.3
	# the entry before GETCONF is GETINFO: the secret lines were skipped
	[[ "$(screen | grep -v '^$' | tail -n 1)" == *'> GETINFO version' ]]
}

@test "history: an existing file is set back to 0600 and recalled with Up in the next session" {
	mkdir -p "$STATE/torsh"
	printf 'GETINFO process/pid\n' >"$STATE/torsh/history"
	chmod 644 "$STATE/torsh/history"
	start_shell
	keys Up
	wait_screen '> GETINFO process/pid'
	keys Enter
	wait_screen "process/pid = $TOR_PID"
	[ "$(stat -c %a "$STATE/torsh/history")" = 600 ]
}

@test "a dangerous command asks first; anything but y sends nothing" {
	keys 'SETEVENTS BUILDTIMEOUT_SET' Enter
	wait_screen 'OK'
	keys 'DROPTIMEOUTS' Enter
	wait_screen 'DROPTIMEOUTS: really send it? [y/N]'
	keys 'n' Enter
	wait_screen 'not sent'
	keys 'DROPTIMEOUTS' Enter
	wait_screen 'really send it? [y/N]'
	keys 'y' Enter
	wait_screen 'BUILDTIMEOUT_SET RESET'
	run screen
	[ "$(grep -c 'BUILDTIMEOUT_SET RESET' <<<"$output")" -eq 1 ]
}

@test "--yes sends a dangerous command without asking" {
	start_shell --yes
	keys 'SETEVENTS BUILDTIMEOUT_SET' Enter
	wait_screen 'OK'
	keys 'DROPTIMEOUTS' Enter
	wait_screen 'BUILDTIMEOUT_SET RESET'
	run screen
	refute_output --partial 'really send it'
}

@test "piped input never asks before a dangerous command" {
	run bash -c "printf 'DROPTIMEOUTS\n' | '$TORSH' ${TORSH_CONNECT[*]}"
	assert_success
	assert_output '250 OK'
}

# complete_line TEXT: a fresh line with TEXT typed, then Tab.
complete_line() {
	keys C-u "$1" Tab
}

# at_cursor TEXT: the line ends in TEXT where the cursor is (tmux drops
# trailing blanks, so a marker shows them), then the marker goes again.
at_cursor() {
	keys '#'
	wait_screen "$1#"
	keys BSpace
}

@test "completion: command words, case-insensitively, and / commands" {
	complete_line 'GETI'
	at_cursor '> GETINFO '
	complete_line 'getc'
	at_cursor '> GETCONF '
	complete_line '/he'
	at_cursor '> /help '
	complete_line 'ONION_CLIENT_AUTH_'
	wait_screen 'ONION_CLIENT_AUTH_REMOVE'
	run screen
	assert_line --regexp '^  ONION_CLIENT_AUTH_ADD +.+'
	assert_line --regexp '^  ONION_CLIENT_AUTH_VIEW +.+'
}

@test "completion: GETINFO keys from info/names, prefix keys, several per line" {
	complete_line 'GETINFO vers'
	at_cursor '> GETINFO version '
	keys 'process/p' Tab
	at_cursor '> GETINFO version process/pid '
	complete_line 'GETINFO ns/i'
	at_cursor '> GETINFO ns/id/'
}

@test "completion: option names with '=', Boolean values, GETCONF names" {
	complete_line 'SETCONF ContactI'
	at_cursor '> SETCONF ContactInfo='
	complete_line 'SETCONF ClientOnly='
	wait_screen '  ClientOnly=1'
	complete_line 'GETCONF DisableNet'
	at_cursor '> GETCONF DisableNetwork '
}

@test "completion: SETEVENTS names (several), SIGNAL names, USEFEATURE, ADD_ONION key types and options" {
	complete_line 'SETEVENTS CIRC STREAM_'
	at_cursor '> SETEVENTS CIRC STREAM_BW '
	complete_line 'SIGNAL NEWN'
	at_cursor '> SIGNAL NEWNYM '
	complete_line 'SIGNAL CLEARD'
	at_cursor '> SIGNAL CLEARDNSCACHE '
	complete_line 'USEFEATURE VERB'
	at_cursor '> USEFEATURE VERBOSE_NAMES '
	complete_line 'ADD_ONION NEW:ED'
	at_cursor '> ADD_ONION NEW:ED25519-V3 '
	keys 'Flags=Disc' Tab
	at_cursor '> ADD_ONION NEW:ED25519-V3 Flags=DiscardPK '
	keys 'Po' Tab
	# ambiguous: Port= and the PoW options are listed
	wait_screen '  PoWQueueRate='
	keys 'rt' Tab
	at_cursor 'Flags=DiscardPK Port='
}

@test "completion: a live onion service ID for DEL_ONION and /onion status, and the ambiguous case lists candidates with descriptions" {
	keys 'ADD_ONION NEW:ED25519-V3 Flags=DiscardPK Port=80' Enter
	wait_screen 'ServiceID = '
	local id
	id="$(screen | sed -n 's/^ServiceID = //p')"
	[ "${#id}" -eq 56 ]
	complete_line '/onion status '
	at_cursor "> /onion status $id "
	complete_line 'DEL_ONION '
	at_cursor "> DEL_ONION $id "
	keys Enter
	wait_screen 'OK'
	complete_line 'SIGNAL '
	wait_screen 'NEWNYM'
	run screen
	assert_line --regexp '^  CLEARDNSCACHE +clears cached DNS results$'
}

@test "completion: a client-authorization address for ONION_CLIENT_AUTH_REMOVE" {
	local addr=2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid
	"$TORSH" "${TORSH_CONNECT[@]}" -c "ONION_CLIENT_AUTH_ADD $addr x25519:yPGUxgKaC5ACyEzsdANHJEJzt5DIqDRBlAFaAWWQn0o="
	keys 'GETINFO version' Enter
	wait_screen 'version = '
	complete_line 'ONION_CLIENT_AUTH_REMOVE 2g'
	at_cursor "> ONION_CLIENT_AUTH_REMOVE $addr "
}

@test "/events adds and removes subscriptions; events from another connection show up or not" {
	keys '/events +SIGNAL +CONF_CHANGED' Enter
	wait_screen 'OK'
	keys '/events list' Enter
	wait_screen 'subscribed: SIGNAL CONF_CHANGED'
	"$TORSH" "${TORSH_CONNECT[@]}" -c 'SETCONF ContactInfo=from-elsewhere'
	wait_screen 'CONF_CHANGED ContactInfo=from-elsewhere'
	keys '/events -SIGNAL' Enter
	keys '/events' Enter
	wait_screen 'subscribed: CONF_CHANGED'
	"$TORSH" "${TORSH_CONNECT[@]}" -c 'SIGNAL HEARTBEAT' -c 'RESETCONF ContactInfo'
	wait_screen 'CONF_CHANGED ContactInfo unset'
	run screen
	refute_output --partial 'SIGNAL HEARTBEAT'
	keys '/events NOPE' Enter
	wait_screen "/events: unknown event type 'NOPE'"
}

@test "/mute hides a type without unsubscribing; /unmute shows it again" {
	keys 'SETEVENTS SIGNAL' Enter
	wait_screen 'OK'
	keys '/mute SIGNAL' Enter
	"$TORSH" "${TORSH_CONNECT[@]}" -c 'SIGNAL HEARTBEAT'
	keys 'GETINFO version' Enter
	wait_screen 'version = '
	run screen
	refute_output --partial 'SIGNAL HEARTBEAT'
	keys '/unmute SIGNAL' Enter
	"$TORSH" "${TORSH_CONNECT[@]}" -c 'SIGNAL CLEARDNSCACHE'
	wait_screen 'SIGNAL CLEARDNSCACHE'
}

@test "/format switches between pretty, raw and json; /explain on adds descriptions" {
	keys '/format raw' Enter
	keys 'GETINFO process/pid' Enter
	wait_screen "250-process/pid=$TOR_PID"
	keys '/format json' Enter
	keys 'GETINFO process/pid' Enter
	wait_screen "\"values\":{\"process/pid\":\"$TOR_PID\"}"
	keys '/format pretty' Enter
	keys '/explain on' Enter
	keys 'SETEVENTS SIGNAL' Enter
	"$TORSH" "${TORSH_CONNECT[@]}" -c 'SIGNAL CLEARDNSCACHE'
	wait_screen 'SIGNAL CLEARDNSCACHE (clears cached DNS results)'
	keys '/format yaml' Enter
	wait_screen "/format: expected pretty, raw or json, got 'yaml'"
}

@test "/circuits and /streams print tables from tor's status" {
	keys '/circuits' Enter
	wait_screen '(no circuits)'
	run screen
	assert_line --regexp '^ID +STATUS +PURPOSE +HS_STATE +REND_QUERY +PATH$'
	keys '/circuits hs' Enter
	wait_screen '(no onion service circuits)'
	keys '/circuits hs_client_rend' Enter
	wait_screen '(no HS_CLIENT_REND circuits)'
	keys '/circuits bogus' Enter
	wait_screen "/circuits: unknown filter 'bogus': expected hs"
	keys '/streams' Enter
	wait_screen '(no streams)'
	run screen
	assert_line --regexp '^ID +STATUS +CIRC +TARGET$'
}

@test "shell-only commands say so in scripts" {
	run "$TORSH" "${TORSH_CONNECT[@]}" -c '/mute BW'
	assert_failure 2
	assert_output --partial '/mute works only in the interactive shell'
}

@test "/trace shows both directions, timestamped, with secrets redacted" {
	keys '/trace on' Enter
	keys 'GETINFO version' Enter
	wait_screen '> GETINFO version'
	wait_screen '< 250-version=0.4.'
	run screen
	assert_line --regexp '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} > GETINFO version$'
	keys 'AUTHENTICATE "hunter2-trace"' Enter
	wait_screen '> AUTHENTICATE [redacted]'
	keys 'ADD_ONION NEW:ED25519-V3 Port=80' Enter
	wait_screen '< 250-PrivateKey=[redacted]'
	run screen
	refute_output --partial '68756E74657232'
	keys '/trace off' Enter
	keys 'GETINFO process/pid' Enter
	wait_screen "process/pid = $TOR_PID"
	run screen
	refute_line --regexp '^[0-9:.]+ > GETINFO process/pid$'
}

# What torsh itself printed: /trace lines, its messages, the caret line
# above an error (the prompt echoes what was typed, and that is not ours).
torsh_lines() {
	tmux -S "$TMUX_SOCK" capture-pane -p -J -S -300 -t t |
		grep -E '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} [<>] |^torsh: |^  ' || true
}

@test "secrets: credential options, /raw spelled any way, quoted keys, +LOADCONF bodies: not in history, /trace or errors" {
	local addr=2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid
	local key=0GsZ4tIsvNcSd2vvNU5bXWuV0X0ymfsiHKtCZRlzilcAyvYk9oPLiqdJkeFWwy6dwkvVW5oS5FgotpvsWvUAbA==
	keys '/trace on' Enter
	keys 'SETCONF Socks5ProxyUsername=S5USER-sec Socks5ProxyPassword=S5PASS-sec' Enter
	wait_screen '> SETCONF Socks5ProxyUsername=[redacted]'
	keys 'SETCONF HTTPSProxyAuthenticator=user:HTTPSPW-sec' Enter
	wait_screen '> SETCONF HTTPSProxyAuthenticator=[redacted]'
	keys '/RAW AUTHENTICATE "RAWUPPER-sec"' Enter
	wait_screen '> AUTHENTICATE [redacted]'
	keys ' /raw AUTHENTICATE "RAWBLANK-sec"' Enter
	wait_screen 'leading whitespace'
	keys '/rwa AUTHENTICATE "RAWTYPO-sec"' Enter
	wait_screen 'unknown torsh command /rwa'
	keys "ADD_ONION \"ED25519-V3:$key\" Port=80" Enter
	wait_screen 'KEY: expected NEW:BEST'
	# Enter pressed in the middle: the second half is an unknown command
	keys 'SETCONF ContactInfo=x' Enter 'Socks5ProxyPassword=SPLIT-sec' Enter
	wait_screen 'unknown command Socks5ProxyPassword=[redacted]'
	keys "ONION_CLIENT_AUTH_ADD $addr x25519:BADKEY!0123456789abcdefghijklmnopqrstu-sec=" Enter
	wait_screen 'x25519 key: expected base64'
	# a body tor refuses (an unknown option), so the config stays as it is
	keys '+LOADCONF' Enter
	keys 'HashedControlPassword 16:LOADHASH-sec' Enter
	keys 'Socks5ProxyPassword LOADPW-sec' Enter
	keys 'NoSuchOption 1' Enter
	keys '.' Enter
	wait_screen 'really send it? [y/N]'
	keys 'y' Enter
	wait_screen '> Socks5ProxyPassword [redacted]'
	keys 'GETINFO version' Enter
	wait_screen '< 250-version='
	run torsh_lines
	assert_line --regexp '> HashedControlPassword \[redacted\]$'
	# tor refused the body: its configuration is untouched
	assert_line --regexp '< 55[0-9] .*NoSuchOption'
	for s in S5USER S5PASS HTTPSPW RAWUPPER 5241575550504552 RAWBLANK RAWTYPO 0GsZ4tIsvNcSd2vvNU5b SPLIT BADKEY LOADHASH LOADPW; do
		refute_output --partial "$s"
	done
	run cat "$STATE/torsh/history"
	assert_line 'GETINFO version'
	for s in S5USER S5PASS HTTPSPW RAWUPPER RAWBLANK RAWTYPO 0GsZ4tIsvNcSd2vvNU5b SPLIT BADKEY AUTHENTICATE; do
		refute_output --partial "$s"
	done
}

@test "an event flood is summarised per type instead of scrolling past; /scrollback shows the latest" {
	local script="$BATS_TEST_TMPDIR/flood.script"
	{
		echo auth-null
		echo 'sleep 300'
		echo 'repeat 5000 650 BW 1024 2048\r\n'
		echo 'line 650 SIGNAL NEWNYM'
		echo drain
	} >"$script"
	start_fake "$script"
	tmux_start "XDG_STATE_HOME='$STATE' '$TORSH' -s '$FAKE_SOCK' ${FAKE_SHELL_OPTS:-}; echo \"EXITED rc=\$?\"; sleep 60" 200 60
	wait_screen '... 4,950 BW events in the last second (not shown; /scrollback lists them)'
	run screen
	[ "$(grep -c '^[0-9:]* BW 1024 2048$' <<<"$output")" -le 50 ]
	keys '/scrollback 3' Enter
	# in the mode of the moment (pretty), not as the wire lines
	wait_screen ' SIGNAL NEWNYM'
	run screen
	assert_line --regexp '^[0-9:]{8} SIGNAL NEWNYM$'
	assert_line --regexp '^[0-9:]{8} BW read 1 KiB/s written 2 KiB/s$'
	refute_line '650 BW 1024 2048'
	stop_fake
}

@test "/scrollback renders kept events in the current mode: pretty with their lines, then JSON" {
	start_fake_shell 'line 650-CONF_CHANGED' 'line 650-ContactInfo=x y' 'line 650 OK' \
		'line 650+WARN' 'line a warning \x1b[2J' 'line second line' 'line .' 'line 650 OK' 'drain'
	wait_screen '  second line'
	keys '/scrollback' Enter
	wait_for 5 eval '[ "$(screen | grep -c "^  second line$")" -eq 2 ]'
	run screen
	# each event twice: as it came, and from the scrollback
	[ "$(grep -cE '^[0-9:]{8} CONF_CHANGED ContactInfo=x y$' <<<"$output")" -eq 2 ]
	[ "$(grep -cE '^[0-9:]{8} WARN$' <<<"$output")" -eq 2 ]
	[ "$(grep -cxF '  a warning \e[2J' <<<"$output")" -eq 2 ]
	keys '/format json' Enter '/scrollback 2' Enter
	wait_screen '{"type":"event","code":650,"event":"WARN"'
	run bash -c "tmux -S '$TMUX_SOCK' capture-pane -p -J -t t | grep '^{' | jq -c '[.event, .fields]'"
	assert_success
	assert_output - <<'EOT'
["CONF_CHANGED",{"ContactInfo":"x y"}]
["WARN",{"Message":"a warning \u001b[2J\nsecond line"}]
EOT
}

# The lines of config-text as tor has them.
config_text() {
	"$TORSH" "${TORSH_CONNECT[@]}" --json -c 'GETINFO config-text' | jq -r '.values["config-text"]' | sed '/^$/d'
}

@test "a data block on the screen: each line on a row of its own, the prompt below the last one" {
	local want
	want="$(config_text)"
	[ "$(wc -l <<<"$want")" -ge 5 ]
	keys 'GETINFO config-text' Enter
	wait_screen "$(tail -n 1 <<<"$want")"
	sleep 0.3
	local shown
	shown="$(screen | sed -n '/^config-text:$/,$p' | sed '/^$/d')"
	[ "$(head -n -1 <<<"$shown")" = "config-text:"$'\n'"$want" ]
	[[ "$(tail -n 1 <<<"$shown")" =~ ^tor\ 0\.4\.[0-9.]+\ .*\>$ ]]
}

@test "ONION_CLIENT_AUTH_VIEW shows the private key intact, its '=' padding and all" {
	local addr=2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid key=U0oa8BQpIhtHHvsmrDLU8y4t7aX1hpQO0T3mlZ4jLJk=
	keys "ONION_CLIENT_AUTH_ADD $addr x25519:$key ClientName=alice" Enter
	wait_screen 'OK'
	keys 'ONION_CLIENT_AUTH_VIEW' Enter
	wait_screen "CLIENT $addr"
	run screen
	assert_line "CLIENT $addr x25519:$key ClientName=alice"
	keys 'PROTOCOLINFO' Enter
	wait_screen 'AUTH METHODS'
	run screen
	assert_line 'AUTH METHODS=NULL'
	assert_line --regexp '^VERSION Tor="0\.4\.[0-9.]+"$'
}

@test "-c on a terminal: the output ends with a newline, the outer shell's prompt on a line of its own" {
	local want
	want="$(config_text)"
	tmux_start "env PS1='outer\$ ' bash --norc --noprofile" 200 40
	wait_screen 'outer$'
	keys "clear; '$TORSH' ${TORSH_CONNECT[*]} -c 'GETINFO config-text'" Enter
	wait_screen "$(tail -n 1 <<<"$want")"
	sleep 0.3
	local shown
	shown="$(screen | sed '/^$/d')"
	[ "$(tail -n 2 <<<"$shown")" = "$(tail -n 1 <<<"$want")"$'\n''outer$' ]
}

@test "UTF-8 input is edited and sent intact" {
	keys 'SETCONF ContactInfo="café ☕ ok"' Enter
	wait_screen 'OK'
	run bash -c "'$TORSH' ${TORSH_CONNECT[*]} --json -c 'GETCONF ContactInfo' | jq -r .values.ContactInfo"
	assert_output 'café ☕ ok'
	# editing in the middle of multi-byte text: cursor moves by characters
	keys 'GETCONF Contactéé' BSpace BSpace 'Info' Enter
	wait_screen 'ContactInfo = "caf'
}

@test "a window resize keeps the half-typed line, and events still print above it" {
	keys 'SETEVENTS SIGNAL' Enter
	wait_screen 'OK'
	keys 'GETCONF Nickn'
	tmux -S "$TMUX_SOCK" resize-window -t t -x 90 -y 30
	sleep 0.3
	"$TORSH" "${TORSH_CONNECT[@]}" -c 'SIGNAL HEARTBEAT'
	wait_screen 'SIGNAL HEARTBEAT'
	run screen
	assert_line --regexp '> GETCONF Nickn$'
	keys 'ame' Enter
	wait_screen 'Nickname (unset)'
}

@test "/wait at the prompt: holds the commands typed meanwhile and sends them after the event; a timeout or Ctrl-C drops them" {
	keys '/wait SIGNAL' Enter
	wait_screen '/wait: not subscribed to SIGNAL; /events +SIGNAL first'
	keys '/events +SIGNAL' Enter
	wait_screen 'OK'
	keys '/wait SIGNAL Signal=HEARTBEAT --timeout 20' Enter
	wait_screen 'waiting for SIGNAL (Ctrl-C stops)>'
	keys 'GETCONF ContactInfo' Enter
	wait_screen 'held; runs when the SIGNAL event comes'
	keys '/circuits' Enter
	sleep 0.5
	run screen
	refute_output --partial 'ContactInfo (unset)'
	refute_output --partial 'STATUS'
	"$TORSH" "${TORSH_CONNECT[@]}" -c 'SIGNAL HEARTBEAT'
	wait_screen '(no circuits)'
	# the event, then the held commands in the order typed
	run screen
	local order
	order="$(grep -nE '^(/wait: done|ContactInfo \(unset\)|\(no circuits\))$' <<<"$output" | cut -d: -f2- | tr '\n' ,)"
	[ "$order" = '/wait: done,ContactInfo (unset),(no circuits),' ]
	keys '/wait SIGNAL --timeout 0.5' Enter
	keys 'GETINFO process/pid' Enter
	wait_screen '/wait: no SIGNAL event within 0.5 s'
	wait_screen '1 held command not sent (Up recalls it)'
	keys '/wait SIGNAL' Enter
	wait_screen 'waiting for SIGNAL'
	keys 'GETINFO process/pid' Enter
	wait_screen 'held; runs'
	keys C-c
	wait_screen '1 held command not sent'
	run screen
	refute_output --partial "process/pid = $TOR_PID"
	keys 'GETINFO process/pid' Enter
	wait_screen "process/pid = $TOR_PID"
	# a held command that asks first: the ones after it follow the answer
	keys '/wait SIGNAL --timeout 20' Enter
	keys 'SIGNAL HALT' Enter
	keys 'GETCONF Nickname' Enter
	wait_screen 'held; runs'
	"$TORSH" "${TORSH_CONNECT[@]}" -c 'SIGNAL HEARTBEAT'
	wait_screen 'SIGNAL HALT: really send it? [y/N]'
	run screen
	refute_output --partial 'Nickname (unset)'
	keys 'n' Enter
	wait_screen 'Nickname (unset)'
	kill -0 "$TOR_PID"
}

@test "/wait typed after the event arrived sees it (since the last command sent, each event once)" {
	keys '/events +SIGNAL' Enter
	wait_screen 'OK'
	"$TORSH" "${TORSH_CONNECT[@]}" -c 'SIGNAL HEARTBEAT'
	wait_screen 'SIGNAL HEARTBEAT'
	keys '/wait SIGNAL Signal=HEARTBEAT --timeout 3' Enter
	wait_screen '/wait: done (a matching SIGNAL event had come already)'
	# used up: the same event does not end a second /wait
	keys '/wait SIGNAL --timeout 0.5' Enter
	wait_screen '/wait: no SIGNAL event within 0.5 s'
	# a command sent after the event: it no longer counts
	"$TORSH" "${TORSH_CONNECT[@]}" -c 'SIGNAL HEARTBEAT'
	wait_screen 'SIGNAL HEARTBEAT' 
	keys 'GETINFO version' Enter
	wait_screen 'version = '
	keys '/wait SIGNAL --timeout 0.7' Enter
	wait_screen '/wait: no SIGNAL event within 0.7 s'
}

@test "completion: a live stream ID from tor (a pending RESOLVE) for CLOSESTREAM, with its target" {
	keys 'RESOLVE example.com' Enter
	wait_screen 'OK'
	keys 'RESOLVE example.net' Enter
	keys '/streams' Enter
	wait_screen 'example.net:0'
	local a
	# two streams: a data block, one "ID STATUS CIRC TARGET" line each
	a="$("$TORSH" "${TORSH_CONNECT[@]}" -c 'GETINFO stream-status' | sed -n 's/^\([0-9]*\) NEWRESOLVE 0 example\.com:0$/\1/p')"
	[ -n "$a" ]
	complete_line 'CLOSESTREAM '
	# both streams are candidates, described by status and target
	wait_screen 'NEWRESOLVE example.net:0 on circuit 0'
	run screen
	assert_line --regexp "^  $a +NEWRESOLVE example.com:0 on circuit 0\$"
	complete_line "CLOSESTREAM $a"
	at_cursor "> CLOSESTREAM $a "
	keys 'MISC' Tab
	at_cursor "> CLOSESTREAM $a MISC "
	keys Enter
	wait_screen 'OK'
	run "$TORSH" "${TORSH_CONNECT[@]}" -c 'GETINFO stream-status'
	refute_output --partial 'example.com'
	assert_output --partial 'example.net'
}

# start_fake_shell SCRIPT-LINES...: a fake control port that first answers
# the requests torsh makes after connecting (the */names lists, nothing
# else), then plays the given lines; torsh in tmux on it, with the options
# in $FAKE_SHELL_OPTS.
start_fake_shell() {
	local script="$BATS_TEST_TMPDIR/fake.script"
	{
		echo auth-null
		local req
		for req in 'GETINFO config/names' 'GETINFO info/names' 'GETINFO features/names'; do
			echo "expect $req"
			echo 'line 250 OK'
		done
		printf '%s\n' "$@"
	} >"$script"
	start_fake "$script"
	tmux_start "XDG_STATE_HOME='$STATE' '$TORSH' -s '$FAKE_SOCK' ${FAKE_SHELL_OPTS:-}; echo \"EXITED rc=\$?\"; sleep 60"
	wait_screen 'Ctrl-D or QUIT leaves'
}

FP_A='$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
FP_B='$BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB'
FP_C='$CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC'

# An offline tor has no circuits, so circuits come from the fake port: one
# in circuit-status, asked for by the first Tab, one made later and known
# only from its CIRC event.
@test "completion: live circuit IDs from circuit-status and from CIRC events, listed with purpose and path" {
	start_fake_shell \
		'expect GETINFO circuit-status' \
		"line 250-circuit-status=7 BUILT $FP_A~guardA,$FP_B~middleB,$FP_C~exitC PURPOSE=GENERAL TIME_CREATED=2026-12-01T10:00:00.0" \
		'line 250 OK' \
		'sleep 500' \
		"line 650 CIRC 9 EXTENDED $FP_A~guardA,$FP_C~exitC BUILD_FLAGS=IS_INTERNAL PURPOSE=HS_SERVICE_INTRO" \
		'drain'
	complete_line 'CLOSECIRCUIT '
	at_cursor '> CLOSECIRCUIT 7 '
	wait_screen 'CIRC 9 EXTENDED'
	complete_line 'CLOSECIRCUIT '
	wait_screen '  9  EXTENDED HS_SERVICE_INTRO guardA > exitC'
	run screen
	assert_line '  7  BUILT GENERAL guardA > middleB > exitC'
	keys '9' Tab
	at_cursor '> CLOSECIRCUIT 9 '
	keys 'If' Tab
	at_cursor '> CLOSECIRCUIT 9 IfUnused '
	# the first Tab asked tor for circuit-status; the others found it current
	run cat "$FAKE_LOG"
	assert_line 'GETINFO circuit-status\r'
	[ "$(grep -c 'GETINFO circuit-status' "$FAKE_LOG")" -eq 1 ]
	refute_output --partial 'UNEXPECTED'
	stop_fake
}

# Issue 13: torsh sends only what the user typed, the */names lists at the
# start, and what a Tab needs, when it is missing or stale.
@test "nothing unasked: after a reply nothing is sent; a Tab asks circuit-status once, again after a command; /trace marks it (torsh)" {
	start_fake_shell \
		'expect GETINFO version' 'line 250-version=0.4.9.11' 'line 250 OK' \
		'expect GETINFO circuit-status' 'line 250-circuit-status=5 BUILT PURPOSE=GENERAL' 'line 250 OK' \
		'expect GETINFO version' 'line 250-version=0.4.9.11' 'line 250 OK' \
		'expect GETINFO circuit-status' 'line 250-circuit-status=6 BUILT PURPOSE=GENERAL' 'line 250 OK' \
		'drain'
	keys 'GETINFO version' Enter
	wait_screen 'version = 0.4.9.11'
	sleep 1
	run cat "$FAKE_LOG"
	# the names lists, the typed command, and nothing else
	[ "${#lines[@]}" -eq 6 ]
	assert_line --index 5 'GETINFO version\r'
	refute_output --partial 'ns/all'
	keys '/trace on' Enter
	complete_line 'CLOSECIRCUIT '
	at_cursor '> CLOSECIRCUIT 5 '
	wait_screen '> (torsh) GETINFO circuit-status'
	complete_line 'CLOSECIRCUIT '
	at_cursor '> CLOSECIRCUIT 5 '
	[ "$(grep -c 'GETINFO circuit-status' "$FAKE_LOG")" -eq 1 ]
	keys C-u 'GETINFO version' Enter
	wait_screen '< 250 OK'
	# a command may have changed the circuits: the next Tab asks again
	complete_line 'CLOSECIRCUIT '
	at_cursor '> CLOSECIRCUIT 6 '
	run screen
	assert_line --regexp '^[0-9:.]+ > GETINFO version$'
	run cat "$FAKE_LOG"
	refute_output --partial 'UNEXPECTED'
	[ "$(grep -c 'GETINFO circuit-status' "$FAKE_LOG")" -eq 2 ]
	stop_fake
}

@test "commands typed while a reply is pending are sent in order and each reply is shown with its command" {
	start_fake_shell \
		'expect GETINFO version' \
		'sleep 1500' \
		'line 250-version=0.4.9.11' 'line 250 OK' \
		'expect GETCONF Nickname' 'line 250 Nickname=second' \
		'expect GETINFO process/pid' 'line 250-process/pid=4242' 'line 250 OK' \
		'drain'
	keys 'GETINFO version' Enter
	keys 'GETCONF Nickname' Enter
	keys 'GETINFO process/pid' Enter
	wait_screen 'process/pid = 4242'
	run screen
	# the replies come in the order the commands were typed, after them
	local order
	order="$(grep -nE '^(version = 0.4.9.11|Nickname = second|process/pid = 4242)$' <<<"$output" | cut -d: -f2 | tr '\n' ,)"
	[ "$order" = 'version = 0.4.9.11,Nickname = second,process/pid = 4242,' ]
	run cat "$FAKE_LOG"
	assert_line 'GETCONF Nickname\r'
	refute_output --partial 'UNEXPECTED'
	stop_fake
}

@test "Ctrl-C cancels a body being typed; nothing is sent" {
	keys '+LOADCONF' Enter
	wait_screen '...'
	keys 'DisableNetwork 1' Enter
	keys 'ContactInfo cancelled-body' Enter
	keys C-c
	wait_screen '^C'
	# back at the normal prompt: a command is a command again
	keys 'GETCONF ContactInfo' Enter
	wait_screen 'ContactInfo (unset)'
	run screen
	refute_output --partial 'really send it'
}

@test "a dangerous SIGNAL asks first; n keeps tor running" {
	keys 'SIGNAL SHUTDOWN' Enter
	wait_screen 'SIGNAL SHUTDOWN: really send it? [y/N]'
	keys Enter
	wait_screen 'not sent'
	# /raw sends it unchecked, but still not without asking
	keys '/raw SIGNAL HALT' Enter
	wait_screen '/raw SIGNAL HALT: really send it? [y/N]'
	keys 'n' Enter
	keys 'GETINFO process/pid' Enter
	wait_screen "process/pid = $TOR_PID"
	kill -0 "$TOR_PID"
}

@test "an event above a half-typed line that wraps over three rows leaves it intact, and it is what is sent" {
	tmux -S "$TMUX_SOCK" resize-window -t t -x 60 -y 30
	keys 'SETEVENTS SIGNAL' Enter
	wait_screen 'OK'
	local long
	long="$(printf 'w%.0s' $(seq 1 100))"
	keys "SETCONF ContactInfo=$long"
	sleep 0.3
	"$TORSH" "${TORSH_CONNECT[@]}" -c 'SIGNAL HEARTBEAT'
	wait_screen 'SIGNAL HEARTBEAT'
	# joined rows: the event stands alone, the typed line once, after it
	run tmux -S "$TMUX_SOCK" capture-pane -p -J -t t
	assert_line --regexp '^[0-9:]{8} SIGNAL HEARTBEAT$'
	assert_line --regexp "> SETCONF ContactInfo=$long\$"
	[ "$(grep -c 'SETCONF ContactInfo' <<<"$output")" -eq 1 ]
	keys Enter
	wait_screen 'OK'
	run "$TORSH" "${TORSH_CONNECT[@]}" -c 'GETCONF ContactInfo'
	assert_output "250 ContactInfo=$long"
}

# An offline tor knows no relays; ns/all comes from the fake port.
@test "completion: relays as \$fingerprint~nickname with their flags, hop after hop, and SERVER=" {
	local fp_d='$DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD'
	local ns="r guardA qqqqqqqqqqqqqqqqqqqqqqqqqqo AAAAAAAAAAAAAAAAAAAAAAAAAAA 2026-12-01 10:00:00 127.0.0.1 5000 0
s Fast Guard Running Stable Valid
r exitC zMzMzMzMzMzMzMzMzMzMzMzMzMw AAAAAAAAAAAAAAAAAAAAAAAAAAA 2026-12-01 10:00:00 127.0.0.2 5000 0
s Exit Fast Running Valid
r exitD 3d3d3d3d3d3d3d3d3d3d3d3d3d0 AAAAAAAAAAAAAAAAAAAAAAAAAAA 2026-12-01 10:00:00 127.0.0.3 5000 0
s Exit Running Valid"
	# ns/all is asked for by the first Tab that completes a relay, once
	local lines=()
	mapfile -t lines < <(sed 's/^/line /' <<<"$ns")
	start_fake_shell 'expect GETINFO ns/all' 'line 250+ns/all=' "${lines[@]}" 'line .' 'line 250 OK' 'drain'
	complete_line 'EXTENDCIRCUIT 0 gua'
	at_cursor "> EXTENDCIRCUIT 0 $FP_A~guardA"
	keys ',ex' Tab
	wait_screen "  $FP_A~guardA,$FP_C~exitC  Exit Fast Running Valid"
	run screen
	assert_line "  $FP_A~guardA,$fp_d~exitD  Exit Running Valid"
	keys 'itC' Tab
	at_cursor "> EXTENDCIRCUIT 0 $FP_A~guardA,$FP_C~exitC"
	complete_line 'HSFETCH 2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid SERVER=exitD'
	at_cursor "SERVER=$fp_d~exitD "
	[ "$(grep -c 'GETINFO ns/all' "$FAKE_LOG")" -eq 1 ]
	stop_fake
}

@test "/quit: tor answers and closes; torsh exits 0 and asks nothing more (no reconnect)" {
	start_fake_shell \
		'expect QUIT' 'line 250 closing connection' 'sleep 300' 'close'
	keys '/quit' Enter
	wait_screen 'EXITED rc=0'
	run screen
	refute_output --partial 'reconnecting'
	refute_output --partial 'Broken pipe'
	# nothing was sent after QUIT
	local at
	at="$(grep -nxF 'QUIT\r' "$FAKE_LOG" | cut -d: -f1)"
	[ -n "$at" ]
	run tail -n "+$at" "$FAKE_LOG"
	assert_line --index 0 'QUIT\r'
	refute_line --regexp '^(GETINFO|ONION_CLIENT_AUTH_VIEW)'
	stop_fake
}

@test "/raw QUIT: tor answers and closes; torsh exits 0 (a known command word, even through /raw)" {
	keys '/raw QUIT' Enter
	wait_screen 'EXITED rc=0'
	run screen
	refute_output --partial 'reconnecting'
	refute_output --partial 'Broken pipe'
}

@test "--timeout at the prompt: a reply overdue while events drip in is reported with its command; the shell stays, disconnected" {
	FAKE_SHELL_OPTS='--timeout 2' start_fake_shell \
		'expect GETINFO version' 'drip 50 650 BW 1 1\r\n'
	keys 'GETINFO version' Enter
	# the events are shown while the reply is awaited
	wait_screen 'BW'
	wait_screen 'torsh: no reply to GETINFO version within 2 s (--timeout)'
	wait_screen 'disconnected>'
	run screen
	refute_output --partial 'EXITED'
	stop_fake
}

@test "tor killed (SIGKILL) with a command pending: the shell names it, reconnects when tor is back" {
	keys 'GETINFO version' Enter
	wait_screen 'version = '
	# stopped, tor takes the next command but never answers; then it dies
	kill -STOP "$TOR_PID"
	keys 'GETINFO config-file' Enter
	sleep 1
	kill -KILL "$TOR_PID"
	wait_screen 'no reply to: GETINFO config-file'
	wait_screen 'disconnected>'
	rm -f "$TOR_DIR/port"
	restart_tor
	keys '/reconnect' Enter
	wait_screen 'torsh: reconnected'
	keys 'GETINFO process/pid' Enter
	wait_screen "process/pid = $TOR_PID"
}

@test "SIGTERM at the prompt: torsh ends by the signal, on a fresh line" {
	local sh pid
	sh="$(tmux -S "$TMUX_SOCK" list-panes -t t -F '#{pane_pid}')"
	pid="$(pgrep -P "$sh")"
	[ -n "$pid" ]
	kill -TERM "$pid"
	wait_screen 'EXITED rc=143'
	run screen
	# the prompt line was ended first
	assert_line 'EXITED rc=143'
}

# The budget is per event type: a CIRC flood does not hide a rare HS_DESC.
@test "a flood of 5,000 CIRC events does not hide the 3 HS_DESC events among them" {
	local script="$BATS_TEST_TMPDIR/flood.script" i
	{
		echo auth-null
		echo 'sleep 300'
		for i in 1 2 3; do
			echo 'repeat 1666 650 CIRC 1 LAUNCHED PURPOSE=GENERAL\r\n'
			echo "line 650 HS_DESC UPLOADED hsdesc${i}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx UNKNOWN \$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA~hsdir$i"
		done
		echo 'repeat 2 650 CIRC 1 LAUNCHED PURPOSE=GENERAL\r\n'
		echo drain
	} >"$script"
	start_fake "$script"
	tmux_start "XDG_STATE_HOME='$STATE' '$TORSH' -s '$FAKE_SOCK' --pretty; echo \"EXITED rc=\$?\"; sleep 60" 200 60
	wait_screen '... 4,950 CIRC events in the last second (not shown; /scrollback lists them)'
	run screen
	for i in 1 2 3; do
		assert_output --partial "hsdesc${i}xxxx"
	done
	refute_output --partial 'HS_DESC events in the last second'
	stop_fake
}
