#!/usr/bin/env python3
"""Writes a copy of Prometheus rule files with every alert's `for` divided by FACTOR (rounded
up to whole seconds, at least 1s), for the end-to-end test only. Everything else is copied
byte for byte; the shipped rules are never edited.

usage: shorten_for.py FACTOR OUT_DIR RULE_FILE...
Prints one line per changed `for`.
"""
import math
import os
import re
import sys

UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31536000}
DURATION = re.compile(r"(\d+)(ms|s|m|h|d|w|y)")
FOR_LINE = re.compile(r"^(\s*for:\s*)([0-9a-z]+)(\s*(#.*)?)$")


def seconds(text):
    parts = DURATION.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise ValueError(f"not a Prometheus duration: {text!r}")
    return sum(int(n) * UNITS[u] for n, u in parts)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    factor = float(sys.argv[1])
    out_dir = sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    for path in sys.argv[3:]:
        lines = []
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                m = FOR_LINE.match(line.rstrip("\n"))
                if not m and re.match(r"^\s*for:", line):
                    sys.exit(f"{path}:{n}: cannot shorten {line.strip()!r} (write `for: 10m`)")
                if m:
                    old = seconds(m.group(2))
                    new = max(1, math.ceil(old / factor)) if old > 0 else 0
                    line = f"{m.group(1)}{new}s{m.group(3)}\n"
                    print(f"{os.path.basename(path)}:{n}: for {m.group(2)} -> {new}s")
                lines.append(line)
        with open(os.path.join(out_dir, os.path.basename(path)), "w", encoding="utf-8") as f:
            f.writelines(lines)


if __name__ == "__main__":
    main()
