#!/usr/bin/env bash
# ctest: `cerniqtool check exporter-config`, `check dashboards` and `lint rules` on good and bad files.
#   check_files_test.sh CERNIQTOOL
# Runs inside tests/tool with relative names; a bad file's stderr must equal its expectation
# (configs: inline below; dashboards: dashboards/NAME.stderr) and the exit status must be 1.
set -uo pipefail
tool="$(realpath "$1")"
cd "$(dirname "$0")" || exit 1
root=../..
failures=0
fail() { echo "FAIL: $*"; ((failures++)); }

expect() {  # expect WANT_RC WANT_STDERR_FILE_OR_TEXT -- ARGS...; stdout left in $OUT
  local want_rc="$1" want_err="$2"; shift 3
  local out err rc errfile; errfile="$(mktemp)"
  out="$("$tool" "$@" 2>"$errfile")"; rc=$?
  err="$(cat "$errfile")"; rm -f "$errfile"
  [[ "$rc" == "$want_rc" ]] || fail "$* exited $rc, want $want_rc (stdout: $out; stderr: $err)"
  if [[ -f "$want_err" ]]; then
    [[ "$err" == "$(cat "$want_err")" ]] || { fail "$* stderr differs from $want_err"; diff <(echo "$err") "$want_err"; }
  else
    [[ "$err" == "$want_err" ]] || fail "$* stderr: got [$err], want [$want_err]"
  fi
  OUT="$out"
}

# check exporter-config: the shipped example and a minimal file pass; each broken file names file:line:col.
expect 0 "" -- check exporter-config "$root/exporter/cerniq.example.yml" configs/minimal.yml
grep -q "^Checking $root/exporter/cerniq.example.yml$" <<<"$OUT" || fail "no Checking line: $OUT"
(( $(grep -c '^  SUCCESS: ' <<<"$OUT") == 2 )) || fail "not two SUCCESS lines: $OUT"
expect 1 $'  FAILED:\nconfigs/unknown_key.yml:3:3: unknown key "bogus" in redis' -- \
  check exporter-config configs/unknown_key.yml
expect 1 $'  FAILED:\nconfigs/bad_duration.yml:2:13: bullmq.interval: not a valid duration string: "five seconds"' -- \
  check exporter-config configs/bad_duration.yml
expect 1 $'  FAILED:\nconfigs/duplicate_key.yml:3:3: duplicate key "url" in redis' -- \
  check exporter-config configs/duplicate_key.yml
expect 1 $'  FAILED:\nconfigs/yaml_syntax.yml:3:1: end of sequence flow not found' -- \
  check exporter-config configs/yaml_syntax.yml
expect 1 $'  FAILED:\nconfigs/missing.yml: cannot read config file' -- check exporter-config configs/missing.yml
# One bad file fails the run, the good one still reports SUCCESS.
expect 1 $'  FAILED:\nconfigs/unknown_key.yml:3:3: unknown key "bogus" in redis' -- \
  check exporter-config configs/unknown_key.yml configs/minimal.yml
grep -q '^  SUCCESS: 1 queues, 0 probes, postgres off$' <<<"$OUT" || fail "minimal.yml after a bad file: $OUT"
expect 1 "cerniqtool: error: required argument 'config-files' not provided, try --help" -- check exporter-config

# check dashboards: the project dashboard passes (also with the recording rules known).
dashboard="$root/dashboards/etapa5-nurturing.json"
expect 0 "" -- check dashboards "$dashboard"
grep -Eq '^  SUCCESS: [0-9]+ panels, [0-9]+ queries$' <<<"$OUT" || fail "project dashboard: $OUT"
expect 0 "" -- check dashboards --rules="$root/rules/etapa5-recording.yaml" "$dashboard"
# Crafted bad dashboards: the expected findings, exit 1.
for name in bad_structure bad_queries not_json recorded; do
  expect 1 "dashboards/$name.stderr" -- check dashboards "dashboards/$name.json"
done
# A recorded series is known once its rule file is given.
expect 0 "" -- check dashboards --rules "$root/rules/etapa5-recording.yaml" dashboards/recorded.json
expect 1 "cerniqtool: error: required argument 'dashboard-files' not provided, try --help" -- \
  check dashboards

# lint rules: the project's rule files are clean; a bad file gives placed findings, exit 1.
expect 0 "" -- lint rules "$root/rules/etapa5-alerts.yaml" "$root/rules/etapa5-recording.yaml"
[[ -z "$OUT" ]] || fail "lint rules on rules/: $OUT"
expect 1 "" -- lint rules rules/bad_lint.yml
# shellcheck disable=SC2016  # backquotes are literal in the message
[[ "$OUT" == *'rules/bad_lint.yml:5:20: bug: promql/series: `bullmq_queue_waitin`'* &&
   "$OUT" == *'rules/bad_lint.yml:5:15: warning: promql/rate: rate() over [30s]'* &&
   "$OUT" == *'rules/bad_lint.yml:4:16: warning: alerts/annotation: `runbook_url` annotation is required.'* ]] ||
  fail "lint rules: $OUT"
expect 1 "" -- lint rules --format=json rules/bad_lint.yml
[[ "$OUT" == *'"check": "promql/series"'* && "$OUT" == *'"severity": "bug"'* ]] ||
  fail "lint rules --format=json: $OUT"
# --fail-on: the exit code counts only findings at or above the severity; they are all printed.
expect 1 "" -- lint rules --fail-on=bug rules/bad_lint.yml
expect 0 "" -- lint rules --fail-on=bug rules/warn_only.yml
[[ "$OUT" == 'rules/warn_only.yml:6:52: warning: promql/regexp: Unnecessary regexp match on static string `queue=~"churn"`'* &&
   "$OUT" != *promql/counter* ]] || fail "lint rules --fail-on=bug: $OUT"
expect 1 "" -- lint rules --fail-on warning rules/warn_only.yml
expect 1 "" -- lint rules rules/warn_only.yml
expect 1 "cerniqtool: error: enum value must be one of bug,warning,info, got 'error', try --help" -- \
  lint rules --fail-on=error rules/warn_only.yml
# rule/duplicate looks across the files given together.
expect 1 "" -- lint rules --fail-on=bug rules/dup_a.yml rules/warn_only.yml
[[ "$OUT" == *'rules/warn_only.yml:5:17: bug: rule/duplicate: Recording rule `queue:waiting:sum` with the same labels is also defined at rules/dup_a.yml:4'* ]] ||
  fail "lint rules duplicates: $OUT"

# promtool 2.42's commands cerniqtool does not implement: one line naming promtool, exit 1, whatever
# the arguments (never a usage error).
for words in "check service-discovery" "check config" "check healthy" \
    "check ready" "push metrics" "debug pprof" "debug metrics" "debug all" "tsdb bench write" \
    "tsdb analyze" "tsdb list" "tsdb dump" "tsdb create-blocks-from openmetrics" \
    "tsdb create-blocks-from rules"; do
  read -ra argv <<<"$words"
  expect 1 "cerniqtool: \"$words\" is not implemented by cerniqtool; use promtool $words" -- \
    "${argv[@]}" --some-flag some-arg
  [[ -z "$OUT" ]] || fail "$words printed on stdout: $OUT"
done
expect 1 'cerniqtool: "tsdb" is not implemented by cerniqtool; use promtool tsdb' -- tsdb
expect 1 'cerniqtool: "debug" is not implemented by cerniqtool; use promtool debug' -- debug x

if ((failures)); then echo "$failures failure(s)"; exit 1; fi
echo "check exporter-config / check dashboards / lint rules / promtool-only commands: all good"
