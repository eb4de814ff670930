#!/usr/bin/env bash
# `test rules` benchmark: cerniqtool vs promtool 2.42 on one large generated unit-test file
# (gen_bench.py: 1,000 series x 24 h at 1 m, the runbook's five alerts + ten recording rules,
# evaluated every minute of the day). Wall time and peak RSS from /usr/bin/time -v, median of
# RUNS runs each (alternating); both tools' stdout, stderr and exit code must be identical.
# Usage: bench/rules/run.sh [RUNS]   (env: CERNIQ_BUILD_DIR, CERNIQ_BENCH_WORK, PROMTOOL)
set -euo pipefail
runs="${1:-3}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${CERNIQ_BUILD_DIR:-$root/build}"
work="${CERNIQ_BENCH_WORK:-$build/bench-rules}"
promtool="${PROMTOOL:-$(command -v promtool || true)}"
cerniqtool="$build/bin/cerniqtool"
[[ -x "$promtool" ]] || { echo "missing promtool (Debian package prometheus)"; exit 1; }
[[ -x /usr/bin/time ]] || { echo "missing /usr/bin/time (Debian package time)"; exit 1; }
cmake --build "$build" -j2 --target cerniqtool >/dev/null

mkdir -p "$work"
python3 "$root/bench/rules/gen_bench.py" "$work"
echo "input: $(grep -c '^      - series:' "$work/bench_test.yml") series, $(wc -c <"$work/bench_test.yml") bytes"

# run NAME TOOL: one timed run in $work; appends "wall-s rss-kib cpu-s" to $work/NAME.times.
run() {
  local name="$1" tool="$2" rc=0
  (cd "$work" && /usr/bin/time -v -o "$name.time" "$tool" test rules bench_test.yml \
      >"$name.stdout" 2>"$name.stderr") || rc=$?
  echo "$rc" >"$work/$name.rc"
  python3 - "$work/$name.time" >>"$work/$name.times" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
h, m, s = (["0"] * 3 + re.search(r"Elapsed \(wall clock\) time.*: (\S+)", t).group(1).split(":"))[-3:]
cpu = sum(float(re.search(rf"{k} time \(seconds\): (\S+)", t).group(1)) for k in ("User", "System"))
print(int(h) * 3600 + int(m) * 60 + float(s), re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1), cpu)
PY
}

rm -f "$work"/*.times
for ((i = 1; i <= runs; i++)); do
  echo "run $i/$runs: promtool..."; run promtool "$promtool"
  echo "run $i/$runs: cerniqtool..."; run cerniqtool "$cerniqtool"
  for f in stdout stderr rc; do
    cmp -s "$work/promtool.$f" "$work/cerniqtool.$f" || {
      echo "DIFFERENT $f:"; diff "$work/promtool.$f" "$work/cerniqtool.$f" | head -20; exit 1; }
  done
done
echo "outputs identical (stdout, stderr, exit code $(cat "$work/promtool.rc")): $(head -2 "$work/promtool.stdout" | tail -1)"

python3 - "$work" <<'PY'
import statistics, sys
w = sys.argv[1]
def load(name):
    rows = [tuple(map(float, l.split())) for l in open(f"{w}/{name}.times")]
    return tuple(statistics.median(r[i] for r in rows) / (1024 if i == 1 else 1) for i in range(3))
p, c = load("promtool"), load("cerniqtool")
print(f"{'':12} {'wall s':>8} {'CPU s':>8} {'peak RSS MiB':>13}")
for name, r in (("promtool", p), ("cerniqtool", c)):
    print(f"{name:12} {r[0]:8.2f} {r[2]:8.2f} {r[1]:13.1f}")
print(f"speed-up {p[0] / c[0]:.1f}x wall, {p[2] / c[2]:.1f}x CPU (target >= 5x); "
      f"memory {c[1] / p[1]:.2f} of promtool's (target <= 0.5)")
PY
