#!/usr/bin/env bats
# Streams on the private network (tests/net/): a real SOCKS request (curl)
# to the network's HTTP server on 127.0.0.1, STREAM NEW -> SENTCONNECT ->
# SUCCEEDED -> CLOSED; ATTACHSTREAM, REDIRECTSTREAM and CLOSESTREAM on
# streams tor leaves to the controller; /streams.
#
# Every SOCKS request goes to the HTTP server, never to a closed port (a
# client then builds circuits by the thousand).

load helpers
load net/net
net_file

# Streams that tor leaves unattached are a setting of the whole tor: the
# tests that set it on client1 reset it whatever happens.
teardown() {
	ts_close_all
	stop_tmux
	"$TORSH" -s "$client1_CTL" -c 'RESETCONF __LeaveStreamsUnattached' >/dev/null || true
}

# start_curl HOST PATH: a curl in the background (named curl) through
# client1 to HOST at the HTTP server's port.
start_curl() {
	bg curl http_via client1 "http://$1:$NET_HTTP_PORT$2"
}

# new_stream SESSION HOST: the ID of the STREAM NEW to HOST (JSON session
# subscribed to STREAM).
new_stream() {
	ts_jwait "$1" "select(.event==\"STREAM\" and .fields.Status==\"NEW\" and .fields.Target==\"$2:$NET_HTTP_PORT\") | .fields.StreamID"
}

# leave_unattached SESSION (JSON): client1 leaves new streams to us.
leave_unattached() {
	ts_send "$1" 'SETCONF __LeaveStreamsUnattached=1'
	ts_jwait "$1" 'select(.command=="SETCONF") | .ok' >/dev/null
}

# circuit SESSION NODE... (JSON, CIRC subscribed): a built circuit's ID.
circuit() {
	local s="$1" id
	shift
	ts_send "$s" "EXTENDCIRCUIT 0 $(path "$@")"
	id="$(ts_jwait "$s" 'select(.command=="EXTENDCIRCUIT") | .values.EXTENDED')" || return 1
	ts_jwait "$s" "select(.event==\"CIRC\" and .fields.CircID==$id and .fields.Status==\"BUILT\")" >/dev/null || return 1
	echo "$id"
}

@test "a SOCKS request through client2: STREAM NEW, SENTCONNECT, SUCCEEDED, CLOSED in --json, PURPOSE=USER, on a built circuit to an exit" {
	ts_open j client2 --json
	ts_send j 'SETEVENTS STREAM CIRC'
	ts_jwait j 'select(.command=="SETEVENTS")' >/dev/null
	run http_via client2 "http://127.0.0.1:$NET_HTTP_PORT/json"
	assert_success
	assert_output 'hello from torsh-net: GET /json HTTP/1.1'
	local id
	id="$(ts_jwait j "select(.event==\"STREAM\" and .fields.Status==\"NEW\" and .fields.PURPOSE==\"USER\" and .fields.Target==\"127.0.0.1:$NET_HTTP_PORT\") | .fields.StreamID")"
	ts_jwait j "select(.event==\"STREAM\" and .fields.StreamID==$id and .fields.Status==\"CLOSED\")" >/dev/null
	# the circuit it went on: built, ending at an exit
	local circ
	circ="$(ts_jq j "select(.event==\"STREAM\" and .fields.StreamID==$id and .fields.Status==\"SUCCEEDED\") | .fields.CircID")"
	ts_send j "GETINFO circuit-status"
	run ts_jwait j "select(.command==\"GETINFO\") | .values[\"circuit-status\"] | split(\"\\n\")[] | select(startswith(\"$circ \"))"
	assert_output --regexp "^$circ BUILT .*~exit[12] "
	ts_close j
	run ts_jq j "select(.event==\"STREAM\" and .fields.StreamID==$id) | .fields.Status"
	assert_line --index 0 NEW
	assert_line --index 1 SENTCONNECT
	assert_line --index -2 SUCCEEDED
	assert_line --index -1 CLOSED
	run ts_jq j "select(.event==\"STREAM\" and .fields.StreamID==$id and .fields.Status==\"CLOSED\") | [.fields.REASON, .fields.CLIENT_PROTOCOL] | join(\" \")"
	# END with REMOTE_REASON=DONE when the server closed first, DONE when curl did
	assert_output --regexp '^(END|DONE) SOCKS5$'
}

