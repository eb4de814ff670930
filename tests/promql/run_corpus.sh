#!/usr/bin/env bash
# Runs `cerniqtool test promql` over every file of the shared PromQL corpus, in place.
# Usage: run_corpus.sh CERNIQTOOL [SHARED_DIR]; env CERNIQ_SHARED_DIR overrides SHARED_DIR.
set -euo pipefail
tool="$1"
shared="${CERNIQ_SHARED_DIR:-${2:-}}"
corpus="$shared/promql-testdata"
if [ -z "$shared" ] || ! ls "$corpus"/*.test >/dev/null 2>&1; then
  echo "SKIPPED: PromQL corpus not found at '$corpus' (the shared directory is absent)"
  exit 77
fi
exec "$tool" test promql "$corpus"/*.test
