// Command lines of `check rules`, `test rules` and `lint rules`; kingpin texts from promtool 2.42.
#include "tool/rules_commands.h"

#include <gtest/gtest.h>

#include <sstream>

namespace cerniq::tool {
namespace {

std::pair<int, std::string> RunCommand(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int code = RunCheckRulesCommand(args, out, err);
  return {code, err.str()};
}

TEST(CheckRulesCommand, KingpinErrors) {
  EXPECT_EQ(RunCommand({"--lint"}),
            std::make_pair(1, std::string("promtool: error: expected argument for flag '--lint', "
                                          "try --help\n")));
  EXPECT_EQ(RunCommand({"--lint=none"}),
            std::make_pair(1, std::string("promtool: error: required argument 'rule-files' not "
                                          "provided, try --help\n")));
  EXPECT_EQ(
      RunCommand({"--foo", "x.yml"}),
      std::make_pair(1, std::string("promtool: error: unknown long flag '--foo', try --help\n")));
  EXPECT_EQ(
      RunCommand({"-x"}),
      std::make_pair(1, std::string("promtool: error: unknown short flag '-x', try --help\n")));
  EXPECT_EQ(RunCommand({"--", "--lint"}),
            std::make_pair(
                1, std::string("promtool: error: path '--lint' does not exist, try --help\n")));
  EXPECT_EQ(
      RunCommand({"--lint-fatal=true", "/dev/null"}),
      std::make_pair(1, std::string("promtool: error: path 'true' does not exist, try --help\n")));
  EXPECT_EQ(RunCommand({"/"}),
            std::make_pair(1, std::string("promtool: error: '/' is a directory, try --help\n")));
}

TEST(CheckRulesCommand, FlagsReachTheCheck) {
  std::ostringstream out, err;
  EXPECT_EQ(RunCheckRulesCommand({"--lint", "none", "--no-lint-fatal", "/dev/null"}, out, err), 0);
  EXPECT_EQ(out.str(), "Checking /dev/null\n  SUCCESS: 0 rules found\n\n");
  EXPECT_EQ(err.str(), "");
}

TEST(TestRulesCommand, KingpinErrors) {
  std::ostringstream out, err;
  EXPECT_EQ(RunTestRulesCommand({}, out, err), 1);
  EXPECT_EQ(err.str(),
            "promtool: error: required argument 'test-rule-file' not provided, try --help\n");
  std::ostringstream out2, err2;
  EXPECT_EQ(RunTestRulesCommand({"--bogus=x", "t.yml"}, out2, err2), 1);
  EXPECT_EQ(err2.str(), "promtool: error: unknown long flag '--bogus', try --help\n");
  std::ostringstream out3, err3;
  EXPECT_EQ(RunTestRulesCommand({"/nonexistent.yml"}, out3, err3), 1);
  EXPECT_EQ(err3.str(), "promtool: error: path '/nonexistent.yml' does not exist, try --help\n");
}

TEST(LintRulesCommand, KingpinErrors) {
  std::ostringstream out, err;
  EXPECT_EQ(RunLintRulesCommand({"--format=xml", "x"}, out, err), 1);
  EXPECT_EQ(err.str(),
            "cerniqtool: error: enum value must be one of text,json, got 'xml', try --help\n");
  std::ostringstream out2, err2;
  EXPECT_EQ(RunLintRulesCommand({}, out2, err2), 1);
  EXPECT_EQ(err2.str(),
            "cerniqtool: error: required argument 'rule-files' not provided, try --help\n");
}

}  // namespace
}  // namespace cerniq::tool