@test "a SOCKS request in pretty mode: the stream's life in one-line summaries, target, circuit and reason" {
	ts_open p client2 --pretty --no-color
	ts_send p 'SETEVENTS STREAM'
	ts_wait p '^OK$' >/dev/null
	run http_via client2 "http://127.0.0.1:$NET_HTTP_PORT/pretty"
	assert_success
	local id
	id="$(ts_wait p "STREAM [0-9]+ NEW 127\.0\.0\.1:$NET_HTTP_PORT \(not attached yet\) SOURCE_ADDR=127\.0\.0\.1:[0-9]+ PURPOSE=USER")"
	id="$(cut -d' ' -f3 <<<"$id")"
	ts_wait p "STREAM $id CLOSED " >/dev/null
	ts_close p
	run bash -c "grep -E '^[0-9:]{8} STREAM $id ' '$BATS_TEST_TMPDIR/p.out' | cut -c10-"
	assert_line --regexp "^STREAM $id SENTCONNECT 127\.0\.0\.1(\.[0-9A-F]{40}\.exit)?:$NET_HTTP_PORT on circuit [0-9]+ CLIENT_PROTOCOL=SOCKS5 "
	assert_line --regexp "^STREAM $id SUCCEEDED .* on circuit [0-9]+ CLIENT_PROTOCOL=SOCKS5 "
	assert_line --regexp "^STREAM $id CLOSED .* on circuit [0-9]+, reason (END, remote reason DONE|DONE) CLIENT_PROTOCOL=SOCKS5 "
}

@test "STREAM_BW and CIRC_BW count the bytes of a real stream" {
	ts_open j client2 --json
	ts_send j 'SETEVENTS STREAM STREAM_BW CIRC_BW'
	ts_jwait j 'select(.command=="SETEVENTS")' >/dev/null
	run http_via client2 "http://127.0.0.1:$NET_HTTP_PORT/bw"
	assert_success
	local id
	id="$(ts_jwait j "select(.event==\"STREAM\" and .fields.Status==\"SUCCEEDED\" and .fields.Target!=null and (.fields.Target|endswith(\":$NET_HTTP_PORT\"))) | .fields.StreamID")"
	# tor sends the stream's BW at most once a second: wait for it
	run ts_jwait j "select(.event==\"STREAM_BW\" and .fields.StreamID==$id) | [.fields.BytesWritten + .fields.BytesRead > 0, (.fields.Time|type)] | join(\" \")"
	assert_output 'true string'
	# a circuit carried it: not always the one STREAM names, as conflux may
	# send the data over another leg of the set
	run ts_jwait j "select(.event==\"CIRC_BW\" and .fields.DELIVERED_WRITTEN > 0) | [.fields.READ + .fields.WRITTEN > 0, .fields.DELIVERED_READ + .fields.DELIVERED_WRITTEN > 0, (.fields.TIME|type)] | join(\" \")"
	assert_output 'true true string'
	ts_send j 'SETEVENTS STREAM_BW'
	ts_close j
	ts_open p client2 --pretty --no-color
	ts_send p 'SETEVENTS STREAM_BW'
	ts_wait p '^OK$' >/dev/null
	run http_via client2 "http://127.0.0.1:$NET_HTTP_PORT/bw2"
	run ts_wait p "STREAM_BW [0-9]+ read [0-9.]+ (B|KiB) written [0-9.]+ (B|KiB)"
	assert_success
}

@test "ATTACHSTREAM: a stream left unattached (CONTROLLER_WAIT) goes on the circuit we built, and the page arrives" {
	ts_open j client1 --json
	ts_send j 'SETEVENTS STREAM CIRC'
	leave_unattached j
	local circ id
	circ="$(circuit j auth2 auth1 exit2)"
	start_curl attach.test /attach
	id="$(new_stream j attach.test)"
	ts_jwait j "select(.event==\"STREAM\" and .fields.StreamID==$id and .fields.Status==\"CONTROLLER_WAIT\")" >/dev/null
	# tor did not attach it by itself
	run ts_jq j "select(.event==\"STREAM\" and .fields.StreamID==$id and .fields.CircID!=0)"
	assert_output ''
	# a name the exit would have to resolve: sent as 127.0.0.1 instead
	ts_send j "REDIRECTSTREAM $id 127.0.0.1" "ATTACHSTREAM $id $circ"
	run ts_jwait j "select(.event==\"STREAM\" and .fields.StreamID==$id and .fields.Status==\"SUCCEEDED\") | [.fields.CircID, .fields.Target] | join(\" \")"
	assert_output "$circ 127.0.0.1:$NET_HTTP_PORT"
	bg_wait curl
	run cat "$BATS_TEST_TMPDIR/curl.out"
	assert_output 'hello from torsh-net: GET /attach HTTP/1.1'
	ts_close j
	run ts_jq j 'select(.type=="reply") | [.command, .code] | join(" ")'
	assert_line 'REDIRECTSTREAM 250'
	assert_line 'ATTACHSTREAM 250'
}

