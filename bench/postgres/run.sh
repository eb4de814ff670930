#!/usr/bin/env bash
# Churn histogram benchmark (issue "PostgreSQL collectors"):
#   1. the exporter's churn collection vs the fastest single-query aggregates run by psql on the
#      same database (several variants measured; the ratio is against the fastest);
#   2. vs Debian's prometheus-sql-exporter configured with an equivalent query;
#   3. the exporter's peak RSS with a small and a large client table (must not grow).
# Starts its own loopback PostgreSQL in a temp dir and stops it at the end.
#   bench/postgres/run.sh [CLIENTS=1000000] [ROUNDS=5]
# Needs the build's postgres_churn_bench (BUILD_DIR, default ./build).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
clients="${1:-1000000}"
rounds="${2:-5}"
per_round=3  # timed passes per contender per round; contenders alternate between rounds
build="${BUILD_DIR:-$root/build}"
bench_bin="$build/bin/postgres_churn_bench"
[[ -x "$bench_bin" ]] || { echo "build postgres_churn_bench first ($bench_bin)" >&2; exit 2; }
[[ "$clients" =~ ^[0-9]+$ && "$rounds" =~ ^[0-9]+$ && "$rounds" -ge 1 && "$rounds" -le 50 ]] ||
  { echo "usage: $0 [CLIENTS] [ROUNDS 1..50]" >&2; exit 2; }

# shellcheck source=scripts/services.sh
source "$root/scripts/services.sh"
port="$(free_port)"
sqlexp_port="$(free_port)"
work="$(mktemp -d /tmp/cerniq-pgbench.XXXXXX)"
sqlexp_pid=""
cleanup() {
  if [[ -n "$sqlexp_pid" ]]; then kill "$sqlexp_pid" 2>/dev/null || true; fi
  stop_postgres "$port"
  cleanup_services_dir
  rm -rf "$work"
}
trap cleanup EXIT
start_postgres "$port"
psql -X -q -h 127.0.0.1 -p "$port" -U postgres -c "CREATE DATABASE cerniq_small" postgres
echo "loading $clients clients (and 1,000 in a second database)..."
"$root/tests/fixtures/load-demo.sh" 127.0.0.1 "$port" cerniq "$clients"
"$root/tests/fixtures/load-demo.sh" 127.0.0.1 "$port" cerniq_small 1000
dsn="host=127.0.0.1 port=$port user=postgres dbname=cerniq"

# Every variant computes the whole histogram (cumulative le buckets incl. the +Inf count, and
# the sum) for bounds 10..100 in one statement; "count only" is the floor (no buckets at all).
declare -A variants
order=(filter_per_bound width_bucket_negated case_tree width_bucket_lower_inclusive count_only)
b="churn_score"
filters=""
for bound in 10 20 30 40 50 60 70 80 90 100; do
  filters+=", count(*) FILTER (WHERE $b <= $bound)"
done
variants[filter_per_bound]="SELECT count(*), sum($b)$filters FROM gold_nurturing_state WHERE $b IS NOT NULL"
variants[width_bucket_negated]="SELECT width_bucket(-$b, ARRAY[-100,-90,-80,-70,-60,-50,-40,-30,-20,-10]), count(*), sum(sum($b)) OVER () FROM gold_nurturing_state WHERE $b IS NOT NULL GROUP BY 1"
variants[case_tree]="SELECT CASE WHEN $b <= 50 THEN CASE WHEN $b <= 20 THEN CASE WHEN $b <= 10 THEN 0 ELSE 1 END WHEN $b <= 30 THEN 2 WHEN $b <= 40 THEN 3 ELSE 4 END WHEN $b <= 70 THEN CASE WHEN $b <= 60 THEN 5 ELSE 6 END WHEN $b <= 80 THEN 7 WHEN $b <= 90 THEN 8 WHEN $b <= 100 THEN 9 ELSE 10 END, count(*), sum(sum($b)) OVER () FROM gold_nurturing_state WHERE $b IS NOT NULL GROUP BY 1"
# Not a valid `le` histogram (lower bounds are inclusive), measured for reference.
variants[width_bucket_lower_inclusive]="SELECT width_bucket($b, ARRAY[10,20,30,40,50,60,70,80,90,100]::numeric[]), count(*), sum(sum($b)) OVER () FROM gold_nurturing_state WHERE $b IS NOT NULL GROUP BY 1"
variants[count_only]="SELECT count(*), sum($b) FROM gold_nurturing_state WHERE $b IS NOT NULL"

