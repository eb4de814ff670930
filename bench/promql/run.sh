#!/usr/bin/env bash
# PromQL benchmark: cerniq's engine vs a real Prometheus 2.42 server (Debian's package), same
# data (10,000 series x 24 h at 15 s), same range queries over the day at 1 m steps.
# Prometheus gets the data through `promtool tsdb create-blocks-from openmetrics` (done once and
# cached in the work directory) and answers /api/v1/query_range on 127.0.0.1 only.
# Usage: bench/promql/run.sh [RUNS]   (env: CERNIQ_BUILD_DIR, CERNIQ_BENCH_WORK)
set -euo pipefail
runs="${1:-5}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${CERNIQ_BUILD_DIR:-$root/build}"
work="${CERNIQ_BENCH_WORK:-$build/bench-promql}"
bench="$build/bin/promql_bench"
mkdir -p "$work"

cmake --build "$build" -j2 --target promql_bench >/dev/null
for tool in prometheus promtool curl python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool"; exit 1; }
done

# 1. Data for Prometheus, imported once.
if [ ! -f "$work/tsdb/.imported" ]; then
  rm -rf "$work/tsdb"
  echo "writing OpenMetrics data..."
  "$bench" openmetrics "$work/data.om"
  echo "importing with promtool (takes minutes)..."
  timeout 7200 promtool tsdb create-blocks-from openmetrics "$work/data.om" "$work/tsdb" >"$work/import.log"
  rm -f "$work/data.om"
  touch "$work/tsdb/.imported"
fi

# 2. Prometheus on loopback, no scraping, data kept regardless of its age.
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
printf 'global:\n  scrape_interval: 1h\n' >"$work/prometheus.yml"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --storage.tsdb.retention.time=100y --web.listen-address="127.0.0.1:$port" \
  --query.timeout=10m --query.max-samples=200000000 >"$work/prometheus.log" 2>&1 &
prom_pid=$!
trap 'kill "$prom_pid" 2>/dev/null || true; wait "$prom_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do
  curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null || { echo "prometheus did not start"; exit 1; }

start=1767225600
end=$((start + 86400))
exprs=("sum by (queue) (rate(x[5m]))"
  "histogram_quantile(0.95, sum by (le) (rate(h_bucket[5m])))"
  "count(x > 80)")

# Median wall time (curl) and engine time (execTotalTime from stats=all) of RUNS warm calls.
prom_times() {
  local expr="$1" i
  for i in $(seq 0 "$runs"); do
    curl -s -o "$work/resp.json" -w '%{time_total}\n' --max-time 600 \
      --data-urlencode "query=$expr" --data-urlencode "start=$start" \
      --data-urlencode "end=$end" --data-urlencode "step=60" --data-urlencode "stats=all" \
      "http://127.0.0.1:$port/api/v1/query_range" >"$work/curl_time"
    if [ "$i" -eq 0 ]; then cp "$work/resp.json" "$work/prom_expr$2.json"; continue; fi  # warm-up
    python3 - "$work/resp.json" "$(cat "$work/curl_time")" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["status"] == "success", r
d = r["data"]
t = d.get("stats", {}).get("timings", {})
pts = sum(len(s["values"]) for s in d["result"])
print(float(sys.argv[2]) * 1000, t.get("execTotalTime", float("nan")) * 1000, len(d["result"]), pts)
PY
  done | sort -n | awk '{w[NR]=$1; e[NR]=$2; s=$3; p=$4} END {m=int((NR+1)/2); printf "%.1f %.1f %d %d\n", w[m], e[m], s, p}'
}

echo "== cerniq engine (in process)"
"$bench" run "$runs" 120 "$work" | tee "$work/cerniq.txt"
echo "== Prometheus $(prometheus --version 2>&1 | head -1 | awk '{print $3}') on 127.0.0.1:$port"
printf '%-62s %10s %10s %10s %8s %8s\n' "expression" "prom_http" "prom_exec" "cerniq" "ratio" "series"
for i in "${!exprs[@]}"; do
  read -r wall exec series points < <(prom_times "${exprs[$i]}" "$i")
  ours="$(awk -v i="$i" '$1=="expr" && $2==i {print $4}' "$work/cerniq.txt")"
  our_series="$(awk -v i="$i" '$1=="expr" && $2==i {print $8}' "$work/cerniq.txt")"
  ratio="$(awk -v a="$exec" -v b="$ours" 'BEGIN {printf "%.2fx", a / b}')"
  printf '%-62s %8.1fms %8.1fms %8.1fms %8s %4s/%s\n' "${exprs[$i]}" "$wall" "$exec" "$ours" "$ratio" "$our_series" "$series"
done
echo "ratio = Prometheus engine time (execTotalTime) / cerniq engine time; >1 means cerniq is faster"

# Same answers? Every point of every series, relative tolerance 1e-9.
python3 - "$work" "${#exprs[@]}" <<'PY'
import json, math, sys
work, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    ours = {}
    for line in open(f"{work}/cerniq_expr{i}.tsv"):
        labels, t, v = line.rstrip("\n").split("\t")
        ours[(labels, int(t))] = float(v)
    theirs = {}
    for s in json.load(open(f"{work}/prom_expr{i}.json"))["data"]["result"]:
        labels = "{" + ", ".join(f'{k}="{v}"' for k, v in sorted(s["metric"].items())) + "}"
        for t, v in s["values"]:
            theirs[(labels, int(t))] = float(v)
    bad = [k for k in set(ours) | set(theirs)
           if k not in ours or k not in theirs or not (
               (math.isnan(ours[k]) and math.isnan(theirs[k])) or
               abs(ours[k] - theirs[k]) <= 1e-9 * max(abs(ours[k]), abs(theirs[k])))]
    print(f"expr {i}: {len(theirs)} points from Prometheus, {len(ours)} from cerniq, "
          f"{len(bad)} differ" + (f" e.g. {sorted(bad)[:3]}" if bad else ""))
PY
