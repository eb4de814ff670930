#!/usr/bin/env bash
# ctest: every golden case of ../shared/golden/promtool/ run with the cerniqtool BINARY.
#   golden_promtool.sh CERNIQTOOL GOLDEN_DIR
# Each case's `command` runs with `promtool` replaced by CERNIQTOOL, inside a temporary copy of
# the case folder (the shared folder is read-only); stdout, stderr and the exit code must match
# the captured ones byte for byte. Prints a diff per failing case, then "N passed, N failed".
# Exit 77 (skip) when GOLDEN_DIR is absent.
set -uo pipefail
tool="$(realpath "$1")" golden="$2"
if [[ ! -d "$golden" ]]; then
  echo "SKIP: $golden not found (../shared is not next to the checkout)"
  exit 77
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
for case_dir in "$golden"/*/; do
  name="$(basename "$case_dir")"
  [[ -f "$case_dir/command" ]] || continue
  copy="$work/$name"
  cp -r "$case_dir" "$copy"
  chmod -R u+w "$copy"
  read -r -a words <"$copy/command"
  [[ "${words[0]}" == promtool ]] || { echo "FAIL $name: command does not start with promtool"; ((failed++)); continue; }
  (cd "$copy" && "$tool" "${words[@]:1}" >"$work/$name.stdout" 2>"$work/$name.stderr")
  rc=$?
  ok=1
  for stream in stdout stderr; do
    if ! cmp -s "$case_dir/$stream" "$work/$name.$stream"; then
      ok=0
      echo "FAIL $name: $stream differs"
      diff -u "$case_dir/$stream" "$work/$name.$stream" | head -40
    fi
  done
  want_rc="$(tr -d '[:space:]' <"$case_dir/exit_code")"
  if [[ "$rc" != "$want_rc" ]]; then
    ok=0
    echo "FAIL $name: exit code $rc, want $want_rc"
  fi
  if ((ok)); then ((passed++)); else ((failed++)); fi
done
echo "$passed passed, $failed failed"
((failed == 0 && passed > 0))
