# lib.sh: what the benchmark scripts share (sourced; needs WORK set).
# Timing with /usr/bin/time -v, one line per run in $WORK/times/LABEL:
# "wall_s peak_kib cpu_s" (cpu: user + system time of all threads).

need_time() {
    if [ ! -x /usr/bin/time ]; then
        if [ "$(id -u)" -eq 0 ]; then
            apt-get update -qq && apt-get install -y -qq --no-install-recommends time >/dev/null
        else
            echo "bench: /usr/bin/time is missing: apt-get install time" >&2
            exit 1
        fi
    fi
}

# measure LABEL COMMAND...: one timed run of COMMAND.
measure() {
    local label=$1
    shift
    /usr/bin/time -v -o "$WORK/times/$label.last" "$@" >"$WORK/times/$label.out" 2>&1 || {
        echo "bench: $label failed:" >&2
        cat "$WORK/times/$label.out" >&2
        exit 1
    }
    awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0;
                    for (i = 1; i <= n; i++) s = s * 60 + t[i]; wall = s }
                /Maximum resident set size/ { rss = $2 }
                /User time|System time/ { cpu += $2 }
                END { printf "%.3f %d %.3f\n", wall, rss, cpu }' \
        "$WORK/times/$label.last" >>"$WORK/times/$label"
}

median() { # median COLUMN FILE
    cut -d' ' -f"$1" "$2" | sort -g | awk '{ v[NR] = $1 } END {
        if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# table LABEL...: runs, median wall, CPU and peak RSS of each label.
table() {
    printf "%-18s %5s %10s %10s %15s\n" command runs "wall (s)" "CPU (s)" "peak RSS (MiB)"
    local label
    for label in "$@"; do
        [ -s "$WORK/times/$label" ] || continue
        awk -v l="$label" -v n="$(wc -l <"$WORK/times/$label")" \
            -v w="$(median 1 "$WORK/times/$label")" -v c="$(median 3 "$WORK/times/$label")" \
            -v r="$(median 2 "$WORK/times/$label")" \
            'BEGIN { printf "%-18s %5d %10.3f %10.3f %15.1f\n", l, n, w, c, r / 1024 }'
    done
}

# ratio A B: of the median wall times, and the median of the run-by-run
# ratios (run i of A against run i of B, taken one after the other).
ratio() {
    local m
    m=$(paste -d' ' <(cut -d' ' -f1 "$WORK/times/$1") <(cut -d' ' -f1 "$WORK/times/$2") |
        awk '{ print $1 / $2 }' | sort -g | awk '{ v[NR] = $1 } END {
            if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    awk -v a="$(median 1 "$WORK/times/$1")" -v b="$(median 1 "$WORK/times/$2")" -v m="$m" \
        'BEGIN { printf "%.2f (run by run: %.2f)", a / b, m }'
}

machine() {
    echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
}
