#!/usr/bin/env bats
# The command table is the single source of truth: the man page, the seed's
# CommandWord list and /help must agree with it.

setup() {
	load helpers
	SEED="${TORSH_SEEDS:-$ROOT/../shared/seeds}/002_967cc2f9499ea023.txt"
}

# The seed sits beside the repository (as in CI), not in it: a fresh clone
# skips what needs it. A TORSH_SEEDS that names a folder must hold it.
need_seed() {
	[ -f "$SEED" ] || [ -n "${TORSH_SEEDS:-}" ] || skip "seed $SEED is absent (it sits beside the repository; set TORSH_SEEDS to its folder)"
}

@test "the command table has every CommandWord of the seed, and nothing else but / commands" {
	need_seed
	[ -f "$SEED" ]
	run bash -c "sed -n '/^class aiostem.command.CommandWord/,\$p' '$SEED' | sed -n \"s/^\\([A-Z_]*\\) = '\\([A-Z_]*\\)'\$/\\2/p\" | sort -u"
	assert_success
	local seed_words="$output"
	[ "$(wc -l <<<"$seed_words")" -eq 34 ]
	run bash -c "'$TORSH' --list-commands | grep -v '^/' | sort -u"
	assert_success
	assert_equal "$output" "$seed_words"
}

@test "the man page's COMMANDS section lists exactly the table's commands" {
	run bash -c "sed -n '/^\\.SH COMMANDS/,/^\\.SH /p' '$ROOT/man/torsh.1' | sed -n 's/^\\.BI\\{0,1\\} \"\\{0,1\\}+\\{0,1\\}\\([A-Z_/a-z]*\\).*/\\1/p' | sort"
	assert_success
	local man_cmds="$output"
	run bash -c "'$TORSH' --list-commands | sort"
	assert_equal "$man_cmds" "$output"
}

