#!/usr/bin/env bash
# HTTP server benchmark (loopback only): cerniq_exporter against Debian's prometheus-node-exporter
# (Go, exporter-toolkit) with the same web config (TLS 1.3 with a test CA, bcrypt basic auth) and
# the same /metrics body (node_exporter: --collector.disable-defaults plus the textfile collector
# serving the exporter's own /metrics text; --web.max-requests=0, else it answers 503 beyond 40
# requests in flight). Measured with wrk, 2 threads:
#   1. /metrics over HTTPS, keep-alive, 200 connections: requests/s and p99
#   2. new TLS handshakes per second: "Connection: close", 50 connections (each request = TCP +
#      TLS 1.3 handshake + basic auth from the cache + /metrics)
#   3. /metrics over plain HTTP, keep-alive, 200 connections: p99 (issue 12's bar: ~1.7 ms)
# Prints each figure and cerniq/node ratios. Redis: 13 BullMQ queues (bench/redis/populate.py).
# usage: bench/http/run.sh [SECONDS]   (after a build; CERNIQ_BUILD_DIR to point elsewhere)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${CERNIQ_BUILD_DIR:-$root/build}"
secs="${1:-10}"
for t in wrk openssl prometheus-node-exporter python3 redis-cli curl; do
  command -v "$t" >/dev/null || { echo "missing $t: run scripts/install-deps.sh"; exit 1; }
done
cd "$root"
cmake --build "$build" -j2 --target cerniq_exporter >/dev/null
# shellcheck source=../../scripts/services.sh
source scripts/services.sh
work="$(mktemp -d)"
rport="$(free_port)"
pids=()
cleanup() {
  set +e
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  stop_redis "$rport"; cleanup_services_dir; rm -rf "$work"
}
trap cleanup EXIT
start_redis "$rport"
python3 bench/redis/populate.py bull 13 | redis-cli -p "$rport" --pipe >/dev/null

# Test CA and a server certificate for 127.0.0.1 (ECDSA P-256, as cert-manager's default).
cd "$work"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=bench-ca \
  -keyout ca.key -out ca.crt 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=127.0.0.1 \
  -keyout server.key -out server.csr 2>/dev/null
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
  -extfile <(echo "subjectAltName=IP:127.0.0.1") -out server.crt 2>/dev/null
hash=$(python3 -W ignore -c 'import crypt; print(crypt.crypt("bench", crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1024)))')
printf 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\nbasic_auth_users:\n  prometheus: %s\n' \
  "$hash" >web.yml
auth="Authorization: Basic $(printf 'prometheus:bench' | base64)"

wait_up() { for _ in $(seq 1 100); do curl -sfk -o /dev/null -u prometheus:bench "$1" && return 0; sleep 0.1; done; return 1; }
cerniq() {  # cerniq PORT [WEB_CONFIG]
  "$build/bin/cerniq_exporter" --web.listen-address "127.0.0.1:$1" \
    --redis.url "redis://127.0.0.1:$rport/0" --log.level error ${2:+--web.config.file "$2"} &
  pids+=($!)
}
node_exp() {  # node_exp PORT [WEB_CONFIG]
  prometheus-node-exporter --web.listen-address "127.0.0.1:$1" --log.level error \
    --collector.disable-defaults --collector.textfile --collector.textfile.directory "$work/textfile" \
    --web.disable-exporter-metrics --web.max-requests=0 ${2:+--web.config.file "$2"} 2>/dev/null &
  pids+=($!)
}

c_tls=$(free_port); c_plain=$(free_port); n_tls=$(free_port); n_plain=$(free_port)
cerniq "$c_tls" "$work/web.yml"
cerniq "$c_plain"
wait_up "https://127.0.0.1:$c_tls/-/healthy" && wait_up "http://127.0.0.1:$c_plain/-/ready"
sleep 2  # the first BullMQ pass
mkdir -p textfile
curl -sfk -u prometheus:bench "https://127.0.0.1:$c_tls/metrics" >textfile/cerniq.prom
node_exp "$n_tls" "$work/web.yml"
node_exp "$n_plain"
wait_up "https://127.0.0.1:$n_tls/metrics" && wait_up "http://127.0.0.1:$n_plain/metrics"
size() { curl -sfk -u prometheus:bench -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}' "$1"; }
echo "/metrics body: cerniq $(wc -c <textfile/cerniq.prom) B ($(size "https://127.0.0.1:$c_tls/metrics") B gzip)," \
  "node_exporter $(curl -sfk -u prometheus:bench "https://127.0.0.1:$n_tls/metrics" | wc -c) B" \
  "($(size "https://127.0.0.1:$n_tls/metrics") B gzip)"
echo "wrk -t2, ${secs}s per run, Accept-Encoding: gzip (as Prometheus), $(nproc) cores"

# run NAME CONNECTIONS URL [HEADER...]: "requests/s p99_ms errors"
run() {
  local name=$1 conns=$2 url=$3; shift 3
  local args=(-t2 "-c$conns" "-d${secs}s" --timeout 5s --latency -H 'Accept-Encoding: gzip')
  for h in "$@"; do args+=(-H "$h"); done
  local out; out=$(wrk "${args[@]}" "$url" 2>&1)
  local rps p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub("us","",v); v/=1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v*=1000}; printf "%.2f", v}' <<<"$out")
  errors=$(grep -E "Socket errors|Non-2xx" <<<"$out" | tr -s ' ' | paste -sd';' || true)
  printf '%-44s %10s req/s  p99 %8s ms  %s\n' "$name" "$rps" "$p99" "${errors:-no errors}" >&2
  echo "$rps $p99"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

read -r c_rps c_p99 < <(run "cerniq  HTTPS keep-alive 200 conns" 200 "https://127.0.0.1:$c_tls/metrics" "$auth")
read -r n_rps n_p99 < <(run "node    HTTPS keep-alive 200 conns" 200 "https://127.0.0.1:$n_tls/metrics" "$auth")
read -r c_hs c_hs_p99 < <(run "cerniq  new TLS connection per request (50)" 50 "https://127.0.0.1:$c_tls/metrics" "$auth" "Connection: close")
read -r n_hs n_hs_p99 < <(run "node    new TLS connection per request (50)" 50 "https://127.0.0.1:$n_tls/metrics" "$auth" "Connection: close")
read -r cp_rps cp_p99 < <(run "cerniq  plain HTTP keep-alive 200 conns" 200 "http://127.0.0.1:$c_plain/metrics")
read -r np_rps np_p99 < <(run "node    plain HTTP keep-alive 200 conns" 200 "http://127.0.0.1:$n_plain/metrics")

echo
echo "ratios cerniq/node (requests/s: >1 is better; p99: <1 is better):"
echo "  HTTPS keep-alive requests/s  $(ratio "$c_rps" "$n_rps")   p99 $(ratio "$c_p99" "$n_p99")"
echo "  TLS handshakes/s             $(ratio "$c_hs" "$n_hs")   p99 $(ratio "$c_hs_p99" "$n_hs_p99")"
echo "  plain HTTP requests/s        $(ratio "$cp_rps" "$np_rps")   p99 $(ratio "$cp_p99" "$np_p99")  (cerniq plain p99 ${cp_p99} ms; bar ~1.7 ms)"
