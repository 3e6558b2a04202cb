#!/usr/bin/env bash
# privacy.sh: what parity promises about the people in an extract. Extracts
# of every kind whose ids have a form no count can take (ZQ7RA000123X) go
# through ingest (with rejects), mapping --suggest, analyse, report, export,
# counts ingest, check and a configured `parity run` (log, archive,
# quarantine, changes), under umask 022 and 000. Then:
#   1. every file and folder parity creates is owner-only (0600 / 0700);
#   2. no id appears in the database, the PDF text, any CSV, JSON, SVG,
#      text or log file, or anything printed (the rejects files, which list
#      the refused rows so that they can be fixed, are the documented
#      exception: see docs/operations.md "Reliability");
#   3. a cell starting with =, +, -, @, a tab or a CR reaches no CSV output
#      unneutralised, and stripping the leading ' gives the original back;
#   4. SQL and shell metacharacters in organisation codes and file names
#      are data: nothing is executed, nothing is dropped.
source "$(dirname "$0")/lib.sh"
S=$SRC/sample-data
for tool in sqlite3 pdftotext python3; do
    command -v "$tool" >/dev/null || { echo "privacy.sh needs $tool"; exit 1; }
done

# ---- the extracts -------------------------------------------------------------
# Financial year 2024/25 of the sample, ids rewritten into the ZQ7 form and a
# vacancy id added; organisation R0E becomes @R0E and R0F a formula, so
# that formula-like text reaches results.csv, report-tables.csv and the export.
mkdir in
orgs='{ if ($o == "R0E") $o = "@R0E"; else if ($o == "R0F") $o = "\"=HYPERLINK(\"\"evil.example\"\";\"\"x\"\")\""; }'
awk -F, -v OFS=, "NR == 1 { print \$0 \",vacancy_id\"; next }
    \$3 >= \"2024-04-01\" && \$3 < \"2025-04-01\" {
        o = 2; $orgs
        n = substr(\$1, 5); \$1 = \"ZQ7RA\" n \"X\"
        print \$0 \",ZQ7VC\" int(n / 7) \"X\" }" "$S/recruitment.csv" > in/recruitment.csv
awk -F, -v OFS=, "NR == 1 { print; next } \$3 == \"2025-03-31\" {
        o = 2; $orgs; \$1 = \"ZQ7ST\" substr(\$1, 5) \"X\"; print }" \
    "$S/workforce.csv" > in/workforce.csv
awk -F, -v OFS=, "NR == 1 { print; next } \$3 >= \"2024-04-01\" && \$3 < \"2025-04-01\" {
        o = 2; $orgs; \$1 = \"ZQ7ST\" substr(\$1, 5) \"X\"; print }" \
    "$S/training.csv" > in/training.csv
awk -F, -v OFS=, "NR == 1 { print; next } {
        o = 3; $orgs; \$1 = \"ZQ7CS\" substr(\$1, 6) \"X\"
        \$2 = \"ZQ7ST\" substr(\$2, 5) \"X\"; print }" "$S/disciplinary.csv" > in/disciplinary.csv
# Refused rows (under 1% of the file): each carries a formula-like cell,
# and one repeats the first row's id.
first=$(sed -n 2p in/recruitment.csv)
{
    printf 'ZQ7RA900001X,R0A,2024-05-01,A,F,N,25-34,5,Allied Health Professionals,+maybe,N,ZQ7VC9X\n'
    printf 'ZQ7RA900002X,R0A,2024-05-01,A,F,N,25-34,5,Allied Health Professionals,Y,-2,ZQ7VC9X\n'
    printf 'ZQ7RA900003X,R0A,@SUM(A1),A,F,N,25-34,5,Allied Health Professionals,Y,N,ZQ7VC9X\n'
    printf 'ZQ7RA900004X,R0A,"=HYPERLINK(""evil.example"",""x"")",A,F,N,25-34,5,Allied Health Professionals,Y,N,ZQ7VC9X\n'
    printf 'ZQ7RA900005X,R0A,"\ttab",A,F,N,25-34,5,Allied Health Professionals,Y,N,ZQ7VC9X\n'
    printf 'ZQ7RA900006X,R0A,"\rcr",A,F,N,25-34,5,Allied Health Professionals,Y,N,ZQ7VC9X\n'
    echo "$first"
} >> in/recruitment.csv
# A file with too many bad rows, for the run's quarantine.
{ head -1 in/recruitment.csv; sed -n 2,40p in/recruitment.csv; sed -n 2,10p in/recruitment.csv; } \
    > in/broken.csv
