// Alert template expansion. Expected strings were produced by promtool 2.42 (`promtool test rules`
// on an alert over v{k="12.5"} = 12.5 with external_labels {cluster: prod} and
// external_url http://example.com/prom); template_promtool_test.cc re-checks many more live.
// The engine's own behaviour (fmt verbs, builtins, parse errors) is tested in tests/gotemplate.
#include "rules/alert_template.h"

#include <gtest/gtest.h>

#include <cmath>

namespace cerniq::rules {
namespace {

tmpl::AlertData ProbeData() {
  tmpl::AlertData d;
  d.labels = {{"__name__", "v"}, {"k", "12.5"}};
  d.external_labels = {{"cluster", "prod"}};
  d.external_url = "http://example.com/prom";
  d.value = 12.5;
  return d;
}

// promtool test rules has a querier (the test storage) but no rule-manager external URL.
tmpl::FunctionOptions PromtoolOptions() {
  tmpl::FunctionOptions o;
  o.query = [](std::string_view) -> std::variant<tmpl::SampleList, std::string> {
    return tmpl::SampleList{};
  };
  return o;
}

std::string Expand(std::string_view text) {
  return ExpandAlertTemplate("T", text, ProbeData(), PromtoolOptions());
}

std::string ExecError(int col, const std::string& at, const std::string& msg) {
  return "<error expanding template: error executing template __alert_T: template: __alert_T:1:" +
         std::to_string(col) + ": executing \"__alert_T\" at <" + at + ">: " + msg + ">";
}

TEST(AlertTemplate, FunctionsAndFormatting) {
  EXPECT_EQ(Expand("{{ $labels.k | humanize }}"), "12.5");
  EXPECT_EQ(
      Expand("{{ stripDomain \"foo.bar:80\" }}|{{ stripPort \"[::1]:80\" }}|{{ stripPort \"a\" }}"),
      "foo:80|::1|a");
  EXPECT_EQ(Expand("{{ query \"up\" }}"), "[]");
  EXPECT_EQ(Expand("{{ print 1 2 \"a\" \"b\" 3 }}|{{ println 1 \"a\" }}|{{ len $labels }}|"
                   "{{ index $labels \"k\" }}|{{ $labels }}"),
            "1 2ab3|1 a\n|2|12.5|map[__name__:v k:12.5]");
  EXPECT_EQ(
      Expand("{{ if gt $value 10.0 }}big{{ else if lt $value 0.0 }}neg{{ else }}small{{ end }}|"
             "{{ range $k, $v := $labels }}{{ $k }}={{ $v }};{{ end }}|"
             "{{ with $labels.k }}w={{ . }}{{ end }}"),
      "big|__name__=v;k=12.5;|w=12.5");
  EXPECT_EQ(
      Expand("{{ title \"hello wORLD-foo_bar\" }}|{{ toLower \"\u00c0B\" }}|"
             "{{ safeHtml \"<b>\" }}|{{ graphLink \"rate(x[5m])\" }}|{{ tableLink \"a b\" }}"),
      "Hello WORLD-Foo_bar|\u00e0b|<b>|/graph?g0.expr=rate%28x%5B5m%5D%29&g0.tab=0|"
      "/graph?g0.expr=a+b&g0.tab=1");
  EXPECT_EQ(
      Expand("{{ humanize1024 1024 }}|{{ humanizeDuration 0 }}|{{ humanizeDuration 1.5 }}|"
             "{{ humanizeDuration -0.001 }}|{{ humanizeDuration 59.99999 }}|{{ humanize 0 }}|"
             "{{ humanize 1e-9 }}|{{ humanize 1e9 }}|{{ humanize 1e27 }}|{{ humanize 1e-27 }}"),
      "1ki|0s|1.5s|-1ms|60s|0|1n|1G|1000Y|0.001y");
  EXPECT_EQ(Expand("{{ $x := 5 }}{{ $x = 6 }}{{ $x }}{{ $ }}"),
            "6{map[__name__:v k:12.5] map[cluster:prod] http://example.com/prom 12.5}");
  EXPECT_EQ(Expand("{{ .Labels.k }}|{{ .Value }}|{{ .ExternalURL }}|{{ .ExternalLabels }}"),
            "12.5|12.5|http://example.com/prom|map[cluster:prod]");
  EXPECT_EQ(Expand("{{ printf \"%v %v\" (args 1).arg0 $labels }}|{{ printf "
                   "\"%6.2f|%-8v|%08.3f|%+d|% d|%x|%X|%o|%c|%U\" 3.14159 \"ab\" 3.14159 5 5 \"hi\" "
                   "255 8 65 65 }}"),
            "1 map[__name__:v k:12.5]|  3.14|ab      |0003.142|+5| 5|6869|FF|10|A|U+0041");
}

TEST(AlertTemplate, ExecutionErrorsWithGoPositions) {
  // Columns are 0-based byte offsets into the prelude plus the text (the prelude is 112 bytes).
  EXPECT_EQ(kAlertTemplatePrelude.size(), 112u);
  EXPECT_EQ(Expand("{{ .Foo }}"),
            ExecError(115, ".Foo",
                      "can't evaluate field Foo in type struct { Labels map[string]string; "
                      "ExternalLabels map[string]string; ExternalURL string; Value float64 }"));
  EXPECT_EQ(
      Expand("{{ humanize \"abc\" }}"),
      ExecError(115, "humanize \"abc\"",
                "error calling humanize: strconv.ParseFloat: parsing \"abc\": invalid syntax"));
  EXPECT_EQ(Expand("{{ toUpper $value }}"),
            ExecError(123, "$value", "wrong type for value; expected string; got float64"));
  EXPECT_EQ(Expand("{{ eq $value 1 }}"),
            ExecError(115, "eq $value 1", "error calling eq: incompatible types for comparison"));
  EXPECT_EQ(Expand("{{ humanizeTimestamp $value }}|{{ humanizeTimestamp 1.5 }}|"
                   "{{ humanizeTimestamp 1e30 }}"),
            ExecError(174, "humanizeTimestamp 1e30",
                      "error calling humanizeTimestamp: 1e+30 cannot be represented as a "
                      "nanoseconds timestamp since it overflows int64"));
  EXPECT_EQ(Expand("{{ toTime 1.5 }}|{{ parseDuration \"1m30s\" }}|{{ parseDuration \"x\" }}"),
            ExecError(160, "parseDuration \"x\"",
                      "error calling parseDuration: not a valid duration string: \"x\""));
  EXPECT_EQ(Expand("{{ externalURL }}"),
            ExecError(115, "externalURL",
                      "error calling externalURL: runtime error: invalid memory address or nil "
                      "pointer dereference"));
  EXPECT_EQ(
      Expand("{{ reReplaceAll \"(a)(b)?\" \"[$1${2}x$2y]\" \"cabab\" }}|{{ match \"^c\" \"cab\" }}|"
             "{{ reReplaceAll \"(\" \"\" \"\" }}"),
      ExecError(190, "reReplaceAll \"(\" \"\" \"\"",
                "error calling reReplaceAll: regexp: Compile(`(`): error parsing regexp: "
                "missing closing ): `(`"));
  EXPECT_EQ(
      Expand("{{ args 1 \"a\" }}|{{ (args 1 \"a\").arg1 }}|{{ (args 1).arg5 }}|"
             "{{ first (args 1) }}"),
      ExecError(
          188, "1",
          "wrong type for value; expected template.queryResult; got map[string]interface {}"));
  EXPECT_EQ(
      Expand("{{ 1 }} {{ 1.0 }} {{ 1e3 }} {{ 0x10 }} {{ -5 }} {{ true }} {{ \"s\" }} {{ nil }}"),
      ExecError(184, "nil", "nil is not a command"));
  EXPECT_EQ(Expand("{{ $labels.k.x }}"),
            ExecError(122, "$labels.k.x", "can't evaluate field x in type string"));
  EXPECT_EQ(Expand("{{ index $labels 1 }}"),
            ExecError(115, "index $labels 1",
                      "error calling index: value has type int; should be string"));
  EXPECT_EQ(Expand("{{ len 3 }}"), ExecError(115, "len 3", "error calling len: len of type int"));
  EXPECT_EQ(Expand("{{ humanize }}"),
            ExecError(115, "humanize", "wrong number of args for humanize: want 1 got 0"));
  EXPECT_EQ(Expand("{{ $value.foo }}"),
            ExecError(121, "$value.foo", "can't evaluate field foo in type float64"));
  EXPECT_EQ(Expand("{{ 1 2 }}"), ExecError(115, "1", "can't give argument to non-function 1"));
}

TEST(AlertTemplate, ParseErrors) {
  // From promtool check rules.
  EXPECT_EQ(CheckAlertTemplate("ChurnRiskCritical", "{{ $value | humanize "),
            "template: __alert_ChurnRiskCritical:1: unclosed action");
  EXPECT_EQ(CheckAlertTemplate("X", "{{ .Foo }"),
            "template: __alert_X:1: unexpected \"}\" in operand");
  EXPECT_EQ(CheckAlertTemplate("X", "{{ if }}"), "template: __alert_X:1: missing value for if");
  EXPECT_EQ(CheckAlertTemplate("X", "{{ end }}"), "template: __alert_X:1: unexpected {{end}}");
  EXPECT_EQ(CheckAlertTemplate("A", "{{ $value }} {{ nope }}"),
            "template: __alert_A:1: function \"nope\" not defined");
  EXPECT_EQ(CheckAlertTemplate("X", "{{"), "template: __alert_X:1: unclosed action");
  EXPECT_FALSE(CheckAlertTemplate("X", "plain {{ $labels.x }} {{- /* c */ -}} ok").has_value());
  // A parse error at expansion time is reported with "error parsing template".
  EXPECT_EQ(Expand("{{ if }}"),
            "<error expanding template: error parsing template __alert_T: template: __alert_T:1: "
            "missing value for if>");
}

TEST(AlertTemplate, ValueFormattingEdgeCases) {
  // Each line: the value, then promtool's expansion of kAll for an alert with that value.
  const std::string kAll =
      "{{ $value }} {{ humanize $value }} {{ humanizeDuration $value }} {{ humanize1024 $value }} "
      "{{ humanizePercentage $value }} {{ humanizeTimestamp $value }}";
  const std::vector<std::pair<double, std::string>> cases = {
      {-1.5, "-1.5 -1.5 -1.5s -1.5 -150% 1969-12-31 23:59:58.5 +0000 UTC"},
      {-90061.5,
       "-90061.5 -90.06k -1d 1h 1m 1s -87.95ki -9.006e+06% 1969-12-30 22:58:58.5 +0000 UTC"},
      {-INFINITY, "-Inf -Inf -Inf -Inf -Inf% -Inf"},
      {0, "0 0 0s 0 0% 1970-01-01 00:00:00 +0000 UTC"},
      {1.5, "1.5 1.5 1.5s 1.5 150% 1970-01-01 00:00:01.5 +0000 UTC"},
      {1700000000.1234567,
       "1.7000000001234567e+09 1.7G 19675d 22h 13m 20s 1.583Gi 1.7e+11% 2023-11-14 22:13:20.123 "
       "+0000 UTC"},
      {1e-9, "1e-09 1n 1ns 1e-09 1e-07% 1970-01-01 00:00:00 +0000 UTC"},
      {1e9, "1e+09 1G 11574d 1h 46m 40s 953.7Mi 1e+11% 2001-09-09 01:46:40 +0000 UTC"},
      {INFINITY, "+Inf +Inf +Inf +Inf +Inf% +Inf"},
      {std::nan(""), "NaN NaN NaN NaN NaN% NaN"},
  };
  for (const auto& [value, expected] : cases) {
    tmpl::AlertData d = ProbeData();
    d.value = value;
    EXPECT_EQ(ExpandAlertTemplate("T", kAll, d, {}), expected) << value;
  }
}

}  // namespace
}  // namespace cerniq::rules
