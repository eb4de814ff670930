#!/usr/bin/env bash
# ctest: the shared lint_dash.py on the dashboard, read in place from ../shared; skips when absent.
set -euo pipefail
shared="$1" dashboard="$2"
if [[ ! -f "$shared/tools/lint_dash.py" ]]; then
  echo "SKIP: $shared/tools/lint_dash.py not found (../shared is not next to the checkout)"
  exit 77
fi
command -v promtool >/dev/null || { echo "SKIP: lint_dash.py needs promtool"; exit 77; }
python3 "$shared/tools/lint_dash.py" "$dashboard"
