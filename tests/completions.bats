#!/usr/bin/env bats
# The shell completions, each loaded in its own shell: bash's function called
# as bash would call it, zsh's through a real Tab in tmux, fish's through
# `complete -C`. Every long option of --help is offered by all three.

setup() {
	load helpers
	T="$BATS_TEST_TMPDIR"
	COMP="$ROOT/completions"
	mkdir -p "$T/files"
	touch "$T/files/control" "$T/files/cookie" "$T/files/other"
	OPTS="$("$TORSH" --help | grep -o -- '--[a-z][a-z-]*' | sort -u)"
}

teardown() {
	[ ! -S "$T/tmux" ] || tmux -S "$T/tmux" kill-server 2>/dev/null || true
}

# bash_complete WORD...: COMPREPLY of _torsh for the command line WORD...,
# the cursor on the last word, one per line.
bash_complete() {
	bash --norc --noprofile -c 'source "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_torsh torsh "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"' bash "$COMP/torsh.bash" "$@"
}

@test "bash: sourcing the file registers _torsh for torsh" {
	run bash --norc --noprofile -c "source '$COMP/torsh.bash' && complete -p torsh"
	assert_success
	assert_output 'complete -F _torsh torsh'
}

@test "bash: -- offers every long option of --help; a prefix narrows it" {
	run bash_complete torsh --
	assert_success
	local o missing=""
	for o in $OPTS; do
		grep -qxF -- "$o" <<<"$output" || missing+=" $o"
	done
	[ -z "$missing" ] || { echo "not offered:$missing"; false; }
	run bash_complete torsh --tor
	assert_output "--tor
--tor-option"
	run bash_complete torsh -k --js
	assert_output '--json'
}

@test "bash: -s, --cookie and --tor complete file names; --tor-option and -c offer nothing" {
	run bash_complete torsh -s "$T/files/co"
	assert_output "$T/files/control
$T/files/cookie"
	run bash_complete torsh --cookie "$T/files/o"
	assert_output "$T/files/other"
	run bash_complete torsh --launch --tor "$T/files/ot"
	assert_output "$T/files/other"
	run bash_complete torsh --launch --tor-option ''
	assert_output ''
	run bash_complete torsh -c ''
	assert_output ''
}

@test "zsh: _torsh parses, and compinit binds it to torsh" {
	run zsh -n "$COMP/_torsh"
	assert_success
	mkdir "$T/zdot"
	run env ZDOTDIR="$T/zdot" HOME="$T" zsh -f -c "fpath=('$COMP' \$fpath); autoload -U compinit; compinit -u -D
		print -r -- \${_comps[torsh]}; autoload -Uz +X _torsh && print loaded"
	assert_success
	assert_output "_torsh
loaded"
}

@test "zsh: Tab completes an option and a socket path at a real prompt" {
	mkdir "$T/zdot"
	printf '%s\n' "fpath=('$COMP' \$fpath)" 'autoload -U compinit; compinit -u -D' "PS1='zsh%% '" \
		>"$T/zdot/.zshrc"
	tmux -S "$T/tmux" new-session -d -s t -x 150 -y 20 "env ZDOTDIR='$T/zdot' HOME='$T' zsh -i"
	local i
	for i in $(seq 1 50); do tmux -S "$T/tmux" capture-pane -p -t t | grep -q '^zsh%' && break; sleep 0.1; done
	tmux -S "$T/tmux" send-keys -t t 'torsh --tor-o' Tab
	for i in $(seq 1 50); do tmux -S "$T/tmux" capture-pane -p -t t | grep -q -- '--tor-option' && break; sleep 0.1; done
	run tmux -S "$T/tmux" capture-pane -p -t t
	assert_line --regexp '^zsh% torsh --tor-option ?$'
	tmux -S "$T/tmux" send-keys -t t C-u "torsh -s $T/files/ot" Tab
	for i in $(seq 1 50); do tmux -S "$T/tmux" capture-pane -p -t t | grep -qF "files/other" && break; sleep 0.1; done
	run tmux -S "$T/tmux" capture-pane -p -t t
	assert_line --regexp "^zsh% torsh -s $T/files/other ?$"
}

@test "fish: the file parses and loads; complete -C offers every long option, and file names after -s" {
	run fish -n "$COMP/torsh.fish"
	assert_success
	run env HOME="$T" fish -N -c "source '$COMP/torsh.fish'; complete -C'torsh --'"
	assert_success
	local o missing=""
	for o in $OPTS; do
		grep -q -- "^$o	" <<<"$output" || missing+=" $o"
	done
	[ -z "$missing" ] || { echo "not offered:$missing"; false; }
	run env HOME="$T" fish -N -c "source '$COMP/torsh.fish'; complete -C'torsh --tor-o'"
	assert_output "--tor-option	a torrc line (KEY VALUE) for the tor --launch runs"
	run env HOME="$T" fish -N -c "source '$COMP/torsh.fish'; complete -C'torsh -s $T/files/co'"
	assert_output "$T/files/control
$T/files/cookie"
}
