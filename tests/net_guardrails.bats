#!/usr/bin/env bats
# The private network's guard rails (tests/net/net): nothing but 127.0.0.1.
# The harness refuses to start a tor whose torrc could reach anything else;
# the network's own torrcs pass; and every socket its tors hold is on
# 127.0.0.1 at both ends.

load helpers
load net/net

NET="$ROOT/tests/net/net"

setup() {
	D="$BATS_TEST_TMPDIR"
	echo "nameserver 127.0.0.1" >"$D/resolv.conf"
	FP=0123456789ABCDEF0123456789ABCDEF01234567
}

# good_relay: a torrc the harness accepts (an exit relay's lines).
good_relay() {
	cat <<-EOF
		TestingTorNetwork 1
		UseDefaultFallbackDirs 0
		DirAuthority auth1 orport=5000 no-v2 v3ident=$FP 127.0.0.1:5001 $FP
		DataDirectory $D/data
		Nickname relay
		ControlPort unix:$D/control
		SocksPort 0
		ORPort 127.0.0.1:5002
		Address 127.0.0.1
		ServerDNSResolvConfFile $D/resolv.conf
		ServerDNSDetectHijacking 0
		ExitRelay 1
		ExitPolicy accept 127.0.0.0/8:*
		ExitPolicy reject *:*
	EOF
}

# refused DESCRIPTION SED-EXPRESSION: the good torrc changed by the sed
# expression is refused, naming the problem.
refused() {
	good_relay | sed "$2" >"$D/torrc"
	run "$NET" check-torrc "$D/torrc"
	assert_failure
	assert_output --partial "$1"
}

@test "check-torrc accepts the reference relay torrc" {
	good_relay >"$D/torrc"
	run "$NET" check-torrc "$D/torrc"
	assert_success
	assert_output ''
}

@test "check-torrc refuses a torrc without TestingTorNetwork 1, UseDefaultFallbackDirs 0 or DirAuthority lines" {
	refused 'lacks TestingTorNetwork 1' '/^TestingTorNetwork/d'
	refused 'lacks TestingTorNetwork 1' 's/^TestingTorNetwork 1/TestingTorNetwork 0/'
	refused 'lacks UseDefaultFallbackDirs 0' '/^UseDefaultFallbackDirs/d'
	refused 'lacks DirAuthority lines' '/^DirAuthority/d'
}

@test "check-torrc refuses addresses other than 127.0.0.1: DirAuthority, ORPort, SocksPort, ControlPort, Address, an exit policy beyond 127.0.0.0/8" {
	refused 'DirAuthority not on 127.0.0.1' 's/127\.0\.0\.1:5001/10.0.0.1:5001/'
	refused 'ORPort not on 127.0.0.1' 's/^ORPort .*/ORPort 5002/'
	refused 'ORPort not on 127.0.0.1' 's/^ORPort .*/ORPort 0.0.0.0:5002/'
	refused 'SocksPort not on 127.0.0.1' 's/^SocksPort .*/SocksPort 9050/'
	refused 'ControlPort not on 127.0.0.1' 's/^ControlPort .*/ControlPort 9051/'
	refused 'Address is not 127.0.0.1' 's/^Address .*/Address 192.0.2.1/'
	refused 'exit policy beyond 127.0.0.0/8' 's/^ExitPolicy accept .*/ExitPolicy accept *:80/'
}

@test "check-torrc refuses options that reach elsewhere: fallback dirs, bridges, proxies" {
	refused 'option not allowed here: FallbackDir' '$a FallbackDir 192.0.2.1:80 orport=9001 id='"$FP"
	refused 'option not allowed here: UseBridges' '$a UseBridges 1'
	refused 'option not allowed here: Socks5Proxy' '$a Socks5Proxy 192.0.2.1:1080'
	refused 'option not allowed here: AlternateDirAuthority' '$a AlternateDirAuthority 192.0.2.1:80 '"$FP"
}

@test "check-torrc refuses a relay without ServerDNSDetectHijacking 0 or with a resolver other than 127.0.0.1" {
	refused 'without ServerDNSDetectHijacking 0' '/^ServerDNSDetectHijacking/d'
	refused 'ServerDNSResolvConfFile does not name only 127.0.0.1' '/^ServerDNSResolvConfFile/d'
	printf 'nameserver 127.0.0.1\nnameserver 192.0.2.53\n' >"$D/resolv.conf"
	refused 'ServerDNSResolvConfFile does not name only 127.0.0.1' ''
	echo 'nameserver 8.8.8.8' >"$D/resolv.conf"
	refused 'ServerDNSResolvConfFile does not name only 127.0.0.1' ''
}

@test "net up checks every torrc right before starting its tor: a fallback directory added at the last moment stops the start, no tor runs" {
	run env NET_EXTRA_TORRC="FallbackDir 192.0.2.1:80 orport=9001 id=$FP" "$NET" up "$D/net"
	assert_failure
	assert_output --partial "option not allowed here: FallbackDir"
	assert_output --partial "refusing to start auth1"
	# nothing was started, so nothing is left: no PID file, no tor with these torrcs
	run find "$D/net" -name pid
	assert_output ''
	run pgrep -f -- "-f $D/net/"
	assert_failure
}

@test "the running network: every torrc passes, and every socket of every tor is 127.0.0.1 at both ends" {
	[ -n "${TORSH_NET_ENV:-}" ] || skip "no shared network (make check or make net-up starts one)"
	net_load
	local n pid inodes
	for n in $NET_NODES; do
		run "$NET" check-torrc "$NET_DIR/$n/torrc"
		assert_success
	done
	for n in $NET_NODES; do
		pid="$(cat "$NET_DIR/$n/pid")"
		inodes="$(find "/proc/$pid/fd" -lname 'socket:*' -printf '%l\n' 2>/dev/null | tr -dc '0-9\n' | paste -sd'|')"
		[ -n "$inodes" ]
		# /proc/net/{tcp,udp}: local and remote address (hex, 0100007F is
		# 127.0.0.1; 00000000:0000 a listener's remote end), inode in field 10
		run awk -v re="^($inodes)\$" '$10 ~ re && ($2 !~ /^0100007F:/ || ($3 !~ /^0100007F:/ && $3 != "00000000:0000"))' \
			/proc/net/tcp /proc/net/udp
		assert_output ''
		# no IPv6 sockets at all
		run awk -v re="^($inodes)\$" '$10 ~ re' /proc/net/tcp6 /proc/net/udp6
		assert_output ''
	done
}
