#!/usr/bin/env python3
"""Keep the documentation of every command's options in step with --help.

Usage: options.py PARITY REFERENCE.md MANPAGE README.md
       options.py --draft PARITY CMD   (a new or changed command: print its
                                        reference section and manual page
                                        options from --help, to paste and edit)

`parity --help` lists the commands; `parity CMD --help` lists each command's
options in its "Options:" block. The check fails when:
  - the commands differ between --help, the reference's "### `parity CMD`"
    sections, the manual page's '.SS "parity CMD"' sections and the
    README's commands table;
  - a command's usage lines in the reference differ from its --help;
  - an option (long or short form) of a command's --help is missing from its
    table in the reference or its .TP list in the manual page, or either
    lists one that --help does not;
  - an option named anywhere in the reference, the guides, the README or the
    manual page is no option of any command (other programs' options, such
    as cmake's --build, are listed in OTHER_PROGRAMS).
Prints each problem and exits 1, or prints a summary and exits 0.
"""
import os
import re
import subprocess
import sys

# Options of other programs that the documents quote (cmake, ctest, the
# linker, systemctl, the sample generator): not parity's.
OTHER_PROGRAMS = {'--build', '--test-dir', '--output-on-failure', '--install',
                  '--no-tests', '--wrap', '--now', '--rows', '--distinct',
                  '--headless', '--window-size', '--screenshot',
                  '--draft'}  # and this script's own
OPTION_LINE = re.compile(r'^\s{1,8}((?:-[A-Za-z], )?--[a-z][a-z0-9-]*)'
                         r'((?: [A-Z][A-Za-z0-9=,.\[\]|-]*)?)\s{2,}(\S.*)$')


