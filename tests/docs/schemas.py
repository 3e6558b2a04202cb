#!/usr/bin/env python3
"""Validate JSON outputs against the schemas in docs/schema.

Usage: schemas.py SCHEMA_DIR NAME=FILE [NAME=FILE ...]

NAME is a schema's name (results, trend, cohorts, programme, quality,
history, ratio, pool: docs/schema/NAME.schema.json); FILE is a JSON document, or for
history, JSON lines (one document per line). Each schema is first checked as
a schema (draft 2020-12); references between the schemas (urn:parity:...)
are resolved from SCHEMA_DIR. Works with python3-jsonschema 4.10 (Debian 12)
and later. Prints each error with its place in the document and exits 1, or
prints what was validated and exits 0.
"""
import json
import os
import sys
import warnings

import jsonschema

warnings.simplefilter('ignore', DeprecationWarning)


def load_schemas(folder):
    schemas = {}
    for name in sorted(os.listdir(folder)):
        if name.endswith('.schema.json'):
            with open(os.path.join(folder, name), encoding='utf-8') as f:
                schema = json.load(f)
            jsonschema.Draft202012Validator.check_schema(schema)
            schemas[name[:-len('.schema.json')]] = schema
    return schemas


def validator(schemas, name):
    store = {s['$id']: s for s in schemas.values()}
    schema = schemas[name]
    resolver = jsonschema.RefResolver(schema['$id'], schema, store=store)
    return jsonschema.Draft202012Validator(
        schema, resolver=resolver, format_checker=jsonschema.FormatChecker())


def documents(name, path):
    with open(path, encoding='utf-8') as f:
        text = f.read()
    if name == 'history':
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return [json.loads(text)]


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 64
    schemas = load_schemas(argv[1])
    failed = 0
    for pair in argv[2:]:
        name, _, path = pair.partition('=')
        if name not in schemas:
            print('FAIL %s: no schema %s.schema.json' % (pair, name))
            failed += 1
            continue
        v = validator(schemas, name)
        docs = documents(name, path)
        if not docs:
            print('FAIL %s: no document to validate' % path)
            failed += 1
            continue
        errors = 0
        for i, doc in enumerate(docs):
            for e in sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path)):
                place = '/'.join(str(p) for p in e.absolute_path)
                where = '%s line %d' % (path, i + 1) if name == 'history' else path
                print('FAIL %s: %s: %s' % (where, place or '(top)', e.message[:300]))
                errors += 1
                if errors >= 20:
                    break
        if errors:
            failed += 1
        else:
            print('ok   %s: %d document%s valid against %s.schema.json'
                  % (path, len(docs), '' if len(docs) == 1 else 's', name))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
