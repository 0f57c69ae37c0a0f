#!/usr/bin/env bats
# Clear words at every stop (issue 13): a script's stop, argument typos,
# onion address typos, requests tor mishandles, local setters that confirm
# what they changed. Against a real offline tor; the screen through tmux.

load helpers
shared_tor

# a valid v3 address, and the same with its last character mistyped
ONION=aaaqeayeaudaocajbifqydiob4ibceqtcqkrmfyydenbwha5dyp3kead
ONION_LAST=aaaqeayeaudaocajbifqydiob4ibceqtcqkrmfyydenbwha5dyp3keax
# a real service's address (its key a valid ed25519 point; ONION's is not)
ONION_TP=2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid

@test "a typo in an onion address's last character is a checksum mismatch, not a version byte" {
	run "$TORSH" "${TORSH_CONNECT[@]}" -c "HSFETCH $ONION_LAST"
	assert_failure 2
	assert_output --partial "checksum mismatch: probably a typo in '$ONION_LAST'"
	refute_output --partial 'version byte'
}

@test "EXTENDCIRCUIT 0 purpose=controller without a path is refused before sending, /raw too" {
	run "$TORSH" "${TORSH_CONNECT[@]}" -c 'EXTENDCIRCUIT 0 purpose=controller'
	assert_failure 2
	assert_output --partial 'without a path is answered 551, and an existing GENERAL circuit still becomes a CONTROLLER one'
	run "$TORSH" "${TORSH_CONNECT[@]}" -c '/trace on' -c '/raw EXTENDCIRCUIT 0 Purpose=CONTROLLER'
	assert_failure 2
	assert_output --partial 'nothing was sent'
	refute_output --partial '> EXTENDCIRCUIT'
	# with a path, or with purpose=general, it goes to tor
	run "$TORSH" "${TORSH_CONNECT[@]}" -c 'EXTENDCIRCUIT 0 purpose=general'
	refute_output --partial 'CONTROLLER one'
}

@test "a script stopped by tor's error says where, what tor said and how many commands were not sent" {
	run bash -c "printf 'GETINFO version\nSETCONF Nope=1\n# a comment\n\nGETINFO uptime\n' | '$TORSH' ${TORSH_CONNECT[*]} 2>&1 >/dev/null"
	assert_failure 1
	assert_output "torsh: line 2: 552 Unrecognized option: Unknown option 'Nope'.  Failing; stopped, 1 command not sent (-k continues past errors)"
	run bash -c "'$TORSH' ${TORSH_CONNECT[*]} -c 'GETCONF Nope' -c 'GETINFO version' -c 'GETINFO uptime' 2>&1 >/dev/null"
	assert_failure 1
	assert_output 'torsh: -c 1: 552 Unrecognized configuration key "Nope"; stopped, 2 commands not sent (-k continues past errors)'
	# tor's text is escaped: a key with an escape character in it
	run bash -c "'$TORSH' ${TORSH_CONNECT[*]} -c 'GETCONF \"a\\\\x1b[31m\"' -c 'GETINFO version' 2>&1 >/dev/null"
	refute_output --partial $'\e'
	# nothing cut: nothing to say; -k: nothing stopped
	run bash -c "'$TORSH' ${TORSH_CONNECT[*]} -c 'GETINFO version' -c 'GETCONF Nope' 2>&1 >/dev/null"
	assert_output ''
	run bash -c "'$TORSH' ${TORSH_CONNECT[*]} -k -c 'GETCONF Nope' -c 'GETINFO version' 2>&1 >/dev/null"
	assert_output ''
}

@test "a line torsh refuses stops a script with the same words" {
	run bash -c "printf 'GETINFO version\nBOGUS\nGETINFO uptime\nGETINFO version\n' | '$TORSH' ${TORSH_CONNECT[*]} 2>&1 >/dev/null"
	assert_failure 2
	assert_line --index 1 'torsh: line 2: stopped, 2 commands not sent (-k continues past errors)'
}

@test "argument typos: did you mean, not the whole list" {
	run "$TORSH" "${TORSH_CONNECT[@]}" -c 'SIGNAL NEWNIM'
	assert_failure 2
	assert_output "torsh: column 8: SIGNAL: unknown value 'NEWNIM'; did you mean NEWNYM?"
	run "$TORSH" "${TORSH_CONNECT[@]}" -c 'SETEVENTS CIRK'
	assert_output --partial "did you mean CIRC?"
	run "$TORSH" "${TORSH_CONNECT[@]}" -c 'CLOSESTREAM 1 DOEN'
	assert_output --partial "did you mean DONE?"
	run "$TORSH" "${TORSH_CONNECT[@]}" -c 'CLOSECIRCUIT 1 IfUnsed'
	assert_output --partial "did you mean IfUnused?"
	# a word close to none still gets the list
	run "$TORSH" "${TORSH_CONNECT[@]}" -c 'SIGNAL BOGUS'
	assert_output --partial 'expected one of RELOAD, SHUTDOWN'
	# GETINFO keys only tor can judge: after its 552, from tor's own list
	run "$TORSH" "${TORSH_CONNECT[@]}" -k -c 'GETINFO versoin' -c 'GETINFO circuit-statsu'
	assert_line '552 Unrecognized key "versoin"'
	assert_line 'torsh: -c 1: did you mean version?'
	assert_line 'torsh: -c 2: did you mean circuit-status?'
}

