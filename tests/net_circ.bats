#!/usr/bin/env bats
# Circuits on the private network (tests/net/): EXTENDCIRCUIT with an
# explicit path, CIRC LAUNCHED -> EXTENDED -> BUILT, CLOSECIRCUIT,
# SETCIRCUITPURPOSE, /circuits, through torsh in pretty and JSON modes.
#
# Paths are explicit: in the network's first minutes a client now and then
# believes the consensus has no exits, and EXTENDCIRCUIT 0 without a path
# then answers 551.

load helpers
load net/net
net_file

# build_circuit SESSION NODE... (JSON session): EXTENDCIRCUIT 0 through the
# nodes; prints the new circuit's ID once CIRC says BUILT.
build_circuit() {
	local s="$1" id
	shift
	ts_send "$s" "EXTENDCIRCUIT 0 $(path "$@")"
	id="$(ts_jwait "$s" 'select(.type=="reply" and .command=="EXTENDCIRCUIT") | .values.EXTENDED')" || return 1
	ts_jwait "$s" "select(.event==\"CIRC\" and .fields.CircID==$id and .fields.Status==\"BUILT\") | .fields.CircID" >/dev/null || return 1
	echo "$id"
}

@test "EXTENDCIRCUIT with a three-hop path: pretty CIRC LAUNCHED, EXTENDED hop by hop, BUILT, by nickname with the purpose" {
	ts_open c client1 --pretty --no-color
	ts_send c 'SETEVENTS CIRC' "EXTENDCIRCUIT 0 $(path auth1 auth2 exit1)"
	local line id
	line="$(ts_wait c '^250 EXTENDED [0-9]+$|^EXTENDED [0-9]+$')"
	id="${line##* }"
	ts_wait c "CIRC $id BUILT " >/dev/null
	ts_close c
	# this circuit's lines, the time stamp cut off, in order
	run bash -c "grep -E '^[0-9:]{8} CIRC $id ' '$BATS_TEST_TMPDIR/c.out' | cut -c10-"
	assert_line --index 0 --regexp "^CIRC $id LAUNCHED GENERAL TIME_CREATED=[0-9T:.-]+$"
	assert_line --index 1 --regexp "^CIRC $id EXTENDED GENERAL auth1 TIME_CREATED="
	assert_line --index 2 --regexp "^CIRC $id EXTENDED GENERAL auth1 > auth2 TIME_CREATED="
	assert_line --index 3 --regexp "^CIRC $id EXTENDED GENERAL auth1 > auth2 > exit1 TIME_CREATED="
	assert_line --index 4 --regexp "^CIRC $id BUILT GENERAL auth1 > auth2 > exit1 TIME_CREATED="
	[ "${#lines[@]}" -eq 5 ]
}

@test "EXTENDCIRCUIT in --json: the reply's circuit ID, then CIRC events with the path as \$FP~nick and PURPOSE" {
	ts_open j client1 --json
	ts_send j 'SETEVENTS CIRC'
	local id
	id="$(build_circuit j auth3 auth1 exit2)"
	ts_close j
	run ts_jq j "select(.event==\"CIRC\" and .fields.CircID==$id) | [.fields.Status, (.fields.Path // [] | length), .fields.PURPOSE] | join(\" \")"
	assert_output "$(printf '%s\n' 'LAUNCHED 0 GENERAL' 'EXTENDED 1 GENERAL' 'EXTENDED 2 GENERAL' 'EXTENDED 3 GENERAL' 'BUILT 3 GENERAL')"
	run ts_jq j "select(.event==\"CIRC\" and .fields.Status==\"BUILT\" and .fields.CircID==$id) | .fields.Path[]"
	assert_output "$(printf '%s\n' "$(relay auth3)" "$(relay auth1)" "$(relay exit2)")"
	# the reply came before the events it caused
	run ts_jq j 'select(.command=="EXTENDCIRCUIT" or (.event=="CIRC" and .fields.CircID=='"$id"')) | .type'
	assert_line --index 0 reply
}

@test "EXTENDCIRCUIT on a built circuit adds a hop; CIRC shows the four-hop path" {
	ts_open j client1 --json
	ts_send j 'SETEVENTS CIRC'
	local id
	id="$(build_circuit j auth1 auth2 auth3)"
	ts_send j "EXTENDCIRCUIT $id $(relay exit1)"
	ts_jwait j "select(.event==\"CIRC\" and .fields.CircID==$id and .fields.Status==\"BUILT\" and (.fields.Path|length)==4) | .fields.CircID"
	ts_close j
}

