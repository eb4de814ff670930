#!/usr/bin/env bash
# Differential test of src/gocompat against promtool 2.42: strconv.Quote of every code point
# (label values printed by failing `test rules` output), invalid UTF-8, and template lexing,
# parsing and %q / %c printing in alert annotations (`check rules` and `test rules`).
# Usage: vs_promtool.sh <cerniqtool> <shared-dir>. Exit 77 (skip) without promtool or ../shared.
set -u
cerniqtool=$(realpath "$1")
shared=$2
promtool=/usr/bin/promtool
if [[ ! -x $promtool ]]; then echo "skip: $promtool missing"; exit 77; fi
if [[ ! -d $shared ]]; then echo "skip: $shared missing"; exit 77; fi
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
failed=0

# Runs one command with both tools and requires identical stdout, stderr and exit code.
compare() {
  local name=$1
  shift
  timeout 120 "$promtool" "$@" >want.out 2>want.err
  echo "rc=$?" >>want.err
  timeout 120 "$cerniqtool" "$@" >got.out 2>got.err
  echo "rc=$?" >>got.err
  if cmp -s want.out got.out && cmp -s want.err got.err; then
    echo "ok: $name"
  else
    echo "FAIL: $name"
    diff want.out got.out | cut -c1-400 | head -20
    diff want.err got.err | cut -c1-400 | head -20
    failed=1
  fi
}

# Label values with the code points the two former GoQuotes disagreed on, and invalid UTF-8.
cat >labels.yml <<'YAML'
rule_files: []
evaluation_interval: 1m
tests:
  - interval: 1m
    promql_expr_test:
      - expr: 'label_replace(vector(1), "x", "a\u0085\u00a0\u00e9\u202a\ue000\u2060\ufff9\ufffd\U000e0001", "", "")'
        eval_time: 0
        exp_samples: []
      - expr: 'label_replace(vector(1), "x", "\xff\xc3\xc3}\xe4\xb8\xed\xa0\x80\xc0\x80\xf4\x90\x80\x80", "", "")'
        eval_time: 0
        exp_samples: []
YAML
compare "quote: chosen code points and invalid UTF-8" test rules labels.yml

python3 "$here/codepoint_sweep.py" >sweep.yml || exit 1
compare "quote: every code point" test rules sweep.yml

python3 "$here/template_cases.py" rules.yml templates.yml 8192 || exit 1
compare "templates: check rules" check rules rules.yml
compare "templates: test rules" test rules templates.yml
for f in error*.yml; do
  compare "templates: check rules $f ($(grep -o 'c0000: .*' "$f"))" check rules "$f"
done

exit $failed