# A mapping mix-up: the ids in the ethnic category column. The run refuses
# the file; its message, the log, the history, changes.txt and error.txt
# must not quote them (the rejects file lists them, as it does rows).
awk -F, -v OFS=, 'NR == 1 || (NR <= 60 && $1 ~ /^ZQ7/) { if (NR > 1) $4 = $1; print }' \
    in/recruitment.csv > in/mixup.csv
# Every person-level id in the extracts.
{ cut -d, -f1 in/recruitment.csv; awk -F, '{ print $NF }' in/recruitment.csv
  cut -d, -f1 in/workforce.csv in/training.csv; cut -d, -f1,2 in/disciplinary.csv | tr , '\n'
} | grep '^ZQ7' | sort -u > ids.txt
check 0.1 "ids gathered" test "$(wc -l < ids.txt)" -gt 10000
chmod 644 in/*

# ---- the pipeline, under each umask -------------------------------------------
# pipeline DIR: every command, outputs under DIR, what they print in DIR/said.
pipeline() {
    local d=$1
    mkdir "$d"
    # Folders parity does not make itself (it makes the report, rejects,
    # archive, quarantine and output folders).
    mkdir -m 700 "$d/db" "$d/region" "$d/export"
    {
        for kind in recruitment workforce training disciplinary; do
            "$PARITY" ingest --db "$d/db/parity.db" --kind "$kind" --rejects-dir "$d/rej" \
                "in/$kind.csv" || echo "exit $? ingest $kind"
        done
        sed '1s/application_id/Applicant Ref/; 1s/ethnic_category/Ethnic Origin/' \
            in/recruitment.csv > "$d/renamed.csv"
        "$PARITY" mapping --suggest --kind recruitment --out "$d/draft.ini" \
            "$d/renamed.csv" || echo "exit $? mapping"
        "$PARITY" analyse --db "$d/db/parity.db" --out "$d/analyse" || echo "exit $? analyse"
        "$PARITY" report --db "$d/db/parity.db" --out "$d/report" \
            || echo "exit $? report"
        "$PARITY" export --db "$d/db/parity.db" --counts "$d/export/counts.csv" \
            || echo "exit $? export"
        "$PARITY" export --db "$d/db/parity.db" --counts "$d/export/published.csv" \
            --suppress 5 || echo "exit $? export suppressed"
        "$PARITY" ingest --db "$d/region/region.db" --kind counts --rejects-dir "$d/rej" \
            "$d/export/counts.csv" || echo "exit $? ingest counts"
        "$PARITY" check "$SRC/tests/data/analyse/submission-errors.csv" || echo "exit $? check"
        "$PARITY" quality --db "$d/db/parity.db" --json || echo "exit $? quality"
        "$PARITY" history --db "$d/db/parity.db" || echo "exit $? history"
        mkdir -p "$d/site/inbox"
        mkdir -m 700 "$d/site/state"
        chmod 755 "$d/site" "$d/site/inbox"
        printf '[paths]\ndatabase = state/parity.db\ninbox = inbox\narchive = archive\n' \
            > "$d/site/parity.ini"
        printf 'quarantine = quarantine\noutput = out\nlog = parity.log\n' \
            >> "$d/site/parity.ini"
        cp in/recruitment.csv "$d/site/inbox/recruitment-2025-03.csv"
        cp in/workforce.csv "$d/site/inbox/workforce-2025-03-31.csv"
        cp in/broken.csv "$d/site/inbox/recruitment-broken.csv"
        cp in/mixup.csv "$d/site/inbox/recruitment-mixup.csv"
        "$PARITY" run --config "$d/site/parity.ini" --date 2025-04-05 \
            || echo "exit $? run"
    } > "$d/said" 2>&1
}
(umask 022 && pipeline u022)
(umask 000 && pipeline u000)

for d in u022 u000; do
    check "1.$d.0" "every command did what it should" \
        bash -c "grep '^exit' $d/said | grep -Ev 'exit 65 (run|check)' | grep -q . && exit 1 || exit 0"
    check "1.$d.1" "the report and the run's report were written" \
        test -s "$d/report/board-report.pdf" -a -s "$d/site/out/2025-04/board-report.pdf"
    check "1.$d.2" "the run quarantined the broken file" \
        test -s "$d/site/quarantine/recruitment-broken.csv.rejects.csv"
    check "1.$d.2b" "and the mixed-up one, saying it looks like an identifier column" \
        grep -q "recruitment-mixup.csv.*looks like an identifier" "$d/site/parity.log"
    # Everything parity created: all but the inputs copied in by this script
    # (the extracts it moves to the archive and quarantine keep their own
    # mode, in folders only the owner can open).
    find "$d" -type f ! -name said ! -name renamed.csv ! -name parity.ini \
        ! -path '*/archive/*' ! -path '*/quarantine/recruitment-broken.csv' \
        ! -path '*/quarantine/recruitment-mixup.csv' ! -perm 0600 -printf '%m %p\n' > "$d.loose-files"
    find "$d" -mindepth 1 -type d ! -path "$d/site" ! -path "$d/site/inbox" \
        ! -perm 0700 -printf '%m %p\n' > "$d.loose-dirs"
    check "1.$d.3" "every file created is 0600 ($(head -3 "$d.loose-files" | tr '\n' ' '))" \
        test ! -s "$d.loose-files"
    check "1.$d.4" "every folder created is 0700 ($(head -3 "$d.loose-dirs" | tr '\n' ' '))" \
        test ! -s "$d.loose-dirs"
    check "1.$d.5" "the files checked include the database, PDF, charts, log and rejects" \
        test -f "$d/db/parity.db" -a -f "$d/report/wres2-by-organisation.svg" \
             -a -f "$d/site/parity.log" -a -f "$d/rej/recruitment.csv.rejects.csv"
