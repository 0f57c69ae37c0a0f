#!/usr/bin/env bats
# The benchmark (tests/bench/): that it builds, that its data and stand-in
# port are right, that a tiny run completes and prints its machine-readable
# lines, and the output digest. Speed targets live in `make bench` only:
# nothing here is timed.

setup() {
	load helpers
	T="$BATS_TEST_TMPDIR"
	BB="$ROOT/build/bench"
	SPID=
}

teardown() {
	[ -z "$SPID" ] || { kill "$(cat "$T/pid" 2>/dev/null || echo "$SPID")" 2>/dev/null; wait "$SPID" 2>/dev/null; }
	true
}

# start_standin ARGS...: the stand-in on a kernel-chosen port ($PORT).
start_standin() {
	"$BB/standin" -p 0 -a "$T/port" -P "$T/pid" -l "$T/req.log" "$@" &
	SPID=$!
	wait_for 5 test -s "$T/pid"
	wait_for 5 test -s "$T/port"
	PORT=$(cat "$T/port")
}

@test "bench: make builds the generator, the stand-in and the wrapper" {
	run make -C "$ROOT" --no-print-directory -q build/bench/gen build/bench/standin build/bench/rss
	assert_success
}

@test "bench: the generator is the same for a seed, mixes every event type, and CIRC/STREAM average near 168 bytes" {
	"$BB/gen" events 5000 16 >"$T/a"
	"$BB/gen" events 5000 16 >"$T/b"
	"$BB/gen" events 5000 17 >"$T/c"
	cmp "$T/a" "$T/b"
	! cmp -s "$T/a" "$T/c"
	[ "$(wc -l <"$T/a")" -eq 5000 ]
	# every line a CRLF-terminated 650 event
	[ "$(grep -c $'^650 [A-Z_]* .*\r$' "$T/a")" -eq 5000 ]
	for t in CIRC STREAM ORCONN BW CIRC_BW STREAM_BW HS_DESC STATUS_CLIENT NOTICE; do
		grep -q "^650 $t " "$T/a" || { echo "no $t"; false; }
	done
	grep -Eq '^650 CIRC [0-9]+ BUILT (\$[0-9A-F]{40}~[A-Za-z0-9]+,){2}\$[0-9A-F]{40}~[A-Za-z0-9]+ BUILD_FLAGS=' "$T/a"
	for k in PURPOSE HS_STATE REND_QUERY TIME_CREATED SOCKS_USERNAME; do
		grep -q "^650 CIRC .* $k=" "$T/a" || { echo "no CIRC with $k"; false; }
	done
	avg=$(grep -E '^650 (CIRC|STREAM) ' "$T/a" | awk '{ b += length($0) + 1 } END { printf "%d", b / NR }')
	echo "CIRC/STREAM average: $avg bytes"
	[ "$avg" -ge 150 ] && [ "$avg" -le 190 ]
}

@test "bench: the ns/all block is a whole reply, dot-stuffed, about 150 bytes a relay" {
	"$BB/gen" ns 1000 16 >"$T/ns"
	[ "$(head -1 "$T/ns")" = $'250+ns/all=\r' ]
	tail -c 11 "$T/ns" | cmp - <(printf '.\r\n250 OK\r\n')
	# the one line that is a lone "." is the terminator; no other starts with "."
	[ "$(grep -c '^\.' "$T/ns")" -eq 1 ]
	for l in r s w p; do grep -q "^$l " "$T/ns" || { echo "no $l line"; false; }; done
	size=$(wc -c <"$T/ns")
	[ "$size" -ge 120000 ] && [ "$size" -le 200000 ]
}

@test "bench: the stand-in floods every event to torsh and to the socat floor, then closes" {
	"$BB/gen" events 3000 16 >"$T/ev"
	start_standin -e "$T/ev"
	run "$TORSH" -i "127.0.0.1:$PORT" --raw --linger 600 -c 'SETEVENTS CIRC STREAM'
	# the flood ends when the port closes
	assert_failure 5
	assert_line --index 0 '250 OK'
	[ "${#lines[@]}" -eq 3002 ]   # 250 OK, 3000 events, then torsh's message
	assert_line --index 3001 'torsh: tor closed the connection'
	printf '%s\n' "${lines[@]:1:3000}" | cmp - <(tr -d '\r' <"$T/ev")
	# the floor replays torsh's own request bytes
	cp "$T/req.log" "$T/req"
	run "$BB/rss" -i "$T/req" -o "$T/floor.out" -- socat -t 60 - "TCP:127.0.0.1:$PORT"
	assert_success
	assert_output --regexp '^wall_s=[0-9.]+ user_s=[0-9.]+ sys_s=[0-9.]+ rss_kib=[0-9]+ status=0$'
	tail -c "$(wc -c <"$T/ev")" "$T/floor.out" | cmp - "$T/ev"
}

