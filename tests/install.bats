#!/usr/bin/env bats
# make install honours DESTDIR, PREFIX and MANDIR and installs the binary, the
# man page and the shell completions.

setup() {
	load helpers
}

@test "make install DESTDIR=... PREFIX=/usr MANDIR=..." {
	local dest="$BATS_TEST_TMPDIR/root"
	run make -C "$ROOT" -s install DESTDIR="$dest" PREFIX=/usr MANDIR=/usr/share/man
	assert_success
	[ -x "$dest/usr/bin/torsh" ]
	[ -f "$dest/usr/share/man/man1/torsh.1" ]
	[ -f "$dest/usr/share/bash-completion/completions/torsh" ]
	[ -f "$dest/usr/share/zsh/site-functions/_torsh" ]
	[ -f "$dest/usr/share/fish/vendor_completions.d/torsh.fish" ]
	run "$dest/usr/bin/torsh" --version
	assert_success
	run make -C "$ROOT" -s uninstall DESTDIR="$dest" PREFIX=/usr MANDIR=/usr/share/man
	assert_success
	[ ! -e "$dest/usr/bin/torsh" ]
}

@test "the man page renders without warnings" {
	run bash -c "LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l '$ROOT/man/torsh.1' 2>&1 >/dev/null"
	assert_success
	assert_output ''
}
