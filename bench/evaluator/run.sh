#!/usr/bin/env bash
# The side evaluator's benchmark (issue 11): the exporter's REAL series (one /metrics scrape of
# the exporter against redis-server with the 13 Etapa 5 queues filled by real BullMQ and
# PostgreSQL with the demo data) turned into 24 h of history at 5 s, then
#   1. bytes per sample: our HistoryStore vs Prometheus 2.42's blocks of the same samples
#      (`promtool tsdb create-blocks-from openmetrics`),
#   2. /api/v1/query_range of every dashboard query over the 24 h: our API served over HTTP by
#      `evaluator_bench serve` vs a real Prometheus 2.42 on those blocks (same answers first),
#   3. the shipped rules (rules/*.yaml) evaluated over the history on a simulated clock,
#   4. the exporter's peak RSS started from the 24 h checkpoint (only when it accepts
#      --storage.retention; skipped with a message otherwise).
# Everything listens on loopback; every wait is bounded; everything started is stopped.
# Usage: bench/evaluator/run.sh [--quick | --rss-only | --query-only]
#   --quick       2 h of history, 3 runs: a smoke run
#   --rss-only    only step 4, from the checkpoint a previous full run left in the work directory
#   --query-only  only step 5 (query_range), on the blocks and checkpoint of a previous full run
#   env: CERNIQ_BUILD_DIR (build), CERNIQ_BENCH_WORK (work dir), RUNS (query repetitions, 5),
#        CERNIQ_EXPORTER_BIN (default: the build's cerniq_exporter),
#        CERNIQ_EVALUATOR_BENCH_BIN (default: the build's evaluator_bench; not rebuilt when set)
set -euo pipefail
hours=24 runs="${RUNS:-5}" mode="${1:-}"
if [[ "$mode" == "--quick" ]]; then hours=2 runs="${RUNS:-3}"; fi
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${CERNIQ_BUILD_DIR:-$root/build}"
work="${CERNIQ_BENCH_WORK:-$build/bench-evaluator}"
bench="${CERNIQ_EVALUATOR_BENCH_BIN:-$build/bin/evaluator_bench}"
exporter="${CERNIQ_EXPORTER_BIN:-$build/bin/cerniq_exporter}"
for tool in prometheus promtool redis-server redis-cli node psql curl python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool (scripts/install-deps.sh)"; exit 1; }
done
[[ -d "$root/tests/bullmq/v6/node_modules/bullmq" ]] || { echo "npm bullmq missing in tests/bullmq/v6"; exit 1; }
targets=()
[[ -n "${CERNIQ_EVALUATOR_BENCH_BIN:-}" ]] || targets+=(evaluator_bench)
[[ -n "${CERNIQ_EXPORTER_BIN:-}" || "$mode" == "--query-only" ]] || targets+=(cerniq_exporter)
((${#targets[@]} == 0)) || cmake --build "$build" -j2 --target "${targets[@]}" >/dev/null
if [[ "$mode" == "--rss-only" ]]; then
  [[ -f "$work/data/exporter/cerniq-history.ckpt" ]] || { echo "no checkpoint in $work: run a full run first"; exit 1; }
elif [[ "$mode" == "--query-only" ]]; then
  [[ -f "$work/data/cerniq-history.ckpt" && -d "$work/tsdb" ]] || { echo "no checkpoint/blocks in $work: run a full run first"; exit 1; }
else
  rm -rf "$work" && mkdir -p "$work"
fi
started=$SECONDS

export CERNIQ_SVC_DIR; CERNIQ_SVC_DIR="$(mktemp -d /tmp/cerniq-bench-eval.XXXXXX)"
# shellcheck source=../../scripts/services.sh
source "$root/scripts/services.sh"
redis_port="$(free_port)" pg_port="$(free_port)"
pids=()
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  exec 3>&- 2>/dev/null
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  done
  stop_redis "$redis_port"
  stop_postgres "$pg_port"
  cleanup_services_dir
  echo "bench/evaluator: exit $rc after $((SECONDS - started))s (work files in $work)"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
wait_until() {  # wait_until SECONDS WHAT COMMAND...
  local deadline=$((SECONDS + $1)) what="$2"; shift 2
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { echo "timed out waiting for $what" >&2; return 1; }
    sleep 0.2
  done
}
start_exporter() {  # start_exporter PORT LOG ARGS...: exporter on the demo's services
  local port="$1" log="$2"; shift 2
  "$exporter" --web.listen-address "127.0.0.1:$port" --redis.url "redis://127.0.0.1:$redis_port/0" \
    --postgres.dsn "host=127.0.0.1 port=$pg_port user=postgres dbname=cerniq" "$@" >"$log" 2>&1 &
  exporter_pid=$!
  pids+=("$exporter_pid")
  wait_until 60 "the exporter's /-/ready" curl -sf -m 2 "http://127.0.0.1:$port/-/ready"
}
stop_pid() { kill "$1" 2>/dev/null; for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done; kill -9 "$1"; }

if [[ "$mode" == "--query-only" ]]; then
  hours=24
  if [[ -f "$work/end_ms" ]]; then end_ms="$(cat "$work/end_ms")"; else
    # runs from before end_ms was kept: the blocks' last sample (maxTime is exclusive), up to 5 s
    end_ms="$(python3 -c 'import glob,json,sys; m=max(json.load(open(f))["maxTime"] for f in glob.glob(sys.argv[1]+"/*/meta.json")); print(-(-m // 5000) * 5000)' "$work/tsdb")"
  fi
else
echo "== the exporter's real series: redis-server + 13 BullMQ queues, PostgreSQL demo data"
start_redis "$redis_port"
redis-cli -p "$redis_port" SET anthropic:rate_limit:remaining 842 >/dev/null
mkfifo "$CERNIQ_SVC_DIR/scenario.in"
node "$root/tests/bullmq/scenario.cjs" "$root/tests/bullmq/v6" "redis://127.0.0.1:$redis_port/0" bull \
  lifecycle,churn,sentiment,geospatial,graph,referral,winback,association,feedback,content,alerts,compliance,hitl \
  <"$CERNIQ_SVC_DIR/scenario.in" >"$work/scenario.out" 2>"$work/scenario.err" &
pids+=($!)
exec 3>"$CERNIQ_SVC_DIR/scenario.in"  # keeps the workers alive
start_postgres "$pg_port"
timeout 300 "$root/tests/fixtures/load-demo.sh" 127.0.0.1 "$pg_port" cerniq 5000 >/dev/null
wait_until 120 "the BullMQ scenario" grep -q '^READY' "$work/scenario.out"
fi
query_rc=0
step=60
if [[ "$mode" != "--rss-only" && "$mode" != "--query-only" ]]; then
exporter_port="$(free_port)"
start_exporter "$exporter_port" "$work/exporter-scrape.log"
sleep 6  # a second BullMQ pass (5 s): counters and durations have moved once
curl -sf "http://127.0.0.1:$exporter_port/metrics" >"$work/scrape.txt"
stop_pid "$exporter_pid"
echo "$(grep -vc '^#' "$work/scrape.txt") series in one scrape ($(grep -c '^# TYPE' "$work/scrape.txt") families)"

echo
echo "== $hours h at 5 s into HistoryStore, rules evaluated over it"
end_ms=$(( $(date +%s) / 5 * 5000 ))
echo "$end_ms" >"$work/end_ms"  # for --query-only
"$bench" generate "$work/scrape.txt" "$work/data" "$hours" "$end_ms" "$root"/rules/*.yaml | tee "$work/generate.txt"

echo
echo "== the same samples into Prometheus $(prometheus --version 2>&1 | head -1 | awk '{print $3}') blocks"
t0=$SECONDS
timeout 1200 promtool tsdb create-blocks-from openmetrics "$work/data/data.om" "$work/tsdb" >"$work/import.log"
echo "promtool create-blocks-from openmetrics: $((SECONDS - t0)) s, $(du -sh "$work/data/data.om" | cut -f1) of OpenMetrics"
rm -f "$work/data/data.om"
python3 - "$work/tsdb" "$work/data/ours.txt" <<'PY'
import glob, json, os, sys
tsdb, ours_file = sys.argv[1:3]
samples = series = chunks = chunk_bytes = index_bytes = 0
for meta in glob.glob(f"{tsdb}/*/meta.json"):
    d = os.path.dirname(meta)
    st = json.load(open(meta))["stats"]
    samples += st["numSamples"]; chunks += st["numChunks"]
    chunk_bytes += sum(os.path.getsize(f) for f in glob.glob(f"{d}/chunks/*"))
    index_bytes += os.path.getsize(f"{d}/index")
ours = dict(l.split() for l in open(ours_file))
framing = chunks * 7 + 8 * len(glob.glob(f"{tsdb}/*/chunks/*"))  # len varint(~2) + encoding + CRC32; segment headers
theirs_data = (chunk_bytes - framing) / samples
print(f"Prometheus blocks: {samples} samples, {chunks} chunks; chunk files {chunk_bytes / samples:.3f} B/sample, "
      f"chunk data (framing removed) {theirs_data:.3f}, with the index {(chunk_bytes + index_bytes) / samples:.3f}")
o, ov = float(ours["all_bytes_per_sample"]), float(ours["all_bytes_per_sample_overhead"])
print(f"ours on the same {int(float(ours['all_samples']))} samples: chunk data {o:.3f} B/sample, with overhead {ov:.3f}")
print(f"ours/theirs: chunk data {o / theirs_data:.3f}; ours with overhead / their chunk files + index "
      f"{ov / ((chunk_bytes + index_bytes) / samples):.3f}")
print(f"exporter series alone (no rule output, no up): {float(ours['exporter_bytes_per_sample']):.3f} B/sample, "
      f"{float(ours['exporter_bytes_per_sample_overhead']):.3f} with overhead (target <= 2.0)")
PY
fi

if [[ "$mode" != "--rss-only" ]]; then

echo
echo "== /api/v1/query_range over $hours h: Prometheus vs ours (evaluator_bench serve)"
prom_port="$(free_port)"
printf 'global:\n  scrape_interval: 1h\n' >"$work/prometheus.yml"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --storage.tsdb.retention.time=100y --web.listen-address="127.0.0.1:$prom_port" \
  --storage.tsdb.min-block-duration=2h --storage.tsdb.max-block-duration=2h \
  >"$work/prometheus.log" 2>&1 &  # 2 h blocks only: no compaction while it is timed
prom_pid=$!
pids+=("$prom_pid")
"$bench" serve "$work/data/cerniq-history.ckpt" >"$work/serve.out" 2>"$work/serve.err" &
serve_pid=$!
pids+=("$serve_pid")
wait_until 120 "Prometheus's /-/ready" curl -sf "http://127.0.0.1:$prom_port/-/ready"
wait_until 60 "evaluator_bench serve" grep -q '^port ' "$work/serve.out"
ours_port="$(awk '/^port /{print $2}' "$work/serve.out")"
q_end=$(( end_ms / 1000 / step * step ))
q_start=$(( q_end - hours * 3600 ))
python3 "$root/bench/evaluator/query_bench.py" "$root/dashboards/etapa5-nurturing.json" \
  "http://127.0.0.1:$prom_port" "http://127.0.0.1:$ours_port" "$q_start" "$q_end" "$step" "$runs" \
  cerniq 127.0.0.1:9755 || query_rc=$?
printf 'bench server: VmHWM %s\n' "$(awk '/VmHWM/{print $2, $3}' "/proc/$serve_pid/status")"
stop_pid "$prom_pid"; stop_pid "$serve_pid"
fi

echo
echo "== the exporter's peak RSS with $hours h retained (13 queues, PostgreSQL collectors, rules)"
if [[ "$mode" == "--query-only" ]]; then
  echo "skipped: --query-only"
elif "$exporter" --help 2>&1 | grep -q -- '--storage.retention'; then
  mkdir -p "$work/storage"
  cp "$work/data/exporter/cerniq-history.ckpt" "$work/storage/cerniq-history.ckpt"
  exporter_port="$(free_port)"
  start_exporter "$exporter_port" "$work/exporter-rss.log" --storage.path "$work/storage" \
    --storage.retention "$((hours + 1))h" --rules.file "$root/rules/etapa5-alerts.yaml" \
    --rules.file "$root/rules/etapa5-recording.yaml"
  sleep 30  # six BullMQ passes, the PostgreSQL collectors' first ones, two rule evaluations
  grep -E 'history restored|checkpoint' "$work/exporter-rss.log" | head -3 || true
  awk '/VmHWM|VmRSS/{printf "before the queries: %s %.1f MiB\n", $1, $2 / 1024}' "/proc/$exporter_pid/status"
  now=$(( $(date +%s) / step * step - step ))  # a closed past: both fetches see the same samples
  python3 "$root/bench/evaluator/query_bench.py" "$root/dashboards/etapa5-nurturing.json" \
    "http://127.0.0.1:$exporter_port" "http://127.0.0.1:$exporter_port" "$((now - hours * 3600))" "$now" \
    "$step" 1 '.*' '.*' >"$work/rss-queries.txt" || true
  awk '/^total of medians/ {print "the dashboard'"'"'s " n " queries over " h " h: " $8 " ms in total"}
       / answers identical/ {print "(each asked twice: " $0 ")"} {n = $1 + 1}' h="$hours" "$work/rss-queries.txt"
  grep -E '^cerniq_storage_(series|samples|bytes)' <(curl -s "http://127.0.0.1:$exporter_port/metrics") || true
  awk '/VmHWM|VmRSS/{printf "after: %s %.1f MiB\n", $1, $2 / 1024}' "/proc/$exporter_pid/status"
  echo "target: VmHWM <= 64 MiB"
  stop_pid "$exporter_pid"
else
  echo "skipped: $exporter does not accept --storage.retention yet (branch wip/storage)"
fi
exit "$query_rc"
