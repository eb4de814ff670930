#!/usr/bin/env bash
# BullMQ collection benchmark (loopback only). Sections (all by default):
#   tcp:     for 13 and 1,000 queues (some holding 100k jobs): the exporter's pass time and round
#            trips against the bare-hiredis pipelined floor, Debian's prometheus-redis-exporter
#            per-scrape latency on the same keys (--check-single-keys and --check-keys), and
#            /metrics latency under 200 concurrent connections (wrk).
#   tls:     the same pass against a TLS-only redis-server (throw-away CA made by openssl), against
#            a bare TLS client (blocking socket + OpenSSL + hiredis' reader, pipelined, same reads).
#   cluster: a 3-master Redis Cluster, 1,000 queues named {q<i>} (one hash tag per queue, so the
#            queues spread over the masters): the pass against redis_exporter --is-cluster
#            --check-keys on the same keys.
# usage: bench/redis/run.sh [tcp] [tls] [cluster]   (after a build; CERNIQ_BUILD_DIR elsewhere)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${CERNIQ_BUILD_DIR:-$root/build}"
sections="${*:-tcp tls cluster}"
cd "$root"
cmake --build "$build" -j2 --target bullmq_pass_bench cerniq_exporter >/dev/null
# shellcheck source=../../scripts/services.sh
source scripts/services.sh
pids=()
ports=()
# Stops every redis-server started so far (each section calls it at its end; the trap too).
stop_servers() {
  for p in "${ports[@]}"; do stop_redis "$p"; done
  ports=()
}
cleanup() {
  set +e
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  stop_servers
  cleanup_services_dir
}
trap cleanup EXIT
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

median_ms() {  # median_ms URL N: median wall time of N GETs, in ms
  for _ in $(seq 1 "$2"); do curl -s -m 120 -o /dev/null -w '%{time_total}\n' "$1"; done |
    sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]*1000}'
}

wait_http() { for _ in $(seq 1 300); do curl -sf -m 60 -o /dev/null "$1" && return 0; sleep 0.1; done; return 1; }

# redis_exporter_vs PASS_MS LABEL ARGS...: starts redis_exporter with ARGS, prints its median
# scrape latency over 7 scrapes, its number of key series and the ratio to the cerniq pass.
redis_exporter_vs() {
  local pass_ms="$1" label="$2" rport
  shift 2
  rport="$(free_port)"
  prometheus-redis-exporter --web.listen-address "127.0.0.1:$rport" "$@" >/dev/null 2>&1 &
  pids+=($!)
  if ! wait_http "http://127.0.0.1:$rport/metrics"; then
    echo "redis_exporter ($label) did not answer; skipped"
    return 0
  fi
  local r_ms series
  r_ms="$(median_ms "http://127.0.0.1:$rport/metrics" 7)"
  series="$(curl -s -m 120 "http://127.0.0.1:$rport/metrics" | grep -c '^redis_key_size{' || true)"
  stop_pid "${pids[-1]}" || true  # its kill -9 of a gone process fails under set -e
  awk -v r="$r_ms" -v c="$pass_ms" -v l="$label" -v s="$series" \
    'BEGIN {printf "redis_exporter %s: scrape_median_ms=%s key_series=%s  (%.1fx the cerniq pass)\n", l, r, s, r/c}'
}

pass_ms_of() { sed -E 's/.*pass_median_ms=([0-9.]+).*/\1/' <<<"$1"; }

bench_tcp() {
  local port n line pass_ms suffixes keys
  port="$(free_port)"
  ports+=("$port")
  start_redis "$port"
  python3 bench/redis/populate.py bull 1000 | redis-cli -p "$port" --pipe >/dev/null
  echo "redis: $(redis-cli -p "$port" dbsize) keys, $(redis-cli -p "$port" info memory | grep used_memory_human | tr -d '\r')"
  for n in 13 1000; do
    echo
    echo "== tcp: $n queues"
    line="$("$build/bin/bullmq_pass_bench" "$port" bull "$n" 50)"
    echo "cerniq pass:     $line"
    echo "                 (same_reads_floor: bare hiredis doing all 13 reads a pass makes per queue)"
    pass_ms="$(pass_ms_of "$line")"
    # One flag holds at most 128 KiB (MAX_ARG_STRLEN): with 1,000 queues only the runbook's
    # §1.2 keys (wait, active, failed) fit, so redis_exporter then reads fewer keys than we do.
    suffixes="wait paused active delayed prioritized waiting-children failed completed"
    ((n > 100)) && suffixes="wait active failed"
    keys=""
    for ((i = 0; i < n; i++)); do
      for s in $suffixes; do keys+="${keys:+,}db0=bull:q$i:$s"; done
    done
    redis_exporter_vs "$pass_ms" --check-single-keys --redis.addr "redis://127.0.0.1:$port" \
      --check-single-keys "$keys"
    redis_exporter_vs "$pass_ms" --check-keys --redis.addr "redis://127.0.0.1:$port" \
      --check-keys "db0=bull:q*:wait,db0=bull:q*:paused,db0=bull:q*:active,db0=bull:q*:delayed,db0=bull:q*:prioritized,db0=bull:q*:waiting-children,db0=bull:q*:failed,db0=bull:q*:completed"
  done

  echo
  echo "== tcp: /metrics under load: wrk, 200 connections, 10 s (13 queues)"
  local eport
  eport="$(free_port)"
  "$build/bin/cerniq_exporter" --web.listen-address "127.0.0.1:$eport" --redis.url "redis://127.0.0.1:$port/0" \
    --log.level error &
  pids+=($!)
  wait_http "http://127.0.0.1:$eport/-/ready"
  wrk -t2 -c200 -d10s --timeout 5s --latency "http://127.0.0.1:$eport/metrics" | grep -E "Latency|50%|90%|99%|Requests/sec|errors"
  stop_pid "${pids[-1]}" || true  # its kill -9 of a gone process fails under set -e
  stop_servers
}

