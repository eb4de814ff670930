#!/usr/bin/env bash
# End-to-end: the runbook as code against real servers, all on loopback ports.
#   redis-server with real BullMQ state (tests/bullmq/scenario.cjs for 12 queues, and
#     sentiment_workers.cjs for the sentiment queue, whose workers the test stops),
#   PostgreSQL with the demo data, cerniq_exporter, a real Prometheus (scrape and evaluation
#   every 1s, rules/ loaded through a generated copy with shortened `for`), a real Alertmanager.
# The test drives the demo state, then asserts through Prometheus's and Alertmanager's HTTP APIs
# (tests/e2e/e2e_checks.py). Every wait is bounded; everything started is stopped on exit.
#
#   tests/e2e/run.sh [CERNIQ_EXPORTER_BIN]     exit 0 pass, 1 fail, 77 skip (missing tools)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
exporter_bin="${1:-$root/build/bin/cerniq_exporter}"
started=$SECONDS
skip() { echo "SKIP: $*"; exit 77; }
for tool in prometheus prometheus-alertmanager promtool redis-server redis-cli node psql python3 curl; do
  command -v "$tool" >/dev/null || skip "$tool is not installed (scripts/install-deps.sh installs it)"
done
[[ -d "$root/tests/bullmq/v6/node_modules/bullmq" ]] || skip "npm bullmq is not installed in tests/bullmq/v6"
[[ -x "$exporter_bin" ]] || { echo "no exporter binary at $exporter_bin" >&2; exit 1; }

export CERNIQ_SVC_DIR; CERNIQ_SVC_DIR="$(mktemp -d /tmp/cerniq-e2e.XXXXXX)"
# shellcheck source=scripts/services.sh
source "$root/scripts/services.sh"
[[ -x "$PG_BIN/initdb" ]] || skip "PostgreSQL server binaries not found"
work="$CERNIQ_SVC_DIR"
redis_port="$(free_port)" pg_port="$(free_port)" exporter_port="$(free_port)"
prom_port="$(free_port)" am_port="$(free_port)" dead_port="$(free_port)"  # nothing listens on dead_port
prom="http://127.0.0.1:$prom_port" am="http://127.0.0.1:$am_port" exporter="http://127.0.0.1:$exporter_port"
pids=()
scenario_pid="" workers_pid=""

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  trap '' PIPE
  exec 3>&- 4>&- 2>/dev/null
  stop_pid "${pids[@]}" $scenario_pid $workers_pid
  stop_redis "$redis_port"
  stop_postgres "$pg_port"
  if (( rc != 0 )) && [[ -z "${E2E_KEEP_LOGS:-}" ]]; then
    for log in exporter.log prometheus.log alertmanager.log scenario.err workers.err; do
      [[ -s "$work/$log" ]] && { echo "--- last lines of $log"; tail -n 15 "$work/$log"; }
    done
  fi
  if [[ -n "${E2E_KEEP_LOGS:-}" ]]; then echo "logs kept in $work"; else cleanup_services_dir; fi
  echo "e2e: exit $rc after $((SECONDS - started))s"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

line_in() { grep -q "^$2" "$1"; }
psql_cerniq() { timeout 60 psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres -d cerniq "$@"; }

echo "== redis-server :$redis_port with BullMQ state"
start_redis "$redis_port"
timeout 10 redis-cli -p "$redis_port" SET anthropic:rate_limit:remaining 842 >/dev/null
bullmq="$root/tests/bullmq/v6"
mkfifo "$work/scenario.in" "$work/workers.in"
node "$root/tests/bullmq/scenario.cjs" "$bullmq" "redis://127.0.0.1:$redis_port/0" bull \
  lifecycle,churn,geospatial,graph,referral,winback,association,feedback,content,alerts,compliance,hitl \
  <"$work/scenario.in" >"$work/scenario.out" 2>"$work/scenario.err" &
scenario_pid=$!
exec 3>"$work/scenario.in"
node "$here/sentiment_workers.cjs" "$bullmq" "redis://127.0.0.1:$redis_port/0" bull sentiment 2 \
  <"$work/workers.in" >"$work/workers.out" 2>"$work/workers.err" &
workers_pid=$!
exec 4>"$work/workers.in"

echo "== PostgreSQL :$pg_port with the demo data"
start_postgres "$pg_port"
timeout 120 "$root/tests/fixtures/load-demo.sh" 127.0.0.1 "$pg_port" cerniq 2000 >/dev/null
# Baseline: no client above 80 yet (the drive raises 20).
psql_cerniq -c "UPDATE gold_nurturing_state SET churn_score = least(churn_score, 50)"

wait_until 90 "the BullMQ scenario" line_in "$work/scenario.out" READY
wait_until 30 "the sentiment workers" line_in "$work/workers.out" READY

