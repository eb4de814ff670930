#!/usr/bin/env bash
# Differential test of gocompat::SortSlice against Go 1.19's sort.Slice (the Go promtool 2.42
# was built with): thousands of generated cases with many equal keys, below and above the
# 12-element insertion-sort limit, sorted, reversed and sawtooth inputs, `<=` and `<` comparisons.
# Usage: sort_vs_go.sh DRIVER   (exits 77 when no Go toolchain is installed)
set -euo pipefail
driver="$1"
here="$(cd "$(dirname "$0")" && pwd)"
command -v go >/dev/null || { echo "SKIP: no go toolchain (apt-get install golang-go)"; exit 77; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export GOCACHE="$work/gocache" GOFLAGS=-mod=mod GO111MODULE=off
python3 - "$work/cases" <<'PY'
import random, sys
rng = random.Random(20261202)
lines = []
for case in range(4000):
    n = rng.choice([0, 1, 2, 5, 11, 12, 13, 20, 49, 50, 51, 64, 100, 257, 1000, rng.randrange(300)])
    distinct = rng.choice([1, 2, 3, 5, 10, n + 1])
    keys = [rng.randrange(max(distinct, 1)) for _ in range(n)]
    shape = rng.randrange(5)
    if shape == 1: keys.sort()
    elif shape == 2: keys.sort(reverse=True)
    elif shape == 3: keys = [i % max(distinct, 1) for i in range(n)]
    elif shape == 4: keys = sorted(keys)[: n // 2] + keys[n // 2:]
    lines.append(rng.choice(["<=", "<"]) + " " + " ".join(map(str, keys)))
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
PY
timeout 120 go run "$here/sort_oracle.go" < "$work/cases" > "$work/go.out"
timeout 60 "$driver" < "$work/cases" > "$work/cc.out"
total=$(wc -l < "$work/cases")
differ=$(paste -d'|' "$work/go.out" "$work/cc.out" | awk -F'|' '$1 != $2' | wc -l)
if [[ "$differ" -ne 0 ]]; then
  paste -d'|' "$work/cases" "$work/go.out" "$work/cc.out" | awk -F'|' '$2 != $3' | head -3
  echo "$((total - differ)) passed, $differ failed"
  exit 1
fi
echo "$total passed, 0 failed"
