# parity.bash: bash completion for the parity command.
#
# Completes the commands, each command's options (the same lists as its
# --help: a test checks them), the values of options that take a word
# (kinds, interval methods, periods, disclosure policies, characteristics,
# ...) and file or folder names where an option takes a path.
# Use: source engine/cli/parity.bash (or install it as
# /usr/share/bash-completion/completions/parity).

_parity_commands="demo run history ingest mapping quality analyse check report return ratio pool export"

# The options of one command, as its --help lists them.
_parity_options()
{
    case $1 in
    demo) echo "--out --sample -h --help" ;;
    run) echo "--config --print-config --dry-run --date -q --quiet -h --help" ;;
    history) echo "--db --json -h --help" ;;
    ingest) echo "--db --kind --map --replace --delimiter --encoding --rejects-dir --max-rejects -q --quiet -h --help" ;;
    mapping) echo "--suggest -k --kind -o --out -f --force --encoding --delimiter --max-values -q --quiet -h --help" ;;
    quality) echo "--db --json -h --help" ;;
    analyse) echo "--db --out --period --org --window-years --include-bank --cohorts --cohort-window --programme --reference --intersect --kline-from --funnel-adjust --adjust --funnel-limits --no-trend --no-comparisons --method --level --low-count -h --help" ;;
    check) echo "-h --help" ;;
    report) echo "--db --out --period --org --cohorts --cohort-window --programme --window-years --include-bank --funnel-adjust --intersect --suppress --disclosure --title --author --method --level --low-count -h --help" ;;
    return) echo "--db --year --period --out --org --suppress --disclosure --target-year --cohorts --cohort-window --programme --window-years --include-bank --funnel-adjust --intersect --method --level --low-count -h --help" ;;
    ratio) echo "-m --method -l --level --low-count -j --json -h --help" ;;
    pool) echo "-m --method -l --level --low-count -j --json -h --help" ;;
    export) echo "--db --counts --suppress --disclosure -q --quiet -h --help" ;;
    esac
}

# Periods worth offering: the last six financial and calendar years, this
# year's quarters, a rolling twelve months and a range, and all.
_parity_periods()
{
    local year fy="" quarters="" y
    year=$(date +%Y)
    for y in $(seq $((year - 5)) "$year"); do
        fy="$fy $y/$(printf '%02d' $(((y + 1) % 100))) $y"
    done
    for y in 1 2 3 4; do quarters="$quarters $year-Q$y"; done
    echo "$fy$quarters R12-$year-03 $((year - 3))/$(printf '%02d' $(((year - 2) % 100)))..$((year - 1))/$(printf '%02d' $((year % 100))) all"
}

# Complete the last item of a comma-separated list from the words given.
_parity_list()
{
    local cur=$1 words=$2 prefix="" item w
    if [[ $cur == *,* ]]; then
        prefix=${cur%,*},
    fi
    item=${cur##*,}
    COMPREPLY=()
    for w in $words; do
        [[ $w == "$item"* ]] && COMPREPLY+=("$prefix$w")
    done
    compopt -o nospace 2>/dev/null
}

_parity()
{
    local cur prev cmd i
    COMPREPLY=()
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    local characteristics="ethnic_category white_bme sex disability age_band sexual_orientation religion"

    # The command is the first word after parity that is not an option.
    cmd=""
    for ((i = 1; i < COMP_CWORD; i++)); do
        if [[ ${COMP_WORDS[i]} != -* ]]; then
            cmd=${COMP_WORDS[i]}
            break
        fi
    done
    if [[ -z $cmd ]]; then
        COMPREPLY=($(compgen -W "$_parity_commands --help --version" -- "$cur"))
        return 0
    fi

    case $prev in
    --kind|-k)
        if [[ $cmd == mapping ]]; then
            COMPREPLY=($(compgen -W "recruitment workforce disciplinary training board" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "recruitment workforce disciplinary training board survey counts" -- "$cur"))
        fi
        return 0 ;;
    --method|-m)
        COMPREPLY=($(compgen -W "koopman katz adjusted-log mn" -- "$cur")); return 0 ;;
    --level|-l)
        COMPREPLY=($(compgen -W "0.95 0.99 0.90" -- "$cur")); return 0 ;;
    --period)
        if [[ $cmd == return ]]; then # another name for --year: financial years only
            COMPREPLY=($(compgen -W "$(_parity_periods | tr ' ' '\n' | grep '^[0-9]*/[0-9]*$')" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$(_parity_periods)" -- "$cur"))
        fi
        return 0 ;;
    --year)
        COMPREPLY=($(compgen -W "$(_parity_periods | tr ' ' '\n' | grep '^[0-9]*/[0-9]*$')" -- "$cur"))
        return 0 ;;
    --disclosure)
        COMPREPLY=($(compgen -W "threshold nhs-digital" -- "$cur")); return 0 ;;
    --funnel-adjust)
        COMPREPLY=($(compgen -W "plain additive" -- "$cur")); return 0 ;;
    --funnel-limits)
        COMPREPLY=($(compgen -W "lognormal exact byar" -- "$cur")); return 0 ;;
    --encoding)
        COMPREPLY=($(compgen -W "utf-8 windows-1252" -- "$cur")); return 0 ;;
    --delimiter)
        COMPREPLY=($(compgen -W "comma semicolon tab" -- "$cur")); return 0 ;;
    --intersect)
        _parity_list "$cur" "$characteristics"; return 0 ;;
    --adjust)
        _parity_list "$cur" "organisation ethnic_category sex disability age_band pay_band staff_group sexual_orientation religion"
        return 0 ;;
    --reference)
        COMPREPLY=($(compgen -W "ethnic_category= sex= disability= age_band= sexual_orientation= religion=" -- "$cur"))
        compopt -o nospace 2>/dev/null
        return 0 ;;
    --db|--map|--config|--cohorts|--programme|--counts)
        COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null; return 0 ;;
    --out|-o|--sample|--rejects-dir)
        if [[ $cmd == mapping ]]; then
            COMPREPLY=($(compgen -f -- "$cur"))
        else
            COMPREPLY=($(compgen -d -- "$cur"))
        fi
        compopt -o filenames 2>/dev/null
        return 0 ;;
    --org|--date|--title|--author|--suppress|--window-years|--cohort-window|--kline-from|--low-count|--max-rejects|--max-values|--target-year)
        return 0 ;;   # a value of the user's own
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_parity_options "$cmd")" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))   # extracts, submissions, pool files
        compopt -o filenames 2>/dev/null
    fi
    return 0
}

complete -F _parity parity
