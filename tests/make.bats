#!/usr/bin/env bats
# The project's own machinery as a newcomer meets it: make check's verdict,
# a quiet build, make run, and a clone that has nothing beside it.

setup() {
	load helpers
	T="$BATS_TEST_TMPDIR"
}

# A command as run from a shell: nothing of this bats run (its variables,
# its libexec on PATH) or of an outer make (its jobserver), no TORSH_SEEDS.
clean() {
	local path
	path="$(tr : '\n' <<<"$PATH" | grep -v bats-core | paste -sd:)"
	env -i PATH="$path" HOME="$HOME" LANG="${LANG:-C.UTF-8}" "$@"
}

# A copy of the repository with no shared/ beside it, as a fresh clone has.
copy_repo() {
	COPY="$T/clone/torsh"
	mkdir -p "$COPY"
	cp -r "$ROOT/src" "$ROOT/man" "$ROOT/completions" "$ROOT/tests" "$ROOT/Makefile" "$COPY/"
	[ ! -e "$COPY/../shared" ]
}

@test "tally: counts ok, not ok and skip of bats and C units, lists the failed with their place, ends with the verdict" {
	# (an @test at the start of a line here would be taken for one of ours)
	printf '%s\n' 'f() { [ "$1" = bye ]; }' '@test "passes" { true; }' '@test "fails # with a hash" { f hi; }' \
		'@test "skips" { skip "no seed here"; }' >"$T/a.bats"
	printf '@test "never" { true; }\nsetup_file() { false; }\n' >"$T/b.bats"
	{
		clean bats --formatter tap "$T/a.bats" "$T/b.bats" || true
		printf 'ok 1 - a unit check\nok 2 # SKIP seed absent\nnot ok 3 - tests/unit/test_x.c:9: a unit check\n1..3\n'
	} >"$T/log"
	run "$ROOT/tests/tally" "$T/log"
	assert_failure 1
	assert_line --index 0 'failed tests:'
	assert_line --index 1 "  $T/a.bats:3: fails # with a hash"
	assert_line --index 2 "  $T/b.bats:2: setup_file failed"
	assert_line --index 3 '  tests/unit/test_x.c:9: a unit check'
	assert_equal "${lines[-1]}" '2 passed, 3 failed, 2 skipped'
	[ "${#lines[@]}" -eq 5 ]
}

@test "tally: all passed is exit 0 and no ', 0 skipped'; a runner that died before reporting is one failure" {
	printf 'ok 1 - a\nok 2 b\n' >"$T/log"
	run "$ROOT/tests/tally" "$T/log"
	assert_success
	assert_output '2 passed, 0 failed'
	run "$ROOT/tests/tally" -r 'make bats' "$T/log"
	assert_failure 1
	assert_line 'failed tests:'
	assert_line '  make bats ended with an error before reporting a failed test'
	assert_equal "${lines[-1]}" '2 passed, 1 failed'
}

@test "make check ends with 'N passed, N failed, N skipped', the failed tests listed again just before it" {
	printf '@test "it passes" { true; }\n@test "it fails" { false; }\n@test "it skips" { skip "why"; }\n' >"$T/t.bats"
	run clean bash -c "cd '$ROOT' && timeout 120 make --no-print-directory check \
		BATS_TESTS='$T/t.bats' UNITBIN= CHECKLOG='$T/check.tap' 2>/dev/null"
	assert_failure
	assert_line 'not ok 2 it fails'
	assert_equal "${lines[-3]}" 'failed tests:'
	assert_equal "${lines[-2]}" "  $T/t.bats:2: it fails"
	assert_equal "${lines[-1]}" '1 passed, 1 failed, 1 skipped'

	printf '@test "it passes" { true; }\n' >"$T/t.bats"
	run clean bash -c "cd '$ROOT' && timeout 120 make --no-print-directory check \
		BATS_TESTS='$T/t.bats' UNITBIN= CHECKLOG='$T/check.tap'"
	assert_success
	assert_equal "${lines[-1]}" '1 passed, 0 failed'
}

