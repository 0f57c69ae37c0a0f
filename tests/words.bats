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
