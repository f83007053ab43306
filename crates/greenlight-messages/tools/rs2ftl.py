#!/usr/bin/env python3
"""One-off converter (kept for the record and for re-runs at merge): reads the `tr!(lang, "en",
"zh")` arms of a Rust message table and prints Fluent entries for English and Simplified
Chinese, plus the Rust arms that look the ids up. Arms that do more than one `tr!` are reported
on stderr and written by hand. Traditional Chinese is made from the Simplified text with
OpenCC (tools/s2t.js, Taiwan phrases) and then reviewed by hand."""
import re
import sys

LIT = r'"((?:[^"\\]|\\.)*)"'
ARM = re.compile(r'^\s+(\w+)(?: \{ ([^}]*) \})? => tr!\(lang, ' + LIT + r', ' + LIT + r'\),\s*$')


def kebab(name):
    return re.sub(r'(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])', '-', name).lower()


def unrust(s):
    s = s.replace('\\"', '"').replace('\\\\', '\\').replace('\\n', '\n')
    return s


def to_ftl(text):
    """Rust format string (already unescaped) -> Fluent pattern source."""
    out = []
    i = 0
    while i < len(text):
        if text.startswith('{{', i):
            out.append('{ "{" }'); i += 2; continue
        if text.startswith('}}', i):
            out.append('{ "}" }'); i += 2; continue
        if text[i] == '{':
            j = text.index('}', i)
            name = text[i + 1:j]
            # `{x:?}` (Rust's quoted, escaped form): the Rust side passes the quoted text.
            name = name.removesuffix(':?')
            assert re.fullmatch(r'[a-z_][a-z0-9_]*', name), name
            out.append('{ $' + name + ' }'); i = j + 1; continue
        out.append(text[i]); i += 1
    s = ''.join(out)
    # Fluent trims a value's leading blanks and newlines: keep them as string literals.
    m = re.match(r'^[ \n]+', s)
    if m:
        lead = m.group(0).replace('\n', '\\u000A')
        s = '{ "' + lead + '" }' + s[m.end():]
    if '\n' in s:
        lines = s.split('\n')
        for k, l in enumerate(lines[1:], 1):
            m = re.match(r'^ +', l)
            if m:  # a line's own indent would be taken as the block's: keep it as a literal
                lines[k] = '{ "' + m.group(0) + '" }' + l[m.end():]
            assert lines[k] and lines[k][0] not in '[*.', repr(l)
        s = '\n    ' + '\n    '.join(lines)
    return s


def main(path):
    en, zh, arms = [], [], []
    for line in open(path, encoding='utf-8'):
        m = ARM.match(line)
        if not m:
            continue
        name, fields, e, z = m.groups()
        mid = kebab(name)
        en.append(f'{mid} = {to_ftl(unrust(e))}')
        zh.append(f'{mid} = {to_ftl(unrust(z))}')
        fs = [f.strip() for f in (fields or '').split(',') if f.strip()]
        dbg = set(re.findall(r'\{(\w+):\?\}', e))
        args = ', '.join(f'("{f}", format!("{{{f}:?}}").into())' if f in dbg else f'("{f}", {f}.into())' for f in fs)
        pat = f'{name} {{ {", ".join(fs)} }}' if fs else name
        arms.append(f'            {pat} => ("{mid}", vec![{args}]),')
    open('/tmp/cli.en.ftl', 'w').write('\n'.join(en) + '\n')
    open('/tmp/cli.zh.ftl', 'w').write('\n'.join(zh) + '\n')
    open('/tmp/cli.arms.rs', 'w').write('\n'.join(arms) + '\n')
    print(len(en), 'messages', file=sys.stderr)


main(sys.argv[1])
