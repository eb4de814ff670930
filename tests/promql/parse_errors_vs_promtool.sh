#!/usr/bin/env bash
# Differential test: for every expression in the list, the parse error of cerniqtool must be
# byte-identical to the one promtool 2.42 reports (or both must accept the expression).
set -euo pipefail
tool="$1"
list="$2"
if ! command -v promtool >/dev/null 2>&1; then
  echo "SKIPPED: promtool not installed"
  exit 77
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fails=0
total=0
while IFS= read -r expr || [ -n "$expr" ]; do
  [ -z "$expr" ] && continue
  total=$((total + 1))
  quoted=$(printf '%s' "$expr" | sed "s/'/''/g")
  printf "groups:\n- name: g\n  rules:\n  - record: r\n    expr: '%s'\n" "$quoted" >"$work/r.yml"
  want=$(promtool check rules "$work/r.yml" 2>&1 | sed -n 's/.*could not parse expression: //p' || true)
  got=$("$tool" query "$expr" 2>&1 | sed -n 's/^Error: \(.*parse error.*\)/\1/p' || true)
  if [ "$want" != "$got" ]; then
    fails=$((fails + 1))
    printf 'MISMATCH %s\n  promtool:   %s\n  cerniqtool: %s\n' "$expr" "${want:-<no error>}" "${got:-<no error>}"
  fi
done <"$list"
echo "$((total - fails)) of $total parse errors identical to promtool"
[ "$fails" -eq 0 ]
