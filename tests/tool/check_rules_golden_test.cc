// `check rules` against promtool 2.42's recorded outputs (../shared/golden/promtool/check-*).
#include <gtest/gtest.h>

#include <sstream>

#include "rules/golden.h"
#include "tool/rules_commands.h"

namespace cerniq::tool {
namespace {

using rules::testing::GoldenPromtoolDir;
using rules::testing::ReadText;

struct CaseOutput {
  std::string out, err, combined;
  int exit_code = 0;
};

void ExpectGolden(const std::string& name) {
  auto golden = GoldenPromtoolDir();
  if (!golden) GTEST_SKIP() << "CERNIQ_SHARED_DIR/golden/promtool not found";
  const auto dir = *golden / name;
  std::istringstream command(ReadText(dir / "command"));
  std::vector<std::string> words;
  for (std::string w; command >> w;) words.push_back(w);
  ASSERT_GE(words.size(), 3u);
  ASSERT_EQ(words[1], "check");
  ASSERT_EQ(words[2], "rules");
  const std::vector<std::string> args(words.begin() + 3, words.end());
  CaseOutput got;
  rules::testing::TeeStream out(got.combined), err(got.combined);
  got.exit_code =
      rules::testing::InDirectory(dir, [&] { return RunCheckRulesCommand(args, out, err); });
  EXPECT_EQ(out.str(), ReadText(dir / "stdout"));
  EXPECT_EQ(err.str(), ReadText(dir / "stderr"));
  EXPECT_EQ(got.combined, ReadText(dir / "combined"));
  EXPECT_EQ(std::to_string(got.exit_code) + "\n", ReadText(dir / "exit_code"));
}

TEST(CheckRulesGolden, BadForDuration) { ExpectGolden("check-bad-for-duration"); }
TEST(CheckRulesGolden, DuplicateRules) { ExpectGolden("check-duplicate-rules"); }
TEST(CheckRulesGolden, DuplicateRulesLintFatal) {
  ExpectGolden("check-duplicate-rules-lint-fatal");
}
TEST(CheckRulesGolden, EmptyFile) { ExpectGolden("check-empty-file"); }
TEST(CheckRulesGolden, KeepFiringFor) { ExpectGolden("check-keep-firing-for"); }
TEST(CheckRulesGolden, MultipleFiles) { ExpectGolden("check-multiple-files"); }
TEST(CheckRulesGolden, UnknownField) { ExpectGolden("check-unknown-field"); }
TEST(CheckRulesGolden, Valid) { ExpectGolden("check-valid"); }
TEST(CheckRulesGolden, ValidRecordingAndAlert) { ExpectGolden("check-valid-recording-and-alert"); }
TEST(CheckRulesGolden, ValidTemplates) { ExpectGolden("check-valid-templates"); }
TEST(CheckRulesGolden, ValidationErrors) { ExpectGolden("check-validation-errors"); }

// These three need the PromQL parser's error texts (src/promql, plugged in above).
TEST(CheckRulesGolden, BadRangeDuration) { ExpectGolden("check-bad-range-duration"); }
TEST(CheckRulesGolden, SyntaxError) { ExpectGolden("check-syntax-error"); }
TEST(CheckRulesGolden, SyntaxAndTemplateErrors) {
  ExpectGolden("check-syntax-and-template-errors");
}

// kingpin's command-line errors.
TEST(CheckRulesGolden, MissingFile) { ExpectGolden("check-missing-file"); }
TEST(CheckRulesGolden, NoArguments) { ExpectGolden("check-no-arguments"); }

}  // namespace
}  // namespace cerniq::tool
