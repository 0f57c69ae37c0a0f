#!/usr/bin/env bats
# Onion services on the private network (tests/net/): client1 publishes
# (ADD_ONION, HS_DESC UPLOAD/UPLOADED per HSDir), client2 fetches the
# descriptor (HSFETCH: HS_DESC REQUESTED/RECEIVED, HS_DESC_CONTENT) and the
# page behind it; an address nobody published fails NOT_FOUND; DEL_ONION.
#
# The tests run in order: the first publishes the onion the others use (its
# address in $BATS_FILE_TMPDIR/onion); teardown_file deletes it.

load helpers
load net/net

# A valid v3 address (the example of tor's control-spec) that nobody
# publishes on this network.
UNPUBLISHED=2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid

setup_file() { net_setup_file; }
teardown_file() {
	if [ -s "$BATS_FILE_TMPDIR/onion" ]; then
		net_load
		"$TORSH" -s "$client1_CTL" -c "DEL_ONION $(cat "$BATS_FILE_TMPDIR/onion")" >/dev/null 2>&1 || true
	fi
	net_teardown_file
}
setup() { net_load; }
teardown() {
	ts_close_all
	stop_tmux
}

# the address the first test published
onion() {
	[ -s "$BATS_FILE_TMPDIR/onion" ] || {
		echo "no onion published (the ADD_ONION test failed)" >&2
		return 1
	}
	cat "$BATS_FILE_TMPDIR/onion"
}

@test "ADD_ONION on client1: HS_DESC CREATED, then UPLOAD and UPLOADED for each HSDir, pretty and --json" {
	ts_open j client1 --json
	ts_open p client1 --pretty --no-color
	ts_send p 'SETEVENTS HS_DESC'
	ts_wait p '^OK$' >/dev/null
	ts_send j 'SETEVENTS HS_DESC'
	ts_send j "ADD_ONION NEW:ED25519-V3 Flags=Detach Port=80,127.0.0.1:$NET_HTTP_PORT"
	local addr
	addr="$(ts_jwait j 'select(.command=="ADD_ONION" and .ok) | .values.ServiceID')"
	[[ "$addr" =~ ^[a-z2-7]{56}$ ]]
	echo "$addr" >"$BATS_FILE_TMPDIR/onion"
	# every relay is an HSDir: each gets its UPLOAD, and answers UPLOADED
	local n
	for n in $NET_AUTHS $NET_EXITS; do
		ts_jwait j "select(.event==\"HS_DESC\" and .fields.Action==\"UPLOADED\" and .fields.Address==\"$addr\" and (.fields.HsDir|tostring|endswith(\"~$n\\\"]\") or endswith(\"~$n\")))" 30 >/dev/null
	done
	ts_close j
	run ts_jq j "select(.event==\"HS_DESC\" and .fields.Address==\"$addr\") | .fields.Action"
	assert_line --index 0 CREATED
	assert_line UPLOAD
	# an upload is reported only after it was started
	local first_upload first_uploaded
	first_upload="$(grep -n '"Action":"UPLOAD"' "$BATS_TEST_TMPDIR/j.out" | head -n 1 | cut -d: -f1)"
	first_uploaded="$(grep -n '"Action":"UPLOADED"' "$BATS_TEST_TMPDIR/j.out" | head -n 1 | cut -d: -f1)"
	[ "$first_upload" -lt "$first_uploaded" ]
	run ts_jq j "select(.event==\"HS_DESC\" and .fields.Action==\"UPLOAD\" and .fields.Address==\"$addr\") | [.fields.AuthType, (.fields.DescriptorID|length > 0), (.fields.HSDIR_INDEX|test(\"^[0-9A-F]{64}\$\"))] | join(\" \")"
	assert_line --index 0 'UNKNOWN true true'
	ts_wait p "HS_DESC UPLOADED $addr\.onion to (auth|exit)[123]( |$)" >/dev/null
	run ts_wait p "HS_DESC UPLOAD $addr\.onion to (auth|exit)[123] AuthType=UNKNOWN DescriptorID=[A-Za-z0-9+/]{43} HSDIR_INDEX=[0-9A-F]{64}$"
	assert_success
	ts_close p
}

