#!/usr/bin/env bash
# ctest (label promtool): `cerniqtool check metrics` against promtool 2.42's on the exporter's own
# /metrics (scraped here from cerniq_exporter on loopback; its Redis is CERNIQ_TEST_REDIS_URL when
# set, else a closed port, so it exposes its own health series) and on crafted expositions, good
# and broken. stderr (the problems) and the exit status must be identical.
#   check_metrics_vs_promtool.sh CERNIQTOOL CERNIQ_EXPORTER
set -uo pipefail
tool="$(realpath "$1")"
exporter="$(realpath "$2")"
for t in promtool python3 curl; do
  command -v "$t" >/dev/null || { echo "SKIPPED: $t not installed"; exit 77; }
done
# shellcheck source=../../scripts/services.sh
source "$(dirname "$0")/../../scripts/services.sh"
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
exporter_pid=""
cleanup() {
  [[ -n "$exporter_pid" ]] && kill "$exporter_pid" 2>/dev/null && wait "$exporter_pid" 2>/dev/null
  rm -rf "$work" "$CERNIQ_SVC_DIR"
}
trap cleanup EXIT

port="$(free_port)"
redis_url="${CERNIQ_TEST_REDIS_URL:-redis://127.0.0.1:$(free_port)}"
"$exporter" --config.file="$root/exporter/cerniq.example.yml" --redis.url="$redis_url" \
  --web.listen-address="127.0.0.1:$port" >"$work/exporter.log" 2>&1 &
exporter_pid=$!
for _ in $(seq 1 50); do
  curl -sf "http://127.0.0.1:$port/metrics" >"$work/exporter.prom" 2>/dev/null && break
  sleep 0.2
done
[[ -s "$work/exporter.prom" ]] || { echo "FAIL: no /metrics"; cat "$work/exporter.log"; exit 1; }

