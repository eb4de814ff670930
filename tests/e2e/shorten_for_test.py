#!/usr/bin/env python3
"""Unit test of shorten_for.py: only `for` changes, by the factor, rounded up, at least 1s;
quoted or malformed durations are refused."""
import os
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
script = os.path.join(here, "shorten_for.py")
src = """groups:
  - name: g
    rules:
      - alert: A
        expr: x > 0   # for: 1h in a comment stays
        for: 1h
      - alert: B
        expr: y > 0
        for: 10m  # trailing comment
      - alert: C
        expr: z > 0
        for: 1h30m
      - alert: D
        expr: w > 0
        for: 30s
      - alert: E
        expr: v > 0
        for: 0s
"""
want = src.replace("for: 1h\n", "for: 10s\n").replace("for: 10m  #", "for: 2s  #") \
          .replace("for: 1h30m", "for: 15s").replace("for: 30s", "for: 1s")
failures = 0
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "in", "r.yaml")
    os.makedirs(os.path.dirname(path))
    with open(path, "w") as f:
        f.write(src)
    subprocess.run([sys.executable, script, "360", os.path.join(tmp, "out"), path], check=True,
                   capture_output=True)
    got = open(os.path.join(tmp, "out", "r.yaml")).read()
    if got != want:
        print("shortened copy differs:\n" + got)
        failures += 1
    if open(path).read() != src:
        print("the input file was modified")
        failures += 1
    with open(path, "w") as f:
        f.write(src.replace("for: 1h\n", 'for: "1h"\n'))
    r = subprocess.run([sys.executable, script, "360", os.path.join(tmp, "out2"), path],
                       capture_output=True, text=True)
    if r.returncode == 0:
        print("a quoted duration was accepted")
        failures += 1
print("FAILED" if failures else "ok")
sys.exit(1 if failures else 0)
