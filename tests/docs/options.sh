#!/usr/bin/env bash
# options.sh: the options of every command in `parity --help` and
# `parity CMD --help`, in docs/reference.md and in the manual page
# engine/cli/parity.1 are the same (tests/docs/options.py), and the check
# fails when they drift: each case below breaks a copy of one document.
source "$(dirname "$0")/../e2e/lib.sh"
CHECK=(python3 "$SRC/tests/docs/options.py" "$PARITY")
REF=$SRC/docs/reference.md MAN=$SRC/engine/cli/parity.1 README=$SRC/README.md

do_cmd_test 1 0 "ok: 13 commands" "${CHECK[@]}" "$REF" "$MAN" "$README"

# The drifts the check must catch, each in a copy of the documents.
mkdir -p docs && cp "$SRC"/docs/*.md docs/
cp "$MAN" parity.1

# 2: an option of --help missing from the reference's table.
grep -v '^| `--window-years N` |' "$REF" > docs/reference.md
do_cmd_test 2 1 "parity analyse: option --window-years (in --help) is not in its table" \
    "${CHECK[@]}" docs/reference.md "$MAN" "$README"

# 3: the reference documents an option that does not exist.
sed 's/^| `--no-trend` |/| `--no-trend` | skip the trend |\n| `--no-funnel` |/' "$REF" > docs/reference.md
do_cmd_test 3 1 "parity analyse: option --no-funnel is not in --help" \
    "${CHECK[@]}" docs/reference.md "$MAN" "$README"
cp "$REF" docs/reference.md

# 4: an option missing from the manual page.
awk '/^\\fB\\-\\-max\\-rejects\\fR/ {drop = 2} drop > 0 {drop--; next} {print}' "$MAN" |
    sed '$!N;/^\.TP\n\.TP$/!P;D' > parity.1
do_cmd_test 4 1 "parity.1: parity ingest: option --max-rejects (in --help) is not in its list" \
    "${CHECK[@]}" "$REF" parity.1 "$README"

# 5: a command missing from the README's table.
grep -v '^| `parity pool ' "$README" > README.md
do_cmd_test 5 1 "README.md commands table: command pool is missing" \
    "${CHECK[@]}" "$REF" "$MAN" README.md

# 6: a guide names an option no command takes (a renamed option).
sed 's/--suppress 5/--supress 5/' "$SRC/docs/guide.md" > docs/guide.md
do_cmd_test 6 1 "docs/guide.md: names option --supress, which no command takes" \
    "${CHECK[@]}" docs/reference.md "$MAN" "$README"
cp "$SRC/docs/guide.md" docs/guide.md

# 7: usage lines that no longer match --help.
sed 's/^    parity quality --db DB \[--json\]$/    parity quality --db DB/' "$REF" > docs/reference.md
do_cmd_test 7 1 "docs/reference.md: parity quality: usage" \
    "${CHECK[@]}" docs/reference.md "$MAN" "$README"

finish