@test "bench: the stand-in answers GETINFO version and ns/all, and QUIT" {
	"$BB/gen" ns 200 16 >"$T/ns"
	start_standin -d "$T/ns"
	run "$TORSH" -i "127.0.0.1:$PORT" --raw -c 'GETINFO version' -c 'GETINFO ns/all'
	assert_success
	assert_line --index 0 '250-version=0.4.9.11 (git-benchstandin)'
	# raw output: the block as sent, CRLF as LF
	printf '%s\n' "${lines[@]:2}" | cmp - <(tr -d '\r' <"$T/ns")
	grep -q $'^QUIT\r$' "$T/req.log"
}

@test "bench: rss -t gives the command a terminal, so torsh colours" {
	"$BB/gen" events 50 16 >"$T/ev"
	start_standin -e "$T/ev"
	run "$BB/rss" -t -o "$T/tty.out" -- "$TORSH" -i "127.0.0.1:$PORT" --pretty --linger 60 -c 'SETEVENTS CIRC'
	assert_output --regexp 'rss_kib=[0-9]+ status=5$'
	grep -q $'\e\\[' "$T/tty.out"
	[ "$(grep -c 'CIRC\|STREAM' "$T/tty.out")" -ge 30 ]
}

@test "bench: a tiny run (1,000 events, one repetition, a short echo test) prints a line per case" {
	BENCH_FLOODS=1000 BENCH_BLOCKS=100 BENCH_REPS=1 BENCH_ECHO_KEYS=2 run "$ROOT/tests/bench/run"
	assert_success
	for c in oneshot block-100-raw block-100-pretty block-100-json flood-1k-raw flood-1k-pretty-color \
		flood-1k-pretty-nocolor flood-1k-json echo-10000; do
		assert_line --regexp "^bench: $c torsh_s=[0-9.]+ floor_s=[0-9.-]+ ratio=[0-9.-]+ ev_per_s=[0-9-]+ rss_kib=[0-9]+ target=[^ ]+ verdict=(PASS|FAIL)$"
	done
	# a pseudo-terminal's throughput is the kernel's: shown, never a
	# target; only its RSS can fail it (as under make asan, whose shadow
	# memory puts every row above 8 MiB)
	local pty
	pty=$(grep -E "^bench: flood-1k-pretty-pty torsh_s=[0-9.]+ .* target=info,rss<=8MiB verdict=(INFO|FAIL)$" <<<"$output")
	[ -n "$pty" ]
	local rss=${pty#*rss_kib=}
	rss=${rss%% *}
	[[ "$pty" == *verdict=INFO || "$rss" -gt 8192 ]]
	assert_line --regexp '^bench: machine: [0-9]+ cores, '
	refute_output --partial 'broken run'
}

@test "bench: only BENCH_STRICT=1 makes a missed target fail the run" {
	# a torsh that takes 0.3 s longer misses the one-shot target (1.5x socat)
	printf '#!/bin/sh\nsleep 0.3\nexec "%s" "$@"\n' "$TORSH" >"$T/slow"
	chmod +x "$T/slow"
	export TORSH="$T/slow" BENCH_FLOODS= BENCH_BLOCKS= BENCH_REPS=1 BENCH_ECHO_RATE=0
	run "$ROOT/tests/bench/run"
	assert_success
	assert_line --regexp '^bench: oneshot .* verdict=FAIL$'
	BENCH_STRICT=1 run "$ROOT/tests/bench/run"
	assert_failure 1
	assert_line --regexp '^bench: 1 target\(s\) missed'
}

@test "bench: digest --update records the renderings, and a changed one is caught" {
	export DIGESTS="$T/digests.txt"
	run "$ROOT/tests/bench/digest"
	assert_failure 77
	run "$ROOT/tests/bench/digest" --update
	assert_success
	[ "$(grep -cE '^[0-9a-f]{64}  ((events|block)-(raw|pretty|json)|events-(color|explain))$' "$DIGESTS")" -eq 8 ]
	run "$ROOT/tests/bench/digest"
	assert_success
	sed -i -E 's/^[0-9a-f]/x/; /events-json/s/^[0-9a-f]{4}/0000/' "$DIGESTS"
	run "$ROOT/tests/bench/digest"
	assert_failure 1
	assert_output --partial 'events-json'
}

@test "bench: torsh's renderings of the benchmark data match tests/bench/digests.txt" {
	[ -f "$ROOT/tests/bench/digests.txt" ] ||
		skip "tests/bench/digests.txt not recorded yet (tests/bench/digest --update, on the output to keep)"
	run "$ROOT/tests/bench/digest"
	assert_success
}
