#!/usr/bin/env bash
# Differential test of evaluation: random statements (expected values from cerniqtool) are
# checked against promtool 2.42 by ../shared/tools/promql_oracle.py. Skipped without promtool or
# the shared directory. Usage: eval_vs_promtool.sh CERNIQTOOL [SHARED_DIR] [COUNT] [SEED]
set -euo pipefail
tool="$1"
shared="${CERNIQ_SHARED_DIR:-${2:-}}"
count="${3:-200}"
seed="${4:-1}"
oracle="$shared/tools/promql_oracle.py"
if ! command -v promtool >/dev/null 2>&1 || [ ! -f "$oracle" ]; then
  echo "SKIPPED: needs promtool and $oracle"
  exit 77
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 "$(dirname "$0")/random_statements.py" "$tool" "$work/random.test" "$count" "$seed"
python3 "$oracle" -j 2 "$work/random.test"