done

# ---- 2. no person-level id in any output --------------------------------------
d=u022
: > leaks.txt
for db in "$d/db/parity.db" "$d/region/region.db" "$d/site/state/parity.db"; do
    sqlite3 "$db" .dump > "$db.dump.txt"
    grep -aoFf ids.txt "$db" "$db"-* "$db.dump.txt" 2>/dev/null >> leaks.txt || true
done
pdftotext "$d/report/board-report.pdf" "$d/report.txt"
pdftotext "$d/site/out/2025-04/board-report.pdf" "$d/run-report.txt"
# Text outputs: all but the extracts themselves (inputs, archived or
# quarantined) and the rejects files. Raw bytes of the PNGs and PDFs too.
find "$d" -type f ! -name renamed.csv ! -path '*/archive/*' ! -path '*/inbox/*' \
    ! -path '*/quarantine/recruitment-broken.csv' ! -path '*/quarantine/recruitment-mixup.csv' \
    ! -name '*.rejects.csv' \
    ! -name '*.db' > outputs.txt
check 2.1 "outputs to search: PDF text, CSV, JSON, SVG, log, changes, error report" \
    bash -c "for e in report.txt results.csv results.json report-tables.csv .svg .png parity.log \
             changes.txt error.txt counts.csv draft.ini said; do grep -q -- \"\$e\$\" outputs.txt || exit 1; done"
while read -r f; do
    grep -aoFf ids.txt "$f" | sed "s|^|$f: |" >> leaks.txt || true
    grep -Io 'ZQ7[A-Z0-9]*' "$f" | sed "s|^|$f: |" >> leaks.txt || true
done < outputs.txt
check 2.2 "no id in the databases or any output ($(head -3 leaks.txt | tr '\n' ' '))" \
    test ! -s leaks.txt
check 2.3 "the id search finds ids where they are (the rejects file)" \
    grep -qF "$(cut -d, -f1 <<< "$first")" "$d/rej/recruitment.csv.rejects.csv"
check 2.3b "the mixed-up file's ids are in its rejects file only" \
    grep -qF "$(sed -n 2p in/mixup.csv | cut -d, -f1)" "$d/site/quarantine/recruitment-mixup.csv.rejects.csv"
check 2.3c "the analysts' files say they are not for publication" \
    bash -c "head -1 $d/analyse/results.csv | grep -q ',publication\$' &&
             sed -n 2p $d/analyse/results.csv | grep -q ',internal\$' &&
             head -1 $d/analyse/trend.csv | grep -q ',publication\$' &&
             grep -q '\"publication\": \"internal: every count unsuppressed' $d/analyse/results.json"
check 2.4 "the duplicate's message names its line, not its id" \
    grep -qF "duplicate application_id (first on line 2)" "$d/rej/recruitment.csv.rejects.csv"