median() { sort -g | awk '{v[NR]=$1} END {if (NR==0) {print "nan"; exit} if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }

psql_times() {  # psql_times SQL N -> N lines of client-observed milliseconds (after one warm-up)
  local args=(-X -q -h 127.0.0.1 -p "$port" -U postgres -d cerniq -o /dev/null -c '\timing on' -c "$1")
  for _ in $(seq 1 "$2"); do args+=(-c "$1"); done
  psql "${args[@]}" | awk '/^Time:/ {print $2}' | tail -n "$2"
}

# prometheus-sql-exporter (justwatchcom 0.4.5): the same histogram as rows (le, count) plus the
# sum, cumulated in SQL since it cannot build histograms. Its debug log timestamps each query's
# start and end; the first run of each start (it connects) is left out.
cat >"$work/sql_exporter.yml" <<EOF
jobs:
- name: churn
  interval: '100ms'
  connections:
  - 'postgres://postgres@127.0.0.1:$port/cerniq?sslmode=disable'
  queries:
  - name: nurturing_client_churn_score_bucket
    help: Churn score histogram buckets (cumulative), and the sum as le="sum"
    labels: [le]
    values: [count]
    query: |
      WITH g AS (
        SELECT width_bucket(-churn_score, ARRAY[-100,-90,-80,-70,-60,-50,-40,-30,-20,-10]) AS k,
               count(*) AS c, sum(churn_score) AS s
        FROM gold_nurturing_state WHERE churn_score IS NOT NULL GROUP BY 1)
      SELECT b.le, coalesce(sum(g.c), 0)::float AS count
      FROM (VALUES (1, '10'), (2, '20'), (3, '30'), (4, '40'), (5, '50'), (6, '60'), (7, '70'),
                   (8, '80'), (9, '90'), (10, '100'), (11, '+Inf')) AS b(i, le)
      LEFT JOIN g ON g.k >= 11 - b.i
      GROUP BY b.le
      UNION ALL
      SELECT 'sum', coalesce(sum(s), 0)::float FROM g
EOF
sqlexp_rss_kb=nan
sqlexp_series=0
sql_exporter_times() {  # sql_exporter_times N -> N lines of ms (warm runs)
  local log="$work/sql_exporter.log" finished=0
  LOGLEVEL=debug prometheus-sql-exporter -config.file "$work/sql_exporter.yml" \
    -web.listen-address "127.0.0.1:$sqlexp_port" >"$log" 2>&1 &
  sqlexp_pid=$!
  for _ in $(seq 1 600); do  # bounded: at most 600 x 0.1 s per round
    finished="$(grep -c '"Query finished"' "$log" || true)"
    [[ "$finished" -gt "$1" ]] && break
    kill -0 "$sqlexp_pid" 2>/dev/null || break
    sleep 0.1
  done
  sqlexp_rss_kb="$(awk '/VmHWM/ {print $2}' "/proc/$sqlexp_pid/status" 2>/dev/null || echo nan)"
  sqlexp_series="$(curl -s "http://127.0.0.1:$sqlexp_port/metrics" |
    grep -c '^sql_nurturing_client_churn_score_bucket' || true)"
  kill "$sqlexp_pid" 2>/dev/null || true
  wait "$sqlexp_pid" 2>/dev/null || true
  sqlexp_pid=""
  python3 - "$log" "$1" <<'PY'
import json, sys
from datetime import datetime
def ts(s):  # RFC 3339 with nanoseconds -> seconds (microsecond precision is plenty)
    base, _, frac = s.rstrip("Z").partition(".")
    return datetime.fromisoformat(base).timestamp() + float("0." + (frac or "0"))
start, runs = None, []
for line in open(sys.argv[1]):
    try:
        e = json.loads(line)
    except ValueError:
        continue
    if e.get("msg") == "Running Query":
        start = ts(e["ts"])
    elif e.get("msg") == "Query finished" and start is not None:
        runs.append((ts(e["ts"]) - start) * 1000)
        start = None
for ms in runs[1:1 + int(sys.argv[2])]:
    print(ms)
PY
}

echo "measuring: $rounds rounds x $per_round passes each, contenders alternating..."
: >"$work/exporter.ms"
: >"$work/sql_exporter.ms"
for v in "${order[@]}"; do : >"$work/$v.ms"; done
for _ in $(seq 1 "$rounds"); do
  "$bench_bin" "$dsn" "$per_round" | awk '/^pass_ms/ {print $2}' >>"$work/exporter.ms"
  for v in "${order[@]}"; do psql_times "${variants[$v]}" "$per_round" >>"$work/$v.ms"; done
  sql_exporter_times "$per_round" >>"$work/sql_exporter.ms"
