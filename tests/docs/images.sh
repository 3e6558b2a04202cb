#!/usr/bin/env bash
# images.sh: docs/make-images.sh still makes every picture the guide and
# README show, from the demo, each a PNG of the committed picture's size (the
# pages, the browser window and the sheet keep their layout), and every
# picture the documents show is one it makes.
source "$(dirname "$0")/../e2e/lib.sh"
do_cmd_test 1 0 "report-summary.png" bash "$SRC/docs/make-images.sh" "$PARITY" "$SCRATCH/img"

size() { python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); print("%dx%d" % struct.unpack(">II", d[16:24]) if d[:8] == b"\x89PNG\r\n\x1a\n" else "not a PNG")' "$1"; }
n=2
for committed in "$SRC"/docs/img/*.png; do
    name=$(basename "$committed")
    check $n "$name: made, $(size "$committed") as committed" \
        test "$(size "img/$name" 2>/dev/null)" = "$(size "$committed")"
    n=$((n + 1))
done
# Every picture a document shows is one the script makes.
shown=$(grep -ohE '\]\((docs/)?img/[a-z0-9-]+\.png\)' "$SRC/README.md" "$SRC"/docs/*.md |
    sed -E 's/.*img\/([a-z0-9-]+\.png)\)/\1/' | sort -u)
for name in $shown; do
    check $n "$name (shown in the documents) is made by make-images.sh" test -s "img/$name"
    n=$((n + 1))
done
finish