teardown() {
	stop_tmux
}

@test "local setters confirm what they changed, in the command table's words" {
	tmux_init
	start_shell
	keys '/trace on' Enter
	wait_screen 'trace on: commands and replies are printed with > and <'
	keys '/trace off' Enter
	wait_screen 'trace off: commands and replies are no longer printed'
	keys '/format json' Enter
	wait_screen 'format: json (one JSON object per reply and per event)'
	keys '/format pretty' Enter
	keys '/explain on' Enter
	wait_screen 'explain on: enum values are followed by their description'
	keys '/mute BW' Enter
	wait_screen 'mute BW: no longer shown, still subscribed'
	keys '/unmute BW' Enter
	wait_screen 'unmute BW: shown again'
	# a refused value changes nothing and confirms nothing
	keys '/format yaml' Enter
	wait_screen "/format: expected pretty, raw or json, got 'yaml'"
	! screen_has 'format: yaml'
}

@test "interactive: tor's 552 for an option name gets did you mean from config/names" {
	tmux_init
	start_shell
	keys 'GETCONF SocksPrt' Enter
	wait_screen 'Unrecognized configuration key "SocksPrt"'
	wait_screen 'torsh: did you mean SocksPort?'
	keys 'GETINFO uptim' Enter
	wait_screen 'torsh: did you mean uptime?'
}

@test "Tab: the common prefix first, then a sorted list" {
	tmux_init
	start_shell
	keys 'au' Tab
	wait_screen 'control> AUTH'
	keys Tab
	wait_screen '  AUTHCHALLENGE'
	run screen
	# sorted: AUTHCHALLENGE before AUTHENTICATE; CIRC_BW before CIRC_MINOR
	assert_line --index 3 --regexp '^  AUTHCHALLENGE '
	assert_line --index 4 --regexp '^  AUTHENTICATE '
	keys C-u 'SETEVENTS CIRC_' Tab
	wait_screen '  CIRC_MINOR'
	run bash -c "tmux -S '$TMUX_SOCK' capture-pane -p -t t | grep -n '^  CIRC_' | cut -d: -f2 | awk '{print \$1}' | tr '\n' ' '"
	assert_output 'CIRC_BW CIRC_MINOR '
}

@test "HSFETCH and +HSPOST SERVER=nickname are refused before sending: tor takes only \$FINGERPRINT" {
	# what tor does with a nickname there
	run "$TORSH" "${TORSH_CONNECT[@]}" -c "/raw HSFETCH $ONION_TP SERVER=moria1"
	assert_failure 1
	assert_output --partial '552 Server "moria1" not found'
	run "$TORSH" "${TORSH_CONNECT[@]}" -c "HSFETCH $ONION_TP SERVER=moria1"
	assert_failure 2
	assert_output --partial "SERVER: takes \$FINGERPRINT, not a nickname ('moria1'"
	run "$TORSH" "${TORSH_CONNECT[@]}" -c "+HSPOST HSADDRESS=$ONION_TP SERVER=moria1
x"
	assert_failure 2
	assert_output --partial "SERVER: takes \$FINGERPRINT, not a nickname"
}

@test "tor's 513 for a well-formed onion address whose key is not an ed25519 point is explained" {
	# ONION's checksum and version are right; its key decodes to no point
	run "$TORSH" "${TORSH_CONNECT[@]}" -c "HSFETCH $ONION"
	assert_failure 1
	assert_line "513 Invalid argument \"$ONION\""
	assert_line 'torsh: -c 1: the address is well-formed (its checksum is right) but its public key is not a valid ed25519 point: no onion service can have it (a made-up or corrupted address)'
	# a key built to fail decoding: y = 2^255 - 1, not below p = 2^255 - 19
	local big=7777777777777777777777777777777777777777777777777577p7ad
	run "$TORSH" "${TORSH_CONNECT[@]}" -c "HSFETCH $big"
	assert_line "513 Invalid argument \"$big\""
	assert_line --partial 'its public key is not a valid ed25519 point'
	# a real service's address is taken by tor: no such words
	run "$TORSH" "${TORSH_CONNECT[@]}" -c "HSFETCH $ONION_TP"
	refute_output --partial 'ed25519 point'
}
