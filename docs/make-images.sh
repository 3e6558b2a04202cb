#!/bin/sh
# Make the guide's pictures (docs/img/*.png) from the demo, so they never go
# stale: runs `parity demo` into a scratch folder, renders report pages with
# pdftoppm, photographs the HTML report and a sheet of the WRES workbook
# (rendered as a grid by docs/xlsx-sheet.py) with headless chromium.
#
# Usage: docs/make-images.sh [PARITY [OUT]]
#   PARITY  the binary (default: build/parity)
#   OUT     where the pictures go (default: docs/img; the test docs_images
#           makes them in a scratch folder)
# Needs poppler-utils, chromium and python3 (all in .ci/install-deps).
set -eu
cd "$(dirname "$0")/.."
parity=${1:-build/parity}
out=${2:-docs/img}
[ -x "$parity" ] || { echo "make-images: $parity: not built (run ./build.sh build)" >&2; exit 66; }
for tool in pdftoppm chromium python3; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "make-images: $tool is missing: run sh .ci/install-deps" >&2; exit 69; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/parity-images.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM HUP
mkdir -p "$out"

"$parity" demo --out "$work/demo" >"$work/demo.log" 2>&1 || {
    cat "$work/demo.log" >&2; echo "make-images: the demo failed" >&2; exit 70; }

# Report pages: 1, the summary for the board; 2, the first indicator's page.
page() {
    pdftoppm -png -r 60 -f "$1" -l "$1" -singlefile "$work/demo/board-report.pdf" "$work/page"
    mv "$work/page.png" "$out/$2.png"
}
page 1 report-summary
page 2 report-indicator

# Headless chromium: a window of the given size, the page's top.
shot() {  # shot URL WIDTH HEIGHT NAME
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --force-device-scale-factor=1 --user-data-dir="$work/profile" \
        --window-size="$2,$3" --screenshot="$work/shot.png" "$1" >/dev/null 2>&1
    [ -s "$work/shot.png" ] || { echo "make-images: chromium made no screenshot of $1" >&2; exit 70; }
    mv "$work/shot.png" "$out/$4.png"
}
shot "file://$work/demo/board-report.html" 900 700 report-html

# The WRES workbook's likelihoods sheet: no spreadsheet program is assumed,
# so the sheet is drawn as a grid from the workbook's own cells.
python3 docs/xlsx-sheet.py "$work/demo/wres-2025-26.xlsx" "2-4 Likelihoods" "$work/sheet.html" 18
shot "file://$work/sheet.html" 1180 414 workbook-wres

ls -l "$out"/*.png
