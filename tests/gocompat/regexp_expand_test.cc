#include "gocompat/regexp_expand.h"

#include <gtest/gtest.h>

namespace cerniq::gocompat {
namespace {

std::string ExpandOn(const std::string& pattern, const std::string& text, std::string_view tmpl) {
  RE2 re(pattern);
  std::vector<re2::StringPiece> groups(1 + re.NumberOfCapturingGroups());
  EXPECT_TRUE(re.Match(text, 0, text.size(), RE2::ANCHOR_BOTH, groups.data(),
                       static_cast<int>(groups.size())));
  std::string out;
  RegexpExpand(out, tmpl, re, groups);
  return out;
}

TEST(RegexpExpand, LikeGoRegexpExpand) {
  EXPECT_EQ(ExpandOn("(a)(?P<x>b)", "ab", "$1-${x}-$x-$$-$0"), "a-b-b-$-ab");
  EXPECT_EQ(ExpandOn("(a)", "a", "$1x"), "");  // "$1x" names the group "1x"
  EXPECT_EQ(ExpandOn("(a)", "a", "${1}x"), "ax");
  EXPECT_EQ(ExpandOn("(a)", "a", "$9|$01|$nope"), "||");
  EXPECT_EQ(ExpandOn("(a)", "a", "${1|$ |$"), "${1|$ |$");  // malformed: dollars kept
}

}  // namespace
}  // namespace cerniq::gocompat
