#!/usr/bin/env bash
# cli_basics.sh: the front end: help, version, unknown commands and options.
source "$(dirname "$0")/lib.sh"

do_cmd_test 1.1 0 "Commands:" "$PARITY" --help
do_cmd_test 1.2 0 "ingest" "$PARITY" --help
do_cmd_test 1.3 0 "parity 0." "$PARITY" --version
do_cmd_test 1.4 64 "Usage: parity" "$PARITY"
do_cmd_test 2.1 64 "unknown command 'ingset'; did you mean 'ingest'?" "$PARITY" ingset
do_cmd_test 2.2 64 "did you mean '--version'?" "$PARITY" --verison
do_cmd_test 2.3 64 "unknown command 'frobnicate'" "$PARITY" frobnicate
do_cmd_test 2.4 64 "unknown option '--ot'; did you mean '--out'?" "$PARITY" demo --ot x
do_cmd_test 2.5 64 "option '--db' needs a value" "$PARITY" analyse --db
do_cmd_test 2.6 64 "unknown --method 'kopman'; did you mean 'koopman'?" \
    "$PARITY" analyse --db x --out y --method kopman
do_cmd_test 2.7 64 "unknown period" "$PARITY" report --db x --out y --period lastyear
do_cmd_test 2.8 66 "no such database" "$PARITY" analyse --db missing.db --out y
# Two neighbouring letters swapped: one slip, not two edits.
do_cmd_test 2.9 64 "unknown option '--yaer'; did you mean '--year'?" \
    "$PARITY" return --db x --yaer 2025/26 --out y
do_cmd_test 2.10 64 "unknown command 'reprot'; did you mean 'report'?" "$PARITY" reprot
for c in demo run history ingest mapping quality analyse check report ratio pool export; do
    do_cmd_test "3.$c" 0 "Usage: parity $c" "$PARITY" "$c" --help
done
finish
