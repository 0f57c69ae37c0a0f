#!/usr/bin/env bats
# /onion status on the private network (tests/net/): the service side, on
# client1 for a service /onion new made (ports and target, the target's
# reachability, revision, uploads per HSDir, intro points), and on client2
# for a torrc service (SETCONF HiddenServiceDir/HiddenServicePort in its
# DataDirectory). The services are removed and the socat backend stopped by
# its PID in teardown_file.

load helpers
load net/net

setup_file() { net_setup_file; }
teardown_file() {
	net_load
	[ -s "$BATS_FILE_TMPDIR/addr" ] && "$TORSH" -s "$client1_CTL" -c "/onion del $(cat "$BATS_FILE_TMPDIR/addr")" >/dev/null 2>&1
	[ -s "$BATS_FILE_TMPDIR/socat.pid" ] && kill "$(cat "$BATS_FILE_TMPDIR/socat.pid")" 2>/dev/null
	"$TORSH" -s "$client2_CTL" -c 'RESETCONF HiddenServiceDir HiddenServicePort' >/dev/null 2>&1
	net_teardown_file
}
setup() { net_load; }

free_port() { "$ROOT/build/net-ports" 1 2>/dev/null || echo $((20000 + RANDOM % 20000)); }

# the lines of ADDR's block in /onion status's text output
block() { awk -v a="$1.onion " 'index($0, a) == 1 { on = 1; print; next } /^[^ ]/ { on = 0 } on' <<<"$2"; }

@test "/onion status after /onion new: port and target (accepting), revision, every HSDir UPLOADED, intro points N/N" {
	local port a out
	port="$(free_port)"
	echo "$port" >"$BATS_FILE_TMPDIR/port"
	socat "TCP-LISTEN:$port,bind=127.0.0.1,fork,reuseaddr" SYSTEM:'echo up' &
	echo $! >"$BATS_FILE_TMPDIR/socat.pid"
	wait_for 10 sh -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null || true
	# one session: the uploads are those this torsh saw
	run "$TORSH" -s "$client1_CTL" -c "/onion new 80,127.0.0.1:$port --detach --timeout 90" -c '/onion status'
	a="$(sed -n 's/^created \([a-z2-7]*\)\.onion$/\1/p' <<<"$output")"
	echo "$a" >"$BATS_FILE_TMPDIR/addr"
	assert_success
	out="$(block "$a" "$output")"
	echo "$out"
	grep -qx "$a.onion (ADD_ONION, detached)" <<<"$out"
	grep -qx "  port 80 -> 127.0.0.1:$port: target accepts connections" <<<"$out"
	grep -qE '^  descriptor: revision [0-9]+, lifetime 180 min$' <<<"$out"
	grep -qx '  uploads since torsh connected: uploaded to 5/5 HSDirs' <<<"$out"
	local n
	for n in $NET_AUTHS $NET_EXITS; do
		grep -qE "^    HSDir $n +UPLOADED\$" <<<"$out"
	done
	grep -qE '^  intro points: 3/3 established( \(and 3 for the next time period.s descriptor\))?$' <<<"$out"
	grep -qE '^  rendezvous circuits now: [0-9]+' <<<"$out"
	# a fresh session saw no upload, but knows the rest; --json, one object per service
	run "$TORSH" -s "$client1_CTL" --json -c "/onion status $a"
	assert_success
	[ "$(wc -l <<<"$output")" -eq 1 ]
	# (its ports: this session did not make it)
	run jq -r '[.address, .source, (.ports | tostring), (.revision > 0), .lifetime_minutes, .intro_established,
		.intro_wanted, (.uploads | length)] | join(" ")' <<<"$output"
	assert_output "$a ADD_ONION, detached null true 180 3 3 0"
	run "$TORSH" -s "$client1_CTL" --json -c "/onion new 82,127.0.0.1:$port --timeout 0" -c '/onion status'
	run jq -r 'select(.source == "ADD_ONION, this connection") | [.ports[0].virtual_port, .ports[0].target,
		.ports[0].target_accepts, .ports[0].target_check] | join(" ")' <<<"$output"
	assert_output "82 127.0.0.1:$port true accepts connections"
}

@test "/onion status after the backend stopped: the target refuses; another controller's ports are unknown" {
	local a port
	a="$(cat "$BATS_FILE_TMPDIR/addr")"
	port="$(cat "$BATS_FILE_TMPDIR/port")"
	kill "$(cat "$BATS_FILE_TMPDIR/socat.pid")"
	rm -f "$BATS_FILE_TMPDIR/socat.pid"
	wait_for 10 sh -c "! (exec 3<>/dev/tcp/127.0.0.1/$port)" 2>/dev/null || true
	# made by /onion new in this session: its ports are known
	run "$TORSH" -s "$client1_CTL" -c "/onion new 81,127.0.0.1:$port --timeout 0" -c '/onion status'
	assert_success
	local b
	b="$(sed -n 's/^created \([a-z2-7]*\)\.onion$/\1/p' <<<"$output")"
	run block "$b" "$output"
	assert_line "  port 81 -> 127.0.0.1:$port: target REFUSES: Connection refused"
	run "$TORSH" -s "$client1_CTL" -c "/onion status $a"
	assert_success
	assert_line "$a.onion (ADD_ONION, detached)"
	assert_line '  ports: unknown (created by another controller)'
	assert_line --regexp '^  descriptor: revision [0-9]+, lifetime 180 min$'
	# an address that is not this tor's
	run "$TORSH" -s "$client2_CTL" -c "/onion status $a"
	assert_failure
	assert_output --partial "is not a service of this tor"
}

@test "/onion status lists a torrc service with its HiddenServicePort" {
	local port dir
	port="$(free_port)"
	dir="$NET_DIR/client2/data/hs-status"
	run "$TORSH" -s "$client2_CTL" -c "SETCONF HiddenServiceDir=\"$dir\" HiddenServicePort=\"8080 127.0.0.1:$port\""
	assert_success
	wait_for 20 test -s "$dir/hostname"
	run "$TORSH" -s "$client2_CTL" -c '/onion status'
	assert_success
	local a
	a="$(cut -c1-56 "$dir/hostname")"
	run block "$a" "$output"
	assert_line --index 0 "$a.onion (torrc)"
	assert_line "  directory $dir"
	assert_line "  port 8080 -> 127.0.0.1:$port: target REFUSES: Connection refused"
	assert_line --regexp '^  intro points: [0-9]+/[0-9]+ established'
	run "$TORSH" -s "$client2_CTL" --json -c "/onion status $a"
	run jq -r '[.source, .directory, .ports[0].virtual_port, .ports[0].target] | join(" ")' <<<"$output"
	assert_output "torrc $dir 8080 127.0.0.1:$port"
}
