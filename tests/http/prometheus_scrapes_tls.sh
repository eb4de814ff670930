#!/usr/bin/env bash
# ctest (label integration): a real Prometheus 2.42 scrapes the real exporter over HTTPS with a
# test CA (made here with `openssl`). Two exporters on loopback: one with basic auth, one that
# requires and verifies a client certificate. Jobs with the CA only, with the client
# certificate, with right and wrong basic-auth credentials, without the client certificate:
# `up` (read from Prometheus's /api/v1/query) is 1 exactly where it should be.
#   prometheus_scrapes_tls.sh CERNIQ_EXPORTER
set -uo pipefail
exporter="$(realpath "$1")"
for t in prometheus openssl curl jq python3; do
  command -v "$t" >/dev/null || { echo "SKIPPED: $t not installed"; exit 77; }
done
# shellcheck source=../../scripts/services.sh
source "$(dirname "$0")/../../scripts/services.sh"
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  rm -rf "$work" "${CERNIQ_SVC_DIR:-}"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; for l in "$work"/*.log; do echo "== $l"; tail -20 "$l"; done; exit 1; }

# The test CA, a server certificate for 127.0.0.1 and a client certificate, all signed by it.
cd "$work" || exit 1
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=test-ca \
  -keyout ca.key -out ca.crt 2>/dev/null || fail "CA"
sign() {  # sign NAME EXTENSIONS
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$1" \
    -keyout "$1.key" -out "$1.csr" 2>/dev/null &&
    openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
      -extfile <(printf '%s\n' "$2") -out "$1.crt" 2>/dev/null || fail "certificate $1"
}
sign server "subjectAltName=IP:127.0.0.1
extendedKeyUsage=serverAuth"
sign client "extendedKeyUsage=clientAuth"
hash=$(python3 -W ignore -c 'import crypt; print(crypt.crypt("right", crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))')
printf 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\nbasic_auth_users:\n  scraper: %s\n' \
  "$hash" >web-auth.yml
printf 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n' \
  >web-mtls.yml

start_exporter() {  # start_exporter NAME WEB_CONFIG PORT
  "$exporter" --config.file="$root/exporter/cerniq.example.yml" \
    --redis.url="redis://127.0.0.1:$(free_port)" --web.config.file="$work/$2" \
    --web.listen-address="127.0.0.1:$3" >"$work/$1.log" 2>&1 &
  pids+=($!)
}
auth_port=$(free_port); mtls_port=$(free_port); prom_port=$(free_port)
start_exporter exporter-auth web-auth.yml "$auth_port"
start_exporter exporter-mtls web-mtls.yml "$mtls_port"
for _ in $(seq 1 50); do
  curl -sf --cacert ca.crt "https://127.0.0.1:$auth_port/health" >/dev/null &&
    curl -sf --cacert ca.crt --cert client.crt --key client.key \
      "https://127.0.0.1:$mtls_port/health" >/dev/null && break
  sleep 0.2
done
# /health answers without credentials (kubelet probes); /metrics does not.
for path in /health /-/healthy; do
  curl -sf --cacert ca.crt "https://127.0.0.1:$auth_port$path" >/dev/null || fail "$path over TLS without credentials"
done
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert ca.crt "https://127.0.0.1:$auth_port/metrics")
[[ $code == 401 ]] || fail "/metrics without credentials answered $code"

job() {  # job NAME PORT EXTRA-TLS-AND-AUTH-LINES
  printf '  - job_name: %s\n    scheme: https\n    static_configs: [{targets: ["127.0.0.1:%s"]}]\n    tls_config:\n      ca_file: %s/ca.crt\n%s\n' \
    "$1" "$2" "$work" "$3"
}
{
  printf 'global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\nscrape_configs:\n'
  job ca_only_auth_required "$auth_port" ""
  job right_password "$auth_port" "    basic_auth: {username: scraper, password: right}"
  job wrong_password "$auth_port" "    basic_auth: {username: scraper, password: wrong}"
  job unknown_user "$auth_port" "    basic_auth: {username: intruder, password: right}"
  job client_cert "$mtls_port" "      cert_file: $work/client.crt
      key_file: $work/client.key"
  job no_client_cert "$mtls_port" ""
  job wrong_ca "$auth_port" "    basic_auth: {username: scraper, password: right}" |
    sed "s#$work/ca.crt#/etc/ssl/certs/ca-certificates.crt#"
} >prometheus.yml
declare -A want=([ca_only_auth_required]=0 [right_password]=1 [wrong_password]=0 [unknown_user]=0
                 [client_cert]=1 [no_client_cert]=0 [wrong_ca]=0)

prometheus --config.file=prometheus.yml --storage.tsdb.path="$work/data" \
  --web.listen-address="127.0.0.1:$prom_port" >"$work/prometheus.log" 2>&1 &
pids+=($!)

# Every job scraped at least twice (bounded wait: 30 s), then compare up with the expectation.
deadline=$((SECONDS + 30))
while ((SECONDS < deadline)); do
  got=$(curl -sf "http://127.0.0.1:$prom_port/api/v1/query" \
          --data-urlencode 'query=count_over_time(up[1m]) >= 2' | jq -r '.data.result | length' 2>/dev/null)
  [[ ${got:-0} == "${#want[@]}" ]] && break
  sleep 0.5
done
((SECONDS < deadline)) || fail "Prometheus did not scrape every job twice in 30 s"
result=$(curl -sf "http://127.0.0.1:$prom_port/api/v1/query" --data-urlencode 'query=up') ||
  fail "query up"
bad=0
for j in "${!want[@]}"; do
  up=$(jq -r --arg j "$j" '.data.result[] | select(.metric.job == $j) | .value[1]' <<<"$result")
  echo "job $j: up=$up (want ${want[$j]})"
  [[ $up == "${want[$j]}" ]] || bad=1
done
curl -sf "http://127.0.0.1:$prom_port/api/v1/targets" |
  jq -r '.data.activeTargets[] | "  \(.labels.job): \(.health) \(.lastError)"'
((bad == 0)) || fail "up differs from the expectation"
echo "PASS: up is 1 exactly for the right password and the client certificate"
