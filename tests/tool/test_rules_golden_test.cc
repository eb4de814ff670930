// `test rules` against promtool 2.42's recorded outputs (../shared/golden/promtool/test-*).
#include <gtest/gtest.h>

#include <sstream>

#include "rules/golden.h"
#include "tool/rules_commands.h"

namespace cerniq::tool {
namespace {

using rules::testing::GoldenPromtoolDir;
using rules::testing::ReadText;

void ExpectGolden(const std::string& name) {
  auto golden = GoldenPromtoolDir();
  if (!golden) GTEST_SKIP() << "CERNIQ_SHARED_DIR/golden/promtool not found";
  const auto dir = *golden / name;
  std::istringstream command(ReadText(dir / "command"));
  std::vector<std::string> words;
  for (std::string w; command >> w;) words.push_back(w);
  ASSERT_GE(words.size(), 3u);
  ASSERT_EQ(words[1], "test");
  ASSERT_EQ(words[2], "rules");
  const std::vector<std::string> args(words.begin() + 3, words.end());
  std::string combined;
  rules::testing::TeeStream out(combined), err(combined);
  const int code =
      rules::testing::InDirectory(dir, [&] { return RunTestRulesCommand(args, out, err); });
  EXPECT_EQ(out.str(), ReadText(dir / "stdout"));
  EXPECT_EQ(err.str(), ReadText(dir / "stderr"));
  EXPECT_EQ(combined, ReadText(dir / "combined"));
  EXPECT_EQ(std::to_string(code) + "\n", ReadText(dir / "exit_code"));
}

class TestRulesGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(TestRulesGolden, MatchesPromtool) { ExpectGolden(GetParam()); }

INSTANTIATE_TEST_SUITE_P(
    Promtool, TestRulesGolden,
    ::testing::Values("test-alert-mismatch", "test-annotation-templates", "test-bad-series-labels",
                      "test-bad-series-values", "test-eval-time-between-steps",
                      "test-expr-without-expectations", "test-for-multiple-eval-times",
                      "test-group-eval-order-repeated", "test-missing-alertname",
                      "test-missing-rule-file", "test-missing-test-file", "test-mixed-failures",
                      "test-no-interval-and-nan", "test-pass", "test-promql-mismatch",
                      "test-rule-evaluation-error", "test-rule-file-errors",
                      "test-samples-after-last-step", "test-series-notation",
                      "test-template-functions", "test-template-value-format",
                      "test-unknown-field"),
    [](const auto& info) {
      std::string n = info.param;
      for (char& c : n) c = c == '-' ? '_' : c;
      return n;
    });

}  // namespace
}  // namespace cerniq::tool