@test "REDIRECTSTREAM to another port: the HTTP server answers though the request named a port nobody listens on" {
	ts_open j client1 --json
	ts_send j 'SETEVENTS STREAM CIRC'
	leave_unattached j
	local circ id
	circ="$(circuit j auth3 auth2 exit1)"
	# port 9 (discard) is never reached: the stream is redirected before it leaves
	bg curl curl -sS --max-time 30 --socks5-hostname "127.0.0.1:$client1_SOCKS" "http://redirect.test:9/redirected"
	id="$(ts_jwait j 'select(.event=="STREAM" and .fields.Status=="NEW" and .fields.Target=="redirect.test:9") | .fields.StreamID')"
	ts_send j "REDIRECTSTREAM $id 127.0.0.1 $NET_HTTP_PORT" "ATTACHSTREAM $id $circ"
	run ts_jwait j "select(.event==\"STREAM\" and .fields.StreamID==$id and .fields.Status==\"SENTCONNECT\") | .fields.Target"
	assert_output "127.0.0.1:$NET_HTTP_PORT"
	bg_wait curl
	run cat "$BATS_TEST_TMPDIR/curl.out"
	assert_output 'hello from torsh-net: GET /redirected HTTP/1.1'
	ts_close j
}

@test "CLOSESTREAM with a reason by name: STREAM CLOSED, the SOCKS client refused; pretty shows the reason" {
	ts_open j client1 --json
	ts_open p client1 --pretty --no-color
	ts_send p 'SETEVENTS STREAM'
	ts_wait p '^OK$' >/dev/null
	ts_send j 'SETEVENTS STREAM'
	leave_unattached j
	local id
	start_curl close.test /close
	id="$(new_stream j close.test)"
	ts_send j "CLOSESTREAM $id MISC"
	run ts_jwait j "select(.event==\"STREAM\" and .fields.StreamID==$id and .fields.Status==\"CLOSED\") | .fields.REASON"
	assert_output MISC
	run bg_wait curl
	assert_failure
	ts_wait p "STREAM $id CLOSED close\.test:$NET_HTTP_PORT \(not attached\), reason MISC" >/dev/null
	# a stream that no longer exists
	ts_send j "CLOSESTREAM $id DONE"
	run ts_jwait j 'select(.command=="CLOSESTREAM" and .ok==false) | [.code, .lines[0]] | join(" ")'
	assert_output "552 Unknown stream \"$id\""
	ts_close j
}

@test "/streams at the prompt lists a live stream waiting for the controller: ID, status, circuit and target" {
	ts_open j client1 --json
	ts_send j 'SETEVENTS STREAM'
	leave_unattached j
	local id
	start_curl streams.test /streams
	id="$(new_stream j streams.test)"
	tmux_init
	net_tmux_start "XDG_STATE_HOME='$STATE' '$TORSH' -s '$client1_CTL'; echo \"EXITED rc=\$?\"; sleep 60"
	wait_screen 'Ctrl-D or QUIT leaves' 10
	keys '/streams' Enter
	wait_screen "streams.test:$NET_HTTP_PORT" 10
	run bash -c "tmux -S '$TMUX_SOCK' capture-pane -p -t t -S -200 | grep -E '^ *$id '"
	assert_output --regexp "^ *$id +(NEW|CONTROLLER_WAIT) +0 +streams\.test:$NET_HTTP_PORT *$"
	keys "CLOSESTREAM $id DONE" Enter
	keys 'QUIT' Enter
	wait_screen 'EXITED rc=0' 10
	ts_close j
}
