#!/usr/bin/env bash
# Differential test of evaluation: generated statements (expected values from cerniqtool) are
# checked against promtool 2.42 by ../shared/tools/promql_oracle.py. Skipped without promtool or
# the shared directory.
# Usage: eval_vs_promtool.sh CERNIQTOOL [SHARED_DIR] [COUNT] [SEED]     random statements
#        eval_vs_promtool.sh CERNIQTOOL SHARED_DIR GENERATOR.py         special_params.py, ...
set -euo pipefail
tool="$1"
shared="${CERNIQ_SHARED_DIR:-${2:-}}"
oracle="$shared/tools/promql_oracle.py"
if ! command -v promtool >/dev/null 2>&1 || [ ! -f "$oracle" ]; then
  echo "SKIPPED: needs promtool and $oracle"
  exit 77
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
here="$(dirname "$0")"
case "${3:-}" in
  *.py) python3 "$here/$3" "$tool" "$work/statements.test" ;;
  *) python3 "$here/random_statements.py" "$tool" "$work/statements.test" "${3:-200}" "${4:-1}" ;;
esac
python3 "$oracle" -j 2 "$work/statements.test"
