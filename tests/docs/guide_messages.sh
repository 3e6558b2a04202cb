#!/usr/bin/env bash
# guide_messages.sh: the messages that docs/guide.md quotes under "When
# something goes wrong" are exactly what parity prints. The script breaks
# the sample extract in the ways the guide describes (the same file names),
# runs the commands, and requires every quoted line (an indented line of that
# section; a line ending in "..." as the start of a line) among the outputs
# and the rejects files. A guide edited to a message parity does not print
# must fail too.
source "$(dirname "$0")/../e2e/lib.sh"
P=$PARITY
S=$SRC/sample-data/recruitment.csv
run() { "$P" "$@" >> outputs.txt 2>&1 || true; }
: > outputs.txt

head -201 "$S" > r200.csv
awk -F, 'BEGIN{OFS=","} NR==5||NR==9{$4="Whte British"} {print}' r200.csv > unknown.csv
run ingest --db t1.db --kind recruitment unknown.csv
cut -d, -f1-3,5- r200.csv > nocol.csv
run ingest --db t2.db --kind recruitment nocol.csv
head -1001 "$S" | awk -F, 'BEGIN{OFS=","} NR==10{$10="N";$11="Y"} {print}' > onebad.csv
run ingest --db t4.db --kind recruitment onebad.csv
awk -F, 'BEGIN{OFS=","} NR==10||NR==30{$10="N";$11="Y"} NR==20{$3="2025-02-30"}
    NR==40{$1="APP-000002"} {print}' r200.csv > badrows.csv
run ingest --db t3.db --kind recruitment badrows.csv
awk -F, 'BEGIN{OFS=","} NR==5{$9="Caf\xe9 staff"} {print}' r200.csv > cp1252.csv
run ingest --db t6.db --kind recruitment cp1252.csv
awk -F, 'BEGIN{OFS=","} NR==1{print;next} NR<=150{$1=$1"-b"; print}' r200.csv > overlap.csv
run ingest --db t7.db --kind recruitment r200.csv
run ingest --db t7.db --kind recruitment overlap.csv
awk -F, 'BEGIN{OFS=","} NR==1{$4="Ethnic Origin"} NR==7{$4="Declined to specify"} {print}' \
    r200.csv > todo.csv
run mapping --suggest --kind recruitment --out todo.ini todo.csv
run ingest --db t9.db --kind recruitment --map todo.ini todo.csv
run ingset --db t5.db
run ingest --db t5.db --kind recruitmnet r200.csv
run ingest --db t5.db --kind recruitment missing.csv
run report --db t9.db --out rep
: > t5.db
run analyse --db t5.db --out x
run return --db t7.db --year 2025/26 --out ret
cat ./*.rejects.csv >> outputs.txt

# The lines the guide quotes.
quoted() {
    sed -n '/^## When something goes wrong/,/^## /p' "$1" | grep '^    ' | sed 's/^    //'
}
# printed GUIDE: every quoted line is in outputs.txt; prints those missing.
missing() {
    local line n=0
    while IFS= read -r line; do
        n=$((n + 1))
        if [[ $line == *... && $line != *'"...'* ]]; then
            grep -qF -- "${line%...}" outputs.txt && continue
        else
            grep -qxF -- "$line" outputs.txt && continue
        fi
        echo "not printed: $line"
    done < <(quoted "$1")
    [ "$n" -ge 15 ] || echo "only $n quoted lines found"
}
check 1 "every message the guide quotes is printed" test -z "$(missing "$SRC/docs/guide.md" | tee missing.1)"
sed 's/^/    /' missing.1

sed 's/more than the 1.0% allowed/more than the 1% allowed/;
     s/did you mean .recruitment.?$/did you mean recruitment?/' "$SRC/docs/guide.md" > edited.md
check 2 "a guide quoting messages parity does not print fails" \
    test "$(missing edited.md | grep -c "^not printed")" -eq 2
finish
