#!/usr/bin/env python3
"""Every link in README.md and docs/*.md leads somewhere.

Usage: links.py SOURCE_DIR

Checks each Markdown link and image whose target is in the repository: the
file exists, and a #fragment names a heading of that file (GitHub's anchor
rule: lower case, punctuation other than - and _ dropped, spaces to -).
Addresses on the web are not fetched. Prints each broken link and exits 1,
or prints a summary and exits 0.
"""
import os
import re
import sys

# Chapters written with the features they document, on their own branches:
# a link to one may point ahead of it until that branch is merged. Remove a
# name once its file is in the tree.
AHEAD = set()


def slug(heading):
    h = re.sub(r'[^\w\- ]', '', heading.strip().lower())
    return h.replace(' ', '-')


def anchors(text):
    out, fence, seen = set(), False, {}
    for line in text.split('\n'):
        if line.startswith('```'):
            fence = not fence
        m = re.match(r'^#{1,6} (.*)$', line)
        if m and not fence:
            s = slug(m.group(1))
            n = seen.get(s, 0)
            seen[s] = n + 1
            out.add(s if n == 0 else '%s-%d' % (s, n))
    return out


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 64
    root = argv[1]
    docs = ['README.md'] + sorted('docs/' + f for f in os.listdir(os.path.join(root, 'docs'))
                                  if f.endswith('.md'))
    cache, bad, links, ahead = {}, [], 0, set()
    for doc in docs:
        text = open(os.path.join(root, doc), encoding='utf-8').read()
        text_nocode = re.sub(r'```.*?```', '', text, flags=re.S)
        for m in re.finditer(r'!?\[[^\]]*\]\(([^)\s]+)\)', text_nocode):
            target = m.group(1)
            if re.match(r'^[a-z]+:', target):
                continue
            links += 1
            path, _, frag = target.partition('#')
            full = os.path.normpath(os.path.join(root, os.path.dirname(doc), path)) if path \
                else os.path.join(root, doc)
            if not os.path.exists(full) and os.path.relpath(full, root) in AHEAD:
                ahead.add(os.path.relpath(full, root))
                continue
            if not os.path.exists(full):
                bad.append('%s: link to %s: no such file' % (doc, target))
                continue
            if frag:
                if not full.endswith('.md'):
                    bad.append('%s: link to %s: a fragment into a file that is not Markdown' % (doc, target))
                    continue
                if full not in cache:
                    cache[full] = anchors(open(full, encoding='utf-8').read())
                if frag not in cache[full]:
                    bad.append('%s: link to %s: no heading with that anchor' % (doc, target))
    for b in bad:
        print('FAIL', b)
    if bad:
        return 1
    if links < 20:
        print('FAIL: only %d links found: is the parser broken?' % links)
        return 1
    for a in sorted(ahead):
        print('note: %s is not in the tree yet; its links were not checked' % a)
    print('ok: %d links in %d documents, each to an existing file and heading' % (links, len(docs)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
