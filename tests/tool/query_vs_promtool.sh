#!/usr/bin/env bash
# ctest (label promtool): `cerniqtool query ...` against promtool 2.42's, on a real Prometheus
# started here on loopback with a few series backfilled (promtool tsdb create-blocks-from
# openmetrics). For every command line, stdout, stderr and exit status must be identical.
#   query_vs_promtool.sh CERNIQTOOL
set -uo pipefail
tool="$(realpath "$1")"
for t in prometheus promtool python3; do
  command -v "$t" >/dev/null || { echo "SKIPPED: $t not installed"; exit 77; }
done
# shellcheck source=../../scripts/services.sh
source "$(dirname "$0")/../../scripts/services.sh"
work="$(mktemp -d)"
prom_pid=""
cleanup() {
  [[ -n "$prom_pid" ]] && kill "$prom_pid" 2>/dev/null && wait "$prom_pid" 2>/dev/null
  rm -rf "$work" "$CERNIQ_SVC_DIR"
}
trap cleanup EXIT

# Ten minutes of samples from 2023-01-01T00:00:00Z (1672531200), one every 30 s.
t0=1672531200
python3 - "$t0" >"$work/data.om" <<'PY'
import sys
t0 = int(sys.argv[1])
print("# HELP bullmq_queue_waiting Jobs waiting.\n# TYPE bullmq_queue_waiting gauge")
for i in range(21):
    t = t0 + 30 * i
    print(f'bullmq_queue_waiting{{queue="email",prefix="bull"}} {i % 7} {t}')
    print(f'bullmq_queue_waiting{{queue="sms",prefix="bull"}} {0.1 * i} {t}')
    print(f'bullmq_queue_waiting{{queue="odd<&>\\"q\\"",prefix="ü"}} 1e-7 {t}')
print("# HELP jobs Jobs done.\n# TYPE jobs counter")
for i in range(21):
    t = t0 + 30 * i
    print(f'jobs_total{{queue="email"}} {10 * i} {t}')
    print(f'jobs_total{{queue="sms"}} {1e21 + i} {t}')
print("# EOF")
PY
promtool tsdb create-blocks-from openmetrics "$work/data.om" "$work/data" >/dev/null ||
  { echo "FAIL: backfill"; exit 1; }
: >"$work/prometheus.yml"
port="$(free_port)"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --storage.tsdb.retention.time=100y --web.listen-address="127.0.0.1:$port" \
  >"$work/prometheus.log" 2>&1 &
prom_pid=$!
url="http://127.0.0.1:$port"
for _ in $(seq 1 100); do
  curl -sf "$url/-/ready" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -sf "$url/-/ready" >/dev/null || { echo "FAIL: Prometheus not ready"; cat "$work/prometheus.log"; exit 1; }
closed="$(free_port)"  # nothing listens there

t=$((t0 + 300))
start=$((t0 + 60)) end=$((t0 + 540))
# One command line per entry, its arguments separated by "|".
cases=(
  "query|instant|$url|bullmq_queue_waiting|--time=$t"
  "query|-o|json|instant|$url|bullmq_queue_waiting|--time=$t"
  "query|instant|$url|sum by (queue) (rate(jobs_total[2m]))|--time=$t"
  "query|instant|-o|json|$url|jobs_total|--time=$t"
  "query|instant|$url|bullmq_queue_waiting[2m]|--time=$t"
  "query|instant|-ojson|$url|bullmq_queue_waiting[1m]|--time=$t"
  "query|instant|$url|scalar(sum(bullmq_queue_waiting))|--time=$t"
  "query|instant|$url|0/0|--time=$t"
  "query|instant|-o|json|$url|-1/0|--time=2023-01-01T00:05:00.5Z"
  "query|instant|$url|nothing_here|--time=$t"
  "query|instant|-o|json|$url|nothing_here|--time=$t"
  "query|instant|$url|\"a string\"|--time=$t"
  "query|instant|$url|sum(|--time=$t"
  "query|instant|$url|rate(jobs_total)|--time=$t"
  "query|instant|$url|up|--time=yesterday"
  "query|instant|http://127.0.0.1:$closed|up|--time=$t"
  "query|instant|$url/no/such/prefix|up|--time=$t"
  "query|range|$url|bullmq_queue_waiting{queue=\"email\"}|--start=$start|--end=$end|--step=1m"
  "query|range|-o|json|$url|jobs_total|--start=$start|--end=$end|--step=90s"
  "query|range|$url|bullmq_queue_waiting{queue=\"sms\"}|--start=$start|--end=$end"
  "query|range|$url|up|--start=$end|--end=$start"
  "query|range|$url|up|--start=$start|--end=$end|--step=1d"
  "query|range|$url|sum(|--start=$start|--end=$end"
  "query|range|$url|jobs_total|--start=$start|--end=$end|--step=2m|--header=X-Scope-OrgID=a"
  "query|series|$url|--match=bullmq_queue_waiting"
  "query|series|-o|json|$url|--match=bullmq_queue_waiting|--match=jobs_total"
  "query|series|$url|--match=jobs_total|--start=$t0|--end=$end"
  "query|series|$url|--match=nothing"
  "query|series|-o|json|$url|--match=nothing"
  "query|series|$url|--match=sum("
  "query|series|$url"
  "query|labels|$url|queue"
  "query|labels|-o|json|$url|prefix"
  "query|labels|$url|__name__|--match=jobs_total"
  "query|labels|$url|queue|--start=x"
  "query|labels|$url|nothing"
  "query|labels|-o|json|$url|nothing"
  "query|labels|http://127.0.0.1:$closed|queue|--start=1|--end=2"
  "query|instant|$url"
  "query|instant|127.0.0.1:$port|up"
  "query|-o|yaml|instant|$url|up"
  "query|foo"
  "query"
)
failures=0
for c in "${cases[@]}"; do
  IFS="|" read -ra args <<<"$c"
  want_out="$(timeout 60 promtool "${args[@]}" 2>"$work/want_err")"; want_rc=$?
  got_out="$(timeout 60 "$tool" "${args[@]}" 2>"$work/got_err")"; got_rc=$?
  if [[ "$want_out" != "$got_out" || "$want_rc" != "$got_rc" ]] ||
     ! cmp -s "$work/want_err" "$work/got_err"; then
    ((failures++))
    echo "FAIL: $c"
    diff <(echo "$want_out"; cat "$work/want_err"; echo "rc=$want_rc") \
         <(echo "$got_out"; cat "$work/got_err"; echo "rc=$got_rc") | head -20
  fi
done
echo "${#cases[@]} query command lines, $failures different from promtool"
[[ -n "${VERBOSE:-}" ]] && for c in "${cases[@]:0:3}"; do IFS="|" read -ra args <<<"$c"; "$tool" "${args[@]}"; done
((failures == 0))