# make_ca DIR: a throw-away CA and a server certificate for 127.0.0.1/localhost (P-256).
make_ca() {
  local d="$1"
  mkdir -p "$d"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$d/ca.key" \
    -out "$d/ca.crt" -days 2 -subj /CN=cerniq-bench-ca 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$d/server.key" \
    -out "$d/server.csr" -subj /CN=localhost 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$d/server.ext"
  openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
    -days 2 -extfile "$d/server.ext" -out "$d/server.crt" 2>/dev/null
}

bench_tls() {
  local port pki="$CERNIQ_SVC_DIR/pki" dir n line
  make_ca "$pki"
  port="$(free_port)"
  ports+=("$port")
  dir="$CERNIQ_SVC_DIR/redis-$port"
  mkdir -p "$dir"
  # TLS only (port 0), no client certificates: the cost measured is the session's, not auth's.
  redis-server --port 0 --tls-port "$port" --tls-cert-file "$pki/server.crt" \
    --tls-key-file "$pki/server.key" --tls-ca-cert-file "$pki/ca.crt" --tls-auth-clients no \
    --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --dir "$dir" \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
  local cli=(redis-cli --tls --cacert "$pki/ca.crt" -p "$port")
  wait_until 10 "the TLS redis-server" "${cli[@]}" ping
  python3 bench/redis/populate.py bull 1000 | "${cli[@]}" --pipe >/dev/null
  echo "redis (TLS only): $("${cli[@]}" dbsize) keys"
  for n in 13 1000; do
    echo
    echo "== tls: $n queues"
    line="$("$build/bin/bullmq_pass_bench" --tls "$pki/ca.crt" "$port" bull "$n" 50)"
    echo "cerniq pass:     $line"
    echo "                 (floor: blocking socket + OpenSSL + hiredis' reader, pipelined, same reads)"
  done
  stop_servers
}

# start_cluster: three masters (no replicas) on loopback; sets cluster_ports.
start_cluster() {
  local create=() port dir
  cluster_ports=()
  for _ in 1 2 3; do
    port="$(free_port)"
    ports+=("$port")
    cluster_ports+=("$port")
    dir="$CERNIQ_SVC_DIR/redis-$port"
    mkdir -p "$dir"
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
      --cluster-enabled yes --cluster-config-file "$dir/nodes.conf" --cluster-node-timeout 5000 \
      --cluster-port "$(free_port)" --dir "$dir" --pidfile "$dir/redis.pid" \
      --logfile "$dir/redis.log" >/dev/null
    wait_until 10 "cluster node $port" redis-cli -p "$port" ping
    create+=("127.0.0.1:$port")
  done
  timeout 60 redis-cli --cluster create "${create[@]}" --cluster-replicas 0 --cluster-yes >/dev/null
  for port in "${cluster_ports[@]}"; do
    wait_until 30 "cluster_state:ok on $port" \
      sh -c "redis-cli -p $port cluster info | grep -q cluster_state:ok"
  done
}

bench_cluster() {
  local line pass_ms seed patterns="" s
  start_cluster
  seed="${cluster_ports[0]}"
  python3 bench/redis/populate.py --cluster "$seed" bull 1000
  echo
  echo "== cluster: 1000 queues {q<i>} over 3 masters"
  line="$("$build/bin/bullmq_pass_bench" --cluster "$seed" bull 1000 50)"
  echo "cerniq pass:     $line"
  pass_ms="$(pass_ms_of "$line")"
  for s in wait paused active delayed prioritized waiting-children failed completed; do
    patterns+="${patterns:+,}db0=bull:{q*}:$s"
  done
  local matching=0 port
  for port in "${cluster_ports[@]}"; do
    for s in wait paused active delayed prioritized waiting-children failed completed; do
      matching=$((matching + $(redis-cli -p "$port" --scan --pattern "bull:{q*}:$s" | wc -l)))
    done
  done
  echo "keys matching the patterns on the three masters: $matching"
  # redis_exporter 1.45 SCANs the patterns on the node it connects to only (its key_series show
  # how many keys it read); --check-single-keys goes through its cluster client, key by key, but
  # with 1,000 queues only wait, active and failed fit in one flag (MAX_ARG_STRLEN, as for tcp).
  redis_exporter_vs "$pass_ms" "--is-cluster --check-keys" --redis.addr "redis://127.0.0.1:$seed" \
    --is-cluster --check-keys "$patterns"
  local keys=""
  for ((i = 0; i < 1000; i++)); do
    for s in wait active failed; do keys+="${keys:+,}db0=bull:{q$i}:$s"; done
  done
  redis_exporter_vs "$pass_ms" "--is-cluster --check-single-keys" \
    --redis.addr "redis://127.0.0.1:$seed" --is-cluster --check-single-keys "$keys"
  stop_servers
}

for section in $sections; do
  case "$section" in
    tcp) bench_tcp ;;
    tls) bench_tls ;;
    cluster) bench_cluster ;;
    *) echo "unknown section $section (tcp, tls, cluster)" >&2; exit 2 ;;
  esac
done