@test "CLOSECIRCUIT: CIRC CLOSED with REASON=REQUESTED, in pretty and in --json; the circuit is gone from circuit-status" {
	ts_open j client1 --json
	ts_send j 'SETEVENTS CIRC'
	local id
	id="$(build_circuit j auth2 auth3 exit1)"
	ts_close j
	ts_open p client1 --pretty --no-color
	ts_open j2 client1 --json
	ts_send j2 'SETEVENTS CIRC'
	ts_send p 'SETEVENTS CIRC'
	ts_wait p '^OK$' >/dev/null
	ts_jwait j2 'select(.command=="SETEVENTS")' >/dev/null
	ts_send p "CLOSECIRCUIT $id"
	ts_wait p "CIRC $id CLOSED " >/dev/null
	ts_jwait j2 "select(.event==\"CIRC\" and .fields.CircID==$id and .fields.Status==\"CLOSED\")" >/dev/null
	ts_send p 'GETINFO circuit-status'
	ts_close p
	ts_close j2
	run ts_grep p "CIRC $id "
	assert_output --regexp "^[0-9:]{8} CIRC $id CLOSED GENERAL auth2 > auth3 > exit1, reason REQUESTED TIME_CREATED=[0-9T:.-]+$"
	run ts_jq j2 "select(.event==\"CIRC\" and .fields.CircID==$id) | [.fields.Status, .fields.REASON, (.fields.Path|length)] | join(\" \")"
	assert_output 'CLOSED REQUESTED 3'
	run ts_grep p "^$id "
	assert_failure
}

@test "SETCIRCUITPURPOSE: CIRC_MINOR PURPOSE_CHANGED with the old purpose; circuit-status shows CONTROLLER" {
	ts_open j client1 --json
	ts_send j 'SETEVENTS CIRC CIRC_MINOR'
	local id
	id="$(build_circuit j auth3 auth2 exit2)"
	ts_send j "SETCIRCUITPURPOSE $id purpose=controller"
	run ts_jwait j "select(.event==\"CIRC_MINOR\" and .fields.CircID==$id) | [.fields.Event, .fields.PURPOSE, .fields.OLD_PURPOSE] | join(\" \")"
	assert_output 'PURPOSE_CHANGED CONTROLLER GENERAL'
	ts_send j 'GETINFO circuit-status'
	run ts_jwait j "select(.command==\"GETINFO\") | .values[\"circuit-status\"] | split(\"\\n\")[] | select(startswith(\"$id \"))"
	assert_output --regexp "^$id BUILT .* PURPOSE=CONTROLLER( |$)"
	ts_send j "CLOSECIRCUIT $id"
	ts_close j
	run ts_jq j 'select(.command=="CLOSECIRCUIT") | .ok'
	assert_output true
}

@test "EXTENDCIRCUIT purpose=controller: BUILT with PURPOSE=CONTROLLER; CLOSECIRCUIT IfUnused closes it (it carries no stream)" {
	ts_open j client1 --json
	ts_send j 'SETEVENTS CIRC'
	ts_send j "EXTENDCIRCUIT 0 $(path auth1 auth3 exit1) purpose=controller"
	local id
	id="$(ts_jwait j 'select(.command=="EXTENDCIRCUIT") | .values.EXTENDED')"
	run ts_jwait j "select(.event==\"CIRC\" and .fields.CircID==$id and .fields.Status==\"BUILT\") | .fields.PURPOSE"
	assert_output CONTROLLER
	ts_send j "CLOSECIRCUIT $id IfUnused"
	run ts_jwait j "select(.event==\"CIRC\" and .fields.CircID==$id and .fields.Status==\"CLOSED\") | .fields.REASON"
	assert_output REQUESTED
	ts_close j
}

@test "/circuits at the prompt lists the live circuits: a fresh one by ID, status, purpose and path of nicknames" {
	ts_open j client1 --json
	ts_send j 'SETEVENTS CIRC'
	local id
	id="$(build_circuit j exit1 auth2 exit2)"
	ts_close j
	tmux_init
	net_tmux_start "XDG_STATE_HOME='$STATE' '$TORSH' -s '$client1_CTL'; echo \"EXITED rc=\$?\"; sleep 60"
	wait_screen 'Ctrl-D or QUIT leaves' 10
	keys '/circuits' Enter
	wait_screen "exit1 > auth2 > exit2" 10
	run bash -c "tmux -S '$TMUX_SOCK' capture-pane -p -t t -S -200 | grep -E '^ *$id '"
	assert_output --regexp "^ *$id +BUILT +GENERAL +- +- +exit1 > auth2 > exit2 *$" # HS_STATE and REND_QUERY: none
	keys "CLOSECIRCUIT $id" Enter
	keys '/circuits' Enter
	keys 'QUIT' Enter
	wait_screen 'EXITED rc=0' 10
	run bash -c "tmux -S '$TMUX_SOCK' capture-pane -p -t t -S -200 | grep -cE '^ *$id +BUILT'"
	assert_output 1
	stop_tmux
}
