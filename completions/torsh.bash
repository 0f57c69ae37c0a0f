# bash completion for torsh
_torsh() {
	local cur prev
	cur="${COMP_WORDS[COMP_CWORD]}"
	prev="${COMP_WORDS[COMP_CWORD-1]}"
	case "$prev" in
	-s|--socket|--cookie|--password-file|--tor)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	-i|--interface|-c|--command|--linger|--timeout|--connect-timeout|--tor-option)
		return ;;
	esac
	COMPREPLY=($(compgen -W "-s --socket -i --interface -c --command -k --keep-going -y --yes --linger --launch --tor --tor-option --cookie --allow-plain-cookie --password-file --connect-timeout --timeout --raw --pretty --json --explain --color --no-color --list-commands -v --verbose -h --help -V --version" -- "$cur"))
}
complete -F _torsh torsh
