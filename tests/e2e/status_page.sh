#!/usr/bin/env bash
# The status page (`/`) in a real browser: a loopback redis-server with the 13 Etapa 5 queues in
# real BullMQ state (tests/bullmq/scenario.cjs), the exporter evaluating rules/ (a copy with
# `for` shortened 360x so alerts fire within seconds) plus an alert whose label and annotation
# are hostile HTML, and Debian's chromium loading the page headless. status_page_check.py
# compares what the browser shows with the exporter's /api/admin/queues/etapa5 and
# /api/v1/alerts and writes a screenshot. Every wait is bounded; everything started is stopped.
#
#   tests/e2e/status_page.sh EXPORTER_BIN SCREENSHOT_PNG    exit 0 pass, 1 fail, 77 skip
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
exporter_bin="${1:-$root/build/bin/cerniq_exporter}"
screenshot="${2:-$root/build/artifacts/status_page.png}"
started=$SECONDS
skip() { echo "SKIP: $*"; exit 77; }
for tool in chromium redis-server redis-cli node python3 curl; do
  command -v "$tool" >/dev/null || skip "$tool is not installed (scripts/install-deps.sh installs it)"
done
[[ -d "$root/tests/bullmq/v6/node_modules/bullmq" ]] || skip "npm bullmq is not installed in tests/bullmq/v6"
[[ -x "$exporter_bin" ]] || { echo "no exporter binary at $exporter_bin" >&2; exit 1; }

export CERNIQ_SVC_DIR; CERNIQ_SVC_DIR="$(mktemp -d /tmp/cerniq-status.XXXXXX)"
# shellcheck source=scripts/services.sh
source "$root/scripts/services.sh"
work="$CERNIQ_SVC_DIR"
redis_port="$(free_port)" exporter_port="$(free_port)"
exporter="http://127.0.0.1:$exporter_port"
exporter_pid="" scenario_pid=""

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  trap '' PIPE
  exec 3>&- 2>/dev/null  # end of input: the scenario closes its workers and exits
  stop_pid $exporter_pid $scenario_pid
  stop_redis "$redis_port"
  if (( rc != 0 )); then
    for log in exporter.log scenario.err; do
      [[ -s "$work/$log" ]] && { echo "--- last lines of $log"; tail -n 15 "$work/$log"; }
    done
  fi
  cleanup_services_dir
  echo "status page e2e: exit $rc after $((SECONDS - started))s"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== redis-server :$redis_port with the 13 Etapa 5 queues in BullMQ state"
start_redis "$redis_port"
mkfifo "$work/scenario.in"
node "$root/tests/bullmq/scenario.cjs" "$root/tests/bullmq/v6" "redis://127.0.0.1:$redis_port/0" bull \
  lifecycle,churn,sentiment,geospatial,graph,referral,winback,association,feedback,content,alerts,compliance,hitl \
  <"$work/scenario.in" >"$work/scenario.out" 2>"$work/scenario.err" &
scenario_pid=$!
exec 3>"$work/scenario.in"
wait_until 90 "the BullMQ scenario" grep -q '^READY' "$work/scenario.out"

echo "== rules: rules/ with for shortened 360x, and an alert with hostile values"
python3 "$here/shorten_for.py" 360 "$work/rules" "$root"/rules/*.yaml >/dev/null
cat >"$work/rules/hostile.yaml" <<'YAML'
groups:
  - name: hostile-values
    rules:
      - alert: HostileValues
        expr: bullmq_queue_waiting{queue="churn"} >= 0
        for: 1h
        labels:
          note: "<script>alert('label')</script>\"&"
        annotations:
          summary: "<img src=x onerror=alert(1)> \"quoted\" & 'single' {{ $labels.queue }}"
YAML

echo "== cerniq_exporter :$exporter_port, rules evaluated every 1s"
echo "bullmq: {interval: 1s, timeout: 1s}" >"$work/exporter.yml"
"$exporter_bin" --config.file "$work/exporter.yml" --web.listen-address "127.0.0.1:$exporter_port" \
  --redis.url "redis://127.0.0.1:$redis_port/0" --rules.file "$work/rules/*.yaml" \
  --rules.evaluation-interval 1s >"$work/exporter.log" 2>&1 &
exporter_pid=$!
wait_until 30 "the exporter's /-/ready" curl -sf -m 2 "$exporter/-/ready"
firing_and_pending() {
  curl -sf -m 2 "$exporter/api/v1/alerts" | python3 -c '
import json, sys
states = {a["state"] for a in json.load(sys.stdin)["data"]["alerts"]}
sys.exit(0 if {"firing", "pending"} <= states else 1)'
}
wait_until 60 "firing and pending alerts in /api/v1/alerts" firing_and_pending

echo "== chromium --headless on $exporter/ ($((SECONDS - started))s)"
timeout 600 python3 "$here/status_page_check.py" "$exporter" "$screenshot"
echo "PASS: status page in a browser in $((SECONDS - started))s"
