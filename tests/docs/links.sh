#!/usr/bin/env bash
# links.sh: every link in README.md and docs/*.md leads to an existing file
# and heading (tests/docs/links.py), and the check fails on a broken one.
source "$(dirname "$0")/../e2e/lib.sh"
do_cmd_test 1 0 "ok:" python3 "$SRC/tests/docs/links.py" "$SRC"

# A copy of the tree's documents with one link broken each way.
mkdir -p tree/docs/img && cp "$SRC"/README.md tree/ && cp "$SRC"/docs/*.md tree/docs/
cp "$SRC"/docs/img/*.png tree/docs/img/
sed -i "s/(#backups)/(#backup)/" tree/docs/operations.md
do_cmd_test 2 1 "docs/operations.md: link to #backup: no heading" python3 "$SRC/tests/docs/links.py" tree
cp "$SRC"/docs/operations.md tree/docs/
rm tree/docs/img/report-summary.png
do_cmd_test 3 1 "README.md: link to docs/img/report-summary.png: no such file" \
    python3 "$SRC/tests/docs/links.py" tree
finish
