#!/usr/bin/env bats
# Events of a living network (tests/net/): BW every second, ORCONN and GUARD
# when client2 goes offline and back and drops its guards, NEWCONSENSUS
# every voting interval (10 s here), NS when a relay's descriptor changes.

load helpers
load net/net
net_file

@test "BW: once a second, in --json with byte counts and in pretty as rates" {
	ts_open j client1 --json
	ts_open p client1 --pretty --no-color
	ts_send j 'SETEVENTS BW'
	ts_send p 'SETEVENTS BW'
	run ts_jwait j 'select(.event=="BW") | [(.fields.BytesRead|type), (.fields.BytesWritten|type)] | join(" ")'
	assert_output 'number number'
	run ts_wait p '^[0-9:]{8} BW read [0-9.]+ (B|KiB|MiB)/s written [0-9.]+ (B|KiB|MiB)/s'
	assert_success
}

@test "ORCONN and GUARD: client2 offline and back, DROPGUARDS: CLOSED, DROPPED, NEW, LAUNCHED, CONNECTED, UP" {
	ts_open j client2 --json
	ts_open p client2 --pretty --no-color
	ts_send p 'SETEVENTS ORCONN GUARD'
	ts_wait p '^OK$' >/dev/null
	ts_send j 'SETEVENTS ORCONN GUARD' 'SETCONF DisableNetwork=1'
	ts_jwait j 'select(.event=="ORCONN" and .fields.Status=="CLOSED")' >/dev/null
	ts_send j 'SETCONF DisableNetwork=0' 'DROPGUARDS'
	run ts_jwait j 'select(.event=="GUARD" and .fields.Status=="DROPPED") | [.fields.Type, (.fields.Name[0]|test("^\\$[0-9A-F]{40}~(auth|exit)[123]$"))] | join(" ")'
	assert_output 'ENTRY true'
	ts_jwait j 'select(.event=="GUARD" and .fields.Status=="NEW")' >/dev/null
	ts_jwait j 'select(.event=="GUARD" and .fields.Status=="UP")' >/dev/null
	run ts_jwait j 'select(.event=="ORCONN" and .fields.Status=="CONNECTED") | [(.fields.Target[0]|test("^\\$[0-9A-F]{40}~")), (.fields.ID|type)] | join(" ")'
	assert_output 'true number'
	run ts_jq j 'select(.event=="ORCONN") | .fields.Status'
	assert_line --index 0 CLOSED
	assert_line LAUNCHED
	# pretty: relays by nickname
	ts_wait p '^[0-9:]{8} ORCONN (auth|exit)[123] CLOSED' >/dev/null
	ts_wait p '^[0-9:]{8} ORCONN (auth|exit)[123] CONNECTED' >/dev/null
	ts_wait p '^[0-9:]{8} GUARD (auth|exit)[123] DROPPED$' >/dev/null
	ts_wait p '^[0-9:]{8} GUARD (auth|exit)[123] UP$' >/dev/null
	ts_close p
	run ts_grep p 'ORCONN .* CLOSED'
	assert_line --index 0 --regexp '^[0-9:]{8} ORCONN (auth|exit)[123] CLOSED, reason DONE ID=[0-9]+$'
	# client2 is back: it can build a circuit again (for the tests after this one)
	ts_send j 'GETINFO status/bootstrap-phase'
	run ts_jwait j 'select(.command=="GETINFO") | .values["status/bootstrap-phase"]'
	assert_output --partial 'PROGRESS=100'
}

@test "NEWCONSENSUS every voting interval, NS for a relay whose descriptor changed: the relays, pretty and --json" {
	ts_open j client1 --json
	ts_open p client1 --pretty --no-color
	ts_send j 'SETEVENTS NS NEWCONSENSUS'
	ts_send p 'SETEVENTS NS NEWCONSENSUS'
	ts_wait p '^OK$' >/dev/null
	ts_jwait j 'select(.command=="SETEVENTS")' >/dev/null
	# a new ContactInfo is a new descriptor of exit2: the next consensus
	# lists it with a new digest, and clients get an NS event for it
	run "$TORSH" -s "$exit2_CTL" -c "SETCONF ContactInfo=\"torsh test $(date +%s%N)\""
	assert_success
	run ts_jwait j 'select(.event=="NEWCONSENSUS") | .data | split("\n") | map(select(startswith("r "))) | length' 30
	assert_output 5
	run ts_jwait j 'select(.event=="NS") | .data | split("\n") | map(select(startswith("r exit2 "))) | length' 45
	assert_output 1
	ts_wait p '^[0-9:]{8} NEWCONSENSUS 5 relays$' >/dev/null
	ts_wait p '^[0-9:]{8} NS [0-9]+ relays? changed$' >/dev/null
	ts_close p
	run grep -A1 -E '^[0-9:]{8} NS ' "$BATS_TEST_TMPDIR/p.out"
	assert_line --regexp '^  r exit2 [A-Za-z0-9+/]{27} [A-Za-z0-9+/]{27} .* 127\.0\.0\.1 [0-9]+ 0$'
	"$TORSH" -s "$exit2_CTL" -c 'RESETCONF ContactInfo' >/dev/null
}
