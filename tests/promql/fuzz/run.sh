#!/usr/bin/env bash
# Builds the PromQL fuzzers with clang in build-fuzz/ and runs each for SECONDS (default 60).
# New crashing inputs are copied into tests/promql/fuzz/corpus/<fuzzer>/ so they stay as
# regression seeds; the run fails if any fuzzer found a crash.
set -euo pipefail
seconds="${1:-60}"
root="$(cd "$(dirname "$0")/../../.." && pwd)"
build="${CERNIQ_FUZZ_BUILD_DIR:-$root/build-fuzz}"
seeds="$root/tests/promql/fuzz/corpus"

cmake -S "$root" -B "$build" -DCERNIQ_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"${CERNIQ_FUZZ_JOBS:-2}" --target promql_parser_fuzzer promql_series_fuzzer

status=0
for fuzzer in parser series; do
  work="$build/fuzz-work/$fuzzer"
  rm -rf "$work/artifacts"  # only crashes of this run count
  mkdir -p "$work/corpus" "$work/artifacts"
  echo "== promql_${fuzzer}_fuzzer for ${seconds}s"
  if ! "$build/bin/promql_${fuzzer}_fuzzer" "$work/corpus" "$seeds/$fuzzer" \
      -max_total_time="$seconds" -max_len=512 -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$work/artifacts/" -print_final_stats=1 2>"$work/log"; then
    status=1
  fi
  tail -n 12 "$work/log"
  for crash in "$work"/artifacts/*; do
    [ -e "$crash" ] || continue
    cp "$crash" "$seeds/$fuzzer/$(basename "$crash")"
    echo "crashing input kept: tests/promql/fuzz/corpus/$fuzzer/$(basename "$crash")"
    status=1
  done
done
exit "$status"
