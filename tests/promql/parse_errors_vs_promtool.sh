#!/usr/bin/env bash
# Differential test: for every expression of the list (one per line), cerniqtool's parse error
# must be byte-identical to promtool 2.42's, or both must accept it. One promtool run checks
# all expressions as recording rules of one file.
set -euo pipefail
tool="$1"
list="$2"
if ! command -v promtool >/dev/null 2>&1; then
  echo "SKIPPED: promtool not installed"
  exit 77
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$tool" "$list" "$work" <<'PY'
import re, subprocess, sys
tool, listfile, work = sys.argv[1:4]
exprs = [l.rstrip("\n") for l in open(listfile, encoding="utf-8") if l.strip()]
with open(f"{work}/rules.yml", "w", encoding="utf-8") as f:
    f.write("groups:\n- name: g\n  rules:\n")
    for i, e in enumerate(exprs):
        f.write(f"  - record: r{i}\n    expr: '{e.replace(chr(39), chr(39) * 2)}'\n")
out = subprocess.run(["promtool", "check", "rules", f"{work}/rules.yml"],
                     capture_output=True, text=True)
want = {}
for line in (out.stdout + out.stderr).splitlines():
    m = re.match(r'.*rule (\d+), "r\d+": could not parse expression: (.*)$', line)
    if m:
        want[int(m.group(1)) - 1] = m.group(2)
bad = 0
for i, e in enumerate(exprs):
    r = subprocess.run([tool, "eval", e], capture_output=True, text=True)
    got = next((l[7:] for l in r.stderr.splitlines()
                if l.startswith("Error: ") and "parse error" in l), "")
    if got != want.get(i, ""):
        bad += 1
        print(f"MISMATCH {e}\n  promtool:   {want.get(i, '<no error>')}\n  cerniqtool: {got or '<no error>'}")
print(f"{len(exprs) - bad} of {len(exprs)} parse errors identical to promtool")
sys.exit(1 if bad else 0)
PY
