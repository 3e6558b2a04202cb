#!/usr/bin/env python3
"""Render one sheet of an .xlsx workbook as an HTML page that looks like a
spreadsheet (column letters, row numbers, grid), for docs/make-images.sh to
photograph when no spreadsheet program is installed.

Usage: xlsx-sheet.py WORKBOOK.xlsx "SHEET NAME" OUT.html [MAX_ROWS]

Reads the workbook with the standard library only (zipfile and ElementTree):
shared strings, inline strings, numbers with the decimals and thousands
separator of their cell style's number format, and bold header styles.
"""
import html
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {'m': 'http://schemas.openxmlformats.org/spreadsheetml/2006/main',
      'r': 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'}
REL = '{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id'
BUILTIN = {0: 'General', 1: '0', 2: '0.00', 3: '#,##0', 4: '#,##0.00', 9: '0%', 10: '0.00%'}


def col_index(ref):
    letters = re.match(r'[A-Z]+', ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def col_name(i):
    s = ''
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def fmt_number(text, code):
    v = float(text)
    if code in ('General', '@'):
        return ('%.10g' % v)
    pct = code.endswith('%')
    if pct:
        v *= 100
    m = re.search(r'\.(0+)', code)
    dec = len(m.group(1)) if m else 0
    s = ('{:,.%df}' if ',' in code else '{:.%df}') % dec
    return s.format(v) + ('%' if pct else '')


def main(argv):
    if len(argv) not in (4, 5):
        sys.stderr.write(__doc__)
        return 64
    path, sheet_name, out = argv[1], argv[2], argv[3]
    max_rows = int(argv[4]) if len(argv) == 5 else 40
    z = zipfile.ZipFile(path)
    wb = ET.fromstring(z.read('xl/workbook.xml'))
    rels = ET.fromstring(z.read('xl/_rels/workbook.xml.rels'))
    target = None
    for sh in wb.find('m:sheets', NS):
        if sh.get('name') == sheet_name:
            rid = sh.get(REL)
            for rel in rels:
                if rel.get('Id') == rid:
                    target = 'xl/' + rel.get('Target').lstrip('/').replace('xl/', '', 1)
    if target is None:
        sys.stderr.write('%s: no sheet named "%s"\n' % (path, sheet_name))
        return 65
    strings = []
    if 'xl/sharedStrings.xml' in z.namelist():
        for si in ET.fromstring(z.read('xl/sharedStrings.xml')).findall('m:si', NS):
            strings.append(''.join(t.text or '' for t in si.iter('{%s}t' % NS['m'])))
    styles = ET.fromstring(z.read('xl/styles.xml'))
    codes = dict(BUILTIN)
    nf = styles.find('m:numFmts', NS)
    if nf is not None:
        for f in nf:
            codes[int(f.get('numFmtId'))] = f.get('formatCode')
    fonts = [f.find('m:b', NS) is not None for f in styles.find('m:fonts', NS)]
    xfs = []
    for xf in styles.find('m:cellXfs', NS):
        xfs.append((codes.get(int(xf.get('numFmtId', 0)), 'General'),
                    fonts[int(xf.get('fontId', 0))]))
    ws = ET.fromstring(z.read(target))
    widths = {}
    cols = ws.find('m:cols', NS)
    if cols is not None:
        for c in cols:
            for i in range(int(c.get('min')) - 1, int(c.get('max'))):
                widths[i] = float(c.get('width', 8.43))
    grid, ncols = {}, 0
    for row in ws.find('m:sheetData', NS):
        r = int(row.get('r'))
        if r > max_rows:
            break
        for c in row:
            i = col_index(c.get('r'))
            code, bold = xfs[int(c.get('s', 0))]
            v = c.find('m:v', NS)
            t = c.get('t')
            if t == 's':
                text = strings[int(v.text)]
            elif t == 'inlineStr':
                text = ''.join(x.text or '' for x in c.iter('{%s}t' % NS['m']))
            elif v is not None and t in (None, 'n'):
                text = fmt_number(v.text, code)
            else:
                text = v.text if v is not None else ''
            grid[(r, i)] = (text, bold, t not in ('s', 'inlineStr', 'str'))
            ncols = max(ncols, i + 1)
    nrows = max([r for r, _ in grid] or [0])
    h = ['<!doctype html><html lang="en-GB"><meta charset="utf-8"><title>%s</title>'
         % html.escape(sheet_name),
         '<style>body{margin:0;font:13px "DejaVu Sans",sans-serif;background:#fff}'
         'table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:2px 6px;'
         'white-space:nowrap;overflow:hidden}table{table-layout:fixed}'
         'th{background:#f0f2f4;color:#444;font-weight:normal}td.n{text-align:right}'
         'td.b{font-weight:bold}.tab{display:inline-block;margin:6px 0 0 40px;padding:3px 12px;'
         'border:1px solid #d0d7de;border-top:0;background:#fff;font-weight:bold}'
         'footer{background:#f0f2f4;border-top:1px solid #d0d7de}</style>',
         '<table><tr><th></th>']
    # Column widths as the sheet sets them (a character is about 7 pixels).
    h[-1] = '<table><col style="width:36px">' + ''.join(
        '<col style="width:%dpx">' % round(widths.get(i, 8.43) * 7 + 5) for i in range(ncols))
    h.append('<tr><th></th>')
    h += ['<th>%s</th>' % col_name(i) for i in range(ncols)]
    h.append('</tr>')
    for r in range(1, nrows + 1):
        h.append('<tr><th>%d</th>' % r)
        i = 0
        while i < ncols:
            text, bold, num = grid.get((r, i), ('', False, False))
            # Text runs on over the empty cells to its right, as in a spreadsheet.
            span = 1
            if text and not num:
                while i + span < ncols and (r, i + span) not in grid:
                    span += 1
            cls = ' '.join(x for x, on in (('n', num), ('b', bold)) if on)
            h.append('<td%s%s>%s</td>' % (' colspan="%d"' % span if span > 1 else '',
                                          ' class="%s"' % cls if cls else '', html.escape(text)))
            i += span
        h.append('</tr>')
    h.append('</table><footer><span class="tab">%s</span></footer></html>\n'
             % html.escape(sheet_name))
    with open(out, 'w', encoding='utf-8') as f:
        f.write(''.join(h))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
