#pragma once
// promtool 2.42's rule unit-test file (cmd/promtool/unittest.go), decoded like its
// yaml.UnmarshalStrict (gopkg.in/yaml.v2): unknown fields, repeated keys and type errors are
// reported with yaml.v2's texts.
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "rules/rule_file.h"

namespace cerniq::rules {

struct InputSeries {
  std::string series;  // series notation: metric{labels}
  std::string values;  // expanding notation: "1+2x3 _ stale"
};

struct ExpectedAlert {
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
};

struct AlertTestCase {
  DurationMs eval_time_ms = 0;
  std::string alertname;
  std::vector<ExpectedAlert> exp_alerts;
};

struct ExpectedSample {
  std::string labels;  // series notation, e.g. 'up{job="a"}'; empty means {}
  double value = 0;
};

struct PromqlTestCase {
  std::string expr;
  DurationMs eval_time_ms = 0;
  std::vector<ExpectedSample> exp_samples;
};

struct TestGroup {
  DurationMs interval_ms = 0;  // 2.42: no default, 0 loads every sample at t=0
  std::vector<InputSeries> input_series;
  std::vector<AlertTestCase> alert_rule_tests;
  std::vector<PromqlTestCase> promql_expr_tests;
  std::map<std::string, std::string> external_labels;
  std::string external_url;
  std::string name;
};

struct UnitTestFile {
  std::vector<std::string> rule_files;    // globs, relative to the test file's directory
  DurationMs evaluation_interval_ms = 0;  // 0 means promtool's default of 1m
  std::vector<std::string> group_eval_order;
  std::vector<TestGroup> tests;
};

// The decoded file, or the error promtool prints for it (e.g. "yaml: unmarshal errors:\n  line 8:
// field typo not found in type main.series", "not a valid duration string: \"5\"").
std::variant<UnitTestFile, std::string> ParseUnitTestFile(std::string_view content);

}  // namespace cerniq::rules
