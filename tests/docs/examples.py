#!/usr/bin/env python3
"""Run the worked examples of docs/methods.md and check every number in them.

Usage: examples.py PARITY SOURCE_DIR METHODS.md WORK_DIR

An example is the text between "<!-- example: NAME -->" and
"<!-- end example -->". Inside one, in order:
  ```sh     commands, run with bash -e in WORK_DIR (PARITY is first on the
            PATH as `parity`; WORK_DIR/sample-data is the source's sample);
  ```text   output: every line must be a line of what the last ```sh block
            printed (standard output and error);
  ```calc   a hand calculation, one "LABEL: EXPRESSION = VALUE" a line: the
            expression (Python arithmetic with ln, exp, sqrt, and score(x1,
            n1, x2, n2, phi): Koopman's score statistic T(phi) as DOMAIN.md
            section 3 defines it) must equal VALUE to VALUE's decimals.
Prints ok or FAIL for each block and exits 1 on any failure, or when the
document holds no example.
"""
import math
import os
import re
import subprocess
import sys


def score(x1, n1, x2, n2, phi):
    """Koopman's T(phi) (Biometrics 1984;40:513), as DOMAIN.md section 3."""
    a = (n1 + n2) * phi
    b = -(n1 * phi + x1 + n2 + x2 * phi)
    c = x1 + x2
    p2 = (-b - math.sqrt(b * b - 4 * a * c)) / (2 * a)
    p1 = phi * p2
    return (x1 / n1 - phi * x2 / n2) / math.sqrt(p1 * (1 - p1) / n1 + phi * phi * p2 * (1 - p2) / n2)


NAMES = {'ln': math.log, 'exp': math.exp, 'sqrt': math.sqrt, 'score': score}


def examples(text):
    found = re.findall(r'<!-- example: ([\w-]+) -->\n(.*?)<!-- end example -->', text, re.S)
    out = []
    for name, body in found:
        blocks = re.findall(r'^```(sh|text|calc)\n(.*?)^```$', body, re.S | re.M)
        out.append((name, blocks))
    return out


def check_calc(line):
    m = re.match(r'^([^:]+): (.+) = (-?[0-9]+(?:\.([0-9]+))?)$', line)
    if not m:
        return 'cannot read the line'
    label, expr, value, decimals = m.groups()
    got = eval(expr, {'__builtins__': {}}, NAMES)  # the document's own arithmetic
    tolerance = 0.5 * 10 ** -(len(decimals) if decimals else 0) * (1 + 1e-9)
    if abs(got - float(value)) > tolerance:
        return '%s is %.10g, not %s' % (expr, got, value)
    return None


def main(argv):
    if len(argv) != 5:
        sys.stderr.write(__doc__)
        return 64
    parity, src, doc, work = argv[1:]
    work = os.path.abspath(work)
    os.makedirs(os.path.join(work, 'bin'), exist_ok=True)
    link = os.path.join(work, 'bin', 'parity')
    if os.path.lexists(link):
        os.remove(link)
    os.symlink(os.path.abspath(parity), link)
    sample = os.path.join(work, 'sample-data')
    if not os.path.lexists(sample):
        os.symlink(os.path.join(os.path.abspath(src), 'sample-data'), sample)
    env = dict(os.environ, PATH=os.path.join(work, 'bin') + os.pathsep + os.environ['PATH'])

    found = examples(open(doc, encoding='utf-8').read())
    failed = passed = 0
    for name, blocks in found:
        printed, failed_before = None, failed
        for kind, body in blocks:
            if kind == 'sh':
                r = subprocess.run(['bash', '-e', '-o', 'pipefail', '-c', body], cwd=work,
                                   env=env, capture_output=True, text=True)
                printed = set(l.rstrip() for l in (r.stdout + r.stderr).split('\n'))
                if r.returncode:
                    print('FAIL %s: exit %d from:\n%s%s' % (name, r.returncode, body, r.stderr[-2000:]))
                    failed += 1
                else:
                    passed += 1
            elif kind == 'text':
                missing = [l for l in body.rstrip('\n').split('\n') if l.rstrip() not in (printed or ())]
                for l in missing:
                    print('FAIL %s: the output lacks the line %r' % (name, l))
                failed += bool(missing)
                passed += not missing
            else:
                for line in body.rstrip('\n').split('\n'):
                    problem = check_calc(line)
                    if problem:
                        print('FAIL %s: %s: %s' % (name, line, problem))
                        failed += 1
                    else:
                        passed += 1
        print('%s %s' % ('ok  ' if failed == failed_before else 'FAIL', name))
    if not found:
        print('FAIL: %s holds no example' % doc)
        return 1
    print('%d examples: %d checks passed, %d failed' % (len(found), passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