# ---- 3. spreadsheet formulas are neutralised -----------------------------------
cat > cells.py <<'PY'
# Every cell of every CSV named: one starting with = + - @ tab or CR must be a
# number; print the others. Then the rejects file's refused values, with the
# leading ' taken off, must be the originals.
import csv, sys
bad = 0
for path in sys.argv[2:]:
    with open(path, newline='', encoding='utf-8') as f:
        for row in csv.reader(line for line in f if not line.startswith('#')):
            for cell in row:
                if cell[:1] in ('=', '+', '-', '@', '\t', '\r'):
                    try:
                        float(cell)
                    except ValueError:
                        print(f'{path}: {cell!r}')
                        bad += 1
want = {'+maybe', '-2', '@SUM(A1)', '=HYPERLINK("evil.example","x")', '\ttab', '\rcr'}
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    got = {c[1:] for row in csv.reader(f) for c in row if c.startswith("'")}
for w in sorted(want - got):
    print(f'{sys.argv[1]}: {w!r} not recovered by taking off the leading quote')
    bad += 1
sys.exit(1 if bad else 0)
PY
find u022 u000 -name '*.csv' ! -name renamed.csv ! -path '*/archive/*' ! -path '*/inbox/*' \
    ! -name recruitment-broken.csv | sort > csvs.txt
check 3.1 "CSV outputs to scan: rejects, results, report tables, export, trend" \
    bash -c "for e in rejects.csv results.csv report-tables.csv counts.csv trend.csv; do grep -q -- \"\$e\$\" csvs.txt || exit 1; done"
xargs python3 cells.py u022/rej/recruitment.csv.rejects.csv < csvs.txt > formulas.txt 2>&1 || true
check 3.2 "no formula cell in any CSV output, each original recovered ($(head -3 formulas.txt | tr '\n' ' '))" \
    test ! -s formulas.txt
check 3.3 "the organisation @R0E is written '@R0E in results.csv" grep -qF ",'@R0E," u022/analyse/results.csv
check 3.4 "... and in report-tables.csv" grep -qF "'@R0E" u022/report/report-tables.csv
check 3.5 "the export's neutralised code ingests as the original" \
    test "$(sqlite3 u022/region/region.db "select count(*) from cells where organisation = '@R0E'")" -gt 0

# ---- 4. SQL and shell text is data ------------------------------------------------
mkdir -p inj/inbox/recruitment
name="inj/x'; DROP TABLE cells; --\$(touch pwned1)\`touch pwned2\`.csv"
{ head -1 "$SRC/tests/data/ingest/canonical.csv"
  sed -n '2,$p' "$SRC/tests/data/ingest/canonical.csv" |
      awk -F, -v OFS=, 'NR % 2 { $2 = "R1'"'"'; DROP TABLE cells; --" } !(NR % 2) { $2 = "$(touch pwned3)" } 1'
} > "$name"
do_cmd_test 4.1 0 "" "$PARITY" ingest --db "inj/\$(touch pwned4).db" --kind recruitment \
    --rejects-dir "inj/\`touch pwned5\`" "$name"
check 4.2 "the organisations are stored as given" test "$(sqlite3 "inj/\$(touch pwned4).db" \
    "select count(distinct organisation) from cells where organisation in ('R1''; DROP TABLE cells; --', '\$(touch pwned3)')")" = 2
check 4.3 "the file name is recorded as given" test "$(sqlite3 "inj/\$(touch pwned4).db" \
    "select count(*) from files where path like '%DROP TABLE cells; --\$(touch pwned1)%'")" = 1
cp "$name" "inj/inbox/recruitment/\$(touch pwned6);x.csv"
printf '[paths]\ndatabase = $(touch pwned7).db\ninbox = inbox\narchive = `touch pwned8`\nquarantine = q\noutput = out;touch pwned9\nlog = $HOME.log\n' \
    > inj/parity.ini
do_cmd_test 4.4 0 "" "$PARITY" run --config inj/parity.ini --date 2025-04-05
check 4.5 "the run used its paths as given" \
    test -f "inj/\$(touch pwned7).db" -a -d "inj/\`touch pwned8\`" -a -d "inj/out;touch pwned9" \
         -a -f "inj/\$HOME.log"
check 4.6 "nothing was executed" test -z "$(find . -name 'pwned[0-9]' -print -quit)"
check 4.7 "the cells table is there" test "$(sqlite3 "inj/\$(touch pwned4).db" "select count(*) from cells")" -gt 0

finish