def run_help(parity, *args):
    r = subprocess.run([parity, *args, '--help'], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit('%s %s --help: exit %d' % (parity, ' '.join(args), r.returncode))
    return r.stdout


def help_commands(parity):
    cmds, on = [], False
    for line in run_help(parity).split('\n'):
        if line.startswith('Commands:'):
            on = True
        elif on and re.match(r'^  [a-z]+ ', line):
            cmds.append(line.split()[0])
        elif on and not line.strip():
            on = False
    return cmds


def help_command(parity, cmd):
    """(usage lines, {flag: arg}) of one command's --help."""
    lines = run_help(parity, cmd).split('\n')
    usage = []
    for line in lines:
        if line.startswith('Usage:') or (usage and line.startswith('       ')):
            usage.append(line.replace('Usage: ', '', 1).strip())
        elif usage:
            break
    flags, on = {}, False
    for line in lines:
        if line.startswith('Options:'):
            on = True
        elif on and not line.strip():
            on = False
        elif on:
            m = OPTION_LINE.match(line)
            if m:
                for f in m.group(1).split(', '):
                    flags[f] = m.group(2).strip()
            elif not re.match(r'^\s{10,}\S', line):
                raise SystemExit('%s --help: cannot read option line %r' % (cmd, line))
    return usage, flags


def sections(text, pattern):
    """{name: body} of the sections whose heading matches pattern."""
    out, name = {}, None
    for line in text.split('\n'):
        m = pattern.match(line)
        if m:
            name = m.group(1)
            out[name] = []
        elif name is not None and (line.startswith('## ') or line.startswith('.SH ')
                                    or line.startswith('.SS ') or line.startswith('### ')):
            name = None
        elif name is not None:
            out[name].append(line)
    return out


def help_options(parity, cmd):
    """[(flags, arg, description)] of cmd --help, continuation lines joined."""
    lines = run_help(parity, cmd).split('\n')
    opts, on = [], False
    for line in lines:
        if line.startswith('Options:'):
            on = True
        elif on and not line.strip():
            on = False
        elif on:
            m = OPTION_LINE.match(line)
            if m:
                opts.append([m.group(1).split(', '), m.group(2).strip(), m.group(3).strip()])
            elif opts:
                opts[-1][2] += ' ' + line.strip()
    return opts


def draft(parity, cmd):
    usage, _ = help_command(parity, cmd)
    opts = help_options(parity, cmd)
    print('### `parity %s`\n' % cmd)
    print('\n'.join('    ' + u for u in usage) + '\n')
    print('| option | meaning |\n|---|---|')
    for flags, arg, desc in opts:
        print('| %s | %s |' % (', '.join('`%s%s`' % (f, ' ' + arg if arg and f.startswith('--') else '')
                                         for f in flags), desc.replace('|', '\\|')))
    print('\n.SS "parity %s"' % cmd)
    esc = lambda t: t.replace('\\', '\\e').replace('-', '\\-')
    for i, u in enumerate(usage):
        print(('.B ' if i == 0 else '.br\n') + esc(u))
    print('.PP\nOptions:')
    for flags, arg, desc in opts:
        print('.TP')
        print(', '.join('\\fB%s\\fR%s' % (esc(f), ' \\fI%s\\fR' % arg if arg and f.startswith('--') else '')
                        for f in flags))
        print(esc(desc))
    return 0


def main(argv):
    if len(argv) == 4 and argv[1] == '--draft':
        return draft(argv[2], argv[3])
    if len(argv) != 5:
        sys.stderr.write(__doc__)
        return 64
    parity, ref_path, man_path, readme_path = argv[1:]
    ref = open(ref_path, encoding='utf-8').read()
    man = open(man_path, encoding='utf-8').read()
    readme = open(readme_path, encoding='utf-8').read()
    problems = []

    cmds = help_commands(parity)
    if len(cmds) < 5:
        problems.append('parity --help lists only %d commands' % len(cmds))
    ref_secs = sections(ref, re.compile(r'^### `parity ([a-z]+)`$'))
    man_secs = sections(man, re.compile(r'^\.SS "parity ([a-z]+)"$'))
    readme_cmds = set(re.findall(r'^\| `parity ([a-z]+)[ `]', readme, re.M))
    for where, have in (('docs/reference.md', set(ref_secs)), ('parity.1', set(man_secs)),
                        ('README.md commands table', readme_cmds)):
        for c in sorted(set(cmds) - have):
            problems.append('%s: command %s is missing' % (where, c))
        for c in sorted(have - set(cmds)):
            problems.append('%s: documents command %s, which parity --help does not list' % (where, c))

    all_flags = {'--help', '--version', '-h'}
    checked = 0
    for c in cmds:
        usage, flags = help_command(parity, c)
        all_flags |= set(flags)
        if c in ref_secs:
            body = ref_secs[c]
            shown = [l[4:] for l in body if l.startswith('    ')]
            if shown != usage:
                problems.append('docs/reference.md: parity %s: usage %r, --help says %r'
                                % (c, shown, usage))
            ref_flags = set()
            for l in body:
                if l.startswith('| `-'):
                    first = l.split(' | ')[0]
                    ref_flags |= set(re.findall(r'`(--?[A-Za-z][a-z0-9-]*)', first))
            for f in sorted(set(flags) - ref_flags):
                problems.append('docs/reference.md: parity %s: option %s (in --help) is not in its table' % (c, f))
            for f in sorted(ref_flags - set(flags)):
                problems.append('docs/reference.md: parity %s: option %s is not in --help' % (c, f))
        if c in man_secs:
            body = man_secs[c]
            man_flags = set()
            for i, l in enumerate(body):
                if l == '.TP' and i + 1 < len(body):
                    tag = body[i + 1].replace('\\-', '-')
                    man_flags |= set(re.findall(r'\\fB(--?[A-Za-z][a-z0-9-]*)\\fR', tag))
            for f in sorted(set(flags) - man_flags):
                problems.append('parity.1: parity %s: option %s (in --help) is not in its list' % (c, f))
            for f in sorted(man_flags - set(flags)):
                problems.append('parity.1: parity %s: option %s is not in --help' % (c, f))
        checked += len(flags)

    # Any option named in the documents must be one of parity's (or another
    # program's, listed above).
    docs_dir = os.path.dirname(ref_path)
    texts = {'parity.1': man.replace('\\-', '-'), 'README.md': readme}
    for name in sorted(os.listdir(docs_dir)):
        if name.endswith('.md'):
            texts['docs/' + name] = open(os.path.join(docs_dir, name), encoding='utf-8').read()
    long_flags = {f for f in all_flags if f.startswith('--')}
    for where, text in texts.items():
        for f in sorted(set(re.findall(r'(?<![\w-])--[a-z][a-z0-9-]*', text))):
            if f not in long_flags and f not in OTHER_PROGRAMS:
                problems.append('%s: names option %s, which no command takes' % (where, f))

    for p in problems:
        print('FAIL', p)
    if problems:
        return 1
    print('ok: %d commands, %d option forms, each in --help, docs/reference.md and parity.1'
          % (len(cmds), checked))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
