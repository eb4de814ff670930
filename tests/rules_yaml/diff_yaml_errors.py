#!/usr/bin/env python3
"""Differential test: `check rules` / `test rules` on generated broken YAML, promtool vs cerniqtool.

Usage: diff_yaml_errors.py CERNIQTOOL [--promtool P] [--seed N] [--count N] [--keep DIR]
Files are checked in batches (one process per batch and tool); a batch whose stdout, stderr or
exit code differ is re-run file by file to name the files. Exit 0 when nothing differs, 1 when
something does, 77 when promtool is missing.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import yaml_mutants  # noqa: E402

BATCH = 40


def run(tool, command, files, cwd):
    p = subprocess.run([tool] + command + files, cwd=cwd, capture_output=True, timeout=120)
    return p.stdout, p.stderr, p.returncode


def compare(promtool, cerniqtool, command, files, cwd):
    """Returns the files (of `files`) whose outputs differ, with both outputs."""
    if run(promtool, command, files, cwd) == run(cerniqtool, command, files, cwd):
        return []
    differing = []
    for f in files:
        want, got = run(promtool, command, [f], cwd), run(cerniqtool, command, [f], cwd)
        if want != got:
            differing.append((f, want, got))
    return differing


def outside_yaml(want, got):
    """Whether a difference lies only in messages that are not YAML's (PromQL's, say): same exit
    code and stdout, and no YAML error on either side."""
    return want[0] == got[0] and want[2] == got[2] and b"yaml: " not in want[1] + got[1]


def show(f, want, got, cwd):
    print("=== %s differs\n--- input: %r" % (f, open(os.path.join(cwd, f), "rb").read()[:2000]))
    for name, w, g in zip(("stdout", "stderr", "exit"), want, got):
        if w != g:
            print("--- %s\n  promtool:   %r\n  cerniqtool: %r" % (name, w, g))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cerniqtool")
    ap.add_argument("--promtool", default=shutil.which("promtool"))
    ap.add_argument("--seed", type=int, default=10)
    ap.add_argument("--count", type=int, default=450)
    ap.add_argument("--keep", help="write the files here and keep them")
    ap.add_argument("--show", type=int, default=5, help="differences printed in full")
    ap.add_argument("--strict", action="store_true",
                    help="also fail on differences outside YAML's messages")
    args = ap.parse_args()
    args.cerniqtool = os.path.abspath(args.cerniqtool)
    if not args.promtool or not os.access(args.promtool, os.X_OK):
        print("promtool not found: differential YAML error test skipped")
        return 77
    cwd = args.keep or tempfile.mkdtemp(prefix="rules_yaml.")
    os.makedirs(cwd, exist_ok=True)
    with open(os.path.join(cwd, "rules.yml"), "w") as f:
        f.write(yaml_mutants.RULES_FOR_TESTS)
    names = {"rules": [], "tests": []}
    for name, kind, data in yaml_mutants.generate(args.seed, args.count):
        with open(os.path.join(cwd, name), "wb") as f:
            f.write(data)
        names[kind].append(name)
    differing = []
    for kind, command in (("rules", ["check", "rules"]), ("tests", ["test", "rules"])):
        files = names[kind]
        for i in range(0, len(files), BATCH):
            differing += compare(args.promtool, args.cerniqtool, command, files[i:i + BATCH], cwd)
    for f, want, got in differing[:args.show]:
        show(f, want, got, cwd)
    other = [f for f, want, got in differing if outside_yaml(want, got)]
    yaml = [f for f, _, _ in differing if f not in other]
    print("%d generated files (seed %d): %d rule files, %d unit-test files; %d differ in YAML "
          "handling: %s; %d differ elsewhere (not YAML's messages): %s" % (
              args.count, args.seed, len(names["rules"]), len(names["tests"]), len(yaml),
              " ".join(yaml), len(other), " ".join(other)))
    if not args.keep:
        shutil.rmtree(cwd)
    return 1 if yaml or (args.strict and other) else 0


if __name__ == "__main__":
    sys.exit(main())
