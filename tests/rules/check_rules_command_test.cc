// Command-line handling of `check rules`; expected texts from promtool 2.42.
#include "rules/check_rules_command.h"

#include <gtest/gtest.h>

#include <sstream>

namespace cerniq::rules {
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

}  // namespace
}  // namespace cerniq::rules