echo "== cerniq_exporter :$exporter_port"
cat >"$work/exporter.yml" <<YAML
bullmq: {interval: 1s, timeout: 1s}
probes:
  interval: 1s
  timeout: 1s
  services:
    - {service: api, url: "$exporter/health", expect: {status: healthy}}
    - {service: llm, url: "http://127.0.0.1:$dead_port/health/llm", expect: {available: true}}
postgres:
  collectors:
$(for c in churn clients hitl graph cron worker_errors referrals nps spatial partitions; do
    echo "    $c: {interval: 1s}"; done)
YAML
"$exporter_bin" --config.file "$work/exporter.yml" --web.listen-address "127.0.0.1:$exporter_port" \
  --redis.url "redis://127.0.0.1:$redis_port/0" \
  --postgres.dsn "host=127.0.0.1 port=$pg_port user=postgres dbname=cerniq" >"$work/exporter.log" 2>&1 &
exporter_pid=$!
pids+=("$exporter_pid")
wait_until 30 "the exporter's /-/ready" curl -sf -m 2 "$exporter/-/ready"

echo "== Alertmanager :$am_port"
cat >"$work/alertmanager.yml" <<'YAML'
route: {receiver: blackhole, group_by: [alertname], group_wait: 1s, group_interval: 1s, repeat_interval: 1h}
receivers: [{name: blackhole}]
YAML
prometheus-alertmanager --config.file="$work/alertmanager.yml" --storage.path="$work/am-data" \
  --web.listen-address="127.0.0.1:$am_port" --cluster.listen-address= >"$work/alertmanager.log" 2>&1 &
pids+=($!)
wait_until 30 "Alertmanager's /-/ready" curl -sf -m 2 "$am/-/ready"

echo "== Prometheus :$prom_port with a copy of rules/ (for shortened 360x)"
python3 "$here/shorten_for.py" 360 "$work/rules" "$root"/rules/*.yaml | sed 's/^/   /' | sort -u -k3 | head -20
cat >"$work/prometheus.yml" <<YAML
global: {scrape_interval: 1s, evaluation_interval: 1s, scrape_timeout: 1s}
rule_files: ["$work/rules/*.yaml"]
alerting:
  alertmanagers: [{static_configs: [{targets: ["127.0.0.1:$am_port"]}]}]
scrape_configs:
  - job_name: cerniq-exporter
    static_configs: [{targets: ["127.0.0.1:$exporter_port"]}]
YAML
timeout 30 promtool check config "$work/prometheus.yml" >/dev/null
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prom-data" \
  --web.listen-address="127.0.0.1:$prom_port" --web.console.templates="$work" \
  --web.console.libraries="$work" >"$work/prometheus.log" 2>&1 &
pids+=($!)
wait_until 30 "Prometheus's /-/ready" curl -sf -m 2 "$prom/-/ready"

checks=(timeout 150 python3 "$here/e2e_checks.py" --prom "$prom" --am "$am" --exporter "$exporter"
        --dashboard "$root/dashboards/etapa5-nurturing.json")
echo "== baseline ($((SECONDS - started))s)"
"${checks[@]}" baseline

echo "== drive: churn backlog, sentiment workers stopped, churn scores, SLA breaches, graph build, LLM limit"
echo "ADD churn 60" >&3
wait_until 30 "60 more churn jobs" line_in "$work/scenario.out" ADDED
echo STOP >&4
wait_until 30 "the sentiment workers to stop" line_in "$work/workers.out" STOPPED
psql_cerniq <<'SQL'
UPDATE gold_nurturing_state SET churn_score = 95
WHERE client_id IN (SELECT client_id FROM gold_nurturing_state ORDER BY client_id LIMIT 20);
INSERT INTO approval_tasks (id, pipeline_stage, approval_type, status, created_at, due_at, decided_at)
SELECT 5000000 + i, 'E5', 'escalation', 'approved', now() - interval '3 hours',
       now() - interval '2 hours', now() - interval '1 hour'
FROM generate_series(1, 1000) AS i;
INSERT INTO graph_build_runs (scope, status, started_at, finished_at)
VALUES ('FULL', 'FAILED', now() - interval '2 minutes', now());
SQL
timeout 10 redis-cli -p "$redis_port" SET anthropic:rate_limit:remaining 42 >/dev/null

echo "== alerts in Prometheus ($((SECONDS - started))s)"
"${checks[@]}" driven
echo "== dashboard queries ($((SECONDS - started))s)"
"${checks[@]}" dashboard
echo "== Alertmanager ($((SECONDS - started))s)"
"${checks[@]}" alertmanager
echo "== exporter stopped ($((SECONDS - started))s)"
kill "$exporter_pid"
"${checks[@]}" exporter-down
echo "PASS: end to end in $((SECONDS - started))s"
