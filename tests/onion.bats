#!/usr/bin/env bats
# /onion, the onion workbench's offline part, against a real offline tor:
# keys made here and accepted by tor, key files round-trip, tor's own key
# files read, services and client keys over the control port. (The live
# parts, upload and reachability, need the private network: tests/net/.)

load helpers
shared_tor

A=aoqqpp7tzyil4hlq3umoos6atft6jvrqtosq2xy53sdgiesvgg4bqead

mode() { stat -c %a "$1"; }

@test "/onion keygen: every form, files 0600, and tor takes the keys" {
	d="$BATS_TEST_TMPDIR/keys"
	mkdir "$d"
	run "$TORSH" --json -c "/onion keygen $A --out $d --name alice"
	assert_success
	pub="$(jq -r .public_key <<<"$output")"
	priv="$(jq -r .private_key <<<"$output")"
	[[ "$pub" =~ ^[a-z2-7]{52}$ ]]
	[[ "$priv" =~ ^x25519:\[hidden ]]    # --out: on screen only with --show-secrets
	assert_equal "$(mode "$d/alice.auth")" 600
	assert_equal "$(mode "$d/$A.auth_private")" 600
	assert_equal "$(cat "$d/alice.auth")" "descriptor:x25519:$pub"
	grep -Eq "^$A:descriptor:x25519:[a-z2-7]{52}$" "$d/$A.auth_private"
	# tor takes the public key for ADD_ONION ...
	run "$TORSH" "${TORSH_CONNECT[@]}" -c "ADD_ONION NEW:ED25519-V3 Flags=V3Auth,DiscardPK Port=80 ClientAuthV3=$pub"
	assert_success
	assert_line --regexp '^250-ServiceID='
	# ... and the private key file for ONION_CLIENT_AUTH_ADD, through /onion auth add
	run "$TORSH" "${TORSH_CONNECT[@]}" -c "/onion auth add $d/$A.auth_private"
	assert_success
	assert_output "client key added for $A.onion"
	run "$TORSH" "${TORSH_CONNECT[@]}" -c "ONION_CLIENT_AUTH_VIEW $A"
	assert_line --regexp "^250-CLIENT $A x25519:"
	# the same key as tor stores it: the file's base32 private key, in base64
	b32="$(cut -d: -f4 "$d/$A.auth_private" | tr a-z A-Z)"
	b64="$(printf '%s====' "$b32" | base32 -d | base64)"
	assert_line "250-CLIENT $A x25519:$b64"
	"$TORSH" "${TORSH_CONNECT[@]}" -c "ONION_CLIENT_AUTH_REMOVE $A" >/dev/null
}

@test "/onion keygen: without --out the private key is shown in every form, and runs without a tor" {
	run "$TORSH" -s /nonexistent/socket -c '/onion keygen'
	assert_success
	assert_line --regexp '^  ClientAuthV3=[a-z2-7]{52}$'
	assert_line --regexp '^  ONION_CLIENT_AUTH_ADD ADDR x25519:[A-Za-z0-9+/]{43}=$'
	assert_line --regexp '^  ADDR.auth_private: ADDR:descriptor:x25519:[a-z2-7]{52}$'
}

@test "/onion keygen --out without ADDR, and over an existing file: refused, naming why" {
	run "$TORSH" -c "/onion keygen --out $BATS_TEST_TMPDIR"
	assert_failure 2
	assert_output --partial '--out needs ADDR'
	touch "$BATS_TEST_TMPDIR/client.auth"
	run "$TORSH" -c "/onion keygen $A --out $BATS_TEST_TMPDIR"
	assert_failure 2
	assert_output --partial "client.auth: File exists (not overwritten)"
}

@test "/onion new --save-key, then --key: the same address; key files 0600 in both forms" {
	k="$BATS_TEST_TMPDIR/web.key"
	run "$TORSH" "${TORSH_CONNECT[@]}" --json -c "/onion new 80,127.0.0.1:8080 --save-key $k"
	assert_success
	addr="$(jq -r .address <<<"$output")"
	assert_equal "$(jq -r .private_key <<<"$output")" 'ED25519-V3:[hidden: --show-secrets]'
	assert_equal "$(mode "$k")" 600
	grep -Eq '^ED25519-V3:[A-Za-z0-9+/]{86}==$' "$k"
	# that service went with its connection; the saved key brings it back
	run "$TORSH" "${TORSH_CONNECT[@]}" -c "/onion new 80 --key $k --detach --save-key $BATS_TEST_TMPDIR/hs_ed25519_secret_key"
	assert_success
	assert_line --index 0 "created $addr.onion"
	assert_equal "$(mode "$BATS_TEST_TMPDIR/hs_ed25519_secret_key")" 600
	assert_equal "$(head -c 29 "$BATS_TEST_TMPDIR/hs_ed25519_secret_key")" '== ed25519v1-secret: type0 =='
	run "$TORSH" -c "/onion address $BATS_TEST_TMPDIR/hs_ed25519_secret_key"
	assert_output "$addr.onion"
	run "$TORSH" "${TORSH_CONNECT[@]}" -c '/onion list'
	assert_output --partial "$addr.onion  detached"
	run "$TORSH" "${TORSH_CONNECT[@]}" -c "/onion del $addr"
	assert_success
	assert_output "removed $addr.onion"
	run "$TORSH" "${TORSH_CONNECT[@]}" -c 'GETINFO onions/detached'
	refute_output --partial "$addr"
}

@test "/onion new --show-secrets shows the key; --client-auth adds V3Auth" {
	pub=gwahfvrwlcandlxkgknn7ejbha4fd3jbukhdw5pjmxinftiwmjka
	run "$TORSH" "${TORSH_CONNECT[@]}" -c "/onion new 80 --show-secrets --client-auth $pub --max-streams 3"
	assert_success
	assert_line --regexp '^  key: ED25519-V3:[A-Za-z0-9+/]{86}==$'
	assert_line '  client authorization: 1 client'
}

@test "/onion address on tor's own HiddenServiceDir files matches its hostname file" {
	d="$(short_tmpdir)"
	run "$TORSH" "${TORSH_CONNECT[@]}" -c "SETCONF HiddenServiceDir=$d/svc HiddenServicePort=\"80 127.0.0.1:8080\""
	assert_success
	wait_for 10 test -s "$d/svc/hostname"
	run "$TORSH" -c "/onion address $d/svc/hs_ed25519_public_key"
	assert_output "$(cat "$d/svc/hostname")"
	run "$TORSH" -c "/onion address $d/svc/hs_ed25519_secret_key"
	assert_output "$(cat "$d/svc/hostname")"
	pub="$(tail -c 32 "$d/svc/hs_ed25519_public_key" | base64)"
	run "$TORSH" --json -c "/onion address $pub"
	assert_equal "$(jq -r .address <<<"$output").onion" "$(cat "$d/svc/hostname")"
	"$TORSH" "${TORSH_CONNECT[@]}" -c 'RESETCONF HiddenServiceDir HiddenServicePort' >/dev/null
	rm -rf "$d"
}

@test "/onion auth add/list/remove with a base32 key; list masks it" {
	key=eaqseizeeutcokbjfivsyljof4ydcmrtgq2tmnzyhe5dwpb5hz7q
	run bash -c "printf '/onion auth add $A $key --name bob\n/onion auth list\n/onion auth list --show-secrets\n/onion auth remove $A\n/onion auth list\n' | '$TORSH' ${TORSH_CONNECT[*]}"
	assert_success
	assert_line --index 0 "client key added for $A.onion"
	assert_line --index 1 "$A.onion  client authorization ClientName=bob"
	assert_line --index 2 "$A.onion  client authorization ClientName=bob x25519:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pn8="
	assert_line --index 3 "client key removed for $A.onion"
	assert_equal "${#lines[@]}" 4
}

@test "/onion --json: one object per result" {
	run "$TORSH" "${TORSH_CONNECT[@]}" --json -c "/onion new 81 --detach" -c '/onion list'
	assert_success
	addr="$(jq -r 'select(.ports) | .address' <<<"$output")"
	[ "$(jq -r "select(.kind == \"detached\") | .address" <<<"$output")" = "$addr" ]
	run "$TORSH" "${TORSH_CONNECT[@]}" --json -c "/onion del $addr"
	assert_output "{\"removed\":\"$addr\"}"
}

@test "/onion bad input: errors name the argument" {
	run "$TORSH" -c "/onion address ${A%d}e"
	assert_failure 2
	assert_output --partial "character 56 'e' should probably be 'd': did you mean $A?"
	run "$TORSH" "${TORSH_CONNECT[@]}" -c "/onion del ${A:0:55}"
	assert_failure 2
	assert_output --partial 'ADDR: expected a v3 onion address (56 base32 characters), got 55 characters (one missing?)'
	run "$TORSH" "${TORSH_CONNECT[@]}" -c '/onion new 70000'
	assert_failure 2
	assert_output --partial '/onion new: PORT 70000'
	run "$TORSH" "${TORSH_CONNECT[@]}" -c "/onion new 80 --key $BATS_TEST_TMPDIR/none"
	assert_failure 2
	assert_output --partial '/onion new: --key: not a key'
	run bash -c "echo '/onion auth add $A x25519:AAAA' | '$TORSH' ${TORSH_CONNECT[*]}"
	assert_failure 2
	assert_output --partial 'KEY: expected a 32-byte x25519 key'
	refute_output --partial 'AAAA'
	run "$TORSH" "${TORSH_CONNECT[@]}" -c "/onion del $A"
	assert_failure 2
	assert_output --partial 'tor answered 552'
	run "$TORSH" "${TORSH_CONNECT[@]}" -c "/onion decode $A"
	assert_failure 2
	assert_output --partial "no descriptor of $A in tor's caches"
	run "$TORSH" "${TORSH_CONNECT[@]}" -c '/onion frobnicate'
	assert_failure 2
	assert_output --partial "unknown subcommand 'frobnicate'"
}
