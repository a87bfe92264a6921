# bash completion for iommuctl. Word lists come from the binary itself
# (--list-cmds, --list-opts), so they cannot drift from the code.
_iommuctl()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local bin=${IOMMUCTL:-iommuctl} i obj="" verb="" globals="-j --json -p --pretty --root -v --verbose --color --version --list-cmds -h --help"
	local -a words=()

	case $prev in
	--root) COMPREPLY=($(compgen -d -- "$cur")); return ;;
	--color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
	esac
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--root|--color) ((i++)) ;;
		-*) ;;
		*) if [ -z "$obj" ]; then obj=${COMP_WORDS[i]}; elif [ -z "$verb" ]; then verb=${COMP_WORDS[i]}; fi ;;
		esac
	done
	if [ -z "$obj" ]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$globals" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$("$bin" --list-cmds 2>/dev/null)" -- "$cur"))
		fi
		return
	fi
	if [ -z "$verb" ] && [[ $cur != -* ]]; then
		COMPREPLY=($(compgen -W "$("$bin" "$obj" --list-cmds 2>/dev/null)" -- "$cur"))
		return
	fi
	if [[ $cur == -* ]]; then
		if [ -z "$verb" ]; then
			verb=$("$bin" "$obj" --list-cmds 2>/dev/null | head -n 1)
		fi
		COMPREPLY=($(compgen -W "$("$bin" "$obj" "$verb" --list-opts 2>/dev/null)" -- "$cur"))
	fi
}
complete -F _iommuctl iommuctl