# Crafted expositions: each file one case (every promlint rule, and the parser's errors).
python3 - "$work" <<'PY'
import sys
cases = {
  "clean": "# HELP a_seconds A.\n# TYPE a_seconds gauge\na_seconds 1\n",
  "no_help": "foo 1\n",
  "units": "# HELP x_milliseconds X.\nx_milliseconds 1\n# HELP y_kilobytes Y.\ny_kilobytes 1\n"
           "# HELP z_fahrenheit Z.\nz_fahrenheit{a=\"1\"} 1\n# HELP w_bits W.\nw_bits 1\n",
  "counter": "# HELP c C.\n# TYPE c counter\nc 1\n# HELP g_total G.\n# TYPE g_total gauge\ng_total 1\n"
             "# HELP u_total U.\nu_total 1\n",
  "reserved": "# HELP a_bucket A.\n# TYPE a_bucket gauge\na_bucket 1\n"
              "# HELP b_count B.\n# TYPE b_count counter\nb_count 1\n"
              "# HELP c_sum C.\n# TYPE c_sum gauge\nc_sum{le=\"1\",quantile=\"0.5\"} 1\nc_sum{le=\"2\"} 1\n"
              "# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"1\",quantile=\"x\"} 1\nh_bucket{le=\"+Inf\",quantile=\"x\"} 1\nh_sum{quantile=\"x\"} 1\nh_count{quantile=\"x\"} 1\n"
              "# HELP s S.\n# TYPE s summary\ns{quantile=\"0.5\",le=\"1\"} 1\ns_sum{le=\"1\"} 1\ns_count{le=\"1\"} 1\n",
  "type_in_name": "# HELP a_counter_total A.\n# TYPE a_counter_total counter\na_counter_total 1\n"
                  "# HELP b_gauge B.\n# TYPE b_gauge gauge\nb_gauge 1\n"
                  "# HELP c_histogram_x C.\nc_histogram_x 1\n# HELP d_Summary D.\nd_Summary 1\n",
  "chars": "# HELP a:b A.\na:b 1\n# HELP fooBar F.\nfooBar{someLabel=\"x\",other=\"y\"} 1\nfooBar{someLabel=\"z\"} 2\n",
  "abbrev": "# HELP a_ms A.\na_ms 1\n# HELP b_s_total B.\n# TYPE b_s_total counter\nb_s_total 1\n"
            "# HELP c_kb_d C.\nc_kb_d 1\n# HELP d_sec D.\nd_sec 1\n# HELP e_h_m E.\ne_h_m 1\n",
  "many": "# HELP zz Z.\nzz 1\nyy 2\nxx_total 3\n# TYPE ww counter\nww 4\n",
  "help_only": "# HELP lonely Only help.\n# TYPE lonely gauge\n",
  "comments_blank": "\n# a comment\n#\n  \n# HELP a A.\n# TYPE a gauge\na{b=\"c\"} 1 1672531200000\n",
  "escapes": "# HELP a A \\\\ \\n line.\na{b=\"q\\\"\\\\\\n\"} 1\n",
  "empty": "",
  "gauge_histogram": "# HELP g G.\n# TYPE g gauge_histogram\ng 1\n",
  # Parser errors.
  "no_newline": "# HELP a A.\na 1",
  "bad_value": "a one\n",
  "bad_timestamp": "a 1 x\n",
  "spurious": "a 1 2 3\n",
  "bad_label_value": "a{b=c} 1\n",
  "no_equals": "a{b\"c\"} 1\n",
  "reserved_name": "a{__name__=\"x\"} 1\n",
  "duplicate_label": "a{b=\"1\",b=\"2\"} 1\n",
  "invalid_label": "a{1=\"2\"} 1\n",
  "unescaped_newline": "a{b=\"x\ny\"} 1\n",
  "bad_escape": "a{b=\"\\t\"} 1\n",
  "bad_help_escape": "# HELP a x\\ty\na 1\n",
  "second_help": "# HELP a A.\n# HELP a B.\na 1\n",
  "second_type": "# TYPE a gauge\n# TYPE a counter\na 1\n",
  "type_after_samples": "a 1\n# TYPE a gauge\n",
  "unknown_type": "# TYPE a foo\na 1\n",
  "bad_comment_name": "# HELP a{ A.\n",
  "bad_metric_name": "{a=\"b\"} 1\n",
  "bad_quantile": "# TYPE s summary\ns{quantile=\"x\"} 1\n",
  "bad_le": "# TYPE h histogram\nh_bucket{le=\"0x1p3\"} 1\n",
  "label_end": "a{b=\"c\" d=\"e\"} 1\n",
  "invalid_utf8": "a{b=\"\xff\"} 1\n",
  "non_ascii_byte": "a{b\xe9=\"c\"} 1\n",
  "control_byte": "a{b\x01} 1\n",
  "eof_in_labels": "a{b=\"c\"",
  "hex_value": "a 0x10\n",
  "underscore_value": "a 1_0\n",
}
for name, text in cases.items():
    with open(f"{sys.argv[1]}/{name}.prom", "wb") as f:
        f.write(text.encode("latin-1") if name in ("invalid_utf8", "non_ascii_byte") else text.encode())
PY

failures=0 count=0
for f in "$work"/*.prom; do
  ((count++))
  promtool check metrics <"$f" >"$work/want_out" 2>"$work/want_err"; want_rc=$?
  "$tool" check metrics <"$f" >"$work/got_out" 2>"$work/got_err"; got_rc=$?
  if [[ "$want_rc" != "$got_rc" ]] || ! cmp -s "$work/want_out" "$work/got_out" ||
     ! cmp -s "$work/want_err" "$work/got_err"; then
    ((failures++))
    echo "FAIL: $(basename "$f") (exit $got_rc, promtool $want_rc)"
    diff "$work/want_err" "$work/got_err" | head -10
  fi
done
# The exporter's own exposition must be one promtool accepts as it is (exit 0 or only lint).
promtool check metrics <"$work/exporter.prom" >/dev/null 2>&1
(($? != 1)) || { echo "FAIL: promtool cannot parse the exporter's /metrics"; ((failures++)); }
echo "$count expositions, $failures different from promtool"
((failures == 0))
