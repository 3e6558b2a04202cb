#!/usr/bin/env python3
"""pdf_tags.py: read a tagged PDF's accessibility facts without the code
that wrote it: the catalog's /Lang, DisplayDocTitle and MarkInfo, each
Figure's /Alt, each TH's /Scope, and whether every text object on every
page lies inside marked content (a structure element or an artifact).

usage: pdf_tags.py FILE.pdf    prints "key: value" lines; exits 0.
Assumes no object streams (the report writes none); streams may be Flate.
"""
import re
import sys
import zlib


def pdf_string(raw):
    """A PDF string token (literal or hex) as text."""
    if raw.startswith(b"<"):
        data = bytes.fromhex(re.sub(rb"\s", b"", raw[1:-1]).decode())
    else:
        body = raw[1:-1]
        out = bytearray()
        i = 0
        escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b",
                   b"f": b"\f", b"(": b"(", b")": b")", b"\\": b"\\"}
        while i < len(body):
            c = body[i:i + 1]
            if c == b"\\":
                nxt = body[i + 1:i + 2]
                if nxt in escapes:
                    out += escapes[nxt]
                    i += 2
                    continue
                m = re.match(rb"[0-7]{1,3}", body[i + 1:i + 4])
                if m:
                    out.append(int(m.group(0), 8) & 0xFF)
                    i += 1 + len(m.group(0))
                    continue
                i += 1
                continue
            out += c
            i += 1
        data = bytes(out)
    if data.startswith(b"\xfe\xff"):
        return data[2:].decode("utf-16-be")
    return data.decode("latin-1")


STRING = rb"(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)"
TOKEN = re.compile(rb"\((?:\\.|[^\\)])*\)|<<|>>|<[0-9A-Fa-f\s]*>|\[|\]|"
                   rb"/[^\s/\[\]()<>{}%]*|[^\s/\[\]()<>{}%]+")


def main(path):
    data = open(path, "rb").read()
    objects = re.findall(rb"\n(\d+) 0 obj\s*(.*?)endobj", data, re.S)
    figures = alts = headers = scoped = 0
    lang = ""
    display_title = marked = False
    alt_texts = []
    bookmarks = []
    pages_checked = text_objects = unmarked_text = artifacts = private = 0
    for _, body in objects:
        head, _, stream = body.partition(b"stream")
        if re.search(rb"/Type\s*/Catalog", head):
            m = re.search(rb"/Lang\s*" + STRING, head)
            lang = pdf_string(m.group(1)) if m else ""
            display_title = bool(re.search(rb"/DisplayDocTitle\s+true", head))
            marked = bool(re.search(rb"/Marked\s+true", head))
        if re.search(rb"/S\s*/Figure\b", head):
            figures += 1
            m = re.search(rb"/Alt\s*" + STRING, head)
            if m and pdf_string(m.group(1)).strip():
                alts += 1
                alt_texts.append(pdf_string(m.group(1)))
        if re.search(rb"/Parent\s+\d+ 0 R", head) and b"/Title" in head:
            m = re.search(rb"/Title\s*" + STRING, head)
            if m:
                bookmarks.append(pdf_string(m.group(1)))
        if re.search(rb"/S\s*/TH\b", head):
            headers += 1
            scoped += bool(re.search(rb"/Scope\s*/(Column|Row|Both)", head))
        if stream and b"/Length" in head and b"/Type" not in head:
            raw = stream.lstrip(b"\r\n")
            raw = raw[:raw.rfind(b"endstream")]
            if b"/FlateDecode" in head:
                try:
                    raw = zlib.decompressobj().decompress(raw)
                except zlib.error:
                    continue
            if b"BT" not in raw or b"ET" not in raw:
                continue
            pages_checked += 1
            depth = 0
            for tok in TOKEN.findall(raw):
                if tok in (b"BDC", b"BMC"):
                    depth += 1
                elif tok == b"EMC":
                    depth -= 1
                elif tok in (b"Tj", b"TJ", b"'", b'"'):
                    text_objects += 1
                    unmarked_text += depth == 0
                elif tok == b"/Artifact":
                    artifacts += 1
                elif tok == b"/Private":
                    private += 1
    print("lang: " + lang)
    print("display_doc_title: " + ("yes" if display_title else "no"))
    print("marked: " + ("yes" if marked else "no"))
    print("figures: %d" % figures)
    print("figures_with_alt: %d" % alts)
    print("th: %d" % headers)
    print("th_with_scope: %d" % scoped)
    print("content_streams_with_text: %d" % pages_checked)
    print("text_shown: %d" % text_objects)
    print("text_shown_unmarked: %d" % unmarked_text)
    print("artifacts: %d" % artifacts)
    print("private_marked: %d" % private)
    print("bookmarks: %d" % len(bookmarks))
    for text in bookmarks:
        print("bookmark: " + text)
    for text in alt_texts:
        print("alt: " + text.replace("\n", " "))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
