#!/usr/bin/env bash
# report_tagged.sh: the board report PDF as assistive technology reads it:
# tagged (pdfinfo), a structure tree under one Document with headings,
# lists, tables (header cells with a scope) and figures in reading order
# (pdfinfo -struct: the headings are the HTML page's, in the same order),
# alternative text on every Figure written from the data, the document
# language en-GB, the title shown as the window title, PDF/UA-1 named in
# the XMP metadata, bookmarks for the parts, and every piece of text inside
# marked content (page furniture as artifacts). tests/e2e/pdf_tags.py reads
# what pdfinfo does not show, parsing the file itself.
source "$(dirname "$0")/lib.sh"

for tool in pdfinfo python3; do
    command -v "$tool" > /dev/null || { echo "FAIL: $tool is not installed"; exit 1; }
done

do_cmd_test 1.1 0 "board-report.pdf" "$PARITY" demo --out demo
PDF=demo/board-report.pdf
pdfinfo "$PDF" > info.txt
pdfinfo -struct "$PDF" > struct.txt
pdfinfo -struct-text "$PDF" > struct-text.txt
python3 "$SRC/tests/e2e/pdf_tags.py" "$PDF" > tags.txt
fact() { awk -v k="$1:" '$1 == k { sub(/^[^:]*: /, ""); print; exit }' tags.txt; }

# ---- 1. tagged, with the document's settings -------------------------------------
check 1.2 "pdfinfo: Tagged: yes" grep -q '^Tagged: *yes$' info.txt
check 1.3 "language en-GB" test "$(fact lang)" = en-GB
check 1.4 "DisplayDocTitle" test "$(fact display_doc_title)" = yes
check 1.5 "MarkInfo Marked" test "$(fact marked)" = yes
check 1.6 "XMP names PDF/UA-1" bash -c "pdfinfo -meta $PDF | grep -q '<pdfuaid:part>1</pdfuaid:part>'"
check 1.7 "XMP title is the document title" bash -c \
    "pdfinfo -meta $PDF | grep -qF 'Workforce equality board report (synthetic sample)'"

# ---- 2. the structure, in reading order --------------------------------------------
check 2.1 "one Document at the top" test "$(grep -c '^[A-Za-z]' struct.txt)" -eq 1 -a \
    "$(head -1 struct.txt)" = Document
for tag in H1 H2 H3 P L LI Lbl LBody Table THead TBody TR TH TD Figure; do
    check "2.2.$tag" "structure has $tag" grep -qE "^ +$tag( |:|$)" struct.txt
done
check 2.3 "one H1, first" bash -c "test \$(grep -cE '^ +H1( |$)' struct.txt) -eq 1 && \
    grep -E '^ +(H[1-6]|P|Table|Figure|L)( |$)' struct.txt | head -1 | grep -q H1"
# Heading levels never skip going down.
check 2.4 "heading levels in order" bash -c "grep -oE '^ +H[1-6]' struct.txt | tr -d ' H' | \
    awk 'NR > 1 && \$1 > prev + 1 { bad = 1 } { prev = \$1 } END { exit bad }'"
# The headings, in order, are the HTML page's (which follows the same
# layout pass): compare each PDF heading's first line with the HTML's.
awk '/^ +H[1-6]( |$)/ { want = 1; next } want && /"/ { sub(/^ *"/, ""); sub(/"$/, ""); print; want = 0 }' \
    struct-text.txt > pdf-headings.txt
grep -oE '<h[1-6] id="[^"]*">[^<]*' demo/board-report.html | sed -e 's/.*">//' \
    -e "s/&apos;/'/g" -e 's/&amp;/\&/g' > html-headings.txt
check 2.5 "$(wc -l < pdf-headings.txt) headings, as many as the HTML's" \
    test "$(wc -l < pdf-headings.txt)" -eq "$(wc -l < html-headings.txt)" -a "$(wc -l < pdf-headings.txt)" -ge 20
# (NFKC: the PDF's text carries the font's ligatures, "ﬁ" for "fi".)
check 2.6 "the same headings in the same order" python3 -c '
import sys, unicodedata
pdf = [unicodedata.normalize("NFKC", line) for line in
       open("pdf-headings.txt", encoding="utf-8").read().splitlines()]
html = open("html-headings.txt", encoding="utf-8").read().splitlines()
bad = [(p, h) for p, h in zip(pdf, html) if not h.startswith(p.strip())]
for p, h in bad[:5]:
    print("    PDF %r vs HTML %r" % (p, h))
sys.exit(1 if bad or len(pdf) != len(html) else 0)'
# Tables have a header row of TH cells, each with a scope (Column), and
# each body row's first cell is its header (Row).
check 2.7 "every TH has a scope" test "$(fact th)" -gt 0 -a "$(fact th)" = "$(fact th_with_scope)"
check 2.8 "column and row headers" bash -c "grep -q '/Scope /Column' struct.txt && grep -q '/Scope /Row' struct.txt"
# "White" and "BME" each head three columns (count, of whom, rate).
check 2.9 "group headers span their columns" grep -q '/ColSpan 3' struct.txt

# ---- 3. figures have alternative text from their data --------------------------------
figures=$(fact figures)
check 3.1 "$figures figures" test "$figures" -ge 10
check 3.2 "every Figure has /Alt" test "$(fact figures_with_alt)" = "$figures"
check 3.3 "figures in pdfinfo -struct as in the file" test "$(grep -cE '^ +Figure' struct.txt)" = "$figures"
check 3.4 "WRES 2 by organisation described from its data" grep -qF \
    'ratios from 1.01 (R0A) to 2.63 (R0E); four of six above the non-adverse range 0.80 to 1.25' tags.txt
check 3.5 "no alt text is just 'chart'" bash -c "! grep -qiE '^alt: *(chart|figure|image)\.?$' tags.txt"

# ---- 4. decoration is not content; bookmarks -------------------------------------------
check 4.1 "all text inside marked content" test "$(fact text_shown_unmarked)" = 0 -a "$(fact text_shown)" -gt 100
check 4.2 "page furniture and rules marked as artifacts" test "$(fact artifacts)" -ge "$(awk '/^Pages:/ { print $2 }' info.txt)"
# Decoration inside a table or figure (stripes, rules, gridlines, bands,
# repeated headings) is an artifact too, and not in the structure.
check 4.2b "no decoration left as structure" bash -c \
    "test \"\$(awk '\$1 == \"private_marked:\" { print \$2 }' tags.txt)\" = 0 && ! grep -q Private struct.txt"
check 4.2c "tables hold only their rows" bash -c \
    "! awk '/^ +Table/ { t = 1; next } t && /^ +[A-Z]/ && !/^ +(THead|TBody|TR|TH|TD)( |:|\$)/ { print; exit 1 } /^  [A-Z]/ { t = 0 }' struct.txt"
check 4.3 "a bookmark for every heading" test "$(fact bookmarks)" -eq "$(wc -l < html-headings.txt)"
check 4.4 "bookmarks name the parts" bash -c "grep -qx 'bookmark: Methods' tags.txt && grep -qx 'bookmark: Data quality' tags.txt"
# Still a PDF every reader opens, with its text.
check 4.5 "pdftotext reads it" bash -c "pdftotext $PDF - | grep -q 'WRES indicator 2: appointment from shortlisting'"

finish
