// promtool unit-test files; expected error texts from promtool 2.42 (`promtool test rules`).
#include "rules/unit_test_file.h"

#include <gtest/gtest.h>

#include <cmath>

namespace cerniq::rules {
namespace {

std::string Error(std::string_view yaml) {
  auto r = ParseUnitTestFile(yaml);
  if (auto* e = std::get_if<std::string>(&r)) return *e;
  return "";
}

TEST(UnitTestFile, DecodesEveryField) {
  auto r = ParseUnitTestFile(R"(rule_files: [a.yml, "b*.yml"]
evaluation_interval: 30s
group_eval_order: [g1, g2]
tests:
  - name: n
    interval: 1m
    external_labels: {cluster: prod}
    external_url: http://x
    input_series:
      - series: 'up{job="a"}'
        values: '1+1x3 _ stale'
    alert_rule_test:
      - eval_time: 5m
        alertname: A
        exp_alerts:
          - exp_labels: {severity: page}
            exp_annotations: {summary: s}
    promql_expr_test:
      - expr: up
        eval_time: 1m
        exp_samples:
          - labels: 'up{job="a"}'
            value: 0x10
          - value: .nan
  - interval: 10s
)");
  ASSERT_TRUE(std::holds_alternative<UnitTestFile>(r)) << std::get<std::string>(r);
  const auto& f = std::get<UnitTestFile>(r);
  EXPECT_EQ(f.rule_files, (std::vector<std::string>{"a.yml", "b*.yml"}));
  EXPECT_EQ(f.evaluation_interval_ms, 30000);
  EXPECT_EQ(f.group_eval_order, (std::vector<std::string>{"g1", "g2"}));
  ASSERT_EQ(f.tests.size(), 2u);
  const TestGroup& g = f.tests[0];
  EXPECT_EQ(g.name, "n");
  EXPECT_EQ(g.interval_ms, 60000);
  EXPECT_EQ(g.external_labels.at("cluster"), "prod");
  EXPECT_EQ(g.external_url, "http://x");
  ASSERT_EQ(g.input_series.size(), 1u);
  EXPECT_EQ(g.input_series[0].values, "1+1x3 _ stale");
  ASSERT_EQ(g.alert_rule_tests.size(), 1u);
  EXPECT_EQ(g.alert_rule_tests[0].eval_time_ms, 300000);
  EXPECT_EQ(g.alert_rule_tests[0].exp_alerts.at(0).annotations.at("summary"), "s");
  ASSERT_EQ(g.promql_expr_tests.at(0).exp_samples.size(), 2u);
  EXPECT_EQ(g.promql_expr_tests[0].exp_samples[0].value, 16);
  EXPECT_TRUE(std::isnan(g.promql_expr_tests[0].exp_samples[1].value));
  EXPECT_EQ(f.tests[1].interval_ms, 10000);
}

TEST(UnitTestFile, UnknownFieldsInEveryStruct) {
  EXPECT_EQ(Error(R"(rule_files: [s10.yml]
evaluation_interval: 1m
group_eval_order: [g]
bogus_top: 1
tests:
  - interval: 1m
    name: n
    external_labels: {a: b}
    external_url: http://x
    bogus_group: 1
    input_series:
      - series: 'x'
        values: '1'
        bogus_series: 1
    alert_rule_test:
      - eval_time: 1m
        alertname: A
        bogus_alert_test: 1
        exp_alerts:
          - exp_labels: {a: b}
            exp_annotations: {c: d}
            bogus_alert: 1
    promql_expr_test:
      - expr: x
        eval_time: 1m
        bogus_promql: 1
        exp_samples:
          - labels: 'x'
            value: 1
            histogram: 'x'
            bogus_sample: 1
)"),
            "yaml: unmarshal errors:\n"
            "  line 4: field bogus_top not found in type main.unitTestFile\n"
            "  line 10: field bogus_group not found in type main.testGroup\n"
            "  line 14: field bogus_series not found in type main.series\n"
            "  line 18: field bogus_alert_test not found in type main.alertTestCase\n"
            "  line 22: field bogus_alert not found in type main.alert\n"
            "  line 26: field bogus_promql not found in type main.promqlTestCase\n"
            "  line 30: field histogram not found in type main.sample\n"
            "  line 31: field bogus_sample not found in type main.sample");
}

TEST(UnitTestFile, YamlV2RepeatedKeysAndTypes) {
  EXPECT_EQ(Error(R"(rule_files: [s10.yml]
rule_files: [s10.yml]
tests:
  - interval: 1m
    name: yes
    external_labels: {a: b, a: c}
    input_series:
      - series: 'x'
        values: '1'
        values: '2'
    promql_expr_test:
      - expr: x
        eval_time: 1m
        exp_samples:
          - labels: 'x'
            value: 0x10
          - labels: on
            value: .inf
)"),
            "yaml: unmarshal errors:\n"
            "  line 2: field rule_files already set in type main.unitTestFile\n"
            "  line 6: key \"a\" already set in map\n"
            "  line 10: field values already set in type main.series");
  EXPECT_EQ(Error(R"(tests:
  - interval: 1m
    alert_rule_test:
      - eval_time: 1m
        alertname: [A]
        exp_alerts:
          - exp_labels: [a]
          - 5
    promql_expr_test: 3
)"),
            "yaml: unmarshal errors:\n"
            "  line 5: cannot unmarshal !!seq into string\n"
            "  line 7: cannot unmarshal !!seq into map[string]string\n"
            "  line 8: cannot unmarshal !!int `5` into main.alert\n"
            "  line 9: cannot unmarshal !!int `3` into []main.promqlTestCase");
  EXPECT_EQ(Error("rule_files: [s10.yml]\ntests:\n  - interval: 1m\n    promql_expr_test:\n"
                  "      - expr: x\n        exp_samples:\n          - value: abc\n"),
            "yaml: unmarshal errors:\n  line 7: cannot unmarshal !!str `abc` into float64");
  // A bad duration aborts decoding: the earlier type error is not reported.
  EXPECT_EQ(Error("rule_files: x\nevaluation_interval: 5\n"), "not a valid duration string: \"5\"");
}

}  // namespace
}  // namespace cerniq::rules
