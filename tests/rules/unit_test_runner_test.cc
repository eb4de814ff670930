// The unit-test runner of `test rules` on small files; expected texts from promtool 2.42.
#include "rules/unit_test_runner.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

namespace cerniq::rules {
namespace {

TEST(GoDurationString, Formats) {
  EXPECT_EQ(GoDurationString(0), "0s");
  EXPECT_EQ(GoDurationString(500), "500ms");
  EXPECT_EQ(GoDurationString(1500), "1.5s");
  EXPECT_EQ(GoDurationString(60000), "1m0s");
  EXPECT_EQ(GoDurationString(90000), "1m30s");
  EXPECT_EQ(GoDurationString(3600000), "1h0m0s");
  EXPECT_EQ(GoDurationString(86400000 + 1), "24h0m0.001s");
}

// A firing alert that matches and an expression test that does not; the texts are promtool's.
TEST(RunRuleUnitTests, AlertPassesAndExpressionMismatchIsReported) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("unit_test_runner_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "r.yml") << "groups:\n  - name: g\n    rules:\n      - alert: High\n"
                                  "        expr: x > 1\n        labels: {severity: page}\n";
  const std::string test_file = (dir / "t.yml").string();
  std::ofstream(test_file)
      << "rule_files: [r.yml]\ntests:\n  - interval: 1m\n    input_series:\n"
         "      - series: 'x{a=\"b\"}'\n        values: '0 2 2'\n"
         "    alert_rule_test:\n      - eval_time: 1m\n        alertname: High\n"
         "        exp_alerts:\n          - exp_labels: {severity: page, a: b}\n"
         "    promql_expr_test:\n      - expr: x\n        eval_time: 2m\n"
         "        exp_samples:\n          - labels: 'x{a=\"b\"}'\n"
         "            value: 3\n";
  std::ostringstream out, err;
  EXPECT_EQ(RunRuleUnitTests({test_file}, out, err), 1);
  EXPECT_EQ(out.str(), "Unit Testing:  " + test_file + "\n\n\n");
  EXPECT_EQ(err.str(),
            "  FAILED:\n    expr: \"x\", time: 2m,\n        exp: {__name__=\"x\", a=\"b\"} 3E+00\n"
            "        got: {__name__=\"x\", a=\"b\"} 2E+00\n");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cerniq::rules
