#!/usr/bin/env bash
# BullMQ collection benchmark (loopback only). Prints, for 13 and 1,000 queues (some holding
# 100k jobs): the exporter's pass time and round trips against the bare-hiredis pipelined floor,
# Debian's prometheus-redis-exporter per-scrape latency on the same keys (--check-single-keys and
# --check-keys), and /metrics latency under 200 concurrent connections (wrk).
# usage: bench/redis/run.sh   (after a build; CERNIQ_BUILD_DIR to point elsewhere)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${CERNIQ_BUILD_DIR:-$root/build}"
cd "$root"
cmake --build "$build" -j2 --target bullmq_pass_bench cerniq_exporter >/dev/null
# shellcheck source=../../scripts/services.sh
source scripts/services.sh
port="$(free_port)"
pids=()
cleanup() { set +e; for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; stop_redis "$port"; cleanup_services_dir; }
trap cleanup EXIT
start_redis "$port"
python3 bench/redis/populate.py bull 1000 | redis-cli -p "$port" --pipe >/dev/null
echo "redis: $(redis-cli -p "$port" dbsize) keys, $(redis-cli -p "$port" info memory | grep used_memory_human | tr -d '\r')"

median_ms() {  # median_ms URL N: median wall time of N GETs, in ms
  for _ in $(seq 1 "$2"); do curl -s -m 120 -o /dev/null -w '%{time_total}\n' "$1"; done |
    sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]*1000}'
}

wait_http() { for _ in $(seq 1 300); do curl -sf -m 60 -o /dev/null "$1" && return 0; sleep 0.1; done; return 1; }

for n in 13 1000; do
  echo
  echo "== $n queues"
  line="$("$build/bin/bullmq_pass_bench" "$port" bull "$n" 50)"
  echo "cerniq pass:     $line"
  echo "                 (same_reads_floor: bare hiredis doing all 13 reads a pass makes per queue)"
  pass_ms="$(sed -E 's/.*pass_median_ms=([0-9.]+).*/\1/' <<<"$line")"
  # One flag holds at most 128 KiB (MAX_ARG_STRLEN): with 1,000 queues only the runbook's
  # §1.2 keys (wait, active, failed) fit, so redis_exporter then reads fewer keys than we do.
  suffixes="wait paused active delayed prioritized waiting-children failed completed"
  ((n > 100)) && suffixes="wait active failed"
  keys=""
  for ((i = 0; i < n; i++)); do
    for s in $suffixes; do keys+="${keys:+,}db0=bull:q$i:$s"; done
  done
  for mode in single pattern; do
    rport="$(free_port)"
    if [[ $mode == single ]]; then
      args=(--check-single-keys "$keys")
    else
      args=(--check-keys "db0=bull:q*:wait,db0=bull:q*:paused,db0=bull:q*:active,db0=bull:q*:delayed,db0=bull:q*:prioritized,db0=bull:q*:waiting-children,db0=bull:q*:failed,db0=bull:q*:completed")
    fi
    prometheus-redis-exporter --redis.addr "redis://127.0.0.1:$port" --web.listen-address "127.0.0.1:$rport" \
      "${args[@]}" >/dev/null 2>&1 &
    pids+=($!)
    if ! wait_http "http://127.0.0.1:$rport/metrics"; then
      echo "redis_exporter ($mode keys) did not answer; skipped"
      continue
    fi
    r_ms="$(median_ms "http://127.0.0.1:$rport/metrics" 7)"
    kill "${pids[-1]}"
    awk -v r="$r_ms" -v c="$pass_ms" -v m="$mode" \
      'BEGIN {printf "redis_exporter --check-%s-keys: scrape_median_ms=%s  (%.1fx the cerniq pass)\n", (m=="single"?"single":""), r, r/c}' |
      sed 's/--check--keys/--check-keys/'
  done
done

echo
echo "== /metrics under load: wrk, 200 connections, 10 s (13 queues)"
eport="$(free_port)"
"$build/bin/cerniq_exporter" --web.listen-address "127.0.0.1:$eport" --redis.url "redis://127.0.0.1:$port/0" \
  --log.level error &
pids+=($!)
wait_http "http://127.0.0.1:$eport/-/ready"
wrk -t2 -c200 -d10s --timeout 5s --latency "http://127.0.0.1:$eport/metrics" | grep -E "Latency|50%|90%|99%|Requests/sec|errors"
