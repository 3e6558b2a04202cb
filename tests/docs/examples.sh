#!/usr/bin/env bash
# examples.sh: the worked examples of docs/methods.md, run and checked by
# tests/docs/examples.py: every command runs, every output line shown is
# printed, every hand calculation adds up. Then copies with one number
# changed must fail, so the check can.
source "$(dirname "$0")/../e2e/lib.sh"
EXAMPLES=(python3 "$SRC/tests/docs/examples.py" "$PARITY" "$SRC")

do_cmd_test 1 0 "4 examples: " "${EXAMPLES[@]}" "$SRC/docs/methods.md" work
check 2 "every example passed" test "$(grep -c '^ok   ' out.1)" -eq 4

# 3: an engine figure in the text that the engine does not print.
sed 's/^Mantel-Haenszel pooled ratio: 1.320929368 /Mantel-Haenszel pooled ratio: 1.320929369 /' \
    "$SRC/docs/methods.md" > changed.md
do_cmd_test 3 1 "wres2-pooled: the output lacks the line" "${EXAMPLES[@]}" changed.md work3
# 4: a hand calculation that does not add up.
sed 's/^R0C and R0E together: 57 - (15 + 17 + 10 + 8) = 7$/R0C and R0E together: 57 - (15 + 17 + 10 + 8) = 8/' \
    "$SRC/docs/methods.md" > changed.md
do_cmd_test 4 1 "is 7, not 8" "${EXAMPLES[@]}" changed.md work4
# 5: a command that fails.
sed 's/^parity ratio 121 417 169 587 > ratio.txt$/parity ratio 121 417 169 > ratio.txt/' \
    "$SRC/docs/methods.md" > changed.md
do_cmd_test 5 1 "wres2-r0a: exit 64" "${EXAMPLES[@]}" changed.md work5
# 6: a document without examples.
printf '# nothing\n' > empty.md
do_cmd_test 6 1 "holds no example" "${EXAMPLES[@]}" empty.md work6
finish
