#!/usr/bin/env bash
# The built-in demo on a fresh Debian 12 machine: installs, builds, starts a local redis-server
# filled with real BullMQ state (13 Etapa 5 queues, jobs in every state, live workers) and, when
# the PostgreSQL fixtures are present, a local PostgreSQL with demo data; runs the exporter and
# prints the runbook §1.2 queue view from the exporter's own endpoint. Ctrl-C stops everything.
#
#   exporter/demo.sh            # exporter on 127.0.0.1:9755 (DEMO_PORT to change)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
port="${DEMO_PORT:-9755}"

scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target cerniq_exporter

# shellcheck source=../scripts/services.sh
source scripts/services.sh
redis_port="$(free_port)"
pg_port="$(free_port)"
exporter_pid=""
scenario_pid=""
cleanup() {
  trap - INT TERM EXIT
  set +e       # clean up everything even if one step fails
  trap '' PIPE  # Ctrl-C reaches the whole process group: the scenario may already be gone
  [[ -n "$exporter_pid" ]] && kill "$exporter_pid" 2>/dev/null && wait "$exporter_pid" 2>/dev/null
  if [[ -n "$scenario_pid" ]]; then
    exec 3>&-  # end of input: the scenario closes its workers and exits
    for _ in $(seq 1 50); do kill -0 "$scenario_pid" 2>/dev/null || break; sleep 0.1; done
    kill "$scenario_pid" 2>/dev/null || true
  fi
  stop_redis "$redis_port"
  stop_postgres "$pg_port"
  cleanup_services_dir
  echo "demo stopped and cleaned up"
}
trap cleanup INT TERM EXIT

echo "== starting redis-server on 127.0.0.1:$redis_port"
start_redis "$redis_port"

echo "== filling the 13 Etapa 5 queues with real BullMQ 6 jobs and workers"
queues="lifecycle,churn,sentiment,geospatial,graph,referral,winback,association,feedback,content,alerts,compliance,hitl"
mkfifo "$CERNIQ_SVC_DIR/scenario.in"
node tests/bullmq/scenario.cjs "$root/tests/bullmq/v6" "redis://127.0.0.1:$redis_port/0" bull "$queues" \
  <"$CERNIQ_SVC_DIR/scenario.in" >"$CERNIQ_SVC_DIR/scenario.out" &
scenario_pid=$!
exec 3>"$CERNIQ_SVC_DIR/scenario.in"  # keeps the workers alive while the demo runs
for _ in $(seq 1 900); do
  grep -q '^READY' "$CERNIQ_SVC_DIR/scenario.out" && break
  kill -0 "$scenario_pid" 2>/dev/null || { echo "BullMQ scenario failed" >&2; exit 1; }
  sleep 0.1
done
grep -q '^READY' "$CERNIQ_SVC_DIR/scenario.out" || { echo "BullMQ scenario timed out" >&2; exit 1; }
redis-cli -p "$redis_port" SET anthropic:rate_limit:remaining 842 >/dev/null

# The runbook's rules evaluated locally (pending/firing alerts on the demo state, /api/v1/alerts,
# POST /-/reload after editing rules/).
exporter_args=(--web.listen-address "127.0.0.1:$port" --redis.url "redis://127.0.0.1:$redis_port/0"
  --rules.file "rules/*.yaml" --rules.evaluation-interval 5s --web.enable-lifecycle)
if [[ -x tests/fixtures/load-demo.sh ]]; then
  echo "== starting PostgreSQL on 127.0.0.1:$pg_port with the reference schema and demo data"
  start_postgres "$pg_port"
  tests/fixtures/load-demo.sh 127.0.0.1 "$pg_port" cerniq 5000 >/dev/null
  exporter_args+=(--postgres.dsn "host=127.0.0.1 port=$pg_port user=postgres dbname=cerniq")
fi

echo "== starting cerniq_exporter on http://127.0.0.1:$port"
build/bin/cerniq_exporter "${exporter_args[@]}" &
exporter_pid=$!
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null && break
  kill -0 "$exporter_pid" 2>/dev/null || { echo "exporter exited" >&2; exit 1; }
  sleep 0.1
done

echo
echo "== runbook §1.2 queue health, from http://127.0.0.1:$port/api/admin/queues/etapa5"
curl -s "http://127.0.0.1:$port/api/admin/queues/etapa5" | jq -r '
  def rule(t): "waiting < \(t.waiting_below), " +
    (if t.failed_below == 1 then "failed = 0" else "failed < \(t.failed_below)" end);
  (["QUEUE", "WAITING", "ACTIVE", "FAILED", "WORKERS", "PAUSED", "EXPECTED", "STATUS"] | @tsv),
  (.queues[] | [.name, .waiting, .active, .failed, .workers, .paused, rule(.thresholds),
                (if .healthy then "OK" else "ATTENTION" end)] | @tsv)' | column -t -s $'\t'
echo
echo "== a few more series from /metrics"
curl -s "http://127.0.0.1:$port/metrics" | grep -E '^(llm_rate_limit_remaining|cerniq_up|nurturing_clients|hitl_tasks_overdue|nurturing_client_churn_score_bucket\{le="80"\}|bullmq_workers_active\{prefix="bull",queue="(churn|alerts)"\})' || true
echo
echo "== the runbook's alerts evaluated by the exporter, from http://127.0.0.1:$port/api/v1/alerts"
for _ in $(seq 1 60); do  # every group evaluates within one interval (5s)
  [[ "$(curl -s "http://127.0.0.1:$port/api/v1/rules" | jq 'all(.data.groups[];
      .lastEvaluation != "0001-01-01T00:00:00Z")')" == true ]] && break
  sleep 0.5
done
sleep 5  # one more evaluation, on collected samples
curl -s "http://127.0.0.1:$port/api/v1/alerts" | jq -r '
  (["ALERT", "STATE", "SINCE", "LABELS"] | @tsv),
  (.data.alerts[] | [.labels.alertname, .state, .activeAt,
    ([.labels | to_entries[] | select(.key != "alertname") | "\(.key)=\(.value)"] | join(","))]
   | @tsv)' | column -t -s $'\t'
echo "(pending alerts fire once their 'for' has passed; PromQL at /api/v1/query)"
echo
echo "Exporter running at http://127.0.0.1:$port/ (metrics, health, queues, /api/v1). Ctrl-C to stop."
wait "$exporter_pid"
