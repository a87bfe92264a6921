# bash completion for iommuctl. Word lists come from the binary itself
# (--list-cmds, --list-opts, --list-paths), so they cannot drift from the code;
# so do live values (PCI devices, IOMMU groups, units), from --complete, which
# reads the system the line looks at (its --root, if it has one).
_iommuctl_files()
{
	compopt -o filenames 2>/dev/null
	COMPREPLY+=($(compgen -f -- "$cur"))
}

# The words up to the cursor as typed: bash splits COMP_WORDS at each ':'
# of a PCI address (COMP_WORDBREAKS), iommuctl --complete wants them whole.
_iommuctl_line_words()
{
	local line
	if [ -n "${COMP_LINE+x}" ]; then
		line=${COMP_LINE:0:${COMP_POINT:-${#COMP_LINE}}}
		if [ -n "${ZSH_VERSION-}" ]; then # zsh (_iommuctl, bashcompinit)
			eval 'words=(${(z)line})'
		else
			read -ra words <<<"$line"
		fi
		[[ -z $line || $line == *[[:space:]] ]] && words+=("")
	else
		words=("${COMP_WORDS[@]:0:COMP_CWORD+1}")
	fi
}

# Live values for the word at the cursor, where the command table says
# what goes there (iommuctl --complete).
_iommuctl_values()
{
	local words=() word i colon
	_iommuctl_line_words
	word=${words[@]: -1}
	[[ $word == -* ]] && return
	COMPREPLY+=($(compgen -W "$("$bin" --complete -- "${words[@]:1}" 2>/dev/null)" -- "$word"))
	# bash puts each in place of the part after the word's last ':'
	if [[ $word == *:* && $COMP_WORDBREAKS == *:* ]]; then
		colon=${word%"${word##*:}"}
		for i in "${!COMPREPLY[@]}"; do
			COMPREPLY[i]=${COMPREPLY[i]#"$colon"}
		done
	fi
}

_iommuctl()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local bin=${IOMMUCTL:-iommuctl} i obj="" verb="" operand="" cmds paths
	local globals="-j --json -p --pretty --root -v --verbose --color --version --list-cmds -h --help"

	COMPREPLY=()
	case $prev in
	--root) _iommuctl_files; return ;; # a directory or a bundle file
	--color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
	esac
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--root|--color) ((i++)) ;;
		-*) ;;
		*) if [ -z "$obj" ]; then obj=${COMP_WORDS[i]}
		   elif [ -z "$verb" ] && [ -z "$operand" ]; then verb=${COMP_WORDS[i]}
		   fi ;;
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
	cmds=$("$bin" "$obj" --list-cmds 2>/dev/null)
	# "iommuctl diff A <TAB>": A is an operand of the default verb, not a verb
	if [ -n "$verb" ] && ! grep -qx -- "$verb" <<<"$cmds"; then
		operand=$verb
		verb=""
	fi
	paths=$("$bin" "$obj" "${verb:-$(head -n 1 <<<"$cmds")}" --list-paths 2>/dev/null)
	if [[ $prev == -* ]] && grep -qx -- "$prev" <<<"$paths"; then
		_iommuctl_files
		return
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$("$bin" "$obj" "${verb:-$(head -n 1 <<<"$cmds")}" --list-opts 2>/dev/null)" -- "$cur"))
		return
	fi
	if [ -z "$verb" ] && [ -z "$operand" ]; then
		COMPREPLY=($(compgen -W "$cmds" -- "$cur"))
	fi
	_iommuctl_values
	if grep -qx operands <<<"$paths"; then
		_iommuctl_files
	fi
}
complete -F _iommuctl iommuctl