@test "every command has help text with a summary (and, unless obsolete, an example)" {
	local name
	while read -r name; do
		run "$TORSH" -c "/help $name"
		assert_success
		[ "${#lines[@]}" -ge 2 ]
		[[ "${lines[0]}" == *"$name"* ]]
		if [ "$name" != SETROUTERPURPOSE ] && [ "$name" != /quit ] && [ "$name" != /raw ]; then
			assert_line --regexp '^  example: '
		fi
		[[ "$name" == /* ]] || assert_line --regexp '^  since tor [0-9]'
	done < <("$TORSH" --list-commands)
}

@test "/help without tor lists every command; /help of a typo suggests" {
	run "$TORSH" -c /help
	assert_success
	assert_line --regexp '^  ADD_ONION +create an onion service'
	assert_line --regexp '^  /raw +send LINE as typed'
	run "$TORSH" -c '/help GETINF'
	assert_failure 2
	assert_output --partial 'did you mean GETINFO?'
}

@test "every long option of --help is in the man page and all three completions" {
	local opts
	opts="$("$TORSH" --help | grep -o -- '--[a-z][a-z-]*' | sort -u)"
	[ "$(wc -l <<<"$opts")" -ge 20 ]
	local missing=""
	for o in $opts; do
		grep -q -- "${o//-/\\\\-}" "$BATS_TEST_DIRNAME/../man/torsh.1" || missing+=" man:$o"
		for f in torsh.bash _torsh torsh.fish; do
			case "$f" in
			torsh.fish) grep -q -- "-l ${o#--}\b" "$BATS_TEST_DIRNAME/../completions/$f" || missing+=" $f:$o" ;;
			*) grep -q -- "$o\b" "$BATS_TEST_DIRNAME/../completions/$f" || missing+=" $f:$o" ;;
			esac
		done
	done
	[ -z "$missing" ] || { echo "missing:$missing"; false; }
}

@test "the man page's command list is exactly what the command table generates (make man)" {
	local root="$BATS_TEST_DIRNAME/.."
	[ -x "$root/build/gen-commands" ]
	run diff <(awk '/^\.\\" END COMMANDS/ { p = 0 } p; /^\.\\" BEGIN COMMANDS/ { p = 1 }' "$root/man/torsh.1") <("$root/build/gen-commands")
	assert_success
	[ "$(grep -c '^\.TP' <("$root/build/gen-commands"))" -eq "$("$TORSH" --list-commands | wc -l)" ]
}

@test "the man page documents the interactive shell: key bindings, completion, shell commands, history, reconnecting" {
	local section
	section="$(sed -n '/^\.SH INTERACTIVE USE/,/^\.SH FILES/p' "$ROOT/man/torsh.1")"
	local ss
	for ss in 'Key bindings' 'Completion' 'Shell commands' 'History' 'Reconnecting' 'Dangerous commands'; do
		grep -qx "\.SS $ss" <<<"$section" || { echo "no subsection: $ss" >&2; return 1; }
	done
	# every torsh command is explained there, not only listed under COMMANDS
	local c missing=""
	while read -r c; do
		grep -qF -- "$c" <<<"$section" || missing+=" $c"
	done < <("$TORSH" --list-commands | grep '^/')
	[ -z "$missing" ] || { echo "not in INTERACTIVE USE:$missing" >&2; return 1; }
	# each shell-only command says so in /help, from the table's flag
	run "$TORSH" -c '/help /mute'
	assert_line '  interactive shell only'
	run "$TORSH" -c '/help /wait'
	refute_line '  interactive shell only'
}

@test "README and torsh(1) have a SECURITY section: threat model, guarantees, the one weakening flag" {
	run bash -c "sed -n '/^## Security/,/^## /p' '$ROOT/README.md'"
	assert_success
	assert_output --partial 'threat model'
	assert_output --partial 'SAFECOOKIE'
	assert_output --partial '--timeout'
	assert_output --partial '[redacted]'
	assert_output --partial '**`--allow-plain-cookie`**'
	run bash -c "sed -n '/^\\.SH SECURITY/,/^\\.SH [^S]/p' '$ROOT/man/torsh.1'"
	assert_success
	assert_line '.SS Threat model'
	assert_line '.SS Guarantees'
	assert_output --partial 'allow\-plain\-cookie'
	# the flag the section names is a real option
	run "$TORSH" --help
	assert_output --partial '--allow-plain-cookie'
}

@test "source layout: only editor.c includes <histedit.h>, and the README's Source layout names it" {
	run grep -rlE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](histedit|editline/readline|readline/readline)\.h[>"]' "$ROOT/src"
	assert_success
	assert_output "$ROOT/src/editor.c"
	run sed -n '/^## Source layout/,/^## /p' "$ROOT/README.md"
	assert_output --partial '`editor`'
	assert_output --partial '`histfile`'
}

@test "source layout: every module in src/ has its line in the README" {
	local layout missing="" m
	layout="$(sed -n '/^## Source layout/,/^## /p' "$ROOT/README.md")"
	for m in "$ROOT"/src/*.c; do
		m="$(basename "$m" .c)"
		grep -q "\`$m\`" <<<"$layout" || missing+=" $m"
	done
	assert_equal "$missing" ""
}

@test "torsh(1) has EXAMPLES (a session, a script's exit codes, JSON events with jq, a cron check) and SEE ALSO tor, nyx, tor-prompt" {
	local man="$ROOT/man/torsh.1"
	run bash -c "sed -n '/^\\.SH EXAMPLES/,/^\\.SH /p' '$man'"
	assert_success
	assert_line --regexp '^tor 0\.4\.9\.11 tor/control> GETINFO'
	assert_output --partial 'case $? in'
	assert_output --partial '\-\-json'
	assert_output --partial 'jq \-r'
	assert_line --regexp '^\*/10 \* \* \* \* torsh '
	run bash -c "sed -n '/^\\.SH SEE ALSO/,/^\\.SH /p' '$man'"
	assert_line '.BR tor (1),'
	assert_line '.BR nyx (1),'
	assert_line '.BR tor\-prompt (1),'
}

@test "only raw mode is described as printing replies as tor sent them (torsh(1) DESCRIPTION, README)" {
	run bash -c "sed -n '/^\\.SH DESCRIPTION/,/^\\.SH /p' '$ROOT/man/torsh.1' | tr '\\n' ' '"
	refute_output --partial 'Replies are printed as tor sent them'
	assert_output --regexp 'as tor sent them, minus the CRLF, only in raw mode'
	run grep -c 'prints each reply as tor sent it' "$ROOT/README.md"
	assert_output 0
}

@test "--tor-option and the launched tor's way online are documented in torsh(1) and the README" {
	run bash -c "sed -n '/^\\.B \\\\-\\\\-launch\$/,/^\\.SS Authenticating/p' '$ROOT/man/torsh.1'"
	assert_output --partial '.BI \-\-tor\-option " \(aqKEY VALUE\(aq"'
	assert_output --partial 'SETCONF DisableNetwork=0'
	assert_output --partial 'DirAuthority dummy 127.0.0.1:1'
	refute_output --partial 'dead authority it'
	run grep -F "| \`--tor-option 'KEY VALUE'\` |" "$ROOT/README.md"
	assert_success
	# the prompt's short names
	run grep -F '(launched)' "$ROOT/man/torsh.1"
	assert_success
}
