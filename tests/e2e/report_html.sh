#!/usr/bin/env bash
# report_html.sh: the HTML board report as a reader meets it: written beside
# the PDF by the demo, self-contained (no script, no address outside the
# file), the same section headings and the same ratios and intervals as the
# PDF; then opened in headless Chromium with axe-core injected at WCAG 2.2
# AA (tests/a11y/check.cjs): zero violations, lang en-GB, one h1, headings in
# order, every chart an SVG with role=img, title, description and a "show
# the data" table the keyboard reaches, no sideways scrolling at 390 px.
# Screenshots at 1280 and 390 px are left in the scratch folder. A page
# broken on purpose must fail the same check. Needs chromium, node and the
# npm packages that .ci/install-deps installs (into .cache/a11y).
source "$(dirname "$0")/lib.sh"

MODULES="$SRC/.cache/a11y/node_modules"
for tool in node chromium pdftotext; do
    command -v "$tool" > /dev/null || { echo "FAIL: $tool is not installed (run sh .ci/install-deps)"; exit 1; }
done
for pkg in axe-core playwright-core; do
    [ -d "$MODULES/$pkg" ] || { echo "FAIL: $MODULES/$pkg is missing (run sh .ci/install-deps)"; exit 1; }
done

# ---- 1. written beside the PDF, self-contained -----------------------------
do_cmd_test 1.1 0 "board-report.html" "$PARITY" demo --out demo
HTML=demo/board-report.html
check 1.2 "board-report.html written" test -s "$HTML"
check 1.3 "no script" bash -c "! grep -qi '<script' $HTML"
check 1.4 "no address outside the file (only XML namespaces)" \
    bash -c "! grep -o 'https\?://[^\"]*' $HTML | grep -v '^http://www.w3.org/'"
check 1.5 "lang en-GB" grep -q '<html lang="en-GB">' "$HTML"
check 1.6 "one h1" test "$(grep -o '<h1' "$HTML" | wc -l)" -eq 1
check 1.7 "print stylesheet for A4" grep -q '@page{size:A4' "$HTML"

# ---- 2. the same sections and numbers as the PDF ---------------------------
pdftotext demo/board-report.pdf pdf.txt
tr '\n' ' ' < pdf.txt | tr -s ' ' > pdf-flat.txt
# The HTML's text, tags dropped and entities undone, on one line.
sed -e 's/<[^>]*>/ /g' -e "s/&apos;/'/g" -e 's/&amp;/\&/g' -e 's/&lt;/</g' \
    -e 's/&gt;/>/g' -e 's/&quot;/"/g' "$HTML" | tr '\n' ' ' | tr -s ' ' > html-flat.txt
grep -o '<h2 id="[^"]*">[^<]*' "$HTML" | sed -e 's/.*">//' -e "s/&apos;/'/g" \
    -e 's/&amp;/\&/g' > h2.txt
check 2.1 "at least ten sections" test "$(wc -l < h2.txt)" -ge 10
missing=0
while IFS= read -r heading; do
    grep -qF -- "$heading" pdf-flat.txt || { echo "    not in the PDF: $heading"; missing=$((missing + 1)); }
done < h2.txt
check 2.2 "every section of the HTML is a section of the PDF" test "$missing" -eq 0
# Every "ratio (low to high)" estimate the PDF prints, the HTML prints too.
grep -oE '[0-9]+\.[0-9]{2} \([0-9]+\.[0-9]{2} to [0-9]+\.[0-9]{2}\)' pdf-flat.txt | sort -u > pdf-estimates.txt
missing=0
while IFS= read -r est; do
    grep -qF -- "$est" html-flat.txt || { echo "    not in the HTML: $est"; missing=$((missing + 1)); }
done < pdf-estimates.txt
check 2.3 "$(wc -l < pdf-estimates.txt) estimates of the PDF, all in the HTML" \
    bash -c "test $missing -eq 0 && test $(wc -l < pdf-estimates.txt) -ge 20"
# The issue's example, as the demo's data give it.
check 2.4 "the WRES 2 chart described from its data" grep -qF \
    'ratios from 1.01 (R0A) to 2.63 (R0E); four of six above the non-adverse range' "$HTML"
# Suppressed counts stay suppressed: the HTML holds no table cell the PDF's
# tables would not print (its cells come from the same published set).
check 2.5 "suppressed rows say so" grep -qF 'suppressed (small numbers)' "$HTML"

# ---- 3. in a real browser, with axe-core at WCAG 2.2 AA ----------------------
mkdir -p shots
do_cmd_test 3.1 0 "0 violated" node "$SRC/tests/a11y/check.cjs" "$MODULES" "$HTML" shots
check 3.2 "desktop screenshot" test -s shots/desktop.png
check 3.3 "mobile screenshot" test -s shots/mobile.png

# ---- 4. the check fails a page that is not accessible --------------------------
# No language, and an image without alternative text.
sed -e 's/<html lang="en-GB">/<html>/' -e 's|<main id="main">|<main id="main"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">|' \
    "$HTML" > broken.html
do_cmd_test 4.1 1 "axe html-has-lang" node "$SRC/tests/a11y/check.cjs" "$MODULES" broken.html shots
check 4.2 "and names the image" grep -q "axe image-alt" out.4.1

finish
