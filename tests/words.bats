#!/usr/bin/env bats
# Clear words at every stop (issue 13): a script's stop, argument typos,
# onion address typos, requests tor mishandles, local setters that confirm
# what they changed. Against a real offline tor; the screen through tmux.

load helpers
shared_tor

# a valid v3 address, and the same with its last character mistyped
ONION=aaaqeayeaudaocajbifqydiob4ibceqtcqkrmfyydenbwha5dyp3kead
ONION_LAST=aaaqeayeaudaocajbifqydiob4ibceqtcqkrmfyydenbwha5dyp3keax

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
