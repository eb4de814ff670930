// kingpin's error lines as cerniqtool's commands print them.
#include "tool/kingpin.h"

#include <gtest/gtest.h>

#include <sstream>

namespace cerniq::tool {
namespace {

TEST(Kingpin, UsageErrorLine) {
  std::ostringstream err;
  EXPECT_EQ(UsageError(err, "promtool", "required argument 'rule-files' not provided"), 1);
  EXPECT_EQ(err.str(),
            "promtool: error: required argument 'rule-files' not provided, try --help\n");
}

TEST(Kingpin, ExistingFiles) {
  std::ostringstream err;
  EXPECT_TRUE(CheckExistingFiles({"/dev/null"}, err, "promtool"));
  EXPECT_EQ(err.str(), "");
  EXPECT_FALSE(CheckExistingFiles({"/dev/null", "/nonexistent", "/"}, err, "promtool"));
  EXPECT_EQ(err.str(), "promtool: error: path '/nonexistent' does not exist, try --help\n");
  std::ostringstream err2;
  EXPECT_FALSE(CheckExistingFiles({"/", "/nonexistent"}, err2, "cerniqtool"));
  EXPECT_EQ(err2.str(), "cerniqtool: error: '/' is a directory, try --help\n");
}

TEST(Kingpin, RepeatableArgumentTakesTheRest) {
  std::ostringstream err;
  const ArgSpec files{"files", true, nullptr, /*repeatable=*/true};
  const std::vector<FlagSpec> flags = {{"rules", 0, false, /*repeatable=*/true, nullptr}};
  auto cl = ParseCommandLine({"a", "--rules=r1", "b", "--rules", "r2", "--", "-c"}, flags, {files},
                             err, "promtool");
  ASSERT_TRUE(cl);
  EXPECT_EQ(cl->arg_lists["files"], (std::vector<std::string>{"a", "b", "-c"}));
  EXPECT_EQ(cl->flags["rules"], (std::vector<std::string>{"r1", "r2"}));
  EXPECT_FALSE(ParseCommandLine({}, {}, {files}, err, "promtool"));
  EXPECT_EQ(err.str(), "promtool: error: required argument 'files' not provided, try --help\n");
}

}  // namespace
}  // namespace cerniq::tool
