# fish completion for iommuctl. As for bash, every word comes from the
# binary: objects, verbs, options and where paths go from --list-cmds,
# --list-opts and --list-paths; live values (PCI devices, IOMMU groups,
# units) from --complete, which reads the system the line looks at (its
# --root, if it has one). $IOMMUCTL names another binary.

function __iommuctl_complete
    set -l bin iommuctl
    set -q IOMMUCTL; and set bin $IOMMUCTL
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    set -e words[1]
    set -l obj
    set -l verb
    set -l operand
    set -l skip 0
    for w in $words
        if test $skip = 1
            set skip 0
            continue
        end
        switch $w
            case --root --color
                set skip 1
            case '-*'
            case '*'
                if test -z "$obj"
                    set obj $w
                else if test -z "$verb"; and test -z "$operand"
                    set verb $w
                end
        end
    end
    set -l prev ''
    test (count $words) -gt 0; and set prev $words[-1]
    switch $prev
        case --root
            __fish_complete_path $cur
            return
        case --color
            printf '%s\n' auto always never
            return
    end
    if test -z "$obj"
        if string match -q -- '-*' $cur
            printf '%s\n' -j --json -p --pretty --root -v --verbose --color --version --list-cmds -h --help
        else
            $bin --list-cmds 2>/dev/null
        end
        return
    end
    set -l cmds ($bin $obj --list-cmds 2>/dev/null)
    # "iommuctl diff A <TAB>": A is an operand of the default verb
    if test -n "$verb"; and not contains -- $verb $cmds
        set operand $verb
        set verb
    end
    set -l v $verb
    test -z "$v"; and set v $cmds[1]
    set -l paths ($bin $obj $v --list-paths 2>/dev/null)
    if string match -q -- '-*' $prev; and contains -- $prev $paths
        __fish_complete_path $cur
        return
    end
    if string match -q -- '-*' $cur
        $bin $obj $v --list-opts 2>/dev/null
        return
    end
    if test -z "$verb"; and test -z "$operand"
        printf '%s\n' $cmds
    end
    $bin --complete -- $words $cur 2>/dev/null
    if contains -- operands $paths
        __fish_complete_path $cur
    end
end

complete -c iommuctl -f -a '(__iommuctl_complete)'
