#include "gocompat/unicode.h"

#include <gtest/gtest.h>

namespace cerniq::gocompat {
namespace {

// The whole table is checked against promtool by vs_promtool.sh; these are the code points the
// two former copies disagreed on, as Go 1.19's unicode.IsPrint answers.
TEST(IsPrint, MatchesGo) {
  EXPECT_TRUE(IsPrint(' '));
  EXPECT_TRUE(IsPrint('~'));
  EXPECT_TRUE(IsPrint(U'\u00e9'));
  EXPECT_TRUE(IsPrint(U'\u4e16'));
  EXPECT_TRUE(IsPrint(U'\ufffd'));
  EXPECT_TRUE(IsPrint(U'\U0001f600'));
  EXPECT_FALSE(IsPrint('\t'));
  EXPECT_FALSE(IsPrint(0x7F));
  EXPECT_FALSE(IsPrint(0x85));    // C1 control
  EXPECT_FALSE(IsPrint(0xA0));    // no-break space: a space, but not U+0020
  EXPECT_FALSE(IsPrint(0xAD));    // soft hyphen
  EXPECT_FALSE(IsPrint(0x200B));  // zero width space
  EXPECT_FALSE(IsPrint(0x202A));  // left-to-right embedding
  EXPECT_FALSE(IsPrint(0x2060));  // word joiner
  EXPECT_FALSE(IsPrint(0xE000));  // private use
  EXPECT_FALSE(IsPrint(0xFEFF));
  EXPECT_FALSE(IsPrint(0xFFF9));  // interlinear annotation anchor
  EXPECT_FALSE(IsPrint(0xFFFE));
  EXPECT_FALSE(IsPrint(0x0870));  // assigned only in Unicode 14, after Go 1.19's tables
  EXPECT_FALSE(IsPrint(0xD800));
  EXPECT_FALSE(IsPrint(0x110000));
}

}  // namespace
}  // namespace cerniq::gocompat
