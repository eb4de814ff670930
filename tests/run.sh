#!/usr/bin/env bash
# The one command that runs every test on a fresh Debian 12 machine:
# installs packages, builds, starts loopback redis-server and PostgreSQL, runs ctest, stops them.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

scripts/install-deps.sh

build="${CERNIQ_BUILD_DIR:-$root/build}"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)"

# shellcheck source=../scripts/services.sh
source scripts/services.sh
redis_port="$(free_port)"
pg_port="$(free_port)"
cleanup() {
  stop_redis "$redis_port"
  stop_postgres "$pg_port"
  cleanup_services_dir
}
trap cleanup EXIT
start_redis "$redis_port"
start_postgres "$pg_port"

export CERNIQ_TEST_REDIS_URL="redis://127.0.0.1:$redis_port/0"
export CERNIQ_TEST_PG_DSN="host=127.0.0.1 port=$pg_port user=postgres dbname=cerniq"
export CERNIQ_TEST_PG_PORT="$pg_port"
export CERNIQ_BULLMQ_DIR="$root/tests/bullmq"
export CERNIQ_SHARED_DIR="$(cd "$root/.." && pwd)/shared"

ctest --test-dir "$build" --output-on-failure --timeout 900 -j"${CERNIQ_TEST_JOBS:-2}" "$@"