done

# RSS: the same collector on 1,000 clients and on $clients clients.
rss_small="$("$bench_bin" "host=127.0.0.1 port=$port user=postgres dbname=cerniq_small" 3 | awk '/^rss_kb/ {print $2}')"
rss_large="$("$bench_bin" "$dsn" 3 | awk '/^rss_kb/ {print $2}')"

# And the whole cerniq_exporter process (when built), all PostgreSQL collectors every 500 ms for
# ~6 s, Redis unreachable: its peak RSS must not depend on the number of clients either.
exporter_bin="$build/bin/cerniq_exporter"
exporter_rss() {  # exporter_rss DBNAME -> peak RSS in kB
  local http_port pid rss=nan config="$work/exporter.yml"
  http_port="$(free_port)"
  {
    echo "postgres:"
    echo "  collectors:"
    for c in churn clients hitl graph cron worker_errors referrals nps spatial partitions; do
      echo "    $c: {interval: 500ms}"
    done
  } >"$config"
  "$exporter_bin" --web.listen-address "127.0.0.1:$http_port" --config.file "$config" \
    --redis.url redis://127.0.0.1:1/0 --log.level error \
    --postgres.dsn "host=127.0.0.1 port=$port user=postgres dbname=$1" &
  pid=$!
  for _ in $(seq 1 12); do  # 12 x 0.5 s, scraping as Prometheus would
    curl -s "http://127.0.0.1:$http_port/metrics" >/dev/null || true
    sleep 0.5
  done
  rss="$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo nan)"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  echo "$rss"
}
full_small=nan full_large=nan
if [[ -x "$exporter_bin" ]]; then
  full_small="$(exporter_rss cerniq_small)"
  full_large="$(exporter_rss cerniq)"
fi

exporter_ms="$(median <"$work/exporter.ms")"
echo
echo "clients: $clients; median of $((rounds * per_round)) passes each (client-observed ms)"
printf '%-34s %10s\n' "contender" "median_ms"
printf '%-34s %10.1f\n' "cerniq_exporter churn collector" "$exporter_ms"
fastest="" fastest_ms=""
for v in "${order[@]}"; do
  ms="$(median <"$work/$v.ms")"
  printf '%-34s %10.1f\n' "psql $v" "$ms"
  if [[ "$v" != count_only && "$v" != width_bucket_lower_inclusive ]]; then
    if [[ -z "$fastest_ms" ]] || awk -v a="$ms" -v b="$fastest_ms" 'BEGIN {exit !(a < b)}'; then
      fastest="$v" fastest_ms="$ms"
    fi
  fi
done
sqlexp_ms="$(median <"$work/sql_exporter.ms")"
printf '%-34s %10.1f  (%s runs, %s series)\n' "prometheus-sql-exporter" "$sqlexp_ms" \
  "$(wc -l <"$work/sql_exporter.ms")" "$sqlexp_series"
echo
awk -v e="$exporter_ms" -v f="$fastest_ms" -v n="$fastest" \
  'BEGIN {printf "ratio exporter / fastest psql le-histogram (%s): %.3f (target <= 1.2)\n", n, e / f}'
awk -v e="$exporter_ms" -v f="$(median <"$work/count_only.ms")" \
  'BEGIN {printf "ratio exporter / psql count+sum without buckets (floor): %.3f\n", e / f}'
awk -v e="$exporter_ms" -v s="$sqlexp_ms" \
  'BEGIN {printf "ratio exporter / prometheus-sql-exporter: %.3f\n", e / s}'
echo "exporter peak RSS: ${rss_small} kB with 1000 clients, ${rss_large} kB with $clients clients" \
  "(prometheus-sql-exporter: ${sqlexp_rss_kb} kB)"
awk -v a="$rss_small" -v b="$rss_large" 'BEGIN {printf "RSS ratio large/small: %.3f (must stay ~1)\n", b / a}'
echo "cerniq_exporter process peak RSS (all PostgreSQL collectors, 12 scrapes): ${full_small} kB" \
  "with 1000 clients, ${full_large} kB with $clients clients"
awk -v a="$full_small" -v b="$full_large" \
  'BEGIN {if (a > 0) printf "process RSS ratio large/small: %.3f (must stay ~1)\n", b / a}'