@test "HSFETCH from client2: HS_DESC REQUESTED and RECEIVED, and HS_DESC_CONTENT carries the descriptor" {
	local addr
	addr="$(onion)"
	ts_open j client2 --json
	ts_send j 'SETEVENTS HS_DESC HS_DESC_CONTENT' "HSFETCH $addr"
	run ts_jwait j "select(.event==\"HS_DESC\" and .fields.Action==\"RECEIVED\" and .fields.Address==\"$addr\") | .fields.AuthType"
	assert_output NO_AUTH
	run ts_jwait j "select(.event==\"HS_DESC_CONTENT\" and .fields.Address==\"$addr\") | .data | split(\"\\n\") | .[0]"
	assert_output 'hs-descriptor 3'
	ts_close j
	run ts_jq j 'select(.command=="HSFETCH") | .ok'
	assert_output true
	# REQUESTED from an HSDir, then RECEIVED from the same one
	local dir
	dir="$(ts_jq j "select(.event==\"HS_DESC\" and .fields.Action==\"RECEIVED\" and .fields.Address==\"$addr\") | .fields.HsDir | tostring" | head -n 1)"
	run ts_jq j "select(.event==\"HS_DESC\" and .fields.Address==\"$addr\" and (.fields.HsDir|tostring)==$(jq -Rc . <<<"$dir")) | .fields.Action"
	assert_line --index 0 REQUESTED
	assert_line --index 1 RECEIVED
}

@test "HSFETCH in pretty mode: the descriptor's lines follow HS_DESC_CONTENT, indented" {
	local addr
	addr="$(onion)"
	ts_open p client2 --pretty --no-color
	ts_send p 'SETEVENTS HS_DESC HS_DESC_CONTENT'
	ts_wait p '^OK$' >/dev/null
	ts_send p "HSFETCH $addr"
	ts_wait p "HS_DESC RECEIVED $addr\.onion from (auth|exit)[123] AuthType=NO_AUTH DescriptorID=" >/dev/null
	ts_wait p "HS_DESC_CONTENT $addr\.onion from (auth|exit)[123] DescriptorID=" >/dev/null
	ts_wait p '^  signature ' >/dev/null
	ts_close p
	run grep -A1 "HS_DESC_CONTENT $addr" "$BATS_TEST_TMPDIR/p.out"
	assert_line --index 1 '  hs-descriptor 3'
}

@test "HSFETCH of an address nobody published: HS_DESC FAILED with REASON=NOT_FOUND from every HSDir asked" {
	ts_open j client2 --json
	ts_open p client2 --pretty --no-color
	ts_send p 'SETEVENTS HS_DESC'
	ts_wait p '^OK$' >/dev/null
	ts_send j 'SETEVENTS HS_DESC' "HSFETCH $UNPUBLISHED"
	ts_jwait j "select(.event==\"HS_DESC\" and .fields.Action==\"FAILED\" and .fields.Address==\"$UNPUBLISHED\")" >/dev/null
	run ts_wait p "HS_DESC FAILED $UNPUBLISHED\.onion (from|to) (auth|exit)[123], reason NOT_FOUND"
	assert_success
	ts_close j
	ts_close p
	run ts_jq j "select(.event==\"HS_DESC\" and .fields.Action==\"FAILED\" and .fields.Address==\"$UNPUBLISHED\") | .fields.REASON"
	assert_line --index 0 NOT_FOUND
	run ts_jq j "select(.event==\"HS_DESC\" and .fields.Address==\"$UNPUBLISHED\" and .fields.Action==\"RECEIVED\")"
	assert_output ''
}

@test "HTTP over the onion through client2: the page, a STREAM to ADDR.onion:80 that SUCCEEDED, rendezvous circuits" {
	local addr
	addr="$(onion)"
	ts_open j client2 --json
	ts_send j 'SETEVENTS STREAM CIRC'
	ts_jwait j 'select(.command=="SETEVENTS")' >/dev/null
	run http_via client2 "http://$addr.onion/over-onion"
	assert_success
	assert_output 'hello from torsh-net: GET /over-onion HTTP/1.1'
	ts_jwait j "select(.event==\"STREAM\" and .fields.Target==\"$addr.onion:80\" and .fields.Status==\"SUCCEEDED\")" >/dev/null
	ts_close j
	run ts_jq j "select(.event==\"STREAM\" and .fields.Target==\"$addr.onion:80\") | .fields.Status"
	assert_line --index 0 NEW
	assert_line SUCCEEDED
	run ts_jq j "select(.event==\"CIRC\" and .fields.REND_QUERY==\"$addr\") | .fields.PURPOSE"
	assert_line --regexp '^HS_CLIENT_(REND|INTRO)$'
}

@test "DEL_ONION: the service is gone from onions/detached; a second DEL_ONION is 552" {
	local addr
	addr="$(onion)"
	run "$TORSH" -s "$client1_CTL" -c 'GETINFO onions/detached'
	assert_output --partial "$addr"
	run "$TORSH" -s "$client1_CTL" --json -k -c "DEL_ONION $addr" -c "DEL_ONION $addr" -c 'GETINFO onions/detached'
	assert_failure 1
	run jq -rc '[.command, .code, .lines[0]] | join(" ")' <<<"$output"
	assert_line --index 0 'DEL_ONION 250 OK'
	assert_line --index 1 'DEL_ONION 552 Unknown Onion Service id'
	refute_output --partial "$addr"
	rm -f "$BATS_FILE_TMPDIR/onion"
}