@test "make check counts a C unit binary that crashed as a failed test" {
	copy_repo
	printf '#include <stdlib.h>\nint main(void) { abort(); }\n' >"$COPY/tests/unit/test_crash.c"
	printf '@test "it passes" { true; }\n' >"$T/t.bats"
	run clean bash -c "cd '$COPY' && timeout 120 make --no-print-directory -j2 check \
		BATS_TESTS='$T/t.bats' 2>/dev/null"
	assert_failure
	assert_line --regexp '^not ok - build/unit/test_crash ended abnormally \(status 134\)$'
	assert_equal "${lines[-2]}" '  build/unit/test_crash ended abnormally (status 134)'
	[[ "${lines[-1]}" =~ ^[0-9]+\ passed,\ 1\ failed,\ 1\ skipped$ ]]
}

@test "the build is quiet: one short line per file, the compiler's warnings shown; V=1 prints the commands" {
	printf '#warning quiet-build-test\n' >"$T/w.h"
	run clean bash -c "cd '$ROOT' && make -B BUILD='$T/b' '$T/b/buf.o' '$T/b/fakeport' \
		CFLAGS='-Wno-error -include $T/w.h' 2>&1"
	assert_success
	assert_line "  CC    $T/b/buf.o"
	assert_line "  CCLD  $T/b/fakeport"
	assert_output --partial 'warning: #warning quiet-build-test'
	refute_output --partial -- '-Wall'
	run clean bash -c "cd '$ROOT' && make -B BUILD='$T/b' '$T/b/buf.o' V=1 2>&1"
	assert_success
	assert_output --partial "-c -o $T/b/buf.o src/buf.c"
	refute_line "  CC    $T/b/buf.o"
}

@test "make run: no build lines before the prompt, and the launched tor has the backstop (dead authority, no fallbacks)" {
	copy_repo
	run clean bash -c "cd '$COPY' && printf 'GETCONF DirAuthority UseDefaultFallbackDirs DisableNetwork\n' |
		make --no-print-directory -j2 run 2>&1"
	assert_success
	assert_output "250-DirAuthority=dummy 127.0.0.1:1 ffffffffffffffffffffffffffffffffffffffff
250-UseDefaultFallbackDirs=0
250 DisableNetwork=1"
}

@test "every --launch in the tests and in make run passes the backstop with --tor-option" {
	run bash -c "grep -n -- '--launch' '$ROOT'/tests/*.bats | grep 'TORSH' | grep -v 'LAUNCH_BACKSTOP'"
	assert_output ''
	[ "$(grep -c 'LAUNCH_BACKSTOP\[' "$ROOT"/tests/*.bats | awk -F: '{ n += $2 } END { print n }')" -ge 10 ]
	run grep -E '^	@\./torsh --launch \$\(BACKSTOP\)$' "$ROOT/Makefile"
	assert_success
	run grep -c "DirAuthority dummy 127.0.0.1:1 ffffffffffffffffffffffffffffffffffffffff\|UseDefaultFallbackDirs 0" "$ROOT/Makefile"
	assert_output 2
}

@test "in a clone with nothing beside it the seed tests skip, saying why" {
	copy_repo
	clean make --no-print-directory -C "$COPY" -s -j2 torsh build/unit/test_enums >/dev/null
	run clean bash -c "cd '$COPY' && ./build/unit/test_enums"
	assert_success
	assert_line 'ok 1 # SKIP seed ../shared/seeds/000_7cde19b1aab479fb.txt is absent (it sits beside the repository; set TORSH_SEEDS to its folder)'
	run clean bash -c "cd '$COPY' && bats --formatter tap tests/docs.bats -f CommandWord"
	assert_success
	assert_line --regexp '^ok 1 .* # skip seed .*/002_967cc2f9499ea023.txt is absent \(it sits beside the repository; set TORSH_SEEDS to its folder\)$'
	# a TORSH_SEEDS that names a folder must hold the seed
	run clean bash -c "cd '$COPY' && TORSH_SEEDS=/nonexistent ./build/unit/test_enums"
	assert_failure
	assert_line --partial 'not ok 1 - tests/unit/test_enums.c'
}

@test "nothing in the repository reaches outside it but the two seed tests" {
	run clean bash -c "cd '$ROOT' && grep -rnE '\\.\\./shared|/work/' src tests Makefile man completions .ci |
		grep -vE '^[^:]+:[0-9]+:( \\*|/\\*|#)' | grep -v '^tests/make.bats:' | cut -d: -f1"
	assert_output "tests/docs.bats
tests/unit/test_enums.c"
}
