#!/usr/bin/env python3
"""Writes a `promtool test rules` file whose failing PromQL tests print every code point.

Each test builds one label value from a block of code points (PromQL \\U escapes, so the YAML
stays ASCII) and expects no samples; the failure then prints the value with Go's
strconv.Quote. `--table` instead reads that output back and prints the ranges of code points
Go escapes, which is how src/gocompat/unicode_print_table.cc was made.
"""
import re
import sys

BLOCK = 8192
LIMIT = 0x110000


def code_points():
    return [c for c in range(0x20, LIMIT) if not 0xD800 <= c <= 0xDFFF]


def blocks():
    cps = code_points()
    return [cps[i:i + BLOCK] for i in range(0, len(cps), BLOCK)]


def write_tests(out):
    out.write("rule_files: []\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n")
    out.write("    promql_expr_test:\n")
    for block in blocks():
        value = "".join("\\U%08x" % c for c in block if c != ord("'"))
        value = value.replace("\\U00000022", '\\"').replace("\\U0000005c", "\\\\")
        out.write("      - expr: 'label_replace(vector(1), \"x\", \"%s\", \"\", \"\")'\n" % value)
        out.write("        eval_time: 0\n        exp_samples: []\n")


def escaped_code_points(text):
    """The code points printed as \\u/\\U/\\x escapes in the `got: {x="..."}` lines."""
    escaped = set()
    for value in re.findall(r'got: \{x="(.*)"\}', text):
        for m in re.finditer(r"\\u([0-9a-f]{4})|\\U([0-9a-f]{8})|\\x([0-9a-f]{2})", value):
            escaped.add(int(next(g for g in m.groups() if g), 16))
    return escaped


def write_table(text, out):
    escaped = escaped_code_points(text)
    start = None
    for c in range(0x20, LIMIT + 1):
        bad = c in escaped and c != LIMIT
        if bad and start is None:
            start = c
        elif not bad and start is not None:
            out.write("    {0x%04X, 0x%04X},\n" % (start, c - 1))
            start = None


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--table":
        write_table(sys.stdin.read(), sys.stdout)
    else:
        write_tests(sys.stdout)
