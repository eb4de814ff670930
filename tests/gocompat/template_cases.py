#!/usr/bin/env python3
"""Writes a rule file and its `test rules` file whose failing alert test prints, quoted, the
expansion of templates that lex and parse runes and strings: Go's text/template lexer, strconv
quoting in fmt, and a sweep of every code point through a raw string and printf's %q."""
import sys

CASES = [
    r'{{ printf "%q" "\u202a\ue000\u2060\ufff9\u00a0\u00ad\u0085" }}',
    r'{{ printf "%q %c %U %#U" 0x202a 0xfff9 0xe000 0x2060 }}',
    r'{{ printf "%q|%q|%q" 0xd800 0x110000 39 }}',
    r'{{ printf "%.2q|%5s|%-4q|" "\u00e9\u4e16x" "\u00e9" "\u00e9" }}',
    r"{{ 'é' }} {{ '\u00e9' }} {{ '\x41' }} {{ 'a' | printf `%c` }}",
    r'{{ "\xc3\xa9" }}|{{ printf "%q" "\xff\xc3" }}',
    '{{ .a\u00c3}} x',
    r'{{ .aé}} x',
    r'{{ $xé := 1 }}{{ $xé }}',
    r'{{ "a é" | toUpper }} {{ "ÉÀ\u0130" | toLower }}',
    r'{{ 1_000 }} {{ 0x_1F }} {{ 0b101 }} {{ 0o17 }} {{ 017 }} {{ 1e3 }} {{ 0x1.8p1 }}',
    r'{{ humanize "1_000" }} {{ humanize "0x1p4" }} {{ humanize "+NaN" }} {{ humanize "1e400" }}',
    r'{{ "1h30m" | parseDuration }} {{ "99999999999999999999s" | parseDuration }}',
    r'{{ reReplaceAll "(é)" "[$1]" "aéb" }} {{ reReplaceAll "" "-" "é\u00a0" }}',
    r'{{ reReplaceAll "a{2,1}" "" "x" }}',
]


# Templates that fail to parse, each checked in a file of its own: promtool reports the errors
# of one rule in Go's random map order.
ERROR_CASES = [
    r'{{ 0xFFFFFFFFFFFFFFFFFF }}',
    r'{{ 1__0 }}',
    r'{{ "\q" }}',
    r"{{ 'ab' }}",
    r'{{ "a',
    '{{ .a\u00c3 x',
    r'{{ 99999999999999999999 }}',
]


def yaml_quote(s):
    out = '"'
    for ch in s:
        c = ord(ch)
        if ch in '"\\':
            out += "\\" + ch
        elif c < 0x20 or c >= 0x7F:
            out += "\\U%08x" % c
        else:
            out += ch
    return out + '"'


def sweep_cases(block):
    cps = [c for c in range(0x20, 0x110000) if not 0xD800 <= c <= 0xDFFF and c != 0x60]
    for i in range(0, len(cps), block):
        raw = "".join(chr(c) for c in cps[i:i + block])
        yield '{{ printf "%q" `' + raw + '` }}'


def write_rules(path, cases):
    with open(path, "w") as f:
        f.write("groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: vector(1)\n")
        f.write("        annotations:\n")
        for i, case in enumerate(cases):
            f.write("          c%04d: %s\n" % (i, yaml_quote(case)))


def main(rules_path, tests_path, sweep_block):
    cases = list(CASES)
    if sweep_block > 0:
        cases += list(sweep_cases(sweep_block))
    write_rules(rules_path, cases)
    for i, case in enumerate(ERROR_CASES):
        write_rules("error%02d.yml" % i, [case])
    with open(tests_path, "w") as f:
        f.write("rule_files: [%s]\nevaluation_interval: 1m\ntests:\n" % rules_path)
        f.write("  - interval: 1m\n    alert_rule_test:\n")
        f.write("      - eval_time: 0m\n        alertname: A\n        exp_alerts: []\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 0)
